"""The answer carried end to end: text with [n] markers, its citations, and whether we abstained."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from index.chunking import Passage

ABSTAIN_MESSAGE = "The documents do not contain an answer to this question."


def abstain_message(documents=None) -> str:
    """What an abstention says: ABSTAIN_MESSAGE, or, for a question limited to some documents, which ones."""
    if not documents:
        return ABSTAIN_MESSAGE
    names = sorted(documents)
    if len(names) == 1:
        return f"The document chosen ({names[0]}) does not contain an answer to this question."
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"The documents chosen ({shown}) do not contain an answer to this question."


@dataclass(frozen=True)
class Citation:
    """A passage cited by marker [n] in an answer.

    `start`/`end` are offsets into the document's plain text (`text` is that slice); `source_start`/`source_end`
    are offsets into the file on disk (for Markdown, the same words with their markup; else equal to start/end).
    """

    marker: int
    source: str
    text: str
    start: int
    end: int
    score: float
    title: str = ""
    source_start: int | None = None
    source_end: int | None = None

    @classmethod
    def from_passage(cls, marker: int, passage: Passage) -> "Citation":
        return cls(marker, passage.source, passage.text, passage.start, passage.end, passage.score, passage.title,
                   passage.start if passage.source_start is None else passage.source_start,
                   passage.end if passage.source_end is None else passage.source_end)


@dataclass(frozen=True)
class ShortAnswer:
    """The direct answer: the span the reader found, cited by `marker`, at `start`/`end` in its document's plain
    text (the same offsets as a Citation's), with the reader's span-minus-null `score`; for a yes/no question whose
    sentence plainly says so (qa.polar), `verdict` "yes" or "no", shown instead of the span."""

    text: str
    marker: int
    source: str
    start: int
    end: int
    score: float = 0.0
    verdict: str = ""

    @property
    def shown(self) -> str:
        """What the answer's first line says: "Yes" or "No" for a verdict, else the span (on one line: a table's row
        may run over several)."""
        return self.verdict.capitalize() or " ".join(self.text.split())

    def to_dict(self) -> dict:
        """The contract's fields: text, marker, start, end, verdict ("yes", "no" or None)."""
        return {"text": self.text, "marker": self.marker, "start": self.start, "end": self.end,
                "verdict": self.verdict or None}


@dataclass(frozen=True)
class AnswerSentence:
    """One displayed sentence, the markers it cites, and how well the cited passages support it (0..1).

    `origin` is "quote" (the document's words, verbatim) or "model" (written by the generator); `source`,
    `start`, `end` locate the document sentence it rests on (the quoted one, or the one holding the short answer),
    so a viewer highlights from them; None where it rests on no single sentence.
    """

    text: str
    markers: tuple[int, ...]
    support: float
    origin: str = "quote"
    source: str = ""
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict:
        """The contract's fields: text, markers, origin."""
        return {"text": self.text, "markers": list(self.markers), "origin": self.origin}


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
        short_answer: the span the reader found, shown first (of a compound question, the first part's: the text's
            first line holds every part's); None when abstained.
        more_answers: a compound question's other parts' spans (qa.compound), in order; empty otherwise.
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
    short_answer: ShortAnswer | None = None
    more_answers: tuple[ShortAnswer, ...] = ()

    @classmethod
    def abstention(cls, question: str, passages: list[Passage], message: str = ABSTAIN_MESSAGE) -> "Answer":
        """The answer given when the documents do not answer the question (the passages searched are kept)."""
        return cls(message, [], True, question, passages)

    def to_json(self) -> dict:
        """The stable JSON contract of `python -m qa ask --json` (citation offsets: see Citation)."""
        return {
            "answer": self.text,
            "citations": [_citation_json(c) for c in self.citations],
            "abstained": self.abstained,
            "short_answer": self.short_answer.to_dict() if self.short_answer else None,
            "sentences": [sentence.to_dict() for sentence in self.sentences],
        }


def _citation_json(citation: Citation) -> dict:
    record = {k: v for k, v in asdict(citation).items() if k != "title"}
    record["source_start"] = citation.start if citation.source_start is None else citation.source_start
    record["source_end"] = citation.end if citation.source_end is None else citation.source_end
    return record
