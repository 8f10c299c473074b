"""Yes or no to a yes/no question from a table cell that holds only a mark (pure functions): an allergen chart's
"Crab cakes with lime mayonnaise nuts -." says no to "Do the crab cakes contain nuts?", a price list's "Olive tree in
stock Yes." yes to "Is the olive tree in stock?". The question must name the cell's row (by its label)
and its column; a cell saying more than a mark ("May contain") settles nothing, and its line is quoted instead.
"""

from __future__ import annotations

import re
from typing import Sequence

from index.chunking import Passage
from qa.table_rows import row_blocks, row_label
from qa.text import content_words, paragraph_bounds

_YES = frozenset("yes y ✓ ✔ ✔️ ☑ ✅".split())
_NO = frozenset("no n - – — ✗ ✘ ✕ ❌".split())
_HAS = content_words("contain contains contained include includes included made use uses used come comes served")


def cell_mark(question: str, text: str, start: int, end: int) -> str:
    """"yes" or "no" where text[start:end] is the whole value of a table cell's line ("<row> <column> <value>.",
    index.tables) that is a mark, and the question names the line's column; "" otherwise."""
    value = text[start:end].strip().lower()
    mark = "yes" if value in _YES else "no" if value in _NO else ""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    label = row_label(text, start)
    if not mark or not label or not line.startswith(label) or line[end - line_start:].strip() not in ("", "."):
        return ""
    column, asked = content_words(line[len(label):start - line_start]), content_words(question)
    # a question asking more than whether the row has the column's thing gets no yes or no from its mark: "Can I get
    # the fish pie gluten-free?" none from "... fish pie gluten Yes.", nor "Is it safe with a nut allergy?"; it may
    # name the row by its other cells ("Is the John Innes compost in stock?": "John Innes No. 2 category Compost.")
    row = content_words(text[slice(*paragraph_bounds(text, start, end))])
    return mark if column and column <= asked and not asked - column - row - _HAS else ""


def marked_cell(question: str, passages: Sequence[Passage]) -> tuple[int, int, int] | None:
    """(passage, start, end) of the mark that answers a yes/no question (cell_mark) in the table row whose label the
    question names most (by its words; in the first passage holding it, as a passage may cut a row); None where no
    row's label is named, or two rows named as much have such a cell."""
    asked = content_words(question)
    found: list[tuple[int, str, tuple[int, int, int]]] = []
    for i, passage in enumerate(passages):
        for top, bottom, said, length in row_blocks(passage.text):
            label = " ".join(said[:length]) if said else ""
            named = len(content_words(label) & asked)
            for m in re.finditer(r"(?m)(\S+?)\.?$", passage.text[top:bottom]) if named else ():
                if cell_mark(question, passage.text, top + m.start(1), top + m.end(1)):
                    found.append((named, label, (i, top + m.start(1), top + m.end(1))))
    best = max((named for named, _, _ in found), default=0)
    rows = {label for named, label, _ in found if named == best}
    return next(where for named, _, where in found if named == best) if len(rows) == 1 else None
