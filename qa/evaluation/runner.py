"""Running the assistant over a gold set (conversations answered turn by turn) and scoring every answer."""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import time
from dataclasses import asdict
from pathlib import Path

from qa.evaluation import metrics as m
from qa.evaluation.gold import GoldError, GoldItem, is_squad, load_jsonl, locate_evidence

log = logging.getLogger(__name__)


def token_counter(assistant) -> tuple:
    """(count function, its name): the generator's own tokenizer when it exposes one, else whitespace words."""
    load = getattr(assistant.generator, "load", None)
    if callable(load):
        load()  # so that loading the model is not charged to the first question's latency
    tokenizer = getattr(assistant.generator, "tokenizer", None)
    if tokenizer is not None and callable(getattr(tokenizer, "encode", None)):
        return (lambda text: len(tokenizer.encode(text, add_special_tokens=False))), "tokenizer"
    return m.count_tokens, "whitespace"


def timed_ask(assistant, question: str, history: list[tuple[str, str]], top_k: int | None,
              count=m.count_tokens) -> tuple:
    """(Answer, timing) for one question: wall-clock first piece and total, streamed text tokens."""
    from qa.events import Completed, TextDelta

    started = time.perf_counter()
    first, pieces, answer = None, [], None
    for event in assistant.ask_stream(question, history=history, top_k=top_k):
        if isinstance(event, Completed):
            answer = event.answer
        elif isinstance(event, TextDelta) and event.text:
            first = first if first is not None else time.perf_counter() - started
            pieces.append(event.text)
    total = time.perf_counter() - started
    if answer is None:
        raise RuntimeError("answer stream ended without an Answer")
    if "retrieval_s" in answer.timings:  # an Assistant's answer says whether its generator ran
        generated = answer.timings.get("generation_s", 0.0) > 0
    else:
        generated = "first_token_s" in answer.timings or not answer.abstained
    tokens = count("".join(pieces)) if generated else 0
    return answer, {"first_token_s": first if first is not None else total, "total_s": total,
                    "tokens": tokens, "generated": generated}


def score_item(item: GoldItem, answer, timing: dict, k: int) -> dict:
    """Every metric of one answer against its gold item, plus the names of the checks it failed."""
    passages = list(answer.passages)
    scores: dict = {}
    failed: list[str] = []
    if item.answerable:
        scores["em"] = m.exact_match(answer.text, item.answers)
        scores["f1"] = m.token_f1(answer.text, item.answers)
        scores["containment"] = m.containment(answer.text, item.answers)
        short = getattr(answer, "short_answer", None)
        shown = getattr(short, "shown", getattr(short, "text", ""))  # "Yes" for a yes/no verdict, else the span
        scores["short_em"] = m.exact_match(shown, item.answers) if short else 0.0
        scores["short_f1"] = m.token_f1(shown, item.answers) if short else 0.0
        scores["hit@1"] = m.hit_at_k(passages, item.evidence, 1)
        scores[f"hit@{k}"] = m.hit_at_k(passages, item.evidence, k)
        scores[f"recall@{k}"] = m.recall_at_k(passages, item.evidence, k)
        scores["mrr"] = m.reciprocal_rank(passages, item.evidence)
        scores["wrongly_abstained"] = float(answer.abstained)
        if not answer.abstained:  # an answer citing nothing scores 0 (it grounds nothing)
            scores["citation_precision"] = m.citation_precision(answer.citations, item.evidence) or 0.0
            scores["citation_recall"] = m.citation_recall(answer.citations, item.evidence) or 0.0
        failed += [name for name in ("containment", f"hit@{k}") if scores[name] == 0]
        failed += [name for name in ("citation_precision", "citation_recall") if scores.get(name, 1.0) < 1]
        if answer.abstained:
            failed.append("wrongly abstained")
    else:
        scores["abstained"] = float(answer.abstained)
        if not answer.abstained:
            failed.append("did not abstain")
    if not answer.abstained:
        scores["faithfulness"] = m.faithfulness(answer.sentences, passages) or 0.0
        if scores["faithfulness"] < 1:
            failed.append("faithfulness")
        shown = [sentence_row(s, passages) for s in answer.sentences]
        if shown:
            scores["shown_right_proxy"] = sum(s["right_proxy"] for s in shown) / len(shown)
            scores["model_wording"] = float(any(s["origin"] == "model" for s in shown))
            if scores["shown_right_proxy"] < 1:
                failed.append("shown_right_proxy")
    return {
        "id": item.id, "question": item.question, "history": list(item.history), "answerable": item.answerable,
        "references": list(item.answers), "answer": answer.text, "abstained": answer.abstained,
        "short_answer": answer.short_answer.text if getattr(answer, "short_answer", None) else None,
        "verdict": getattr(answer.short_answer, "verdict", "") or None if getattr(answer, "short_answer", None) else None,
        "citations": [{"marker": c.marker, "source": c.source, "start": c.start, "end": c.end,
                       "score": round(float(c.score), 4), "text": c.text} for c in answer.citations],
        "passages": [{"source": p.source, "start": p.start, "end": p.end, "score": round(float(p.score), 4)}
                     for p in passages],
        "sentences": [sentence_row(s, passages) for s in (answer.sentences if not answer.abstained else [])],
        "first_hit_rank": m.first_hit_rank(passages, item.evidence) if item.evidence else None,
        "scores": scores, "failed": failed, "timing": timing, "assistant_timings": dict(answer.timings),
    }


def sentence_row(sentence, passages: list) -> dict:
    """One shown sentence with its markers and both checks: word overlap (as the pipeline's verifier) and the
    independent ordered-words proxy."""
    cited = [passages[i - 1].text for i in sentence.markers if 1 <= i <= len(passages)]
    return {"text": sentence.text, "markers": list(sentence.markers), "quote": m.is_quote(sentence.text),
            "origin": getattr(sentence, "origin", "quote"),
            "supported": m.sentence_supported(sentence.text, cited),
            "right_proxy": m.shown_sentence_right(sentence.text, cited)}


def error_row(item: GoldItem, error: BaseException) -> dict:
    """The row of a question whose answering raised: every check failed, the error recorded."""
    return {"id": item.id, "question": item.question, "history": list(item.history), "answerable": item.answerable,
            "references": list(item.answers), "answer": "", "abstained": False, "citations": [], "passages": [],
            "first_hit_rank": None, "scores": {}, "failed": ["error"], "timing": {},
            "error": f"{type(error).__name__}: {error}"}


def run_items(assistant, items: list[GoldItem], *, top_k: int | None = None, progress: bool = True,
              count=m.count_tokens, on_row=None) -> list[dict]:
    """Answer and score every item; earlier turns of a conversation are answered first and fed back as history.

    `on_row(row)` is called as each question is scored (the CLI appends it to OUT/rows.jsonl as it goes).
    """
    from tqdm import tqdm

    k = top_k or assistant.settings.top_k
    cache: dict[tuple, tuple] = {}

    def ask(history: tuple[str, ...], question: str) -> tuple:
        key = (history, question)
        if key not in cache:
            pairs = [(q, ask(history[:i], q)[0].text) for i, q in enumerate(history)]
            cache[key] = timed_ask(assistant, question, pairs, top_k, count)
        return cache[key]

    rows = []
    for item in tqdm(items, desc="eval", unit="q", disable=not progress, dynamic_ncols=True, mininterval=1.0):
        try:
            answer, timing = ask(item.history, item.question)
            rows.append(score_item(item, answer, timing, k))
        except Exception as exc:  # one failing question must not lose a long run; it is reported as an error
            log.warning("%s: %s", item.id, exc)
            rows.append(error_row(item, exc))
        if on_row is not None:
            on_row(rows[-1])
    return rows


def questions_asked(items: list[GoldItem]) -> int:
    """How many questions the assistant answers for these items, earlier conversation turns included."""
    keys = {(item.history, item.question) for item in items}
    keys |= {(item.history[:i], q) for item in items for i, q in enumerate(item.history)}
    return len(keys)


def git_commit(path: Path = Path(".")) -> str:
    """The checked-out commit hash, with '+dirty' when tracked files under qa/ or index/ are modified."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "qa", "index"],
                               cwd=path, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + ("+dirty" if dirty else "")


def load_gold(gold_file: str | Path, corpus: str | Path | None, out_dir: Path, assistant=None,
              articles: list[str] | None = None):
    """(items, corpus_dir) for a JSON Lines or SQuAD gold file (only `articles`, for SQuAD); evidence located."""
    from index.documents import load_corpus

    if is_squad(gold_file):
        from qa.evaluation.squad import load_squad, write_corpus

        documents, items = load_squad(gold_file, articles)
        corpus_dir = write_corpus(documents, corpus or out_dir / "squad-corpus") if assistant is None else corpus
        return items, corpus_dir
    items = load_jsonl(gold_file)
    corpus_dir = Path(corpus or "corpus")
    if assistant is not None:
        documents = {s: d.text for s, d in assistant.store.documents.items()}
    else:
        documents = {d.source: d.text for d in load_corpus(corpus_dir)}
    return locate_evidence(items, documents, gold_file), corpus_dir


def evaluate(gold_file: str | Path, corpus: str | Path | None = None, *, limit: int | None = None,
             sample: int | None = None, seed: int = 0, out_dir: str | Path = "eval-out", top_k: int | None = None,
             settings=None, assistant=None, progress: bool = True, write: bool = True,
             articles: list[str] | None = None) -> dict:
    """Evaluate the assistant on a gold file and (unless write=False) write report.json/.md and plots to out_dir."""
    from qa.evaluation.report import build_report, write_report
    from qa.evaluation.squad import sample as take_sample

    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    started = time.perf_counter()
    started_at, commit = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), git_commit()
    out_dir = Path(out_dir)
    if articles and not is_squad(gold_file):
        raise GoldError(f"{gold_file}: articles select SQuAD articles, but this is not a SQuAD JSON file")
    items, corpus_dir = load_gold(gold_file, corpus, out_dir, assistant, articles)
    items = take_sample(items, sample, seed)[:limit]
    if assistant is None:
        from qa import Assistant, Settings

        assistant = Assistant.from_corpus(corpus_dir, settings or Settings.from_env(), show_progress=progress)
    count, count_name = token_counter(assistant)
    load_s = time.perf_counter() - started
    if write:
        out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "rows.jsonl", "w", encoding="utf-8") if write else contextlib.nullcontext() as partial:
        def keep(row: dict) -> None:  # rows of an interrupted run survive in rows.jsonl
            partial.write(json.dumps(row, ensure_ascii=False) + "\n")
            partial.flush()

        rows = run_items(assistant, items, top_k=top_k, progress=progress, count=count,
                         on_row=keep if write else None)
    meta = {"gold_file": str(gold_file), "corpus": str(corpus_dir), "articles": articles, "limit": limit,
            "sample": sample, "seed": seed,
            "top_k": top_k or assistant.settings.top_k, "commit": commit,
            "questions_asked": questions_asked(items), "token_count": count_name,
            "settings": {k: str(v) for k, v in asdict(assistant.settings).items()},
            "generator": getattr(assistant.generator, "model_id", "?"),
            "embedder": getattr(assistant.embedder, "model_id", "?"),
            "started_at": started_at,
            "load_s": round(load_s, 2), "run_s": round(time.perf_counter() - started, 2)}
    report = build_report(rows, meta)
    if write:
        report["files"] = [str(p) for p in write_report(report, out_dir)]
    return report
