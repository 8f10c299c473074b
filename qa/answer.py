"""The answer carried end to end: text with [n] markers, its citations, and whether we abstained."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from index.chunking import Passage

ABSTAIN_MESSAGE = "The documents do not contain an answer to this question."


@dataclass(frozen=True)
class Citation:
    """A passage cited by marker [n] in an answer, with its offsets in the source document."""

    marker: int
    source: str
    text: str
    start: int
    end: int
    score: float
    title: str = ""

    @classmethod
    def from_passage(cls, marker: int, passage: Passage) -> "Citation":
        return cls(marker, passage.source, passage.text, passage.start, passage.end, passage.score, passage.title)


@dataclass(frozen=True)
class AnswerSentence:
    """One displayed sentence, the markers it cites, and how well the cited passages support it (0..1)."""

    text: str
    markers: tuple[int, ...]
    support: float


@dataclass(frozen=True)
class Answer:
    """What `Assistant.ask` returns, carried end to end.

    Attributes:
        text: the answer shown to the user, each claim followed by its citation marker(s) `[n]`.
        citations: the passages the text cites, by marker; `[]` when abstained.
        abstained: True when the documents do not answer the question (`text` then says so).
        question: the question as asked (stripped).
        passages: every retrieved passage, best first; marker `[n]` is `passages[n - 1]`.
        sentences: the displayed sentences with their markers and support (0..1).
        timings: seconds spent (`retrieval_s`, `first_token_s`, `total_s`) and the best `evidence_score`.

    Example:
        >>> answer = assistant.ask("Who is Putin's spokesman?")
        >>> answer.text, [c.source for c in answer.citations], answer.abstained
    """

    text: str
    citations: list[Citation]
    abstained: bool
    question: str = ""
    passages: list[Passage] = field(default_factory=list)
    sentences: list[AnswerSentence] = field(default_factory=list)
    timings: dict = field(default_factory=dict)

    @classmethod
    def abstention(cls, question: str, passages: list[Passage], message: str = ABSTAIN_MESSAGE) -> "Answer":
        """The answer given when the documents do not answer the question (the passages searched are kept)."""
        return cls(message, [], True, question, passages)

    def to_json(self) -> dict:
        """The stable JSON contract of `python -m qa ask --json`."""
        return {
            "answer": self.text,
            "citations": [{k: v for k, v in asdict(c).items() if k != "title"} for c in self.citations],
            "abstained": self.abstained,
        }
