"""Rich Text Format (.rtf) as TextEdit, Word and WordPad save it: headings, paragraphs, lists as lines, tables a
sentence a cell, footnotes after their paragraph; font and colour tables, fields' instructions, bookmarks, comments,
deleted and hidden text not read; code pages and Unicode decoded; bad files named."""

import time

import pytest

from index.documents import DocumentError, load_document
from index.rtf_reader import rtf_to_text

# macOS TextEdit (Cocoa): no styles; a line ends in a backslash before the newline; lists as {\listtext ...}
_TEXTEDIT = (
    "{\\rtf1\\ansi\\ansicpg1252\\cocoartf2761\n\\cocoatextscaling0\\cocoaplatform0{\\fonttbl\\f0\\fswiss\\fcharset0 "
    "Helvetica;\\f1\\fswiss\\fcharset0 Helvetica-Bold;}\n"
    "{\\colortbl;\\red255\\green255\\blue255;\\red0\\green0\\blue233;}\n"
    "{\\*\\expandedcolortbl;;\\cssrgb\\c0\\c0\\c93333;}\n"
    "{\\*\\listtable{\\list\\listtemplateid1\\listhybrid{\\listlevel\\levelnfc23\\levelnfcn23\\leveljc0\\leveljcn0"
    "\\levelfollow0\\levelstartat1\\levelspace360\\levelindent0{\\*\\levelmarker \\{disc\\}}{\\leveltext"
    "\\leveltemplateid1\\'01\\uc0\\u8226 ;}{\\levelnumbers;}\\fi-360\\li720\\lin720 }{\\listname ;}\\listid1}}\n"
    "{\\*\\listoverridetable{\\listoverride\\listid1\\listoverridecount0\\ls1}}\n"
    "\\paperw11900\\paperh16840\\margl1440\\margr1440\\vieww11520\\viewh8400\\viewkind0\n"
    "\\pard\\tx566\\tx1133\\tx1700\\tx2267\\tx2834\\tx3401\\tx3968\\tx4535\\tx5102\\tx5669\\tx6236\\tx6803"
    "\\pardirnatural\\partightenfactor0\n\n\\f1\\b\\fs28 \\cf0 Allotment Society Notes\\\n"
    "\\pard\\tx566\\tx1133\\pardirnatural\\partightenfactor0\n\n\\f0\\b0\\fs24 \\cf0 \\\n"
    "The caf\\'e9 opens at 9 a.m. on Saturdays. The society\\'92s secretary is Mrs\\~Penhallow; her office hours "
    "are Tuesday\\uc0\\u8211 Thursday.\\\nBring these to the work party:\\\n"
    "\\pard\\tx220\\tx720\\pardeftab720\\li720\\fi-720\\partightenfactor0\n"
    "\\ls1\\ilvl0\\cf0 {\\listtext\t\\uc0\\u8226 \t}Gloves\\\n{\\listtext\t\\uc0\\u8226 \t}A spade\\\n"
    "\\pard\\tx566\\tx1133\\pardirnatural\\partightenfactor0\n\\cf0 \\\n"
    "See {\\field{\\*\\fldinst{HYPERLINK \"https://example.org/rules\"}}{\\fldrslt \\cf2 \\ul \\ulc2 the society "
    "rules}} for bon\nfire times.\\\r\n\\\n"
    "\\itap1\\trowd \\taflags1 \\trgaph108\\trleft-108 \\trbrdrt\\brdrnil \\trbrdrl\\brdrnil \\trbrdrr\\brdrnil \n"
    "\\clvertalc \\clshdrawnil \\clwWidth2000\\clftsWidth3 \\clpadl100 \\clpadr100 \\gaph\\cellx4320\n"
    "\\clvertalc \\clshdrawnil \\clwWidth2000\\clftsWidth3 \\clpadl100 \\clpadr100 \\gaph\\cellx8640\n"
    "\\pard\\intbl\\itap1\\pardeftab720\\partightenfactor0\n\n\\f1\\b \\cf0 Plot size\\cell \n"
    "\\pard\\intbl\\itap1\\pardeftab720\\partightenfactor0\n\\cf0 Yearly rent\\cell \\row\n\n"
    "\\itap1\\trowd \\taflags1 \\trgaph108\\trleft-108 \\gaph\\cellx4320\n\\gaph\\cellx8640\n"
    "\\pard\\intbl\\itap1\\pardeftab720\\partightenfactor0\n\n\\f0\\b0 \\cf0 Half plot\\cell \n"
    "\\pard\\intbl\\itap1\\pardeftab720\\partightenfactor0\n\\cf0 \\'a345\\cell \\lastrow\\row\n"
    "\\pard\\tx566\\tx1133\\pardirnatural\\partightenfactor0\n\\cf0 \\\nThe gate code is {\\b 4471}.}")
_TEXTEDIT_TEXT = (
    "Allotment Society Notes\n\n"
    "The café opens at 9 a.m. on Saturdays. The society’s secretary is Mrs Penhallow; her office hours are "
    "Tuesday–Thursday.\n\nBring these to the work party:\n\nGloves\nA spade\n\n"
    "See the society rules for bonfire times.\n\nHalf plot yearly rent £45.\n\nThe gate code is 4471.")

_R = "{\\rtlch\\fcs1 \\af31507 \\ltrch\\fcs0 \\insrsid1 "  # how Word opens each run of text


def _word_paragraph(text, style="", properties=""):
    return (f"\\pard\\plain \\ltrpar{style}\\ql \\li0\\ri0\\sa160\\sl259\\slmult1\\widctlpar\\wrapdefault{properties}"
            f"\\itap0\\pararsid1 \\rtlch\\fcs1 \\af31507\\afs22\\alang1025 \\ltrch\\fcs0 \\f31506\\fs22\\lang2057 "
            f"{_R}{text}}}{_R}\n\\par }}")


def _word_row(cells, header=False):
    definition = ("\\trowd \\irow0\\irowband0\\ltrrow\\ts11\\trgaph108\\trleft-108" + ("\\trhdr" if header else "")
                  + "\\trbrdrt\\brdrs\\brdrw10 \\trftsWidth1" + "".join(
                      f"\\clvertalt\\clbrdrt\\brdrs\\brdrw10 \\cltxlrtb\\clftsWidth3\\clwWidth3005\\clshdrawnil "
                      f"\\cellx{2900 * (i + 1)}" for i in range(len(cells))))
    return (definition + "\\pard\\plain \\ltrpar\\ql \\li0\\ri0\\widctlpar\\intbl\\wrapdefault\\pararsid1\\yts11 "
            f"\\rtlch\\fcs1 \\af31507 \\ltrch\\fcs0 \\f31506\\fs22 {_R}" + "".join(c + "\\cell " for c in cells)
            + "}\\pard\\plain \\ltrpar\\ql \\li0\\ri0\\widctlpar\\intbl\\wrapdefault " + _R + definition + "\\row }")


# Word: a font table, a stylesheet with heading styles, the document's properties, headers and footers, then the body
_WORD_HEAD = (
    "{\\rtf1\\adeflang1025\\ansi\\ansicpg1252\\uc1\\adeff31507\\deff0\\stshfdbch31505\\stshfloch31506"
    "\\deflang2057{\\fonttbl{\\f0\\fbidi \\froman\\fcharset0\\fprq2{\\*\\panose 02020603050405020304}Times New "
    "Roman;}{\\f3\\fbidi \\froman\\fcharset2\\fprq2{\\*\\panose 05050102010706020507}Symbol;}\n{\\f37\\fbidi "
    "\\fswiss\\fcharset0\\fprq2{\\*\\panose 020f0502020204030204}Calibri;}{\\flomajor\\f31500\\fbidi \\froman"
    "\\fcharset0\\fprq2 Times New Roman;}{\\f31506\\fbidi \\fswiss\\fcharset0\\fprq2 Calibri;}}\n"
    "{\\colortbl;\\red0\\green0\\blue0;\\red0\\green0\\blue255;}{\\*\\defchp \\f31506\\fs22\\lang2057 }"
    "{\\stylesheet{\\ql \\li0\\ri0\\sa160\\sl259\\slmult1\\widctlpar\\itap0 \\rtlch\\fcs1 \\af31507\\afs22 \\ltrch"
    "\\fcs0 \\f31506\\fs22\\lang2057 \\snext0 \\sqformat \\spriority0 Normal;}{\\s1\\ql \\li0\\ri0\\sb240\\keepn"
    "\\widctlpar\\outlinelevel0\\itap0 \\rtlch\\fcs1 \\af31503\\afs32 \\ltrch\\fcs0 \\fs32\\cf19\\loch\\f31502 "
    "\\sbasedon0 \\snext0 \\slink15 \\sqformat \\spriority9 heading 1;}\n{\\s2\\ql \\keepn\\outlinelevel1 \\sbasedon0 "
    "\\snext0 \\sqformat \\spriority9 heading 2;}{\\*\\cs10 \\additive \\ssemihidden Default Paragraph Font;}{\\*\n"
    "\\ts11\\tsrowd\\trftsWidthB3\\trpaddl108 \\ql \\li0\\ri0 \\snext11 \\ssemihidden \\sunhideused Normal Table;}"
    "{\\s17\\ql \\li720\\ri0\\contextualspace \\sbasedon0 \\snext17 \\sqformat \\spriority34 List Paragraph;}"
    "{\\s18\\qc \\li0\\ri0 \\sbasedon0 \\snext0 \\sqformat \\spriority10 Title;}{\\s20\\ql \\li0\\ri0 \\fs20 "
    "\\sbasedon0 \\snext20 \\ssemihidden footnote text;}{\\*\\cs22 \\additive \\super \\sbasedon10 footnote "
    "reference;}}\n{\\*\\listtable{\\list\\listtemplateid-1\\listhybrid{\\listlevel\\levelnfc23\\levelnfcn23"
    "\\leveljc0\\levelfollow0\\levelstartat1{\\leveltext\\leveltemplateid134807553\\'01\\u-3913 ?;}{\\levelnumbers;}"
    "\\f3\\fbias0 \\fi-360\\li720\\lin720 }{\\listname ;}\\listid1}}{\\*\\listoverridetable{\\listoverride\\listid1"
    "\\listoverridecount0\\ls1}}{\\*\\rsidtbl \\rsid1\\rsid2}{\\mmathPr\\mmathFont34\\mbrkBin0}"
    "{\\info{\\title Harbour Festival Volunteer Guide 2026}{\\author Ann Trewin}{\\operator Ann Trewin}"
    "{\\creatim\\yr2026\\mo3\\dy2\\hr10\\min0}{\\version2}{\\nofpages1}{\\*\\company Harbour Trust}}"
    "{\\*\\xmlnstbl {\\xmlns1 http://schemas.microsoft.com/office/word/2003/wordml}}\n"
    "\\paperw11906\\paperh16838\\margl1440\\margr1440\\gutter0\\ltrsect \n\\widowctrl\\ftnbj\\aenddoc\\trackmoves0"
    "{\\*\\wgrffmtfilter 2450}{\\*\\ftnsep \\ltrpar \\pard\\plain \\ltrpar\\ql \\itap0 {\\rtlch\\fcs1 \\af31507 "
    "\\chftnsep \n\\par }}\\ltrpar \\sectd \\ltrsect\\linex0\\headery708\\footery708\\endnhere\\sftnbj "
    "{\\headerr \\ltrpar \\pard\\plain \\ltrpar\\s24\\ql \\itap0 " + _R + "Confidential draft}" + _R + "\n\\par }}"
    "{\\footerr \\ltrpar \\pard\\plain \\ltrpar\\s25\\ql \\itap0 " + _R + "Page }{\\field{\\*\\fldinst " + _R
    + " PAGE   \\\\* MERGEFORMAT }}{\\fldrslt " + _R + "1}}}" + _R + "\n\\par }}"
    "{\\*\\pnseclvl1\\pnucrm\\pnstart1\\pnindent720\\pnhang {\\pntxta .}}\n")
_BULLET = ("{\\listtext\\pard\\plain\\ltrpar \\s17 \\rtlch\\fcs1 \\af0\\afs22 \\ltrch\\fcs0 \\f3\\fs22\\insrsid2 "
           "\\loch\\af3\\dbch\\af31505\\hich\\f3 \\'b7\\tab}")
_WORD_BODY = (
    _word_paragraph("Harbour Festival Volunteer Guide", "\\s18")
    + _word_paragraph("{\\*\\bkmkstart coordinator}The volunteer coordinator is Kerensa Hocking{\\*\\bkmkend "
                      "coordinator}. She\\rquote s on 01736 555 0101.}{\\rtlch\\fcs1 \\af31507 \\ltrch\\fcs0 \\deleted"
                      "\\revauthdel1\\revdttmdel1234 Parking is free.}{\\v  Internal note: check the budget.}" + _R
                      + " Volunteers don\\u8217\\'92t pay for parking.{\\*\\atrfstart 1} Festival runs 4\\u8211\\'96"
                      "6 July.{\\*\\atrfend 1}{\\*\\atnid AT}{\\*\\atnauthor Ann Trewin}\\chatn {\\*\\annotation"
                      "{\\*\\atnref 1}{\\*\\atndate 1234}\\pard\\plain \\s28\\ql {\\rtlch\\fcs1 Check the dates}}")
    + _word_paragraph("Shifts", "\\s1", "\\outlinelevel0")
    + _word_row(["Shift", "Starts", "Ends"], header=True) + _word_row(["Morning", "9 a.m.", "1 p.m."])
    + _word_row(["Evening", "5 p.m.", "10 p.m."])
    + _word_paragraph("What to bring", "\\s2", "\\outlinelevel1")
    + "\\pard\\plain \\ltrpar\\s17\\ql \\fi-360\\li720\\ri0\\widctlpar\\ls1\\adjustright\\rin0\\lin720\\itap0 "
    + _BULLET + _R + "Sturdy shoes}" + _R + "\n\\par }" + _BULLET + _R + "Sun cream}" + _R + "\n\\par }"
    + _word_paragraph("Lunch is provided at the harbour office.}{\\rtlch\\fcs1 \\cs22\\super\\insrsid1 \\chftn "
                      "{\\footnote \\ltrpar \\pard\\plain \\ltrpar\\s20\\ql \\itap0 \\fs20 {\\rtlch\\fcs1 \\cs22\\super"
                      " \\chftn }{\\rtlch\\fcs1  Vegetarian options on request.}}}" + _R + " Tickets: }{\\field"
                      "\\flddirty{\\*\\fldinst " + _R + " HYPERLINK \"https://example.org/tickets\" }}{\\fldrslt "
                      "{\\rtlch\\fcs1 \\cs23\\ul\\cf2\\insrsid1 the festival website}}}" + _R + ".")
    + "{\\*\\themedata 504b030414000600080000002100e9de0fbfff0000001c020000130000005b436f6e74656e74}\n"
    "{\\*\\latentstyles\\lsdstimax376\\lsdlockeddef0{\\lsdlockedexcept \\lsdqformat1 \\lsdpriority0 Normal;"
    "\\lsdqformat1 \\lsdpriority9 heading 1;}}{\\*\\datastore 0105000002000000180000004d73786d6c}}")
_WORD_TEXT = (
    "Harbour Festival Volunteer Guide\n\n"
    "The volunteer coordinator is Kerensa Hocking. She’s on 01736 555 0101. Volunteers don’t pay for parking. "
    "Festival runs 4–6 July.\n\nShifts\n\nMorning starts 9 a.m.\nMorning ends 1 p.m.\n\nEvening starts 5 p.m.\n"
    "Evening ends 10 p.m.\n\nWhat to bring\n\nSturdy shoes\nSun cream\n\n"
    "Lunch is provided at the harbour office. Tickets: the festival website.\n\nVegetarian options on request.")

# WordPad (Windows' RichEdit): CRLF line ends, a list in the old {\pntext ...} shape, no stylesheet, no title
_WORDPAD = "\r\n".join((
    "{\\rtf1\\ansi\\ansicpg1252\\deff0\\nouicompat\\deflang2057{\\fonttbl{\\f0\\fnil\\fcharset0 Calibri;}"
    "{\\f1\\fnil\\fcharset2 Symbol;}}",
    "{\\*\\generator Riched20 10.0.19041}\\viewkind4\\uc1 ",
    "\\pard\\sa200\\sl276\\slmult1\\b\\f0\\fs22\\lang9 Library opening hours\\b0\\par",
    "The library opens at 9:00 on weekdays \\endash  10:00 on Saturdays.\\par",
    "{\\pntext\\f1\\'B7\\tab}{\\*\\pn\\pnlvlblt\\pnf1\\pnindent0{\\pntxtb\\'B7}}\\fi-360\\li720\\sa200\\sl276\\slmult1 "
    "Monday to Friday: 9:00\\par",
    "{\\pntext\\f1\\'B7\\tab}Saturday: 10:00\\par",
    "{\\pntext\\f0 1.\\tab}{\\*\\pn\\pnlvlbody\\pnf0\\pnindent0\\pnstart1\\pndec{\\pntxta.}}Ring the bell\\par",
    "{\\pntext\\f0 2.\\tab}Wait\\par",
    "\\pard\\sa200\\sl276\\slmult1 It is closed on Sundays. Ask for Ren\\'e9e at the desk.\\par",
    "}", ""))


def _write(tmp_path, name, rtf, encoding="latin-1"):
    path = tmp_path / name
    path.write_bytes(rtf.encode(encoding) if isinstance(rtf, str) else rtf)
    return path


def _read(tmp_path, rtf):
    return rtf_to_text(_write(tmp_path, "doc.rtf", rtf), "doc.rtf")


def _body(body, head="{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}"):
    return head + body + "}"


def test_a_textedit_document_reads_as_its_lines_show(tmp_path):
    """A backslash before the line end (LF, or CR LF) is a paragraph; other line ends are no text; a short line all
    in bold is a heading (TextEdit writes no styles: its sections are headed so)."""
    assert _read(tmp_path, _TEXTEDIT) == (_TEXTEDIT_TEXT, None, ((0, len("Allotment Society Notes")),))
    doc = load_document(_write(tmp_path, "notes.rtf", _TEXTEDIT))
    assert doc.title == "Allotment Society Notes"  # no \info title: the first line


def test_a_word_document_reads_its_headings_lists_tables_and_footnotes(tmp_path):
    text, title, headings = _read(tmp_path, _WORD_HEAD + _WORD_BODY)
    assert text == _WORD_TEXT  # no header, footer, font, comment, bookmark, deleted or hidden text
    assert title == "Harbour Festival Volunteer Guide 2026"
    assert [text[a:b] for a, b in headings] == ["Harbour Festival Volunteer Guide", "Shifts", "What to bring"]
    for leftover in ("Times New Roman", "Calibri", ";;", "Confidential", "Page 1", "HYPERLINK", "\\", "*", "·",
                     "Ann Trewin", "Check the dates", "Parking is free", "Internal note", "Normal", "504b"):
        assert leftover not in text


def test_a_wordpad_document_reads_its_old_style_lists(tmp_path):
    text, title, headings = _read(tmp_path, _WORDPAD)
    assert text == ("Library opening hours\n\nThe library opens at 9:00 on weekdays – 10:00 on Saturdays.\n\n"
                    "Monday to Friday: 9:00\nSaturday: 10:00\n1. Ring the bell\n2. Wait\n\n"
                    "It is closed on Sundays. Ask for Renée at the desk.")  # a bullet left out, a number kept
    assert (title, headings) == (None, ((0, len("Library opening hours")),))


def test_the_title_is_the_info_title_unless_it_names_a_file_or_is_missing(tmp_path):
    body = "\\pard\\s1 Allotment rules\\par\\pard Bonfires are not allowed.\\par"
    head = "{\\rtf1\\ansi{\\stylesheet{\\s1 Heading 1;}}"
    for name, info, title in (("a.rtf", "{\\info{\\title  Allotment   society rules }{\\author Ann}}",
                               "Allotment society rules"), ("b.rtf", "{\\info{\\title rules.doc}}", "Allotment rules"),
                              ("c.rtf", "{\\info{\\title Untitled}}", "Allotment rules"),
                              ("d.rtf", "{\\info{\\author Ann}}", "Allotment rules"), ("e.rtf", "", "Allotment rules")):
        assert load_document(_write(tmp_path, name, head + info + body + "}")).title == title
    assert _read(tmp_path, head + body + "}") == ("Allotment rules\n\nBonfires are not allowed.", None, ((0, 15),))


@pytest.mark.parametrize("rtf, text", [
    ("\\'e9t\\'e9 \\'80 5", "été € 5"),  # \ansicpg1252
    ("caf\xe9", "café"),  # an 8-bit byte written raw: in the code page too
    ("\\emdash\\endash\\lquote x\\rquote\\ldblquote y\\rdblquote\\bullet", "—–‘x’“y”•"),
    ("non\\~breaking, opt\\-ional, non\\_breaking", "non breaking, optional, non-breaking"),
    ("\\{braces\\} and \\\\ back", "{braces} and \\ back"),
    ("a\\tab b\\par c\\sect d\\page e", "a b\n\nc\n\nd\n\ne"),
    ("\\u8217\\'92 \\u-4064 ? \\uc2\\u8212\\'97\\'97x", "’ \uf020 —x"),  # the \ucN fallback characters skipped
    ("{\\uc0\\u8220 q\\u8221 }\\u8364?", "“q”€"),
    ("\\u-10179?\\u-8704?!", "😀!"),  # a surrogate pair joined
    ("\\u-10179?x", "x"),  # a lone half dropped
    ("\\uc2\\u21483\\'8b\\'a9!", "叫!"),  # two fallback bytes (Shift JIS)
])
def test_characters_are_decoded(tmp_path, rtf, text):
    assert _read(tmp_path, _body(rtf))[0] == text


def test_code_pages_come_from_the_document_and_the_font(tmp_path):
    fonts = ("{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}{\\f1\\froman\\fcharset238 Times CE;}{\\f2\\froman"
             "\\fcharset204 Times Cyr;}{\\f3\\fnil\\fcharset128 MS Mincho;}{\\f4\\fnil\\cpg1253 Greek;}}")
    body = "\\f1 \\'9ail\\'b9 \\f2 \\'cc\\'ee\\'f1\\'ea\\'e2\\'e0 {\\f3 \\'82\\'a0\\'82\\'a2} \\f4 \\'e1 \\f0 \\'e9"
    text = _read(tmp_path, "{\\rtf1\\ansi\\ansicpg1252\\deff0" + fonts + body + "}")[0]
    assert text == "šilą Москва あい α é"
    assert _read(tmp_path, "{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0 Arial;}}\\'cf\\'f0\\'e8}")[0] == "При"
    assert _read(tmp_path, "{\\rtf1\\mac\\deff0 Caf\\'8e cr\\'8fme}")[0] == "Café crème"


def test_destinations_not_read(tmp_path):
    body = ("{\\*\\unknownthing secret}{\\*\\generator Riched20}{\\pict\\pngblip\\picw10 89504e47}"
            "{\\object\\objemb{\\*\\objclass Excel}{\\*\\objdata 0105}{\\result {\\pict 00}}}{\\header Head}"
            "{\\footerl Foot}{\\*\\bkmkstart b}{\\*\\bkmkend b}{\\*\\annotation note}"
            "{\\field{\\*\\fldinst {HYPERLINK \"u\"}}{\\fldrslt {Shown}}} text{\\xe {\\v entry}}"
            "\\par {\\field{\\*\\fldinst TOC \\\\o \"1-3\"}{\\fldrslt Shifts\\tab 1\\par What to bring\\tab 2\\par}}"
            "Body {\\v hidden\\v0 shown} {\\deleted gone}{\\deleted0 kept}")
    assert _read(tmp_path, _body(body))[0] == "Shown text\n\nBody shown kept"


def test_headings_by_style_name_or_outline_level(tmp_path):
    head = ("{\\rtf1\\ansi{\\stylesheet{\\s0 Normal;}{\\s3\\outlinelevel2 \\sbasedon0 \\'dcberschrift 3;}"
            "{\\s4 HEADING 4,h4,Section;}{\\s5 Subtitle;}{\\s6 Heading Notes;}}")
    body = ("\\pard\\plain\\s3 Anfahrt\\par\\pard\\plain\\s4 Parking\\par\\pard\\s5 A guide\\par"
            "\\pard\\outlinelevel0 Outlined\\par\\pard\\s6 Not a heading\\par\\pard\\outlinelevel9 Body text\\par}")
    text, _, headings = _read(tmp_path, head + body)
    assert [text[a:b] for a, b in headings] == ["Anfahrt", "Parking", "A guide", "Outlined"]


def test_list_items_are_lines_of_one_paragraph_their_numbers_kept_once(tmp_path):
    body = ("Before\\par\\pard\\ls1\\ilvl0 {\\listtext\\f3 \\'b7\\tab}One\\par{\\listtext o\\tab}Two\\par"
            "\\pard\\ls2 {\\listtext 1.\\tab}{\\pntext 1.\\tab}First\\par{\\listtext a)\\tab}Second\\line More\\par"
            "\\ls2 Third\\par\\pard After\\line Next line\\line and on\\par")
    assert _read(tmp_path, _body(body))[0] == ("Before\n\nOne\nTwo\n1. First\na) Second\nMore\nThird\n\n"
                                               "After\nNext line and on")


def _row(cells, definition=""):
    return "\\trowd" + definition + "".join(f"\\cellx{1000 * (i + 1)}" for i in range(len(cells))) + \
        "\\pard\\intbl " + "".join(f"{c}\\cell " for c in cells) + "\\row "


def test_tables_with_header_rows_bold_headers_and_merged_cells(tmp_path):
    bold = _row(["{\\b Day}", "{\\b Time}", "{\\b Room}"])
    merged = ("\\trowd\\clvmgf\\cellx1000\\cellx2000\\cellx3000\\pard\\intbl Monday\\cell 9:00\\cell Hall A\\cell\\row "
              "\\trowd\\clvmrg\\cellx1000\\cellx2000\\cellx3000\\pard\\intbl \\cell 10:00\\cell Hall B\\cell\\row "
              "\\trowd\\cellx1000\\clmgf\\cellx2000\\clmrg\\cellx3000\\pard\\intbl Tuesday\\cell Closed all day\\cell "
              "stray\\cell\\row ")
    plain = _row(["Name", "Extension"]) + _row(["Lena", "214"])
    nested = ("\\trowd\\cellx1000\\cellx2000\\pard\\intbl Outer\\cell\\pard\\intbl\\itap2 In one\\nestcell In two"
              "\\nestcell{\\*\\nesttableprops\\trowd\\cellx500\\nestrow}{\\nonesttables In one In two\\par}"
              "\\pard\\intbl\\itap1 \\cell\\row ")
    body = bold + merged + "\\pard\\par " + plain + "\\pard Between\\par" + nested
    assert _read(tmp_path, _body(body))[0] == (
        "Monday time 9:00.\nMonday room Hall A.\n\nMonday time 10:00.\nMonday room Hall B.\n\n"
        "Tuesday time Closed all day.\n\nName Extension\n\nLena 214\n\nBetween\n\nOuter In one In two")
    marked = _row(["Shift", "Starts"], "\\trhdr") + "\\pard\\intbl Morning\\cell 9 a.m.\\cell\\row "  # no \trowd
    assert _read(tmp_path, _body(marked))[0] == "Morning starts 9 a.m."


def test_footnotes_are_read_after_their_paragraph_or_table(tmp_path):
    body = ("Lunch is provided{\\super\\chftn}{\\footnote\\pard\\plain{\\super\\chftn} Vegetarian options.\\par "
            "Ask {\\b early}.} at noon.\\par" + _row(["Tea", "free{\\footnote\\chftn Until 4 p.m.}"])
            + "\\pard End\\par")
    assert _read(tmp_path, _body(body))[0] == ("Lunch is provided at noon.\n\nVegetarian options.\n\nAsk early.\n\n"
                                               "Tea free\n\nUntil 4 p.m.\n\nEnd")


def test_binary_data_is_skipped_unread(tmp_path):
    data = b"{\\rtf1\\ansi Before {\\pict\\bin13 \x00{{{}}\\par\xff\xfe\x01} after {\\*\\blob\\bin5 }}}}}} end}"
    assert _read(tmp_path, data)[0] == "Before after end"
    huge = b"{\\rtf1\\ansi Text {\\object\\bin" + str(4 * 2**20).encode() + b" " + b"{" * (4 * 2**20) + b"} more}"
    start = time.perf_counter()
    assert _read(tmp_path, huge)[0] == "Text more"
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04\x14\x00\x06\x00 a renamed .docx", r"notes\.rtf: not an RTF document \(it does not start with "
                                                     r"\{\\rtf\) \(it is a zip archive"),
    (b"Dear Sam,\nSee you soon.", r"notes\.rtf: not an RTF document"),
    (b"", r"notes\.rtf: not an RTF document"),
    (b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\pard Cut sho", r"notes\.rtf: damaged RTF document \(it ends inside 1 "
                                                             r"unclosed group; the file may be cut short\)"),
    (b"{\\rtf1 {\\b text}", r"notes\.rtf: damaged RTF document \(it ends inside 1 unclosed group"),
    (b"{\\rtf1 {{{ text}", r"notes\.rtf: damaged RTF document \(it ends inside 3 unclosed groups"),
    (b"{\\rtf1 " + b"{" * 100_000 + b"deep" + b"}" * 100_000 + b"}", r"notes\.rtf: damaged RTF document \(groups "
                                                                      r"nested more than 1000 deep\)"),
    (b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}{\\*\\generator Word}\\pard\\par\\pard \\par}", r"notes\.rtf: contains "
                                                                                          r"no text"),
    (b"{\\rtf1 Text \\bin99 ab}", r"notes\.rtf: damaged RTF document"),  # binary data running past the end
])
def test_bad_files_are_errors_naming_them(tmp_path, data, message):
    with pytest.raises(DocumentError, match=message):
        load_document(_write(tmp_path, "notes.rtf", data))


def test_a_large_document_loads_in_linear_time(tmp_path):
    paragraph = "\\pard\\plain \\s1 {\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\insrsid123 The gate code is 4471.}\\par\n"
    rtf = _WORD_HEAD + paragraph * (4 * 2**20 // len(paragraph)) + "}"
    start = time.perf_counter()
    text, _, headings = _read(tmp_path, rtf)
    assert time.perf_counter() - start < 10  # about a second; a quadratic join took a minute
    assert len(headings) == 4 * 2**20 // len(paragraph) and text.startswith("The gate code is 4471.\n\n")


def test_an_answer_s_sentence_is_found_verbatim_in_the_loaded_text(tmp_path):
    doc = load_document(_write(tmp_path, "guide.rtf", _WORD_HEAD + _WORD_BODY))
    assert doc.source == "guide.rtf" and doc.title == "Harbour Festival Volunteer Guide 2026"
    # "Do volunteers pay for parking?": its evidence, as the reader quotes it
    assert "Volunteers don’t pay for parking." in doc.text
    assert "Morning starts 9 a.m." in doc.text.splitlines()


def test_a_short_bold_line_is_a_heading_a_bold_sentence_or_list_item_is_not(tmp_path):
    body = ("\\pard\\b Parking\\b0\\par\\b Please park on the drive.\\b0\\par"
            "\\b Half\\b0  bold\\par\\pard\\ls1\\ilvl0 {\\listtext\\'b7\\tab}\\b Gloves\\b0\\par"
            "\\pard\\b A line of more than eight words in bold type here\\b0\\par")
    text, _, headings = _read(tmp_path, _body(body))
    assert [text[a:b] for a, b in headings] == ["Parking"]
