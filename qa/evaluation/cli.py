"""`python -m qa eval GOLD_FILE [--corpus DIR] [--limit N] [--out DIR] [--json]`: score the assistant on a gold set."""

from __future__ import annotations

import argparse
import json
import sys

from index.errors import positive_int


def add_parser(sub) -> None:
    """Register the `eval` subcommand."""
    p = sub.add_parser("eval", help="evaluate answers against a gold set (JSON Lines or SQuAD JSON)")
    p.add_argument("gold_file", help="gold set: .jsonl (our format) or .json (SQuAD v1.1 or v2.0)")
    p.add_argument("--corpus", default=None,
                   help="corpus directory (default: corpus; for SQuAD the contexts are written to OUT/squad-corpus)")
    p.add_argument("--articles", default=None,
                   help="SQuAD only: comma-separated article titles to keep, e.g. Harvard_University,Imperialism")
    p.add_argument("--limit", type=positive_int, default=None, help="evaluate only the first N questions (after --sample)")
    p.add_argument("--sample", type=positive_int, default=None, help="evaluate a seeded random sample of N questions")
    p.add_argument("--seed", type=int, default=0, help="random seed of --sample (default 0)")
    p.add_argument("--top-k", type=positive_int, default=None, help="passages to retrieve (default: QA_TOP_K or 4)")
    p.add_argument("--out", default="eval-out", help="directory for report.json, report.md and plots (default eval-out)")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--no-progress", action="store_true", help="do not show the progress bar")


def run(args: argparse.Namespace) -> int:
    """Evaluate, write the report files, and print the summary table (or JSON)."""
    from qa.evaluation.report import format_table
    from qa.evaluation.runner import evaluate

    articles = [a.strip() for a in args.articles.split(",") if a.strip()] if args.articles else None
    report = evaluate(args.gold_file, args.corpus, limit=args.limit, sample=args.sample, seed=args.seed,
                      out_dir=args.out, top_k=args.top_k, progress=not args.no_progress, articles=articles)
    if args.json:
        print(json.dumps(report["summary"], ensure_ascii=False))
    else:
        print(format_table(report["summary"]))
        print(f"report: {args.out}/report.md (run {report['meta']['run_s']} s, commit {report['meta']['commit']})",
              file=sys.stderr)
    return 0
