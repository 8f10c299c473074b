"""The benchmarks read gold data through the evaluation: SQuAD articles and questions, and gold-match scoring."""

import json
from types import SimpleNamespace

import pytest

from benchmarks import e2e, indexing
from qa.evaluation.gold import GoldItem
from qa.evaluation.squad import calibration_split


def _squad(path, articles: int = 3):
    data = [{"title": f"Topic_{a}", "paragraphs": [{
        "context": f"Topic {a} is old. Its capital is City{a}.",
        "qas": [{"id": f"a{a}q{q}", "question": f"Question {q} about topic {a}?",
                 "answers": [{"text": f"City{a}", "answer_start": 31}]} for q in range(8)]}]}
        for a in range(articles)]
    path.write_text(json.dumps({"version": "1.1", "data": data}), encoding="utf-8")
    return path


def test_squad_is_read_by_the_evaluation_and_limited_to_the_first_articles(tmp_path):
    squad = _squad(tmp_path / "squad.json")
    documents, questions = indexing.load_squad(squad, articles=2)
    assert list(documents) == ["00-Topic-0.txt", "01-Topic-1.txt"]
    expected = [f"a{a}q{q}" for a in range(2) for q in range(8) if not calibration_split(f"a{a}q{q}")]
    assert [q.id for q in questions] == expected and 0 < len(expected) < 16  # a0q5, a0q7 are calibration
    assert all(q.answers in (("City0",), ("City1",)) for q in questions)
    corpus = indexing.squad_corpus_dir(squad, tmp_path / "bench", articles=2)
    assert sorted(f.name for f in corpus.iterdir()) == list(documents)
    assert (corpus / "00-Topic-0.txt").read_text(encoding="utf-8") == documents["00-Topic-0.txt"]


def test_missing_squad_file_names_the_option(tmp_path):
    with pytest.raises(ValueError, match="--squad"):
        indexing.load_squad(tmp_path / "missing.json")


def test_gold_match_uses_containment_and_abstention():
    answerable = GoldItem("1", "Capital?", ("the City of Ankara",))
    unanswerable = GoldItem("2", "Capital of Mars?", ("",), answerable=False)
    said = lambda text, abstained=False: SimpleNamespace(text=text, abstained=abstained)  # noqa: E731
    assert e2e.gold_match(answerable, said("It is the city of  Ankara [1].")) == 1.0
    assert e2e.gold_match(answerable, said("It is Istanbul [1].")) == 0.0
    assert e2e.gold_match(unanswerable, said("I don't know.", abstained=True)) == 1.0
    assert e2e.gold_match(unanswerable, said("Olympus Mons [1].")) == 0.0
