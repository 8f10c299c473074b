"""QA_BACKEND=openai without a server: settings, the extra body, and the one-line errors naming the server."""

from __future__ import annotations

import httpx
import openai
import pytest

from benchmarks.llama_server import free_port
from index.errors import SettingsError
from qa import Settings
from qa.generation import make_generator
from qa.openai_generator import GeneratorServerError, OpenAIGenerator, parse_extra_body

URL = "http://127.0.0.1:9999/v1"


def test_openai_backend_is_built_from_the_settings(monkeypatch):
    monkeypatch.setenv("QA_BACKEND", "openai")
    monkeypatch.setenv("QA_OPENAI_BASE_URL", URL + "/")
    monkeypatch.setenv("QA_OPENAI_EXTRA_BODY", '{"repeat_penalty": 1.0}')
    generator = make_generator(Settings.from_env())
    assert isinstance(generator, OpenAIGenerator) and generator._client is None  # no request until used
    assert generator.base_url == URL and generator.model_id == "SmolLM2-135M-Instruct"
    assert generator.extra_body == {"repeat_penalty": 1.0} and generator.api_key == "not-needed"
    assert make_generator(Settings(backend="openai", openai_model="qwen")).model_id == "qwen"


@pytest.mark.parametrize("text, message", [("[1]", "JSON object, got list"), ("{bad", "must be a JSON object")])
def test_a_bad_extra_body_is_a_settings_error(text, message):
    assert parse_extra_body("  ") == {}
    with pytest.raises(SettingsError, match=message):
        parse_extra_body(text)


@pytest.mark.parametrize("changes", [{"openai_timeout": 0}, {"openai_retries": -1}, {"api_queue": -1},
                                     {"api_max_request_bytes": 10}, {"reader_focus_window": -1.0},
                                     {"reader_polar_window": -1.0}, {"reader_contact_window": -1.0}])
def test_settings_out_of_range_are_refused(changes):
    with pytest.raises(SettingsError):
        Settings(**changes)


def test_nothing_listening_is_a_one_line_error_naming_the_url():
    url = f"http://127.0.0.1:{free_port()}/v1"
    generator = OpenAIGenerator(url, "m", retries=0)
    with pytest.raises(GeneratorServerError, match=f"^generator server {url} is unreachable while starting"):
        list(generator.stream([{"role": "user", "content": "hi"}], 8))
    with pytest.raises(GeneratorServerError, match="unreachable while listing models"):
        generator.check()


def status_error(cls, code: int, message: str):
    request = httpx.Request("POST", URL + "/chat/completions")
    return cls(message, response=httpx.Response(code, request=request), body=None)


@pytest.mark.parametrize("exc, expected", [
    (status_error(openai.NotFoundError, 404, "model 'm' not found"), "refused model 'm' (404: model 'm' not found)"),
    (status_error(openai.InternalServerError, 500, "boom"), "answered 500 while starting the answer: boom"),
    (openai.APITimeoutError(httpx.Request("POST", URL)), "timed out (30 s without data) while starting the answer"),
    (httpx.RemoteProtocolError("peer closed connection"), "failed while starting the answer (RemoteProtocolError"),
])
def test_errors_say_what_happened_in_one_line(exc, expected):
    error = OpenAIGenerator(URL, "m")._error(exc, "starting the answer")
    assert str(error).startswith(f"generator server {URL} {expected}")
    assert "\n" not in str(error)


def test_a_read_timeout_of_the_http_library_under_openai_is_a_timeout():
    httpx2 = pytest.importorskip("httpx2")  # what openai 3 runs on; a read timeout mid-stream comes unwrapped
    error = OpenAIGenerator(URL, "m")._error(httpx2.ReadTimeout("read"), "streaming the answer")
    assert "timed out (30 s without data) while streaming the answer" in str(error)


def test_the_client_gets_the_read_and_connect_timeouts():
    client = OpenAIGenerator(URL, "m", timeout=12.0, connect_timeout=3.0).load()._client
    assert (client.timeout.read, client.timeout.connect) == (12.0, 3.0)
