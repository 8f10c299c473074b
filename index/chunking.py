"""Sentence-aware, token-bounded chunking with exact character offsets (pure functions)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

TokenCounter = Callable[[str], int]

# A sentence ends at . ! or ? (optionally followed by closing quotes/brackets) before whitespace
# and the start of a new sentence; abbreviations like "U.S." followed by a capital are a known
# imprecision that only costs a slightly earlier chunk boundary.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]*_]*\s+(?=[\"'“‘(\[*_]*[A-Z0-9])")
_LINE = re.compile(r"[^\n]+")
# a number's abbreviation before its number ends no sentence: "John Innes No. 2", "Symphony No. 5", "Vol. 3", "p. 14"
_NUMBERED = re.compile(r"(?<![\w.])(?:no|nos|vol|vols|fig|figs|p|pp|art|arts|sec|ch|para|op)$", re.IGNORECASE)
# a list item's or a numbered heading's mark is no sentence of its own: "1. Heat the oven.", "b) Press MODE."
_LIST_MARK = re.compile(r"\s*\(?(?:\d{1,3}|[A-Za-z])[.)]")


@dataclass(frozen=True)
class Passage:
    """A span of a document's plain text: `document.text[start:end] == text`; score set by retrieval.

    `marks` are the document's furniture and heading marks (start, end, kind) that overlap the passage, in
    document offsets; `source_start`/`source_end` locate the passage in the file on disk (None: same as
    start/end, the document's text being the file's own or its extracted text).
    """

    text: str
    source: str
    start: int
    end: int
    score: float = 0.0
    title: str = ""
    marks: tuple[tuple[int, int, str], ...] = ()
    source_start: int | None = None
    source_end: int | None = None

    def with_score(self, score: float) -> "Passage":
        return replace(self, score=float(score))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of a text; line breaks always end a sentence."""
    spans = []
    for line in _LINE.finditer(text):
        start = line.start()
        for match in _SENTENCE_END.finditer(line.group()):
            if line.group()[match.end():match.end() + 1].isdigit() and \
                    _NUMBERED.search(line.group(), 0, match.start()) or \
                    _LIST_MARK.fullmatch(text, start, line.start() + match.start() + 1):
                continue
            spans.append((start, line.start() + match.start() + len(match.group().rstrip())))
            start = line.start() + match.end()
        spans.append((start, line.end()))
    return [_strip_span(text, s, e) for s, e in spans if text[s:e].strip()]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(text: str, span: tuple[int, int], count: TokenCounter, max_tokens: int) -> list[tuple[int, int]]:
    """Cut a span longer than max_tokens into word-aligned pieces that fit."""
    words = [(m.start() + span[0], m.end() + span[0]) for m in re.finditer(r"\S+", text[span[0]:span[1]])]
    pieces, first = [], 0
    while first < len(words):
        last = first
        # grow the piece while it fits; always take at least one word so we make progress
        while last + 1 < len(words) and count(text[words[first][0]:words[last + 1][1]]) <= max_tokens:
            last += 1
        pieces.append((words[first][0], words[last][1]))
        first = last + 1
    return pieces


def chunk_spans(text: str, count: TokenCounter, max_tokens: int, overlap_tokens: int = 0) -> list[tuple[int, int]]:
    """Pack consecutive sentences into spans of at most max_tokens, overlapping by whole sentences."""
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be positive, got {max_tokens}")
    if not 0 <= overlap_tokens < max_tokens:
        raise ValueError("overlap_tokens must be >= 0 and smaller than max_tokens")
    units: list[tuple[int, int]] = []
    sizes: list[int] = []
    for span in split_sentences(text):
        n = count(text[span[0]:span[1]])
        if n <= max_tokens:
            units.append(span)
            sizes.append(n)
        else:
            for piece in _split_long(text, span, count, max_tokens):
                units.append(piece)
                sizes.append(count(text[piece[0]:piece[1]]))
    chunks, first = [], 0
    while first < len(units):
        last, total = first, sizes[first]
        while last + 1 < len(units) and total + sizes[last + 1] <= max_tokens:
            last += 1
            total += sizes[last]
        chunks.append((units[first][0], units[last][1]))
        if last + 1 >= len(units):
            break
        # step back over trailing sentences that fit in the overlap budget, but always advance
        nxt, carried = last + 1, 0
        while nxt - 1 > first and carried + sizes[nxt - 1] <= overlap_tokens:
            nxt -= 1
            carried += sizes[nxt]
        first = nxt
    return chunks


def chunk_document(text: str, source: str, count: TokenCounter, max_tokens: int,
                   overlap_tokens: int = 0, title: str = "") -> list[Passage]:
    """Chunks of one document as Passages carrying their source and offsets."""
    return [Passage(text=text[s:e], source=source, start=s, end=e, title=title)
            for s, e in chunk_spans(text, count, max_tokens, overlap_tokens)]
