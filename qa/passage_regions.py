"""Where in a passage the reader reads (pure functions): the lines it never takes a span in (headings, clause
numbers), the heading a span is under, and the line a span is read again in on its own."""

from __future__ import annotations

from index.chunking import Passage
from qa.span_rules import clause_numbers
from qa.text import paragraph_bounds

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


def unreadable(passage: Passage) -> list[tuple[int, int]]:
    """The passage's heading lines and clause numbers, in passage offsets: the reader takes no span there."""
    return [(max(0, s - passage.start), min(len(passage.text), e - passage.start)) for s, e, kind in passage.marks
            if kind in UNREADABLE_MARKS and s < passage.end and e > passage.start] + clause_numbers(passage.text)


def heading_lines(passage: Passage) -> list[tuple[int, int]]:
    """The passage's heading lines, as (start, end) in passage offsets."""
    return [(s - passage.start, e - passage.start) for s, e, kind in passage.marks
            if kind == "heading" and passage.start <= s and e <= passage.end]


def section_heading(passage: Passage, at: int) -> str:
    """The text of the last heading line of the passage before passage offset `at` ("" if it holds none)."""
    s, e = max(((s, e) for s, e in heading_lines(passage) if e <= at), default=(0, 0))
    return passage.text[s:e] if e else ""
