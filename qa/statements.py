"""The statements a question and its found span can be said as (pure functions): the model's sentence is one of them.

"When was the article published?" + "March 12, 2017" -> "The article was published on March 12, 2017." among a few
dozen candidates ("The article was published in March 12, 2017.", "The was article published ...", ...). The rules
only move the question's own words into statement order (where the subject ends, which inflection, which
preposition, where the answer goes are left open); the generator chooses between them by scoring each as its reply
(qa.constrained.choose_statement). A question form the rules do not know ("Name one country ...") has no candidates.
"""

from __future__ import annotations

import re

from qa.lexicon import AUX, DETS, PREPS, VERBS, amount_phrase, verbish
from qa.verb_forms import PAST_FORMS, past, third_person
from qa.vocab_mask import answer_text

_SLOTS = {  # what the answer slot may read like after the question's words, by question word
    "when": ("{}", "in {}", "on {}", "at {}"), "where": ("{}", "in {}", "at {}", "on {}"),
    "why": ("{}", "because {}", "because of {}"), "how": ("{}", "by {}", "with {}", "through {}"),
}
_SPAN_PREPOSITION = re.compile(r"^(?:in|on|at|by|with|through|during|from|to|for|since|after|before|because|as)\b",
                               re.I)
_AMOUNT = frozenset("many much".split())
_KIND = frozenset("kind kinds type types sort sorts form forms".split())  # "what kind of order": "<answer> order"
_DEICTIC = frozenset("yesterday today tomorrow tonight last next this ago recently now then earlier later".split())
_PLACEHOLDER = frozenset("do doing done".split())  # "What was it able to do?": the answer stands for it
_SPEECH = frozenset("say tell mean state claim add reply argue write".split())
_DEGREE = frozenset("long far old often soon".split())  # "How long did it last?" -> "It lasted <answer>."
_TIME_NOUNS = frozenset("year years date day days month months time century decade period season week".split())
_PLACE_NOUNS = frozenset("city country place town region area state village continent location".split())
_OPEN = DETS | PREPS | {"and", "or", "of"}  # a subject does not end in these
_TOKEN = re.compile(r"[^\s,]+|,")  # a comma is a word of its own: the answer may go before it
_COPULA = frozenset("is are was were".split())
_NEGATION = frozenset("not never n't".split())
_SUBORDINATORS = frozenset("if when whether because unless while although though once".split())
_BASE_VERB_AUX = frozenset("do does did can could will would shall should may might must".split())
_MODALS = _BASE_VERB_AUX - {"do", "does", "did"}
_PRONOUNS = frozenset("i you he she it we they".split())
_QUANTIFIERS = frozenset("""anyone anybody everyone everybody someone somebody nobody no none all each every some any
most few several both either neither""".split())  # "the anyone who ..." is no reading
MEASURE_ADJECTIVE = re.compile(r"(?:\w+-)+(?:year|month|week|day|hour|minute|mile|metre|meter|kilometre|kilometer|"
                                r"foot|inch|pound|dollar)", re.I)
MAX_SUBJECT_WORDS = 12
MAX_CANDIDATES = 64


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(word: str) -> str:
    """A question's opening word as it reads inside a sentence ("The" -> "the", "Turkey" and "US" kept)."""
    return word.lower() if word.lower() in DETS else word


def _with_article(answer: str) -> list[str]:
    """The answer as found, and with "the" before it where it has no determiner or number ("Kremlin" -> "the
    Kremlin"): the model chooses."""
    first = answer.split()[0]
    bare = first.lower() in DETS | PREPS | _AMOUNT | _DEICTIC | _QUANTIFIERS | _PRONOUNS or first[0].isdigit() or \
        _DAY_DATE.match(answer) or re.match(rf"(?i){_MONTHS}\b", first) or \
        _SPAN_PREPOSITION.match(first) or first.lower().endswith("ing")
    return [answer] if bare else [answer, "the " + answer]


def statement_candidates(question: str, span: str) -> list[str]:
    """Every statement the rules make of the question with the span in the answer's place (deduplicated, at most
    MAX_CANDIDATES, each ending in a full stop, the first letter a capital); [] for a form they do not know."""
    answer = answer_text(span)
    words = addressed(_TOKEN.findall(question.strip().rstrip("?").strip()))
    if not answer or len(words) < 2 or MEASURE_ADJECTIVE.fullmatch(answer):
        return []  # "six-month" (of "a six-month trial period") cannot stand where a noun phrase goes
    prep = None
    if words[0].lower() in PREPS and words[1].lower() in ("which", "what", "whom", "whose"):
        prep, words = words[0].lower(), words[1:]
    wh = words[0].lower()
    if wh not in ("what", "which", "who", "whom", "whose", "when", "where", "why", "how"):
        return _in_situ(words, answer)
    bodies: list[str] = []
    # the question word's noun phrase: "which country", "how many people", "what kind of deals" (1-4 words after)
    for size in range(0, 5 if wh in ("what", "which", "whose", "how") else 1):
        rest, noun = words[1 + size:], words[1:1 + size]
        if not rest or any(w.lower() in AUX | _SUBORDINATORS or w == "," for w in noun) or \
                noun[:1] and noun[0].lower().startswith("happen"):
            continue  # "What happens if the weather ...": no noun phrase
        if wh == "how" and not (size == 0 and rest[0].lower() in AUX or size == 1 and noun[0].lower() in _DEGREE
                                or noun[:1] and noun[0].lower() in _AMOUNT):
            continue
        # the answer as it stands in the statement: "15 people" for "how many people", "Assad's fate" for "whose"
        answers = [amount_phrase(answer, noun[1:])] if wh == "how" else \
            [f"{answer} {' '.join(noun[2:])}"] if len(noun) > 2 and noun[1].lower() == "of" and \
            noun[0].lower() in _KIND and noun[-1].lower() not in answer.lower().split() else \
            [f"{a}'s {' '.join(noun)}" for a in _with_article(answer)] if wh == "whose" and noun else \
            _with_article(answer)
        if prep is None and _answer_is_subject(wh, rest, noun):
            bodies += [f"{a} {' '.join(rest)}" for a in answers]  # "Dmitry Peskov is Putin's spokesman"
            if wh in ("which", "what") and noun and noun[0].lower() not in _KIND and \
                    not any(w.endswith(("'s", "’s")) for w in noun):  # not "the leader's fate that ... is <X>"
                # the asked-for noun kept: "The two power blocks that are left out ... are the US and the EU"
                bodies += [f"the {' '.join(noun)} that {' '.join(rest)} {be} {a}" for a in answers
                           for be in ("is", "are", "was", "were")]
        if rest[0].lower() in AUX and len(rest) > 1:
            slots = tuple(slot for a in answers for slot in _slots(wh, prep, a, noun))
            # "How long is the trial period?" asks for an amount, not a manner: "The trial period is six months."
            bodies += _inverted(rest, slots, "what" if wh == "how" and noun else wh)
    return _finish(bodies)


_SECOND_PERSON = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "am": "are"}

def addressed(words: list[str]) -> list[str]:
    """The question's words as the assistant says them back to its asker: "How much coffee do I need?" -> "you"
    ("I was" -> "you were")."""
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if lower == "was" and "i" in (words[i - 1].lower() if i else "", words[i + 1].lower() if i + 1 < len(words)
                                      else ""):
            out.append("were")
        else:
            swapped = _SECOND_PERSON.get(lower, word)
            out.append(swapped.capitalize() if swapped != word and word[:1].isupper() and i else swapped)
    return out


def _answer_is_subject(wh: str, rest: list[str], noun: list[str]) -> bool:
    """Whether the answer may stand as the subject before the rest of the question: "What brought down ...",
    "Who is X", "Which blocks are left out ...", "Who has led ..." (not "Which country is Turkey seeking ...")."""
    if not (wh in ("what", "which", "who") or wh in ("how", "whose") and noun):
        return False
    aux = rest[0].lower()
    if aux not in AUX:  # "What brought down ...": a verb; "what kind of world order would ...": no
        # "What happens on holidays?" is answered by a clause ("receive double pay"), not a subject
        return wh == "who" and not noun or _verb(rest[0]) and not (wh == "what" and aux.startswith("happen"))
    nxt = rest[1] if len(rest) > 1 else ""
    if noun and noun[-1].lower() in _TIME_NOUNS and aux in _COPULA:
        return False  # "What time is check-in?": "Check-in is at 3 p.m.", not "3 p.m. is check-in"
    if nxt.lower() in ("been", "being"):
        return True  # "How many rooms have been booked?" -> "14 rooms have been booked."
    if wh == "who" and not noun and aux in _MODALS and nxt.islower() and nxt not in DETS | _PRONOUNS:
        return True  # "Who can join the library?": a modal and a plain verb ("Who can the members elect?": no)
    return bool(nxt) and (verbish(nxt.lower()) or aux in _COPULA and (
        not noun or nxt.lower() not in DETS and not nxt[:1].isupper()))  # "blocks are powerful", not "is Turkey"


def _verb(word: str) -> bool:
    """Whether a question word reads as a verb (listed, -ing, -ed, or a listed verb in -s)."""
    w = word.lower()
    return verbish(w) or w in PAST_FORMS or w.endswith("ied") or (
        w.endswith("s") and (w[:-1] in VERBS or w[:-2] in VERBS))


def _participle(word: str) -> bool:
    """Whether a question word reads as a participle ("taking", "held", "brought", "left")."""
    w = word.lower()
    return (w.endswith(("ing", "ed")) and len(w) > 4 and not w.endswith("eed")) or w in PAST_FORMS


def _slots(wh: str, prep: str | None, answer: str, noun: list[str]) -> tuple[str, ...]:
    """The answer slot's readings: "in 1638" for "What year ...", "by conquering" as found, "on March 10th"."""
    if wh == "why" and answer.split()[0].lower().endswith("ing"):
        return ()  # "Why ...?" "assuring its needs": "in search of" is nowhere to be had
    if _SPAN_PREPOSITION.match(answer) or answer.split()[0].lower() in _DEICTIC:
        return (answer,)
    if prep:
        return (f"{prep} {answer}",)
    kind = "when" if noun and noun[-1].lower() in _TIME_NOUNS else \
        "where" if noun and noun[-1].lower() in _PLACE_NOUNS else "what" if noun else wh  # "how long": no "by"
    if wh == "how" and noun == ["long"]:
        return (answer, f"for {answer}")  # "How long is a card valid?" -> "... is valid for three years."
    if kind == "when":
        return _when_slots(answer)
    return tuple(s.format(answer) for s in _SLOTS.get(kind, ("{}",)))


_MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY_DATE = re.compile(rf"(?i)\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
                       r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)")
_CLOCK = re.compile(r"(?i)^\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?$|^(?:noon|midnight)$")
_RANGE = re.compile(r"(?i)\s(?:to|until|till|-|–|—)\s|\d\s*[-–]\s*\d")


def _when_slots(answer: str) -> tuple[str, ...]:
    """How a time answer follows its verb: "on 18 November", "at 9 a.m.", "in 1971" / "in March 2017", "from
    Tuesday to Thursday"; "{}" alone where the form says nothing (the model chooses among the rest)."""
    if _RANGE.search(answer):
        return (f"from {answer}",) if not answer.lower().startswith(("from", "between")) else (answer,)
    if _DAY_DATE.search(answer):
        return (f"on {answer}",)
    if _CLOCK.match(answer.strip()):
        return (f"at {answer}",)
    if re.fullmatch(rf"(?i)(?:{_MONTHS}\s+)?\d{{4}}s?|{_MONTHS}|(?:the\s+)?\d{{4}}s", answer.strip()):
        return (f"in {answer}",)
    return tuple(s.format(answer) for s in _SLOTS["when"])


def _inverted(rest: list[str], slots: tuple[str, ...], wh: str) -> list[str]:
    """Statements of an inverted question's remainder "AUX SUBJECT VERB ...": the subject's end and the answer's
    place left open, the do-auxiliary folded into the verb ("did the US abandon" -> "the US abandoned")."""
    aux, after = rest[0].lower(), rest[1:]
    deictic = any(slot.split()[0].lower() in _DEICTIC for slot in slots)  # "yesterday" goes last
    bodies = []
    for end in range(1, min(len(after), MAX_SUBJECT_WORDS) + 1):
        subject = [_lower_first(after[0])] + after[1:end]
        tail = after[end:]
        if end > 1 and subject[0].lower() in _PRONOUNS:
            break  # "should I do": a pronoun is the whole subject, not "I do"
        if aux in _MODALS and wh == "what" and tail[:1] and tail[0].lower() in _PLACEHOLDER:
            break  # "What should I do if ...?" asks for an action: no statement puts a found span in its place
        if subject[-1].lower() in _OPEN | _NEGATION or subject[0].lower() in _NEGATION or \
                (not tail and wh in ("why", "how")):
            continue  # "the" is no subject; "Why is X eager?" is "X is eager because ..."
        if aux in _BASE_VERB_AUX and (not tail or tail[0].lower() in _OPEN or tail[0] == ","):
            continue  # after "did X" or "would X" comes a verb: "did the US abandon", not "did the | US"
        if subject[0].islower() and (_participle(subject[0]) or subject[0] in ("been", "being")) and \
                subject[0].lower() not in DETS:
            continue  # "Who has led the party?": "led" begins no subject
        verb = next((w for w in tail if not w.lower().endswith("ly")), "")  # "is currently based": "based"
        if aux not in _BASE_VERB_AUX and not _participle(verb) and any(
                _participle(w) and not (w.endswith("ing") and after[i].lower() in DETS)
                for i, w in enumerate(after[1:])):
            continue  # "are the talks for peace taking place": the subject ends before a participle (not an -ing
            # word after a determiner: "is the joining fee"; "is an unresolved question" stays a participle)
        if aux in ("do", "does", "did"):
            if not tail or tail[0] == ",":
                continue
            if any(w.lower() in _SPEECH for w in after) or not tail[0].isalpha() or not tail[0].islower():
                continue  # "What did Peskov say?" is quoted, not restated; "did President Putin": no verb "Putin"
            if tail[0].lower() in _NEGATION:  # "What does the warranty not cover?" -> "... does not cover ..."
                if len(tail) < 2 or not tail[1].isalpha():
                    continue
                heads, tail = [subject + [aux, tail[0].lower(), tail[1]]], tail[2:]
            else:
                forms = past(tail[0]) if aux == "did" else third_person(tail[0]) if aux == "does" else \
                    [tail[0].lower()]
                if aux == "does" and subject[-1].lower().endswith("s") and not subject[-1][:1].isupper():
                    forms.append(tail[0].lower())  # a plural subject: "the talks aim"
                heads = [subject + [form] for form in forms]
                tail = tail[1:]
        else:
            heads = [subject + [rest[0].lower()]]
        for head in heads:
            for slot in slots:
                if tail and tail[-1].lower() in _PLACEHOLDER and wh == "what":
                    bodies.append(" ".join(head + tail[:-1] + [slot]))  # "praised X for doing?" -> "for <it>"
                # the answer at the end, before a preposition or a comma, or right after a main verb
                for at in range(len(tail) + 1):  # a reason goes last: "... despite the setbacks because of X"
                    if at == len(tail) or wh != "why" and not deictic and (tail[at] == "," or (
                            tail[at].lower() in PREPS if at else aux in ("do", "does", "did"))):
                        bodies.append(" ".join(head + tail[:at] + [slot] + tail[at:]))
    return bodies


def _in_situ(words: list[str], answer: str) -> list[str]:
    """A question with its question word inside ("... are related to what kind of deals?"): the answer replaces
    the question word and up to five words after it."""
    at = next((i for i, w in enumerate(words) if w.lower() in ("what", "which", "whom", "who")), None)
    if at is None or at == 0:
        return []
    sizes = [0] + [n for n in range(1, min(5, len(words) - at - 1) + 1)  # the answer takes nouns, not verbs
                   if not any(w.lower() in AUX or _verb(w) for w in words[at + 1:at + 1 + n])]
    return _finish([" ".join(words[:at] + [a] + words[at + 1 + size:]) for a in _with_article(answer)
                    for size in sizes])


def _finish(bodies: list[str]) -> list[str]:
    out = []
    for body in bodies:
        body = " ".join(body.split()).replace(" ,", ",").rstrip(" ,;:")
        if not body.endswith((".", "!")):
            body += "."
        out.append(_capital(body))
    return list(dict.fromkeys(out))[:MAX_CANDIDATES]
