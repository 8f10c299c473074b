"""Document loading: supported formats, titles, and bad files skipped with a warning naming them."""

import logging
from dataclasses import replace

import pytest

from index.documents import CorpusError, Document, DocumentError, load_corpus, load_document


def _pdf(path, text):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.setTitle("A PDF title")
    c.drawString(72, 720, text)
    c.save()


def test_formats_and_titles(tmp_path):
    (tmp_path / "a.md").write_text("# Heading One\n\nBody text.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Plain first line\nmore", encoding="utf-8")
    (tmp_path / "c.html").write_text(
        "<html><head><title>Page</title><style>p{}</style></head><body><script>var x=1;</script>"
        "<p>Visible <b>words</b> here.</p></body></html>", encoding="utf-8")
    _pdf(tmp_path / "d.pdf", "Text inside a PDF page.")
    docs = {d.source: d for d in load_corpus(tmp_path)}
    assert docs["a.md"].title == "Heading One"
    assert docs["b.txt"].title == "Plain first line"
    assert docs["c.html"].title == "Page"
    assert "Visible" in docs["c.html"].text and "var x" not in docs["c.html"].text and "p{}" not in docs["c.html"].text
    assert "Text inside a PDF page." in docs["d.pdf"].text and docs["d.pdf"].title == "A PDF title"


def test_a_pdf_title_naming_a_file_gives_way_to_its_first_line(tmp_path):
    """Session 24: a page printed to PDF by a browser carries the file's name as its title ("handbook.html"), as
    Word's exports carry "Microsoft Word - notes.docx": the document's first line is its title instead."""
    from reportlab.pdfgen import canvas

    for name, title in (("a.pdf", "handbook.html"), ("b.pdf", "Microsoft Word - notes.docx"), ("c.pdf", " ")):
        c = canvas.Canvas(str(tmp_path / name))
        c.setTitle(title)
        c.drawString(72, 720, "Greenway Apartments Tenant Handbook")
        c.drawString(72, 700, "Rent is due on the first day of each month.")
        c.save()
        assert load_document(tmp_path / name).title == "Greenway Apartments Tenant Handbook"


def test_bad_files_are_skipped_with_a_warning_naming_them(tmp_path, caplog):
    (tmp_path / "good.txt").write_text("Good content.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with caplog.at_level(logging.WARNING):
        docs = load_corpus(tmp_path)
    assert [d.source for d in docs] == ["good.txt"]
    for name in ("empty.txt", "latin1.txt", "binary.md", "broken.pdf", "image.png"):
        assert name in caplog.text


def test_single_bad_file_error_names_it(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"\xe9\xe9")
    with pytest.raises(DocumentError, match="latin1.txt.*UTF-8"):
        load_document(bad)


def test_missing_empty_and_unreadable_corpus_directories(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match="is empty"):
        load_corpus(tmp_path)
    (tmp_path / "x.bin").write_bytes(b"\x00")
    with pytest.raises(CorpusError, match="no readable"):
        load_corpus(tmp_path)


def test_a_pdf_reads_as_sentences_not_printed_lines(tmp_path):
    from reportlab.pdfgen import canvas

    from index.chunking import split_sentences

    lines = ["Tea Varieties",
             "The rarest variety in the world is grown on a single steep hillside in",
             "the mountains of the south, where a careful gardener har-",
             "vests the leaves by hand each spring. It costs a fortune.",
             "Only three families still grow it.",
             "A second paragraph starts here and runs on across the whole width of",
             "the page before it ends."]
    c = canvas.Canvas(str(tmp_path / "tea.pdf"))
    for i, line in enumerate(lines):
        c.drawString(72, 750 - 14 * i, line)
    c.save()
    text = load_document(tmp_path / "tea.pdf").text
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "Tea Varieties",
        "The rarest variety in the world is grown on a single steep hillside in the mountains of the south, where "
        "a careful gardener harvests the leaves by hand each spring.",
        "It costs a fortune.",
        "Only three families still grow it.",
        "A second paragraph starts here and runs on across the whole width of the page before it ends."]


def test_a_hard_wrapped_text_file_is_read_with_its_paragraphs_lines_joined(tmp_path):
    source = ("Late returns\n\nAdults pay 20 cents a day for each late item, up to a maximum of five "
              "dollars\nper item. A lost item is charged at its replacement cost plus a processing fee of\nthree dollars.\n\n"
              "Opening hours\n")
    (tmp_path / "policy.txt").write_text(source, encoding="utf-8")
    doc = load_document(tmp_path / "policy.txt")
    assert doc.title == "Late returns"
    assert doc.text == ("Late returns\n\nAdults pay 20 cents a day for each late item, up to a maximum of five dollars "
                        "per item. A lost item is charged at its replacement cost plus a processing fee of three "
                        "dollars.\n\nOpening hours")
    start = doc.text.index("five dollars per item")
    s, e = doc.source_map.source_span(start, start + len("five dollars per item"))
    assert source[s:e] == "five dollars\nper item"


def test_markdown_is_read_as_plain_text_with_a_map_to_the_file(tmp_path):
    source = "# Notes on *tea*\n\nBy [Ann Lee](#)\n\nThe rarest **variety** is\ngrown on one hillside.\n"
    (tmp_path / "tea.md").write_text(source, encoding="utf-8")
    (tmp_path / "plain.txt").write_text("# not a heading in a text file", encoding="utf-8")
    doc = load_document(tmp_path / "tea.md")
    assert doc.text == "Notes on tea\n\nBy Ann Lee\n\nThe rarest variety is grown on one hillside."
    assert doc.title == "Notes on tea" and [doc.text[s:e] for s, e in doc.headings] == ["Notes on tea"]
    start = doc.text.index("The rarest")
    s, e = doc.source_map.source_span(start, len(doc.text))
    assert source[s:e] == "The rarest **variety** is\ngrown on one hillside."
    text_doc = load_document(tmp_path / "plain.txt")
    assert text_doc.text == "# not a heading in a text file" and text_doc.source_map is None
    # a change to the markup alone changes the map, so the document is re-indexed
    (tmp_path / "tea.md").write_text(source.replace("(#)", "(https://x.org)"), encoding="utf-8")
    again = load_document(tmp_path / "tea.md")
    assert again.text == doc.text and again.sha256 != doc.sha256
    # so does a heading found in the same text, with no map (a CSV file's title row, session 35)
    plain = Document("p.csv", "Prices", "Prices\n\nCompost price 7,99.")
    assert replace(plain, headings=((0, 6),)).sha256 != plain.sha256


def test_a_text_file_s_heading_lines_are_marked_as_a_markdown_heading_is(tmp_path):
    """Session 23: "Open questions" (a heading line of a plain-text note, no blank line after it) was read into the
    reader's answer; it is now a heading of the document, so furniture marks it and the reader skips it."""
    from index.furniture import furniture_marks

    source = ("Team offsite notes\n\nOpen questions\nWe have not yet decided whether partners may join the dinner.\n"
              "The hike is cancelled if it rains.\n")
    (tmp_path / "notes.txt").write_text(source, encoding="utf-8")
    doc = load_document(tmp_path / "notes.txt")
    assert doc.title == "Team offsite notes"
    assert [doc.text[s:e] for s, e in doc.headings] == ["Team offsite notes", "Open questions"]
    assert "Open questions\n\nWe have not yet decided" in doc.text
    assert [doc.text[s:e] for s, e, kind in furniture_marks(doc.text, doc.headings) if kind == "heading"] == \
        ["Team offsite notes", "Open questions"]
    s, e = doc.source_map.source_span(doc.text.index("We have"), doc.text.index("We have") + 7)
    assert source[s:e] == "We have"


def test_an_html_page_s_headings_are_headings_of_the_document(tmp_path):
    """Session 23: an FAQ page's h2 questions were plain text to the reader and to the example questions, and an
    inline tag (<b>, <em>, <a>) broke its sentence into paragraphs ("on\n\nMill\n\nStreet.")."""
    page = ("<html><head><title>Clinic FAQ</title></head><body><nav><a href='/'>Home</a></nav>"
            "<h1>Frequently asked questions</h1><h2>Where can I park?</h2><p>The nearest car park is on Mill "
            "<b>Street</b>, <a href='/map'>see the map</a>.</p><h2>Who are the <em>dentists</em>?</h2><p>Dr Amara Osei"
            "<br>is the principal dentist.</p>"
            "</body></html>")
    (tmp_path / "faq.html").write_text(page, encoding="utf-8")
    doc = load_document(tmp_path / "faq.html")
    assert doc.title == "Clinic FAQ"
    assert [doc.text[s:e] for s, e in doc.headings] == ["Frequently asked questions", "Where can I park?",
                                                        "Who are the dentists?"]
    assert "The nearest car park is on Mill Street, see the map." in doc.text
    assert "Dr Amara Osei\n\nis the principal dentist." in doc.text  # a <br> still breaks the line
    # session 24: a page's menu is no content ("What's the address of the pool?" was answered "Home")
    assert doc.text.startswith("Frequently asked questions") and "Home" not in doc.text


def test_an_html_page_s_source_lines_are_spaces_as_a_browser_shows_them(tmp_path):
    """Session 29: a page written with its paragraphs wrapped in the source ("... for example for\ntravel or
    injury.") was read as two paragraphs, so a sentence was quoted cut off; a <pre> block keeps its lines."""
    page = ("<html><body><h2>Can I freeze my membership?</h2>\n<p>Yes. You can freeze it for up to three months,"
            " for example for\n   travel or injury.</p>\n<pre>line one\nline two</pre><!-- a\ncomment --></body></html>")
    (tmp_path / "gym.html").write_text(page, encoding="utf-8")
    doc = load_document(tmp_path / "gym.html")
    assert doc.text == ("Can I freeze my membership?\n\nYes. You can freeze it for up to three months, for example "
                        "for travel or injury.\n\nline one\n\nline two")


def test_an_html_table_is_read_a_sentence_a_cell_and_a_list_as_one_paragraph(tmp_path):
    """Session 24: a pool's page read its opening-times table as "Saturday 8:00 a.m. 6:00 p.m." and answered "When
    does the pool close on Sunday?" with the opening time; each cell under a header row is now said with its row's
    label and its column's name. A list's items were separate paragraphs ("Is there a sauna?" -> "Changing village
    with family cubicles"); they are now the lines of one, as a Markdown list's are. A column named with its
    currency says a number under it as a sum: "price £5.20", not "price (£) 5.20" (session 34)."""
    page = ("<html><body><h2>Opening times</h2><table><thead><tr><th>Day</th><th>Opens</th><th>Closes</th></tr>"
            "</thead><tbody><tr><td>Saturday</td><td>8:00 a.m.</td><td>6:00 p.m.</td></tr><tr><td>Sunday</td>"
            "<td>9:00 a.m.</td><td></td></tr></tbody></table><table><tr><th>Ticket</th><th>Price (£)</th></tr>"
            "<tr><td>Adult <b>swim</b></td><td>5.20</td></tr></table><table><tr><td>no</td><td>header</td></tr>"
            "</table><ul><li>Free lockers</li><li>Poolside <em>sauna</em> for adults</li></ul><p>After.</p>"
            "</body></html>")
    (tmp_path / "pool.html").write_text(page, encoding="utf-8")
    doc = load_document(tmp_path / "pool.html")
    assert doc.text == ("Opening times\n\nSaturday opens 8:00 a.m.\nSaturday closes 6:00 p.m.\n\nSunday opens 9:00 a.m."
                        "\n\nAdult swim price £5.20.\n\nno header\n\nFree lockers\nPoolside sauna for adults\n\n"
                        "After.")
    assert [doc.text[s:e] for s, e in doc.headings] == ["Opening times"]


def test_a_markdown_pipe_table_is_read_a_sentence_a_cell_and_its_cells_map_back(tmp_path):
    source = ("## Prices\n\n| Ticket | Price |\n|---|:---:|\n| Adult swim | **£5.20** |\n| Child swim | £2.80 |\n\n"
              "Children under 8 must be accompanied.\n")
    (tmp_path / "pool.md").write_text(source, encoding="utf-8")
    doc = load_document(tmp_path / "pool.md")
    assert doc.text == ("Prices\n\nAdult swim price £5.20.\n\nChild swim price £2.80.\n\n"
                        "Children under 8 must be accompanied.")
    at = doc.text.index("£2.80")
    s, e = doc.source_map.source_span(at, at + 5)
    assert source[s:e] == "£2.80"  # the answer in a cell is highlighted in the cell


def _word_document(path, title="Volunteers"):
    import docx

    d = docx.Document()
    d.core_properties.title = title
    d.add_heading("Harbour Festival Volunteer Guide", 0)
    d.add_paragraph("The volunteer coordinator is Kerensa Hocking.")
    d.add_heading("Shifts", 1)
    table = d.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Shift", "Starts", "Ends"]):
        cell.paragraphs[0].add_run(text).bold = True
    for row, values in zip(table.rows[1:], [("Morning", "9 a.m.", "1 p.m."), ("Evening", "5 p.m.", "10 p.m.")]):
        for cell, text in zip(row.cells, values):
            cell.text = text
    d.add_heading("What to bring", 1)
    for item in ["Sturdy shoes", "Sun cream"]:
        d.add_paragraph(item, style="List Bullet")
    d.add_paragraph("Lunch is provided.")
    d.save(str(path))


def test_a_word_document_keeps_its_headings_lists_and_tables(tmp_path):
    """Session 24: .docx files, a user's commonest kind, were refused as an unsupported type."""
    _word_document(tmp_path / "guide.docx", title="Microsoft Word - guide.docx")
    doc = load_document(tmp_path / "guide.docx")
    assert doc.title == "Harbour Festival Volunteer Guide"  # the properties' title names the file: the first line
    assert doc.text == ("Harbour Festival Volunteer Guide\n\nThe volunteer coordinator is Kerensa Hocking.\n\nShifts\n\n"
                        "Morning starts 9 a.m.\nMorning ends 1 p.m.\n\nEvening starts 5 p.m.\nEvening ends 10 p.m.\n\n"
                        "What to bring\n\nSturdy shoes\nSun cream\n\nLunch is provided.")
    assert [doc.text[s:e] for s, e in doc.headings] == ["Harbour Festival Volunteer Guide", "Shifts", "What to bring"]
    _word_document(tmp_path / "titled.docx")
    assert load_document(tmp_path / "titled.docx").title == "Volunteers"


def test_a_broken_or_inflating_word_document_is_refused_naming_it(tmp_path, monkeypatch):
    from index import docx_reader

    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocumentError, match=r"broken\.docx.*unreadable Word document"):
        load_document(tmp_path / "broken.docx")
    _word_document(tmp_path / "big.docx")
    monkeypatch.setattr(docx_reader, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(DocumentError, match=r"big\.docx: unpacks to .* the limit is"):
        load_document(tmp_path / "big.docx")


def test_a_two_column_table_of_generic_values_is_read_label_colon_value(tmp_path):
    """Session 33: an appliance's "Feature | Value" table was read "Weight value 68 kg."; a column named "Value"
    (or "Details", "Description") says nothing of its cells: "Weight: 68 kg.", in HTML and in Markdown alike."""
    page = ("<html><body><table><tr><th>Feature</th><th>Value</th></tr><tr><td>Weight</td><td>68 kg</td></tr>"
            "<tr><td>Energy rating</td><td>A</td></tr></table></body></html>")
    (tmp_path / "w8.html").write_text(page, encoding="utf-8")
    assert load_document(tmp_path / "w8.html").text == "Weight: 68 kg.\n\nEnergy rating: A."
    for name, source, text, value in (
            ("w8.md", "| Feature | Details |\n|---|---|\n| Weight | 68 kg |\n", "Weight: 68 kg.", "68 kg"),
            # session 34: a notes column said with a colon too, a number under a currency's column as a sum
            ("prices.md", "| Item | Price (£) | Notes |\n|---|---|---|\n| Olive tree | 49.00 | full sun |\n"
                          "| Grit | free | |\n",
             "Olive tree price £49.00.\nOlive tree: full sun.\n\nGrit price (£) free.", "49.00")):
        (tmp_path / name).write_text(source, encoding="utf-8")
        doc = load_document(tmp_path / name)
        assert doc.text == text
        at = doc.text.index(value)
        s, e = doc.source_map.source_span(at, at + len(value))
        assert source[s:e] == value  # the value maps back to its cell


def test_a_column_named_by_a_day_or_a_month_keeps_its_capital():
    """Session 37: an e-book's bus table read "Kelderby Bus Station monday to Friday 07:45."."""
    from index.tables import table_lines

    rows = [["Stop", "Monday to Friday", "Sundays", "Opens", "Mayor"], ["Fennick", "08:20", "10:15", "9am", "Ann"]]
    assert table_lines(rows, header=True) == [
        "Fennick Monday to Friday 08:20.\nFennick Sundays 10:15.\nFennick opens 9am.\nFennick mayor Ann."]
