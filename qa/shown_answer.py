"""A reading as it is shown (pure functions): the direct answer, trimmed at its edges, and the sentence quoted to
support it, both in document offsets."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from index.chunking import Passage, split_sentences
from qa.answer import AnswerSentence, ShortAnswer
from qa.evidence import Evidence
from qa.grounding import quote
from qa.reader_spans import Reading
from qa.table_columns import past_column
from qa.text import ENDS_ON_INITIALISM


def short_answer(reading: Reading, passages: Sequence[Passage]) -> ShortAnswer:
    """The reader's span as the direct answer, in document offsets, citing its passage; a table cell's value without
    its column's name ("£38 a year" of "standard rent £38 a year")."""
    passage = passages[reading.passage]
    start, end = _trimmed(passage.text, past_column(passage.text, reading.start, reading.end), reading.end)
    return ShortAnswer(passage.text[start:end], reading.passage + 1, passage.source, passage.start + start,
                       passage.start + end, reading.score)


def supporting_quote(reading: Reading, passages: Sequence[Passage]) -> AnswerSentence:
    """The sentence(s) of the passage holding the span, quoted verbatim, with their document offsets."""
    passage = passages[reading.passage]
    spans = [(s, e) for s, e in split_sentences(passage.text) if e > reading.start and s < reading.end]
    s, e = (spans[0][0], spans[-1][1]) if spans else (reading.start, reading.end)
    evidence = Evidence(reading.passage + 1, passage.text[s:e], passage.source, passage.start + s, passage.start + e,
                        reading.score)
    return replace(quote(evidence), origin="quote", source=passage.source, start=evidence.start, end=evidence.end)


_EDGE_CHARS = " \t\n,;:\"'()[]\u201c\u201d\u2018\u2019"
_NOTE_REFERENCE = re.compile(r"\s[(\[]\d{1,2}[)\]]?$")  # "at the summit (3)": a note's number, not the answer's


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the spaces, commas and quotation marks a tokenizer's offsets can leave at its edges, nor a
    closing full stop (kept after an initialism such as "U.S.") or a trailing note reference such as "(3)"."""
    while start < end and text[start] in _EDGE_CHARS and not _closed(text[start:end], text[start]):
        start += 1
    while end > start and ((text[end - 1] in _EDGE_CHARS and not _closed(text[start:end], text[end - 1]))
                           or (text[end - 1] == "." and not ENDS_ON_INITIALISM.search(text[start:end]))):
        end -= 1
    if (end - start > 1 and text[start] + text[end - 1] in ("()", "[]")  # "(the NATO alliance)", not "(a) or (b)"
            and not re.search(r"[()\[\]]", text[start + 1:end - 1])):
        return _trimmed(text, start + 1, end - 1)
    note = _NOTE_REFERENCE.search(text, start, end)
    if note and note.start() > start and note.end() == end:
        return _trimmed(text, start, note.start())
    return start, end


_BRACKET_PAIRS = {"(": ")", "[": "]", ")": "(", "]": "["}


def _closed(span: str, bracket: str) -> bool:
    """Whether a bracket at the span's edge pairs with one inside it ("Article 5(2)" keeps its ")")."""
    other = _BRACKET_PAIRS.get(bracket)
    return other is not None and 0 < span.count(other) and span.count(bracket) <= span.count(other)
