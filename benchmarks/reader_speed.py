"""`python -m benchmarks.reader_speed`: the span reader over a question and its retrieved passages, beside the
evidence step it joins, on the article's gold questions; and what loading it adds to a cold start.

For each gold question the assistant retrieves its passages (top 4 by default) once; then, interleaved, the reader
reads the question against them (float32 on torch and on ONNX Runtime, the product's default, bfloat16 on torch
where the CPU computes it natively, the default there, and, with --int8, dynamic int8 Linears) and the evidence step
selects sentences from them, each timed. Medians and p90 in milliseconds; the machine's load is recorded beside them.
`--only NAME` times one reader alone: on 2 cores ONNX Runtime's spinning threads slow the torch run after it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.stats import machine_state, peak_rss_mb, summarize

ROOT = Path(__file__).resolve().parent.parent
# A cold start of `qa ask` or the UI has already imported torch, transformers and qa and loaded the MiniLM query
# encoder (a BertModel) when the reader would load: so does this process, and only the reader's load is timed.
LOAD_SNIPPET = ("import time, sys; from transformers import AutoModel; from index.embedding import packaged_minilm_dir; "
                "AutoModel.from_pretrained(packaged_minilm_dir()); from qa.span_reader import SpanReader; "
                "t = time.perf_counter(); SpanReader(sys.argv[1]).load(); print(time.perf_counter() - t)")


def gold_questions(path: Path) -> list[str]:
    """The standalone questions of a gold file (follow-ups left out)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if not r.get("history")]


def load_seconds(model_dir: Path, repeats: int) -> list[float]:
    """Seconds to load the reader (files checked, weights read) in a fresh process that has imported torch and
    transformers: what it adds to a cold start. `repeats` processes."""
    times = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET, str(model_dir)], capture_output=True, text=True,
                             cwd=ROOT, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return times


def run(args: argparse.Namespace) -> dict:
    """Measure and return the figures."""
    from index.settings import Settings
    from qa.assistant import Assistant
    from index.embedding import native_bfloat16
    from qa.evidence import select_evidence
    from qa.span_reader import SpanReader

    settings = Settings.from_env()
    assistant = Assistant.from_corpus(args.corpus, settings, show_progress=False)
    questions = gold_questions(args.gold)[:args.limit]
    retrieved = [(q, assistant.retrieve(q, top_k=args.top_k)) for q in questions]
    readers = {"float32": SpanReader(args.model),
               "onnx": SpanReader(args.model, runtime="onnx", cache_dir=settings.model_cache_dir)}
    if args.int8:
        readers["int8"] = SpanReader(args.model, quantize=True)
    if native_bfloat16():  # the product's default on such CPUs (settings.reader_dtype "auto")
        readers["bfloat16"] = SpanReader(args.model, dtype="bfloat16")
    if args.only:  # ONNX Runtime's threads spin after a run and slow a torch run right after it on 2 cores
        if args.only not in readers:
            raise SystemExit(f"error: --only {args.only!r}: not one of {sorted(readers)} on this machine")
        readers = {args.only: readers[args.only]}
    readers = {name: reader.load() for name, reader in readers.items()}  # only the ones timed
    timings: dict[str, list[float]] = {name: [] for name in [*readers, "evidence"]}
    tokens = []
    for _ in range(args.repeats):
        for question, passages in retrieved:
            texts = [p.text for p in passages]
            for name, reader in readers.items():
                t = time.perf_counter()
                reader.read(question, texts)
                timings[name].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            select_evidence(question, passages, assistant.query_embedder, settings.evidence_sentences)
            timings["evidence"].append((time.perf_counter() - t) * 1000)
    tokenizer = next(iter(readers.values()))._tokenizer
    for question, passages in retrieved:
        tokens.append(sum(len(tokenizer.encode(question, p.text).ids) for p in passages))
    return {"machine": machine_state(), "questions": len(questions), "top_k": args.top_k,
            "repeats": args.repeats, "input_tokens_median": sorted(tokens)[len(tokens) // 2],
            "ms": {name: summarize(values) for name, values in timings.items()},
            "reader_load_s": summarize(load_seconds(args.model, args.load_repeats)),
            "peak_rss_mb": round(peak_rss_mb(), 1)}


def main(argv=None) -> int:
    """Run the benchmark and print its JSON."""
    from qa.span_reader import MODEL_DIR

    p = argparse.ArgumentParser(prog="python -m benchmarks.reader_speed", description=__doc__.splitlines()[0])
    p.add_argument("--model", type=Path, default=MODEL_DIR)
    p.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    p.add_argument("--gold", type=Path, default=ROOT / "gold" / "russia-turkey.jsonl")
    p.add_argument("--top-k", type=int, default=4)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--limit", type=int, default=None, help="first N gold questions")
    p.add_argument("--load-repeats", type=int, default=3)
    p.add_argument("--int8", action="store_true", help="also time dynamic int8 Linears")
    p.add_argument("--only", default=None, help="time one reader alone: float32, onnx, bfloat16 or int8")
    args = p.parse_args(argv)
    print(json.dumps(run(args), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
