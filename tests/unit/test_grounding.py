"""Verification and grounding: the best evidence quoted first, the model's sentence kept only when it passes."""

from index.chunking import Passage
from qa.evidence import (Evidence, expected_answer_kind, has_answer_kind, neighbours, passage_sentences,
                         question_coverage, select_evidence, window)
from qa.answer import ABSTAIN_MESSAGE
from qa.grounding import ground_answer
from qa.verification import asserted_terms, support
from fakes import HashingEmbedder

JET = ("The downing of a Russian jet in 2015 by Turkish missile fire, and the assassination last December of the "
       "Russian ambassador in Ankara, brought the bi-lateral relations to a nadir.")
S400 = "Turkey has shown rather overtly its interest in purchasing latest S-400 air-defense system from Russia."


def _passages():
    return [Passage(JET, "a.md", 0, len(JET), 0.7), Passage(S400, "a.md", 500, 500 + len(S400), 0.5)]


def _evidence(passages):
    return [Evidence(i + 1, p.text, p.source, p.start, p.end, 0.8 - i / 3) for i, p in enumerate(passages)]


def test_support_needs_content_words_and_every_name_and_number():
    assert support("Relations hit a nadir after a Russian jet was downed in 2015.", JET) > 0.8
    assert support("A Russian jet was downed in 2016.", JET) < 0.6  # wrong year
    assert support("The ambassador was killed in Istanbul.", JET) < 0.6  # name not in evidence
    assert support("The S-400 deal costs $2.5 billion.", S400) < 0.6  # invented price
    assert support("", JET) == 0.0
    assert {"ankara", "2015"} <= asserted_terms("It happened in Ankara in 2015.")
    assert support("A Russian jet was downed in 20.", JET) < 0.6  # a number matches whole tokens only
    assert support("Turkey wants the 400 system from Russia.", S400) > 0.6  # "S-400" holds the token 400
    assert support("About 1,000 units were sold.", "About 1,000 units were sold to Turkey.") == 1.0


def test_sentence_cut_off_by_the_token_limit_is_dropped():
    passages = _passages()
    answer = ground_answer("A Russian jet was downed by Turkish missile fire in 2015 [1]. The downing of the jet in 20",
                           "Why?", passages, _evidence(passages))
    assert "in 20" not in answer.text.replace("in 2015", "")
    assert answer.sentences[0].text == f"\u201c{JET}\u201d"  # the best evidence always leads
    assert answer.sentences[1].text.startswith("A Russian jet") and len(answer.sentences) == 2


def test_supported_sentence_is_kept_with_its_citation():
    passages = _passages()
    answer = ground_answer("A Russian jet was downed by Turkish missile fire in 2015 [1].", "Why?", passages,
                           _evidence(passages))
    assert not answer.abstained
    assert answer.sentences[1].text.startswith("A Russian jet") and answer.sentences[1].markers == (1,)
    assert answer.sentences[1].support >= 0.6 and [c.marker for c in answer.citations] == [1]


def test_unsupported_sentence_is_replaced_by_quoted_evidence():
    passages = _passages()
    answer = ground_answer("Turkey will pay $2.5 billion for the S-400 [2]. It was signed in Istanbul [2].",
                           "What is the S-400 price?", passages, _evidence(passages))
    assert "2.5" not in answer.text and "Istanbul" not in answer.text
    assert answer.text.count("\u201c") == 1 and JET in answer.text  # one replacement: the best evidence
    assert all(s.support == 1.0 for s in answer.sentences)


def test_wrong_citation_is_moved_to_the_supporting_passage():
    passages = _passages()
    answer = ground_answer("Turkey is interested in purchasing the S-400 air-defense system from Russia [1].",
                           "What?", passages, _evidence(passages))
    assert answer.sentences[1].markers == (2,)


def test_model_abstention_without_evidence_abstains():
    passages = _passages()
    answer = ground_answer("I don't know.", "Who?", passages, [])
    assert answer.abstained and answer.text == ABSTAIN_MESSAGE and answer.citations == []


def test_irrelevant_but_supported_sentence_is_replaced():
    passages = _passages()
    answer = ground_answer("Turkey is interested in purchasing the S-400 air-defense system [2].",
                           "Why did relations hit a nadir?", passages, _evidence(passages),
                           relevance=lambda texts: [0.1 for _ in texts])
    assert "S-400" not in answer.text and JET in answer.text


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


def test_close_runner_up_evidence_is_quoted_too():
    passages = _passages()
    evidence = [Evidence(1, JET, "a.md", 0, len(JET), 0.80), Evidence(2, S400, "a.md", 500, 600, 0.75)]
    answer = ground_answer("I don't know.", "What happened?", passages, evidence)
    assert JET in answer.text and S400 in answer.text and [c.marker for c in answer.citations] == [1, 2]


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

    passages = _passages()
    question = "What air-defense system does Turkey want to buy?"
    answer = ground_answer("The answer to this question is: the S-400 air-defense system from Russia [2].", question,
                           passages, _evidence(passages))
    assert answer.sentences[1].text == "The S-400 air-defense system from Russia." and "answer" not in answer.text
    for bad in ("What air-defense system does Turkey want to buy [2]?", "The S-400 of the S-400 of the S-400 [2].",
                "Question: What air-defense system does Turkey want [2]?", "[2]."):
        assert len(ground_answer(bad, question, passages, _evidence(passages)).sentences) == 1, bad
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


def test_a_sentence_the_reader_rejects_is_not_shown_and_the_quote_stays():
    passages = _passages()
    answer = ground_answer("Turkey is interested in purchasing the S-400 air-defense system from Russia [2].",
                           "What does Turkey want?", passages, _evidence(passages), answers=lambda texts: [0.1])
    assert [s.text for s in answer.sentences] == [f"\u201c{JET}\u201d"]


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