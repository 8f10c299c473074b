"""Verifying generated sentences against the passages they cite (a transparent, deterministic check).

A sentence is supported by a passage when (1) most of its content words (stemmed, stopwords removed)
occur in the passage and (2) every number and capitalised name it asserts occurs in the passage.
support = word coverage, halved for each missing number or name.
"""

from __future__ import annotations

import re

from qa.text import STOPWORDS, content_words, normalize

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


def support(sentence: str, evidence: str) -> float:
    """How well `evidence` supports `sentence`, from 0 (not at all) to 1 (every word and name found)."""
    claim = content_words(sentence)
    if not claim:
        return 0.0
    coverage = len(claim & content_words(evidence)) / len(claim)
    evidence_norm = normalize(evidence)
    missing = sum(1 for t in asserted_terms(sentence) if not _mentions(evidence_norm, t))
    return coverage * (0.5 ** missing)


def _mentions(text: str, term: str) -> bool:
    # whole tokens only ("20" is not in "2015"); a hyphen separates, so "400" is in "s-400"
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text) is not None


