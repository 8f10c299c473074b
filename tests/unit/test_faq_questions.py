"""An FAQ's own questions are never the answer: the answer after them is read (session 33, an appliance's and a
board game's FAQ: "stack" of "Can I stack a tumble dryer on top?" was shown for "Can I put a tumble dryer on top?")."""

import pytest

from index.chunking import Passage
from qa.reader_spans import Reading
from qa.reading import ReadStage
from qa.passage_regions import answer_after_question, in_question_sentence

FAQ = ("Frequently asked questions\n\nCan I stack a tumble dryer on top? Only with the stacking kit (part SK-200), "
       "sold separately.\n\nDoes it have a child lock?\n\nYes. Press and hold Temp and Spin for three seconds.")


@pytest.mark.parametrize("span, asking", [
    ("stack", True), ("child lock", True), ("stacking kit", False), ("Press and hold Temp and Spin", False),
    ("Frequently asked questions", False),
])
def test_a_span_in_a_sentence_that_asks_is_in_a_question(span, asking):
    at = FAQ.index(span)
    assert in_question_sentence(FAQ, at, at + len(span)) is asking


def test_the_answer_after_a_question_is_the_rest_of_its_paragraph_or_the_next_one():
    at = FAQ.index("stack")
    a, b = answer_after_question("", FAQ, at, at + 5)
    assert FAQ[a:b].strip() == "Only with the stacking kit (part SK-200), sold separately."
    at = FAQ.index("child lock")
    a, b = answer_after_question("", FAQ, at, at + 10)  # the question is a paragraph of its own: the next one
    assert FAQ[a:b].strip() == "Yes. Press and hold Temp and Spin for three seconds."
    at = FAQ.index("stacking kit")
    assert answer_after_question("", FAQ, at, at + 12) is None


class FaqReader:
    """Finds "stack" in the whole passage, and the kit in the answer read alone."""

    margin = 1.0

    def read(self, question, passages, excluded=None):
        out = []
        for i, text in enumerate(passages):
            word = "stacking kit" if text.lstrip().startswith("Only") else "stack"
            at = text.find(word)
            if at >= 0:
                out.append(Reading(i, at, at + len(word), word, 4.0, 0.0))
        return out


def test_the_read_stage_reads_the_answer_after_the_faq_question_its_span_was_in():
    passages = [Passage(FAQ, "w8.html", 0, len(FAQ))]
    verdict = ReadStage(FaqReader())("Can I put a tumble dryer on top of it?", passages)
    assert verdict.reading is not None and verdict.reading.text == "stacking kit"
