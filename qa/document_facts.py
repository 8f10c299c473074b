"""Questions about the document itself, answered from its headline, byline, dateline and labels (pure functions).

"Who wrote this article?", "When was it published?", "What is its headline?" and "Which region is it listed
under?" are answered by the document's own furniture marks (index.furniture), which a reader trained on encyclopedia
paragraphs never learned to read. "What is the author's profession?" is a question about a person: it is read by the
reader like any other, with the byline's name in place of "the author" (`name_the_author`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from index.chunking import Passage
from index.furniture import date_span
from qa.spelling import MIN_LETTERS, one_edit_apart

# the question must name the document (or its author with "the"): "Who wrote Hamlet?" is not about it
# ("the report", "the paper", "the story" are often the subject of a question, not the document it is asked of)
_DOCUMENT = re.compile(r"\b(this|its)\s+(article|document|piece|story|text|page|post|essay|report|paper|op-?ed|"
                       r"column|file|e-?book|book|guide)\b|"
                       r"\bthe\s+(article|document|piece|page|post|essay|op-?ed|column)\b|"
                       r"\bthe\s+(author|writer|byline)\b|\b(?:this|the|its)\s+(?:e-?mail|message)\b|"
                       r"^\s*who\s+(?:wrote|sent)\s+(it|this)\s*\??\s*$|"
                       r"^\s*who\s+(?:is|was)\s+(it|this)\s+from\s*\??\s*$", re.I)
_AUTHOR_NAME = re.compile(r"^\s*(who\s+(wrote|authored|sent|is\s+the\s+(author|writer))\b|by\s+whom\b|"
                          r"who\s+(?:is|was)\s+(?:it|this|the|its)\b.*\bfrom\s*\??\s*$|"
                          r"what\s+is\s+the\s+(name\s+of\s+the\s+)?(author|writer)('s\s+name)?\s*\??\s*$|"
                          r"(what\s+is\s+the\s+)?name\s+of\s+the\s+(author|writer)\b)", re.I)
_AUTHOR_REF = re.compile(r"\b(?:(?:this|the)\s+(?:article|document|piece|story|report)'s\s+(?:author|writer)|"
                         r"the\s+(?:author|writer)(?:\s+of\s+(?:the|this)\s+(?:article|document|piece|story|report))?)"
                         r"(?P<s>'s|’s)?", re.I)
_DATE_Q = re.compile(r"\b(when|what\s+(date|day|year|month)|which\s+(date|day|year|month)|in\s+what\s+year)\b", re.I)
_PUBLISHED = re.compile(r"\b(publish\w*|written|posted|dated?|released|appear\w*)\b", re.I)
_YEAR_Q = re.compile(r"\b(what|which)\s+year\b|\bin\s+what\s+year\b", re.I)
_PUBLISHER_Q = re.compile(r"\b(which|what)\s+(website|web\s+site|site|publication|outlet|publisher|newspaper|"
                          r"magazine|source)\b|\bwho\s+published\b", re.I)
_HEADLINE_Q = re.compile(r"\b(headline|title)\b", re.I)
_LABEL_Q = re.compile(r"\b(region|theme|topic|tag|category|section)s?\b", re.I)


@dataclass(frozen=True)
class Fact:
    """A span of a passage that answers a question about the document: passage index, character offsets into the
    passage's text, and which mark it came from."""

    passage: int
    start: int
    end: int
    text: str
    kind: str


def asks_for_author(question: str) -> bool:
    """Whether the question asks who wrote the document (not something about its author)."""
    return bool(_AUTHOR_NAME.search(question)) and bool(_DOCUMENT.search(question))


def document_fact(question: str, passages: Sequence[Passage], source: str) -> Fact | None:
    """The answer to a question about document `source` itself, from the marks of its passages among `passages`
    (its headline, byline, dateline, labels), or None when the question is not one or the marks do not answer it."""
    if not _DOCUMENT.search(question):
        return None
    marks = _marks(passages, source)
    if asks_for_author(question):
        return _first([_author(i, p, s, e) for i, p, s, e, kind in marks if kind == "byline"]
                      + [_label(i, p, s, e, "author") for i, p, s, e, kind in marks if kind == "label"])
    if _DATE_Q.search(question) and _PUBLISHED.search(question):
        return _first(_date(i, p, s, e, bool(_YEAR_Q.search(question))) for i, p, s, e, kind in marks
                      if kind == "dateline")
    if _PUBLISHER_Q.search(question) and _PUBLISHED.search(question):
        return _first(_publisher(i, p, s, e) for i, p, s, e, kind in marks if kind == "dateline")
    if _HEADLINE_Q.search(question):
        # the headline is the heading at the top of the document, not a section's
        return _first(Fact(i, s, e, p.text[s:e], "headline") for i, p, s, e, kind in marks[:1]
                      if kind == "heading" and p.start == 0)
    label = _LABEL_Q.search(question)
    if label:
        return _first(_label(i, p, s, e, label.group(1)) for i, p, s, e, kind in marks if kind == "label")
    return None


def name_the_author(question: str, passages: Sequence[Passage], source: str) -> str:
    """The question with "the author" ("the writer", "the article's author") replaced by the byline's name, so the
    reader can find "What is the author's profession?" in "Michael Werbowski is a Canadian journalist"; the question
    unchanged when it names no author or the document has no byline among the passages."""
    if not _AUTHOR_REF.search(question) or asks_for_author(question):
        return question
    byline = _first(_author(i, p, s, e) for i, p, s, e, kind in _marks(passages, source) if kind == "byline")
    if byline is None:
        return question
    name = as_spelt_elsewhere(byline.text, [p.text for p in passages])
    return _AUTHOR_REF.sub(lambda m: name + (m.group("s") or ""), question, count=1)


def as_spelt_elsewhere(name: str, texts: Sequence[str]) -> str:
    """The byline's name as the texts spell it elsewhere: "By Michael Werbowksi" above "Michael Werbowski is a
    Canadian journalist" is read as the latter, which the reader can match (a byline's typo is the one said once)."""
    counts = Counter(w for text in texts for w in re.findall(r"[A-Za-z]+", text))

    def spelt(match: re.Match) -> str:
        word = match.group()
        if counts[word] > 1 or len(word) < MIN_LETTERS:
            return word
        found = {w for w in counts if w[:1] == word[:1] and one_edit_apart(word, w)}
        return found.pop() if len(found) == 1 else word

    return re.sub(r"[A-Za-z]+", spelt, name)


def _marks(passages: Sequence[Passage], source: str) -> list[tuple[int, Passage, int, int, str]]:
    """(passage index, passage, start, end, kind) of the document's marks inside the passages, in passage offsets,
    in document order (each mark once, where passages overlap)."""
    found = {}
    for i, p in enumerate(passages):
        if p.source == source:
            for s, e, kind in p.marks:
                if p.start <= s and e <= p.end:
                    found.setdefault((s, kind), (i, p, s - p.start, e - p.start, kind))
    return [found[key] for key in sorted(found)]


def _first(found) -> Fact | None:
    return next((f for f in found if f is not None), None)


_BY = re.compile(r"^\s*(?:written\s+by|posted\s+by|words\s+by|by)\s+", re.I)


def _author(i: int, p: Passage, s: int, e: int) -> Fact | None:
    lead = _BY.match(p.text[s:e])
    if not lead:
        return None
    start, end = s + lead.end(), e
    while end > start and p.text[end - 1] in " .,;":
        end -= 1
    return Fact(i, start, end, p.text[start:end], "byline") if end > start else None


def _date(i: int, p: Passage, s: int, e: int, year_only: bool) -> Fact | None:
    found = date_span(p.text[s:e])
    if found is None:
        return None
    start, end = s + found[0], s + found[1]
    if year_only:
        year = re.search(r"\d{4}", p.text[start:end])
        if year:
            start, end = start + year.start(), start + year.end()
    return Fact(i, start, end, p.text[start:end], "dateline")


def _publisher(i: int, p: Passage, s: int, e: int) -> Fact | None:
    found = date_span(p.text[s:e])
    if found is None:
        return None
    end = s + found[0]
    while end > s and p.text[end - 1] in " ,;:-–|":
        end -= 1
    name = p.text[s:end]
    if not re.search(r"[A-Za-z]", name) or re.fullmatch(r"(?i)\s*(updated|published|posted|on|at|date[d]?)\s*", name):
        return None
    return Fact(i, s, end, name, "dateline")


def _label(i: int, p: Passage, s: int, e: int, asked: str) -> Fact | None:
    key, colon, _ = p.text[s:e].partition(":")
    name = key.strip().lower()
    # "Sent by:": a saved email's sender (index.eml_reader writes its From header so)
    wanted = ("author", "articles by", "written by", "by", "sent by") if asked == "author" else \
        (asked.lower().rstrip("s"),)
    if not colon or not name.rstrip("s").startswith(wanted):
        return None
    start = s + len(key) + 1  # past the colon, whatever spaces stood before it
    while start < e and p.text[start] == " ":
        start += 1
    address = re.search(r"\s*<[^<>@\s]+@[^<>\s]+>$", p.text[start:e])  # "Gareth Pryce <gareth@...>": the name
    if address and address.start() > 0:
        e = start + address.start()
    return Fact(i, start, e, p.text[start:e], "label") if start < e else None
