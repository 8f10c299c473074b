"""Tables as reading text: each cell said with its row's label and its column's name (pure functions).

The reader learned from prose and cannot tell the columns of a flattened row ("Saturday 8:00 a.m. 6:00 p.m.")
apart: "When does the pool close on Sunday?" was answered with Sunday's opening time, "How much does a child swim
cost?" with the adult price. Under a header row each cell becomes a short sentence on a line of its own, "Saturday
opens 8:00 a.m." and "Saturday closes 6:00 p.m.", which it reads right (session 24; 6 of 7 questions against 0-4
for the other layouts).
"""

from __future__ import annotations

import re

_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$")
_INLINE_MARKUP = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


# names that keep their capital inside a sentence: "Kelderby saturday 08:30." read as a column of no day
_PROPER = re.compile(r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|january|february|march|april|may|june|july|"
                     r"august|september|october|november|december|i)\b", re.I)


def column_name(name: str) -> str:
    """A column's header as said inside a sentence: "Opens" -> "opens", "Price (£)" -> "price (£)"; "VAT" and a day's
    or a month's name ("Saturday") stay."""
    return name[:1].lower() + name[1:] if name[1:2].islower() and not _PROPER.match(name) else name


# a column's name that says nothing of its cells: a two-column table of "Feature | Value" is said "Weight: 68 kg."
_GENERIC_NAMES = frozenset("""value values detail details description info information data spec specs
specification specifications setting settings answer note notes comment comments remarks""".split())


# a column's name ending in its currency, "Price (£)": a number under it is said as a sum, "price £49.00"
_CURRENCY_NAME = re.compile(r"^(.*?)\s*\(\s*([£$€¥])\s*\)$")
_BARE_NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


def _cell_opening(label: str, first_name: str, name: str, value: str = "") -> str:
    """What a cell's sentence says before its value, with the space before it: the row's label (else the first
    column's name) and the column's; the label and a colon where the column's name is a generic one ("Value"); the
    column's currency just before a number ("Olive tree price £49.00.")."""
    if name.strip().lower() in _GENERIC_NAMES and (label or first_name):
        return f"{label or first_name}: "
    currency = _CURRENCY_NAME.match(name.strip())
    if currency and currency[1] and _BARE_NUMBER.match(value):
        return " ".join(part for part in (label or first_name, column_name(currency[1])) if part) + " " + currency[2]
    return " ".join(part for part in (label or first_name, column_name(name)) if part) + " "


def _ended(text: str) -> bool:
    return text.endswith((".", "!", "?"))


def row_text(names: list[str], row: list[str]) -> str:
    """One body row under a header row: a sentence a cell, a line each ("Saturday opens 8:00 a.m.\nSaturday closes
    6:00 p.m."); the first cell is the row's label; a row with no label says the first column's name instead."""
    label = row[0] if row else ""
    said = [f"{_cell_opening(label, names[0], name, value)}{value}".strip() for name, value in zip(names[1:], row[1:])
            if value]
    # a line a cell: a lower-case label ("units") starts no sentence after "."
    return "\n".join(sentence if _ended(sentence) else sentence + "." for sentence in said) or label


def table_lines(rows: list[list[str]], header: bool) -> list[str]:
    """A table's rows as lines of reading text; without a header row (or with one column) the cells are joined."""
    if not rows or not header or len(rows[0]) < 2:
        return [" ".join(cell for cell in row if cell) for row in rows if any(row)]
    names = rows[0]
    return [line for line in (row_text(names, row) for row in rows[1:]) if line]


_DIGIT = re.compile(r"\d")
_VALUE = re.compile(r"^[-+(]?[£$€]?\d[\d,.:]*\s*%?\)?(?:am|pm)?$", re.I)  # "2026", "£1,250.00", "9:30am"
_HEADER_WORDS = 8  # a column's name is a few words ("What to do", "Support (share of your own pedalling effort)")


def looks_like_header(rows: list[list[str]]) -> bool:
    """Whether a table's first row names its columns where nothing marks it (no bold, no header cells): every cell
    filled with a few words ("Maximum in 24 hours"), none a number or a sentence, and a column's name over values
    (three columns or more, or a digit in half the rows below: "Day | Hours" over "Saturday | 9.00am to 12.30pm"; not
    "Priya Sandhu | Head nurse" over "Tom Reddy | Secretary", a table of names without one)."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return False
    first, body = rows[0], rows[1:]
    if not all(cell and len(cell.split()) <= _HEADER_WORDS and not _VALUE.match(cell) and not _ended(cell)
               and ": " not in cell for cell in first):  # "Landlord: Graham Pellow" is a field, not a name
        return False
    valued = sum(1 for row in body if any(_DIGIT.search(cell) for cell in row[1:]))
    return len(first) >= 3 or 2 * valued >= len(body)


def markdown_row_edits(line: str, names: list[str]) -> list[tuple[int, int, str]]:
    """A pipe-table body row's text as row_text says it, as (start, end, replacement) edits of the line that keep
    each value cell's characters where they are (an answer in a cell maps back to the cell)."""
    return row_edits(line, names, _cell_spans(line), markdown_cells(line) or [])


def row_edits(line: str, names: list[str], spans: list[tuple[int, int]],
              cells: list[str]) -> list[tuple[int, int, str]]:
    """A table's body row, its cells at `spans` of the line reading `cells`, as row_text says it: (start, end,
    replacement) edits of the line that keep each value cell's characters where they are."""
    label = cells[0] if cells else ""
    edits, position, last = [], 0, ""
    for (start, end), name, value in zip(spans[1:], names[1:], cells[1:]):
        if not value:
            continue
        stop = "" if not last else "\n" if _ended(last) else ".\n"
        head = f"{stop}{_cell_opening(label, names[0], name, value)}"
        lead = start + len(line[start:end]) - len(line[start:end].lstrip())
        if line[lead:lead + len(value)] == value:  # copied as it stands
            edits.append((position, lead, head))
            position = lead + len(value)
        else:
            edits.append((position, end, head + value))
            position = end
        last = value
    if not edits:
        return [(0, len(line), label)]
    return edits + [(position, len(line), "" if _ended(last) else ".")]


def _cell_spans(line: str) -> list[tuple[int, int]]:
    bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
    first = line.index("|") if line.lstrip().startswith("|") else -1
    edges = ([first] if first >= 0 else [-1]) + [b for b in bounds if b != first]
    if edges[-1] != len(line.rstrip()) - 1 or line.rstrip().endswith("\\|"):
        edges.append(len(line))
    return [(a + 1, b) for a, b in zip(edges, edges[1:])]


def markdown_cells(line: str) -> list[str] | None:
    """The cells of a Markdown pipe-table row ("| Adult swim | £5.20 |"), inline markup removed; None if the line
    is no table row."""
    if "|" not in line:
        return None
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    cells = re.split(r"(?<!\\)\|", inner)
    return [" ".join(_INLINE_MARKUP.sub("", _LINK.sub(r"\1", cell.replace("\\|", "|"))).split()) for cell in cells]


def is_delimiter_row(line: str) -> bool:
    """Whether a line is a pipe table's header delimiter ("|---|:--:|")."""
    return bool(_DELIMITER_ROW.match(line))
