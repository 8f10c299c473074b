"""The answer path's stages besides retrieval and the reader: the relevance gate, a compound question's parts read
one by one, and the model's sentence."""

from __future__ import annotations

from index.chunking import Passage
from index.settings import Settings
from qa.answer import AnswerSentence, ShortAnswer
from qa.citations import parse_markers, strip_markers
from qa.compound import UNREAD, part_standalone
from qa.document_facts import document_fact
from qa.evidence import asks_about_document, select_evidence
from qa.generation import Generator
from qa.reading import ReadStage, Verdict


class RelevanceGate:
    """Abstains on a question no sentence of the passages is close to (an off-topic question): the best evidence
    score (cosine + weighted word coverage, qa.evidence) under `min_score` (-10 turns it off: scores are > -2),
    unless the reader finds a span more than `overruled_above` over its margin (inf: never)."""

    def __init__(self, embedder, min_score: float, *, lexical_weight: float, context_gain: float,
                 furniture_penalty: float, overruled_above: float = float("inf")) -> None:
        self.embedder = embedder
        self.min_score = min_score
        self.overruled_above = overruled_above
        self.options = {"lexical_weight": lexical_weight, "context_gain": context_gain,
                        "furniture_penalty": furniture_penalty}

    @classmethod
    def from_settings(cls, settings: Settings, embedder) -> "RelevanceGate":
        """The gate the settings describe, embedding with `embedder` (a CachedEmbedder holding the index's
        sentence vectors)."""
        return cls(embedder, settings.min_evidence_score, lexical_weight=settings.lexical_weight,
                   context_gain=settings.context_gain, furniture_penalty=settings.furniture_penalty,
                   overruled_above=settings.gate_overruled_above)

    def __call__(self, query: str, passages: list[Passage], about_document: bool) -> tuple[float, str | None]:
        """The best evidence score, and why the passages cannot answer the query (None when they may)."""
        evidence = select_evidence(query, passages, self.embedder, 1, about_document=about_document, **self.options)
        best = evidence[0].score if evidence else -2.0
        if best < self.min_score:
            return best, f"no passage is relevant enough (best evidence score {best:.2f} < {self.min_score:.2f})"
        return best, None

    def overruled(self, above_margin: float) -> bool:
        """Whether a span this far above the reader's margin answers though the gate would abstain: a terse
        document's lines ("Leeds, LS6 2QT" for "Where does Daniel live?") are far, as embeddings go, from a question
        the reader is sure of."""
        return above_margin > self.overruled_above


class SentenceStage:
    """The model's one sentence saying the found answer, under the vocabulary constraint (qa.constrained); None
    when it is off (QA_MODEL_SENTENCES=0) or when nothing the model wrote passes the checks."""

    def __init__(self, generator: Generator, *, enabled: bool = True, max_new_tokens: int = 48) -> None:
        self.generator = generator
        self.enabled = enabled
        self.max_new_tokens = max_new_tokens

    @classmethod
    def from_settings(cls, settings: Settings, generator: Generator) -> "SentenceStage":
        """The stage the settings describe."""
        return cls(generator, enabled=settings.model_sentences, max_new_tokens=settings.max_new_tokens)

    def __call__(self, question: str, short: ShortAnswer, passage: Passage,
                 supporting: AnswerSentence) -> AnswerSentence | None:
        """The checked sentence for `short` found in `passage`, resting on the `supporting` sentence, or None."""
        if not self.enabled:
            return None
        from qa.constrained import model_sentence

        text = model_sentence(self.generator, question, short.text, passage.text, short.marker, self.max_new_tokens,
                              span_start=short.start - passage.start)
        if text is None:
            return None
        body = strip_markers(text).strip()
        return AnswerSentence(body, tuple(parse_markers(text)) or (short.marker,), 1.0, origin="model",
                              source=supporting.source, start=supporting.start, end=supporting.end)


def read_parts(stage: ReadStage, parts: list[str], passages: list[Passage], timings: dict,
               not_again: tuple[str, str] | None = None) -> Verdict:
    """The reader stage's verdict on a question, or on each question a compound one asks (qa.compound: `parts`), a
    part about the document itself read off its marks: the first answered part's verdict, carrying every
    part's as `parts` and the best score over them. `not_again`: the previous answer's span and sentence,
    which "And X?" cannot have (qa.followup.earlier_place)."""
    if len(parts) == 1:
        return stage(parts[0], passages, not_again)
    first = _read_part(stage, parts[0], passages)
    read = [(parts[0], first)]
    for raw in parts[1:]:  # "..., and where will it be discussed?": "it" is the first part's subject/answer
        part = part_standalone(raw, parts[0], first.reading.text if first.reading else "")
        read.append((part, _read_part(stage, part, passages)) if part else
                    (raw, Verdict(None, UNREAD)))
    timings["question_parts"] = [part for part, _ in read]
    answered = next((v for _, v in read if v.reading is not None), first)
    scores = [v.best_score for _, v in read if v.best_score is not None]
    return Verdict(answered.reading, answered.reason, max(scores, default=None), tuple(read))


def _read_part(stage: ReadStage, part: str, passages: list[Passage]) -> Verdict:
    """One part of a compound question: read off the document's marks when it asks about the document and
    they answer it (its first passage is then the document's head), else read by the reader stage."""
    fact = document_fact(part, passages, passages[0].source) if asks_about_document(part) else None
    return Verdict.of_fact(fact) if fact is not None else stage(part, passages)
