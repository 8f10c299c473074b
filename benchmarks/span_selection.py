"""Which passage's span answers: replay rules for picking among the reader's spans over the retrieved passages.

The product's pipeline answers every question (the evaluation's runner, `Assistant.ask_stream`) with abstention
opened wide and the model's sentence off, while a recorder beside the span reader keeps every passage's reading
(span, span logit, null logit) in retrieval rank order. The rules are then replayed on those readings through the
product's own ReadStage.candidates (abstention as the product decides it: the best span-minus-null score against
margin + shift, and the number/date rule): only which of the spans above the margin is shown changes.
Rules: "score" (span minus null: the product's), "span" (the span logit alone), "score+rank:W" (score minus W per
retrieval rank below the first), "span+rank:W". Figures per rule: gold in the answer (short answer + supporting
sentence, the evaluation's containment) and short-answer F1 over answerable questions kept.
Usage (from the repository root):
    python -m benchmarks.span_selection SQUAD_JSON [--articles A,B] [--sample N] [--corpus DIR] [--out F.json]
    python -m benchmarks.span_selection --replay F.json [--shift -3.5]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from index.chunking import Passage
from index.settings import Settings
from qa.evaluation.metrics import containment, token_f1
from qa.reader_spans import Reading
from qa.reading import ReadStage
from qa.shown_answer import supporting_quote

WIDE_OPEN = {"min_evidence_score": -10.0, "reader_margin_shift": -1000.0, "model_sentences": False}
RULES = ["score", "span"] + [f"{base}+rank:{w}" for base in ("score", "span") for w in (0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4)]


class RecordingReader:
    """The span reader, keeping the passages and readings of each call (the pipeline calls it once a question)."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.calls: list[dict] = []

    @property
    def margin(self) -> float:
        return self.reader.margin

    def read(self, question, passages, excluded=None):
        readings = self.reader.read(question, passages, excluded=excluded)
        self.calls.append({"passages": list(passages),
                           "readings": [{"passage": r.passage, "start": r.start, "end": r.end, "text": r.text,
                                         "span": r.span_logit, "null": r.null_logit} for r in readings]})
        return readings


def record(squad: Path, articles: list[str] | None, sample: int | None, seed: int, corpus: Path | None,
           work: Path) -> list[dict]:
    """Every question's readings over its retrieved passages, with its gold answers and the reader's margin."""
    from qa import Assistant
    from qa.evaluation.runner import run_items
    from qa.evaluation.squad import load_squad, sample as take_sample, write_corpus

    documents, items = load_squad(squad, articles)
    items = take_sample(items, sample, seed)
    corpus = corpus or write_corpus(documents, work / "squad-corpus")
    assistant = Assistant.from_corpus(corpus, Settings.from_env().with_(**WIDE_OPEN), show_progress=False)
    recorder = RecordingReader(assistant.read.reader)
    assistant.read.reader = recorder
    out = []
    for item in items:
        before = len(recorder.calls)
        run_items(assistant, [item], progress=False)
        call = recorder.calls[-1] if len(recorder.calls) > before else None
        out.append({"id": item.id, "question": item.question, "answerable": item.answerable,
                    "answers": list(item.answers), "passages": call["passages"] if call else [],
                    "readings": call["readings"] if call else []})
    return [{"margin": recorder.margin}] + out


class _Margin:
    """A reader stand-in that only carries the margin (ReadStage.candidates reads nothing else)."""

    def __init__(self, margin: float) -> None:
        self.margin = margin


def _key(rule: str):
    base, _, weight = rule.partition("+rank:")
    w = float(weight or 0)
    return lambda r: (r.score if base == "score" else r.span_logit) - w * r.passage


def replay(records: list[dict], margin: float, shift: float, rule: str) -> dict:
    """Abstention as the product decides it; the shown span picked by `rule` among those above the margin."""
    stage = ReadStage(_Margin(margin), margin_shift=shift)
    kept = gold = f1 = 0.0
    answerable = [r for r in records if r["answerable"]]
    unanswerable_abstained = 0
    for rec in records:
        readings = [Reading(r["passage"], r["start"], r["end"], r["text"], r["span"], r["null"])
                    for r in rec["readings"]]
        above = stage.candidates(rec["question"], readings)[0]
        if not rec["answerable"]:
            unanswerable_abstained += not above
            continue
        if not above:
            continue
        best = max(above, key=_key(rule))
        passages = [Passage(text, "", 0, len(text)) for text in rec["passages"]]
        kept += 1
        gold += containment(best.text + "\n" + supporting_quote(best, passages).text, rec["answers"])
        f1 += token_f1(best.text, rec["answers"])
    n, m = max(1, len(answerable)), max(1, len(records) - len(answerable))
    return {"answerable_abstained": round(1 - kept / n, 3), "unanswerable_abstained": round(unanswerable_abstained / m, 3),
            "containment": round(gold / n, 3), "short_f1": round(f1 / n, 3)}


def main(argv=None) -> int:
    """Record (or load) readings, then print each rule's figures."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.span_selection")
    p.add_argument("squad", type=Path, nargs="?")
    p.add_argument("--articles", default="")
    p.add_argument("--sample", type=int, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--corpus", type=Path, default=None, help="the SQuAD corpus directory an evaluation wrote")
    p.add_argument("--out", type=Path, default=Path(".qa-data/span-selection.json"))
    p.add_argument("--replay", type=Path, default=None, help="replay readings recorded before")
    p.add_argument("--shift", type=float, default=None, help="margin shift (default: the settings')")
    args = p.parse_args(argv)
    if args.replay:
        data = json.loads(args.replay.read_text())
    else:
        if args.squad is None:
            p.error("give a SQuAD JSON file or --replay")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        data = record(args.squad, [a for a in args.articles.split(",") if a] or None, args.sample, args.seed,
                      args.corpus, args.out.parent)
        args.out.write_text(json.dumps(data))
    margin, records = data[0]["margin"], data[1:]
    shift = Settings.from_env().reader_margin_shift if args.shift is None else args.shift
    print(f"{len(records)} questions ({sum(r['answerable'] for r in records)} answerable), margin {margin:.3f} "
          f"shift {shift}")
    for rule in RULES:
        print(f"{rule:>14}  {json.dumps(replay(records, margin, shift, rule))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
