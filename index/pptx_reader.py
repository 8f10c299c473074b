"""PowerPoint presentations (.pptx) as reading text: each shown slide's title as a heading, its text boxes' lines,
its tables a sentence a cell (index.tables) and its speaker notes, via python-pptx."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from index.docx_reader import refuse_zip_bomb
from index.errors import DocumentError
from index.markup import join_blocks
from index.tables import table_lines

_TITLE_TYPES = frozenset({"TITLE", "CENTER_TITLE", "VERTICAL_TITLE"})
_SLIDE_NUMBER_TYPES = frozenset({"SLIDE_NUMBER", "DATE", "FOOTER", "HEADER"})  # furniture repeated on every slide


def pptx_to_text(path: Path, name: str) -> tuple[str, str | None, tuple[tuple[int, int], ...]]:
    """A presentation's reading text, its title (the file's title property, else the first slide's title) and the
    spans of its headings (the slides' titles); hidden slides are not read. Raises DocumentError naming the file
    (`name`) when it is no readable PowerPoint presentation."""
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    try:
        refuse_zip_bomb(path, name)
        presentation = Presentation(str(path))
        blocks: list[tuple[str, str]] = []
        first_title = None
        for slide in presentation.slides:
            if slide._element.get("show") in ("0", "false"):  # hidden in the slide show: a draft, a spare
                continue
            title, body = _slide_blocks(slide)
            first_title = first_title or title
            blocks += ([("heading", title)] if title else []) + body
        title = " ".join((presentation.core_properties.title or "").split()) or first_title
    except DocumentError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, AttributeError, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DocumentError(f"{name}: unreadable PowerPoint presentation ({reason}); an older .ppt file must be "
                            "saved as .pptx first") from None
    text, headings = join_blocks(blocks)
    return text, title, headings


def _slide_blocks(slide) -> tuple[str, list[tuple[str, str]]]:
    """A slide's title and its other blocks in reading order (top to bottom, then left to right), then its notes."""
    title, blocks = "", []
    shapes = sorted(_shapes(slide.shapes), key=lambda s: (s.top or 0, s.left or 0))
    for shape in shapes:
        kind = _placeholder_type(shape)
        if kind in _SLIDE_NUMBER_TYPES:
            continue
        if kind in _TITLE_TYPES and not title and shape.has_text_frame:
            title = _one_line(shape.text_frame.text)
            if title:
                continue
        if getattr(shape, "has_table", False):  # only a graphic frame can hold a table
            rows = [[_one_line(cell.text) for cell in row.cells] for row in shape.table.rows]
            blocks += [("row", line) for line in table_lines(rows, header=len(rows) > 1 and shape.table.first_row)]
        elif shape.has_text_frame:
            blocks += _paragraphs(shape.text_frame)
    if slide.has_notes_slide:
        notes = slide.notes_slide.notes_text_frame
        if notes is not None:
            blocks += [("text", line) for line in (_one_line(p.text) for p in notes.paragraphs) if line]
    return title, blocks


def _shapes(shapes):
    """Every shape of a slide, those inside groups too."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _placeholder_type(shape) -> str:
    if not shape.is_placeholder:
        return ""
    kind = shape.placeholder_format.type
    return kind.name if kind is not None else ""


def _paragraphs(frame) -> list[tuple[str, str]]:
    """A text box's paragraphs: one is a paragraph of text, several are a list's items (a slide's bullets)."""
    lines = [line for line in (_one_line(p.text) for p in frame.paragraphs) if line]
    kind = "item" if len(lines) > 1 else "text"
    return [(kind, line) for line in lines]


def _one_line(text: str) -> str:
    """Text with its soft line breaks (a vertical tab in python-pptx) and runs of spaces as single spaces."""
    return " ".join(re.sub(r"[\v\u2028]", " ", text or "").split())
