"""The calibration's choice of the margin shift, replayed from rows: on all articles and for unseen ones."""

import pytest

from benchmarks.calibrate_answers import best_shift, left_out_shares, shares, unseen_cap


def row(qid: str, answerable: bool, score: float) -> dict:
    return {"id": qid, "answerable": answerable, "abstained": False,
            "assistant_timings": {"reader_best": score, "reader_score": score, "evidence_score": 1.0},
            "scores": {"containment": 1.0, "short_f1": 1.0}}


def articles(answerable_offsets: dict[str, float]) -> tuple[list[dict], dict[str, str]]:
    """Per article 20 answerable questions scoring offset + 0..9.5 and 20 unanswerable ones scoring -5..4.5."""
    rows, article_of = [], {}
    for article, offset in answerable_offsets.items():
        for i in range(20):
            for answerable, score in ((True, offset + i / 2), (False, -5 + i / 2)):
                qid = f"{article}-{i}-{answerable}"
                rows.append(row(qid, answerable, score))
                article_of[qid] = article
    return rows, article_of


def test_best_shift_abstains_on_the_most_unanswerable_within_the_cap():
    rows, _ = articles({"a": 0.0})
    shift = best_shift(rows, 0.0, -10.0, 0.10)  # 2 of 20 answerable (scores 0 and 0.5) may be refused
    assert shift == pytest.approx(0.5)  # the lowest of the shifts that refuse those two
    got = shares(rows, 0.0, -10.0, shift)
    assert got["answerable_abstained"] == pytest.approx(0.10)
    assert got["unanswerable_abstained"] == pytest.approx(12 / 20)  # -5 .. 0.5
    assert best_shift([row("x", True, 0.0)], 0.0, -10.0, -1.0) is None  # no shift refuses fewer than none


def test_an_article_unlike_the_others_refuses_more_when_left_out():
    rows, article_of = articles({"a": 0.0, "b": 0.0, "c": -3.0})
    on_all = shares(rows, 0.0, -10.0, best_shift(rows, 0.0, -10.0, 0.10))
    left_out = left_out_shares(rows, article_of, 0.0, -10.0, 0.10)
    assert on_all["answerable_abstained"] <= 0.10
    assert left_out["answerable_abstained"] > 0.10  # c's low scores: a shift chosen on a and b refuses more of c
    cap, seen = unseen_cap(rows, article_of, 0.0, -10.0, 0.10)
    assert cap < 0.10 and seen["answerable_abstained"] <= 0.10


def test_alike_articles_keep_the_cap():
    rows, article_of = articles({"a": 0.0, "b": 0.0})
    assert unseen_cap(rows, article_of, 0.0, -10.0, 0.10)[0] == 0.10
