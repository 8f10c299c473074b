"""The answer carried end to end: text with [n] markers, its citations, and whether we abstained."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from index.chunking import Passage


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
    """What `Assistant.ask` returns; `passages` are all retrieved passages, numbered from 1 in order."""

    text: str
    citations: list[Citation]
    abstained: bool
    question: str = ""
    passages: list[Passage] = field(default_factory=list)
    sentences: list[AnswerSentence] = field(default_factory=list)
    timings: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The stable JSON contract of `python -m qa ask --json`."""
        return {
            "answer": self.text,
            "citations": [{k: v for k, v in asdict(c).items() if k != "title"} for c in self.citations],
            "abstained": self.abstained,
        }
