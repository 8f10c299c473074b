"""Retrieval benchmark: query latency on real indexes (article, SQuAD) and FAISS at 100k/1M synthetic chunks."""

from __future__ import annotations

import hashlib
import time
from functools import partial
from pathlib import Path

import numpy as np

from benchmarks import ann
from benchmarks.stats import ratio, summarize


def paired_latency(ours, bare, queries: list[str], repeats: int) -> dict[str, list[float]]:
    """Seconds per query of two retrieval functions, alternated query by query after one warm-up pass."""
    for q in queries[:3]:
        ours(q), bare(q)
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    for round_no in range(repeats):
        for i, q in enumerate(queries):
            order = (("ours", ours), ("bare", bare)) if (i + round_no) % 2 == 0 else (("bare", bare), ("ours", ours))
            for name, fn in order:
                started = time.perf_counter()
                fn(q)
                times[name].append(time.perf_counter() - started)
    return times


def real_corpus(assistant, queries: list[str], repeats: int) -> dict:
    """Assistant.retrieve (embedding + search + whatever fusion the core does) versus bare encode + FAISS search."""
    model = assistant.embedder.model
    index = assistant.store.faiss_index
    k = assistant.settings.top_k

    def bare(q: str):
        return index.search(model.encode([q], normalize_embeddings=True).astype(np.float32), k)

    def ours(q: str):
        assistant.query_embedder.clear()  # time the query embedding too, not a remembered vector
        return assistant.retrieve(q)

    times = paired_latency(ours, bare, queries, repeats)
    return {"chunks": len(assistant.store), "queries": len(queries), "index_type": assistant.settings.index_type,
            "ours_ms": _ms(times["ours"]), "bare_ms": _ms(times["bare"]),
            "overhead_ratio": ratio(times["ours"], times["bare"])}


def _ms(samples: list[float]) -> dict:
    return {k: (v * 1000 if k != "n" else v) for k, v in summarize(samples).items()}


def embed_latency(embedder, queries: list[str], repeats: int) -> dict:
    """Milliseconds to embed one query."""
    embedder.embed(queries[:2])
    times = []
    for _ in range(repeats):
        for q in queries:
            started = time.perf_counter()
            embedder.embed([q])
            times.append(time.perf_counter() - started)
    return _ms(times)


def _digest(array: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(array).tobytes()).hexdigest()[:10]


def synthetic(n: int, kind: str, cache_dir: Path, base: np.ndarray | None, real_queries: np.ndarray | None,
              n_queries: int = 200, nprobes: tuple[int, ...] = (8, 16, 32, 64, 128, 256)) -> dict:
    """FAISS latency at n synthetic chunks: exact flat search, and IVF (our make_faiss_index) with recall@10."""
    import faiss

    from index.store import make_faiss_index

    if kind == "random":
        make = lambda: ann.random_vectors(n, seed=1)  # noqa: E731
        queries = ann.random_vectors(n_queries, seed=2)
    elif kind == "perturbed":
        if base is None or real_queries is None:
            raise ValueError("perturbed vectors need real chunk and question embeddings")
        make = lambda: ann.perturbed_vectors(base, n, seed=1)  # noqa: E731
        queries = ann.normalize(real_queries[:n_queries])
    else:
        raise ValueError(f"unknown synthetic kind {kind!r}")
    # cached files are keyed by content: new base or query embeddings (another model or dtype) start over
    base_key = _digest(base) if kind == "perturbed" else "0"
    tag = f"{kind}-{n}-b{base_key}"
    vectors_file = cache_dir / f"{tag}-vectors.npy"
    if vectors_file.exists():
        vectors = np.load(vectors_file)
    else:
        vectors = make()
        cache_dir.mkdir(parents=True, exist_ok=True)
        np.save(vectors_file, vectors)
    truth_file = cache_dir / f"{tag}-q{_digest(queries)}-truth.npy"
    if truth_file.exists():
        truth = np.load(truth_file)
    else:
        truth = ann.exact_neighbors(queries, vectors, 10)
        cache_dir.mkdir(parents=True, exist_ok=True)
        np.save(truth_file, truth)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    flat_times, _ = ann.query_latencies(flat, queries[: min(30, n_queries)], 10)
    del flat
    ivf, build_s = ann.cached_index(cache_dir / f"{tag}-ivf.faiss", partial(make_faiss_index, vectors, "ivf"))
    del vectors
    default_nprobe = faiss.extract_index_ivf(ivf).nprobe
    rows = ann.sweep(ivf, queries, truth, "nprobe", sorted(set(nprobes) | {default_nprobe}))
    faiss.extract_index_ivf(ivf).nprobe = default_nprobe
    return {"n": n, "kind": kind, "queries": len(queries), "flat_ms": _ms(flat_times),
            "ivf": {"nlist": faiss.extract_index_ivf(ivf).nlist, "default_nprobe": default_nprobe,
                    "build_s": build_s, "sweep": rows, "best_at_0.95": ann.pick(rows, "nprobe"),
                    "default": next(r for r in rows if r["nprobe"] == default_nprobe)}}
