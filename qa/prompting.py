"""Prompt building for grounded answers (pure functions)."""

from __future__ import annotations

from index.chunking import Passage

SYSTEM_PROMPT = (
    "You answer questions using only the numbered passages you are given. "
    "Answer in one to three short sentences. After each sentence, cite the passage it comes from as [1], [2] "
    "and so on. If the passages do not contain the answer, reply exactly: I don't know."
)
HISTORY_TURNS = 2


def format_passages(passages: list[Passage]) -> str:
    """Passages numbered from 1, each on its own block."""
    return "\n\n".join(f"[{i}] {' '.join(p.text.split())}" for i, p in enumerate(passages, 1))


def build_messages(question: str, passages: list[Passage],
                   history: list[tuple[str, str]] | None = None) -> list[dict]:
    """Chat messages: instructions, the last few conversation turns, then passages and the question."""
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    for previous_question, previous_answer in (history or [])[-HISTORY_TURNS:]:
        messages.append({"role": "user", "content": previous_question})
        messages.append({"role": "assistant", "content": previous_answer})
    messages.append({"role": "user", "content": f"Passages:\n{format_passages(passages)}\n\nQuestion: {question}"})
    return messages
