"""Page furniture: bylines, datelines, labels, boilerplate and link lists are told apart from content."""

import pytest

from common import ARTICLE
from index.documents import load_document
from index.furniture import furniture_marks, is_reference, line_kind, mark_at


@pytest.mark.parametrize("line, kind", [
    ("By Michael Werbowksi", "byline"),
    ("Written by Ann Lee and Bo Chen", "byline"),
    ("Global Research, March 12, 2017", "dateline"),
    ("Updated 3 April 2020", "dateline"),
    ("Region: Middle East & North Africa, Russia and FSU", "label"),
    ("Theme: US NATO War Agenda", "label"),
    ("Articles by: Michael Werbowski", "label"),
    ("Comment on Global Research Articles on our Facebook page", "boilerplate"),
    ("Become a Member of Global Research", "boilerplate"),
    ("Copyright © Michael Werbowski, Global Research, 2017", "boilerplate"),
    ("The original source of this article is Global Research", "boilerplate"),
    ("Disclaimer: The contents of this article are of sole responsibility of the author(s).", "boilerplate"),
    ("Follow us on Twitter", "boilerplate"),
    ("(1) https://sputniknews.com/politics/201703101051446714", "links"),
    ("https://tass.com/politics/934814", "links"),
    ("Notes", "links"),
])
def test_furniture_lines_are_classified(line, kind):
    assert line_kind(line) == kind


@pytest.mark.parametrize("line", [
    "By the end of 2015 relations had reached a nadir.",  # "By" opening a sentence is no byline
    "On March 10, 2017, Putin met Erdogan at the Kremlin in Moscow.",  # a date inside a sentence
    "Michael Werbowski is a Canadian journalist currently based in Moscow.",
    "Putin's spokesman, Dmitry Peskov, told reporters a day ahead of the planned meetings.",
    "This deal will be on the table at the summit (3).",
    "Copyright holders in Turkey were asked whether they had agreed to the terms of the new contract that the "
    "ministry announced last week in a statement read by the spokesman at a press conference in Ankara.",
    "Subscribe to this view and you must accept that the ministry announced last week, in a statement read by the "
    "spokesman at a press conference in Ankara, that the contract stands.",
    "",
])
def test_content_lines_are_not_furniture(line):
    assert line_kind(line) is None


def test_references_are_urls_addresses_and_footnotes():
    assert is_reference("(3) https://www.alaraby.co.uk/english/news/2017/3/9/nato-member")
    assert is_reference("publications@globalresearch.ca") and is_reference("(3)")
    assert is_reference("For media inquiries: publications@globalresearch.ca")
    assert not is_reference("This deal will be on the table at the summit (3).")
    assert not is_reference("www.globalresearch.ca contains copyrighted material the use of which has not always "
                            "been specifically authorized by the copyright owner.")


def test_the_article_marks_its_furniture_and_nothing_of_its_content():
    document = load_document(ARTICLE)
    marks = furniture_marks(document.text, document.headings)
    kinds = {document.text[s:e]: k for s, e, k in marks}
    assert kinds["By Michael Werbowksi"] == "byline"
    assert kinds["Global Research, March 12, 2017"] == "dateline"
    assert kinds["Theme: US NATO War Agenda"] == "label"
    assert kinds["Russian diplomacy: Towards a masterful position in the Middle East?"] == "heading"
    assert kinds["(2) http://tass.com/politics/934814"] == "links"
    disclaimer = [t for t, k in kinds.items() if k == "boilerplate" and "fair use" in t]
    assert disclaimer, "the disclaimer paragraph is boilerplate to its end"
    body = document.text.index("Ankara and Moscow")
    bio = document.text.index("Michael Werbowski is a Canadian journalist")
    assert mark_at(marks, body, body + 40) == "" and mark_at(marks, bio, bio + 40) == ""
    assert all(e <= body or s >= bio + 100 for s, e, k in marks if k != "heading")
