"""A line that labels its value ("Start: Fennick village green", a walk's "At a glance" list) as the answer to a
question that asks for the label, over the reader's span (pure functions).

The reader, trained on prose, reads such a line unsure (-3.5 for "Where does the Fennick walk start?" in its chapter)
and took "Kelderby" from the introduction's "starting at Kelderby" (11.2); so a line whose label the question names,
in a section whose headings (or the document's title) name all the question's other words, is its answer; only where
one value over the passages is so named by the nearest headings.
"""

from __future__ import annotations

import re
from typing import Sequence

from index.chunking import Passage
from qa.evidence import expected_answer_kind, has_answer_kind
from qa.lexicon import AUX
from qa.passage_regions import heading_lines
from qa.periods import days_named
from qa.span_rules import asks_price, fits_asked_form
from qa.text import STOPWORDS, content_words, stem, words

# "Start: Fennick village green", "Energy rating: A.": a label of up to four words, capitalised, then its value
_FIELD = re.compile(r"^[ \t]*([A-Z][\w'’/&-]*(?:[ \t]+[\w'’/&-]+){0,3})[ \t]*:[ \t]+(\S[^\n]*?)[ \t.]*$", re.M)
_VALUE_WORDS = 12  # a labelled line's value is short: a longer one is a paragraph under a bold lead-in
# words of the asking, not of what is asked ("What do I need to know about parking?")
_ASKING = frozenset("need know tell find get happen much many".split())


def _forms(text: str) -> set[str]:
    """The text's content words, each in one form ("Parking" and "park", "Refreshments" and "refreshment", "bins" and
    "bin", "collection" and "collected")."""
    forms = {w.rstrip("e") for w in content_words(text)}
    forms = {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in forms}
    forms = {w[:-2] if len(w) > 5 and w.endswith("ly") else w for w in forms}  # "Monthly price" for "per month"
    return {w[:-3] if len(w) > 6 and w.endswith("ion") else w for w in forms} - _ASKING


_PRICE_WORDS = "price cost fee charge"  # what "How much is it per month?" asks a label to name


# "Ashby and Hollins Green: Wednesday": a label naming several places, each of which it labels
_COORDINATED = re.compile(r"\s*(?:,|&|/|\band\b|\bor\b)\s*")


def _named_label(label: str, asked: set[str]) -> bool:
    """Whether the question names all the words of the label or of one of the names it coordinates."""
    return any(part and part <= asked for part in map(_forms, _COORDINATED.split(label)))


def _lead_in(text: str, start: int) -> str:
    """The paragraph ending in a colon right above the list of labelled lines holding text[start], which says what the
    list labels ("Collection days by area are:" over "Northfield: Tuesday"); "" where there is none."""
    at = text.rfind("\n", 0, start)
    while at > 0 and _FIELD.match(text, text.rfind("\n", 0, at) + 1):  # back over the list's earlier lines
        at = text.rfind("\n", 0, at)
    above = text[:max(at, 0)].rstrip()
    paragraph = above[above.rfind("\n\n") + 1:].strip()
    return paragraph if paragraph.endswith(":") else ""


def labelled_value(question: str, passages: Sequence[Passage]) -> tuple[int, int, int] | None:
    """(passage, start, end) of the value of the one line over the passages whose label the question names, whose
    other words the line's label, the nearest headings above it in its passage and the document's title name all of,
    and whose value is of the form asked (a date for "When ...?"); None for a yes/no question, no such line, or
    several with different values as near their headings."""
    said = words(question)
    if not said or said[0] in AUX:
        return None
    asked, kind = _forms(question), expected_answer_kind(question)
    naming = asked | (_forms(_PRICE_WORDS) if asks_price(question) else set())  # "Monthly price" for "How much ...?"
    found: dict[str, tuple[int, tuple[int, int, int]]] = {}  # value -> (headings read back, where)
    for i, passage in enumerate(passages):
        text = passage.text
        for m in _FIELD.finditer(text):
            label, value = _forms(m.group(1)), m.group(2)
            if not label or not _named_label(m.group(1), naming) or len(value.split()) > _VALUE_WORDS or \
                    not re.search(r"\w", value) or not fits_asked_form(question, value) or \
                    kind is not None and not has_answer_kind(kind, value, question):
                continue  # "When is the Harvest Half Marathon?" is not "Harvest Half Marathon: Club members £24."
            # the headings above the line, nearest first, read back until they name the rest of the question: the
            # nearest section that does ("Walk 3: Fennick Woods" over "At a glance", not walk 2's above them)
            named = label | _forms(passage.title) | _forms(_lead_in(text, m.start()))
            above = sorted((e, s) for s, e in heading_lines(passage) if e <= m.start())[::-1]
            for depth, (e, s) in enumerate([(m.start(), m.start())] + above):
                named |= _forms(text[s:e])
                if asked <= named:
                    earlier = found.get(value.lower())
                    found[value.lower()] = (depth if earlier is None else min(depth, earlier[0]),
                                            (i, m.start(2), m.end(2)))
                    break
    nearest = min((depth for depth, _ in found.values()), default=None)
    best = [where for depth, where in found.values() if depth == nearest]
    return best[0] if len(best) == 1 else None


def asked_field(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The labelled line to read instead of the span's own labelled line, or None: the one line of the passage whose
    label the question names, every word of it, where the span's label is not so named ("Saturday: 9am to 12:30pm"
    for "What time do you close on Saturdays?", not "Friday: 8:30am to 4pm"; a day within "Monday to Thursday"
    counts)."""
    fields = [(m.start(), m.end(), m.group(1)) for m in _FIELD.finditer(text)]
    own = next((f for f in fields if f[0] <= start < f[1]), None)
    if own is None:
        return None
    asked, days = _forms(question), days_named(question)

    def named(label: str) -> int:  # every word of the label asked ("Number of programmes" is not named by "How
        # long does the Cottons programme take?", nor "Walk 1" by "How long is the Kelderby riverside walk?"), or a
        # day it covers
        forms = {stem(w).rstrip("e") for w in words(label) if w not in STOPWORDS}
        return (len(forms) if forms and forms <= asked else 0) + bool(days_named(label) & days)

    scores = [named(label) for _, _, label in fields]
    best = max(scores)
    if not best or scores.count(best) != 1 or named(own[2]):
        return None
    a, b, _ = fields[scores.index(best)]
    return a, b
