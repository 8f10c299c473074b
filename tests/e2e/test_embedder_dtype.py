"""The embedder's dtype: validated, "auto" resolved per CPU, and recorded in the index manifest."""

import pytest

import index.embedding as embedding
from fakes import HashingEmbedder
from index.builder import ChunkingConfig, build_corpus_index
from index.embedding import SentenceTransformerEmbedder
from index.store import IndexMismatchError
from index.settings import Settings


def test_unknown_dtype_is_refused():
    with pytest.raises(ValueError, match="dtype"):
        SentenceTransformerEmbedder("all-MiniLM-L6-v2", dtype="int4")
    with pytest.raises(ValueError, match="embedder_dtype"):
        Settings(embedder_dtype="half")


@pytest.mark.parametrize("native, expected", [(True, "bfloat16"), (False, "float32")])
def test_auto_follows_the_cpu(monkeypatch, native, expected):
    monkeypatch.setattr(embedding, "native_bfloat16", lambda: native)
    assert SentenceTransformerEmbedder("all-MiniLM-L6-v2", dtype="auto").dtype == expected
    assert SentenceTransformerEmbedder("all-MiniLM-L6-v2", dtype="float32").dtype == "float32"


def test_an_index_built_in_another_dtype_is_rebuilt(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("Alpha talks about apples. Apples are red. " * 5, encoding="utf-8")
    chunking = ChunkingConfig(max_tokens=40, overlap_tokens=8)
    build_corpus_index(corpus, tmp_path / "idx", HashingEmbedder(), chunking, show_progress=False)
    bf16 = HashingEmbedder()
    bf16.dtype = "bfloat16"
    with pytest.raises(IndexMismatchError, match="bfloat16"):
        build_corpus_index(corpus, tmp_path / "idx", bf16, chunking, rebuild_on_mismatch=False,
                           show_progress=False)
    store, report = build_corpus_index(corpus, tmp_path / "idx", bf16, chunking, show_progress=False)
    assert report.rebuilt and store.manifest["embedder"]["dtype"] == "bfloat16"
