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


class OverlapJudge:
    """A reader stand-in: the probability that a sentence answers is the share of the question's content words
    it contains (deterministic, no model); it records every question it judged."""

    def __init__(self) -> None:
        self.questions: list[str] = []

    def score(self, question, candidates) -> np.ndarray:
        from qa.text import content_words

        self.questions.append(question)
        wanted = content_words(question)
        return np.array([len(wanted & content_words(sentence)) / max(1, len(wanted))
                         for _, sentence, _ in candidates], dtype=np.float32)


# a two-sentence-topic Markdown document for the unit tests of the assistant and the API
TALKS_DOC = ("# Talks in Moscow\n\n"
       "Putin met Erdogan in Moscow on March 10th to discuss trade. "
       "Turkey wants to buy the S-400 air defence system from Russia for 2.5 billion dollars. "
       "Bananas grow in warm tropical places far from Moscow.\n")
