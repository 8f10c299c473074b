"""Tables laid out with spaces in plain text ("Item      Who pays    Per month" over "Council tax   Landlord
Included"), read a sentence a cell as index.tables says a table's rows (pure functions)."""

from __future__ import annotations

import re

from index.tables import looks_like_header, row_edits

_CELL = re.compile(r"\S+(?: \S+)*")  # a cell: words apart by single spaces; two spaces or more part cells
_DASHES = re.compile(r"[ \t]*-{3,}(?:[ \t]{2,}-{3,})+[ \t]*$")  # "--------  --------": the rule under a header


def _cells(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _CELL.finditer(line)]


def _aligned(cells: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether a line's cells each start where a column starts (within a character), the first in the first."""
    return len(cells) >= 2 and cells[0][0] <= starts[0] + 1 and \
        all(any(abs(a - s) <= 1 for s in starts) for a, _ in cells)


def aligned_rows(text: str, lines: list[tuple[int, int, bool]]) -> dict[int, list[tuple[int, int, str]]]:
    """The edits that make each line of an aligned table (lines given as (start, end, blank line before)) read as
    index.tables says its row, by the line's index: the header and the rule of dashes under it read as nothing, a
    body row as its cells with the row's label and the column's name, values kept where they stand. A table is a
    header of two columns or more that names columns (index.tables.looks_like_header) and at least two rows whose
    cells start where its columns do, a rule of dashes between them or not."""
    found: dict[int, list[tuple[int, int, str]]] = {}
    i = 0
    while i < len(lines):
        head = text[lines[i][0]:lines[i][1]]
        starts = [a for a, _ in _cells(head)]
        j = i + 1
        rule = j < len(lines) and not lines[j][2] and _DASHES.match(text[lines[j][0]:lines[j][1]])
        j += bool(rule)
        body = []
        while j < len(lines) and not lines[j][2] and len(starts) >= 2 and \
                _aligned(_cells(text[lines[j][0]:lines[j][1]]), starts):
            body.append(j)
            j += 1
        names = [head[a:b] for a, b in _cells(head)]
        rows = [_by_column(text[lines[k][0]:lines[k][1]], starts) for k in body]
        if len(body) < 2 or not looks_like_header([names] + [[c for c, _ in row] for row in rows]):
            i += 1
            continue
        for k in [i] + ([i + 1] if rule else []):
            found[k] = [(0, lines[k][1] - lines[k][0], "")]
        for k, row in zip(body, rows):
            found[k] = row_edits(text[lines[k][0]:lines[k][1]], names, [span for _, span in row],
                                 [cell for cell, _ in row])
        i = j
    return found


def _by_column(line: str, starts: list[int]) -> list[tuple[str, tuple[int, int]]]:
    """A row's cells in the columns that start at `starts`, an empty one where the row has none: (text, span)."""
    cells = _cells(line)
    out = []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(line) + 1
        mine = [(a, b) for a, b in cells if start - 1 <= a < stop - 1]
        span = (mine[0][0], mine[-1][1]) if mine else (min(start, len(line)), min(start, len(line)))
        out.append((" ".join(line[span[0]:span[1]].split()), span))
    return out
