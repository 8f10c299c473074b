"""Evidence and page furniture: furniture ranks below content, yet answers questions about the document."""

import numpy as np
import pytest

from fakes import HashingEmbedder
from index.chunking import Passage
from index.furniture import furniture_marks
from index.markup import read_markdown
from index.records import StoredDocument
from qa.evidence import (Evidence, asks_about_document, document_heads, kind_first, neighbours, passage_sentences,
                         score_sentences, select_evidence, with_document_head)

PAGE = """# Russia and Turkey talk in Moscow

By [Ann Lee](#)

Global Research, March 12, 2017

Theme: [Diplomacy](#)

Putin met Erdogan in Moscow on March 10th to discuss trade and the war in Syria.
The two leaders agreed to restore economic relations.

#### Notes

- (1) <https://tass.com/politics/934814>

Copyright © [Ann Lee](#), Global Research, 2017

[Comment on Global Research Articles on our Facebook page](#)
"""


def page_passage(markdown: str = PAGE) -> Passage:
    """The whole page as one passage, located as the index locates it (marks, source offsets)."""
    reading = read_markdown(markdown)
    doc = StoredDocument("page.md", "Talks", "", reading.text, 1, reading.source_map,
                         tuple(furniture_marks(reading.text, reading.headings)))
    return doc.locate(Passage(reading.text, "page.md", 0, len(reading.text)))


@pytest.mark.parametrize("question, about", [
    ("Who wrote the article?", True),
    ("Who is the author?", True),
    ("When was the article published?", True),
    ("Which website published the article?", True),
    ("Under which theme is the article filed?", True),
    ("Which region is the article listed under?", True),
    ("What is the headline of the article?", True),
    ("When did Putin meet Erdogan?", False),
    ("Which countries are listed as allies?", False),  # "listed" alone is not about the document
    ("What is the source of Iran's influence?", False),
])
def test_questions_about_the_document_itself(question, about):
    assert asks_about_document(question) is about


def test_sentences_carry_their_furniture_kind_and_references_are_never_evidence():
    sentences = {s.text: s.furniture for s in passage_sentences([page_passage()])}
    assert sentences["By Ann Lee"] == "byline"  # short, but a byline answers "who wrote it?"
    assert sentences["Global Research, March 12, 2017"] == "dateline"
    assert sentences["Theme: Diplomacy"] == "label"
    assert sentences["Russia and Turkey talk in Moscow"] == "heading"
    assert sentences["The two leaders agreed to restore economic relations."] == ""
    assert sentences["Comment on Global Research Articles on our Facebook page"] == "boilerplate"
    assert not any("https://" in text or text == "Notes" for text in sentences)


def test_furniture_is_penalised_unless_the_question_is_about_the_document():
    furniture = Evidence(1, "By Ann Lee", "a.md", 0, 10, 0.0, "byline")
    content = Evidence(1, "Ann Lee met Erdogan.", "a.md", 20, 40, 0.0)
    vectors = np.array([[1.0, 0.0], [1.0, 0.0]], dtype=np.float32)
    question = np.array([1.0, 0.0], dtype=np.float32)
    ranked = score_sentences("Did Lee meet Erdogan?", [furniture, content], question, vectors, 0.0,
                             furniture_penalty=0.2)
    assert [e.text for e in ranked] == ["Ann Lee met Erdogan.", "By Ann Lee"]
    assert ranked[1].score == pytest.approx(0.8) and ranked[1].furniture == "byline"
    about = score_sentences("Who wrote the article?", [furniture, content], question, vectors, 0.0,
                            furniture_penalty=0.2)
    assert [e.score for e in about] == pytest.approx([1.0, 1.0])


def test_questions_about_the_document_still_rank_share_and_footer_text_down():
    disclaimer = Evidence(1, "The contents are the sole responsibility of the author.", "a.md", 0, 50, 0.0,
                          "boilerplate")
    byline = Evidence(1, "By Ann Lee", "a.md", 60, 70, 0.0, "byline")
    vectors = np.array([[1.0, 0.0], [1.0, 0.0]], dtype=np.float32)
    ranked = score_sentences("Who is the author?", [disclaimer, byline], np.array([1.0, 0.0], dtype=np.float32),
                             vectors, 0.0, furniture_penalty=0.2)
    assert [e.text for e in ranked] == ["By Ann Lee", disclaimer.text]
    assert ranked[1].score == pytest.approx(0.8)


def test_a_sentence_holding_the_asked_for_date_ranks_first_when_it_is_close_enough():
    label = Evidence(1, "Articles by: Ann Lee", "a.md", 0, 20, 0.55, "label")
    dateline = Evidence(1, "Global Research, March 12, 2017", "a.md", 30, 60, 0.40, "dateline")
    far = Evidence(1, "Posted in 2016 by the editors", "a.md", 70, 99, 0.30)
    assert [e.text for e in kind_first("When was the article published?", [label, dateline, far], 0.2)] == [
        dateline.text, label.text, far.text]
    assert kind_first("When was the article published?", [label, far], 0.2) == [label, far]  # 0.25 below: not
    assert kind_first("Who wrote the article?", [label, dateline], 0.2) == [label, dateline]


def test_the_first_passage_of_the_best_document_joins_the_passages_once():
    passages = [Passage("late text", "a.md", 500, 509, 0.6), Passage("b text", "b.md", 0, 6, 0.5)]
    heads = document_heads([Passage("head", "a.md", 0, 4), Passage("late text", "a.md", 500, 509),
                            Passage("b text", "b.md", 0, 6)])
    assert heads["a.md"].start == 0 and heads["b.md"].text == "b text"
    out = with_document_head(passages, heads)
    assert [(p.source, p.start, p.score) for p in out] == [("a.md", 500, 0.6), ("b.md", 0, 0.5), ("a.md", 0, 0.0)]
    assert with_document_head(out, heads) == out  # already there
    assert with_document_head([], heads) == []


def test_the_byline_answers_who_wrote_it_and_content_answers_the_rest():
    passage = page_passage()
    embedder = HashingEmbedder()
    assert select_evidence("Is the author of the article Ann Lee?", [passage], embedder, n=1)[0].text.startswith(
        "By Ann Lee")
    content = select_evidence("Where did Putin meet Erdogan?", [passage], embedder, n=3, furniture_penalty=0.3)
    assert content[0].furniture == "" and "Moscow" in content[0].text
    assert all(e.furniture != "heading" for e in content)  # headings only count for questions about the document
    for evidence in content:
        assert passage.text[evidence.start:evidence.end] == evidence.text


def test_a_quote_never_joins_furniture_to_content():
    passage = page_passage()
    sentences = passage_sentences([passage])
    first_content = next(s for s in sentences if s.text.startswith("Putin met"))
    before, after = neighbours(first_content, [passage])
    assert before is None and after.text.startswith("The two leaders")
    dateline = next(s for s in sentences if s.furniture == "dateline")
    assert neighbours(dateline, [passage])[1].furniture == "label"


def test_a_label_is_never_quoted_together_with_the_disclaimer_below_it():
    passage = page_passage("Articles by: [Ann Lee](#)\n\n**Disclaimer:** The contents of this article are the "
                           "sole responsibility of the author.\n")
    label, disclaimer = passage_sentences([passage])
    assert (label.furniture, disclaimer.furniture) == ("label", "boilerplate")
    assert neighbours(label, [passage]) == (None, None)


def test_the_assistant_asks_whether_the_latest_question_alone_is_about_the_document(tmp_path, monkeypatch):
    import qa.stages
    from fakes import ScriptedGenerator, ScriptedReader
    from qa import Assistant, Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.md").write_text(PAGE, encoding="utf-8")
    assistant = Assistant.from_corpus(corpus, Settings(data_dir=tmp_path / "data"), embedder=HashingEmbedder(),
                                      generator=ScriptedGenerator(), reader=ScriptedReader(), show_progress=False)
    seen = []

    def recording(question, *args, **kwargs):
        seen.append((question, kwargs["about_document"]))
        return select_evidence(question, *args, **kwargs)

    monkeypatch.setattr(qa.stages, "select_evidence", recording)
    answer = assistant.ask("Who is the author of the article?")
    assert answer.short_answer.text == "Ann Lee" and seen == []  # the byline answers it: no gate, no reader
    assistant.ask("What does the author of the article think?")
    assistant.ask("Where is she based?", history=[("Who is the author of the article?", "Ann Lee.")])
    assert seen[0][1] is True
    assert "author" in seen[1][0] and seen[1][1] is False  # searched with the history, yet not about the page


def test_a_lead_in_ending_in_a_colon_is_quoted_with_what_follows():
    text = ("The summit began on Friday in Moscow. At the opening of the summit President Putin said: "
            "Our ties are being restored at a very fast pace. The talks ended late in the evening.")
    passage = Passage(text, "a.txt", 0, len(text))
    evidence = select_evidence("What did President Putin say at the opening of the summit?", [passage],
                               HashingEmbedder(), n=3, context_gain=1.0)
    lead = next(e for e in evidence if "said:" in e.text)
    assert lead.text.endswith("at a very fast pace.") and text[lead.start:lead.end] == lead.text
    assert not any(e.text.rstrip().endswith(":") for e in evidence)
