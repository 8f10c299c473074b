"""A PDF page's laid-out text (pypdf's layout mode) as plain lines: tables as sentences, numbered rules whole (pure).

pypdf's plain extraction gives each table cell and each list number a line of its own ("Full plot (250 square
metres)\\n£68 a year\\n£34 a year", "7\\nBonfires are only allowed ..."), so a row's values lose their columns and
the numbers read as headings. Its layout mode keeps a printed line on one line, with the columns apart: here a run of
aligned lines holding columns becomes a table (index.tables: "Full plot (250 square metres) concession rent £34 a
year."), a number or bullet before an indented text becomes a list item ("7. Bonfires are only allowed ..."), and
every other line is its words, one space apart.
"""

from __future__ import annotations

import re

from index.tables import looks_like_header, table_lines

_CELL = re.compile(r"\S+(?: {1,2}\S+)*")  # words at most two spaces apart: a wider gap parts two columns
_ITEM = re.compile(r"^( *)(\d{1,3}[.)]?|[•▪◦·●■*–-])( {2,}|\t)(?=\S)")
_ALIGN = 2  # how far (in characters) a cell may start from its column's start
# text set in two columns reads as a "table" of long cells: such a page is read as pypdf reads it by default
_PROSE_CELL = 40


def page_lines(layout: str) -> list[str] | None:
    """A page's lines as reading lines, a blank line around each table row (a row is a block of its own, as a Word or
    HTML table's, index.tables) and none between paragraphs; None where the page is set in columns of prose (read it
    the plain way instead)."""
    lines = [line.rstrip() for line in layout.split("\n")]
    out: list[str] = []
    i = 0
    while i < len(lines):
        table, stop = _table_at(lines, i)
        if table is not None:
            if _prose_columns(table):
                return None
            rows = _merged(table)
            header = looks_like_header(rows)
            # a row of cells without column names is a line of its own (not a heading, not joined to the next)
            out += [""] + [x for line in table_lines(rows, header)
                           for x in (line if header or line.endswith((".", "!", "?", ":")) else line + ".", "")]
            i = stop
            continue
        if not lines[i].strip():  # the space between paragraphs: a section's lines stay one block, as the plain
            i += 1                # reading gives them (the reader reads a line of a block again alone)
            continue
        item = _ITEM.match(lines[i])
        if item:
            text, i = _item(lines, i, item)
            out.append(text)
            continue
        out.append(" ".join(_CELL.findall(lines[i])))
        i += 1
    return out


def _spans(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _CELL.finditer(line)]


def _table_at(lines: list[str], i: int) -> tuple[list[list[tuple[int, str]]] | None, int]:
    """The table starting at line i, as its lines' spans (blank lines between rows skipped), and the line after it;
    None where fewer than two lines there hold two aligned columns or more."""
    first = _spans(lines[i])
    if len(first) < 2 or _ITEM.match(lines[i]):
        return None, i
    columns = [start for start, _ in first]
    rows, j, last = [first], i + 1, i + 1
    while j < len(lines):
        spans = _spans(lines[j])
        if not spans:
            j += 1
            continue
        if not all(any(abs(start - c) <= _ALIGN for c in columns) for start, _ in spans) or \
                len(spans) == 1 and spans[0][0] <= columns[0] + _ALIGN and len(columns) > 1 and \
                not spans[0][1][:1].islower():
            break  # a line of prose under the table (one cell at the left, not a wrapped label)
        rows.append(spans)
        j += 1
        last = j
    full = sum(1 for spans in rows if len(spans) >= 2)
    return (rows, last) if full >= 2 else (None, i)


def _merged(table: list[list[tuple[int, str]]]) -> list[list[str]]:
    """The table's rows as cells: a line whose first column is empty, or whose label goes on in lower case
    ("charge" under "Range on a full"), adds its words to the row above."""
    columns = [start for start, _ in table[0]]
    rows: list[list[str]] = []
    lower_labels = False
    for spans in table:
        cells = [""] * len(columns)
        for start, text in spans:
            k = min(range(len(columns)), key=lambda c: abs(columns[c] - start))
            cells[k] = f"{cells[k]} {text}".strip()
        goes_on = rows and (not cells[0] or cells[0][:1].islower() and not lower_labels)
        if goes_on:
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
        else:
            lower_labels = lower_labels or bool(rows) and cells[0][:1].islower()
            rows.append(cells)
    return rows


def _prose_columns(table: list[list[tuple[int, str]]]) -> bool:
    """Whether a "table" is two columns of running text: its left cells are long lines."""
    left = sorted(len(spans[0][1]) for spans in table if len(spans) >= 2)
    return bool(left) and left[len(left) // 2] > _PROSE_CELL


def _item(lines: list[str], i: int, item: re.Match) -> tuple[str, int]:
    """A list item at line i, with its indented lines after it, as one line ("7. Bonfires ..."), and the line
    after it."""
    mark = item.group(2)
    indent = item.end()
    words = [" ".join(_CELL.findall(lines[i][indent:]))]
    j = i + 1
    while j < len(lines) and lines[j].strip() and len(lines[j]) - len(lines[j].lstrip()) >= indent - _ALIGN \
            and not _ITEM.match(lines[j]):
        words.append(" ".join(_CELL.findall(lines[j])))
        j += 1
    number = mark.rstrip(".)")
    prefix = f"{number}. " if number.isdigit() else "- "
    return prefix + " ".join(words), j


def without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """The pages without the lines printed at the top or the bottom of every page (a running title, a browser's
    date and address, "Page 2 of 3"): a first or last line that, digits aside, is the same on every page."""
    if len(pages) < 2:
        return pages

    def edge(lines: list[str], at: int) -> str | None:
        kept = [line for line in lines if line.strip()]
        return re.sub(r"\d+", "#", kept[at].strip()) if kept else None

    running = {at for at in (0, -1) if len({edge(lines, at) for lines in pages}) == 1 and edge(pages[0], at)}
    out = []
    for lines in pages:
        kept = [k for k, line in enumerate(lines) if line.strip()]
        drop = {kept[at] for at in running if kept}
        out.append([line for k, line in enumerate(lines) if k not in drop])
    return out
