"""The period a span is said of, against the one a question asks ("this week", "weekdays", "on Saturdays"), and the
days of the week a text names (pure functions)."""

from __future__ import annotations

import re

# periods a question may ask about where a text names several: "green bin this week, black bin next week"
_PERIODS = re.compile(r"\b(?:week ?days?|week ?ends?|(?:this|next|last) (?:week|month|year))\b", re.I)
# a day a text names is of a period asked: "Saturday" is no answer to "What time is the last bus on weekdays?"
_DAYS = re.compile(r"\b(?:(mon|tues|wednes|thurs|fri)|satur|sun)days?\b", re.I)


def of_asked_period(question: str, text: str, start: int, end: int, heading: str = "") -> bool:
    """False for a span whose clause (up to the nearest comma, semicolon, colon, full stop or line end), or else the
    heading of its section, names another period than the one asked and not that one ("black" in "black bin next
    week" for "What colour is the bin this week?", "8am to 10am at weekends" for "What time does it close on
    weekdays?", a time under the heading "Saturday" for "... on weekdays?"); True otherwise."""
    asked = {_period(m) for m in _PERIODS.findall(question)}
    asked_days = days_named(question)
    if not asked and not asked_days:
        return True
    text = _DAY_LIST.sub(lambda m: " " * len(m[0]), text)  # "on Friday and Saturday nights" is one part
    if asked_days and not asked:  # "What time do you close on Saturdays?": not "4pm" of "Friday: 8:30am to 4pm"
        line = _around(text, start, end, _LINE_BREAK)
        parts = [text[start:end]] + [text[a:b] for a, b in (_around(text, start, end, _PART_BREAK),
                                                            _around(text, start, end, _CLAUSE_BREAK), line)] + [heading]
        named = next((days for days in map(days_named, parts) if days), set())
        return not named or bool(named & asked_days)
    if not asked:
        return True
    days = bool(asked & {"weekday", "weekend"})  # "Wednesday night" is said of any week
    clauses = [text[a:b] for a, b in (_around(text, start, end, _CLAUSE_BREAK), _around(text, start, end, _PART_BREAK))]
    said = next((named for named in (_periods_named(x, days) for x in [text[start:end], *clauses[::-1], heading])
                 if named), set())
    return not said or bool(said & asked)


# where a clause ends (a clock's "7:30" is no colon), and where a part of one ends: "from 7:30am to 9:30am on weekdays
# and from 8am to 10am at weekends" says "8am to 10am" of weekends (session 34)
_CLAUSE_BREAK = re.compile(r"[,;\n]|(?<!\d)[:.]|[:.](?!\d)")
_PART_BREAK = re.compile(rf"{_CLAUSE_BREAK.pattern}|\b(?:and|but|or|whereas|while)\b")
_LINE_BREAK = re.compile(r"\n")


def _around(text: str, start: int, end: int, breaks: re.Pattern) -> tuple[int, int]:
    """The stretch of text around text[start:end] between the nearest breaks before and after it."""
    a = max((m.end() for m in breaks.finditer(text, 0, start)), default=0)
    b = next((m.start() for m in breaks.finditer(text, end)), len(text))
    return a, b


_DAY_NAMES = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
_DAY = r"\b(mon|tues|wednes|thurs|fri|satur|sun)days?\b"
# days listed: the "and", "or" or comma between them is no break between parts of a clause (offsets kept)
_DAY_LIST = re.compile(rf"(?<=day|ays)(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?={_DAY})", re.I)
_DAY_RANGE = re.compile(rf"{_DAY}(?:\s+(?:night|evening|morning|afternoon)s?)?"  # "from Sunday night to Thursday"
                        rf"\s*(?:to|until|till|through|-|–|—)\s*{_DAY}", re.I)


def days_named(text: str) -> set[int]:
    """The days of the week a text names (0: Monday), a range's days between ("Monday to Thursday": 0 to 3), and
    weekdays or weekends as theirs."""
    day = {name: i for i, name in enumerate(_DAY_NAMES)}
    named: set[int] = set()
    for m in _DAY_RANGE.finditer(text):
        a, b = day[m.group(1).lower()], day[m.group(2).lower()]
        named |= {(a + i) % 7 for i in range((b - a) % 7 + 1)}
    named |= {day[m.group(1).lower()] for m in re.finditer(_DAY, text, re.I)}
    if re.search(r"\bweek ?days?\b", text, re.I):
        named |= set(range(5))
    if re.search(r"\bweek ?ends?\b", text, re.I):
        named |= {5, 6}
    return named


def _periods_named(text: str, days: bool) -> set[str]:
    """The periods a text names, and with `days` a day's name as its part of the week."""
    return {_period(m) for m in _PERIODS.findall(text)} | (
        {"weekday" if m.group(1) else "weekend" for m in _DAYS.finditer(text)} if days else set())


def _period(name: str) -> str:
    """A period's name in one spelling: "weekend", "weekdays" -> "weekday", "next week"."""
    return re.sub(r"\s+", " ", name.lower()).replace("week ", "week").rstrip("s")
