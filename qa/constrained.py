"""The model's one-sentence answer for a found span (issue 25): allowed words, prompt, decoding, the check.

The span reader finds the answer; the generator only says it as one sentence. The sentence is shown only if it
holds the span verbatim, every content word in it comes from the question, the cited passage or the span, and it is
well formed (qa.grounding.malformed), with a few more rules (sentence_problem). With the transformers backend the
words are also enforced while decoding (qa.vocab_mask, which also holds the word lists, through `TransformersGenerator.greedy_tokens(allowed=)`);
llama.cpp and OpenAI-compatible servers (`stream` only) get the post-check alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from index.chunking import split_sentences
from qa.answer import AnswerSentence
from qa.citations import strip_markers
from qa.grounding import malformed, strip_preamble, with_markers
from qa.text import normalize, stem, words
from qa.verification import asserted_terms
from qa.vocab_mask import (DECODER_WORDS, FINISHED, FRAGMENTS, FUNCTION_WORDS, SHADING, VERBS, WORD,  # noqa: F401
                           answer_forms, answer_text, holds_span, token_constraint, word_constraint)

_END = re.compile(r"(?<!\b[A-Z])[.!?][\"'”’)]*(?=\s)|\n")  # a sentence end seen with what follows it
_WH = re.compile(r"\W*(?:who|whom|whose|what|when|where|which|why|how)\b|.*\bwhat\b", re.I)

# Prompt variants (build_messages), measured in benchmarks/model_sentences.py: see PROMPT.
_SYSTEM = ("You answer a question with one short sentence. The answer has already been found in the text: "
           "say it in a full sentence that contains the answer exactly, using only words from the question and "
           "the text.")
_EXAMPLES = (  # (text, question, answer, sentence): the answer ends the sentence, or opens it
    ("The bridge over the Vltava was opened in 1932 by the mayor of Prague.", "When was the bridge opened?", "1932",
     "The bridge was opened in 1932."),
    ("In 1998 the council, which wanted cleaner air, banned cars from the old town.",
     "What did the council ban?", "cars", "The council banned cars."),
    ("The club's captain, Anna Berg, scored twice in the final.", "Who is the club's captain?", "Anna Berg",
     "The club's captain is Anna Berg."),
    ("Marie Curie, a physicist born in Warsaw, was the first woman to win a Nobel Prize.",
     "Who was the first woman to win a Nobel Prize?", "Marie Curie",
     "The first woman to win a Nobel Prize was Marie Curie."),
    ("The club moved to Leeds because its old ground had become too small.", "Why did the club move to Leeds?",
     "because its old ground had become too small",
     "The club moved to Leeds because its old ground had become too small."),
    ("A router is a device that forwards packets between networks.", "What is a router?",
     "a device that forwards packets between networks", "A router is a device that forwards packets between networks."),
    ("After long talks, the company said it wants to build its new factory in Poland.",
     "Where does the company want to build its new factory?", "Poland",
     "The company wants to build its new factory in Poland."),
    ("Oxfam, the charity that ran the appeal, said it raised 2 million pounds.", "Which charity ran the appeal?",
     "Oxfam", "Oxfam ran the appeal."))
PROMPTS = ("fewshot3", "statement")  # tried in turn
SCOPE = "question"
MIN_MEAN_LOGPROB = float("-inf")  # measured: see benchmarks/model_sentences.py


def build_messages(question: str, span: str, support: str, variant: str = "fewshot") -> list[dict]:
    """Chat messages asking for one short sentence that answers the question and contains the answer exactly:
    "fewshot" (three worked examples, then the supporting text, question and answer), "statement" (the same
    without any text) or "plain" (no examples)."""
    def asked(text: str, q: str, a: str) -> str:
        return (f"Text: {' '.join(text.split())}\n" if variant != "statement" else "") + f"Question: {q}\nAnswer: {a}"
    messages = [{"role": "system", "content": _SYSTEM}]
    if variant in ("fewshot", "fewshot3", "statement"):
        for text, q, a, sentence in _EXAMPLES[:3] if variant == "fewshot3" else _EXAMPLES:
            messages += [{"role": "user", "content": asked(text, q, a)}, {"role": "assistant", "content": sentence}]
    elif variant != "plain":
        raise ValueError(f"unknown prompt variant {variant!r}")
    return messages + [{"role": "user", "content": asked(support, question.strip(), answer_text(span))}]


def supporting_sentence(passage: str, span: str, start: int | None = None) -> str:
    """The passage's sentence(s) holding the span (at `start` when given, else its first occurrence)."""
    at = start if start is not None else passage.find(span)
    if at < 0:
        at = passage.lower().find(span.lower())
    if at < 0:
        return passage
    spans = [(s, e) for s, e in split_sentences(passage) if s < at + max(1, len(span)) and e > at]
    return passage[spans[0][0]:spans[-1][1]] if spans else passage


def inflections(word: str) -> set[str]:
    """A word's regular inflections, so "What did X promote?" may be answered "X promoted ..."."""
    base = word[:-1] if word.endswith("e") else word
    return {word, word + "s", word + "es", base + "ed", base + "ing", word + "d"}


def allowed_words(question: str, passage: str, span: str) -> frozenset[str]:
    """Words the decoder may write, as written, lower-cased and capitalised: those of the question (and their
    regular inflections), the passage and span (and their stems) and DECODER_WORDS; shading words only where the
    question or span has them; not what an apostrophe splits off (vocab_mask adds "'s")."""
    runs = {r for text in (question, passage, span) for r in WORD.findall(text)}
    runs |= {v for r in WORD.findall(question) if r.isalpha() and r.islower() and r not in FUNCTION_WORDS
             for v in inflections(r)}
    used = {r.lower() for text in (question, span) for r in WORD.findall(text)}
    runs |= {stem(r.lower()) for r in runs} | DECODER_WORDS
    runs |= {r for w in SHADING if w in used for r in WORD.findall(w)}
    return frozenset({v for r in runs for v in (r, r.lower(), r[:1].upper() + r[1:])} - FRAGMENTS)


def _forms(word: str) -> set[str]:
    """A word, its stem, its stem's stem and its root without a regular ending ("promoted" and "promote" share
    "promot", "meetings" and "meeting" share "meet")."""
    root = re.sub(r"(?:ing|ed|es|s|d)$", "", word) if len(word) > 3 else word
    return {word, stem(word), stem(stem(word)), root.rstrip("e") or root}


def _has_verb(body: str, question: str) -> bool:
    """Whether the sentence has what looks like a finite verb: one of VERBS, a word in -ed, a question word put
    in -s ("wants"), or the word after the question's who/what ("What exists ...")."""
    asked = words(question)
    after_wh = re.findall(r"\b(?:who|what)\s+(\w+)", question, re.I)
    for word in words(body):
        if word in VERBS or word.endswith("n't") or (word.endswith("ed") and len(word) > 4) or \
                any(word in (v + "s", v + "es") for v in asked) or word in (w.lower() for w in after_wh):
            return True
    return False


_PREPOSITION = r"(?:in|on|at|from|with|by|under|during|for|to|into|of|about|after|before|within|between)"
_COPULA = {"is", "are", "was", "were", "be", "been"}


def _misread(body: str, question: str, span: str) -> str | None:
    """How the sentence misreads the question's form, if it does: an end after an end ("US?."), a doubled
    determiner ("a one of") or "in she", the question's "does X promote" kept, the question's modal dropped ("would help" -> "helped"), a copula where the question
    wants a preposition ("When was it founded?" -> "It is a 1989."), or a passive where it asked in the active
    ("What did X assign?" -> "X was assigned ...")."""
    if re.search(r"[.!?][.!?]", body):
        return "an end after an end"
    if re.search(r"\b(?:a|an|the)\s+(?:a|an|the|one|this|that|these|those|its|their|his|her)\b", body, re.I) or \
            re.search(rf"\b{_PREPOSITION}\s+(?:he|she|they|we|i)\b", body, re.I):
        return "a doubled determiner or a pronoun after a preposition"
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


def _repeats(text: str) -> bool:
    """Whether a word trigram occurs twice (the sentence is lost: malformed would refuse it)."""
    tokens = words(text)
    trigrams = list(zip(tokens, tokens[1:], tokens[2:]))
    return len(set(trigrams)) < len(trigrams)


def _decode(generator, messages: list[dict], max_new_tokens: int, allowed, span: str, question: str) -> tuple[str, list[float]]:
    """The generated text up to the end of the first sentence (decoding stops there), and the log-probability
    of each token the model chose, unconstrained (transformers only)."""
    text, logprobs = "", []
    if hasattr(generator, "greedy_tokens") and hasattr(generator, "prompt_ids"):
        inputs, tokens = generator.prompt_ids(messages), []
        for token in generator.greedy_tokens(inputs, max_new_tokens, generator.stop_ids(), allowed=allowed,
                                             logprobs=logprobs):
            tokens.append(token)
            text = generator.tokenizer.decode(tokens, skip_special_tokens=True)
            if sentence_end(text, span) is not None or _repeats(text) or \
                    len(words(text)) > len(words(question)) + len(words(span)) + 8:
                break  # the end, or it cannot pass
    else:
        stream = generator.stream(messages, max_new_tokens)
        for piece in stream:
            text += piece
            if sentence_end(text, span) is not None:
                getattr(stream, "close", lambda: None)()
                break
    return first_sentence(text, span), logprobs


@dataclass(frozen=True)
class Draft:
    """The model's sentence, why it may not be shown (None: it may), the mean log-probability per token the
    unconstrained model gave the tokens chosen (None where the backend does not say), and the prompts tried."""

    sentence: str
    problem: str | None
    mean_logprob: float | None = None
    attempts: int = 1


def draft_sentence(generator, question: str, span: str, passage: str, *, max_new_tokens: int = 48,
                   constraint: str = "words", span_start: int | None = None, variant: str | None = None,
                   scope: str = SCOPE) -> Draft:
    """The model's first sentence for the found span, checked: with each prompt of PROMPTS in turn (or only
    `variant`) until one passes. `constraint`: "words" (exact word constraint), "tokens" (token bag) or "none",
    ignored by generators without greedy_tokens; `scope`: the decoder's words come from the "question" and span
    (with DECODER_WORDS) or also the "passage" (the check allows the passage's words either way)."""
    tokenizer = getattr(generator.load() if hasattr(generator, "load") else generator, "tokenizer", None)
    allowed, texts = None, [question, passage if scope == "passage" else "", span]
    if constraint != "none" and hasattr(generator, "greedy_tokens") and hasattr(generator, "prompt_ids"):
        stops = generator.stop_ids()
        if constraint == "words":
            counts = Counter(w.lower() for w in WORD.findall(question))
            repeatable = {w for w, n in counts.items() if n > 1} | {w.lower() for w in WORD.findall(span)}
            hyphenated = {w.lower() for w in re.findall(r"([^\W_]+)-", " ".join(texts))}
            allowed = word_constraint(tokenizer, allowed_words(*texts), stops, span, repeatable | FUNCTION_WORDS,
                                      hyphenated)
        elif constraint == "tokens":
            allowed = token_constraint(tokenizer, texts, span, stops)
        else:
            raise ValueError(f"unknown constraint {constraint!r}")
    budget = max_new_tokens + (len(tokenizer.encode(span, add_special_tokens=False)) if tokenizer else 0)
    support = supporting_sentence(passage, span, span_start)
    variants = (variant,) if variant else PROMPTS
    for attempt, prompt in enumerate(variants, 1):
        text, logprobs = _decode(generator, build_messages(question, span, support, prompt), budget, allowed,
                                 span, question)
        sentence = strip_markers(text)
        mean = sum(logprobs) / len(logprobs) if logprobs else None
        problem = sentence_problem(sentence, question, passage, span)
        if problem is None and mean is not None and mean < MIN_MEAN_LOGPROB:
            problem = f"unlikely wording (mean log-probability {mean:.2f})"
        if problem is None:
            break
    return Draft(sentence, problem, mean, attempt)


def model_sentence(generator, question: str, span: str, passage: str, marker: int, max_new_tokens: int = 48, *,
                   span_start: int | None = None, constraint: str = "words") -> str | None:
    """The model's one sentence saying the found span, with its " [n]" marker placed as qa.grounding shows
    markers ("... is Dmitry Peskov [1]."), or None when it fails the check (draft_sentence)."""
    draft = draft_sentence(generator, question, span, passage, max_new_tokens=max_new_tokens,
                           constraint=constraint, span_start=span_start)
    return None if draft.problem else with_markers(AnswerSentence(draft.sentence, (marker,), 1.0))
