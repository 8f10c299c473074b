"""Yes or no from an FAQ heading that asks the question, else from a sentence forbidding what it asks leave to do."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa.passage_regions import section_heading
from qa.polar import (_CLAUSE, _REFUSES, _content_words, _forms, _qualified, _stem, asked_sentence, is_polar,
                      reading_verdict)
from qa.reading import Verdict

if TYPE_CHECKING:
    from index.chunking import Passage
    from qa.reader_spans import Reading


# words of the asking, not of what is asked: "What do I need to bring?" is what "What to bring" answers
_ASKING = frozenset(_stem(w) for w in "need anything something everything required necessary know tell".split())


def heading_answer(question: str, passages) -> tuple["Reading", str] | None:
    """The answer a heading gives where no span can, and "yes", "no" or "" with it; None when no heading names the
    question (the same content words):
    - a yes/no question an FAQ asks as a heading (or as its paragraph's first sentence), its answer opening "Yes."
      or "No." ("Do you see emergency patients?" / "Yes. We keep two emergency slots free ..."): the answer's next
      sentence, and "yes" or "no";
    - another question a heading names ("What should I bring?" / "What to bring", a list under it), or a yes/no
      one whose paragraph does not open so: the first paragraph under the heading, and "" (quoted as the answer: the
      reader takes no span over a list's lines). Words of the asking ("need", "anything") do not count."""
    from index.chunking import split_sentences
    from qa.reader_spans import Reading  # noqa: F811 (the type above is for annotations only)

    asked, polar = _content_words(question) - _ASKING, is_polar(question)
    for i, passage in enumerate(passages):
        headings = [(x - passage.start, y - passage.start) for x, y, k in passage.marks if k == "heading"]
        headings += [(a, b) for a, b in split_sentences(passage.text)  # an FAQ's question opening its paragraph
                     if (a == 0 or passage.text[a - 1] == "\n") and passage.text[a:b].endswith("?")]
        for s, e in headings:
            if s < 0 or e > len(passage.text) or not asked or _content_words(passage.text[s:e]) != asked:
                continue
            opening = re.match(r"\s*(yes|no)\b[.,!:;]?\s*", passage.text[e:], re.I) if polar else None
            if opening is not None:
                after = e + opening.end()  # "Yes. We keep ..." -> "We keep ..."; "No, only cash." -> "only cash."
                following = [(max(a, after), b) for a, b in split_sentences(passage.text) if b > after]
                if following and not passage.text[after:following[0][0]].strip():
                    a, b = following[0]
                    return Reading(i, a, b, passage.text[a:b], 0.0, 0.0), opening.group(1).lower()
            body = re.match(r"\s*(\S[^\n]*(?:\n[^\n]+)*)", passage.text[e:])  # the next paragraph, whole
            if body and not any(a < e + body.end(1) and e + body.start(1) < b for a, b in headings):
                a, b = e + body.start(1), e + body.end(1)
                return Reading(i, a, b, passage.text[a:b], 0.0, 0.0), ""
    return None


def heading_verdict(question: str, parts: list[str], verdict: Verdict | None,
                    passages: list[Passage]) -> tuple[Verdict, str] | None:
    """The verdict a heading that names the question gives (heading_answer: an FAQ's "Yes."/"No.", a section's
    list), else a sentence that forbids what it asks leave to do (prohibition), and its "yes"/"no"/"", or None:
    where the gate or the reader found none (a heading that names the question is relevance enough: "What to bring"
    fell under the gate's threshold), or where an FAQ's "Yes." settles a yes/no question that its span's sentence
    leaves open, or says otherwise: an FAQ asking the very question outranks a sentence that only shares its words
    ("Can I give oil to a keeper on another space?": "No." under the rules' own question, not "Yes" from "Trade:
    give any number of oil tokens to another keeper on the same space.")."""
    if verdict is None and len(parts) != 1 or verdict is not None and verdict.parts:
        return None
    found, polar = verdict is not None and verdict.reading is not None, is_polar(question)
    if found and not polar:  # a span answers it: no heading is looked for
        return None
    faq = heading_answer(question, passages)
    if found and faq is not None and faq[1]:
        return Verdict(faq[0], "", verdict.best_score), faq[1]
    if found and reading_verdict(question, verdict.reading, passages):
        return None
    if faq is None:  # no span, or one whose sentence leaves the question open ("Children may bring up to £5 ..."),
        # in the span's document: "Can I pay by card?" of a bus timetable's "Pay the driver by contactless card" is
        # not answered by a village hall's "we cannot accept card payments"
        faq = prohibition(question, passages, passages[verdict.reading.passage].source if found else None)
    if faq is None or found and not faq[1]:
        return None
    return Verdict(faq[0], "", verdict.best_score if verdict else None), faq[1]


# "Can my child bring a mobile phone?": who asks leave, the verb and what it is done to
_ASKS_LEAVE_FOR = re.compile(r"^\W*(?:can|could|may)\s+(?:i|we|you|(?:my|our)\s+\w+|children|kids|guests|pupils|"
                             r"visitors)\s+(\w+)\s+(.+?)\W*$", re.I)
_PROHIBITS = re.compile(r"\b(?:must not|mustn['’]t|may not|cannot|can['’]t|(?:is|are) not (?:allowed|permitted)|"
                        r"(?:is|are) (?:prohibited|forbidden|banned))\b|^\W*never\b", re.I)


def prohibition(question: str, passages, source: str | None = None) -> tuple["Reading", str] | None:
    """The one sentence of the passages (of the document `source`, if given) that plainly forbids what a question
    asks leave to do, and "no" ("Mobile phones, games consoles and sweets must not be brought." for "Can my child
    bring a mobile phone?"): it names the verb (any form) and every content word of its object, and sets no
    condition; None if no sentence, or several that differ, do so."""
    from index.chunking import split_sentences
    from qa.reader_spans import Reading  # noqa: F811 (the type above is for annotations only)

    asked = _ASKS_LEAVE_FOR.match(asked_sentence(question)) if is_polar(question) else None
    if asked is None:
        return None
    verb, thing = _forms(asked[1]), _content_words(asked[2])
    found = []
    for i, passage in enumerate(passages):
        for a, b in split_sentences(passage.text) if source in (None, passage.source) else ():
            sentence = passage.text[a:b]
            # the thing asked named in the sentence or by its section's heading ("Can we burn coal in the wood
            # burner?" under "The wood burner": "...; never burn coal, rubbish or painted wood.") or the document's
            # title ("Can we bring our cat to Heron Cottage?")
            unnamed = thing - _forms(f"{section_heading(passage, a)}\n{passage.title}")
            if thing and unnamed <= _forms(sentence) and any(_forbids_in(c, verb, thing, unnamed)
                                                             for c in _CLAUSE.split(sentence)):
                found.append(Reading(i, a, b, sentence, 0.0, 0.0))
    return (found[0], "no") if len({r.text for r in found}) == 1 else None


def _forbids_in(clause: str, verb: set[str], thing: set[str], unnamed: set[str]) -> bool:
    """Whether a clause, setting no condition, forbids doing what is asked: it names the verb ("Pay the driver by
    contactless card or cash; drivers cannot change notes ..." lets you pay by card; "... we have four, and they
    cannot be reserved" forbids reserving them), or, opening "Never", the thing too; or it refuses the thing itself,
    whatever is done with it ("we can't accept cats" for "Can we bring our cat?")."""
    said = _forms(clause)
    if _qualified(clause):
        return False
    if _REFUSES.search(clause):
        return bool(thing & said) and unnamed <= said
    prohibits = _PROHIBITS.search(clause)
    return bool(prohibits) and verb <= said and (not prohibits.group().strip().lower() == "never" or unnamed <= said)
