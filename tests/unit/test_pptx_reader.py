"""PowerPoint presentations: slide titles as headings, bullets as lines, tables a sentence a cell, speaker notes read,
hidden slides skipped, bad files named."""

import pytest
from pptx import Presentation
from pptx.util import Inches

from index.documents import DocumentError, load_document


def _deck(tmp_path, build, name="deck.pptx"):
    deck = Presentation()
    build(deck)
    path = tmp_path / name
    deck.save(path)
    return path


def _bullets(deck, title, lines, notes="", hidden=False):
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = title
    frame = slide.placeholders[1].text_frame
    frame.text = lines[0]
    for line in lines[1:]:
        frame.add_paragraph().text = line
    if notes:
        slide.notes_slide.notes_text_frame.text = notes
    if hidden:
        slide._element.set("show", "0")
    return slide


def _kickoff(deck):
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = "Project  Osprey"
    first.placeholders[1].text = "Kickoff, 12 January"
    _bullets(deck, "Budget", ["Total: £180,000", "Cloud: £25,000"], notes="Staff time is not included.")
    _bullets(deck, "Draft rates", ["Day rate: £650"], hidden=True)
    team = deck.slides.add_slide(deck.slide_layouts[5])
    team.shapes.title.text = "Team"
    table = team.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(6), Inches(1.2)).table
    for r, row in enumerate([["Role", "Name"], ["Project lead", "Priya Natarajan"], ["Designer", "Tom Reyes"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    group = team.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(1), Inches(5), Inches(4), Inches(1)).text_frame.text = "All based in Leeds"


def test_slides_read_with_titles_as_headings_notes_and_tables(tmp_path):
    document = load_document(_deck(tmp_path, _kickoff))
    assert document.title == "Project Osprey"  # the first slide's title, where the file has no title property
    assert document.text.split("\n\n") == [
        "Project Osprey", "Kickoff, 12 January",
        "Budget", "Total: £180,000\nCloud: £25,000", "Staff time is not included.",  # the bullets, then the notes
        "Team", "Project lead name Priya Natarajan.", "Designer name Tom Reyes.", "All based in Leeds",
    ]  # the hidden slide's "£650" is not read; the grouped text box is
    assert [document.text[a:b] for a, b in document.headings] == ["Project Osprey", "Budget", "Team"]


def test_title_property_titles_the_presentation(tmp_path):
    def titled(deck):
        deck.core_properties.title = "Osprey kickoff deck"
        _bullets(deck, "Agenda", ["Welcome"])
    assert load_document(_deck(tmp_path, titled)).title == "Osprey kickoff deck"


def test_a_presentation_without_text_or_not_a_presentation_is_an_error_naming_it(tmp_path):
    empty = _deck(tmp_path, lambda deck: deck.slides.add_slide(deck.slide_layouts[6]), "blank.pptx")
    with pytest.raises(DocumentError, match=r"blank\.pptx.*no text"):
        load_document(empty)
    fake = tmp_path / "slides.pptx"
    fake.write_text("not a zip")
    with pytest.raises(DocumentError, match=r"slides\.pptx.*unreadable PowerPoint presentation.*\.ppt file"):
        load_document(fake)
