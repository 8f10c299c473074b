"""Example questions from the indexed documents, and positions said as paragraphs or pages (pure)."""

from __future__ import annotations

from index.records import StoredDocument
from ui.examples import example_questions
from ui.positions import page_starts, paragraph_starts, position_label

ARTICLE = ("Trade Talks Resume, A Welcome Boost for the Region and Far Beyond?\n\nBy Jane Roe\n\nThe European Commission met "
           "the Trade Council in Geneva. The European Commission said talks would go on.\n\nWhat comes next\n\n"
           "The Trade Council will meet again.")
KITTENS = "Kittens\n\nKittens sleep sixteen hours a day. Maine Coon kittens grow slowly."


def _doc(source: str, text: str, marks=()) -> StoredDocument:
    return StoredDocument(source, text.split("\n")[0], "x", text, 1, None, tuple(marks))


def _article() -> StoredDocument:
    heading = ARTICLE.index("What comes next")
    title, byline = ARTICLE.index("\n"), ARTICLE.index("By Jane Roe")
    return _doc("trade.md", ARTICLE, [(0, title, "heading"), (byline, byline + 11, "byline"), (heading, heading + 15, "heading")])


def test_examples_come_from_titles_names_and_headings_of_the_documents():
    questions = example_questions({"trade.md": _article()})
    assert questions[0] == "What is “Trade Talks Resume” about?"  # a long title: its main clause
    assert "What is said about the European Commission?" in questions  # the most-named name
    assert "What comes next?" in questions  # a heading that is a question is asked as it is
    assert all("Russia" not in q and "Turkey" not in q for q in questions)
    assert not any("Jane Roe" in q for q in questions)  # bylines are page furniture, not the subject...
    assert "Who wrote “Trade Talks Resume”?" in questions  # ...but they answer who wrote it


def test_examples_put_just_uploaded_documents_first_and_are_never_empty():
    documents = {"trade.md": _article(), "kittens.md": _doc("kittens.md", KITTENS, [(0, 7, "heading")])}
    questions = example_questions(documents, first=["kittens.md"])
    assert questions[0] == "What is “Kittens” about?" and len(questions) == 4
    assert "What is said about Maine Coon?" in questions
    assert example_questions({}) == ["What are these documents about?"]
    untitled = StoredDocument("cats.pdf", "untitled", "x", "Cats purr.", 1)
    assert example_questions({"cats.pdf": untitled}) == ["What is cats.pdf about?"]


def test_positions_are_paragraphs_or_pages():
    text = "First para.\n\nSecond para.\n\nThird para."
    assert paragraph_starts(text) == [0, 13, 27]
    assert position_label(text, 13, 25) == "paragraph 2 of 3"
    assert position_label(text, 0, 25) == "paragraphs 1–2 of 3"
    pages = page_starts(["First para.\nSecond", "Third para."], text)
    assert pages == [0, 27]
    assert position_label(text, 27, 38, pages) == "page 2 of 2" and position_label(text, 0, 5, pages) == "page 1 of 2"
    assert page_starts(["Not in the text at all"], text) is None


def test_pdf_pages_are_found_in_the_document_text(tmp_path):
    from reportlab.pdfgen import canvas

    from index.documents import load_document
    from ui.positions import pdf_page_starts

    path = tmp_path / "guide.pdf"
    c = canvas.Canvas(str(path))
    for text in ("Kittens sleep sixteen hours a day.", "Cats purr when they are content."):
        c.drawString(72, 720, text)
        c.showPage()
    c.save()
    document = load_document(path)
    pages = pdf_page_starts(path, document.text)
    start = document.text.index("Cats purr")
    assert pages == [0, start]
    assert position_label(document.text, start, len(document.text), pages) == "page 2 of 2"
    assert pdf_page_starts(tmp_path / "missing.pdf", document.text) is None


def test_a_heading_is_never_offered_as_if_it_were_a_question():
    text = "Talks\n\nRussian diplomacy: Towards a masterful position in the Middle East?\n\nThe talks went on."
    start = text.index("Russian")
    document = _doc("talks.md", text, [(0, 5, "heading"), (start, text.index("?") + 1, "heading")])
    questions = example_questions({"talks.md": document})
    assert "What does it say about Russian diplomacy?" in questions
    assert not any("Towards" in q for q in questions)


def test_a_heading_opening_on_a_common_word_is_asked_about_in_lower_case():
    text = ("Key facts\n\nYour car and dates\n\nYou have booked a car.\n\nThe BrewMaster 300\n\nIt brews.\n\n"
            "A guide to fuel\n\nFill it up.")
    your, the = text.index("Your"), text.index("The Brew")
    a = text.index("A guide")
    marks = [(0, 9, "heading"), (your, your + 18, "heading"), (the, the + 18, "heading"), (a, a + 15, "heading")]
    questions = example_questions({"hire.md": _doc("hire.md", text, marks)}, limit=8)
    assert "What does it say about your car and dates?" in questions
    assert "What does it say about the BrewMaster 300?" in questions
    assert "What does it say about a guide to fuel?" in questions


def test_only_accepted_candidates_are_offered_and_each_is_asked_once():
    asked = []
    accept = lambda q: asked.append(q) or "Commission" in q  # noqa: E731
    questions = example_questions({"trade.md": _article()}, accept=accept)
    assert questions == ["What is said about the European Commission?"] and len(asked) == len(set(asked)) >= 3
    assert example_questions({"trade.md": _article()}, accept=lambda q: False) == []  # no unanswered fallback


def test_an_answer_that_is_a_heading_or_repeats_the_question_does_not_answer_it():
    from qa import Answer, AnswerSentence
    from ui.example_check import answers_it

    documents = {"trade.md": _article()}

    def answer(text, abstained=False):
        cites = [] if abstained else [type("C", (), {"source": "trade.md"})()]
        return Answer(text, cites, abstained, "q", [], [AnswerSentence(text, (1,), 1.0)])

    title = "\u201cTrade Talks Resume, A Welcome Boost for the Region and Far Beyond?\u201d [1]"
    assert not answers_it("Who wrote “Trade Talks Resume”?", answer(title), documents)
    assert not answers_it("What is “Trade Talks Resume” about?", answer("\u201cTrade Talks Resume\u201d [1]"), documents)
    assert not answers_it("What comes next?", answer("x", abstained=True), documents)
    said = "\u201cThe European Commission said talks would go on.\u201d [1]"
    assert answers_it("What is said about the European Commission?", answer(said), documents)


def test_example_questions_fit_the_list_uncut():
    text = "Northgate Veterinary Group: Home Working Policy\n\nStaff may work from home two days a week."
    document = StoredDocument("policy.md", text.split("\n")[0], "x", text, 1, None, ((0, 47, "heading"),))
    questions = example_questions({"policy.md": document})
    assert questions[0] == "What is “Home Working Policy” about?"
    assert all(len(q) <= 60 for q in questions)


def test_a_name_joined_by_an_ampersand_is_asked_whole():
    """Session 25: "Harrow & Finch Design Ltd" was offered as "What is said about Finch Design Ltd?"."""
    from ui.examples import _names

    text = "This policy applies to Harrow & Finch Design Ltd staff. Harrow & Finch Design Ltd pays them."
    assert _names(text, [])[0] == "Harrow & Finch Design Ltd"


def test_a_title_or_heading_in_capitals_is_asked_about_in_ordinary_case():
    """Session 43: a council's plain-text guide offered "What is “WESTMERE BOROUGH COUNCIL” about?"."""
    text = "WESTMERE BOROUGH COUNCIL\n\nYOUR BINS AT A GLANCE\n\nBlue bin. Use it for paper.\n\nFAQ\n\nAsk us."
    bins, faq = text.index("YOUR"), text.index("FAQ")
    marks = [(0, 24, "heading"), (bins, bins + 21, "heading"), (faq, faq + 3, "heading")]
    questions = example_questions({"bins.txt": _doc("bins.txt", text, marks)}, limit=8)
    assert "What is “Westmere Borough Council” about?" in questions
    assert "What does it say about your bins at a glance?" in questions


def test_a_numbered_heading_is_asked_about_without_its_number():
    text = "Rules\n\n4. Sheds and greenhouses\n\nSheds may be no larger than 6 feet by 8 feet."
    start = text.index("4.")
    document = _doc("rules.pdf", text, [(0, 5, "heading"), (start, start + 24, "heading")])
    questions = example_questions({"rules.pdf": document})
    assert "What does it say about Sheds and greenhouses?" in questions
