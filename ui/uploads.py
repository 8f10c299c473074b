"""Adding uploaded files to the corpus: validation, copy-in, incremental indexing, rollback on failure."""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from index.documents import SUPPORTED_SUFFIXES, load_document, shown
from index.errors import DocumentError, ReportedError

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_NAME_CHARS = 120  # a corpus file name is cut to this (its suffix kept)
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>|~&])")
Progress = Callable[[float, str], None]


class UploadError(ReportedError, ValueError):
    """An uploaded file was refused, or the corpus could not be re-indexed with it."""


@dataclass
class UploadResult:
    """What an upload did: files added to the corpus and index, files refused with the reason."""

    added: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    passages: int = 0
    seconds: float = 0.0

    def message(self) -> str:
        """A short Markdown report for the user."""
        lines = []
        if self.added:
            lines.append(f"**Added and indexed:** {', '.join(map(as_text, self.added))} ({self.passages} passages "
                         f"embedded in {self.seconds:.1f} s).")
        for name, reason in self.rejected:
            lines.append(f"**Rejected {as_text(name)}:** {as_text(reason)}")
        if self.error:
            lines.append(f"**Upload failed:** {as_text(self.error)} The existing index was left unchanged.")
        return "\n\n".join(lines) or "No file was uploaded."


def use_upload_dir(settings, upload_dir: Path | None = None) -> Path:
    """gradio's directory for uploads and its cache (default <data_dir>/uploads), set before any component exists:
    each remembers it, and gradio reads it when imported (so `python -m ui` sets it before), else uploads are
    also written to the system's temporary directory."""
    path = Path(upload_dir or settings.data_dir / "uploads").resolve()
    path.mkdir(parents=True, exist_ok=True)
    os.environ["GRADIO_TEMP_DIR"] = str(path)
    return path


def as_text(text: str) -> str:
    """Text shown as itself in Markdown: a file name like `[x](javascript:...)` is not a link (or emphasis, or HTML)."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def safe_name(name: str) -> str:
    """A plain file name for the corpus: no directories, no hidden names, only [A-Za-z0-9._-] characters."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(str(name).replace("\\", "/")).name).lstrip("._")
    if not base or not Path(base).stem:
        raise UploadError("the file name is empty")
    if len(base) <= MAX_NAME_CHARS:
        return base
    suffix = Path(base).suffix if len(Path(base).suffix) < 16 else ""
    return base[:MAX_NAME_CHARS - len(suffix)] + suffix  # cut the stem: the type is in the suffix


def validate_upload(path: Path, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The corpus file name for an uploaded file, or UploadError saying why it is refused."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadError(f"unsupported file type {shown(suffix) or '(none)'}; upload .txt, .md, .html, .pdf, .docx, "
                          ".odt, .rtf, .pptx, .csv, .xlsx, .eml or .epub files")
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise UploadError(f"the uploaded file cannot be read ({exc.strerror})") from None
    if size > max_bytes:
        raise UploadError(f"the file is {size / 2**20:.1f} MB; the limit is {max_bytes / 2**20:.0f} MB")
    if size == 0:
        raise UploadError("the file is empty")
    target = safe_name(name)
    try:
        # read it the way the index will, with the final name so errors and PDF/HTML handling match
        if Path(path).suffix.lower() == suffix:
            _load(Path(path), target, max_bytes)
        else:
            with tempfile.TemporaryDirectory() as tmp:  # the reader goes by the suffix: give it the uploaded one
                copy = Path(tmp) / target
                shutil.copyfile(path, copy)
                _load(copy, target, max_bytes)
    except DocumentError as exc:  # "PATH: reason" -> "reason": the temporary path means nothing to the user
        raise UploadError(str(exc)) from None
    return target


def _load(path: Path, target: str, max_bytes: int) -> None:
    try:
        load_document(path, target, max_bytes)
    except DocumentError as exc:
        message = str(exc)
        prefix = shown(path) + ": "
        raise DocumentError(message[len(prefix):] if message.startswith(prefix) else message) from None


def add_uploads(assistant, files: list[tuple[Path, str]], progress: Progress | None = None,
                max_bytes: int = MAX_UPLOAD_BYTES) -> UploadResult:
    """Validate uploaded (path, original name) files, copy the good ones into the corpus and re-index.

    If indexing fails, the copied files are removed again; the index on disk is only ever replaced
    atomically by a successful build, so it is left as it was.
    """
    corpus = Path(assistant.corpus_dir) if assistant.corpus_dir else None
    if corpus is None or not corpus.is_dir():
        raise UploadError("this assistant has no corpus directory to add files to")
    progress = progress or (lambda fraction, text: None)
    result, accepted = UploadResult(), []
    for i, (path, name) in enumerate(files):
        display = Path(str(name)).name or "(unnamed)"
        progress(0.3 * i / max(1, len(files)), f"checking {display}")
        try:
            target = validate_upload(Path(path), display, max_bytes)
            # names that differ only in case would overwrite each other on macOS and Windows file systems
            taken = {p.name.lower() for p in corpus.iterdir()} | {t.lower() for _, t in accepted}
            if target.lower() in taken:
                raise UploadError(f"a document named {target} (or the same name in another case) is already in "
                                  "the corpus; rename the file")
        except UploadError as exc:
            result.rejected.append((display, str(exc)))
            continue
        accepted.append((Path(path), target))
    if not accepted:
        return result
    copied = []
    try:
        for path, target in accepted:
            progress(0.3, f"copying {target}")
            partial = corpus / f".upload-{target}"  # hidden names are not part of the corpus
            shutil.copyfile(path, partial)
            os.replace(partial, corpus / target)
            copied.append(corpus / target)
        progress(0.4, "indexing")
        report = assistant.refresh(show_progress=False)
    except Exception as exc:  # roll back: the corpus returns to what the current index describes
        if isinstance(exc, ReportedError):  # a limit or an unwritable index: the message says it all
            log.warning("upload failed: %s", exc)
        else:
            log.exception("upload failed")
        for p in copied + [corpus / f".upload-{t}" for _, t in accepted]:
            p.unlink(missing_ok=True)
        result.error = f"Indexing the upload failed ({exc})."
        return result
    progress(1.0, "done")
    result.added = [t for _, t in accepted]
    result.passages = report.embedded_passages
    result.seconds = report.seconds
    return result
