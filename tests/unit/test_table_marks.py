"""Yes or no from a table cell that holds only a mark (qa.table_marks), as index.tables says a row: a line a cell."""

import pytest

from index.chunking import Passage
from qa.polar import reading_verdict
from qa.reader_spans import Reading
from qa.reading import ReadStage
from qa.table_marks import cell_mark, marked_cell

CHART = ("Allergens\n\n"
         "Smoked haddock fish pie milk Yes.\nSmoked haddock fish pie nuts -.\nSmoked haddock fish pie celery Yes.\n\n"
         "Crab cakes with lime mayonnaise milk -.\nCrab cakes with lime mayonnaise nuts -.\n"
         "Crab cakes with lime mayonnaise fish ✓.\n\n"
         "Sticky toffee pudding milk Yes.\nSticky toffee pudding nuts May contain.")


def passage(text: str) -> Passage:
    return Passage(text, "chart.html", 0, len(text))


@pytest.mark.parametrize("question, line, mark", [
    ("Do the crab cakes contain nuts?", "Crab cakes with lime mayonnaise nuts -.", "no"),
    ("Is there milk in the fish pie?", "Smoked haddock fish pie milk Yes.", "yes"),
    ("Do the crab cakes have fish in them?", "Crab cakes with lime mayonnaise fish ✓.", "yes"),
    ("Do the crab cakes contain gluten?", "Crab cakes with lime mayonnaise nuts -.", ""),  # another column's cell
    ("Does the pudding contain nuts?", "Sticky toffee pudding nuts May contain.", ""),  # more than a mark
    ("Can I get the fish pie milk-free?", "Smoked haddock fish pie milk Yes.", ""),  # asks more than "has it milk?"
    ("Is the fish pie safe with a nut allergy?", "Smoked haddock fish pie nuts -.", ""),
    ("Is the fish pie made with milk?", "Smoked haddock fish pie milk Yes.", "yes"),
    ("Is the haddock pie with celery?", "Smoked haddock fish pie celery Yes.", "yes"),
])
def test_a_cell_s_mark_answers_a_question_naming_its_column(question, line, mark):
    at = CHART.index(line)
    value = line.rstrip(".").split()[-1]
    start = at + line.rindex(value)
    assert cell_mark(question, CHART, start, start + len(value)) == mark


@pytest.mark.parametrize("question, found", [
    ("Do the crab cakes contain nuts?", "Crab cakes with lime mayonnaise nuts -"),
    ("Does the smoked haddock pie have celery in it?", "Smoked haddock fish pie celery Yes"),
    ("Does the sticky toffee pudding contain milk?", "Sticky toffee pudding milk Yes"),
    ("Does the sticky toffee pudding contain nuts?", None),  # "May contain" settles nothing
    ("Does the lamb contain nuts?", None),  # no row's label named
    ("Is there a nut-free dessert?", None),
])
def test_the_mark_is_read_in_the_row_whose_label_the_question_names(question, found):
    where = marked_cell(question, [passage("The Harbour Bistro\n\nNo other text."), passage(CHART)])
    if found is None:
        assert where is None
    else:
        i, start, end = where
        assert i == 1 and CHART[CHART.rfind("\n", 0, start) + 1:end] == found


def test_a_row_may_be_named_by_another_of_its_cells():
    text = "John Innes No. 2 category Compost.\nJohn Innes No. 2 in stock No.\n\nOlive tree category Trees.\n" \
           "Olive tree in stock Yes."
    i, start, end = marked_cell("Is the John Innes compost in stock?", [passage(text)])
    assert text[start:end] == "No" and cell_mark("Is the John Innes compost in stock?", text, start, end) == "no"


def test_two_rows_named_as_much_give_no_mark():
    text = "Lemon tart milk Yes.\nLemon tart nuts -.\n\nLemon sorbet milk -.\nLemon sorbet nuts -."
    assert marked_cell("Does the lemon dessert contain milk?", [passage(text)]) is None
    assert marked_cell("Does the lemon tart contain milk?", [passage(text)])[0] == 0


class NoAnswerReader:
    """A reader that finds nothing above its margin."""

    margin = 1.0

    def read(self, question, passages, excluded=None):
        return [Reading(0, 0, 9, "Allergens", -5.0, 0.0)]


def test_the_read_stage_answers_from_a_dash_the_reader_never_reads_and_the_verdict_is_no():
    # a dash-only cell is kept from the reader (an empty cell's line), yet in a chart of marks it says "no"
    passages = [passage(CHART)]
    verdict = ReadStage(NoAnswerReader())("Do the crab cakes contain nuts?", passages)
    assert verdict.reading.text == "-"
    assert reading_verdict("Do the crab cakes contain nuts?", verdict.reading, passages) == "no"
    assert ReadStage(NoAnswerReader())("What do the crab cakes contain?", passages).reading is None  # not yes/no
