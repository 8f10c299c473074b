"""Evaluation runner and reports with fake assistants: conversations, right vs wrong systems, files written."""

import json
import time
from types import SimpleNamespace

import pytest

from common import ROOT
from index.chunking import Passage
from qa import Answer, AnswerSentence, Citation, Settings
from qa.evaluation import evaluate
from qa.evaluation.gold import GoldItem
from qa.evaluation import runner
from qa.evaluation.runner import run_items
from qa.events import Completed, TextDelta

DOC = ("Putin met Erdogan in Moscow on March 10th. "
       "The downing of a Russian jet in 2015 by Turkish missile fire hurt relations. "
       "Bananas are yellow and grow in warm places.")
GOLD = [
    {"id": "a1", "question": "Where did Putin meet Erdogan?", "answer": "Moscow", "evidence": ["Putin met Erdogan in Moscow"]},
    {"id": "a2", "question": "What hurt relations?", "answer": "The downing of a Russian jet",
     "evidence": ["The downing of a Russian jet in 2015"]},
    {"id": "u1", "question": "What was the price?", "answer": "The article does not say.", "evidence": [],
     "answerable": False},
]
RIGHT = {"a1": ("Putin met Erdogan in Moscow.", 0), "a2": ("The downing of a Russian jet in 2015 hurt relations.", 1)}


def sentence_passage(index):
    starts = [0, DOC.find("The downing"), DOC.find("Bananas")]
    end = starts[index + 1] - 1 if index < 2 else len(DOC)
    return Passage(DOC[starts[index]:end], "a.md", starts[index], end, 0.5)


class FakeClock:
    """A perf_counter stand-in that only moves when a fake assistant spends time."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class FakeAssistant:
    """Answers through the public ask_stream contract; `mode` decides whether it is right or wrong.

    With a `clock`, each streamed word takes `delay` seconds of that clock (no real sleeping)."""

    def __init__(self, mode="right", delay=0.0, clock=None):
        self.mode, self.delay, self.clock = mode, delay, clock
        self.settings = Settings(top_k=2)
        self.generator = SimpleNamespace(model_id="fake")
        self.embedder = SimpleNamespace(model_id="fake")
        self.store = SimpleNamespace(documents={"a.md": SimpleNamespace(text=DOC)})
        self.calls = []

    def answer(self, question):
        gold = next((g for g in GOLD if g["question"] == question), None)
        item = gold["id"] if gold else None
        if self.mode == "abstain" or (self.mode == "right" and item == "u1"):
            return Answer("The documents do not contain an answer to this question.", [], True, question,
                          [sentence_passage(2)])
        if self.mode == "wrong":
            passages = [sentence_passage(2)]
            text = "Bananas grow in Brazil since 1990."
            return Answer(text + " [1]", [Citation.from_passage(1, passages[0])], False, question, passages,
                          [AnswerSentence(text, (1,), 0.2)])
        text, index = RIGHT.get(item, (f"answer to {question}", 0))
        passages = [sentence_passage(index), sentence_passage(2)]
        return Answer(text + " [1]", [Citation.from_passage(1, passages[0])], False, question, passages,
                      [AnswerSentence(text, (1,), 1.0)])

    def ask_stream(self, question, history=None, top_k=None):
        self.calls.append((question, list(history or [])))
        answer = self.answer(question)
        for word in answer.text.split():
            if self.clock is not None:
                self.clock.now += self.delay
            yield TextDelta(word + " ")
        yield Completed(answer)


@pytest.fixture
def gold_file(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(g) for g in GOLD) + "\n")
    return path


def test_conversation_turns_are_answered_first_and_fed_back():
    fake = FakeAssistant()
    turn = GoldItem("c3", "And then?", ("x",), (), False, ("First?", "Second?"))
    run_items(fake, [turn, GoldItem("c2", "Second?", ("x",), (), False, ("First?",))], progress=False)
    assert fake.calls == [
        ("First?", []),
        ("Second?", [("First?", "answer to First? [1]")]),
        ("And then?", [("First?", "answer to First? [1]"), ("Second?", "answer to Second? [1]")]),
    ]  # each turn asked once, with the assistant's own earlier answers as history


def test_right_system_scores_high_on_every_metric(gold_file, tmp_path):
    s = evaluate(gold_file, assistant=FakeAssistant("right"), out_dir=tmp_path / "out", progress=False)["summary"]
    for key in ("hit@1", "hit@k", "recall@k", "mrr", "f1", "containment", "faithfulness", "citation_precision",
                "citation_recall", "abstention_unanswerable"):
        assert s[key] > 0.3, key
    assert s["wrong_abstention_answerable"] == 0.0 and s["containment"] == 1.0 and s["faithfulness"] == 1.0


def test_wrong_system_scores_low_on_every_metric(gold_file, tmp_path):
    report = evaluate(gold_file, assistant=FakeAssistant("wrong"), out_dir=tmp_path / "out", progress=False)
    s = report["summary"]
    for key in ("hit@1", "hit@k", "recall@k", "mrr", "em", "f1", "containment", "faithfulness",
                "citation_precision", "citation_recall", "abstention_unanswerable"):
        assert s[key] == 0.0, key
    failed = {r["id"]: r["failed"] for r in report["rows"]}
    assert {"containment", "hit@2", "citation_precision", "citation_recall", "faithfulness"} <= set(failed["a1"])
    assert "did not abstain" in failed["u1"]
    row = report["rows"][0]
    assert row["sentences"] == [{"text": "Bananas grow in Brazil since 1990.", "markers": [1], "quote": False,
                                 "origin": "quote", "supported": False, "right_proxy": False}]


def test_always_abstaining_system_fails_wrong_abstention(gold_file, tmp_path):
    s = evaluate(gold_file, assistant=FakeAssistant("abstain"), out_dir=tmp_path / "out", progress=False)["summary"]
    assert s["abstention_unanswerable"] == 1.0 and s["wrong_abstention_answerable"] == 1.0
    assert s["containment"] == 0.0 and s["faithfulness"] is None


def test_slow_system_shows_higher_latency_and_lower_token_rate(gold_file, tmp_path, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(runner, "time", SimpleNamespace(perf_counter=clock, strftime=time.strftime,
                                                        gmtime=time.gmtime))
    fast = evaluate(gold_file, assistant=FakeAssistant(delay=0.002, clock=clock), out_dir=tmp_path / "f",
                    progress=False, write=False)
    slow = evaluate(gold_file, assistant=FakeAssistant(delay=0.02, clock=clock), out_dir=tmp_path / "s",
                    progress=False, write=False)
    # every streamed word costs `delay`: the first arrives after one delay, the rest at 1/delay words per second
    assert slow["summary"]["first_token_p95_s"] == pytest.approx(0.02)
    assert fast["summary"]["first_token_p95_s"] == pytest.approx(0.002)
    assert slow["summary"]["total_p50_s"] == pytest.approx(10 * fast["summary"]["total_p50_s"])
    assert slow["summary"]["tokens_per_s"] == pytest.approx(fast["summary"]["tokens_per_s"] / 10)
    assert 50 < slow["summary"]["tokens_per_s"] < 100  # words after the first, over the time after the first
    assert fast["meta"]["token_count"] == "whitespace"


def test_report_files_hold_summary_rows_and_plots(gold_file, tmp_path):
    out = tmp_path / "out"
    report = evaluate(gold_file, assistant=FakeAssistant("wrong"), out_dir=out, limit=2, progress=False)
    names = ["latency.png", "metrics.png", "report.json", "report.md", "rows.jsonl"]
    assert sorted(p.name for p in out.iterdir()) == names
    assert json.loads((out / "report.json").read_text())["summary"] == report["summary"]
    assert [json.loads(x)["id"] for x in (out / "rows.jsonl").read_text().splitlines()] == ["a1", "a2"]
    md = (out / "report.md").read_text()
    assert "| retrieval | retrieval hit@2 |" in md and "| a2 |" in md and "u1" not in md  # --limit 2
    assert "Bananas grow in Brazil" in md and "citation_precision" in md and "a.md:" in md
    for png in ("metrics.png", "latency.png"):
        assert (out / png).read_bytes()[:4] == b"\x89PNG"


def test_an_interrupted_run_keeps_the_rows_scored_so_far(gold_file, tmp_path):
    class Interrupted(FakeAssistant):
        def ask_stream(self, question, history=None, top_k=None):
            if len(self.calls) == 2:
                raise KeyboardInterrupt
            yield from super().ask_stream(question, history, top_k)

    with pytest.raises(KeyboardInterrupt):
        evaluate(gold_file, assistant=Interrupted(), out_dir=tmp_path / "out", progress=False)
    rows = (tmp_path / "out" / "rows.jsonl").read_text().splitlines()
    assert [json.loads(x)["id"] for x in rows] == ["a1", "a2"]


def test_a_question_that_raises_is_reported_not_dropped(tmp_path):
    class Broken(FakeAssistant):
        def ask_stream(self, question, history=None, top_k=None):
            raise ValueError("question is too long")

    rows = run_items(Broken(), [GoldItem("x", "q?", ("a",), (), True)], progress=False)
    assert rows[0]["failed"] == ["error"] and "too long" in rows[0]["error"]


def test_real_assistant_with_fake_models_runs_through_the_public_api(article_corpus, tmp_path, hashing_embedder):
    from fakes import ScriptedGenerator, ScriptedReader
    from qa import Assistant

    settings = Settings(data_dir=tmp_path / "data")
    assistant = Assistant.from_corpus(article_corpus, settings, embedder=hashing_embedder, show_progress=False,
                                      generator=ScriptedGenerator("Bananas are yellow [1]."),
                                      reader=ScriptedReader({"When was the article published?": "March 12, 2017"}))
    gold = ROOT / "gold" / "russia-turkey.jsonl"
    report = evaluate(gold, article_corpus, assistant=assistant, limit=5, out_dir=tmp_path / "out", progress=False)
    assert report["summary"]["questions"] == 5 and report["summary"]["errors"] == 0
    for row in report["rows"]:  # whatever the assistant does with the bad reply, every row is scored
        assert row["passages"] and "hit@4" in row["scores"] and row["timing"]["total_s"] > 0
