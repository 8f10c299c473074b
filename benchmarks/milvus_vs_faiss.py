"""FAISS against Milvus Lite (a separate server process on 127.0.0.1) at 10k and 100k chunks, in one run: build
time, p50/p95 search latency, recall@10 against exact search, memory; and BM25 in process against Milvus's own
full-text search on the SQuAD articles.

    python -m benchmarks.milvus_vs_faiss [--sizes 10000 100000] [--queries 200] [--out bench-out/milvus]

Chunks are paragraphs of 3 to 7 real SQuAD sentences (benchmarks.scale_corpus.shuffled_document) embedded with
ReplayEmbedder (the real vectors of their sentences, summed, plus seeded noise); the questions are real SQuAD
questions embedded by the real model. Both stores get the same vectors and the same index choice (the `auto`
index type: exact below 20k chunks, IVF with nlist ~sqrt(n) and nprobe 32 above). Sentence vectors (issue 16) are
left out of the build: they are read by id, never searched, and would multiply the rows written by about 20.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def rss_mb(pid: str = "self") -> float:
    """Resident memory of a process in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def make_chunks(real: dict[str, str], n: int, seed: int = 0):
    """n chunk texts (paragraphs of shuffled real sentences), as StoredDocuments and Passages pointing into them."""
    from benchmarks.scale_corpus import shuffled_document
    from index.chunking import Passage
    from index.records import StoredDocument

    rng, names = random.Random(seed), sorted(k for k in real if k.endswith(".txt"))
    documents, passages, number = {}, [], 0
    while len(passages) < n:
        text = shuffled_document(real[names[number % len(names)]], number, rng)
        source, title = f"gen-{number:05d}.txt", text.split("\n", 1)[0]
        start = len(title) + 2
        doc_passages = []
        for para in text[start:].split("\n\n"):
            if para.strip() and len(passages) + len(doc_passages) < n:
                doc_passages.append(Passage(para, source, start, start + len(para), title=title))
            start += len(para) + 2
        documents[source] = StoredDocument(source, title, f"{number:064x}", text, len(doc_passages))
        passages += doc_passages
        number += 1
    return documents, passages


def latency_and_recall(search, queries: np.ndarray, exact: np.ndarray) -> dict:
    """p50/p95 of one-question searches (ms) and recall@10 against the exact top 10."""
    times, hits = [], 0
    search(queries[:1])  # warm
    for q, truth in zip(queries, exact):
        t0 = time.perf_counter()
        ids = search(q[None, :])
        times.append((time.perf_counter() - t0) * 1000)
        hits += len(set(ids[0].tolist()) & set(truth.tolist()))
    return {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95)),
            "recall@10": hits / (10 * len(queries))}


def bench_size(n: int, real, replay, queries, work: Path, server) -> dict:
    from index.sentence_vectors import SentenceVectors
    from index.settings import Settings
    from index.store import IndexStore
    from index.vector_store import backend_for

    documents, passages = make_chunks(real, n)
    vectors = replay.embed([p.text for p in passages])
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    manifest = {"format_version": 3, "embedder": {"id": replay.model_id, "dimension": replay.dimension,
                                                  "dtype": "float32"}, "index_type": "auto",
                "documents": {s: {"sha256": d.sha256} for s, d in documents.items()}, "passages": n}
    no_sentences = SentenceVectors(np.zeros(n + 1, np.int64), np.zeros((0, 2), np.int32),
                                   np.zeros((0, replay.dimension), np.float16))
    out = {"chunks": n}
    before = rss_mb()
    t0 = time.perf_counter()
    faiss = IndexStore(manifest, passages, vectors, documents, sentence_vectors=no_sentences)
    faiss.save(work / f"faiss-{n}")
    out["faiss"] = {"build_s": time.perf_counter() - t0, "index": type(faiss.faiss_index).__name__,
                    "client_rss_delta_mb": rss_mb() - before,
                    **latency_and_recall(lambda q: faiss.search_ids(q, 10)[1], queries, exact)}
    del faiss
    settings = Settings(data_dir=work, vector_store="milvus", milvus_uri=server.uri, milvus_timeout=600,
                        index_type="auto")
    backend, server_before, before = backend_for(settings), rss_mb(str(server.process.pid)), rss_mb()
    t0 = time.perf_counter()
    milvus = backend.publish(manifest, passages, vectors, documents, no_sentences, work / f"milvus-{n}")
    out["milvus_lite"] = {"build_s": time.perf_counter() - t0, "index": milvus.search_params,
                          **latency_and_recall(lambda q: milvus.search_ids(q, 10)[1], queries, exact),
                          "server_rss_mb": rss_mb(str(server.process.pid)),
                          "server_rss_delta_mb": rss_mb(str(server.process.pid)) - server_before,
                          "client_rss_delta_mb": rss_mb() - before}
    return out


def bench_bm25(real: dict[str, str], items, server, embedder, k: int = 4) -> dict:
    """hit@k (a retrieved chunk holds the evidence) and p50 latency of BM25 rankings: ours (bm25s over stemmed,
    stopword-free tokens) and Milvus's full-text search (BM25 function over its standard analyzer with the same stopwords)."""
    from pymilvus import DataType, Function, FunctionType, MilvusClient

    from index.builder import ChunkingConfig, chunk_for_index
    from index.documents import Document
    from qa.retrieval import RankFusionRetriever
    from qa.text import STOPWORDS

    passages = []
    for name, text in real.items():
        passages += chunk_for_index(Document(name, text.split("\n", 1)[0], text), embedder, ChunkingConfig())

    class Store:  # all the BM25 ranking reads of a store
        pass

    store = Store()
    store.passages = passages
    ours = RankFusionRetriever(store, embedder, "bm25")
    client = MilvusClient(uri=server.uri, timeout=60)
    schema = MilvusClient.create_schema(auto_id=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    # Milvus's `english` analyzer (with stemming) is not in Milvus Lite: its standard tokenizer with our stopwords
    schema.add_field("text", DataType.VARCHAR, max_length=65535, enable_analyzer=True,
                     analyzer_params={"tokenizer": "standard", "filter": ["lowercase", {
                         "type": "stop", "stop_words": sorted(STOPWORDS)}]})
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["text"],
                                 output_field_names=["sparse"]))
    params = MilvusClient.prepare_index_params()
    params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    client.create_collection("bench_bm25", schema=schema, index_params=params)
    for s in range(0, len(passages), 2000):
        client.insert("bench_bm25", [{"id": i, "text": p.text} for i, p in enumerate(passages[s:s + 2000], s)])
    client.flush("bench_bm25")

    def milvus_ranking(question: str) -> list[int]:
        hits = client.search("bench_bm25", data=[question], anns_field="sparse", limit=k,
                             search_params={"metric_type": "BM25"}, output_fields=["id"])
        return [int(h["id"]) for h in hits[0]]

    result = {"chunks": len(passages), "questions": len(items)}
    for name, rank in (("in_process_bm25s", lambda q: ours.bm25_ranking(q, k)), ("milvus_bm25", milvus_ranking)):
        rank(items[0].question)
        times, hits = [], 0
        for item in items:
            t0 = time.perf_counter()
            ids = rank(item.question)[:k]
            times.append((time.perf_counter() - t0) * 1000)
            ev = item.evidence[0]
            hits += any(passages[i].source == ev.source and passages[i].start <= ev.start < passages[i].end
                        for i in ids)
        result[name] = {f"hit@{k}": hits / len(items), "p50_ms": float(np.percentile(times, 50))}
    client.drop_collection("bench_bm25")
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--squad", type=Path, default=ROOT.parent / "shared/datasets/squad-v1.1-24-articles.json")
    p.add_argument("--out", type=Path, default=Path("bench-out/milvus"))
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))
    from milvus_helpers import MilvusServer

    from benchmarks.scale_corpus import ReplayEmbedder, real_documents, real_sentence_table
    from index.embedding import SentenceTransformerEmbedder
    from index.settings import Settings
    from qa.evaluation.squad import load_squad

    args.out.mkdir(parents=True, exist_ok=True)
    real_embedder = SentenceTransformerEmbedder.from_settings(Settings())
    real = real_documents(args.squad, ROOT / "corpus" / "russia-turkey-rapprochement.md")
    texts, table = real_sentence_table(real, real_embedder, args.out / "sentences.npz")
    replay = ReplayEmbedder(real_embedder, texts, table)
    _, items = load_squad(args.squad)
    items = random.Random(0).sample(items, min(args.queries, len(items)))
    queries = real_embedder.embed([i.question for i in items])
    server = MilvusServer(args.out / f"milvus-data-{time.strftime('%H%M%S')}").start()
    report = {"load_average_start": Path("/proc/loadavg").read_text().split()[:3], "sizes": []}
    try:
        for n in args.sizes:
            report["sizes"].append(bench_size(n, real, replay, queries, args.out, server))
            print(json.dumps(report["sizes"][-1]), flush=True)
        report["bm25"] = bench_bm25(real, items, server, real_embedder)
        print(json.dumps(report["bm25"]), flush=True)
    finally:
        server.stop()
    report["load_average_end"] = Path("/proc/loadavg").read_text().split()[:3]
    report["peak_client_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    (args.out / "report.json").write_text(json.dumps(report, indent=1))
    print(json.dumps({k: v for k, v in report.items() if k != "sizes"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
