"""The answer path's stages besides retrieval and the reader: the relevance gate and the model's sentence."""

from __future__ import annotations

from index.chunking import Passage
from index.settings import Settings
from qa.answer import AnswerSentence, ShortAnswer
from qa.citations import parse_markers, strip_markers
from qa.evidence import select_evidence
from qa.generation import Generator


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
