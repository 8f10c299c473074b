"""Where a span may not be and what it must be (pure functions): a note's number, a clause's number, a detail of the
wrong form, a piece of a phone number, a range's other end, a count of another unit."""

from __future__ import annotations

import re

from qa.lexicon import AUX
from qa.table_rows import PLACE_ASKED
from qa.text import content_words, words

_NOTE_NUMBER = re.compile(r"[(\[]\s*\d{1,2}\s*[)\]]")


def is_note_reference(text: str, start: int, end: int) -> bool:
    """Whether a span is only a note's number in brackets ("3" of "at the summit (3)"): never an answer, though the
    reader took one for "How many S-400 units does Turkey plan to buy?"."""
    digits = re.search(r"\d+", text[start:end])
    if digits is None or re.search(r"[^\W\d_]", text[start:end]):
        return False
    return any(m.start() <= start + digits.start() and start + digits.end() <= m.end()
               for m in _NOTE_NUMBER.finditer(text, max(0, start - 3), min(len(text), end + 3)))


# "3.2 The rent ...", "12. DATE OF NEXT MEETING", "4) Keys": a line's number, not an amount ("2 Canal Wharf" is kept)
_CLAUSE_NUMBER = re.compile(r"^[ \t]*(?:\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)])(?=[ \t]+[A-Z])", re.M)


def clause_numbers(text: str) -> list[tuple[int, int]]:
    """The numbers opening a text's numbered clauses and items, as (start, end): never an answer (a tenancy's "10.3"
    was the answer to "What is the landlord's phone number?")."""
    return [(m.start(), m.end()) for m in _CLAUSE_NUMBER.finditer(text)]


_PHONE = re.compile(r"\b(?:phone|telephone|mobile|fax)(?: number)?\b|\bnumber (?:to|should|do|can|must)\b.*?"
                    r"\b(?:call|ring|phone|dial)\b", re.I)
# a phone number's digits (at least six, spaces allowed), or a short number alone ("999"); not a code's digits
# ("THC-5520-8817" is a policy number) or a PO box's
_PHONE_DIGITS = re.compile(r"(?<![\w-])\+?\(?\d[\d ()-]{4,}\d(?![\w-])|^\W*(?:call|ring|dial)?\s*\d{3,5}\W*$")
# an address is asked for by "email address" or "his/the chair's email"; "the email" is a message ("When was the email
# sent?": "Sent on: Tuesday 3 March 2026, 09:14", no "@")
_EMAIL = re.compile(r"\be-?mail address\b|(?<!\bthe )(?<!\bthis )(?<!\bthat )(?<!\ban )\be-?mail\b", re.I)
# "What time does the pool open?", not "At what time is the rivalry set aside?" (SQuAD: "every two years")
_CLOCK_ASKED = re.compile(r"(?<!at )\bwhat time (?:is|are|was|were|do|does|did|will|would|should|can|must)\b", re.I)
_CLOCK = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\b|\b\d{1,2}:\d{2}\b|\b(?:noon|midday|midnight|o'clock)\b|"
                    r"\b(?:half|quarter) (?:past|to)\b|\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|"
                    r"eleven|twelve)(?:[ -](?:fifteen|thirty|forty-five))? (?:in the (?:morning|afternoon|evening)|"
                    r"at night)\b|^\W*(?:closed|shut)\W*$", re.I)  # a table's "Sunday hours Closed." has no time
# a price: "How much is a family ticket?" is not answered by "Every ticket is an annual pass" (session 30)
# and a sum of money named ("What salary does he want?" is not answered by his postcode "LS6 2QT · 07700")
# ("How much sickness is paid at full pay?" asks for days: "how much" of a thing that is no sum is no price)
_PRICE_ASKED = re.compile(r"^\W*how much (?:is|are) (?:a|an|the|it|one|each)\b|\bhow much(?:\s+(?:rent|money|extra|more|"
                          r"less|tax|vat|interest|cash))?\s+(?:is|are|was|were|does|do|did|will|would|should|can|could|"
                          r"must|has|have|it|i|we|you)\b.*\b(?:cost|costs|charge|charged|pay|paid|fee|fees|price)\b|"
                          r"\bwhat (?:does|do|did|will) .*\bcost\b|"
                          r"^\W*what(?:['’]s| is| are| was| were)?(?: the| a| an| his| her| their| your| my| our)? "
                          r"(?:salary|salaries|wage|wages|rent|fee|fees|fare|fares|price|prices|fine|fines)\b", re.I)
# an amount: a number that is not part of a code ("LS6", "2QT") nor a phone number's leading zero ("07700")
_AMOUNT = re.compile(r"(?<![\w.])(?:[1-9]\d*|0(?![\d]))(?:[.,]\d+)*(?![^\W\d_])|[£$€¥%]|"
                     r"\b(?:free|nothing|no charge|half|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                     r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
                     r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
                     r"million|billion|dozen|pence|pounds?|dollars?|euros?)\b", re.I)
# a price is no measure: "How much is the peat-free compost?" is not answered by its "40 litres" in a price list,
# nor "How much is the delivery charge?" by "allow 10 days" (or "10 working days")
_MEASURED = (r"(?![.,]?\d)(?!\s*[x×]\s*\d)(?!\s*-?\s*(?:(?:working|business|calendar|clear|full|school)\s+)?"
             r"(?:litres?|liters?|l|ml|kg|kilos?|g|grams?|tonnes?|cm|mm|m|"
             r"metres?|meters?|km|miles?|inch(?:es)?|feet|foot|ft|days?|nights?|hours?|hrs?|minutes?|mins?|"
             r"seconds?|weeks?|months?|years?|people|persons?|guests?)\b)")
_PRICE = re.compile(r"(?<![\w.])(?:[1-9]\d*|0(?![\d]))(?:[.,]\d+)*p?(?![^\W\d_])" + _MEASURED + r"|[£$€¥%]|"
                    r"\b(?:free|nothing|no charge|half|pence|pounds?|dollars?|euros?)\b|\b(?:one|two|three|four|five|"
                    r"six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|"
                    r"million|billion)\b" + _MEASURED + r"|^\W*(?:not available|n/a)\W*$", re.I)  # a table's cell
# a postal address has a word: "What is the vet's address?" is not answered by the emergency vet's phone number
_ADDRESS_ASKED = re.compile(r"(?<!\bip )(?<!\bmac )(?<!mail )(?<!web )\baddress\b", re.I)
_AGE_ASKED = re.compile(r"\bhow old\b", re.I)  # an age is a number: not "2QT · 07700" of a postcode and a phone's
# a day asked is a day's name, a date or a part of the week: "Which day is recycling collected?" is not "7am"
_DAY_ASKED = re.compile(r"^\W*(?:and\s+)?(?:on\s+)?(?:which|what) days?\b(?! of the)", re.I)
_DAY_SAID = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\bweek ?(?:days?|ends?)\b|\bdaily\b|"
                       r"\b(?:every|each|same|next|previous|following) day\b|\bday (?:before|after)\b|"
                       r"\btoday\b|\btomorrow\b|\byesterday\b|\b\d{1,2}(?:st|nd|rd|th)?\b|"
                       r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
                       # a holiday is a day (session 43: "Christmas Day, Boxing Day or New Year's Day")
                       r"\b(?:christmas|boxing|new year['’]?s?|thanksgiving|independence|memorial|labou?r) day\b|"
                       r"\bbank holidays?\b|\b(?:christmas|new year['’]?s?) eve\b|\bgood friday\b", re.I)
# a period of notice is a length of time: "How much notice do we have to give?" is not "charged fees" (said of less)
_NOTICE_ASKED = re.compile(r"\bhow (?:much|long|far in advance) (?:notice|warning)\b", re.I)
_PERIOD_SAID = re.compile(_AMOUNT.pattern + r"|\b(?:days?|weeks?|fortnights?|months?|years?|hours?|minutes?)\b", re.I)
_FORMS = ((_AGE_ASKED, _AMOUNT), (_NOTICE_ASKED, _PERIOD_SAID), (_PHONE, _PHONE_DIGITS), (_EMAIL, re.compile(r"@")),
          (_CLOCK_ASKED, _CLOCK), (_PRICE_ASKED, _PRICE), (_ADDRESS_ASKED, re.compile(r"[^\W\d_]{2,}")),
          (_DAY_ASKED, _DAY_SAID))
# a phone number or an email address is asked by "What ...?", "Which ...?", "Where ...?" or a phrase ("phone number for
# support"), not by "How do I report a phishing email?", "Who gets a company mobile phone?" or "Can I check work email
# on my own phone?" (their answers are a way, a person, a yes or no) unless they name the number or address
_CONTACT = (_PHONE, _EMAIL)
_ASKS_ANOTHER_THING = re.compile(rf"^\W*(?:who|whom|whose|why|when|how|{'|'.join(sorted(AUX))})\b"
                                 r"(?!.*\b(?:number|address)\b)", re.I)  # "have you got their phone number?" asks it
# a place or a length is no moment: "Where does the Hill Fell Race start?" and "How long is the Bluebell Trail?" are
# not answered by a race calendar's "11:00" or "25 April 2027"
_LENGTH_ASKED = re.compile(r"\bhow long is\b", re.I)
_MOMENT = (r"(?:\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}(?:\.\d{2})?\s*[ap]\.?m\b\.?|\d{1,2}(?:st|nd|rd|th)? "
           r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?: \d{4})?)")
_HOLDS_MOMENT, _ONLY_MOMENT = re.compile(rf"\b{_MOMENT}", re.I), re.compile(rf"^\W*(?:at\s+|on\s+)?{_MOMENT}\W*$", re.I)
_ONLY_MEASURE = re.compile(r"^\W*\d[\d.,]*\s*(?:km|kilometres?|miles?|m|metres?|meters?|kg|litres?|minutes?|mins?|"
                           r"hours?|days?|%)\W*$", re.I)  # "15 km" is no place either


# a table's cell under a measure's column is no price: "Single lesson hours 1." for "How much is a single hour's
# lesson?" (index.tables says a cell "<row> <column> <value>.")
_MEASURE_CELL = re.compile(r"\b(?:hours?|days?|weeks?|months?|years?|nights?|minutes?|people|persons?|seats?|places?|"
                           r"kg|km|miles?|metres?|litres?)\s+\d[\d.,]*\W*$", re.I)
_MONEY = re.compile(r"[£$€¥]|\b(?:pence|pounds?|dollars?|euros?|free)\b", re.I)


def fits_asked_form(question: str, span: str) -> bool:
    """False for a span that cannot be the detail asked for: a phone number without a digit, an email address
    without an "@" ("support@orbilink.example" is no answer to "What is the phone number for support?"), a time of
    day without a clock time ("Saturday 22 November" is no answer to "What time will the crew turn up?")."""
    return of_asked_form(question, span) and not _echoes(question, span) and not _describes(question, span)


_PHONE_ONLY = re.compile(r"\W*\+?\(?\d[\d ()-]{4,}\d\W*")
_EMAIL_ONLY = re.compile(r"\W*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\W*")


def is_asked_contact(question: str, span: str) -> bool:
    """Whether the question asks for a phone number or an email address ("What's the phone number for reception?")
    and the span is one and nothing more."""
    if _ASKS_ANOTHER_THING.match(question):
        return False
    return bool(_PHONE.search(question) and _PHONE_ONLY.fullmatch(span) or
                _EMAIL.search(question) and _EMAIL_ONLY.fullmatch(span))


def asks_price(question: str) -> bool:
    """Whether the question asks what something costs ("How much is it per month?", "What does it cost ...?")."""
    return bool(_PRICE_ASKED.search(question))


def of_asked_form(question: str, span: str) -> bool:
    """Whether the span has the form the question asks for, where it asks for one a span's form tells: a phone
    number's digits, an email's "@", a clock time, a price's amount, one of an either/or question's
    alternatives, a postal address's words."""
    return all(not asked.search(question) or said.search(span) or
               asked in _CONTACT and _ASKS_ANOTHER_THING.match(question) for asked, said in _FORMS) and \
        not (PLACE_ASKED.search(question) and (_mostly_moment(span) or _ONLY_MEASURE.match(span))) and \
        not (_LENGTH_ASKED.search(question) and _ONLY_MOMENT.match(span)) and \
        not (_PRICE_ASKED.search(question) and _MEASURE_CELL.search(span) and not _MONEY.search(span)) and \
        _names_an_alternative(question, span)


def _mostly_moment(span: str) -> bool:
    """Whether a span is a moment and one word at most besides ("start 11:00"; not "9 am in the large meeting
    room")."""
    rest = _HOLDS_MOMENT.sub(" ", span)
    return rest != span and len(words(rest)) <= 1


def _echoes(question: str, span: str) -> bool:
    """Whether the span only repeats the question's own words ("Ankara" for "Where in Ankara was the ambassador
    shot?", "how much" for "How much funding have they got?"); an either/or question's answer does, and a yes/no
    question's span is not shown as its answer."""
    said, asked = words(span), words(question)
    return bool(said) and set(said) <= set(asked) and not re.search(r"\d", span) and \
        not _ALTERNATIVES.match(question) and asked[0] not in AUX


# a value asked by the name of its kind: "What's the code for the key safe?" is not answered by "four-digit code"
_VALUE_ASKED = re.compile(r"^\W*what(?:['’]s|\s+is|\s+are|\s+was)\s+(?:the|your|my|our|their|its|his|her)\s+"
                          r"(?:[\w-]+\s+){0,3}?(code|password|pin|number|name|reference|postcode|username)s?\b", re.I)


def _describes(question: str, span: str) -> bool:
    """Whether the span only describes the value asked by its kind's name, in lower case with no digit ("four-digit
    code", "case-sensitive password"), not gives it ("1234", "Kingfisher2024!", "Ashby Arms")."""
    asked = _VALUE_ASKED.match(question)
    said = words(span)
    return bool(asked and said) and said[-1].rstrip("s") == asked.group(1).lower() and span == span.lower() and \
        not re.search(r"\d", span)


# "Is it A or B?", and a fragment with no wh-word ("next kingsmead game home or away")
_ALTERNATIVES = re.compile(r"^\s*(?:(?:is|are|was|were|will|would|do|does|did|can|could|should|has|have|had)\b|"
                           r"(?!.*\b(?:what|which|who|whom|whose|when|where|why|how)\b)).*?"
                           r"\b([\w'-]+)\s+or\s+([\w' -]+?)\s*\??\s*$", re.I)


def _names_an_alternative(question: str, span: str) -> bool:
    """False for a span naming neither alternative of an either/or question ("Will the talks be recorded or
    live-streamed?" is not answered by "Drinks reception"; "home or away" by "Away")."""
    asked = _ALTERNATIVES.match(question)
    options = content_words(f"{asked[1]} {asked[2]}") if asked else set()
    return not options or bool(options & content_words(span))


# a phone number: a leading 0 or +, nine digits or more ("07700 900 412"; not "2013 - 2017")
_PHONE_NUMBER = re.compile(r"(?<![\w-])(?:\+|0)\d(?:[ ()-]?\d){8,}(?![\w-])")


def in_phone_number(question: str, text: str, start: int, end: int) -> bool:
    """Whether the span takes part of a phone number and not all of it, where the question asks for no phone number:
    "900 412" or "2QT · 07700" of "LS6 2QT · 07700 900 412" is no answer to "How old is Daniel?"."""
    if _PHONE.search(question):
        return False
    return any(m.start() < end and start < m.end() and not (start <= m.start() and m.end() <= end)
               for m in _PHONE_NUMBER.finditer(text, max(0, start - 20), min(len(text), end + 20)))


# the start or the end of a range asked for ("What time does the café open?") and the other end given: "until
# 2:30pm" ("serves hot food until 2:30pm"), "from 8am" for a closing time
# (and a stay's: "What time can we arrive?" is not answered by "Please leave your pitch by 11am")
_ASKS_START = re.compile(r"\b(?:open|opens|opening|start|starts|starting|begin|begins|beginning|arrive|arrival|"
                         r"arriving|earliest)\b", re.I)
_ASKS_END = re.compile(r"\b(?:close|closes|closing|shut|shuts|end|ends|finish|finishes|stop|stops|leave|leaving|"
                       r"depart|departure|vacate)\b", re.I)
_BEFORE_END = re.compile(r"\b(?:until|till|to|by|closes|closing|close|ends|finishes)\s+(?:at\s+)?$", re.I)
_BEFORE_START = re.compile(r"\b(?:from|opens|opening|starts|begins)\s+(?:at\s+)?$", re.I)
_RANGE_GOES_ON = re.compile(r"\s*(?:to|until|till|-|–|—)\s*\d")  # "Saturday: 9am to 12:30pm": 9am starts a range


def at_asked_end(question: str, text: str, start: int, end: int) -> bool:
    """False for a clock time or date that ends a range where the question asks when something starts ("until
    2:30pm" for "What time does the café open?"), or that starts one where it asks when something ends; True
    otherwise (and for a question asking both)."""
    if not re.match(r"\W*(?:what time|when|what(?:['’]s| is) the (?:earliest|latest))\b", question, re.I) or \
            _TIME_RANGE.match(text[start:end]):  # a whole range holds both ends (asked_end_of_range picks one)
        return True
    starts, ends = bool(_ASKS_START.search(question)), bool(_ASKS_END.search(question))
    before, after = text[max(0, start - 20):start], text[end:end + 20]
    return not (starts and not ends and _BEFORE_END.search(before) or
                ends and not starts and (_BEFORE_START.search(before) or _RANGE_GOES_ON.match(after)))


# "What time do you close on a Saturday?" asks one end of "9am to 2pm": a verb asked of the place, not "When is it
# open?" (the whole range)
_ONE_END = re.compile(r"^\W*(?:what time|when)\b.*\b(?:do|does|did|will|would|should|can)\b.*\b(?:(open|start|begin)|"
                      r"(close|shut|finish|end|stop))s?\b", re.I)
_TIME = r"(?:\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\.?|\d{1,2}:\d{2}|(?:12\s+)?noon|midday|midnight)"
_TIME_RANGE = re.compile(rf"^(?:from\s+)?({_TIME})\s*(?:to|until|till|-|–|—)\s*({_TIME})\W*$", re.I)


def asked_end_of_range(question: str, span: str) -> tuple[int, int] | None:
    """Where a question asks when something opens or closes (a verb, "What time do you close on a Saturday?") and the
    span is a range of two clock times ("9am to 2pm"), the asked end's (start, end) within the span; None otherwise."""
    asked, found = _ONE_END.match(question), _TIME_RANGE.match(span)
    if not asked or not found:
        return None
    return found.span(1 if asked.group(1) else 2)


_UNIT = re.compile(r"\b(minute|hour|night|day|week|month|year)s?\b", re.I)


def of_asked_unit(question: str, text: str, start: int, end: int) -> bool:
    """False for a count of another unit of time than the one asked ("37" in "37 hours a week" for "How many days a
    week do I have to be in the office?"); True otherwise."""
    asked = re.search(r"\bhow many (minute|hour|night|day|week|month|year)s?\b", question, re.I)
    if asked is None:
        return True
    said = _UNIT.search(text[start:end]) or re.match(rf"\s*{_UNIT.pattern}", text[end:end + 12], re.I)
    return said is None or said.group(1).lower() == asked.group(1).lower()


# a sentence's opening condition: "If you expect to arrive after 8pm, please ring us" gives no arrival time; none of
# the gold answers (own documents, SQuAD) lies in one
_CONDITION = re.compile(r"(?:^|(?<=[.!?:]\s)|(?<=\n))[ \t]*(?:If|Unless)\b[^,.;:!?\n]*,")
# "When do I need to ring ahead?", "How can I avoid the fee?": a condition may answer these
_ASKS_CONDITION = re.compile(r"^\W*(?:when\b|how\b(?! (?:much|many|long|old|far|often|big|fast|soon)\b)|"
                            r"(?:in|under) what\b)|\b(?:conditions?|circumstances?|case)\b", re.I)


def condition_clauses(question: str, text: str) -> list[tuple[int, int]]:
    """The text's sentence-opening "If ...," and "Unless ...," clauses as (start, end), where the question does not
    ask for a condition: the reader takes no span there (it took "8pm" of "If you expect to arrive after 8pm" for
    "What time can we arrive?" over "Pitches are ready from 2pm")."""
    asked = words(question)
    if not asked or asked[0] in AUX or _ASKS_CONDITION.search(question):  # a yes/no question's quote may be it
        return []  # ("If ... you need a better chair, HR will order ..." for "Will the company get me a chair?")
    return [m.span() for m in _CONDITION.finditer(text)]
