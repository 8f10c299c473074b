"""Checking what a user asks: the question's text, the conversation before it and the documents it is about."""

from __future__ import annotations

import re
from collections.abc import Collection

from index.errors import ReportedError

History = list[tuple[str, str]]


class QuestionError(ReportedError, ValueError):
    """The question is not text, empty or whitespace only, or too long, or the documents it is limited to are not
    the index's; `reason` says which, for the UI."""

    NOT_TEXT, EMPTY, TOO_LONG, BAD_DOCUMENTS = "not_text", "empty", "too_long", "bad_documents"

    def __init__(self, message: str, reason: str, *, length: int = 0, limit: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.length = length
        self.limit = limit


def validate_question(question: object, max_chars: int) -> str:
    """The question stripped of surrounding whitespace, or QuestionError saying what is wrong."""
    if not isinstance(question, str):
        raise QuestionError(f"question must be a string, got {type(question).__name__}", QuestionError.NOT_TEXT)
    question = clean_text(question).strip()
    if not question:
        raise QuestionError("question is empty", QuestionError.EMPTY)
    if len(question) > max_chars:
        raise QuestionError(f"question is too long ({len(question)} characters; the limit is {max_chars})",
                            QuestionError.TOO_LONG, length=len(question), limit=max_chars)
    return question


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # control characters other than tab and newline


def clean_text(text: str) -> str:
    """Text every part of the pipeline can encode: lone surrogates (undecodable bytes of a command line, a JSON
    "\\ud800") become U+FFFD, control characters (NUL, escape sequences) a space."""
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _CONTROL.sub(" ", text)


def clean_history(history: History | None) -> History:
    """The conversation's (question, answer) pairs cleaned like a question (clean_text): an earlier turn may hold a
    lone surrogate or an escape sequence too, and it is embedded with the follow-up."""
    return [(clean_text(str(q)), clean_text(str(a))) for q, a in history or []]


def validate_documents(documents: object, known: Collection[str]) -> frozenset[str] | None:
    """The documents (sources, as the index names them) a question is limited to, or None for all of them;
    QuestionError naming what is wrong: not a list of names, an empty list, or a name the index does not hold."""
    if documents is None:
        return None
    if isinstance(documents, str) or not isinstance(documents, Collection) \
            or not all(isinstance(d, str) for d in documents):
        raise QuestionError("documents must be a list of document names", QuestionError.BAD_DOCUMENTS)
    if not documents:
        raise QuestionError("documents is empty: name at least one document, or leave it out to search them all",
                            QuestionError.BAD_DOCUMENTS)
    unknown = sorted(set(documents) - set(known))
    if unknown:
        listed = ", ".join(sorted(known)[:20]) + (", ..." if len(known) > 20 else "")
        raise QuestionError(f"no document named {', '.join(map(repr, unknown))} in the index; its documents: {listed}",
                            QuestionError.BAD_DOCUMENTS)
    return frozenset(documents)
