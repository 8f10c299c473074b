"""Citation markers: parsing, dropping invalid ones, and abstention phrases."""

from qa.citations import clean_markers, is_abstention, parse_markers


def test_parse_markers_handles_groups():
    assert parse_markers("a [1] b [2, 3] c [4][1]") == [1, 2, 3, 4, 1]


def test_markers_pointing_at_no_passage_are_dropped():
    assert clean_markers("Relations soured [1][7]. Then [9] improved [2, 8].", 3) == "Relations soured [1]. Then improved [2]."
    assert clean_markers("Nothing valid [0] [5].", 3) == "Nothing valid."


def test_abstention_phrases_are_detected():
    assert is_abstention("I don't know.")
    assert is_abstention("The passages do not contain the answer.")
    assert not is_abstention("Relations hit a nadir after the jet was downed [1].")


def test_long_whitespace_is_read_once_not_once_per_position():
    """An earlier turn of 100,000 NULs (spaces once cleaned) took the marker and punctuation patterns minutes: each
    tried every position of the run. Now each run is tried from its start only; the result is as before."""
    import time

    from qa.citations import strip_markers

    started = time.perf_counter()
    assert strip_markers(" " * 200_000) == "" and clean_markers(" " * 200_000 + "x [1] .", 1) == "x [1]."
    assert time.perf_counter() - started < 5  # quadratic: minutes; linear: ~0.05 s
    assert strip_markers("Relations soured [1] , then \t improved [2, 3] .") == "Relations soured, then \t improved."
