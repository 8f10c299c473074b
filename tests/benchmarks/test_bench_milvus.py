"""The FAISS-vs-Milvus benchmark's helpers: chunks that point into their documents, and the recall it reports."""

from __future__ import annotations

import numpy as np

from benchmarks.milvus_vs_faiss import latency_and_recall, make_chunks

ARTICLE = ("Rivers\n\nThe Danube flows east. It reaches the Black Sea. Vienna lies on it.\n\n"
           "Its delta is a reserve. Pelicans nest there. Storks come in spring. Boats carry grain.\n")


def test_chunks_are_paragraphs_of_their_documents_with_exact_offsets():
    documents, passages = make_chunks({"01-Rivers.txt": ARTICLE}, 7)
    assert len(passages) == 7
    for p in passages:
        assert documents[p.source].text[p.start:p.end] == p.text and p.text.strip() and "\n\n" not in p.text
    assert sum(d.n_chunks for d in documents.values()) == 7


def test_recall_counts_the_exact_neighbours_found():
    exact = np.array([list(range(10)), list(range(10, 20))])
    found = {0: np.array([list(range(5)) + list(range(30, 35))]), 1: np.array([list(range(10, 20))])}
    queries = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    result = latency_and_recall(lambda q: found[int(q[0, 1])], queries, exact)
    assert result["recall@10"] == (5 + 10) / 20 and result["p95_ms"] >= result["p50_ms"] >= 0
