"""Calibrate the reader's abstention threshold on the calibration articles of SQuAD 2.0 (never on reported data).

The calibration articles (qa/reader_data.py: SPLITS["calibrate"]) were not used to train the reader and are never
reported. Their questions are asked of a corpus of those articles, through the pipeline's own retrieval and
evidence selection (no generation); for each question the best reader probability among the evidence is kept.
Prints, per candidate threshold, the share of answerable questions wrongly abstained and of unanswerable ones
abstained (other abstention rules included), and the highest threshold at which at most 5% of the answerable
calibration questions are abstained. The article's dev set (gold/russia-turkey-dev.jsonl) is shown beside it.
Usage (from the repository root): python -m benchmarks.calibrate_reader [SQUAD2_JSON] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from qa import Assistant, Settings
from qa.assistant import abstain_reason
from qa.evaluation.gold import load_jsonl
from qa.evaluation.squad import load_squad, write_corpus
from qa.evidence import select_evidence
from qa.reader_data import SPLITS
from qa.retrieval import retrieval_query

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 20)]
MAX_WRONGLY_ABSTAINED = 0.05


def best_probabilities(assistant: Assistant, questions: list[tuple[str, bool, tuple[str, ...]]]) -> list[dict]:
    """For each (question, answerable, history) the best reader probability of its evidence, and whether the
    rules other than the reader's (evidence score, kind of answer) abstain anyway."""
    s = assistant.settings
    rows = []
    for question, answerable, history in questions:
        query = retrieval_query(question, [(h, "") for h in history])
        passages = assistant.retriever.retrieve(query, s.top_k)
        evidence = select_evidence(query, passages, assistant.query_embedder, s.evidence_sentences,
                                   lexical_weight=s.lexical_weight, context_gain=s.context_gain,
                                   judge=assistant.judge, judge_weight=s.reader_weight,
                                   judge_candidates=s.reader_candidates)
        probability = max((ev.probability or 0.0 for ev in evidence), default=0.0)
        other = abstain_reason(query, evidence, s.min_evidence_score, min_probability=0.0) is not None
        rows.append({"question": question, "answerable": answerable, "probability": probability,
                     "abstained_by_other_rules": other})
    return rows


def rates(rows: list[dict], threshold: float) -> tuple[float | None, float | None]:
    """(answerable wrongly abstained, unanswerable abstained) at a threshold."""
    def abstains(r: dict) -> bool:
        return r["abstained_by_other_rules"] or r["probability"] < threshold

    answerable = [abstains(r) for r in rows if r["answerable"]]
    unanswerable = [abstains(r) for r in rows if not r["answerable"]]
    share = lambda xs: sum(xs) / len(xs) if xs else None  # noqa: E731
    return share(answerable), share(unanswerable)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad2", nargs="?", default="../shared/datasets/squad-v2.0-10-articles.json")
    parser.add_argument("--out", default=".qa-data/calibrate-reader")
    args = parser.parse_args()
    out = Path(args.out)
    documents, items = load_squad(args.squad2, list(SPLITS["calibrate"]))
    corpus = write_corpus(documents, out / "corpus")
    settings = Settings.from_env(data_dir=out / "data")
    calibrate = Assistant.from_corpus(corpus, settings, show_progress=False)
    groups = {"squad2-calibrate": best_probabilities(
        calibrate, [(i.question, i.answerable, i.history) for i in items])}
    article = Assistant.from_corpus(ROOT / "corpus", settings, embedder=calibrate.embedder,
                                    generator=calibrate.generator, judge=calibrate.judge, show_progress=False)
    dev = load_jsonl(ROOT / "gold" / "russia-turkey-dev.jsonl")
    groups["article-dev"] = best_probabilities(article, [(i.question, i.answerable, i.history) for i in dev])
    print("threshold  " + "  ".join(f"{g}: wrongly abstained / unanswerable abstained" for g in groups))
    chosen = None
    for t in THRESHOLDS:
        cells = []
        for name, rows in groups.items():
            wrong, right = rates(rows, t)
            cells.append(f"{wrong:.3f} / {right:.3f}" if right is not None else f"{wrong:.3f} / -")
        print(f"{t:>9}  " + "  ".join(f"{c:>44}" for c in cells))
        wrong, _ = rates(groups["squad2-calibrate"], t)
        if wrong is not None and wrong <= MAX_WRONGLY_ABSTAINED:
            chosen = t
    print(f"highest threshold with at most {MAX_WRONGLY_ABSTAINED:.0%} of the calibration answerable questions "
          f"abstained: {chosen}")
    (out / "rows.json").write_text(json.dumps(groups, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
