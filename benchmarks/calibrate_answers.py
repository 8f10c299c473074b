"""Calibrate the answer path's abstention on calibration data only, through the product's own pipeline.

Every question goes through `Assistant.ask_stream` (the evaluation's runner scores it) with the gate and the reader
margin opened wide, so one pass records each question's best evidence score and the reader's score of the span it
would answer with; abstention at any (gate threshold, margin shift) is then replayed from those two numbers exactly:
abstain when evidence < threshold, when no span holds the asked-for kind, or when the span's score <= margin + shift.
Data: the SQuAD 2.0 calibrate articles (training.reader_data: 6 articles, never reported) and the article's dev gold
set.
Usage (from the repository root):
    python -m benchmarks.calibrate_answers [--squad FILE] [--articles A,B] [--set NAME=VALUE ...] [--out DIR]
        [--rows DIR/rows.json] [--unseen]
`--set` overrides a setting for an ablation (e.g. answer_kind_rule=0, furniture_penalty=0). `--rows` replays a
previous run's rows instead of asking again. `--unseen` also chooses the shift for articles it has not seen: a cap
on answerable abstained, tightened until the shift chosen on all calibrate articles but one keeps the left-out
article under the target (leave one article out, pooled), since a margin chosen on some articles refuses more on
others.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from index.settings import Settings, _parse
from qa.evaluation.gold import load_jsonl
from qa.evaluation.runner import run_items
from qa.evaluation.squad import load_squad, write_corpus
from training.reader_data import CALIBRATE_ARTICLES

ROOT = Path(__file__).resolve().parents[1]
WIDE_OPEN = {"min_evidence_score": -10.0, "reader_margin_shift": -1000.0, "model_sentences": False}
THRESHOLDS = [round(x * 0.05, 2) for x in range(0, 15)]
SHIFTS = [round(x * 0.25, 2) for x in range(-16, 25)]
FINE_SHIFTS = [round(x * 0.05, 2) for x in range(-300, 121)]


def overrides(pairs: list[str]) -> dict:
    """NAME=VALUE pairs as typed Settings fields."""
    from typing import get_type_hints

    types = get_type_hints(Settings)
    out = {}
    for pair in pairs:
        name, _, raw = pair.partition("=")
        if name not in types:
            raise SystemExit(f"error: no setting named {name!r}")
        out[name] = _parse(f"--set {name}", raw, types[name])
    return out


def pipeline_rows(corpus: Path, items: list, settings: Settings) -> list[dict]:
    """The evaluation runner's rows for the items, answered by the product's Assistant over `corpus`."""
    from qa import Assistant

    assistant = Assistant.from_corpus(corpus, settings, show_progress=False)
    return run_items(assistant, items, progress=False)


def replay(row: dict, margin: float, threshold: float, shift: float) -> bool:
    """Whether the pipeline abstains on this row at (threshold, shift)."""
    t = row["assistant_timings"]
    if t.get("evidence_score", -2.0) < threshold or row["abstained"]:
        return True  # abstained even wide open: no span of the asked-for kind (or nothing retrieved)
    # the product abstains when its best span (not the one shown, picked with a rank weight) is under the margin
    return t.get("reader_best", t["reader_score"]) <= margin + shift


def shares(rows: list[dict], margin: float, threshold: float, shift: float) -> dict:
    """Unanswerable abstained, answerable wrongly abstained, and answered-right share (gold in the answer)."""
    pos = [r for r in rows if r["answerable"]]
    neg = [r for r in rows if not r["answerable"]]
    kept = [r for r in pos if not replay(r, margin, threshold, shift)]
    return {"unanswerable_abstained": sum(replay(r, margin, threshold, shift) for r in neg) / max(1, len(neg)),
            "answerable_abstained": 1 - len(kept) / max(1, len(pos)),
            "containment": sum(r["scores"]["containment"] for r in kept) / max(1, len(pos)),
            "short_f1": sum(r["scores"]["short_f1"] for r in kept) / max(1, len(pos))}


def best_shift(rows: list[dict], margin: float, threshold: float, cap: float) -> float | None:
    """The shift abstaining on the most unanswerable questions with answerable abstained <= cap (None if none)."""
    fitting = [(s, shares(rows, margin, threshold, s)) for s in FINE_SHIFTS]
    fitting = [(s, sq) for s, sq in fitting if sq["answerable_abstained"] <= cap]
    return max(fitting, key=lambda x: (x[1]["unanswerable_abstained"], -x[0]))[0] if fitting else None


def left_out_shares(rows: list[dict], article_of: dict[str, str], margin: float, threshold: float,
                    cap: float) -> dict:
    """Answerable and unanswerable abstained on each article at the shift chosen on the others, pooled."""
    counts = {"answerable": [0, 0], "unanswerable": [0, 0]}
    for article in sorted({article_of[r["id"]] for r in rows}):
        shift = best_shift([r for r in rows if article_of[r["id"]] != article], margin, threshold, cap)
        for r in rows:
            if article_of[r["id"]] == article:
                c = counts["answerable" if r["answerable"] else "unanswerable"]
                c[0] += shift is None or replay(r, margin, threshold, shift)
                c[1] += 1
    return {f"{k}_abstained": a / max(1, n) for k, (a, n) in counts.items()}


def unseen_cap(rows: list[dict], article_of: dict[str, str], margin: float, threshold: float,
               target: float) -> tuple[float, dict]:
    """The largest cap (steps of 0.005) whose leave-one-article-out answerable abstained stays <= target."""
    cap = target
    while cap > 0:
        left_out = left_out_shares(rows, article_of, margin, threshold, cap)
        if left_out["answerable_abstained"] <= target:
            return cap, left_out
        cap = round(cap - 0.005, 3)
    raise ValueError(f"no cap keeps the left-out articles' answerable abstained <= {target}")


def main(argv=None) -> int:
    """Run the calibration sets through the pipeline, print the grid, and the chosen margin shift."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.calibrate_answers")
    p.add_argument("--squad", type=Path, default=ROOT.parent / "shared/datasets/squad-v2.0-10-articles.json")
    p.add_argument("--articles", default=",".join(CALIBRATE_ARTICLES))
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a setting to override")
    p.add_argument("--max-answerable-abstained", type=float, default=0.10)
    p.add_argument("--out", type=Path, default=Path(".qa-data/calibrate-answers"))
    p.add_argument("--rows", type=Path, help="replay this rows.json of an earlier run (same settings) instead")
    p.add_argument("--unseen", action="store_true", help="choose the cap by leaving one article out")
    args = p.parse_args(argv)
    base = Settings.from_env(**overrides(args.set))
    settings = base.with_(**WIDE_OPEN)
    documents, items = load_squad(args.squad, [a for a in args.articles.split(",") if a])
    if args.rows:
        saved = json.loads(args.rows.read_text(encoding="utf-8"))
        squad, dev = saved["squad"], saved["dev"]
    else:
        args.out.mkdir(parents=True, exist_ok=True)
        squad = pipeline_rows(write_corpus(documents, args.out / "squad-corpus"), items, settings)
        dev = pipeline_rows(ROOT / "corpus", load_jsonl(ROOT / "gold/russia-turkey-dev.jsonl"), settings)
        (args.out / "rows.json").write_text(json.dumps({"squad": squad, "dev": dev}))
    from qa.span_reader import SpanReader

    margin = SpanReader(base.reader_model or None).read_manifest()["null_score_margin"]
    print(f"reader margin {margin:.3f}; {len(squad)} SQuAD calibrate questions, {len(dev)} dev questions; "
          f"settings changed: {args.set or 'none'}")
    print("threshold  shift  | squad: unans abst  ans abst  contain  shortF1 | dev: unans abst  ans abst  contain")
    best = None
    for threshold in (-10.0, *THRESHOLDS):
        for shift in SHIFTS:
            sq, dv = shares(squad, margin, threshold, shift), shares(dev, margin, threshold, shift)
            fits = sq["answerable_abstained"] <= args.max_answerable_abstained
            if fits and (best is None or sq["unanswerable_abstained"] > best[2]["unanswerable_abstained"]):
                best = (threshold, shift, sq, dv)
            if threshold in (-10.0, base.min_evidence_score) and shift in (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0):
                print(f"{threshold:>9.2f} {shift:>6.2f} | {sq['unanswerable_abstained']:>15.3f} "
                      f"{sq['answerable_abstained']:>9.3f} {sq['containment']:>8.3f} {sq['short_f1']:>8.3f} | "
                      f"{dv['unanswerable_abstained']:>15.3f} {dv['answerable_abstained']:>9.3f} "
                      f"{dv['containment']:>8.3f}")
    for threshold in (-10.0, base.min_evidence_score):
        s = best_shift(squad, margin, threshold, args.max_answerable_abstained)
        if s is not None:
            sq = shares(squad, margin, threshold, s)
            print(f"gate {threshold:.2f}: highest-NoAns shift with answerable abstained <= "
                  f"{args.max_answerable_abstained}: {s} -> {json.dumps({k: round(v, 3) for k, v in sq.items()})}")
    if args.unseen:
        article_of = {item.id: item.extra["title"] for item in items}
        for threshold in (-10.0, base.min_evidence_score):
            cap, left_out = unseen_cap(squad, article_of, margin, threshold, args.max_answerable_abstained)
            s = best_shift(squad, margin, threshold, cap)
            print(f"gate {threshold:.2f}, for unseen articles: cap {cap} (left-out articles: "
                  f"{json.dumps({k: round(v, 3) for k, v in left_out.items()})}) -> shift {s} on all: "
                  f"{json.dumps({k: round(v, 3) for k, v in shares(squad, margin, threshold, s).items()})}")
    if best:
        print(f"best over the grid: threshold {best[0]}, shift {best[1]}: squad "
              f"{json.dumps({k: round(v, 3) for k, v in best[2].items()})}, dev "
              f"{json.dumps({k: round(v, 3) for k, v in best[3].items()})}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
