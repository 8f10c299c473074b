"""A conversation about a user's own documents (gold/own-documents: a bakery handbook and a library policy), with
the real models and the model's sentences on: short questions with a subject of their own, pronouns, a question the
documents do not answer (session 22's newcomer run)."""

from dataclasses import replace

import pytest

from common import ROOT

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def own_assistant(real_settings, real_assistant):
    from qa import Assistant

    return Assistant.from_corpus(ROOT / "gold" / "own-documents", replace(real_settings, model_sentences=True),
                                 generator=real_assistant.generator, show_progress=False)


def test_a_conversation_about_the_bakery_handbook(own_assistant):
    history = []

    def ask(question):
        answer = own_assistant.ask(question, history=history)
        history.append((question, answer.text))
        return answer

    founded = ask("When was the bakery founded?")
    assert founded.short_answer.text == "2011" and founded.citations[0].source == "bakery-handbook.md"
    # short, but not a follow-up: it read "When was the bakery founded? Who is the treasurer?" and had no sentence
    treasurer = ask("Who is the treasurer?")
    assert treasurer.short_answer.text == "Priya Natarajan"
    assert [s.text for s in treasurer.sentences if s.origin == "model"] == ["The treasurer is Priya Natarajan."]
    she = ask("What does she present?")
    assert "accounts" in she.short_answer.text
    model = [s.text for s in she.sentences if s.origin == "model"]
    assert model and model[0].startswith("Priya Natarajan presents the accounts"), model
    assert ask("Who is the head baker?").abstained


def test_the_joining_fee_is_said_with_the_whole_subject(own_assistant):
    answer = own_assistant.ask("How much is the joining fee?")
    assert answer.short_answer.text == "500 pounds"
    assert [s.text for s in answer.sentences if s.origin == "model"] == ["The joining fee is 500 pounds."]
