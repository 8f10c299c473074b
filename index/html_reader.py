"""Web pages (.html) as reading text: the visible text a block a line, h1-h6 as headings, a list's items as the lines
of one paragraph, tables a sentence a cell under a header row (index.tables); scripts, styles and <nav> menus
dropped; also the chapters of an e-book and an email's HTML body (via BeautifulSoup)."""

from __future__ import annotations

import re

from index.markup import join_blocks
from index.tables import looks_like_header, table_lines

_HTML_BLOCKS = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table",
                "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre", "figure",
                "figcaption", "form", "fieldset", "address", "caption", "details", "summary"]


_ITEM = "\ue000"  # marks where a list item starts (a private-use character; not whitespace, as \x1f is)
_LINE = "\ue001"  # marks a line that goes on its block after a line break (a table row's next cell)
# an e-book's footnote marks and printed page numbers: read into the sentence they stand in ("a dark night.1")
_EPUB_MARKS = re.compile(r"\b(?:noteref|pagebreak)\b")


def html_to_text(markup: str) -> tuple[str, str | None, tuple[tuple[int, int], ...]]:
    """An HTML page's visible text (one block a line), its title, and the spans of its h1-h6 headings."""
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for hidden in soup(["script", "style", "noscript", "template", "head", "svg", "nav"]):  # nav: a menu of links
        hidden.decompose()
    for mark in soup.find_all(attrs={"epub:type": _EPUB_MARKS}):
        mark.decompose()
    # a line break in the page's source is a space, as a browser shows it ("... for example for\ntravel or injury."
    # is one sentence); only <pre> keeps its lines. The strings are spaced out as the text is joined, not replaced
    # in the tree, and the line breaks below go inside each block, not beside it: bs4 finds an element among its
    # siblings one by one, which took seconds for a book of 5,000 paragraphs in one file
    loose = [text for text in soup.find_all(string=re.compile(r"\s\s|[\n\r\t]"))
             if type(text) is NavigableString and text.find_parent("pre") is None]
    spaced = {id(text) for text in loose}  # `loose` keeps them alive (a table's are taken out): no id is reused
    for br in soup.find_all(["br", "hr"]):
        br.replace_with("\n")
    for tag in soup.find_all(_HTML_BLOCKS):  # a line break around each block; inline tags (<em>, <a>) run on
        tag.insert(0, "\n")
        tag.append("\n")
    for table in reversed(soup.find_all("table")):  # innermost first: a nested table reads inside its cell
        lines = [line.replace("\n", "\n" + _LINE) for line in _table_lines(table)]  # a row's cells stay one block
        table.replace_with("\n" + "\n".join(lines) + "\n")
    for item in soup.find_all("li"):  # a list's items are the lines of one paragraph, as in Markdown
        item.insert(1, _ITEM)  # after its line break
    pending = [" ".join(h.get_text("").split()) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    blocks: list[tuple[str, str]] = []  # (kind, text): heading, item or text
    page = "".join(re.sub(r"\s+", " ", text) if id(text) in spaced else text for text in soup.strings)
    for line in page.splitlines():
        item, joined = line.lstrip().startswith(_ITEM), line.lstrip().startswith(_LINE)
        line = re.sub(r"[ \t\xa0]+", " ", line.replace(_ITEM, "").replace(_LINE, "")).strip()
        if not line:
            continue
        if joined and blocks:  # a table row's next cell: a line of the same block
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + "\n" + line)
        elif line in pending[:3]:  # headings come in document order (one broken over lines is skipped)
            del pending[:pending.index(line) + 1]
            blocks.append(("heading", line))
        else:
            blocks.append(("item" if item else "text", line))
    text, headings = join_blocks(blocks)
    return text, title, headings


def _table_lines(table) -> list[str]:
    """An HTML table's rows as lines of reading text (index.tables): under a header row, a sentence a cell."""
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    cells = [[" ".join(cell.get_text(" ").split()) for cell in row.find_all(["td", "th"], recursive=False)]
             for row in rows]
    header = bool(rows) and (rows[0].find_parent("thead") is not None or
                             all(cell.name == "th" for cell in rows[0].find_all(["td", "th"], recursive=False)))
    return table_lines(cells, header or looks_like_header(cells))
