"""Evidence-first answering: the sentences of the retrieved passages that best answer a question."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from index.chunking import Passage, split_sentences
from index.furniture import FURNITURE_KINDS, METADATA_KINDS, is_reference, mark_at
from index.settings import Settings
from qa.document_facts import asks_for_author
from qa.text import content_words, words

# Question words that ask for a particular kind of answer, and how to spot that kind in a sentence.
_NUMBER = re.compile(r"(?<![\w-])(\d[\d,.]*\d|\d)(?![\w-])|\b(hundred|thousand|million|billion|trillion|dozen)s?\b|"
                     r"\b(percent|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty)\b|[$€£¥]", re.I)
_DATE = re.compile(r"\b(1\d\d\d|20\d\d|january|february|march|april|may|june|july|august|september|october|"
                   r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
                   r"today|tomorrow|century|decade|week|month|year|spring|summer|autumn|winter)s?\b", re.I)
_FOOTNOTE = re.compile(r"\(\d{1,2}\)|\[\d{1,2}\]")  # "(3)" is a reference to a note, not a quantity
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
# Only phrasings that ask for the quantity itself: "a number of dunes", "an authority figure", "the value of the
# constant" and "How long has it been ...?" ("since 1951") are not answered by a bare number.
_ASKS_NUMBER = re.compile(r"\bhow (much|many|old|far|big)\b|\b(what|which) (percentage|number|amount|proportion)\b|"
                          r"\b(what|which) (is|was|are|were) the (price|cost|amount|number|percentage|population)\b",
                          re.I)
# "When" opening the question, not a clause before another question word ("When B cells replicate, what ...?")
_ASKS_DATE = re.compile(r"^\s*when\b(?!.*\b(what|which|who|whom|whose|where|how|why)\b)|"
                        r"\b(what|which) (year|date|month|day)\b", re.I)
# Questions about the document itself (who wrote it, when and where it was published, how it is filed) are
# answered by its byline, dateline and labels; the weak words count only next to a word naming the document.
_ABOUT_DOCUMENT = re.compile(r"\b(who wrote|written by|authors?|writers?|byline|publishers?|websites?|web site)\b",
                             re.I)
_ABOUT_DOCUMENT_WEAK = re.compile(r"\b(publish\w*|dated?|themes?|regions?|filed|listed|sources?|categor\w+|tagged|"
                                  r"posted|headlines?|titled?)\b", re.I)
_DOCUMENT = re.compile(r"\b(article|document|text|page|post|piece|story|report|paper|essay|book|blog|this|it)\b", re.I)

# a sentence holding the asked-for date or number ranks first when its score is within this of the best's
KIND_MARGIN = 0.2


@dataclass(frozen=True)
class Evidence:
    """A sentence inside retrieved passage `marker` (1-based), with offsets in its document and a relevance score
    (cosine + weighted question-word coverage)."""

    marker: int
    text: str
    source: str
    start: int
    end: int
    score: float
    furniture: str = ""  # the kind of page furniture (or "heading") the sentence is, "" for content


def _is_heading(text: str, kind: str = "") -> bool:
    return kind == "heading" or text.lstrip().startswith("#")


def _is_evidence(text: str, kind: str = "") -> bool:
    # fragments name topics but rarely answer anything; a byline or a dateline is short yet answers "who wrote it?"
    # a URL or a footnote line answers nothing a reader would want quoted
    return len(words(text)) >= (2 if kind in METADATA_KINDS else 4) and not is_reference(text)


def asks_about_document(question: str) -> bool:
    """Whether a question asks about the document itself (its author or an email's sender, date, publisher, theme,
    region, source)."""
    return bool(_ABOUT_DOCUMENT.search(question)
                or (_ABOUT_DOCUMENT_WEAK.search(question) and _DOCUMENT.search(question))) or asks_for_author(question)


def _sentence(marker: int, passage: Passage, s: int, e: int) -> Evidence:
    start, end = passage.start + s, passage.start + e
    return Evidence(marker, passage.text[s:e], passage.source, start, end, 0.0, mark_at(passage.marks, start, end))


def with_document_head(passages: list[Passage], heads: dict[str, Passage]) -> list[Passage]:
    """The passages plus the first passage (headline, byline, dateline) of the best passage's document, when it is
    not among them: what a question about the document itself is answered from. `heads` maps source -> first
    passage."""
    if not passages or passages[0].source not in heads:
        return passages
    head = heads[passages[0].source]
    if any(p.source == head.source and p.start == head.start for p in passages):
        return passages
    return passages + [replace(head, score=0.0)]


def document_heads(passages: Sequence[Passage]) -> dict[str, Passage]:
    """Each document's first passage (lowest start offset), by source."""
    heads: dict[str, Passage] = {}
    for p in passages:
        if p.source not in heads or p.start < heads[p.source].start:
            heads[p.source] = p
    return heads


def passage_sentences(passages: list[Passage]) -> list[Evidence]:
    """Every sentence of the passages (unscored), once each even where chunks overlap, marked with its furniture
    kind; fragments, URLs and footnote lines are left out."""
    seen, out = set(), []
    for marker, passage in enumerate(passages, 1):
        for s, e in split_sentences(passage.text):
            key = (passage.source, passage.start + s)
            sentence = _sentence(marker, passage, s, e)
            if key in seen or not _is_evidence(sentence.text, sentence.furniture):
                continue
            seen.add(key)
            out.append(sentence)
    return out


def neighbours(sentence: Evidence, passages: list[Passage]) -> tuple[Evidence | None, Evidence | None]:
    """The sentences just before and just after a sentence inside its own passage (None at an edge, a heading,
    a reference line, or where furniture meets content or another kind of furniture: see _family)."""
    passage = passages[sentence.marker - 1]
    spans = split_sentences(passage.text)
    here = next((i for i, (s, _) in enumerate(spans) if passage.start + s == sentence.start), None)
    if here is None:
        return None, None
    def at(i: int) -> Evidence | None:
        if not 0 <= i < len(spans):
            return None
        other = _sentence(sentence.marker, passage, *spans[i])
        if (_is_heading(other.text, other.furniture) or is_reference(other.text)
                or _family(other.furniture) != _family(sentence.furniture)):
            return None
        return other

    return at(here - 1), at(here + 1)


def _family(kind: str) -> str:
    """What a sentence may be quoted together with: content with content, a byline with a dateline or a label,
    boilerplate with boilerplate ("Articles by: ..." never runs into the disclaimer below it)."""
    if kind not in FURNITURE_KINDS:
        return "content"
    return "metadata" if kind in METADATA_KINDS else kind


def joined(first: Evidence, second: Evidence, passages: list[Passage]) -> Evidence:
    """One evidence span from the start of `first` to the end of `second` (same passage), scored as `first`."""
    passage = passages[first.marker - 1]
    text = passage.text[first.start - passage.start:second.end - passage.start]
    return Evidence(first.marker, text, first.source, first.start, second.end, first.score,
                    first.furniture or second.furniture)


def window(sentence: Evidence, passages: list[Passage]) -> Evidence:
    """A sentence with its neighbours: what the sentence means often depends on them ("Hence ...", "He said:")."""
    before, after = neighbours(sentence, passages)
    return joined(before or sentence, after or sentence, passages)


def question_coverage(question: str, sentence: str) -> float:
    """Share of the question's content words that the sentence contains."""
    wanted = content_words(question)
    return len(wanted & content_words(sentence)) / len(wanted) if wanted else 0.0


def score_sentences(question: str, sentences: list[Evidence], question_vector: np.ndarray,
                    sentence_vectors: np.ndarray, lexical_weight: float = Settings.lexical_weight,
                    window_vectors: np.ndarray | None = None,
                    furniture_penalty: float = Settings.furniture_penalty,
                    about_document: bool | None = None) -> list[Evidence]:
    """Sentences re-scored by cosine similarity to the question (the better of the sentence alone and the
    sentence in its window, when window vectors are given) plus weighted word coverage, minus the furniture
    penalty for page furniture (for a question about the document itself, `about_document`, by default
    asks_about_document(question): only for share/footer boilerplate and link lists); best first."""
    cosines = sentence_vectors @ question_vector if len(sentences) else np.zeros(0)
    if window_vectors is not None and len(sentences):
        cosines = np.maximum(cosines, window_vectors @ question_vector)
    if about_document is None:
        about_document = asks_about_document(question)
    # a question about the document is answered from its byline, dateline and labels, not its share/footer text
    penalised = FURNITURE_KINDS - METADATA_KINDS if about_document else FURNITURE_KINDS
    scored = [replace(s, score=float(c) + lexical_weight * question_coverage(question, s.text)
                      - (furniture_penalty if s.furniture in penalised else 0.0))
              for s, c in zip(sentences, cosines)]
    return sorted(scored, key=lambda s: -s.score)


def relevance(question: str, texts: list[str], embedder,
              lexical_weight: float = Settings.lexical_weight) -> list[float]:
    """The evidence score (cosine + weighted coverage) of arbitrary texts, e.g. generated sentences."""
    if not texts:
        return []
    vectors = embedder.embed([question] + list(texts))
    return [float(v @ vectors[0]) + lexical_weight * question_coverage(question, t) for v, t in zip(vectors[1:], texts)]


def with_context(question: str, sentence: Evidence, passages: list[Passage], embedder,
                 min_gain: float = Settings.context_gain) -> Evidence:
    """The sentence joined to the neighbour that makes it closer to the question (cosine gain > min_gain),
    so a quote such as "Hence Turkey's eagerness ..." carries the sentence it concludes from; else unchanged."""
    before, after = neighbours(sentence, passages)
    pairs = [(before, sentence), (sentence, after)]
    options = [joined(a, b, passages) for a, b in pairs if a is not None and b is not None]
    options = [o for o in options if _is_evidence(o.text, o.furniture)]
    if not options:
        return sentence
    vectors = embedder.embed([question, sentence.text] + [o.text for o in options])
    gains = vectors[2:] @ vectors[0] - float(vectors[1] @ vectors[0])
    best = int(np.argmax(gains))
    if gains[best] <= min_gain:
        return sentence
    return replace(options[best], score=sentence.score)


def select_evidence(question: str, passages: list[Passage], embedder, n: int = Settings.evidence_sentences,
                    lexical_weight: float = Settings.lexical_weight, context_gain: float = Settings.context_gain,
                    furniture_penalty: float = Settings.furniture_penalty,
                    about_document: bool | None = None, *, kind_margin: float = KIND_MARGIN) -> list[Evidence]:
    """The n sentences of the passages that best answer the question, best first, each joined to a neighbour
    where that neighbour brings it closer to the question (see with_context). Headings are left out unless
    the question asks about the document itself; page furniture is ranked down (see score_sentences).

    `about_document` defaults to asks_about_document(question); a caller whose `question` carries the earlier
    questions of a conversation passes it for the latest question alone ("Where is he based?" after "Who is
    the author?" asks about the author's life, not about the page)."""
    if about_document is None:
        about_document = asks_about_document(question)
    sentences = [s for s in passage_sentences(passages) if about_document or not _is_heading(s.text, s.furniture)]
    if not sentences:
        return []
    windows = [window(s, passages).text for s in sentences]
    vectors = embedder.embed([question] + [s.text for s in sentences] + windows)
    scored = score_sentences(question, sentences, vectors[0], vectors[1:len(sentences) + 1], lexical_weight,
                             window_vectors=vectors[len(sentences) + 1:], furniture_penalty=furniture_penalty,
                             about_document=about_document)
    if about_document:  # a dateline or byline is short, and scores low by cosine against the question
        scored = kind_first(question, scored, kind_margin)
    chosen: list[Evidence] = []
    for sentence in scored:
        if len(chosen) == n:
            break
        if any(_overlaps(sentence, c) for c in chosen):
            continue  # already quoted as the context of a better sentence
        extended = with_context(question, sentence, passages, embedder, context_gain)
        if extended.end == sentence.end and sentence.text.rstrip().endswith(":"):
            following = neighbours(sentence, passages)[1]  # "Putin said:" is quoted with what he said
            if following is not None:
                extended = joined(extended, following, passages)
        chosen.append(sentence if any(_overlaps(extended, c) for c in chosen) else extended)
    return chosen


def kind_first(question: str, scored: list[Evidence], margin: float = KIND_MARGIN) -> list[Evidence]:
    """For a question that asks for a date or a number: the scored sentences within `margin` of the best that hold
    one first ("When was the article published?" is answered by the dateline, not by the more similar
    "Articles by:"), each group still best first. Used for questions about the document itself: on other
    questions it also moved tempting non-answers holding a number to the top."""
    kind = expected_answer_kind(question)
    if kind is None or not scored:
        return scored
    floor = scored[0].score - margin
    return sorted(scored, key=lambda s: (not (s.score >= floor and has_answer_kind(kind, s.text, question)), -s.score))


def _overlaps(a: Evidence, b: Evidence) -> bool:
    return a.source == b.source and a.start < b.end and b.start < a.end


def expected_answer_kind(question: str) -> str | None:
    """'number' or 'date' when the question asks for one, else None."""
    if _ASKS_DATE.search(question):
        return "date"
    if _ASKS_NUMBER.search(question):
        return "number"
    return None


def has_answer_kind(kind: str | None, text: str, question: str = "") -> bool:
    """Whether a text holds an answer of the expected kind that the question itself does not already give."""
    if kind is None:
        return True
    pattern = _NUMBER if kind == "number" else _DATE
    asked = {m.group(0).lower() for m in pattern.finditer(question)}
    found = {m.group(0).lower() for m in pattern.finditer(_FOOTNOTE.sub(" ", text))} - asked
    if kind == "number":
        found -= {y for y in found if _YEAR.fullmatch(y)}  # a year does not answer "how many" or "how much"
    return bool(found)
