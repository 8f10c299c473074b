"""Approximate search at scale: synthetic 384-d corpora, cached IVF/HNSW indexes, latency and recall@k."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from benchmarks.stats import summarize

log = logging.getLogger(__name__)


def normalize(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (float32)."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def random_vectors(n: int, dim: int = 384, seed: int = 0, block: int = 100_000) -> np.ndarray:
    """n random unit vectors (uniform on the sphere): the worst case for approximate search."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, block):
        stop = min(n, start + block)
        out[start:stop] = normalize(rng.standard_normal((stop - start, dim), dtype=np.float32))
    return out


def perturbed_vectors(base: np.ndarray, n: int, noise: float = 0.75, seed: int = 0,
                      block: int = 100_000) -> np.ndarray:
    """n unit vectors made by repeating real embeddings `base` with Gaussian noise of norm ~`noise`."""
    if not len(base):
        raise ValueError("perturbed_vectors needs at least one base vector")
    rng = np.random.default_rng(seed)
    dim = base.shape[1]
    sigma = noise / np.sqrt(dim)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, block):
        stop = min(n, start + block)
        rows = base[np.arange(start, stop) % len(base)]
        out[start:stop] = normalize(rows + sigma * rng.standard_normal(rows.shape, dtype=np.float32))
    return out


def exact_neighbors(queries: np.ndarray, vectors: np.ndarray, k: int) -> np.ndarray:
    """Ids of the exact top-k inner-product neighbours (brute force)."""
    import faiss

    _, ids = faiss.knn(np.ascontiguousarray(queries, dtype=np.float32), vectors, k,
                       metric=faiss.METRIC_INNER_PRODUCT)
    return ids


def recall_at_k(found: np.ndarray, truth: np.ndarray, k: int) -> float:
    """Mean fraction of the true top-k found in the returned top-k."""
    if found.shape[0] != truth.shape[0]:
        raise ValueError("found and truth must have the same number of queries")
    hits = sum(len(set(f[:k].tolist()) & set(t[:k].tolist())) for f, t in zip(found, truth))
    return hits / (k * len(truth))


def cached_index(path: Path, build):
    """Read a FAISS index from `path`, or build it with `build()` and write it there; (index, build_s or None)."""
    import faiss

    path = Path(path)
    if path.exists():
        return faiss.read_index(str(path)), None
    started = time.perf_counter()
    index = build()
    seconds = time.perf_counter() - started
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    faiss.write_index(index, str(tmp))
    tmp.replace(path)
    return index, seconds


def query_latencies(index, queries: np.ndarray, k: int, repeats: int = 1) -> tuple[list[float], np.ndarray]:
    """Seconds per single-query search (one query at a time, as a user asks), and the ids found."""
    found = np.empty((len(queries), k), dtype=np.int64)
    times: list[float] = []
    for _ in range(repeats):
        for row, q in enumerate(queries):
            started = time.perf_counter()
            _, ids = index.search(q[None, :], k)
            times.append(time.perf_counter() - started)
            found[row] = ids[0]
    return times, found


def sweep(index, queries: np.ndarray, truth: np.ndarray, knob: str, values: list[int], k: int = 10) -> list[dict]:
    """Latency and recall@k of one index for each value of its search knob (nprobe or efSearch)."""
    import faiss

    rows = []
    for value in values:
        if knob == "nprobe":
            faiss.extract_index_ivf(index).nprobe = value
        elif knob == "efSearch":
            index.hnsw.efSearch = value
        else:
            raise ValueError(f"unknown search knob {knob!r}")
        query_latencies(index, queries[:5], k)  # warm-up
        times, found = query_latencies(index, queries, k)
        rows.append({knob: value, "latency_ms": {key: v * 1000 if key != "n" else v
                                                 for key, v in summarize(times).items()},
                     "recall_at_10": recall_at_k(found, truth, k)})
    return rows


def pick(rows: list[dict], knob: str, min_recall: float = 0.95) -> dict | None:
    """The fastest sweep row that reaches `min_recall` (None if none does)."""
    good = [r for r in rows if r["recall_at_10"] >= min_recall]
    return min(good, key=lambda r: r["latency_ms"]["median"]) if good else None
