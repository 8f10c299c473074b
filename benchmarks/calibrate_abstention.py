"""Calibrate the abstention threshold on held-out data only (never on the reported questions).

Held-out data: the article DEV gold set (gold/russia-turkey-dev.jsonl) and the SQuAD calibration split
(questions whose id hashes to 0 mod 5; the reported SQuAD sample excludes them). Negatives: the dev set's
unanswerable questions, SQuAD calibration questions asked against the article (and vice versa), and the
*tempting* ones: SQuAD calibration questions asked of the SQuAD corpus with their own paragraph removed (the
rest of their article is still there, so retrieval finds the right topic but not the answer).
Prints, for each candidate threshold on the best evidence score, the share of each group abstained, and the
highest threshold at which at most 5% of the answerable questions (all groups pooled) and at most 10% of any
one answerable group are abstained.
Usage (from the repository root): python -m benchmarks.calibrate_abstention [SQUAD_JSON] [--n 300]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from qa import Assistant, Settings
from qa.assistant import abstain_reason
from qa.evaluation.gold import load_jsonl
from qa.evaluation.squad import calibration_split
from qa.evidence import select_evidence
from qa.retrieval import retrieval_query
from qa.text import normalize

ROOT = Path(__file__).resolve().parents[1]


def squad_corpus(data: list[dict], out: Path, removed: frozenset = frozenset()) -> list[tuple[str, str]]:
    """Write the SQuAD articles as a corpus (without the `removed` (article, paragraph) pairs); every question."""
    out.mkdir(parents=True, exist_ok=True)
    questions = []
    for a, article in enumerate(data):
        title = article["title"].replace("_", " ")
        kept = [p for i, p in enumerate(article["paragraphs"]) if (a, i) not in removed]
        text = title + "".join("\n\n" + p["context"] for p in kept)
        (out / f"{a:02d}.txt").write_text(text, encoding="utf-8")
        questions += [(qa["id"], qa["question"]) for p in article["paragraphs"] for qa in p["qas"]]
    return questions


def holed_split(data: list[dict], n_removed: int = 150, seed: int = 11) -> tuple[frozenset, list[str], list[str]]:
    """Paragraphs to remove, then calibration questions whose paragraph stays (answerable) and whose paragraph
    is gone and whose answer appears nowhere else in its article (tempting unanswerable)."""
    rng = random.Random(seed)
    candidates = [(a, i) for a, art in enumerate(data) for i, p in enumerate(art["paragraphs"])
                  if any(calibration_split(q["id"]) for q in p["qas"])]
    removed = frozenset(rng.sample(candidates, n_removed))
    left = {a: " ".join(p["context"] for i, p in enumerate(art["paragraphs"]) if (a, i) not in removed)
            for a, art in enumerate(data)}
    left = {a: f" {normalize(text)} " for a, text in left.items()}
    kept, gone = [], []
    for a, art in enumerate(data):
        for i, p in enumerate(art["paragraphs"]):
            for q in (q for q in p["qas"] if calibration_split(q["id"])):
                if (a, i) not in removed:
                    kept.append(q["question"])
                elif not any(f" {normalize(x['text'])} " in left[a] for x in q["answers"]):
                    gone.append(q["question"])
    rng.shuffle(kept)
    return removed, kept, gone


def top_scores(assistant: Assistant, questions: list[tuple[str, list]]) -> list[tuple[float, str | None]]:
    """(best evidence score, early-abstention reason or None) of each (question, history), without generating."""
    out = []
    for question, history in questions:
        query = retrieval_query(question, [(h, "") for h in history])
        passages = assistant.retriever.retrieve(query, assistant.settings.top_k)
        evidence = select_evidence(query, passages, assistant.query_embedder, assistant.settings.evidence_sentences)
        kind = abstain_reason(query, evidence, -1.0)
        out.append((evidence[0].score if evidence else 0.0, kind))
    return out


def main() -> None:
    """Print the share abstained per group at each candidate threshold, and the highest threshold that fits."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.calibrate_abstention")
    parser.add_argument("squad", nargs="?", default=str(ROOT.parent / "shared/datasets/squad-v1.1-24-articles.json"))
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    settings = Settings.from_env()
    data = json.loads(Path(args.squad).read_text(encoding="utf-8"))["data"]
    squad_qs = squad_corpus(data, settings.data_dir / "squad-calibration-corpus")
    held_out = [q for q in squad_qs if calibration_split(q[0])]
    random.Random(7).shuffle(held_out)
    held_out = [(q, []) for _, q in held_out[: args.n]]
    dev = load_jsonl(ROOT / "gold/russia-turkey-dev.jsonl")
    dev_pos = [(d.question, d.history) for d in dev if d.answerable]
    dev_neg = [(d.question, d.history) for d in dev if not d.answerable]

    article = Assistant.from_corpus(ROOT / "corpus", settings, show_progress=False)
    squad = Assistant.from_corpus(settings.data_dir / "squad-calibration-corpus", settings, show_progress=False)
    removed, holed_pos, holed_neg = holed_split(data)
    squad_corpus(data, settings.data_dir / "squad-holed-corpus", removed)
    holed = Assistant.from_corpus(settings.data_dir / "squad-holed-corpus", settings, show_progress=False)
    groups = {
        "dev answerable": (top_scores(article, dev_pos), True),
        "squad answerable": (top_scores(squad, held_out), True),
        "dev unanswerable": (top_scores(article, dev_neg), False),
        "squad-on-article": (top_scores(article, held_out[:100]), False),
        "dev-on-squad": (top_scores(squad, dev_pos), False),
        "holed answerable": (top_scores(holed, [(q, []) for q in holed_pos[: args.n]]), True),
        "holed tempting": (top_scores(holed, [(q, []) for q in holed_neg]), False),
    }
    print("threshold  " + "  ".join(f"{name:>17}" for name in groups) + "  pooled answerable")
    chosen = None
    for t in [x / 100 for x in range(30, 80, 2)]:
        cells, wrong, total, worst = [], 0, 0, 0.0
        for name, (scores, answerable) in groups.items():
            abstain = [s < t or reason is not None for s, reason in scores]
            cells.append(f"{sum(abstain) / len(abstain):>17.3f}")
            if answerable:
                share = sum(abstain) / len(abstain)
                wrong, total, worst = wrong + sum(abstain), total + len(abstain), max(worst, share)
        print(f"{t:>9.2f}  " + "  ".join(cells) + f"  {wrong / total:>17.3f}")
        if wrong / total <= 0.05 and worst <= 0.10:  # shares grow with t, so the last one that fits is the highest
            chosen = t
    print("(cells: share abstained; want low for answerable groups, high for the others)")
    print(f"highest threshold with answerable abstained <= 0.05 pooled and <= 0.10 per group: {chosen}")


if __name__ == "__main__":
    main()
