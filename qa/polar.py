"""Yes or no to a polar question ("Can the joining fee be paid in instalments?"), read off the sentence holding the
reader's span (pure functions).

The reader finds a span, not a truth value, and no model here judges entailment; so the verdict is given only where
the sentence plainly says what the question asks: every content word, number and name of the question is in it (by
stem), and it neither negates nor hedges. "No" only where the reader's span negates just what is asked ("the
portafilter cannot", "There is no parking") in a clause naming it, or where the sentence, one plain clause, says all
else asked and the opposite of one word ("The flat is unavailable in June."). Anything else gets no verdict: the quoted
sentence answers. An FAQ's heading that asks the question gives the verdict its paragraph opens with
(qa.polar_headings.heading_answer).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa.lexicon import AUX
from qa.passage_regions import section_heading
from qa.shown_answer import short_answer, supporting_quote
from qa.table_marks import cell_mark
from qa.text import STOPWORDS, content_words, normalize, stem, words
from qa.verb_forms import base_of_past

if TYPE_CHECKING:
    from typing import Callable, Sequence

    from qa.reader_spans import Reading


def _stem(word: str) -> str:
    """A word's stem (qa.text) without a final "e", so that "freeze" and "freezes" ("freez") meet."""
    return stem(word).rstrip("e")


_NEGATION = re.compile(r"\b(?:not|no|never|cannot|none|nor|neither|without|nothing|nobody|unable)\b|n['’]t\b",
                       re.I)  # "We are unable to sponsor work visas" says no to "Can they sponsor a visa?"
_NEGATION_WORDS = frozenset(_stem(w) for w in "not no never cannot none nothing unable".split())
_HEDGES = frozenset("""may might could would possibly perhaps potential potentially likely unlikely if whether
reportedly apparently allegedly expected planned plans plan hope hopes hoped seems seem seemed except unless
excluding""".split())  # and the exceptions: "allowed everywhere except in the gallery" is no plain yes
# a word that says the opposite of one asked: "We are closed on Mondays ..., when we open every day" is no yes to
# "Is it open on Mondays?"; and a word asked with a negating prefix ("unavailable", "ineligible", "disallowed")
_OPPOSITES = {_stem(a): frozenset(_stem(w) for w in b.split()) for a, b in {
    "open": "closed close closes shut", "allowed": "forbidden prohibited banned barred",
    "permitted": "forbidden prohibited banned barred", "accepted": "refused rejected declined",
    "included": "excluded"}.items()}
_NEGATING_PREFIX = ("un", "in", "im", "il", "ir", "dis", "non")
_NEGATED = re.compile(rf"\b({'|'.join(_NEGATING_PREFIX)})-(\w+)[\w-]*", re.I)  # "non-refundable"
# words that say a thing is not allowed or not there: "cash is not accepted" answers "Can I pay in cash?"
_REFUSALS = frozenset(_stem(w) for w in """accepted allowed permitted possible available offered included provided
supported yet currently still longer""".split())  # and the adverbs of "not supported yet", "no longer offered"
_NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred thousand million billion once twice first second third""".split())
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_CLAUSE = re.compile(r"[;:]|,?\s+\b(?:but|whereas|while)\b", re.I)
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# "Do not use a pressure washer ..." (or "Please don't ...") forbids what "Can I clean it with a pressure washer?"
# asks leave to do
_PROHIBITION = re.compile(r"^\W*(?:please\s+)?(?:do not|don['’]t|never|you (?:must|should) not)\b", re.I)
_ASKS_LEAVE = re.compile(r"^\W*(?:can|could|may|should)\s+(?:i|we)\s+(\w+)", re.I)
_CONDITIONS = frozenset("if unless except only until before after when while".split())
_IF = frozenset("if unless except provided".split())
_LABELLED = re.compile(r"^(\W*[A-Z][\w'’ -]{0,40}):(?=\s)")  # a labelled line's label ("Sunday: closed")


def asked_sentence(question: str) -> str:
    """The sentence that asks, where the user first says what happened ("A burst pipe also caused some accidental
    damage. Do I have to pay two excesses?"): the last one."""
    return _SENTENCES.split(question.strip())[-1]


def is_polar(question: str) -> bool:
    """Whether a question asks yes or no: its asking sentence opens with an auxiliary ("Is", "Can", "Did"), offers no
    alternatives ("Is it X or Y?") and asks in the positive ("Isn't it ...?" has no plain yes)."""
    question = asked_sentence(question)
    asked = words(question)
    return bool(asked) and asked[0] in AUX and "or" not in asked and not _NEGATION.search(question)


def polar_verdict(question: str, sentence: str, span: str, about: str = "") -> str:
    """"yes", "no" or "" (no verdict) for a polar question, from the sentence holding the reader's span. `about`: the
    heading of the sentence's section and the document's title, which name what it is about ("Warranty" over "Normal
    wear and tear, such as worn brake pads, is not covered." for "Are worn brake pads covered by the warranty?")."""
    if not is_polar(question):
        return ""
    sentence = _LABELLED.sub(r"\1 ", sentence)  # "Sunday and bank holidays: closed" is one clause, its label's
    asked = _content_words(question) - {_stem(a) for a in AUX} - _LIGHT_VERBS
    said_words = words(sentence)
    said = _content_words(sentence) | {_stem(base) for w in said_words if (base := base_of_past(w))}  # "met": meet
    said |= _content_words(about)
    said |= {_stem(w[:-5] + "y" if w.endswith("iness") else w[:-4]) for w in said_words  # "eagerness": eager
             if w.endswith("ness") and len(w) > 7}
    said |= {_stem(m[1]) for w in said_words if (m := re.fullmatch(r"(\w{3,})ments?", w))}  # "payment": pay
    leave = _ASKS_LEAVE.match(asked_sentence(question))
    verb = _stem(leave[1].lower()) if leave else ""
    if verb and "allow" in said and verb in asked - said:
        # "Can I bring my dog?" asks what "Dogs are welcome." and "Dogs are not allowed." answer: whether it is allowed
        asked = asked - {verb} | {"allow"}
    if "allow" in asked and not _allowed_as_asked(asked, sentence):
        return ""  # "Assistance dogs are welcome." is no yes to "Can I bring my dog?"
    if _forbids(question, asked - said, sentence) or _refuses(asked, sentence) or _free(question, asked, sentence):
        return "no"
    opposed = _opposed(question, sentence)
    if opposed:  # "The flat is unavailable in May." says no to "Is the flat available in May?"
        plain = _content_words(_NEGATED.sub(" ", sentence))  # without "non-refundable"'s "refundable"
        plainly = asked - opposed <= said and not opposed & plain and _numbers_agree(question, sentence) and \
            not _NEGATION.search(sentence) and not set(said_words) & _HEDGES and len(_CLAUSE.split(sentence)) == 1
        return "no" if plainly or _opposite_in_a_clause(question, asked, sentence) else ""
    if not asked or not asked <= said or not _numbers_agree(question, sentence) or \
            _compound_apart(question, f"{sentence}\n{about}"):
        return ""  # "Does the tank hold 2 litres?" against "The tank holds 1.8 litres."
    # the span negates only what is asked: "cannot", "no parking", "There is no parking" (not "not only in Moscow")
    if _NEGATION.search(span) and not re.search(r"\bnot only\b", span, re.I) and \
            _content_words(span) - _NEGATION_WORDS - _REFUSALS <= asked:
        # "Can the portafilter go in the dishwasher?" -> "... the jug can go in the dishwasher; the portafilter
        # cannot.": the clause of the negation names what the question asks about, and only there
        clauses = _CLAUSE.split(sentence)
        at = next((c for c in clauses if re.search(rf"\b{re.escape(span.strip())}\b", c, re.I)), "")
        elsewhere = _content_words(" ".join(c for c in clauses if c is not at))
        # (not on a condition: "A degree is not required if you have experience.")
        return "no" if (asked & _content_words(at)) - elsewhere and not set(words(at)) & _IF else ""
    if _negates_asked(asked, sentence) or _negated_in_its_clause(asked, sentence, span):
        return "no"
    if _NEGATION.search(sentence) or set(said_words) & _HEDGES:
        return "yes" if _said_in_one_clause(question, asked, sentence) else ""
    return "yes"


def reading_verdict(question: str, reading: "Reading", passages) -> str:
    """polar_verdict of the sentence holding a reading's span, about its section's heading and its document; a "yes"
    only where the heading names what the sentence does not, not the document's title alone ("Can I park at the
    practice?" is no yes from "The nearest parking is the Station Road car park, a two-minute walk away." in a
    leaflet titled "Brookfield Dental Practice"; "It is closed on Sundays" says no of the library the title names)."""
    passage = passages[reading.passage]
    mark = cell_mark(question, passage.text, reading.start, reading.end)  # "nuts -." in an allergen chart's row
    if mark:
        return mark
    heading = section_heading(passage, reading.start)
    sentence, span = supporting_quote(reading, passages).text, short_answer(reading, passages).text
    verdict = polar_verdict(question, sentence, span, f"{heading}\n{passage.title or ''}")
    return "" if verdict == "yes" and polar_verdict(question, sentence, span, heading) != "yes" else verdict


def settled_reading(question: str, passages, readings: "Sequence[Reading]", floor: float,
                    fits: "Callable[[Reading], bool]") -> "Reading | None":
    """The best reading above `floor` that `fits` and whose sentence plainly says yes or no to the question
    (reading_verdict), or None: the reader, trained on SQuAD's few yes/no questions, reads them unsure ("not covered
    by the waiver" for "Is windscreen damage covered?" scores under the margin)."""
    return next((r for r in sorted(readings, key=lambda r: -r.score)
                 if r.score > floor and re.search(r"\w", r.text) and fits(r) and reading_verdict(question, r, passages)),
                None)


_NOT = frozenset("not never cannot no unable".split())
# "not every bus stops there", "not always", "not much parking": a negation that leaves a yes standing
_PARTLY = frozenset("every all always only just much many enough necessarily yet quite very so too".split())


# "Is there a service charge?": a thing named by two words at the question's end
_COMPOUND_ASKED = re.compile(r"\b(?:a|an|any)\s+([a-z][\w-]+)\s+([a-z][\w-]+)\s*\??\s*$", re.I)


def _compound_apart(question: str, text: str) -> bool:
    """Whether the thing the question names by two words ("a service charge") is in the text (the sentence, and the
    heading and title it is about, a line each) only as the two words apart ("We will charge you only for any days
    of service you have already used." is no yes)."""
    asked = _COMPOUND_ASKED.search(asked_sentence(question))
    if asked is None or {w.lower() for w in asked.groups()} & (STOPWORDS | AUX):
        return False
    def one(word: str) -> str:  # "caps" and "cap" alike
        return _stem(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)

    first, second = (one(w.lower()) for w in asked.groups())
    return not any(a == first and b == second for line in text.split("\n")
                   for said in [[one(w) for w in words(line)]] for a, b in zip(said, said[1:]))


_PARTS = re.compile(r",?\s+\band\b\s+|,\s+")  # a sentence's parts, between commas and "and"s


def _opposite_in_a_clause(question: str, asked: set[str], sentence: str) -> bool:
    """Whether one part of the sentence (between commas and "and"s) plainly says the opposite of what is asked, with all
    else asked: "... is open Monday to Saturday, 8:00 to 18:00, and closed on Sundays." for "Are you open on
    Sundays?"."""
    if _qualified(sentence):  # "..., except during school holidays, when we open every day"
        return False
    for part in _PARTS.split(_LABELLED.sub(r"\1 ", sentence)):
        opposed = _opposed(question, part)
        said = _content_words(part)  # all asked, and one word more: its opposite ("closed on Sundays in August")
        if opposed and asked - opposed <= said and len(said - asked) <= 1 and \
                not opposed & _content_words(_NEGATED.sub(" ", part)) and _numbers_agree(question, part) and \
                not _NEGATION.search(part) and not set(words(part)) & _HEDGES:
            return True
    return False


def _allowed_as_asked(asked: set[str], sentence: str) -> bool:
    """Whether what a clause says is allowed (or not) is named by the question's words alone: "Dogs are welcome" for
    "Can I bring my dog?", not "Assistance dogs are welcome" (a sentence with no word of permitting passes)."""
    for clause in _CLAUSE.split(sentence):
        said = words(clause)
        at = next((i for i, w in enumerate(said) if _needs({_stem(w)}) == {"allow"}), None)
        if at is not None:
            return _content_words(" ".join(said[:at])) <= asked
    return True


def _negated_in_its_clause(asked: set[str], sentence: str, span: str) -> bool:
    """Whether the clause holding the span negates what is asked (_negates_asked) and no other clause names it ("The
    hotel has no lift; room 7 is reached by two flights of stairs." for "Is there a lift?")."""
    clauses = _CLAUSE.split(sentence)
    at = next((c for c in clauses if span.strip() and span.strip() in c), None)
    return at is not None and len(clauses) > 1 and _negates_asked(asked, at) and \
        not asked & _content_words(" ".join(c for c in clauses if c is not at))


def _negates_asked(asked: set[str], sentence: str) -> bool:
    """Whether a sentence of one clause, with no condition or hedge, negates what the question asks: a negation just
    before one of its words ("We never see or store your bank login details." for "Can you see my bank login
    details?", "we do not show adverts in the app" for "Are there adverts in the app?")."""
    said = words(sentence)
    if len(_CLAUSE.split(sentence)) != 1 or _qualified(sentence):
        return False
    for i, word in enumerate(said):
        if word in _NOT or word.endswith("n't"):
            after = said[i + 1:i + 3]
            if after and after[0] not in _PARTLY and _needs({_stem(w) for w in after}) & asked:
                return True
    return False


def _opposed(question: str, sentence: str) -> set[str]:
    """The (stemmed) words the question asks whose opposite the sentence holds ("closed" for "open", "unavailable" or
    "non-refundable" for "available" or "refundable")."""
    said_words = words(sentence)
    joined = {(m[1] + m[2]).lower() for m in _NEGATED.finditer(sentence)}  # "non-refundable" as "nonrefundable"
    said = set(said_words) | {_stem(w) for w in said_words} | joined | {_stem(w) for w in joined}
    return {_stem(word) for word in words(asked_sentence(question))
            if _OPPOSITES.get(_stem(word), frozenset()) & said or  # "non-smoking" for "smoke", by stems
            len(word) > 3 and any(prefix + word in said or _stem(prefix + word) in said for prefix in _NEGATING_PREFIX)}


def _content_words(text: str) -> set[str]:
    """The text's content words as _stem gives them, a plural as its singular ("children": child, "caps": cap), a
    word of needing as "need" ("required", "essential"); no pronoun's contraction ("I've")."""
    return _needs({_PLURALS.get(w, w[:-1] if len(w) == 4 and w[-1] == "s" and w[-2] != "s" else w).rstrip("e")
                   for w in content_words(text) if not _PRONOUN_CONTRACTED.match(w)})


_PLURALS = {"children": "child", "people": "person", "men": "man", "women": "woman"}
# "Do I need a degree?" is asked of "A degree is not required."; "Can I get a refund?" of "We do not refund ..."
_NEEDED = frozenset(_stem(w) for w in "need needed required require necessary essential compulsory mandatory".split())
_PRONOUN_CONTRACTED = re.compile(r"(?:i|we|you|they|he|she|it)['’]")  # "I've" asks nothing ("a month I've started")
_LIGHT_VERBS = frozenset(_stem(w) for w in "get".split())


# "Fancy dress welcome." says yes to "Is fancy dress allowed?"
_PERMITTED = frozenset(_stem(w) for w in "allowed permitted permit welcome welcomed".split())


def _needs(stems: set[str]) -> set[str]:
    """The stems with each word of needing ("required", "essential") as "need", of permitting ("permitted",
    "welcome") as "allow"."""
    return {"need" if w in _NEEDED else "allow" if w in _PERMITTED else w for w in stems}


def _numbers_agree(question: str, sentence: str) -> bool:
    """Whether every number the question names (in digits or words) is in the sentence."""
    numbers = {n.strip(".,") for n in _NUMBER.findall(normalize(question))}
    return numbers <= {n.strip(".,") for n in _NUMBER.findall(normalize(sentence))} and \
        {w for w in words(question) if w in _NUMBER_WORDS} <= set(words(sentence))


def _forbids(question: str, unsaid: set[str], sentence: str) -> bool:
    """Whether the sentence plainly forbids what the question asks leave to do: it opens "Do not" (or "Never"), sets
    no condition, and holds every content word of the question but perhaps its verb ("use" for "clean")."""
    leave = _ASKS_LEAVE.match(asked_sentence(question))
    return bool(leave and _PROHIBITION.match(sentence) and unsaid <= {_stem(leave[1].lower())} and
                not _qualified(sentence))


def _said_in_one_clause(question: str, asked: set[str], sentence: str) -> bool:
    """Whether one clause of the sentence says what is asked, plainly, and each negating or hedging clause is about
    something else it names ("The Main Hall and Room A have hearing loops; Room B does not have a hearing loop" for
    "Does the Main Hall have a hearing loop?"; not "Parking is free, but not on weekdays")."""
    clauses = _CLAUSE.split(sentence)
    holding = [c for c in clauses if asked <= _content_words(c)]
    if len(holding) != 1 or _NEGATION.search(holding[0]) or set(words(holding[0])) & _HEDGES:
        return False
    named = {w.lower() for w in re.findall(r"\b[A-Z][\w'-]*", question)}
    return all(any(n.lower() not in named for n in re.findall(r"(?<![.!?] )(?<!^)\b[A-Z][\w'-]*", c.strip()))
               for c in clauses if c is not holding[0] and (_NEGATION.search(c) or set(words(c)) & _HEDGES))


# a refusal of the thing itself, whatever the asker would do with it: "we can't accept cats" for "Can we bring our
# cat?", "we no longer accept cheques" for "Can I pay by cheque?"
_REFUSES = re.compile(r"\b(?:cannot|can['’]t|can not|do not|don['’]t|does not|doesn['’]t|no longer|(?:are|is) unable "
                      r"to|will not|won['’]t) (?:accept|allow|permit|take)\b", re.I)
_TAKING = frozenset(_stem(w) for w in "take accept allow permit pay use bring".split())
_PAID_FOR = frozenset(_stem(w) for w in "fee fees bill bills invoice invoices rent deposit balance".split())


def _refuses(asked: set[str], sentence: str) -> bool:
    """Whether a clause of the sentence, setting no condition, refuses all the question asks to have taken or paid
    with ("we no longer accept cheques or American Express" for "Do you take American Express?")."""
    thing = asked - _TAKING - (_PAID_FOR if _stem("pay") in asked else set())  # "Can I pay my fees in cash?": cash
    return bool(thing) and any(_REFUSES.search(c) and thing <= _forms(c) and
                               not _qualified(c) for c in _CLAUSE.split(sentence))


# "Do I have to pay for an assisted collection?", "Is there a charge for parking?", "Does it cost anything to
# register?": "Assisted collections are free of charge." says no
_ASKS_PAY = re.compile(r"^\W*(?:do|does|will|would|must|shall)\s+(?:i|we|you|they)\s+(?:have|need)\s+to\s+pay\b|"
                       r"^\W*(?:is|are)\s+there\s+(?:a|an|any)\s+(?:extra\s+)?(?:charge|fee|cost)s?\b|"
                       r"^\W*(?:do|does|will|would)\s+(?:it|this|that|they)\s+cost\s+(?:anything|extra)\b", re.I)
_FREE = re.compile(r"(?<![\w-])free(?![\w-])|\bat no (?:extra |additional )?(?:cost|charge)\b|\bno charge\b", re.I)
_PAYING = frozenset(_stem(w) for w in "pay charge fee cost extra anything".split())


def _free(question: str, asked: set[str], sentence: str) -> bool:
    """Whether a clause of the sentence, setting no condition, says free of charge all that the question asks whether
    it must be paid for."""
    thing = asked - _PAYING
    return bool(_ASKS_PAY.match(asked_sentence(question)) and thing) and \
        any(_FREE.search(c) and all(_said_in(w, _forms(c)) for w in thing) and not _qualified(c)
            for c in _CLAUSE.split(sentence))


def _said_in(asked: str, said: set[str]) -> bool:
    """Whether a stem is said, or a word sharing its first six letters ("register": "registration")."""
    return asked in said or len(asked) >= 6 and any(w[:6] == asked[:6] for w in said)


def _qualified(text: str) -> bool:
    """Whether a text sets a condition or hedges ("unless", "if", "may", "except")."""
    return bool(set(words(text)) & (_CONDITIONS | _HEDGES))


def _forms(text: str) -> set[str]:
    """The text's words as stems without a final "e" ("phones" and "phone" alike), with a past form's base
    ("brought": bring), a "-ment" noun's verb ("we cannot accept card payments" forbids paying by card) and a short
    plural's singular, which the stemmer leaves ("cats")."""
    said = words(text)
    return {_stem(w) for w in said} | {_stem(b) for w in said if (b := base_of_past(w))} | \
        {_stem(m[1]) for w in said if (m := re.fullmatch(r"(\w{3,})ments?", w))} | \
        {w[:-1] for w in said if len(w) == 4 and w.endswith("s") and not w.endswith("ss")}  # "cats": cat
