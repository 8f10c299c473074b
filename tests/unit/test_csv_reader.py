"""Spreadsheets saved as CSV: a header row's names said with each cell, a row a paragraph, bad files named."""

import pytest

from index.csv_reader import csv_rows, csv_to_text, is_header
from index.documents import DocumentError, load_corpus, load_document

PRICES = ("Item,Size,Price (£),In stock,Notes\n"
          "Olive tree,1.2 metre standard,49.00,Yes,Bring indoors below -5°C\n"
          "\"Tomato, cherry\",9 cm pot,1.99,Yes,\"Grow under cover\nuntil June\"\n"
          "Hedgehog house,,29.99,No,\n")


def test_header_row_names_each_cell_and_each_row_is_a_paragraph():
    text, title, _ = csv_to_text(PRICES, "prices.csv")
    assert title is None
    assert text.split("\n\n") == [
        "Olive tree size 1.2 metre standard.\nOlive tree price £49.00.\nOlive tree in stock Yes.\n"
        "Olive tree: Bring indoors below -5°C.",
        # a quoted comma stays in its cell; a line break inside a cell is a space; a notes column is said with a colon
        "Tomato, cherry size 9 cm pot.\nTomato, cherry price £1.99.\nTomato, cherry in stock Yes.\n"
        "Tomato, cherry: Grow under cover until June.",
        "Hedgehog house price £29.99.\nHedgehog house in stock No.",  # empty cells say nothing
    ]


def test_semicolons_tabs_and_a_title_row():
    text, title, headings = csv_to_text("Spring prices;;\nItem;Price\nCompost;7,99\nGrit;4,99\n", "p.csv")
    assert title == "Spring prices"
    assert text == "Spring prices\n\nCompost price 7,99.\n\nGrit price 4,99."
    assert headings == ((0, 13),)  # a title row is a heading: what the table is about, never an answer
    assert csv_to_text("Day\tOpens\nMonday\t9am\n", "h.tsv", tab=True)[0] == "Monday opens 9am."


def test_first_row_of_values_is_no_header_and_a_long_row_keeps_its_cells():
    assert not is_header(["2025", "2026"], [["1", "2"]])
    assert not is_header(["Name", ""], [["a", "b"]])
    assert not is_header(["Name", "Age"], [])
    assert csv_to_text("Ann,42\nBo,37\n", "a.csv")[0] == "Ann 42\n\nBo 37"
    text, _, _ = csv_to_text("Name,Team\nAnn,Reds,captain\n", "t.csv")
    assert text == "Ann team Reds.\nAnn captain."  # nothing dropped


def test_bad_csv_is_an_error_naming_the_file_and_line(tmp_path):
    with pytest.raises(DocumentError, match="contains no text"):
        csv_to_text(" , ,\n\n", "empty.csv")
    with pytest.raises(DocumentError, match=r"big\.csv: not a readable CSV file \(line 2"):
        csv_rows("a,b\n\"" + "x" * 200_000 + "\",y\n", "big.csv")
    (tmp_path / "latin.csv").write_bytes("Name,Town\nJos\xe9,M\xe1laga\n".encode("latin-1"))
    with pytest.raises(DocumentError, match="latin.csv: not valid UTF-8"):
        load_document(tmp_path / "latin.csv")


def test_csv_and_tsv_files_load_with_the_file_name_as_title(tmp_path):
    (tmp_path / "greenleaf-prices.csv").write_text(PRICES, encoding="utf-8")
    (tmp_path / "rota.tsv").write_text("Day\tVolunteer\nMonday\tAsha\n", encoding="utf-8")
    docs = {d.source: d for d in load_corpus(tmp_path)}
    assert docs["greenleaf-prices.csv"].title == "greenleaf-prices"
    assert docs["greenleaf-prices.csv"].text.startswith("Olive tree size 1.2 metre standard.")
    assert docs["rota.tsv"].text == "Monday volunteer Asha."

