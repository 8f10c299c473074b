"""Regression: corpus links that resolve outside the corpus are skipped with a warning naming them."""

from __future__ import annotations

import logging

import pytest

from index.builder import index_corpus
from index.documents import load_corpus
from index.errors import CorpusError
from index.settings import Settings

SECRET = "The vault code is 7413 and nobody outside may read it."


@pytest.fixture
def linked(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "home"
    corpus.mkdir()
    outside.mkdir()
    (corpus / "own.txt").write_text("Ankara and Moscow signed a trade deal in March 2017.")
    (outside / "secret.txt").write_text(SECRET)
    (outside / "folder").mkdir()
    (outside / "folder" / "more.txt").write_text(SECRET)
    (corpus / "link.txt").symlink_to(outside / "secret.txt")
    (corpus / "dirlink").symlink_to(outside / "folder", target_is_directory=True)
    (corpus / "broken.txt").symlink_to(tmp_path / "missing.txt")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "inside.txt").symlink_to(corpus / "own.txt")  # inside the corpus: fine
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    return corpus


def test_outside_links_are_skipped_with_a_warning_naming_them(linked, caplog):
    with caplog.at_level(logging.WARNING):
        docs = load_corpus(linked)
    assert sorted(d.source for d in docs) == ["own.txt", "sub/inside.txt"]
    assert all(SECRET not in d.text for d in docs)
    text = caplog.text
    assert "link.txt" in text and "outside the corpus" in text and "QA_ALLOW_OUTSIDE_SYMLINKS" in text
    assert "dirlink" in text and "broken.txt" in text


def test_the_setting_follows_links_the_user_put_there(linked):
    docs = load_corpus(linked, allow_outside_symlinks=True)
    assert {"own.txt", "link.txt", "dirlink/more.txt", "sub/inside.txt"} <= {d.source for d in docs}


def test_the_index_never_holds_the_outside_file(linked, tmp_path, hashing_embedder):
    settings = Settings(data_dir=tmp_path / "data")
    store, _ = index_corpus(linked, hashing_embedder, settings, show_progress=False)
    assert SECRET not in " ".join(d.text for d in store.documents.values())
    store, _ = index_corpus(linked, hashing_embedder, settings.with_(allow_outside_symlinks=True),
                            show_progress=False)
    assert "link.txt" in store.documents


def test_a_corpus_of_only_outside_links_is_refused(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (tmp_path / "x.txt").write_text(SECRET)
    (corpus / "x.txt").symlink_to(tmp_path / "x.txt")
    with pytest.raises(CorpusError, match="empty"):
        load_corpus(corpus)


def test_document_count_and_size_limits(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"{i}.txt").write_text("Some words here. " * 100)
    with pytest.raises(CorpusError, match="holds 3 files; the limit is 2"):
        load_corpus(corpus, max_documents=2)
    with pytest.raises(CorpusError, match="QA_MAX_CORPUS_MB"):
        load_corpus(corpus, max_total_bytes=1000)
    big = corpus / "big.txt"
    big.write_text("x" * 5000)
    assert "big.txt" not in {d.source for d in load_corpus(corpus, max_document_bytes=4000)}
