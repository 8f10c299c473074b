"""The documents' words, with the documents holding each (in some form): which documents a rare word names, which
document an earlier answer quoted, and which documents are emails ("Who sent the email?")."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from qa.spelling import words_of
from qa.text import STOPWORDS, stem


# "Who sent the email?", "When was this email sent?": the document that is one (not "the email address")
THE_EMAIL = re.compile(r"\b(?:the|this|that)\s+e-?mail\b(?!\s+address)", re.I)
# an email's head: a sender line and a recipient, subject or date line among its first lines (index.eml_reader writes
# "Sent by:" and "Sent to:"; a thread saved as text keeps "From:" and "To:")
_SENDER = re.compile(r"^\W*(?:from|sent by):\s*\S", re.I | re.M)
_HEADER = re.compile(r"^\W*(?:to|sent to|subject|date|sent|cc):\s*\S", re.I | re.M)


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

    def emails(self) -> frozenset[str]:
        """The documents that are emails: a sender line and another header line among their first 600 characters."""
        return frozenset(source for source, text in self.texts.items()
                         if _SENDER.search(text[:600]) and _HEADER.search(text[:600]))
