"""The on-disk index: FAISS vectors, passage records, document texts and a manifest, written atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from index.chunking import Passage

FORMAT_VERSION = 1
IVF_NPROBE = 32
_POINTER = "CURRENT"


class IndexStoreError(RuntimeError):
    """The index on disk is missing, corrupt, or was built with other settings."""


class IndexMismatchError(IndexStoreError):
    """The index was built with another embedder or chunking configuration."""


def make_faiss_index(vectors: np.ndarray, index_type: str = "flat"):
    """A FAISS inner-product index over normalised vectors: exact (flat) or approximate (hnsw, ivf)."""
    import faiss

    n, dim = vectors.shape if vectors.size else (0, vectors.shape[1])
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
        raise ValueError(f"unknown index type {index_type!r}; use flat, hnsw or ivf")
    if n:
        index.add(vectors)
    return index


@dataclass(frozen=True)
class StoredDocument:
    """A document as the index remembers it (its text lets the UI show a passage in context)."""

    source: str
    title: str
    sha256: str
    text: str
    n_chunks: int


class IndexStore:
    """An index loaded in memory: vectors, passages aligned with them, documents and the manifest."""

    def __init__(self, manifest: dict, passages: list[Passage], vectors: np.ndarray,
                 documents: dict[str, StoredDocument], faiss_index=None) -> None:
        if len(passages) != len(vectors):
            raise IndexStoreError(f"index is inconsistent: {len(passages)} passages but {len(vectors)} vectors")
        self.manifest = manifest
        self.passages = passages
        self.vectors = vectors
        self.documents = documents
        self.faiss_index = faiss_index if faiss_index is not None else make_faiss_index(
            vectors, manifest.get("index_type", "flat"))

    def __len__(self) -> int:
        return len(self.passages)

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
        """Write a new generation next to the current one, then switch the pointer atomically."""
        import faiss

        index_dir = Path(index_dir)
        index_dir.mkdir(parents=True, exist_ok=True)
        generation = Path(tempfile.mkdtemp(prefix=f"gen-{time.strftime('%Y%m%d-%H%M%S')}-", dir=index_dir))
        try:
            faiss.write_index(self.faiss_index, str(generation / "vectors.faiss"))
            np.save(generation / "embeddings.npy", self.vectors)
            _write_json(generation / "passages.json", [
                {"source": p.source, "start": p.start, "end": p.end, "title": p.title} for p in self.passages])
            _write_json(generation / "documents.json", [asdict(d) for d in self.documents.values()])
            _write_json(generation / "manifest.json", self.manifest)
            _fsync_dir(generation)
            pointer_tmp = index_dir / f".{_POINTER}.tmp"
            pointer_tmp.write_text(generation.name)
            with open(pointer_tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(pointer_tmp, index_dir / _POINTER)  # the one atomic step that publishes it
            _fsync_dir(index_dir)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        _remove_old_generations(index_dir, keep=generation.name)
        return generation

    @classmethod
    def load(cls, index_dir: Path) -> "IndexStore":
        """Load the current generation of an index directory."""
        import faiss

        index_dir = Path(index_dir)
        pointer = index_dir / _POINTER
        if not pointer.exists():
            raise IndexStoreError(f"no index in {index_dir}; build one with `python -m index build CORPUS_DIR`")
        generation = index_dir / pointer.read_text().strip()
        try:
            manifest = json.loads((generation / "manifest.json").read_text())
            if manifest.get("format_version") != FORMAT_VERSION:
                raise IndexMismatchError(f"index in {index_dir} has format {manifest.get('format_version')}, "
                                         f"expected {FORMAT_VERSION}; rebuild it")
            docs = [StoredDocument(**d) for d in json.loads((generation / "documents.json").read_text())]
            documents = {d.source: d for d in docs}
            passages = [Passage(text=documents[r["source"]].text[r["start"]:r["end"]], source=r["source"],
                                start=r["start"], end=r["end"], title=r.get("title", ""))
                        for r in json.loads((generation / "passages.json").read_text())]
            vectors = np.load(generation / "embeddings.npy")
            faiss_index = faiss.read_index(str(generation / "vectors.faiss"))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
            if isinstance(exc, IndexStoreError):
                raise
            raise IndexStoreError(f"index in {index_dir} is unreadable ({exc}); rebuild it") from None
        return cls(manifest, passages, vectors, documents, faiss_index)


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
