"""A PDF's laid-out page as reading lines: tables as sentences, numbered rules whole, running lines dropped."""

from index.documents import load_document
from index.pdf_layout import page_lines, without_running_lines
from index.tables import looks_like_header

# pypdf's layout mode, as it gave a reportlab page (session 45's held-out allotment rules): a table, a numbered list
# whose numbers stand apart from their text, a hanging indent
LAYOUT = """\
1. Rent and membership

Current rents are set out in the table below.

          Plot size                                   Standard rent                Concession rent
          Full plot (250 square metres)               £68 a year                   £34 a year
          Half plot (125 square metres)               £38 a year                   £19 a year

1   Rent is due on 1 October each year and must be paid by 31 October.
2   If rent has not been paid by 30 November, the tenancy will be ended and the plot offered to the
    next person on the waiting list.
"""


def test_a_laid_out_page_reads_its_table_a_block_a_row_and_its_rules_whole():
    assert page_lines(LAYOUT) == [
        "1. Rent and membership", "Current rents are set out in the table below.", "",
        "Full plot (250 square metres) standard rent £68 a year.\nFull plot (250 square metres) concession rent £34 a "
        "year.", "",
        "Half plot (125 square metres) standard rent £38 a year.\nHalf plot (125 square metres) concession rent £19 a "
        "year.", "",
        "1. Rent is due on 1 October each year and must be paid by 31 October.",
        "2. If rent has not been paid by 30 November, the tenancy will be ended and the plot offered to the next "
        "person on the waiting list."]


def test_a_table_s_wrapped_cells_join_their_row():
    layout = """\
 Item                     Specification
 Motor                    Ardwyn MD-250 mid-drive motor, 250 W rated power, 70 Nm maximum
                          torque
 Range on a full          45 to 115 km, depending on assistance mode, rider
 charge                   weight and terrain
In Great Britain the bike is an electrically assisted pedal cycle.
"""
    assert [line for line in page_lines(layout) if line] == [
        "Motor: Ardwyn MD-250 mid-drive motor, 250 W rated power, 70 Nm maximum torque.",
        "Range on a full charge: 45 to 115 km, depending on assistance mode, rider weight and terrain.",
        "In Great Britain the bike is an electrically assisted pedal cycle."]


def test_two_columns_of_prose_are_left_to_the_plain_reading():
    left = "The committee met on Tuesday and agreed that the"
    right = "hall will be repainted before the winter fair"
    layout = "\n".join(f"{left}     {right}" for _ in range(6))
    assert page_lines(layout) is None


def test_lines_printed_on_every_page_are_dropped():
    pages = [["12/6/26, 8:02 AM   FitHub Terms", "1. Membership", "Text.", "file:///gym.html 1/2"],
             ["12/6/26, 8:02 AM   FitHub Terms", "6. Classes", "More text.", "file:///gym.html 2/2"]]
    assert without_running_lines(pages) == [["1. Membership", "Text."], ["6. Classes", "More text."]]
    one = [["Title", "Text."]]
    assert without_running_lines(one) == one


def test_a_first_row_is_a_header_when_it_names_columns_over_values():
    assert looks_like_header([["Day", "Hours"], ["Saturday", "9.00am to 12.30pm"], ["Sunday", "Closed"],
                              ["Monday to Friday", "8.00am to 7.00pm"]])
    assert looks_like_header([["Age", "How many tablets", "Maximum in 24 hours"], ["Adults", "1 or 2", "6"]])
    assert not looks_like_header([["Priya Sandhu", "Head nurse"], ["Tom Reddy", "Secretary"]])  # names, no header
    assert not looks_like_header([["2025", "2026"], ["£10", "£12"]])
    assert not looks_like_header([["Landlord: Graham Pellow", "Signed: G. Pellow", "Date: 12 August 2025"],
                                  ["Tenant: Priya Ramaswamy", "Signed: P. Ramaswamy", "Date: 12 August 2025"]])


def test_a_pdf_with_a_table_a_numbered_list_and_a_running_title_reads_as_sentences(tmp_path):
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Table

    styles = getSampleStyleSheet()
    story = [Paragraph("1. Bonfires", styles["Heading2"]),
             ListFlowable([ListItem(Paragraph("Bonfires are only allowed between 1 November and 31 March.",
                                              styles["BodyText"]))], bulletType="1", start=7),
             Paragraph("2. Rents", styles["Heading2"]),
             Table([["Plot size", "Standard rent", "Concession rent"], ["Full plot", "£68 a year", "£34 a year"]]),
             PageBreak(), Paragraph("3. Water", styles["Heading2"]),
             Paragraph("The water is turned on from 1 April.", styles["BodyText"])]

    def running_title(canvas, doc):
        canvas.drawString(72, 800, "Hollins Lane Allotment Society rules")

    SimpleDocTemplate(str(tmp_path / "rules.pdf")).build(story, onFirstPage=running_title, onLaterPages=running_title)
    doc = load_document(tmp_path / "rules.pdf")
    assert "7. Bonfires are only allowed between 1 November and 31 March." in doc.text
    assert "Full plot concession rent £34 a year." in doc.text
    assert "Hollins Lane" not in doc.text
    assert "\n7\n" not in f"\n{doc.text}\n" and not any(doc.text[s:e].strip().isdigit() for s, e in doc.headings)
