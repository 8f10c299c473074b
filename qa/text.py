"""Small text helpers shared by citation attribution, verification and metrics (pure functions)."""

from __future__ import annotations

import re
import unicodedata

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off
on once only or other our ours ourselves out over own same she should so some such than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves s t don one two per
""".split())

# a text ending on an initialism ("3 p.m.", "the U.S."): its last full stop is the initialism's, not the sentence's
ENDS_ON_INITIALISM = re.compile(r"\b\w\.\w\.$")
_WORD = re.compile(r"[\w][\w'’]*")  # hyphens split words: "two-step" matches "two step"


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the blank-line paragraph of `text` that holds text[start:end]."""
    top = text.rfind("\n\n", 0, start)
    bottom = text.find("\n\n", end)
    return 0 if top < 0 else top + 2, len(text) if bottom < 0 else bottom


def normalize(text: str) -> str:
    """Lower-case, accents folded, punctuation to spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("’", "'")
    return " ".join(re.sub(r"[^\w'\s-]", " ", text).split())


def words(text: str) -> list[str]:
    """Normalised word tokens."""
    tokens = (re.sub(r"'s$", "", w).strip("'") for w in _WORD.findall(normalize(text)))
    return [w for w in tokens if w]


def stem(word: str) -> str:
    """A crude suffix stripper so 'relations'/'relation' and 'downed'/'downing' meet."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """Stemmed words that carry meaning (no stopwords, no single letters)."""
    return {stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1}


def overlap(claim: str, evidence: str) -> float:
    """Share of the claim's content words found in the evidence (0 when the claim has none)."""
    claim_words = content_words(claim)
    if not claim_words:
        return 0.0
    return len(claim_words & content_words(evidence)) / len(claim_words)


_NUMBER = re.compile(r"\d[\d,.]*")
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")


def asserted_terms(sentence: str) -> set[str]:
    """Numbers and capitalised names in a sentence (not counting an ordinary sentence-initial word)."""
    terms = {normalize(n.strip(".,")) for n in _NUMBER.findall(sentence)}  # "1,000" -> "1 000"
    for match in _NAME.finditer(sentence):
        names = match.group(0).split()
        if match.start() == 0 and len(names) == 1:
            continue  # a lone sentence-initial capital is usually just the start of the sentence
        terms.update(w for w in (normalize(n) for n in names) if w and w not in STOPWORDS)
    return {t for t in terms if t}
