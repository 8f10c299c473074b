"""Word documents (.docx) as reading text: paragraphs in order, Heading/Title styles as headings, a list's items as
the lines of one paragraph, tables a sentence a cell (index.tables), via python-docx."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from index.errors import DocumentError
from index.markup import join_blocks
from index.tables import looks_like_header, table_lines

MAX_UNZIPPED_BYTES = 256 * 2**20  # a .docx or .pptx is a zip: refuse one that would inflate past this (a zip bomb)
_HEADING_STYLE = re.compile(r"^(?:heading \d|title|subtitle)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list", re.IGNORECASE)


def docx_to_text(path: Path, name: str) -> tuple[str, tuple[tuple[int, int], ...], str | None]:
    """A .docx file's reading text, the spans of its headings and its title (document properties); raises
    DocumentError naming the file (`name`) when it is no readable Word document."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        refuse_zip_bomb(path, name)
        document = docx.Document(str(path))
        blocks: list[tuple[str, str]] = []  # (kind, text): heading, text, item or row
        for part in document.iter_inner_content():
            if isinstance(part, Table):
                blocks += [("row", line) for line in _table(part)]
                continue
            text = " ".join(part.text.split())
            style = part.style.name if part.style is not None else ""
            kind = "heading" if _HEADING_STYLE.match(style) else "item" if _LIST_STYLE.match(style) or \
                part._p.pPr is not None and part._p.pPr.numPr is not None else "text"
            if text:
                blocks.append((kind, text))
        title = (document.core_properties.title or "").strip() or None
    except DocumentError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, AttributeError, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DocumentError(f"{name}: unreadable Word document ({reason})") from None
    return (*join_blocks(blocks), title)


def refuse_zip_bomb(path: Path, name: str) -> None:
    """Raise DocumentError where an Office file (a zip archive) would unpack to more than MAX_UNZIPPED_BYTES;
    zipfile.BadZipFile where it is no zip archive."""
    with zipfile.ZipFile(path) as archive:
        inflated = sum(info.file_size for info in archive.infolist())
    if inflated > MAX_UNZIPPED_BYTES:
        raise DocumentError(f"{name}: unpacks to {inflated / 2**20:.0f} MB; the limit is "
                            f"{MAX_UNZIPPED_BYTES / 2**20:.0f} MB")


def _table(table) -> list[str]:
    """A Word table's rows (a merged cell repeats in python-docx: said once); its first row is a header when Word
    marks it as one, every cell of it is bold, or it reads as one (index.tables.looks_like_header)."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
        rows.append(cells)
    if not rows:
        return []
    first = table.rows[0]
    marked = first._tr.trPr is not None and first._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    runs = [run for cell in first.cells for p in cell.paragraphs for run in p.runs if run.text.strip()]
    bold = bool(runs) and all(run.bold for run in runs)
    return table_lines(rows, header=len(rows) > 1 and (marked or bold) or looks_like_header(rows))

