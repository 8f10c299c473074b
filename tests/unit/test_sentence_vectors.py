"""Sentence vectors computed at indexing: the spans, storage and updates, and that a question embeds only itself."""

from __future__ import annotations

import numpy as np
import pytest

from fakes import HashingEmbedder, ScriptedGenerator, ScriptedReader
from index.builder import ChunkingConfig, build_corpus_index
from index.chunking import split_sentences
from index.sentence_vectors import RowFile, SentenceVectors, sentence_spans
from index.store import IndexStore
from qa import Assistant, Settings

CHUNKING = ChunkingConfig(40, 8)
TALKS = ("# Talks in Moscow\n\n"
         "Putin met Erdogan in Moscow on March 10th to discuss trade. "
         "Turkey wants to buy the S-400 air defence system from Russia for 2.5 billion dollars. "
         "Hence the visit was described as a turning point by several officials. "
         "Bananas grow in warm tropical places far from Moscow. "
         "The ministers also agreed to lift a ban on Turkish tomatoes within a year.\n")
RIVERS = ("The Danube flows through ten countries before it reaches the Black Sea. "
          "Vienna, Budapest and Belgrade lie on its banks. "
          "Its delta is a nature reserve of reed beds and lakes. "
          "Pelicans nest there every spring.\n")


@pytest.fixture
def corpus(tmp_path):
    directory = tmp_path / "corpus"
    directory.mkdir()
    (directory / "talks.md").write_text(TALKS)
    (directory / "rivers.txt").write_text(RIVERS)
    return directory


def test_spans_are_each_sentence_and_each_run_of_two_and_three():
    text = "One is here. Two is there. Three is everywhere."
    sentences = split_sentences(text)
    spans = sentence_spans(text)
    assert spans[:3] == sentences
    assert spans[3:] == [(sentences[0][0], sentences[1][1]), (sentences[1][0], sentences[2][1]),
                         (sentences[0][0], sentences[2][1])]
    assert sentence_spans("no full stop here") == [(0, 17)]
    assert sentence_spans("   ") == [(0, 3)]  # a text without a sentence is one span, as best_sentence_ranking has it


def test_the_index_stores_the_vectors_of_every_span_of_every_passage(corpus, tmp_path):
    embedder = HashingEmbedder()
    store, _ = build_corpus_index(corpus, tmp_path / "idx", embedder, CHUNKING, show_progress=False)
    loaded = IndexStore.load(tmp_path / "idx")
    sv = loaded.sentence_vectors
    assert sv.n_passages == len(loaded) > 2
    assert isinstance(sv.vectors, RowFile) and sv.vectors.dtype == np.float16
    assert isinstance(loaded.vectors, RowFile)
    np.testing.assert_array_equal(np.asarray(loaded.vectors), store.vectors)
    np.testing.assert_array_equal(loaded.vectors[[2, 0]], store.vectors[[2, 0]])
    np.testing.assert_array_equal(loaded.vectors[-1], store.vectors[-1])
    np.testing.assert_array_equal(loaded.vectors[1:3], store.vectors[1:3])
    for i, passage in enumerate(loaded.passages):
        texts, vectors = sv.of_passage(i, passage.text)
        assert texts == [passage.text[s:e] for s, e in sentence_spans(passage.text)]
        np.testing.assert_allclose(vectors, HashingEmbedder().embed(texts), atol=1e-3)
        alone, alone_vectors = sv.of_passage(i, passage.text, sentences_only=True)
        assert alone == [passage.text[s:e] for s, e in split_sentences(passage.text)] or alone == [passage.text]
        np.testing.assert_array_equal(alone_vectors, vectors[:len(alone)])
    assert loaded.manifest["sentence_vectors"]["scheme"] == store.manifest["sentence_vectors"]["scheme"]


def test_an_update_embeds_only_the_spans_of_changed_documents_and_keeps_the_others(corpus, tmp_path):
    build_corpus_index(corpus, tmp_path / "idx", HashingEmbedder(), CHUNKING, show_progress=False)
    (corpus / "rivers.txt").write_text(RIVERS.replace("ten countries", "ten European countries"))
    embedder = HashingEmbedder()
    store, report = build_corpus_index(corpus, tmp_path / "idx", embedder, CHUNKING, show_progress=False)
    assert report.changed == ["rivers.txt"] and not any("Putin" in t for t in embedder.embedded_texts)
    fresh = SentenceVectors.compute(store.passages, HashingEmbedder())
    loaded = IndexStore.load(tmp_path / "idx").sentence_vectors
    np.testing.assert_array_equal(loaded.offsets, fresh.offsets)
    np.testing.assert_array_equal(loaded.spans, fresh.spans)
    np.testing.assert_array_equal(np.asarray(loaded.vectors), fresh.vectors)


def test_sentence_vectors_that_do_not_match_the_passages_are_refused():
    sv = SentenceVectors(np.array([0, 1]), np.zeros((1, 2), np.int32), np.zeros((1, 4), np.float16))
    with pytest.raises(Exception, match="inconsistent"):
        SentenceVectors(np.array([0, 2]), np.zeros((1, 2), np.int32), np.zeros((1, 4), np.float16))
    assert sv.select([0, 0]).n_passages == 2 and sv.select([]).n_passages == 0


def _assistant(corpus, tmp_path, embedder):
    settings = Settings(data_dir=tmp_path / "data", model_sentences=False)
    return Assistant.from_corpus(corpus, settings, embedder=embedder, generator=ScriptedGenerator(),
                                 reader=ScriptedReader({"What does Turkey want to buy from Russia?": "S-400"}),
                                 show_progress=False)


@pytest.mark.parametrize("question", ["What does Turkey want to buy from Russia?", "Who wrote the article?",
                                      "Where do pelicans nest?", "When did Putin meet Erdogan?"])
def test_a_question_embeds_only_itself_and_gets_the_answer_it_got_without_stored_vectors(corpus, tmp_path,
                                                                                          question):
    embedder = HashingEmbedder()
    assistant = _assistant(corpus, tmp_path, embedder)
    embedder.embedded_texts.clear()
    answer = assistant.ask(question)
    assert embedder.embedded_texts == [question]
    # the same assistant computing every sentence vector on the fly, as before issue 16
    store = assistant.store
    bare = IndexStore(store.manifest, store.passages, store.vectors, store.documents, store.faiss_index)
    on_the_fly = Assistant(bare, HashingEmbedder(), ScriptedGenerator(), assistant.settings,
                           reader=assistant.read.reader).ask(question)
    assert answer.text == on_the_fly.text and answer.abstained == on_the_fly.abstained


def test_auto_index_type_is_exact_below_the_threshold_and_ivf_from_it():
    import faiss

    from index.store import AUTO_IVF_MIN_CHUNKS, make_faiss_index

    rng = np.random.default_rng(0)
    small = rng.standard_normal((50, 8)).astype(np.float32)
    assert isinstance(make_faiss_index(small, "auto"), faiss.IndexFlatIP)
    large = rng.standard_normal((AUTO_IVF_MIN_CHUNKS, 8)).astype(np.float32)
    assert isinstance(make_faiss_index(large, "auto"), faiss.IndexIVFFlat)


def test_only_a_plain_mean_pooling_model_directory_gets_the_light_question_encoder(tmp_path):
    import json

    from index.query_encoder import plain_mean_pooling_config

    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
               {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "modules.json").write_text(json.dumps(modules))
    (tmp_path / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 128}))
    pooling = {"word_embedding_dimension": 32, "pooling_mode_mean_tokens": True}
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    assert plain_mean_pooling_config(tmp_path) == {"dimension": 32, "max_seq_length": 128, "do_lower_case": False}
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({**pooling, "pooling_mode_cls_token": True}))
    assert plain_mean_pooling_config(tmp_path) is None  # another pooling: sentence-transformers computes it
    (tmp_path / "modules.json").write_text(json.dumps(modules[:2]))
    assert plain_mean_pooling_config(tmp_path) is None  # no Normalize module
    assert plain_mean_pooling_config(tmp_path / "missing") is None
