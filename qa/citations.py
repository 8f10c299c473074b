"""Citation markers in generated text: parsing, cleaning and attribution (pure functions)."""

from __future__ import annotations

import re

from index.chunking import split_sentences

# each whitespace run is tried from its start only (the lookbehinds): a run of 100,000 spaces (an earlier turn of
# NULs, cleaned) is then read once, not once per position (which took minutes)
_MARKER_GROUP = re.compile(r"(?<!\s)\s*\[(\s*\d+(?:\s*[,;]\s*\d+)*\s*)\]")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<![ \t])[ \t]+(?=[.,;:!?])")
_ABSTAIN_PATTERNS = re.compile(
    r"\b(i don'?t know|i do not know|not (?:mentioned|stated|specified|provided|given|contain\w*)|"
    r"no (?:information|mention)|(?:passages?|text|documents?) (?:does|do) not (?:say|contain|mention|provide))\b",
    re.IGNORECASE)


def parse_markers(text: str) -> list[int]:
    """Every marker number in order of appearance, e.g. 'a [1] b [2, 3]' -> [1, 2, 3]."""
    return [int(n) for group in _MARKER_GROUP.findall(text) for n in re.findall(r"\d+", group)]


def clean_markers(text: str, n_passages: int) -> str:
    """Drop markers that point at no passage; normalise kept ones to '[n]' with duplicates removed."""
    def fix(match: re.Match) -> str:
        kept = []
        for n in (int(x) for x in re.findall(r"\d+", match.group(1))):
            if 1 <= n <= n_passages and n not in kept:
                kept.append(n)
        return " " + "".join(f"[{n}]" for n in kept) if kept else ""

    cleaned = _MARKER_GROUP.sub(fix, text)
    return _SPACE_BEFORE_PUNCTUATION.sub("", cleaned).strip()


def answer_sentences(text: str) -> list[str]:
    """The sentences of an answer, markers kept with the sentence they follow."""
    # a marker placed after the full stop ("... nadir. [1]") belongs to the sentence before it
    text = re.sub(r"([.!?])((?:\s*\[\d+\])+)", r"\2\1", text)
    return [text[s:e] for s, e in split_sentences(text)]


def strip_markers(text: str) -> str:
    """The text without any [n] markers."""
    return _SPACE_BEFORE_PUNCTUATION.sub("", _MARKER_GROUP.sub("", text)).strip()


def is_abstention(text: str) -> bool:
    """Whether generated text says the passages do not answer the question."""
    return bool(_ABSTAIN_PATTERNS.search(text)) or not strip_markers(text)
