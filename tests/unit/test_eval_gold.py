"""Gold files: JSON Lines and SQuAD loading, validation errors with line numbers, seeded sampling."""

import json

import pytest

from common import ROOT
from index.documents import load_document
from qa.evaluation.gold import GoldError, load_jsonl, locate, locate_evidence
from qa.evaluation.squad import load_squad, sample, write_corpus

DOCS = {"a.md": "Putin met Erdogan in Moscow.\nThe downing of a Russian jet\nin 2015 hurt ties."}


def write_lines(tmp_path, lines):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines) + "\n")
    return path


def item(**kw):
    base = {"id": "q1", "question": "Who met Erdogan?", "answer": "Putin", "evidence": ["Putin met Erdogan"]}
    return {**base, **kw}


def test_shipped_gold_sets_load_and_every_quote_is_in_the_article():
    # the quotes are located in the article as the pipeline reads it: its plain text, without Markdown markup
    docs = {"russia-turkey-rapprochement.md": load_document(ROOT / "corpus" / "russia-turkey-rapprochement.md").text}
    for name, count in (("russia-turkey.jsonl", 86), ("russia-turkey-dev.jsonl", 18)):
        items = locate_evidence(load_jsonl(ROOT / "gold" / name), docs)
        assert len(items) == count
        assert all(ev.start is not None for i in items for ev in i.evidence)
        assert any(not i.answerable for i in items) and any(i.history for i in items)


def test_the_own_documents_set_loads_and_every_quote_is_in_its_documents():
    corpus = ROOT / "gold" / "own-documents"
    docs = {p.name: load_document(p).text for p in sorted(corpus.iterdir())}
    items = locate_evidence(load_jsonl(ROOT / "gold" / "own-documents.jsonl"), docs)
    assert len(items) == 1826 and len(docs) == 66
    assert all(ev.start is not None for i in items for ev in i.evidence)
    assert sum(not i.answerable for i in items) == 263 and sum(bool(i.history) for i in items) == 194


def test_defaults_for_answerable_and_history(tmp_path):
    [gold] = load_jsonl(write_lines(tmp_path, [item()]))
    assert gold.answerable and gold.history == () and gold.answers == ("Putin",) and gold.line == 1


def test_alternatives_are_reference_answers_too(tmp_path):
    [gold] = load_jsonl(write_lines(tmp_path, [item(alternatives=["President Putin"])]))
    assert gold.answers == ("Putin", "President Putin") and "alternatives" not in gold.extra
    for bad in (["ok", ""], "President Putin"):
        with pytest.raises(GoldError, match="alternatives"):
            load_jsonl(write_lines(tmp_path, [item(alternatives=bad)]))


def test_malformed_json_and_missing_fields_name_their_lines(tmp_path):
    path = write_lines(tmp_path, [item(), "{not json", "", {"id": "q3", "question": "x?", "answer": "y"},
                                  item(id="q1"), item(id="q5", answerable="yes")])
    with pytest.raises(GoldError) as exc:
        load_jsonl(path)
    message = str(exc.value)
    assert "line 2: malformed JSON" in message
    assert "line 4: missing field(s) evidence" in message
    assert "line 5: duplicate id 'q1'" in message
    assert "line 6: field 'answerable' must be bool" in message


def test_answerable_item_without_evidence_is_an_error(tmp_path):
    with pytest.raises(GoldError, match="line 1: an answerable question needs"):
        load_jsonl(write_lines(tmp_path, [item(evidence=[])]))
    [unans] = load_jsonl(write_lines(tmp_path, [item(evidence=[], answerable=False)]))
    assert not unans.answerable


def test_evidence_not_in_corpus_is_reported_with_its_line(tmp_path):
    items = load_jsonl(write_lines(tmp_path, [item(), item(id="q2", evidence=["Putin met Obama"])]))
    with pytest.raises(GoldError, match=r"line 2 \(q2\): evidence not found verbatim"):
        locate_evidence(items, DOCS)


def test_quotes_are_located_across_line_breaks():
    assert locate("Putin met Erdogan", DOCS["a.md"]) == (0, 17)
    start, end = locate("Russian jet in 2015", DOCS["a.md"])
    assert DOCS["a.md"][start:end] == "Russian jet\nin 2015"
    assert locate("Russian plane", DOCS["a.md"]) is None


def squad_slice(tmp_path):
    context = "Super Bowl 50 was an American football game. The Denver Broncos defeated the Carolina Panthers."
    data = {"version": "1.1", "data": [{"title": "Super_Bowl_50", "paragraphs": [{"context": context, "qas": [
        {"id": "s1", "question": "Who won Super Bowl 50?",
         "answers": [{"text": "Denver Broncos", "answer_start": context.find("Denver")},
                     {"text": "The Denver Broncos", "answer_start": context.find("The Denver")}]},
        {"id": "s2", "question": "What kind of game was it?",
         "answers": [{"text": "American football", "answer_start": 21}]}]}]}]}
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(data))
    return path, data


def test_squad_contexts_become_a_corpus_and_answers_references(tmp_path):
    path, _ = squad_slice(tmp_path)
    docs, items = load_squad(path)
    assert list(docs) == ["00-Super-Bowl-50.txt"]
    text = docs["00-Super-Bowl-50.txt"]
    assert text.startswith("Super Bowl 50\n\n")
    assert items[0].answers == ("Denver Broncos", "The Denver Broncos")
    [ev] = items[0].evidence  # both answers lie in the same sentence
    assert text[ev.start:ev.end] == ev.quote == "The Denver Broncos defeated the Carolina Panthers."
    corpus = write_corpus(docs, tmp_path / "corpus")
    assert (corpus / "00-Super-Bowl-50.txt").read_text() == text


def test_squad_problems_are_reported(tmp_path):
    path, data = squad_slice(tmp_path)
    data["data"][0]["paragraphs"][0]["qas"][1]["answers"][0]["text"] = "basketball"
    del data["data"][0]["paragraphs"][0]["qas"][0]["question"]
    path.write_text(json.dumps(data))
    with pytest.raises(GoldError) as exc:
        load_squad(path)
    assert "qas[0] (s1): missing 'question'" in str(exc.value)
    assert "answer 'basketball' not found" in str(exc.value)
    path.write_text('{"data": [\n  {"title": }')
    with pytest.raises(GoldError, match="malformed JSON \\(line 2"):
        load_squad(path)


def test_sample_is_seeded_and_keeps_order():
    items = list(range(100))
    assert sample(items, 10, seed=0) == sample(items, 10, seed=0)
    assert sample(items, 10, seed=0) != sample(items, 10, seed=1)
    assert sample(items, 10, seed=0) == sorted(sample(items, 10, seed=0))
    assert sample(items, None, seed=0) == items and sample(items, 500, seed=0) == items
    with pytest.raises(ValueError):
        sample(items, 0, seed=0)


def test_squad_calibration_split_is_never_evaluated(tmp_path):
    from qa.evaluation.squad import calibration_split

    context = "Alpha beta gamma delta."
    qas = [{"id": f"q{i}", "question": f"Question {i}?", "answers": [{"text": "beta", "answer_start": 6}]}
           for i in range(20)]
    path = tmp_path / "squad.json"
    path.write_text(json.dumps({"data": [{"title": "T", "paragraphs": [{"context": context, "qas": qas}]}]}))
    _, items = load_squad(path)
    reserved = {q["id"] for q in qas if calibration_split(q["id"])}
    assert reserved and len(reserved) < 20
    assert {i.id for i in items} == {q["id"] for q in qas} - reserved


def test_squad_v2_unanswerable_questions_and_an_article_filter(tmp_path):
    from qa.evaluation.squad import calibration_split

    path, data = squad_slice(tmp_path)
    impossible = [{"id": f"u{i}", "question": f"Who lost Super Bowl {i}?", "answers": [], "is_impossible": True,
                   "plausible_answers": [{"text": "Carolina Panthers", "answer_start": 70}]} for i in range(6)]
    data["data"][0]["paragraphs"][0]["qas"] += impossible
    data["data"].append({"title": "Other", "paragraphs": [{"context": "Nothing here at all.", "qas": []}]})
    path.write_text(json.dumps(data))
    docs, items = load_squad(path)
    kept = [q["id"] for q in impossible if not calibration_split(q["id"])]
    unanswerable = [i for i in items if not i.answerable]
    assert kept and [i.id for i in unanswerable] == kept and all(not i.evidence for i in unanswerable)
    assert len(docs) == 2
    docs, only = load_squad(path, ["Super_Bowl_50"])
    assert list(docs) == ["00-Super-Bowl-50.txt"] and len(only) == len(items)
    with pytest.raises(GoldError, match="no article titled Nope"):
        load_squad(path, ["Nope"])


def test_a_quote_copied_with_its_markdown_markup_is_located_in_the_plain_text():
    text = "Notes\n\n(2) http://tass.com/politics/934814\n\nTheme: US NATO War Agenda"
    assert locate("(2) <http://tass.com/politics/934814>", text) == (7, 42)
    assert locate("Theme: [US NATO War Agenda](#)", text) == (44, 69)
    assert locate("Theme: [Something else](#)", text) is None
