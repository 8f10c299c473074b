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
    passage, score 50), or to (span, context) for the span's place inside that context; any other question or
    passage gets the passage's first word with score -50 ("no answer" at margin 0 with any calibrated shift). It
    records every question."""

    margin = 0.0

    def __init__(self, answers: dict[str, str] | None = None) -> None:
        self.answers = dict(answers or {})
        self.questions: list[str] = []

    def read(self, question, passages, excluded=None):
        from qa.reader_spans import Reading

        self.questions.append(question)
        out = []
        for i, text in enumerate(passages):
            span = self.answers.get(question)
            span, context = span if isinstance(span, tuple) else (span, span)
            at = text.find(context) + context.find(span) if span and context in text else -1
            if at >= 0:
                out.append(Reading(i, at, at + len(span), span, 50.0, 0.0))
            else:
                first = text.split()[0] if text.split() else ""
                out.append(Reading(i, 0, len(first), first, -50.0, 0.0))
        return out


# a two-sentence-topic Markdown document for the unit tests of the assistant and the API
TALKS_DOC = ("# Talks in Moscow\n\n"
       "Putin met Erdogan in Moscow on March 10th to discuss trade. "
       "Turkey wants to buy the S-400 air defence system from Russia for 2.5 billion dollars. "
       "Bananas grow in warm tropical places far from Moscow.\n")


class PieceTokenizer:
    """A tiny tokenizer over a fixed list of token texts: id 0 is the end token, encoding is greedy longest match."""

    def __init__(self, pieces) -> None:
        self.pieces = ["<end>", *pieces]
        self.eos_token_id = 0
        self.all_special_ids = [0]

    def __len__(self) -> int:
        return len(self.pieces)

    def id(self, piece: str) -> int:
        return self.pieces.index(piece)

    def decode(self, ids, skip_special_tokens: bool = False) -> str:
        return "".join(self.pieces[i] for i in ids if not (skip_special_tokens and i == 0))

    def encode(self, text: str, add_special_tokens: bool = False) -> list[int]:
        ids, at = [], 0
        while at < len(text):
            best = max((i for i, p in enumerate(self.pieces) if i and text.startswith(p, at)),
                       key=lambda i: len(self.pieces[i]), default=None)
            if best is None:  # a text the pieces cannot spell has no tokens
                return []
            ids.append(best)
            at += len(self.pieces[best])
        return ids


class WishfulGenerator:
    """A greedy_tokens generator that wishes to write `wish` (a text, as PieceTokenizer tokens): at each step it
    takes its next wished token if the mask allows it, else the first allowed of the rest of its wish, else the
    first allowed token by id; it records each step's allowed ids."""

    def __init__(self, tokenizer: PieceTokenizer, wish: str, model_id: str = "wishful-test") -> None:
        self.tokenizer = tokenizer
        self.wish = tokenizer.encode(wish) + [0]
        self.model_id = model_id
        self.steps: list[set[int]] = []

    def load(self) -> "WishfulGenerator":
        return self

    def stop_ids(self) -> set[int]:
        return {0}

    def prompt_ids(self, messages):
        self.messages = messages
        return {"input_ids": None}

    def stream(self, messages, max_new_tokens: int) -> Iterator[str]:
        for token in self.greedy_tokens(self.prompt_ids(messages), max_new_tokens, self.stop_ids()):
            yield self.tokenizer.pieces[token]

    def greedy_tokens(self, inputs, max_new_tokens, stop=frozenset(), allowed=None, logprobs=None) -> Iterator[int]:
        from qa.transformers_generator import vocabulary_mask

        generated: list[int] = []
        for step in range(max_new_tokens):
            ok = set(range(len(self.tokenizer))) if allowed is None else {
                int(i) for i in vocabulary_mask(allowed(generated) if callable(allowed) else allowed,
                                                len(self.tokenizer)).nonzero().flatten()}
            self.steps.append(ok)
            rest = self.wish[len(generated):] if len(generated) < len(self.wish) else [0]
            token = next((t for t in rest if t in ok), min(ok, default=None))
            if token is None:
                return
            if logprobs is not None:
                logprobs.append(0.0 if token == rest[0] else -5.0)
            generated.append(token)
            if token in stop:
                return
            yield token
