"""`python -m benchmarks.scale`: the whole answering pipeline on corpora of about 1k, 10k and 100k chunks, this
checkout side by side with another (today's code), each run in its own process, alternating.

For each size: build the index with this checkout (see benchmarks.scale_corpus for the corpora and how the larger
ones are embedded), give the other checkout the same passages and chunk vectors (its own format number written
into a hard-linked copy), then run benchmarks/scale_worker.py for each checkout in turn on the same questions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.stats import machine_state, summarize

SIZES = {"article": 0, "1k": 1_000, "10k": 10_000, "100k": 100_000}
STAGES = ("retrieve_s", "evidence_s", "retrieval_evidence_s", "first_token_s", "total_s")
HERE = Path(__file__).resolve().parent.parent


class TimingEmbedder:
    """Wraps an embedder and records the seconds and texts of each embed call (the first call of a fresh build is
    the chunks, the later ones the sentence spans)."""

    def __init__(self, inner) -> None:
        self.inner, self.calls = inner, []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed(self, texts, *, show_progress: bool = False):
        t0 = time.perf_counter()
        out = self.inner.embed(texts, show_progress=show_progress)
        self.calls.append((len(texts), time.perf_counter() - t0))
        return out


def _disk(generation: Path) -> dict:
    sizes = {p.name: p.stat().st_size for p in generation.iterdir() if p.is_file()}
    return {"total_mb": sum(sizes.values()) / 2**20, "files_mb": {k: v / 2**20 for k, v in sorted(sizes.items())}}


def build(size: str, work: Path, args, real_embedder) -> dict:
    """The corpus and index of one size (this checkout's code); returns facts about the build."""
    from benchmarks.scale_corpus import ReplayEmbedder, real_documents, real_sentence_table, write_scale_corpus
    from index.builder import ChunkingConfig, update_index
    from index.documents import load_corpus
    from index.settings import Settings

    settings = Settings.from_env()
    corpus = work / f"corpus-{size}"
    shutil.rmtree(corpus, ignore_errors=True)
    real = real_documents(args.squad, args.article)
    if size == "article":
        real = {args.article.name: real[args.article.name]}
    embedder = real_embedder
    if SIZES[size] > 2_000:
        texts, vectors = real_sentence_table(real, real_embedder, work / "real-sentences.npz")
        embedder = ReplayEmbedder(real_embedder, texts, vectors)
    write_scale_corpus(real, SIZES[size], args.chunks_per_char, corpus)
    index_dir = work / f"index-{size}"
    shutil.rmtree(index_dir, ignore_errors=True)
    timing = TimingEmbedder(embedder)
    t0 = time.perf_counter()
    documents = load_corpus(corpus)
    store, _ = update_index(documents, index_dir, timing, ChunkingConfig.from_settings(settings),
                            settings.index_type, show_progress=False)
    build_s = time.perf_counter() - t0
    generation = index_dir / (index_dir / "CURRENT").read_text().strip()
    chunks_s = timing.calls[0][1] if timing.calls else 0.0
    spans = sum(n for n, _ in timing.calls[1:])
    facts = {"size": size, "documents": len(documents), "chunks": len(store), "build_s": build_s,
             "embed_chunks_s": chunks_s, "embed_spans_s": sum(s for _, s in timing.calls[1:]),
             "sentence_spans": spans, "replayed": isinstance(embedder, ReplayEmbedder),
             "replay_fallbacks": getattr(embedder, "fallbacks", None),
             "disk": _disk(generation), "machine": machine_state()}
    del store
    # today's code reads the same generation under its own format number (it ignores the sentence vectors)
    base_dir = work / f"index-{size}-base"
    shutil.rmtree(base_dir, ignore_errors=True)
    base_gen = base_dir / generation.name
    base_gen.mkdir(parents=True)
    for p in generation.iterdir():
        if p.name not in ("manifest.json", "vectors.faiss") and not p.name.startswith("sentence_"):
            os.link(p, base_gen / p.name)
    import faiss
    import numpy as np

    vectors = np.load(generation / "embeddings.npy")
    flat = faiss.IndexFlatIP(vectors.shape[1])  # today's default index type
    flat.add(vectors)
    faiss.write_index(flat, str(base_gen / "vectors.faiss"))
    manifest = json.loads((generation / "manifest.json").read_text())
    (base_gen / "manifest.json").write_text(json.dumps({**manifest, "format_version": args.base_format,
                                                        "index_type": "flat"}))
    (base_dir / "CURRENT").write_text(generation.name)
    facts["base_disk"] = _disk(base_gen)
    return facts


def questions_for(size: str, args) -> list[str]:
    """The article's gold questions on the article; a seeded sample of held-out SQuAD questions elsewhere."""
    if size == "article" or args.question_set == "article":  # every corpus holds the article
        from qa.evaluation.gold import load_jsonl

        return [item.question for item in load_jsonl(args.gold)][:args.questions]
    from benchmarks.indexing import load_squad
    from qa.evaluation.squad import sample

    _, items = load_squad(args.squad)
    return [item.question for item in sample([i for i in items if i.answerable], args.questions, seed=0)]


def run_worker(code: Path, index_dir: Path, questions: Path, out: Path) -> dict:
    # one torch thread: on a shared machine two threads spin-wait for each other (docs/PERFORMANCE.md)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
           "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    subprocess.run([sys.executable, str(HERE / "benchmarks" / "scale_worker.py"), "--code", str(code), "--index",
                    str(index_dir), "--questions", str(questions), "--out", str(out)], check=True, env=env,
                   cwd=str(code))
    result = json.loads(out.read_text())
    result["machine"] = machine_state()
    result["stages"] = {s: summarize([r[s] for r in result["rows"]]) for s in STAGES}
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="article,1k,10k,100k")
    p.add_argument("--base", type=Path, default=None, help="a checkout of today's code to compare with")
    p.add_argument("--base-format", type=int, default=2, help="the index format number of --base (default 2)")
    p.add_argument("--squad", type=Path, default=Path("../shared/datasets/squad-v1.1-24-articles.json"))
    p.add_argument("--article", type=Path, default=Path("corpus/russia-turkey-rapprochement.md"))
    p.add_argument("--gold", type=Path, default=Path("gold/russia-turkey.jsonl"))
    p.add_argument("--questions", type=int, default=60)
    p.add_argument("--question-set", choices=("squad", "article"), default="squad",
                   help="questions on the larger corpora: held-out SQuAD (default) or the article's gold questions "
                        "(the same questions at every size)")
    p.add_argument("--rounds", type=int, default=1, help="runs of each checkout per size, alternating")
    p.add_argument("--chunks-per-char", type=float, default=1194 / 640_000 * 0.88,
                   help="chunks per character, for sizing the generated corpora")
    p.add_argument("--work", type=Path, default=Path(".qa-data/scale"))
    p.add_argument("--out", type=Path, default=Path("scale-results.json"))
    p.add_argument("--reuse", action="store_true", help="reuse the corpora and indexes an earlier run built in --work")
    args = p.parse_args(argv)
    from index.embedding import SentenceTransformerEmbedder
    from index.settings import Settings

    args.work.mkdir(parents=True, exist_ok=True)
    real_embedder = SentenceTransformerEmbedder.from_settings(Settings.from_env())
    results = {"machine": machine_state(), "sizes": {}}
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        facts_file = args.work / f"build-{size}.json"
        if args.reuse and facts_file.exists() and (args.work / f"index-{size}" / "CURRENT").exists():
            facts = {**json.loads(facts_file.read_text()), "reused": True}
        else:
            facts = build(size, args.work, args, real_embedder)
            facts_file.write_text(json.dumps(facts))
        print(json.dumps({k: v for k, v in facts.items() if k != "disk"}), flush=True)
        qfile = args.work / f"questions-{size}-{args.question_set}.json"
        qfile.write_text(json.dumps(questions_for(size, args)))
        variants = {"new": (HERE, args.work / f"index-{size}")}
        if args.base:
            variants["base"] = (args.base.resolve(), args.work / f"index-{size}-base")
        runs: dict[str, list] = {name: [] for name in variants}
        for r in range(args.rounds):
            for name in (list(variants) if r % 2 == 0 else list(variants)[::-1]):
                code, index_dir = variants[name]
                res = run_worker(code, index_dir, qfile, args.work / f"run-{size}-{args.question_set}-{name}-{r}.json")
                runs[name].append(res)
                print(size, name, json.dumps({"stages_p50_ms": {s: round(v["median"] * 1000, 1) for s, v in
                                                                  res["stages"].items()},
                                              "peak_rss_mb": round(res["peak_rss_mb"]),
                                              "load": res["machine"]["loadavg_1_5_15"]}), flush=True)
        results["sizes"][size] = {"build": facts, "runs": runs}
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
