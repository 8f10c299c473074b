"""Markdown and hard-wrapped text as people read them: plain reading text and a map back to the source (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.markdown_inline import inline_edits
from index.sourcemap import Edit, SourceMap, apply_edits
from index.tables import is_delimiter_row, markdown_cells, markdown_row_edits
from index.text_tables import aligned_rows

# A line shorter than this share of the text's usual line width ended early: the paragraph (or a heading, a
# byline) ended there, so a capitalised next line starts a new line. A format heuristic, not tuned on data.
SHORT_LINE = 0.7
HEADING_WORDS = 8  # a plain text's heading line has at most this many words (reflow)

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_HEADING_CLOSE = re.compile(r"[ \t]+#+$|^#+$")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r" {0,3}=+[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r"[ \t]*(?:>[ \t]?)+")
_BULLET = re.compile(r"[ \t]*[-*+][ \t]+(?=\S)")
_ORDERED = re.compile(r"[ \t]*\d{1,9}[.)][ \t]+(?=\S)")
_REFERENCE_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*\S+")

_HYPHENATED = re.compile(r"[^\W\d_]-$")
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'”’)\]]*$")
_ENDS_STATEMENT = re.compile(r"[^.\s][.!?][\"'”’)\]]*$")  # not a colon, which may introduce a list; not "..."
# a labelled line ("Monthly price: £27.50"): two in a row are two fields, not one wrapped sentence ("Router: Kestrel
# Hub 3, included at no extra cost Installation: engineer visit" was read as one)
_FIELD = re.compile(r"[A-Z][\w'’&/()-]*(?: [\w'’&/(),-]+){0,10}:(?: \S|$)")
_VALUE_START = re.compile(r"[£$€]?\d")
_GOES_ON = re.compile(r"(?:,|\b(?:and|or|&))$")  # a labelled line wrapped mid-value ("Address: 12 Orchard Rise,")
_LIST_START = re.compile(r"(?:[-*+•▪◦·–][ \t]|\(\d{1,3}\)|\[\d{1,3}\]|\d{1,3}[.)][ \t])")


@dataclass(frozen=True)
class Reading:
    """A document's reading text, its map back to the source, and its headings (plain offsets)."""

    text: str
    source_map: SourceMap
    headings: tuple[tuple[int, int], ...] = ()


def join_blocks(blocks: list[tuple[str, str]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A document's blocks, (kind, text) in order, as one reading text, paragraphs apart by a blank line and a list's
    items by a line break, with the spans of its blocks of kind "heading" (HTML pages, Word documents)."""
    parts, headings, before, length = [], [], "", 0  # joined once: adding to a string is quadratic (a 10 MB RTF)
    for kind, block in blocks:
        if length:
            parts.append("\n" if kind == before == "item" else "\n\n")
            length += len(parts[-1])
        if kind == "heading":
            headings.append((length, length + len(block)))
        parts.append(block)
        length, before = length + len(block), kind
    return "".join(parts), tuple(headings)


@dataclass
class _Line:
    mark: int  # where the line's markup prefix starts (after indentation)
    begin: int  # first character of its content
    end: int  # end of its content (trailing whitespace excluded)
    tail: int  # end of its trailing markup (closing #s, a hard-break backslash); >= end
    kind: str = "text"  # text, heading, item, code or row (of a table)
    hard_break: bool = False
    blank_before: bool = False  # blank lines separate it from the line before
    rule_before: bool = False  # a rule, fence or deleted line separates it from the line before
    edits: list = field(default_factory=list)


def line_break(before: str, after: str, *, short: bool) -> str:
    """How a line break inside a paragraph reads: "" (a hyphenated word), " " (a wrapped line) or "\\n"."""
    if _HYPHENATED.search(before) and after[:1].islower():
        return ""
    if _LIST_START.match(after) or _FIELD.match(before) and (_FIELD.match(after) or after[:1].isupper() and
                                                            not _GOES_ON.search(before)):
        return "\n"
    if after[:1].islower() or before.endswith(":") and _VALUE_START.match(after) and _FIELD.match(before):
        return " "  # and a label's value on the next line ("... under 24 hours' notice:" "£31.11 for each ...")
    return "\n" if short or _ENDS_SENTENCE.search(before) else " "


def paragraph_break(before: str, after: str) -> str:
    """How a blank line reads: a paragraph break, or a space inside a sentence ("deftly\\n\\npositioning")."""
    joins = after[:1].islower() and not _ENDS_SENTENCE.search(before) and not _LIST_START.match(after)
    return " " if joins else "\n\n"


def to_plain(text: str) -> str:
    """The reading text of a Markdown document."""
    return read_markdown(text).text


def read_markdown(text: str) -> Reading:
    """Markdown as plain reading text: markup gone, wrapped lines joined, paragraphs separated by blank lines."""
    return _assemble(text, _markdown_lines(text))


def reflow(text: str) -> Reading:
    """Extracted text (a PDF's) with the wrapped lines of each paragraph joined and hyphenated words rejoined."""
    lines, blank, quoted = [], False, False
    for start, end in _raw_lines(text):
        raw = text[start:end]
        if not raw.strip():
            blank = True
            continue
        if _UNDERLINE.match(raw):  # "=====" or "-----": a rule, or the underline of the heading above it (dropped)
            if lines and not blank:
                lines[-1].kind = "heading"
            blank = True
            continue
        begin = start + len(raw) - len(raw.lstrip())
        stop = start + len(raw.rstrip())
        line = _Line(begin, begin, stop, stop, blank_before=blank)
        quote = _QUOTE.match(raw)
        if quote and quoted and not blank:
            # an email's quoted reply, wrapped: "> and work from home" goes on the line before without its mark
            line.begin = min(start + quote.end(), stop)
            line.edits.append((begin, line.begin, "", True))
        quoted = bool(quote) and quote.end() < len(raw.rstrip())  # a bare ">" ends it
        lines.append(line)
        blank = False
    _mark_plain_headings(text, lines)
    _mark_aligned_tables(text, lines)
    return _assemble(text, lines)


def _mark_aligned_tables(text: str, lines: list[_Line]) -> None:
    """Tables laid out with spaces read a sentence a cell (index.text_tables), their header and rule as nothing."""
    starts = [text.rfind("\n", 0, line.begin) + 1 for line in lines]
    for k, edits in aligned_rows(text, [(a, line.end, line.blank_before) for a, line in zip(starts, lines)]).items():
        line, indent = lines[k], lines[k].begin - starts[k]
        line.kind = "row"
        line.edits = [(line.begin + max(a - indent, 0), line.begin + b - indent, said, True) for a, b, said in edits]


_SENTENCE_INSIDE = re.compile(r"[a-z][.!?] +[A-Z]")  # "Using the ombudsman is free. Website: ..." titles nothing
_UNDERLINE = re.compile(r"[ \t]*([-=~*_#])\1{2,}[ \t]*$")
_UNENDED_TITLE = re.compile(r"[^\W_][\w)'’%]*$")  # no full stop, colon, comma or dash at its end


def _mark_plain_headings(text: str, lines: list[_Line]) -> None:
    """Mark as headings the lines of plain text that title what follows ("Open questions" above "We have not yet
    decided ..."): a paragraph's first line (or one after a finished sentence) of at most HEADING_WORDS words,
    opening with a capital or a digit, ending without punctuation, followed by a line that opens with one. A
    signature or a last line is no heading."""
    pairs = list(zip([None] + lines, lines, lines[1:]))
    for before, line, after in reversed(pairs):  # from the end: a title above a heading is one
        value, next_value = text[line.begin:line.end], text[after.begin:after.end]
        # a PDF has no blank lines between paragraphs: a line after a finished sentence starts one as well
        starts = before is None or line.blank_before or bool(_ENDS_STATEMENT.search(text[before.begin:before.end]))
        if starts and len(value.split()) <= HEADING_WORDS and \
                len(value) <= 80 and value[:1].isupper() | value[:1].isdigit() and _UNENDED_TITLE.search(value) \
                and not _LIST_START.match(value) and (before is None or not _FIELD.match(value)) \
                and not _SENTENCE_INSIDE.search(value) and (next_value[:1].isupper() or next_value[:1].isdigit()) and \
                (len(next_value.split()) > len(value.split()) or after.kind == "heading"):
            line.kind = "heading"


def _raw_lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*", text) if m.start() == 0 or text[m.start() - 1] == "\n"]


def _markdown_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    blank = rule = False
    fence: str | None = None
    previous_blank = True
    for start, end in _raw_lines(text):
        raw = text[start:end]
        stop = start + len(raw.rstrip())
        if fence is not None:
            if raw.strip().startswith(fence):
                fence, rule = None, True
            elif raw.strip():
                lines.append(_Line(start, start, stop, stop, "code", blank_before=blank, rule_before=rule))
                blank = rule = False
            else:
                blank = True
            previous_blank = not raw.strip()
            continue
        if not raw.strip():
            blank = previous_blank = True
            continue
        opening = _FENCE.match(raw)
        underline = _SETEXT.match(raw) and not previous_blank and lines and lines[-1].kind == "text"
        if opening or _RULE.match(raw) or underline or _REFERENCE_DEFINITION.match(raw):
            if (underline or (_RULE.match(raw) and "-" in raw)) and not previous_blank and lines:
                lines[-1].kind = "heading"  # a setext heading: "Title\n=====" or "Title\n-----"
            fence = opening.group(1)[0] * 3 if opening else None
            rule, previous_blank = True, False
            continue
        line = _prefixed_line(text, start, stop, end)
        line.blank_before, line.rule_before = blank, rule
        lines.append(line)
        blank = rule = previous_blank = False
    _add_inline_edits(text, lines)
    _mark_tables(text, lines)
    return lines


def _mark_tables(text: str, lines: list[_Line]) -> None:
    """Pipe tables read a sentence a cell (index.tables): the header and delimiter rows read as nothing, each body
    row as its cells said with the row's label and the column's name."""
    i = 0
    while i + 1 < len(lines):
        head, delimiter = lines[i], lines[i + 1]
        names = markdown_cells(text[head.begin:head.end]) if head.kind == "text" else None
        if not names or delimiter.blank_before or not is_delimiter_row(text[delimiter.begin:delimiter.end]):
            i += 1
            continue
        j = i + 2
        while j < len(lines) and not lines[j].blank_before and lines[j].kind == "text" and \
                markdown_cells(text[lines[j].begin:lines[j].end]) is not None:
            j += 1
        for k, line in enumerate(lines[i:j]):
            edits = markdown_row_edits(text[line.begin:line.end], names) if k > 1 else \
                [(0, line.end - line.begin, "")]  # the header and delimiter rows read as nothing
            line.kind, line.edits = "row", [(line.begin + a, line.begin + b, said, True) for a, b, said in edits]
        i = j


def _prefixed_line(text: str, start: int, stop: int, line_end: int) -> _Line:
    """One Markdown line with its block markup (quote marks, heading #s, a bullet) marked for deletion."""
    raw = text[start:stop]
    indent = len(raw) - len(raw.lstrip())
    mark, kind, cut = start + indent, "text", 0
    quote = _QUOTE.match(raw)
    if quote and ">" in quote.group():
        cut = quote.end()
    heading = _HEADING.match(raw, cut)
    bullet = _BULLET.match(raw, cut)
    if heading:
        kind, cut = "heading", heading.end()
    elif bullet and not _RULE.match(raw, cut):
        kind, cut = "item", bullet.end()
    elif _ORDERED.match(raw, cut):
        kind = "item"  # the number stays: it is part of what the item says
    cut = max(cut, indent)
    while cut < len(raw) and raw[cut] in " \t":
        cut += 1
    end = tail = stop
    begin = start + cut
    hard_break = text[stop:line_end].rstrip("\r").endswith("  ")
    content = text[begin:stop]
    if kind == "heading":
        closing = _HEADING_CLOSE.search(content)
        if closing:
            end = begin + closing.start()
    elif content.endswith("\\") and not content.endswith("\\\\"):
        end, hard_break = stop - 1, True
    while end > begin and text[end - 1] in " \t":
        end -= 1
    line = _Line(mark, begin, end, tail, kind, hard_break)
    if begin > mark:
        line.edits.append((mark, begin, "", True))
    if tail > end:
        line.edits.append((end, tail, "", True))
    return line


def _add_inline_edits(text: str, lines: list[_Line]) -> None:
    """Inline markup edits (links, emphasis, code) for each paragraph, attached to the line they fall in."""
    group: list[_Line] = []
    for line in lines + [None]:
        starts_block = (line is None or line.kind in ("heading", "item", "code") or line.blank_before
                        or line.rule_before or (group and group[-1].kind == "heading"))
        if group and starts_block:
            region = (group[0].begin, group[-1].end)
            for edit in inline_edits(text[region[0]:region[1]], region[0]):
                owner = next((g for g in group if g.begin <= edit[0] and edit[1] <= g.end), None)
                if owner is not None:
                    owner.edits.append(edit)
            group = []
        if line is not None and line.kind != "code":
            group.append(line)


def _visible(text: str, line: _Line) -> str:
    inner = sorted(e for e in line.edits if line.begin <= e[0] and e[1] <= line.end)
    out, position = [], line.begin
    for start, end, replacement, _ in inner:
        out.append(text[position:start] + replacement)
        position = end
    out.append(text[position:line.end])
    return "".join(out).strip()


def _assemble(text: str, lines: list[_Line]) -> Reading:
    """Apply the lines' edits and join the lines with the breaks they read as."""
    kept: list[tuple[_Line, str]] = []
    dropped = False
    for line in lines:
        visible = _visible(text, line)
        if not visible:  # a line of markup only ("**", "[](#)") reads as nothing, like a rule
            dropped = True
            continue
        line.rule_before = line.rule_before or dropped
        kept.append((line, visible))
        dropped = False
    if not kept:
        return Reading("", SourceMap(((0, 0), (0, len(text)))))
    lengths = sorted(len(v) for line, v in kept if line.kind in ("text", "item"))
    width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    edits: list[Edit] = [(0, kept[0][0].mark, "", False), (kept[-1][0].tail, len(text), "", False)]
    for (a, va), (b, vb) in zip(kept, kept[1:]):
        start, separator = a.tail, _separator(a, va, b, vb, width)
        if separator == "":
            if a.tail == a.end and text[a.end - 1] == "-":
                start = a.end - 1  # the hyphen of a hyphenated word goes with the line break
            else:
                separator = " "
        edits.append((start, b.mark, separator, False))
    for line, _ in kept:
        edits.extend(line.edits)
    plain, source_map = apply_edits(text, edits)
    headings = tuple((source_map.plain_offset(line.begin), source_map.plain_offset(line.end))
                     for line, _ in kept if line.kind == "heading")
    return Reading(plain, source_map, tuple((s, e) for s, e in headings if s < e))


def _separator(a: _Line, va: str, b: _Line, vb: str, width: int) -> str:
    if b.rule_before or {"heading", "row"} & {a.kind, b.kind} or (a.kind == "code") != (b.kind == "code"):
        return "\n\n"
    if b.blank_before:
        return paragraph_break(va, vb) if a.kind == b.kind == "text" else "\n\n"
    if b.kind in ("item", "code") or a.hard_break:
        return "\n"
    return line_break(va, vb, short=len(va) < SHORT_LINE * width)
