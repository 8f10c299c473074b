"""The running app with the real models via gradio_client: answers, uploads, auth, file serving, queue."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path

import pytest

from common import ROOT
from index.vector_store import backend_for
from ui_helpers import serve

pytestmark = pytest.mark.e2e
QUESTION = "Why did relations hit a nadir?"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def live_url(real_assistant):
    with serve(real_assistant) as url:
        yield url


def _client(url, **kwargs):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False, **kwargs)


def _jet_passage(passages, assistant) -> bool:
    return any("downing of a Russian jet" in assistant.store.documents[p["source"]].text[p["start"]:p["end"]]
               for p in passages)


def test_api_answers_with_text_and_citations(live_url, real_assistant):
    result = _client(live_url).predict(QUESTION, api_name="/ask")
    assert result["answer"].strip() and not result["abstained"]
    assert result["citations"], result
    for citation in result["citations"]:
        assert f"[{citation['marker']}]" in result["answer"]
        document = real_assistant.store.documents[citation["source"]]
        assert document.text[citation["start"]:citation["end"]] == citation["text"]
    assert _jet_passage(result["passages"], real_assistant)


def test_api_follow_up_is_read_with_the_history(live_url, real_assistant):
    client = _client(live_url)
    first = client.predict(QUESTION, api_name="/ask")
    follow_up = client.predict("Why?", [[QUESTION, first["answer"]]], api_name="/ask")
    assert not follow_up["abstained"] and follow_up["answer"].strip()
    assert _jet_passage(follow_up["passages"], real_assistant)


@pytest.mark.parametrize("question, message", [("   ", "type a question"), ("why " * 600, "too long")])
def test_api_refuses_empty_and_overlong_questions_with_a_message(live_url, question, message):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=message):
        _client(live_url).predict(question, api_name="/ask")


def test_app_serves_no_file_outside_its_upload_directory(live_url, real_assistant):
    corpus_file = real_assistant.corpus_dir.resolve() / next(iter(real_assistant.store.documents))
    for path in (ROOT / "README.md", "README.md", "../../../etc/passwd", Path("/etc/passwd"), corpus_file):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{live_url}gradio_api/file={path}", timeout=10)
        assert err.value.code in (403, 404), path


def test_upload_indexes_a_good_file_and_rejects_a_bad_one(real_assistant, real_settings, article_corpus, tmp_path):
    from gradio_client import handle_file

    from qa import Assistant

    assistant = Assistant.from_corpus(article_corpus, real_settings, embedder=real_assistant.embedder,
                                      generator=real_assistant.generator, show_progress=False)
    index_dir = real_settings.index_dir_for(article_corpus)
    published = partial(backend_for(real_settings).current, index_dir)  # FAISS: CURRENT; Milvus: the alias's target
    good = tmp_path / "kittens.md"
    good.write_text("# Kittens\n\nKittens sleep about sixteen hours a day, mostly in warm places.\n")
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    with serve(assistant, upload_dir=tmp_path / "uploads") as url:
        client = _client(url)
        before = published()
        status, corpus_html, _ = client.predict([handle_file(str(bad))], api_name="/upload")
        assert "Rejected scan.pdf:**" in status and "PDF" in status
        assert published() == before
        assert sorted(p.name for p in article_corpus.iterdir()) == ["russia-turkey-rapprochement.md"]
        status, corpus_html, _ = client.predict([handle_file(str(good))], api_name="/upload")
        assert "Added and indexed:** kittens.md" in status, status
        assert "kittens.md" in corpus_html and "Index: <code>" in corpus_html and "kittens.md" in assistant.store.documents
        assert published() != before
        answer = client.predict("How long do kittens sleep?", api_name="/ask")
        assert answer["passages"][0]["source"] == "kittens.md"


def test_login_is_required_and_a_wrong_password_refused(real_assistant):
    with serve(real_assistant, auth=("reader", "s3cret")) as url:
        with pytest.raises(Exception):
            _client(url, auth=("reader", "wrong"))
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{url}config", timeout=10)
        assert err.value.code == 401
        assert "/ask" in _client(url, auth=("reader", "s3cret")).view_api(print_info=False, return_format="dict")[
            "named_endpoints"]


class _CountingGenerator:
    """Wraps the real generator and records how many generations ran at the same time."""

    def __init__(self, inner) -> None:
        self.inner, self.model_id = inner, inner.model_id
        self.active = self.max_active = 0
        self._lock = threading.Lock()

    def stream(self, messages, max_new_tokens):
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            yield from self.inner.stream(messages, max_new_tokens)
        finally:
            with self._lock:
                self.active -= 1


def test_four_concurrent_users_are_served_in_turn(real_assistant):
    from qa import Assistant

    generator = _CountingGenerator(real_assistant.generator)
    # the same real models and index; shorter answers keep this test quick
    settings = real_assistant.settings.with_(max_new_tokens=48, model_sentences=True)  # the generator runs
    assistant = Assistant(real_assistant.store, real_assistant.embedder, generator, settings,
                          corpus_dir=real_assistant.corpus_dir)
    questions = [QUESTION, "What weapons system does Turkey want to buy from Russia?", "Who is Dmitry Peskov?"]
    results, errors = [], []

    def user(n: int) -> None:
        try:
            client = _client(url)
            for question in questions:
                results.append((n, question, client.predict(question, api_name="/ask")))
        except Exception as exc:  # collected and asserted below
            errors.append(repr(exc))

    with serve(assistant) as url:
        started = time.perf_counter()
        threads = [threading.Thread(target=user, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        seconds = time.perf_counter() - started
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "concurrency.json").write_text(json.dumps(
        {"users": 4, "questions_each": 3, "answered": len(results), "errors": errors, "seconds": round(seconds, 1),
         "max_simultaneous_generations": generator.max_active}, indent=2))
    assert errors == []
    assert len(results) == 12 and all(r["answer"].strip() for _, _, r in results)
    assert generator.max_active == 1
