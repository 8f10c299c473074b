"""Unit tests of the UI's pure helpers: HTML rendering of answers, sources, highlights and documents."""

from __future__ import annotations

from index.chunking import Passage
from index.records import StoredDocument
from qa import Answer, AnswerSentence, Citation
from qa.answer import ShortAnswer
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
    start = DOC.index("The downing")
    end = DOC.index(" Trade")
    quoted = AnswerSentence("\u201c" + DOC[start:end] + "\u201d", (1,), 1.0, "quote", "doc.md", start, end)
    span = DOC.index("The downing of a Russian jet")
    short = ShortAnswer("The downing of a Russian jet", 1, "doc.md", span, span + len("The downing of a Russian jet"))
    return Answer("The downing of a Russian jet [1]\n\n" + quoted.text + " [1]", [Citation.from_passage(1, p1)],
                  False, "Why?", [p1, p2], [quoted], short_answer=short)


def test_highlights_come_from_the_offsets_the_answer_carries():
    answer = _answer()
    passage = answer.passages[0]
    support, short = render.answer_highlights(answer, 1, passage)
    assert passage.text[support.start:support.end].startswith("The downing of a Russian jet in 2015")
    assert passage.text[support.start:support.end].endswith("nadir.") and support.answer_sentences == (1,)
    assert (short.kind, passage.text[short.start:short.end]) == ("answer", "The downing of a Russian jet")
    assert render.answer_highlights(answer, 2, answer.passages[1]) == []  # it cites nothing there
    html_out = render.rich_text(passage.text, passage.start, (), [support, short])
    assert html_out.startswith('<mark class="qa-support"') and '<mark class="qa-answer-span"' in html_out


def test_each_part_of_a_compound_answer_is_highlighted_from_its_own_offsets():
    from dataclasses import replace

    answer = _answer()
    passage = answer.passages[0]
    at = DOC.index("Turkish missile fire")
    second = ShortAnswer("Turkish missile fire", 1, "doc.md", at, at + len("Turkish missile fire"))
    spans = [h for h in render.answer_highlights(replace(answer, more_answers=(second,)), 1, passage)
             if h.kind == "answer"]
    assert [passage.text[h.start:h.end] for h in spans] == ["The downing of a Russian jet", "Turkish missile fire"]
    html_out = render.rich_text(passage.text, passage.start, (), spans)
    assert html_out.count('<mark class="qa-answer-span"') == 2


def test_the_direct_answer_is_shown_in_bold_above_the_sentences():
    out = render.answer_html("Moscow [1]\n\n\u201cThey met in Moscow.\u201d [1]", turn=1, direct=True)
    assert out.startswith('<span class="qa-direct">Moscow <sup') and out.count("qa-marker-1") == 2


def test_answer_html_escapes_and_badges_markers():
    out = render.answer_html("A <b>bold</b> claim [2].", turn=3)
    assert "&lt;b&gt;" in out and "<b>" not in out
    # a badge says which answer's source it shows when clicked
    assert '<sup class="qa-cite qa-turn-3 qa-marker-2" role="button"' in out and ">[2]</sup>&#46;" in out


def test_chat_text_is_shown_literally_not_as_html_or_markdown():
    import html

    typed = "<img src=x onerror=alert(1)> <b>x</b> **not bold** [link](#) # no heading $$x$$ Putin's \"word\" & co"
    out = render.user_html(typed)
    assert "<img" not in out and "<b>" not in out
    for markup in ("**", "[link](#)", "# ", "$$"):
        assert markup not in out  # written as character references, which no Markdown renderer interprets
    assert html.unescape(out.removeprefix('<span class="qa-user-text">').removesuffix("</span>")) == typed
    assert "_" not in render.answer_html("snake_case_word [1]").replace("qa-cite", "")
    assert html.unescape(render.answer_html("“Putin's spokesman said ‘yes.’” [1]")).startswith(
        "“Putin's spokesman said ‘yes.’” <sup")
    assert "qa-notice" in render.notice_html("Please type a question first.")


def test_document_html_highlights_passage_at_its_offsets():
    answer = _answer()
    passage = answer.passages[0]
    document = StoredDocument("doc.md", "Doc title", "x", DOC, 2)
    spans = render.answer_highlights(answer, 1, passage)
    out = render.document_html(document, passage, spans, 1, "paragraph 1 of 2")
    assert "Relations were fine in 2014. " in out  # context before the passage
    focus = out.index('<mark class="qa-focus" id="qa-focus">')
    import re

    inside = out[focus:out.index("Later both sides")]
    assert inside.rstrip().endswith("</mark>")  # the passage's highlight closes before the next text
    assert re.sub(r"<[^>]+>", "", inside).strip() == passage.text
    assert '<mark class="qa-support"' in inside  # the supporting sentence is marked inside the passage
    assert "paragraph 1 of 2" in out and "characters" not in out


def test_document_and_passages_show_headings_as_headings_without_markup():
    text = "Kittens\n\nBy Ann Lee\n\nCare\n\nKittens sleep a lot."
    marks = ((0, 7, "heading"), (9, 19, "byline"), (21, 25, "heading"))
    document = StoredDocument("k.md", "Kittens", "x", text, 1, None, marks)
    passage = Passage(text[21:], "k.md", 21, len(text), 0.6, "Kittens", marks[2:])
    out = render.document_html(document, passage)
    assert '<strong class="qa-heading">Kittens</strong>' in out and '<strong class="qa-heading">Care</strong>' in out
    assert "<a " not in out and "By Ann Lee" in out
    assert render.rich_text(passage.text, passage.start, passage.marks).startswith('<strong class="qa-heading">Care')


def test_document_html_refuses_stale_offsets():
    passage = Passage("something else", "doc.md", 0, 14)
    document = StoredDocument("doc.md", "Doc title", "x", DOC, 2)
    assert "no longer matches" in render.document_html(document, passage)


def test_corpus_html_lists_documents_chunks_and_models():
    docs = {"a.md": StoredDocument("a.md", "A <title>", "x", "text", 3),
            "b.txt": StoredDocument("b.txt", "B", "y", "text", 4)}
    out = render.corpus_html(docs, "emb-model", "gen-model", "loaded")
    assert "a.md" in out and "A &lt;title&gt;" in out and ">3<" in out and ">7<" in out
    assert "emb-model" in out and "gen-model" in out and "loaded" in out
    assert "Documents are stored in <code>.qa-data/corpus</code>" in render.corpus_html(docs, "e", "g", "loaded",
                                                                                        ".qa-data/corpus")
    milvus = render.corpus_html(docs, "e", "g", "loaded", "c", "Milvus at http://m:19530 (alias qa_<c>)")
    assert "Index: <code>Milvus at http://m:19530 (alias qa_&lt;c&gt;)</code>" in milvus
    assert "Index:" not in out
