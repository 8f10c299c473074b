"""The API's plumbing: one answering thread with a bounded queue (429), the body size limit (413), SSE and errors."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import AsyncIterator

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from index.errors import VectorStoreUnavailableError
from qa.openai_generator import GeneratorServerError

log = logging.getLogger(__name__)
_END = object()


class ApiError(Exception):
    """An error answered as JSON {"error": {message, type, code}} with HTTP status `status`."""

    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


def error_json(status: int, kind: str, message: str) -> dict:
    """The error body, in OpenAI's shape."""
    return {"error": {"message": message, "type": kind, "code": status}}


def sse(data: dict, event: str | None = None) -> str:
    """One server-sent event."""
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data, ensure_ascii=False)}\n\n"


def as_api_error(exc: BaseException) -> ApiError:
    """The ApiError an exception raised while answering becomes (500 for bugs, logged with their traceback)."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, GeneratorServerError):
        return ApiError(502, "generator_unavailable", str(exc))
    if isinstance(exc, VectorStoreUnavailableError):  # issue 18: the Milvus server is away; retry once it is back
        return ApiError(503, "index_unavailable", str(exc))
    if isinstance(exc, ValueError):  # QuestionError, a bad top_k
        return ApiError(400, "bad_request", str(exc))
    log.error("answering failed", exc_info=exc)
    return ApiError(500, "internal_error", f"internal error: {type(exc).__name__}: {exc}")


class AnswerQueue:
    """Runs answers one at a time in one thread (the Assistant is not thread-safe); at most `waiting` requests wait
    behind the one being answered, and any more are refused at once with 429."""

    def __init__(self, waiting: int) -> None:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="qa-answer")
        self._slots = threading.BoundedSemaphore(waiting + 1)

    def _admit(self) -> None:
        if not self._slots.acquire(blocking=False):
            raise ApiError(429, "queue_full", "too many requests are waiting for an answer; retry shortly")

    async def answer(self, assistant, question: str, history, top_k, documents=None):
        """The Answer, computed in the answering thread (ApiError on failure)."""
        self._admit()

        def work():
            try:
                return assistant.ask(question, history=history, top_k=top_k, documents=documents)
            finally:
                self._slots.release()
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, work)
        except Exception as exc:  # noqa: BLE001
            raise as_api_error(exc) from None

    def stream(self, assistant, question: str, history, top_k, documents=None) -> AsyncIterator:
        """Admit now (ApiError 429 when full), then iterate the text pieces and the final Answer, or one ApiError
        when answering fails part way. A client that goes away stops the answer at its next piece."""
        self._admit()
        loop = asyncio.get_running_loop()
        items: asyncio.Queue = asyncio.Queue()
        stop = threading.Event()

        def put(item) -> None:
            loop.call_soon_threadsafe(items.put_nowait, item)

        def work() -> None:
            try:
                pieces = assistant.ask_stream(question, history=history, top_k=top_k, documents=documents)
                for item in pieces:
                    put(item)
                    if stop.is_set():
                        pieces.close()
                        break
            except BaseException as exc:  # noqa: BLE001 - handed to the response
                put(as_api_error(exc))
            finally:
                self._slots.release()
                put(_END)

        try:
            self._executor.submit(work)
        except RuntimeError:  # shutting down
            self._slots.release()
            raise ApiError(503, "not_ready", "the server is shutting down") from None

        async def iterate():
            try:
                while (item := await items.get()) is not _END:
                    yield item
            finally:
                stop.set()
        return iterate()

    def call(self, change) -> None:
        """Run `change()` in the answering thread, between two answers (it waits for the answers queued before)."""
        self._executor.submit(change).result()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes gets 413 (by Content-Length, or while it is read)."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            response = JSONResponse(error_json(413, "too_large", f"request body of {int(length)} bytes exceeds the "
                                                                 f"limit of {self.limit} (QA_API_MAX_REQUEST_BYTES)"),
                                    status_code=413)
            return await response(scope, receive, send)
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:  # a chunked body has no Content-Length; FastAPI passes HTTPException on
                raise HTTPException(413, f"request body exceeds the limit of {self.limit} bytes "
                                         "(QA_API_MAX_REQUEST_BYTES)")
            return message
        return await self.app(scope, limited, send)
