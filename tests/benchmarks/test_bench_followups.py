"""Follow-up benchmark helpers (benchmarks/followups.py): the model rewrite's prompt and cleaning, the history built
from gold answers, F1 with alternatives, and the summary, without loading a model."""

from __future__ import annotations

from benchmarks.followups import (clean_rewrite, conversation_answers, f1, history_of, model_standalone_question,
                                  rewrite_messages, summarize)
from qa.evaluation.gold import GoldItem

NATO = [("Is Turkey moving away from NATO?", "Yes")]


class FakeGenerator:
    model_id = "fake"

    def __init__(self, text: str):
        self.text, self.calls = text, []

    def stream(self, messages, max_new_tokens):
        self.calls.append(messages)
        words = self.text.split(" ")
        yield words[0]
        yield from (" " + w for w in words[1:])


def test_model_rewrite_reads_the_first_line_and_asks_only_for_follow_ups():
    generator = FakeGenerator("Why is Turkey moving away from NATO?\nExplanation: ...")
    assert model_standalone_question(generator, "Why?", NATO) == "Why is Turkey moving away from NATO?"
    messages = generator.calls[0]
    assert messages[0]["role"] == "system" and messages[-1]["role"] == "user"
    assert "Is Turkey moving away from NATO?" in messages[-1]["content"] and "Why?" in messages[-1]["content"]
    assert rewrite_messages("Why?", NATO) == messages
    quiet = FakeGenerator("anything")
    question = "What does Turkey want to buy from Russia?"
    assert model_standalone_question(quiet, question, NATO) == question and not quiet.calls
    assert model_standalone_question(quiet, "Why?", []) == "Why?" and not quiet.calls


def test_clean_rewrite():
    assert clean_rewrite("", "Why?") == "Why?"
    assert clean_rewrite("\n  \n", "Why?") == "Why?"
    assert clean_rewrite('Question: "Where does Maria live?"', "Where?") == "Where does Maria live?"
    assert clean_rewrite("Q: What is the capital of Turkey?", "What?") == "What is the capital of Turkey?"
    assert clean_rewrite("Russia wants to buy Turkey from them.", "What?") == "Russia wants to buy Turkey from them?"


def item(id_, question, answer, history=(), alternatives=(), **extra):
    return GoldItem(id_, question, (answer, *alternatives), (), True, tuple(history), 0, extra)


def test_history_takes_the_gold_answers_of_the_same_conversation_else_the_reader():
    items = [item("turn-02a", "Who is the president?", "Erdogan"),
             item("turn-02b", "Which city did he travel to?", "Moscow", ["Who is the president?"]),
             item("turn-09a", "Who is the president?", "Putin"),
             item("turn-02c", "Why?", "Talks", ["Who is the president?", "Which city did he travel to?", "Other?"])]
    answers = conversation_answers(items)
    asked = []

    def reader(question, pairs):
        asked.append((question, list(pairs)))
        return "read"

    history = history_of(items[3], answers, reader)
    assert history == [("Who is the president?", "Erdogan"), ("Which city did he travel to?", "Moscow"),
                       ("Other?", "read")]
    assert asked == [("Other?", history[:2])]


def test_f1_takes_the_best_reference_and_no_answer_scores_zero():
    gold = item("x", "q", "The European Union", alternatives=["the EU"])
    assert f1(None, gold) == 0.0 and f1("", gold) == 0.0
    assert f1("the EU", gold) == 1.0
    assert 0 < f1("Union", gold) < 1


def test_summary_counts_answerable_and_unanswerable_apart():
    def row(answerable, answer, hit, f, best, repeats=False):
        option = {"answer": answer, "best_span": answer or "x", "hit@4": hit if answerable else None,
                  "f1": f if answerable else None, "f1_best": best if answerable else None, "repeats": repeats}
        return {"answerable": answerable, "options": {"a": option}}

    rows = [row(True, "Moscow", 1.0, 1.0, 1.0), row(True, None, 0.0, 0.0, 0.5, repeats=True), row(False, None, 0, 0, 0)]
    summary = summarize(rows)["a"]
    assert summary["n"] == 2 and summary["hit@4"] == 0.5 and summary["f1"] == 0.5 and summary["f1_best"] == 0.75
    assert summary["repeats"] == 1 and summary["no_answer_on_answerable"] == 1
    assert summary["no_answer_on_unanswerable"] == "1/1"
