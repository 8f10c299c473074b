"""Where a passage lies in its document, in words people use: "paragraph 3", or "page 2" for a PDF."""

from __future__ import annotations

import bisect
import logging
import re
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD = re.compile(r"\S+")
PAGE_PROBE_WORDS = 8  # a page is found in the document text by its first words


def paragraph_starts(text: str) -> list[int]:
    """Offsets where the paragraphs of a plain text begin (paragraphs are separated by blank lines)."""
    starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    return [s for s in starts if s < len(text)] or [0]


def page_starts(page_texts: list[str], text: str) -> list[int] | None:
    """Offsets in `text` where each non-empty page begins, found by the page's first words in order; None when
    a page cannot be found (the position is then said as a paragraph)."""
    starts, position = [], 0
    for page in page_texts:
        words = _WORD.findall(page)[:PAGE_PROBE_WORDS]
        if not words:
            starts.append(position)
            continue
        found = re.compile(r"\s*".join(re.escape(w) for w in words)).search(text, position)
        if found is None:
            return None
        starts.append(found.start())
        position = found.start()
    if not starts:
        return None
    starts[0] = 0  # anything before the first page's first words is on page 1
    return starts


def _span_label(kind: str, first: int, last: int, total: int) -> str:
    if first == last:
        return f"{kind} {first} of {total}"
    return f"{kind}s {first}–{last} of {total}"


def position_label(text: str, start: int, end: int, pages: list[int] | None = None) -> str:
    """"page 2 of 5" when page starts are known, else "paragraph 3 of 12" (or "paragraphs 3–4 of 12")."""
    last_char = max(start, end - 1)
    if pages:
        first = max(1, bisect.bisect_right(pages, start))
        return _span_label("page", first, max(first, bisect.bisect_right(pages, last_char)), len(pages))
    paragraphs = paragraph_starts(text)
    first = max(1, bisect.bisect_right(paragraphs, start))
    return _span_label("paragraph", first, max(first, bisect.bisect_right(paragraphs, last_char)), len(paragraphs))


def pdf_page_starts(path: Path, text: str) -> list[int] | None:
    """Where each page of a PDF file begins in its document text (None: not a readable PDF, or not found)."""
    path = Path(path)
    if path.suffix.lower() != ".pdf" or not path.is_file():
        return None
    try:
        stat = path.stat()
        return _cached_pdf_pages(str(path.resolve()), stat.st_mtime_ns, stat.st_size, text)
    except OSError:
        return None


@lru_cache(maxsize=32)
def _cached_pdf_pages(path: str, mtime_ns: int, size: int, text: str) -> list[int] | None:
    from pypdf import PdfReader

    from index.markup import reflow

    try:
        pages = [reflow((page.extract_text() or "").strip()).text for page in PdfReader(path).pages]
    except Exception as exc:  # a PDF that changed or broke since it was indexed: fall back to paragraphs
        log.warning("cannot read the pages of %s (%s)", path, exc)
        return None
    return page_starts([p for p in pages if p.strip()], text)
