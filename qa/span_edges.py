"""Where a reader's span begins and ends in its passage (pure functions): within a line and a sentence, on whole
words, with its negation."""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?]")


_OPEN_INITIALISM = re.compile(r"\b\w\.\w$")  # "a.m", "U.S": an initialism missing its last stop
_LABEL_AFTER = re.compile(r" (?:[B-HJ-Z]|\d{1,3})(?=[.,;:)]?(?:\s|$))|"  # not "I" nor "A" before a word
                          r" A(?=[.,;:)]?(?:\n|$)|[.,;:)])")
_INITIALS_END = re.compile(r"\b[A-Z]\. [A-Z]$")
_SURNAME_AFTER = re.compile(r"\. (?:[A-Z]\. )*[A-Z][a-z][\w'’-]*")
_REPEATED_WORD = re.compile(r"(?i)([a-z]+) (?=\1\b)")


def _inside_word(text: str, i: int) -> bool:
    """Whether position i (between text[i-1] and text[i]) falls inside a word or a number ("1,800", "2.5")."""
    if i <= 0 or i >= len(text):
        return False
    a, b = text[i - 1], text[i]
    return (a.isalnum() and b.isalnum() or a in ",." and i >= 2 and text[i - 2].isdigit() and b.isdigit()
            or b in ",." and i + 1 < len(text) and a.isdigit() and text[i + 1].isdigit())


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to whole words, numbers, e-mail and web addresses: the reader's word pieces can cut one
    ("@hollis-appliances" of "support@hollis-appliances.example" for "How do I contact support?")."""
    while _inside_word(text, start):
        start -= 1
    while _inside_word(text, end):
        end += 1
    for m in _ADDRESS.finditer(text, max(0, start - 100), min(len(text), end + 100)):
        if m.start() < end and start < m.end():
            start, end = min(start, m.start()), max(end, m.end())
    if text[end:end + 1] == "." and _OPEN_INITIALISM.search(text, 0, end):  # "8:00 a.m" -> "8:00 a.m."
        end += 1
    surname = _SURNAME_AFTER.match(text, end) if _INITIALS_END.search(text, start, end) else None
    if surname:  # "J. F. D" -> "J. F. D. Shrewsbury": the reader stops at the stop after an initial
        end = surname.end()
    label = _LABEL_AFTER.match(text, end)
    if label and re.search(r"\b[A-Z][a-z]+$", text[start:end]):  # "Room" -> "Room A", "Platform" -> "Platform 4":
        end = label.end()                                     # an uncased reader takes "A" for an article
    start = _list_head(text, start, end)
    repeated = _REPEATED_WORD.match(text, start, end)
    if repeated and repeated.end() < end:  # "room Room A": a table's column name before its cell
        start = repeated.end()
    return _balanced(text, start, end)


_ITEM = r"(?:[A-Z][\w'’.&-]*|\d[\w,.:]*)(?: (?:[A-Z][\w'’.&-]*|\d[\w,.:]*|of|the|de|la))*"
_LIST_TAIL = re.compile(rf"{_ITEM}(?:, {_ITEM})*,? (?:and|or) {_ITEM}")
# after a word that is no article: "in the American Revolutionary War, Washington and Thomas Gage" is no list
_LIST_BEFORE = re.compile(rf"(?:\b(?!(?:the|a|an|this|that|its|their|his|her|our|your) )[a-z]+ |: )((?:{_ITEM}, )+)$")


def _list_head(text: str, start: int, end: int) -> int:
    """A span that is the tail of a list of names ("Boxing Day or New Year's Day" of "no collections on Christmas
    Day, Boxing Day or New Year's Day") starts at the list's first item: the reader often stops at the last comma."""
    if not _LIST_TAIL.fullmatch(text, start, end):
        return start
    line_start = text.rfind("\n", 0, start) + 1
    before = _LIST_BEFORE.search(text, line_start, start)
    return before.start(1) if before else start


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """A span that closes a bracket it does not open ("under 16) price £2.80") starts after it ("price £2.80"); one
    that opens a bracket it does not close ("swim (under") goes on to the close on its line ("swim (under 16)"); one
    that starts inside quotation marks ends where they close ("Charlotte' size 2 kg net": "Charlotte")."""
    span = text[start:end]
    if span.count(")") > span.count("(") and span.rstrip()[-1:] != ")":
        start += span.index(")") + 1
        while start < end and text[start] in " ,;:":
            start += 1
    elif span.count("(") > span.count(")"):
        line_end = text.find("\n", end)
        closing = text.find(")", end, len(text) if line_end < 0 else line_end)
        if closing >= 0:
            end = closing + 1
    if 0 < start and text[start - 1] in _QUOTES and (start == 1 or not text[start - 2].isalnum()):
        closing = _CLOSING_QUOTE.search(text, start, end)  # "Seed potatoes 'Charlotte' size 2 kg net": "Charlotte"
        if closing and text[closing.end():end].strip():
            end = closing.start()
    return start, end


_QUOTES = "'‘\"“"
_CLOSING_QUOTE = re.compile(r"(?<=\w)['’\"”](?!\w)")  # not an apostrophe ("Gardener's")


_NEGATION_BEFORE = re.compile(r"\b(?:do not|don['’]t|does not|doesn['’]t|never|not|cannot|can['’]t|must not|"
                              r"mustn['’]t|should not|shouldn['’]t)\s+$", re.I)


def with_negation(passage: str, start: int) -> int:
    """The span's start moved back over a negation just before it ("let her out" in "Please do not let her out" is
    shown as "do not let her out"): a span that leaves its negation behind says the opposite of its sentence."""
    found = _NEGATION_BEFORE.search(passage, max(0, start - 20), start)
    return found.start() if found else start


def within_line(passage: str, start: int, end: int) -> int:
    """The span's end cut at the first line break inside it ("1:30pm - Guests arrive; welcome drinks in the orchard
    2:00pm"): a document's single line breaks end list items and table rows (hard-wrapped lines are joined when it is
    loaded), so a span across one is two items run together."""
    found = passage.find("\n", start, end)
    return len(passage[start:found].rstrip()) + start if found > start else end


def within_sentence(passage: str, start: int, end: int) -> int:
    """The span's end cut at the end of the sentence it starts in ("whether partners may join the dinner on day 2.
    The hike will be cancelled ..."): an answer the reader runs on into the next sentence is two run together."""
    from index.chunking import split_sentences

    spans = split_sentences(passage)
    for i, (s, e) in enumerate(spans):
        if s <= start < e:
            # "William E. Simon", "Dr. Smith": an initial or an abbreviation ends no sentence
            while i + 1 < len(spans) and _ABBREVIATION.search(passage, 0, e) and \
                    not passage[e:spans[i + 1][0]].strip():
                i, e = i + 1, spans[i + 1][1]
            return min(end, e)
    return end


_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Col|Lt|Capt|Gov|Sen|Rep|Rev|Inc|Ltd|Co|"
                           r"Corp|No|vs|etc|approx))\.$")
