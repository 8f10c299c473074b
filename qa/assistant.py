"""The Python API: `Assistant.from_corpus(dir).ask(question)` returns a grounded, cited Answer."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Iterator

from index.builder import BuildReport, ChunkingConfig, update_index
from index.chunking import Passage
from index.documents import load_corpus
from index.embedding import Embedder, SentenceTransformerEmbedder
from index.store import IndexStore
from qa.answer import Answer, AnswerSentence, Citation
from qa.citations import MarkerFilter, answer_sentences, attribute, clean_markers, is_abstention, parse_markers
from qa.generation import Generator, TransformersGenerator
from qa.prompting import build_messages
from qa.retrieval import DenseRetriever, Retriever, retrieval_query
from qa.settings import Settings
from qa.text import overlap

log = logging.getLogger(__name__)

ABSTAIN_MESSAGE = "The documents do not contain an answer to this question."
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


class Assistant:
    """Answers questions about an indexed corpus with a retriever and a generator."""

    def __init__(self, store: IndexStore, embedder: Embedder, generator: Generator,
                 settings: Settings | None = None, *, retriever: Retriever | None = None,
                 corpus_dir: Path | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.generator = generator
        self.settings = settings or Settings()
        self.retriever = retriever or DenseRetriever(store, embedder)
        self.corpus_dir = Path(corpus_dir) if corpus_dir else None
        self.last_build: BuildReport | None = None

    @classmethod
    def from_corpus(cls, corpus_dir: str | Path = "corpus", settings: Settings | None = None, *,
                    embedder: Embedder | None = None, generator: Generator | None = None,
                    show_progress: bool = True) -> "Assistant":
        """Load the corpus index, building or updating it first if the documents changed."""
        settings = settings or Settings.from_env()
        corpus_dir = Path(corpus_dir)
        embedder = embedder or SentenceTransformerEmbedder(settings.embedder)
        generator = generator or TransformersGenerator(settings.generator, cache_dir=settings.model_cache_dir,
                                                       dtype=settings.generator_dtype, threads=settings.threads)
        store, report = update_index(load_corpus(corpus_dir), settings.index_dir_for(corpus_dir), embedder,
                                     ChunkingConfig(settings.chunk_tokens, settings.chunk_overlap_tokens),
                                     settings.index_type, show_progress=show_progress)
        assistant = cls(store, embedder, generator, settings, corpus_dir=corpus_dir)
        assistant.last_build = report
        return assistant

    def refresh(self, show_progress: bool = False) -> BuildReport:
        """Re-scan the corpus directory and index added, changed and removed documents."""
        if self.corpus_dir is None:
            raise ValueError("this assistant was not created from a corpus directory")
        store, report = update_index(load_corpus(self.corpus_dir), self.settings.index_dir_for(self.corpus_dir),
                                     self.embedder,
                                     ChunkingConfig(self.settings.chunk_tokens, self.settings.chunk_overlap_tokens),
                                     self.settings.index_type, show_progress=show_progress)
        self.store = store
        self.retriever = DenseRetriever(store, self.embedder)
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
        """Yield answer text pieces as they are generated, then the final Answer."""
        started = time.perf_counter()
        question = validate_question(question, self.settings.max_question_chars)
        passages = self.retrieve(question, history, top_k)
        timings = {"retrieval_s": time.perf_counter() - started}
        if not passages or passages[0].score < self.settings.min_retrieval_score:
            timings["total_s"] = time.perf_counter() - started
            yield ABSTAIN_MESSAGE
            yield Answer(ABSTAIN_MESSAGE, [], True, question, passages, timings=timings)
            return
        messages = build_messages(question, passages, history)
        shown = MarkerFilter(len(passages))
        raw = []
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
        answer = finalize_answer("".join(raw), question, passages)
        timings["total_s"] = time.perf_counter() - started
        yield Answer(answer.text, answer.citations, answer.abstained, question, passages, answer.sentences, timings)


def finalize_answer(raw: str, question: str, passages: list[Passage]) -> Answer:
    """Turn generated text into an Answer: valid markers only, unmarked sentences attributed, citations listed."""
    text = clean_markers(raw, len(passages))
    if is_abstention(text):
        return Answer(ABSTAIN_MESSAGE, [], True, question, passages)
    sentences = []
    for sentence in answer_sentences(text):
        markers = tuple(dict.fromkeys(parse_markers(sentence)))
        body = clean_markers(sentence, 0)
        if not markers:
            markers = tuple(attribute(body, [p.text for p in passages]))
        support = max((overlap(body, passages[m - 1].text) for m in markers), default=0.0)
        sentences.append(AnswerSentence(body, markers, support))
    display = " ".join(_with_markers(s) for s in sentences)
    cited = sorted({m for s in sentences for m in s.markers})
    citations = [Citation.from_passage(m, passages[m - 1]) for m in cited]
    return Answer(display, citations, False, question, passages, sentences)


def _with_markers(sentence: AnswerSentence) -> str:
    marks = "".join(f"[{m}]" for m in sentence.markers)
    if not marks:
        return sentence.text
    body = sentence.text.rstrip()
    if body and body[-1] in ".!?":
        return f"{body[:-1]} {marks}{body[-1]}"
    return f"{body} {marks}"
