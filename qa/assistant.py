"""The Python API: `Assistant.from_corpus(dir).ask(question)` returns a grounded, cited Answer."""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator

from index.builder import BuildReport, index_corpus
from index.chunking import Passage
from index.embedding import CachedEmbedder, Embedder, SentenceTransformerEmbedder
from index.settings import Settings
from index.store import IndexStore
from index.vector_store import backend_for
from qa.answer import Answer, AnswerSentence, Citation, abstain_message
from qa.causes import cause_unstated, with_stated_cause
from qa.citations import strip_markers
from qa.compound import question_parts, unanswered_parts_note
from qa.events import AnswerEvent, Completed, DirectAnswer, TextDelta
from qa.document_facts import document_fact, name_the_author
from qa.evidence import asks_about_document, document_heads, with_document_head
from qa.followup import earlier_place, standalone_question
from qa.generation import Generator, make_generator
from qa.grounding import with_markers
from qa.polar import is_polar, reading_verdict
from qa.polar_headings import heading_verdict
from qa.question_shape import spelled_out, without_own_source
from qa.spelling import respelled
from qa.vocabulary import THE_EMAIL, DocumentWords
from qa.questions import History, QuestionError, clean_history, validate_documents, validate_question
from qa.reading import Reader, ReadStage, Verdict
from qa.shown_answer import short_answer, supporting_quote
from qa.stages import RelevanceGate, SentenceStage, read_parts
from qa.retrieval import (RankFusionRetriever, Retriever, answered_from, remember_sentence_vectors,
                          retrieval_query)

log = logging.getLogger(__name__)

__all__ = ["Assistant", "QuestionError", "validate_question"]


class Assistant:
    """Answers questions about an indexed corpus: retrieve, gate, read the answer span, say it, quote, cite.

    Construction is cheap: models load on first use (or with `embedder.load()` / `generator.load()`).

    Args:
        store: the loaded index.
        embedder: the embedder the index was built with (questions are embedded with it too).
        generator: anything with `stream(messages, max_new_tokens)` (see qa.generation.Generator).
        settings: the tunables; default `Settings()`.
        reader: the span reader (qa.reading.Reader); default the shipped one the settings name, loaded on first use.
        make_retriever: builds the retriever for a store (default: RankFusionRetriever as the settings say);
            called again with the new store after `refresh()`.
        corpus_dir: the directory the index describes (needed by `refresh()` and uploads).

    Example:
        >>> assistant = Assistant.from_corpus("corpus/")
        >>> answer = assistant.ask("Why did relations hit a nadir?")
        >>> follow_up = assistant.ask("And what about the EU?", history=[(answer.question, answer.text)])
    """

    def __init__(self, store: IndexStore, embedder: Embedder, generator: Generator,
                 settings: Settings | None = None, *, reader: Reader | None = None,
                 make_retriever: Callable[[IndexStore], Retriever] | None = None,
                 corpus_dir: Path | None = None) -> None:
        self.settings = settings or Settings()
        self.embedder = embedder
        # questions and passage sentences are embedded on every ask; chunks (indexing) are not cached
        self.query_embedder = CachedEmbedder(embedder)
        self.generator = generator
        # the answer path's stages, each built from the settings it reads
        self.gate = RelevanceGate.from_settings(self.settings, self.query_embedder)
        self.read = ReadStage.from_settings(self.settings, reader)
        self.say = SentenceStage.from_settings(self.settings, generator)
        self.corpus_dir = Path(corpus_dir) if corpus_dir else None
        self._make_retriever = make_retriever or (
            lambda store: RankFusionRetriever.from_settings(store, self.query_embedder, self.settings))
        self.use_store(store)

    def use_store(self, store: IndexStore) -> None:
        """Answer from `store` from now on (call it between answers: the Assistant is not thread-safe)."""
        self.store = store
        self.retriever = self._make_retriever(store)
        self._heads = document_heads(store.passages)
        self.vocabulary = DocumentWords(store.passages)  # read when a question first needs it
        self.documents = sorted({p.source for p in store.passages})  # the sources a question may be limited to

    @classmethod
    def from_corpus(cls, corpus_dir: str | Path = "corpus", settings: Settings | None = None, *,
                    embedder: Embedder | None = None, generator: Generator | None = None,
                    reader: Reader | None = None, show_progress: bool = True) -> "Assistant":
        """An Assistant over a corpus directory, its index built or updated first if the documents changed.

        Args:
            corpus_dir: directory of .txt, .md, .html, .pdf, .docx, .odt, .rtf, .pptx, .csv, .xlsx, .eml and .epub
                files (searched recursively).
            settings: default `Settings.from_env()`.
            embedder, generator: default the ones the settings name (loaded lazily).
            reader: default the shipped span reader (loaded lazily).
            show_progress: show a progress bar while embedding.

        Raises:
            CorpusError: the directory is missing, empty, or holds no readable document.
            ModelNotFoundError: the embedder is not installed (the generator is checked when it loads).
            IndexStoreError: the index on disk cannot be replaced or read.
        """
        settings = settings or Settings.from_env()
        embedder = embedder or SentenceTransformerEmbedder.from_settings(settings)
        generator = generator or make_generator(settings)
        # a full disk must not take the answers away: the intact previous index serves, with a warning
        store, _ = index_corpus(Path(corpus_dir), embedder, settings, show_progress=show_progress, stale_ok=True)
        return cls(store, embedder, generator, settings, reader=reader, corpus_dir=corpus_dir)

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

    def retrieve(self, question: str, history: History | None = None, top_k: int | None = None,
                 documents: Collection[str] | None = None) -> list[Passage]:
        """The passages the answer to a question will be grounded in, best first (of `documents` only if given)."""
        question = validate_question(question, self.settings.max_question_chars)
        return self._search(retrieval_query(question, clean_history(history)), top_k or self.settings.top_k,
                            validate_documents(documents, self.documents))

    def _search(self, query: str, k: int, documents: frozenset[str] | None, alone: str = "") -> list[Passage]:
        # a retriever of one's own written before documents could be named is still called as it was
        found = self.retriever.retrieve(query, k) if documents is None else self.retriever.retrieve(query, k, documents)
        if alone and alone != query and k > 1:  # a follow-up searched with the question before it
            best = self._search(alone, 1, documents)  # "What is their best seller?" may ask something new: its own
            if best and all((p.source, p.start) != (best[0].source, best[0].start) for p in found):  # best is read
                found = found[:k - 1] + best
        return found

    def ask(self, question: str, history: History | None = None, top_k: int | None = None,
            documents: Collection[str] | None = None) -> Answer:
        """Answer a question, grounded in the corpus, or abstain.

        Args:
            question: the question (surrounding whitespace is ignored).
            history: the earlier (question, answer text) pairs of this conversation, oldest first; a follow-up
                such as "And what about the EU?" is searched together with the previous questions.
            top_k: passages to retrieve (default `settings.top_k`).
            documents: answer from these documents only (their names as `assistant.documents` lists them: paths
                relative to the corpus directory); default all of them.

        Returns:
            The Answer; `answer.abstained` is True when no passage answers the question.

        Raises:
            QuestionError: the question is empty or longer than `settings.max_question_chars`, or `documents`
                names a document the index does not hold.
            ValueError: top_k is below 1.
        """
        for event in self.ask_stream(question, history, top_k, documents):
            if isinstance(event, Completed):
                return event.answer
        raise RuntimeError("answer stream ended without an answer")

    def ask_stream(self, question: str, history: History | None = None, top_k: int | None = None,
                   documents: Collection[str] | None = None) -> Iterator[AnswerEvent]:
        """Yield the answer as typed events (qa.events): the reader's span (DirectAnswer) as soon as it is found,
        text pieces that have passed every check (TextDelta: the direct answer with its marker, the model's
        sentence, the supporting quote), then the whole Answer (Completed), whose text is the pieces joined. A
        compound question (qa.compound) gets a direct answer, sentence and quote for each question it asks."""
        started = time.perf_counter()
        s = self.settings
        question = validate_question(question, s.max_question_chars)
        history = clean_history(history)
        if top_k is not None and top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        documents = validate_documents(documents, self.documents)
        # what the reader reads: "Why?" -> "Why is Turkey moving away from NATO?"; an earlier answer stands for
        # its direct answer, the first paragraph of its text
        # (a closing "according to the author" is the document's own say-so: no passage says it)
        asked = without_own_source(question)
        standalone = standalone_question(asked, [(q, strip_markers(a.split("\n\n", 1)[0]).strip())
                                                 for q, a in history])
        query = retrieval_query(asked, history)
        # a question in a conversation is about the document the previous answer quoted ("And for my 9 year old?":
        # the leaflet's dosage table, not the pool's children's prices; "Who is the treasurer?" after "When was the
        # bakery founded?": the bakery's, not the running club's)
        followed = answered_from(history[-1][1], self.vocabulary.texts) if documents is None and history and \
            len(self.documents) > 1 else None
        if followed and not self.vocabulary.holds_every_word(question, next(iter(followed))):
            followed = None  # it names what another document holds: it has moved on
        # a follow-up may ask something new of the same document ("What is their best seller?"): the best passage
        # for it alone is read too, in that document only (elsewhere it answered "Who will I report to?" from an
        # insurance policy's "report it to the police")
        alone = standalone if history and (followed or len(self.documents) == 1) else ""
        passages = self._search(query, top_k or s.top_k, followed or documents, alone)
        texts = [p.text for p in passages]
        standalone, query = spelled_out(standalone, texts), spelled_out(query, texts)  # "AGM": the words it stands for
        known = self.read.known_words()
        # a word of some documents only (not a misspelt one: a typo may be another document's word) names them
        scope = followed or (None if documents is not None else
                             self.vocabulary.scope(standalone, known, len(self.documents)))
        if scope is None and documents is None and len(self.documents) > 1 and THE_EMAIL.search(standalone):
            scope = self.vocabulary.emails() or None  # "Who sent the email?": of the documents that are emails
        standalone, respelt = (respelled(q, texts, known, lambda: self.vocabulary.words) for q in (standalone, query))
        # "temprature" found nothing in the keyword search, or documents are named: search again
        if respelt != query or scope and not followed:
            passages = self._search(respelt, top_k or s.top_k, scope or documents, alone and standalone)
        query = respelt
        if cause_unstated(standalone, passages):  # the cause may be stated in a passage ranked lower
            passages = with_stated_cause(standalone, passages, self._search(query, 3 * (top_k or s.top_k),
                                                                            scope or documents))
        about_document = asks_about_document(standalone)
        fact = None
        if about_document and passages:  # its headline, byline and dateline are in its first passage
            passages = with_document_head(passages, self._heads)
            fact = document_fact(standalone, passages, passages[0].source)
            named = standalone if fact else name_the_author(standalone, passages, passages[0].source)
            if named != standalone:  # "the author's profession" -> "<byline name>'s profession"
                standalone, query = named, retrieval_query(named, history)
                passages = with_document_head(self._search(query, top_k or s.top_k, documents), self._heads)
        remember_sentence_vectors(self.query_embedder, self.store, passages)  # computed at indexing
        timings = {"retrieval_s": time.perf_counter() - started}
        parts = question_parts(standalone)
        if fact is not None and len(parts) == 1:  # read off the document's own marks: no gate, no reader
            timings["document_fact"] = fact.kind
            verdict, reason = Verdict.of_fact(fact), None
        else:
            timings["evidence_score"], reason = self.gate(query, passages, about_document)
            if reason is not None and fact is not None:  # a compound question, one part answered by the marks
                reason = None
            verdict = None
            if reason is None or self.gate.overruled_above < float("inf"):
                verdict = read_parts(self.read, parts, passages, timings, earlier_place(question, history))
            if reason is not None and verdict is not None:  # the reader may overrule the gate, when sure
                sure = verdict.reading.score - self.read.margin if verdict.reading is not None else None
                overruled = sure is not None and self.gate.overruled(sure)
                reason, verdict = (None, verdict) if overruled else (reason, None)
                timings["gate_overruled"] = overruled
        faq_verdict, from_heading = "", False
        heading = heading_verdict(standalone, parts, verdict, passages)
        if heading is not None:
            verdict, faq_verdict, from_heading, reason = heading[0], heading[1], True, None
        reason = reason or verdict.reason
        timings["reading_s"] = time.perf_counter() - started - timings["retrieval_s"]
        if verdict is not None:
            timings["reader_best"] = verdict.best_score
        if verdict is None or verdict.reading is None:
            log.info("abstaining on %r: %s", question, reason)
            timings["first_token_s"] = timings["total_s"] = time.perf_counter() - started
            message = abstain_message(documents)
            yield TextDelta(message)
            yield Completed(replace(Answer.abstention(question, passages, message), timings={
                **timings, "reader_score": verdict.best_score if verdict else None, "reason": reason}))
            return
        found, shorts = [], []
        for part, part_verdict in verdict.parts or [(standalone, verdict)]:
            short = short_answer(part_verdict.reading, passages) if part_verdict.reading else None
            if short and not any(x.source == short.source and x.start < short.end and short.start < x.end
                                 for x in shorts):  # two parts answered by one span: say it once
                found.append((part, part_verdict))
                shorts.append(short)
        supports = [supporting_quote(part_verdict.reading, passages) for _, part_verdict in found]
        if len(shorts) == 1:  # "Can the fee be paid in instalments?" -> "Yes", where the sentence plainly says so
            shorts[0] = replace(shorts[0], verdict=faq_verdict or reading_verdict(found[0][0], found[0][1].reading,
                                                                                   passages))
        for short in shorts:
            yield DirectAnswer(short)
        # a yes/no question its sentence does not plainly settle ("Do children pay?" read "45 pounds" in "A check-up
        # costs 45 pounds for adults."): the sentence itself comes first, not a span that reads as the answer
        unsettled = len(shorts) == 1 and (is_polar(found[0][0]) or from_heading) and not shorts[0].verdict
        direct = with_markers(supports[0]) if unsettled else \
            "; ".join(f"{short.shown} [{short.marker}]" for short in shorts)
        timings["first_token_s"] = time.perf_counter() - started
        yield TextDelta(direct)
        sentences: list[AnswerSentence] = [supports[0]] if unsettled else []
        generation_started = time.perf_counter()
        for (part, _), short, supporting in zip(found, shorts, supports):
            said = None if unsettled else self.say(part, short, passages[short.marker - 1], supporting)
            for sentence in (said, supporting):
                if sentence is not None and sentence not in sentences:  # two parts may rest on one sentence
                    yield TextDelta(("\n\n" if not sentences else " ") + with_markers(sentence))
                    sentences.append(sentence)
        if self.say.enabled:  # the evaluation counts generated tokens only where the model ran
            timings["generation_s"] = time.perf_counter() - generation_started
        text = direct if unsettled else direct + "\n\n" + " ".join(with_markers(x) for x in sentences)
        note = unanswered_parts_note([(part, v.reason) for part, v in verdict.parts if v.reading is None])
        if note:  # a compound question answered in part says which part the documents do not answer
            yield TextDelta("\n\n" + note)
            text += "\n\n" + note
        timings["total_s"] = time.perf_counter() - started
        timings["reader_score"] = shorts[0].score
        markers = list(dict.fromkeys(short.marker for short in shorts))
        citations = [Citation.from_passage(marker, passages[marker - 1]) for marker in markers]
        yield Completed(Answer(text, citations, False, question, passages, sentences, timings, shorts[0],
                               tuple(shorts[1:])))
