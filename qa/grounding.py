"""Turning raw generated text into a grounded Answer: verify each sentence, replace what is unsupported."""

from __future__ import annotations

from typing import Callable

from index.chunking import Passage
from index.settings import Settings
from qa.answer import Answer, AnswerSentence, Citation
from qa.citations import answer_sentences, clean_markers, is_abstention, parse_markers, strip_markers
from qa.evidence import Evidence
from qa.text import content_words
from qa.verification import support

def _repeats(body: str, kept: list[AnswerSentence]) -> bool:
    words = content_words(body)
    return any(len(words & content_words(s.text)) >= 0.8 * max(1, len(words)) for s in kept)


def _finished(sentence: str) -> bool:
    return sentence.rstrip().rstrip("\"'\u201d\u2019)*_").endswith((".", "!", "?", "]"))


def _quote(ev: Evidence) -> AnswerSentence:
    return AnswerSentence(f"\u201c{' '.join(ev.text.split()).strip('*_ ')}\u201d", (ev.marker,), 1.0)


def ground_answer(raw: str, question: str, passages: list[Passage], evidence: list[Evidence], *,
                  min_support: float = Settings.min_support,
                  relevance: Callable[[list[str]], list[float]] | None = None,
                  relevance_margin: float = Settings.relevance_margin,
                  second_quote_margin: float = Settings.second_quote_margin,
                  max_sentences: int = Settings.max_answer_sentences) -> Answer:
    """Keep generated sentences that their cited passages support and that address the question;
    replace the first that fails by the best evidence sentence, quoted with its citation; drop the rest."""
    text = clean_markers(raw, len(passages))
    candidates: list[AnswerSentence | None] = []
    sentences = [] if is_abstention(text) else answer_sentences(text)
    if len(sentences) > 1 and not _finished(sentences[-1]):
        sentences.pop()  # cut off by the token limit ("... the Russian jet in 20"): half a claim is no claim
    for sentence in sentences:
        body = strip_markers(sentence)
        if not content_words(body):
            continue
        markers = tuple(dict.fromkeys(parse_markers(sentence)))
        score = support(body, " ".join(passages[m - 1].text for m in markers)) if markers else 0.0
        if score < min_support:
            # the claim may be supported by another retrieved passage than the one it cites
            scores = [support(body, p.text) for p in passages]
            best = max(range(len(scores)), key=scores.__getitem__, default=None)
            if best is not None and scores[best] >= min_support:
                markers, score = (best + 1,), scores[best]
        candidates.append(AnswerSentence(body, markers, round(score, 3)) if score >= min_support else None)
    if relevance is not None and evidence:
        # a supported sentence can still miss the point (a small model copying the wrong evidence)
        bodies = [c.text for c in candidates if c is not None]
        floor = evidence[0].score - relevance_margin
        verdict = dict(zip(bodies, relevance(bodies)))
        candidates = [c if c is None or verdict[c.text] >= floor else None for c in candidates]
    kept: list[AnswerSentence] = []
    replaced = False
    for candidate in candidates:
        if candidate is None:
            if not replaced and evidence and not _repeats(evidence[0].text, kept):
                kept.append(_quote(evidence[0]))
            replaced = True
        elif not _repeats(candidate.text, kept):
            kept.append(candidate)
    if not evidence and not kept:
        return Answer.abstention(question, passages)
    if evidence and not replaced and not _repeats(evidence[0].text, kept):
        # the best evidence, verbatim, backs up the model's wording (and is the answer if the model had none)
        kept.append(_quote(evidence[0]))
    if len(evidence) > 1 and evidence[1].score >= evidence[0].score - second_quote_margin \
            and not _repeats(evidence[1].text, kept):
        kept.append(_quote(evidence[1]))  # a close runner-up: show both rather than guess
    return _assemble(kept[:max_sentences], question, passages)


def _assemble(sentences: list[AnswerSentence], question: str, passages: list[Passage]) -> Answer:
    display = " ".join(_with_markers(s) for s in sentences)
    cited = sorted({m for s in sentences for m in s.markers})
    citations = [Citation.from_passage(m, passages[m - 1]) for m in cited]
    return Answer(display, citations, False, question, passages, sentences)


def _with_markers(sentence: AnswerSentence) -> str:
    marks = "".join(f"[{m}]" for m in sentence.markers)
    body = sentence.text.rstrip()
    if not marks:
        return body
    if body.endswith("\u201d"):
        return f"{body} {marks}"
    if body and body[-1] in ".!?":
        return f"{body[:-1]} {marks}{body[-1]}"
    return f"{body} {marks}."
