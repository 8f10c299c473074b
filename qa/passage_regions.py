"""Where in a passage the reader reads (pure functions): the lines it never takes a span in (headings, clause
numbers), the heading a span is under, and the line, the sentence or the FAQ answer a span is read again in on its
own."""

from __future__ import annotations

import re

from index.chunking import Passage, split_sentences
from qa.span_rules import clause_numbers
from qa.text import content_words, paragraph_bounds
from qa.verb_forms import base_of_past

FOCUS_WORDS = 12  # a shorter line (a list item, a table's cell) is not read alone: "£7.50" for a machine's price


def focus_region(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The line of a paragraph of several lines holding text[start:end], as (start, end), to read on its own (a
    PDF's paragraphs and headings are lines of one block); None for a paragraph of one line (as a web page's), a
    short line (a list item, a table's cell), or the whole text."""
    top, bottom = paragraph_bounds(text, start, end)
    if "\n" not in text[top:bottom].strip():
        return None
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    if len(text[a:b].split()) < FOCUS_WORDS or not text[:a].strip() and not text[b:].strip():
        return None
    return a, b


# Lines that are never the answer: a section's heading ("Troubleshooting" for "What should I do if the coffee runs
# too fast?"). Boilerplate stays readable ("According to the disclaimer, who is responsible ...?"), as do bylines.
UNREADABLE_MARKS = frozenset({"heading"})


# a table's cell that holds only a dash, as index.tables says it ("Sponsor time on project –."): its line names a row
# and a column and no value, so a span there is a column's name ("time on project" for "Who is sponsoring ...?")
_EMPTY_CELL = re.compile(r"^[^\n]*\s[-–—]\.$", re.M)


def never_answers(text: str) -> list[tuple[int, int]]:
    """A text's clause numbers and the lines of its empty cells, as (start, end): the reader takes no span there."""
    return clause_numbers(text) + [m.span() for m in _EMPTY_CELL.finditer(text)]


def unreadable(passage: Passage) -> list[tuple[int, int]]:
    """The passage's heading lines, clause numbers and empty cells' lines, in passage offsets: the reader takes no
    span there."""
    return [(max(0, s - passage.start), min(len(passage.text), e - passage.start)) for s, e, kind in passage.marks
            if kind in UNREADABLE_MARKS and s < passage.end and e > passage.start] + never_answers(passage.text)


def heading_lines(passage: Passage) -> list[tuple[int, int]]:
    """The passage's heading lines, as (start, end) in passage offsets."""
    return [(s - passage.start, e - passage.start) for s, e, kind in passage.marks
            if kind == "heading" and passage.start <= s and e <= passage.end]


def section_heading(passage: Passage, at: int) -> str:
    """The text of the last heading line of the passage before passage offset `at` ("" if it holds none)."""
    s, e = max(((s, e) for s, e in heading_lines(passage) if e <= at), default=(0, 0))
    return passage.text[s:e] if e else ""


def asked_sentence(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The sentence of the span's paragraph to read instead of the span's own, as (start, end), or None: the one
    that names every word of the question, where the span's names some but not all ("To relight a dark lighthouse,
    a keeper on it must spend ..." for "How do I relight a lighthouse?", not "... is wrecked: put its tile in the
    box.", the sentence before it). Naming more of them is not enough: "On the night of 19 January 1874 fire broke
    out" is no better a sentence than "... no one was killed" for "Did anyone die in the 1874 fire?" (session 33)."""
    asked = content_words(question)
    top, bottom = paragraph_bounds(text, start, end)
    sentences = [(s, e) for s, e in split_sentences(text) if top <= s and e <= bottom]
    own = next(((s, e) for s, e in sentences if s <= start < e), None)
    if own is None or not asked:
        return None
    said = asked & content_words(text[own[0]:own[1]])
    named = {x: asked & content_words(text[x[0]:x[1]]) for x in sentences  # an FAQ's question asks, not answers
             if x != own and not text[x[0]:x[1]].endswith("?")}
    whole = [x for x, n in named.items() if n == asked]
    return whole[0] if len(whole) == 1 and said and said < asked else None


_CLAUSE_BREAK = re.compile(r",?\s+and\s+(?=[a-z]+\s)|;\s+|,\s+(?:while|whereas|but)\s+")


def _said(text: str) -> set[str]:
    """A text's content words (qa.text), an irregular past as its base ("paid" names "pay")."""
    return {base_of_past(w) or w for w in content_words(text)}


def asked_clause(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The clause of the span's sentence to read instead of the span's own, as (start, end), or None: the one naming
    most of the question's words where the span's names none ("Manual lessons are taught in a Ford Fiesta and
    automatic lessons in a Toyota Yaris Hybrid." for "What car will I learn in if I'm doing manual?": the Ford, not
    the span "Toyota Yaris Hybrid"), where each clause opens with its own subject. Words every clause says do not
    count; a clause naming fewer is often the one answering ("A library card is issued on the spot and is valid for
    three years.")."""
    sentence = next(((s, e) for s, e in split_sentences(text) if s <= start < e), None)
    if sentence is None or end > sentence[1]:
        return None
    breaks = list(_CLAUSE_BREAK.finditer(text, *sentence))
    clauses = list(zip([sentence[0]] + [m.end() for m in breaks], [m.start() for m in breaks] + [sentence[1]]))
    own = next((c for c in clauses if c[0] <= start < c[1]), None)
    if own is None or len(clauses) < 2 or end > own[1]:
        return None
    said = {c: _said(text[c[0]:c[1]]) for c in clauses}
    shared = set.intersection(*said.values())
    # parallel clauses, each with its own subject ("Manual lessons ..." and "automatic lessons ..."), not a subject's
    # further predicates ("Rent is due on 1 October ... and must be paid by 31 October")
    if not shared & set.intersection(*(content_words(" ".join(text[a:b].split()[:3])) for a, b in clauses)):
        return None
    asked = _said(question)
    named = {c: len(asked & (w - shared)) for c, w in said.items()}
    best = max(named.values())
    better = [c for c, n in named.items() if n == best]
    return better[0] if best and not named[own] and len(better) == 1 else None


def _asking_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences holding text[start:end] where every one of them asks; [] otherwise."""
    held = [(s, e) for s, e in split_sentences(text) if s < end and start < e]
    return held if all(text[s:e].rstrip("\"'”’)*_ ").endswith("?") for s, e in held) else []


def in_question_sentence(text: str, start: int, end: int) -> bool:
    """Whether a span lies in sentences that ask, not answer: an FAQ's own question ("stack" of "Can I stack a
    tumble dryer on top?" is no answer to "Can I put a tumble dryer on top of it?"; its answer follows it)."""
    return bool(_asking_sentences(text, start, end))


def answer_after_question(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where an FAQ answers the question a span was found in: from that question's end to the end of its
    paragraph, or of the next paragraph when the question ends its own (a heading). None for a span elsewhere."""
    asking = _asking_sentences(text, start, end)
    if not asking:
        return None
    asked_end = asking[-1][1]
    own_end = paragraph_bounds(text, asked_end, asked_end)[1]
    rest = text[asked_end:own_end].strip() and own_end
    if not rest:
        after = re.search(r"\S", text[own_end:])
        rest = paragraph_bounds(text, own_end + after.start(), own_end + after.start())[1] if after else None
    return (asked_end, rest) if rest else None
