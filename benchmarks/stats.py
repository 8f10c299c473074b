"""Timing helpers: interleaved repetitions after a warm-up, summaries (min/median/p95/max) and machine state."""

from __future__ import annotations

import os
import statistics
import time
from typing import Callable

from qa.evaluation.metrics import percentile


def summarize(samples: list[float]) -> dict:
    """min/median/p95/max/mean of a list of numbers.

    p95 is the evaluation's percentile (linear interpolation, numpy's default); before the benchmarks moved
    out of qa/ it was the nearest-rank p95, which for small samples was the maximum.
    """
    if not samples:
        raise ValueError("no samples to summarize")
    ordered = sorted(samples)
    return {"n": len(ordered), "min": ordered[0], "median": statistics.median(ordered),
            "p95": percentile(ordered, 95), "max": ordered[-1], "mean": statistics.fmean(ordered)}


def interleaved(cases: dict[str, Callable[[], object]], repeats: int, warmup: int = 1,
                clock: Callable[[], float] = time.perf_counter) -> dict[str, list[float]]:
    """Run each case `warmup` times untimed, then `repeats` rounds of every case in turn; seconds per run.

    Alternating the cases within each round means a load spike on a shared machine hits them alike,
    so their ratio holds even when absolute times drift.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    for _ in range(warmup):
        for fn in cases.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in cases}
    names = list(cases)
    for round_no in range(repeats):
        # alternate the order too, so neither case always runs right after the other
        for name in (names if round_no % 2 == 0 else names[::-1]):
            started = clock()
            cases[name]()
            times[name].append(clock() - started)
    return times


def ratio(numerator: list[float], denominator: list[float]) -> dict:
    """Ratio of medians, and min/median/max of the per-round ratios (paired by repetition)."""
    if len(numerator) != len(denominator) or not numerator:
        raise ValueError("ratio needs two non-empty sample lists of the same length")
    paired = [a / b for a, b in zip(numerator, denominator) if b > 0]
    out = {"of_medians": statistics.median(numerator) / statistics.median(denominator)}
    if paired:
        out.update({"min": min(paired), "median": statistics.median(paired), "max": max(paired)})
    return out


def machine_state() -> dict:
    """Load average, CPU count and time, recorded next to every result."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {"time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpus": os.cpu_count(),
            "loadavg_1_5_15": [round(x, 2) for x in load]}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MiB), from /proc or getrusage."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

