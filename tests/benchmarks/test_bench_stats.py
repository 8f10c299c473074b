"""Benchmark statistics helpers: summaries, interleaving and paired ratios (no timing asserted)."""

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from benchmarks import stats


def test_summarize_orders_and_reports_extremes():
    s = stats.summarize([3.0, 1.0, 2.0, 10.0])
    assert s["n"] == 4 and s["min"] == 1.0 and s["max"] == 10.0
    assert s["median"] == 2.5 and s["mean"] == 4.0
    assert s["p95"] == pytest.approx(8.95)  # interpolated between 3.0 and 10.0, like numpy


def test_summarize_rejects_empty():
    with pytest.raises(ValueError):
        stats.summarize([])


def test_interleaved_alternates_cases_and_warms_up():
    calls = []
    ticks = iter(range(1000))
    times = stats.interleaved({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")},
                              repeats=3, warmup=1, clock=lambda: float(next(ticks)))
    assert calls == ["a", "b", "a", "b", "b", "a", "a", "b"]  # warm-up, then rounds alternating the order
    assert times == {"a": [1.0, 1.0, 1.0], "b": [1.0, 1.0, 1.0]}


def test_interleaved_needs_a_repeat():
    with pytest.raises(ValueError):
        stats.interleaved({"a": lambda: None}, repeats=0)


def test_ratio_of_medians_and_paired():
    r = stats.ratio([2.0, 4.0, 6.0], [1.0, 2.0, 2.0])
    assert r["of_medians"] == 2.0
    assert (r["min"], r["median"], r["max"]) == (2.0, 2.0, 3.0)
    with pytest.raises(ValueError):
        stats.ratio([1.0], [1.0, 2.0])


def test_machine_state_reports_this_machine():
    m = stats.machine_state()
    assert m["cpus"] == os.cpu_count()
    taken = datetime.strptime(m["time_utc"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - taken).total_seconds()) < 60
    load = m["loadavg_1_5_15"]
    assert len(load) == 3 and all(isinstance(x, float) and x >= 0 and x == round(x, 2) for x in load)
    if hasattr(os, "getloadavg"):  # the 15-minute average barely moves between two calls
        assert load[2] == pytest.approx(os.getloadavg()[2], abs=0.5)


def _status_mb(field: str) -> float:
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith(field + ":"))
    return int(line.split()[1]) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_peak_rss_is_this_process_high_water_mark(monkeypatch):
    resident = _status_mb("VmRSS")  # read first: the peak taken after it cannot be lower
    peak = stats.peak_rss_mb()
    total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
    # at least what the process holds (a Python interpreter alone is ~10 MiB), below the machine's RAM
    assert isinstance(peak, float) and 5 < resident <= peak < total_mb
    assert peak == pytest.approx(_status_mb("VmHWM"), abs=1)
    # without /proc: getrusage's peak, which is the same figure
    real_open = open

    def open_without_proc(path, *args, **kwargs):
        if path == "/proc/self/status":
            raise OSError("no /proc")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", open_without_proc)
    assert stats.peak_rss_mb() == pytest.approx(peak, rel=0.05)
