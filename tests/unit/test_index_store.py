"""The index store: incremental updates, manifest mismatch, atomic writes, approximate index types."""

import json

import numpy as np
import pytest

from fakes import HashingEmbedder
from index.builder import ChunkingConfig, build_corpus_index
from index.markup import to_plain
from qa.text import words
from index.furniture import MARKS_SCHEME
from index.records import StoredDocument
from index.store import FORMAT_VERSION, IndexMismatchError, IndexStore, IndexStoreError, make_faiss_index

CHUNKING = ChunkingConfig(max_tokens=40, overlap_tokens=8)


def _write(corpus, name, text):
    (corpus / name).write_text(text, encoding="utf-8")


@pytest.fixture
def corpus(tmp_path):
    c = tmp_path / "corpus"
    c.mkdir()
    _write(c, "a.md", "Alpha talks about apples. Apples are red. " * 5)
    _write(c, "b.txt", "Bravo covers bananas. Bananas are yellow. " * 5)
    return c


def test_build_then_reload_and_search(corpus, tmp_path):
    embedder = HashingEmbedder()
    store, report = build_corpus_index(corpus, tmp_path / "idx", embedder, CHUNKING, show_progress=False)
    assert sorted(report.added) == ["a.md", "b.txt"]
    loaded = IndexStore.load(tmp_path / "idx")
    assert len(loaded) == len(store) and loaded.manifest["embedder"]["id"] == "hashing-test"
    assert set(loaded.manifest["documents"]) == {"a.md", "b.txt"}
    assert "versions" in loaded.manifest and loaded.manifest["chunking"]["max_tokens"] == 40
    hit = loaded.search(embedder.embed(["yellow bananas"]), 1)[0][0]
    assert hit.source == "b.txt"
    doc = loaded.documents["b.txt"].text
    assert doc[hit.start:hit.end] == hit.text


def test_incremental_update_embeds_only_changed_documents(corpus, tmp_path):
    build_corpus_index(corpus, tmp_path / "idx", HashingEmbedder(), CHUNKING, show_progress=False)
    _write(corpus, "b.txt", "Bravo now covers cherries. Cherries are dark red.")
    _write(corpus, "c.md", "Charlie is new. It mentions grapes.")
    (corpus / "a.md").unlink()
    _write(corpus, "d.md", "Delta doc.")
    embedder = HashingEmbedder()
    store, report = build_corpus_index(corpus, tmp_path / "idx", embedder, CHUNKING, show_progress=False)
    assert report.changed == ["b.txt"] and report.removed == ["a.md"]
    assert sorted(report.added) == ["c.md", "d.md"]
    assert all("Alpha" not in t for t in embedder.embedded_texts)
    assert {p.source for p in store.passages} == {"b.txt", "c.md", "d.md"}
    # a second run with nothing changed embeds nothing and writes nothing
    embedder2 = HashingEmbedder()
    _, again = build_corpus_index(corpus, tmp_path / "idx", embedder2, CHUNKING, show_progress=False)
    assert not again.wrote and embedder2.embedded_texts == []


def test_manifest_mismatch_is_detected(corpus, tmp_path):
    build_corpus_index(corpus, tmp_path / "idx", HashingEmbedder(), CHUNKING, show_progress=False)
    other = HashingEmbedder(dimension=32, model_id="other-model")
    with pytest.raises(IndexMismatchError, match="other-model"):
        build_corpus_index(corpus, tmp_path / "idx", other, CHUNKING, rebuild_on_mismatch=False, show_progress=False)
    store, report = build_corpus_index(corpus, tmp_path / "idx", other, CHUNKING, show_progress=False)
    assert report.rebuilt and store.vectors.shape[1] == 32
    _, report2 = build_corpus_index(corpus, tmp_path / "idx", other, ChunkingConfig(30, 5), show_progress=False)
    assert report2.rebuilt


class ExplodingEmbedder(HashingEmbedder):
    def embed(self, texts, *, show_progress=False):
        raise RuntimeError("power cut mid-build")


def test_failed_build_leaves_previous_index_loadable(corpus, tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    before, _ = build_corpus_index(corpus, idx, HashingEmbedder(), CHUNKING, show_progress=False)
    _write(corpus, "c.md", "A new document that will fail to embed.")
    with pytest.raises(RuntimeError, match="power cut"):
        build_corpus_index(corpus, idx, ExplodingEmbedder(), CHUNKING, show_progress=False)
    # fail while writing the files of the new generation, after embedding succeeded
    import index.store as store_mod

    def broken_save(path, arr):
        raise OSError("disk full")

    monkeypatch.setattr(store_mod.np, "save", broken_save)
    with pytest.raises(IndexStoreError, match=r"disk full.*the previous index is unchanged"):
        build_corpus_index(corpus, idx, HashingEmbedder(), CHUNKING, show_progress=False)
    monkeypatch.undo()
    after = IndexStore.load(idx)
    assert [p.text for p in after.passages] == [p.text for p in before.passages]
    assert [d.name for d in idx.iterdir() if d.name.startswith("gen-")] == [(idx / "CURRENT").read_text()]


def test_corrupt_index_is_reported_and_rebuilt(corpus, tmp_path):
    idx = tmp_path / "idx"
    build_corpus_index(corpus, idx, HashingEmbedder(), CHUNKING, show_progress=False)
    generation = idx / (idx / "CURRENT").read_text()
    (generation / "passages.json").write_text("{not json")
    with pytest.raises(IndexStoreError, match="unreadable"):
        IndexStore.load(idx)
    store, report = build_corpus_index(corpus, idx, HashingEmbedder(), CHUNKING, show_progress=False)
    assert report.rebuilt and len(store) > 0
    assert json.loads((idx / (idx / "CURRENT").read_text() / "manifest.json").read_text())["passages"] == len(store)


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_indexes_find_exact_neighbours(kind):
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((3000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    exact = make_faiss_index(vectors, "flat")
    approx = make_faiss_index(vectors, kind)
    assert type(approx).__name__ != type(exact).__name__
    _, want = exact.search(vectors[:50], 1)
    _, got = approx.search(vectors[:50], 1)
    assert (want == got).mean() >= 0.9


def test_forced_rebuild_re_embeds_everything_and_keeps_the_old_index_until_done(corpus, tmp_path):
    idx = tmp_path / "idx"
    before, _ = build_corpus_index(corpus, idx, HashingEmbedder(), CHUNKING, show_progress=False)
    with pytest.raises(RuntimeError):
        build_corpus_index(corpus, idx, ExplodingEmbedder(), CHUNKING, rebuild=True, show_progress=False)
    assert len(IndexStore.load(idx)) == len(before)
    embedder = HashingEmbedder()
    _, report = build_corpus_index(corpus, idx, embedder, CHUNKING, rebuild=True, show_progress=False)
    # every passage is embedded again (then the sentences of each, see test_sentence_vectors.py)
    assert report.rebuilt and embedder.embedded_texts[:len(before)] == [p.text for p in before.passages]


def _set_format_version(idx, version):
    manifest_path = idx / (idx / "CURRENT").read_text() / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = version
    manifest_path.write_text(json.dumps(manifest))


def test_an_index_of_an_older_format_is_rebuilt(corpus, tmp_path):
    idx = tmp_path / "idx"
    build_corpus_index(corpus, idx, HashingEmbedder(), CHUNKING, show_progress=False)
    _set_format_version(idx, FORMAT_VERSION - 1)  # an index written by an older version of the code
    with pytest.raises(IndexMismatchError, match=f"format {FORMAT_VERSION - 1}"):
        IndexStore.load(idx)
    with pytest.raises(IndexMismatchError, match=f"format {FORMAT_VERSION - 1}"):
        build_corpus_index(corpus, idx, HashingEmbedder(), CHUNKING, rebuild_on_mismatch=False, show_progress=False)
    embedder = HashingEmbedder()
    store, report = build_corpus_index(corpus, idx, embedder, CHUNKING, show_progress=False)
    assert report.rebuilt and embedder.embedded_texts
    assert IndexStore.load(idx).manifest["format_version"] == FORMAT_VERSION


def test_documents_keep_their_map_to_the_file_and_their_furniture_marks(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = ("# Apples\n\nBy [Ann Lee](#)\n\nTheme: [Fruit](#)\n\n*Apples are red and **sweet**.* They grow on trees "
              "in the orchard.\n")
    _write(corpus, "a.md", source)
    built, _ = build_corpus_index(corpus, tmp_path / "idx", HashingEmbedder(), CHUNKING, show_progress=False)
    loaded = IndexStore.load(tmp_path / "idx")
    document = loaded.documents["a.md"]
    assert "[" not in document.text and "*" not in document.text and "#" not in document.text
    assert {document.text[s:e]: k for s, e, k in document.marks} == {
        "Apples": "heading", "By Ann Lee": "byline", "Theme: Fruit": "label"}
    assert loaded.passages == built.passages  # located the same after a reload
    for passage in loaded.passages:
        assert document.text[passage.start:passage.end] == passage.text
        in_file = source[passage.source_start:passage.source_end]
        assert words(to_plain(in_file)) == words(passage.text)
        assert all(s < passage.end and passage.start < e for s, e, _ in passage.marks)
    assert any(p.marks for p in loaded.passages)


def test_marks_stored_by_older_rules_are_found_again_when_the_index_is_read(tmp_path):
    """Session 37: "Sent by:" became a label, and an index built before kept the email's unchanged text with its old
    marks (a document is re-indexed only when its text changes), so "Who sent the email?" was never answered."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus, "mail.txt", "Keys\n\nSent by: Gareth Pryce <gareth@example.com>\n\nThe keys are at the office.\n")
    build_corpus_index(corpus, tmp_path / "idx", HashingEmbedder(), CHUNKING, show_progress=False)
    document = IndexStore.load(tmp_path / "idx").documents["mail.txt"]
    record = document.to_json()
    assert record["marks_scheme"] == MARKS_SCHEME
    assert StoredDocument.from_json(record) == document
    # as an index of session 36 stored it: the heading's mark only, no scheme
    record["marks"] = [m for m in record["marks"] if m[2] == "heading"]
    del record["marks_scheme"]
    again = StoredDocument.from_json(record)
    assert again.marks == document.marks
    assert {again.text[s:e]: k for s, e, k in again.marks} == {
        "Keys": "heading", "Sent by: Gareth Pryce <gareth@example.com>": "label"}
