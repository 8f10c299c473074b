"""The shape of a question, by rules: its word tokens, wh-phrase, auxiliary and main verb, its noun phrases and
main entity (pure functions, shared by the follow-up rules)."""

from __future__ import annotations

import re

from qa.lexicon import AUX, CALENDAR, DETS, IRREGULAR, PARTICLES, PREPS, WH, verbish

KINDS = {w: kind for kind, ws in (("person", "he him his she her"), ("plural", "they them their"),
                                    ("thing", "it its"), ("demo", "this that these those")) for w in ws.split()}
WORD = re.compile(r"[A-Za-z0-9][\w'’\-]*")


def tokens(text: str) -> list[re.Match]:
    """Word tokens of a text, as regex matches (their spans index the text)."""
    return list(WORD.finditer(text))


def is_cap(m: re.Match) -> bool:
    """Whether a token is capitalised and can be part of a name (not a month or a weekday, nor "I")."""
    return m[0][:1].isupper() and re.sub(r"['’]s?$", "", m[0]).lower() not in CALENDAR and \
        not re.fullmatch(r"I(?:['’](?:m|ve|d|ll))?", m[0])


def mid(text: str) -> str:
    """A phrase as placed inside a sentence: a leading article lower-cased."""
    return re.sub(r"^(The|A|An)\b", lambda m: m.group().lower(), text)


def tidy(text: str) -> str:
    """One-space, capitalised question ending in a question mark."""
    text = " ".join(text.split()).rstrip(" ?.")
    return (text[:1].upper() + text[1:] + "?") if text else ""


def parse(q: str) -> dict:
    """A question's wh-word, wh-phrase end, auxiliary, main verb, and whether the wh-phrase is its subject."""
    toks, t = tokens(q), [m[0].lower() for m in tokens(q)]
    out = {"wh": None, "wh_end": 0, "aux": None, "subject_wh": False, "verb": None}
    if not t or t[0] in AUX:
        out["aux"] = 0 if t else None
        return out
    start = 1 if t[0] in PREPS and len(t) > 1 and t[1] in WH else 0
    if t[start] not in WH:
        return out
    out["wh"], j = t[start], start + 1
    if t[start] in ("which", "what", "whose", "how"):  # "Which city did ...", "Which website published ..."
        while j < len(t) and j < start + 6 and t[j] not in AUX and not (j > start + 1 and verbish(t[j])):
            j += 1
    out["wh_end"] = j
    if j < len(t) and t[j] in AUX:
        out["aux"] = j
        nxt = t[j + 1] if j + 1 < len(t) else ""
        be = t[j] in ("is", "are", "was", "were")  # "Who was assassinated?", "Which blocks are left out?"
        out["subject_wh"] = out["wh"] in ("who", "which", "what", "whose") and be and (
            not nxt or nxt.endswith(("ed", "en")) or nxt in IRREGULAR or nxt in PREPS
            or (nxt not in DETS and not toks[j + 1][0][:1].isupper() and not any(w.endswith("ing") for w in t[j:])))
    elif j < len(t):
        out["subject_wh"], out["verb"] = True, j
    return out


def phrase(q: str, start: int, allow_of: bool = True) -> tuple[int, int] | None:
    """Character span of the noun phrase at token `start`: a run of capitalised words, or a determiner phrase."""
    toks = tokens(q)
    if start >= len(toks):
        return None
    w, end = toks[start][0].lower(), start
    if is_cap(toks[start]):
        while end + 1 < len(toks) and (is_cap(toks[end + 1]) or toks[end + 1][0].lower() in ("of", "and")
                                       and end + 2 < len(toks) and is_cap(toks[end + 2])):
            end += 1
    elif w in WH | AUX | PREPS | _ASKERS or verbish(w) or KINDS.get(w) in ("person", "plural", "thing"):
        return None
    else:
        while end + 1 < len(toks) and end - start < 4:
            nxt = toks[end + 1][0].lower()
            modifier = toks[end][0].lower() in DETS and nxt.endswith("ing")  # "the joining fee": no verb after "the"
            if nxt in AUX | WH | PARTICLES or verbish(nxt) and not modifier or \
                    (nxt in PREPS and not (allow_of and nxt == "of")):
                break
            end += 1
    return toks[start].start(), toks[end].end()


_NAMING_PREPS = frozenset("on in about against between".split())
_ASKERS = frozenset("i we you".split())  # who asks, not what is asked about


def main_entity(q: str) -> str:
    """The question's main entity: its subject, or the object of a question whose wh-phrase is the subject."""
    p, toks = parse(q), tokens(q)
    if p["aux"] is not None and not p["subject_wh"]:
        at = p["aux"] + 1
        if at < len(toks) and toks[at][0].lower() in _ASKERS:  # "Can I keep a cat?" is about a cat, not "I"
            at = next((k for k in range(at + 2, len(toks)) if phrase(q, k)), len(toks))
        elif at + 1 < len(toks) and toks[at][0].lower() == "there":  # "Is there a lift?" is about the lift
            return _existential(q, toks, at + 1)
        span = phrase(q, at)
        if span and toks[p["aux"]][0].lower() in ("do", "does", "did") and span[1] == toks[-1].end() \
                and span[0] < toks[-1].start():  # "What does the deal exemplify?": the last word is the verb
            span = (span[0], toks[-2].end())
        if span and p["aux"] == 0 and toks[0][0].lower() in ("is", "are", "was", "were") and \
                span[1] == toks[-1].end() and span[0] < toks[-2].start() and toks[-1].group().islower() and \
                toks[-2][0].lower() not in ("a", "an", "the"):  # not "Was the summit a success?"
            span = (span[0], toks[-2].end())  # "Is the deposit refundable?": the last word says what it is
    elif p["verb"] is not None:
        span = phrase(q, next((k for k in range(p["verb"] + 1, len(toks)) if toks[k][0].lower() not in PARTICLES),
                                len(toks)))
    else:
        span = next((phrase(q, i) for i, m in enumerate(toks) if i and is_cap(m)), None)
    if span:  # "the peace talks on Syria": a name after a preposition belongs to the phrase
        after = [i for i, m in enumerate(toks) if m.start() >= span[1]]
        if len(after) > 1 and toks[after[0]][0].lower() in _NAMING_PREPS and is_cap(toks[after[1]]) and \
                not is_cap(toks[after[0] - 1]):
            span = (span[0], phrase(q, after[1], allow_of=False)[1])
    return mid(q[span[0]:span[1]]) if span else ""


_PREDICATES = frozenset("available allowed permitted included provided nearby open free".split())


def _existential(q: str, toks: list, start: int) -> str:
    """What "Is there ...?" asks is there, made definite: "Is there a vegan option?" -> "the vegan option", "Is there
    parking at the venue?" -> "parking"; up to a preposition or a verb, at most four words."""
    end, stops = start, AUX | WH | PREPS | PARTICLES | _PREDICATES
    while end + 1 < len(toks) and end - start < 3 and toks[end + 1][0].lower() not in stops:
        end += 1
    return re.sub(r"^(?:a|an|any|some)\s+", "the ", mid(q[toks[start].start():toks[end].end()]), flags=re.I)


_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def spelled_out(question: str, texts: list[str]) -> str:
    """The question with each acronym the texts never use written as the capitalised words whose initials it is in
    them ("When is the AGM?" -> "When is the Annual General Meeting?": the reader and the relevance gate read words,
    and abstained); the question as it is where there is none."""
    for acronym in sorted(set(_ACRONYM.findall(question))):
        if any(re.search(rf"\b{acronym}\b", text) for text in texts):
            continue
        words = re.compile(r"\b" + r"\s+".join(rf"{letter}[a-z]+" for letter in acronym) + r"\b")
        found = next((m.group() for text in texts for m in [words.search(text)] if m), None)
        if found:
            question = re.sub(rf"\b{acronym}\b", " ".join(found.split()), question)
    return question


_FIRST_PERSON = {"my": "your", "mine": "yours", "myself": "yourself", "am i": "are you"}
_ASKER = re.compile(r"(?<![\w'’-])(?:my|mine|myself|am i)(?![\w'’-])", re.I)
_YOU = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
_I = re.compile(r"\b(?:I|me|my|mine|myself)\b|\bI['’]")


def addressed_as_you(question: str, texts: list[str]) -> str:
    """The asker's "my" (and "am I") read as the "your" ("are you") of texts that address their reader ("How many
    actions do I get on my turn?" against a game's "On your turn you take three actions", "Which room am I in?");
    the question as it is where the texts say "I" as often (a CV, an interview, a letter: "my" is the writer's).
    The asker's "I" stays: read as "you" it made the reader less sure of right answers ("Should I wear
    stilettos?") as often as of wrong ones (session 33)."""
    if not _ASKER.search(question):
        return question
    joined = " ".join(texts)
    if len(_YOU.findall(joined)) <= 2 * len(_I.findall(joined)):
        return question

    def said(match: re.Match) -> str:
        word = _FIRST_PERSON[" ".join(match.group().lower().split())]
        return word[:1].upper() + word[1:] if match.group()[:1].isupper() else word

    return _ASKER.sub(said, question)


# "..., according to the author?": the document's own say-so, which its text never states
_OWN_SOURCE = re.compile(r",?\s+(?:according to|in the (?:view|words) of) the (?:author|writer|article|text|document|"
                         r"report|piece|story)(?=\s*\?*\s*$)", re.I)


def without_own_source(question: str) -> str:
    """The question without a closing "according to the author" (or the article, the text): the reader, which never
    saw the document say so, read "Why is the face to face encounter significant, according to the author?" unsure."""
    return _OWN_SOURCE.sub("", question)


def last_phrase(previous: str) -> str:
    """The noun phrase a question ends with, as "the ..." ("its automatic updates" -> "the automatic updates"); ''."""
    toks = tokens(previous)
    k = len(toks)
    while k > 1 and not (w := toks[k - 1][0].lower()) in WH | AUX | PREPS | DETS and not verbish(w) \
            and w not in KINDS:
        k -= 1
    if k == len(toks) or k < 1 or toks[k - 1][0].lower() not in DETS:
        return ""
    return "the " + previous[toks[k].start():toks[-1].end()]
