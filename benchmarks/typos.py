"""Misspelt questions: how many a user still gets right with one typo, with and without respelling (qa.spelling).

The questions of a gold file that the product answers right as written (the evaluation's containment: a reference
in the answer; no follow-ups) each get one typo in their longest word of 6+ letters (a letter dropped, two swapped
or one doubled; seeded), and are asked again three ways through the product's Assistant: without respelling, with
the passages' words only, and as shipped (the passages' words, else every document's).
Usage (from the repository root):
    python -m benchmarks.typos GOLD.jsonl --corpus DIR [--n 60] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import re

import qa.assistant as assistant_module
from index.settings import Settings
from qa.evaluation.gold import load_jsonl
from qa.evaluation.metrics import containment


def misspelt(question: str, rng: random.Random) -> str | None:
    """The question with one typo in its longest word of six or more letters; None if it has none."""
    words = [w for w in re.findall(r"[A-Za-z]+", question) if len(w) >= 6]
    if not words:
        return None
    word = max(words, key=len)
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "swap", "double"])
    typo = {"drop": word[:i] + word[i + 1:], "swap": word[:i] + word[i + 1] + word[i] + word[i + 2:],
            "double": word[:i] + word[i] + word[i:]}[kind]
    return question.replace(word, typo, 1) if typo != word else None


def right(answer, references) -> bool:
    """Whether an answer holds one of the references (the evaluation's containment), not abstaining."""
    return not answer.abstained and containment(answer.text, references) >= 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from qa import Assistant

    shipped = assistant_module.respelled
    modes = {"no respelling": lambda q, texts, known, corpus_words=None: q,
             "passages' words": lambda q, texts, known, corpus_words=None: shipped(q, texts, known),
             "shipped": shipped}
    assistant = Assistant.from_corpus(args.corpus, Settings.from_env(), show_progress=False)
    items = [g for g in load_jsonl(args.gold) if g.answerable and not g.history]
    rng = random.Random(args.seed)
    rng.shuffle(items)
    asked = []
    for gold in items:
        typo = misspelt(gold.question, rng)
        if typo and right(assistant.ask(gold.question), gold.answers):
            asked.append((gold, typo))
        if len(asked) >= args.n:
            break
    for name, respell in modes.items():
        assistant_module.respelled = respell
        got = sum(right(assistant.ask(typo), gold.answers) for gold, typo in asked)
        print(f"{name}: {got} of {len(asked)} misspelt questions answered right")
    assistant_module.respelled = shipped


if __name__ == "__main__":
    main()
