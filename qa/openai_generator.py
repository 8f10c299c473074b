"""Generator backend on any OpenAI-compatible server (llama.cpp, vLLM, Ollama, TGI): QA_BACKEND=openai."""

from __future__ import annotations

import json
import logging
from typing import Iterator

from index.errors import ReportedError, SettingsError
from qa.generation import Message

log = logging.getLogger(__name__)

PLACEHOLDER_KEY = "not-needed"  # local servers take any key; the client refuses an empty one


class GeneratorServerError(ReportedError, RuntimeError):
    """The generation server is down, slow, refused the request, or died mid-answer (one line naming its URL)."""


def parse_extra_body(text: str) -> dict:
    """QA_OPENAI_EXTRA_BODY as a dict: empty -> {}, else a JSON object (SettingsError otherwise)."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(f"QA_OPENAI_EXTRA_BODY must be a JSON object: {exc}") from None
    if not isinstance(value, dict):
        raise SettingsError(f"QA_OPENAI_EXTRA_BODY must be a JSON object, got {type(value).__name__}")
    return value


class OpenAIGenerator:
    """Streams chat completions from an OpenAI-compatible server with the official `openai` client.

    Greedy (temperature 0). The client retries connection errors, 408/429 and 5xx `retries` times with exponential
    backoff before any text arrives; a stream that dies after text arrived is not retried (the pieces are already
    out) and raises GeneratorServerError. `timeout` bounds each wait for the server's next bytes.
    """

    def __init__(self, base_url: str, model: str, *, api_key: str = "", timeout: float = 30.0,
                 connect_timeout: float = 5.0, retries: int = 2, extra_body: dict | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.model_id = model
        self.api_key = api_key or PLACEHOLDER_KEY
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.retries = retries
        self.extra_body = dict(extra_body or {})
        self._client = None

    @classmethod
    def from_settings(cls, settings) -> "OpenAIGenerator":
        """The generator the QA_OPENAI_* settings describe."""
        return cls(settings.openai_base_url, settings.openai_model or settings.generator,
                   api_key=settings.openai_api_key, timeout=settings.openai_timeout,
                   connect_timeout=settings.openai_connect_timeout, retries=settings.openai_retries,
                   extra_body=parse_extra_body(settings.openai_extra_body))

    def load(self) -> "OpenAIGenerator":
        """Create the HTTP client (no request is sent; `check()` asks the server)."""
        if self._client is None:
            from openai import OpenAI, Timeout

            # openai's own Timeout: the HTTP library under it changed (httpx, then httpx2, which refuses an
            # httpx.Timeout since 2.17)
            self._client = OpenAI(base_url=self.base_url, api_key=self.api_key, max_retries=self.retries,
                                  timeout=Timeout(self.timeout, connect=self.connect_timeout))
        return self

    def check(self) -> list[str]:
        """The model ids the server lists (GeneratorServerError when it cannot be reached)."""
        self.load()
        try:
            return [m.id for m in self._client.models.list()]
        except Exception as exc:  # noqa: BLE001 - turned into one line naming the server
            raise self._error(exc, "listing models") from None

    def stream(self, messages: list[Message], max_new_tokens: int) -> Iterator[str]:
        """Greedy completion of at most max_new_tokens, yielding text pieces as the server sends them."""
        self.load()
        try:
            stream = self._client.chat.completions.create(
                model=self.model_id, messages=messages, max_tokens=max_new_tokens, temperature=0.0, top_p=1.0,
                stream=True, extra_body=self.extra_body or None)
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc, "starting the answer") from None
        received = False
        try:
            with stream:
                for chunk in stream:
                    if not chunk.choices:
                        continue
                    text = chunk.choices[0].delta.content
                    if text:
                        received = True
                        yield text
        except GeneratorExit:
            raise  # the caller stopped reading (one sentence is enough): closing the stream is not an error
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc, "streaming the answer (it stopped mid-answer)" if received
                              else "waiting for the answer") from None

    def _error(self, exc: Exception, doing: str) -> GeneratorServerError:
        """One line that names the server, what we were doing, and what went wrong."""
        import openai

        timeouts, http_errors = _transport_errors()
        where = f"generator server {self.base_url}"
        if isinstance(exc, (openai.APITimeoutError, *timeouts)):
            what = f"timed out ({self.timeout:g} s without data) while {doing}"
        elif isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc
            what = f"is unreachable while {doing} ({type(cause).__name__}: {_one_line(cause)})"
        elif isinstance(exc, openai.NotFoundError):
            what = f"refused model {self.model_id!r} (404: {_one_line(exc)})"
        elif isinstance(exc, openai.APIStatusError):
            what = f"answered {exc.status_code} while {doing}: {_one_line(exc)}"
        elif isinstance(exc, (*http_errors, openai.APIError)):
            what = f"failed while {doing} ({type(exc).__name__}: {_one_line(exc)})"
        else:
            what = f"failed while {doing} ({type(exc).__name__}: {_one_line(exc)})"
        log.warning("%s %s", where, what)
        return GeneratorServerError(f"{where} {what}")


def _transport_errors() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """The timeout and HTTP error classes of the HTTP libraries openai may run on (httpx2 in openai 3, httpx before):
    a read that times out mid-stream reaches us unwrapped."""
    import importlib

    modules = []
    for name in ("httpx2", "httpx"):
        try:
            modules.append(importlib.import_module(name))
        except ImportError:
            continue
    return tuple(m.TimeoutException for m in modules), tuple(m.HTTPError for m in modules)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] + ("..." if len(text) > 300 else "")
