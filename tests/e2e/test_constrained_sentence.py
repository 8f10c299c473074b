"""Issue 25 end to end: the real SmolLM2 says the span the reader found as one checked sentence, under the
vocabulary constraint."""

from __future__ import annotations

import pytest

from common import ARTICLE
from index.markup import to_plain
from qa.citations import strip_markers
from qa.constrained import WORD, allowed_words, draft_sentence, model_sentence, sentence_problem
from qa.generation import make_generator

pytestmark = pytest.mark.e2e
QUESTION = "Who is Putin's spokesman?"
SPAN = "Dmitry Peskov"


@pytest.fixture(scope="module")
def generator(real_settings):
    return make_generator(real_settings).load()


@pytest.fixture(scope="module")
def passage() -> str:
    """The article's paragraph (as indexed: plain text) holding the sentence that names Putin's spokesman."""
    return next(p for p in to_plain(ARTICLE.read_text(encoding="utf-8")).split("\n\n")
                if "Putin's spokesman, Dmitry Peskov" in " ".join(p.split()))


def test_smollm2_says_putins_spokesman_in_one_checked_sentence(generator, passage):
    draft = draft_sentence(generator, QUESTION, SPAN, passage)
    assert draft.problem is None, draft  # the draft itself: a second decode to explain a failure could differ
    sentence = model_sentence(generator, QUESTION, SPAN, passage, 1)
    assert sentence is not None, f"the same decode gave another draft this time: {draft}"
    assert SPAN in sentence and sentence.endswith(" [1].")
    body = strip_markers(sentence)
    assert sentence_problem(body, QUESTION, passage, SPAN) is None
    # every word decoded is an allowed word (or what an apostrophe splits off)
    allowed = allowed_words(QUESTION, passage, SPAN)
    assert all(w in allowed or w == "s" for w in WORD.findall(body))


def test_under_the_constraint_no_word_comes_from_outside_the_question_and_span(generator, passage):
    """The default scope: the decoder writes only the question's and span's words (and function words), so the
    check never has to refuse a word of the model's own."""
    draft = draft_sentence(generator, QUESTION, SPAN, passage, constraint="words")
    assert "is in neither the question nor the passage" not in (draft.problem or "")
    allowed = allowed_words(QUESTION, "", SPAN)
    assert all(w in allowed or w == "s" for w in WORD.findall(draft.sentence))


@pytest.mark.parametrize("question, span, text, expected", [
    ("When was the article published?", "March 12, 2017", "Global Research, March 12, 2017",
     "The article was published on March 12, 2017."),
    ("On what date were the meetings at the Kremlin planned?", "March 10th",
     "Putin's spokesman told reporters a day ahead of the planned March 10th meetings at the Kremlin.",
     "The meetings at the Kremlin were planned on March 10th."),
    ("Which country is Turkey seeking out as a new strategic partner?", "Russia",
     "Seeking out a new strategic partnership like Russia, is apparently key to this policy.",
     "Turkey is seeking out Russia as a new strategic partner."),
    # a new user's document (session 22): the subject whole, not "The joining is fee 500 pounds."
    ("How much is the joining fee?", "500 pounds",
     "The joining fee is 500 pounds, which can be paid in monthly instalments.", "The joining fee is 500 pounds."),
    ("How long is a library card valid?", "three years", "A library card is issued on the spot and is valid for "
     "three years.", "A library card is valid for three years."),  # not "A library card valid is three years."
])
def test_smollm2_chooses_the_well_formed_statement(generator, question, span, text, expected):
    """Among the statements qa.statements makes (subject end, preposition, answer place left open), the model's
    most probable one is the one a person would write (int8 scoring chose "The meetings were at the Kremlin
    planned ...")."""
    draft = draft_sentence(generator, question, span, text)
    assert (draft.sentence, draft.problem) == (expected, None)
