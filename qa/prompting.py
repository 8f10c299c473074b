"""Prompt building for grounded answers (pure functions)."""

from __future__ import annotations

from qa.evidence import Evidence

SYSTEM_PROMPT = (
    "You answer questions using only the numbered evidence. Reply with one short sentence that answers the "
    "question, and end it with the number of the evidence you used, like [1]. If the evidence does not answer "
    "the question, reply exactly: I don't know."
)


def format_evidence(evidence: list[Evidence]) -> str:
    """Evidence sentences, most relevant first (small models favour what comes first), each with its marker."""
    return "\n".join(f"[{ev.marker}] {' '.join(ev.text.strip('*_ ').split())}" for ev in evidence)


def build_messages(question: str, evidence: list[Evidence], follow_up_of: str | None = None) -> list[dict]:
    """Chat messages: instructions, then the evidence and the question (a follow-up names what it follows)."""
    asked = f"{question} (This follows the question: {follow_up_of})" if follow_up_of else question
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"Evidence:\n{format_evidence(evidence)}\n\nQuestion: {asked}"},
    ]
