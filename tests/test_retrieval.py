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


def test_follow_up_search_reads_the_previous_answer_unless_it_abstained():
    history = [("Who is the Turkish president?", "“President Erdogan's trip to Moscow was key.” [1]")]
    assert is_follow_up("Whose fate is also uncertain?") and not is_follow_up("Whose fate is uncertain?")
    assert retrieval_query("Which city did he travel to?", history, with_answer=True) == (
        "Who is the Turkish president? President Erdogan's trip to Moscow was key. Which city did he travel to?")
    assert retrieval_query("Which city did he travel to?", history) == (
        "Who is the Turkish president? Which city did he travel to?")
    abstained = [("Who is the Turkish president?", "The documents do not contain an answer to this question.")]
    assert retrieval_query("Where did he go?", abstained, with_answer=True) == (
        "Who is the Turkish president? Where did he go?")


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
