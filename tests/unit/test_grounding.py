"""Evidence sentences, quotes and the shape checks on a model's sentence."""

from index.chunking import Passage
from qa.evidence import (Evidence, expected_answer_kind, has_answer_kind, neighbours, passage_sentences,
                         question_coverage, select_evidence, window)
from fakes import HashingEmbedder

JET = ("The downing of a Russian jet in 2015 by Turkish missile fire, and the assassination last December of the "
       "Russian ambassador in Ankara, brought the bi-lateral relations to a nadir.")
S400 = "Turkey has shown rather overtly its interest in purchasing latest S-400 air-defense system from Russia."


def test_evidence_helpers():
    sentences = passage_sentences([Passage("# Title\n\nFirst real sentence here. Second one is here too.", "x", 10, 60)])
    assert [s.text for s in sentences] == ["First real sentence here.", "Second one is here too."]
    assert sentences[0].start == 10 + len("# Title\n\n")
    assert question_coverage("Why did relations hit a nadir?", JET) == 2 / 3  # relation, nadir (not "hit")
    assert expected_answer_kind("How much does the S-400 cost?") == "number"
    assert expected_answer_kind("When did the jet fall?") == "date"
    assert expected_answer_kind("Who is Peskov?") is None
    assert not has_answer_kind("number", S400, "How much does the S-400 cost?")  # 400 is part of the name
    assert has_answer_kind("date", JET, "When was the jet downed?")


def test_only_questions_asking_for_the_quantity_or_date_itself_expect_one():
    for question in ("Where can Aeolian sand with a number of dunes be found?", "Who is an important figure in Islam?",
                     "What value does the separation into fermions and bosons depend on?",
                     "How long has Radio Tyneside been the hospital radio service?",  # "since 1951"
                     "When B cells begin to replicate, what do some of their offspring become?"):
        assert expected_answer_kind(question) is None, question
    assert expected_answer_kind("What year was Jamukha surrendered to Temujin?") == "date"
    assert expected_answer_kind("What percentage of the vote did he get?") == "number"
    assert has_answer_kind("date", "Jamukha was surrendered in 1206.")  # a year before 1500 is a year too
    assert has_answer_kind("number", "for thousands of years")


def test_note_references_are_not_quantities():
    assert not has_answer_kind("number", "This deal will be on the table at the summit (3).", "What was the price?")
    assert has_answer_kind("number", "The deal is worth 2.5 billion dollars (3).", "What was the price?")


ROLE = ("# Head\n\nRussia holds a dominant position in the region. Hence Turkey is eager to play the role. "
        "Other news follows here today.")


def test_neighbours_and_window_stay_inside_the_passage():
    passage = Passage(ROLE, "x", 100, 100 + len(ROLE))
    first, second, third = passage_sentences([passage])
    before, after = neighbours(second, [passage])
    assert (before.text, after.text) == (first.text, third.text)
    assert neighbours(first, [passage])[0] is None  # a heading is not context
    joined = window(second, [passage])
    assert (joined.start, joined.end) == (first.start, third.end)
    assert joined.text == ROLE[joined.start - 100:joined.end - 100]


def test_evidence_carries_the_sentence_that_explains_it_and_never_repeats_it():
    passage = Passage(ROLE, "x", 100, 100 + len(ROLE))
    evidence = select_evidence("Why is Turkey eager to play the role, given the dominant position of Russia?",
                               [passage], HashingEmbedder(), n=2)
    assert evidence[0].text == "Russia holds a dominant position in the region. Hence Turkey is eager to play the role."
    assert evidence[0].text == ROLE[evidence[0].start - 100:evidence[0].end - 100]
    assert [e.text for e in evidence[1:]] == ["Other news follows here today."]


def test_preambles_echoes_repetitions_and_role_labels_are_never_shown():
    from qa.grounding import malformed, strip_preamble

    question = "What air-defense system does Turkey want to buy?"
    assert malformed("The S-400 air-defense system from Russia [2].", question) is None
    assert malformed("What air-defense system does Turkey want to buy [2]?", question) == "an echo of the question"
    assert malformed("The S-400 of the S-400 of the S-400 [2].", question) == "a repeated phrase"
    assert malformed("Question: What air-defense system does Turkey want [2]?", question) == "a role label"
    assert malformed("[2].", question) == "empty"
    assert malformed("Turkey wants to buy an air-defense system.", question) == "an echo of the question"
    assert malformed("The Battle of the Battle of the Battle of Hastings.", "Which battle?") == "a repeated phrase"
    assert strip_preamble("Answer: Dmitry Peskov.") == "Dmitry Peskov."
    assert strip_preamble("The answer is in the passages.") == "In the passages."
    assert strip_preamble("The answer to Turkey's role in this process is that it seeks security.") == (
        "It seeks security.")
    assert strip_preamble("The evidence shows that relations improved.") == "Relations improved."
    assert strip_preamble("The evidence is that the agenda was wide.") == "The agenda was wide."
    assert strip_preamble("The answer lies in trade.") == "The answer lies in trade."
    assert strip_preamble("The article is Global Research.") == "The article is Global Research."


def test_a_quote_shows_the_documents_words_and_quotation_marks_exactly():
    from qa.grounding import quote, with_markers

    said = 'Peskov said the agenda would be "as extensive as possible."'
    assert quote(Evidence(1, said, "a.md", 0, len(said), 0.9)).text == f"\u201c{said}\u201d"
    opened = '"We are very much pleased, he said.'
    assert quote(Evidence(1, opened, "a.md", 0, len(opened), 0.9)).text == f"\u201c{opened}\u201d"
    # the quote ends before the note reference that closes the sentence: no stray ',"(1).'
    closed = 'Medvedev informed his counterpart about measures in the full-format mode,"(1).'
    shown = quote(Evidence(1, closed, "a.md", 0, len(closed), 0.9))
    assert shown.text == '\u201cMedvedev informed his counterpart about measures in the full-format mode,"\u201d'
    assert with_markers(shown) == shown.text + " [1]"
    inside = "Israel (2) itself seeks to improve ties (see [3])."
    assert quote(Evidence(2, inside, "a.md", 0, len(inside), 0.9)).text == (
        "\u201cIsrael (2) itself seeks to improve ties (see (3)).\u201d")

def test_a_sentence_ending_on_an_initialism_keeps_its_stop_before_the_marker():
    from qa.answer import AnswerSentence
    from qa.grounding import with_markers

    assert with_markers(AnswerSentence("Check-in is at 3 p.m.", (1,), 1.0)) == "Check-in is at 3 p.m. [1]"
    assert with_markers(AnswerSentence("It is here.", (2,), 1.0)) == "It is here [2]."
