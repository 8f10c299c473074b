"""Citation markers: parsing, dropping invalid ones, streaming filter, attribution and abstention."""

from qa.citations import MarkerFilter, clean_markers, is_abstention, parse_markers


def test_parse_markers_handles_groups():
    assert parse_markers("a [1] b [2, 3] c [4][1]") == [1, 2, 3, 4, 1]


def test_markers_pointing_at_no_passage_are_dropped():
    assert clean_markers("Relations soured [1][7]. Then [9] improved [2, 8].", 3) == "Relations soured [1]. Then improved [2]."
    assert clean_markers("Nothing valid [0] [5].", 3) == "Nothing valid."


def test_stream_filter_never_shows_invalid_markers():
    f = MarkerFilter(2)
    pieces = ["Ties fell [", "1", "] and [", "9] rose [2", "]. A [note] stays."]
    shown = "".join(f.feed(p) for p in pieces) + f.flush()
    assert "[9]" not in shown and "[1]" in shown and "[2]" in shown and "[note]" in shown


def test_abstention_phrases_are_detected():
    assert is_abstention("I don't know.")
    assert is_abstention("The passages do not contain the answer.")
    assert not is_abstention("Relations hit a nadir after the jet was downed [1].")
