"""A table row's columns, where index.tables reads a row a line a cell ("Half plot standard rent £38 a year.\nHalf
plot concession rent £19 a year."): the column's name before a cell's value, and the first of like cells, read
where the question names no column (pure functions)."""

from __future__ import annotations

import re

from qa.table_rows import _label, _lines, _named, _names, _table_of
from qa.text import content_words, paragraph_bounds, stem

_MONEY = re.compile(r"[£$€¥]\s?\d|\d\s?(?:p|pence|euros?|dollars?|pounds?)\b", re.I)
_CLOCK = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\b|\b\d{1,2}:\d{2}\b", re.I)
_NAME_WORD = re.compile(r"[a-z(][^A-Z0-9£$€¥]*$")
_ASKING = frozenset(stem(w) for w in "much many cost price pay charge time".split())  # "How much ...?" names no cell


def _shape(value: str) -> re.Pattern | None:
    """The kind of value a cell gives that several columns may give alike: money or a clock time."""
    return next((p for p in (_MONEY, _CLOCK) if p.search(value)), None)


def first_like_cell(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The row's first line giving the kind of value the span gives (money, a clock time), as (start, end), where the
    question names nothing that tells the row's lines apart ("How much is a full plot a year?" of a row whose lines
    are "standard rent £68 a year." and "concession rent £34 a year.": the first price is the one a table gives
    first, the standard one); None where the span's line is that line, or the question names a column, or a word
    no line of the row says ("I'm 70, how much is a full plot?")."""
    lines = _lines(text, *paragraph_bounds(text, start, start))
    said = [text[a:b].lower().split() for a, b in lines]
    label = _label(said)
    own = next((i for i, (a, b) in enumerate(lines) if a <= start < b + 1), None)
    shape = _shape(text[start:end])
    if not label or own is None or shape is None:
        return None
    row_words = [re.sub(r"\W+", "", w) for line in said for w in line]
    if any(w not in _ASKING and not any(_names(w, word) for word in row_words)
           for w in map(stem, content_words(question))):
        return None
    common = set.intersection(*({re.sub(r"\W+", "", w) for w in line[label:]} for line in said))
    if any(_named(question, [w for w in line[label:] if re.sub(r"\W+", "", w) not in common], line[:label])
           for line in said):
        return None
    like = [i for i, (a, b) in enumerate(lines) if shape.search(text, a, b)]
    return lines[like[0]] if like and like[0] != own else None


def column_bounds(text: str, at: int) -> tuple[int, int] | None:
    """(start, end) of the column's name in the table cell's line holding text[at], up to its value: what the line
    shares with a line of another row of the table, word for word from after the row's label, in lower case
    ("Tuesday and" of "anchor days Tuesday and Wednesday" and "anchor days Tuesday and Thursday" is no name); None
    where the line is no table cell's or no other row says its column's name."""
    table = _table_of(text, at)
    if table is None:
        return None
    rows, own = table
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    label = rows[own][3]
    words = list(re.finditer(r"\S+", text[line_start:len(text) if line_end < 0 else line_end]))
    if len(words) <= label + 1:
        return None
    mine = [m.group() for m in words[label:]]
    shared = 0
    for row in rows[:own] + rows[own + 1:]:
        for a, b in _lines(text, row[0], row[1]):
            theirs = text[a:b].split()[row[3]:]
            n = 0  # a column's name is said in lower case (index.tables.column_name): not "Room" of "room Room A"
            while n < min(len(mine), len(theirs)) and mine[n] == theirs[n] and _NAME_WORD.match(mine[n]):
                n += 1
            if n < len(mine) and n < len(theirs):  # the whole line alike is no column's name
                shared = max(shared, n)
    return (line_start + words[label].start(), line_start + words[label + shared].start()) if shared else None


def past_column(text: str, start: int, end: int) -> int:
    """The span's start moved past its table cell's column name ("standard rent £38 a year" -> "£38 a year"), where
    the span opens at or inside that name and goes on past it; the start as it is otherwise."""
    name = column_bounds(text, start)
    return name[1] if name is not None and name[0] <= start < name[1] < end else start


def only_column_name(text: str, start: int, end: int) -> bool:
    """Whether a span is a table cell's column name and nothing of its value ("per month" of "Broadband (fibre) per
    month Included." for "How fast is the broadband?"): no answer to anything."""
    name = column_bounds(text, start)
    return name is not None and name[0] <= start and len(text[:end].rstrip()) <= len(text[:name[1]].rstrip())
