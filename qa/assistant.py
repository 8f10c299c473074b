"""The Python API: `Assistant.from_corpus(dir).ask(question)` returns a grounded, cited Answer."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator

from index.builder import BuildReport, index_corpus
from index.chunking import Passage
from index.embedding import CachedEmbedder, Embedder, SentenceTransformerEmbedder
from index.errors import ReportedError
from index.settings import Settings
from index.store import IndexStore
from index.vector_store import backend_for
from qa.answer import ABSTAIN_MESSAGE, Answer
from qa.citations import answer_sentences, clean_markers
from qa.evidence import (AnswerJudge, Evidence, asks_about_document, document_heads, expected_answer_kind,
                         has_answer_kind, relevance, select_evidence, with_document_head)
from qa.generation import Generator, make_generator
from qa.grounding import ground_answer, quote, with_markers
from qa.prompting import build_messages
from qa.retrieval import (RankFusionRetriever, Retriever, is_follow_up, remember_sentence_vectors,
                          retrieval_query)

log = logging.getLogger(__name__)

__all__ = ["Assistant", "QuestionError", "validate_question"]
History = list[tuple[str, str]]


class QuestionError(ReportedError, ValueError):
    """The question is not text, empty or whitespace only, or too long; `reason` says which, for the UI."""

    NOT_TEXT, EMPTY, TOO_LONG = "not_text", "empty", "too_long"

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


def abstain_reason(question: str, evidence: list[Evidence], min_score: float,
                   min_probability: float = Settings.min_answer_probability) -> str | None:
    """Why the evidence cannot answer the question (None when it may): too weak, judged unlikely to answer by
    the reader (when it judged the evidence), or lacking the asked-for kind of answer."""
    # the best score, not the first sentence's: a sentence holding the asked-for date may rank first (kind_first)
    if not evidence or max(ev.score for ev in evidence) < min_score:
        return "no passage is relevant enough"
    judged = [ev.probability for ev in evidence if ev.probability is not None]
    if judged and max(judged) < min_probability:
        return f"no sentence is likely to answer it (best {max(judged):.2f})"
    kind = expected_answer_kind(question)
    if not any(has_answer_kind(kind, ev.text, question) for ev in evidence[:2]):
        return f"the question asks for a {kind} and no relevant passage gives one"
    return None


class Assistant:
    """Answers questions about an indexed corpus: retrieve passages, pick evidence, generate, verify, cite.

    Construction is cheap: models load on first use (or with `embedder.load()` / `generator.load()`).

    Args:
        store: the loaded index.
        embedder: the embedder the index was built with (questions are embedded with it too).
        generator: anything with `stream(messages, max_new_tokens)` (see qa.generation.Generator).
        settings: the tunables; default `Settings()`.
        judge: the trained reader that says whether a sentence answers (qa.reader.Reader); None ranks and
            abstains by the evidence score alone.
        make_retriever: builds the retriever for a store (default: RankFusionRetriever as the settings say);
            called again with the new store after `refresh()`.
        corpus_dir: the directory the index describes (needed by `refresh()` and uploads).

    Example:
        >>> assistant = Assistant.from_corpus("corpus/")
        >>> answer = assistant.ask("Why did relations hit a nadir?")
        >>> follow_up = assistant.ask("And what about the EU?", history=[(answer.question, answer.text)])
    """

    def __init__(self, store: IndexStore, embedder: Embedder, generator: Generator,
                 settings: Settings | None = None, *, judge: AnswerJudge | None = None,
                 make_retriever: Callable[[IndexStore], Retriever] | None = None,
                 corpus_dir: Path | None = None) -> None:
        self.settings = settings or Settings()
        self.embedder = embedder
        self.judge = judge
        # questions and passage sentences are embedded on every ask; chunks (indexing) are not cached
        self.query_embedder = CachedEmbedder(embedder)
        self.generator = generator
        self.corpus_dir = Path(corpus_dir) if corpus_dir else None
        self._make_retriever = make_retriever or (
            lambda store: RankFusionRetriever.from_settings(store, self.query_embedder, self.settings))
        self.use_store(store)

    def use_store(self, store: IndexStore) -> None:
        """Answer from `store` from now on (call it between answers: the Assistant is not thread-safe)."""
        self.store = store
        self.retriever = self._make_retriever(store)
        self._heads = document_heads(store.passages)

    @classmethod
    def from_corpus(cls, corpus_dir: str | Path = "corpus", settings: Settings | None = None, *,
                    embedder: Embedder | None = None, generator: Generator | None = None,
                    judge: AnswerJudge | None = None, show_progress: bool = True) -> "Assistant":
        """An Assistant over a corpus directory, its index built or updated first if the documents changed.

        Args:
            corpus_dir: directory of .txt, .md, .html and .pdf files (searched recursively).
            settings: default `Settings.from_env()`.
            embedder, generator: default the ones the settings name (loaded lazily).
            judge: default the shipped reader when `settings.reader` (loaded lazily), else None.
            show_progress: show a progress bar while embedding.

        Raises:
            CorpusError: the directory is missing, empty, or holds no readable document.
            ModelNotFoundError: the embedder is not installed (the generator is checked when it loads).
            IndexStoreError: the index on disk cannot be replaced or read.
        """
        settings = settings or Settings.from_env()
        embedder = embedder or SentenceTransformerEmbedder.from_settings(settings)
        generator = generator or make_generator(settings)
        if judge is None and settings.reader:
            from qa.reader import Reader

            judge = Reader()
        # a full disk must not take the answers away: the intact previous index serves, with a warning
        store, _ = index_corpus(Path(corpus_dir), embedder, settings, show_progress=show_progress, stale_ok=True)
        return cls(store, embedder, generator, settings, judge=judge, corpus_dir=corpus_dir)

    def refresh(self, show_progress: bool = False) -> BuildReport:
        """Re-scan the corpus directory and index added, changed and removed documents."""
        if self.corpus_dir is None:
            raise ValueError("this assistant was not created from a corpus directory")
        store, report = index_corpus(self.corpus_dir, self.embedder, self.settings, show_progress=show_progress)
        self.use_store(store)
        return report

    def published_generation(self) -> str | None:
        """The index generation published now for this corpus (by this or another process); None without one."""
        if self.corpus_dir is None:
            return None
        return self._backend().current(self.settings.index_dir_for(self.corpus_dir))

    def load_published(self) -> IndexStore:
        """The index published now for this corpus, loaded (not yet used: see use_store); IndexStoreError."""
        if self.corpus_dir is None:
            raise ValueError("this assistant was not created from a corpus directory")
        return self._backend().load(self.settings.index_dir_for(self.corpus_dir))

    def _backend(self):
        if getattr(self, "_store_backend", None) is None:  # one client (a Milvus connection) for every check
            self._store_backend = backend_for(self.settings)
        return self._store_backend

    def retrieve(self, question: str, history: History | None = None, top_k: int | None = None) -> list[Passage]:
        """The passages the answer to a question will be grounded in, best first."""
        question = validate_question(question, self.settings.max_question_chars)
        return self.retriever.retrieve(retrieval_query(question, clean_history(history)), top_k or self.settings.top_k)

    def ask(self, question: str, history: History | None = None, top_k: int | None = None) -> Answer:
        """Answer a question, grounded in the corpus, or abstain.

        Args:
            question: the question (surrounding whitespace is ignored).
            history: the earlier (question, answer text) pairs of this conversation, oldest first; a follow-up
                such as "And what about the EU?" is searched together with the previous questions.
            top_k: passages to retrieve (default `settings.top_k`).

        Returns:
            The Answer; `answer.abstained` is True when no passage answers the question.

        Raises:
            QuestionError: the question is empty or longer than `settings.max_question_chars`.
            ValueError: top_k is below 1.
        """
        for item in self.ask_stream(question, history, top_k):
            if isinstance(item, Answer):
                return item
        raise RuntimeError("answer stream ended without an answer")

    def ask_stream(self, question: str, history: History | None = None,
                   top_k: int | None = None) -> Iterator[str | Answer]:
        """Yield the answer's text in pieces that have passed every check (the best evidence quote first, at once),
        then the final Answer, whose text is exactly the pieces joined."""
        started = time.perf_counter()
        s = self.settings
        question = validate_question(question, s.max_question_chars)
        history = clean_history(history)
        if top_k is not None and top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        query = retrieval_query(question, history)
        passages = self.retriever.retrieve(query, top_k or s.top_k)
        about_document = asks_about_document(question)
        if about_document:  # its headline, byline and dateline are in its first passage
            passages = with_document_head(passages, self._heads)
        remember_sentence_vectors(self.query_embedder, self.store, passages)  # computed at indexing
        evidence = select_evidence(query, passages, self.query_embedder, s.evidence_sentences,
                                   lexical_weight=s.lexical_weight, context_gain=s.context_gain,
                                   furniture_penalty=s.furniture_penalty,
                                   about_document=about_document, judge=self.judge,
                                   judge_weight=s.reader_weight, judge_candidates=s.reader_candidates,
                                   kind_margin=s.answer_kind_margin)
        timings = {"retrieval_s": time.perf_counter() - started}
        reason = abstain_reason(query, evidence, s.min_evidence_score, s.min_answer_probability)
        if reason:
            log.info("abstaining on %r: %s", question, reason)
            timings["first_token_s"] = timings["total_s"] = time.perf_counter() - started
            yield ABSTAIN_MESSAGE
            yield _timed(Answer.abstention(question, passages), evidence, timings)
            return
        # the best evidence, verbatim, is the first thing shown: it is right by construction, and it is ready
        # before the model has written a word
        lead = with_markers(quote(evidence[0]))
        timings["first_token_s"] = time.perf_counter() - started
        yield lead
        raw = ""
        if s.model_sentences:
            generation_started = time.perf_counter()
            raw = self._generate(question, history, evidence, len(passages))
            timings["generation_s"] = time.perf_counter() - generation_started
        answer = ground_answer(raw, question, passages, evidence, min_support=s.min_support,
                               relevance=lambda texts: relevance(query, texts, self.query_embedder, s.lexical_weight),
                               answers=self._judge_answers(question), relevance_margin=s.relevance_margin,
                               min_answer_probability=s.min_answer_probability,
                               second_quote_margin=s.second_quote_margin, max_sentences=s.max_answer_sentences)
        if not answer.text.startswith(lead):
            raise RuntimeError("the grounded answer does not start with the quote already shown")
        rest = answer.text[len(lead):]
        if rest:
            yield rest  # only sentences that passed every check
        timings["total_s"] = time.perf_counter() - started
        yield _timed(answer, evidence, timings)

    def _generate(self, question: str, history: History | None, evidence: list[Evidence], n_passages: int) -> str:
        """The model's first sentence (raw, unchecked) for a question and its evidence."""
        follows = history[-1][0] if history and is_follow_up(question) else None
        raw = ""
        for piece in self.generator.stream(build_messages(question, evidence, follow_up_of=follows),
                                           self.settings.max_new_tokens):
            raw += piece
            if len(answer_sentences(clean_markers(raw, n_passages))) > 1:
                break  # one sentence of the model's is all an answer shows; the rest costs time
        return raw

    def _judge_answers(self, question: str) -> Callable[[list[str]], list[float]] | None:
        """The reader's probability that each generated sentence answers the question (None without a reader)."""
        if self.judge is None:
            return None
        return lambda texts: [float(p) for p in self.judge.score(question, [("", t, "") for t in texts])]


def _timed(answer: Answer, evidence: list[Evidence], timings: dict) -> Answer:
    judged = [ev.probability for ev in evidence if ev.probability is not None]
    return replace(answer, timings={**timings, "evidence_score": evidence[0].score if evidence else 0.0,
                                    "answer_probability": max(judged) if judged else None})
