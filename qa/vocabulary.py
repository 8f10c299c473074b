"""The documents' words, with the documents holding each (in some form): which documents a rare word names, and
which document an earlier answer quoted."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from qa.spelling import words_of
from qa.text import STOPWORDS, stem


class DocumentWords:
    """Every word of an index's passages and the documents (sources) holding it or another form of it (by stem);
    built on first use (a pass over every passage), so that an index whose questions never need it pays nothing."""

    def __init__(self, passages: Iterable) -> None:
        self._passages = passages
        self._words: dict[str, set[str]] | None = None
        self._texts: dict[str, str] | None = None

    @property
    def texts(self) -> dict[str, str]:
        """source -> its passages' texts joined (qa.retrieval.answered_from finds what an answer quoted in them)."""
        if self._texts is None:
            parts: dict[str, list[str]] = {}
            for p in self._passages:
                parts.setdefault(p.source, []).append(p.text)
            self._texts = {source: "\n".join(texts) for source, texts in parts.items()}
        return self._texts

    @property
    def words(self) -> dict[str, set[str]]:
        """word -> the sources holding it or another form of it."""
        if self._words is None:
            by_stem: dict[str, set[str]] = {}
            words: dict[str, set[str]] = {}
            for p in self._passages:
                for word in words_of([p.text]):
                    words.setdefault(word, by_stem.setdefault(stem(word), set())).add(p.source)
            self._words = words
        return self._words

    def scope(self, question: str, known: Collection[str], documents: int) -> frozenset[str] | None:
        """The documents holding (in some form) every word of the question that `known` (the reader's vocabulary)
        lacks ("tidemark", "Kellside") and that some of the `documents` hold and others not; None if there is none
        (or no vocabulary is given: then no word is rare)."""
        rare = {w for w in words_of([question]) if w not in known}
        if not known or not rare or documents < 2:
            return None
        holders = [frozenset(self.words[w]) for w in rare if w in self.words and len(self.words[w]) < documents]
        return (frozenset.intersection(*holders) or None) if holders else None

    def holds_every_word(self, question: str, source: str) -> bool:
        """Whether the document holds (in some form) every word of the question that any document holds: a follow-up
        naming what only another document holds ("Which embassy offer covered trade visas printed on it?") has moved
        on from the document before."""
        asked = {w for w in words_of([question]) if w not in STOPWORDS and len(w) > 2}
        return all(source in self.words[w] for w in asked if w in self.words)
