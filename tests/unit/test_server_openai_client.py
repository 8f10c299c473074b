"""The official `openai` client, unchanged, against our API (fake models, real HTTP on 127.0.0.1): chat, streaming,
history, citations, errors."""

from __future__ import annotations

import openai
import pytest

from fakes import ScriptedGenerator
from server_helpers import serve_in_thread
from test_server import QUESTION, FailingGenerator, make_app


@pytest.fixture
def generator():
    return ScriptedGenerator("Putin met Erdogan in Moscow [1].")


@pytest.fixture
def client(corpus, tmp_path, generator):  # noqa: F811
    with serve_in_thread(make_app(corpus, tmp_path, generator=generator, api_key="k3y")) as url:
        yield openai.OpenAI(base_url=url + "/v1", api_key="k3y", max_retries=0, timeout=30)


def test_chat_completion_has_markers_in_content_and_citations_beside(client):
    assert [m.id for m in client.models.list()] == ["local-doc-qa"]
    completion = client.chat.completions.create(model="local-doc-qa", messages=[
        {"role": "system", "content": "You are helpful."}, {"role": "user", "content": QUESTION}])
    content = completion.choices[0].message.content
    assert "Moscow" in content and "[1]" in content and completion.choices[0].finish_reason == "stop"
    citations = completion.model_extra["citations"]
    assert citations[0]["marker"] == 1 and citations[0]["source"] == "talks.md"
    assert completion.model_extra["abstained"] is False


def test_streamed_chat_joins_to_the_same_answer_and_ends_with_citations(client):
    whole = client.chat.completions.create(model="any-name", messages=[{"role": "user", "content": QUESTION}])
    chunks = list(client.chat.completions.create(model="any-name", stream=True,
                                                 messages=[{"role": "user", "content": QUESTION}]))
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == whole.choices[0].message.content
    assert chunks[0].choices[0].delta.role == "assistant" and chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["citations"] == whole.model_extra["citations"]


def test_history_is_the_earlier_turns(client, generator):
    reply = client.chat.completions.create(model="local-doc-qa", messages=[
        {"role": "user", "content": "Who met Erdogan?"}, {"role": "assistant", "content": "Putin [1]"},
        {"role": "user", "content": [{"type": "text", "text": "Where did he meet Erdogan?"}]}])
    # read as the standalone "Where did Putin meet Erdogan?", the one question the scripted reader answers
    assert reply.model_extra["short_answer"]["text"] == "Moscow"
    assert [s["origin"] for s in reply.model_extra["sentences"]] == ["model", "quote"]


def test_errors_reach_the_client_typed(client, corpus, tmp_path):  # noqa: F811
    with pytest.raises(openai.BadRequestError, match="last message must be the user"):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": QUESTION},
                                                            {"role": "assistant", "content": "hi"}])
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=str(client.base_url), api_key="wrong", max_retries=0).models.list()
    with serve_in_thread(make_app(corpus, tmp_path / "down", generator=FailingGenerator())) as url:
        down = openai.OpenAI(base_url=url + "/v1", api_key="x", max_retries=0, timeout=30)
        with pytest.raises(openai.APIStatusError, match="unreachable") as raised:
            down.chat.completions.create(model="m", messages=[{"role": "user", "content": QUESTION}])
        assert raised.value.status_code == 502
        with pytest.raises(openai.APIError, match="unreachable"):  # the stream's error event
            list(down.chat.completions.create(model="m", stream=True,
                                              messages=[{"role": "user", "content": QUESTION}]))
