"""The SQuAD 2.0 figures and the margin calibration the span reader's manifest records."""

from __future__ import annotations

import pytest

from benchmarks.squad2_metric import best_of, roc_auc, squad2_scores
from training.reader_eval import best_f1_margin, refusal_margin

ITEMS = [  # two answerable questions found with high scores, one found with a low one, two unanswerable
    {"golds": ["Dmitry Peskov"], "text": "Dmitry Peskov", "score": 5.0},
    {"golds": ["2015", "in 2015"], "text": "2015", "score": 3.0},
    {"golds": ["the nadir"], "text": "a nadir", "score": -1.0},
    {"golds": [], "text": "Ankara", "score": 1.0},
    {"golds": [], "text": "Moscow", "score": -2.0},
]


def test_unanswerable_questions_score_only_an_empty_answer():
    assert best_of([], "") == (1, 1.0) and best_of([], "Ankara") == (0, 0.0)
    assert best_of(["The Kremlin"], "kremlin") == (1, 1.0)  # articles, case and punctuation are normalised
    assert best_of(["Dmitry Peskov"], "Peskov") == (0, pytest.approx(2 / 3))


def test_scores_at_a_margin_split_answerable_and_unanswerable():
    at_two = squad2_scores(ITEMS, 2.0)  # answers the first two, "no answer" to the rest
    assert at_two["has_ans_f1"] == pytest.approx(2 / 3, abs=1e-4) and at_two["no_ans_accuracy"] == 1.0
    assert at_two["f1"] == pytest.approx(4 / 5) and at_two["total"] == 5
    everything = squad2_scores(ITEMS, -10.0)
    assert everything["has_ans_f1"] == 1.0 and everything["no_ans_accuracy"] == 0.0


def test_the_calibrated_margin_maximises_overall_f1():
    margin = best_f1_margin(ITEMS)
    assert 1.0 < margin < 3.0  # above the tempting "Ankara" (1.0), below "2015" (3.0)
    assert squad2_scores(ITEMS, margin)["f1"] == max(squad2_scores(ITEMS, m)["f1"] for m in (-3, -1.5, 0, 2, 4, 6))


def test_the_refusal_margin_refuses_at_most_the_allowed_share_of_answerable_questions():
    margin = refusal_margin(ITEMS, cap=0.34)  # one of the three answerable questions may be refused
    assert -1.0 <= margin < 3.0
    assert sum(1 for i in ITEMS if i["golds"] and i["score"] <= margin) <= 1
    assert refusal_margin(ITEMS, cap=0.0) < -1.0


def test_roc_auc_counts_ties_as_half():
    assert roc_auc([1, 2, 3, 4], [False, False, True, True]) == 1.0
    assert roc_auc([1, 1], [True, False]) == 0.5
    with pytest.raises(ValueError):
        roc_auc([1.0], [True])


def test_the_balanced_margin_weighs_answerable_and_unanswerable_alike():
    from training.reader_eval import balanced_margin

    def balance(m):
        s = squad2_scores(ITEMS, m)
        return (s["has_ans_f1"] + s["no_ans_accuracy"]) / 2
    # four unanswerable copies would pull the overall-F1 margin up; the balanced one does not move
    skewed = ITEMS + [dict(ITEMS[3]) for _ in range(4)]
    assert balanced_margin(skewed) == balanced_margin(ITEMS)
    assert balance(balanced_margin(ITEMS)) == max(balance(m) for m in (-3, -1.5, 0, 2, 4, 6))
