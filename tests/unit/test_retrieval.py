"""Retrieval: rank fusion, BM25 and dense modes, and follow-up resolution."""

import pytest

from fakes import HashingEmbedder
from index.builder import ChunkingConfig, update_index
from index.documents import Document
from index.chunking import Passage
from qa.retrieval import RankFusionRetriever, best_sentence_ranking, is_follow_up, rrf_fuse, retrieval_query


def test_rrf_rewards_agreement():
    assert rrf_fuse([[1, 2, 3], [3, 1, 4]])[:2] == [1, 3]
    assert rrf_fuse([[1, 2], []]) == [1, 2]


def test_follow_up_questions_are_read_with_the_previous_question():
    history = [("What does Turkey want to buy from Russia?", "The S-400 [1].")]
    assert is_follow_up("Why?") and is_follow_up("And the EU?") and is_follow_up("Who sells it to them?")
    assert not is_follow_up("What does Turkey want to buy from Russia?")
    assert retrieval_query("Why?", history) == "What does Turkey want to buy from Russia? Why?"
    assert retrieval_query("Why?", None) == "Why?"


def test_a_short_question_naming_its_own_subject_is_not_a_follow_up():
    assert not is_follow_up("Who is the treasurer?") and not is_follow_up("What is NATO?")
    assert not is_follow_up("What's the excess?") and not is_follow_up("Where’s the depot?")  # contracted
    assert is_follow_up("What's the reason?") and is_follow_up("Who's he?")
    assert is_follow_up("What was the reason?") and is_follow_up("Who is he?") and is_follow_up("In which period?")


def test_also_too_else_mark_a_follow_up():
    history = [("Which war's outcome is unresolved?", "The war in Syria [1].")]
    assert is_follow_up("Whose fate is also uncertain?") and not is_follow_up("Whose fate is uncertain?")
    assert is_follow_up("Who else was there?") and is_follow_up("Was Iran involved too?")
    assert retrieval_query("Whose fate is also uncertain?", history) == (
        "Which war's outcome is unresolved? Whose fate is also uncertain?")


def test_whether_something_is_there_is_searched_with_the_place_just_talked_of():
    """Session 37: "Is there a cafe?" after "Where does the Fennick walk start?" got another walk's cafe; it is still
    read as it stands (not a follow-up), but searched with the previous question unless it names a place."""
    history = [("Where does the Fennick walk start?", "Fennick village green [1].")]
    assert not is_follow_up("Is there a cafe?")
    assert retrieval_query("Is there a cafe?", history) == "Where does the Fennick walk start? Is there a cafe?"
    assert retrieval_query("Are there toilets?", history).endswith("walk start? Are there toilets?")
    assert retrieval_query("Is there a cafe at the station?", history) == "Is there a cafe at the station?"
    assert retrieval_query("Is there a cafe?", None) == "Is there a cafe?"


@pytest.fixture
def store(tmp_path):
    docs = [Document("a.md", "A", "Zebras graze on the savanna grass."),
            Document("b.md", "B", "The S-400 air-defense system is sold by Russia."),
            Document("c.md", "C", "Bananas grow in tropical plantations.")]
    store, _ = update_index(docs, tmp_path / "idx", HashingEmbedder(), ChunkingConfig(40, 0), show_progress=False)
    return store


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_each_mode_finds_the_matching_passage(store, mode):
    retriever = RankFusionRetriever(store, HashingEmbedder(), mode)
    hits = retriever.retrieve("Who sells the S-400 system?", 2)
    assert hits[0].source == "b.md" and -1.0 <= hits[0].score <= 1.0


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_a_search_limited_to_documents_returns_only_their_passages(store, mode):
    retriever = RankFusionRetriever(store, HashingEmbedder(), mode)
    question = "Who sells the S-400 system on the savanna grass?"
    assert {p.source for p in retriever.retrieve(question, 3)} >= {"a.md", "b.md"}
    assert [p.source for p in retriever.retrieve(question, 3, documents=["a.md"])] == ["a.md"]
    assert {p.source for p in retriever.retrieve(question, 3, documents={"a.md", "b.md"})} == {"a.md", "b.md"}
    assert retriever.retrieve(question, 3, documents=["gone.md"]) == []


def test_bm25_only_returns_passages_sharing_a_term(store):
    retriever = RankFusionRetriever(store, HashingEmbedder(), "bm25")
    assert retriever.retrieve("quantum chromodynamics", 3) == []
    with pytest.raises(ValueError):
        RankFusionRetriever(store, HashingEmbedder(), "magic")


def test_best_sentence_ranking_finds_the_one_sentence_a_long_passage_hides():
    embedder = HashingEmbedder()
    question = "When was the report published?"
    padding = " ".join(f"Zebras and giraffes graze the savanna grass number {i}." for i in range(8))
    long_one = Passage(f"{padding} The report was published in March.", "a.md", 0, 500)
    short_one = Passage("The zebra report.", "b.md", 0, 17)
    query = embedder.embed([question])[0]
    # averaged over the whole passage the date sentence is drowned; its best sentence is not
    assert float(embedder.embed([long_one.text])[0] @ query) < float(embedder.embed([short_one.text])[0] @ query)
    assert best_sentence_ranking(query, [(7, short_one), (3, long_one)], embedder) == [3, 7]


def test_sentence_fusion_only_reorders_the_dense_and_bm25_candidates(tmp_path):
    topics = ["Zebras graze on the savanna grass.", "The S-400 air-defense system is sold by Russia.",
              "Bananas grow in tropical plantations.", "Russia sells gas to Turkey through a pipeline.",
              "The system of air traffic control was upgraded.", "Turkey shot down a Russian jet in 2015.",
              "Who sells tea in Istanbul? Street vendors do.", "Rain fell on the plain."]
    docs = [Document(f"{i}.md", str(i), text) for i, text in enumerate(topics)]
    store, _ = update_index(docs, tmp_path / "idx", HashingEmbedder(), ChunkingConfig(40, 0), show_progress=False)
    question = "Who sells the S-400 system?"
    # three candidates per ranking out of eight passages: the pool is a strict subset of the store
    with_fusion = RankFusionRetriever(store, HashingEmbedder(), "hybrid", candidates=3, document_scope=0)
    without = RankFusionRetriever(store, HashingEmbedder(), "hybrid", candidates=3, sentence_fusion=False,
                                  document_scope=0)
    query_vector = HashingEmbedder().embed([question])
    pool = set(without.dense_ranking(query_vector, 3)) | set(without.bm25_ranking(question, 3))
    assert len(pool) < len(store)
    fused = with_fusion.retrieve(question, 3)
    assert len(fused) == 3 and {topics.index(p.text) for p in fused} <= pool
    assert fused[0].source == without.retrieve(question, 1)[0].source == "1.md"


def test_sentence_fusion_is_switched_by_the_environment(monkeypatch):
    from index.settings import Settings

    monkeypatch.delenv("QA_SENTENCE_FUSION", raising=False)
    assert Settings.from_env().sentence_fusion is True
    monkeypatch.setenv("QA_SENTENCE_FUSION", "off")
    assert Settings.from_env().sentence_fusion is False
    monkeypatch.setenv("QA_SENTENCE_FUSION", "maybe")
    with pytest.raises(ValueError, match="QA_SENTENCE_FUSION"):
        Settings.from_env()


def test_top_n_is_the_head_of_a_stable_descending_sort_ties_included():
    import numpy as np

    from qa.retrieval import top_n

    rng = np.random.default_rng(0)
    for scores in (rng.random(1000), rng.integers(0, 5, 1000).astype(float), np.zeros(7), np.array([1.0])):
        for n in (1, 3, 20, len(scores), len(scores) + 5):
            assert top_n(scores, n).tolist() == np.argsort(-scores, kind="stable")[:n].tolist()


def test_passages_are_sought_in_the_documents_the_question_names(tmp_path):
    """Session 39: "Where does the Hill Fell Race start?" got a walking guide's "Start:" line (its passage ranked
    below the running club's, but the reader was surer of it); the club's fixtures name the race throughout."""
    docs = [Document("club.md", "Club", "Hill Fell Race: entries open in May. The Hill Fell Race is 9 miles.\n\n"
                     "Hill Fell Race venue: Crag Farm, Hawes Lane."),
            Document("walks.md", "Walks", "Start: St Mary's Church. The walk climbs to the top."),
            Document("pool.md", "Pool", "The pool opens at 7am.")]
    store, _ = update_index(docs, tmp_path / "idx", HashingEmbedder(), ChunkingConfig(16, 0), show_progress=False)
    question = "Where does the Hill Fell Race start?"
    scoped = RankFusionRetriever(store, HashingEmbedder(), "hybrid", document_scope=0.5)
    unscoped = RankFusionRetriever(store, HashingEmbedder(), "hybrid", document_scope=0.0)
    assert scoped.scoped_documents(question) == ["club.md"] and unscoped.scoped_documents(question) is None
    assert "walks.md" in {p.source for p in unscoped.retrieve(question, 5)}
    assert {p.source for p in scoped.retrieve(question, 5)} == {"club.md"}
    # named documents are scoped among themselves; a question whose words no document holds is not scoped
    assert scoped.scoped_documents(question, ["walks.md", "pool.md"]) == ["walks.md"]
    assert scoped.scoped_documents("Quantum chromodynamics?") is None
    assert scoped.scoped_documents("Where does the walk climb to?") == ["walks.md"]


def test_the_best_passage_keeps_its_document_in_scope(store):
    retriever = RankFusionRetriever(store, HashingEmbedder(), "hybrid", document_scope=1.0)
    unscoped = RankFusionRetriever(store, HashingEmbedder(), "hybrid", document_scope=0.0)
    question = "Zebras sell the S-400 air-defense system?"
    first = unscoped.retrieve(question, 3)[0].source
    assert first in {p.source for p in retriever.retrieve(question, 3)}


def test_document_scope_is_a_share_of_the_best_score():
    from index.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match="document_scope"):
        Settings(document_scope=1.5)
    assert Settings(document_scope=0).document_scope == 0
