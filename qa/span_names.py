"""Whose and which a span is (pure functions): a contact detail's owner, the names and the role a question asks,
the section it names, a place or person set beside the one asked."""

from __future__ import annotations

import re

from index.chunking import split_sentences
from qa.lexicon import AUX, PREPS
from qa.table_rows import row_label
from qa.text import STOPWORDS, content_words, paragraph_bounds, stem, words

_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*"
_OWNED = re.compile(rf"\b(?P<owner>{_NAME})(?:['’]s|(?<=s)['’])\s+(?:\w+\s+)?(?:phone|telephone|mobile|e-?mail)\b|"
                    rf"\b(?:phone|telephone|mobile|e-?mail)(?:\s+(?:number|address))?\s+(?:of|for)\s+(?P<of>{_NAME})|"
                    r"\bthe\s+(?P<role>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})['’]s\s+(?:\w+\s+)?"
                    r"(?:phone|telephone|mobile|e-?mail)\b")
# "Who is Dmitry Medvedev's Turkish counterpart?": another person, named by the one the question names
_RELATED_ASKED = re.compile(rf"^\W*(?i:who)(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?(?P<owner>{_NAME})"
                            r"(?:['’]s|(?<=s)['’])\s+\w")
_NOT_NAMES = frozenset("What Who Where When How Is Can Do Does The Mr Mrs Ms Miss Dr".split())


def owner_named(question: str, text: str, start: int, end: int) -> bool:
    """False for a contact detail asked of someone ("What is Aisha Bello's phone number?") whose paragraph does not
    name them, or of a role ("the race director's email") in a table row whose label is not that role: another person's
    (an email's signature gave Tom's mobile; a committee's table the chair's email). True for any other question."""
    asked = _OWNED.search(question)
    if asked is None:
        return True
    paragraph = text[slice(*paragraph_bounds(text, start, start))]  # a span's end may run past its line
    if asked["role"]:  # a row of a table of people is said of its label: the role must be it
        label = row_label(text, start)
        return label is None or content_words(asked["role"]) <= content_words(label)
    owner = set(re.findall(r"[A-Z][\w-]*", asked["owner"] or asked["of"])) - _NOT_NAMES
    return not owner or any(re.search(rf"\b{re.escape(word)}\b", paragraph) for word in owner)


def of_the_owner_itself(question: str, text: str, start: int, end: int) -> bool:
    """Whether the span is a title of the person "Who is <name>'s <relation>?" names, not of the one it asks: it stands
    right before that name or right after it and a comma ("Russian Prime Minister" in "Russian Prime Minister Dmitry
    Medvedev informed his Turkish counterpart ...")."""
    asked = _RELATED_ASKED.match(question)
    owner = asked["owner"].split() if asked else []
    if not owner or owner[0] in _NOT_NAMES:
        return False
    name = rf"(?:{re.escape(' '.join(owner[:-1]))}\s+)?{re.escape(owner[-1])}\b" if len(owner) > 1 else \
        rf"{re.escape(owner[0])}\b"
    return bool(re.match(rf"\s*{name}", text[end:end + 80]) or
                re.search(rf"\b{name}\s*[,(]\s*$", text[max(0, start - 80):start]))


def names_asked(question: str, text: str, start: int, end: int, heading: str = "", title: str = "") -> bool:
    """False for a yes/no question's span in a paragraph naming none of the names the question does ("A degree is
    not required." for "Is Tableau required?", a list of skills naming Tableau above it), or sharing no content
    word with it: the span's sentence would be quoted as the answer. True for any other question. `heading`: the
    heading of the paragraph's section, which says what it is about ("Children" over "We love your little ones,
    but ..."); `title`: the document's, which names what all of it is about ("Daniel Okafor" over his CV's
    "Chartered member of ...")."""
    asked = words(question)
    if not asked or asked[0] not in AUX:
        return True
    names = _names(question)
    paragraph = f"{heading}\n{text[slice(*paragraph_bounds(text, start, start))]}"
    forms = _forms(paragraph)
    question_words = _forms(" ".join(w for w in words(question) if w not in STOPWORDS and w not in AUX))
    thing = _THING_THERE.match(question)  # "Is there a gym at Cressfield Court?": a paragraph naming no gym
    thing = thing and thing[1].lower() not in _ANY_THING and {f.rstrip("s") for f in _forms(thing[1])}
    return (not names or bool(names & (forms | _forms(title)))) and bool(question_words & forms) and \
        (not thing or bool(thing & {f.rstrip("s") for f in forms}))  # ("eggs" names "egg")


# a thing asked to be there or to be had: "Is there a gym ...?", "Do you have a lift?", "Does the flat have parking?"
_THING_THERE = re.compile(r"^\W*(?:(?:is|are)\s+there|(?:do|does)\s+(?:you|it|they|the\s+[\w-]+)\s+have)\s+"
                          r"(?:(?:a|an|any|some)\s+)?([\w-]+)", re.I)
_ANY_THING = frozenset("anywhere anything anyone anybody somewhere something someone somebody much many more".split())


# "Who is the head baker?": a role asked and nothing else
_LABELLED = re.compile(r"^[^\n:]{1,60}:\s")  # a line's label before the span ("Head chef: ")
_ROLE_ASKED = re.compile(r"^\W*who(?:'s| is| was| are| were) (?:the|a|an|your|our|their) ([\w' -]+?)\W*$", re.I)


def names_role(question: str, text: str, start: int, end: int, heading: str = "") -> bool:
    """False for a span to "Who is the <role>?" whose paragraph (with its section's heading) does not name the role,
    where the role is more than a word ("Head chef: Marta Kowalczyk." for "Who is the head baker?", a menu's line, the
    handbook naming no head baker) or the span is a labelled line's value or a table row's cell; True for any other
    question."""
    asked = _ROLE_ASKED.match(question)
    role = words(asked[1]) if asked else []
    if not role or "or" in role:  # an either/or's alternatives: _names_an_alternative
        return True
    # the role's noun: the word before a preposition or a participle ("treasurer of the bakery co-operative",
    # "Turkish president mentioned in the article")
    cut = next((i for i, w in enumerate(role) if i and (w in PREPS or w.endswith(("ed", "ing")))), len(role))
    paragraph = f"{heading}\n{text[slice(*paragraph_bounds(text, start, start))]}"
    if _forms(role[cut - 1]) & _forms(paragraph):
        return True
    # prose may say a one-word role in other words ("the mortgage offer issued by Westmoor Building Society" for "Who
    # is the lender?"); not a longer one ("hotel manager": "Hotels must be booked by the Finance team"), nor a
    # labelled line's or a table row's value, which is the label's, another role's
    line = text[text.rfind("\n", 0, start) + 1:start]
    return cut == 1 and not _LABELLED.match(line) and row_label(text, start) is None


# a capitalised word after a question's first, not "I'm" or "OK": a name it says
_QUESTION_NAME = re.compile(r"(?<!^)\b(?!I['’]|OK\b)[A-Z][\w'’-]*")


def _names(question: str) -> set[str]:
    """The names a question says (capitalised words after its first), each in one form (_forms)."""
    said = words(" ".join(_QUESTION_NAME.findall(question.strip())))
    return {stem(w).rstrip("e") for w in said} - {"i"} - {stem(w.lower()).rstrip("e") for w in _NOT_NAMES}


def _forms(text: str) -> set[str]:
    """A text's words, each in one form: "Monday" is named in "closed on Mondays", "drive" in "driving"."""
    return {stem(w).rstrip("e") for w in words(text) if len(w) > 1}


def before_asked_section(question: str, text: str, start: int, end: int, headings: list[tuple[int, int]]) -> bool:
    """Whether the span lies before the section whose heading (`headings`: (start, end) in the text) names all the
    question names, in a paragraph naming none of them: a section the question does not ask about ("Mentor graduate
    engineers", a later job's, for "What did he do at Northgate Water?" above "Engineer, Northgate Water, ...")."""
    names = _names(question)
    if not names or names & _forms(text[slice(*paragraph_bounds(text, start, end))]):
        return False
    return any(s >= end and names <= _forms(text[s:e]) for s, e in headings)


_COORDINATED = r"\s*(?:,|/|\bor\b|\band\b|\bnor\b)\s*"
# a table's rows read a sentence a cell ("Leeds bookable desks 40." / "York bookable desks 18."): their labels are
# set beside each other too
_ROW = re.compile(r"^([A-Z][\w'’-]+) ([a-z][a-z ]{2,40}?) [^\n]*$", re.M)


def _siblings(name: str, texts: list[str]) -> set[str]:
    """The names the texts set beside `name`: joined by "or", "and", a comma or a slash, or labelling table rows
    whose next words are the same."""
    beside = rf"\b([A-Z][\w'’-]+){_COORDINATED}{re.escape(name)}\b|\b{re.escape(name)}{_COORDINATED}([A-Z][\w'’-]+)"
    found = {m for t in texts for pair in re.findall(beside, t) for m in pair if m}
    rows: dict[str, set[str]] = {}
    for t in texts:
        for label, after in _ROW.findall(t):
            rows.setdefault(after, set()).add(label)
    found |= {label for labels in rows.values() if name in labels for label in labels}
    return found - {name}


def of_a_sibling(question: str, text: str, start: int, texts: list[str]) -> bool:
    """Whether the span's sentence names, in place of a name the question asks of, another that the passages set
    beside it ("Leeds or York"; table rows "Leeds bookable desks 40.", "York bookable desks 18.") and not the asked
    one: "Leeds has 12 car parking spaces." for "How many parking spaces are there at the York office?"."""
    sentence = next((text[a:b] for a, b in split_sentences(text) if a <= start < b), "")
    said = set(re.findall(r"\b[A-Z][\w'’]+", sentence))  # "Leeds-based" names Leeds
    # a name the question joins to another is part of a longer one ("the French and Indian War")
    joined = set(re.findall(rf"\b([A-Z][\w'’-]+)(?={_COORDINATED}[A-Z])", question)) | \
        set(re.findall(rf"(?<=[A-Za-z]){_COORDINATED}([A-Z][\w'’-]+)", question))
    for name in _QUESTION_NAME.findall(question.strip()):
        if len(name) > 1 and name not in said | joined and name not in _NOT_NAMES and _siblings(name, texts) & said:
            return True
    return _of_a_sibling_label(question, sentence, texts)


_LABEL = re.compile(r"^[ \t]*([A-Z][^:\n]{1,60}?):[ \t]", re.M)


def _of_a_sibling_label(question: str, sentence: str, texts: list[str]) -> bool:
    """Whether the sentence says, in place of a word the question asks, another that labels the passages' lines the
    same way ("Estimated download speed:" and "Estimated upload speed:"): "Minimum guaranteed download speed: 100Mbps"
    is no answer to "What's the minimum guaranteed upload speed?"."""
    labels = {tuple(words(m[1])) for t in texts for m in _LABEL.finditer(t)}
    asked, said = set(words(question)), set(words(sentence))
    for a in labels:
        for b in labels:
            differ = [i for i in range(len(a)) if len(a) == len(b) > 1 and a[i] != b[i]]
            if len(differ) == 1 and (x := a[differ[0]]) in asked - said and (y := b[differ[0]]) in said - asked and \
                    x not in STOPWORDS and y not in STOPWORDS and not x.isdigit() and not y.isdigit():
                return True
    return False
