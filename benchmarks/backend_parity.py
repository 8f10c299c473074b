"""Do the backends give the same verified answers on a gold set when they run the same model?

The packaged SmolLM2 GGUF run three ways, with model sentences on (QA_MODEL_SENTENCES=1, else no backend is called):
in process by llama.cpp (QA_BACKEND=llamacpp), served by llama-cpp-python's OpenAI-compatible server and read with
QA_BACKEND=openai, and (with --transformers) de-quantised and run by transformers (the default backend).
Retrieval, evidence and checks are shared; only the generator differs. Reports, per pair of backends, the questions
whose raw model text or verified answer differ.
Usage (from the repository root): python -m benchmarks.backend_parity [GOLD] [--threads 1] [--transformers]
    [--no-served] [--plain] [--out parity.json]   (QA_GENERATOR_DTYPE=float32 runs transformers unquantised;
    --plain adds transformers without issue 16's fast decoding, QA_FAST_DECODE=0)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from itertools import combinations
from pathlib import Path

from benchmarks import llama_server
from qa import Assistant, Settings
from qa.evaluation.gold import load_jsonl
from qa.evaluation.runner import run_items
from qa.llamacpp_generator import LlamaCppGenerator
from qa.openai_generator import OpenAIGenerator, parse_extra_body
from qa.transformers_generator import TransformersGenerator


class Recording:
    """A generator wrapper that keeps the raw text each call produced (as far as the assistant read it)."""

    def __init__(self, generator) -> None:
        self.generator, self.model_id, self.raw = generator, generator.model_id, []

    def stream(self, messages, max_new_tokens):
        self.raw.append("")
        for piece in self.generator.stream(messages, max_new_tokens):
            self.raw[-1] += piece
            yield piece


def compare(rows_a: list[dict], rows_b: list[dict], raw_a: list[str], raw_b: list[str]) -> dict:
    """Questions whose verified answers differ, and how many raw generations differ."""
    answers = [{"id": a["id"], "a": a["answer"], "b": b["answer"]} for a, b in zip(rows_a, rows_b)
               if (a["answer"], a["abstained"], a["citations"]) != (b["answer"], b["abstained"], b["citations"])]
    raw = [(x, y) for x, y in zip(raw_a, raw_b) if x != y]
    return {"answers_differ": len(answers), "raw_generations_differ": len(raw) + abs(len(raw_a) - len(raw_b)),
            "differences": answers, "raw_examples": raw[:5]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", default="gold/russia-turkey.jsonl")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--transformers", action="store_true", help="also the transformers backend")
    parser.add_argument("--no-served", action="store_true", help="leave out the served (openai) backend")
    parser.add_argument("--plain", action="store_true", help="with --transformers: also its plain decoding path")
    parser.add_argument("--out", default="parity.json")
    args = parser.parse_args()
    settings = Settings.from_env(model_sentences=True, threads=args.threads)
    items = load_jsonl(args.gold)
    base = Assistant.from_corpus("corpus", settings, generator=LlamaCppGenerator(settings.generator,
                                                                                 threads=args.threads),
                                 show_progress=False)
    generators = {"llamacpp": Recording(base.generator.load())}
    if args.transformers:
        generators["transformers"] = Recording(TransformersGenerator(
            settings.generator, cache_dir=settings.model_cache_dir, dtype=settings.generator_dtype,
            threads=args.threads, fast_decode=settings.fast_decode).load())
        if args.plain:
            generators["transformers_plain"] = Recording(TransformersGenerator(
                settings.generator, cache_dir=settings.model_cache_dir, dtype=settings.generator_dtype,
                threads=args.threads, fast_decode=False).load())
    report = {"gold": args.gold, "questions": len(items), "settings": {"model_sentences": True,
                                                                       "generator_dtype": settings.generator_dtype}}
    with contextlib.ExitStack() as stack:
        if not args.no_served:
            _, url = stack.enter_context(llama_server.running(threads=args.threads))
            generators["openai"] = Recording(OpenAIGenerator(url, "smollm2",
                                                             extra_body=parse_extra_body(llama_server.PARITY_BODY)))
        rows, seconds = {}, {}
        for name, generator in generators.items():
            started = time.perf_counter()
            assistant = Assistant(base.store, base.embedder, generator, settings, reader=base.read.reader,
                                  corpus_dir=base.corpus_dir)
            rows[name] = run_items(assistant, items, progress=False)
            seconds[name] = round(time.perf_counter() - started, 1)
            print(f"{name}: {len(generator.raw)} generations, {seconds[name]} s, "
                  f"{sum(r['abstained'] for r in rows[name])} abstained, "
                  f"{sum('error' in r for r in rows[name])} errors", flush=True)
    report["seconds"] = seconds
    report["generations"] = {n: len(g.raw) for n, g in generators.items()}
    report["pairs"] = {}
    for a, b in combinations(generators, 2):
        report["pairs"][f"{a} vs {b}"] = compare(rows[a], rows[b], generators[a].raw, generators[b].raw)
        pair = report["pairs"][f"{a} vs {b}"]
        print(f"{a} vs {b}: {pair['answers_differ']} of {len(items)} verified answers differ; "
              f"{pair['raw_generations_differ']} of {len(generators[a].raw)} raw generations differ")
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
