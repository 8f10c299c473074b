"""The HTTP API (`python -m qa serve`): /v1/ask, OpenAI-compatible /v1/chat/completions, health and documents.

A thin layer over `Assistant`: one Assistant per worker process, answering one question at a time (it is not
thread-safe), with a bounded queue of waiting requests in front of it (full: 429).
"""

from __future__ import annotations

import hmac
import logging
import time
import uuid
from collections import Counter
from contextlib import asynccontextmanager
from typing import Callable

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from index.settings import Settings
from qa.api_models import (AskRequest, AskResponse, ChatCompletionChunk, ChatCompletionRequest,
                           ChatCompletionResponse, Choice, ChunkChoice, Delta, DocumentInfo, DocumentList,
                           ErrorResponse, Health, ModelCard, ModelList, Readiness, ResponseMessage, Usage)
from qa.questions import QuestionError, validate_documents, validate_question
from qa.events import Completed, DirectAnswer, TextDelta
from qa.server_loading import Loader, load_assistant
from qa.server_queue import AnswerQueue, ApiError, BodyLimit, error_json, sse

log = logging.getLogger(__name__)

MODEL_ID = "local-doc-qa"
EXTRA_FIELDS = {"citations", "abstained", "short_answer", "sentences"}  # our fields beside OpenAI's
ERRORS = {code: {"model": ErrorResponse} for code in (400, 401, 413, 429, 502, 503)}


def create_app(load: Callable[[], object], settings: Settings | None = None) -> FastAPI:
    """The API over the Assistant that `load()` returns (called once, in a background thread, at startup)."""
    settings = settings or Settings.from_env()
    queue = AnswerQueue(settings.api_queue)
    loader = Loader(load, settings.api_index_poll_s, queue.call)

    @asynccontextmanager
    async def lifespan(app):
        loader.start()
        yield
        loader.stop()
        queue.shutdown()

    app = FastAPI(title="local-doc-qa", version="0.1.0", lifespan=lifespan, responses=ERRORS,
                  description="Grounded, cited answers about your documents. Every answer is verified against the "
                              "corpus: verbatim quotes with [n] citations, or an abstention.")
    app.add_middleware(BodyLimit, limit=settings.api_max_request_bytes)
    app.state.loader, app.state.queue = loader, queue
    bearer = HTTPBearer(auto_error=False, description="QA_API_KEY, when the server sets one")

    def authorized(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
        if settings.api_key and not (credentials and hmac.compare_digest(credentials.credentials.encode(),
                                                                          settings.api_key.encode())):
            raise ApiError(401, "unauthorized", "missing or wrong bearer token (Authorization: Bearer QA_API_KEY)")

    def question_of(text: str) -> str:
        try:
            return validate_question(text, settings.max_question_chars)
        except QuestionError as exc:
            raise ApiError(413 if exc.reason == QuestionError.TOO_LONG else 400,
                           "too_large" if exc.reason == QuestionError.TOO_LONG else "bad_request", str(exc)) from None

    def documents_of(names: list[str] | None, assistant) -> frozenset[str] | None:
        try:  # refused before a stream starts, as a 400 naming the documents the index does not hold
            return validate_documents(names, assistant.documents)
        except QuestionError as exc:
            raise ApiError(400, "bad_request", str(exc)) from None

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return JSONResponse(error_json(exc.status, exc.kind, exc.message), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"invalid request: {where + ': ' if where else ''}{first.get('msg', 'malformed body')}"
        return JSONResponse(error_json(400, "bad_request", message), status_code=400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        kind = {413: "too_large", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        return JSONResponse(error_json(exc.status_code, kind, str(exc.detail)), status_code=exc.status_code)

    @app.get("/healthz", response_model=Health, tags=["health"], summary="The process is alive")
    def healthz() -> Health:
        return Health()

    @app.get("/readyz", response_model=Readiness, tags=["health"], responses={503: {"model": Readiness}},
             summary="The models and the index are loaded")
    def readyz():
        if loader.assistant is not None:
            store = loader.assistant.store
            return Readiness(ready=True, detail=f"{len(store)} passages of {len(store.documents)} documents; "
                                                f"generator {loader.assistant.generator.model_id}")
        detail = f"loading failed: {loader.error}" if loader.error else "loading the models and the index"
        return JSONResponse(Readiness(ready=False, detail=detail).model_dump(), status_code=503)

    v1 = [Depends(authorized)]

    @app.get("/v1/models", response_model=ModelList, dependencies=v1, tags=["openai"])
    def models() -> ModelList:
        return ModelList(data=[ModelCard(id=MODEL_ID, created=int(loader.started))])

    @app.get("/v1/documents", response_model=DocumentList, dependencies=v1, tags=["corpus"])
    def documents() -> DocumentList:
        passages = loader.ready().store.passages
        chunks = Counter(p.source for p in passages)
        titles = {p.source: p.title for p in passages}
        return DocumentList(documents=[DocumentInfo(source=s, title=titles[s], chunks=n)
                                       for s, n in sorted(chunks.items())])

    @app.post("/v1/ask", response_model=AskResponse, dependencies=v1, tags=["ask"],
              responses={200: {"content": {"text/event-stream": {}},
                               "description": "AskResponse, or with stream=true server-sent events"}})
    async def ask(body: AskRequest):
        """Answer a question, grounded in the corpus, or abstain."""
        question = question_of(body.question)
        history = [(t.question, t.answer) for t in body.history]
        assistant = loader.ready()
        documents = documents_of(body.documents, assistant)
        if not body.stream:
            answer = await queue.answer(assistant, question, history, body.top_k, documents)
            return AskResponse.of(answer)
        events = queue.stream(assistant, question, history, body.top_k, documents)

        async def ask_events():
            async for item in events:
                if isinstance(item, ApiError):
                    yield sse(error_json(item.status, item.kind, item.message), "error")
                elif isinstance(item, DirectAnswer):
                    yield sse(item.short_answer.to_dict(), "direct")
                elif isinstance(item, TextDelta):
                    yield sse({"text": item.text}, "piece")
                else:
                    yield sse(AskResponse.of(item.answer).model_dump(), "answer")
        return StreamingResponse(ask_events(), media_type="text/event-stream")

    @app.post("/v1/chat/completions", response_model=ChatCompletionResponse, dependencies=v1, tags=["openai"],
              responses={200: {"content": {"text/event-stream": {}},
                               "description": "chat.completion, or with stream=true chat.completion.chunk events"}})
    async def chat(body: ChatCompletionRequest):
        """OpenAI's chat completions: the last message is the question, earlier user/assistant turns the history."""
        question, history = chat_turns(body)
        question = question_of(question)
        assistant = loader.ready()
        documents = documents_of(body.documents, assistant)
        ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if not body.stream:
            answer = await queue.answer(assistant, question, history, body.top_k, documents)
            words = len(question.split()), len(answer.text.split())
            return ChatCompletionResponse(
                id=ident, created=created, model=MODEL_ID,
                choices=[Choice(message=ResponseMessage(content=answer.text))],
                usage=Usage(prompt_tokens=words[0], completion_tokens=words[1], total_tokens=sum(words)),
                **AskResponse.of(answer).model_dump(include=EXTRA_FIELDS))
        events = queue.stream(assistant, question, history, body.top_k, documents)

        def chunk(delta: Delta, **extra) -> str:
            return sse(ChatCompletionChunk(id=ident, created=created, model=MODEL_ID,
                                           choices=[ChunkChoice(delta=delta, finish_reason=extra.pop("finish", None))],
                                           **extra).model_dump(exclude_none=True))

        async def chat_events():
            yield chunk(Delta(role="assistant", content=""))
            async for item in events:
                if isinstance(item, ApiError):
                    yield sse(error_json(item.status, item.kind, item.message))
                    return
                if isinstance(item, TextDelta):
                    yield chunk(Delta(content=item.text))
                elif isinstance(item, Completed):
                    final = AskResponse.of(item.answer)
                    yield chunk(Delta(), finish="stop", citations=final.citations, abstained=final.abstained,
                                short_answer=final.short_answer, sentences=final.sentences)
            yield "data: [DONE]\n\n"
        return StreamingResponse(chat_events(), media_type="text/event-stream")

    return app


def chat_turns(body: ChatCompletionRequest) -> tuple[str, list[tuple[str, str]]]:
    """The question (the last message, which must be the user's) and the (question, answer) history before it."""
    messages = [m for m in body.messages if m.role in ("user", "assistant")]
    if not messages or messages[-1].role != "user" or body.messages[-1].role != "user":
        raise ApiError(400, "bad_request", "the last message must be the user's question")
    history: list[tuple[str, str]] = []
    for message in messages[:-1]:
        if message.role == "user":
            history.append((message.text(), ""))
        elif history and not history[-1][1]:
            history[-1] = (history[-1][0], message.text())
    return messages[-1].text(), history


def app_from_env() -> FastAPI:
    """The app for uvicorn's `--factory` (each worker process builds its own): settings from QA_* variables."""
    from index.settings import default_corpus

    from index.errors import quiet_model_libraries

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    logging.getLogger("qa").setLevel(logging.INFO)  # "ready: ..." is news, not a warning; libraries stay quiet
    quiet_model_libraries()  # no "Loading weights" progress bar in the log
    settings = Settings.from_env()
    corpus = default_corpus(settings)[0]
    return create_app(lambda: load_assistant(settings, corpus), settings)
