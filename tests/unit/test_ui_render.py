"""Unit tests of the UI's pure helpers: HTML rendering of answers, sources, highlights and documents."""

from __future__ import annotations

from index.chunking import Passage
from index.store import StoredDocument
from qa import Answer, AnswerSentence, Citation
from ui import render

DOC = ("Relations were fine in 2014. The downing of a Russian jet in 2015 by Turkish missile fire brought "
       "relations to a nadir. Trade then fell sharply.\nLater both sides met in Moscow <again> & talked.")


def _passage(text: str, score: float = 0.5) -> Passage:
    start = DOC.index(text)
    return Passage(text, "doc.md", start, start + len(text), score, "Doc title")


def _answer() -> Answer:
    p1 = _passage("The downing of a Russian jet in 2015 by Turkish missile fire brought relations to a nadir. "
                  "Trade then fell sharply.", 0.61)
    p2 = _passage("Later both sides met in Moscow <again> & talked.", 0.22)
    sentence = AnswerSentence("Relations hit a nadir after Turkey downed a Russian jet in 2015.", (1,), 0.8)
    return Answer("Relations hit a nadir after Turkey downed a Russian jet in 2015 [1].",
                  [Citation.from_passage(1, p1)], False, "Why?", [p1, p2], [sentence])


def test_supporting_spans_marks_the_best_matching_sentence():
    passage = _answer().passages[0]
    spans = render.supporting_spans(passage.text, ["Turkey downed a Russian jet in 2015."])
    assert len(spans) == 1
    assert passage.text[spans[0].start:spans[0].end].startswith("The downing of a Russian jet")
    assert spans[0].answer_sentences == (1,)
    assert render.supporting_spans(passage.text, ["Bananas are yellow."]) == []


def test_answer_html_escapes_and_badges_markers():
    out = render.answer_html("A <b>bold</b> claim [2].")
    assert "&lt;b&gt;" in out and '<sup class="qa-cite">[2]</sup>' in out


def test_sources_html_cited_first_with_highlight_uncited_secondary():
    out = render.sources_html(_answer(), turn=3)
    assert 'data-turn="3"' in out
    cited, uncited = out.index('qa-source qa-cited'), out.index('qa-source qa-uncited')
    assert cited < uncited
    assert '<mark class="qa-support"' in out and "The downing of a Russian jet" in out
    assert "score 0.61" in out and "doc.md" in out
    assert "&lt;again&gt; &amp; talked" in out  # passage text is escaped
    assert 'data-open="1"' in out and 'data-open="2"' in out


def test_sources_html_abstention_says_so_and_lists_searched_passages():
    answer = _answer()
    abstained = Answer("The documents do not contain an answer to this question.", [], True, "Q",
                       answer.passages)
    out = render.sources_html(abstained)
    assert "do not contain the answer" in out
    assert out.count("qa-source qa-uncited") == 2
    assert "qa-abstain" in render.abstention_html(abstained.text)
    assert "Ask a question" in render.sources_html(None)


def test_document_html_highlights_passage_at_its_offsets():
    answer = _answer()
    passage = answer.passages[0]
    document = StoredDocument("doc.md", "Doc title", "x", DOC, 2)
    spans = render.supporting_spans(passage.text, render.claims_for(answer, 1))
    out = render.document_html(document, passage, spans, 1)
    assert "Relations were fine in 2014. " in out  # context before the passage
    focus = out.index('<mark class="qa-focus" id="qa-focus">')
    import re

    inside = out[focus:out.index("Later both sides")]
    assert inside.rstrip().endswith("</mark>")  # the passage's highlight closes before the next text
    assert re.sub(r"<[^>]+>", "", inside).strip() == passage.text
    assert '<mark class="qa-support"' in inside  # the supporting sentence is marked inside the passage
    assert f"characters {passage.start}–{passage.end} of {len(DOC)}" in out


def test_document_html_refuses_stale_offsets():
    passage = Passage("something else", "doc.md", 0, 14)
    document = StoredDocument("doc.md", "Doc title", "x", DOC, 2)
    assert "no longer matches" in render.document_html(document, passage)


def test_corpus_html_lists_documents_chunks_and_models():
    docs = {"a.md": StoredDocument("a.md", "A <title>", "x", "text", 3),
            "b.txt": StoredDocument("b.txt", "B", "y", "text", 4)}
    out = render.corpus_html(docs, "emb-model", "gen-model", True)
    assert "a.md" in out and "A &lt;title&gt;" in out and ">3<" in out and ">7<" in out
    assert "emb-model" in out and "gen-model" in out and "loaded" in out
