"""Which row and which cell of a table a question asks about, where a table is read as blocks of lines that open
with the row's label, a line a cell (index.tables: "Sat 1 November opponent St Aldric's Old Boys.\nSat 1 November
kick-off 2:00 pm."), which line of a list of "label: value" lines, and which line a code opens (pure functions)."""

from __future__ import annotations

import re
from typing import Sequence

from qa.one_line_rows import one_line_rows, value_of
from qa.text import content_words, paragraph_bounds, stem


def _lines(text: str, top: int, bottom: int) -> list[tuple[int, int]]:
    """(start, end) of each line of text[top:bottom]."""
    lines, at = [], top
    for line in text[top:bottom].split("\n"):
        lines.append((at, at + len(line)))
        at += len(line) + 1
    return lines


def _label(said: list[list[str]]) -> int:
    """How many opening words every line shares (the row's label); 0 for fewer than two lines or none shared."""
    if len(said) < 2 or not all(said):
        return 0
    label = 0  # "Olive tree:" of a notes cell's line opens with the label as "Olive tree price" does
    while all(len(w) > label + 1 and w[label].rstrip(":") == said[0][label].rstrip(":") for w in said):
        label += 1
    return label


def row_label(text: str, start: int) -> str | None:
    """The label of the table row (index.tables) holding text[start], or None where its paragraph is no such row."""
    lines = _lines(text, *paragraph_bounds(text, start, start))
    said = [text[a:b].split() for a, b in lines]
    label = _label([[w.lower() for w in line] for line in said])
    return " ".join(said[0][:label]).rstrip(":") if label else None


def within_label(text: str, start: int, end: int) -> int:
    """The span's end cut after its row's label where the span is the label and a column's name ("Bonfire 5 Mile
    venue" of "Bonfire 5 Mile venue Castle Park."): the label names the row a question asks for."""
    label = row_label(text, start)
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if not label or start != text.rfind("\n", 0, start) + 1 or not text.startswith(label, start):
        return end
    cut = start + len(label)
    return cut if cut < end and text[cut:end].strip() and end < len(text[:line_end].rstrip(" .")) else end


_PERIODS = {"year": "annual", "annual": "year", "day": "daily", "daily": "day"}  # "for a year": the "annual" column


def _names(asked: str, word: str) -> bool:
    """Whether a (stemmed) word of the question names a word (by stem, or a prefix of 4-5 letters: "close" names
    "closes"; a period its adjective: "year" names "annual")."""
    return stem(word) == asked or len(asked) >= 4 and word.startswith(asked[:5]) or _PERIODS.get(asked) == stem(word)


def _named(question: str, words: list[str], besides: Sequence[str] = ()) -> int:
    """How many of the words the question names, of its words that name none of `besides` (a row's label)."""
    asked = [q for q in (stem(w) for w in content_words(question))
             if not any(_names(q, re.sub(r"\W+", "", b)) for b in besides)]
    return sum(any(_names(q, w) for q in asked) for w in (re.sub(r"\W+", "", w) for w in words) if w)


PLACE_ASKED = re.compile(r"^\W*(?:and\s+)?where\b", re.I)  # "Where ...?", "And where ...?"
_PLACE_COLUMNS = frozenset("venue location place address where room site meeting start-point".split())


def asked_sibling(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The line to read instead of the span's own, or None: in a paragraph of lines that all open with the same
    words (a table row read a sentence a cell, index.tables: "Sunday opens 9:00 a.m.\nSunday closes 4:00 p.m."), the
    one line whose other words the question names ("close") where the span's line names none of them, or all those
    the span's line names and more ("weekday evening" over "weekday daytime"). A word the
    label names does not count ("tree" of "Olive tree" in the line "Olive tree category Trees."). "Where ...?" names
    a column of places above all ("Canal 10K venue Lock Keeper's Cottage." for "Where does the Canal 10K start?",
    not "Canal 10K start 09:30.")."""
    lines = _lines(text, *paragraph_bounds(text, start, start))
    said = [text[a:b].lower().split() for a, b in lines]
    label = _label(said)
    own = next((i for i, (a, b) in enumerate(lines) if a <= start < b + 1), None)
    if not label or own is None:
        return None
    place = bool(PLACE_ASKED.match(question))
    scores = [_named(question, w[label:], w[:label]) + 2 * (place and bool(w[label:]) and
                                                            w[label].strip(":") in _PLACE_COLUMNS) for w in said]
    best = max(scores)
    if not best or scores.count(best) != 1 or scores[own] >= best:
        return None
    named = [{re.sub(r"\W+", "", w) for w in words[label:] if _named(question, [w], words[:label])} for words in said]
    at = scores.index(best)
    # a line naming some of the question gives way only to one naming all it names and more: not "kick-off 2:00
    # pm." to "opponent St Aldric's Old Boys." for "What time is kick-off against St Aldric's Old Boys?"
    return lines[at] if not scores[own] or named[own] < named[at] else None


_WHEN_IS = re.compile(r"^\W*when (?:is|was|are|were|will)\b", re.I)
_CLOCK_ONLY = re.compile(r"^\W*\d{1,2}(?::\d{2}\s*(?:[ap]\.?m\.?)?|(?:\.\d{2})?\s*[ap]\.?m\.?)\W*$", re.I)
_DATE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
                   r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}(?:st|nd|rd|th)?\b", re.I)


def asked_date(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The line of the span's table row that gives a date, where "When is ...?" got a clock time from another line
    of it ("Canal 10K start 09:30." for "When is the Canal 10K?": "Canal 10K date 21 March 2027."), or None."""
    if not _WHEN_IS.search(question) or not _CLOCK_ONLY.match(text[start:end]):
        return None
    lines = _lines(text, *paragraph_bounds(text, start, start))
    label = _label([text[a:b].lower().split() for a, b in lines])
    dated = [(a, b) for a, b in lines if _DATE.search(text, a, b)]
    if not label or not dated or any(a <= start < b for a, b in dated):
        return None
    # of several dates ("date 21 March", "entries close 7 March") the one its column names as the date
    named = [(a, b) for a, b in dated if re.match(r"\W*(?:date|day|when)\b", " ".join(text[a:b].split()[label:]), re.I)]
    return named[0] if len(named) == 1 else dated[0] if len(dated) == 1 else None


def row_blocks(text: str) -> list[tuple[int, int, list[str] | None, int]]:
    """Every paragraph of the text: (start, end, the words of its label and cells, or None if it is no table row,
    how many of those words are its label's)."""
    blocks, at = [], 0
    while at < len(text):
        a, b = paragraph_bounds(text, at, at)
        said = [text[x:y].lower().split() for x, y in _lines(text, a, b)]
        label = _label(said)
        blocks.append((a, b, said[0][:label] + [w for line in said for w in line[label:]] if label else None, label))
        at = b + 2
    return one_line_rows(text, blocks)


def _own_words(rows: list) -> list[list[str]]:
    """Each row's label and cell words, without the column names every row says ("price." is the column "price")."""
    said = [[re.sub(r"^\W+|\W+$", "", w) for w in row[2]] for row in rows]
    columns = set.intersection(*(set(words) for words in said))
    return [[w for w in words if w and w not in columns] for words in said]


def _row_scores(question: str, rows: list) -> list[int]:
    """How many words of each row's label and cells the question names, the column names every row says apart."""
    return [_named(question, words) for words in _own_words(rows)]


def _table_of(text: str, start: int) -> tuple[list, int] | None:
    """The rows of the table holding text[start] (the run of blocks around it whose lines open with their label; a
    passage may cut the first or last) and the index of its own row, or None where it is in no table of two rows."""
    top, _ = paragraph_bounds(text, start, start)
    blocks = row_blocks(text)
    own = next((i for i, block in enumerate(blocks) if block[0] == top), None)
    if own is None or blocks[own][2] is None:
        return None
    first, last = own, own
    while first > 0 and blocks[first - 1][2] is not None:
        first -= 1
    while last + 1 < len(blocks) and blocks[last + 1][2] is not None:
        last += 1
    return (blocks[first:last + 1], own - first) if last > first else None


def asked_row(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The row to read instead of the span's own, as (start, end), or None: among the rows of the span's table in
    the text, the one row whose label and cells the question names most ("St Aldric's Old Boys"), where the span's
    row names none of them; the column names every row says do not count."""
    table = _table_of(text, start)
    if table is None:
        return None
    rows, own = table
    # a one-line row is named by its label: its value is what is asked ("ERC No charge." is no row named by "charge")
    rows_said = [row if "\n" in text[row[0]:row[1]] else (*row[:2], row[2][:row[3]], row[3]) for row in rows]
    scores = _row_scores(question, rows_said)
    best = max(scores)
    if not best or scores.count(best) > 1 or scores[own]:
        only = _only_row_naming(question, rows_said)  # "electric" names one row, "permit" two: the electric one's
        return value_of(text, rows[only], rows) if only is not None and only != own else None
    return value_of(text, rows[scores.index(best)], rows)


def _only_row_naming(question: str, rows: list) -> int | None:
    """The one row that alone names a word of the question, where no other row does so, or None."""
    asked = {stem(w) for w in content_words(question)}
    named = [{q for q in asked if any(_names(q, w) for w in words)} for words in _own_words(rows)]
    alone = [i for i, words in enumerate(named) if any(sum(q in other for other in named) == 1 for q in words)]
    return alone[0] if len(alone) == 1 else None


def in_other_row(question: str, text: str, start: int) -> bool:
    """Whether a span is in a table row the question does not name where it names the whole label of another row
    of that table: "Club members £24" of the half marathon's row is no answer to "How much does the Hill Fell Race
    cost for club members?"."""
    table = _table_of(text, start)
    if table is None:
        return False
    rows, own = table
    labels = [content_words(" ".join(row[2][:row[3]])) for row in rows]
    named = [bool(label) and _named(question, sorted(label)) == len(label) for label in labels]
    return not named[own] and any(named)


_ASKS_FOR_ROW = re.compile(r"^\W*(?:which|what)\s+(?!(?:is|are|was|were|do|does|did|can|could|will|would|should|"
                           r"has|have|had|time|day|date)\b)\w", re.I)


def named_row(question: str, text: str) -> tuple[int, int] | None:
    """The one row of the text's tables (runs of two rows or more) whose label and cells the question names most,
    as (start, end): "Cornish crab on toasted sourdough price £11.50.\n... notes contains shellfish." for "How much
    is the crab?"; None where no row is named or several are named as much."""
    runs = _runs(text)
    # a question asking for a cell's value names its row by the label or by more than one word: not the raised bed
    # kit's for "How much is the delivery charge?" because its notes say "Delivery only" (session 34); "Which
    # starter has shellfish?" asks for a row, named by any of its cells
    by_label = not _ASKS_FOR_ROW.match(question)
    scored = [(score, row) for rows in runs for score, row in zip(_row_scores(question, rows), rows)
              if not by_label or score > 1 or _named(question, [w.rstrip(":") for w in row[2][:row[3]]])]
    best = max((score for score, _ in scored), default=0)
    named = [row for score, row in scored if score == best]
    return named[0][:2] if best and len(named) == 1 else None


def _runs(text: str) -> list[list]:
    """The text's tables: each run of two row blocks or more (row_blocks)."""
    runs, run = [], []
    for block in row_blocks(text) + [(0, 0, None, 0)]:
        if block[2] is not None:
            run.append(block)
        elif run:
            runs, run = runs + [run] if len(run) >= 2 else runs, []
    return runs


_KIND = re.compile(r"^\W*(?:which|what)\s+(?:(?!(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|"
                   r"had)\b)[\w'’-]+\s+){1,2}", re.I)  # "Which meeting room ", "What shoes "


def row_asked_for(question: str, text: str) -> tuple[int, int] | None:
    """The label, as (start, end), of the one row of the text's tables that a question asking for a row names by its
    cells alone, not its label nor a column's name every row says: "The Bobbin" for "Which meeting room has a
    webcam?", in its line "The Bobbin screen 55-inch TV and webcam." ("room" of "The Mill Room" is its label's); None
    otherwise."""
    if not _ASKS_FOR_ROW.match(question):
        return None
    # the words after the kind asked ("Which meeting room ...") naming a row's label ask for its cell, not its label:
    # "What shoes should I wear for the Bluebell Trail?"
    rest = _KIND.sub("", question, count=1)
    scored = []
    for rows in _runs(text):
        said = [[re.sub(r"^\W+|\W+$", "", w) for w in row[2]] for row in rows]
        if any(_named(rest, words[:row[3]]) for row, words in zip(rows, said)):
            return None
        columns = set.intersection(*(set(words) for words in said))
        scored += [(_named(question, [w for w in words[row[3]:] if w not in columns], words[:row[3]]), row)
                   for row, words in zip(rows, said)]
    best = max((score for score, _ in scored), default=0)
    named = [row for score, row in scored if score == best]
    if not best or len(named) > 1:
        return None
    start, end, _, label = named[0]  # the label as its line naming the most of the question says it
    lines = [line for line in _lines(text, start, end) if text[line[0]:line[1]].strip()]
    top = max(lines, key=lambda line: _named(question, text[line[0]:line[1]].lower().split()[label:]))[0]
    return top, top + list(re.finditer(r"\S+", text[top:end]))[label - 1].end()


_LAST = re.compile(r"\b(?:last|latest|final)\b", re.I)
_FIRST = re.compile(r"\b(?:first|earliest)\b", re.I)


def asked_end_of_row(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The last (or first) line of the span's table row, as (start, end), where the question asks for the last
    ("latest", "final") or the first ("earliest") and the span is in another line of a row read a line a cell
    ("Fenbridge Bus Station early 06:10." for "What time is the last bus from Fenbridge?": "... evening 18:30.") and
    names no word of the span's line besides the row's label; None otherwise."""
    last, first = bool(_LAST.search(question)), bool(_FIRST.search(question))
    if last == first:
        return None
    lines = _lines(text, *paragraph_bounds(text, start, start))
    said = [text[a:b].lower().split() for a, b in lines]
    label = _label(said)
    if len(lines) < 3 or not any(re.search(r"\w", w) for w in said[0][:label]):  # a list's "- " is no row's label
        return None
    own = next((i for i, (a, b) in enumerate(lines) if a <= start < b + 1), None)
    if own is None or _named(question, said[own][label:], said[own][:label]):
        return None  # the question names the span's column: "the first Sunday bus" is no row's first cell
    wanted = len(lines) - 1 if last else 0
    return lines[wanted] if own != wanted else None


_ITEM = re.compile(r"^\s*(?:[-*•]\s+)?([^:\n]{2,80}):\s+\S", re.M)


def asked_item(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The line to read instead of the span's own, or None: in a paragraph of "label: value" lines ("Standard ticket:
    £145\nStudents (with a valid student card): £35"), the one line whose label the question names most ("student
    ticket price"), where the span's line's label names none of the question's words."""
    lines = _lines(text, *paragraph_bounds(text, start, start))
    labels = [_ITEM.match(text, a, b) for a, b in lines]
    own = next((i for i, (a, b) in enumerate(lines) if a <= start < b + 1), None)
    if len(lines) < 2 or not all(labels) or own is None or _named(question, labels[own].group(1).lower().split()):
        return None
    scores = [_named(question, m.group(1).lower().split()) for m in labels]
    best = max(scores)
    return lines[scores.index(best)] if best and scores.count(best) == 1 else None


# a code a manual lists a line each ("E04 Motor overheating ..."): letters, then digits, as a whole word
_CODE = re.compile(r"(?<![\w-])([A-Za-z]{1,3}-?\d{1,4})(?![\w-])")
_CODED_LINE = re.compile(r"^[ \t]*([A-Za-z]{1,3}-?\d{1,4})[ \t]+(\S[^\n]*)", re.M)


def coded_line(question: str, texts: Sequence[str]) -> tuple[int, int, int] | None:
    """(passage, start, end) of the one line over the passages that opens with a code the question names ("e07 on the
    display what do i do": "E07 No communication between the display and the motor"), after the code, with the lines
    that carry on its row (up to 3, to a blank line or the next code: a PDF's wrapped cells, "Switch off, take the
    battery out ..."); None for no code, no such line of three words or more, or several that differ (a table read a
    line a cell, index.tables)."""
    codes = {code.lower() for code in _CODE.findall(question)}
    found: dict[str, tuple[int, int, int]] = {}
    for i, text in enumerate(texts if codes else ()):
        for m in _CODED_LINE.finditer(text):
            if m.group(1).lower() in codes and len(m.group(2).split()) >= 3:
                end = m.start(2) + len(m.group(2).rstrip())
                for _ in range(3):
                    after = text.find("\n", end + 1)
                    line = text[end + 1:after if after >= 0 else len(text)]
                    if not line.strip() or _CODED_LINE.match(line):
                        break
                    end += 1 + len(line.rstrip())
                found.setdefault(m.group(2).strip().lower(), (i, m.start(2), end))
    return next(iter(found.values())) if len(found) == 1 else None
