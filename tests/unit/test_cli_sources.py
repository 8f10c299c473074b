"""The sources printed under a `qa ask` answer (qa/cli_sources.py), with a fake store (no models)."""

from __future__ import annotations

from types import SimpleNamespace

from index.chunking import Passage
from qa.answer import Answer, Citation
from qa.cli_sources import Renumbering, source_lines


def test_a_cited_passage_is_printed_a_paragraph_a_line_its_heading_apart():
    """Session 24: a handbook's passage printed as "... next to the mailroom. Rent Rent is due on ...": its
    heading ran into its text. Each paragraph now starts a line of its own."""
    text = "Rent\n\nRent is due on the first day of each month.\n\nParking\n\nEach flat has one space."
    passage = Passage(text, "handbook.md", 0, len(text))
    answer = Answer("on the first day [2]", [Citation.from_passage(2, passage)], False, "When is rent due?",
                    [passage, passage])
    assistant = SimpleNamespace(store=SimpleNamespace(documents={}), corpus_dir=None)
    assert source_lines(assistant, answer, Renumbering()) == [
        "", "Sources:", "[1] handbook.md", "    Rent", "    Rent is due on the first day of each month.",
        "    Parking", "    Each flat has one space."]
