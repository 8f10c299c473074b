"""Composing a grounded Answer: the best evidence quoted first, then the model's sentence only if it passes every check."""

from __future__ import annotations

import re
from typing import Callable

from index.chunking import Passage
from index.settings import Settings
from qa.answer import Answer, AnswerSentence, Citation
from qa.citations import answer_sentences, clean_markers, is_abstention, parse_markers, strip_markers
from qa.evidence import Evidence
from qa.text import content_words, words
from qa.verification import support

# Openings a small model puts before its answer ("The answer to this question is: ..."); never shown.
_PREAMBLE = re.compile(r"^\s*(?:(?:so|thus|therefore),?\s+)?(?:the\s+)?"
                       r"(?:(?:short\s+|final\s+)?answer(?:\s+to\s+(?:\S+\s+){0,14}?)?\s*(?:is\s+that\b|is\b|:)"
                       r"|(?:evidence|text|passage)s?\s+(?:says|shows|states|is)\s+that\b)\s*:?\s*", re.I)
_TRAILING_NOTE = re.compile(r"\s*(?:\(\d{1,3}\)|\[\d{1,3}\])[.,;:!?]*$")  # a note reference ending a sentence
_CLOSING_QUOTES = "\"\u201d"
_ROLE_LABEL = re.compile(r"^\s*(?:question|evidence|answer)\s*:", re.I)


def quote(ev: Evidence) -> AnswerSentence:
    """A verbatim evidence sentence as a quoted answer sentence citing its passage (support 1): the document's words
    and quotation marks exactly, between “ and ”; only a note reference closing it (',"(1).') is left out, as the
    quote ends before it."""
    text = _TRAILING_NOTE.sub("", " ".join(ev.text.split()).strip("*_ "))
    # the document's own "[3]" is not one of our citations: written "(3)" it cannot pass for one
    text = re.sub(r"\[(\d+)\]", r"(\1)", text)
    return AnswerSentence(f"\u201c{text}\u201d", (ev.marker,), 1.0)


def repeats(body: str, kept: list[AnswerSentence]) -> bool:
    """Whether most (80%) of a sentence's content words are already in one kept sentence."""
    body_words = content_words(body)
    return any(len(body_words & content_words(s.text)) >= 0.8 * max(1, len(body_words)) for s in kept)


def strip_preamble(sentence: str) -> str:
    """The sentence without a leading "The answer (to this question) is:" style preamble."""
    stripped = _PREAMBLE.sub("", sentence, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped != sentence else sentence


def malformed(sentence: str, question: str) -> str | None:
    """Why a generated sentence must not be shown (None when it may): no content, a role label, an echo of the
    question that adds nothing, or a phrase repeated inside it ("The Battle of the Battle of")."""
    body = strip_markers(sentence)
    new_words = content_words(body) - content_words(question)
    if not content_words(body):
        return "empty"
    if _ROLE_LABEL.match(body):
        return "a role label"
    if not new_words or body.rstrip().endswith("?"):
        return "an echo of the question"
    tokens = words(body)
    trigrams = list(zip(tokens, tokens[1:], tokens[2:]))
    if len(set(trigrams)) < len(trigrams):
        return "a repeated phrase"
    return None


def _finished(sentence: str) -> bool:
    return sentence.rstrip().rstrip("\"'\u201d\u2019)*_").endswith((".", "!", "?", "]"))


def checked_sentences(raw: str, question: str, passages: list[Passage], *,
                      min_support: float = Settings.min_support) -> list[AnswerSentence | None]:
    """Each generated sentence with its markers and support from the passages it cites (moved to the passage that
    supports it best when the cited one does not), or None where it fails support or is malformed.

    A last sentence cut off by the token limit ("... the Russian jet in 20") is dropped: half a claim is no claim."""
    text = clean_markers(raw, len(passages))
    sentences = [] if is_abstention(text) else answer_sentences(text)
    if sentences and not _finished(sentences[-1]):
        sentences.pop()
    out: list[AnswerSentence | None] = []
    for sentence in sentences:
        sentence = strip_preamble(sentence)
        if malformed(sentence, question):
            out.append(None)
            continue
        body = strip_markers(sentence)
        markers = tuple(dict.fromkeys(parse_markers(sentence)))
        score = support(body, " ".join(passages[m - 1].text for m in markers)) if markers else 0.0
        if score < min_support:
            # the claim may be supported by another retrieved passage than the one it cites
            scores = [support(body, p.text) for p in passages]
            best = max(range(len(scores)), key=scores.__getitem__, default=None)
            if best is not None and scores[best] >= min_support:
                markers, score = (best + 1,), scores[best]
        out.append(AnswerSentence(body, markers, round(score, 3)) if score >= min_support else None)
    return out


def ground_answer(raw: str, question: str, passages: list[Passage], evidence: list[Evidence], *,
                  min_support: float = Settings.min_support,
                  relevance: Callable[[list[str]], list[float]] | None = None,
                  answers: Callable[[list[str]], list[float]] | None = None,
                  relevance_margin: float = Settings.relevance_margin,
                  min_answer_probability: float = Settings.min_answer_probability,
                  second_quote_margin: float = Settings.second_quote_margin,
                  max_sentences: int = Settings.max_answer_sentences) -> Answer:
    """The answer: the best evidence sentence quoted, then the model's own sentences up to the first that fails
    a check, then a close runner-up quote; at most max_sentences, none repeating another.

    A model sentence is shown only when the passages it cites support it (min_support), it addresses the question
    as well as the evidence does (relevance within relevance_margin of the best evidence's score), the reader
    judges it to answer the question (answers >= min_answer_probability, when given), and it is well formed.
    Without evidence the model's sentences are never shown: the answer abstains."""
    if not evidence:
        return Answer.abstention(question, passages)
    kept = [quote(evidence[0])]
    candidates = checked_sentences(raw, question, passages, min_support=min_support)
    passed = []
    for candidate in candidates:
        if candidate is None:
            break  # what a small model writes after a wrong sentence builds on it
        passed.append(candidate)
    bodies = [c.text for c in passed]
    if bodies and relevance is not None:
        floor = evidence[0].score - relevance_margin
        passed = [c for c, r in zip(passed, relevance(bodies)) if r >= floor]
    if passed and answers is not None:
        passed = [c for c, p in zip(passed, answers([c.text for c in passed])) if p >= min_answer_probability]
    for candidate in passed:
        # a restatement of the quote is shown only when it says the same thing much more briefly
        if not repeats(candidate.text, kept) or len(words(candidate.text)) <= 0.6 * len(words(kept[0].text)):
            kept.append(candidate)
    if len(evidence) > 1 and evidence[1].score >= evidence[0].score - second_quote_margin \
            and not repeats(evidence[1].text, kept):
        kept.append(quote(evidence[1]))  # a close runner-up: show both rather than guess
    return assemble(kept[:max_sentences], question, passages)


def assemble(sentences: list[AnswerSentence], question: str, passages: list[Passage]) -> Answer:
    """An Answer whose text is the sentences with their markers, citing exactly the passages they mark."""
    display = " ".join(with_markers(s) for s in sentences)
    cited = sorted({m for s in sentences for m in s.markers})
    citations = [Citation.from_passage(m, passages[m - 1]) for m in cited]
    return Answer(display, citations, False, question, passages, sentences)


def with_markers(sentence: AnswerSentence) -> str:
    """A sentence as displayed: its [n] markers before the final full stop, or after a closing quotation mark."""
    marks = "".join(f"[{m}]" for m in sentence.markers)
    body = sentence.text.rstrip()
    if not marks:
        return body
    if body.endswith(tuple(_CLOSING_QUOTES)):  # a quotation, ours or the document's own, ends the sentence
        return f"{body} {marks}"
    if body and body[-1] in ".!?":
        return f"{body[:-1]} {marks}{body[-1]}"
    return f"{body} {marks}."
