"""Retrieval: turning a question (and its conversation) into the best passages of the index."""

from __future__ import annotations

from typing import Protocol

from index.chunking import Passage
from index.embedding import Embedder
from index.store import IndexStore
from qa.text import content_words


class Retriever(Protocol):
    """Finds the passages most relevant to a query."""

    def retrieve(self, query: str, k: int) -> list[Passage]: ...


class DenseRetriever:
    """Embedding similarity over the FAISS index."""

    def __init__(self, store: IndexStore, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder

    def retrieve(self, query: str, k: int) -> list[Passage]:
        return self.store.search(self.embedder.embed([query]), k)[0]


def retrieval_query(question: str, history: list[tuple[str, str]] | None = None) -> str:
    """The text to search with: a short follow-up is read together with the previous question."""
    if history and len(content_words(question)) < 4:
        return f"{history[-1][0]} {question}"
    return question
