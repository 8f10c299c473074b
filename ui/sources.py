"""The sources panel: every retrieved passage in marker order, with a plain-words relevance label (pure)."""

from __future__ import annotations

import html

from ui.render import claims_for, rich_text, supporting_spans

# Bounds on a passage's retrieval score (cosine similarity of the passage and the question, all-MiniLM-L6-v2):
# on the article's dev questions, passages holding the evidence score 0.48 at the median and unrelated
# questions stay below 0.1; they are a reading aid, not a threshold of the pipeline.
STRONG_MATCH = 0.5
PARTIAL_MATCH = 0.3


def relevance(score: float) -> tuple[str, str]:
    """A short label for a retrieval score, and what it means (for the hover text)."""
    if score >= STRONG_MATCH:
        label, meaning = "strong match", "its wording is close to the question"
    elif score >= PARTIAL_MATCH:
        label, meaning = "partial match", "it shares part of the question's subject"
    else:
        label, meaning = "weak match", "it has little in common with the question"
    return label, (f"{label.capitalize()}: {meaning} (similarity {score:.2f} on a scale up to 1; "
                   f"{STRONG_MATCH:.1f} or more is strong, below {PARTIAL_MATCH:.1f} weak). "
                   "Whether the answer cites it depends on its sentences, not on this score.")


def _card(marker: int, passage, body: str, cited: bool, position: str) -> str:
    label, explanation = relevance(passage.score)
    kind = "qa-cited" if cited else "qa-uncited"
    state = ('<span class="qa-kind qa-kind-cited">cited in the answer</span>' if cited
             else '<span class="qa-kind">not cited</span>')
    where = f'<span class="qa-position">{html.escape(position)}</span>' if position else ""
    return (f'<div class="qa-source {kind}" data-marker="{marker}">'
            f'<div class="qa-source-head"><span class="qa-badge">[{marker}]</span> '
            f'<span class="qa-doc" title="{html.escape(passage.title or passage.source)}">'
            f"{html.escape(passage.source)}</span>{where}"
            f'<span class="qa-relevance qa-{label.split()[0]}" title="{html.escape(explanation)}">{label}</span>'
            f"{state}"
            f'<button class="qa-open" data-open="{marker}" title="show this passage in its document">'
            "Open in document</button></div>"
            f'<div class="qa-passage">{body}</div></div>')


def sources_html(answer, turn: int = 0, positions: dict[int, str] | None = None) -> str:
    """The sources panel for answer number `turn`: passages in marker order [1], [2], ..., the cited ones marked
    and their supporting sentences highlighted; `positions` maps markers to "paragraph 3 of 12"."""
    return f'<div class="qa-sources-root" data-turn="{int(turn)}">{_body(answer, positions or {})}</div>'


def _body(answer, positions: dict[int, str]) -> str:
    if answer is None:
        return '<div class="qa-empty">Ask a question: the passages it is grounded in appear here.</div>'
    passages = list(getattr(answer, "passages", []) or [])
    cited = {c.marker for c in answer.citations}
    parts = []
    if answer.abstained:
        parts.append('<div class="qa-abstain-banner"><strong>The documents do not contain the answer.</strong> '
                     f"These {len(passages)} passages were searched; none answers the question.</div>")
    elif not cited:
        parts.append('<div class="qa-note">The answer cites no passage.</div>')
    else:
        parts.append(f'<div class="qa-note qa-sources-note">{len(passages)} passages were retrieved; the answer '
                     f"cites {_markers(sorted(cited))}. Hover a match label for what it means.</div>")
    for marker, passage in enumerate(passages, 1):
        highlights = supporting_spans(passage.text, claims_for(answer, marker)) if marker in cited else []
        body = rich_text(passage.text, passage.start, passage.marks, highlights)
        parts.append(_card(marker, passage, body, marker in cited, positions.get(marker, "")))
    return "".join(parts)


def _markers(markers: list[int]) -> str:
    names = [f"[{m}]" for m in markers]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
