"""Calibrate the span reader's null-score margin and measure it on held-out SQuAD 2.0 articles (paragraph setting).

`python -m training.reader_eval [--model qa/models/reader] [--write]`: reads every calibrate and held-out question
against its own paragraph with the shipped reader (qa.span_reader, the product's code path), scores the answers with
the official SQuAD 2.0 metric (benchmarks/squad2_metric.py) and, with --write, records margin and figures in the
model's manifest.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.squad2_metric import best_of, roc_auc, squad2_scores
from index.chunking import split_sentences
from qa.span_reader import DTYPES, MANIFEST_FILE, SpanReader
from training.reader_data import CALIBRATE_ARTICLES, HELDOUT_ARTICLES

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DEV = REPO.parent / "shared" / "datasets" / "squad-v2.0-10-articles.json"
REFUSAL_CAP = 0.10


def read_articles(reader: SpanReader, dev: Path, articles: tuple[str, ...]) -> list[dict]:
    """One item per question of the named articles: gold answers, the reader's best span, its score, and whether
    that span lies in a sentence holding a gold answer."""
    data = json.loads(dev.read_text(encoding="utf-8"))
    rows = []  # (question, context, golds, gold starts, sentences)
    for article in data["data"]:
        if article["title"] not in articles:
            continue
        for paragraph in article["paragraphs"]:
            sentences = split_sentences(paragraph["context"])
            for qa in paragraph["qas"]:
                answers = [] if qa.get("is_impossible") else qa["answers"]
                rows.append((qa["id"], qa["question"], paragraph["context"], answers, sentences))
    readings = reader.read_pairs([(question, context) for _, question, context, _, _ in rows])
    items = []
    for (qid, _, _, answers, sentences), top in zip(rows, readings):
        golds = [a["text"] for a in answers]
        item = {"id": qid, "golds": golds, "text": top.text if top else "",
                "score": top.score if top else float("-inf")}
        if golds and top is not None:
            starts = [a["answer_start"] for a in answers]
            item["same_sentence"] = any(a <= top.start < b and any(a <= s < b for s in starts) for a, b in sentences)
        items.append(item)
    if not items:
        raise ValueError(f"none of the articles {articles} is in {dev}")
    return items


def best_f1_margin(items: list[dict]) -> float:
    """The margin that maximises overall F1 (the official script's best threshold): swept over the scores."""
    gain = []  # (score, F1 if answered minus F1 if not)
    base = 0.0
    for item in items:
        answered = best_of(item["golds"], item["text"])[1]
        null = 0.0 if item["golds"] else 1.0
        base += null
        gain.append((item["score"], answered - null))
    gain.sort(key=lambda g: -g[0])
    best, best_margin, running = base, gain[0][0] + 1e-3, base
    for i, (score, delta) in enumerate(gain):
        running += delta
        nxt = gain[i + 1][0] if i + 1 < len(gain) else score - 1.0
        if running > best and nxt < score:
            best, best_margin = running, (score + nxt) / 2
    return float(best_margin)


def balanced_margin(items: list[dict]) -> float:
    """The margin that maximises the mean of HasAns F1 and NoAns accuracy: unlike overall F1, it does not depend on
    the share of unanswerable questions in the calibration data (60% here; users ask mostly answerable ones)."""
    candidates = sorted({item["score"] for item in items if item["score"] > float("-inf")})
    cuts = [candidates[0] - 1.0] + [(a + b) / 2 for a, b in zip(candidates, candidates[1:])] + [candidates[-1] + 1.0]
    step = max(1, len(cuts) // 400)  # a few hundred cuts are enough
    def balance(margin: float) -> float:
        scores = squad2_scores(items, margin)
        return (scores["has_ans_f1"] + scores["no_ans_accuracy"]) / 2
    return float(max(cuts[::step], key=balance))


def refusal_margin(items: list[dict], cap: float = REFUSAL_CAP) -> float:
    """The highest margin at which at most `cap` of the answerable questions get "no answer"."""
    scores = sorted(item["score"] for item in items if item["golds"])
    allowed = int(cap * len(scores))  # questions at or below the margin are refused
    return float(scores[allowed] - 1e-4) if allowed < len(scores) else float(scores[-1])


def evaluate(reader: SpanReader, dev: Path, dump: Path | None = None) -> dict:
    """Calibrate on the calibrate articles (the balanced margin; the overall-F1 one reported too), then report the
    held-out ones (each held-out item written to `dump` as
    JSON Lines, with the calibrated decision, for reading)."""
    started = time.perf_counter()
    calibrate = read_articles(reader, dev, CALIBRATE_ARTICLES)
    heldout = read_articles(reader, dev, HELDOUT_ARTICLES)
    margin = balanced_margin(calibrate)
    best_f1 = best_f1_margin(calibrate)
    cal_refusal = refusal_margin(calibrate)
    answerable = [i for i in heldout if i["golds"]]
    if dump is not None:
        dump.write_text("".join(json.dumps({**i, "answered": i["score"] > margin}) + "\n" for i in heldout),
                        encoding="utf-8")
    return {
        "null_score_margin": round(margin, 4),
        "calibrate": {"articles": list(CALIBRATE_ARTICLES), **squad2_scores(calibrate, margin)},
        "heldout": {"articles": list(HELDOUT_ARTICLES), **squad2_scores(heldout, margin)},
        "heldout_at_calibrate_best_f1_margin": squad2_scores(heldout, best_f1),
        "heldout_at_calibrated_10pct_refusal": squad2_scores(heldout, cal_refusal),
        "heldout_at_own_10pct_refusal": squad2_scores(heldout, refusal_margin(heldout)),
        "heldout_answerable_roc_auc": round(roc_auc([i["score"] for i in heldout], [bool(i["golds"]) for i in heldout]),
                                            4),
        "heldout_top_sentence_accuracy": round(sum(i.get("same_sentence", False) for i in answerable) /
                                               len(answerable), 4),
        "eval_seconds": round(time.perf_counter() - started, 1),
    }


def write_figures(model_dir: Path, figures: dict) -> dict:
    """Record the margin and figures in the model's manifest."""
    path = model_dir / MANIFEST_FILE
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["null_score_margin"] = figures["null_score_margin"]
    manifest["figures"] = figures
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


class EnsembleReader(SpanReader):
    """A span reader whose logits are the mean of its own model's and other readers' (same tokenizer and windows):
    an ensemble, measured against the weight average the repository ships (not shipped itself)."""

    def __init__(self, model_dir: Path, others: list[Path], **kwargs):
        super().__init__(model_dir, **kwargs)
        self.others = [SpanReader(d, **kwargs) for d in others]

    def load(self) -> "EnsembleReader":
        super().load()
        for other in self.others:
            other.load()
        return self

    def _logits(self, ids, mask, types):
        outs = [super()._logits(ids, mask, types)] + [o._logits(ids, mask, types) for o in self.others]
        return sum(o[0] for o in outs) / len(outs), sum(o[1] for o in outs) / len(outs)


def main(argv=None) -> int:
    """Measure (and with --write, record) the reader's calibrated figures."""
    p = argparse.ArgumentParser(prog="python -m training.reader_eval", description=__doc__.splitlines()[0])
    p.add_argument("--model", type=Path, default=REPO / "qa" / "models" / "reader")
    p.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    p.add_argument("--quantize", action="store_true", help="dynamic int8 Linears")
    p.add_argument("--dtype", default="float32", choices=DTYPES,
                   help="what the reader runs in (the margin is calibrated in float32)")
    p.add_argument("--write", action="store_true", help="record margin and figures in the manifest")
    p.add_argument("--dump", type=Path, default=None, help="write every held-out question's reading (JSON Lines)")
    p.add_argument("--ensemble", type=Path, nargs="+", default=None, metavar="DIR",
                   help="average --model's logits with these readers' (an ensemble; not with --write)")
    args = p.parse_args(argv)
    if args.ensemble and args.write:
        p.error("--write records one model's figures: not with --ensemble")
    options = {"quantize": args.quantize, "dtype": args.dtype}
    reader = (EnsembleReader(args.model, args.ensemble, **options) if args.ensemble
              else SpanReader(args.model, **options)).load()
    figures = evaluate(reader, args.dev, args.dump)
    print(json.dumps(figures, indent=2))
    if args.write:
        write_figures(args.model, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
