"""OpenDocument texts (.odt, LibreOffice Writer) as reading text: headings, paragraphs, a list's items as the lines
of one paragraph, tables a sentence a cell (index.tables), footnotes after their paragraph; via the standard library."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path

from index.docx_reader import refuse_zip_bomb
from index.errors import DocumentError
from index.markup import join_blocks
from index.tables import table_lines

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


def _q(name: str) -> str:
    """A prefixed name ("text:p") as ElementTree spells it ("{urn:oasis:...:text:1.0}p")."""
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_TEXT_MIMETYPES = frozenset("application/vnd.oasis.opendocument." + kind for kind in ("text", "text-template",
                                                                                     "text-master"))
_OTHER_KINDS = {"spreadsheet": "a spreadsheet (.ods)", "presentation": "a presentation (.odp)",
                "graphics": "a drawing (.odg)", "formula": "a formula (.odf)", "chart": "a chart (.odc)",
                "database": "a database (.odb)", "image": "an image (.odi)"}
_HEADING_STYLE = re.compile(r"^(?:heading(?: \d+)?|title|subtitle)$", re.IGNORECASE)
_BOLD_WEIGHTS = frozenset({"bold", "600", "700", "800", "900"})
MAX_TABLE_CELLS = 2_000_000  # cells a document's tables expand to at most (a repeated cell is a few bytes of XML)

# what is no reading text of the body: comments, the deleted text of tracked changes, generated indexes (a table of
# contents repeats the headings), declarations, a footnote's or a numbered heading's number, ruby annotations
_SKIPPED = frozenset(_q(tag) for tag in (
    "office:annotation", "office:annotation-end", "text:tracked-changes", "text:table-of-content",
    "text:illustration-index", "text:table-index", "text:object-index", "text:user-index", "text:alphabetical-index",
    "text:bibliography", "text:sequence-decls", "text:variable-decls", "text:user-field-decls",
    "text:dde-connection-decls", "office:forms", "text:note-citation", "text:number", "text:ruby-text"))
_LISTS = frozenset(_q(tag) for tag in ("text:list", "text:list-item", "text:list-header", "text:numbered-paragraph"))
_ROW_GROUPS = frozenset(_q(tag) for tag in ("table:table-rows", "table:table-row-group", "table:table-header-rows"))
_H, _P, _SPACE, _TAB, _BREAK, _NOTE = map(_q, ("text:h", "text:p", "text:s", "text:tab", "text:line-break",
                                               "text:note"))
_TABLE, _ROW, _CELL, _COVERED, _HEADER_ROWS = map(_q, ("table:table", "table:table-row", "table:table-cell",
                                                      "table:covered-table-cell", "table:table-header-rows"))
_DRAW = f"{{{_NS['draw']}}}"


def _skipped(element: ET.Element) -> bool:
    """No reading text: a skipped kind of element, or hidden (a hidden section, a field not shown)."""
    return element.tag in _SKIPPED or element.get(_q("text:display")) == "none" or \
        element.get(_q("text:is-hidden")) == "true"


def odt_to_text(path: Path, name: str) -> tuple[str, str | None, tuple[tuple[int, int], ...]]:
    """A .odt file's reading text, its title (meta.xml's dc:title) and the spans of its headings; raises
    DocumentError naming the file (`name`) when it is no readable OpenDocument text."""
    try:
        refuse_zip_bomb(path, name)
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            _check_package(archive, names, name)
            if "content.xml" not in names:
                raise DocumentError(f"{name}: unreadable OpenDocument text (no content.xml in the archive)")
            content = _parse(archive.read("content.xml"), "content.xml", name)
            meta = _parse(archive.read("meta.xml"), "meta.xml", name) if "meta.xml" in names else None
            styles = _parse(archive.read("styles.xml"), "styles.xml", name) if "styles.xml" in names else None
        body = content.find("office:body/office:text", _NS)
        if body is None:
            raise DocumentError(f"{name}: not an OpenDocument text (content.xml holds no office:text body)")
        reader = _Reader(content.find("office:automatic-styles", _NS),
                         styles.find("office:styles", _NS) if styles is not None else None, name)
        text, headings = join_blocks(reader.blocks(body))
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, KeyError, ValueError, OSError, EOFError,
            RuntimeError, RecursionError) as exc:  # RuntimeError: a zip with a password, or compressed unreadably
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DocumentError(f"{name}: unreadable OpenDocument text ({reason})") from None
    title = meta.findtext("office:meta/dc:title", "", _NS) if meta is not None else ""
    return text, " ".join(title.split()) or None, headings


def _check_package(archive: zipfile.ZipFile, names: set[str], name: str) -> None:
    """Refuse another kind of file: its mimetype says another OpenDocument kind, or its manifest an encrypted one."""
    if "mimetype" in names:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        if mimetype not in _TEXT_MIMETYPES:
            kind = _OTHER_KINDS.get(mimetype.rpartition(".")[2].removesuffix("-template"), mimetype or "(empty)")
            raise DocumentError(f"{name}: not an OpenDocument text: it is {kind}")
    elif "[Content_Types].xml" in names:
        raise DocumentError(f"{name}: not an OpenDocument text: it is an Office Open XML file (.docx, .pptx or .xlsx)")
    if "META-INF/manifest.xml" in names:
        manifest = _parse(archive.read("META-INF/manifest.xml"), "META-INF/manifest.xml", name)
        if manifest.find(".//manifest:encryption-data", _NS) is not None:
            raise DocumentError(f"{name}: is a password-protected (encrypted) document; save it without a password "
                                "to read it")


class _RefuseDoctype(ET.TreeBuilder):
    def doctype(self, name, pubid, system):  # an OpenDocument part declares no DTD, so no entities to expand
        raise DocumentError("declares a DTD (entities), which an OpenDocument file never does")


def _parse(data: bytes, member: str, name: str) -> ET.Element:
    """One XML part of the package; a DTD (a billion-laughs entity bomb, say) or malformed XML is a DocumentError."""
    parser = ET.XMLParser(target=_RefuseDoctype())
    try:
        parser.feed(data)
        return parser.close()
    except (ET.ParseError, DocumentError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DocumentError(f"{name}: unreadable OpenDocument text ({member}: {reason})") from None


def _style_table(styles: ET.Element | None) -> dict[str, tuple[str, bool | None]]:
    """A styles element's styles by name: (the parent style's name, whether it makes text bold or None)."""
    table = {}
    for style in styles if styles is not None else ():
        properties = style.find("style:text-properties", _NS)
        weight = properties.get(_q("fo:font-weight")) if properties is not None else None
        table[style.get(_q("style:name"), "")] = (style.get(_q("style:parent-style-name"), ""),
                                                  None if weight is None else weight in _BOLD_WEIGHTS)
    return table


def _decoded(style: str) -> str:
    """A style's name as shown: "Heading_20_1" -> "Heading 1" (ODF spells characters of a name as _XX_)."""
    return re.sub(r"_([0-9A-Fa-f]{2})_", lambda m: chr(int(m.group(1), 16)), style)


class _Reader:
    """Walks office:text in document order into (kind, text) blocks for join_blocks."""

    def __init__(self, automatic: ET.Element | None, named: ET.Element | None, name: str):
        # an automatic style (P1, T1) is its parent, a named style ("Heading 1"), with changes
        self.automatic, self.named = _style_table(automatic), _style_table(named)
        self.name, self.cells_left = name, MAX_TABLE_CELLS

    def _style(self, element: ET.Element) -> tuple[bool, bool | None]:
        """Whether an element's style (or a parent of it) is a Title or Heading style, and whether it makes text
        bold (None: it does not say)."""
        style = element.get(_q("text:style-name"), "")
        table = self.automatic if style in self.automatic else self.named
        names, bold = [], None
        for _ in range(10):  # parents' parents, a loop of them cut short
            if not style:
                break
            names.append(_decoded(style))
            style, own = table.get(style, ("", None))
            bold, table = own if bold is None else bold, self.named
        if bold is None and {"Strong Emphasis", "Table Heading"} & set(names):
            bold = True  # LibreOffice's own bold styles, where styles.xml does not say
        return any(_HEADING_STYLE.match(shown) for shown in names), bold

    def blocks(self, element: ET.Element, in_list: bool = False) -> list[tuple[str, str]]:
        """The blocks of a container (the body, a section, a list, a cell, a footnote's body, a text box)."""
        blocks: list[tuple[str, str]] = []
        for child in element:
            if _skipped(child):
                continue
            if child.tag in (_H, _P):
                heading = child.tag == _H or self._style(child)[0]
                line, after = self._inline(child)
                if line:
                    blocks.append(("heading", " ".join(line.split())) if heading else
                                  ("item" if in_list else "text", line))
                blocks += after
            elif child.tag in _LISTS:
                blocks += self.blocks(child, in_list=True)
            elif child.tag == _TABLE:
                blocks += [("row", line) for line in self._table(child)]
            else:
                blocks += self.blocks(child, in_list)
        return blocks

    def _inline(self, paragraph: ET.Element) -> tuple[str, list[tuple[str, str]]]:
        """A paragraph's text (a line break kept as one) and the blocks read after it: its footnotes, its frames."""
        pieces: list[str] = [paragraph.text or ""]
        after: list[tuple[str, str]] = []
        self._runs(paragraph, pieces, after)
        lines = [" ".join(line.split()) for line in "".join(pieces).split("\n")]
        text = ""
        for line in filter(None, lines):  # a line going on lower-case goes on the sentence ("and\nthen")
            text += ("" if not text else " " if line[:1].islower() else "\n") + line
        return text, after

    def _runs(self, element: ET.Element, pieces: list[str], after: list[tuple[str, str]]) -> None:
        for child in element:
            tag = child.tag
            if tag == _SPACE:
                pieces.append(" " * min(int(child.get(_q("text:c"), "1") or 1), 1000))
            elif tag == _TAB:
                pieces.append(" ")
            elif tag == _BREAK:
                pieces.append("\n")
            elif tag == _NOTE:
                body = child.find("text:note-body", _NS)
                after += self.blocks(body) if body is not None else []
            elif tag.startswith(_DRAW):  # a frame, a shape: its text box read after the paragraph
                after += self.blocks(child)
            elif not _skipped(child):  # a span, a link, a field: its text
                pieces.append(child.text or "")
                self._runs(child, pieces, after)
            pieces.append(child.tail or "")

    def _table(self, table: ET.Element) -> list[str]:
        """A table's rows as reading lines; its first row is a header in table:table-header-rows or when bold."""
        rows: list[tuple[ET.Element, bool]] = []
        self._rows(table, rows, False)
        above: dict[int, list] = {}  # a column's cell spanning rows down: [its text, rows still covered]
        kept = [(cells, header, row) for row, header in rows if any(cells := self._cells(row, above))]
        if not kept:
            return []
        header = kept[0][1] or self._bold(kept[0][2])
        return table_lines([cells for cells, _, _ in kept], header=len(kept) > 1 and header)

    def _rows(self, element: ET.Element, rows: list[tuple[ET.Element, bool]], header: bool) -> None:
        for child in element:
            if child.tag == _ROW:
                repeat = min(int(child.get(_q("table:number-rows-repeated"), "1") or 1), 1000)
                rows += [(child, header)] * repeat
            elif child.tag in _ROW_GROUPS:
                self._rows(child, rows, header or child.tag == _HEADER_ROWS)

    def _cells(self, row: ET.Element, above: dict[int, list]) -> list[str]:
        """A row's cells' text. A cell covered by a merge is left out where the merge spans columns and says the
        merged cell again where it spans rows (the row keeps its label, its cells their columns); a repeated cell
        is repeated, but not trailing empty ones (LibreOffice may repeat one a thousand times)."""
        cells: list[str] = []
        empty = column = 0
        for cell in row:
            width = max(int(cell.get(_q("table:number-columns-repeated"), "1") or 1), 1)
            column, at, repeat = column + width, column, width
            if cell.tag == _CELL:
                text = " ".join(" ".join(block.split()) for _, block in self.blocks(cell))
                spanned = int(cell.get(_q("table:number-rows-spanned"), "1") or 1)
                if spanned > 1:
                    above[at] = [text, spanned - 1]
            elif cell.tag == _COVERED and above.get(at, ["", 0])[1] > 0:
                text, repeat = above[at][0], 1
                above[at][1] -= 1
            else:
                continue
            if not text:
                empty += repeat
                continue
            self.cells_left -= empty + repeat
            if self.cells_left < 0:
                raise DocumentError(f"{self.name}: too many table cells to read (more than {MAX_TABLE_CELLS:,})")
            cells += [""] * empty + [text] * repeat
            empty = 0
        return cells

    def _bold(self, row: ET.Element) -> bool:
        """Whether every piece of text in a row is bold (a paragraph's or a span's automatic style, Strong
        Emphasis, the Table Heading paragraph style)."""
        flags: list[bool] = []
        self._weights(row, False, flags)
        return bool(flags) and all(flags)

    def _weights(self, element: ET.Element, bold: bool, flags: list[bool]) -> None:
        if _skipped(element):
            return
        own = self._style(element)[1]
        bold = bold if own is None else own
        if (element.text or "").strip():
            flags.append(bold)
        for child in element:
            self._weights(child, bold, flags)
            if (child.tail or "").strip():
                flags.append(bold)
