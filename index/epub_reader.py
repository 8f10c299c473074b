"""EPUB e-books (.epub, EPUB 2 and 3) as reading text: the chapters of the spine in reading order, each read as a web
page is read, via the standard library's zipfile and ElementTree."""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from typing import Callable
from urllib.parse import unquote
from xml.etree import ElementTree

from index.docx_reader import refuse_zip_bomb
from index.errors import DocumentError

log = logging.getLogger(__name__)

_CONTAINER = "META-INF/container.xml"
_ENCRYPTION = "META-INF/encryption.xml"
_PACKAGE_TYPE = "application/oebps-package+xml"
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "text/x-oeb1-document"})
_HTML_SUFFIXES = (".xhtml", ".html", ".htm", ".xml")
# fonts mangled so they cannot be lifted out of the book: not DRM, its text is plain (EPUB's and Adobe's algorithms)
_FONT_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})
# the XML declaration and DOCTYPE before a chapter's <html>: html.parser ends a DOCTYPE at its first ">", so the
# entity declarations of an internal subset ("[<!ENTITY ...>]") would be read as text
_PROLOG = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>)?", re.DOTALL | re.IGNORECASE)

HtmlToText = Callable[[str], tuple]  # index.html_reader.html_to_text: (text, title, heading spans)


def epub_to_text(path: Path, name: str, html_to_text: HtmlToText
                 ) -> tuple[str, str | None, tuple[tuple[int, int], ...]]:
    """An e-book's reading text, its title (dc:title) and the spans of its chapters' headings; raises DocumentError
    naming the file (`name`) when it is no readable, DRM-free EPUB."""
    try:
        refuse_zip_bomb(path, name)
    except zipfile.BadZipFile:
        raise DocumentError(f"{name}: not an EPUB e-book (not a zip archive)") from None
    except OSError as exc:
        raise DocumentError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_book(archive, name, html_to_text)
    except DocumentError:
        raise
    # a damaged member (a bad CRC, broken deflate data), a password or a compression zipfile cannot read
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DocumentError(f"{name}: unreadable EPUB e-book ({reason})") from None


def _read_book(archive: zipfile.ZipFile, name: str, html_to_text: HtmlToText
               ) -> tuple[str, str | None, tuple[tuple[int, int], ...]]:
    members = _Members(archive)
    container = members.read(_CONTAINER)
    if container is None:
        raise DocumentError(f"{name}: not an EPUB e-book (no {_CONTAINER})")
    opf_path = _package_path(_parse(container, _CONTAINER, name), name)
    opf = members.read(opf_path)
    if opf is None:
        raise DocumentError(f"{name}: unreadable EPUB e-book (its package file {opf_path} is missing)")
    package = _parse(opf, opf_path, name)
    title, authors, manifest, spine = _package(package, posixpath.dirname(opf_path))
    chapters = _reading_order(manifest, spine, name)
    encryption = members.read(_ENCRYPTION)
    if encryption is not None:
        locked = _encrypted(_parse(encryption, _ENCRYPTION, name))
        # a chapter's path written otherwise in encryption.xml (its case, its folder) is caught by its suffix
        if locked & {p.casefold() for p in chapters} or any(p.endswith(_HTML_SUFFIXES) for p in locked):
            raise DocumentError(f"{name}: DRM-protected (its chapters are encrypted); only DRM-free e-books can "
                                "be read")
    parts: list[str] = []
    headings: list[tuple[int, int]] = []
    offset = 0
    if authors:  # a title page from the package's metadata: "Who wrote it?" is answered by its byline (furniture)
        byline = "By " + (", ".join(authors[:-1]) + " and " + authors[-1] if len(authors) > 1 else authors[0])
        parts.append(f"{title}\n\n{byline}" if title else byline)
        headings += [(0, len(title))] if title else []
        offset = len(parts[0])
    for href in chapters:
        data = members.read(href)
        if data is None:
            log.warning("%s: chapter %s named in its spine is missing from the book; skipped", name, href)
            continue
        text, _, spans = html_to_text(_PROLOG.sub("", _decode(data), count=1))
        if not text.strip():  # a cover page holding only an image
            continue
        if parts:
            offset += 2
        parts.append(text)
        headings += [(a + offset, b + offset) for a, b in spans]
        offset += len(text)
    text = "\n\n".join(parts)
    if not text.strip():
        raise DocumentError(f"{name}: contains no text (no chapter of its spine holds any)")
    return text, title, tuple(headings)


class _Members:
    """A zip archive's files by name; a name that differs only in case is found too (books made on Windows)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        self.folded = {n.casefold(): n for n in self.names}

    def read(self, path: str) -> bytes | None:
        """The file's bytes, or None where the archive holds no such file."""
        found = path if path in self.names else self.folded.get(path.casefold())
        return self.archive.read(self.names[found]) if found is not None else None


def _parse(data: bytes, path: str, name: str) -> ElementTree.Element:
    """An XML file of the book; expat refuses an entity bomb (billion laughs) and ElementTree fetches no external
    entity, so either is a DocumentError, not a hang."""
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise DocumentError(f"{name}: unreadable EPUB e-book (malformed {path}: {exc})") from None


def _local(tag) -> str:
    """An element's name without its namespace ("{http://www.idpf.org/2007/opf}item" -> "item")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _package_path(container: ElementTree.Element, name: str) -> str:
    """The OPF package file that container.xml names (the first of the package type, where a book has several)."""
    rootfiles = [e for e in container.iter() if _local(e.tag) == "rootfile" and e.get("full-path")]
    rootfiles.sort(key=lambda e: e.get("media-type", _PACKAGE_TYPE) != _PACKAGE_TYPE)
    if not rootfiles:
        raise DocumentError(f"{name}: unreadable EPUB e-book ({_CONTAINER} names no package file)")
    return _normal(unquote(rootfiles[0].get("full-path", "")))


def _normal(path: str) -> str:
    return posixpath.normpath(path).lstrip("/")


def _package(package: ElementTree.Element, folder: str
             ) -> tuple[str | None, list[str], dict[str, tuple[str, str, str, str]], list[tuple[str, bool]]]:
    """From the OPF: its title, its authors (dc:creator), its manifest (id -> path in the archive, media type,
    properties, fallback id) and its spine ((idref, linear) in reading order)."""
    title, authors = None, []
    manifest: dict[str, tuple[str, str, str, str]] = {}
    spine: list[tuple[str, bool]] = []
    for element in package.iter():
        kind = _local(element.tag)
        if kind.casefold() == "title" and title is None:  # dc:title (dc:Title in OEB 1 packages)
            title = " ".join("".join(element.itertext()).split()) or None
        elif kind.casefold() == "creator" and (author := " ".join("".join(element.itertext()).split())):
            authors.append(author)
        elif kind == "item" and element.get("id") and element.get("href"):
            href = _normal(posixpath.join(folder, unquote(element.get("href", "").split("#")[0])))
            manifest[element.get("id", "")] = (href, element.get("media-type", "").strip().lower(),
                                               element.get("properties", ""), element.get("fallback", ""))
        elif kind == "itemref" and element.get("idref"):
            spine.append((element.get("idref", ""), element.get("linear", "yes").strip().lower() != "no"))
    return title, authors, manifest, spine


def _encrypted(encryption: ElementTree.Element) -> set[str]:
    """The files (case-folded paths) that META-INF/encryption.xml lists as encrypted, fonts that are only obfuscated
    left out."""
    locked = set()
    for data in encryption.iter():
        if _local(data.tag) != "EncryptedData":
            continue
        algorithms = {e.get("Algorithm", "") for e in data.iter() if _local(e.tag) == "EncryptionMethod"}
        if algorithms and algorithms <= _FONT_OBFUSCATION:
            continue
        locked |= {_normal(unquote(e.get("URI", ""))).casefold() for e in data.iter()
                   if _local(e.tag) == "CipherReference"}
    return locked


def _reading_order(manifest: dict[str, tuple[str, str, str, str]], spine: list[tuple[str, bool]],
                   name: str) -> list[str]:
    """The archive paths of the spine's chapters to read: the linear ones in order, then those marked linear="no"
    (notes, answers, a pop-up table: their text may answer a question, but it is out of the reading flow); the
    EPUB 3 navigation document is left out, as it repeats the headings."""
    paths: list[str] = []
    for linear in (True, False):
        for idref, item_linear in spine:
            if item_linear != linear:
                continue
            item, seen = manifest.get(idref), {idref}
            while item is not None and not _is_html(item) and item[3] and item[3] not in seen:  # a fallback chain
                seen.add(item[3])
                item = manifest.get(item[3])
            if item is None:
                log.warning("%s: spine item %s is not in its manifest; skipped", name, idref)
            elif "nav" in item[2].split() or not _is_html(item):
                continue
            elif item[0] not in paths:
                paths.append(item[0])
    return paths


def _is_html(item: tuple[str, str, str, str]) -> bool:
    return item[1] in _HTML_TYPES or not item[1] and item[0].lower().endswith(_HTML_SUFFIXES)


def _decode(data: bytes) -> str:
    """A chapter's text: UTF-8 or UTF-16 as EPUB requires, else the encoding its XML declaration names; bytes that
    are neither (an older book saved in Latin-1 unsaid) are read as Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    declared = re.match(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)", data)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    if re.match(r"(?i)utf-?(?:16|32)", encoding):  # a declaration readable as ASCII is not in UTF-16
        encoding = "utf-8"
    for encoding in (encoding, "utf-8"):
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", "replace")
