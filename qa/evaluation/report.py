"""Aggregating scored rows into a summary, and writing report.json, report.md and PNG plots."""

from __future__ import annotations

import json
from pathlib import Path

from qa.evaluation.metrics import mean, percentile

# (summary key, label, group) in display order; rates are 0..1, latencies in seconds
SUMMARY_ROWS = [
    ("hit@1", "retrieval hit@1", "retrieval"), ("hit@k", "retrieval hit@k", "retrieval"),
    ("recall@k", "retrieval recall@k", "retrieval"), ("mrr", "retrieval MRR", "retrieval"),
    ("em", "SQuAD exact match", "answer"), ("f1", "SQuAD token F1", "answer"),
    ("containment", "reference containment", "answer"),
    ("short_em", "short answer exact match", "answer"), ("short_f1", "short answer token F1", "answer"),
    ("faithfulness", "faithfulness (word overlap)", "grounding"),
    ("shown_right_proxy", "shown sentences right (ordered proxy)", "grounding"),
    ("model_wording", "answers with the model's wording", "grounding"),
    ("citation_precision", "citation precision", "grounding"),
    ("citation_recall", "citation recall", "grounding"),
    ("abstention_unanswerable", "abstained on unanswerable", "abstention"),
    ("wrong_abstention_answerable", "abstained on answerable (wrong)", "abstention"),
    ("first_token_p50_s", "first token p50 (s)", "latency"), ("first_token_p95_s", "first token p95 (s)", "latency"),
    ("total_p50_s", "total p50 (s)", "latency"), ("total_p95_s", "total p95 (s)", "latency"),
    ("tokens_per_s", "generated tokens/s", "latency"),
]


def _scores(rows: list[dict], key: str) -> list[float]:
    return [r["scores"][key] for r in rows if r["scores"].get(key) is not None]


def _sentence_share(rows: list[dict], key: str) -> float | None:
    """Share of all shown sentences (over every answered row) for which `key` is true."""
    sentences = [s for r in rows for s in r.get("sentences", [])]
    return sum(bool(s[key]) for s in sentences) / len(sentences) if sentences else None


def summarize(rows: list[dict], k: int) -> dict:
    """Means of the per-question scores (each over the questions it applies to) and latency percentiles."""
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    timed = [r["timing"] for r in rows if r.get("timing")]
    generating = [t for t in timed if t["generated"] and t["tokens"] > 1 and t["total_s"] > t["first_token_s"]]
    gen_time = sum(t["total_s"] - t["first_token_s"] for t in generating)
    summary = {
        "questions": len(rows), "answerable": len(answerable), "unanswerable": len(unanswerable),
        "errors": sum(1 for r in rows if "error" in r), "k": k,
        "hit@1": mean(_scores(answerable, "hit@1")), "hit@k": mean(_scores(answerable, f"hit@{k}")),
        "recall@k": mean(_scores(answerable, f"recall@{k}")), "mrr": mean(_scores(answerable, "mrr")),
        "em": mean(_scores(answerable, "em")), "f1": mean(_scores(answerable, "f1")),
        "containment": mean(_scores(answerable, "containment")),
        "short_em": mean(_scores(answerable, "short_em")), "short_f1": mean(_scores(answerable, "short_f1")),
        "faithfulness": mean(_scores(rows, "faithfulness")),
        "shown_right_proxy": _sentence_share(rows, "right_proxy"),
        "model_wording": mean(_scores(rows, "model_wording")),
        "citation_precision": mean(_scores(answerable, "citation_precision")),
        "citation_recall": mean(_scores(answerable, "citation_recall")),
        "abstention_unanswerable": mean(_scores(unanswerable, "abstained")),
        "wrong_abstention_answerable": mean(_scores(answerable, "wrongly_abstained")),
        "first_token_p50_s": percentile([t["first_token_s"] for t in timed], 50),
        "first_token_p95_s": percentile([t["first_token_s"] for t in timed], 95),
        "total_p50_s": percentile([t["total_s"] for t in timed], 50),
        "total_p95_s": percentile([t["total_s"] for t in timed], 95),
        "tokens_per_s": sum(t["tokens"] for t in generating) / gen_time if gen_time > 0 else None,
    }
    return {key: round(v, 4) if isinstance(v, float) else v for key, v in summary.items()}


def build_report(rows: list[dict], meta: dict) -> dict:
    """The whole report: run metadata, the summary, and one row per question."""
    return {"meta": meta, "summary": summarize(rows, meta["top_k"]), "rows": rows}


def _fmt(value) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def format_table(summary: dict) -> str:
    """The summary as an aligned plain-text table."""
    k = summary.get("k", "k")
    lines = [f"{summary['questions']} questions ({summary['answerable']} answerable, "
             f"{summary['unanswerable']} unanswerable, {summary['errors']} errors)"]
    for key, label, group in SUMMARY_ROWS:
        lines.append(f"  {group:<10} {label.replace('@k', f'@{k}'):<34} {_fmt(summary.get(key)):>8}")
    return "\n".join(lines)


def _cell(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _failed(row: dict) -> str:
    """Failed checks, with the score of the graded ones (e.g. 'faithfulness 0.33')."""
    graded = ("faithfulness", "shown_right_proxy", "citation_precision", "citation_recall")
    names = [f"{n} {row['scores'][n]:.2f}" if n in graded and n in row["scores"] else n for n in row["failed"]]
    return ", ".join(names) or "—"


def format_markdown(report: dict) -> str:
    """report.md: run details, the summary table, then one row per question with its failed checks."""
    meta, summary = report["meta"], report["summary"]
    k = summary["k"]
    out = ["# Evaluation report", "",
           f"- gold file: `{meta['gold_file']}`; corpus: `{meta['corpus']}`; commit `{meta['commit']}`",
           f"- generator `{meta['generator']}`, embedder `{meta['embedder']}`, top_k {k}; "
           f"sample {meta['sample']} (seed {meta['seed']}), limit {meta['limit']}",
           f"- started {meta['started_at']}; loading {meta['load_s']} s; whole run {meta['run_s']} s", "",
           f"{summary['questions']} questions: {summary['answerable']} answerable, {summary['unanswerable']} "
           f"unanswerable, {summary['errors']} errors.", "",
           "| group | metric | value |", "| --- | --- | ---: |"]
    out += [f"| {g} | {label.replace('@k', f'@{k}')} | {_fmt(summary.get(key))} |" for key, label, g in SUMMARY_ROWS]
    out += ["", "![metric summary](metrics.png)", "", "![latency](latency.png)", "", "## Questions", "",
            "| id | question | reference | answer | citations | first hit rank | failed checks |",
            "| --- | --- | --- | --- | --- | ---: | --- |"]
    for r in report["rows"]:
        cites = ", ".join(f"[{c['marker']}] {c['source']}:{c['start']}-{c['end']}" for c in r["citations"])
        answer = r.get("error") or r["answer"]
        question = (" → ".join(r["history"]) + " → " if r["history"] else "") + r["question"]
        out.append(f"| {r['id']} | {_cell(question)} | {_cell(' / '.join(r['references']), 120)} | {_cell(answer)} "
                   f"| {_cell(cites, 200)} | {_fmt(r['first_hit_rank'])} | {_failed(r)} |")
    return "\n".join(out) + "\n"


def plot(report: dict, out_dir: Path) -> list[Path]:
    """metrics.png (the 0..1 metrics as bars) and latency.png (first-token and total latency histograms)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary, k = report["summary"], report["summary"]["k"]
    rated = [(label.replace("@k", f"@{k}"), summary[key]) for key, label, group in SUMMARY_ROWS
             if group != "latency" and summary.get(key) is not None]
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.barh([n for n, _ in rated][::-1], [v for _, v in rated][::-1], color="#4c72b0")
    ax.set_xlim(0, 1)
    ax.set_xlabel("score (0..1)")
    ax.set_title(f"{Path(report['meta']['gold_file']).name}: {summary['questions']} questions")
    for y, (_, v) in enumerate(rated[::-1]):
        ax.text(min(v + 0.01, 0.9), y, f"{v:.2f}", va="center", fontsize=8)
    fig.tight_layout()
    paths = [out_dir / "metrics.png", out_dir / "latency.png"]
    fig.savefig(paths[0], dpi=100)
    plt.close(fig)
    timings = [r["timing"] for r in report["rows"] if r.get("timing")]
    fig, ax = plt.subplots(figsize=(8, 4))
    if timings:
        ax.hist([[t["first_token_s"] for t in timings], [t["total_s"] for t in timings]], bins=20,
                label=["first token", "total"], color=["#55a868", "#c44e52"])
        ax.legend()
    ax.set_xlabel("seconds")
    ax.set_ylabel("questions")
    ax.set_title("latency per question")
    fig.tight_layout()
    fig.savefig(paths[1], dpi=100)
    plt.close(fig)
    return paths


def write_report(report: dict, out_dir: str | Path) -> list[Path]:
    """Write report.json, report.md, metrics.png and latency.png into out_dir; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    (out_dir / "report.md").write_text(format_markdown(report), encoding="utf-8")
    return [out_dir / "report.json", out_dir / "report.md", *plot(report, out_dir)]
