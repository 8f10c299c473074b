"""The cause a causative verb states (qa.causes), and the reader stage taking it over a surer span elsewhere."""

import pytest

from index.chunking import Passage
from qa.causes import cause_unstated, causative_cause, with_stated_cause

NADIR = ("The downing of a Russian jet in 2015 by Turkish missile fire, and the assassination last December of the "
         "Russian ambassador in Ankara, brought the bi-lateral relations to a nadir, or an abyss. Despite these "
         "setbacks, issues of mutual regional interest brought the two reluctant partners together again.")
DOWNING = NADIR.split(", brought")[0]


@pytest.mark.parametrize("question, cause", [
    ("Why did relations hit a nadir?", DOWNING),
    ("What two events pushed relations to their lowest point?", DOWNING),  # the same way down
    ("What caused relations between Russia and Turkey to deteriorate?", DOWNING),
    ("What brought the two reluctant partners together again?", "issues of mutual regional interest"),
    ("What made ties between Moscow and Ankara sink so low?", DOWNING),  # ties are relations (session 40)
    ("What caused relations to improve?", None),  # the other way
    ("Why did the talks fail?", None),  # nothing the sentence says was moved
    ("Who shot down the Russian jet?", None),  # no cause asked
])
def test_a_causative_sentence_states_the_cause_asked(question, cause):
    found = causative_cause(question, [Passage(NADIR, "a.md", 0, len(NADIR))])
    assert (NADIR[found[1]:found[2]] if found else None) == cause


def test_two_different_causes_of_the_same_are_no_answer():
    one = "Heavy rain drove the river to a record height. The lane was closed."
    two = one + " Melting snow drove the river to a record height in 1947."
    question = "Why did the river reach a record height?"
    assert causative_cause(question, [Passage(one, "a.md", 0, len(one))]) == (0, 0, len("Heavy rain"))
    assert causative_cause(question, [Passage(two, "a.md", 0, len(two))]) is None


class _SureElsewhere:
    """A reader sure of a purpose clause in the first passage, whatever it is asked."""

    margin = 1.0

    def read(self, question, passages, excluded=None):
        from qa.reader_spans import Reading

        span = "to offset Iran's influence in the region"
        start = passages[0].find(span)
        return [Reading(0, start, start + len(span), span, 5.0, 0.0)] if start >= 0 else []


def test_the_read_stage_answers_with_the_stated_cause():
    from qa.reading import ReadStage

    other = "Israel seeks better ties with Russia to offset Iran's influence in the region."
    passages = [Passage(other, "a.md", 0, len(other)), Passage(NADIR, "a.md", 100, 100 + len(NADIR))]
    verdict = ReadStage(_SureElsewhere())("Why did relations hit a nadir?", passages)
    assert verdict.reading.passage == 1 and verdict.reading.text == DOWNING
    assert ReadStage(_SureElsewhere())("Why does Israel seek better ties?", passages).reading.passage == 0


def test_a_cause_stated_in_a_passage_ranked_lower_takes_the_last_place():
    question = "What caused relations between Russia and Turkey to deteriorate?"
    other = [Passage(f"Paragraph {i} on the summit agenda.", "a.md", 10 * i, 10 * i + 30) for i in range(4)]
    nadir = Passage(NADIR, "a.md", 500, 500 + len(NADIR))
    assert cause_unstated(question, other) and not cause_unstated(question, [nadir])
    assert not cause_unstated("Who shot down the Russian jet?", other)  # no cause asked
    assert with_stated_cause(question, other, [*other, nadir]) == [*other[:3], nadir]
    assert with_stated_cause(question, other, other) == other  # none states it: as they were
