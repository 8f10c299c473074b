"""Example questions drawn from the indexed documents: titles, headings, bylines and most-named names (pure)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable

MAX_EXAMPLES = 4
MAX_TITLE_WORDS = 10
MAX_QUESTION_CHARS = 60  # the example list cuts longer ones short ("...Middl…")
MAX_TITLE_CHARS = 40  # a title this long still fits a question
MAX_NAMES = 5  # names (and headings) per document that may become questions
_NAME = re.compile(r"\b[A-Z][a-z]+(?:(?:[ -]| & )(?:[A-Z][a-z]+|of|de|al))*(?:[ -]| & )[A-Z][a-z]+\b")  # "Harrow & Finch"
_LEADING = frozenset("The A An This That These Those In On At For From By And But Or If As When While After Before "
                     "Despite Since Yesterday Today It Its Their His Her Our We They He She".split())
_QUESTION_WORDS = frozenset("what why how who whom whose when where which is are do does can should".split())
_NO_TITLE = frozenset({"untitled", "untitled document", "document", "microsoft word", "(anonymous)"})
_LINK_HEADINGS = frozenset("notes footnotes endnotes references sources links contents bibliography".split())
# a heading's first word that is capitalised only because it opens the heading ("Russian diplomacy" keeps its capital)
_OPENERS = frozenset("your our my the a an this these those its their his her some all any other more".split())


def _names(text: str, marks) -> list[str]:
    """Multi-word capitalised names in the document's running text (not in headings or page furniture), most
    often named first."""
    covered = [(s, e) for s, e, _ in marks]
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for match in _NAME.finditer(text):
        if any(s <= match.start() < e for s, e in covered):
            continue
        words = match.group().replace("-", " - ").split()
        article = text[max(0, match.start() - 4):match.start()].lower() == "the "
        while words and words[0] in _LEADING:
            article = article or words[0] == "The"
            words.pop(0)
        name = " ".join(words).replace(" - ", "-")
        if len(name.split()) < 2:
            continue
        name = f"the {name}" if article else name
        counts[name] += 1
        first.setdefault(name, match.start())
    return sorted(counts, key=lambda n: (-counts[n], first[n]))


def _shouted(text: str) -> bool:
    """Whether a title or heading of several words is all capitals ("WESTMERE BOROUGH COUNCIL"), not an acronym."""
    return len(text.split()) > 1 and text.isupper()


def _short_title(document) -> str:
    title = " ".join((document.title or "").split())
    title = title.title() if _shouted(title) else title  # "Westmere Borough Council"
    if title.lower() in _NO_TITLE:  # a PDF writer's placeholder says nothing about the document
        return ""
    if len(title.split()) > MAX_TITLE_WORDS:  # a long title: its main clause ("X, a headache for Y?" -> "X")
        title = re.split(r",|:| - | – ", title)[0].strip()
    elif len(title) > MAX_TITLE_CHARS:  # "Northgate Veterinary Group: Home Working Policy" -> its last part
        parts = [p.strip() for p in re.split(r",|:| - | – ", title) if len(p.split()) >= 2]
        title = parts[-1] if parts else title  # the part after the colon says what the document is
    title = title.rstrip("?.!:")
    return title if title and len(title.split()) <= MAX_TITLE_WORDS and len(title) <= MAX_TITLE_CHARS else ""


def _title_question(document) -> str:
    title = _short_title(document)
    return f"What is “{title}” about?" if title else f"What is {document.source} about?"


def _author_question(document) -> list[str]:
    """"Who wrote ...?" when the document has a byline (answered from it)."""
    if not any(kind == "byline" for _, _, kind in document.marks):
        return []
    title = _short_title(document)
    return [f"Who wrote “{title}”?" if title else f"Who wrote {document.source}?"]


_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.)\s+(?=\S)")


def _heading_questions(document) -> list[str]:
    questions = []
    for start, end, kind in document.marks:
        heading = _SECTION_NUMBER.sub("", " ".join(document.text[start:end].split())).strip(" :")  # "1. Rent": "Rent"
        heading = heading.lower() if _shouted(heading) else heading  # "YOUR BINS AT A GLANCE": asked in lower case
        if kind != "heading" or start == 0 or heading.lower() in _LINK_HEADINGS:
            continue
        if 2 <= len(heading.split()) <= 12:
            if heading.split()[0].lower() in _QUESTION_WORDS:  # "What comes next?" is asked as it is
                questions.append(heading[0].upper() + heading[1:].rstrip("?.!") + "?")
            else:  # "Russian diplomacy: Towards a ... position?" is a heading, not a question: ask about its topic
                topic = re.split(r":| - | – ", heading)[0].strip().rstrip("?.!")
                first, _, rest = topic.partition(" ")  # "Your car and dates" -> "... about your car and dates?"
                if first.lower() in _OPENERS and first[1:] == first[1:].lower():
                    topic = f"{first.lower()} {rest}"
                questions.append(f"What does it say about {topic}?")
    return questions


def document_questions(document) -> list[str]:
    """Questions about one document, best first: its subject, the name it uses most, a heading, its author, then
    other names."""
    names = [f"What is said about {name}?" for name in _names(document.text, document.marks)[:MAX_NAMES]]
    headings = _heading_questions(document)
    return ([_title_question(document)] + names[:1] + headings[:1] + _author_question(document) + names[1:]
            + headings[1:MAX_NAMES])


def example_questions(documents, first: list[str] | tuple = (), limit: int = MAX_EXAMPLES,
                      accept: Callable[[str], bool] | None = None) -> list[str]:
    """Up to `limit` example questions spread over the documents (those named in `first`, e.g. just uploaded,
    before the rest), each one that `accept` approves (asked in this order, only until `limit` are found);
    without `accept`, a generic question when there are no documents."""
    order = sorted(documents.values(), key=lambda d: (d.source not in first, d.source))
    pools = [document_questions(d) for d in order]
    out: list[str] = []
    for depth in range(max((len(p) for p in pools), default=0)):
        for pool in pools:
            if depth < len(pool) and pool[depth] not in out and len(out) < limit \
                    and len(pool[depth]) <= MAX_QUESTION_CHARS:
                if accept is None or accept(pool[depth]):
                    out.append(pool[depth])
    return out or ([] if accept else ["What are these documents about?"])
