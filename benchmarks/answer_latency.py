"""`python -m benchmarks.answer_latency --base CHECKOUT`: this checkout's answers on the article's gold set, timed
side by side with another checkout's (e.g. the previous commit) in one run, alternating question by question.

Each checkout answers in its own worker process (its own code, its own data directory): time to the first shown
text (the direct answer here; the first quote before issue 25), time to the whole answer, and the worker's peak RSS.
Usage: python -m benchmarks.answer_latency --base /tmp/before [--gold gold/russia-turkey.jsonl] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchmarks.stats import machine_state

HERE = Path(__file__).resolve().parent.parent
WORKER = r'''
import json, os, resource, sys, time
sys.path.insert(0, os.getcwd())
import qa
from qa import Assistant
assistant = Assistant.from_corpus("corpus", show_progress=False)
assistant.ask("Who is Putin's spokesman?")  # warm: every model loaded, every lazy structure built
print("ready " + qa.__file__, flush=True)
for line in sys.stdin:
    question = json.loads(line)
    started, first, shown = time.perf_counter(), None, ""
    for item in assistant.ask_stream(question):
        text = item if isinstance(item, str) else getattr(item, "text", None)
        if isinstance(text, str) and text and first is None:
            first = time.perf_counter() - started
        if isinstance(text, str):
            shown += text
    total = time.perf_counter() - started
    print(json.dumps({"first_s": first, "total_s": total, "shown": shown,
                      "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
'''


def start(code: Path) -> subprocess.Popen:
    """A worker answering in checkout `code` (its .qa-data), ready once it printed "ready"."""
    env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-c", WORKER], cwd=code, env=env, text=True, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ready = proc.stdout.readline().split(maxsplit=1)
    if not ready or ready[0] != "ready":
        raise RuntimeError(f"the worker in {code} did not start")
    if not Path(ready[1].strip()).resolve().is_relative_to(code):
        raise RuntimeError(f"the worker in {code} imported {ready[1].strip()}, not that checkout's code")
    return proc


def ask(proc: subprocess.Popen, question: str) -> dict:
    proc.stdin.write(json.dumps(question) + "\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def main(argv=None) -> int:
    """Time both checkouts on every first-turn gold question and print the medians side by side."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.answer_latency")
    p.add_argument("--base", type=Path, required=True, help="the other checkout (its .venv is not used: ours is)")
    p.add_argument("--gold", type=Path, default=HERE / "gold/russia-turkey.jsonl")
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args(argv)
    questions = [json.loads(x)["question"] for x in args.gold.read_text().splitlines()
                 if x.strip() and not json.loads(x).get("history")]
    workers = {"before": start(args.base.resolve()), "now": start(HERE)}
    rows = {name: [] for name in workers}
    for question in questions:
        for name, proc in workers.items():
            rows[name].append({"question": question, **ask(proc, question)})
    for proc in workers.values():
        proc.stdin.close()
        proc.wait()
    summary = {name: {"questions": len(r), "first_p50_s": round(median([x["first_s"] for x in r]), 3),
                      "total_p50_s": round(median([x["total_s"] for x in r]), 3),
                      "total_max_s": round(max(x["total_s"] for x in r), 3),
                      "peak_rss_mib": round(max(x["rss_mib"] for x in r))} for name, r in rows.items()}
    report = {"machine": machine_state(), "summary": summary, "rows": rows}
    print(json.dumps(summary, indent=2))
    if args.out:
        args.out.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
