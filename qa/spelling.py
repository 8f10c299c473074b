"""A question's misspelt words read as the passages' words they misspell ("temprature" -> "temperature") (pure)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

_WORD = re.compile(r"[A-Za-z]+")
MIN_LETTERS = 5  # shorter words have too many neighbours one letter away ("wine": "wind", "mine", "wire")


def one_edit_apart(a: str, b: str) -> bool:
    """Whether b is a with one letter added, dropped or changed, or two neighbouring letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    if len(a) < len(b):  # one letter added
        return a[i:] == b[i + 1:]
    return a[i + 1:] == b[i + 1:] or a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1]


def respelled(question: str, texts: Sequence[str], known: Collection[str]) -> str:
    """The question with each word that is neither a known word nor in the texts written as the one word of the
    texts it misspells: same first letter, one edit apart, not another form of it ("setbacks", "descaled" stay).
    `known`: lower-case words that are spelt right (the reader's vocabulary); none given, the question as it is."""
    if not known:
        return question
    said = {w.lower() for text in texts for w in _WORD.findall(text)}

    def fix(match: re.Match) -> str:
        word = match.group()
        lower = word.lower()
        if len(lower) < MIN_LETTERS or lower in known or lower in said:
            return word
        found = {w for w in said if w[:1] == lower[:1] and len(w) >= MIN_LETTERS and one_edit_apart(lower, w)
                 and not (w.startswith(lower) or lower.startswith(w))}
        if len(found) != 1:
            return word
        right = found.pop()
        return right[:1].upper() + right[1:] if word[:1].isupper() else right

    return _WORD.sub(fix, question)
