"""The cause a question asks, where a sentence states it (pure functions): by a causative verb ("The downing of a
Russian jet ... brought the bi-lateral relations to a nadir" answers "Why did relations hit a nadir?"), or in the
sentence before one opening "Hence"."""

from __future__ import annotations

import re
from typing import Sequence

from index.chunking import Passage, split_sentences
from qa.text import content_words

# "Why ...?", "What caused ...?", "What two events pushed ...?", "What led to ...?"
CAUSE_ASKED = re.compile(r"^\W*(?:why\b|what\s+(?:\w+\s+){0,2}?(?:caused|led|pushed|brought|drove|made)\b)", re.I)
# "<cause> brought|pushed|drove|... <what it moved> to|into <where>", or "... together|closer|apart"
_CAUSATIVE = re.compile(r"\b(?:brought|pushed|drove|took|plunged|sent|led|caused|forced|dragged)\s+(?P<moved>[^,;:]+?)"
                        r"\s+(?:(?:to|into)\s+(?P<where>[^;:]+)|(?P<way>together|closer|apart|back)\b[^;:]*)$", re.I)
# a clause leading into the sentence is not the cause: "Despite these setbacks, ..."
_LEAD_IN = re.compile(r"(?:(?:but|and|so|yet|however|despite [^,]{1,60}|after [^,]{1,60}|in \d{4}),\s*|"
                      r"(?:but|and|so|yet)\s+)", re.I)
# which way the cause moved things: a nadir and a deterioration are down, coming together is up
_DOWN = frozenset(content_words("""nadir abyss low lowest worst bottom deteriorate deteriorated worsen worsened collapse
crisis brink decline declined sour soured break breaking halt standstill ruin war conflict""") | {"low"})
_UP = frozenset(content_words("""together closer improve improved better best peak high highest recover recovered warm
warmer normal normalise normalize reconcile reconciled rapprochement"""))
# one thing under its other names: "ties" between two countries are their relations
_SAME_THING = {"ties": "relation", "tie": "relation", "relationship": "relation"}  # (content_words' forms)
_ASKING = frozenset(content_words("why what cause caused led lead push pushed bring brought drive drove make made "
                                  "event events reason reasons factor factors thing things"))


def _way(words: set[str]) -> str:
    """"down", "up" or "" for the words of an outcome."""
    down, up = bool(words & _DOWN), bool(words & _UP)
    return "down" if down and not up else "up" if up and not down else ""


def _named(words: set[str]) -> set[str]:
    """Words with one name for each thing ("ties" as "relations")."""
    return {_SAME_THING.get(w, w) for w in words}


def causative_cause(question: str, passages: Sequence[Passage]) -> tuple[int, int, int] | None:
    """(passage index, start, end) of the cause a sentence states with a causative verb, for a question asking a
    cause, where what the sentence says was moved is what the question asks about and where it was moved to is what
    the question says happened (a word of it, or the same way: "a nadir" for "their lowest point" or "deteriorate",
    not for "improve"); None when no sentence, or more than one cause, says so."""
    if not CAUSE_ASKED.match(question):
        return None
    asked = _named(content_words(question) - _ASKING)
    found = set()
    for i, passage in enumerate(passages):
        text = passage.text
        for s, e in split_sentences(text):
            said = _CAUSATIVE.search(text, s, e)
            if said is None:
                continue
            moved = _named(content_words(said["moved"]))
            outcome = content_words(said["where"] or said["way"])
            rest = asked - moved
            if not moved & asked or not rest:
                continue
            if not (outcome & rest or _way(outcome) and _way(outcome) == _way(rest)):
                continue
            start, end = s, said.start()
            lead = _LEAD_IN.match(text, start, end)
            start = lead.end() if lead else start
            while end > start and not text[end - 1].isalnum():
                end -= 1
            if len(text[start:end].split()) >= 2:
                found.add((i, start, end, text[start:end]))
    causes = {cause for *_, cause in found}
    return min(found)[:3] if len(causes) == 1 else None


def cause_unstated(question: str, passages: Sequence[Passage]) -> bool:
    """Whether a question asks a cause that no sentence of the passages states with a causative verb."""
    return bool(CAUSE_ASKED.match(question)) and bool(passages) and causative_cause(question, passages) is None


def with_stated_cause(question: str, passages: Sequence[Passage], more: Sequence[Passage]) -> list[Passage]:
    """The passages, the last one replaced by the one of `more` that states the cause asked ("What caused relations
    ... to deteriorate?": no word of the question's outcome is in "... to a nadir", which ranks sixth); the passages
    as they are where none does."""
    kept = {(p.source, p.start) for p in passages}
    others = [p for p in more if (p.source, p.start) not in kept]
    found = causative_cause(question, others) if passages else None
    return list(passages) if found is None else [*passages[:-1], others[found[0]]]


WHY = re.compile(r"\s*why\b", re.I)
# words opening a sentence that says what follows from the one before ("so" alone is too often a filler)
_CONSEQUENCE = re.compile(r"(?:hence|thus|therefore|consequently|accordingly|as a result|for (?:this|that) reason|"
                          r"(?:this|that) is why|that's why)\b[\s,]*", re.I)


def restates(question: str, span: str) -> bool:
    """Whether a "why" question's span says again most of what the question asks (its content words), not why."""
    asked = content_words(question) - {"why"}
    return bool(WHY.match(question)) and bool(asked) and 2 * len(asked & content_words(span)) >= len(asked)


def stated_cause(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The sentence before the one holding text[start:end], as (start, end), when that one opens with a word of
    consequence ("Hence", "Therefore", "That is why") before the span: the cause a "why" question asks is said
    there. None otherwise, or when the sentence before is in another paragraph."""
    sentences = split_sentences(text)
    own = next((i for i, (s, e) in enumerate(sentences) if s <= start < e), None)
    if not own:
        return None
    opener = _CONSEQUENCE.match(text, sentences[own][0])
    a, b = sentences[own - 1]
    if opener is None or start < opener.end() or "\n\n" in text[b:sentences[own][0]]:
        return None
    return a, b
