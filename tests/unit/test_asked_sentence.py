"""The sentence of a span's paragraph that names more of the question is read instead of the span's own (session
33: a board game's "How do I relight a lighthouse?" got "put its tile in the box", from the sentence before)."""

import pytest

from index.chunking import Passage
from qa.passage_regions import asked_sentence
from qa.reader_spans import Reading
from qa.reading import ReadStage

RULES = ("A ship within sight of a dark lighthouse at the end of a turn is wrecked: put its tile in the box. To "
         "relight a dark lighthouse, a keeper on it must spend two actions and 2 oil tokens.\n\nYou all win when 8 "
         "ships have reached harbour.")


@pytest.mark.parametrize("question, span, sentence", [
    ("How do I relight a lighthouse?", "put its tile in the box",
     "To relight a dark lighthouse, a keeper on it must spend two actions and 2 oil tokens."),
    # the span's sentence names as much as any other: it stays
    ("What happens to a ship near a dark lighthouse?", "is wrecked", None),
    ("How many ships must reach harbour to win?", "8", None),  # another paragraph's sentence is not read
    # the other sentence names more, but not each word the span's names ("wrecked"): it stays
    ("What is wrecked when a keeper relights a lighthouse?", "A ship", None),
    ("How does a keeper relight a ship?", "put its tile in the box", None),  # no sentence names every word
])
def test_asked_sentence(question, span, sentence):
    at = RULES.index(span)
    found = asked_sentence(question, RULES, at, at + len(span))
    assert (RULES[found[0]:found[1]] if found else None) == sentence


class SentenceReader:
    """Finds the tile in the whole paragraph, and what a keeper must spend in the relight sentence read alone."""

    margin = 1.0

    def __init__(self, alone: float = 5.0):
        self.alone = alone

    def read(self, question, passages, excluded=None):
        out = []
        for i, text in enumerate(passages):
            alone = text.startswith("To relight")
            span = "must spend two actions and 2 oil tokens" if alone else "put its tile"
            at = text.find(span)
            if at >= 0:
                out.append(Reading(i, at, at + len(span), span, self.alone if alone else 5.0, 0.0))
        return out


def test_the_read_stage_reads_the_sentence_naming_the_question_where_it_is_sure_there():
    passages = [Passage(RULES, "rules.md", 0, len(RULES))]
    verdict = ReadStage(SentenceReader())("How do I relight a lighthouse?", passages)
    assert verdict.reading is not None and verdict.reading.text == "must spend two actions and 2 oil tokens"
    verdict = ReadStage(SentenceReader(alone=0.5))("How do I relight a lighthouse?", passages)  # under the margin
    assert verdict.reading is not None and verdict.reading.text == "put its tile"


def test_a_question_is_never_the_sentence_read_instead():
    faq = "Can I stack a tumble dryer on top? Only with the stacking kit, sold separately."
    at = faq.index("Only")
    assert asked_sentence("Can I put a tumble dryer on top of it?", faq, at, at + 4) is None


def test_a_sentence_naming_more_but_not_all_of_the_question_is_not_read_instead():
    fire = ("On the night of 19 January 1874 fire broke out in the carding room. The fire destroyed the north wing "
            "but no one was killed.")
    at = fire.index("no one was killed")
    assert asked_sentence("Did anyone die in the 1874 fire?", fire, at, at + 17) is None
    deal = "Turkey wants the S-400 system from Russia. This deal will be on the table at the summit."
    at = deal.index("on the table")  # its sentence names nothing asked: the reader found it by "This deal"
    assert asked_sentence("Where will the S-400 system be discussed?", deal, at, at + 12) is None
