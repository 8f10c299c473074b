"""The sources panel: marker order, relevance labels with their explanation, positions in words (pure)."""

from __future__ import annotations

import re
from dataclasses import replace

from index.chunking import Passage
from qa import Answer, AnswerSentence, Citation
from ui.sources import relevance, source_label, sources_html

TEXT = "Alpha beta gamma. " * 3


def _answer(cited=(2,), abstained=False) -> Answer:
    passages = [Passage(f"Passage {i} about <things> & more.", "doc.md", i * 40, i * 40 + 33, score, "Doc")
                for i, score in enumerate((0.62, 0.41, 0.12), 1)]
    citations = [Citation.from_passage(m, passages[m - 1]) for m in cited]
    # each sentence rests on its passage's first words "Passage N about", at their document offsets
    sentences = [AnswerSentence(f"\u201cPassage {m} about\u201d", (m,), 1.0, "quote", "doc.md", m * 40, m * 40 + 15)
                 for m in cited]
    return Answer("x", citations, abstained, "q", passages, sentences)


def _markers(out: str) -> list[int]:
    return [int(m) for m in re.findall(r'class="qa-source [^"]*" data-marker="(\d+)"', out)]


def test_passages_are_listed_in_marker_order_with_the_cited_ones_marked():
    out = sources_html(_answer(cited=(2, 3)), turn=3, positions={1: "paragraph 1 of 9", 2: "paragraph 4 of 9"})
    assert 'data-turn="3"' in out and _markers(out) == [1, 2, 3]
    assert re.search(r'qa-source qa-uncited" data-marker="1"', out)
    assert re.search(r'qa-source qa-cited" data-marker="2"', out) and out.count(">gives the answer<") == 2
    assert "[2] and [3] give the answer" in out
    assert "paragraph 4 of 9" in out and "characters" not in out
    assert out.count('<mark class="qa-support"') == 2 and "&lt;things&gt; &amp; more" in out
    assert re.search(r'<mark class="qa-support"[^>]*>Passage 2 about</mark>', out)
    assert 'data-open="1"' in out and 'data-open="3"' in out and "score " not in out


def test_labels_say_whether_a_passage_gives_the_answer_else_how_related_it_is():
    assert [relevance(x)[0] for x in (0.62, 0.41, 0.12, -0.03)] == [
        "related, not used", "partly related, not used", "unrelated", "unrelated"]
    _, _, explanation = relevance(0.62)
    assert "0.62" in explanation and "similarity" in explanation and "Not used by the answer" in explanation
    out = sources_html(_answer(cited=(1,)))
    # the cited passage scores 0.62 yet says what a reader wants to know: it gives the answer
    assert re.search(r'<span class="qa-relevance qa-answers" title="The answer is found in this passage[^"]*0\.62[^"]*">'
                     "gives the answer</span>", out)
    assert "partly related, not used" in out and ">unrelated<" in out and "match" not in out


def test_an_unused_footer_is_called_links_and_notices_whatever_its_score():
    footer = Passage("Copyright Global Research. Comment on our Facebook page.", "doc.md", 100, 156, 0.71, "Doc",
                     marks=((100, 126, "boilerplate"), (127, 156, "boilerplate")))
    assert source_label(footer, cited=False)[:2] == ("page links and notices", "furniture")
    assert source_label(footer, cited=True)[0] == "gives the answer"
    half = Passage("Some text here. Copyright.", "doc.md", 0, 26, 0.71, "Doc", marks=((16, 26, "boilerplate"),))
    assert source_label(half, cited=False)[0] == "related, not used"


def test_abstention_says_so_and_lists_what_was_searched_in_order():
    out = sources_html(_answer(cited=(), abstained=True))
    assert "3 passages were searched; none answers the question" in out and _markers(out) == [1, 2, 3]
    assert out.count("qa-source qa-uncited") == 3
    assert "Ask a question" in sources_html(None)
    one = replace(_answer(cited=(), abstained=True), passages=_answer().passages[:1])  # not "These 1 passages"
    assert "The one passage searched does not answer the question" in sources_html(one)
