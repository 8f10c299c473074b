"""The decode-rate arithmetic of the generation benchmark (issue 16: ours vs bare llama.cpp)."""

import pytest

from benchmarks.generation import _decode_rate


def test_decode_rate_subtracts_the_first_token_run_per_round_and_of_medians():
    times = {"x": [1.1, 0.9, 1.3], "x_first_token": [0.1, 0.1, 0.3]}  # 64 tokens: 63 decoded after the first
    rate = _decode_rate(times, "x", 64)
    assert rate["per_round"] == pytest.approx([63.0, 63 / 0.8, 63.0])
    assert rate["of_medians"] == pytest.approx(63 / (1.1 - 0.1))
