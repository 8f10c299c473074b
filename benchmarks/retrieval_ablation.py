"""Retrieval-only comparison of dense, BM25, hybrid and hybrid + best-sentence retrieval on a gold set (no generation).

Usage (from the repository root): python -m benchmarks.retrieval_ablation GOLD_FILE [--sample N] [--seed S]
Prints hit@1, hit@4, hit@5, recall@4 and MRR (from the top 5) per retrieval mode, with the evaluation's own metric functions.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from qa import Assistant, Settings
from qa.evaluation.metrics import hit_at_k, mean, recall_at_k, reciprocal_rank
from qa.evaluation.runner import load_gold
from qa.evaluation.squad import sample as take_sample
from qa.retrieval import RankFusionRetriever, retrieval_query


def main() -> None:
    """Print the retrieval metrics of each mode on the answerable questions of a gold set."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.retrieval_ablation")
    parser.add_argument("gold")
    parser.add_argument("--sample", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=".qa-data/ablation")
    args = parser.parse_args()
    items, corpus_dir = load_gold(args.gold, None, Path(args.out), None)
    items = [i for i in take_sample(items, args.sample, args.seed) if i.answerable]
    assistant = Assistant.from_corpus(corpus_dir, Settings.from_env(), show_progress=False)
    print(f"{len(items)} answerable questions, corpus {corpus_dir}")
    variants = {"dense": ("dense", False), "bm25": ("bm25", False), "hybrid": ("hybrid", False),
                "hybrid+sentence": ("hybrid", True)}
    for name, (mode, sentences) in variants.items():
        retriever = RankFusionRetriever(assistant.store, assistant.query_embedder, mode, sentence_fusion=sentences)
        rows = []
        for item in items:
            history = [(q, "") for q in item.history]
            passages = retriever.retrieve(retrieval_query(item.question, history), 5)
            rows.append((hit_at_k(passages, item.evidence, 1), hit_at_k(passages, item.evidence, 4),
                         hit_at_k(passages, item.evidence, 5), recall_at_k(passages, item.evidence, 4),
                         reciprocal_rank(passages, item.evidence)))
        cols = [mean(r[i] for r in rows) for i in range(5)]
        print(f"{name:>15}: hit@1 {cols[0]:.3f}  hit@4 {cols[1]:.3f}  hit@5 {cols[2]:.3f}  recall@4 {cols[3]:.3f}  "
              f"MRR {cols[4]:.3f}")


if __name__ == "__main__":
    main()
