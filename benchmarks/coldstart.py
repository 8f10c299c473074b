"""`python -m benchmarks.coldstart --base CHECKOUT`: cold start with cached weights and index, this checkout side by
side with another, alternating: `python -m qa ask` process wall time (spawn to exit) and peak RSS, and `python -m
ui` from spawn until its port answers HTTP.

Each checkout uses its own data directory (its `.qa-data`), built by one untimed warm-up run of each command.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.stats import machine_state, summarize

QUESTION = "Why did relations between Russia and Turkey hit a nadir?"
HERE = Path(__file__).resolve().parent.parent


def _env() -> dict:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def ask_once(code: Path) -> dict:
    """One `python -m qa ask` process: wall seconds, CPU seconds and peak RSS (MiB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "qa", "ask", QUESTION, "--no-stream"], cwd=code, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise RuntimeError(f"qa ask failed in {code}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
            "answer": out.decode().strip()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ui_once(code: Path, limit_s: float = 120.0) -> dict:
    """One `python -m ui` process: seconds from spawn until GET / answers 200, and its peak RSS then (MiB)."""
    port = _free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ui", "--port", str(port)], cwd=code, env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t0 < limit_s:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.05)
        served = time.perf_counter() - t0
        with open(f"/proc/{proc.pid}/status") as fh:
            rss = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:"))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"served_s": served, "peak_rss_mb": rss}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.coldstart", description=__doc__.splitlines()[0])
    p.add_argument("--base", type=Path, required=True, help="a checkout of today's code")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--skip-ui", action="store_true")
    p.add_argument("--out", type=Path, default=Path("coldstart-results.json"))
    args = p.parse_args(argv)
    variants = {"new": HERE, "base": args.base.resolve()}
    for code in variants.values():  # warm-up: builds each checkout's index and model cache, fills the page cache
        ask_once(code)
        if not args.skip_ui:
            ui_once(code)
    runs = {name: {"ask": [], "ui": []} for name in variants}
    for r in range(args.repeats):
        for name in (list(variants) if r % 2 == 0 else list(variants)[::-1]):
            ask = {**ask_once(variants[name]), "machine": machine_state()}
            runs[name]["ask"].append(ask)
            line = {"ask_wall_s": round(ask["wall_s"], 2), "ask_cpu_s": round(ask["cpu_s"], 2),
                    "ask_rss_mb": round(ask["peak_rss_mb"]), "load": ask["machine"]["loadavg_1_5_15"]}
            if not args.skip_ui:
                ui = {**ui_once(variants[name]), "machine": machine_state()}
                runs[name]["ui"].append(ui)
                line.update({"ui_served_s": round(ui["served_s"], 2), "ui_rss_mb": round(ui["peak_rss_mb"])})
            print(name, json.dumps(line), flush=True)
    summary = {name: {"ask_wall_s": summarize([a["wall_s"] for a in r["ask"]]),
                      "ask_cpu_s": summarize([a["cpu_s"] for a in r["ask"]]),
                      "ask_peak_rss_mb": summarize([a["peak_rss_mb"] for a in r["ask"]]),
                      **({"ui_served_s": summarize([u["served_s"] for u in r["ui"]]),
                          "ui_peak_rss_mb": summarize([u["peak_rss_mb"] for u in r["ui"]])} if r["ui"] else {})}
               for name, r in runs.items()}
    same = all(a["answer"] == b["answer"] for a, b in zip(runs["new"]["ask"], runs["base"]["ask"]))
    args.out.write_text(json.dumps({"machine": machine_state(), "summary": summary, "same_answers": same,
                                    "runs": runs}, indent=1))
    print(json.dumps({"summary": {n: {k: round(v["median"], 2) for k, v in s.items()} for n, s in summary.items()},
                      "same_answers": same}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
