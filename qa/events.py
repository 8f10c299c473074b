"""The typed events `Assistant.ask_stream` yields: the direct answer, checked text pieces, then the whole Answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from qa.answer import Answer, ShortAnswer


@dataclass(frozen=True)
class DirectAnswer:
    """The span the reader found, ready before any model has run (one per question a compound question asks); the
    next TextDelta shows the spans with their markers."""

    short_answer: ShortAnswer


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer's text that has passed every check; the pieces joined are exactly `Answer.text`."""

    text: str


@dataclass(frozen=True)
class Completed:
    """The whole Answer, last."""

    answer: Answer


AnswerEvent = Union[DirectAnswer, TextDelta, Completed]
