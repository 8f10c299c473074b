"""Shown sentences: a quote of the document's words, markers placed, and the shape checks on a model's sentence."""

from __future__ import annotations

import re

from qa.answer import AnswerSentence
from qa.citations import strip_markers
from qa.evidence import Evidence
from qa.text import ENDS_ON_INITIALISM, content_words, words

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
    quote ends before it, and a list's lines are joined by semicolons."""
    lines = [" ".join(line.split()) for line in ev.text.split("\n") if line.strip()]
    # a list's lines run into one line apart by semicolons ("Sturdy shoes; Sun cream"), not into one run-on phrase
    text = "".join(line + ("" if i == len(lines) - 1 else " " if re.search(r"[.!?;:,]$", line) else "; ")
                   for i, line in enumerate(lines))
    text = _TRAILING_NOTE.sub("", text.strip("*_ "))
    # the document's own "[3]" is not one of our citations: written "(3)" it cannot pass for one
    text = re.sub(r"\[(\d+)\]", r"(\1)", text)
    return AnswerSentence(f"\u201c{text}\u201d", (ev.marker,), 1.0)


def strip_preamble(sentence: str) -> str:
    """The sentence without a leading "The answer (to this question) is:" style preamble."""
    stripped = _PREAMBLE.sub("", sentence, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped != sentence else sentence


def malformed(sentence: str, question: str) -> str | None:
    """Why a generated sentence must not be shown (None when it may): no content, a role label, an echo of the
    question that adds nothing, or a phrase repeated inside it ("The Battle of the Battle of")."""
    body = strip_markers(sentence)
    # a number is news too ("Check-in is at 3 p.m.": its letters are too short to be content words)
    new_words = (content_words(body) | {w for w in words(body) if w.isdigit()}) - content_words(question) - \
        {w for w in words(question) if w.isdigit()}
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


def with_markers(sentence: AnswerSentence) -> str:
    """A sentence as displayed: its [n] markers before the final full stop, or after a closing quotation mark."""
    marks = "".join(f"[{m}]" for m in sentence.markers)
    body = sentence.text.rstrip()
    if not marks:
        return body
    if body.endswith(tuple(_CLOSING_QUOTES)):  # a quotation, ours or the document's own, ends the sentence
        return f"{body} {marks}"
    if ENDS_ON_INITIALISM.search(body):  # "... at 3 p.m." ends on an initialism's stop: the marker after it
        return f"{body} {marks}"
    if body and body[-1] in ".!?":
        return f"{body[:-1]} {marks}{body[-1]}"
    return f"{body} {marks}."
