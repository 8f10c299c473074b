"""The shipped span reader (qa/models/reader/): it loads, finds answers in the article's paragraphs, says "no answer"
to questions they do not answer, and its manifest matches the data it was trained on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.markup import to_plain
from qa.span_reader import MODEL_DIR, SpanReader
from training.reader import file_sha256

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "corpus" / "russia-turkey-rapprochement.md"
TRAINING_DATA = ROOT.parent / "shared" / "datasets" / "squad-v2.0-train-442-articles.json"


def paragraph(words: str) -> str:
    """The article's plain-text paragraph holding `words`."""
    found = [p for p in to_plain(ARTICLE.read_text(encoding="utf-8")).split("\n\n") if words in p]
    assert len(found) == 1, words
    return found[0].strip()


@pytest.fixture(scope="module")
def reader():
    return SpanReader().load()


def test_it_finds_the_answer_in_the_paragraph(reader):
    found = reader.answer("Who is Putin's spokesman?", [paragraph("Dmitry Peskov")])
    assert found is not None and "Dmitry Peskov" in found.text, found


def test_its_best_span_is_the_answer_even_below_the_margin(reader):
    # the calibrated margin is conservative (docs/EVALUATION.md): here the right span scores below it
    [reading] = reader.read("In what year was the Russian jet downed?",
                            [paragraph("brought the bi-lateral relations to a nadir")])
    assert reading.text == "2015"


@pytest.mark.parametrize("question, words", [
    ("How many people died when the jet was downed?", "brought the bi-lateral relations to a nadir"),
    ("Who is the chief executive of Gazprom?", "Dmitry Peskov"),
])
def test_it_says_no_answer_when_the_paragraph_does_not_answer(reader, question, words):
    assert reader.answer(question, [paragraph(words)]) is None


def test_a_passage_ending_on_a_heading_is_read_as_well_as_one_ending_in_a_sentence(reader):
    """A chunk of the own-documents library policy closes on the next section's heading; read as it is, its late fee
    scored -0.05 (under every margin) against 10.5 without the heading: the reader reads it ending in a full stop."""
    policy = (ROOT / "gold" / "own-documents" / "library-lending-policy.txt").read_text(encoding="utf-8")
    start = policy.index("Late returns and lost items")
    chunk = policy[start:policy.index("Opening hours and contact") + len("Opening hours and contact")]
    whole, cut = reader.read("What is the late fee for adults?", [chunk, chunk[:chunk.rindex("\n\nOpening")]])
    assert whole.text == cut.text == "20 cents a day" and whole.score > reader.margin
    assert abs(whole.score - cut.score) < 1.5
    assert whole.end <= len(chunk) and chunk[whole.start:whole.end] == whole.text


def test_no_span_is_taken_in_an_excluded_heading_and_none_cuts_an_address(reader):
    """Session 23, a coffee machine's manual: the reader answered "Troubleshooting" (the section's heading) and
    "@hollis-appliances" (a piece of an e-mail address); with the heading excluded it reads the sentence, and a span
    is always whole words."""
    text = ("Troubleshooting\n\nIf the coffee runs too fast, the grind is too coarse or the coffee was not tamped "
            "firmly enough. If the light blinks red, the water tank is empty.")
    question = "What should I do if the coffee runs too fast?"
    (free,) = reader.read(question, [text], excluded=[[(0, 15)]])
    assert free.start > 15 and "grind" in free.text
    contact = ("To make a claim, contact Hollis Appliances at support@hollis-appliances.example or call 0800 555 0192, "
               "Monday to Friday, 9 a.m. to 5 p.m.")
    (found,) = reader.read("How do I contact support?", [contact])
    assert contact[found.start:found.end] == found.text
    assert found.text == "support@hollis-appliances.example"  # the reader's pieces were "@hollis-appliances"


def test_the_manifest_records_the_decision_rule_figures_and_training_data(reader):
    manifest = json.loads((MODEL_DIR / "manifest.json").read_text())
    assert manifest["null_score_margin"] == reader.margin
    assert manifest["max_seq_len"] >= 128 and manifest["doc_stride"] < manifest["max_seq_len"]
    assert set(manifest["files"]) >= {"model.safetensors", "config.json", "tokenizer.json"}
    assert sum(p.stat().st_size for p in MODEL_DIR.iterdir()) <= 45 * 2**20
    heldout = manifest["figures"]["heldout"]
    assert heldout["total"] == 1283 and 0 <= heldout["has_ans_f1"] <= 1
    if not TRAINING_DATA.is_file():
        pytest.skip("../shared/datasets is not beside this checkout")
    # a single run records its data; an average of runs (training.reader_soup) records each run's
    runs = manifest["training"].get("soup_of") or [manifest["training"]]
    assert runs and all(run["data"]["sha256"] == file_sha256(TRAINING_DATA) for run in runs)


def test_in_bfloat16_it_reads_the_same_span_with_nearly_the_same_scores(reader):
    """bfloat16 (the default where the CPU computes it natively) keeps the float32 reading: the same answer, every
    passage's score within half a logit (a passage without the answer may offer a slightly other best span)."""
    passages = [paragraph("Dmitry Peskov"), paragraph("brought the bi-lateral relations to a nadir")]
    half = SpanReader(dtype="bfloat16").load()
    assert half.dtype_used == "bfloat16" and half.runtime_used == "torch"
    for question in ("Who is Putin's spokesman?", "In what year was the Russian jet downed?"):
        full, low = reader.read(question, passages), half.read(question, passages)
        assert max(low, key=lambda r: r.score).text == max(full, key=lambda r: r.score).text
        assert all(abs(a.score - b.score) < 0.5 for a, b in zip(full, low)), (full, low)


def test_an_ensemble_of_a_reader_with_itself_reads_as_the_reader(reader):
    from training.reader_eval import EnsembleReader

    pairs = [("Who is Putin's spokesman?", paragraph("Dmitry Peskov")),
             ("How many people died when the jet was downed?", paragraph("brought the bi-lateral relations to a nadir"))]
    alone = reader.read_pairs(pairs)
    twice = EnsembleReader(MODEL_DIR, [MODEL_DIR], dtype=reader.dtype).load().read_pairs(pairs)
    assert [(r.start, r.end) for r in twice] == [(r.start, r.end) for r in alone]
    assert [r.score for r in twice] == pytest.approx([r.score for r in alone], abs=1e-4)


def test_a_span_the_model_runs_over_a_list_s_line_ends_at_the_line(reader, monkeypatch):
    """Session 31: in bfloat16 the reader ran "1:30pm - Guests arrive; welcome drinks in the orchard" on into the next
    line's "2:00pm"; the reader reads a list's line break as a stop, so its edges are found in the passage's own
    text. Here the model is made to pick that span."""
    import numpy as np

    from qa.reader_spans import reader_passage, reader_question

    text = "Schedule\n\n1:30pm - Guests arrive; welcome drinks in the orchard\n2:00pm - Ceremony in the barn"
    question = "What time should we get there?"
    pair = (reader_question(question, reader._tokenizer), reader_passage(text))
    window = reader._windows.encode_batch([pair])[0]
    tokens = [(i, a, b) for i, ((a, b), s) in enumerate(zip(window.offsets, window.sequence_ids)) if s == 1]
    first = next(i for i, a, _ in tokens if a == text.index("1:30pm"))
    last = next(i for i, _, b in tokens if b == text.index("2:00pm") + len("2:00pm"))

    def logits(ids, mask, types):
        starts, ends = np.full(ids.shape, -10.0, dtype=np.float32), np.full(ids.shape, -10.0, dtype=np.float32)
        starts[:, first], ends[:, last] = 10.0, 10.0
        return starts, ends

    monkeypatch.setattr(reader, "_logits", logits)
    [found] = reader.read(question, [text])
    assert found.text == "1:30pm - Guests arrive; welcome drinks in the orchard"
    assert text[found.start:found.end] == found.text
