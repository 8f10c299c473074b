"""Follow-up questions rewritten as standalone questions from the conversation, by rules (pure functions)."""

from __future__ import annotations

import re

from qa import question_shape as shape
from qa.lexicon import (AUX, CALENDAR, CONNECTORS, DETS, IRREGULAR, NUMBER_WORDS, PARTICLES, PREPS, VERBS, WH,
                        base_form, looks_plural, verbish)
from qa.citations import strip_markers
from qa.followup_asked_again import ask_again, substitute, swap_wh_phrase
from qa.retrieval import ONE_FOR_A_THING, SHOWN_QUOTE, has_own_subject, is_follow_up
from qa.text import content_words

_SAME = {"how come": "why", "how so": "how", "what for": "why", "why not": "why", "why is that": "why",
         **{asked: "according to whom" for asked in (  # "Who says so?": whose claim the previous answer was
             "who says so", "who said so", "who says that", "who said that", "says who", "according to whom",
             "who claims so", "who claims that", "who thinks so", "who thinks that")}}
_ABSTAIN = re.compile(r"\b(does not|doesn't|do not|not found|no answer|not (mentioned|given|stated))\b", re.I)
_LEAD = re.compile(r"^\s*(and|but|so|also|then|ok|okay)\b[\s,]*", re.I)
_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)\s*\??\s*$|^\s*and\s+(.+?)\s*\??\s*$", re.I)
_FRAGMENT = re.compile(r"^(?:(?:in|at|on|by|for|from|with|to|since|until)\s+)?(?:why|how|when|where|who|whom|what|"
                       r"which|whose)(?:\s+[\w'-]+){0,2}$", re.I)
_CONDITIONS = frozenset("if unless when once provided".split())
_CHANGED_CONDITION = re.compile(r"^\s*(?:and\s+)?what\s+if\s+(.+?)\s*\??\s*$", re.I)
# "How do I cancel?" and "Who will I report to?" ask in full however short they are (read with the previous
# question they got that one's answer); "What should I do?" and "Where do I go?" do not
_ASKING_ONLY = frozenset("long much many far often soon take cost last happen".split())
_THAT = re.compile(r"\b(?:that|this)\b", re.I)
_SELF_CONTAINED = re.compile(r"^\s*(?:how|where|when|who|whom)\s+(?:do|does|can|could|should|must|may|will|shall)\s+"
                             r"(?:i|we|you)\s+(?!do\b|go\b|get\b|start\b|begin\b)[a-z]+(?:\s+(?:to|with|for))?"
                             r"\s*\??\s*$", re.I)
_CONTRACTED = re.compile(r"\b(what|where|who|how|when|why|that|it|there|here)['’]s\b", re.I)
_WHICH_ONE = re.compile(r"^\s*which\s+(ones?)\b", re.I)
_INSTEAD = re.compile(r"\binstead\s*\??\s*$", re.I)
_ADVERBS = frozenset("now today currently still again there here too also instead anymore".split())
_EXPLETIVE = re.compile(r"\bit\s+(is|was|'s)\s+(true|possible|likely|clear|known|said|reported|important|necessary)\b"
                        r"|\b(is|was)\s+it\s+(true|possible|likely|clear)\b", re.I)
# "How much does it cost to do a wash?": the "it" of a cost or a time is what the infinitive after it says, where that
# names a thing of its own ("How much does it cost to hire?" asks of the thing before)
_WHAT_IT_TAKES = re.compile(r"\bit\s+(?:costs?|takes?)\b(?:\s+[\w'’]+){0,3}?\s+to\s+[\w'’]+\s+(.+)$", re.I)


def clean_answer(answer: str) -> str:
    """An earlier answer as a noun phrase: no leading yes/no or preposition, no trailing full stop; '' if none."""
    text = " ".join((answer or "").split()).strip(" .;:!\"'")
    return "" if _ABSTAIN.search(text) else re.sub(r"^((yes|no)\b[,.]?\s*)?((at|in|on)\s+)?", "", text, flags=re.I)


def is_name(text: str) -> bool:
    """Whether a short text is a name: every word capitalised or a connector ('Iran, Israel and Turkey')."""
    ws = re.findall(r"[\w'’-]+", text)
    return 0 < len(ws) <= 6 and any(w[:1].isupper() for w in ws) and all(
        w[:1].isupper() or w.lower() in CONNECTORS for w in ws)


_WHEN_OR_HOW_MANY = re.compile(r"\d|\b(?:morning|afternoon|evening|night|noon|midday|midnight|o'clock|"
                               r"(?:" + "|".join(sorted(NUMBER_WORDS | CALENDAR)) + r"))\b", re.I)


_AMOUNT = re.compile(r"[£$€]?\d[\d,.]*(?:p|%|\s*(?:pence|pounds?|dollars?|euros?|a month|a year|per \w+))?", re.I)


def _referent(kind: str, previous: str, answer: str) -> str:
    """What a pronoun of this kind points back to: the previous answer, or the previous question's entity."""
    p = shape.parse(previous)
    usable = answer and len(answer.split()) <= 8 and not set(shape.WORD.findall(answer.lower())) & set(shape.KINDS)
    wh, short, entity = p["wh"], answer if usable else "", shape.main_entity(previous)
    if kind == "person":  # the answer to "Who ...?", else the person the previous question is about
        owner = re.split(r"['’]s\b", entity)[0]
        if short and (wh in ("who", "whom", "whose") or p["subject_wh"] and is_name(short)):
            return short
        if owner[:1].isupper():
            return owner
        return short if wh in ("which", "what") and is_name(short) else ""
    if kind == "plural":
        if short and wh in ("who", "which", "what") and (" and " in short or
                                                         looks_plural(short.split()[-1].lower())):
            return short
        if entity and looks_plural(entity.split()[-1].lower()):
            return entity
        toks = shape.tokens(previous)  # the last plural noun after a preposition or determiner: "to reporters"
        for i in range(len(toks) - 1, 0, -1):
            if looks_plural(toks[i][0].lower()) and toks[i].group().islower() and \
                    toks[i - 1][0].lower() in PREPS | DETS:
                start = toks[i - 1] if toks[i - 1][0].lower() in DETS else toks[i]
                return previous[start.start():toks[i].end()]
        return short if wh in ("which", "what") else entity
    if kind == "thing" and short and wh in ("who", "whom") and (event := _event(previous, p)):
        return f"the {event} of {shape.mid(short)}"  # "it" after "Who was assassinated ...?": the assassination

    def singular(ref: str) -> str:  # "it" after "What majority do decisions need?" is not the decisions
        return ref if ref and (is_name(ref) or not looks_plural(ref.split()[-1].lower())) else ""

    if singular(short) and (wh == "which" or wh == "what" and is_name(short)):
        return short
    return singular(entity) or (singular(short) if wh == "what" and not entity else "")


def _event(previous: str, p: dict) -> str:
    """The event a passive "Who was <verb>ed ...?" asks about, as a noun ("assassination", "shooting"); ''."""
    toks = shape.tokens(previous)
    if not p["subject_wh"] or p["aux"] is None or p["aux"] + 1 >= len(toks) or \
            toks[p["aux"]][0].lower() not in ("was", "were", "is", "are"):
        return ""
    done = toks[p["aux"] + 1][0].lower()
    if done.endswith("ated") and len(done) > 6:
        return done[:-2] + "ion"
    if not (done.endswith("ed") or done in IRREGULAR):
        return ""
    base = base_form(done)
    return (base[:-1] if base.endswith("e") and not base.endswith("ee") else base) + "ing"


def _instead_of(question: str, previous: str) -> str:
    """"What should I use instead?" after "Can I still use -r for regex searches?": "... instead of -r for regex
    searches?", what followed the same verb in the previous question; '' if it has no such verb."""
    toks = shape.tokens(question)
    verb = base_form(toks[-2][0].lower()) if len(toks) > 1 else ""
    said = [m for m in shape.tokens(previous) if base_form(m[0].lower()) == verb]
    rest = previous[said[-1].end():].strip(" ?") if said and verb not in AUX else ""
    return shape.tidy(f"{question.rstrip(' ?')} of {rest}") if rest else ""


def _thing_asked(previous: str) -> str:
    """The noun phrase the previous question ends with, without its determiner and adverbs ("configuration file")."""
    words = shape.last_phrase(previous).split()[1:]
    while words and words[-1].lower() in _ADVERBS:
        words.pop()
    return " ".join(words)


def resolve_pronoun(question: str, previous: str, answer: str) -> str:
    """The question with its first pronoun that points outside it replaced by its referent; '' if there is none."""
    toks, wh_end = shape.tokens(question), shape.parse(question)["wh_end"]
    infinitive = _WHAT_IT_TAKES.search(question)
    expletive = _EXPLETIVE.search(question) or infinitive and content_words(infinitive[1])
    for i, m in enumerate(toks if not expletive else []):
        w, kind = m[0].lower(), shape.KINDS.get(m[0].lower())
        if kind is None:
            continue
        nxt = toks[i + 1][0].lower() if i + 1 < len(toks) else ""
        noun = bool(nxt) and nxt not in AUX | PREPS and not verbish(nxt)
        if kind == "demo":
            if i and toks[i - 1][0].lower() not in WH | AUX | PREPS:
                if verbish(toks[i - 1][0].lower()) or toks[i - 1][0].lower() in VERBS or nxt and nxt not in PARTICLES:
                    continue  # "say that ...", "the deal that ...": not pointing back
                if last := shape.last_phrase(previous):  # "Can I switch that off?": what the previous question asked of
                    return shape.tidy(question[:m.start()] + last + question[m.end():])
                continue
            entity = shape.main_entity(previous)
            ref = entity if is_name(entity) else answer if is_name(answer) else ""
            if noun and ref:  # "that trip" -> "President Erdogan's trip"
                return shape.tidy(question[:m.start()] + f"{ref}'s" + question[m.end():])
            if noun or not answer or set(shape.WORD.findall(answer.lower())) & set(shape.KINDS) or \
                    _AMOUNT.fullmatch(answer) and i and toks[i - 1][0].lower() in AUX:
                continue  # "Does that go up?" after "How much is it per month?" asks of the price, not of "£27.50"
            return shape.tidy(question[:m.start()] + shape.mid(answer) + question[m.end():])
        before = toks[1:i]  # an antecedent in the question itself: a name, a plural, "the X" after the wh-phrase
        caps = any(shape.is_cap(t) for t in before)
        plural = any(looks_plural(t[0].lower()) and t.group().islower() or t[0].lower() == "and" for t in before)
        the = any(t[0].lower() in ("the", "a", "an") and k >= wh_end for k, t in enumerate(toks[:i]))
        if {"person": caps, "plural": plural}.get(kind, caps or the):
            continue
        ref = _referent(kind, previous, answer)
        if not ref or set(shape.WORD.findall(ref.lower())) & set(shape.KINDS):  # "his office" would need resolving too
            continue
        if not content_words(ref) or ref.split()[0].lower() in WH:  # "How" or "up my" of a question that opens with
            continue  # its context ("Our fridge has packed up. How long should it take to get fixed?") is no referent
        if content_words(ref.split()[-1]) & content_words(question[m.end():]):
            continue  # "How far is it from the station?" after "What is the nearest station?": "it" is not the station
        if (w in ("his", "its", "their") or w == "her" and noun) and i + 1 < len(toks):
            if _WHEN_OR_HOW_MANY.search(ref) and not is_name(ref):  # a time or a number owns nothing (the S-400
                continue  # does): "What is their best seller?" after "What time does she start work?"
            if is_name(ref) and len(ref.split()) <= 4:
                owner = ref + ("'" if ref.endswith("s") else "'s")
                return shape.tidy(question[:m.start()] + owner + question[m.end():])
            owned = toks[i + 1]  # "his name" -> "the name of the Russian ambassador in Ankara"
            owned_by = f"the {owned.group()} of {shape.mid(ref)}"
            return shape.tidy(question[:m.start()] + owned_by + question[owned.end():])
        return shape.tidy(question[:m.start()] + shape.mid(ref) + question[m.end():])
    return ""


def _about(question: str) -> tuple[str, list[str]]:
    """The X of "And X?" or "What about X?", as said and as lower-cased words; ("", []) for another question."""
    about = _ABOUT.match(" ".join(question.split()))
    said = (about.group(1) or about.group(2)) if about else ""
    return said, [w.lower() for w in shape.WORD.findall(said)]


def _names_a_thing(x: list[str]) -> bool:
    """Whether "And X?" names a thing in place of the previous question's: not "And if I'm 24?" (read as "If I'm
    24?", searched with the previous question), "And why?" or "And him?"."""
    return bool(x) and x[0] not in WH | AUX | _CONDITIONS and len(x) <= 6 and not set(x) & set(shape.KINDS)


def _resolve(question: str, previous: str, answer: str) -> str:
    """One follow-up rewritten against the previous (standalone) question and its answer; '' if no rule fits."""
    q = " ".join(question.split())
    plain = q.rstrip(" ?!.").strip()
    said, x = _about(q)
    if _names_a_thing(x):
        return substitute(previous, said)
    if x and x[0] in _CONDITIONS - {"when"} and (on := _on_condition(previous, said)):  # "And if I miss a treatment
        return on  # appointment?" after "How much do you charge if I miss a check-up?": in the previous one's place
    if x and x[0] in WH and (swapped := swap_wh_phrase(previous, said, x)):
        return swapped
    same = _SAME.get(plain.lower())
    rest = [w.lower() for w in shape.WORD.findall(plain)[1:]]
    if same or _FRAGMENT.match(plain) and not any(w in AUX or base_form(w) in VERBS or verbish(w) or w == "about"
                                                  for w in rest):  # "Who founded it?" is no bare wh-phrase
        return ask_again(same or plain, previous, answer)
    rest = _LEAD.sub("", q, count=1)
    if rest and rest != q:
        return _resolve(rest[:1].upper() + rest[1:], previous, answer) or shape.tidy(rest)
    if _INSTEAD.search(q) and (instead := _instead_of(q, previous)):
        return instead
    which = _WHICH_ONE.match(q)  # "Which one this week?" after "When do the bins go out?": which bin
    if which and (entity := shape.main_entity(previous)) and not is_name(entity):
        head = entity.split()[-1]
        noun = head[:-1] if which[1].lower() == "one" and looks_plural(head.lower()) else head
        return shape.tidy(f"Which {noun}{q[which.end():]}")
    if (one := ONE_FOR_A_THING.search(q)) and (thing := _thing_asked(previous)):  # "my old configuration file"
        return shape.tidy(q[:one.start()] + one.group(1) + thing + q[one.end():])
    out = resolve_pronoun(q, previous, answer)
    for _ in range(2):  # the next pronoun that points outside the question ("What did he tell them?")
        out = (resolve_pronoun(out, previous, answer) or out) if out else out
    return out


def _on_condition(previous: str, condition: str) -> str:
    """The previous question asked on another condition, its own "if ..." clause replaced; "" where it has none (then
    "And if I'm 24?" is read "If I'm 24?", searched with the previous question: added to a question that set no
    condition, "Holiday allowance for new starters if they only work 3 days a week?" read less surely)."""
    toks = shape.tokens(previous)
    at = next((m for m in reversed(toks[2:]) if m[0].lower() in _CONDITIONS - {"when"}), None)
    return shape.tidy(f"{previous[:at.start()]} {condition.strip(' ?')}") if at else ""


def standalone_question(question: str, history: list[tuple[str, str]]) -> str:
    """The question as it reads on its own, built from the conversation's earlier (question, answer) pairs."""
    earlier = [(q, a) for q, a in history or [] if q and q.strip()]
    if not earlier or not question.strip() or not is_follow_up(question):
        return question
    question = _CONTRACTED.sub(r"\1 is", question)  # "What's the excess?" reads as "What is the excess?"
    previous = _CONTRACTED.sub(r"\1 is", standalone_question(earlier[-1][0], earlier[:-1]))
    # if no rule fits, a question this short is read with the previous one
    # (a number counts: "What happens on a 5 or 6?" after "What happens when I draw a Gale card?" asks in full)
    # and, beside a "that" pointing back, the words of "how long" and "how much" are no content of its own ("How long
    # will that take?" after "Can I get a copy of my data?": session 34)
    own = content_words(question) - (_ASKING_ONLY if _THAT.search(question) else set()) | \
        set(re.findall(r"\d+", question))
    bare = len(own) < 2 and not has_own_subject(question) and not _SELF_CONTAINED.match(question)
    return _resolve(question, previous, clean_answer(earlier[-1][1])) or (
        f"{previous.strip()} {question.strip()}" if bare else question)


def earlier_place(question: str, history: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The previous answer's span and quoted sentence, which "And X?" or "What about X?" cannot be answered with
    where that sentence does not name X ("And the cat?" after "What time does Biscuit have breakfast?" is not
    "7:30am" from "Breakfast at 7:30am: ..."), or names the thing X replaces apart from X ("What about Turkey?"
    after "Why does Israel seek better ties with Russia?" is not "to offset Iran's influence" from "The Russia Turkey
    meetings come ... when Israel itself seeks to improve ties with Russia ..., to offset Iran's influence ...";
    "And Tuesday?" is "7am" again from "Monday and Tuesday: 7am"); None for any other question, or a previous
    answer with no span."""
    said, x = _about(question)
    # "What if it's because of an injury?" after "How much does it cost to freeze my membership?" is not "£5 a month"
    # again, from a sentence that says nothing of an injury
    changed = _CHANGED_CONDITION.match(" ".join(question.split()))
    if changed:
        said, x = changed[1], [w.lower() for w in shape.WORD.findall(changed[1])]
    if not history or not (changed or _names_a_thing(x)):
        return None
    direct, _, rest = history[-1][1].partition("\n\n")
    quoted, span = SHOWN_QUOTE.search(rest), strip_markers(direct)
    if quoted is None or not span or span.startswith("“"):
        return None
    # a condition the sentence names may give its answer ("..., or every month if you live in a hard-water area")
    if content_words(said) <= content_words(quoted[1]) and \
            (changed or not _said_apart(said, history[-1][0], quoted[1])):
        return None
    return span, quoted[1]


def _said_apart(said: str, previous: str, sentence: str) -> bool:
    """Whether the sentence names the thing of the previous question that X (`said`) takes the place of, and not in
    a list beside X ("Monday and Tuesday", "adults, children and seniors")."""
    replaced = content_words(previous) - content_words(substitute(previous, said))
    at_x = [m.start() for w in content_words(said) for m in re.finditer(rf"\b{re.escape(w)}", sentence, re.I)]
    at_y = [m for w in replaced for m in re.finditer(rf"\b{re.escape(w)}[\w'’-]*", sentence, re.I)]
    if not at_x or not at_y:
        return False
    for y in at_y:
        for x in at_x:
            between = sentence[y.end():x] if y.end() <= x else sentence[x:y.start()]
            between = re.sub(r"^[\w'’-]*", "", between) if x < y.start() else between  # past X's own word
            items = [w for w in re.findall(r"[\w'’-]+", between) if w.lower() not in ("and", "or", "nor")]
            if len(items) <= 2 and re.fullmatch(r"[^\d.;:]*(?:,|/|&|\band\b|\bor\b|\bnor\b)[^\d.;:]*", between):
                return False  # in one list
    return True

