"""Reader evaluation next to the evidence score: pair and question ROC AUC, top-sentence accuracy, thresholds."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from index.settings import Settings
from qa.reader_data import Question
from qa.text import words

ScoreMany = Callable[[list[tuple[str, tuple[str, str, str]]]], np.ndarray]  # (question, candidate) -> P


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the ROC curve (Mann-Whitney U, ties count half); ValueError without both classes."""
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels, dtype=bool)
    positives, negatives = int(labels.sum()), int((~labels).sum())
    if positives == 0 or negatives == 0:
        raise ValueError("ROC AUC needs at least one positive and one negative")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):  # average ranks over ties
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def candidates_of(question: Question) -> list[int]:
    """The sentences of a question's paragraph the pipeline would consider (at least 4 words)."""
    return [i for i, s in enumerate(question.paragraph.sentences) if len(words(s)) >= 4]


def evidence_scores(questions: list[Question], embedder,
                    lexical_weight: float = Settings.lexical_weight) -> list[np.ndarray]:
    """Today's evidence score (qa.evidence.score_sentences: best cosine of sentence or its window, plus
    lexical_weight x question-word coverage) of each question's candidate sentences."""
    from qa.evidence import Evidence, score_sentences

    texts: dict[str, int] = {}

    def slot(text: str) -> int:
        return texts.setdefault(text, len(texts))

    plan = []
    for q in questions:
        spans, context = q.paragraph.spans, q.paragraph.context
        rows = []
        for i in candidates_of(q):
            first, last = spans[max(i - 1, 0)], spans[min(i + 1, len(spans) - 1)]
            rows.append((i, slot(context[spans[i][0]:spans[i][1]]), slot(context[first[0]:last[1]])))
        plan.append((slot(q.text), rows))
    vectors = embedder.embed(list(texts))
    out = []
    for q, (qslot, rows) in zip(questions, plan):
        spans = q.paragraph.spans
        sentences = [Evidence(1, q.paragraph.context[spans[i][0]:spans[i][1]], "p", spans[i][0], spans[i][1], 0.0)
                     for i, _, _ in rows]
        scored = score_sentences(q.text, sentences, vectors[qslot], vectors[[s for _, s, _ in rows]],
                                 lexical_weight, window_vectors=vectors[[w for _, _, w in rows]])
        by_start = {ev.start: ev.score for ev in scored}
        out.append(np.array([by_start[spans[i][0]] for i, _, _ in rows], dtype=np.float64))
    return out


def reader_scores(questions: list[Question], score_many: ScoreMany) -> list[np.ndarray]:
    """The reader's probability for each question's candidate sentences (one batched call)."""
    flat = [(q.text, q.paragraph.candidate(i)) for q in questions for i in candidates_of(q)]
    probs = score_many(flat)
    out, at = [], 0
    for q in questions:
        n = len(candidates_of(q))
        out.append(np.asarray(probs[at:at + n], dtype=np.float64))
        at += n
    return out


def question_metrics(questions: list[Question], scores: list[np.ndarray]) -> dict:
    """Pair AUC (sentence answers?), question AUC of the max score (answerable vs not), top-sentence accuracy."""
    pair_scores, pair_labels, maxima, answerable, top_hits = [], [], [], [], []
    for q, s in zip(questions, scores):
        if len(s) == 0:
            continue
        idx = candidates_of(q)
        pair_scores.extend(s)
        pair_labels.extend(int(i in q.answer_sentences) for i in idx)
        maxima.append(float(s.max()))
        answerable.append(int(q.answerable))
        if q.answerable:
            top_hits.append(idx[int(np.argmax(s))] in q.answer_sentences)
    return {"questions": len(maxima), "answerable": int(sum(answerable)), "pairs": len(pair_scores),
            "pair_auc": round(roc_auc(pair_scores, pair_labels), 4),
            "question_auc": round(roc_auc(maxima, answerable), 4),
            "top_sentence_accuracy": round(float(np.mean(top_hits)), 4)}


def blend_table(questions: list[Question], reader: list[np.ndarray], evidence: list[np.ndarray],
                weights: Sequence[float] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)) -> list[dict]:
    """question_metrics of weight x reader + (1 - weight) x evidence score, for each weight (the pipeline's
    ranking with `reader_weight`): chosen on the calibrate articles, reported on the held-out ones."""
    return [{"reader_weight": w, **question_metrics(questions, [w * r + (1 - w) * e for r, e in zip(reader, evidence)])}
            for w in weights]


def thresholds(questions: list[Question], scores: list[np.ndarray],
               wrong_abstain: Sequence[float] = (0.05, 0.10)) -> list[dict]:
    """For each allowed share of answerable questions wrongly abstained on: the highest max-score threshold that
    keeps within it (abstain when max < threshold), and the share of unanswerable questions it abstains on."""
    maxima = np.array([float(s.max()) for s in scores if len(s)])
    answerable = np.array([q.answerable for q, s in zip(questions, scores) if len(s)])
    pos, neg = np.sort(maxima[answerable]), maxima[~answerable]
    out = []
    for share in wrong_abstain:
        allowed = int(np.floor(share * len(pos)))  # answerable questions that may fall below the threshold
        threshold = float(pos[allowed]) if allowed < len(pos) else float(pos[-1])
        out.append({"max_wrong_abstain": share, "threshold": round(threshold, 4),
                    "answerable_abstained": round(float(np.mean(pos < threshold)), 4),
                    "unanswerable_abstained": round(float(np.mean(neg < threshold)), 4)})
    return out


def compare(questions: list[Question], reader: list[np.ndarray], evidence: list[np.ndarray], *,
            with_thresholds: bool = False) -> dict:
    """Reader and evidence-score figures on the same questions and candidate sentences."""
    out = {"reader": question_metrics(questions, reader), "evidence_score": question_metrics(questions, evidence)}
    if with_thresholds:
        out["reader"]["thresholds"] = thresholds(questions, reader)
        out["evidence_score"]["thresholds"] = thresholds(questions, evidence)
    return out


def retrieval_comparison(questions: list[Question], reader, work_dir, progress: bool = True, *,
                         embedder=None, generator=None) -> dict:
    """Reader vs evidence score over the sentences of the passages the pipeline retrieves (Assistant.retrieve,
    default settings) from a corpus of the questions' articles: one text file per article, paragraphs
    separated by blank lines. The evidence score is the pipeline's (select_evidence's ranking)."""
    from pathlib import Path

    from tqdm import tqdm

    from qa import Assistant
    from qa.evidence import neighbours, passage_sentences, score_sentences, window

    work_dir = Path(work_dir)
    corpus, offsets = work_dir / "corpus", {}
    corpus.mkdir(parents=True, exist_ok=True)
    for article in dict.fromkeys(q.paragraph.article for q in questions):
        paragraphs = {q.paragraph.index: q.paragraph for q in questions if q.paragraph.article == article}
        text = article.replace("_", " ")
        for index in sorted(paragraphs):
            text += "\n\n"
            offsets[(article, index)] = (f"{article}.txt", len(text))
            text += paragraphs[index].context
        (corpus / f"{article}.txt").write_text(text + "\n", encoding="utf-8")
    assistant = Assistant.from_corpus(corpus, Settings.from_env(data_dir=work_dir / "qa-data"), embedder=embedder,
                                      generator=generator, show_progress=False)  # the generator never runs
    reader_out, evidence_out, gold = [], [], []
    for q in tqdm(questions, desc="retrieval eval", unit="q", disable=not progress, mininterval=2.0):
        passages = assistant.retrieve(q.text)
        sentences = passage_sentences(passages)
        source, offset = offsets[(q.paragraph.article, q.paragraph.index)]
        spans = [(offset + s, offset + e) for i, (s, e) in enumerate(q.paragraph.spans) if i in q.answer_sentences]
        gold.append([any(ev.source == source and ev.start < e and s < ev.end for s, e in spans) for ev in sentences])
        candidates = []
        for ev in sentences:
            before, after = neighbours(ev, passages)
            candidates.append((before.text if before else "", ev.text, after.text if after else ""))
        reader_out.append(reader.score(q.text, candidates) if candidates else np.zeros(0))
        vectors = assistant.query_embedder.embed([q.text] + [s.text for s in sentences] +
                                                 [window(s, passages).text for s in sentences])
        n = len(sentences)
        scored = score_sentences(q.text, sentences, vectors[0], vectors[1:n + 1], assistant.settings.lexical_weight,
                                 window_vectors=vectors[n + 1:])
        by_start = {(ev.source, ev.start): ev.score for ev in scored}
        evidence_out.append(np.array([by_start[(ev.source, ev.start)] for ev in sentences]))
    out = {}
    for name, scores in (("reader", reader_out), ("evidence_score", evidence_out)):
        kept = [(q, s, g) for q, s, g in zip(questions, scores, gold) if len(s)]
        maxima = [float(s.max()) for _, s, _ in kept]
        hits = [g[int(np.argmax(s))] for q, s, g in kept if q.answerable]
        retrieved = [any(g) for q, _, g in kept if q.answerable]
        auc = roc_auc(maxima, [q.answerable for q, _, _ in kept])
        out[name] = {"questions": len(kept), "question_auc": round(auc, 4),
                     "top_sentence_accuracy": round(float(np.mean(hits)), 4),
                     "answer_sentence_retrieved": round(float(np.mean(retrieved)), 4)}
    return out


def main(argv=None) -> int:
    """`python -m qa.reader_eval`: measure the shipped (or given) reader weights; print JSON."""
    import argparse
    import json
    import tempfile
    from pathlib import Path

    from index.errors import run_command

    parser = argparse.ArgumentParser(prog="python -m qa.reader_eval", description=__doc__)
    parser.add_argument("--weights", type=Path, default=None, help="weights directory (default: the shipped one)")
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--split", choices=("heldout", "calibrate"), default="heldout")
    parser.add_argument("--retrieval", action="store_true",
                        help="also compare over the passages the pipeline retrieves (slow: ~20 sentences a question)")
    parser.add_argument("--retrieval-sample", type=int, default=400,
                        help="seeded sample of questions for --retrieval (0: all)")
    parser.add_argument("--skip-paragraph", action="store_true", help="only the --retrieval comparison")
    parser.add_argument("--blend", action="store_true",
                        help="also the figures of weight x reader + (1 - weight) x evidence score, weights 0-1")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON report here")
    args = parser.parse_args(argv)

    def run() -> int:
        import torch

        from index.embedding import SentenceTransformerEmbedder
        from qa.reader import Reader
        from qa.evaluation.squad import sample
        from qa.reader_data import SPLITS, SQUAD_V2, load_questions

        torch.set_num_threads(2)
        reader = Reader(args.weights).load()
        questions = load_questions(args.data_dir / SQUAD_V2, SPLITS[args.split])

        report: dict = {"split": args.split, "weights_sha256": reader.manifest["weights_sha256"]}
        if not args.skip_paragraph:
            embedder = SentenceTransformerEmbedder("all-MiniLM-L6-v2", dtype="float32")
            reader_out, evidence_out = reader_scores(questions, reader.score_batch), evidence_scores(questions, embedder)
            report["paragraph"] = compare(questions, reader_out, evidence_out, with_thresholds=args.split == "calibrate")
            if args.blend:
                report["paragraph"]["blend"] = blend_table(questions, reader_out, evidence_out)
        if args.retrieval:
            chosen = sample(questions, args.retrieval_sample or None, seed=0)
            with tempfile.TemporaryDirectory() as tmp:
                report["retrieved_passages"] = {"questions_sampled": len(chosen), "seed": 0,
                                                **retrieval_comparison(chosen, reader, tmp)}
        text = json.dumps(report, indent=2)
        print(text)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
        return 0

    return run_command(run)


if __name__ == "__main__":
    raise SystemExit(main())
