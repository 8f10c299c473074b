"""Gold sets: JSON Lines gold files and SQuAD v1.1 JSON, validated with line numbers, nothing dropped."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import ReportedError
from index.markup import to_plain

FIELDS = {"id": str, "question": str, "answer": str, "evidence": list, "answerable": bool, "history": list,
          "alternatives": list}
REQUIRED = ("id", "question", "answer", "evidence")


class GoldError(ReportedError, ValueError):
    """A gold file is malformed; the message names every bad line."""


@dataclass(frozen=True)
class GoldQuote:
    """A verbatim quote from the corpus; source/start/end once located in a document."""

    quote: str
    source: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class GoldItem:
    """One gold question: reference answers (SQuAD may give several), evidence quotes, conversation history."""

    id: str
    question: str
    answers: tuple[str, ...]
    evidence: tuple[GoldQuote, ...] = ()
    answerable: bool = True
    history: tuple[str, ...] = ()
    line: int = 0
    extra: dict = field(default_factory=dict, compare=False)


def _parse_line(raw: str, line: int) -> GoldItem:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise GoldError(f"line {line}: malformed JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise GoldError(f"line {line}: expected a JSON object, got {type(obj).__name__}")
    missing = [k for k in REQUIRED if k not in obj]
    if missing:
        raise GoldError(f"line {line}: missing field(s) {', '.join(missing)}")
    for key, kind in FIELDS.items():
        if key in obj and not isinstance(obj[key], kind):
            raise GoldError(f"line {line}: field {key!r} must be {kind.__name__}, got {type(obj[key]).__name__}")
    for key in ("evidence", "history", "alternatives"):
        if not all(isinstance(x, str) and x.strip() for x in obj.get(key, [])):
            raise GoldError(f"line {line}: every entry of {key!r} must be a non-empty string")
    if not obj["id"].strip() or not obj["question"].strip():
        raise GoldError(f"line {line}: 'id' and 'question' must not be empty")
    answerable = obj.get("answerable", True)
    if answerable and not obj["evidence"]:
        raise GoldError(f"line {line}: an answerable question needs at least one evidence quote")
    unknown = sorted(set(obj) - set(FIELDS))
    answers = (obj["answer"], *obj.get("alternatives", []))  # any of them is right
    return GoldItem(obj["id"], obj["question"].strip(), answers, tuple(GoldQuote(q) for q in obj["evidence"]),
                    answerable, tuple(h.strip() for h in obj.get("history", [])), line,
                    {k: obj[k] for k in unknown})


def load_jsonl(path: str | Path) -> list[GoldItem]:
    """Every item of a JSON Lines gold file; GoldError lists all bad lines (blank lines are allowed)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot be read ({exc})") from None
    items, errors, seen = [], [], {}
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            item = _parse_line(raw, number)
        except GoldError as exc:
            errors.append(str(exc))
            continue
        if item.id in seen:
            errors.append(f"line {number}: duplicate id {item.id!r} (first on line {seen[item.id]})")
            continue
        seen[item.id] = number
        items.append(item)
    if errors:
        more = f"; and {len(errors) - 20} more bad lines" if len(errors) > 20 else ""
        raise GoldError(f"{path}: " + "; ".join(errors[:20]) + more)
    if not items:
        raise GoldError(f"{path}: contains no gold items")
    return items


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Character span of a quote in a text: exact, else with any run of whitespace matching any other, else
    as read without Markdown markup (a quote copied from a Markdown file, `<http://...>`, in its plain text)."""
    for wanted in dict.fromkeys((quote, to_plain(quote))):
        start = text.find(wanted)
        if start >= 0:
            return start, start + len(wanted)
        pattern = r"\s+".join(re.escape(w) for w in wanted.split())
        match = re.search(pattern, text) if pattern else None
        if match:
            return match.start(), match.end()
    return None


def locate_evidence(items: list[GoldItem], documents: dict[str, str], path: str | Path = "gold") -> list[GoldItem]:
    """Items with every evidence quote located in `documents` (source -> text); GoldError names unfound quotes."""
    located, errors = [], []
    for item in items:
        evidence = []
        for ev in item.evidence:
            if ev.source is not None and ev.source in documents:
                evidence.append(ev)
                continue
            hit = next(((s, span) for s, t in documents.items() if (span := locate(ev.quote, t))), None)
            if hit is None:
                errors.append(f"line {item.line} ({item.id}): evidence not found verbatim in the corpus: "
                              f"{ev.quote[:80]!r}")
                continue
            evidence.append(GoldQuote(ev.quote, hit[0], *hit[1]))
        located.append(GoldItem(item.id, item.question, item.answers, tuple(evidence), item.answerable,
                                item.history, item.line, item.extra))
    if errors:
        more = f"; and {len(errors) - 20} more bad lines" if len(errors) > 20 else ""
        raise GoldError(f"{path}: " + "; ".join(errors[:20]) + more)
    return located


def is_squad(path: str | Path) -> bool:
    """Whether a gold file is SQuAD JSON (a .json file) rather than JSON Lines."""
    return Path(path).suffix.lower() == ".json"
