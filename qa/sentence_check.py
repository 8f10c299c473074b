"""The check on the model's one sentence for a found span (issue 25): sentence_problem and where a sentence ends.

Pure functions over text. The rules come from the issue (the span verbatim, every content word from the question or
the cited passage, qa.grounding.malformed) and from reading what SmolLM2-135M writes under the word constraint
(benchmarks/model_sentences.py): no verb, a name or the verb of the question left out, a misread question form.
"""

from __future__ import annotations

import re
from collections import Counter

from qa.citations import strip_markers
from qa.lexicon import VERBS as BASE_VERBS
from qa.grounding import malformed, strip_preamble
from qa.statements import MEASURE_ADJECTIVE
from qa.verb_forms import base_of_past, third_person
from qa.text import asserted_terms, normalize, stem, words
from qa.vocab_mask import FINISHED, FUNCTION_WORDS, SHADING, VERBS, WORD, answer_forms, answer_text, holds_span

_END = re.compile(r"(?<!\b[A-Z])[.!?][\"'”’)]*(?=\s)|\n")  # a sentence end seen with what follows it
_WH = re.compile(r"\W*(?:who|whom|whose|what|when|where|which|why|how)\b|.*\bwhat\b", re.I)


def _forms(word: str) -> set[str]:
    """A word, its stem, its stem's stem, its root without a regular ending ("promoted" and "promote" share
    "promot", "meetings" and "meeting" share "meet") and, for an irregular past, its base ("came": "come")."""
    root = re.sub(r"(?:ing|ed|es|s|d)$", "", word) if len(word) > 3 else word
    forms = {word, stem(word), stem(stem(word)), root.rstrip("e") or root}
    if word.endswith(("ies", "ied")) and len(word) > 4:  # "signifies", "tried": "signify", "try"
        forms.add(word[:-3] + "y")
    base = base_of_past(word)
    return forms | {base} if base else forms


def _has_verb(body: str, question: str) -> bool:
    """Whether the sentence has what looks like a finite verb: one of VERBS, a word in -ed, a question word put
    in -s ("wants", "signifies"), or the word after the question's who/what ("What exists ...")."""
    asked = words(question)
    after_wh = re.findall(r"\b(?:who|what)\s+(\w+)", question, re.I)
    # "What majority do decisions need?": the verb after "do" and its subject stays as it is ("Decisions need
    # ..."); it is one of the (at most four) words after the subject's first
    after_do = re.search(r"\bdo\s+((?:[\w'-]+\W*){1,5})", question, re.I)
    plain = set(words(after_do.group(1))[1:]) if after_do else set()
    for word in words(body):
        if word in VERBS or word.endswith("n't") or (word.endswith("ed") and len(word) > 4) or \
                any(word in (v + "s", v + "es", *third_person(v)) for v in asked) or \
                word in (w.lower() for w in after_wh) or word in plain:
            return True
    return False


_PREPOSITION = r"(?:in|on|at|from|with|by|under|during|for|to|into|of|about|after|before|within|between)"
_COPULA = {"is", "are", "was", "were", "be", "been"}
# verbs that are rarely nouns ("bring", "buy", not "end" or "use"): a span opening with one is a verb phrase
_PLAIN_VERBS = BASE_VERBS - frozenset("""aim break call cause end fall fight help hit hope lead look matter need offer pay
plan play rise run set show start stop use work be do have""".split())
# the words a plain verb may follow ("to bring", "can bring", "you bring"); after others it is no answer's noun
_BEFORE_PLAIN_VERB = frozenset("""to can could will would shall should may might must do does did and or not you we they
i he she it let help make""".split())


def _misread(body: str, question: str, span: str) -> str | None:
    """How the sentence misreads the question's form, if it does: an end after an end ("US?."), a doubled
    determiner ("a one of") or "in she", the question's "does X promote" kept, the question's modal dropped
    ("would help" -> "helped"), a copula where the question wants a preposition ("When was it founded?" -> "It is a
    1989."), or a passive where it asked in the active ("What did X assign?" -> "X was assigned ...")."""
    if re.search(r"[.!?][.!?]", body):
        return "an end after an end"
    if re.search(r"\b(?:a|an|the)\s+(?:a|an|the|one|this|that|these|those|its|their|his|her)\b", body, re.I) or \
            re.search(rf"\b{_PREPOSITION}\s+(?:he|she|they|we|i)\b", body, re.I):
        return "a doubled determiner or a pronoun after a preposition"
    if re.search(rf"\b({_PREPOSITION})\s+\1\b", body, re.I):
        return "a doubled preposition"  # "borrowed for for three weeks": the question's stranded "for" kept
    if re.search(rf"\s{MEASURE_ADJECTIVE.pattern}\W*$", body, re.I):
        return "a measure's adjective with no noun"  # "The trial period is six-month." (of "a six-month trial")
    asked = " ".join(words(question))
    if any(f" {' '.join(t)} " in f" {asked} " for t in zip(*(words(body)[i:] for i in range(3)))
           if t[0] in ("did", "does", "do")):
        return "the question's word order"
    modals = {"would", "could", "might", "may", "should", "will", "can"} & set(words(question)) - set(words(body))
    if modals:
        return f"drops {sorted(modals)[0]!r} of the question"
    at = max((body.lower().find(f.lower()) for f in answer_forms(span)), default=-1)
    before = [w for w in words(body[:at]) if w not in ("a", "an", "the")][-1:] if at > 0 else []
    wants_preposition = re.match(rf"\W*(?:when|where|{_PREPOSITION}\s+(?:which|what))\b", question, re.I) or \
        re.search(rf"\b{_PREPOSITION}\W*$", question, re.I)
    if wants_preposition and before and before[0] in _COPULA:
        return "a copula where the question wants a preposition"
    opening = words(answer_forms(span)[-1])[:1]
    if opening and opening[0] in _PLAIN_VERBS and before and before[0] not in _BEFORE_PLAIN_VERB:
        return "a plain verb where the answer's noun phrase goes"  # "You need bring walking boots ..."
    first = next((w for w in words(answer_forms(span)[-1]) if not w.endswith("ly")), "")
    if re.search(r"\b(?:did|does|do)\b", question, re.I) and before and before[0] in _COPULA and \
            first.endswith("ed"):
        return "a passive where the question asks in the active"
    return None


def sentence_problem(sentence: str, question: str, passage: str, span: str) -> str | None:
    """Why the model's sentence may not be shown (None when it may): not one finished sentence, a preamble or a
    question, the span not in it verbatim (a leading a/an/the may go), only the span, a content word from neither
    the question nor the passage (named), no verb, too little of the question or a name of it left out, a misread
    form (_misread), a word said twice, or malformed (qa.grounding.malformed)."""
    body = strip_markers(sentence)
    if not body:
        return "empty"
    if "\n" in body or sentence_end(body + " ", span) not in (None, len(body)):
        return "more than one sentence"
    if any(body.count(a) != body.count(b) for a, b in ("()", "“”")) or body.count('"') % 2:
        return "an unclosed bracket or quotation"
    if not FINISHED.search(body):
        return "unfinished"
    if strip_preamble(body) != body:
        return "a preamble"
    if _WH.match(body):
        return "a question, not an answer"
    if not holds_span(body, span):
        return f"the answer {answer_text(span)!r} is not in it verbatim"
    if len(words(body)) < len(words(answer_forms(span)[-1])) + 2:
        return "only the answer, not a sentence"
    given = words(f"{question} {passage} {span}")
    known = {f for w in given for f in _forms(w)}
    for word in words(body):
        if word in SHADING and word not in words(f"{question} {span}"):
            return f"{word!r} is in neither the question nor the passage"
        if word not in FUNCTION_WORDS and len(word) > 1 and not _forms(word) & known:
            return f"{word!r} is in neither the question nor the passage"
    if not _has_verb(body, question):
        return "no verb: not a sentence"
    said_forms = {f for w in words(body) for f in _forms(w)}
    in_span = {f for w in words(span) for f in _forms(w)}
    asked = re.sub(r"\b(?:what|which|whose|how)\s+\w+", "", question, count=1, flags=re.I)  # "what year": no
    wanted = {w for w in words(asked) if w not in FUNCTION_WORDS and len(w) > 1 and not _forms(w) & in_span}
    if sum(bool(_forms(w) & said_forms) for w in wanted) < 2 * len(wanted) / 3:
        return "says too little of what was asked"
    named = {w for t in asserted_terms(question) - asserted_terms(span) for w in words(t)} - FUNCTION_WORDS
    missing = [t for t in sorted(named) if not _forms(t) & said_forms and t not in normalize(body)]
    verb = re.findall(r"^\W*who\s+(\w+)", question, re.I)  # "Who called for ...": the claim is the calling
    if verb and verb[0].lower() not in FUNCTION_WORDS and not _forms(verb[0].lower()) & said_forms:
        missing.append(verb[0].lower())
    if missing:
        return f"leaves out {missing[0]!r} of the question"
    misread = _misread(body, question, span)
    if misread:
        return misread
    said = Counter(stem(w) for w in words(body) if w not in FUNCTION_WORDS)
    allowed = Counter(stem(w) for w in words(question)) | Counter(stem(w) for w in words(span))
    repeated = [w for w, n in said.items() if n > max(1, allowed[w])]
    if repeated:
        return f"{repeated[0]!r} said twice"
    return malformed(body, question)


def sentence_end(text: str, span: str = "") -> int | None:
    """Where the text's first sentence ends, once what follows has been seen (a full stop inside the span, as in
    "Apple Inc. in 1985", ends nothing); None before that."""
    inside = [(m.start(), m.end()) for form in answer_forms(span) if form
              for m in re.finditer(re.escape(form), text, re.I)] if span else []
    inside += [(m.start(), len(text)) for form in answer_forms(span) if form for m in WORD.finditer(text)
               if form.lower().startswith(text[m.start():].lower())] if span else []
    for match in _END.finditer(text):
        if not any(s <= match.start() < e for s, e in inside):
            return match.end()
    return None


def first_sentence(text: str, span: str = "") -> str:
    """The text up to the end of its first sentence (all of it when no end has been seen)."""
    end = sentence_end(text, span)
    return (text if end is None else text[:end]).strip()
