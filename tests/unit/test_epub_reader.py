"""EPUB e-books: the spine's chapters in reading order, read as web pages (headings, lists, tables, footnotes), the
navigation document and a cover image page left out, the title from the package, bad and DRM-protected books named."""

import logging
import time
import zipfile

import pytest

from index.documents import DocumentError, load_document
from index.html_reader import html_to_text
from index.epub_reader import epub_to_text

CONTAINER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
             '  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
             '</rootfiles>\n</container>\n')

# the manifest lists the chapters out of order: the spine decides
OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:12345678-1234-1234-1234-123456789abc</dc:identifier>
    <dc:title>The  Lighthouse
      Keeper</dc:title>
    <dc:language>en</dc:language>
  </metadata>
  <manifest>
    <item id="ch2" href="Text/chapter2.xhtml" media-type="application/xhtml+xml"/>
    <item id="notes" href="Text/notes.xhtml" media-type="application/xhtml+xml"/>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="cover" href="Text/cover.xhtml" media-type="application/xhtml+xml"/>
    <item id="cover-image" href="Images/cover.jpg" media-type="image/jpeg" properties="cover-image"/>
    <item id="ch1" href="Text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
    <item id="font" href="Fonts/serif.otf" media-type="font/otf"/>
  </manifest>
  <spine toc="ncx">
    <itemref idref="cover"/>
    <itemref idref="nav"/>
    <itemref idref="notes" linear="no"/>
    <itemref idref="ch1"/>
    <itemref idref="ch2"/>
  </spine>
</package>
"""


def _page(title, body, prolog='<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'):
    return (f'{prolog}<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">\n'
            f'<head>\n  <title>{title}</title>\n  <link rel="stylesheet" type="text/css" href="../style.css"/>\n'
            f'</head>\n<body>\n{body}\n</body>\n</html>\n')


NAV = _page("Contents", '<h1>Contents</h1>\n<nav epub:type="toc" id="toc"><ol>\n'
            '<li><a href="Text/chapter%201.xhtml">The Island</a></li>\n'
            '<li><a href="Text/chapter2.xhtml">The Storm</a></li></ol></nav>')
NCX = ('<?xml version="1.0" encoding="UTF-8"?>\n<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
       '<navMap><navPoint id="p1" playOrder="1"><navLabel><text>The Island</text></navLabel>'
       '<content src="Text/chapter%201.xhtml"/></navPoint></navMap></ncx>')
COVER = _page("Cover", '<div class="cover"><img src="../Images/cover.jpg" alt=""/></div>')
CHAPTER_1 = _page("Chapter 1", """<section epub:type="chapter" id="ch1">
<h1 epub:type="title">The Island</h1>
<p>The lighthouse stood on a rock <em>two miles</em> out,<a epub:type="noteref" href="#fn1">1</a> and the keeper
   rowed across each Monday.<span epub:type="pagebreak" id="p2" title="2">2</span></p>
<h2>Supplies</h2>
<p>He carried:</p>
<ul>
  <li>oil for the lamp</li>
  <li>bread and salt fish</li>
</ul>
<aside epub:type="footnote" id="fn1"><p>1. The rock is called Carn Du.</p></aside>
</section>""")
CHAPTER_2 = _page("Chapter 2", """<section epub:type="chapter">
<h1>The Storm</h1>
<p>The storm of 1893 kept him ashore for nine days.</p>
<table>
  <thead><tr><th>Year</th><th>Days ashore</th></tr></thead>
  <tbody><tr><td>1893</td><td>9</td></tr><tr><td>1901</td><td>4</td></tr></tbody>
</table>
</section>""", prolog='<?xml version="1.0" encoding="utf-8"?>\n'
                      '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/'
                      'xhtml11.dtd" [\n  <!ENTITY keeper "the keeper">\n]>\n')
NOTES = _page("Notes", "<h2>A note on sources</h2><p>The logbooks are kept in Penzance.</p>")

BOOK_TEXT = ("The Island\n\n"
             "The lighthouse stood on a rock two miles out, and the keeper rowed across each Monday.\n\n"
             "Supplies\n\n"
             "He carried:\n\n"
             "oil for the lamp\nbread and salt fish\n\n"
             "1. The rock is called Carn Du.\n\n"
             "The Storm\n\n"
             "The storm of 1893 kept him ashore for nine days.\n\n"
             "1893 days ashore 9.\n\n"  # a table a sentence a cell, its first column naming the row
             "1901 days ashore 4.\n\n"
             "A note on sources\n\n"
             "The logbooks are kept in Penzance.")

FONT_OBFUSCATION = """<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData>
    <enc:EncryptionMethod Algorithm="{algorithm}"/>
    <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>
  </enc:EncryptedData>
</encryption>
"""


def _files(**changes):
    files = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": OPF, "OEBPS/nav.xhtml": NAV,
             "OEBPS/toc.ncx": NCX, "OEBPS/Text/cover.xhtml": COVER, "OEBPS/Text/chapter 1.xhtml": CHAPTER_1,
             "OEBPS/Text/chapter2.xhtml": CHAPTER_2, "OEBPS/Text/notes.xhtml": NOTES,
             "OEBPS/Images/cover.jpg": b"\xff\xd8\xff\xe0 not really a jpeg", "OEBPS/Fonts/serif.otf": b"\x00\x01"}
    files.update(changes)
    return {name: data for name, data in files.items() if data is not None}


def _epub(tmp_path, name="book.epub", compress_type=zipfile.ZIP_DEFLATED, **changes):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)  # first, stored
        for member, data in _files(**changes).items():
            archive.writestr(member, data, compress_type=compress_type)
    return path


def test_a_book_reads_its_spine_in_order_with_its_headings_and_title(tmp_path):
    document = load_document(_epub(tmp_path))
    assert document.source == "book.epub"
    assert document.title == "The Lighthouse Keeper"
    # the cover image page and the navigation document hold no text of the book; the notes (linear="no") come last
    assert document.text == BOOK_TEXT
    assert [document.text[a:b] for a, b in document.headings] == ["The Island", "Supplies", "The Storm",
                                                                  "A note on sources"]
    assert document.headings[2] == (BOOK_TEXT.index("The Storm"), BOOK_TEXT.index("The Storm") + len("The Storm"))


def test_the_reader_gives_the_text_title_and_spans(tmp_path):
    text, title, headings = epub_to_text(_epub(tmp_path), "shown/book.epub", html_to_text)
    assert (text, title) == (BOOK_TEXT, "The Lighthouse Keeper")
    assert headings == ((0, 10), (100, 108), (193, 202), (296, 313))


@pytest.mark.parametrize("title", ["", "<dc:title> </dc:title>", "<dc:title>lighthouse.docx</dc:title>"])
def test_a_book_without_a_title_is_titled_by_its_first_line(tmp_path, title):
    """No dc:title, an empty one, or one naming the file it was made from (as a converter leaves it)."""
    opf = OPF.replace("<dc:title>The  Lighthouse\n      Keeper</dc:title>", title)
    assert load_document(_epub(tmp_path, **{"OEBPS/content.opf": opf})).title == "The Island"


def test_an_epub2_book_with_its_ncx_and_a_package_at_the_root(tmp_path):
    container = CONTAINER.replace("OEBPS/content.opf", "content.opf")
    opf = (OPF.replace('version="3.0"', 'version="2.0"').replace(' properties="nav"', "")
           .replace('<itemref idref="nav"/>', "").replace('href="Text/', 'href="OEBPS/Text/'))
    path = _epub(tmp_path, **{"META-INF/container.xml": container, "OEBPS/content.opf": None, "content.opf": opf})
    assert load_document(path).text == BOOK_TEXT


def test_a_chapter_missing_from_the_book_is_skipped_with_a_warning(tmp_path, caplog):
    opf = OPF.replace('<itemref idref="ch2"/>', '<itemref idref="ch2"/><itemref idref="ghost"/>')
    path = _epub(tmp_path, **{"OEBPS/Text/chapter2.xhtml": None, "OEBPS/content.opf": opf})
    with caplog.at_level(logging.WARNING):
        text, _, _ = epub_to_text(path, "book.epub", html_to_text)
    assert "The Storm" not in text and text.startswith("The Island\n\n")
    assert "book.epub: chapter OEBPS/Text/chapter2.xhtml named in its spine is missing" in caplog.text
    assert "book.epub: spine item ghost is not in its manifest" in caplog.text


def test_fonts_that_are_only_obfuscated_do_not_stop_the_book(tmp_path):
    for algorithm in ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"):
        encryption = FONT_OBFUSCATION.format(algorithm=algorithm, uri="OEBPS/Fonts/serif.otf")
        assert load_document(_epub(tmp_path, **{"META-INF/encryption.xml": encryption})).text == BOOK_TEXT


def test_a_drm_protected_book_is_an_error_naming_it(tmp_path):
    encryption = FONT_OBFUSCATION.format(algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                                         uri="OEBPS/Text/chapter%201.xhtml")
    with pytest.raises(DocumentError, match=r"^\S*locked\.epub: DRM-protected .*only DRM-free e-books can be read"):
        load_document(_epub(tmp_path, "locked.epub", **{"META-INF/encryption.xml": encryption}))


@pytest.mark.parametrize("changes, reason", [
    ({"META-INF/container.xml": None}, r"not an EPUB e-book \(no META-INF/container.xml\)"),
    ({"OEBPS/content.opf": None}, r"its package file OEBPS/content.opf is missing"),
    ({"OEBPS/content.opf": "<package><manifest>"}, r"malformed OEBPS/content.opf"),
    ({"META-INF/container.xml": "<container/>"}, r"container.xml names no package file"),
    ({"OEBPS/Text/chapter 1.xhtml": None, "OEBPS/Text/chapter2.xhtml": None, "OEBPS/Text/notes.xhtml": None},
     r"contains no text"),
])
def test_a_broken_book_is_an_error_naming_it(tmp_path, changes, reason):
    with pytest.raises(DocumentError, match=r"^\S*broken\.epub: .*" + reason):
        load_document(_epub(tmp_path, "broken.epub", **changes))


def test_a_file_that_is_no_zip_is_an_error_naming_it(tmp_path):
    path = tmp_path / "fake.epub"
    path.write_text("<html><body>not a book</body></html>")
    with pytest.raises(DocumentError, match=r"^\S*fake\.epub: not an EPUB e-book \(not a zip archive\)"):
        load_document(path)


BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' + "".join(
    f' <!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">\n' for i in range(1, 10)) + "]>\n")


@pytest.mark.parametrize("member, root", [("META-INF/container.xml", "<container>&lol9;</container>"),
                                          ("OEBPS/content.opf", "<package><metadata>&lol9;</metadata></package>")])
def test_an_entity_bomb_is_an_error_not_a_hang(tmp_path, member, root):
    started = time.monotonic()
    with pytest.raises(DocumentError, match=r"^\S*bomb\.epub: unreadable EPUB e-book \(malformed .*amplification"):
        load_document(_epub(tmp_path, "bomb.epub", **{member: BILLION_LAUGHS + root}))
    assert time.monotonic() - started < 5


def test_a_chapter_s_entity_bomb_is_not_expanded(tmp_path):
    chapter = BILLION_LAUGHS.replace('<?xml version="1.0"?>\n', "") + _page("Bomb", "<p>Calm &lol9; here.</p>", "")
    text, _, _ = epub_to_text(_epub(tmp_path, **{"OEBPS/Text/chapter2.xhtml": chapter}), "book.epub", html_to_text)
    assert text.split("\n\n")[5:7] == ["1. The rock is called Carn Du.", "Calm &lol9 here."]  # as html.parser leaves it
    assert "ENTITY" not in text and "]>" not in text


def test_chapters_in_utf16_in_a_declared_encoding_and_in_latin1_unsaid(tmp_path):
    latin = _page("L", "<p>Café crème.</p>").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    unsaid = _page("W", "<p>Déjà vu – twice.</p>", prolog="")
    changes = {"OEBPS/Text/chapter 1.xhtml": _page("U", "<p>Naïve façade.</p>").encode("utf-16"),
               "OEBPS/Text/chapter2.xhtml": latin.encode("latin-1"), "OEBPS/Text/notes.xhtml": unsaid.encode("cp1252")}
    assert load_document(_epub(tmp_path, **changes)).text == "Naïve façade.\n\nCafé crème.\n\nDéjà vu – twice."


def test_an_html_page_without_epub_marks_keeps_its_links_and_spans():
    text, _, _ = html_to_text('<p>See note<a href="#n">1</a> and <span title="x">page 2</span>.</p>')
    assert text == "See note1 and page 2."


def test_a_damaged_chapter_is_an_error_naming_the_book_not_a_claim_that_it_is_no_zip(tmp_path):
    path = _epub(tmp_path, "damaged.epub", compress_type=zipfile.ZIP_STORED)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"The storm of 1893", b"The storm of 1894"))  # its CRC no longer matches
    with pytest.raises(DocumentError, match=r"^\S*damaged\.epub: unreadable EPUB e-book \(Bad CRC-32 for file "
                                            r"'OEBPS/Text/chapter2\.xhtml'\)"):
        load_document(path)


def test_a_book_s_authors_are_read_as_the_byline_of_a_title_page(tmp_path):
    """Session 37: "Who wrote Walks in the Wendle Valley?" was abstained on: the author is in the package's metadata
    (dc:creator), which no chapter repeats."""
    opf = OPF.replace("<dc:language>", "<dc:creator>Ann Lee</dc:creator><dc:creator opf:role=\"aut\" "
                      "xmlns:opf=\"http://www.idpf.org/2007/opf\">Tom  Reyes</dc:creator><dc:language>")
    document = load_document(_epub(tmp_path, **{"OEBPS/content.opf": opf}))
    assert document.text == "The Lighthouse Keeper\n\nBy Ann Lee and Tom Reyes\n\n" + BOOK_TEXT
    assert [document.text[a:b] for a, b in document.headings][:2] == ["The Lighthouse Keeper", "The Island"]
