"""`python -m benchmarks.followups`: follow-ups read as standalone questions (issue 25).

Every follow-up (a gold item with a non-empty "history") of the gold files is read five ways:

* **a** today's retrieval query: the previous question(s) and the follow-up concatenated
  (qa.retrieval.retrieval_query), searched, and read by the span reader as it is;
* **a+raw**: the same passages, the reader reading the follow-up itself;
* **b** the rules' standalone question (qa.followup.standalone_question), searched and read;
* **b/a**: the rules' question read against a's passages (search with the concatenation, read the standalone);
* **c** SmolLM2-135M-Instruct's rewrite (model_standalone_question below: a few-shot prompt, greedy),
  searched and read.

Scores: hit@4 (a gold evidence quote inside one of the top 4 passages) and the reader's token F1 against the gold
answer (the best of "answer" and the item's "alternatives"; "no answer" at the calibrated margin scores 0), over the
answerable follow-ups; beside it the F1 of the reader's best span whatever its score (what the reader finds, apart
from its "no answer" decision), and how often that span repeats the previous turn's answer (token F1 >= 0.5 against
it: the failure issue 25 names); for unanswerable ones, how often the reader says "no answer". The history's answers are the gold
answers of the earlier turns (items whose id differs only in the last letter), else the reader's own answer.
Each case's rewrites and answers are printed so they can be read.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from qa.retrieval import is_follow_up

GOLD = ("gold/russia-turkey.jsonl", "gold/russia-turkey-dev.jsonl", "gold/followups.jsonl")
OPTIONS = ("a", "a+raw", "b", "b/a", "c")

# ---- the small model's alternative (option c) -------------------------------------------------------------------

REWRITE_SYSTEM = ("Rewrite the last question so that it can be understood without the conversation: replace "
                  "pronouns and short fragments with what they refer to. Reply with the rewritten question only.")
REWRITE_EXAMPLES = [  # not from the article, so that nothing of the gold sets leaks into the prompt
    ([("Who founded the bakery?", "Maria Lopez")], "Where was she born?", "Where was Maria Lopez born?"),
    ([("Is the bridge closed to traffic?", "Yes")], "Why?", "Why is the bridge closed to traffic?"),
    ([("What does Spain export to China?", "Olive oil")], "And Italy?", "What does Italy export to China?"),
    ([("When was the castle built?", "In 1205")], "Who built it?", "Who built the castle?"),
]


def rewrite_prompt(question: str, history: list[tuple[str, str]]) -> str:
    """The user turn of a rewrite request: the conversation (last 3 turns), then the follow-up."""
    lines = [f"Q: {q}\nA: {a or '(no answer)'}" for q, a in history[-3:]]
    return "Conversation:\n" + "\n".join(lines) + f"\nLast question: {question}"


def rewrite_messages(question: str, history: list[tuple[str, str]]) -> list[dict]:
    """A few-shot chat asking a small instruct model for the standalone question."""
    messages = [{"role": "system", "content": REWRITE_SYSTEM}]
    for turns, follow_up, rewritten in REWRITE_EXAMPLES:
        messages += [{"role": "user", "content": rewrite_prompt(follow_up, turns)},
                     {"role": "assistant", "content": rewritten}]
    return messages + [{"role": "user", "content": rewrite_prompt(question, history)}]


def clean_rewrite(output: str, question: str) -> str:
    """The model's first non-empty line as a question (labels, quotes, trailing stops removed); the original
    question when it gave nothing."""
    line = next((x for x in (output or "").strip().splitlines() if x.strip()), "")
    line = re.sub(r"^((rewritten|standalone|last)?\s*question|q|a)\s*:\s*", "", line.strip(), flags=re.I)
    line = line.strip().strip('"').split("?")[0].strip(" .\"")
    return line + "?" if line else question


def model_standalone_question(generator, question: str, history: list[tuple[str, str]],
                              max_new_tokens: int = 40) -> str:
    """The standalone question as a generator (qa.generation) rewrites it; unchanged when it is not a follow-up
    (the same gate as the rules)."""
    if not history or not is_follow_up(question):
        return question
    return clean_rewrite("".join(generator.stream(rewrite_messages(question, history), max_new_tokens)), question)


# ---- the measurement ----------------------------------------------------------------------------------------------


def conversation_answers(items) -> dict[tuple[str, str], str]:
    """(conversation prefix, question) -> gold answer, for items whose id ends in a turn letter (turn-01a)."""
    return {(item.id[:-1], item.question): item.answers[0] for item in items if item.id[-1:].isalpha()}


def history_of(item, answers: dict, reader_answer) -> list[tuple[str, str]]:
    """The item's history as (question, answer) pairs: gold answers of the earlier turns, else the reader's."""
    pairs = []
    for question in item.history:
        gold = answers.get((item.id[:-1], question))
        pairs.append((question, gold if gold is not None else reader_answer(question, pairs)))
    return pairs


def f1(prediction: str | None, item) -> float:
    """Token F1 against the best of the gold answer and its alternatives; no answer scores 0."""
    from qa.evaluation.metrics import pair_f1

    if not prediction:
        return 0.0
    return max(pair_f1(prediction, ref) for ref in item.answers)  # the gold file's "alternatives" among them


def run(args: argparse.Namespace) -> dict:
    """Read every follow-up each way; return per-case rows and the summary."""
    from index.settings import Settings
    from qa.assistant import Assistant
    from qa.evaluation.gold import load_jsonl, locate_evidence
    from qa.evaluation.metrics import hit_at_k, pair_f1
    from qa.followup import standalone_question
    from qa.retrieval import retrieval_query
    from qa.span_reader import SpanReader

    settings = Settings.from_env()
    assistant = Assistant.from_corpus(args.corpus, settings, show_progress=False)
    documents = {s: d.text for s, d in assistant.store.documents.items()}
    reader = SpanReader().load()
    generator = None
    if "c" in args.options:
        from qa.generation import make_generator

        generator = make_generator(settings)

    def read_best(question: str, passages) -> tuple[str | None, float]:
        readings = reader.read(question, [p.text for p in passages])
        top = max(readings, key=lambda r: r.score, default=None)
        return (top.text, top.score) if top else (None, float("-inf"))

    def read(question: str, passages) -> str | None:
        text, score = read_best(question, passages)
        return text if score > reader.margin else None

    def reader_answer(question: str, pairs: list[tuple[str, str]]) -> str:
        query = standalone_question(question, pairs)
        return read(query, assistant.retrieve(query, top_k=args.top_k)) or ""

    rows = []
    for path in args.gold:
        items = locate_evidence(load_jsonl(path), documents, path)
        answers = conversation_answers(items)
        for item in (i for i in items if i.history):
            history = history_of(item, answers, reader_answer)
            queries = {"a": retrieval_query(item.question, history), "b": standalone_question(item.question, history)}
            if generator is not None:
                queries["c"] = model_standalone_question(generator, item.question, history)
            passages = {k: assistant.retrieve(q, top_k=args.top_k) for k, q in queries.items()}
            reads = {"a": (queries["a"], passages["a"]), "a+raw": (item.question, passages["a"]),
                     "b": (queries["b"], passages["b"]), "b/a": (queries["b"], passages["a"])}
            if "c" in queries:
                reads["c"] = (queries["c"], passages["c"])
            row = {"id": item.id, "file": Path(path).name, "question": item.question, "history": history,
                   "answerable": item.answerable, "gold": item.answers[0], "queries": queries, "options": {}}
            previous = history[-1][1]
            for name, (question, found) in reads.items():
                best, score = read_best(question, found)
                answer = best if score > reader.margin else None
                row["options"][name] = {
                    "answer": answer, "best_span": best, "score": round(score, 3),
                    "repeats": bool(best and previous and pair_f1(best, previous) >= 0.5),
                    "hit@4": hit_at_k(found, item.evidence, 4) if item.answerable else None,
                    "f1": f1(answer, item) if item.answerable else None,
                    "f1_best": f1(best, item) if item.answerable else None}
            rows.append(row)
            show(row)
    return {"rows": rows, "summary": summarize(rows), "top_k": args.top_k}


def show(row: dict) -> None:
    """Print one case: history, follow-up, the rewrites, and each option's answer with its scores."""
    print(f"\n[{row['id']}] " + " | ".join(f"{q} => {a}" for q, a in row["history"]))
    print(f"  follow-up: {row['question']}   (gold: {row['gold']})")
    for key in ("b", "c"):
        if key in row["queries"]:
            print(f"  {key}: {row['queries'][key]}")
    for name, o in row["options"].items():
        score = "" if o["f1"] is None else f"hit@4={o['hit@4']:.0f} F1={o['f1']:.2f} best-F1={o['f1_best']:.2f}"
        shown = o["answer"] if o["answer"] is not None else f"(no answer; best span {o['best_span']!r})"
        print(f"    {name:6} {score:32} {o['score']:6.2f} {shown!r}{'  [repeats the previous answer]' if o['repeats'] else ''}")


def summarize(rows: list[dict]) -> dict:
    """Per option: hit@4 and reader F1 over answerable follow-ups, "no answer" share over unanswerable ones."""
    out = {}
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    for name in OPTIONS:
        have = [r["options"][name] for r in answerable if name in r["options"]]
        if not have:
            continue
        out[name] = {"n": len(have), "hit@4": sum(o["hit@4"] for o in have) / len(have),
                     "f1": sum(o["f1"] for o in have) / len(have),
                     "f1_best": sum(o["f1_best"] for o in have) / len(have),
                     "repeats": sum(o["repeats"] for o in have),
                     "no_answer_on_answerable": sum(o["answer"] is None for o in have),
                     "no_answer_on_unanswerable": f"{sum(r['options'][name]['answer'] is None for r in unanswerable)}"
                                                  f"/{len(unanswerable)}"}
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: run, print the table, optionally write the rows as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", nargs="+", default=list(GOLD))
    parser.add_argument("--corpus", default="corpus")
    parser.add_argument("--top-k", type=int, default=4)
    parser.add_argument("--options", default="abc", help="'ab' leaves the model's rewrite out")
    parser.add_argument("--out", type=Path, help="write every case and the summary here as JSON")
    args = parser.parse_args(argv)
    result = run(args)
    print("\n| option | follow-ups | hit@4 | reader F1 | best-span F1 | repeats previous answer | no answer "
          "(answerable) | no answer (unanswerable) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, s in result["summary"].items():
        print(f"| {name} | {s['n']} | {s['hit@4']:.3f} | {s['f1']:.3f} | {s['f1_best']:.3f} | {s['repeats']} | "
              f"{s['no_answer_on_answerable']} | {s['no_answer_on_unanswerable']} |")
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
