"""Building and incrementally updating the index of a corpus directory."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import platform
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.chunking import Passage, chunk_document
from index.documents import Document, load_corpus
from index.embedding import Embedder
from index.errors import IndexMismatchError, IndexStoreError, IndexWriteError, VectorStoreUnavailableError
from index.furniture import furniture_marks
from index.records import StoredDocument
from index.sentence_vectors import SCHEME as SENTENCE_SCHEME, SentenceVectors
from index.store import FORMAT_VERSION, IndexStore
from index.vector_store import FaissBackend, StoreBackend, VectorStore, backend_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChunkingConfig:
    """How documents are cut into passages; part of the index manifest."""

    max_tokens: int = 160
    overlap_tokens: int = 32

    @classmethod
    def from_settings(cls, settings) -> "ChunkingConfig":
        """The chunking `settings.chunk_tokens` / `settings.chunk_overlap_tokens` describe."""
        return cls(settings.chunk_tokens, settings.chunk_overlap_tokens)


@dataclass
class BuildReport:
    """What an index build or update did."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    embedded_passages: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    stale: str = ""  # why the previous index was kept although documents changed (stale_ok); empty: up to date

    @property
    def wrote(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.rebuilt)


def expected_config(embedder: Embedder, chunking: ChunkingConfig, index_type: str) -> dict:
    """The part of a manifest that must match for an index to be reused."""
    return {
        "format_version": FORMAT_VERSION,
        # vectors from a float32 and a bfloat16 run of one model differ slightly: never mix them in one index
        "embedder": {"id": embedder.model_id, "dimension": embedder.dimension,
                     "dtype": getattr(embedder, "dtype", "float32")},
        "chunking": {"max_tokens": min(chunking.max_tokens, embedder.max_tokens),
                     "overlap_tokens": chunking.overlap_tokens, "splitter": "sentence-v3"},
        "index_type": index_type,
        "sentence_vectors": {"scheme": SENTENCE_SCHEME, "dtype": "float16"},
    }


def manifest_mismatch(manifest: dict, expected: dict) -> list[str]:
    """Human-readable differences between a stored manifest and the configured settings."""
    return [f"{key}: index has {manifest.get(key)!r}, configured {value!r}"
            for key, value in expected.items() if manifest.get(key) != value]


def _versions() -> dict:
    # read from the installed packages' metadata: importing sentence_transformers only for its version costs seconds
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    return {"python": platform.python_version(), "faiss": installed("faiss-cpu"),
            "sentence_transformers": installed("sentence-transformers"), "numpy": np.__version__}


@contextlib.contextmanager
def _build_lock(index_dir: Path):
    lock = index_dir / ".lock"
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fh = open(lock, "w")
    except OSError as exc:  # e.g. a directory named .lock, or a file where the index directory should be
        raise IndexStoreError(f"cannot open the index's lock file {lock} ({exc.strerror}); remove whatever is at "
                              "that path") from None
    with fh:
        try:  # one writer at a time; readers never need the lock
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another build of %s is running; waiting for it to finish", index_dir)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def chunk_for_index(doc: Document, embedder: Embedder, chunking: ChunkingConfig) -> list[Passage]:
    """A document's passages as the index cuts them (chunk size capped by the embedder's token limit)."""
    max_tokens = min(chunking.max_tokens, embedder.max_tokens)
    return chunk_document(doc.text, doc.source, embedder.count_tokens, max_tokens,
                          min(chunking.overlap_tokens, max_tokens - 1), title=doc.title)


def update_index(documents: list[Document], index_dir: Path, embedder: Embedder,
                 chunking: ChunkingConfig = ChunkingConfig(), index_type: str = "flat",
                 *, rebuild_on_mismatch: bool = True, rebuild: bool = False,
                 show_progress: bool = True, backend: StoreBackend | None = None,
                 stale_ok: bool = False) -> tuple[VectorStore, BuildReport]:
    """Bring the index in index_dir up to date with `documents`, re-embedding only what changed
    (everything when `rebuild`; the previous index stays in place until the new one is written). `backend`
    keeps the index (default FAISS files in index_dir; index.vector_store). With `stale_ok`, a new generation that
    cannot be written (IndexWriteError: a full disk) leaves the previous index in use, with a warning and
    `report.stale`, instead of failing."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    expected = expected_config(embedder, chunking, index_type)
    report = BuildReport()
    backend = backend or FaissBackend()
    with _build_lock(index_dir):
        problems: list[str] = []
        try:
            old = backend.load(index_dir)
            problems = manifest_mismatch(old.manifest, expected)
        except IndexMismatchError as exc:  # another format version: not even loadable, so a mismatch too
            old, problems = None, [str(exc)]
        except VectorStoreUnavailableError:
            raise  # the server is away: nothing to rebuild, and nowhere to write it
        except IndexStoreError as exc:
            old = None
            if backend.exists(index_dir):  # present but unreadable: start over
                log.warning("rebuilding index: %s", exc)
                report.rebuilt = True
        if problems:
            if not rebuild_on_mismatch:
                raise IndexMismatchError(f"index in {backend.describe(index_dir)} does not match the configuration ("
                                         + "; ".join(problems) + "); rebuild it with `python -m index build`")
            log.warning("rebuilding index in %s: %s", backend.describe(index_dir), "; ".join(problems))
            old, report.rebuilt = None, True

        if rebuild and old is not None:
            old, report.rebuilt = None, True
        wanted = {d.source: d for d in documents}
        old_docs = old.documents if old else {}
        keep_passages: list[Passage] = []
        keep_vectors: list[np.ndarray] = []
        keep_ids: list[int] = []
        stored: dict[str, StoredDocument] = {}
        if old:
            for i, passage in enumerate(old.passages):
                doc = wanted.get(passage.source)
                if doc is not None and doc.sha256 == old_docs[passage.source].sha256:
                    keep_passages.append(passage)
                    keep_ids.append(i)
            keep_vectors = list(old.vectors[keep_ids])  # one read of the rows (from disk or the server)
        to_embed: list[Passage] = []
        for source, doc in wanted.items():
            previous = old_docs.get(source)
            if previous is not None and previous.sha256 == doc.sha256:
                report.unchanged.append(source)
                stored[source] = previous
                continue
            (report.changed if previous is not None else report.added).append(source)
            passages = chunk_for_index(doc, embedder, chunking)
            stored[source] = StoredDocument(doc.source, doc.title, doc.sha256, doc.text, len(passages),
                                            doc.source_map, tuple(furniture_marks(doc.text, doc.headings)))
            to_embed.extend(stored[source].locate(p) for p in passages)
        report.removed = sorted(set(old_docs) - set(wanted))

        if old is not None and not report.wrote:
            report.seconds = time.perf_counter() - started
            return old, report
        try:
            store = _embed_and_publish(old, keep_ids, keep_vectors, keep_passages, to_embed, stored, expected,
                                       embedder, backend, index_dir, report, show_progress)
        except IndexWriteError as exc:
            if not stale_ok or old is None or report.rebuilt:
                raise
            report.stale = str(exc)
            log.warning("%s: answering from it, without the %d added or changed document(s) until there is room",
                        exc, len(report.added) + len(report.changed))
            store = old
    report.seconds = time.perf_counter() - started
    return store, report


def check_free_space(backend: StoreBackend, index_dir: Path, old: VectorStore | None) -> None:
    """IndexWriteError, before anything is embedded, when the disk cannot even hold a copy of the current FAISS
    generation (a new one rewrites all of it): a full disk then costs no embedding, on every retry."""
    if not isinstance(backend, FaissBackend) or getattr(old, "generation", None) is None:
        return
    generation = Path(index_dir) / old.generation
    needed = sum(f.stat().st_size for f in generation.iterdir() if f.is_file())
    free = shutil.disk_usage(index_dir).free
    if free < needed:
        raise IndexWriteError(f"cannot write the index in {index_dir} (No space left on device: {free // 1024} KB "
                              f"free, a new generation needs over {needed // 1024} KB); the previous index is "
                              "unchanged")


def _embed_and_publish(old, keep_ids, keep_vectors, keep_passages, to_embed, stored, expected, embedder, backend,
                       index_dir, report, show_progress) -> VectorStore:
    """Embed the new passages, then publish the new generation (update_index's second half)."""
    check_free_space(backend, index_dir, old)
    new_vectors = embedder.embed([p.text for p in to_embed], show_progress=show_progress)
    report.embedded_passages = len(to_embed)
    dim = embedder.dimension
    # every sentence of the new passages, alone and with its neighbours: what answering would embed
    sentence_vectors = SentenceVectors.concatenate(
        [old.sentence_vectors.select(keep_ids) if old is not None and old.sentence_vectors is not None
         else SentenceVectors.compute(keep_passages, embedder),
         SentenceVectors.compute(to_embed, embedder, show_progress=show_progress)], dim)
    vectors = np.vstack([np.array(keep_vectors, dtype=np.float32).reshape(-1, dim),
                         new_vectors.reshape(-1, dim)]).astype(np.float32)
    manifest = {**expected, "documents": {s: {"sha256": d.sha256, "title": d.title, "chunks": d.n_chunks}
                                          for s, d in sorted(stored.items())},
                "passages": len(keep_passages) + len(to_embed), "versions": _versions(),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    return backend.publish(manifest, keep_passages + to_embed, vectors, stored, sentence_vectors, index_dir)


def build_corpus_index(corpus_dir: Path, index_dir: Path, embedder: Embedder,
                       chunking: ChunkingConfig = ChunkingConfig(), index_type: str = "flat",
                       **kwargs) -> tuple[IndexStore, BuildReport]:
    """Load a corpus directory and update its index (see update_index)."""
    return update_index(load_corpus(Path(corpus_dir)), index_dir, embedder, chunking, index_type, **kwargs)


def index_corpus(corpus_dir: Path, embedder: Embedder, settings, *, rebuild: bool = False,
                 show_progress: bool = True, stale_ok: bool = False) -> tuple[VectorStore, BuildReport]:
    """Bring the index of a corpus directory (under `settings.data_dir`, or on the Milvus server
    `settings.vector_store` names) up to date; see update_index."""
    documents = load_corpus(Path(corpus_dir), settings.allow_outside_symlinks, settings.max_document_mb * 2**20,
                            settings.max_documents, settings.max_corpus_mb * 2**20)
    return update_index(documents, settings.index_dir_for(corpus_dir), embedder,
                        ChunkingConfig.from_settings(settings), settings.index_type, rebuild=rebuild,
                        show_progress=show_progress, backend=backend_for(settings), stale_ok=stale_ok)
