"""Choose the furniture penalty on the article DEV gold set only (never on the reported questions).

For each candidate penalty, selects the evidence of every dev question (real embedder, no generator) and counts:
answerable questions whose best evidence holds a gold quote, questions about the content whose best evidence is
page furniture, answerable questions whose best evidence falls below the abstention threshold (they would be
abstained on), and unanswerable questions whose best evidence still clears it.
Usage (from the repository root): python -m benchmarks.calibrate_furniture [--gold gold/russia-turkey-dev.jsonl] [--penalties 0,0.05,...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from index.furniture import FURNITURE_KINDS
from qa import Assistant, Settings
from qa.evaluation.gold import load_jsonl, locate_evidence
from qa.evaluation.metrics import holds_evidence
from qa.evidence import asks_about_document, select_evidence
from qa.retrieval import retrieval_query

ROOT = Path(__file__).resolve().parents[1]


class _NoGenerator:
    model_id = "none"

    def stream(self, messages, max_new_tokens):
        raise RuntimeError("calibration selects evidence only")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", default=str(ROOT / "gold/russia-turkey-dev.jsonl"))
    parser.add_argument("--penalties", default="0,0.1,0.15,0.2,0.25,0.3,0.4")
    args = parser.parse_args()
    settings = Settings.from_env()
    assistant = Assistant.from_corpus(ROOT / "corpus", settings, generator=_NoGenerator(), show_progress=False)
    documents = {s: d.text for s, d in assistant.store.documents.items()}
    items = locate_evidence(load_jsonl(args.gold), documents, args.gold)
    runs = []
    for item in items:
        query = retrieval_query(item.question, [(h, "") for h in item.history])
        runs.append((item, query, assistant.retriever.retrieve(query, settings.top_k)))
    print("penalty  best-holds-gold  furniture-first(content q)  answerable-abstained  unanswerable-not-abstained")
    for penalty in (float(p) for p in args.penalties.split(",")):
        hits = furniture_first = lost = leaks = 0
        for item, query, passages in runs:
            evidence = select_evidence(query, passages, assistant.query_embedder, settings.evidence_sentences,
                                       lexical_weight=settings.lexical_weight, context_gain=settings.context_gain,
                                       furniture_penalty=penalty,
                                       about_document=asks_about_document(item.question))
            best = evidence[0] if evidence else None
            if not item.answerable:
                leaks += best is not None and best.score >= settings.min_evidence_score
                continue
            lost += best is None or best.score < settings.min_evidence_score
            hits += best is not None and any(holds_evidence(best.text, best.source, best.start, best.end, ev)
                                             for ev in item.evidence)
            furniture_first += (best is not None and best.furniture in FURNITURE_KINDS
                                and not asks_about_document(item.question))
        answerable = sum(i.answerable for i in items)
        print(f"{penalty:7.2f}  {hits:>9}/{answerable}  {furniture_first:>18}  {lost:>19}/{answerable}"
              f"  {leaks:>21}/{len(items) - answerable}")


if __name__ == "__main__":
    main()
