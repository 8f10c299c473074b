"""The sources panel: marker order, relevance labels with their explanation, positions in words (pure)."""

from __future__ import annotations

import re

from index.chunking import Passage
from qa import Answer, AnswerSentence, Citation
from ui.sources import relevance, sources_html

TEXT = "Alpha beta gamma. " * 3


def _answer(cited=(2,), abstained=False) -> Answer:
    passages = [Passage(f"Passage {i} about <things> & more.", "doc.md", i * 40, i * 40 + 33, score, "Doc")
                for i, score in enumerate((0.62, 0.41, 0.12), 1)]
    citations = [Citation.from_passage(m, passages[m - 1]) for m in cited]
    sentences = [AnswerSentence(f"Passage {m} about things.", (m,), 0.9) for m in cited]
    return Answer("x", citations, abstained, "q", passages, sentences)


def _markers(out: str) -> list[int]:
    return [int(m) for m in re.findall(r'class="qa-source [^"]*" data-marker="(\d+)"', out)]


def test_passages_are_listed_in_marker_order_with_the_cited_ones_marked():
    out = sources_html(_answer(cited=(2, 3)), turn=3, positions={1: "paragraph 1 of 9", 2: "paragraph 4 of 9"})
    assert 'data-turn="3"' in out and _markers(out) == [1, 2, 3]
    assert re.search(r'qa-source qa-uncited" data-marker="1"', out)
    assert re.search(r'qa-source qa-cited" data-marker="2"', out) and out.count("cited in the answer") == 2
    assert "the answer cites [2] and [3]" in out
    assert "paragraph 4 of 9" in out and "characters" not in out
    assert '<mark class="qa-support"' in out and "&lt;things&gt; &amp; more" in out
    assert 'data-open="1"' in out and 'data-open="3"' in out and "score " not in out


def test_relevance_labels_are_plain_words_explained_on_hover():
    assert relevance(0.62)[0] == "strong match" and relevance(0.41)[0] == "partial match"
    assert relevance(0.12)[0] == "weak match" and relevance(-0.03)[0] == "weak match"
    _, explanation = relevance(0.62)
    assert "0.62" in explanation and "similarity" in explanation
    out = sources_html(_answer())
    assert re.search(r'<span class="qa-relevance qa-strong" title="Strong match: [^"]*0\.62[^"]*">strong match</span>',
                     out)
    assert "partial match" in out and "weak match" in out


def test_abstention_says_so_and_lists_what_was_searched_in_order():
    out = sources_html(_answer(cited=(), abstained=True))
    assert "do not contain the answer" in out and _markers(out) == [1, 2, 3]
    assert out.count("qa-source qa-uncited") == 3
    assert "Ask a question" in sources_html(None)
