"""The official SQuAD 2.0 figures (exact match, F1, HasAns/NoAns, ROC AUC) from the evaluation's SQuAD metrics."""

from __future__ import annotations

from qa.evaluation.metrics import pair_f1, squad_normalize as normalize_answer


def exact(gold: str, prediction: str) -> int:
    """1 if the normalised answers are equal."""
    return int(normalize_answer(gold) == normalize_answer(prediction))


def best_of(golds: list[str], prediction: str) -> tuple[int, float]:
    """(exact, F1) of a prediction against the best-matching gold answer ([""] when the question has none)."""
    golds = [g for g in golds if normalize_answer(g)] or [""]
    return max(exact(g, prediction) for g in golds), max(pair_f1(prediction, g) for g in golds)


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
