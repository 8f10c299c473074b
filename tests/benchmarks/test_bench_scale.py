"""The scale benchmark's corpora: generated documents are made of whole real sentences; replayed vectors."""

from __future__ import annotations

import random

import numpy as np

from benchmarks.scale_corpus import ReplayEmbedder, shuffled_document, write_scale_corpus
from benchmarks.scale_report import tables
from fakes import HashingEmbedder
from index.chunking import split_sentences

ARTICLE = ("Rivers\n\nThe Danube flows east. It reaches the Black Sea. Vienna lies on it.\n\n"
           "Its delta is a reserve. Pelicans nest there. 2015 was a dry year. the lower-case fragment\n")


def test_a_generated_document_splits_into_the_real_sentences_it_was_made_of():
    real = {ARTICLE[s:e] for s, e in split_sentences(ARTICLE)}
    text = shuffled_document(ARTICLE, 3, random.Random(0))
    title, _, body = text.partition("\n")
    assert title == "Rivers (shuffle 3)"
    sentences = [body[s:e] for s, e in split_sentences(body)]
    assert sentences and set(sentences) <= real and "the lower-case fragment" not in sentences
    assert len(sentences) == len(set(sentences)) == 5  # "2015 was a dry year. the lower-case fragment" is left out


def test_a_scale_corpus_reaches_its_size_with_generated_documents(tmp_path):
    real = {"01-Rivers.txt": ARTICLE, "article.md": "# A\n\nOne sentence here.\n"}
    write_scale_corpus(real, 10, 1 / 100, tmp_path / "c")
    files = sorted(p.name for p in (tmp_path / "c").iterdir())
    assert files[:2] == ["01-Rivers.txt", "article.md"] and len(files) > 2
    assert all(name.startswith("gen-") and name.endswith("01-Rivers.txt") for name in files[2:])


def test_replayed_vectors_are_normalised_near_the_sum_of_their_sentences():
    real = HashingEmbedder()
    sentences = ["The Danube flows east.", "It reaches the Black Sea."]
    replay = ReplayEmbedder(real, sentences, real.embed(sentences), noise=0.1)
    vectors = replay.embed(["The Danube flows east. It reaches the Black Sea.", "Something new."])
    assert replay.fallbacks == 1 and real.embedded_texts[-1] == "Something new."  # unknown: embedded for real
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    target = real.embed(sentences).sum(axis=0)
    assert float(vectors[0] @ (target / np.linalg.norm(target))) > 0.95


def test_the_report_pools_both_runs_of_each_code():
    row = {"retrieve_s": 0.01, "evidence_s": 0.002, "retrieval_evidence_s": 0.012, "first_token_s": 0.012,
           "total_s": 0.013, "answer": "a"}
    run = {"rows": [row] * 3, "machine": {"loadavg_1_5_15": [1.0, 1.0, 1.0]}, "peak_rss_mb": 600.0,
           "index_load_s": 0.1, "bm25_build_s": 0.2}
    build = {"documents": 1, "chunks": 11, "build_s": 1.0, "embed_chunks_s": 0.1, "embed_spans_s": 0.5,
             "sentence_spans": 40, "disk": {"total_mb": 1.0}, "base_disk": {"total_mb": 0.5}}
    out = tables({"sizes": {"article": {"build": build, "runs": {"new": [run, run], "base": [run]}}}})
    assert "| article (11) | new | 10.0 / 10.0 |" in out and "| article (11) | today |" in out
    assert "| 3/3 |" in out
