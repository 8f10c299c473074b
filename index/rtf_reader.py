"""Rich Text Format documents (.rtf: TextEdit, WordPad, Word) as reading text: headings, paragraphs, a list's items
as the lines of one paragraph, tables a sentence a cell (index.tables), footnotes after their paragraph; via a small
tokenizer of RTF's grammar (standard library only)."""

from __future__ import annotations

import codecs
import copy
import re
from pathlib import Path

from index.errors import DocumentError
from index.markup import HEADING_WORDS, join_blocks
from index.tables import table_lines

MAX_DEPTH = 1000  # groups nested deeper than this: a damaged or hostile file (100,000 "{"), not a document

# a control word and its parameter (one space after it is its delimiter), a byte \'hh, a control symbol, a brace,
# text; CR and LF are no text in RTF; a backslash at the very end, or before a quote and no hex, reads as nothing
_TOKEN = re.compile(r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|([{}])|([^\\{}\r\n]+)"
                    r"|[\r\n]+|\\'?", re.DOTALL)
_WORD, _PARAM, _HEX, _SYMBOL, _BRACE, _TEXT = range(1, 7)

# destinations whose text is no reading text (tables of fonts and colours, pictures, headers and footers, comments,
# bookmarks, a field's instruction, index entries, old-style list numbering, text for readers of no nested tables)
_SKIPPED = frozenset("""colortbl listtable listoverridetable rsidtbl generator pict object header headerl headerr
headerf footer footerl footerr footerf themedata colorschememapping datastore latentstyles xmlnstbl bkmkstart bkmkend
annotation atnid atnauthor atndate atnref atnicn atnparent atrfstart atrfend pn pntxta pntxtb ftnsep ftnsepc aftnsep
aftnsepc ftncn aftncn nonshppict shpinst nonesttables nesttableprops revtbl filetbl pgdsctbl xe tc txe rxe template
userprops docvar fchars lchars falt panose fontemb fontfile listpicture objdata""".split())
_CHARACTERS = {"tab": " ", "line": "\n", "emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018",
               "rquote": "\u2019", "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022", "emspace": " ",
               "enspace": " ", "qmspace": " ", "~": " ", "-": "", "_": "-", "{": "{", "}": "}", "\\": "\\"}
_BREAKS = frozenset({"par", "sect", "page", "column", "\n", "\r"})  # a backslash before a line end is a \par
_FLAGS = {"b": "bold", "v": "hidden", "deleted": "deleted", "intbl": "intbl"}
# a font's \fcharsetN: the code page its \'hh bytes are in (0, 1 and 2, Western, default and symbol: the document's)
_CHARSETS = {77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab", 134: "cp936", 136: "cp950", 161: "cp1253",
             162: "cp1254", 163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874",
             238: "cp1250", 254: "cp437"}
_CODE_PAGES = {"mac": "mac_roman", "pc": "cp437", "pca": "cp850"}
# the control words _Reader._word acts on; the others (most of a Word file's: \rtlch, \insrsid, \fs22) are passed by
_HANDLED = frozenset(_CHARACTERS) | _BREAKS | _SKIPPED | set(_FLAGS) | set(_CODE_PAGES) | frozenset("""u plain pard f
s cs ds ts outlinelevel uc ls itap cell nestcell row trowd trhdr clmrg clvmgf clvmrg cellx listtext pntext footnote
fldinst fldrslt fonttbl stylesheet info title fcharset cpg ansicpg deff""".split())
_HEADING_STYLE = re.compile(r"^(?:heading [1-9]|title|subtitle)$", re.IGNORECASE)
# a list item's number, kept ("1.", "2.3", "a)", "iv."); a bullet ("•", "·", Word's "o" and Wingdings "§") is not
_NUMBERED = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*[.):]?|[A-Za-z]{1,5}[.)])$")
_TOC_FIELDS = frozenset({"TOC", "INDEX", "TOA"})  # fields whose result repeats the document's headings or words
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def rtf_to_text(path: Path, shown: str) -> tuple[str, str | None, tuple[tuple[int, int], ...]]:
    """An .rtf file's reading text, its title ({\\info{\\title}}) and the spans of its headings; raises DocumentError
    naming the file (`shown`) when it is no readable RTF document."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DocumentError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    if not data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        kind = " (it is a zip archive: a .docx or .odt file renamed?)" if data[:2] == b"PK" else ""
        raise DocumentError(f"{shown}: not an RTF document (it does not start with {{\\rtf){kind}")
    reader = _Reader(shown)
    reader.read(data.decode("latin-1"))  # RTF is 7-bit: a raw 8-bit byte is decoded in its code page as it is met
    text, headings = join_blocks(reader.blocks)
    return text, " ".join(_paired("".join(reader.title)).split()) or None, headings


def _code_page(number: int) -> str | None:
    """The codec of a Windows code page number (\\ansicpg1252, \\cpg1251), None where Python has none."""
    try:
        return codecs.lookup("mac_roman" if number == 10000 else f"cp{number}").name
    except LookupError:
        return None


def _paired(text: str) -> str:
    """Text with its UTF-16 surrogate pairs (\\u-10179\\u-8694, an emoji) joined and any lone half dropped."""
    if not _SURROGATE.search(text):
        return text
    text = _SURROGATE_PAIR.sub(lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text)
    return _SURROGATE.sub("", text)


class _State:
    """One group's state: RTF scopes formatting, and where text goes, to the group it is set in."""

    def __init__(self) -> None:
        self.dest = "text"  # text, skip, marker (a list item's), title, info, fonttbl, stylesheet or fldinst
        self.bold = self.hidden = self.deleted = self.intbl = False
        # outline: 0-8 a heading's level, 9 body text; entry: the font or style a fonttbl or stylesheet group defines
        self.uc, self.font, self.style, self.ls, self.outline, self.entry = 1, 0, 0, 0, 9, 0

    def child(self) -> _State:
        """The state a group opened here starts with: this one's, changed only inside the group."""
        return copy.copy(self)


class _Reader:
    """Reads the tokens of an RTF file into (kind, text) blocks for join_blocks."""

    def __init__(self, name: str):
        self.name, self.stack = name, [_State()]
        self.cp, self.deff, self.fonts = "cp1252", 0, {}  # fonts: number -> code page (None: the document's)
        self.names, self.outlines = {}, {}  # the stylesheet's paragraph styles: number -> name, outline level
        self.blocks, self.after = [], []  # blocks read; footnotes waiting for the end of their paragraph
        self.pieces, self.marker, self.title, self.fldinst = [], None, [], []
        self.bolds: list[bool] = []  # whether each piece of the paragraph's text was bold (TextEdit's headings)
        self.pending, self.pending_cp = bytearray(), "cp1252"  # \'hh bytes not yet decoded (a character may be two)
        self.skip, self.star, self.note_depth, self.saved = 0, False, 0, ([], None)
        self.rows, self.cells, self.cell_pieces, self.row_bold = [], [], [], []
        self.row_header, self.merges, self.merge, self.above = False, [], None, {}

    def read(self, data: str) -> None:
        """Read the whole file; DocumentError where its groups nest too deep or do not close."""
        stack, pos = self.stack, 0
        while pos < len(data):
            for token in _TOKEN.finditer(data, pos):
                kind = token.lastindex
                if self.pending and kind is not None and kind != _HEX:
                    self._emit(self.pending.decode(self.pending_cp, "replace"))
                    self.pending = bytearray()
                if kind == _WORD or kind == _PARAM:
                    word, param = token.group(_WORD, _PARAM)
                    if word == "bin" and param:  # N bytes of binary data: skipped unread, going on after them
                        pos = token.end() + max(int(param), 0)
                        break
                    if word in _HANDLED or self.star:
                        self._word(word, int(param) if param else None)
                elif kind == _TEXT:
                    text = token.group(_TEXT)
                    if self.skip:  # a \uN's fallback characters
                        cut = min(self.skip, len(text))
                        text, self.skip = text[cut:], self.skip - cut
                    if text and stack[-1].dest != "skip":
                        self._emit(text if text.isascii() else text.encode("latin-1").decode(self._cp(), "replace"))
                elif kind == _BRACE:
                    self.skip, self.star = 0, False
                    if token.group(_BRACE) == "}":
                        if self._close():
                            return
                    elif len(stack) > MAX_DEPTH:
                        raise DocumentError(f"{self.name}: damaged RTF document (groups nested more than "
                                            f"{MAX_DEPTH} deep)")
                    else:
                        stack.append(stack[-1].child())
                        if stack[-2].dest == "stylesheet":
                            stack[-1].entry = 0  # a style with no \sN is style 0, Normal
                elif kind == _HEX:
                    if self.skip:
                        self.skip -= 1
                    elif stack[-1].dest != "skip":
                        if not self.pending:
                            self.pending_cp = self._cp()
                        self.pending.append(int(token.group(_HEX), 16))
                elif kind == _SYMBOL:
                    self._word(token.group(_SYMBOL), None)
            else:
                break
        depth = len(stack) - 1
        raise DocumentError(f"{self.name}: damaged RTF document (it ends inside {depth} unclosed "
                            f"group{'s' if depth > 1 else ''}; the file may be cut short)")

    def _cp(self) -> str:
        return self.fonts.get(self.stack[-1].font) or self.cp

    def _close(self) -> bool:
        """Close a group; True where it was the document's."""
        state = self.stack.pop()
        if self.note_depth > len(self.stack):  # the footnote's group: its last paragraph, then the one citing it
            self._end_paragraph(state)
            self.note_depth, (self.pieces, self.marker) = 0, self.saved
        if len(self.stack) > 1:
            return False
        self._end_paragraph(state)
        self._flush_table()
        return True

    def _emit(self, text: str) -> None:
        state = self.stack[-1]
        dest = state.dest
        if dest == "text":
            if not (state.hidden or state.deleted):
                self.pieces.append(text)
                if text.strip():
                    self.bolds.append(state.bold)
                if state.intbl and text.strip():
                    self.row_bold.append(state.bold)
        elif dest in ("marker", "title", "fldinst"):
            getattr(self, dest).append(text)
        elif dest == "stylesheet":  # a style's name, cut short (a name is a few words; this is no quadratic)
            self.names[state.entry] = (self.names.get(state.entry, "") + text)[:200]

    def _word(self, word: str, param: int | None) -> None:  # noqa: C901 - one branch a control word or symbol
        state = self.stack[-1]
        dest = state.dest
        if dest == "skip":
            return
        if word == "*":  # the destination that follows is skipped by a reader that does not know it
            self.star = True
            return
        if self.star:
            self.star = False
            if word != "fldinst":
                state.dest = "skip"
                return
        number = param or 0
        if word in _CHARACTERS:
            self._emit(_CHARACTERS[word])
        elif word == "u":
            code = number + 65536 if number < 0 else number
            self._emit(chr(code) if code <= 0x10FFFF else "")
            self.skip = state.uc
        elif word in _BREAKS and dest == "text":
            self._end_paragraph(state)
        elif word in _SKIPPED:
            state.dest = "skip"
        elif word in _FLAGS:
            setattr(state, _FLAGS[word], param != 0)
        elif word == "plain":
            state.bold = state.hidden = state.deleted = False
            state.font = self.deff
        elif word == "pard":
            state.style, state.ls, state.outline, state.intbl = 0, 0, 9, False
        elif word == "f":
            setattr(state, "entry" if dest == "fonttbl" else "font", number)
        elif word in ("s", "cs", "ds", "ts") and dest == "stylesheet":
            state.entry = number if word == "s" else -1  # a character, section or table style: no paragraph's
        elif word == "s":
            state.style = number
        elif word == "outlinelevel" and dest == "stylesheet":
            self.outlines[state.entry] = number
        elif word == "outlinelevel":
            state.outline = number
        elif word in ("uc", "ls"):
            setattr(state, word, max(number, 0))
        elif word == "itap" and number > 0:
            state.intbl = True
        elif word in ("cell", "nestcell"):
            self._end_paragraph(state, in_cell=True)
            if word == "cell":  # a nested table's cells are read as the text of the cell holding them
                self.cells.append(" ".join(self.cell_pieces))
                self.cell_pieces = []
        elif word == "row":
            self._end_row()
        elif word == "trowd":
            self.row_header, self.merges, self.merge = False, [], None
        elif word == "trhdr":
            self.row_header = True
        elif word in ("clmrg", "clvmgf", "clvmrg"):
            self.merge = word
        elif word == "cellx":
            self.merges.append(self.merge)
            self.merge = None
        elif word in ("listtext", "pntext"):  # the item's bullet or number, as Word and TextEdit show it; once
            if dest == "text" and self.marker is None:
                state.dest, self.marker = "marker", []
            else:
                state.dest = "skip"
        elif word == "footnote":
            if dest == "text" and not self.note_depth:
                self.saved, self.pieces, self.marker = (self.pieces, self.marker), [], None
                self.note_depth = len(self.stack)
        elif word == "fldinst":
            state.dest, self.fldinst = "fldinst", []
        elif word == "fldrslt":
            self.fldinst = "".join(self.fldinst).split()[:1]
            if self.fldinst and self.fldinst[0].upper() in _TOC_FIELDS:
                state.dest = "skip"
        elif word in ("fonttbl", "stylesheet", "info") or word == "title" and dest == "info":
            state.dest = word
        elif word in ("fcharset", "cpg") and dest == "fonttbl":
            self.fonts[state.entry] = _CHARSETS.get(number) if word == "fcharset" else _code_page(number)
        elif word == "ansicpg":
            self.cp = _code_page(number) or self.cp
        elif word in _CODE_PAGES:
            self.cp = _CODE_PAGES[word]
        elif word == "deff":
            self.deff = state.font = number

    def _take(self) -> tuple[str, str | None]:
        """The paragraph's text (a line break kept, but not before a line going on in lower case) and its list
        marker (None: none; "": a bullet, not read)."""
        lines = [" ".join(line.split()) for line in _paired("".join(self.pieces)).split("\n")]
        text = ""
        for line in filter(None, lines):
            text += ("" if not text else " " if line[:1].islower() else "\n") + line
        marker, self.pieces, self.marker = self.marker, [], None
        if marker is not None:
            marker = " ".join(_paired("".join(marker)).split())
            marker = marker if _NUMBERED.match(marker) else ""
        return text, marker

    def _end_paragraph(self, state: _State, in_cell: bool = False) -> None:
        bold, self.bolds = bool(self.bolds) and all(self.bolds), []
        text, marker = self._take()
        shown = f"{marker} {text}" if marker and text else text
        if self.note_depth:
            if text:
                self.after.append(("text", shown))
        elif in_cell or state.intbl:
            if text:
                self.cell_pieces.append(" ".join(shown.split()))
        else:
            self._flush_table()
            # TextEdit writes no styles: a short line all in bold, no sentence, is its heading ("Arrival and departure")
            if text and (self._heading(state) or bold and marker is None and not state.ls and "\n" not in text and
                         len(text.split()) <= HEADING_WORDS and not text.endswith((".", "!", "?", ":", ";", ","))):
                self.blocks.append(("heading", " ".join(text.split())))
            elif text:
                self.blocks.append(("item" if state.ls or marker is not None else "text", shown))
            self.blocks += self.after
            self.after = []

    def _heading(self, state: _State) -> bool:
        """Whether a paragraph's style is a Heading, Title or Subtitle one, or it or its style has an outline level."""
        name = self.names.get(state.style, "").split(";")[0].split(",")[0].strip()  # "heading 1,h1": aliases
        return bool(_HEADING_STYLE.match(name)) or min(state.outline, self.outlines.get(state.style, 9)) < 9

    def _end_row(self) -> None:
        """A row's cells: one merged into the cell before it is empty; one merged into the cell above says that cell
        again (the row keeps its label, as OpenDocument tables do)."""
        if self.cell_pieces:
            self.cells.append(" ".join(self.cell_pieces))
        cells = []
        for column, text in enumerate(self.cells):
            merge = self.merges[column] if column < len(self.merges) else None
            if merge == "clvmgf":
                self.above[column] = text
            cells.append("" if merge == "clmrg" else self.above.get(column, "") if merge == "clvmrg" else text)
        self.rows.append((cells, self.row_header, bool(self.row_bold) and all(self.row_bold)))
        self.cells, self.cell_pieces, self.row_bold = [], [], []

    def _flush_table(self) -> None:
        """The table read so far as row blocks; its first row is a header when marked \\trhdr or all bold."""
        if self.cells or self.cell_pieces:
            self._end_row()
        if not self.rows:
            return
        rows, self.rows, self.above = [row for row in self.rows if any(row[0])], [], {}
        header = len(rows) > 1 and (rows[0][1] or rows[0][2])
        self.blocks += [("row", line) for line in table_lines([cells for cells, _, _ in rows], header)]
        self.blocks += self.after
        self.after = []
