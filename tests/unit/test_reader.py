"""The reader without the real model: input format, SQuAD pairs, AUC/thresholds, a tiny training run, weight checks."""

import json

import numpy as np
import pytest

from fakes import HashingEmbedder
from index.errors import ModelNotFoundError
from qa.reader import MANIFEST_FILE, WEIGHTS_FILE, Reader, format_pair
from qa.reader_data import Pair, cap_pairs, load_questions, paragraph_pairs, training_pairs
from qa.reader_eval import roc_auc, thresholds

WORDS = ("in what year did turkey shoot down a russian jet the was downed by turkish missile fire 2015 ambassador "
         "assassinated ankara last december relations hit nadir . , ? >> <<").split()


def test_format_pair_marks_the_candidate_in_reading_order():
    a, b = format_pair("  When was it founded? ", "Harvard is old.", "It was founded in 1636.", "It is rich.")
    assert a == "When was it founded?"
    assert b == "Harvard is old. >> It was founded in 1636. << It is rich."
    _, edge = format_pair("q", "", "First sentence.", "")
    assert edge == ">> First sentence. <<"


def test_format_pair_keeps_the_neighbour_words_nearest_the_candidate():
    before = " ".join(f"b{i}" for i in range(30))
    after = " ".join(f"a{i}" for i in range(30))
    _, b = format_pair("q", before, "Middle.", after, context_words=3)
    assert b == "b27 b28 b29 >> Middle. << a0 a1 a2"
    with pytest.raises(ValueError, match="empty"):
        format_pair("q", "", "  ", "")


def test_roc_auc_counts_ties_half_and_needs_both_classes():
    assert roc_auc([0.9, 0.8, 0.1], [1, 1, 0]) == 1.0
    assert roc_auc([0.1, 0.9], [1, 0]) == 0.0
    assert roc_auc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]) == 0.5
    assert roc_auc([0.9, 0.4, 0.6, 0.2], [1, 1, 0, 0]) == 0.75
    with pytest.raises(ValueError):
        roc_auc([0.1, 0.2], [1, 1])


SQUAD = {"version": "v2.0", "data": [{"title": "Tiny", "paragraphs": [
    {"context": "Harvard is a university in Cambridge. It was founded in 1636 by a vote. Its endowment is large.",
     "qas": [{"id": "a1", "question": "When was Harvard founded?", "is_impossible": False,
              "answers": [{"text": "1636", "answer_start": 56}]},
             {"id": "u1", "question": "When was Yale founded?", "is_impossible": True, "answers": [],
              "plausible_answers": [{"text": "1636", "answer_start": 56}]}]},
    {"context": "Cambridge lies near Boston. The river Charles runs between the two cities today.",
     "qas": [{"id": "a2", "question": "What river runs between the cities?", "is_impossible": False,
              "answers": [{"text": "Charles", "answer_start": 38}]}]}]}]}


@pytest.fixture
def tiny_squad(tmp_path):
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(SQUAD), encoding="utf-8")
    return path


def test_squad_questions_label_the_answer_and_plausible_sentences(tiny_squad):
    questions = load_questions(tiny_squad, ("Tiny",))
    assert [q.qid for q in questions] == ["a1", "u1", "a2"]
    answerable, unanswerable = questions[0], questions[1]
    assert answerable.answer_sentences == {1} and answerable.answers == ("1636",)
    assert unanswerable.plausible_sentences == {1} and not unanswerable.answer_sentences
    pairs = paragraph_pairs(unanswerable)
    assert [p.label for p in pairs] == [0, 0, 0] and pairs[1].kind == "plausible"
    assert pairs[1].previous.startswith("Harvard") and pairs[1].following.startswith("Its endowment")
    with pytest.raises(ValueError, match="Nope"):
        load_questions(tiny_squad, ("Nope",))


def test_training_pairs_add_other_paragraph_negatives_and_the_cap_keeps_every_positive(tiny_squad):
    questions = load_questions(tiny_squad, ("Tiny",))
    pairs = training_pairs(questions, HashingEmbedder(), other_answerable=1, other_unanswerable=1)
    retrieved = [p for p in pairs if p.kind == "retrieved"]
    assert len(retrieved) == 3
    assert all(p.sentence not in [s for s in questions[0].paragraph.sentences] for p in retrieved[:1])
    capped = cap_pairs(pairs, 3, seed=0)
    assert {p.kind for p in capped} <= {"answer", "plausible"}
    assert sum(p.label for p in capped) == sum(p.label for p in pairs)


def test_thresholds_keep_the_allowed_share_of_answerable_questions(tiny_squad):
    questions = load_questions(tiny_squad, ("Tiny",)) * 10  # 20 answerable, 10 unanswerable
    scores = [np.array([0.05 * (i + 1)]) if q.answerable else np.array([0.3]) for i, q in enumerate(questions)]
    for row in thresholds(questions, scores, (0.05, 0.10)):
        assert row["answerable_abstained"] <= row["max_wrong_abstain"]
        assert 0.0 <= row["unanswerable_abstained"] <= 1.0


@pytest.fixture
def tiny_base(tmp_path):
    """A random 2-layer BERT with a 30-word vocabulary, saved like the packaged model (seconds, no download)."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    base = tmp_path / "tiny-bert"
    base.mkdir()
    vocab = base / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(str(base))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=5 + len(WORDS), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=160)
    BertModel(config).save_pretrained(str(base))
    return base


def tiny_pairs() -> list[Pair]:
    q = "In what year did Turkey shoot down a Russian jet?"
    yes = Pair("q", q, "", "The Russian jet was downed by Turkish missile fire in 2015.", "", 1, "answer")
    no = Pair("q", q, "", "The Russian ambassador was assassinated in Ankara last December.", "", 0, "paragraph")
    return [yes, no] * 4


@pytest.fixture
def trained(tiny_base, tmp_path):
    """(weights dir, in-memory model, tokenizer): two training steps of the tiny model, saved."""
    from qa.reader import build_model, file_sha256
    from qa.reader_training import round_to_shipped, save, train

    model, tokenizer = build_model(tiny_base, "cls", trained_layers=1)
    stats = train(model, tokenizer, tiny_pairs(), seed=0, batch_size=4, max_steps=2, progress=False)
    assert stats["steps"] == 2 and np.isfinite(stats["final_loss_50"])
    round_to_shipped(model)
    out = tmp_path / "weights"
    save(model, out, {"base_model": {"sha256": file_sha256(tiny_base / "model.safetensors")},
                      "pooling": "cls", "trained_layers": 1, "max_length": 64})
    return out, model, tokenizer


def test_a_few_training_steps_save_weights_that_load_back(trained, tiny_base):
    from qa.reader import predict

    out, model, tokenizer = trained
    reader = Reader(out, base_dir=tiny_base).load()
    pairs = tiny_pairs()[:2]
    probs = reader.score(pairs[0].question, [(p.previous, p.sentence, p.following) for p in pairs])
    assert probs.shape == (2,) and np.all((probs >= 0) & (probs <= 1))
    expected = predict(model, tokenizer, [format_pair(p.question, p.previous, p.sentence, p.following)
                                          for p in pairs], 64)
    np.testing.assert_allclose(probs, expected, atol=1e-5)
    assert reader.score("q", []).shape == (0,)
    names = set(json.loads((out / MANIFEST_FILE).read_text())) >= {"weights_sha256", "format_version"}
    assert names


def test_missing_weights_name_the_file_and_the_training_command(tmp_path, tiny_base):
    with pytest.raises(ModelNotFoundError, match=r"manifest\.json.*python -m qa\.reader_training"):
        Reader(tmp_path / "nowhere", base_dir=tiny_base).load()


def test_missing_or_corrupted_weights_file_is_a_clear_error(trained, tiny_base):
    out = trained[0]
    weights = out / WEIGHTS_FILE
    data = bytearray(weights.read_bytes())
    data[-3] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelNotFoundError, match=r"reader\.safetensors.*SHA-256.*python -m qa\.reader_training"):
        Reader(out, base_dir=tiny_base).load()
    weights.unlink()
    with pytest.raises(ModelNotFoundError, match=r"reader\.safetensors are missing"):
        Reader(out, base_dir=tiny_base).load()


def test_weights_for_another_base_model_are_refused(trained, tiny_base):
    from safetensors.torch import load_file, save_file

    base_file = tiny_base / "model.safetensors"
    state = load_file(str(base_file))
    name = next(iter(state))
    state[name] = state[name] + 1.0
    save_file(state, str(base_file))
    with pytest.raises(ModelNotFoundError, match="another base model"):
        Reader(trained[0], base_dir=tiny_base).load()


def test_a_broken_manifest_is_a_clear_error(trained, tiny_base):
    (trained[0] / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelNotFoundError, match="cannot be read"):
        Reader(trained[0], base_dir=tiny_base).load()


def test_reader_and_evidence_scores_are_compared_on_the_same_candidates(tiny_squad):
    from qa.reader_eval import candidates_of, compare, evidence_scores, reader_scores

    questions = load_questions(tiny_squad, ("Tiny",))
    asked = []

    def oracle(flat):  # 0.9 for a sentence holding "1636" or "Charles", else 0.1
        asked.extend(flat)
        return np.array([0.9 if ("1636" in c[1] or "Charles" in c[1]) else 0.1 for _, c in flat])

    reader = reader_scores(questions, oracle)
    assert len(asked) == sum(len(candidates_of(q)) for q in questions)
    evidence = evidence_scores(questions, HashingEmbedder())
    assert [len(s) for s in evidence] == [len(s) for s in reader]
    report = compare(questions, reader, evidence, with_thresholds=True)
    assert report["reader"]["top_sentence_accuracy"] == 1.0 and report["reader"]["pair_auc"] > 0.7
    assert report["reader"]["questions"] == 3 and report["reader"]["answerable"] == 2
    assert {"threshold", "unanswerable_abstained"} <= set(report["evidence_score"]["thresholds"][0])


def test_the_retrieval_comparison_scores_the_sentences_of_the_retrieved_passages(tiny_squad, tmp_path):
    from fakes import ScriptedGenerator
    from qa.reader_eval import retrieval_comparison

    class Oracle:
        def score(self, question, candidates):
            answer = "1636" if "founded" in question else "Charles"
            return np.array([0.9 if answer in s else 0.1 for _, s, _ in candidates])

    questions = load_questions(tiny_squad, ("Tiny",))
    report = retrieval_comparison(questions, Oracle(), tmp_path / "work", progress=False,
                                  embedder=HashingEmbedder(), generator=ScriptedGenerator())
    assert report["reader"]["questions"] == 3
    assert report["reader"]["top_sentence_accuracy"] == 1.0
    assert report["reader"]["answer_sentence_retrieved"] == 1.0
    assert 0.0 <= report["evidence_score"]["top_sentence_accuracy"] <= 1.0
