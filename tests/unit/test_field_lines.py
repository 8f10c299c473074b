"""A labelled line's value as the answer to a question asking for its label (qa.field_lines)."""

import pytest

from index.chunking import Passage
from qa.field_lines import labelled_value

GUIDE = ("Walk 2: Oxley Bridge and the Railway Path\n\nA level walk.\n\nAt a glance\n\nDistance: 10 km (6.25 miles)\n"
         "Start: Oxley Bridge Old Station\nParking: Old Station car park, free (40 spaces)\n\n"
         "Walk 3: Fennick Woods and the Hermit's Cave\n\nA woodland walk.\n\nAt a glance\n\n"
         "Distance: 8 km (5 miles)\nStart: Fennick village green\nParking: free car park behind St Oswin's Church\n")


def _passage(text: str, title: str = "Walks in the Wendle Valley") -> Passage:
    heads = [line for line in text.split("\n") if line.startswith(("Walk ", "At a glance"))]
    marks, at = [], 0
    for head in heads:
        at = text.index(head, at)
        marks.append((at, at + len(head), "heading"))
        at += len(head)
    return Passage(text, "walks.epub", 0, len(text), title=title, marks=tuple(marks))


def _value(question: str, text: str = GUIDE, title: str = "Walks in the Wendle Valley") -> str | None:
    found = labelled_value(question, [_passage(text, title)])
    return None if found is None else text[found[1]:found[2]]


@pytest.mark.parametrize("question, value", [
    # session 38: the reader took "Kelderby" from the introduction's "starting at Kelderby"
    ("Where does the Fennick walk start?", "Fennick village green"),
    ("Where does the Oxley Bridge walk start?", "Oxley Bridge Old Station"),
    ("Where do I park for the Fennick walk?", "free car park behind St Oswin's Church"),
    ("Where does the walk start?", None),  # two walks' lines, two values
    ("Where does the Stainmoor walk start?", None),  # no section names Stainmoor
    ("Does the Fennick walk start on the green?", None),  # a yes/no question
    ("Who looks after the Fennick walk?", None),  # no label asked
])
def test_the_line_a_question_asks_for_by_its_label_under_a_heading_naming_the_rest(question, value):
    assert _value(question) == value


def test_a_line_labelled_with_what_the_question_names_is_no_answer_of_another_form():
    """"When is the Harvest Half Marathon?" asks a date, not the notes that race's line gives."""
    races = "Race calendar\n\nHarvest Half Marathon date 26 September 2027.\nHarvest Half Marathon: Club members £24.\n"
    assert _value("When is the Harvest Half Marathon?", races, "Race calendar") is None
    assert _value("What is the energy rating?", "Specification\n\nEnergy rating: A.\nNoise: 49 dB\n", "W8") == "A"


def test_the_read_stage_answers_with_the_labelled_line_over_a_sure_span_elsewhere():
    from qa.reader_spans import Reading
    from qa.reading import ReadStage

    intro = "How to use this guide\n\nThe walks are arranged in order up the valley, starting at Kelderby."

    class SureOfTheIntroduction:
        margin = 1.0

        def read(self, question, passages, excluded=None):
            at = intro.index("Kelderby")
            return [Reading(1, at, at + 8, "Kelderby", 11.2, 0.0)]

    passages = [_passage(GUIDE), Passage(intro, "walks.epub", 0, len(intro), title="Walks in the Wendle Valley")]
    verdict = ReadStage(SureOfTheIntroduction())("Where does the Fennick walk start?", passages)
    assert verdict.reading.text == "Fennick village green" and verdict.reading.passage == 0
    assert ReadStage(SureOfTheIntroduction())("Where does the walk begin?", passages).reading.text == "Kelderby"


def test_a_long_value_is_no_labelled_line_and_a_span_within_the_value_stands():
    from qa.reader_spans import Reading
    from qa.reading import ReadStage

    text = ("Your move\n\nHome demonstration: before you move in, our site manager will walk you round the house and "
            "show you how the heating works. This is booked for Wednesday 25 March at 2pm.\n")
    assert _value("When is the home demonstration?", text, "Completion") is None
    short = "Notes\n\nHome demonstration: Wednesday 25 March at 2pm in the show home\n"

    class SureOfTheDate:
        margin = 1.0

        def read(self, question, passages, excluded=None):
            at = short.index("Wednesday")
            return [Reading(0, at, at + 25, short[at:at + 25], 9.0, 0.0)]

    verdict = ReadStage(SureOfTheDate())("When is the home demonstration?", [_passage(short, "Completion")])
    assert verdict.reading.text == "Wednesday 25 March at 2pm"


BINS = ("COLLECTION DAYS\n\nYour blue bin and black bin are collected on the same day of the week. Collection days "
        "by area are:\n\nTown Centre and Riverside: Monday\nNorthfield: Tuesday\nAshby and Hollins Green: Wednesday\n"
        "Oakfield, Stanton and the outlying villages: Friday\n\nGreen bins are collected on a separate day.\n")


@pytest.mark.parametrize("question, value", [
    # session 43: "What about Ashby?" read "What day are bins collected in Ashby?" got no answer; a label naming several
    # places labels each, and the list's lead-in ("Collection days by area are:") names what the lines give
    ("What day are bins collected in Ashby?", "Wednesday"),
    ("When are bins collected in Hollins Green?", "Wednesday"),
    ("What day are bins collected in Riverside?", "Monday"),
    ("What day are bins collected in Hollins?", None),  # part of a name is not the name
    ("What day are bins collected in Eastfield?", None),  # no line labels it
])
def test_a_label_naming_several_places_under_a_lead_in_saying_what_the_list_gives(question, value):
    assert _value(question, BINS, "Westmere Borough Council") == value


def test_a_price_asked_names_a_label_of_a_price_and_a_monthly_one_a_month():
    """Session 44 (held-out broadband summary): "How much is it per month?" got "£2.00" of the yearly rise, not the
    summary's "Monthly price: £27.50"."""
    text = "Service: Full fibre\nMonthly price: £27.50\nSetup fee: £29.99, charged on your first bill"
    assert _value("How much is it per month?", text, "Kestrel Home Fibre") == "£27.50"
    assert _value("How much is the setup fee?", text, "Kestrel Home Fibre") == "£29.99, charged on your first bill"
    assert _value("What is the service?", text, "Kestrel Home Fibre") == "Full fibre"
