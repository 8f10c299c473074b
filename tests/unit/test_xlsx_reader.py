"""Excel workbooks: each visible sheet a table, cells as the sheet shows them, sheet names as headings, bad files
named."""

import datetime as dt

import pytest
from openpyxl import Workbook

from index.documents import DocumentError, load_document
from index.xlsx_reader import cell_text


def _save(tmp_path, build, name="book.xlsx"):
    book = Workbook()
    build(book)
    path = tmp_path / name
    book.save(path)
    return path


def _races(book):
    sheet = book.active
    sheet.title = "Races"
    sheet.append(["Race", "Date", "Start", "Entry fee", "Distance"])
    sheet.append(["Canal 10K", dt.datetime(2027, 4, 18), dt.time(9, 30), 14, "10 km"])
    sheet.append(["Hill Fell", dt.datetime(2027, 6, 6), dt.time(10, 0), 8.5, None])
    for row in sheet.iter_rows(min_row=2):
        row[3].number_format = '"£"#,##0.00'
        row[2].number_format = "h:mm"
    people = book.create_sheet("Committee")
    people.append([None, None])  # a table need not start in the first row or column
    people.append([None, "Role", "Name"])
    people.append([None, "Treasurer", "Priya  Shah"])
    book.create_sheet("Scratch").append(["Draft", "not for members"])
    book["Scratch"].sheet_state = "hidden"


def test_sheets_read_as_tables_with_their_names_as_headings(tmp_path):
    document = load_document(_save(tmp_path, _races))
    assert document.title == "book"
    assert document.text.split("\n\n") == [
        "Races",
        "Canal 10K date 18 April 2027.\nCanal 10K start 09:30.\nCanal 10K entry fee £14.00.\n"
        "Canal 10K distance 10 km.",
        "Hill Fell date 6 June 2027.\nHill Fell start 10:00.\nHill Fell entry fee £8.50.",  # an empty cell is unsaid
        "Committee",
        "Treasurer name Priya Shah.",
    ]  # the hidden sheet is not read
    assert [document.text[a:b] for a, b in document.headings] == ["Races", "Committee"]


def test_title_row_or_property_titles_the_workbook_and_one_default_sheet_has_no_heading(tmp_path):
    def rota(book):
        book.active.append(["Cleaning rota"])
        book.active.append(["Week", "Kitchen"])
        book.active.append(["1", "Sam"])
    document = load_document(_save(tmp_path, rota))
    assert (document.title, document.text, document.headings) == ("Cleaning rota", "Cleaning rota\n\n1 kitchen Sam.",
                                                                   ((0, 13),))  # the title row is a heading

    def titled(book):
        book.properties.title = "Club fixtures"
        book.active.append(["Home", "Away"])
        book.active.append(["Reds", "Blues"])
    assert load_document(_save(tmp_path, titled, "t.xlsx")).title == "Club fixtures"


@pytest.mark.parametrize("value, number_format, shown", [
    (1234.5, "#,##0.00", "1,234.50"), (1234.5, "0", "1235"), (0.175, "0.0%", "17.5%"), (0.2, "0%", "20%"),
    (-3.2, "[$€-407]#,##0.00;[Red]-[$€-407]#,##0.00", "-€3.20"), (7.0, "General", "7"), (2.25, "General", "2.25"),
    (dt.datetime(2027, 1, 5, 18, 45), "dd/mm/yyyy hh:mm", "5 January 2027 18:45"),
    (dt.datetime(2027, 1, 5, 18, 45), "dd/mm/yyyy", "5 January 2027"), (dt.timedelta(hours=1, minutes=5), "[h]:mm",
                                                                        "1:05"),
    (True, "General", "TRUE"), ("  two\nlines ", "General", "two lines"), (None, "General", ""),
])
def test_cells_read_as_the_sheet_shows_them(value, number_format, shown):
    assert cell_text(value, number_format) == shown


def test_bad_workbooks_are_errors_that_name_the_file(tmp_path):
    fake = tmp_path / "old.xlsx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0 an old binary .xls renamed")
    with pytest.raises(DocumentError, match=r"old\.xlsx: not a readable Excel workbook \(not a zip archive"):
        load_document(fake)
    with pytest.raises(DocumentError, match=r"empty\.xlsx: contains no text"):
        load_document(_save(tmp_path, lambda book: None, "empty.xlsx"))
