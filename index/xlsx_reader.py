"""Excel workbooks (.xlsx) read as reading text: each visible sheet a table, as a CSV file is, its cells as shown."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from index.csv_reader import rows_to_text
from index.errors import DocumentError
from index.markup import join_blocks

MAX_CELLS = 2_000_000  # a workbook's cells read at most: a small file can unpack to millions of empty cells
_DEFAULT_SHEET = re.compile(r"^(?:sheet|feuil|tabelle|hoja|foglio)\s*\d*$", re.IGNORECASE)
# a currency symbol: Excel's "[$€-407]" locale code, a quoted "£", or a bare symbol
_CURRENCY = re.compile(r"\[\$([^-\]]+)|\"([£$€¥])\"|([£$€¥])")
_DECIMALS = re.compile(r"\.(0+)")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]')  # literal text and [colour]/[locale] codes in a number format


def _number(value: float, number_format: str) -> str:
    """A number as its cell's format shows it, for the formats a user picks: decimals, thousands, %, a currency."""
    section = number_format.split(";")[0]
    symbol = _CURRENCY.search(section)
    bare = _QUOTED.sub("", section)
    if "%" in bare:
        value *= 100
    places = _DECIMALS.search(bare)
    if places or "0" in bare:  # rounded half up, as a spreadsheet shows it (not to the even digit)
        exponent = Decimal(1).scaleb(-len(places.group(1))) if places else Decimal(1)
        text = f"{Decimal(repr(value)).quantize(exponent, ROUND_HALF_UP):,}"
        text = text if "," in bare else text.replace(",", "")
    elif float(value).is_integer():
        text = str(int(value))
    else:
        text = format(value, ".10g")
    if "%" in bare:
        text += "%"
    if symbol:
        sign = next(part for part in symbol.groups() if part)
        text = f"-{sign}{text[1:]}" if text.startswith("-") else sign + text
    return text


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def cell_text(value, number_format: str = "General") -> str:
    """A cell's value as the sheet shows it: dates as "12 April 2027", times as "14:30", numbers by their format;
    whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) or not re.search(r"[hs]", number_format, re.IGNORECASE):
            return _date(value)
        if value.date() == dt.date(1899, 12, 30) or not re.search(r"[dy]", number_format, re.IGNORECASE):
            return f"{value:%H:%M}"
        return f"{_date(value)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return _date(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    if isinstance(value, (int, float)):
        return _number(value, number_format or "General")
    return " ".join(str(value).split())


def _sheet_rows(sheet, budget: list[int], name: str) -> list[list[str]]:
    """A sheet's rows of shown cells, empty rows and the columns empty in every row left out."""
    rows = []
    for row in sheet.iter_rows():
        budget[0] -= len(row)
        if budget[0] < 0:
            raise DocumentError(f"{name}: too many cells to read (more than {MAX_CELLS:,}); save the sheets that "
                                "hold the text as their own workbook or as CSV")
        cells = [cell_text(cell.value, getattr(cell, "number_format", "General")) for cell in row]
        if any(cells):
            rows.append(cells)
    used = sorted({i for row in rows for i, cell in enumerate(row) if cell})
    return [[row[i] if i < len(row) else "" for i in used] for row in rows]


def xlsx_to_text(path: Path, name: str) -> tuple[str, str | None, tuple[tuple[int, int], ...]]:
    """A workbook's reading text, its title (the file's title property or the first sheet's title row) and its
    headings (each sheet's name, where it has more than one sheet with text and the name is not "Sheet1", and the
    title rows above a sheet's table).

    Formulas read as the values Excel saved with them (a workbook never opened in a spreadsheet program has none)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise DocumentError(f"{name}: not a readable Excel workbook (not a zip archive: an older .xls file or a "
                            "password-protected workbook must be saved as a plain .xlsx first)") from None
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DocumentError(f"{name}: not a readable Excel workbook ({reason})") from None
    try:
        budget, sheets = [MAX_CELLS], []
        for sheet in book.worksheets:
            if sheet.sheet_state == "visible":
                rows = _sheet_rows(sheet, budget, name)
                if rows:
                    sheets.append((sheet.title, rows))
        title = " ".join((book.properties.title or "").split()) or None
    finally:
        book.close()
    blocks: list[tuple[str, str]] = []
    for sheet_name, rows in sheets:
        titles, lines = rows_to_text(rows)
        title = title or (titles[0] if titles else None)
        if len(sheets) > 1 and not _DEFAULT_SHEET.match(sheet_name.strip()):
            blocks.append(("heading", sheet_name.strip()))
        blocks.extend([("heading", line) for line in titles] + [("text", line) for line in lines])
    text, headings = join_blocks(blocks)
    return text, title, headings
