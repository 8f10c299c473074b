"""A question's misspelt words read as the documents' words they misspell ("temprature" -> "temperature") (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence

WORD = re.compile(r"[A-Za-z]+")
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


def words_of(texts: Iterable[str]) -> set[str]:
    """The lower-case words of the texts."""
    return {w.lower() for text in texts for w in WORD.findall(text)}


def _misspelt(word: str, words: Collection[str]) -> set[str]:
    """The words one edit from `word` with its first letter, that are not another form of it ("setbacks")."""
    return {w for w in words if w[:1] == word[:1] and len(w) >= MIN_LETTERS and one_edit_apart(word, w)
            and not (w.startswith(word) or word.startswith(w))}


def respelled(question: str, texts: Sequence[str], known: Collection[str],
              corpus_words: Callable[[], Collection[str]] | None = None) -> str:
    """The question with each word that is neither a known word nor in the texts written as the one word it
    misspells: of the texts (the passages found), else of `corpus_words()` (every document's, asked for only then).
    `known`: lower-case words that are spelt right (the reader's vocabulary); none given, the question as it is."""
    if not known:
        return question
    said = words_of(texts)

    def fix(match: re.Match) -> str:
        word = match.group()
        lower = word.lower()
        if len(lower) < MIN_LETTERS or lower in known or lower in said:
            return word
        found = _misspelt(lower, said)
        if not found and corpus_words is not None:
            everywhere = corpus_words()
            found = set() if lower in everywhere else _misspelt(lower, everywhere)
        if len(found) != 1:
            return word
        right = found.pop()
        return right[:1].upper() + right[1:] if word[:1].isupper() else right

    return WORD.sub(fix, question)
