"""The Milvus store against a real Milvus Lite server process on 127.0.0.1: the FAISS store's contract (passages,
documents, manifest checks, incremental updates, sentence vectors), alias publishing, and a server that dies."""

from __future__ import annotations

import html
import json
import logging
import os
import signal
import time
from pathlib import Path

import numpy as np
import pytest

from fakes import HashingEmbedder, ScriptedGenerator
from index.builder import ChunkingConfig, build_corpus_index
from index.errors import IndexMismatchError, IndexStoreError, SettingsError, VectorStoreUnavailableError
from index.settings import Settings
from index.store import IndexStore
from index.vector_store import backend_for
from milvus_helpers import free_port, start_server

CHUNKING = ChunkingConfig(max_tokens=40, overlap_tokens=8)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_server(tmp_path_factory)
    yield server
    server.stop()


@pytest.fixture
def settings(server, tmp_path):
    if server.process is None:  # a fault test failed before restarting it
        server.start()
    return Settings(data_dir=tmp_path / "data", vector_store="milvus", milvus_uri=server.uri, milvus_timeout=5)


@pytest.fixture
def docs(tmp_path):
    c = tmp_path / "docs"
    c.mkdir()
    (c / "a.md").write_text("# Apples\n\nAlpha talks about apples. Apples are red. " * 5)
    (c / "b.txt").write_text("Bravo covers bananas. Bananas are yellow. They grow in warm places. " * 5)
    return c


def build(settings, corpus, embedder=None, **kwargs):
    return build_corpus_index(corpus, settings.index_dir_for(corpus), embedder or HashingEmbedder(), CHUNKING,
                              show_progress=False, backend=backend_for(settings), **kwargs)


def generations(settings, corpus) -> list[str]:
    backend = backend_for(settings)
    from index.milvus_store import alias_for

    alias = alias_for(settings.milvus_collection_prefix, settings.index_dir_for(corpus))
    return sorted(n for n in backend.connection.call("list_collections") if n.startswith(alias + "__g")
                  and not n.endswith(("_s", "_m")))


def test_the_milvus_store_holds_what_the_faiss_store_holds(settings, docs, tmp_path):
    embedder = HashingEmbedder()
    faiss, _ = build_corpus_index(docs, tmp_path / "faiss", embedder, CHUNKING, show_progress=False)
    built, report = build(settings, docs)
    assert sorted(report.added) == ["a.md", "b.txt"]
    loaded = backend_for(settings).load(settings.index_dir_for(docs))  # a second client, as another worker
    assert loaded.passages == faiss.passages and loaded.documents == faiss.documents
    assert {k: v for k, v in loaded.manifest.items() if k not in ("files", "versions", "built_at", "vector_store")} \
        == {k: v for k, v in faiss.manifest.items() if k not in ("files", "versions", "built_at")}
    assert loaded.manifest["vector_store"] == "milvus" and "pymilvus" in loaded.manifest["versions"]
    assert loaded.manifest["versions"]["milvus_server"]  # what served the build
    np.testing.assert_allclose(loaded.vectors[[2, 0]], np.asarray(faiss.vectors)[[2, 0]], atol=1e-6)
    queries = embedder.embed(["yellow bananas", "red apples"])
    (ms, mi), (fs, fi) = loaded.search_ids(queries, 3), faiss.search_ids(queries, 3)
    np.testing.assert_allclose(ms, fs, atol=1e-5)
    # the same hits; passages with equal scores (this corpus repeats its sentences) may come in another order
    assert [sorted(row) for row in mi.tolist()] == [sorted(row) for row in fi.tolist()]
    texts, vectors = loaded.passage_sentence_vectors(loaded.passages[1:3])
    faiss_texts, faiss_vectors = IndexStore.load(tmp_path / "faiss").passage_sentence_vectors(faiss.passages[1:3])
    assert texts == faiss_texts and len(texts) > 2
    np.testing.assert_array_equal(vectors, faiss_vectors)  # the float16 values, exactly
    assert loaded.passage_sentence_vectors(loaded.passages[1:2], sentences_only=True)[0] == \
        faiss.passage_sentence_vectors(faiss.passages[1:2], sentences_only=True)[0]


def test_a_build_logs_no_server_traceback(tmp_path, docs, caplog):
    """create_collection(index_params=...) waited for the index by asking for a timestamp, a call Milvus Lite does
    not implement: with a local .db (its server runs in this process) each build logged 'Method not implemented!'
    tracebacks on the user's terminal."""
    local = Settings(data_dir=tmp_path / "data", vector_store="milvus", milvus_uri=str(tmp_path / "local.db"))
    with caplog.at_level(logging.ERROR):
        build(local, docs)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []


def test_incremental_updates_publish_a_new_generation_and_drop_the_older_ones(settings, docs, tmp_path):
    build(settings, docs)
    (docs / "e.md").write_text("Echo stays. It talks about pears. Pears are green. Pears grow on trees.")
    build(settings, docs)
    build_corpus_index(docs, tmp_path / "faiss", HashingEmbedder(), CHUNKING, show_progress=False)
    first = generations(settings, docs)
    (docs / "b.txt").write_text("Bravo now covers cherries. Cherries are dark red.")
    (docs / "c.md").write_text("Charlie is new. It mentions grapes.")
    (docs / "a.md").unlink()
    embedder = HashingEmbedder()
    store, report = build(settings, docs, embedder)
    assert report.changed == ["b.txt"] and report.removed == ["a.md"] and report.added == ["c.md"]
    # what was kept (vectors, sentence vectors) was copied from the previous generation intact
    faiss, _ = build_corpus_index(docs, tmp_path / "faiss", HashingEmbedder(), CHUNKING, show_progress=False)
    assert store.passages == faiss.passages
    np.testing.assert_allclose(np.asarray(store.vectors), np.asarray(faiss.vectors), atol=1e-6)
    texts, vectors = store.passage_sentence_vectors(store.passages)
    faiss_texts, faiss_vectors = IndexStore.load(tmp_path / "faiss").passage_sentence_vectors(faiss.passages)
    assert texts == faiss_texts
    np.testing.assert_array_equal(vectors, faiss_vectors)
    assert all("Alpha" not in t for t in embedder.embedded_texts)
    assert {p.source for p in store.passages} == {"b.txt", "c.md", "e.md"}
    assert len(first) == 2  # the current generation and the previous one; older ones are dropped
    assert generations(settings, docs) == [first[1], store.collection]
    again = HashingEmbedder()
    _, nothing = build(settings, docs, again)
    assert not nothing.wrote and again.embedded_texts == []
    (docs / "d.md").write_text("Delta arrives.")
    third, _ = build(settings, docs)
    assert generations(settings, docs) == [store.collection, third.collection]
    assert third.search(HashingEmbedder().embed(["grapes"]), 1)[0][0].source == "c.md"


def test_a_manifest_mismatch_is_reported_then_rebuilt(settings, docs):
    build(settings, docs)
    other = HashingEmbedder(dimension=32, model_id="other-model")
    with pytest.raises(IndexMismatchError, match=r"Milvus at http://127\.0\.0\.1.*other-model"):
        build(settings, docs, other, rebuild_on_mismatch=False)
    store, report = build(settings, docs, other)
    assert report.rebuilt and store.vectors.shape[1] == 32
    assert store.search_ids(other.embed(["bananas"]), 1)[1][0][0] >= 0


def test_a_tampered_blob_is_reported_and_rebuilt(settings, docs):
    store, _ = build(settings, docs)
    connection = store.connection
    rows = connection.call("query", store.collection + "_m", filter='name == "passages.json"',
                           output_fields=["id", "name", "part", "data", "vector"])
    import base64
    import zlib

    rows[0]["data"] = base64.b64encode(zlib.compress(b'[{"source": "a.md", "start": 0, "end": 3}]')).decode()
    connection.call("upsert", store.collection + "_m", [dict(rows[0])])
    connection.call("flush", store.collection + "_m")
    with pytest.raises(IndexStoreError, match="unreadable.*passages.json does not match its checksum"):
        backend_for(settings).load(settings.index_dir_for(docs))
    rebuilt, report = build(settings, docs)
    assert report.rebuilt and len(rebuilt) == len(store)


def test_no_index_yet_names_the_alias_and_the_uri(settings, docs):
    with pytest.raises(IndexStoreError, match=r"no index in Milvus at http://127\.0\.0\.1:\d+ \(alias qa_docs_"):
        backend_for(settings).load(settings.index_dir_for(docs))


def test_a_server_killed_mid_build_leaves_the_old_alias_serving(settings, docs, server, monkeypatch):
    before, _ = build(settings, docs)
    (docs / "c.md").write_text("Charlie is new. It mentions grapes.")
    from index.milvus_store import MilvusBackend

    write_vectors = MilvusBackend._write_vectors

    def dies_after_the_chunks(self, *args):  # the new chunk collection is written; then the server dies
        server.kill()
        return write_vectors(self, *args)

    monkeypatch.setattr(MilvusBackend, "_write_vectors", dies_after_the_chunks)
    with pytest.raises(VectorStoreUnavailableError) as failure:
        build(settings, docs)
    assert "\n" not in str(failure.value) and server.uri in str(failure.value)
    monkeypatch.undo()
    server.start()
    after = backend_for(settings).load(settings.index_dir_for(docs))
    assert after.collection == before.collection and after.passages == before.passages
    assert {p.source for p in after.passages} == {"a.md", "b.txt"}
    store, report = build(settings, docs)  # the next build succeeds and drops what the dead one left
    assert report.added == ["c.md"] and generations(settings, docs) == sorted([before.collection, store.collection])


def _assistant(settings, docs):
    from qa import Assistant

    return Assistant.from_corpus(docs, settings, embedder=HashingEmbedder(),
                                 generator=ScriptedGenerator("Bananas are yellow [1]."), show_progress=False)


def test_a_server_gone_mid_question_is_one_line_and_the_next_question_works_once_it_is_back(settings, docs, server):
    assistant = _assistant(settings, docs)
    question = "What colour are bananas?"
    answered = assistant.ask(question)
    server.kill()
    with pytest.raises(VectorStoreUnavailableError) as failure:
        assistant.ask(question)
    message = str(failure.value)
    assert "\n" not in message and f"Milvus server at {server.uri} is unreachable" in message
    server.start()
    for _ in range(60):  # gRPC reconnects with a back-off of about a second
        try:
            again = assistant.ask(question)
            break
        except VectorStoreUnavailableError:
            time.sleep(0.5)
    else:
        pytest.fail("no answer within 60 tries after the server came back")
    assert again.text == answered.text and again.passages == answered.passages


def test_a_server_that_stops_answering_times_out_with_one_line(settings, docs, server):
    assistant = _assistant(settings.with_(milvus_timeout=1.0), docs)
    os.killpg(server.process.pid, signal.SIGSTOP)
    try:
        with pytest.raises(VectorStoreUnavailableError, match=r"did not answer within 1 s"):
            assistant.ask("What colour are bananas?")
    finally:
        os.killpg(server.process.pid, signal.SIGCONT)


def test_connection_refused_is_one_line_naming_the_uri(tmp_path, docs):
    uri = f"http://127.0.0.1:{free_port()}"
    settings = Settings(data_dir=tmp_path / "data", vector_store="milvus", milvus_uri=uri, milvus_timeout=2)
    with pytest.raises(VectorStoreUnavailableError) as failure:
        _assistant(settings, docs)
    assert str(failure.value).startswith(f"the Milvus server at {uri} is unreachable") and "\n" not in str(failure.value)


def test_the_api_answers_503_while_milvus_is_away_and_serves_again_after(settings, docs, server):
    from fastapi.testclient import TestClient

    from qa.server import create_app

    assistant = _assistant(settings, docs)
    with TestClient(create_app(lambda: assistant, assistant.settings)) as client:
        for _ in range(200):
            if client.get("/readyz").status_code == 200:
                break
            time.sleep(0.05)
        server.kill()
        down = client.post("/v1/ask", json={"question": "What colour are bananas?"})
        assert down.status_code == 503 and down.json()["error"]["type"] == "index_unavailable"
        assert server.uri in down.json()["error"]["message"]
        server.start()
        for _ in range(60):
            up = client.post("/v1/ask", json={"question": "What colour are bananas?"})
            if up.status_code == 200:
                break
            time.sleep(0.5)
        assert up.status_code == 200 and "yellow" in up.json()["answer"]


def test_milvus_settings_are_checked(monkeypatch):
    monkeypatch.setenv("QA_VECTOR_STORE", "qdrant")
    with pytest.raises(SettingsError, match="vector_store must be one of"):
        Settings.from_env()
    with pytest.raises(SettingsError, match="milvus_collection_prefix"):
        Settings(milvus_collection_prefix="bad-name")
    with pytest.raises(SettingsError, match="milvus_consistency"):
        Settings(milvus_consistency="strong-ish")
    from index.milvus_client import milvus_uri

    assert milvus_uri(Settings(data_dir="/srv/qa")).endswith("/srv/qa/milvus.db")
    assert json.dumps(Settings().vector_store) == '"faiss"'


def test_milvus_without_its_client_installed_says_what_to_install(monkeypatch, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pymilvus" else real(name, *a))
    with pytest.raises(SettingsError, match=r"QA_VECTOR_STORE=milvus needs the Milvus client.*\.\[milvus\]"):
        backend_for(Settings(data_dir=tmp_path, vector_store="milvus"))


def test_the_chat_ui_shows_the_error_and_answers_again_once_milvus_is_back(settings, docs, server):
    from ui.handlers import Handlers

    handlers = Handlers(_assistant(settings, docs))

    def last_reply() -> str:
        *_, last = handlers.respond("What colour are bananas?", [], [], 0)
        return html.unescape(last[0][-1]["content"])

    server.kill()
    down = last_reply()
    assert "No answer" in down and f"Milvus server at {server.uri} is unreachable" in down
    server.start()
    for _ in range(60):
        up = last_reply()
        if "No answer" not in up:
            break
        time.sleep(0.5)
    assert "yellow" in up


def test_the_command_line_reports_a_refused_connection_in_one_line(tmp_path, docs, capsys):
    from index.builder import index_corpus
    from index.errors import run_command

    uri = f"http://127.0.0.1:{free_port()}"
    settings = Settings(data_dir=tmp_path / "data", vector_store="milvus", milvus_uri=uri, milvus_timeout=2)
    code = run_command(lambda: index_corpus(docs, HashingEmbedder(), settings, show_progress=False) and 0)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: the Milvus server at {uri} is unreachable") and err.count("\n") == 1


def test_the_api_started_while_milvus_is_down_becomes_ready_once_it_is_up(settings, docs, server):
    from fastapi.testclient import TestClient

    from qa import Assistant
    from qa.server import create_app

    _assistant(settings, docs)  # the index exists; the API's workers load it
    server.kill()

    def load():
        return Assistant.from_corpus(docs, settings, embedder=HashingEmbedder(),
                                     generator=ScriptedGenerator("Bananas are yellow [1]."), show_progress=False)

    with TestClient(create_app(load, settings)) as client:
        for _ in range(200):
            not_ready = client.get("/readyz")
            if "VectorStoreUnavailableError" in not_ready.json()["detail"]:
                break
            time.sleep(0.05)
        assert not_ready.status_code == 503 and server.uri in not_ready.json()["detail"]
        server.start()
        for _ in range(120):  # the loader retries with a back-off of 1, 2, 4 ... seconds
            if client.get("/readyz").status_code == 200:
                break
            time.sleep(0.5)
        answer = client.post("/v1/ask", json={"question": "What colour are bananas?"})
        assert answer.status_code == 200 and "yellow" in answer.json()["answer"]


def test_a_local_milvus_lite_database_serves_one_process_and_says_so_to_a_second(tmp_path, docs):
    import subprocess
    import sys

    settings = Settings(data_dir=tmp_path / "data", vector_store="milvus")  # no URI: <data dir>/milvus.db
    store, _ = build(settings, docs)  # this process now runs Milvus Lite on that directory
    assert store.connection.uri == str((tmp_path / "data" / "milvus.db").resolve())
    code = ("import sys; from pathlib import Path; from index.settings import Settings; "
            "from index.vector_store import backend_for; from index.errors import IndexStoreError\n"
            f"s = Settings(data_dir=Path({str(tmp_path / 'data')!r}), vector_store='milvus')\n"
            f"try: backend_for(s).load(s.index_dir_for(Path({str(docs)!r})))\n"
            "except IndexStoreError as e: print(e); sys.exit(2)\n")
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            cwd=str(Path(__file__).resolve().parents[2]))
    assert second.returncode == 2, second.stderr[-2000:]
    assert "serves one process at a time" in second.stdout and store.connection.uri in second.stdout


@pytest.mark.parametrize("index_type, kind", [("hnsw", "HNSW"), ("ivf", "IVF_FLAT"), ("auto", "FLAT")])
def test_approximate_indexes_are_built_on_the_server_and_find_the_exact_neighbours(settings, tmp_path, index_type,
                                                                                  kind):
    from index.chunking import Passage
    from index.milvus_store import milvus_index
    from index.sentence_vectors import SentenceVectors
    from index.records import StoredDocument

    n, dim = 1500, 16
    text = " ".join(f"w{i}" for i in range(n))
    offsets = np.cumsum([0] + [len(f"w{i}") + 1 for i in range(n)])
    document = StoredDocument("d.txt", "d", "0" * 64, text, n)
    passages = [Passage(text[offsets[i]:offsets[i] + len(f"w{i}")], "d.txt", int(offsets[i]),
                        int(offsets[i]) + len(f"w{i}"), title="d") for i in range(n)]
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    manifest = {"format_version": 3, "embedder": {"id": "random", "dimension": dim, "dtype": "float32"},
                "index_type": index_type, "documents": {"d.txt": {"sha256": "0" * 64}}, "passages": n}
    no_sentences = SentenceVectors(np.zeros(n + 1, np.int64), np.zeros((0, 2), np.int32), np.zeros((0, dim)))
    store = backend_for(settings).publish(manifest, passages, vectors, {"d.txt": document}, no_sentences,
                                          tmp_path / f"random-{index_type}")
    assert milvus_index(index_type, n)[0]["index_type"] == kind
    assert store.connection.call("describe_index", store.collection, "vector")["index_type"] == kind
    queries = vectors[:20] + 0.1 * rng.standard_normal((20, dim)).astype(np.float32)
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    _, ids = store.search_ids(queries, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ids.tolist(), exact.tolist())])
    assert recall >= 0.9 and store.passages[int(ids[0][0])].text == "w0"
