"""Chunking: sentence spans and chunk offsets index the original text exactly."""

import pytest

from index.chunking import chunk_document, chunk_spans, split_sentences
from common import ARTICLE


def words(text: str) -> int:
    return len(text.split())


def test_sentences_split_on_end_punctuation_and_lines():
    text = "First one. Second one!\nA heading\n\nThird? Yes."
    assert [text[s:e] for s, e in split_sentences(text)] == ["First one.", "Second one!", "A heading", "Third?", "Yes."]


def test_a_numbers_abbreviation_before_its_number_does_not_split():
    """Session 34: a price list's "John Innes No. 2 in stock No." was quoted as "2 in stock No."."""
    text = "John Innes No. 2 in stock No. See p. 14 and Vol. 3 for more. Then No. It ends."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "John Innes No. 2 in stock No.", "See p. 14 and Vol. 3 for more.", "Then No.", "It ends."]


def test_a_list_item_s_number_stays_with_its_item():
    """Session 39: "1. Heat the oven to 175 °C." was two sentences, "1." and its step, and a passage could end on
    "5." with its step in the next passage; numbered headings ("2. Leave year") likewise."""
    text = "1. Heat the oven to 175 °C. Grease a tin.\n  12. Mash the bananas.\n2. Leave year\nThere are 5. Then 6."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "1. Heat the oven to 175 °C.", "Grease a tin.", "12. Mash the bananas.", "2. Leave year", "There are 5.",
        "Then 6."]


def test_decimal_and_lowercase_continuation_do_not_split():
    text = "It cost 3.5 million. then it rose."
    assert [text[s:e] for s, e in split_sentences(text)] == ["It cost 3.5 million. then it rose."]


def test_chunk_offsets_index_the_document_exactly():
    text = ARTICLE.read_text(encoding="utf-8")
    chunks = chunk_document(text, "a.md", words, max_tokens=60, overlap_tokens=15)
    assert len(chunks) > 5
    for chunk in chunks:
        assert text[chunk.start:chunk.end] == chunk.text
        assert words(chunk.text) <= 60
    # every sentence of the document is in some chunk
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(s in covered for s, _ in split_sentences(text))


def test_overlap_repeats_whole_sentences_and_always_advances():
    text = " ".join(f"Sentence number {i} is here." for i in range(30))
    spans = chunk_spans(text, words, max_tokens=20, overlap_tokens=5)
    starts = [s for s, _ in spans]
    assert starts == sorted(set(starts))
    assert any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)), "expected overlapping chunks"


def test_sentence_longer_than_limit_is_cut_on_word_boundaries():
    text = "word " * 100 + "end."
    spans = chunk_spans(text, words, max_tokens=30)
    assert len(spans) == 4
    assert all(words(text[s:e]) <= 30 for s, e in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("max_tokens,overlap", [(0, 0), (10, 10), (10, -1)])
def test_bad_chunk_settings_raise(max_tokens, overlap):
    with pytest.raises(ValueError):
        chunk_spans("Some text.", words, max_tokens, overlap)
