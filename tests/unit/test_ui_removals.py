"""Removing documents without real models: files moved aside and unindexed, bad choices refused, failures undone."""

from __future__ import annotations

import pytest

from ui.removals import RemovalError, remove_documents

KITTENS = "# Kittens\n\nKittens sleep about sixteen hours a day."


@pytest.fixture
def assistant(article_corpus, tmp_path, hashing_embedder):
    from fakes import ScriptedGenerator, ScriptedReader

    from qa import Assistant, Settings

    (article_corpus / "pets").mkdir()
    (article_corpus / "pets" / "kittens.md").write_text(KITTENS)
    return Assistant.from_corpus(article_corpus, Settings(data_dir=tmp_path / "data"), embedder=hashing_embedder,
                                 generator=ScriptedGenerator(), reader=ScriptedReader({}), show_progress=False)


def test_a_removed_document_leaves_the_index_and_its_file_is_kept(assistant, tmp_path):
    assert "pets/kittens.md" in assistant.documents
    result = remove_documents(assistant, ["pets/kittens.md"])
    assert assistant.documents == ["russia-turkey-rapprochement.md"]
    assert not (assistant.corpus_dir / "pets" / "kittens.md").exists()
    kept = result.moved_to / "pets" / "kittens.md"
    assert kept.read_text() == KITTENS and result.moved_to.parent == tmp_path / "data" / "removed"
    assert all(p.source != "pets/kittens.md" for p in assistant.retrieve("How long do kittens sleep?"))
    assert "**Removed:** pets/kittens.md" in result.message() and "moved to" in result.message()


def test_two_removals_in_the_same_second_keep_both_files(assistant):
    (assistant.corpus_dir / "notes.txt").write_text("Puppies sleep about fourteen hours a day.")
    assistant.refresh()
    first = remove_documents(assistant, ["notes.txt"])
    (assistant.corpus_dir / "notes.txt").write_text("A second version of the notes.")
    assistant.refresh()
    second = remove_documents(assistant, ["notes.txt"])
    assert first.moved_to != second.moved_to
    assert (first.moved_to / "notes.txt").read_text().startswith("Puppies")
    assert (second.moved_to / "notes.txt").read_text().startswith("A second")


@pytest.mark.parametrize("names, message", [
    ([], "no document was chosen"),
    (["missing.md"], r"not in the index: missing.md \(it lists pets/kittens.md, russia-turkey"),
    (["pets/kittens.md", "russia-turkey-rapprochement.md"], "at least one document must stay"),
])
def test_bad_choices_are_refused_and_nothing_moves(assistant, names, message):
    before = sorted(p.name for p in assistant.corpus_dir.rglob("*"))
    with pytest.raises(RemovalError, match=message):
        remove_documents(assistant, names)
    assert sorted(p.name for p in assistant.corpus_dir.rglob("*")) == before
    assert len(assistant.documents) == 2


def test_a_file_already_gone_is_named(assistant):
    (assistant.corpus_dir / "pets" / "kittens.md").unlink()
    with pytest.raises(RemovalError, match="pets/kittens.md is no longer in the corpus directory"):
        remove_documents(assistant, ["pets/kittens.md"])


def test_a_failed_reindex_puts_the_files_back(assistant, monkeypatch):
    def broken(show_progress=False):
        raise OSError("disk full")

    monkeypatch.setattr(assistant, "refresh", broken)
    with pytest.raises(RemovalError, match=r"removing failed \(disk full\); the documents were put back"):
        remove_documents(assistant, ["pets/kittens.md"])
    assert (assistant.corpus_dir / "pets" / "kittens.md").read_text() == KITTENS
    assert "pets/kittens.md" in assistant.documents
