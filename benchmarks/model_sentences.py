"""The model's one-sentence answer for a given span (issue 25): how often it passes the check, and how fast.

Questions: answerable SQuAD 2.0 questions of the calibrate articles Islamism and Packet_switching (a seeded sample
per article, with their first gold span and paragraph) and the article gold set's answerable questions without a
history (their "answer" found in the paragraph of corpus/ holding their first "evidence"; skipped when the answer is
not in it). Gold spans isolate the sentence step from the reader. For each question and constraint ("statements",
"words", "tokens", "none") the default generator (SmolLM2-135M-Instruct, int8, greedy) drafts one sentence with
qa.constrained.draft_sentence; prints the share that passes sentence_problem, median/p95 ms per sentence, the
failure reasons, and sample sentences; --out writes every row as JSON Lines.
Usage (from the repository root):
  python -m benchmarks.model_sentences [SQUAD2_JSON] [--per-article 30] [--constraints statements,words] [--out F]
  python -m benchmarks.model_sentences --mask-cost F    # the words mask's own cost, replayed over F's sentences
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from index.markup import to_plain
from index.settings import Settings
from qa.constrained import SCOPE, draft_sentence
from qa.generation import make_generator

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ("Islamism", "Packet_switching")


def squad_items(path: Path, per_article: int, seed: int) -> list[dict]:
    """A seeded sample of answerable questions of each calibrate article, with gold span, offset and paragraph."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    items = []
    for article in (a for a in data if a["title"] in ARTICLES):
        pool = [{"id": qa["id"], "source": article["title"], "question": qa["question"],
                 "span": qa["answers"][0]["text"], "start": qa["answers"][0]["answer_start"],
                 "passage": paragraph["context"]}
                for paragraph in article["paragraphs"] for qa in paragraph["qas"]
                if not qa.get("is_impossible") and qa["answers"]]
        items += random.Random(seed).sample(pool, min(per_article, len(pool)))
    return items


def _squash(text: str) -> str:
    return " ".join(text.split())


def gold_items(gold: Path, corpus: Path) -> tuple[list[dict], int]:
    """Answerable gold questions without history whose answer is in the evidence's paragraph; and how many were
    skipped because it is not."""
    paragraphs = [_squash(p) for f in sorted(corpus.glob("*.md"))
                  for p in to_plain(f.read_text(encoding="utf-8")).split("\n\n") if p.strip()]
    items, skipped = [], 0
    for row in map(json.loads, gold.read_text(encoding="utf-8").splitlines()):
        if not row.get("answerable") or row.get("history"):
            continue
        evidence = _squash(row["evidence"][0])
        passage = next((p for p in paragraphs if evidence in p), None)
        answer = _squash(row["answer"]).strip(" .")
        at = -1 if passage is None else passage.lower().find(answer.lower())
        if at < 0:
            skipped += 1
            continue
        items.append({"id": row["id"], "source": "russia-turkey", "question": row["question"],
                      "span": passage[at:at + len(answer)], "start": at, "passage": passage})
    return items, skipped


def run(items: list[dict], constraints: list[str], variant: str | None, max_new_tokens: int) -> list[dict]:
    """Each item's draft and problem under each constraint, with the milliseconds it took."""
    generator = make_generator(Settings.from_env()).load()
    rows = []
    for item in items:
        for setting in constraints:
            constraint, _, scope = setting.partition(":")
            began = time.perf_counter()
            draft = draft_sentence(generator, item["question"], item["span"], item["passage"],
                                   max_new_tokens=max_new_tokens, constraint=constraint, span_start=item["start"],
                                   variant=variant, scope=scope or SCOPE)
            rows.append({**{k: item[k] for k in ("id", "source", "question", "span")}, "constraint": setting,
                         "sentence": draft.sentence, "problem": draft.problem, "mean_logprob": draft.mean_logprob,
                         "attempts": draft.attempts,
                         "ms": round(1000 * (time.perf_counter() - began), 1)})
            print(f"{setting:14} {'ok ' if draft.problem is None else 'NO '} {item['question']} | {item['span']} | "
                  f"{draft.sentence} | {draft.problem or ''}", flush=True)
    return rows


def summary(rows: list[dict]) -> dict:
    """Per constraint: questions, share passing, median and p95 ms, and the commonest reasons for failing."""
    out = {}
    for constraint in dict.fromkeys(r["constraint"] for r in rows):
        group = [r for r in rows if r["constraint"] == constraint]
        ms = sorted(r["ms"] for r in group)
        reasons = Counter(re.sub(r"'[^']*'", "'…'", r["problem"]) for r in group if r["problem"])
        out[constraint] = {"questions": len(group), "pass": round(sum(r["problem"] is None for r in group)
                                                                   / len(group), 3),
                           "median_ms": round(statistics.median(ms)), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))]),
                           "reasons": dict(reasons.most_common(6))}
    return out


def mask_cost(rows: list[dict], items: list[dict]) -> dict:
    """Milliseconds to build the words constraint per answer and to apply it per token, replayed over the
    sentences of earlier rows (`--out` of a run) with the default tokenizer; no model runs."""
    from collections import Counter

    from qa.constrained import allowed_words
    from qa.vocab_mask import FUNCTION_WORDS, WORD, token_table, word_constraint

    generator = make_generator(Settings.from_env())
    generator.load()
    tokenizer, by_id = generator.tokenizer, {i["id"]: i for i in items}
    began = time.perf_counter()
    token_table(tokenizer)
    table_ms, builds, steps = 1000 * (time.perf_counter() - began), [], []
    for row in rows:
        item = by_id[row["id"]]
        began = time.perf_counter()
        repeatable = {w for w, n in Counter(w.lower() for w in WORD.findall(item["question"])).items() if n > 1}
        step = word_constraint(tokenizer, allowed_words(item["question"], "", item["span"]), generator.stop_ids(),
                               item["span"], repeatable | {w.lower() for w in WORD.findall(item["span"])}
                               | FUNCTION_WORDS)
        builds.append(1000 * (time.perf_counter() - began))
        ids = tokenizer.encode(row["sentence"], add_special_tokens=False)
        for n in range(len(ids) + 1):
            began = time.perf_counter()
            step(ids[:n])
            steps.append(1000 * (time.perf_counter() - began))
    return {"token_table_ms_once": round(table_ms), "build_ms_median": round(statistics.median(builds), 1),
            "step_ms_median": round(statistics.median(steps), 2),
            "step_ms_p95": round(sorted(steps)[int(0.95 * (len(steps) - 1))], 2), "steps": len(steps)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad2", nargs="?", default="../shared/datasets/squad-v2.0-10-articles.json")
    parser.add_argument("--gold", default=str(ROOT / "gold" / "russia-turkey.jsonl"))
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--per-article", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions of each source")
    parser.add_argument("--constraints", default="statements,words,tokens,none",
                        help="comma-separated CONSTRAINT[:SCOPE], e.g. words:question,words:passage,none")
    parser.add_argument("--variant", default=None, help="one prompt variant (default: qa.constrained.PROMPTS in turn)")
    parser.add_argument("--max-new-tokens", type=int, default=48)
    parser.add_argument("--out", default="")
    parser.add_argument("--mask-cost", default="", metavar="ROWS", help="only time the words mask over ROWS.jsonl")
    args = parser.parse_args()
    gold, skipped = gold_items(Path(args.gold), Path(args.corpus))
    items = squad_items(Path(args.squad2), args.per_article, args.seed) + gold
    if args.limit:
        items = [i for s in dict.fromkeys(i["source"] for i in items)
                 for i in [j for j in items if j["source"] == s][:args.limit]]
    if args.mask_cost:
        rows = [json.loads(line) for line in Path(args.mask_cost).read_text(encoding="utf-8").splitlines()]
        print(json.dumps(mask_cost([r for r in rows if r["constraint"].startswith("words")], items)))
        return
    print(f"{len(items)} questions ({skipped} gold questions skipped: answer not in the evidence's paragraph)")
    rows = run(items, args.constraints.split(","), args.variant, args.max_new_tokens)
    if args.out:
        Path(args.out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(json.dumps(summary(rows), indent=1))
    passing = [r for r in rows if r["constraint"] == args.constraints.split(",")[0] and r["problem"] is None]
    for r in random.Random(args.seed).sample(passing, min(20, len(passing))):
        print(f"- {r['question']} | span: {r['span']} | {r['sentence']}")


if __name__ == "__main__":
    main()
