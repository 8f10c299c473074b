"""Benchmark statistics helpers: summaries, interleaving and paired ratios (no timing asserted)."""

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


def test_machine_state_and_memory_are_reported():
    m = stats.machine_state()
    assert len(m["loadavg_1_5_15"]) == 3 and m["cpus"] >= 1
    assert stats.peak_rss_mb() > 0
