"""Request and response models of the HTTP API (they are its OpenAPI schema): our /v1/ask and OpenAI's chat format."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from qa.answer import Answer


class Turn(BaseModel):
    """One earlier exchange of the conversation."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(description="a question asked earlier")
    answer: str = Field(description="the answer it got (its text, [n] markers and all)")


class AskRequest(BaseModel):
    """A question about the corpus (the body of POST /v1/ask)."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(description="the question; surrounding whitespace is ignored; 1 to QA_MAX_QUESTION_CHARS "
                                      "characters after that (longer: 413)")
    history: list[Turn] = Field(default_factory=list, max_length=50,
                                description="earlier turns, oldest first; a follow-up question is searched with them")
    top_k: int | None = Field(default=None, ge=1, le=50, description="passages to retrieve (default QA_TOP_K)")
    documents: list[str] | None = Field(default=None, min_length=1, max_length=1000,
                                        description="answer from these documents only (their `source` as GET "
                                                    "/v1/documents lists it); default all. A name the index does "
                                                    "not hold: 400")
    stream: bool = Field(default=False, description="answer as server-sent events: one `direct` event with the "
                                                    "short answer (when there is one; one per question a compound "
                                                    "question asks), `piece` events with text, then one `answer` "
                                                    "event with the verified AskResponse")


class CitationModel(BaseModel):
    """A passage the answer cites with marker [n]."""

    marker: int = Field(description="the n of the [n] marker in the answer text")
    source: str = Field(description="the document's path relative to the corpus directory")
    text: str = Field(description="the passage's plain text")
    start: int = Field(description="offset of the passage in the document's plain text")
    end: int = Field(description="end offset (exclusive) in the document's plain text")
    score: float = Field(description="retrieval score of the passage (higher is better)")
    source_start: int = Field(description="offset of the passage in the file on disk (differs for Markdown)")
    source_end: int = Field(description="end offset (exclusive) in the file on disk")


class ShortAnswerModel(BaseModel):
    """The direct answer: the span the reader found in a cited passage."""

    text: str = Field(description="the answer span, the document's own words")
    marker: int = Field(description="the n of the citation [n] it is found in")
    start: int = Field(description="offset of the span in the document's plain text")
    end: int = Field(description="end offset (exclusive) in the document's plain text")
    verdict: Literal["yes", "no"] | None = Field(
        default=None, description="for a yes/no question whose supporting sentence plainly says so: the answer's "
                                  "first line is \"Yes\" or \"No\" (the span still locates the sentence); else null")


class SentenceModel(BaseModel):
    """One sentence of the answer text."""

    text: str = Field(description="the sentence without its markers")
    markers: list[int] = Field(description="the citations [n] it carries")
    origin: Literal["model", "quote"] = Field(
        description="model: written by the small model (every content word from the question or the cited passage, "
                    "the short answer verbatim); quote: the document's sentence, verbatim")


class AskResponse(BaseModel):
    """The verified answer: the JSON contract of `python -m qa ask --json`."""

    answer: str = Field(description="the answer text, each claim followed by its [n] citation marker(s)")
    citations: list[CitationModel] = Field(description="the cited passages, by marker; empty when abstained")
    abstained: bool = Field(description="true when the documents do not answer the question")
    short_answer: ShortAnswerModel | None = Field(
        default=None, description="the direct answer (shown first, as the text's first line; of a compound question, "
                                  "the first part's); null when abstained")
    sentences: list[SentenceModel] = Field(
        default_factory=list, description="the sentences after the direct answer: the model's, then the quote")

    @classmethod
    def of(cls, answer: Answer) -> "AskResponse":
        """The response for an Answer."""
        return cls.model_validate(answer.to_json())


class TextPart(BaseModel):
    """A text part of a message's content (OpenAI's list form)."""

    type: Literal["text"] = "text"
    text: str


class ChatMessage(BaseModel):
    """One message of an OpenAI chat."""

    role: Literal["system", "developer", "user", "assistant"] = Field(
        description="system/developer messages are ignored (the answer is built from the corpus); the last message "
                    "must be the user's question; earlier user/assistant pairs are the history")
    content: str | list[TextPart] | None = Field(default=None, description="the text (a string or text parts)")
    name: str | None = Field(default=None, description="ignored")

    def text(self) -> str:
        """The content as one string."""
        if isinstance(self.content, list):
            return "".join(part.text for part in self.content)
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """OpenAI's chat completion request. Sampling options (temperature, max_tokens, ...) are accepted and ignored:
    the answer is verified evidence, not free generation."""

    model_config = ConfigDict(extra="ignore")
    model: str = Field(description="any id GET /v1/models lists (there is one)")
    messages: list[ChatMessage] = Field(min_length=1, max_length=101)
    stream: bool = Field(default=False, description="stream chat.completion.chunk server-sent events")
    n: int = Field(default=1, ge=1, le=1, description="only 1 choice is supported")
    top_k: int | None = Field(default=None, ge=1, le=50, description="extension: passages to retrieve")
    documents: list[str] | None = Field(default=None, min_length=1, max_length=1000,
                                        description="extension: answer from these documents only (their `source` as GET "
                                                    "/v1/documents lists it); default all. A name the index does "
                                                    "not hold: 400")


class ResponseMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str = Field(description="the answer text with [n] citation markers")


class Choice(BaseModel):
    index: int = 0
    message: ResponseMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    """Word counts, not tokens: the answer is assembled from quotes, so no token count describes it."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletionResponse(BaseModel):
    """OpenAI's chat.completion, plus the answer's `citations`, `abstained`, `short_answer` and `sentences` as extra
    fields."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int = Field(description="Unix time")
    model: str
    choices: list[Choice]
    usage: Usage
    citations: list[CitationModel] = Field(description="the passages the [n] markers in the content cite")
    abstained: bool = Field(description="true when the documents do not answer the question")
    short_answer: ShortAnswerModel | None = Field(default=None, description="the direct answer; null when abstained")
    sentences: list[SentenceModel] = Field(default_factory=list, description="the answer's sentences and origins")


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None


class ChatCompletionChunk(BaseModel):
    """One streamed piece (OpenAI's chat.completion.chunk); the last one carries `citations`, `abstained`,
    `short_answer` and `sentences`."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    citations: list[CitationModel] | None = None
    abstained: bool | None = None
    short_answer: ShortAnswerModel | None = None
    sentences: list[SentenceModel] | None = None


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "local-doc-qa"


class ModelList(BaseModel):
    """OpenAI's model list: the one assistant this API serves."""

    object: Literal["list"] = "list"
    data: list[ModelCard]


class DocumentInfo(BaseModel):
    source: str = Field(description="path relative to the corpus directory")
    title: str = Field(description="the document's title, when it has one")
    chunks: int = Field(description="indexed passages of this document")


class DocumentList(BaseModel):
    """The indexed documents."""

    documents: list[DocumentInfo]


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    ready: bool = Field(description="the embedder, the index (and an in-process generator) are loaded")
    detail: str = Field(description="what is loaded, or what is still loading or failed")


class ErrorBody(BaseModel):
    message: str = Field(description="one line saying what is wrong")
    type: str = Field(description="bad_request, unauthorized, too_large, queue_full, not_ready, generator_unavailable")
    code: int = Field(description="the HTTP status")


class ErrorResponse(BaseModel):
    """Every error, in OpenAI's shape (so its client raises a typed APIError with the message)."""

    error: ErrorBody
