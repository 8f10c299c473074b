"""The documents' words and the documents a rare word names (qa.vocabulary)."""

from index.chunking import Passage
from qa.vocabulary import DocumentWords

PASSAGES = [Passage("The extremist group attacked apostate leaders.", "islamism.txt", 0, 46),
            Passage("Extremists seized the mosque in 1979; tidemark reads logs.", "oil.txt", 0, 58),
            Passage("The tidemark tool is released under no stated licence.", "tidemark.md", 0, 55)]
KNOWN = frozenset("which leaders did the islamic attack what licence is released under".split())


def test_a_rare_word_scopes_to_the_documents_holding_it_in_some_form():
    words = DocumentWords(PASSAGES)
    # "extremists" is in oil.txt, its other form "extremist" in islamism.txt
    assert words.scope("Which leaders did the Islamic extremists attack?", KNOWN, 3) == {"islamism.txt", "oil.txt"}
    # every rare word must be held: "tidemark" and "licence"-less words
    assert words.scope("What licence is tidemark released under?", KNOWN, 3) == {"oil.txt", "tidemark.md"}
    assert words.scope("What licence is tidemark extremists released under?", KNOWN, 3) == {"oil.txt"}


def test_no_scope_without_a_rare_word_held_by_some_documents_only():
    words = DocumentWords(PASSAGES)
    assert words.scope("Which leaders did the Islamic attack?", KNOWN, 3) is None  # every word known
    assert words.scope("Which okapis did the Islamic attack?", KNOWN, 3) is None  # a word no document holds
    assert words.scope("Which extremists?", frozenset(), 3) is None  # no vocabulary: no word is rare
    assert words.scope("Which extremists?", KNOWN, 1) is None  # one document: nothing to choose


def test_the_words_are_read_only_when_first_needed():
    read = []
    words = DocumentWords(p for p in PASSAGES if not read.append(p))
    assert read == []
    assert "tidemark" in words.words and len(read) == 3
