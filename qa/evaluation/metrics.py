"""Evaluation metrics as pure, deterministic functions (definitions in docs/EVALUATION.md)."""

from __future__ import annotations

import collections
import re
import string
from typing import Iterable, Sequence

from qa.citations import strip_markers
from qa.text import STOPWORDS, content_words, normalize, overlap, stem, words

SUPPORT_THRESHOLD = 0.6  # share of a sentence's content words its cited passages must contain
CONTAINMENT_THRESHOLD = 0.8  # share of the reference's content words the answer must contain
SPAN_OVERLAP = 0.5  # share of an evidence quote a passage must cover to count as holding it
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][\w'’-]*")


# ---- answers -----------------------------------------------------------------------------------

def squad_normalize(text: str) -> str:
    """The official SQuAD v1.1 normalisation: lower case, no punctuation, no articles, single spaces."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction: str, references: Sequence[str]) -> float:
    """1.0 if the normalised prediction equals any normalised reference, else 0.0."""
    pred = squad_normalize(strip_markers(prediction))
    return float(any(pred == squad_normalize(r) for r in references))


def pair_f1(prediction: str, reference: str) -> float:
    """SQuAD token F1 of one prediction against one reference (two empty answers score 1)."""
    pred, ref = squad_normalize(prediction).split(), squad_normalize(reference).split()
    if not pred or not ref:
        return float(pred == ref)
    common = collections.Counter(pred) & collections.Counter(ref)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str, references: Sequence[str]) -> float:
    """SQuAD token F1 of the prediction against the best-matching reference."""
    pred = strip_markers(prediction)
    return max((pair_f1(pred, r) for r in references), default=0.0)


def contains_reference(prediction: str, reference: str, threshold: float = CONTAINMENT_THRESHOLD) -> bool:
    """Whether the answer holds the reference: as a normalised phrase, or >= threshold of its content words."""
    pred = normalize(strip_markers(prediction))
    ref = normalize(reference)
    if ref and f" {ref} " in f" {pred} ":
        return True
    ref_words = content_words(reference)
    if not ref_words:
        return False
    return len(ref_words & content_words(pred)) / len(ref_words) >= threshold


def containment(prediction: str, references: Sequence[str]) -> float:
    """1.0 if the answer contains any of the references (see contains_reference), else 0.0."""
    return float(any(contains_reference(prediction, r) for r in references))


# ---- retrieval and citations -------------------------------------------------------------------

def holds_evidence(passage_text: str, source: str, start: int, end: int, evidence) -> bool:
    """Whether a passage holds an evidence quote: normalised substring, or covers >= 50% of its located span."""
    quote = normalize(evidence.quote)
    if quote and quote in normalize(passage_text):
        return True
    if evidence.source is None or evidence.source != source or evidence.start is None:
        return False
    length = max(evidence.end - evidence.start, 1)
    covered = min(end, evidence.end) - max(start, evidence.start)
    return covered / length >= SPAN_OVERLAP


def _holds(passage, evidence) -> bool:
    return holds_evidence(passage.text, passage.source, passage.start, passage.end, evidence)


def first_hit_rank(passages: Sequence, evidence: Sequence) -> int | None:
    """1-based rank of the first passage holding any evidence quote, or None."""
    for rank, passage in enumerate(passages, 1):
        if any(_holds(passage, ev) for ev in evidence):
            return rank
    return None


def hit_at_k(passages: Sequence, evidence: Sequence, k: int) -> float:
    """1.0 if any of the top k passages holds any evidence quote."""
    rank = first_hit_rank(passages[:k], evidence)
    return float(rank is not None)


def recall_at_k(passages: Sequence, evidence: Sequence, k: int) -> float:
    """Share of the evidence quotes held by some passage in the top k."""
    if not evidence:
        return 0.0
    return sum(any(_holds(p, ev) for p in passages[:k]) for ev in evidence) / len(evidence)


def reciprocal_rank(passages: Sequence, evidence: Sequence) -> float:
    """1 / rank of the first passage holding evidence (0 when none does)."""
    rank = first_hit_rank(passages, evidence)
    return 1.0 / rank if rank else 0.0


def citation_precision(cited: Sequence, evidence: Sequence) -> float | None:
    """Share of cited passages that hold an evidence quote (None when nothing is cited)."""
    if not cited:
        return None
    return sum(any(_holds(c, ev) for ev in evidence) for c in cited) / len(cited)


def citation_recall(cited: Sequence, evidence: Sequence) -> float | None:
    """Share of evidence quotes held by some cited passage (None when there is no evidence)."""
    if not evidence:
        return None
    return sum(any(_holds(c, ev) for c in cited) for ev in evidence) / len(evidence)


# ---- grounding ---------------------------------------------------------------------------------

def _key_terms(sentence: str) -> tuple[set[str], set[str]]:
    numbers = {n.replace(",", "") for n in _NUMBER.findall(sentence)}
    names = set()
    for token in _NAME.findall(sentence):
        for word in normalize(token).removesuffix("'s").split("-"):  # "S-400" is checked as "s" and "400"
            word = word.strip("'")
            if word and word not in STOPWORDS:
                names.add(stem(word))
    return numbers, names


def sentence_supported(sentence: str, cited_texts: Iterable[str], threshold: float = SUPPORT_THRESHOLD) -> bool:
    """Whether cited passages support a sentence: content-word overlap >= threshold and all numbers/names present."""
    evidence = " ".join(cited_texts)
    if not evidence.strip():
        return False
    sentence = strip_markers(sentence)
    if content_words(sentence) and overlap(sentence, evidence) < threshold:
        return False
    numbers, names = _key_terms(sentence)
    evidence_numbers = {n.replace(",", "") for n in _NUMBER.findall(evidence)}
    evidence_words = {stem(w.removesuffix("'s")) for w in words(evidence)}
    return numbers <= evidence_numbers and names <= evidence_words


def faithfulness(sentences: Sequence, passages: Sequence, threshold: float = SUPPORT_THRESHOLD) -> float | None:
    """Share of answer sentences supported by the passages they cite (markers are 1-based into passages)."""
    if not sentences:
        return None
    supported = 0
    for s in sentences:
        cited = [passages[m - 1].text for m in s.markers if 1 <= m <= len(passages)]
        supported += sentence_supported(s.text, cited, threshold)
    return supported / len(sentences)


# ---- an independent check of shown sentences ---------------------------------------------------

ORDERED_THRESHOLD = 0.75  # share of a sentence's words its cited passage must hold in the same order


def _tokens(text: str) -> list[str]:
    text = text.replace("\u2019", "'").translate({ord(q): " " for q in "\u201c\u201d\u2018"})
    return squad_normalize(text).split()


def ordered_support(sentence: str, passage: str) -> float:
    """Share of a sentence's words (SQuAD-normalised) that its passage holds in the same order: the longest
    common subsequence of the two word sequences over the sentence's length (1.0 for a verbatim quote).

    Unlike the pipeline's verifier (a bag of content words, names and numbers) this reads word order, so a
    recombination of the passage's words into a new claim, or a garbled repetition, scores low."""
    words_s, words_p = _tokens(strip_markers(sentence)), _tokens(passage)
    if not words_s:
        return 0.0
    previous = [0] * (len(words_p) + 1)
    for word in words_s:
        current = [0]
        for j, other in enumerate(words_p, 1):
            current.append(previous[j - 1] + 1 if word == other else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1] / len(words_s)


def shown_sentence_right(sentence: str, cited_texts: Iterable[str], threshold: float = ORDERED_THRESHOLD) -> bool:
    """The independent proxy for "this shown sentence is right": its cited passages hold it in order
    (ordered_support >= threshold against the best one), and it repeats no three-word phrase more often than that
    passage does (a garble such as "The Battle of the Battle of" fails; a quote of "since Super Bowl XIX ... the
    first in California since Super Bowl XXXVII" does not)."""
    support, best = max(((ordered_support(sentence, text), text) for text in cited_texts), default=(0.0, ""))
    if support < threshold:
        return False
    own, source = _trigram_counts(strip_markers(sentence)), _trigram_counts(best)
    return all(n <= max(1, source.get(t, 0)) for t, n in own.items())


def _trigram_counts(text: str) -> dict[tuple[str, str, str], int]:
    tokens = _tokens(text)
    counts: dict[tuple[str, str, str], int] = {}
    for trigram in zip(tokens, tokens[1:], tokens[2:]):
        counts[trigram] = counts.get(trigram, 0) + 1
    return counts


def is_quote(sentence: str) -> bool:
    """Whether a shown sentence is a verbatim quote (“...”) rather than the model's own wording."""
    return strip_markers(sentence).strip().startswith("\u201c")


# ---- aggregates --------------------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation between order statistics (numpy's default)."""
    data = sorted(v for v in values if v is not None)
    if not data:
        return None
    pos = (len(data) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None (None when there are none)."""
    data = [v for v in values if v is not None]
    return sum(data) / len(data) if data else None


def count_tokens(text: str) -> int:
    """Generated tokens, counted as whitespace-separated pieces of the streamed text."""
    return len(text.split())
