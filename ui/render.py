"""HTML rendering of answers, sources, documents and the corpus (pure functions, no models, no gradio)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from index.chunking import split_sentences
from qa.text import overlap

# A passage sentence is marked as supporting an answer sentence when it is that answer sentence's best
# match among the cited passage's sentences and covers at least this share of its content words.
SUPPORT_THRESHOLD = 0.3
DOCUMENT_VIEW_CHARS = 200_000  # larger documents are shown as a window around the passage
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Highlight:
    """A span of a passage (offsets relative to the passage) that supports answer sentence(s)."""

    start: int
    end: int
    score: float
    answer_sentences: tuple[int, ...]


def supporting_spans(passage_text: str, claims: list[str], threshold: float = SUPPORT_THRESHOLD) -> list[Highlight]:
    """Passage sentences that best support each claim: highest word overlap, if at least `threshold`."""
    spans = split_sentences(passage_text)
    best: dict[tuple[int, int], tuple[float, list[int]]] = {}
    for number, claim in enumerate(claims, 1):
        scored = [(overlap(claim, passage_text[s:e]), (s, e)) for s, e in spans]
        if not scored:
            continue
        score, span = max(scored, key=lambda item: item[0])
        if score >= threshold:
            previous, numbers = best.get(span, (0.0, []))
            best[span] = (max(previous, score), numbers + [number])
    return [Highlight(s, e, score, tuple(numbers)) for (s, e), (score, numbers) in sorted(best.items())]


def _marked(text: str, highlights: list[Highlight], css_class: str = "qa-support") -> str:
    """Escaped text with the highlighted spans wrapped in <mark> (spans must not overlap)."""
    out, position = [], 0
    for h in sorted(highlights, key=lambda h: h.start):
        if h.start < position:
            continue
        title = (f"supports answer sentence {', '.join(map(str, h.answer_sentences))} "
                 f"(word overlap {h.score:.0%})")
        out.append(html.escape(text[position:h.start]))
        out.append(f'<mark class="{css_class}" title="{html.escape(title)}">'
                   f'{html.escape(text[h.start:h.end])}</mark>')
        position = h.end
    out.append(html.escape(text[position:]))
    return "".join(out)


def claims_for(answer, marker: int) -> list[str]:
    """The answer sentences that cite passage `marker`."""
    return [s.text for s in getattr(answer, "sentences", []) if marker in s.markers]


def answer_html(text: str) -> str:
    """An answer for the chat window: escaped, with [n] markers shown as citation badges."""
    escaped = html.escape(text)
    return _MARKER.sub(r'<sup class="qa-cite">[\1]</sup>', escaped)


def abstention_html(message: str) -> str:
    """The chat message for an abstention: plainly says the documents do not contain the answer."""
    return (f'<div class="qa-abstain"><strong>Not found in the documents.</strong> {html.escape(message)} '
            "See the sources panel for what was searched.</div>")


def error_html(message: str) -> str:
    """A chat message saying something went wrong."""
    return f'<div class="qa-error">{html.escape(message)}</div>'


def _card(marker: int, passage, body: str, cited: bool) -> str:
    name = html.escape(passage.source)
    title = html.escape(passage.title or passage.source)
    kind = "qa-cited" if cited else "qa-uncited"
    label = "cited" if cited else "not cited"
    return (f'<div class="qa-source {kind}" data-marker="{marker}">'
            f'<div class="qa-source-head"><span class="qa-badge">[{marker}]</span> '
            f'<span class="qa-doc" title="{title}">{name}</span> '
            f'<span class="qa-score">score {passage.score:.2f}</span> '
            f'<span class="qa-kind">{label}</span> '
            f'<button class="qa-open" data-open="{marker}" title="show this passage in its document">'
            "Open in document</button></div>"
            f'<div class="qa-passage">{body}</div></div>')


def sources_html(answer, turn: int = 0) -> str:
    """The sources panel for answer number `turn`: cited passages (supporting sentences marked), then the rest."""
    return f'<div class="qa-sources-root" data-turn="{int(turn)}">{_sources_body(answer)}</div>'


def _sources_body(answer) -> str:
    if answer is None:
        return '<div class="qa-empty">Ask a question: the passages it is grounded in appear here.</div>'
    passages = list(getattr(answer, "passages", []) or [])
    cited = sorted({c.marker for c in answer.citations})
    parts = []
    if answer.abstained:
        parts.append('<div class="qa-abstain-banner"><strong>The documents do not contain the answer.</strong> '
                     f"These {len(passages)} passages were searched; none answers the question.</div>")
        cards = [_card(i, p, html.escape(p.text), False) for i, p in enumerate(passages, 1)]
        parts.append('<div class="qa-searched">' + "".join(cards) + "</div>")
        return "".join(parts)
    if not cited:
        parts.append('<div class="qa-note">The answer cites no passage.</div>')
    for marker in cited:
        passage = passages[marker - 1]
        highlights = supporting_spans(passage.text, claims_for(answer, marker))
        parts.append(_card(marker, passage, _marked(passage.text, highlights), True))
    others = [(i, p) for i, p in enumerate(passages, 1) if i not in cited]
    if others:
        cards = "".join(_card(i, p, html.escape(p.text), False) for i, p in others)
        parts.append(f'<div class="qa-others"><div class="qa-others-head">Also retrieved, not cited '
                     f'({len(others)})</div>{cards}</div>')
    return "".join(parts)


def document_html(document, passage, highlights: list[Highlight] | None = None, marker: int | None = None) -> str:
    """A whole document with one passage highlighted at its offsets (and its supporting sentences inside it)."""
    text = document.text
    start, end = passage.start, passage.end
    if not (0 <= start <= end <= len(text)) or text[start:end] != passage.text:
        return (f'<div class="qa-error">The passage no longer matches {html.escape(document.source)} '
                "(the document changed since it was indexed).</div>")
    lo, hi = 0, len(text)
    if len(text) > DOCUMENT_VIEW_CHARS:
        lo = max(0, start - DOCUMENT_VIEW_CHARS // 2)
        hi = min(len(text), max(end, lo + DOCUMENT_VIEW_CHARS))
    inner = _marked(passage.text, highlights or [])
    label = f"[{marker}] " if marker else ""
    head = (f'<div class="qa-doc-head"><strong>{html.escape(document.title or document.source)}</strong> '
            f'<span class="qa-doc">{html.escape(document.source)}</span> '
            f'<span class="qa-score">{label}characters {start}–{end} of {len(text)}</span></div>')
    before = ("…" if lo else "") + html.escape(text[lo:start])
    after = html.escape(text[end:hi]) + ("…" if hi < len(text) else "")
    return (f'{head}<div class="qa-doc-text">{before}<mark class="qa-focus" id="qa-focus">{inner}</mark>'
            f"{after}</div>")


def corpus_html(documents: dict, embedder: str, generator: str, generator_loaded: bool) -> str:
    """The corpus panel: indexed documents with their chunk counts, and the models in use."""
    rows = "".join(
        f"<tr><td class='qa-doc'>{html.escape(d.source)}</td><td>{html.escape(d.title)}</td>"
        f"<td class='qa-num'>{d.n_chunks}</td></tr>" for d in sorted(documents.values(), key=lambda d: d.source))
    total = sum(d.n_chunks for d in documents.values())
    state = "loaded" if generator_loaded else "loads on first question"
    return (f'<div class="qa-models">Embedder: <code>{html.escape(embedder)}</code> · '
            f'Generator: <code>{html.escape(generator)}</code> ({state})</div>'
            f'<table class="qa-corpus"><thead><tr><th>Document</th><th>Title</th><th>Chunks</th></tr></thead>'
            f"<tbody>{rows}</tbody><tfoot><tr><td colspan='2'>{len(documents)} documents</td>"
            f"<td class='qa-num'>{total}</td></tr></tfoot></table>")
