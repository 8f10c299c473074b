"""`python -m benchmarks.speed [--quick] [--json] [--only PARTS] [--squad PATH]`: the speed benchmark, side by side."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from index.errors import SettingsError, run_command

PARTS = ("indexing", "retrieval", "generation", "e2e")


def build_parser() -> argparse.ArgumentParser:
    """The options of the speed benchmark (run from a checkout: `python -m benchmarks.speed`)."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.speed", description="measure speed against the bare "
                                "models and llama.cpp (reports, never fails)")
    p.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts (default: {','.join(PARTS)})")
    p.add_argument("--quick", action="store_true", help="tiny sizes and one repetition: a smoke test")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    p.add_argument("--out", type=Path, default=None, help="also write the JSON results to this file")
    p.add_argument("--squad", type=Path, default=Path("../shared/datasets/squad-v1.1-24-articles.json"),
                   help="SQuAD v1.1 file whose paragraphs are the indexing corpus")
    p.add_argument("--articles", type=int, default=None, help="only the first N SQuAD articles (default: all)")
    p.add_argument("--corpus", default="corpus", help="the article corpus (default: corpus)")
    p.add_argument("--repeats", type=int, default=None, help="timed repetitions (default 5; 1 with --quick)")
    p.add_argument("--sizes", default=None, help="synthetic FAISS sizes (default 100000,1000000)")
    p.add_argument("--kinds", default="perturbed,random", help="synthetic vectors: perturbed,random")
    p.add_argument("--dtypes", default="float32,bfloat16", help="transformers dtypes to compare")
    p.add_argument("--new-tokens", type=int, default=64, help="new tokens per generation run (default 64)")
    p.add_argument("--gold-limit", type=int, default=None, help="only the first N gold questions")
    p.add_argument("--batch-sizes", default="", help="also time bare encode at these batch sizes, e.g. 16,32,64,128")
    p.add_argument("--encoders", default="", help="also compare encoder options (indexing part), e.g. "
                   "fp32,fp32_1_thread,bf16,int8,onnx,openvino: encode time and dense hit@5")
    p.add_argument("--no-llamacpp", action="store_true", help="skip llama.cpp even if installed")
    p.add_argument("--compare", default="", metavar="SETTING", help="e2e part: a boolean setting (e.g. "
                   "model_sentences, answer_kind_rule) off and on with the defaults otherwise, side by side (instead of the dtype and "
                   "llama.cpp variants)")
    return p


def _parts(only: str) -> list[str]:
    parts = [p.strip() for p in only.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown or not parts:
        raise SettingsError(f"--only takes a comma-separated subset of {','.join(PARTS)}, got {only!r}")
    return parts


def parse_encoders(option: str) -> tuple[str, ...]:
    """The --encoders option as variant names, fp32 (the reference) first."""
    from benchmarks.encoders import VARIANTS

    names = tuple(v.strip() for v in option.split(",") if v.strip())
    unknown = sorted(set(names) - set(VARIANTS))
    if unknown:
        raise SettingsError(f"--encoders takes a comma-separated subset of {','.join(VARIANTS)}, got {option!r}")
    # fp32 first: the reference the others are compared with
    return tuple(dict.fromkeys(("fp32",) + names)) if names else ()


def _llamacpp_available(args) -> bool:
    import importlib.util

    return not args.no_llamacpp and importlib.util.find_spec("llama_cpp") is not None


def run(args: argparse.Namespace) -> int:
    """Run the chosen parts and print a report (Markdown, or JSON with --json)."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from benchmarks import report
    from benchmarks.stats import machine_state
    from index.settings import Settings

    parts = _parts(args.only)
    repeats = args.repeats or (1 if args.quick else 5)
    if repeats < 1:
        raise SettingsError(f"--repeats must be at least 1, got {repeats}")
    dtypes = tuple(d.strip() for d in args.dtypes.split(",") if d.strip())
    settings = Settings.from_env()
    results: dict = {"settings": {"generator_dtype": settings.generator_dtype, "backend": settings.backend,
                                  "index_type": settings.index_type, "threads": settings.threads,
                                  "max_new_tokens": settings.max_new_tokens},
                     "quick": args.quick, "repeats": repeats, "machine_before": machine_state()}
    started = time.perf_counter()
    if "indexing" in parts:
        from benchmarks import indexing

        results["indexing"] = indexing.run(settings, args.squad, repeats, articles=3 if args.quick else args.articles,
                                           hit_sample=50 if args.quick else 500,
                                           batch_sizes=tuple(int(b) for b in args.batch_sizes.split(",") if b),
                                           encoders=parse_encoders(args.encoders))
        results["indexing"]["machine"] = machine_state()
    if "retrieval" in parts:
        results["retrieval"] = _retrieval(args, settings, repeats)
        results["retrieval"]["machine"] = machine_state()
    if "generation" in parts:
        from benchmarks import generation

        results["generation"] = generation.run(settings, repeats, new_tokens=8 if args.quick else args.new_tokens,
                                               dtypes=dtypes[:1] if args.quick else dtypes,
                                               llamacpp=_llamacpp_available(args))
        results["generation"]["machine"] = machine_state()
    if "e2e" in parts:
        results["e2e"] = _e2e(args, settings, repeats, dtypes)
        results["e2e"]["machine"] = machine_state()
    results["machine_after"] = machine_state()
    results["seconds"] = time.perf_counter() - started
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, default=str))
    print(json.dumps(results, indent=2, default=str) if args.json else report.markdown(results))
    return 0


def _retrieval(args, settings, repeats: int) -> dict:
    """Real corpora through Assistant.retrieve, then synthetic FAISS sizes."""
    from qa import Assistant
    from benchmarks import e2e, indexing, retrieval
    from index.embedding import SentenceTransformerEmbedder
    from qa.evaluation.gold import load_jsonl
    from qa.evaluation.squad import sample as take_sample

    embedder = SentenceTransformerEmbedder.from_settings(settings).load()
    out: dict = {}
    article = Assistant.from_corpus(args.corpus, settings, embedder=embedder, show_progress=False)
    gold = [item.question for item in load_jsonl(e2e.GOLD)[:5 if args.quick else None]]
    out["article"] = retrieval.real_corpus(article, gold, repeats)
    articles = 3 if args.quick else args.articles
    squad_dir = indexing.squad_corpus_dir(args.squad, settings.data_dir / "bench", articles)
    squad = Assistant.from_corpus(squad_dir, settings, embedder=embedder, show_progress=False)
    _, questions = indexing.load_squad(args.squad, articles)
    sample = [q.question for q in take_sample(questions, 10 if args.quick else 100, seed=0)]
    out["squad"] = retrieval.real_corpus(squad, sample, repeats)
    out["query_embedding_ms"] = retrieval.embed_latency(embedder, sample[:20], max(1, repeats // 2))
    sizes = [int(s) for s in (args.sizes or ("20000" if args.quick else "100000,1000000")).split(",") if s]
    base, real_queries = squad.store.vectors, embedder.embed(
        [q.question for q in take_sample(questions, 200, seed=1)])
    out["synthetic"] = []
    for n in sizes:
        for kind in [k.strip() for k in args.kinds.split(",") if k.strip()]:
            out["synthetic"].append(retrieval.synthetic(n, kind, settings.data_dir / "bench" / "faiss", base,
                                                        real_queries, n_queries=20 if args.quick else 200))
    return out


def _e2e(args, settings, repeats: int, dtypes: tuple[str, ...]) -> dict:
    """Gold-question latency per generator variant, then cold starts in child processes."""
    from qa import Assistant
    from benchmarks import e2e
    from qa.evaluation.gold import load_jsonl
    from qa.generation import make_generator
    from index.embedding import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder.from_settings(settings).load()
    if args.compare:
        if not isinstance(getattr(settings, args.compare, None), bool):
            raise SettingsError("--compare takes a boolean setting such as model_sentences or answer_kind_rule, "
                                f"got {args.compare!r}")
        variants = {f"{args.compare}_{state}": settings.with_(**{args.compare: value})
                    for state, value in (("off", False), ("on", True))}
    else:
        variants = {f"transformers_{d}": settings.with_(backend="transformers", generator_dtype=d)
                    for d in (dtypes[:1] if args.quick else dtypes)}
        if _llamacpp_available(args):
            variants["llamacpp"] = settings.with_(backend="llamacpp")
    assistants = {name: Assistant.from_corpus(args.corpus, s, embedder=embedder, generator=make_generator(s),
                                              show_progress=False) for name, s in variants.items()}
    items = load_jsonl(e2e.GOLD)[:3 if args.quick else args.gold_limit]
    out = {"gold": e2e.gold_latency(assistants, items)}
    del assistants
    env = {name: {"QA_BACKEND": s.backend, "QA_GENERATOR_DTYPE": s.generator_dtype,
                  "QA_MODEL_SENTENCES": str(int(s.model_sentences)),
                  **({f"QA_{args.compare.upper()}": str(int(getattr(s, args.compare)))} if args.compare else {})}
           for name, s in variants.items()}
    uncached = () if args.quick or args.compare else (next(iter(env)),) + tuple(n for n in env if n == "llamacpp")
    out["cold_start"] = e2e.cold_starts(args.corpus, env, 1 if args.quick else max(2, repeats // 2 + 1),
                                        settings.data_dir.resolve(), uncached=uncached)
    return out


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run under the command lines' one error policy (index.errors.run_command)."""
    args = build_parser().parse_args(argv)
    return run_command(lambda: run(args))


if __name__ == "__main__":
    sys.exit(main())
