"""The served HTTP API (`python -m qa serve`, real models, its own process): hostile history on every answering
route, ready only once warm, 16 and 64 concurrent clients, a newly published index picked up by the running
server; its log holds no traceback."""

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
from rel_report import record
from ui_clients import percentile, rss_mb
from ui_helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "corpus" / "russia-turkey-rapprochement.md"
QUESTIONS = ["Why did relations hit a nadir?", "What weapons system does Turkey want to buy from Russia?",
             "Who is Dmitry Peskov?", "When did Putin and Erdogan meet?", "What happened to the Russian jet?",
             "What is the capital of France?", "How long do kittens sleep?"]
NEW_DOC = "The Ankara tram museum opened on 14 May 2019 and holds forty restored tramcars."
ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    root = tmp_path_factory.mktemp("live-api")
    corpus, data, log = root / "corpus", root / "data", root / "api.log"
    corpus.mkdir()
    (corpus / ARTICLE.name).write_bytes(ARTICLE.read_bytes())
    env = {**os.environ, **ENV, "QA_DATA_DIR": str(data)}
    for name in ("QA_API_QUEUE", "QA_API_INDEX_POLL_S", "QA_API_KEY"):  # the defaults are under test
        env.pop(name, None)
    port = free_port()
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--port", str(port), "--corpus",
                                    str(corpus)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the API did not become ready: {log.read_text()[-3000:]}")
            try:
                if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        yield url, process, corpus, data, env
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


def test_the_first_answer_after_ready_is_fast(api):
    url, *_ = api
    started = time.perf_counter()
    first = httpx.post(url + "/v1/ask", json={"question": "What does Russia export to Turkey?"}, timeout=120)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    httpx.post(url + "/v1/ask", json={"question": "Which pipeline do Russia and Turkey build?"}, timeout=120)
    second_s = time.perf_counter() - started
    assert first.status_code == 200, first.text
    record("first API answer after /readyz (real models)", first_s=round(first_s, 2), second_s=round(second_s, 2))
    assert first_s < 1.5 + 3 * second_s, (first_s, second_s)


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
    url, _, corpus, data, env = api
    listed = lambda: {d["source"] for d in httpx.get(url + "/v1/documents", timeout=30).json()["documents"]}  # noqa
    assert listed() == {ARTICLE.name}
    (corpus / "tram.txt").write_text(NEW_DOC)
    done = subprocess.run([sys.executable, "-m", "index", "build", str(corpus)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    published = time.perf_counter()
    while "tram.txt" not in listed():
        assert time.perf_counter() - published < 30, "the running server never listed the new document"
        time.sleep(0.1)
    pickup_s = time.perf_counter() - published
    answer = httpx.post(url + "/v1/ask", json={"question": "When did the Ankara tram museum open?"}, timeout=120)
    assert not answer.json()["abstained"] and answer.json()["citations"][0]["source"] == "tram.txt", answer.text
    assert "2 documents" in httpx.get(url + "/readyz", timeout=30).json()["detail"]
    record("a newly published index seen by the running API", seconds_after_publishing=round(pickup_s, 2),
           poll_interval_s=2)
    assert pickup_s < 10, pickup_s
