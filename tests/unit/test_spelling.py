"""A question's misspelt words read as the passages' words (qa.spelling)."""

import pytest

from qa.spelling import one_edit_apart, respelled

TEXTS = ["Do not store above 25 degrees. The temperature of the room should stay even.",
         "The treasurer, currently Priya Natarajan, presents the accounts. Decisions need a majority."]
KNOWN = frozenset("what should store them the who is of how many does need take in".split())


@pytest.mark.parametrize("a, b, apart", [
    ("temprature", "temperature", True), ("treausrer", "treasurer", True), ("shoud", "should", True),
    ("accountss", "accounts", True), ("majroity", "majority", True), ("abcd", "badc", False),
    ("treasurer", "treasurer", False), ("chairing", "changing", False)])
def test_one_edit_apart(a, b, apart):
    assert one_edit_apart(a, b) is apart and one_edit_apart(b, a) is apart


@pytest.mark.parametrize("question, expected", [
    ("what temprature shoud i store them at", "what temperature should i store them at"),
    ("Who is the Treausrer?", "Who is the Treasurer?"),
    # another form of a word of the passages, a word the vocabulary knows, a short word, no single nearest: as asked
    ("How many decision does it need?", "How many decision does it need?"),
    ("Can I take it with wine?", "Can I take it with wine?"),
    ("Is it romm 4?", "Is it romm 4?"),
    ("Who is the chairing member?", "Who is the chairing member?"),
])
def test_a_misspelt_word_is_read_as_the_word_of_the_passages_it_misspells(question, expected):
    assert respelled(question, TEXTS, KNOWN | {"wine", "can", "it", "with", "member"}) == expected


def test_without_a_vocabulary_nothing_is_respelt():
    assert respelled("what temprature", TEXTS, frozenset()) == "what temprature"


def test_a_word_the_passages_lack_is_looked_for_in_every_document_and_only_then():
    asked = []

    def corpus_words():
        asked.append(True)
        return {"available", "availability", "deprecated"}

    assert respelled("Is it still avilable?", TEXTS, KNOWN | {"still", "is", "it"}, corpus_words) == \
        "Is it still available?"
    assert respelled("what temprature", TEXTS, KNOWN, corpus_words) == "what temperature" and len(asked) == 1
