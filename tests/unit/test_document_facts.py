"""Questions about the document itself answered from its marks (qa.document_facts), on small made-up documents."""

from index.chunking import Passage
from index.furniture import furniture_marks
from qa.document_facts import as_spelt_elsewhere, asks_for_author, document_fact, name_the_author

HEAD = ("Harbour Works Reopen After Storm\nBy Ana Lima\nCoastal Gazette, 4 June 2021\nRegion: Northern Coast\n"
        "Theme: Infrastructure\n\nThe harbour works reopened on Monday.")
BIO = "Ana Lima is a Portuguese engineer who writes about ports."


def passages(head: str = HEAD, head_start: int = 0) -> list[Passage]:
    title_end = head.index("\n")
    marks = tuple((head_start + s, head_start + e, k)
                  for s, e, k in furniture_marks(head, [(0, title_end)] if head_start == 0 else []))
    first = Passage(head, "gazette.md", head_start, head_start + len(head), marks=marks)
    bio_start = head_start + len(head) + 2
    return [Passage(BIO, "gazette.md", bio_start, bio_start + len(BIO)), first]


def answer(question: str, ps=None) -> str | None:
    ps = ps or passages()
    fact = document_fact(question, ps, "gazette.md")
    return None if fact is None else fact.text


def test_the_byline_dateline_headline_and_labels_answer_questions_about_the_document():
    assert answer("Who wrote this article?") == "Ana Lima"
    assert answer("Who is the author of the article?") == "Ana Lima"
    assert answer("When was the article published?") == "4 June 2021"
    assert answer("In what year was this article published?") == "2021"
    assert answer("Which newspaper published the article?") == "Coastal Gazette"
    assert answer("What is the headline of the article?") == "Harbour Works Reopen After Storm"
    assert answer("Which region is the article listed under?") == "Northern Coast"
    assert answer("Under which theme is the article filed?") == "Infrastructure"


def test_offsets_point_at_the_answer_in_its_passage():
    ps = passages()
    fact = document_fact("Who wrote this article?", ps, "gazette.md")
    assert ps[fact.passage].text[fact.start:fact.end] == "Ana Lima" and fact.kind == "byline"


def test_questions_not_about_the_document_get_no_fact():
    assert answer("Who wrote Hamlet?") is None  # names no document
    assert answer("When did the harbour works reopen?") is None
    assert answer("What is the author's profession?") is None  # about the author: the reader's question
    assert not asks_for_author("Who wrote Hamlet?")
    assert asks_for_author("Who wrote this?")


def test_a_section_heading_is_not_the_headline():
    assert answer("What is the headline of the article?", passages(head_start=500)) is None


def test_another_documents_marks_are_not_used():
    assert document_fact("Who wrote this article?", passages(), "other.md") is None


def test_the_author_is_named_for_the_reader():
    ps = passages()
    assert name_the_author("What is the author's profession?", ps, "gazette.md") == "What is Ana Lima's profession?"
    assert (name_the_author("In which city is the author of the article based?", ps, "gazette.md")
            == "In which city is Ana Lima based?")
    assert name_the_author("Who wrote this article?", ps, "gazette.md") == "Who wrote this article?"
    assert name_the_author("What is the harbour's depth?", ps, "gazette.md") == "What is the harbour's depth?"
    no_byline = [Passage(BIO, "gazette.md", 0, len(BIO))]
    assert name_the_author("What is the author's profession?", no_byline, "gazette.md") == (
        "What is the author's profession?")


def test_a_byline_typo_is_read_as_the_name_spelt_elsewhere():
    # the sample article's byline says "Werbowksi", its author's note "Werbowski": the reader matches the latter
    typo = [Passage("Ana Limpa writes about ports. Ana Lima is a Portuguese engineer.", "gazette.md", 0, 64)]
    assert as_spelt_elsewhere("Ana Limma", [BIO]) == "Ana Lima"
    assert as_spelt_elsewhere("Ana Lima", [BIO, BIO]) == "Ana Lima"
    assert as_spelt_elsewhere("Ana Limma", [p.text for p in typo]) == "Ana Limma"  # two names one edit away: kept
    assert as_spelt_elsewhere("Joao Pires", [BIO]) == "Joao Pires"
    head = HEAD.replace("By Ana Lima", "By Ana Limma")
    assert name_the_author("Where is the author based?", passages(head), "gazette.md") == "Where is Ana Lima based?"


def test_a_saved_emails_sender_answers_who_sent_it():
    """Session 37: "Who sent the email?" was abstained on (the reader scored the "Sent by:" line under its margin)."""
    head = ("Your completion date\nSent by: Gareth Pryce <gareth.pryce@homes.example>\nSent to: Sophie Marsh "
            "<sophie@example.com>\nSent on: Tuesday 3 March 2026, 09:14\n\nYour home is ready.")
    ps = passages(head)
    for question in ("Who sent the email?", "Who is the email from?", "Who wrote this email?", "Who sent this?",
                     "Who is it from?", "Who sent the message to Sophie?"):
        assert answer(question, ps) == "Gareth Pryce", question  # the name, not its address
    assert answer("Who was the email sent to?", ps) is None  # the recipient: the reader's question
    assert answer("Who sent the troops?", ps) is None and answer("Who is Gareth from?", ps) is None
    assert answer("Who is it from?") == "Ana Lima"  # an article's byline
    assert answer("Who is it from?", passages("Harbour works\nRegion: North\n\nThey reopened.")) is None
