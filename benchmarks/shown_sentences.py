"""Hand-labelled shown sentences: export answers for labelling, then score the labels and the independent proxy.

`export OUT.jsonl ROWS.jsonl [ROWS.jsonl ...] [--per-file N]` writes every shown sentence of answered rows (up to N
answers per rows file, in file order) with its question and the text of the passages it cites, label empty.
A person reads each sentence against its cited passages and sets `label` to "right" (the passage says it and it
reads as a correct, well-formed statement) or "wrong" (false, garbled, empty, a preamble or an echo), with a note.
`score LABELS.jsonl` prints the share of shown sentences labelled right (all, quotes, the model's own wording) and
how well the evaluation's independent proxy (qa.evaluation.metrics.shown_sentence_right) agrees with the labels.
`apply LABELS.jsonl GROUP=ROWS.jsonl ...` re-scores a later run on the same questions: for every labelled answer
(GROUP/id) it takes the sentences that run shows for that question and looks each up among the labels by question
and text; sentences never labelled are written to `--unlabelled OUT.jsonl` for a person to label and add.
Usage (from the repository root): python -m benchmarks.shown_sentences export|score|apply ...
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from qa.evaluation.metrics import is_quote, shown_sentence_right


def export(out: Path, rows_files: list[Path], per_file: int) -> int:
    """Write the shown sentences of up to per_file answered rows of each file; returns how many sentences."""
    written = 0
    with open(out, "w", encoding="utf-8") as fh:
        for rows_file in rows_files:
            answered = [json.loads(line) for line in rows_file.read_text(encoding="utf-8").splitlines() if line]
            answered = [r for r in answered if not r["abstained"] and r.get("sentences")][:per_file]
            for row in answered:
                texts = {c["marker"]: c.get("text", "") for c in row["citations"]}
                for number, sentence in enumerate(row["sentences"], 1):
                    cited = [texts[m] for m in sentence["markers"] if m in texts]
                    fh.write(json.dumps({
                        "id": f"{rows_file.parent.name}/{row['id']}/{number}", "question": row["question"],
                        "sentence": sentence["text"], "quote": is_quote(sentence["text"]), "cited": cited,
                        "proxy_right": shown_sentence_right(sentence["text"], cited), "label": "", "note": ""},
                        ensure_ascii=False) + "\n")
                    written += 1
    return written


def score(labels_file: Path) -> dict:
    """Share labelled right (all, quotes, own wording) and the proxy's agreement with the labels."""
    rows = [json.loads(line) for line in labels_file.read_text(encoding="utf-8").splitlines() if line]
    unlabelled = [r["id"] for r in rows if r["label"] not in ("right", "wrong")]
    if unlabelled:
        raise SystemExit(f"error: {len(unlabelled)} sentences have no right/wrong label, e.g. {unlabelled[0]}")

    def share(group: list[dict]) -> float | None:
        return sum(r["label"] == "right" for r in group) / len(group) if group else None

    quotes, own = [r for r in rows if r["quote"]], [r for r in rows if not r["quote"]]
    for r in rows:  # the proxy as it is now (the file keeps the value it had when the sentence was exported)
        r["proxy_right"] = shown_sentence_right(r["sentence"], r["cited"])
    agree = [r["proxy_right"] == (r["label"] == "right") for r in rows]
    wrong = [r for r in rows if r["label"] == "wrong"]
    answers = {r["id"].rsplit("/", 1)[0] for r in rows}
    answers_with_own = {r["id"].rsplit("/", 1)[0] for r in own}
    return {"sentences": len(rows), "answers": len(answers), "right": share(rows), "right_quotes": share(quotes),
            "right_own_wording": share(own), "own_wording_sentences": len(own),
            "answers_with_own_wording": len(answers_with_own) / len(answers) if answers else None,
            "proxy_agreement": sum(agree) / len(agree) if agree else None,
            "proxy_catches_wrong": (sum(not r["proxy_right"] for r in wrong) / len(wrong)) if wrong else None}


def apply(labels_file: Path, runs: dict[str, Path], unlabelled_out: Path | None) -> dict:
    """The share right of the sentences a later run shows for the labelled answers (labels joined by question and
    sentence text), how many of them were never labelled, and how many answers carry the model's own wording."""
    labels = [json.loads(line) for line in labels_file.read_text(encoding="utf-8").splitlines() if line]
    known = {(r["question"], r["sentence"]): r["label"] for r in labels}
    answers = {r["id"].rsplit("/", 1)[0] for r in labels if r["id"].split("/", 1)[0] in runs}
    shown, missing, abstained, with_own = [], [], 0, 0
    for group, rows_file in runs.items():
        rows = {r["id"]: r for r in map(json.loads, rows_file.read_text(encoding="utf-8").splitlines())}
        for answer_id in sorted(a for a in answers if a.split("/", 1)[0] == group):
            row = rows.get(answer_id.split("/", 1)[1])
            if row is None:
                raise SystemExit(f"error: {rows_file} has no row {answer_id}")
            if row["abstained"]:
                abstained += 1
                continue
            texts = {c["marker"]: c.get("text", "") for c in row["citations"]}
            own = False
            for number, sentence in enumerate(row.get("sentences") or [], 1):
                label = known.get((row["question"], sentence["text"]))
                own = own or not is_quote(sentence["text"])
                shown.append(label)
                if label is None:
                    cited = [texts[m] for m in sentence["markers"] if m in texts]
                    missing.append({"id": f"{answer_id}/{number}", "question": row["question"],
                                    "sentence": sentence["text"], "quote": is_quote(sentence["text"]), "cited": cited,
                                    "proxy_right": shown_sentence_right(sentence["text"], cited), "label": "",
                                    "note": ""})
            with_own += own
    if unlabelled_out is not None:
        unlabelled_out.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in missing), encoding="utf-8")
    labelled = [x for x in shown if x is not None]
    answered = len(answers) - abstained
    return {"labelled_answers": len(answers), "now_abstained": abstained, "shown_sentences": len(shown),
            "unlabelled": len(missing), "right_of_labelled": sum(x == "right" for x in labelled) / len(labelled)
            if labelled else None, "answers_with_own_wording": with_own / answered if answered else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export")
    e.add_argument("out", type=Path)
    e.add_argument("rows", type=Path, nargs="+")
    e.add_argument("--per-file", type=int, default=100)
    s = sub.add_parser("score")
    s.add_argument("labels", type=Path)
    a = sub.add_parser("apply")
    a.add_argument("labels", type=Path)
    a.add_argument("runs", nargs="+", help="GROUP=ROWS.jsonl, GROUP as in the label ids (e.g. after12-article)")
    a.add_argument("--unlabelled", type=Path, default=None, help="write the sentences never labelled here")
    args = parser.parse_args()
    if args.command == "apply":
        runs = dict(r.split("=", 1) for r in args.runs)
        print(json.dumps(apply(args.labels, {g: Path(f) for g, f in runs.items()}, args.unlabelled), indent=1))
    elif args.command == "export":
        print(f"{export(args.out, args.rows, args.per_file)} sentences written to {args.out}")
    else:
        print(json.dumps(score(args.labels), indent=1))


if __name__ == "__main__":
    main()
