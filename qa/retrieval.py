"""Retrieval: dense (FAISS), lexical (BM25) and best-sentence rankings fused by rank, plus follow-up resolution."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from typing import Protocol

import numpy as np

from index.chunking import Passage, split_sentences
from index.embedding import Embedder
from index.settings import RETRIEVAL_MODES, Settings
from index.store import IndexStore
from qa.text import STOPWORDS, content_words, stem, words

# Pronouns that point back into the conversation ("Who sells it to them?"), and openings of follow-ups.
_PRONOUNS = frozenset("it its they them their theirs he him his she her this that these those there".split())
_FOLLOW_UP_START = re.compile(r"^\s*(and|also|but|so|what about|how about|why not)\b", re.I)
_FOLLOW_UP_WORDS = re.compile(r"\b(also|too|else|instead)\b", re.I)  # "Whose fate is also uncertain?"
# "one" standing for a thing named before: "Do I have to move my old one?" (not "the one who", "one of")
ONE_FOR_A_THING = re.compile(r"\b((?:my|your|our|their|the|this|that)\s+(?:[a-z]+\s+)?)one\b"
                             r"(?!\s+(?:of|who|that|which)\b)", re.I)
# "Who is the treasurer?", "What is NATO?": short, but asking about a subject of their own
_OWN_SUBJECT = re.compile(
    r"^\s*(?:who|what|where|which|when|how\s+(?:much|many|long|far|old))(?:\s+(?:is|are|was|were)|['’]s)\s+"
    r"(?:(?:the|a|an)\s+)?([\w'’-]+)\s*\?*\s*$", re.I)
# "Is there parking?" asks whether parking is there: no "there" that points back, and its own subject
_EXISTENTIAL = re.compile(r"^\s*(?:is|are|was|were|will)\s+there\s+(?:(?:a|an|any|some)\s+)?([\w'’-]+)", re.I)
# nouns that ask "of what?": "What was the reason?" leans on the conversation
_RELATIONAL = frozenset("""reason reasons cause causes purpose result results outcome effect effects consequence
consequences answer point difference problem price cost date time year place name goal aim meaning role response
reaction source size number amount plan idea deal""".split())


class Retriever(Protocol):
    """Finds the passages most relevant to a query."""

    def retrieve(self, query: str, k: int, documents: Collection[str] | None = None) -> list[Passage]: ...


def lexical_tokens(text: str) -> list[str]:
    """Stemmed, stopword-free tokens for BM25."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def top_n(scores: np.ndarray, n: int) -> np.ndarray:
    """The ids of the n highest scores, best first, ties by lower id: `np.argsort(-scores, kind="stable")[:n]`
    without sorting every score (a partition first: on 100k passages 0.5 ms instead of 7)."""
    if n >= len(scores):
        return np.argsort(-scores, kind="stable")
    if n < 1:
        return np.zeros(0, dtype=np.int64)
    threshold = np.partition(scores, len(scores) - n)[len(scores) - n]
    candidates = np.flatnonzero(scores >= threshold)  # every id tied with the n-th best too
    return candidates[np.lexsort((candidates, -scores[candidates]))][:n]


def rrf_fuse(rankings: list[list[int]], k: int = Settings.rrf_k, weights: list[float] | None = None) -> list[int]:
    """Reciprocal rank fusion of several rankings of ids (best first) into one."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank + 1)
    return sorted(scores, key=lambda item: (-scores[item], item))


def best_sentence_ranking(query_vector: np.ndarray, passages: list[tuple[int, Passage]], embedder: Embedder) -> list[int]:
    """Passage ids ordered by the cosine of their best-matching sentence to the query, best first.

    A passage's own vector averages all its sentences, so one sentence that answers the question can be
    drowned by the rest of the passage (a date line under a long introduction); this ranking cannot."""
    if not passages:
        return []
    owners, sentences = [], []
    for pid, passage in passages:
        spans = split_sentences(passage.text) or [(0, len(passage.text))]
        owners += [pid] * len(spans)
        sentences += [passage.text[s:e] for s, e in spans]
    cosines = embedder.embed(sentences) @ query_vector  # one batch for every candidate's sentences
    best: dict[int, float] = {}
    for pid, cosine in zip(owners, cosines):
        best[pid] = max(best.get(pid, -np.inf), float(cosine))
    return sorted(best, key=lambda pid: (-best[pid], pid))


def remember_sentence_vectors(embedder, store: IndexStore, passages: list[Passage],
                              sentences_only: bool = False) -> None:
    """Give an embedder that remembers vectors (index.embedding.CachedEmbedder) the index's precomputed vectors of
    the passages' sentences (and of each with its neighbours, unless `sentences_only`), so that ranking them and
    selecting evidence embed only the question."""
    remember = getattr(embedder, "remember", None)
    if remember is not None and store.sentence_vectors is not None:
        remember(*store.passage_sentence_vectors(passages, sentences_only))


class RankFusionRetriever:
    """Ranks the passages of an index by one or more rankings and fuses them by reciprocal rank (rrf_fuse).

    Mode "dense" is the FAISS ranking alone, "bm25" the lexical one alone, "hybrid" both; in hybrid mode with
    `sentence_fusion`, the dense and BM25 candidates are also ranked by their best sentence
    (best_sentence_ranking) as a third ranking. Returned passages carry their dense (cosine) score."""

    def __init__(self, store: IndexStore, embedder: Embedder, mode: str = Settings.retrieval, *,
                 candidates: int = Settings.retrieval_candidates, rrf_k: int = Settings.rrf_k,
                 bm25_weight: float = Settings.bm25_weight, sentence_fusion: bool = Settings.sentence_fusion,
                 document_scope: float = Settings.document_scope) -> None:
        if mode not in RETRIEVAL_MODES:
            raise ValueError(f"retrieval mode must be one of {RETRIEVAL_MODES}, got {mode!r}")
        self.store = store
        self.embedder = embedder
        self.mode = mode
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.bm25_weight = bm25_weight
        self.sentence_fusion = sentence_fusion
        self.document_scope = document_scope
        self._bm25 = None
        self._documents_bm25 = None
        self._ids_by_source: dict[str, np.ndarray] | None = None

    @classmethod
    def from_settings(cls, store: IndexStore, embedder: Embedder, settings: Settings) -> "RankFusionRetriever":
        """The retriever `settings` configure (mode, candidates, RRF constant, BM25 weight, sentence fusion)."""
        return cls(store, embedder, settings.retrieval, candidates=settings.retrieval_candidates,
                   rrf_k=settings.rrf_k, bm25_weight=settings.bm25_weight, sentence_fusion=settings.sentence_fusion,
                   document_scope=settings.document_scope)

    def _bm25_index(self):
        """BM25 over the passages (built on first use, with the documents' index: _lexical_indexes)."""
        if self._bm25 is None:
            self._lexical_indexes()
        return self._bm25

    def _document_index(self):
        """BM25 over whole documents and the sources in its order (built on first use with the passages' index)."""
        if self._documents_bm25 is None:
            self._lexical_indexes()
        return self._documents_bm25

    def _lexical_indexes(self) -> None:
        # one tokenizing pass for both: a passage's words before the end of the one before it in its document (the
        # overlap, whole sentences) count for the passage only, so each document's words count once
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import
        words: dict[str, str] = {}  # one string per distinct token: at 100k passages 155 MB instead of 550
        passages: list[list[str]] = []
        documents: dict[str, list[str]] = {}
        ends: dict[str, int] = {}
        for p in self.store.passages:
            cut = min(max(ends.get(p.source, p.start), p.start), p.end) - p.start
            tail = [words.setdefault(t, t) for t in lexical_tokens(p.text[cut:])]
            passages.append([words.setdefault(t, t) for t in lexical_tokens(p.text[:cut])] + tail)
            documents.setdefault(p.source, []).extend(tail)
            ends[p.source] = max(ends.get(p.source, p.end), p.end)
        self._bm25, by_document = bm25s.BM25(), bm25s.BM25()
        self._bm25.index([tokens or ["\u2205"] for tokens in passages], show_progress=False)
        by_document.index([tokens or ["\u2205"] for tokens in documents.values()], show_progress=False)
        self._documents_bm25 = (by_document, list(documents))

    def scoped_documents(self, query: str, documents: Collection[str] | None = None) -> list[str] | None:
        """The documents (of `documents`, default all) whose whole text matches the query's words (BM25) at least
        `document_scope` times as well as the best one's: the passages are then sought in these only ("Where does
        the Hill Fell Race start?" is the running club's fixtures, not a walking guide's "Start:" line). None where
        every document stays (scoping off, one document, or no query word in any document)."""
        if self.document_scope <= 0:
            return None
        bm25, sources = self._document_index()
        tokens = [t for t in lexical_tokens(query) if t in bm25.vocab_dict]
        if len(sources) < 2 or not tokens:
            return None
        scores = bm25.get_scores(tokens)
        among = range(len(sources)) if documents is None else [i for i, s in enumerate(sources) if s in documents]
        best = max((scores[i] for i in among), default=0.0)
        kept = [sources[i] for i in among if scores[i] >= self.document_scope * best]
        return kept if best > 0 and len(kept) < len(among) else None

    def dense_ranking(self, query_vector: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[int]:
        """Passage ids by cosine to the (1, dim) query vector, best first: from the FAISS index, or, among the
        `allowed` ids only, exactly from the stored vectors (an approximate index cannot filter)."""
        if allowed is not None:
            cosines = self.store.vectors[allowed] @ query_vector[0]
            return [int(i) for i in allowed[top_n(cosines, n)]]
        _, ids = self.store.search_ids(query_vector, n)
        return [int(i) for i in ids[0] if i >= 0]

    def bm25_ranking(self, query: str, n: int, allowed: np.ndarray | None = None) -> list[int]:
        """Passage ids by BM25 score, best first (only passages sharing a term with the query; among the `allowed`
        ids when given)."""
        bm25 = self._bm25_index()
        tokens = [t for t in lexical_tokens(query) if t in bm25.vocab_dict]
        if not tokens:
            return []
        scores = bm25.get_scores(tokens)
        matching = np.flatnonzero(scores > 0)  # most passages share no term with the question
        if allowed is not None:
            matching = np.intersect1d(matching, allowed, assume_unique=True)
        return [int(i) for i in matching[top_n(scores[matching], n)]]

    def document_ids(self, documents: Collection[str]) -> np.ndarray:
        """The ids of the passages of the named documents (sources), in index order."""
        if self._ids_by_source is None:  # once per store (a new store gets a new retriever)
            by_source: dict[str, list[int]] = {}
            for i, p in enumerate(self.store.passages):
                by_source.setdefault(p.source, []).append(i)
            self._ids_by_source = {source: np.array(ids, dtype=np.int64) for source, ids in by_source.items()}
        parts = [self._ids_by_source[d] for d in documents if d in self._ids_by_source]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def retrieve(self, query: str, k: int, documents: Collection[str] | None = None) -> list[Passage]:
        """The k best passages for a query, best first; only from the named documents (sources) when given, and
        of them from those its words point to (scoped_documents) and the best passage's own."""
        allowed = None if documents is None else self.document_ids(documents)
        if not len(self.store) or allowed is not None and not len(allowed):
            return []
        query_vector = self.embedder.embed([query])
        found = self._ranked(query, query_vector, k, allowed)
        scoped = self.scoped_documents(query, documents) if found else None
        if scoped is not None and any(p.source not in scoped and p.source != found[0].source for p in found):
            found = self._ranked(query, query_vector, k, self.document_ids({*scoped, found[0].source}))
        return found

    def _ranked(self, query: str, query_vector: np.ndarray, k: int, allowed: np.ndarray | None) -> list[Passage]:
        """The k best passages by the fused rankings (of the `allowed` ids only, when given)."""
        n = max(self.candidates, k)
        rankings, weights = [], []
        if self.mode in ("hybrid", "dense"):
            rankings.append(self.dense_ranking(query_vector, n, allowed))
            weights.append(1.0)
        if self.mode in ("hybrid", "bm25"):
            rankings.append(self.bm25_ranking(query, n, allowed))
            weights.append(self.bm25_weight)
        if self.mode == "hybrid" and self.sentence_fusion:
            pool = [(i, self.store.passages[i]) for i in dict.fromkeys(i for ranking in rankings for i in ranking)]
            remember_sentence_vectors(self.embedder, self.store, [p for _, p in pool], sentences_only=True)
            rankings.append(best_sentence_ranking(query_vector[0], pool, self.embedder))
            weights.append(1.0)
        fused = rrf_fuse(rankings, self.rrf_k, weights)[:k]
        cosines = self.store.vectors[fused] @ query_vector[0] if fused else []
        return [self.store.passages[i].with_score(s) for i, s in zip(fused, cosines)]


def is_follow_up(question: str) -> bool:
    """Whether a question leans on the conversation: very short, with a pronoun or also/too/else, or 'And ...'."""
    said = re.findall(r"[a-z']+", question.lower())
    tokens = set(said) - ({"there"} if _EXISTENTIAL.match(question) and said.count("there") == 1 else set())
    return (len(content_words(question)) < 2 and not has_own_subject(question) or bool(tokens & _PRONOUNS)
            or bool(_FOLLOW_UP_START.match(question)) or bool(_FOLLOW_UP_WORDS.search(question))
            or bool(ONE_FOR_A_THING.search(question)))


def has_own_subject(question: str) -> bool:
    """Whether a short question names what it asks about ("Who is the treasurer?", "What is NATO?", "When is
    completion?"), so that it reads on its own however short it is ("What was the reason?" does not: the reason for
    what?); "Is there parking?" names parking."""
    own = _OWN_SUBJECT.match(question) or _EXISTENTIAL.match(question)
    return bool(own) and own.group(1).lower() not in _RELATIONAL | _PRONOUNS


SHOWN_QUOTE = re.compile(r"“(.+?)”(?=\s*\[\d)", re.S)  # a quote the answer shows, before its marker


def answered_from(answer: str, texts: dict[str, str]) -> frozenset[str] | None:
    """The one document (source) every sentence an earlier answer quotes comes from, found by exact text in the
    documents' plain texts (`texts`: source -> text); None if it quotes none, or several documents hold them."""
    quotes = [q.strip() for q in SHOWN_QUOTE.findall(answer) if len(q.strip()) >= 12]
    held = [{source for source, text in texts.items() if quote in text} for quote in quotes]
    sources = set.intersection(*held) if held else set()
    return frozenset(sources) if len(sources) == 1 else None


# "Is there a cafe?" names no place of its own ("Is there a cafe at the station?" does): in a conversation it asks
# about the place just talked of (session 37: after "Where does the Fennick walk start?" it got another walk's cafe)
_PLACED = re.compile(r"\b(?:at|in|on|near|inside|outside|by|for|along|around|within|nearby|close)\b", re.I)


def asks_whether_there_is(question: str) -> bool:
    """Whether a question asks only whether something is there ("Is there a cafe?", "Are there toilets?"), naming
    no place."""
    found = _EXISTENTIAL.match(question)
    return bool(found) and not _PLACED.search(question[found.end():])


def retrieval_query(question: str, history: list[tuple[str, str]] | None = None) -> str:
    """The text to search with: a follow-up, or a question whether something is there that names no place, is read
    together with the previous question(s).

    The previous answer is deliberately left out: adding it lost 2 of 62 article hits, because a wrong
    earlier answer then steers the follow-up's search too (docs/experiments.md)."""
    if history and (is_follow_up(question) or asks_whether_there_is(question)):
        previous = [q for q, _ in history[-2:]]
        return " ".join(previous + [question])
    return question
