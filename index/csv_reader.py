"""Spreadsheets saved as CSV or tab-separated text, read as reading text: under a header row, a sentence a cell."""

from __future__ import annotations

import csv
import io
import re

from index.errors import DocumentError
from index.markup import join_blocks
from index.tables import table_lines

# a cell that reads as a number ("2026", "£1,250.00", "-5%", "(3.1)"): such a first row holds values, not names
_NUMBER = re.compile(r"^[-+(]?[£$€]?\d[\d,.]*%?\)?$")
_SNIFFED, _SAMPLED_ROWS = 64 * 1024, 50  # how much of the file the delimiter is chosen from


def _delimiter(text: str, tab: bool) -> str:
    """The file's delimiter: of comma, semicolon, tab and bar, the one that splits the most of its first rows into
    the same number of cells, two or more (a comma first where they tie); a .tsv's is a tab."""
    if tab:
        return "\t"
    sample = text[:_SNIFFED]
    best, chosen = 0, ","
    for delimiter in ",;\t|":
        try:
            counts = [len(row) for row, _ in zip(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter),
                                                 range(_SAMPLED_ROWS)) if len(row) > 1]
        except csv.Error:
            continue
        agreeing = max((counts.count(n) for n in set(counts)), default=0)
        if agreeing > best:
            best, chosen = agreeing, delimiter
    return chosen


def csv_rows(text: str, name: str, tab: bool = False) -> list[list[str]]:
    """The rows of a CSV file's text, each cell's whitespace collapsed, empty rows left out; DocumentError naming
    the file and line when it cannot be parsed."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, tab))
    rows = []
    try:
        for row in reader:
            cells = [" ".join(cell.split()) for cell in row]
            if any(cells):
                rows.append(cells)
    except csv.Error as exc:
        raise DocumentError(f"{name}: not a readable CSV file (line {reader.line_num}: {exc})") from None
    return rows


def is_header(row: list[str], body: list[list[str]]) -> bool:
    """Whether a table's first row names its columns: every cell filled, none a number, rows below it."""
    return bool(body) and len(row) > 1 and all(cell and not _NUMBER.match(cell) for cell in row)


def rows_to_text(rows: list[list[str]]) -> tuple[list[str], list[str]]:
    """A spreadsheet's title rows (the lines of one cell above its table) and its rows as lines of reading text.

    Under a header row each cell is said with its row's label and its column's name ("Olive tree price £49.00."),
    as a table in a web page is (index.tables). A row longer than the header keeps its extra cells, said with the
    row's label."""
    lead = 0
    while lead < len(rows) and sum(1 for cell in rows[lead] if cell) < 2:  # title lines above the table
        lead += 1
    titles = [" ".join(cell for cell in row if cell) for row in rows[:lead]]
    table = rows[lead:]
    header = bool(table) and is_header(table[0], table[1:])
    width = max((len(row) for row in table), default=0)
    lines = table_lines([row + [""] * (width - len(row)) for row in table], header)
    return titles, lines


def csv_to_text(text: str, name: str, tab: bool = False) -> tuple[str, str | None, tuple[tuple[int, int], ...]]:
    """A CSV file's reading text (a row a paragraph, rows_to_text), its title if a title row gives one, and the
    spans of its title rows, which are headings (what the table is about, never an answer)."""
    rows = csv_rows(text, name, tab)
    if not rows:
        raise DocumentError(f"{name}: contains no text")
    titles, lines = rows_to_text(rows)
    reading, headings = join_blocks([("heading", line) for line in titles] + [("text", line) for line in lines])
    return reading, titles[0] if titles else None, headings
