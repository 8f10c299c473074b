"""A table laid out with spaces in a plain-text file reads a sentence a cell, its values mapped back to the file."""

from index.documents import load_document
from index.markup import reflow

HOUSE = """\
BILLS

The table below shows who pays for what.

  Item                      Who pays        Per month
  ------------------------  --------------  ------------------------
  Gas and electricity       Landlord        Included (up to £160)
  Council tax               Landlord        Included
  Cleaner (shared areas)    Tenants         £12 each
  Contents insurance        Each tenant

Energy is included on a fair use basis. If the gas and electricity comes
to more than £160 in a month, the extra is split equally.
"""


def test_an_aligned_table_reads_a_block_a_row_with_its_column_names():
    reading = reflow(HOUSE)
    assert reading.text == (
        "BILLS\n\nThe table below shows who pays for what.\n\n"
        "Gas and electricity who pays Landlord.\nGas and electricity per month Included (up to £160).\n\n"
        "Council tax who pays Landlord.\nCouncil tax per month Included.\n\n"
        "Cleaner (shared areas) who pays Tenants.\nCleaner (shared areas) per month £12 each.\n\n"
        "Contents insurance who pays Each tenant.\n\n"
        "Energy is included on a fair use basis. If the gas and electricity comes to more than £160 in a month, the "
        "extra is split equally.")
    start = reading.text.index("£12 each")
    s, e = reading.source_map.source_span(start, start + len("£12 each"))
    assert HOUSE[s:e] == "£12 each"  # the cell the answer is in, in the file


def test_a_table_without_a_rule_under_its_header_reads_alike(tmp_path):
    path = tmp_path / "hours.txt"
    path.write_text("Opening hours\n\nDay          Opens     Closes\nMonday       9am       5pm\n"
                    "Saturday     10am      4pm\n", encoding="utf-8")
    assert load_document(path).text.endswith("Monday opens 9am.\nMonday closes 5pm.\n\n"
                                             "Saturday opens 10am.\nSaturday closes 4pm.")


def test_prose_and_lists_with_wide_spaces_are_no_table():
    text = ("Notes\n\nPlease  read this.  Then sign it.\nIt  is  due  by  Friday.\n\n"
            "Name     Priya Sandhu\nRole     Head nurse\n")
    assert reflow(text).text == "Notes\n\nPlease  read this.  Then sign it.\nIt  is  due  by  Friday.\n\n" \
                                "Name     Priya Sandhu Role     Head nurse"  # as before tables were read
