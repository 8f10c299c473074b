"""The model's one-sentence answer for a found span (issue 25): allowed words, prompt, decoding, model_sentence.

The span reader finds the answer; the generator only says it as one sentence. The sentence is shown only if it
holds the span verbatim, every content word in it comes from the question, the cited passage or the span, and it is
well formed (qa.grounding.malformed), with more rules (qa.sentence_check.sentence_problem, re-exported here). With
the transformers backend the sentence is the one the model finds most probable among the statements qa.statements
makes of the question and span (`TransformersGenerator.sequence_logprobs`), none for a question form those rules do
not know; the word constraint (qa.vocab_mask, through `greedy_tokens(allowed=)`) remains for benchmarks and fakes;
llama.cpp and OpenAI-compatible servers (`stream` only) get the post-check alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from index.chunking import split_sentences
from qa.answer import AnswerSentence
from qa.citations import strip_markers
from qa.grounding import with_markers
from qa.sentence_check import first_sentence, sentence_end, sentence_problem  # noqa: F401 (the pipeline's API)
from qa.statements import statement_candidates
from qa.text import stem, words
from qa.vocab_mask import (DECODER_WORDS, FRAGMENTS, FUNCTION_WORDS, SHADING, WORD, answer_forms,  # noqa: F401
                           answer_text, token_constraint, word_constraint)

# Prompt variants (build_messages). On 22 questions of benchmarks/model_sentences.py (7 per source and Peskov's),
# words constraint, passing the check: "fewshot" (all examples) 4, "fewshot3" 6, "statement" 7, and "fewshot3"
# then "statement" (PROMPTS) 11; "plain" (no examples) mostly wrote "The answer is: ..." unconstrained.
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
# The model's own mean log-probability did not separate right from wrong sentences (right -0.24 to -1.39, wrong
# -0.34 to -3.44 on the 45 read in docs/EVALUATION.md), so no floor is set; draft_sentence still applies one.
MIN_MEAN_LOGPROB = float("-inf")


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


def _repeats(text: str) -> bool:
    """Whether a word trigram occurs twice (the sentence is lost: malformed would refuse it)."""
    tokens = words(text)
    trigrams = list(zip(tokens, tokens[1:], tokens[2:]))
    return len(set(trigrams)) < len(trigrams)


def _decode(generator, messages: list[dict], max_new_tokens: int, allowed, span: str,
            question: str) -> tuple[str, list[float]]:
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


def choose_statement(generator, messages: list[dict], candidates: list[str]) -> tuple[str, float]:
    """The candidate the model finds most probable as its whole reply to `messages` (the sum of its tokens'
    log-probabilities, the reply's end included: decoding over the candidates alone, exactly rather than greedily),
    and its mean log-probability per token."""
    scored = generator.sequence_logprobs(messages, candidates)
    best = max(range(len(candidates)), key=lambda i: scored[i][0])
    return candidates[best], scored[best][0] / max(1, scored[best][1])


@dataclass(frozen=True)
class Draft:
    """The model's sentence, why it may not be shown (None: it may), the mean log-probability per token the
    unconstrained model gave the tokens chosen (None where the backend does not say), and the prompts tried."""

    sentence: str
    problem: str | None
    mean_logprob: float | None = None
    attempts: int = 1


def draft_sentence(generator, question: str, span: str, passage: str, *, max_new_tokens: int = 48,
                   constraint: str = "statements", span_start: int | None = None, variant: str | None = None,
                   scope: str = SCOPE) -> Draft:
    """The model's first sentence for the found span, checked: with each prompt of PROMPTS in turn (or only
    `variant`) until one passes. `constraint`: "statements" (the most probable of qa.statements' candidates that
    pass the check, none where no candidate does; "words" for a generator that cannot score them; one prompt),
    "words" (exact word constraint), "tokens" (token bag) or "none", ignored by generators without greedy_tokens;
    `scope`: the decoder's words come from the "question" and span (with DECODER_WORDS) or also the "passage" (the
    check allows the passage's words either way)."""
    tokenizer = getattr(generator.load() if hasattr(generator, "load") else generator, "tokenizer", None)
    allowed, texts = None, [question, passage if scope == "passage" else "", span]
    scores = constraint == "statements" and hasattr(generator, "sequence_logprobs")
    # only statements the check passes are offered: the model chooses the wording, not whether it says enough
    candidates = [c for c in statement_candidates(question, span) if sentence_problem(c, question, passage, span)
                  is None] if scores else []
    if scores and not candidates:
        # the word-constrained decode wrote most of the garbled sentences ever labelled, and slowly: none instead
        return Draft("", "no statement of this question's form passes the check (qa.statements)", None, 0)
    if constraint == "statements" and not scores:
        constraint = "words"  # a served model streams: its sentence is checked after
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
        elif constraint != "statements":
            raise ValueError(f"unknown constraint {constraint!r}")
    budget = max_new_tokens + (len(tokenizer.encode(span, add_special_tokens=False)) if tokenizer else 0)
    support = supporting_sentence(passage, span, span_start)
    # the candidates are the same under every prompt: one is asked (two doubled the time for 0-1 sentences more)
    variants = (variant,) if variant else PROMPTS[:1] if candidates else PROMPTS
    for attempt, prompt in enumerate(variants, 1):
        messages = build_messages(question, span, support, prompt)
        if candidates:
            sentence, mean = choose_statement(generator, messages, candidates)
        else:
            text, logprobs = _decode(generator, messages, budget, allowed, span, question)
            sentence = strip_markers(text)
            mean = sum(logprobs) / len(logprobs) if logprobs else None
        problem = sentence_problem(sentence, question, passage, span)
        if problem is None and mean is not None and mean < MIN_MEAN_LOGPROB:
            problem = f"unlikely wording (mean log-probability {mean:.2f})"
        if problem is None:
            break
    return Draft(sentence, problem, mean, attempt)


def model_sentence(generator, question: str, span: str, passage: str, marker: int, max_new_tokens: int = 48, *,
                   span_start: int | None = None, constraint: str = "statements") -> str | None:
    """The model's one sentence saying the found span, with its " [n]" marker placed as qa.grounding shows
    markers ("... is Dmitry Peskov [1]."), or None when it fails the check (draft_sentence)."""
    draft = draft_sentence(generator, question, span, passage, max_new_tokens=max_new_tokens,
                           constraint=constraint, span_start=span_start)
    return None if draft.problem else with_markers(AnswerSentence(draft.sentence, (marker,), 1.0))
