"""A compound question split into the questions it asks, each standalone, for the reader (pure functions).

The span reader finds one span per question, so "What did Peskov say about the agenda and about the process?" or
"How is Russia positioning itself, and what position is it close to attaining?" are read as two questions.
"""

from __future__ import annotations

import re

from qa.followup import standalone_question
from qa.lexicon import AUX, PREPS, VERBS, WH, base_form, verbish

_WORD = re.compile(r"[A-Za-z0-9][\w'’\-]*")
# "..., and where will it be discussed?", "... and by whom?": "and", then a wh-word (after an optional preposition)
_AND_WH = re.compile(r",?\s+and\s+(?=(?:(?:by|for|from|with|to|in|on|at|since|until)\s+)?"
                     r"(?:what|which|who|whom|whose|when|where|why|how)\b)", re.I)
MAX_PARTS = 2
UNREAD = "no rule makes this part a question of its own"


def _opens_question(text: str) -> bool:
    """Whether a text opens like a question: a wh-word (after an optional preposition) or an auxiliary."""
    t = [w.lower() for w in _WORD.findall(text)[:2]]
    return bool(t) and (t[0] in WH | AUX or t[0] in PREPS and len(t) > 1 and t[1] in WH)


def _clause(text: str) -> bool:
    """Whether a wh-led text asks on its own: a clause ("where will it be discussed", "who shot it down") or a bare
    wh-word or preposition and wh-word closing the question ("and why?", "and by whom?"); not a phrase ("what other
    reasons")."""
    t = [w.lower() for w in _WORD.findall(text)]
    if len(t) >= 2 and t[0] in ("who", "what", "which") and (verbish(t[1]) or base_form(t[1]) in VERBS):
        return True  # the wh-word is the subject: "who shot it down", "who says so"
    return len(t) >= 3 and any(w in AUX for w in t[1:5]) or t in (["why"], ["when"], ["where"], ["how"]) or (
        len(t) == 2 and t[0] in PREPS and t[1] in ("whom", "what", "which", "when"))


def _tidy(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;?")
    return text[:1].upper() + text[1:] + "?"


def _split_clauses(question: str) -> list[str]:
    """'Q1, and <wh-clause>?' as [Q1, the wh-clause] (not yet standalone); [] when it is not such."""
    for match in _AND_WH.finditer(question):
        first, second = question[:match.start()], question[match.end():]
        if len(_WORD.findall(first)) >= 3 and _opens_question(first) and _clause(second):
            return [_tidy(first), _tidy(second)]
    return []


def _split_objects(question: str) -> list[str]:
    """'<Q> about A and about B?' (a preposition repeated after 'and') as ['<Q> about A?', '<Q> about B?']."""
    if not _opens_question(question):
        return []
    for prep in sorted(PREPS):
        match = re.search(rf"\b{prep}\s+(\S.*?),?\s+and\s+{prep}\s+(\S.*?)\s*\?*\s*$", question, re.I)
        if match and len(_WORD.findall(question[:match.start()])) >= 2:
            head = question[:match.start()] + question[match.start():match.start(1)]
            return [_tidy(head + match.group(1)), _tidy(head + match.group(2))]
    return []


_WH_PAIR = re.compile(r"^\s*(what|which|who|whom|when|where|why|how)\s*,?\s+and\s+"
                      r"(what|which|who|whom|when|where|why|how)\s+(\S.*)$", re.I)


def _split_wh_pair(question: str) -> list[str]:
    """'When and where did X?' as ['When did X?', 'Where did X?']; [] when it is not such."""
    match = _WH_PAIR.match(question)
    if not match or not _clause(f"{match.group(2)} {match.group(3)}"):
        return []
    return [_tidy(f"{match.group(1)} {match.group(3)}"), _tidy(f"{match.group(2)} {match.group(3)}")]


def question_parts(question: str) -> list[str]:
    """The questions a compound question asks; `[question]` when it asks one. A later part may lean on the first
    ("where will it be discussed?"): make it standalone with `part_standalone` once the first is answered."""
    parts = _split_wh_pair(question) or _split_clauses(question) or _split_objects(question)
    return parts[:MAX_PARTS] if len(parts) > 1 else [question]


def part_standalone(part: str, first: str, first_answer: str = "") -> str:
    """A later part of a compound question as it reads on its own, the first part and its answer its context; ''
    when no rule makes it standalone ("Why?" after an unanswered "Who killed X?")."""
    resolved = standalone_question(part, [(first, first_answer)])
    # the follow-up rules' last resort reads a bare part after the previous question: here that would only ask
    # the first part a second time
    return "" if resolved != part and resolved.startswith(first.strip()) else resolved


def unanswered_parts_note(missed: list[tuple[str, str]]) -> str:
    """The sentences saying which parts of a compound question got no answer, from (part, why) pairs: the
    documents do not answer it, or it was not read (`why` == UNREAD); '' when every part was answered."""
    return " ".join(f"\u201c{part}\u201d was not read: ask it as a question of its own." if why == UNREAD else
                    f"The documents do not contain an answer to \u201c{part}\u201d." for part, why in missed)
