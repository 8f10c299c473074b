"""What someone said, read off the words the passages attribute to them (qa.speech), and the ReadStage using it."""

import pytest

from index.chunking import Passage
from qa.reader_spans import Reading
from qa.reading import ReadStage
from qa.speech import asked_speech, quotes_another, said_by

NEWS = ('Putin\'s spokesman, Dmitry Peskov, told reporters on Thursday, that the agenda would be "as wide as possible."'
        ' Relations had worsen."This is a process of normalization," Peskov said. At the summit President Putin said:'
        '\n\n"We are pleased that our ties are being restored. Trade is also being restored. We met yesterday,"(1).'
        '\n\nAccording to Smith, the talks will last a week.')
PASSAGES = [Passage(NEWS, "news.md", 0, len(NEWS))]


@pytest.mark.parametrize("question, asked", [
    ("What did Dmitry Peskov say?", ("Peskov", "")),
    ("What did Putin say about trade?", ("Putin", "trade")),
    ("What did Erdogan say at the opening of the summit?", ("Erdogan", None)),  # an occasion, not a topic
    ("What did Putin's spokesman say?", None),  # not the speaker's name
    ("What did the report say?", None),
    ("Who is Putin's spokesman?", None),
])
def test_a_question_asking_what_someone_said(question, asked):
    assert asked_speech(question) == asked


@pytest.mark.parametrize("question, said", [
    ("What did Dmitry Peskov say?", 'the agenda would be "as wide as possible'),  # a "that" clause after "told"
    ("What did Peskov say about normalization?", "This is a process of normalization"),  # quoted before the name
    ("What did Putin say about trade?", "Trade is also being restored"),  # the quoted sentence naming the topic
    ("What did Putin say about ties?", "We are pleased that our ties are being restored"),
    ("What did Smith say?", "the talks will last a week"),  # "According to Smith, ..."
    ("What did Putin say about the S-400?", None),  # no quotation of his names it: left to the reader
    ("What did Erdogan say?", None),  # nobody quotes him
    ("What did Putin say at the summit?", None),  # an occasion: left to the reader
])
def test_what_someone_said_is_what_the_passage_attributes_to_them(question, said):
    found = said_by(question, PASSAGES)
    assert (found.text if found else None) == said
    if found:
        assert NEWS[found.start:found.end] == said


def test_a_span_inside_another_speaker_s_quotation_is_no_answer_to_what_someone_said():
    start = NEWS.index('"We are pleased')  # the span may open with the quotation's mark
    span = Reading(0, start, start + 20, NEWS[start:start + 20], 8.0, 0.0)
    assert quotes_another("What did Erdogan say at the summit?", PASSAGES, span)
    assert not quotes_another("What did Putin say at the summit?", PASSAGES, span)  # his words
    outside = NEWS.index("Relations had")
    assert not quotes_another("What did Erdogan say?", PASSAGES, Reading(0, outside, outside + 9, "Relations", 8, 0))


class OneSpan:
    margin = 1.0

    def __init__(self, start, end):
        self.span = (start, end)

    def read(self, question, passages, excluded=None):
        return [Reading(0, *self.span, passages[0][slice(*self.span)], 8.0, 0.0)]


def test_the_read_stage_answers_what_someone_said_and_refuses_another_s_words():
    start = NEWS.index('"We are pleased')
    reader = OneSpan(start, start + 20)
    assert ReadStage(reader)("What did Putin say about trade?", PASSAGES).reading.text == "Trade is also being restored"
    verdict = ReadStage(reader)("What did Erdogan say at the summit?", PASSAGES)
    assert verdict.reading is None and "another speaker" in verdict.reason
    assert ReadStage(reader)("What did Putin say at the summit?", PASSAGES).reading.start == start


def test_whose_say_so_is_read_after_the_spans_according_to():
    """Session 40: "Who says so?" (read "According to whom does Putin maintain ...?") got "The Russian president for
    his part, maintains according to international affairs analysts"; the answer is what follows "according to"."""
    from qa.speech import claimant

    text = ('The Russian president for his part, maintains according to international affairs analysts "flexible '
            'relationships" with all three old and would be allies: Iran, Israel and Turkey.')
    span = "The Russian president for his part, maintains according to international affairs analysts"
    asked = "According to whom does Putin maintain flexible relationships with Iran, Israel and Turkey?"
    a, b = claimant(asked, text, 0, len(span))
    assert text[a:b] == "international affairs analysts"
    assert claimant("Who says Putin keeps flexible relationships?", text, 0, len(span)) == (a, b)
    assert claimant("With which three countries does Putin keep ties?", text, 0, len(span)) is None  # not asked
    assert claimant(asked, text, 0, len("The Russian president")) is None  # no "according to" in the span

    class Whole:
        margin = 1.0

        def read(self, question, passages, excluded=None):  # the long span, or all of a shorter region
            end = len(span) if len(passages[0]) > len(span) else len(passages[0])
            return [Reading(0, 0, end, passages[0][:end], 5.0, 0.0)]

    passages = [Passage(text, "a.md", 0, len(text))]
    assert ReadStage(Whole())(asked, passages).reading.text == "international affairs analysts"
