"""The sources panel: every retrieved passage in marker order, labelled by whether it gives the answer (pure)."""

from __future__ import annotations

import html

from index.furniture import FURNITURE_KINDS, METADATA_KINDS
from ui.render import answer_highlights, rich_text

# Bounds on a passage's retrieval score (cosine similarity of the passage and the question, all-MiniLM-L6-v2):
# on the article's dev questions, passages holding the evidence score 0.48 at the median and unrelated
# questions stay below 0.1; they are a reading aid, not a threshold of the pipeline.
CLOSE_MATCH = 0.5
PARTIAL_MATCH = 0.3
PAGE_FURNITURE = FURNITURE_KINDS - METADATA_KINDS  # share and footer boilerplate, lists of links
FURNITURE_SHARE = 0.5  # a passage at least this much furniture is the page's links and notices, not its text


def relevance(score: float) -> tuple[str, str, str]:
    """Plain words for how related an unused passage is to the question, its css kind, and what the words mean."""
    if score >= CLOSE_MATCH:
        label, kind, meaning = "related, not used", "related", "its wording is close to the question's"
    elif score >= PARTIAL_MATCH:
        label, kind, meaning = "partly related, not used", "partly", "it shares part of the question's subject"
    else:
        label, kind, meaning = "unrelated", "unrelated", "it has little in common with the question"
    return label, kind, (f"Not used by the answer: {meaning} (similarity {score:.2f} on a scale up to 1; "
                         f"{CLOSE_MATCH:.1f} or more is close, below {PARTIAL_MATCH:.1f} unrelated), but none of "
                         "its sentences was taken as the answer.")


def furniture_share(passage) -> float:
    """The share of a passage's characters that are page links, share buttons or footer notices."""
    covered = sum(max(0, min(e, passage.end) - max(s, passage.start))
                  for s, e, kind in getattr(passage, "marks", ()) if kind in PAGE_FURNITURE)
    return covered / max(1, passage.end - passage.start)


def source_label(passage, cited: bool) -> tuple[str, str, str]:
    """(label, css kind, hover explanation) of a card: whether it gives the answer, else how related it is."""
    if cited:
        # a score of 0: not retrieved but added, the document's opening passage for a question about the document
        why = (f"similarity to the question {passage.score:.2f} on a scale up to 1" if passage.score > 0 else
               "the document's opening passage, read for a question about the document itself")
        return ("gives the answer", "answers", "The answer is found in this passage; the highlighted sentence is what "
                f"the answer rests on, the short answer marked inside it ({why}).")
    if furniture_share(passage) >= FURNITURE_SHARE:
        return ("page links and notices", "furniture", "Not used by the answer: this passage is the page's links, "
                "copyright and notices rather than its text; it was found because it shares words with the question.")
    return relevance(passage.score)


def _card(marker: int, passage, body: str, cited: bool, position: str) -> str:
    label, kind, explanation = source_label(passage, cited)
    where = f'<span class="qa-position">{html.escape(position)}</span>' if position else ""
    return (f'<div class="qa-source {"qa-cited" if cited else "qa-uncited"}" data-marker="{marker}">'
            f'<div class="qa-source-head"><span class="qa-badge">[{marker}]</span> '
            f'<span class="qa-doc" title="{html.escape(passage.title or passage.source)}">'
            f"{html.escape(passage.source)}</span>{where}"
            f'<span class="qa-relevance qa-{kind}" title="{html.escape(explanation)}">{label}</span>'
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
        searched = "The one passage searched does not answer" if len(passages) == 1 else \
            f"These {len(passages)} passages were searched; none answers"
        parts.append(f'<div class="qa-abstain-banner">{searched} the question.</div>')
    elif not cited:
        parts.append('<div class="qa-note">The answer cites no passage.</div>')
    else:
        retrieved = "1 passage was" if len(passages) == 1 else f"{len(passages)} passages were"
        parts.append(f'<div class="qa-note qa-sources-note">{retrieved} retrieved; '
                     f"{_markers(sorted(cited))} {'gives' if len(cited) == 1 else 'give'} the answer. Hover a label "
                     "for what it means.</div>")
    for marker, passage in enumerate(passages, 1):
        highlights = answer_highlights(answer, marker, passage) if marker in cited else []
        body = rich_text(passage.text, passage.start, passage.marks, highlights)
        parts.append(_card(marker, passage, body, marker in cited, positions.get(marker, "")))
    return "".join(parts)


def _markers(markers: list[int]) -> str:
    names = [f"[{m}]" for m in markers]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
