"""How `python -m qa ask` shows citations: markers numbered as cited ([1], [2], ...), sources in plain words."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

_MARKER = re.compile(r"\[(\d+)\]")


class Renumbering:
    """Maps the answer's passage markers to citation numbers in order of first appearance: [3] ... [1] -> [1] ... [2].

    Applied to streamed pieces one after another it numbers them exactly as it numbers the whole text."""

    def __init__(self) -> None:
        self.numbers: dict[int, int] = {}

    def __call__(self, text: str) -> str:
        """The text with every [n] marker replaced by its citation number."""
        return _MARKER.sub(lambda m: f"[{self.number(int(m.group(1)))}]", text)

    def number(self, marker: int) -> int:
        """The citation number of passage marker `marker` (the next free one if it is new)."""
        return self.numbers.setdefault(marker, len(self.numbers) + 1)


def where(assistant, passage) -> str:
    """'file.md, paragraph 3 of 12' (a PDF: 'page 2 of 5'), or the file name alone if the document is gone."""
    from ui.positions import pdf_page_starts, position_label

    document = assistant.store.documents.get(passage.source)
    if document is None:
        return passage.source
    pages = None
    if passage.source.lower().endswith(".pdf") and assistant.corpus_dir is not None:
        pages = pdf_page_starts(Path(assistant.corpus_dir) / passage.source, document.text)
    return f"{passage.source}, {position_label(document.text, passage.start, passage.end, pages)}"


def source_lines(assistant, answer, renumber: Renumbering) -> list[str]:
    """The lines printed under an answer: its cited passages by citation number, each placed in its document in
    words and shown in full; for an abstention, where the passages searched are."""
    if answer.citations:
        cited = sorted(answer.citations, key=lambda c: renumber.number(c.marker))
        lines = ["", "Sources:"]
        for citation in cited:
            lines.append(f"[{renumber.number(citation.marker)}] {where(assistant, answer.passages[citation.marker - 1])}")
            for paragraph in re.split(r"\n\s*\n", citation.text):  # a heading on its own line, not in the text
                if paragraph.strip():
                    lines.append(textwrap.indent(textwrap.fill(" ".join(paragraph.split()), 100), "    "))
        return lines
    if answer.abstained and answer.passages:
        return ["", "Searched passages (none answers the question):"] + [
            f"- {where(assistant, p)}" for p in answer.passages]
    return []
