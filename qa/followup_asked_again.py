"""The previous question asked again with a follow-up's wh-phrase ("Why?") or thing ("And X?") in its place."""

from __future__ import annotations

import re

from qa import question_shape as shape
from qa.lexicon import AUX, DETS, IRREGULAR, PREPS, WH, amount_phrase, base_form, verbish

_CLAUSE_OPENERS = frozenset("while whilst once".split())


def swap_wh_phrase(previous: str, phrase: str, x: list[str]) -> str:
    """"And how much salt?" after "How much butter goes in?" -> "How much salt goes in?": a wh-phrase of the same
    kind takes the place of the previous one; '' if the kinds differ or the phrase is a question of its own."""
    toks = shape.tokens(previous)
    said = [m[0].lower() for m in toks]
    kind = 2 if x[0] == "how" else 1  # "how much", "how many"; "which", "what"
    if len(x) <= kind or any(w in AUX or verbish(w) for w in x) or said[:kind] != x[:kind]:
        return ""
    end = kind
    while end < len(said) and not (said[end] in AUX | PREPS or verbish(said[end]) or
                                   said[end].endswith("s") and verbish(re.sub(r"e?s$", "", said[end]))):
        end += 1  # "How much butter| goes in?"
    return shape.tidy(phrase + previous[toks[end - 1].end():]) if kind < end < len(said) else ""


def ask_again(wh: str, previous: str, answer: str) -> str:
    """A bare wh-phrase ('Why?', 'In which period?') asked of the previous question; '' if it cannot be."""
    p, toks, body, wh = shape.parse(previous), shape.tokens(previous), previous.rstrip(" ?"), wh.lower()
    if not toks or p["aux"] is None and p["verb"] is None:
        return ""
    if p["wh"] is None:  # yes/no question: "Why is Turkey moving away from NATO?"
        return shape.tidy(f"{wh} {body[:1].lower()}{body[1:]}")
    aux = toks[p["aux"]] if p["aux"] is not None else None
    if aux and not p["subject_wh"]:  # "When were the meetings held?", "Why did Erdogan travel to Moscow?"
        rest = body[aux.end():]
        rt = shape.tokens(rest) if answer and p["wh"] not in ("when", "where", "why", "how") else []
        gaps = [a for a, b in zip(rt, rt[1:] + [None]) if a[0].lower() in PREPS and (not b or b[0].lower() in PREPS)]
        if gaps:  # the answer where the wh-phrase came from: "... travel to Moscow", "... as X in the region"
            rest = f"{rest[:gaps[0].end()]} {shape.mid(answer)}{rest[gaps[0].end():]}"
        elif rt and toks[0][0].lower() in PREPS:  # "With which countries does Putin keep ties?": "... ties with X"
            rest = f"{rest} {toks[0][0].lower()} {shape.mid(answer)}"
        elif aux[0].lower() in ("do", "does", "did") and (said := _object_said(previous, p, answer)):
            at = _after_verbs(previous, p) - aux.end()  # "Why did Erdogan visit Russia?", not "... visit?"
            rest = f"{rest[:at]} {said}{rest[at:]}"
        return shape.tidy(f"{wh} {aux.group()}{rest}")
    if not answer:  # the wh-phrase was the subject: the answer takes its place
        return ""
    if aux:  # "Who was assassinated ...?" -> "Why was the Russian ambassador assassinated ...?"
        subject, wh_words = shape.mid(answer), previous[toks[0].start():aux.start()]
        if re.search(r"['’]s ", wh_words):  # "Which leader's fate is ..." -> "President Assad's fate is ..."
            subject += "'s " + re.split(r"['’]s ", wh_words, maxsplit=1)[1].strip()
        return shape.tidy(f"{wh} {aux.group()} {subject}{body[aux.end():]}")
    verb, v = toks[p["verb"]], toks[p["verb"]][0].lower()  # "Who shot down ...?" -> "Why did Turkey shoot down ...?"
    do = "did" if v in IRREGULAR or v.endswith("ed") else "does" if v.endswith("s") else "do"
    return shape.tidy(f"{wh} {do} {shape.mid(answer)} {base_form(v)}{body[verb.end():]}")


def _object_said(previous: str, p: dict, answer: str) -> str:
    """What a wh-phrase that was the verb's object said: the answer ("Russia" for "Which country"), with the
    phrase's noun after an amount ("two months notice" for "How much notice"); '' when there is none."""
    toks = shape.tokens(previous)
    if p["wh"] not in ("what", "which", "how") or not answer or len(answer.split()) > 8:
        return ""
    words = [m[0] for m in toks[1:p["wh_end"]]]
    if p["wh"] == "how":
        if not words or words[0].lower() not in ("much", "many") or len(words) < 2:
            return ""
        return amount_phrase(shape.mid(answer), words[1:])
    return shape.mid(answer)


def _after_verbs(previous: str, p: dict) -> int:
    """Where the object goes in a do-question: after its subject and its verbs ("... need to give| before ...")."""
    toks = shape.tokens(previous)
    subject = shape.phrase(previous, p["aux"] + 1)
    k = next((i for i, m in enumerate(toks) if subject and m.start() >= subject[1]), p["aux"] + 2)
    if subject is None:  # a pronoun subject ("I", "he") is no phrase: the verb follows it
        k = p["aux"] + 2
    k += 1  # the verb
    while k + 1 < len(toks) and toks[k][0].lower() == "to" and toks[k + 1][0].lower() not in DETS | PREPS:
        k += 2  # "want to buy", "need to give"
    return toks[k - 1].end() if k - 1 < len(toks) else len(previous)


def substitute(previous: str, replacement: str) -> str:
    """'And X?' as the previous question about X: X takes the place of its named entity, else of its last object."""
    toks, x = shape.tokens(previous), replacement.strip(" ?")
    if x.split()[0].lower() in _CLAUSE_OPENERS:  # "And what about while breastfeeding?" after "... when pregnant?"
        at = next((m for m in reversed(toks[2:]) if m[0].lower() in _CLAUSE_OPENERS | {"when"}), None)
        return shape.tidy(f"{previous[:at.start()] if at else previous.rstrip(' ?')} {x}")
    said, head = [m[0].lower() for m in toks], (shape.WORD.findall(x) or [""])[-1].lower()
    if len(head) > 2 and said.count(head) == 1 and head not in WH | AUX | PREPS | DETS:  # "And for a half plot?"
        a = j = said.index(head)  # after "... rent for a full allotment plot be in 2026?": the phrase ending in
        while a > 1 and said[a - 1] not in WH | AUX | PREPS and not verbish(said[a - 1]):  # "plot" gives way
            a -= 1
        if a < j and said[a] in DETS:
            words = x.split()
            phrase = " ".join(words[1:]) if words[0].lower() in PREPS else x
            return shape.tidy(previous[:toks[a].start()] + phrase + previous[toks[j].end():])
    last_prep = max((i for i, m in enumerate(toks) if m[0].lower() in PREPS and i > 1), default=None)
    if last_prep is not None and x.split() and x.split()[0].lower() in PREPS:  # "And for a single shot?": the
        return shape.tidy(previous[:toks[last_prep].start()] + x)  # phrase replaces the last one, preposition and all
    caps = [i for i, m in enumerate(toks) if i and shape.is_cap(m)]
    if caps and any(w[:1].isupper() for w in re.findall(r"[\w'-]+", x)):
        a, b = shape.phrase(previous, caps[0], allow_of=False)
        if previous[a:b].endswith(("'s", "’s")) and not x.endswith("'s"):
            x += "'s"
        a -= 4 if previous[max(a - 4, 0):a].lower() == "the " and x.lower().startswith("the ") else 0
        return shape.tidy(previous[:a] + x + previous[b:])
    # "And for adults?" / "And the army?" after "... about the economy?": the last preposition's object gives way;
    # not a bare one to a determined phrase ("And the cat?" after "What does Biscuit eat for breakfast?": Biscuit)
    if last_prep is not None and last_prep < len(toks) - 1 and not (
            x.split()[0].lower() in DETS and said[last_prep + 1] not in DETS and shape.main_entity(previous)):
        return shape.tidy(previous[:toks[last_prep].end()] + " " + x)
    subject = shape.main_entity(previous)
    if subject.split()[:1] and subject.split()[0].lower() in DETS and x.split()[0].lower() not in DETS | PREPS and \
            (bare := _bare_object(toks)):  # "And nuts?" after "Does the almond tart have dairy?": the dairy's place
        return shape.tidy(previous[:bare] + x + previous[toks[-1].end():])
    i = previous.lower().find(subject.lower()) if subject else -1
    if x.split() and x.split()[0].lower() in PREPS:  # "And for a child?" after "How much is an adult swim?"
        x = x.split(None, 1)[1] if len(x.split()) > 1 else ""
    return shape.tidy(previous[:i] + x + previous[i + len(subject):]) if i >= 0 and x else ""


def _bare_object(toks: list) -> int | None:
    """Where the previous question's closing object begins, where it is one to three words with no determiner right
    after its verb ("have| dairy", "contain| tree nuts"; not after "my work"); None otherwise."""
    said = [m[0].lower() for m in toks]
    for v in range(len(said) - 2, 1, -1):
        after = said[v + 1:]
        if verbish(said[v]) and said[v - 1] not in DETS and 1 <= len(after) <= 3 and \
                not any(w in DETS | PREPS | AUX | WH or verbish(w) for w in after):
            return toks[v + 1].start()
    return None
