"""Word lists and decoding masks for the model's one-sentence answer (issue 25): which tokens each step may take.

Used through `TransformersGenerator.greedy_tokens(..., allowed=)` by qa.constrained. "words" lets a token only
continue or end an allowed word (a prefix set over the words, i.e. a trie, exact over the tokens the TokenTable
keeps); "tokens" only allows the tokens of the allowed words' tokenisations. Both also: finish a begun span
verbatim, end no sentence before the span is in it, end the sentence right after a span that closes it, and allow
the end tokens only after a finished sentence. llama.cpp and OpenAI-compatible servers get no mask.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable

from qa.text import ENDS_ON_INITIALISM, STOPWORDS


# Words any answer may use: qa.text's stopwords plus modals, a few prepositions and negated auxiliaries.
FUNCTION_WORDS = STOPWORDS | frozenset("""
also may might must shall cannot can't won't don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't
upon among within without across along around behind beside beyond towards toward via since though although yet
us whose either neither every
""".split())
# Words that shade a claim (negation, degree, quantity): used only where the question or the span uses them.
SHADING = frozenset("""
no not nor never only most more very too all any few each both same own other such again further once neither
either every cannot can't won't don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't
""".split())
VERBS = frozenset("""
am is are was were be been being has have had do does did can could will would shall should may might must
said told made took gave went came saw knew thought found left felt kept held brought began became ran won lost led
met paid sent built bought caught fought taught sold stood understood wrote spoke broke chose drove rose fell grew
threw drew flew hid rode shook got put set cut let hit hurt cost quit shut spread read sought meant dealt
""".split())  # auxiliaries and common irregular past forms: what says a sentence has a verb without a tagger
# The function words the decoder may write besides the question's own: a small set, since every extra one is a
# way for a small model to wander ("is a in the of the"); the check accepts all of FUNCTION_WORDS.
DECODER_WORDS = frozenset("""
a an the is are was were be been has have had do does did can could will would may might should must of in on at
to for from by with as and or but that this these those it its their his her they he she them which who whom when
where there than into about after before during between over under through also
""".split())
FRAGMENTS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})  # words only after an apostrophe: Putin|'s, don|'t
PUNCTUATION = frozenset(" .,;:!?'\"’“”‘()-–—%$/&")  # may stand between words; no brackets, no line breaks
WORD = re.compile(r"[^\W_]+")  # a word as the decoder sees it: letters and digits
FINISHED = re.compile(r"[.!?][\"'”’)]*\s*$")


def answer_text(span: str) -> str:
    """The span as it must appear in the sentence: whitespace collapsed, outer quotes and end punctuation off (an
    initialism keeps its last full stop: "3 p.m.", "the U.S.")."""
    text = " ".join(span.split()).strip(" ,;:\"'“”‘’")
    return text if ENDS_ON_INITIALISM.search(text) else text.strip(" .,;:\"'“”‘’")


def answer_forms(span: str) -> list[str]:
    """The forms of the span a sentence may hold verbatim: as found, and without a leading a/an/the."""
    answer = answer_text(span)
    short = re.sub(r"^(?:a|an|the)\s+(?=\S)", "", answer, flags=re.I)
    return [answer] if short == answer else [answer, short]


def _plain(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def holds_span(text: str, span: str) -> bool:
    """Whether the text holds one of the span's forms verbatim (a form opening the text may be capitalised)."""
    text = _plain(text)
    return any(f in text or text.startswith(f[:1].upper() + f[1:]) for f in map(_plain, answer_forms(span)))


@dataclass
class TokenTable:
    """A tokenizer's tokens grouped by shape, computed once per tokenizer: `plain` a word piece ("kov"), `spaced`
    punctuation then a piece (" Pes"), `ended` a piece then punctuation, `punct` punctuation only, `other`
    (id, leading piece, inner words, trailing piece or None) for the rest; `exact` maps each text to its ids and
    `stops` holds the ids of tokens with a full stop, ! or ?."""

    size: int
    plain: dict = field(default_factory=dict)
    spaced: dict = field(default_factory=dict)
    ended: dict = field(default_factory=dict)
    punct: list = field(default_factory=list)
    other: list = field(default_factory=list)
    exact: dict = field(default_factory=dict)
    stops: list = field(default_factory=list)


_TABLES: dict[int, tuple[object, TokenTable]] = {}


def token_table(tokenizer) -> TokenTable:
    """The tokenizer's TokenTable (cached; tokens with other characters or partial UTF-8 are left out)."""
    cached = _TABLES.get(id(tokenizer))
    if cached is not None and cached[0] is tokenizer:
        return cached[1]
    size = len(tokenizer)
    special = set(getattr(tokenizer, "all_special_ids", ()) or ())
    texts = tokenizer.batch_decode([[i] for i in range(size)]) if hasattr(tokenizer, "batch_decode") else \
        [tokenizer.decode([i]) for i in range(size)]
    table = TokenTable(size)
    for i, text in enumerate(texts):
        if i in special or not text or any(not c.isalnum() and c not in PUNCTUATION for c in text):
            continue
        table.exact.setdefault(text, []).append(i)
        if any(c in ".!?" for c in text):
            table.stops.append(i)
        runs = [(m.start(), m.end()) for m in WORD.finditer(text)]
        key = [text[s:e] for s, e in runs]
        lead = key[0] if runs and runs[0][0] == 0 else ""
        final = key[-1] if runs and runs[-1][1] == len(text) else None
        if not runs:
            table.punct.append(i)
        elif len(runs) == 1 and lead and final:
            table.plain.setdefault(lead, []).append(i)
        elif len(runs) == 1 and final:
            table.spaced.setdefault(final, []).append(i)
        elif len(runs) == 1:
            table.ended.setdefault(lead, []).append(i)
        else:
            inner = tuple(key[1 if lead else 0:len(key) - (1 if final else 0)])
            table.other.append((i, lead, inner, final))
    _TABLES[id(tokenizer)] = (tokenizer, table)
    return table


def _mask(ids, size: int):
    import torch

    mask = torch.zeros(size, dtype=torch.bool)
    if ids:
        mask[torch.tensor(sorted(set(ids)), dtype=torch.long)] = True
    return mask


def _span_rest(text: str, span: str) -> str | None:
    """What is left of a span form the text has begun at a word start (its first key word written), or None."""
    for form in answer_forms(span):
        key = next((m.end() for m in WORD.finditer(form) if m.group().lower() not in FUNCTION_WORDS), len(form))
        for k in range(len(form) - 1, key - 1, -1):
            head = text[len(text) - k:]
            if len(text) >= k and (len(text) == k or not text[-k - 1].isalnum()) and \
                    head[1:] == form[1:k] and head[:1].lower() == form[:1].lower():
                return form[k:]
    return None


def _closes(text: str, span: str) -> bool | None:
    """Whether the text ends with a span form that closes a sentence (after a word that is not a function word:
    True) or opens it (False); None when it does not end with the span."""
    for form in answer_forms(span):
        head = text[:len(text) - len(form)]
        if len(text) >= len(form) and text[len(head):].lower() == form.lower() and not head[-1:].isalnum():
            return any(w.lower() not in FUNCTION_WORDS for w in WORD.findall(head))
    return None


def with_span(tokenizer, base: Callable[[str], object], stop_ids, span: str) -> Callable[[list[int]], object]:
    """The step function for greedy_tokens: base(text so far), except that a begun span is finished verbatim,
    nothing ends the sentence before the span is in it, a span closing a sentence is followed by its full stop,
    and the end tokens only follow a finished sentence."""
    table = token_table(tokenizer)
    stops, enders = _mask(list(stop_ids), table.size), _mask(table.stops, table.size)
    full_stop = _mask(table.exact.get(".", []), table.size)
    clitics = _mask([i for q in ("'s", "’s") for i in table.exact.get(q, [])], table.size)

    def allowed(generated: list[int]):
        text = tokenizer.decode(generated, skip_special_tokens=True)
        rest = _span_rest(text, span)
        if rest:
            return _mask([i for n in range(1, len(rest) + 1) for i in table.exact.get(rest[:n], [])], table.size)
        closing = _closes(text, span) if span else None
        if closing:  # the span closes the sentence, but "Saddam Hussein's occupation ..." may go on
            return full_stop | clitics
        mask = base(text) & ~stops
        if closing is False:  # the span opened the sentence: it must go on to say what the span is
            return mask & ~enders
        if span and not holds_span(text, span):
            return mask & ~enders
        return mask | stops if FINISHED.search(text) else mask
    return allowed


def word_constraint(tokenizer, vocabulary: frozenset[str], stop_ids, span: str = "",
                    repeatable: frozenset[str] | set[str] = frozenset(),
                    hyphenated: frozenset[str] | set[str] = frozenset()) -> Callable[[list[int]], object]:
    """A step function for greedy_tokens that lets each token only continue or end an allowed word (exact over
    the tokens the TokenTable keeps), glues no word to a comma or full stop (but "2.5", "U.S."), puts a hyphen
    only after a word that has one in the texts (`hyphenated`, lower-case) and starts no whole-word token of a
    word already written unless it is `repeatable` (lower-case); masks are built once per partial word."""
    table = token_table(tokenizer)
    prefixes = sorted({w[:n] for w in vocabulary for n in range(1, len(w) + 1)})
    known = set(prefixes)

    def rest_ok(inner, final) -> bool:
        return all(w in vocabulary for w in inner) and (final is None or final in known)

    clitics = [i for f in FRAGMENTS for i in table.spaced.get(f, ()) if tokenizer.decode([i])[:-len(f)] in ("'", "’")]
    free = table.punct + clitics + [i for q in prefixes for i in table.spaced.get(q, ())] + \
        [i for i, lead, inner, final in table.other if not lead and rest_ok(inner, final)]
    free_mask = _mask(free, table.size)
    hyphens = _mask([i for i in free if "-" in tokenizer.decode([i])], table.size)
    digits = free_mask | _mask([i for q in prefixes if q.isdigit() for i in table.plain.get(q, ())], table.size)
    leading = [(i, lead, inner, final) for i, lead, inner, final in table.other if lead and rest_ok(inner, final)]
    cache: dict[str, object] = {}

    def for_word(partial: str):
        if partial not in cache:
            ids = []
            for q in prefixes[bisect.bisect_left(prefixes, partial):]:
                if not q.startswith(partial):
                    break
                rest = q[len(partial):]
                if rest:
                    ids += table.plain.get(rest, [])
                    ids += table.ended.get(rest, []) if q in vocabulary else []
            ids += [i for i, lead, _, _ in leading if partial + lead in vocabulary]
            mask = _mask(ids, table.size)
            after = free_mask if partial.lower() in hyphenated else free_mask & ~hyphens
            cache[partial] = mask | after if not partial or partial in vocabulary else mask
        return cache[partial]

    def written(text: str, start: bool):
        """Whole-word tokens (" word"; "word" too at a word's start) of words already written that may not come
        again."""
        used = {w.lower() for w in WORD.findall(text)} - set(repeatable)
        return _mask([i for w in vocabulary if w.lower() in used
                      for i in table.spaced.get(w, []) + (table.plain.get(w, []) if start else [])], table.size)

    def base(text: str):
        if text[-1:].isspace():  # one space between words, and nothing before a comma or full stop
            return for_word("") & ~free_mask & ~written(text, True)
        glued = re.search(r"([^\W_]*)[.,;:!?]$", text)
        if glued and glued.group(1):  # right after "word." or "word,"
            before = glued.group(1)
            if text[-1] == "." and len(before) == 1 and before.isupper():
                return for_word("")
            return digits if before.isdigit() and text[-1] in ".," else free_mask
        match = re.search(r"[^\W_]+$", text)
        partial = match.group() if match else ""
        if partial and text[:match.start()].endswith(("'", "’")) and text[:match.start()][:-1][-1:].isalnum():
            return free_mask if partial in FRAGMENTS else _mask([], table.size)  # Putin's: nothing more
        if not partial:
            return for_word("") & ~written(text, True)
        return for_word(partial) & ~written(text, False) if partial in known else _mask([], table.size)
    return with_span(tokenizer, base, stop_ids, span)


def token_constraint(tokenizer, texts: list[str], span: str, stop_ids) -> Callable[[list[int]], object]:
    """A looser step function: only tokens of the allowed words' tokenisations (" w", "w", " W", "W"), of the
    span as written, and punctuation-only tokens; pieces may still join into other words (the check decides)."""
    table = token_table(tokenizer)
    surface = {r for text in texts for r in WORD.findall(text)} | {r for w in FUNCTION_WORDS for r in WORD.findall(w)}
    variants = {v for w in surface for c in {w, w.lower(), w[:1].upper() + w[1:]} for v in (c, " " + c)}
    variants |= {span, " " + span, "'s", "’s"}
    ids = table.punct + [i for v in variants for i in tokenizer.encode(v, add_special_tokens=False)]
    fixed = _mask(ids, table.size)
    return with_span(tokenizer, lambda text: fixed, stop_ids, span)
