"""What someone said ("What did Peskov say?", "What did Putin say about trade?"), read off the words the passages
put in their mouth: a quotation beside "<name> said", a "that" clause after "<name> told reporters", the rest of a
sentence opening "According to <name>,"; and whose say-so a span gives, after its "according to" (pure functions).

The span reader, trained on SQuAD, often finds no answer to these questions ("What did Dmitry Peskov say?": none,
though "Peskov said" is in the passage). A question about a topic takes the quoted sentence that names it; one whose
speaker no passage quotes, or whose topic no quotation names, is left to the reader.
"""

from __future__ import annotations

import re
from typing import Sequence

from index.chunking import Passage, split_sentences
from qa.reader_spans import Reading
from qa.text import content_words

_ASKED = re.compile(r"^\s*what\s+(?:did|does|do|has|had)\s+(?P<who>.+?)\s+(?:say|said|state|stated)\b(?P<rest>.*)$",
                    re.I)
_TOPIC = re.compile(r"^\s+(?:about|on|regarding)\s+(?P<topic>.+?)\s*\??\s*$", re.I)
_VERB = re.compile(r"\b(?:said|says|told|stated|added)\b")
_QUOTE_MARKS = "\"“”"
_NEAR = 60  # characters between a speaker's name and the verb ("Putin's spokesman, Dmitry Peskov, told")


def asked_speech(question: str) -> tuple[str, str | None] | None:
    """(speaker's last name, topic) for "What did <someone> say ...?": the topic "" for nothing more ("What did
    Peskov say?"), None for more than a topic ("... say at the opening of the summit?"); None for another question."""
    m = _ASKED.match(question)
    if not m:
        return None
    names = re.findall(r"\b[A-Z][\w'’-]+", m["who"])
    if not names or re.search(r"['’]s\s+[a-z]", m["who"]):
        return None  # "What did the report say?", "What did Putin's spokesman say?": not a name of the speaker
    topic = _TOPIC.match(m["rest"])
    return re.sub(r"['’]s$", "", names[-1]), topic["topic"] if topic else "" if not m["rest"].strip(" ?") else None


def _quoted_before(text: str, at: int) -> tuple[int, int] | None:
    """The quotation ending just before `at` ('"...," Peskov said'), as (start, end) inside the marks."""
    before = text[max(0, at - 4):at].rstrip()
    if not before or before[-1] not in _QUOTE_MARKS + ",":
        return None
    close = text.rfind(before[-1] if before[-1] in _QUOTE_MARKS else '"', 0, at)
    close = max(close, text.rfind("”", 0, at))
    opening = max(text.rfind('"', 0, close), text.rfind("“", 0, close))
    return (opening + 1, close) if 0 <= opening < close else None


def _quoted_after(text: str, at: int) -> tuple[int, int] | None:
    """The quotation after a colon at `at` ('President Putin said: "We are ..."'), as (start, end)."""
    colon = re.match(r"\s*:\s*", text[at:])
    if not colon:
        return None
    opening = at + colon.end()
    if opening >= len(text) or text[opening] not in _QUOTE_MARKS:
        return None
    close = min((i for i in (text.find('"', opening + 1), text.find("”", opening + 1)) if i > 0), default=-1)
    return (opening + 1, close) if close > 0 else (opening + 1, len(text))


def _spoken(text: str, name: str) -> list[tuple[int, int]]:
    """The spans of `text` that its sentences attribute to `name`."""
    found = []
    for verb in _VERB.finditer(text):
        left = text[max(0, verb.start() - _NEAR):verb.start()].split(".")[-1]
        named = [m for m in re.finditer(rf"\b{re.escape(name)}\b", left) if not re.search(r"[A-Z]", left[m.end():])]
        if named:  # "Peskov said", "President Putin said:"; not Putin in "Putin's spokesman, Dmitry Peskov, told"
            at = verb.start() - len(left) + named[-1].start()
            span = _quoted_after(text, verb.end()) or _quoted_before(text, at)
            that = re.search(r"\bthat\s+", text[verb.end():verb.end() + 120])
            if span is None and that:
                end = next((e for s, e in split_sentences(text) if s <= verb.start() < e), len(text))
                span = (verb.end() + that.end(), end)
        elif re.match(rf"\s+{re.escape(name)}\b", text[verb.end():]):  # '"...," said Peskov'
            span = _quoted_before(text, verb.start())
        else:
            continue
        if span:
            found.append(span)
    for m in re.finditer(rf"\bAccording to [^,.]*\b{re.escape(name)}\b[^,]*,\s*", text):
        end = next((e for s, e in split_sentences(text) if s <= m.end() < e), len(text))
        found.append((m.end(), end))
    return found


def said_by(question: str, passages: Sequence[Passage]) -> Reading | None:
    """The span answering "What did <someone> say [about <topic>]?": the first the passages attribute to them (in
    retrieval order), or the quoted sentence naming the topic; None when no passage quotes them, or none names it."""
    asked = asked_speech(question)
    if asked is None or asked[1] is None:
        return None
    name, topic = asked
    wanted = content_words(topic)
    for i, passage in enumerate(passages):
        for start, end in _spoken(passage.text, name):
            pieces = [(max(s, start), min(e, end)) for s, e in split_sentences(passage.text) if s < end and e > start]
            if wanted:
                pieces = [(s, e) for s, e in pieces if wanted & content_words(passage.text[s:e])]
            if pieces:
                s, e = (pieces[0] if wanted else (start, end))
                s, e = _stripped(passage.text, s, e)
                if e > s:
                    return Reading(i, s, e, passage.text[s:e], 0.0, 0.0)
    return None


def quotes_another(question: str, passages: Sequence[Passage], reading: Reading) -> bool:
    """Whether a span found for "What did <someone> say ...?" is inside quotation marks while no passage attributes
    any words to them: the words of another ("What did Erdogan say at the opening of the summit?" was answered with
    Putin's)."""
    asked = asked_speech(question)
    if asked is None or any(_spoken(p.text, asked[0]) for p in passages):
        return False
    text, start = passages[reading.passage].text, reading.start
    while start < reading.end and text[start] in _QUOTE_MARKS:  # a span may open with the quotation's own mark
        start += 1
    before = text[text.rfind("\n", 0, start) + 1:start]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the spaces, quotation marks, commas and full stop at its edges."""
    while start < end and (text[start].isspace() or text[start] in _QUOTE_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _QUOTE_MARKS + ",.;:"):
        end -= 1
    return start, end


# "According to whom ...?" (how "Who says so?" is read: qa.followup), "Who says ...?"
_WHOSE_CLAIM = re.compile(r"^\W*(?:according to whom|who\s+(?:says|said|claims|claimed))\b", re.I)
_ACCORDING = re.compile(r"\baccording to\s+", re.I)


def claimant(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where a question asking whose say-so something is finds it inside its span: after the span's "according to"
    ("international affairs analysts" of "The Russian president for his part, maintains according to international
    affairs analysts"), as (start, end); None for another question, or a span without it."""
    said = _ACCORDING.search(text, start, end) if _WHOSE_CLAIM.match(question) else None
    return (said.end(), end) if said and said.end() < end else None
