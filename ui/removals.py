"""Removing documents from the corpus: files moved aside (never deleted), the index updated, undone on failure."""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from index.errors import ReportedError
from ui.uploads import as_text

log = logging.getLogger(__name__)


class RemovalError(ReportedError, ValueError):
    """Documents could not be removed; the corpus and the index are as they were."""


@dataclass
class RemovalResult:
    """What a removal did: the documents taken out of the corpus and the index, and where their files went."""

    removed: list[str] = field(default_factory=list)
    moved_to: Path | None = None

    def message(self) -> str:
        """A short Markdown report for the user."""
        return (f"**Removed:** {', '.join(map(as_text, self.removed))}. The "
                f"{'file was' if len(self.removed) == 1 else 'files were'} moved to {as_text(str(self.moved_to))}; "
                "copy one back into the corpus directory (or upload it again) to restore it.")


def removed_dir(settings) -> Path:
    """Where removed documents are kept: <data_dir>/removed, one folder per removal."""
    return Path(settings.data_dir) / "removed"


def _unused_folder(root: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    folder, n = root / stamp, 1
    while folder.exists():
        n += 1
        folder = root / f"{stamp}-{n}"
    return folder


def remove_documents(assistant, names: list[str] | None, trash: Path | None = None) -> RemovalResult:
    """Move the named documents (paths relative to the corpus directory, as the index lists them) out of the corpus
    into a new folder under `trash` (default removed_dir) and re-index; RemovalError naming the problem for no
    name, a name the index does not hold, a file already gone, or every document (an empty corpus cannot be
    indexed). If re-indexing fails the files are moved back; the index on disk is only replaced by a successful
    build, so it stays as it was."""
    corpus = Path(assistant.corpus_dir) if assistant.corpus_dir else None
    if corpus is None or not corpus.is_dir():
        raise RemovalError("this assistant has no corpus directory to remove documents from")
    names = list(dict.fromkeys(str(n) for n in (names or [])))
    if not names:
        raise RemovalError("no document was chosen")
    indexed = set(assistant.documents)
    unknown = [n for n in names if n not in indexed]
    if unknown:
        raise RemovalError(f"not in the index: {', '.join(unknown)} (it lists {', '.join(sorted(indexed))})")
    if set(names) >= indexed:
        raise RemovalError("at least one document must stay in the corpus: upload another before removing the last")
    paths = []
    for name in names:
        parts = PurePosixPath(name).parts
        if PurePosixPath(name).is_absolute() or ".." in parts:  # the index never lists such a name; never follow one
            raise RemovalError(f"{name} is not a path inside the corpus directory")
        path = corpus.joinpath(*parts)
        if not path.is_file():
            raise RemovalError(f"{name} is no longer in the corpus directory {corpus}")
        paths.append((name, path))
    folder = _unused_folder(trash or removed_dir(assistant.settings))
    moved: list[tuple[Path, Path]] = []
    try:
        for name, path in paths:
            target = folder.joinpath(*PurePosixPath(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
            moved.append((path, target))
        assistant.refresh(show_progress=False)
    except Exception as exc:  # put every file back: the corpus again matches the index on disk
        log.warning("removing %s failed: %s", names, exc)
        for path, target in reversed(moved):
            shutil.move(target, path)
        raise RemovalError(f"removing failed ({exc}); the documents were put back and the index left as it was") \
            from None
    log.info("removed %s from the corpus; files moved to %s", names, folder)
    return RemovalResult(names, folder)
