"""Calibrate the abstention threshold on held-out data only (never on the reported questions).

Held-out data: the article DEV gold set (gold/russia-turkey-dev.jsonl) and the SQuAD calibration split
(questions whose id hashes to 0 mod 5; the reported SQuAD sample excludes them). Negatives: the dev set's
unanswerable questions, plus SQuAD calibration questions asked against the article (and vice versa).
Prints, for each candidate threshold, the share of answerable questions wrongly abstained and the share of
unanswerable ones abstained. Usage: python scripts/calibrate_abstention.py [SQUAD_JSON] [--n 300]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa import Assistant, Settings  # noqa: E402
from qa.assistant import abstain_reason  # noqa: E402
from qa.evaluation.squad import calibration_split  # noqa: E402
from qa.evidence import select_evidence  # noqa: E402
from qa.retrieval import retrieval_query  # noqa: E402


def squad_corpus(path: Path, out: Path) -> list[tuple[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    out.mkdir(parents=True, exist_ok=True)
    questions = []
    for a, article in enumerate(data):
        title = article["title"].replace("_", " ")
        text = title + "".join("\n\n" + p["context"] for p in article["paragraphs"])
        (out / f"{a:02d}.txt").write_text(text, encoding="utf-8")
        questions += [(qa["id"], qa["question"]) for p in article["paragraphs"] for qa in p["qas"]]
    return questions


def top_scores(assistant: Assistant, questions: list[tuple[str, list]]) -> list[tuple[float, str | None]]:
    out = []
    for question, history in questions:
        query = retrieval_query(question, [(h, "") for h in history])
        evidence = select_evidence(query, assistant.retriever.retrieve(query, assistant.settings.top_k),
                                   assistant.embedder, assistant.settings.evidence_sentences)
        kind = abstain_reason(query, evidence, -1.0)
        out.append((evidence[0].score if evidence else 0.0, kind))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("squad", nargs="?", default=str(ROOT.parent / "shared/datasets/squad-v1.1-24-articles.json"))
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    settings = Settings.from_env()
    squad_qs = squad_corpus(Path(args.squad), settings.data_dir / "squad-calibration-corpus")
    held_out = [q for q in squad_qs if calibration_split(q[0])]
    random.Random(7).shuffle(held_out)
    held_out = [(q, []) for _, q in held_out[: args.n]]
    dev = [json.loads(line) for line in (ROOT / "gold/russia-turkey-dev.jsonl").read_text().splitlines() if line]
    dev_pos = [(d["question"], d["history"]) for d in dev if d.get("answerable", True)]
    dev_neg = [(d["question"], d["history"]) for d in dev if not d.get("answerable", True)]

    article = Assistant.from_corpus(ROOT / "corpus", settings, show_progress=False)
    squad = Assistant.from_corpus(settings.data_dir / "squad-calibration-corpus", settings, show_progress=False)
    groups = {
        "dev answerable": (top_scores(article, dev_pos), True),
        "squad answerable": (top_scores(squad, held_out), True),
        "dev unanswerable": (top_scores(article, dev_neg), False),
        "squad-on-article": (top_scores(article, held_out[:100]), False),
        "dev-on-squad": (top_scores(squad, dev_pos), False),
    }
    print("threshold  " + "  ".join(f"{name:>18}" for name in groups))
    for t in [x / 100 for x in range(30, 80, 2)]:
        cells = []
        for name, (scores, answerable) in groups.items():
            abstain = [s < t or reason is not None for s, reason in scores]
            cells.append(f"{sum(abstain) / len(abstain):>18.3f}")
        print(f"{t:>9.2f}  " + "  ".join(cells))
    print("(cells: share abstained; want low for answerable groups, high for the others)")


if __name__ == "__main__":
    main()
