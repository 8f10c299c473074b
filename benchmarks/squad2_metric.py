"""The official SQuAD 2.0 answer metrics (exact match, F1, answer normalisation), independent of the product."""

from __future__ import annotations

import collections
import re
import string


def normalize_answer(text: str) -> str:
    """Lower case, strip punctuation, articles and extra whitespace (the official evaluation script's rule)."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact(gold: str, prediction: str) -> int:
    """1 if the normalised answers are equal."""
    return int(normalize_answer(gold) == normalize_answer(prediction))


def f1(gold: str, prediction: str) -> float:
    """Token-overlap F1 of the normalised answers; an empty answer scores 1 only against an empty one."""
    gold_toks, pred_toks = normalize_answer(gold).split(), normalize_answer(prediction).split()
    if not gold_toks or not pred_toks:
        return float(gold_toks == pred_toks)
    common = collections.Counter(gold_toks) & collections.Counter(pred_toks)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred_toks), same / len(gold_toks)
    return 2 * precision * recall / (precision + recall)


def best_of(golds: list[str], prediction: str) -> tuple[int, float]:
    """(exact, F1) of a prediction against the best-matching gold answer ([""] when the question has none)."""
    golds = [g for g in golds if normalize_answer(g)] or [""]
    return max(exact(g, prediction) for g in golds), max(f1(g, prediction) for g in golds)


def squad2_scores(items: list[dict], margin: float) -> dict:
    """Official-style figures at a null-score margin. Each item: {"golds": [...] (empty if unanswerable),
    "text": best span, "score": span minus null logit sums}; the prediction is the span when score > margin."""
    if not items:
        raise ValueError("no items to score")
    ems, f1s, has_f1, has_em, no_ok = [], [], [], [], []
    for item in items:
        prediction = item["text"] if item["score"] > margin else ""
        em, f = best_of(item["golds"], prediction)
        ems.append(em)
        f1s.append(f)
        if item["golds"]:
            has_f1.append(f)
            has_em.append(em)
        else:
            no_ok.append(em)
    mean = lambda xs: round(sum(xs) / len(xs), 4) if xs else None  # noqa: E731
    return {"margin": round(margin, 4), "exact": mean(ems), "f1": mean(f1s), "has_ans_exact": mean(has_em),
            "has_ans_f1": mean(has_f1), "no_ans_accuracy": mean(no_ok), "total": len(items),
            "has_ans_total": len(has_f1), "no_ans_total": len(no_ok)}


def roc_auc(scores: list[float], positive: list[bool]) -> float:
    """Area under the ROC curve of `scores` for the positive class (ties count one half)."""
    pos = [s for s, p in zip(scores, positive) if p]
    neg = [s for s, p in zip(scores, positive) if not p]
    if not pos or not neg:
        raise ValueError("ROC AUC needs both classes")
    ranked = sorted((s, p) for s, p in zip(scores, positive))
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid = (i + j + 1) / 2  # average 1-based rank of the tie group
        rank_sum += mid * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))
