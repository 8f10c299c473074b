"""The served HTTP API (`python -m qa serve`, real models, its own process): ready only once warm, every hostile
input on every answering route, 16 and 64 concurrent clients, a newly published index picked up by the running
server; its log holds no traceback (server_helpers.api_process checks it when the server stops)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from hostile import FRAGMENTS
from rel_report import record
from server_helpers import FakeGenerator, Moment, api_process, assert_no_traceback
from ui_clients import percentile, rss_mb

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "corpus" / "russia-turkey-rapprochement.md"
QUESTIONS = ["Why did relations hit a nadir?", "What weapons system does Turkey want to buy from Russia?",
             "Who is Dmitry Peskov?", "When did Putin and Erdogan meet?", "What happened to the Russian jet?",
             "What is the capital of France?", "How long do kittens sleep?"]
PICKED_UP = "serving the newly published index"  # what a worker logs when it swaps one in
NEW_DOC = "The Ankara tram museum opened on 14 May 2019 and holds forty restored tramcars."


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    root = tmp_path_factory.mktemp("live-api")
    corpus, data, log = root / "corpus", root / "data", root / "api.log"
    corpus.mkdir()
    (corpus / ARTICLE.name).write_bytes(ARTICLE.read_bytes())
    with api_process(corpus, data, log) as (url, process, env):  # all API settings at their defaults
        yield url, process, corpus, data, env, log


def test_ready_only_after_a_warm_up_answer(tmp_path):
    """/readyz turns 200 only once the worker has warmed up (an answer to a question from the corpus, and a token
    from the generator), so the first client does not pay for lazily loaded models: by then the generator (a fake
    OpenAI-compatible server, QA_BACKEND=openai, which records every request) has been asked to write about the
    corpus. Before commit 63775ee nothing had been asked when /readyz said ready."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tram.txt").write_text(NEW_DOC + " Its oldest tramcar was built in Milan in 1928. Visitors may ride "
                                               "a restored car on Sundays.")
    with FakeGenerator() as generator:
        env = {"QA_BACKEND": "openai", "QA_OPENAI_BASE_URL": generator.url, "QA_OPENAI_MODEL": "fake",
               "QA_OPENAI_RETRIES": "0", "QA_MODEL_SENTENCES": "1"}
        with api_process(corpus, tmp_path / "data", tmp_path / "api.log", env) as (url, _, _):
            asked_before_ready = list(generator.chats)
            answer = httpx.post(url + "/v1/ask", json={"question": "When did the Ankara tram museum open?"},
                                timeout=120)
            asked_by_the_first_answer = len(generator.chats) - len(asked_before_ready)
    assert answer.status_code == 200 and not answer.json()["abstained"], answer.text
    assert asked_by_the_first_answer >= 1, "the set-up is wrong: an answer should ask the generator"
    record("API warm-up before /readyz", generator_requests_before_ready=len(asked_before_ready))
    assert asked_before_ready, "/readyz answered 200 before any answer had been made (no warm-up)"
    assert any("tramcar" in json.dumps(request) for request in asked_before_ready), asked_before_ready


SURROGATE = "Who designed the reactor \\ud800?"  # JSON text: a lone surrogate once decoded


@pytest.mark.parametrize("stream", [False, True])
def test_a_lone_surrogate_in_the_history_is_answered(api, stream):
    url, *_ = api
    follow_up = "And when did they meet?"
    bodies = {
        "/v1/ask": f'{{"question": "{follow_up}", "stream": {json.dumps(stream)}, "history": '
                   f'[{{"question": "{SURROGATE}", "answer": "Helga \\udfff"}}]}}',
        "/v1/chat/completions": f'{{"model": "local-doc-qa", "stream": {json.dumps(stream)}, "messages": ['
                                f'{{"role": "user", "content": "{SURROGATE}"}}, '
                                f'{{"role": "assistant", "content": "Helga \\udfff"}}, '
                                f'{{"role": "user", "content": "{follow_up}"}}]}}'}
    for path, body in bodies.items():
        response = httpx.post(url + path, content=body.encode(), headers={"Content-Type": "application/json"},
                              timeout=120)
        assert response.status_code == 200, (path, response.text)
        assert '"error"' not in response.text and "event: error" not in response.text, (path, response.text)
        if stream:
            assert "event: answer" in response.text or "[DONE]" in response.text, response.text


HOSTILE = FRAGMENTS + ["x" * 100_000, "why " * 600, "\x00" * 50]
FOLLOW_UP = "When did Russia and Turkey sign the agreement?"
REFUSALS = ("question is empty", "question is too long", "exceeds the limit")  # what a 4xx may say, and why


def hostile_requests(text: str) -> list[tuple[str, dict]]:
    """(path, body) of every place a client's text enters the answering routes, `text` in each in turn: the
    question and an earlier turn of /v1/ask; the user's question and earlier user and assistant turns of
    /v1/chat/completions; each streamed and not."""
    requests = []
    for stream in (False, True):
        requests += [
            ("/v1/ask", {"question": text, "stream": stream}),
            ("/v1/ask", {"question": FOLLOW_UP, "stream": stream, "history": [{"question": text, "answer": text}]}),
            ("/v1/chat/completions", {"model": "local-doc-qa", "stream": stream,
                                      "messages": [{"role": "user", "content": text}]}),
            ("/v1/chat/completions", {"model": "local-doc-qa", "stream": stream, "messages": [
                {"role": "user", "content": text}, {"role": "assistant", "content": text},
                {"role": "user", "content": FOLLOW_UP}]}),
        ]
    return requests


def outcome(response: httpx.Response, stream: bool) -> str:
    """"answered", or "refused NNN" for a clear one-line 4xx JSON error naming the problem; AssertionError for
    anything else (a 500, an error event in a stream, a stream without its answer, a vague refusal)."""
    assert response.status_code < 500, response.text[:500]
    if response.status_code != 200:
        assert 400 <= response.status_code < 500, response.status_code
        message = response.json()["error"]["message"]
        assert "\n" not in message and any(reason in message for reason in REFUSALS), message
        return f"refused {response.status_code}"
    if not stream:
        body = response.json()
        assert "error" not in body and ("answer" in body or body["choices"][0]["message"]["content"]), body
        return "answered"
    events = [line[len("data: "):] for line in response.text.splitlines() if line.startswith("data: ")]
    assert "event: error" not in response.text and events, response.text[:500]
    assert all("error" not in json.loads(e) for e in events if e != "[DONE]"), response.text[:500]
    assert "event: answer" in response.text or events[-1] == "[DONE]", response.text[-500:]
    return "answered"


def test_hostile_inputs_on_every_answering_route(api):
    """Every hostile input of the suite (hostile.FRAGMENTS: NUL, escape sequences, lone surrogates, RTL marks,
    injections, other scripts; plus 100,000 characters, 2,400 characters, 50 NULs) as the question and as earlier
    turns of /v1/ask and /v1/chat/completions, streamed and not: a 200 with an answer, or a clear 4xx JSON error
    naming the problem; never a 500, and nothing in the server's log but one-line messages."""
    url, *_, log = api
    outcomes: dict[str, int] = {}
    with httpx.Client(timeout=120) as http:
        for text in HOSTILE:
            for path, body in hostile_requests(text):
                # ensure_ascii: a lone surrogate travels as the JSON escape \\ud800 (UTF-8 cannot carry it)
                response = http.post(url + path, content=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
                try:
                    result = outcome(response, body["stream"])
                except (AssertionError, KeyError, ValueError) as exc:
                    raise AssertionError(f"{path} {json.dumps(body)[:300]}: {exc}") from None
                outcomes[result] = outcomes.get(result, 0) + 1
    assert_no_traceback(log, "python -m qa serve")
    record("hostile inputs to the API's answering routes (real models)", inputs=len(HOSTILE),
           requests=sum(outcomes.values()), **{k.replace(" ", "_"): v for k, v in sorted(outcomes.items())})
    assert outcomes.get("answered", 0) > len(HOSTILE), outcomes


def load(url: str, clients: int, seconds: float) -> dict:
    """`clients` threads asking one question after another for `seconds`: served, refused, other, latencies."""
    latencies, outcomes, lock = [], {"served": 0, "refused": 0, "other": 0}, threading.Lock()
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        with httpx.Client(timeout=300) as http:
            n = i
            while time.monotonic() < stop:
                started = time.perf_counter()
                status = http.post(url + "/v1/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]}).status_code
                with lock:
                    kind = {200: "served", 429: "refused"}.get(status, "other")
                    outcomes[kind] += 1
                    if kind == "served":
                        latencies.append(time.perf_counter() - started)
                n += 1
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {**outcomes, "p50_s": round(percentile(latencies, 50), 3), "p95_s": round(percentile(latencies, 95), 3)}


@pytest.mark.parametrize("clients", [16, 64])
def test_concurrent_clients_with_the_default_queue(api, clients, heavy):
    url, process, *_ = api
    seconds = 60 if heavy else 10
    before = rss_mb(process.pid)
    result = load(url, clients, seconds)
    after = rss_mb(process.pid)
    record(f"API, {clients} concurrent clients for {seconds} s (default settings, 1 worker)", **result,
           rss_mb_before=round(before), rss_mb_after=round(after), load_average=round(os.getloadavg()[0], 1))
    assert result["other"] == 0, result
    if clients <= 16:  # the default queue (QA_API_QUEUE=32) holds every client of 16
        assert result["refused"] == 0 and result["served"] > 0, result
    else:  # 64 clients: what does not fit is refused at once, the rest is served
        assert result["served"] > 0, result
    assert after < before + 200, (before, after)


def test_a_newly_published_index_is_picked_up_by_the_running_server(api):
    """`index build` (another process) adds a document and publishes a generation (the CURRENT pointer): the
    running worker logs that it serves it, lists the document and answers from it, within the poll interval
    (QA_API_INDEX_POLL_S, 2 s) of the pointer moving."""
    from index.settings import Settings

    url, _, corpus, data, env, log = api
    listed = lambda: {d["source"] for d in httpx.get(url + "/v1/documents", timeout=30).json()["documents"]}  # noqa
    assert listed() == {ARTICLE.name}
    pointer = Settings(data_dir=data).index_dir_for(corpus) / "CURRENT"
    before = pointer.read_text()
    moved, logged = Moment(lambda: pointer.read_text() != before), Moment(lambda: PICKED_UP in log.read_text())
    (corpus / "tram.txt").write_text(NEW_DOC)
    done = subprocess.run([sys.executable, "-m", "index", "build", str(corpus)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    returned = time.perf_counter()
    while "tram.txt" not in listed():
        assert time.perf_counter() - returned < 30, "the running server never listed the new document"
        time.sleep(0.05)
    listed_s = time.perf_counter() - returned
    assert moved.wait(5) and logged.wait(30), "the pointer moved and the worker logged serving the new index"
    answer = httpx.post(url + "/v1/ask", json={"question": "When did the Ankara tram museum open?"}, timeout=120)
    assert not answer.json()["abstained"] and answer.json()["citations"][0]["source"] == "tram.txt", answer.text
    assert "2 documents" in httpx.get(url + "/readyz", timeout=30).json()["detail"]
    pickup_s = logged.at - moved.at
    record("a newly published index seen by the running API", seconds_after_the_pointer_moved=round(pickup_s, 2),
           listed_seconds_after_the_build_returned=round(listed_s, 2), poll_interval_s=2,
           load_average=round(os.getloadavg()[0], 1))
    assert pickup_s < 2 + 10, pickup_s  # the poll interval, plus loading the new generation on a busy machine
