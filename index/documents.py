"""Loading documents (.txt, .md, .html, .pdf, .docx, .odt, .rtf, .pptx, .csv, .xlsx, .eml, .epub) from a corpus
directory into plain reading text."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from index.errors import CorpusError, DocumentError
from index.html_reader import html_to_text
from index.markup import read_markdown, reflow
from index.pdf_layout import page_lines, without_running_lines
from index.sourcemap import SourceMap

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".odt", ".rtf", ".pptx", ".csv",
                      ".tsv", ".xlsx", ".eml", ".epub")
MARKDOWN_SUFFIXES = (".md", ".markdown")
# larger files are skipped unread (a 1 GB file of zeros would otherwise be read whole): QA_MAX_DOCUMENT_MB
MAX_DOCUMENT_BYTES = 50 * 2**20
MAX_PDF_PAGES = 5000


@dataclass(frozen=True)
class Document:
    """One source document: its path relative to the corpus, a title, and its plain reading text.

    `text` is what is chunked, embedded, searched and quoted (Markdown without its markup, PDF lines joined into
    paragraphs). `source_map` maps it back to the file on disk (None: the text is the file's own, or, for HTML
    and PDF, the extracted text); `headings` are the spans of `text` that were headings in the source.
    """

    source: str
    title: str
    text: str
    source_map: SourceMap | None = None
    headings: tuple[tuple[int, int], ...] = ()

    @property
    def sha256(self) -> str:
        """What decides whether the document must be re-indexed: its text and, if any, its map to the file and its
        headings (a CSV file's title row became a heading in session 35, its text unchanged: the index kept it as
        text, and read it as an answer)."""
        if self.source_map is None and not self.headings:
            return content_hash(self.text)
        source_map = self.source_map.to_json() if self.source_map is not None else None
        return content_hash(self.text + "\0" + json.dumps([source_map, self.headings]))


def shown(path) -> str:
    """A path for a one-line message: control characters (a newline in a file name, say) written as escapes."""
    text = str(path)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def content_hash(text: str) -> str:
    """Hash of a document's extracted text (what decides whether it must be re-embedded)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _decode_text(data: bytes, path: Path) -> str:
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{shown(path)}: looks binary (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{shown(path)}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None


def _title_from_text(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return re.sub(r"^#+\s*", "", line).strip("*_ ")[:200] or fallback
    return fallback


# a PDF's, Word, OpenDocument or RTF text's metadata title that names a file, not the document ("handbook.html",
# "Microsoft Word - notes.docx")
_FILE_NAME_TITLE = re.compile(r"^microsoft \w+ - |^untitled\b|"
                              r"\.(?:html?|docx?|odt|epub|rtf|txt|md|pdf|pptx?|xlsx?|tex)$", re.IGNORECASE)


def _page_lines(page) -> list[str]:
    """A PDF page's lines: its laid-out lines as index.pdf_layout reads them, or pypdf's plain text where the page is
    set in columns of prose or its layout cannot be read."""
    try:
        lines = page_lines(page.extract_text(extraction_mode="layout") or "")
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, ZeroDivisionError):
        lines = None  # layout mode is the younger code path of pypdf: the plain one reads what it cannot
    return (page.extract_text() or "").split("\n") if lines is None else lines


def _pdf_to_text(path: Path) -> tuple[str, str | None, tuple[tuple[int, int], ...]]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if len(reader.pages) > MAX_PDF_PAGES:  # a page-tree bomb: thousands of references to one page
            raise DocumentError(f"{shown(path)}: has {len(reader.pages)} pages; the limit is {MAX_PDF_PAGES}")
        pages = ["\n".join(lines).strip() for lines in without_running_lines([_page_lines(p) for p in reader.pages])]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError) as exc:  # pypdf raises all of these on malformed files (its LimitReachedError too)
        if isinstance(exc, DocumentError):
            raise
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DocumentError(f"{shown(path)}: unreadable PDF ({reason})") from None
    # pypdf gives one line per printed line: join the lines of each paragraph so sentences read whole
    reading = reflow("\n\n".join(p.strip() for p in pages if p.strip()))
    return reading.text, " ".join(str(title).split()) if title else None, reading.headings


def load_document(path: Path, source: str | None = None, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """Read one file into a Document; raises DocumentError naming the file on any problem."""
    path = Path(path)
    source = source or path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{shown(path)}: unsupported file type {shown(suffix) or '(none)'}; use one of "
                            f"{', '.join(SUPPORTED_SUFFIXES)}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"{shown(path)}: cannot be read ({exc.strerror})") from None
    if size > max_bytes:
        raise DocumentError(f"{shown(path)}: too large ({size / 2**20:.0f} MB; the limit is "
                            f"{max_bytes / 2**20:.0f} MB, QA_MAX_DOCUMENT_MB)")
    headings: tuple[tuple[int, int], ...] = ()
    if suffix == ".pdf":
        text, title, headings = _pdf_to_text(path)
    elif suffix == ".docx":
        from index.docx_reader import docx_to_text

        text, headings, title = docx_to_text(path, shown(path))
    elif suffix == ".odt":
        from index.odt_reader import odt_to_text

        text, title, headings = odt_to_text(path, shown(path))
    elif suffix == ".rtf":
        from index.rtf_reader import rtf_to_text

        text, title, headings = rtf_to_text(path, shown(path))
    elif suffix == ".pptx":
        from index.pptx_reader import pptx_to_text

        text, title, headings = pptx_to_text(path, shown(path))
    elif suffix == ".eml":
        from index.eml_reader import eml_to_text

        text, title, headings = eml_to_text(path, shown(path), html_to_text)
    elif suffix == ".epub":
        from index.epub_reader import epub_to_text

        text, title, headings = epub_to_text(path, shown(path), html_to_text)
    elif suffix == ".xlsx":
        from index.xlsx_reader import xlsx_to_text

        text, title, headings = xlsx_to_text(path, shown(path))
        title = title or path.stem  # a sheet's name or header row is no title
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(f"{shown(path)}: cannot be read ({exc.strerror})") from None
        text = _decode_text(data, path)
        title = None
        if suffix in (".html", ".htm"):
            text, title, headings = html_to_text(text)
        elif suffix in (".csv", ".tsv"):
            from index.csv_reader import csv_to_text

            text, title, headings = csv_to_text(text, shown(path), tab=suffix == ".tsv")
            title = title or path.stem  # a header row's first line is no title
        elif suffix == ".txt":
            # plain text is often hard-wrapped: its lines are joined as a PDF's are, so a sentence is not cut at
            # each line break ("Adults pay 20 cents a day for each late" was quoted as a sentence)
            reading = reflow(text)
            if reading.text.strip() and (reading.text != text or reading.headings):  # title: the first line
                return Document(source, _title_from_text(text, path.stem), reading.text,
                                reading.source_map if reading.text != text else None, reading.headings)
        elif suffix in MARKDOWN_SUFFIXES:
            reading = read_markdown(text)
            if not reading.text.strip():
                raise DocumentError(f"{shown(path)}: contains no text")
            return Document(source, _title_from_text(reading.text, path.stem), reading.text,
                            reading.source_map, reading.headings)
    if not text.strip():
        raise DocumentError(f"{shown(path)}: contains no text")
    if suffix in (".pdf", ".docx", ".odt", ".rtf", ".epub") and title and _FILE_NAME_TITLE.search(title):
        title = None  # the metadata names a file ("handbook.html"), not the document: its first line titles it
    return Document(source=source, title=title or _title_from_text(text, path.stem), text=text, headings=headings)


def corpus_files(corpus_dir: Path, allow_outside_symlinks: bool = False) -> list[Path]:
    """Supported files under a corpus directory, sorted; raises CorpusError if there are none.

    A symbolic link that resolves outside the corpus directory (say, to /etc/passwd or another user's home) is
    skipped with a warning naming it, unless `allow_outside_symlinks` (QA_ALLOW_OUTSIDE_SYMLINKS): then linked
    files and folders are followed (each real folder once, so link loops end). Broken links are skipped too.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.exists():
        raise CorpusError(f"corpus directory {shown(corpus_dir)} does not exist")
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus path {shown(corpus_dir)} is not a directory")
    root = corpus_dir.resolve()
    files, seen = [], {root}
    for folder, dirs, names in os.walk(corpus_dir, followlinks=allow_outside_symlinks):
        kept = []
        for name in sorted(dirs):
            path = Path(folder) / name
            if name.startswith("."):
                continue
            real = path.resolve()
            if path.is_symlink() and not allow_outside_symlinks and not _inside(real, root):
                log.warning("skipping %s: a link to %s, outside the corpus directory (set "
                            "QA_ALLOW_OUTSIDE_SYMLINKS=1 to follow it)", shown(path), shown(real))
            elif real not in seen:
                seen.add(real)
                kept.append(name)
        dirs[:] = kept
        for name in names:
            path = Path(folder) / name
            if name.startswith("."):
                continue
            if path.is_symlink():
                real = path.resolve()
                if not path.exists():
                    log.warning("skipping %s: a broken link (to %s)", shown(path), shown(real))
                    continue
                if not allow_outside_symlinks and not _inside(real, root):
                    log.warning("skipping %s: a link to %s, outside the corpus directory (set "
                                "QA_ALLOW_OUTSIDE_SYMLINKS=1 to follow it)", shown(path), shown(real))
                    continue
            if path.is_file():
                files.append(path)
            else:
                log.warning("skipping %s: not a regular file", shown(path))
    if not files:
        raise CorpusError(f"corpus directory {shown(corpus_dir)} is empty")
    return sorted(files)


def _size(path: Path) -> int:
    try:
        return path.stat().st_blocks * 512  # allocated bytes: a sparse file counts what it really holds
    except OSError:
        return 0


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def load_corpus(corpus_dir: Path, allow_outside_symlinks: bool = False, max_document_bytes: int = MAX_DOCUMENT_BYTES,
                max_documents: int | None = None, max_total_bytes: int | None = None) -> list[Document]:
    """All readable documents of a corpus; bad files are skipped with a warning naming them.

    CorpusError when the corpus holds more than `max_documents` files or `max_total_bytes` bytes (None: no limit).
    """
    corpus_dir = Path(corpus_dir)
    documents = []
    paths = corpus_files(corpus_dir, allow_outside_symlinks)
    if max_documents is not None and len(paths) > max_documents:
        raise CorpusError(f"corpus directory {shown(corpus_dir)} holds {len(paths)} files; the limit is "
                          f"{max_documents} "
                          "(QA_MAX_DOCUMENTS)")
    if max_total_bytes is not None:
        total = sum(_size(p) for p in paths)
        if total > max_total_bytes:
            raise CorpusError(f"corpus directory {shown(corpus_dir)} holds {total / 2**20:.0f} MB; the limit is "
                              f"{max_total_bytes / 2**20:.0f} MB (QA_MAX_CORPUS_MB)")
    for path in paths:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            log.warning("skipping %s: unsupported file type", shown(path))
            continue
        try:
            documents.append(load_document(path, path.relative_to(corpus_dir).as_posix(), max_document_bytes))
        except DocumentError as exc:
            log.warning("skipping %s", exc)
    if not documents:
        raise CorpusError(f"corpus directory {shown(corpus_dir)} holds no readable .txt, .md, .html, .pdf, .docx, "
                          ".odt, .rtf, .pptx, .csv, .xlsx, .eml or .epub document")
    return documents
