"""Reader data from SQuAD 2.0: (question, sentence in its context, does it answer?) pairs, split by article."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from index.chunking import split_sentences

SQUAD_V2 = "squad-v2.0-10-articles.json"
# Split by article, never by question: no paragraph is seen in more than one split.
SPLITS: dict[str, tuple[str, ...]] = {
    "train": ("European_Union_law", "Immune_system", "Warsaw", "Force"),
    "calibrate": ("Islamism", "Packet_switching"),
    "heldout": ("1973_oil_crisis", "Harvard_University", "Imperialism", "French_and_Indian_War"),
}
MIN_CANDIDATE_WORDS = 4  # the pipeline quotes no sentence shorter than this (qa.evidence.passage_sentences)


@dataclass(frozen=True)
class Paragraph:
    """One SQuAD paragraph cut into sentences with the pipeline's own splitter."""

    article: str
    index: int
    context: str
    spans: tuple[tuple[int, int], ...]

    @property
    def sentences(self) -> list[str]:
        return [self.context[s:e] for s, e in self.spans]

    def candidate(self, i: int) -> tuple[str, str, str]:
        """(previous, sentence, next) of sentence i ("" at a paragraph edge)."""
        sents = self.sentences
        return (sents[i - 1] if i > 0 else "", sents[i], sents[i + 1] if i + 1 < len(sents) else "")


@dataclass(frozen=True)
class Question:
    """A SQuAD 2.0 question with the sentences of its paragraph that hold its answer (or plausible answer)."""

    qid: str
    text: str
    paragraph: Paragraph
    answerable: bool
    answer_sentences: frozenset[int]  # sentences overlapping an annotated answer span
    plausible_sentences: frozenset[int]  # unanswerable: sentences overlapping a plausible-answer span
    ambiguous_sentences: frozenset[int]  # answerable: other sentences that also contain an answer's text
    answers: tuple[str, ...] = ()  # the annotated answer texts (empty when unanswerable)


@dataclass(frozen=True)
class Pair:
    """One reader example: does `sentence` (between `previous` and `following`) answer `question`?"""

    qid: str
    question: str
    previous: str
    sentence: str
    following: str
    label: int
    kind: str  # answer | plausible | paragraph | retrieved


def _overlapping(spans, start: int, end: int) -> set[int]:
    return {i for i, (s, e) in enumerate(spans) if s < end and start < e}


def load_questions(path: str | Path, articles: tuple[str, ...]) -> list[Question]:
    """Every question of the named articles in a SQuAD 2.0 file, in file order (ValueError when one is absent)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    by_title = {a["title"]: a for a in data["data"]}
    missing = [t for t in articles if t not in by_title]
    if missing:
        raise ValueError(f"{path}: no article {', '.join(missing)}")
    out: list[Question] = []
    for title in articles:
        for p, raw in enumerate(by_title[title]["paragraphs"]):
            context = raw["context"]
            paragraph = Paragraph(title, p, context, tuple(split_sentences(context)))
            for qa in raw["qas"]:
                answerable = not qa.get("is_impossible", False)
                answer, plausible, ambiguous = set(), set(), set()
                for ans in qa["answers"] if answerable else qa.get("plausible_answers", []):
                    start = ans["answer_start"]
                    if context[start:start + len(ans["text"])] != ans["text"]:
                        start = context.find(ans["text"])
                        if start < 0:
                            continue
                    (answer if answerable else plausible).update(
                        _overlapping(paragraph.spans, start, start + len(ans["text"])))
                if answerable:
                    texts = {a["text"].lower() for a in qa["answers"]}
                    ambiguous = {i for i, s in enumerate(paragraph.sentences)
                                 if i not in answer and any(t in s.lower() for t in texts)}
                    if not answer:
                        continue  # no answer located: neither a positive nor a trustworthy negative
                answers = tuple(dict.fromkeys(a["text"] for a in qa["answers"])) if answerable else ()
                out.append(Question(qa["id"], qa["question"].strip(), paragraph, answerable, frozenset(answer),
                                    frozenset(plausible), frozenset(ambiguous), answers))
    return out


def paragraph_pairs(question: Question) -> list[Pair]:
    """Every sentence of the question's own paragraph, labelled by whether it holds an annotated answer."""
    out = []
    for i in range(len(question.paragraph.spans)):
        label = int(i in question.answer_sentences)
        kind = "answer" if label else ("plausible" if i in question.plausible_sentences else "paragraph")
        out.append(Pair(question.qid, question.text, *question.paragraph.candidate(i), label, kind))
    return out


def training_pairs(questions: list[Question], embedder, other_answerable: int = 3,
                   other_unanswerable: int = 2) -> list[Pair]:
    """Pairs of the own paragraph (answer sentences positive, the rest negative; sentences that merely repeat an
    answer's text left out as ambiguous) plus the highest-cosine sentences of OTHER paragraphs of the same
    article as retrieval-style negatives (those containing an answer's text skipped)."""
    import numpy as np

    paragraphs = {(q.paragraph.article, q.paragraph.index): q.paragraph for q in questions}
    by_article: dict[str, list[tuple[Paragraph, int]]] = {}
    for (article, _), paragraph in paragraphs.items():
        by_article.setdefault(article, []).extend((paragraph, i) for i in range(len(paragraph.spans)))
    sentence_vectors = {}
    for article, sents in by_article.items():
        sentence_vectors[article] = embedder.embed([p.sentences[i] for p, i in sents])
    question_vectors = embedder.embed([q.text for q in questions])
    out: list[Pair] = []
    for q, qv in zip(questions, question_vectors):
        out.extend(p for i, p in enumerate(paragraph_pairs(q)) if i not in q.ambiguous_sentences)
        sents = by_article[q.paragraph.article]
        order = np.argsort(-(sentence_vectors[q.paragraph.article] @ qv))
        wanted = other_answerable if q.answerable else other_unanswerable
        texts = [a.lower() for a in q.answers]
        for j in order:
            if wanted == 0:
                break
            paragraph, i = sents[j]
            sentence = paragraph.sentences[i]
            if paragraph.index == q.paragraph.index or any(t in sentence.lower() for t in texts):
                continue
            out.append(Pair(q.qid, q.text, *paragraph.candidate(i), 0, "retrieved"))
            wanted -= 1
    return out


def cap_pairs(pairs: list[Pair], max_pairs: int, seed: int) -> list[Pair]:
    """At most max_pairs pairs: every positive and plausible-answer sentence kept, the other negatives sampled
    uniformly (seeded); the original order is kept."""
    keep = [i for i, p in enumerate(pairs) if p.label or p.kind == "plausible"]
    rest = [i for i, p in enumerate(pairs) if not (p.label or p.kind == "plausible")]
    room = max(0, max_pairs - len(keep))
    if room < len(rest):
        rest = random.Random(seed).sample(rest, room)
    return [pairs[i] for i in sorted(keep + rest)]


def counts(pairs: list[Pair]) -> dict:
    """Pairs by kind and label, and the questions they come from."""
    out: dict = {"pairs": len(pairs), "positive": sum(p.label for p in pairs),
                 "questions": len({p.qid for p in pairs})}
    for p in pairs:
        out[p.kind] = out.get(p.kind, 0) + 1
    return out
