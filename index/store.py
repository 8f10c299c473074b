"""The on-disk index: FAISS vectors, passage records, document texts and a manifest, written atomically."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from index.chunking import Passage
from index.errors import IndexMismatchError, IndexStoreError, IndexWriteError
from index.records import StoredDocument, check_document_hashes, read_passages
from index.sentence_vectors import FILES as SENTENCE_FILES, RowFile, SentenceVectors, save_npy

# 2: documents hold their plain reading text, its map to the file on disk, and furniture marks
# 3: sentence vectors computed at indexing (index.sentence_vectors); chunk vectors read from disk on demand
FORMAT_VERSION = 3
INDEX_TYPES = ("auto", "flat", "hnsw", "ivf")
IVF_NPROBE = 32
# "auto": exact search below this many chunks (under 3 ms), IVF from it on (exact is 14 ms at 100k, IVF 1.2 ms at
# recall@10 1.000 on perturbed real embeddings: docs/PERFORMANCE.md)
AUTO_IVF_MIN_CHUNKS = 20_000
_POINTER = "CURRENT"


def make_faiss_index(vectors: np.ndarray, index_type: str = "flat"):
    """A FAISS inner-product index over normalised vectors: exact (flat) or approximate (hnsw, ivf); "auto" is
    flat below AUTO_IVF_MIN_CHUNKS vectors and ivf from there on."""
    import faiss

    n, dim = vectors.shape if vectors.size else (0, vectors.shape[1])
    if index_type == "auto":
        index_type = "ivf" if n >= AUTO_IVF_MIN_CHUNKS else "flat"
    if index_type == "flat" or n < 1000:
        # approximate structures do not pay off (and IVF cannot train) on small corpora
        index = faiss.IndexFlatIP(dim)
    elif index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    elif index_type == "ivf":
        # ~sqrt(n) lists trained on a sample of <= 64 points per list keeps building 1M vectors to minutes on
        # 2 cores; nprobe comes from the recall/latency sweep of `python -m benchmarks.speed` (docs/PERFORMANCE.md)
        nlist = max(1, min(int(np.sqrt(n)), n // 39))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).choice(n, size=min(n, 64 * nlist), replace=False)
        index.train(vectors[np.sort(sample)])
        index.nprobe = min(nlist, IVF_NPROBE)
    else:
        raise ValueError(f"unknown index type {index_type!r}; use one of {INDEX_TYPES}")
    if n:
        index.add(vectors)
    return index


class IndexStore:
    """An index loaded in memory: vectors, passages aligned with them, documents and the manifest."""

    generation: str | None = None  # the published generation it was loaded from or saved as (None: not yet)

    def __init__(self, manifest: dict, passages: list[Passage], vectors: np.ndarray,
                 documents: dict[str, StoredDocument], faiss_index=None,
                 sentence_vectors: SentenceVectors | None = None) -> None:
        if len(passages) != len(vectors):
            raise IndexStoreError(f"index is inconsistent: {len(passages)} passages but {len(vectors)} vectors")
        if sentence_vectors is not None and sentence_vectors.n_passages != len(passages):
            raise IndexStoreError(f"index is inconsistent: {len(passages)} passages but sentence vectors for "
                                  f"{sentence_vectors.n_passages}")
        self.sentence_vectors = sentence_vectors
        self._ids: dict[tuple[str, int, int], int] | None = None
        self.manifest = manifest
        self.passages = passages
        self.vectors = vectors
        self.documents = documents
        self.faiss_index = faiss_index if faiss_index is not None else make_faiss_index(
            vectors, manifest.get("index_type", "flat"))

    def __len__(self) -> int:
        return len(self.passages)

    def passage_id(self, passage: Passage) -> int | None:
        """The position of a passage (or a copy of it, e.g. with a score) in the index; None if not in it."""
        if self._ids is None:
            self._ids = {(p.source, p.start, p.end): i for i, p in enumerate(self.passages)}
        return self._ids.get((passage.source, passage.start, passage.end))

    def passage_sentence_vectors(self, passages: list[Passage],
                                 sentences_only: bool = False) -> tuple[list[str], np.ndarray]:
        """The texts and vectors of the sentence spans (with `sentences_only`: of the single sentences) of those
        passages that are in the index (see index.sentence_vectors); empty when the index has none."""
        texts, vectors = [], []
        if self.sentence_vectors is not None:
            for passage in passages:
                i = self.passage_id(passage)
                if i is not None:
                    t, v = self.sentence_vectors.of_passage(i, passage.text, sentences_only)
                    texts += t
                    vectors.append(v)
        dim = self.vectors.shape[1] if self.vectors.ndim == 2 else 0
        return texts, (np.concatenate(vectors) if vectors else np.zeros((0, dim), dtype=np.float32))

    def search_ids(self, query_vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """FAISS (scores, passage ids) of the k best passages per query vector; id -1 pads short rows."""
        k = max(1, min(k, len(self.passages)))
        return self.faiss_index.search(np.ascontiguousarray(query_vectors, dtype=np.float32), k)

    def search(self, query_vectors: np.ndarray, k: int) -> list[list[Passage]]:
        """The k best passages for each query vector, best first, with their inner-product scores."""
        if not len(self.passages):
            return [[] for _ in range(len(query_vectors))]
        scores, ids = self.search_ids(query_vectors, k)
        return [[self.passages[i].with_score(s) for s, i in zip(row_s, row_i) if i >= 0]
                for row_s, row_i in zip(scores, ids)]

    # ---- persistence -------------------------------------------------------------------------

    def save(self, index_dir: Path) -> Path:
        """Write a new generation next to the current one, then switch the pointer atomically.

        The manifest records each file's SHA-256 and the pointer the manifest's, so `load` detects bytes flipped
        or cut short. Any failure (a full disk, say) leaves the current index as it was: IndexStoreError.
        """
        import faiss

        index_dir = Path(index_dir)
        generation = None
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
            generation = Path(tempfile.mkdtemp(prefix=f"gen-{time.strftime('%Y%m%d-%H%M%S')}-", dir=index_dir))
            faiss.write_index(self.faiss_index, str(generation / "vectors.faiss"))
            save_npy(generation / "embeddings.npy", self.vectors)
            if self.sentence_vectors is not None:
                self.sentence_vectors.save(generation)
            _write_json(generation / "passages.json", [
                {"source": p.source, "start": p.start, "end": p.end, "title": p.title} for p in self.passages])
            _write_json(generation / "documents.json", [d.to_json() for d in self.documents.values()])
            files = {name: file_sha256(generation / name) for name in _DATA_FILES + SENTENCE_FILES
                     if (generation / name).exists()}
            _write_json(generation / "manifest.json", {**self.manifest, "files": files})
            _write_json(generation / _MANIFEST_SUM, file_sha256(generation / "manifest.json"))
            _fsync_dir(generation)
            pointer_tmp = index_dir / f".{_POINTER}.tmp"
            pointer_tmp.write_text(generation.name)
            with open(pointer_tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(pointer_tmp, index_dir / _POINTER)  # the one atomic step that publishes it
            _fsync_dir(index_dir)
        except BaseException as exc:
            if generation is not None:
                shutil.rmtree(generation, ignore_errors=True)
            if isinstance(exc, (OSError, RuntimeError)):  # faiss reports its write errors as RuntimeError
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).strip()
                # faiss: "Error in ... write error in PATH: 495571 != 788224 (No space left on device)"
                reason = re.findall(r"\(([^()]+)\)\s*$", reason)[-1:] or reason.splitlines()[-1:] or ["unknown"]
                raise IndexWriteError(f"cannot write the index in {index_dir} ({reason[0]}); "
                                      "the previous index is unchanged") from None
            raise
        _remove_old_generations(index_dir, keep=generation.name)
        self.generation = generation.name
        return generation

    @classmethod
    def load(cls, index_dir: Path) -> "IndexStore":
        """Load the current generation of an index directory; IndexStoreError when it is missing, corrupt or
        inconsistent (checksums, counts)."""
        import faiss

        index_dir = Path(index_dir)
        pointer = index_dir / _POINTER
        if not pointer.exists():
            raise IndexStoreError(f"no index in {index_dir}; build one with `python -m index build CORPUS_DIR`")
        try:
            name = pointer.read_text().strip()
            if not name.startswith("gen-") or "/" in name or "\\" in name:
                raise ValueError(f"the pointer {pointer} names no generation")
            generation = index_dir / name
            manifest = json.loads((generation / "manifest.json").read_text())
            if not isinstance(manifest, dict):
                raise ValueError("manifest.json is not an object")
            if manifest.get("format_version") != FORMAT_VERSION:
                raise IndexMismatchError(f"index in {index_dir} has format {manifest.get('format_version')}, "
                                         f"expected {FORMAT_VERSION}; rebuild it")
            # a missing checksum record means "not verified", never "nothing to verify" (issue 26)
            if file_sha256(generation / "manifest.json") != json.loads((generation / _MANIFEST_SUM).read_text()):
                raise ValueError("manifest.json does not match its checksum")
            files = manifest.get("files") or {}
            unlisted = [f for f in _DATA_FILES + SENTENCE_FILES if f not in files]
            if unlisted:
                raise ValueError(f"the manifest records no checksum of {', '.join(unlisted)}")
            for file, digest in files.items():
                if file_sha256(generation / file) != digest:
                    raise ValueError(f"{file} does not match its checksum")
            documents, passages = read_passages(json.loads((generation / "documents.json").read_text()),
                                                json.loads((generation / "passages.json").read_text()))
            # left on disk: FAISS holds its own copy; these serve a few rows per question and index updates
            vectors = RowFile(generation / "embeddings.npy")
            faiss_index = faiss.read_index(str(generation / "vectors.faiss"))
            sentence_vectors = SentenceVectors.load(generation)
            _check_consistent(manifest, documents, passages, vectors, faiss_index)
            if len(sentence_vectors.offsets) != len(passages) + 1:
                raise ValueError(f"sentence vectors cover {len(sentence_vectors.offsets) - 1} passages, "
                                 f"the index has {len(passages)}")
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, IndexError, AttributeError) as exc:
            if isinstance(exc, IndexStoreError):
                raise
            raise IndexStoreError(f"index in {index_dir} is unreadable ({exc}); rebuild it") from None
        store = cls(manifest, passages, vectors, documents, faiss_index, sentence_vectors)
        store.generation = name
        return store


_MANIFEST_SUM = "manifest.sha256"  # the manifest's own checksum (the manifest holds the other files')
_DATA_FILES = ("vectors.faiss", "embeddings.npy", "passages.json", "documents.json")


def _check_consistent(manifest: dict, documents: dict, passages: list, vectors: np.ndarray, faiss_index) -> None:
    """ValueError unless vectors, FAISS entries, passages and the manifest's counts and hashes agree."""
    dimension = (manifest.get("embedder") or {}).get("dimension")
    if vectors.ndim != 2 or (dimension is not None and vectors.shape[1] != dimension):
        raise ValueError(f"embeddings have shape {vectors.shape}, the manifest says dimension {dimension}")
    if not len(vectors) == faiss_index.ntotal == len(passages) == manifest.get("passages", len(passages)):
        raise ValueError(f"counts disagree: {len(vectors)} vectors, {faiss_index.ntotal} FAISS entries, "
                         f"{len(passages)} passages, manifest {manifest.get('passages')}")
    check_document_hashes(manifest, documents)


def file_sha256(path: Path) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, data) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_old_generations(index_dir: Path, keep: str) -> None:
    for child in index_dir.iterdir():
        if child.is_dir() and child.name.startswith("gen-") and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)
