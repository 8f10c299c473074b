"""Page furniture: the lines of a document that are about the page, not its subject (pure functions).

Bylines, datelines, "Region:"/"Theme:" labels, share and footer boilerplate, disclaimers and lists of links are
marked so that evidence selection can rank them below the content, yet still answer "who wrote it?" from them.
"""

from __future__ import annotations

import re

# Mark kinds: metadata about the document, page boilerplate, reference links, and (from the markup) headings.
METADATA_KINDS = frozenset({"byline", "dateline", "label"})
FURNITURE_KINDS = METADATA_KINDS | {"boilerplate", "links"}
Mark = tuple[int, int, str]
# the version of the rules below: an index records it with each document's marks, and marks of another version are
# found again when the index is read (a document whose text is unchanged is not re-indexed, so rules changed since
# would otherwise never reach it); 2: "Sent by:" (a saved email's sender) is a label
MARKS_SCHEME = 2

_NAME = r"[A-Z][\w.'’-]*"
_BYLINE = re.compile(rf"(?i:by|written by|posted by|words by)\s+{_NAME}(?:(?:\s+|,\s*|\s+(?i:and)\s+|\s*&\s*){_NAME})"
                     r"{0,5}\.?")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE = re.compile(rf"(?i)\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?"
                   r"\s+\d{4}|\d{4}-\d{2}-\d{2})\b")
_DATELINE_WORDS = frozenset("updated published posted on at last modified date dated".split())
_LABEL = re.compile(r"(?i)(?:regions?|themes?|topics?|tags?|categor(?:y|ies)|filed under|section|posted in|"
                    r"published(?: on| in| by)?|updated|sources?|articles by|authors?|keywords|date)\s*:\s*\S")
_SENDER = re.compile(r"(?i)sent by\s*:\s*\S")  # a saved email's sender (index.eml_reader), with its address
_BOILERPLATE = re.compile(
    r"(?i)(?:comment on\b|become a (?:member|patron|subscriber)\b|subscribe\b|sign up\b|follow us\b|like us on\b|"
    r"share (?:this|on)\b|click here\b|read more\b|print this\b|e-?mail this\b|donate\b|support us\b|"
    r"related (?:articles|posts|stories)\b|all rights reserved\b|copyright\b|©|\(c\)\s|disclaimer\b|"
    r"the original source of this article\b|for media inquiries\b|advertisement\b)")
# these open a paragraph that is boilerplate to its end (a disclaimer runs on for several sentences)
_BOILERPLATE_PARAGRAPH = re.compile(r"(?i)(?:disclaimer\s*:|copyright\s*(?:©|\(c\)|\d{4})|©|all rights reserved\b)")
_SOCIAL = re.compile(r"(?i)\b(?:facebook|twitter|instagram|linkedin|telegram|newsletter|rss feed)\b")
_LINKS_HEADING = re.compile(r"(?i)(?:notes|footnotes|endnotes|references|sources|links|further reading|see also|"
                            r"bibliography)\s*:?")
_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+|\bmailto:\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NOTE_MARK = re.compile(r"\s*(?:\(\d{1,3}\)|\[\d{1,3}\])\s*")
_WORD = re.compile(r"\w+")
MAX_LINE_WORDS = 25  # longer lines are content, even when they start like boilerplate ("Subscribe ...")


def is_reference(text: str) -> bool:
    """Whether a line is a reference rather than prose: mostly a URL or e-mail address, or a footnote with one."""
    body = text.strip()
    if _NOTE_MARK.match(body) and _URL.search(body):
        return True
    rest = _NOTE_MARK.sub("", body, count=1) if _NOTE_MARK.match(body) else body
    chars = len(re.sub(r"\s", "", rest))
    if not chars:
        return bool(body)  # a bare "(3)"
    return sum(len(m.group()) for m in _URL.finditer(rest)) / chars >= 0.5


def line_kind(line: str) -> str | None:
    """The furniture kind of one line of plain text (byline, dateline, label, boilerplate, links), else None."""
    line = line.strip()
    n_words = len(_WORD.findall(line))
    if not line:
        return None
    if n_words <= 15 and _SENDER.match(line):  # a label, though its address may be most of it
        return "label"
    if is_reference(line) or _LINKS_HEADING.fullmatch(line):
        return "links"
    if _BYLINE.fullmatch(line):
        return "byline"
    if n_words <= 15 and _LABEL.match(line):
        return "label"
    if n_words <= 10 and _is_dateline(line):
        return "dateline"
    if _BOILERPLATE_PARAGRAPH.match(line) or (n_words <= MAX_LINE_WORDS and _BOILERPLATE.match(line)):
        return "boilerplate"
    if n_words <= 12 and _SOCIAL.search(line) and not line.endswith("."):
        return "boilerplate"
    return None


def date_span(text: str) -> tuple[int, int] | None:
    """(start, end) of the first calendar date in a text ("March 12, 2017", "12 March 2017", "2017-03-12"), or None."""
    found = _DATE.search(text)
    return found.span() if found else None


def _is_dateline(line: str) -> bool:
    date = _DATE.search(line)
    if not date:
        return False
    rest = _WORD.findall(line[:date.start()] + " " + line[date.end():])
    return all(w[0].isupper() or w.isdigit() or w.lower() in _DATELINE_WORDS for w in rest)


def furniture_marks(text: str, headings: tuple[tuple[int, int], ...] | list = ()) -> list[Mark]:
    """(start, end, kind) of every furniture line of a plain text, and of its headings (kind "heading"),
    sorted; a paragraph opened by a disclaimer or copyright line is boilerplate to its end."""
    marks: dict[int, Mark] = {s: (s, e, "heading") for s, e in headings}
    for paragraph in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        in_boilerplate = False
        for line in re.finditer(r"[^\n]+", paragraph.group()):
            start = paragraph.start() + line.start() + len(line.group()) - len(line.group().lstrip())
            end = paragraph.start() + line.start() + len(line.group().rstrip())
            if start >= end:
                continue
            kind = line_kind(line.group())
            if kind == "boilerplate" and _BOILERPLATE_PARAGRAPH.match(line.group().strip()):
                in_boilerplate = True
            kind = kind or ("boilerplate" if in_boilerplate else None)
            if kind:
                marks[start] = (start, end, kind)
    return sorted(marks.values())


def refreshed_marks(text: str, marks) -> list[Mark]:
    """A document's marks found again by today's rules: its heading marks kept (they come from the file's markup,
    which the text no longer holds), its furniture marks recomputed."""
    headings = [(s, e) for s, e, kind in marks if kind == "heading"]
    return furniture_marks(text, headings)


def mark_at(marks, start: int, end: int) -> str:
    """The kind of the mark that holds most of span [start, end) ("" when none does)."""
    for s, e, kind in marks:
        if s < end and start < e and 2 * (min(e, end) - max(s, start)) >= end - start:
            return kind
    return ""
