"""The Python API: `Assistant.from_corpus(dir).ask(question)` returns a grounded, cited Answer."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Iterator

from index.builder import BuildReport, ChunkingConfig, update_index
from index.chunking import Passage
from index.documents import load_corpus
from index.embedding import CachedEmbedder, Embedder, SentenceTransformerEmbedder
from index.store import IndexStore
from qa.answer import Answer
from qa.citations import MarkerFilter
from qa.evidence import Evidence, expected_answer_kind, has_answer_kind, relevance, select_evidence
from qa.generation import Generator, make_generator
from qa.grounding import ABSTAIN_MESSAGE, abstained, ground_answer
from qa.prompting import build_messages
from qa.retrieval import HybridRetriever, Retriever, is_follow_up, retrieval_query
from qa.settings import Settings

log = logging.getLogger(__name__)

__all__ = ["ABSTAIN_MESSAGE", "Assistant", "QuestionError", "validate_question"]
History = list[tuple[str, str]]


class QuestionError(ValueError):
    """The question is empty, whitespace only, or too long."""


def validate_question(question: object, max_chars: int) -> str:
    """The question stripped of surrounding whitespace, or QuestionError saying what is wrong."""
    if not isinstance(question, str):
        raise QuestionError(f"question must be a string, got {type(question).__name__}")
    question = question.strip()
    if not question:
        raise QuestionError("question is empty")
    if len(question) > max_chars:
        raise QuestionError(f"question is too long ({len(question)} characters; the limit is {max_chars})")
    return question


def abstain_reason(question: str, evidence: list[Evidence], min_score: float) -> str | None:
    """Why the evidence cannot answer the question (None when it may): too weak, or lacks the asked-for kind."""
    if not evidence or evidence[0].score < min_score:
        return "no passage is relevant enough"
    kind = expected_answer_kind(question)
    if not any(has_answer_kind(kind, ev.text, question) for ev in evidence[:2]):
        return f"the question asks for a {kind} and no relevant passage gives one"
    return None


class Assistant:
    """Answers questions about an indexed corpus with a retriever and a generator."""

    def __init__(self, store: IndexStore, embedder: Embedder, generator: Generator,
                 settings: Settings | None = None, *, retriever: Retriever | None = None,
                 corpus_dir: Path | None = None) -> None:
        self.settings = settings or Settings()
        self.embedder = embedder
        # questions and passage sentences are embedded on every ask; chunks (indexing) are not cached
        self.query_embedder = CachedEmbedder(embedder)
        self.generator = generator
        self.corpus_dir = Path(corpus_dir) if corpus_dir else None
        self.last_build: BuildReport | None = None
        self._custom_retriever = retriever
        self._use_store(store)

    def _use_store(self, store: IndexStore) -> None:
        self.store = store
        self.retriever = self._custom_retriever or HybridRetriever(
            store, self.query_embedder, self.settings.retrieval, rrf_k=self.settings.rrf_k,
            sentence_fusion=self.settings.sentence_fusion)

    @classmethod
    def from_corpus(cls, corpus_dir: str | Path = "corpus", settings: Settings | None = None, *,
                    embedder: Embedder | None = None, generator: Generator | None = None,
                    show_progress: bool = True) -> "Assistant":
        """Load the corpus index, building or updating it first if the documents changed."""
        settings = settings or Settings.from_env()
        embedder = embedder or SentenceTransformerEmbedder.from_settings(settings)
        generator = generator or make_generator(settings)
        store, report = _index_corpus(Path(corpus_dir), embedder, settings, show_progress)
        assistant = cls(store, embedder, generator, settings, corpus_dir=corpus_dir)
        assistant.last_build = report
        return assistant

    def refresh(self, show_progress: bool = False) -> BuildReport:
        """Re-scan the corpus directory and index added, changed and removed documents."""
        if self.corpus_dir is None:
            raise ValueError("this assistant was not created from a corpus directory")
        store, report = _index_corpus(self.corpus_dir, self.embedder, self.settings, show_progress)
        self._use_store(store)
        self.last_build = report
        return report

    def retrieve(self, question: str, history: History | None = None, top_k: int | None = None) -> list[Passage]:
        """The passages the answer to a question will be grounded in, best first."""
        question = validate_question(question, self.settings.max_question_chars)
        return self.retriever.retrieve(retrieval_query(question, history), top_k or self.settings.top_k)

    def ask(self, question: str, history: History | None = None, top_k: int | None = None) -> Answer:
        """Answer a question; `history` is the earlier (question, answer text) pairs of the conversation."""
        for item in self.ask_stream(question, history, top_k):
            if isinstance(item, Answer):
                return item
        raise RuntimeError("answer stream ended without an answer")

    def ask_stream(self, question: str, history: History | None = None,
                   top_k: int | None = None) -> Iterator[str | Answer]:
        """Yield answer text pieces as they are generated, then the final, verified Answer."""
        started = time.perf_counter()
        question = validate_question(question, self.settings.max_question_chars)
        if top_k is not None and top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        query = retrieval_query(question, history)
        passages = self.retriever.retrieve(query, top_k or self.settings.top_k)
        evidence = select_evidence(query, passages, self.query_embedder, self.settings.evidence_sentences)
        timings = {"retrieval_s": time.perf_counter() - started}
        reason = abstain_reason(query, evidence, self.settings.min_evidence_score)
        if reason:
            log.info("abstaining on %r: %s", question, reason)
            timings["first_token_s"] = timings["total_s"] = time.perf_counter() - started
            yield ABSTAIN_MESSAGE
            yield _timed(abstained(question, passages), evidence, timings)
            return
        follows = history[-1][0] if history and is_follow_up(question) else None
        messages = build_messages(question, evidence, follow_up_of=follows)
        shown = MarkerFilter(len(passages))
        raw: list[str] = []
        for piece in self.generator.stream(messages, self.settings.max_new_tokens):
            if not raw:
                timings["first_token_s"] = time.perf_counter() - started
            raw.append(piece)
            visible = shown.feed(piece)
            if visible:
                yield visible
        tail = shown.flush()
        if tail:
            yield tail
        answer = ground_answer("".join(raw), question, passages, evidence, min_support=self.settings.min_support,
                               relevance=lambda texts: relevance(query, texts, self.query_embedder))
        timings["total_s"] = time.perf_counter() - started
        yield _timed(answer, evidence, timings)


def _index_corpus(corpus_dir: Path, embedder: Embedder, settings: Settings,
                  show_progress: bool) -> tuple[IndexStore, BuildReport]:
    return update_index(load_corpus(corpus_dir), settings.index_dir_for(corpus_dir), embedder,
                        ChunkingConfig(settings.chunk_tokens, settings.chunk_overlap_tokens), settings.index_type,
                        show_progress=show_progress)


def _timed(answer: Answer, evidence: list[Evidence], timings: dict) -> Answer:
    return Answer(answer.text, answer.citations, answer.abstained, answer.question, answer.passages,
                  answer.sentences, {**timings, "evidence_score": evidence[0].score if evidence else 0.0})
