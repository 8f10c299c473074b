"""Markdown and wrapped text read as plain text, and the offset map back to the source."""

import pytest

from common import ARTICLE
from index.chunking import chunk_spans, split_sentences
from index.markup import line_break, paragraph_break, read_markdown, reflow, to_plain
from index.sourcemap import SourceMap, apply_edits
from qa.text import words


def plain_and_source(markdown: str, phrase: str) -> str:
    """The source text that `phrase` of the plain text came from."""
    reading = read_markdown(markdown)
    start = reading.text.index(phrase)
    s, e = reading.source_map.source_span(start, start + len(phrase))
    return markdown[s:e]


# ---- the offset map ------------------------------------------------------------------------------

def test_applied_edits_map_every_plain_span_back_to_its_source():
    source = "a **bold** word\n\nnext"
    plain, source_map = apply_edits(source, [(2, 4, "", True), (8, 10, "", True), (15, 17, " ", False)])
    assert plain == "a bold word next"
    assert [source_map.source_offset(i) for i in (0, 2, 5, 11, 12)] == [0, 4, 7, 15, 17]
    assert source_map.source_span(2, 6) == (2, 10)  # the span takes in the markup that touches it
    assert source_map.source_span(3, 5) == (5, 7)  # ... but not markup away from its ends
    assert source_map.source_span(12, 16) == (17, 21) and source_map.source_span(4, 4) == (6, 6)
    assert source_map.plain_offset(2) == 2 and source_map.plain_offset(3) == 2 and source_map.plain_offset(21) == 16
    assert SourceMap.from_json(source_map.to_json()) == source_map and not source_map.is_identity


def test_identity_map_and_bad_input():
    identity = SourceMap.identity(10)
    assert identity.is_identity and identity.source_span(3, 7) == (3, 7) and identity.plain_length == 10
    with pytest.raises(ValueError, match="overlaps"):
        apply_edits("abcdef", [(0, 3, "", True), (2, 4, "", True)])
    with pytest.raises(ValueError, match="sorted"):
        SourceMap(((0, 0), (5, 3), (4, 6)))
    with pytest.raises(ValueError, match="outside"):
        identity.source_span(5, 11)
    with pytest.raises(ValueError, match="malformed"):
        SourceMap.from_json({"anchor": []})


# ---- Markdown ------------------------------------------------------------------------------------

@pytest.mark.parametrize("markdown, plain", [
    ("## **Russian diplomacy: a title?**", "Russian diplomacy: a title?"),
    ("# Title #\n\nBody text.", "Title\n\nBody text."),
    ("Title\n=====\n\nBody.", "Title\n\nBody."),
    ("By [Michael Werbowski](#)", "By Michael Werbowski"),
    ("See ![a chart](img/chart.png \"Chart\") and [the site](https://x.org/a_(b)).", "See a chart and the site."),
    ("Read <https://tass.com/politics/934814> or <news@tass.com>.",
     "Read https://tass.com/politics/934814 or news@tass.com."),
    ("*emphasis*, **strong**, _under_, __double__ and ***both***", "emphasis, strong, under, double and both"),
    ("Use `a_b * c` here", "Use a_b * c here"),
    ("snake_case_name, 5 * 3 and https://x.org/a_b_c stay", "snake_case_name, 5 * 3 and https://x.org/a_b_c stay"),
    (r"A literal \*star\* and \_score\_", "A literal *star* and _score_"),
    ("First.\n\n---\n\n***\n\nSecond.", "First.\n\nSecond."),
    ("Line one  \nLine two", "Line one\nLine two"),
    ("- (1) <https://a.org/x>\n- (2) item two\n\n1. kept number",
     "(1) https://a.org/x\n(2) item two\n\n1. kept number"),
    ("> A quoted line\n> that wraps.", "A quoted line that wraps."),
    ("```\ncode *stays* [as](is)\n```\n\nAfter.", "code *stays* [as](is)\n\nAfter."),
    ("**Disclaimer:** The contents.", "Disclaimer: The contents."),
])
def test_markdown_reads_without_its_markup(markdown, plain):
    assert to_plain(markdown) == plain


def test_wrapped_lines_join_and_a_blank_line_inside_a_sentence_reads_as_a_space():
    assert to_plain("Russia is deftly\n\npositioning itself.\n\nNew paragraph.") == \
        "Russia is deftly positioning itself.\n\nNew paragraph."
    assert to_plain("A sentence wrapped over\ntwo lines, with a hyphen-\nated word.") == \
        "A sentence wrapped over two lines, with a hyphenated word."


def test_offsets_point_back_into_the_markdown_with_its_markup():
    doc = "# Title\n\nTheme: [US NATO War Agenda](#)\n\n*Ankara and Moscow. They dance.*\n\n## **Notes**"
    assert plain_and_source(doc, "Theme: US NATO War Agenda") == "Theme: [US NATO War Agenda](#)"
    assert plain_and_source(doc, "Ankara and Moscow.") == "*Ankara and Moscow."
    assert plain_and_source(doc, "They dance.") == "They dance.*"
    assert plain_and_source(doc, "Notes") == "## **Notes**"
    reading = read_markdown(doc)
    assert [reading.text[s:e] for s, e in reading.headings] == ["Title", "Notes"]


def test_every_sentence_of_the_article_maps_to_the_same_words_in_the_file():
    source = ARTICLE.read_text(encoding="utf-8")
    reading = read_markdown(source)
    for start, end in split_sentences(reading.text):
        s, e = reading.source_map.source_span(start, end)
        assert " ".join(to_plain(source[s:e]).strip("*_ ").split()) == " ".join(reading.text[start:end].split())
    for start, end in chunk_spans(reading.text, lambda t: len(t.split()), 40, 8):  # chunks cross paragraphs
        s, e = reading.source_map.source_span(start, end)
        assert words(to_plain(source[s:e])) == words(reading.text[start:end])  # an emphasis may open before it
    for leak in ("](#)", "**", "## ", "<http", "\n---"):
        assert leak not in reading.text
    assert "Russia is deftly positioning itself" in reading.text


# ---- wrapped lines (PDF text) --------------------------------------------------------------------

@pytest.mark.parametrize("before, after, short, expected", [
    ("The rarest variety in the", "world grows here.", False, " "),
    ("grown by a single hyphen-", "ated family.", False, ""),
    ("It ends here.", "Another sentence starts.", False, "\n"),
    ("Tea Varieties", "The rarest variety", True, "\n"),
    ("a wrapped line that runs on to the", "United States and more", False, " "),
    ("Notes", "(1) https://a.org", True, "\n"),
])
def test_line_break_inside_a_paragraph(before, after, short, expected):
    assert line_break(before, after, short=short) == expected


def test_paragraph_break_joins_only_a_sentence_cut_in_two():
    assert paragraph_break("Russia is deftly", "positioning itself") == " "
    assert paragraph_break("It ends.", "lower case start") == "\n\n"
    assert paragraph_break("A heading", "Capital start") == "\n\n"


def test_reflow_joins_the_lines_of_each_paragraph():
    text = ("Tea Varieties\nThe rarest variety in the world is grown on a single steep hillside in\n"
            "the mountains of the south, where a careful gardener har-\nvests the leaves by hand each spring.\n"
            "Only three families still grow it.\n\ncontinued on the next page.")
    reading = reflow(text)
    assert reading.text == ("Tea Varieties\n\nThe rarest variety in the world is grown on a single steep hillside in "
                            "the mountains of the south, where a careful gardener harvests the leaves by hand each "
                            "spring.\nOnly three families still grow it.\n\ncontinued on the next page.")
    start = reading.text.index("harvests")
    assert text[slice(*reading.source_map.source_span(start, start + len("harvests")))] == "har-\nvests"
    assert [reading.text[s:e] for s, e in reading.headings] == ["Tea Varieties"]  # it titles what follows


def test_an_email_s_wrapped_quoted_reply_is_joined_without_its_marks():
    """Session 26: "> Everyone would pack on Thursday 13th\n> and work from home" read "13th > and work"."""
    text = ("Sounds good.\n\n> Everyone would pack on Thursday 13th\n> and work from home on the Friday.\n>\n> Tom\n\n"
            "--\nHelen")
    reading = reflow(text)
    assert "> Everyone would pack on Thursday 13th and work from home on the Friday.\n\n> Tom" in reading.text
    start = reading.text.index("and work")
    assert text[slice(*reading.source_map.source_span(start, start + len("and work")))] in ("and work", "> and work")


def test_reflow_marks_the_short_lines_that_title_what_follows_as_headings():
    """Session 23: "Open questions" above "We have not yet decided ..." (no blank line between) was read into the
    reader's answer; a plain text's heading is now marked, and read as its own paragraph."""
    text = ("Team offsite\n\nOpen questions\nWe have not yet decided whether partners may join the dinner.\n\n"
            "Travel\n\nA coach leaves at 9 a.m.\nParking is free.\n\nNote: bring boots\nKind regards,\nJonas")
    reading = reflow(text)
    assert [reading.text[s:e] for s, e in reading.headings] == ["Team offsite", "Open questions", "Travel"]
    assert "Open questions\n\nWe have not" in reading.text
    # not headings: a line ending in a comma, a last line, a line that is longer than the next, a list item
    assert reflow("- one item\nMore text follows here.").headings == ()
    assert reflow("A long first line of ordinary text\nShort one").headings == ()


def test_a_pdf_s_headings_between_paragraphs_without_blank_lines_are_headings():
    """Session 24: a handbook printed to PDF extracts with no blank line between its sections ("... 35 dollars.\nRent
    can be paid ...\nMaintenance requests\nReport repairs ..."): a short title line after a finished sentence is
    a heading too; after a colon it may be a list's first item, so it is not."""
    text = ("Handbook\nRent is due on the first day. Cash is not accepted.\nMaintenance requests\nReport repairs "
            "through the tenant portal.\nYou will need:\nPlain flour\nTwo ripe bananas mashed with a fork")
    reading = reflow(text)
    assert [reading.text[s:e] for s, e in reading.headings] == ["Handbook", "Maintenance requests"]
    assert "accepted.\n\nMaintenance requests\n\nReport repairs" in reading.text


def test_plain_text_fields_stay_one_to_a_line_and_underlines_mark_headings():
    """Session 44: a hard-wrapped contract summary's "Router: Kestrel Hub 3, included at no extra cost" and
    "Installation: engineer visit" were read as one sentence, and its "-----" underlines as text."""
    text = ("CONTRACT SUMMARY - HOME FIBRE 150\n=====================================================\n\n"
            "5. ROUTER AND INSTALLATION\n--------------------------\n\n"
            "Router: Kestrel Hub 3 (Wi-Fi 6), included at no extra cost for every customer\n"
            "Installation: engineer visit, usually 2 to 4 hours on a weekday morning\n"
            "Opening hours: 8am to 8pm Monday to Friday, 9am to 5pm Saturday and Sunday\n"
            "We are closed on bank holidays, when the faults line stays open all day.\n"
            "Missed appointment, or cancelled with under 24 hours' notice:\n£31.11 for each missed appointment\n\n"
            "Out-of-contract price: £35.00 a month\nYou can then leave at any time by giving notice.")
    reading = reflow(text)
    assert [reading.text[s:e] for s, e in reading.headings] == ["CONTRACT SUMMARY - HOME FIBRE 150",
                                                                "5. ROUTER AND INSTALLATION"]
    assert "---" not in reading.text and "===" not in reading.text
    assert "no extra cost for every customer\nInstallation: engineer" in reading.text
    assert "Saturday and Sunday\nWe are closed" in reading.text
    assert "24 hours' notice: £31.11 for each" in reading.text
    assert line_break("Address: 12 Orchard Rise, Tarnby,", "TB4 9QS", short=False) == " "  # a wrapped value
