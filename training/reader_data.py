"""SQuAD 2.0 questions as token windows for span-reader training: tokenised once, a window drawn per question."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

# Articles of the SQuAD 2.0 development file (docs/EVALUATION.md): calibrate the null-score margin on the first
# group, report on the second. None of them is in the training file. Since session 18 the calibrate group also holds
# the four articles the old sentence reader was trained on (deleted with it): 6 articles, 2,499 questions.
CALIBRATE_ARTICLES = ("Islamism", "Packet_switching", "European_Union_law", "Immune_system", "Warsaw", "Force")
HELDOUT_ARTICLES = ("1973_oil_crisis", "Harvard_University", "Imperialism", "French_and_Indian_War")


@dataclass(frozen=True)
class Question:
    """One SQuAD question, lower-cased, with its paragraph index and its (possibly plausible) answer span."""

    qid: str
    article: str
    paragraph: int
    question: str
    impossible: bool
    answer_start: int  # character offsets into the paragraph; -1 when there is no span at all
    answer_end: int


def load_questions(path: Path, articles: tuple[str, ...] | None = None) -> tuple[list[str], list[Question]]:
    """(paragraph texts, questions) of a SQuAD v2.0 file, optionally only the named articles."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "data" not in data:
        raise ValueError(f"{path} is not a SQuAD JSON file (no top-level 'data')")
    contexts: list[str] = []
    questions: list[Question] = []
    for article in data["data"]:
        if articles is not None and article["title"] not in articles:
            continue
        for paragraph in article["paragraphs"]:
            contexts.append(paragraph["context"])
            for qa in paragraph["qas"]:
                impossible = bool(qa.get("is_impossible", False))
                spans = qa.get("plausible_answers" if impossible else "answers") or []
                start = spans[0]["answer_start"] if spans else -1
                end = start + len(spans[0]["text"]) if spans else -1
                questions.append(Question(qa["id"], article["title"], len(contexts) - 1,
                                          " ".join(qa["question"].lower().split()), impossible, start, end))
    return contexts, questions


@dataclass(frozen=True)
class Tokenised:
    """Token ids of every paragraph (with character offsets) and every question."""

    context_ids: list[list[int]]
    context_offsets: list[list[tuple[int, int]]]
    question_ids: list[list[int]]


def tokenise(tokenizer, contexts: list[str], questions: list[Question], max_question_tokens: int = 48) -> Tokenised:
    """Tokenise paragraphs and questions once (windows are cut from the token lists, so nothing is re-tokenised)."""
    ctx = tokenizer(contexts, add_special_tokens=False, return_offsets_mapping=True)
    qs = tokenizer([q.question for q in questions], add_special_tokens=False)
    return Tokenised(ctx["input_ids"], [list(map(tuple, o)) for o in ctx["offset_mapping"]],
                     [ids[:max_question_tokens] for ids in qs["input_ids"]])


def answer_tokens(offsets: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """First and last token index covering the character span [start, end), or None if no token does."""
    first = next((i for i, (a, b) in enumerate(offsets) if b > start), None)
    last = next((i for i in range(len(offsets) - 1, -1, -1) if offsets[i][0] < end), None)
    if first is None or last is None or last < first:
        return None
    return first, last


def sample_window(question: Question, tok: Tokenised, index: int, max_seq_len: int, rng: random.Random,
                  negative_window_rate: float, cls_id: int, sep_id: int) -> tuple[list[int], int, int, int]:
    """(input ids, index where the context starts, start label, end label) for one question.

    Answerable: a window holding the answer at a random place (label: its tokens), or, with probability
    `negative_window_rate` where the paragraph leaves room, a window beside it (label: [CLS], position 0).
    Unanswerable: a window around the plausible (tempting) answer, label [CLS].
    """
    q_ids = tok.question_ids[index]
    c_ids = tok.context_ids[question.paragraph]
    offsets = tok.context_offsets[question.paragraph]
    budget = max_seq_len - len(q_ids) - 3
    if budget < 16:
        raise ValueError(f"max_seq_len {max_seq_len} leaves no room for the context of question {question.qid}")
    n = len(c_ids)
    span = answer_tokens(offsets, question.answer_start, question.answer_end) if question.answer_start >= 0 else None
    label = None
    if span is None or span[1] - span[0] + 1 > budget:
        begin = rng.randint(0, max(0, n - budget))
    else:
        first, last = span
        lo, hi = max(0, last - budget + 1), min(first, max(0, n - budget))
        begin = rng.randint(lo, max(lo, hi))
        if not question.impossible:
            room_before, room_after = first >= budget // 2, n - last - 1 >= budget // 2
            if (room_before or room_after) and rng.random() < negative_window_rate:
                if room_before and (not room_after or rng.random() < 0.5):
                    begin = rng.randint(max(0, first - budget), first - budget // 2)
                    end_ = min(begin + budget, first)
                    window = c_ids[begin:end_]
                else:
                    begin = rng.randint(last + 1, max(last + 1, n - budget // 2))
                    window = c_ids[begin:begin + budget]
                ids = [cls_id, *q_ids, sep_id, *window, sep_id]
                return ids, len(q_ids) + 2, 0, 0
            label = (first - begin, last - begin)
    window = c_ids[begin:begin + budget]
    ids = [cls_id, *q_ids, sep_id, *window, sep_id]
    offset = len(q_ids) + 2
    if label is None:
        return ids, offset, 0, 0
    return ids, offset, label[0] + offset, label[1] + offset


_WORD = re.compile(r"[a-z0-9]{3,}")


def paragraph_words(contexts: list[str]) -> list[frozenset[str]]:
    """The lower-cased words (3 characters or more) of every paragraph, for picking hard negatives."""
    return [frozenset(_WORD.findall(c.lower())) for c in contexts]


def paragraphs_by_article(questions: list[Question]) -> dict[str, list[int]]:
    """The paragraph indices of each article that has questions, in file order."""
    found: dict[str, dict[int, None]] = {}
    for q in questions:
        found.setdefault(q.article, {})[q.paragraph] = None
    return {article: list(paragraphs) for article, paragraphs in found.items()}


def hard_negative(question: Question, siblings: list[int], words: list[frozenset[str]],
                  rng: random.Random) -> int | None:
    """Another paragraph of the question's article, the one sharing most words with the question (ties broken by
    `rng`): what retrieval would bring beside the right paragraph. None when the article has no other paragraph."""
    asked = frozenset(_WORD.findall(question.question))
    others = [i for i in siblings if i != question.paragraph]
    if not others:
        return None
    best = max(len(asked & words[i]) for i in others)
    return rng.choice([i for i in others if len(asked & words[i]) == best])


def negative_window(q_ids: list[int], c_ids: list[int], max_seq_len: int, rng: random.Random, cls_id: int,
                    sep_id: int) -> tuple[list[int], int, int, int]:
    """A random window of a paragraph that does not answer the question, labelled "no answer" ([CLS])."""
    budget = max_seq_len - len(q_ids) - 3
    begin = rng.randint(0, max(0, len(c_ids) - budget))
    return [cls_id, *q_ids, sep_id, *c_ids[begin:begin + budget], sep_id], len(q_ids) + 2, 0, 0


def epoch_order(n_questions: int, impossible: list[bool], seed: int, epoch: int, impossible_repeat: int) -> list[int]:
    """The questions of one epoch in training order: every question once, unanswerable ones `impossible_repeat`
    times (they are a sixth of the data and the harder half of the task), shuffled by (seed, epoch)."""
    order = [i for i in range(n_questions) for _ in range(impossible_repeat if impossible[i] else 1)]
    random.Random(seed * 1_000_003 + epoch).shuffle(order)
    return order
