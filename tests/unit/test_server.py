"""The HTTP API over fake models: /v1/ask (+SSE), errors and statuses, auth, limits, the queue, readiness."""

from __future__ import annotations

import json
import threading

import pytest
from fastapi.testclient import TestClient

from fakes import HashingEmbedder, ScriptedGenerator, ScriptedReader
from qa import ABSTAIN_MESSAGE, Assistant, Settings
from qa.openai_generator import GeneratorServerError

QUESTION = "Where did Putin meet Erdogan?"


class FailingGenerator:
    """A served generator whose server is down: fails the way OpenAIGenerator does."""

    model_id = "down"

    def stream(self, messages, max_new_tokens):
        raise GeneratorServerError("generator server http://127.0.0.1:9/v1 is unreachable while starting the answer")
        yield  # pragma: no cover


class GatedGenerator(ScriptedGenerator):
    """Holds every answer until `gate` is set (to fill the queue)."""

    def __init__(self) -> None:
        super().__init__("Putin met Erdogan in Moscow [1].")
        self.gate, self.entered = threading.Event(), threading.Event()

    def stream(self, messages, max_new_tokens):
        self.entered.set()
        assert self.gate.wait(30)
        yield from super().stream(messages, max_new_tokens)


def make_app(corpus, tmp_path, generator=None, load=None, **settings):
    from qa.server import create_app

    settings = Settings(data_dir=tmp_path / "data", model_sentences=True, **settings)
    assistant = Assistant.from_corpus(corpus, settings, embedder=HashingEmbedder(),
                                      generator=generator or ScriptedGenerator("Putin met Erdogan in Moscow [1]."),
                                      reader=ScriptedReader({"Where did Putin meet Erdogan?": ("Moscow", "in Moscow on")}),
                                      show_progress=False)
    return create_app(load or (lambda: assistant), settings)


@pytest.fixture
def client(corpus, tmp_path):
    with TestClient(make_app(corpus, tmp_path)) as c:
        wait_ready(c)
        yield c


def wait_ready(client):
    for _ in range(200):
        if client.get("/readyz").status_code == 200:
            return
        threading.Event().wait(0.02)
    raise AssertionError(client.get("/readyz").json())


def events(text: str) -> list[tuple[str, dict]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        out.append((lines.get("event", "message"), json.loads(lines["data"])))
    return out


def test_ask_returns_the_cli_json_contract(client):
    body = client.post("/v1/ask", json={"question": f"  {QUESTION} "}).json()
    assert set(body) == {"answer", "citations", "abstained", "short_answer", "sentences"} and not body["abstained"]
    assert body["answer"].startswith("Moscow [1]\n\n") and body["citations"][0]["marker"] == 1
    assert body["short_answer"]["text"] == "Moscow" and body["short_answer"]["marker"] == 1
    assert [s["origin"] for s in body["sentences"]] == ["model", "quote"]
    assert body["citations"][0]["source"] == "talks.md" and "Moscow" in body["citations"][0]["text"]


def test_ask_abstains_and_takes_history_and_top_k(corpus, tmp_path):
    generator = ScriptedGenerator("Putin met Erdogan in Moscow [1].")
    with TestClient(make_app(corpus, tmp_path, generator=generator)) as c:
        wait_ready(c)
        body = c.post("/v1/ask", json={"question": "Which composer wrote the Goldberg variations?"}).json()
        assert body == {"answer": ABSTAIN_MESSAGE, "citations": [], "abstained": True, "short_answer": None,
                        "sentences": []}
        follow = c.post("/v1/ask", json={"question": "Where did he meet Erdogan?", "top_k": 1,
                                         "history": [{"question": "Who met Erdogan?", "answer": "Putin [1]"}]})
        # read as the standalone "Where did Putin meet Erdogan?", which the scripted reader answers
        assert follow.status_code == 200 and follow.json()["short_answer"]["text"] == "Moscow"


def test_ask_and_chat_answer_from_the_documents_named(corpus, tmp_path):
    (corpus / "zoo.md").write_text("# Zoo\n\nPutin met Erdogan at the zoo in Sochi, where the zebras graze.\n")
    with TestClient(make_app(corpus, tmp_path)) as c:
        wait_ready(c)
        assert [d["source"] for d in c.get("/v1/documents").json()["documents"]] == ["talks.md", "zoo.md"]
        body = c.post("/v1/ask", json={"question": QUESTION, "documents": ["zoo.md"]}).json()
        assert {x["source"] for x in body["citations"]} <= {"zoo.md"} and "Moscow" not in body["answer"]
        chat = c.post("/v1/chat/completions", json={"model": "local-doc-qa", "documents": ["zoo.md"],
                                                    "messages": [{"role": "user", "content": QUESTION}]}).json()
        assert "Moscow" not in chat["choices"][0]["message"]["content"]
        refused = c.post("/v1/chat/completions", json={"model": "local-doc-qa", "documents": ["gone.md"],
                                                       "messages": [{"role": "user", "content": QUESTION}]})
        assert refused.status_code == 400 and "gone.md" in refused.json()["error"]["message"]


def test_ask_streams_pieces_then_the_verified_answer(client):
    response = client.post("/v1/ask", json={"question": QUESTION, "stream": True})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    got = events(response.text)
    assert got[0][0] == "direct" and got[0][1]["text"] == "Moscow" and got[-1][0] == "answer"
    assert [e for e, _ in got[1:-1]] == ["piece"] * (len(got) - 2)
    assert "".join(d["text"] for _, d in got[1:-1]) == got[-1][1]["answer"]
    assert got[-1][1]["short_answer"] == {k: got[0][1][k] for k in ("text", "marker", "start", "end", "verdict")}
    assert got[-1][1] == client.post("/v1/ask", json={"question": QUESTION}).json()


@pytest.mark.parametrize("body, status, fragment", [
    ({"question": "   "}, 400, "question is empty"),
    ({"question": 3}, 400, "question"),
    ({"question": "x" * 2001}, 413, "too long"),
    ({"question": QUESTION, "top_k": 0}, 400, "top_k"),
    ({"question": QUESTION, "colour": "red"}, 400, "colour"),
    ({"question": QUESTION, "documents": ["gone.md"]}, 400, "no document named 'gone.md' in the index; its documents: talks.md"),
    ({"question": QUESTION, "documents": ["gone.md"], "stream": True}, 400, "no document named 'gone.md'"),
    ({"question": QUESTION, "documents": []}, 400, "documents"),
    ({}, 400, "question"),
])
def test_bad_requests_get_json_errors_with_fitting_statuses(client, body, status, fragment):
    response = client.post("/v1/ask", json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert fragment in error["message"] and error["code"] == status


def test_malformed_json_and_oversized_bodies_are_refused(client):
    bad = client.post("/v1/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"]["type"] == "bad_request"
    big = client.post("/v1/ask", content=b"x" * 70000, headers={"content-type": "application/json"})
    assert big.status_code == 413 and "70000 bytes" in big.json()["error"]["message"]

    def chunked():  # no Content-Length: the limit applies while the body is read
        for _ in range(70):
            yield b" " * 1000
    streamed = client.post("/v1/ask", content=chunked(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["error"]["type"] == "too_large"


def test_bearer_auth_guards_v1_but_not_health(corpus, tmp_path):
    with TestClient(make_app(corpus, tmp_path, api_key="s3cret")) as c:
        wait_ready(c)
        assert c.get("/healthz").json() == {"status": "ok"} and c.get("/readyz").status_code == 200
        assert c.get("/v1/models").status_code == 401
        wrong = c.post("/v1/ask", json={"question": QUESTION}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and "bearer" in wrong.json()["error"]["message"]
        ok = c.post("/v1/ask", json={"question": QUESTION}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200


def test_models_documents_and_openapi_schema(client):
    assert [m["id"] for m in client.get("/v1/models").json()["data"]] == ["local-doc-qa"]
    docs = client.get("/v1/documents").json()["documents"]
    assert docs == [{"source": "talks.md", "title": "Talks in Moscow", "chunks": 1}]
    schema = client.get("/openapi.json").json()
    ask = schema["components"]["schemas"]["AskRequest"]["properties"]
    assert all(field.get("description") for field in ask.values())
    assert {"/v1/ask", "/v1/chat/completions", "/v1/models", "/v1/documents", "/healthz", "/readyz"} <= set(
        schema["paths"])
    assert "429" in schema["paths"]["/v1/ask"]["post"]["responses"]


def test_not_ready_is_503_and_a_failed_load_says_why(corpus, tmp_path):
    release = threading.Event()

    def slow_load():
        release.wait(30)
        raise FileNotFoundError("no index here")
    with TestClient(make_app(corpus, tmp_path, load=slow_load)) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/readyz").status_code == 503
        response = c.post("/v1/ask", json={"question": QUESTION})
        assert response.status_code == 503 and "still loading" in response.json()["error"]["message"]
        release.set()
        for _ in range(100):
            if "failed" in c.get("/readyz").json()["detail"]:
                break
            threading.Event().wait(0.02)
        assert "no index here" in c.post("/v1/ask", json={"question": QUESTION}).json()["error"]["message"]


def test_generator_server_down_is_502_and_the_api_keeps_serving(corpus, tmp_path):
    with TestClient(make_app(corpus, tmp_path, generator=FailingGenerator())) as c:
        wait_ready(c)
        response = c.post("/v1/ask", json={"question": QUESTION})
        assert response.status_code == 502 and "127.0.0.1:9" in response.json()["error"]["message"]
        streamed = events(c.post("/v1/ask", json={"question": QUESTION, "stream": True}).text)
        assert [e for e, _ in streamed[:2]] == ["direct", "piece"] and streamed[-1][0] == "error"
        assert streamed[-1][1]["error"]["code"] == 502
        # abstentions never call the generator: still served
        assert c.post("/v1/ask", json={"question": "Who composed the Goldberg variations?"}).status_code == 200


def test_a_full_queue_answers_429_at_once(corpus, tmp_path):
    import httpx

    from server_helpers import serve_in_thread

    generator = GatedGenerator()
    app = make_app(corpus, tmp_path, generator=generator, api_queue=1)
    with serve_in_thread(app) as url:
        results = []

        def ask():
            results.append(httpx.post(url + "/v1/ask", json={"question": QUESTION}, timeout=30).status_code)
        first = threading.Thread(target=ask)
        first.start()
        assert generator.entered.wait(10)  # one answering
        second = threading.Thread(target=ask)
        second.start()
        for _ in range(100):  # ... and one waiting: the queue is full
            if app.state.queue._slots._value == 0:
                break
            threading.Event().wait(0.02)
        refused = httpx.post(url + "/v1/ask", json={"question": QUESTION}, timeout=5)
        assert refused.status_code == 429 and refused.json()["error"]["type"] == "queue_full"
        assert httpx.get(url + "/healthz", timeout=5).status_code == 200
        generator.gate.set()
        first.join(30)
        second.join(30)
        assert results == [200, 200]


def test_serve_refuses_a_bad_port_before_loading_anything(capsys):
    from qa.cli import main

    assert main(["serve", "--port", "70000"]) == 2
    assert "error: --port must be between 1 and 65535, got 70000" in capsys.readouterr().err
