"""SQuAD JSON (v1.1, or v2.0 with unanswerable questions) as a gold set: contexts become a corpus, answers the references."""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

from qa.evaluation.gold import GoldQuote, GoldError, GoldItem


def _article_file(number: int, title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:60] or "article"
    return f"{number:02d}-{slug}.txt"


def _sentence_span(context: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) of a paragraph that hold the answer characters [start, end)."""
    from index.chunking import split_sentences

    spans = [s for s in split_sentences(context) if s[1] > start and s[0] < end]
    return (spans[0][0], spans[-1][1]) if spans else (start, end)


def calibration_split(question_id: str) -> bool:
    """SQuAD questions reserved for calibrating thresholds (id hash = 0 mod 5, about 20%).

    They are never evaluated, so reported SQuAD figures come from questions no threshold was tuned on
    (`python -m benchmarks.calibrate_abstention` uses exactly these).
    """
    return int(hashlib.sha1(question_id.encode()).hexdigest(), 16) % 5 == 0


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: malformed JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise GoldError(f"{path}: not SQuAD JSON (expected an object with a 'data' list)")
    return data


def load_squad(path: str | Path, articles: list[str] | None = None) -> tuple[dict[str, str], list[GoldItem]]:
    """Documents (file name -> text, one per article) and every question as a GoldItem with located evidence.

    Each article becomes `NN-Title.txt`: the title on the first line, then its paragraphs separated by blank
    lines. The evidence of a question is the sentence of its paragraph holding each distinct gold answer.
    SQuAD 2.0 questions marked `is_impossible` become unanswerable items. `articles` keeps only the articles
    with these titles (as in the file, e.g. `Harvard_University`); an unknown title is a GoldError.
    """
    path = Path(path)
    data = _read(path)
    documents: dict[str, str] = {}
    items: list[GoldItem] = []
    errors: list[str] = []
    titles = [str(article.get("title", "")) for article in data["data"]]
    unknown = sorted(set(articles or []) - set(titles))
    if unknown:
        raise GoldError(f"{path}: no article titled {', '.join(unknown)} (titles: {', '.join(titles)})")
    for a, article in enumerate(data["data"]):
        if articles and titles[a] not in articles:
            continue
        title = str(article.get("title", f"article {a}")).replace("_", " ")
        source = _article_file(a, title)
        text = title
        for p, paragraph in enumerate(article.get("paragraphs", [])):
            where = f"data[{a}].paragraphs[{p}]"
            context = paragraph.get("context")
            if not isinstance(context, str) or not context.strip():
                errors.append(f"{where}: missing 'context'")
                continue
            text += "\n\n"
            offset = len(text)
            text += context
            for q, qa in enumerate(paragraph.get("qas", [])):
                qwhere = f"{where}.qas[{q}] ({qa.get('id', '?')})"
                question, answers = qa.get("question"), qa.get("answers")
                if qa.get("is_impossible") is True and isinstance(question, str) and question.strip():
                    if not calibration_split(str(qa.get("id", ""))):
                        items.append(GoldItem(str(qa.get("id", f"{a}-{p}-{q}")), question.strip(),
                                              ("The documents do not say.",), (), False, (), len(items) + 1,
                                              {"title": title}))
                    continue
                if not isinstance(question, str) or not question.strip() or not answers:
                    errors.append(f"{qwhere}: missing 'question' or 'answers'")
                    continue
                evidence, refs = [], []
                for ans in answers:
                    answer_text, start = ans.get("text"), ans.get("answer_start")
                    if not isinstance(answer_text, str) or not isinstance(start, int):
                        errors.append(f"{qwhere}: answer without 'text' or 'answer_start'")
                        continue
                    if context[start:start + len(answer_text)] != answer_text:
                        start = context.find(answer_text)
                        if start < 0:
                            errors.append(f"{qwhere}: answer {answer_text!r} not found in its context")
                            continue
                    refs.append(answer_text)
                    s, e = _sentence_span(context, start, start + len(answer_text))
                    ev = GoldQuote(context[s:e], source, offset + s, offset + e)
                    if ev not in evidence:
                        evidence.append(ev)
                if refs and not calibration_split(str(qa.get("id", ""))):
                    items.append(GoldItem(str(qa.get("id", f"{a}-{p}-{q}")), question.strip(),
                                          tuple(dict.fromkeys(refs)), tuple(evidence), True, (), len(items) + 1,
                                          {"title": title}))
        documents[source] = text + "\n"
    if errors:
        raise GoldError(f"{path}: " + "; ".join(errors[:20]) + (f"; and {len(errors) - 20} more" if len(errors) > 20 else ""))
    if not items:
        raise GoldError(f"{path}: contains no questions")
    return documents, items


def write_corpus(documents: dict[str, str], corpus_dir: str | Path) -> Path:
    """Write documents into a corpus directory (unchanged files are left alone); returns the directory."""
    corpus_dir = Path(corpus_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    for source, text in documents.items():
        target = corpus_dir / source
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return corpus_dir


def sample(items: list, size: int | None, seed: int) -> list:
    """A seeded random sample of `size` items in their original order (all items when size is None)."""
    if size is None or size >= len(items):
        return list(items)
    if size < 1:
        raise ValueError(f"sample size must be at least 1, got {size}")
    chosen = sorted(random.Random(seed).sample(range(len(items)), size))
    return [items[i] for i in chosen]
