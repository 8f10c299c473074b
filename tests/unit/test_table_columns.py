"""A table row's columns: the first of like cells where the question names no column, a cell without its column's
name in the direct answer."""

import pytest

from qa.table_columns import first_like_cell, only_column_name, past_column

RENTS = """Current rents are set out in the table below.

Full plot (250 square metres) standard rent £68 a year.
Full plot (250 square metres) concession rent £34 a year.

Half plot (125 square metres) standard rent £38 a year.
Half plot (125 square metres) concession rent £19 a year."""


@pytest.mark.parametrize("question, line", [
    ("How much is a full plot a year?", "Full plot (250 square metres) standard rent £68 a year."),
    ("How much does a full plot cost?", "Full plot (250 square metres) standard rent £68 a year."),
    ("How much is the concession rate for a full plot?", None),  # names a column
    ("I'm 70. How much is a full plot?", None),  # says what no line of the row says
])
def test_a_question_naming_no_column_reads_the_row_s_first_price(question, line):
    at = RENTS.index("£34")
    found = first_like_cell(question, RENTS, at, at + 3)
    assert (RENTS[found[0]:found[1]] if found else None) == line


def test_the_first_price_itself_and_a_span_of_no_price_stay():
    at = RENTS.index("£68")
    assert first_like_cell("How much is a full plot a year?", RENTS, at, at + 3) is None
    at = RENTS.index("Full plot (250")
    assert first_like_cell("How much is a full plot a year?", RENTS, at, at + 9) is None


OFFICES = """Leeds anchor days Tuesday and Wednesday.
Leeds bookable desks 40.

York anchor days Tuesday and Thursday.
York bookable desks 18.

Hull room Room A.
Hull phone 07700 900412.

Wick room Room B.
Wick phone 07700 900413."""


@pytest.mark.parametrize("text, span, shown", [
    (RENTS, "standard rent £38 a year", "£38 a year"),
    (RENTS, "rent £38 a year", "£38 a year"),
    (RENTS, "£38 a year", "£38 a year"),
    (RENTS, "Half plot (125 square metres) standard rent £38 a year",  # from the row's label: kept whole
     "Half plot (125 square metres) standard rent £38 a year"),
    (OFFICES, "anchor days Tuesday and Wednesday", "Tuesday and Wednesday"),  # a value's words are no column's name
    (OFFICES, "room Room A", "Room A"),
    (OFFICES, "phone 07700 900412", "07700 900412"),
    (OFFICES, "bookable desks 40", "40"),
])
def test_a_cell_is_shown_without_its_column_s_name(text, span, shown):
    at = text.index(span)
    assert text[past_column(text, at, at + len(span)):at + len(span)] == shown


def test_a_span_outside_a_table_or_of_the_name_alone_is_kept():
    at = RENTS.index("table below")
    assert past_column(RENTS, at, at + 11) == at
    at = RENTS.index("standard rent £38")
    assert past_column(RENTS, at, at + len("standard rent")) == at


BILLS = """Water and sewerage who pays Landlord.
Water and sewerage per month Included.

Broadband (fibre) who pays Landlord.
Broadband (fibre) per month Included."""


@pytest.mark.parametrize("span, alone", [
    ("per month", True), ("month", True), ("who pays", True),  # "How fast is the broadband?" (session 46)
    ("per month Included", False), ("Included", False), ("Broadband (fibre) per month", False),
])
def test_a_column_s_name_alone_is_told_from_a_cell(span, alone):
    at = BILLS.rindex(span)
    assert only_column_name(BILLS, at, at + len(span)) is alone
