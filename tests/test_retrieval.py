"""Retrieval: rank fusion, BM25 and dense modes, and follow-up resolution."""

import pytest

from fakes import HashingEmbedder
from index.builder import ChunkingConfig, update_index
from index.documents import Document
from qa.retrieval import HybridRetriever, is_follow_up, rrf_fuse, retrieval_query


def test_rrf_rewards_agreement():
    assert rrf_fuse([[1, 2, 3], [3, 1, 4]])[:2] == [1, 3]
    assert rrf_fuse([[1, 2], []]) == [1, 2]


def test_follow_up_questions_are_read_with_the_previous_question():
    history = [("What does Turkey want to buy from Russia?", "The S-400 [1].")]
    assert is_follow_up("Why?") and is_follow_up("And the EU?") and is_follow_up("Who sells it to them?")
    assert not is_follow_up("What does Turkey want to buy from Russia?")
    assert retrieval_query("Why?", history) == "What does Turkey want to buy from Russia? Why?"
    assert retrieval_query("Why?", None) == "Why?"


def test_also_too_else_mark_a_follow_up():
    history = [("Which war's outcome is unresolved?", "The war in Syria [1].")]
    assert is_follow_up("Whose fate is also uncertain?") and not is_follow_up("Whose fate is uncertain?")
    assert is_follow_up("Who else was there?") and is_follow_up("Was Iran involved too?")
    assert retrieval_query("Whose fate is also uncertain?", history) == (
        "Which war's outcome is unresolved? Whose fate is also uncertain?")


@pytest.fixture
def store(tmp_path):
    docs = [Document("a.md", "A", "Zebras graze on the savanna grass."),
            Document("b.md", "B", "The S-400 air-defense system is sold by Russia."),
            Document("c.md", "C", "Bananas grow in tropical plantations.")]
    store, _ = update_index(docs, tmp_path / "idx", HashingEmbedder(), ChunkingConfig(40, 0), show_progress=False)
    return store


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_each_mode_finds_the_matching_passage(store, mode):
    retriever = HybridRetriever(store, HashingEmbedder(), mode)
    hits = retriever.retrieve("Who sells the S-400 system?", 2)
    assert hits[0].source == "b.md" and -1.0 <= hits[0].score <= 1.0


def test_bm25_only_returns_passages_sharing_a_term(store):
    retriever = HybridRetriever(store, HashingEmbedder(), "bm25")
    assert retriever.retrieve("quantum chromodynamics", 3) == []
    with pytest.raises(ValueError):
        HybridRetriever(store, HashingEmbedder(), "magic")
