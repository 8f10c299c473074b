"""End-to-end benchmark: answer latency over the article gold questions, cold start, peak resident memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.stats import summarize
from qa.evaluation.metrics import containment

GOLD = Path("gold/russia-turkey.jsonl")
COLD_QUESTION = "Why did relations between Russia and Turkey hit a nadir?"
# the child answers one question and reports its own peak memory; the parent times process start to exit
_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from qa import Assistant, Settings
from qa.generation import make_generator
from benchmarks.stats import peak_rss_mb
s = Settings.from_env()
a = Assistant.from_corpus(sys.argv[1], s, generator=make_generator(s), show_progress=False)
ans = a.ask(sys.argv[2])
print(json.dumps({"in_process_s": time.perf_counter() - t0, "peak_rss_mb": peak_rss_mb(), "answer": ans.text}))
"""


def _history(item, answers: dict[str, str]) -> list[tuple[str, str]]:
    return [(q, answers.get(q, "")) for q in item.history]


def gold_match(item, answer) -> float:
    """1.0 for an abstention on an unanswerable question or an answer containing a reference, else 0.0.

    The evaluation's `containment` (normalised phrase, or >= 80% of the reference's content words); before
    the benchmarks moved out of qa/, gold match was a plain case- and space-insensitive substring test.
    """
    if not item.answerable:
        return float(answer.abstained)
    return containment(answer.text, item.answers)


def gold_latency(assistants: dict, items: list) -> dict:
    """Each gold question (GoldItems) asked of each assistant in turn, interleaved: latency, first token, answers."""
    results = {name: {"total": [], "first": [], "answers": [], "matches": 0.0} for name in assistants}
    previous: dict[str, dict[str, str]] = {name: {} for name in assistants}
    for assistant in assistants.values():  # warm-up: first call pays lazy loading
        assistant.ask(items[0].question)
    for i, item in enumerate(items):
        names = list(assistants) if i % 2 == 0 else list(assistants)[::-1]
        for name in names:
            started = time.perf_counter()
            answer = assistants[name].ask(item.question, history=_history(item, previous[name]) or None)
            results[name]["total"].append(time.perf_counter() - started)
            if "first_token_s" in answer.timings:
                results[name]["first"].append(answer.timings["first_token_s"])
            previous[name][item.question] = answer.text
            results[name]["answers"].append(answer.text)
            results[name]["matches"] += gold_match(item, answer)
    out = {}
    first_name = next(iter(assistants))
    for name, r in results.items():
        out[name] = {"latency_s": summarize(r["total"]), "questions": len(items),
                     "first_token_s": summarize(r["first"]) if r["first"] else None,
                     "gold_match": r["matches"] / len(items),
                     "same_answers_as_" + first_name: sum(a == b for a, b in
                                                         zip(r["answers"], results[first_name]["answers"])),
                     "answers": r["answers"]}
    return out


def cold_start(corpus: str, env_extra: dict, fresh_data: bool, data_dir: Path) -> dict:
    """One child process from start to first answer; fresh_data uses an empty data dir (no cached weights/index)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **env_extra}
    tmp = None
    if fresh_data:
        tmp = tempfile.mkdtemp(prefix="bench-cold-")
        env["QA_DATA_DIR"] = tmp
    else:
        env["QA_DATA_DIR"] = str(data_dir)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, corpus, COLD_QUESTION], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    if tmp:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    if proc.returncode != 0:
        raise RuntimeError(f"cold-start child failed ({proc.returncode}): {stderr.strip()[-500:]}")
    child = json.loads(stdout.strip().splitlines()[-1])
    return {"wall_s": wall, **child}


def cold_starts(corpus: str, variants: dict[str, dict], repeats: int, data_dir: Path,
                uncached: tuple[str, ...] = ()) -> dict:
    """Cold start per variant (env overrides), interleaved; cached data dir, plus fresh ones for `uncached`."""
    runs: dict[str, list[dict]] = {}
    plan = [(name, env, False) for name, env in variants.items()]
    plan += [(f"{name}_no_cache", variants[name], True) for name in uncached]
    for name, env, fresh in plan:  # untimed warm-up: makes sure the caches exist and the page cache is warm
        if not fresh:
            cold_start(corpus, env, False, data_dir)
    for round_no in range(repeats):
        for name, env, fresh in (plan if round_no % 2 == 0 else plan[::-1]):
            runs.setdefault(name, []).append(cold_start(corpus, env, fresh, data_dir))
    return {name: {"wall_s": summarize([r["wall_s"] for r in rs]),
                   "peak_rss_mb": summarize([r["peak_rss_mb"] for r in rs]),
                   "answer": rs[-1]["answer"]} for name, rs in runs.items()}
