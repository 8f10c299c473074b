"""`python -m benchmarks.scale_report RESULTS.json`: the scale benchmark's results as Markdown tables."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

STAGES = (("retrieve_s", "retrieve"), ("evidence_s", "evidence"), ("retrieval_evidence_s", "retrieve + evidence"),
          ("first_token_s", "first token"), ("total_s", "answer"))


def _pooled(runs: list[dict], key: str) -> tuple[float, float]:
    """p50 and p95 (ms) over every question of every run of a variant."""
    values = sorted(r[key] * 1000 for run in runs for r in run["rows"])
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return statistics.median(values), p95


def tables(results: dict) -> str:
    """Latency per stage, then index, memory and answer agreement, per corpus size and variant."""
    lines = ["| corpus (chunks) | code | " + " | ".join(f"{name} p50 / p95 ms" for _, name in STAGES) + " | load avg |",
             "|---" * (len(STAGES) + 3) + "|"]
    facts = ["| corpus | documents | chunks | build s (chunks / sentence spans embedding) | sentence spans | "
             "index on disk MB (today's) | peak RSS MB new / today | index load s new / today | BM25 build s | "
             "same answers |", "|---" * 10 + "|"]
    for size, data in results["sizes"].items():
        build, runs = data["build"], data["runs"]
        for code, variant_runs in runs.items():
            cells = []
            for key, _ in STAGES:
                p50, p95 = _pooled(variant_runs, key)
                cells.append(f"{p50:.1f} / {p95:.1f}")
            loads = [r["machine"]["loadavg_1_5_15"][0] for r in variant_runs]
            lines.append(f"| {size} ({build['chunks']}) | {'new' if code == 'new' else 'today'} | "
                         + " | ".join(cells) + f" | {min(loads):.1f}-{max(loads):.1f} |")
        new, base = runs.get("new", []), runs.get("base", [])
        same = "n/a"
        if new and base:
            pairs = list(zip(new[0]["rows"], base[0]["rows"]))
            same = f"{sum(a['answer'] == b['answer'] for a, b in pairs)}/{len(pairs)}"
        rss = lambda rs: max(r["peak_rss_mb"] for r in rs) if rs else float("nan")  # noqa: E731
        load = lambda rs: statistics.median(r["index_load_s"] for r in rs) if rs else float("nan")  # noqa: E731
        bm25 = statistics.median(r["bm25_build_s"] for r in new) if new else float("nan")
        replay = " (replayed)" if build.get("replayed") else ""
        facts.append(f"| {size} | {build['documents']} | {build['chunks']} | {build['build_s']:.1f} "
                     f"({build['embed_chunks_s']:.1f} / {build['embed_spans_s']:.1f}){replay} | "
                     f"{build['sentence_spans']} | {build['disk']['total_mb']:.1f} "
                     f"({build['base_disk']['total_mb']:.1f}) | "
                     f"{rss(new):.0f} / {rss(base):.0f} | {load(new):.2f} / {load(base):.2f} | {bm25:.2f} | {same} |")
    return "\n".join(lines) + "\n\n" + "\n".join(facts) + "\n"


if __name__ == "__main__":
    print(tables(json.loads(Path(sys.argv[1]).read_text())))
