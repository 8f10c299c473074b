"""Small deterministic stand-ins for the embedder and generator, for fast unit tests."""

from __future__ import annotations

import hashlib
import re
from typing import Iterator

import numpy as np


class HashingEmbedder:
    """Bag-of-words hashing embedder: deterministic, no model, similar texts get similar vectors."""

    def __init__(self, dimension: int = 64, model_id: str = "hashing-test", max_tokens: int = 256) -> None:
        self.dimension = dimension
        self.model_id = model_id
        self.max_tokens = max_tokens
        self.embedded_texts: list[str] = []

    def count_tokens(self, text: str) -> int:
        return len(re.findall(r"\w+|[^\w\s]", text))

    def embed(self, texts, *, show_progress: bool = False) -> np.ndarray:
        self.embedded_texts.extend(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


class ScriptedGenerator:
    """Replies with a fixed text (or a function of the prompt), streamed word by word."""

    def __init__(self, reply="The answer is in the passages [1].", model_id: str = "scripted-test") -> None:
        self.reply = reply
        self.model_id = model_id
        self.calls: list[list[dict]] = []

    def stream(self, messages, max_new_tokens: int) -> Iterator[str]:
        self.calls.append(messages)
        text = self.reply(messages) if callable(self.reply) else self.reply
        for piece in re.findall(r"\S+\s*", text):
            yield piece


class ScriptedReader:
    """A span-reader stand-in: `answers` maps a question to the span it finds (wherever that text occurs in a
    passage, score 5); any other question or passage gets the passage's first word with score -5 ("no answer" at
    margin 0). It records every question it read."""

    margin = 0.0

    def __init__(self, answers: dict[str, str] | None = None) -> None:
        self.answers = dict(answers or {})
        self.questions: list[str] = []

    def read(self, question, passages):
        from qa.span_reader import Reading

        self.questions.append(question)
        out = []
        for i, text in enumerate(passages):
            span = self.answers.get(question)
            at = text.find(span) if span else -1
            if at >= 0:
                out.append(Reading(i, at, at + len(span), span, 5.0, 0.0))
            else:
                first = text.split()[0] if text.split() else ""
                out.append(Reading(i, 0, len(first), first, -5.0, 0.0))
        return out


# a two-sentence-topic Markdown document for the unit tests of the assistant and the API
TALKS_DOC = ("# Talks in Moscow\n\n"
       "Putin met Erdogan in Moscow on March 10th to discuss trade. "
       "Turkey wants to buy the S-400 air defence system from Russia for 2.5 billion dollars. "
       "Bananas grow in warm tropical places far from Moscow.\n")
