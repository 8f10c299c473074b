"""QA_BACKEND=openai against a real OpenAI-compatible server: llama-cpp-python's server on the packaged SmolLM2 GGUF
(127.0.0.1, started by the fixtures). Parity with the in-process llama.cpp backend, our API in front of it with the
official openai client, and the faults: server down at start, killed mid-answer, frozen (timeout)."""

from __future__ import annotations

import html
import json
import os
import signal

import httpx
import openai
import pytest

from benchmarks import llama_server
from benchmarks.llama_server import free_port
from common import ROOT
from qa import Assistant
from qa.llamacpp_generator import LlamaCppGenerator
from qa.openai_generator import GeneratorServerError, OpenAIGenerator
from server_helpers import serve_in_thread

pytestmark = pytest.mark.e2e
EVIDENCE = ("Evidence:\n[1] Turkey plans to buy the S-400 air defence system from Russia.\n"
            "[2] Putin met Erdogan in Moscow on March 10.\n\nQuestion: ")
QUESTIONS = ["What will Turkey buy from Russia?", "Where did Putin meet Erdogan?", "When did they meet?"]
ANSWERED = "Which air defence system does Turkey want to buy from Russia?"  # a gold question (fact-07)
UNANSWERABLE = "Who won the 2016 football world cup?"


SYSTEM_PROMPT = "Answer the question from the evidence in one short sentence."


def messages(question: str) -> list[dict]:
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": EVIDENCE + question}]


@pytest.fixture(scope="module")
def server():
    with llama_server.running(threads=1) as (process, url):
        yield process, url


def served(url: str, **options) -> OpenAIGenerator:
    options = {"timeout": 60.0, "retries": 1, **options}
    return OpenAIGenerator(url, "smollm2", extra_body={"repeat_penalty": 1.0}, **options)


@pytest.fixture(scope="module")
def base(real_settings):
    """The real embedder and the article's index (no generator loaded), shared by the assistants below."""
    settings = real_settings.with_(model_sentences=True, threads=1)
    assistant = Assistant.from_corpus(ROOT / "corpus", settings, generator=LlamaCppGenerator("smollm2-135m-instruct",
                                                                                           threads=1),
                                      show_progress=False)
    return assistant


def with_generator(base: Assistant, generator) -> Assistant:
    return Assistant(base.store, base.embedder, generator, base.settings, reader=base.read.reader,
                     corpus_dir=base.corpus_dir)


def test_served_generator_decodes_exactly_like_the_in_process_one(server, base):
    local, remote = base.generator, served(server[1])
    for question in QUESTIONS:
        expected = "".join(local.stream(messages(question), 48))
        assert "".join(remote.stream(messages(question), 48)) == expected and expected


def test_concurrent_streams_are_queued_not_cut_short(server):
    """llama_cpp.server's default ends a stream early when another request arrives; the fixture turns that off."""
    from concurrent.futures import ThreadPoolExecutor

    expected = ["".join(served(server[1]).stream(messages(q), 32)) for q in QUESTIONS[:2]]
    with ThreadPoolExecutor(2) as pool:
        got = list(pool.map(lambda q: "".join(served(server[1]).stream(messages(q), 32)), QUESTIONS[:2] * 2))
    assert got == expected * 2


def test_assistant_answers_the_same_on_both_backends(server, base):
    remote = with_generator(base, served(server[1]))
    for question in (ANSWERED, "What did Putin say about the downing of the jet?", UNANSWERABLE):
        assert remote.ask(question).to_json() == base.ask(question).to_json()


def test_openai_client_through_our_api_to_the_llama_server(server, base):
    from qa.server import create_app

    expected = base.ask(ANSWERED)
    with serve_in_thread(create_app(lambda: with_generator(base, served(server[1])), base.settings)) as url:
        client = openai.OpenAI(base_url=url + "/v1", api_key="none", max_retries=0, timeout=120)
        chat = client.chat.completions.create(model="local-doc-qa", messages=[{"role": "user", "content": ANSWERED}])
        assert chat.choices[0].message.content == expected.text and "S-400" in expected.text
        assert [c["marker"] for c in chat.model_extra["citations"]] == [c.marker for c in expected.citations]
        chunks = list(client.chat.completions.create(model="local-doc-qa", stream=True, messages=[
            {"role": "user", "content": "Where did Putin meet Erdogan?"}, {"role": "assistant", "content": "x"},
            {"role": "user", "content": ANSWERED}]))
        assert "".join(c.choices[0].delta.content or "" for c in chunks) == expected.text
        text = httpx.post(url + "/v1/ask", json={"question": ANSWERED, "stream": True}, timeout=120).text
        events = [(block.split("\n")[0], json.loads(block.split("data: ", 1)[1]))
                  for block in text.strip().split("\n\n")]
        # the reader's span comes first (`direct`), then the answer's text in pieces, then the whole answer
        assert events[0] == ("event: direct", expected.to_json()["short_answer"]), events[0]
        assert {e for e, _ in events[1:-1]} == {"event: piece"} and events[-1][0] == "event: answer"
        assert "".join(d["text"] for _, d in events[1:-1]) == events[-1][1]["answer"] == expected.text
        assert events[-1][1] == expected.to_json()


def test_server_down_at_start_is_a_clear_error_and_the_api_keeps_serving(base):
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(GeneratorServerError, match=f"generator server {url} is unreachable"):
        list(served(url, retries=2).stream(messages(QUESTIONS[0]), 16))
    from qa.server import create_app

    with serve_in_thread(create_app(lambda: with_generator(base, served(url)), base.settings)) as api:
        response = httpx.post(api + "/v1/ask", json={"question": ANSWERED}, timeout=60)
        assert response.status_code == 502 and url in response.json()["error"]["message"]
        assert httpx.post(api + "/v1/ask", json={"question": UNANSWERABLE}, timeout=60).json()["abstained"]
        assert httpx.get(api + "/healthz").status_code == 200
    from ui.handlers import Handlers  # the chat UI shows the one line and answers the next question

    handlers = Handlers(with_generator(base, served(url, retries=0)))
    chat = list(handlers.respond(ANSWERED, [], [], 4))[-1][0]
    assert "qa-error" in chat[-1]["content"] and f"{url} is unreachable" in html.unescape(chat[-1]["content"])
    chat = list(handlers.respond(UNANSWERABLE, chat, [], 4))[-1][0]
    assert "do not contain" in chat[-1]["content"]


def test_server_killed_mid_answer_then_restarted(base):
    port = free_port()
    process = llama_server.start(port)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        llama_server.wait_ready(process, url)
        story = [{"role": "user", "content": "Write a long story about a cat who travels the world."}]
        pieces = served(url).stream(story, 2000)
        assert next(pieces)
        os.kill(process.pid, signal.SIGKILL)
        with pytest.raises(GeneratorServerError, match=f"generator server {url} .*mid-answer"):
            for _ in pieces:
                pass
        process.wait(10)
        from qa.server import create_app

        with serve_in_thread(create_app(lambda: with_generator(base, served(url, retries=0)), base.settings)) as api:
            down = httpx.post(api + "/v1/ask", json={"question": ANSWERED}, timeout=60)
            assert down.status_code == 502 and "unreachable" in down.json()["error"]["message"]
            process = llama_server.start(port)  # the same address: the API recovers without a restart
            llama_server.wait_ready(process, url)
            assert httpx.post(api + "/v1/ask", json={"question": ANSWERED}, timeout=120).status_code == 200
    finally:
        llama_server.stop(process)


def test_a_frozen_server_times_out_and_recovers(server):
    process, url = server
    generator = served(url, timeout=2.0, retries=1)
    os.kill(process.pid, signal.SIGSTOP)  # accepts connections (the kernel does), answers nothing
    try:
        with pytest.raises(GeneratorServerError, match=f"generator server {url} timed out"):
            list(generator.stream(messages(QUESTIONS[0]), 16))  # two 2 s waits and a backoff, not a hang
    finally:
        os.kill(process.pid, signal.SIGCONT)
    assert "".join(served(url).stream(messages(QUESTIONS[0]), 16))
