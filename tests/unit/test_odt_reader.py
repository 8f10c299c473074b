"""OpenDocument text (.odt): headings, paragraphs, lists as lines, tables a sentence a cell, footnotes after their
paragraph, text boxes where anchored; comments, deleted text and tables of contents not read; bad files named."""

import zipfile

import pytest

from index.documents import DocumentError, load_document
from index.odt_reader import odt_to_text

_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"')
_TEXT = "application/vnd.oasis.opendocument.text"
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _odt(path, body, styles="", title=None, mimetype=_TEXT, encrypted=False, content=None, named=""):
    """A .odt file as LibreOffice writes it: the mimetype first and stored, then content, styles, meta, manifest."""
    content = content if content is not None else (
        f'{_HEAD}<office:document-content {_NAMESPACES} office:version="1.3"><office:automatic-styles>{styles}'
        f'</office:automatic-styles><office:body><office:text>{body}</office:text></office:body>'
        '</office:document-content>')
    meta = (f'{_HEAD}<office:document-meta {_NAMESPACES} office:version="1.3"><office:meta>'
            '<meta:generator>LibreOffice/7.6.4.1$Linux_X86_64</meta:generator>'
            + (f"<dc:title>{title}</dc:title>" if title is not None else "") + "</office:meta></office:document-meta>")
    encryption = ('<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0'
                  '#sha256-1k" manifest:checksum="x"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/'
                  '2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="x"/></manifest:encryption-data>'
                  if encrypted else "")
    manifest = (f'{_HEAD}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                f'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
                f'{encryption}</manifest:file-entry></manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("styles.xml", f'{_HEAD}<office:document-styles {_NAMESPACES} office:version="1.3">'
                                       f'<office:styles>{named}</office:styles></office:document-styles>')
        archive.writestr("meta.xml", meta)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def _cell(text, **attributes):
    extra = "".join(f' table:{key.replace("_", "-")}="{value}"' for key, value in attributes.items())
    return f'<table:table-cell office:value-type="string"{extra}><text:p>{text}</text:p></table:table-cell>'


def _row(*cells):
    return "<table:table-row>" + "".join(c if c.startswith("<") else _cell(c) for c in cells) + "</table:table-row>"


_GUIDE_STYLES = (
    '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title">'
    '<style:paragraph-properties fo:text-align="center"/></style:style>'
    '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>')
_GUIDE = (
    '<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>'
    '<dc:creator>Ann Trewin</dc:creator><dc:date>2026-03-02T10:00:00</dc:date></office:change-info>'
    '<text:p>Parking is free.</text:p></text:deletion></text:changed-region></text:tracked-changes>'
    '<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>'
    '<text:p text:style-name="P1">Harbour Festival Volunteer Guide</text:p>'
    '<text:table-of-content text:name="Table of Contents1"><text:index-body><text:index-title>'
    '<text:p text:style-name="Contents_20_Heading">Contents</text:p></text:index-title>'
    '<text:p text:style-name="Contents_20_1">Shifts<text:tab/>1</text:p></text:index-body></text:table-of-content>'
    '<text:p text:style-name="Text_20_body">The volunteer coordinator is <text:span text:style-name="T1">'
    'Kerensa Hocking</text:span>.<office:annotation><dc:creator>Ann Trewin</dc:creator>'
    '<text:p>Check the spelling of her surname</text:p></office:annotation></text:p>'
    '<text:h text:style-name="Heading_20_1" text:outline-level="1">Shifts</text:h>'
    '<table:table table:name="Table1"><table:table-column table:number-columns-repeated="3"/>'
    '<table:table-header-rows>' + _row("Shift", "Starts", "Ends") + '</table:table-header-rows>'
    + _row("Morning", "9 a.m.", "1 p.m.") + _row("Evening", "5 p.m.", "10 p.m.") + '</table:table>'
    '<text:h text:style-name="Heading_20_1" text:outline-level="1">What to bring</text:h>'
    '<text:list text:style-name="L1"><text:list-item><text:p>Sturdy shoes</text:p></text:list-item>'
    '<text:list-item><text:p>Sun cream</text:p><text:list><text:list-item><text:p>factor 30 or higher</text:p>'
    '</text:list-item></text:list></text:list-item></text:list>'
    '<text:p text:style-name="Text_20_body">Lunch is provided at the<text:s/>harbour office.'
    '<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    '<text:note-body><text:p text:style-name="Footnote">Vegetarian options on request.</text:p></text:note-body>'
    '</text:note></text:p>'
    '<text:p text:style-name="Text_20_body"><text:change text:change-id="ct1"/>Parking costs £4 a day.</text:p>'
    '<text:p text:style-name="Text_20_body"/>'
    '<text:p text:style-name="Text_20_body">Harbour Office<text:line-break/>1 Quay Street<text:line-break/>'
    'Penzance</text:p>')
_GUIDE_TEXT = (
    "Harbour Festival Volunteer Guide\n\nThe volunteer coordinator is Kerensa Hocking.\n\nShifts\n\n"
    "Morning starts 9 a.m.\nMorning ends 1 p.m.\n\nEvening starts 5 p.m.\nEvening ends 10 p.m.\n\n"
    "What to bring\n\nSturdy shoes\nSun cream\nfactor 30 or higher\n\nLunch is provided at the harbour office.\n\n"
    "Vegetarian options on request.\n\nParking costs £4 a day.\n\nHarbour Office\n1 Quay Street\nPenzance")


def test_a_writer_document_reads_its_headings_lists_tables_and_footnotes(tmp_path):
    path = _odt(tmp_path / "guide.odt", _GUIDE, _GUIDE_STYLES, title="Volunteer guide 2026")
    doc = load_document(path)
    assert doc.text == _GUIDE_TEXT  # no comment, no deleted "Parking is free.", no table of contents
    assert [doc.text[a:b] for a, b in doc.headings] == ["Harbour Festival Volunteer Guide", "Shifts", "What to bring"]
    assert doc.title == "Volunteer guide 2026"


def test_the_title_is_meta_xml_s_unless_it_names_a_file_or_is_missing(tmp_path):
    body = '<text:h text:outline-level="1">Allotment rules</text:h><text:p>Bonfires are not allowed.</text:p>'
    assert odt_to_text(_odt(tmp_path / "a.odt", body, title="  Allotment   society rules "), "a.odt")[1] == \
        "Allotment society rules"
    assert odt_to_text(_odt(tmp_path / "b.odt", body), "b.odt") == (
        "Allotment rules\n\nBonfires are not allowed.", None, ((0, 15),))
    for name, title in (("c.odt", "rules.odt"), ("d.odt", "Untitled 1"), ("e.odt", ""), ("f.odt", None)):
        assert load_document(_odt(tmp_path / name, body, title=title)).title == "Allotment rules"


def test_table_cells_merged_repeated_and_bold_headers(tmp_path):
    bold = ('<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/>'
            '</style:style>')
    schedule = (  # no header-rows element: the first row is a header because its text is bold
        '<table:table>' + _row(*(f'<table:table-cell><text:p><text:span text:style-name="T1">{name}</text:span>'
                                 '</text:p></table:table-cell>' for name in ("Day", "Time", "Room")))
        + _row(_cell("Monday", number_rows_spanned=2), "9:00", "Hall A")
        + _row("<table:covered-table-cell/>", "10:00", "Hall B")  # a merged label reads on the row it covers
        + _row(_cell("Tuesday"), _cell("Closed all day", number_columns_spanned=2), "<table:covered-table-cell/>")
        + _row("Friday", _cell("TBC", number_columns_repeated=2),
               '<table:table-cell table:number-columns-repeated="1021"/>')
        + '</table:table>')
    plain = '<table:table>' + _row("Name", "Extension") + _row("Lena", _cell("<text:span>214</text:span>"))
    plain += '</table:table>'
    doc = load_document(_odt(tmp_path / "rooms.odt", schedule + plain, bold))
    assert doc.text == ("Monday time 9:00.\nMonday room Hall A.\n\nMonday time 10:00.\nMonday room Hall B.\n\n"
                        "Tuesday time Closed all day.\n\nFriday time TBC.\nFriday room TBC.\n\n"
                        "Name Extension\n\nLena 214")  # an unbolded first row is no header: cells joined


def test_spaces_tabs_frames_hidden_sections_and_styles_derived_from_headings(tmp_path):
    named = ('<style:style style:name="Chapter" style:family="paragraph" style:parent-style-name="Heading_20_1"/>'
             '<style:style style:name="Gate_20_notes" style:family="paragraph" style:parent-style-name="Standard"/>')
    body = ('<text:p text:style-name="Chapter">The allotment gate</text:p>'
            '<text:h text:outline-level="2"><text:number>1.1</text:number>Access</text:h>'
            '<text:p>Gate code<text:tab/>4471<text:s text:c="3"/>(new)<text:soft-page-break/> from May.</text:p>'
            '<text:p><draw:frame draw:name="Frame1" text:anchor-type="paragraph"><svg:title>Box</svg:title>'
            '<draw:text-box><text:p>Keys are kept at the shop.</text:p></draw:text-box></draw:frame>'
            'Ask at the counter.</text:p>'
            '<text:section text:name="Draft" text:display="none"><text:p>Old code 1234</text:p></text:section>'
            '<text:section text:name="Notes"><text:p text:style-name="Heading">Notes</text:p>'
            '<text:p text:style-name="Gate_20_notes">Close the gate, then\n  <text:line-break/>lock it.</text:p>'
            '</text:section>')
    text, title, headings = odt_to_text(_odt(tmp_path / "gate.odt", body, named=named), "gate.odt")
    assert text == ("The allotment gate\n\nAccess\n\nGate code 4471 (new) from May.\n\nAsk at the counter.\n\n"
                    "Keys are kept at the shop.\n\nNotes\n\nClose the gate, then lock it.")
    assert [text[a:b] for a, b in headings] == ["The allotment gate", "Access", "Notes"]


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("not a zip"), r"notes\.odt: unreadable OpenDocument text \(File is not a zip file\)"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("mimetype", _TEXT), r"notes\.odt: .*no content\.xml"),
    (lambda p: _odt(p, "", mimetype="application/vnd.oasis.opendocument.spreadsheet"),
     r"notes\.odt: not an OpenDocument text: it is a spreadsheet \(\.ods\)"),
    (lambda p: _odt(p, "<text:p>Secret</text:p>", encrypted=True), r"notes\.odt: is a password-protected"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("[Content_Types].xml", "<Types/>"),
     r"notes\.odt: not an OpenDocument text: it is an Office Open XML file"),  # a .docx renamed
    (lambda p: _odt(p, "", content="<office:document-content><unclosed>"), r"notes\.odt: unreadable .*content\.xml"),
    (lambda p: _odt(p, "<text:p>   </text:p>"), r"notes\.odt: contains no text"),
])
def test_bad_files_are_errors_naming_them(tmp_path, make, message):
    make(tmp_path / "notes.odt")
    with pytest.raises(DocumentError, match=message):
        load_document(tmp_path / "notes.odt")


def _bomb():
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE office:document-content [{entities}]>'
            f'<office:document-content {_NAMESPACES}><office:body><office:text><text:p>&lol9;</text:p>'
            '</office:text></office:body></office:document-content>')


def test_an_entity_bomb_is_refused_quickly(tmp_path):
    """A billion laughs: ten entities each ten times the one before would expand to gigabytes."""
    bomb = _bomb()
    for name, data in (("bomb.odt", bomb), ("bomb16.odt", bomb.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>'))):
        path = _odt(tmp_path / name, "", content=data.encode("utf-16") if name == "bomb16.odt" else data)
        with pytest.raises(DocumentError, match=rf"{name}: unreadable OpenDocument text \(content\.xml: declares a "
                                                  "DTD"):
            load_document(path)


def test_expat_s_own_limit_stops_an_entity_bomb_too(tmp_path, monkeypatch):
    """Were the DTD let through, expat (2.4.1 and later) stops the expansion: still an error, not a hang."""
    from index import odt_reader

    monkeypatch.setattr(odt_reader._RefuseDoctype, "doctype", lambda self, *args: None)
    with pytest.raises(DocumentError, match=r"bomb\.odt: unreadable OpenDocument text \(content\.xml: limit on input"):
        load_document(_odt(tmp_path / "bomb.odt", "", content=_bomb()))


def test_a_huge_repeat_count_is_refused_not_expanded(tmp_path):
    body = '<table:table>' + _row("Item", _cell("x", number_columns_repeated=10**9)) + '</table:table>'
    with pytest.raises(DocumentError, match=r"wide\.odt: too many table cells"):
        load_document(_odt(tmp_path / "wide.odt", body))
