"""HTML rendering of chat messages, documents and the corpus (pure functions, no models, no gradio)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass


DOCUMENT_VIEW_CHARS = 200_000  # larger documents are shown as a window around the passage
_MARKER = re.compile(r"\[(\d+)\]")
_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_{}\[\]()#+\-.!|~$:]")


@dataclass(frozen=True)
class Highlight:
    """A span of a passage (offsets relative to the passage): a sentence the answer rests on ("support"), or the
    short answer itself ("answer", shown inside its sentence's highlight)."""

    start: int
    end: int
    answer_sentences: tuple[int, ...]
    kind: str = "support"


def answer_highlights(answer, marker: int, passage) -> list[Highlight]:
    """Where passage [marker] holds what the answer rests on, from the offsets the answer carries (no text is
    matched again): each sentence's supporting document sentence, and the short answer inside it."""
    found: dict[tuple[int, int], list[int]] = {}
    for number, sentence in enumerate(getattr(answer, "sentences", []), 1):
        if marker in sentence.markers and sentence.source == passage.source and sentence.start is not None:
            start, end = max(sentence.start, passage.start), min(sentence.end, passage.end)
            if start < end:
                found.setdefault((start - passage.start, end - passage.start), []).append(number)
    out = [Highlight(s, e, tuple(n)) for (s, e), n in sorted(found.items())]
    shorts = [getattr(answer, "short_answer", None), *getattr(answer, "more_answers", ())]
    for short in shorts:  # a compound question's parts each have one
        if short is not None and short.marker == marker and short.source == passage.source \
                and passage.start <= short.start < short.end <= passage.end:
            out.append(Highlight(short.start - passage.start, short.end - passage.start, (), "answer"))
    return out


def _highlight_title(h: Highlight) -> str:
    if h.kind == "answer":
        return "the short answer"
    return f"what answer sentence {', '.join(map(str, h.answer_sentences))} rests on"


def rich_text(text: str, offset: int = 0, marks=(), highlights: list[Highlight] | None = None) -> str:
    """Plain document text as HTML (for gr.HTML, which renders no Markdown): escaped, headings in bold, the highlighted
    spans (offsets relative to `text`) in <mark>; `marks` are (start, end, kind) in document offsets."""
    spans = [(max(0, s - offset), min(len(text), e - offset), '<strong class="qa-heading">', "</strong>")
             for s, e, kind in marks if kind == "heading" and s - offset < len(text) and e - offset > 0]
    last = 0
    for h in sorted((h for h in highlights or [] if h.kind == "support"), key=lambda h: h.start):
        if h.start >= last:  # sentence highlights must not overlap
            spans.append((h.start, h.end, f'<mark class="qa-support" title="{html.escape(_highlight_title(h))}">',
                          "</mark>"))
            last = h.end
    # the short answer, inside its sentence's highlight (opened after it, so closed before it)
    spans += [(h.start, h.end, f'<mark class="qa-answer-span" title="{_highlight_title(h)}">', "</mark>")
              for h in highlights or [] if h.kind == "answer"]
    cuts = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        active = [span for span in spans if span[0] <= a and b <= span[1]]
        out.append("".join(o for _, _, o, _ in active) + html.escape(text[a:b])
                   + "".join(c for _, _, _, c in reversed(active)))
    return "".join(out)


def plain_html(text: str) -> str:
    """Text for the chat (which renders Markdown) shown literally: HTML-escaped, and Markdown punctuation written
    as character references so that no renderer turns `*`, `_`, `#`, `[..](..)` or a URL into formatting."""
    # quote=False: an apostrophe as &#x27; would have its "#" escaped again and show as "&#x27;"
    return _MARKDOWN_PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", html.escape(text, quote=False))


def answer_html(text: str, turn: int = 0, direct: bool = False) -> str:
    """An answer for the chat window: shown literally (no Markdown), with [n] markers as citation badges that show
    source [n] of answer number `turn` when clicked (see ui.app.SOURCES_JS); with `direct`, its first paragraph
    is the direct answer, shown in bold above the sentences."""
    if direct:
        head, _, rest = text.partition("\n\n")
        return f'<span class="qa-direct">{answer_html(head, turn)}</span>' + answer_html(rest, turn)
    pieces = _MARKER.split(text)  # text, marker number, text, ...
    return "".join(plain_html(piece) if i % 2 == 0 else
                   # the chat keeps no data-* attribute: the turn and the marker are written in the class
                   f'<sup class="qa-cite qa-turn-{int(turn)} qa-marker-{piece}" role="button" tabindex="0" '
                   f'title="Show source [{piece}]">[{piece}]</sup>' for i, piece in enumerate(pieces))


def user_html(text: str) -> str:
    """A user's question for the chat window, exactly as typed (HTML and Markdown shown literally)."""
    return f'<span class="qa-user-text">{plain_html(text)}</span>'


def abstention_html(message: str) -> str:
    """The chat message for an abstention: the one plain sentence saying the documents do not contain the answer."""
    return f'<div class="qa-abstain">{plain_html(message)}</div>'


def notice_html(message: str) -> str:
    """A short notice under the question box (e.g. an empty question)."""
    return f'<div class="qa-notice" role="status">{plain_html(message)}</div>'


def error_html(message: str) -> str:
    """A chat message saying something went wrong."""
    return f'<div class="qa-error">{plain_html(message)}</div>'


def document_html(document, passage, highlights: list[Highlight] | None = None, marker: int | None = None,
                  position: str = "") -> str:
    """A whole document, readable (headings in bold), with one passage highlighted at its offsets and its
    supporting sentences marked inside it; `position` says where the passage is ("paragraph 3 of 12")."""
    text = document.text
    start, end = passage.start, passage.end
    if not (0 <= start <= end <= len(text)) or text[start:end] != passage.text:
        return (f'<div class="qa-error">The passage no longer matches {html.escape(document.source)} '
                "(the document changed since it was indexed).</div>")
    lo, hi = 0, len(text)
    if len(text) > DOCUMENT_VIEW_CHARS:
        lo = max(0, start - DOCUMENT_VIEW_CHARS // 2)
        hi = min(len(text), max(end, lo + DOCUMENT_VIEW_CHARS))
    marks = getattr(document, "marks", ())
    label = " · ".join(x for x in (f"passage [{marker}]" if marker else "", position) if x)
    head = (f'<div class="qa-doc-head"><strong>{html.escape(document.title or document.source)}</strong> '
            f'<span class="qa-doc">{html.escape(document.source)}</span> '
            f'<span class="qa-position">{html.escape(label)}</span></div>')
    before = ("…" if lo else "") + rich_text(text[lo:start], lo, marks)
    inner = rich_text(passage.text, start, marks, highlights)
    after = rich_text(text[end:hi], end, marks) + ("…" if hi < len(text) else "")
    return (f'{head}<div class="qa-doc-text">{before}<mark class="qa-focus" id="qa-focus">{inner}</mark>'
            f"{after}</div>")


def corpus_html(documents: dict, embedder: str, generator: str, generator_state: str, corpus_dir: str = "",
                index_location: str = "") -> str:
    """The corpus panel: indexed documents with their chunk counts, where they and their index are stored, and the
    models in use (`generator_state` says whether the generator is loaded or used, in a few words)."""
    rows = "".join(
        f"<tr><td class='qa-doc'>{html.escape(d.source)}</td><td>{html.escape(d.title)}</td>"
        f"<td class='qa-num'>{d.n_chunks}</td></tr>" for d in sorted(documents.values(), key=lambda d: d.source))
    total = sum(d.n_chunks for d in documents.values())
    where = (f'<div class="qa-corpus-dir">Documents are stored in <code>{html.escape(str(corpus_dir))}</code>; '
             "uploads are added there.</div>" if corpus_dir else "")
    if index_location:
        where += f'<div class="qa-index-location">Index: <code>{html.escape(index_location)}</code></div>'
    return (f'{where}<div class="qa-models">Embedder: <code>{html.escape(embedder)}</code> · '
            f'Generator: <code>{html.escape(generator)}</code> ({html.escape(generator_state)})</div>'
            f'<table class="qa-corpus"><thead><tr><th>Document</th><th>Title</th><th>Chunks</th></tr></thead>'
            f"<tbody>{rows}</tbody><tfoot><tr><td colspan='2'>{len(documents)} document{'' if len(documents) == 1 else 's'}</td>"
            f"<td class='qa-num'>{total}</td></tr></tfoot></table>")
