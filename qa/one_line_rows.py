"""A two-column table's rows, each a one-line paragraph ("Saturday hours 9am to 2pm.\n\nSunday hours Closed.",
index.tables), read as rows: their label, the column's name they all say, and their value (pure functions)."""

from __future__ import annotations

import re

from qa.text import STOPWORDS

_LABEL_WORDS = 8  # a one-line row's label is short: "Monday to Friday", "Family ticket (2 adults, 2 children)"
_ROW_LINE = re.compile(r"(?!.*\.\s+[A-Z])[^\n]*\.$")  # one sentence on one line, ended by its full stop
_ROW_WORDS = 16


def one_line_rows(text: str, blocks: list) -> list:
    """The blocks with each run of two or more one-line paragraphs that say one column's name after a label
    (index.tables's two-column table: "Saturday hours 9am to 2pm.\n\nSunday hours Closed.") read as rows, the
    words before the column's name their label."""
    lines = [text[a:b].lower().split() if said is None and _ROW_LINE.match(text, a, b) else None
             for a, b, said, _ in blocks]
    out, i = list(blocks), 0
    while i < len(blocks):
        j, column = i + 1, None  # the longest run from i whose lines all say a column's name
        while j < len(blocks) and lines[i] and lines[j] and (found := _column_word(lines[i:j + 1])):
            j, column = j + 1, found
        for k in range(i, j if column else i):
            out[k] = (blocks[k][0], blocks[k][1], lines[k], lines[k].index(column, 1))
        i = j
    return out


def _column_word(said: list[list[str]]) -> str | None:
    """The word opening the column's name every line says after a label of one to _LABEL_WORDS words and before a
    value ("annual" of "5 to 9 years annual leave (days) 28.", where "years" is said too but not followed alike),
    or None."""
    def followed(word: str) -> int:  # how many words after it every line says alike
        after = [line[line.index(word, 1):] for line in said]
        alike = _alike(after)
        return min(map(len, after)) if alike is None else alike

    found = [word for word in said[0][1:_LABEL_WORDS + 1] if word.isalpha() and word not in STOPWORDS and all(
        len(line) <= _ROW_WORDS and ": " not in " ".join(line) and word in line[1:_LABEL_WORDS + 1] and
        line[-1] != word and set(line[:line.index(word, 1)]) - STOPWORDS - {"please"} for line in said)]
    return max(found, key=followed, default=None)


def _alike(said: list[list[str]]) -> int | None:
    """How many opening words every list says alike, None where they all say the shortest's words."""
    return next((n for n in range(min(map(len, said))) if len({tuple(words[:n + 1]) for words in said}) > 1), None)


def value_of(text: str, row: tuple, rows: list) -> tuple[int, int]:
    """A row's (start, end); a one-line row's value alone ("Closed" of "Sunday hours Closed."): its label and the
    column's name every row says are no answer to a question naming the row."""
    start, end, _, label = row
    if "\n" in text[start:end]:
        return start, end
    column = _alike([r[2][r[3]:] for r in rows]) or 0
    words = list(re.finditer(r"\S+", text[start:end]))
    return (start + words[label + column].start(), end) if label + column < len(words) else (start, end)
