"""qa.compound: a compound question split into the questions it asks; one question left whole."""

from __future__ import annotations

import pytest

from qa.compound import part_standalone, question_parts


@pytest.mark.parametrize("question, parts", [
    ("What did Peskov say about the bi-lateral agenda and about the process between the two countries?",
     ["What did Peskov say about the bi-lateral agenda?",
      "What did Peskov say about the process between the two countries?"]),
    ("How is Russia positioning itself in the region, and what position is it close to attaining?",
     ["How is Russia positioning itself in the region?", "What position is it close to attaining?"]),
    ("How were high speed connections maintained and who were they monitored by?",
     ["How were high speed connections maintained?", "Who were they monitored by?"]),
    ("Who killed the Russian ambassador in Ankara, and why?", ["Who killed the Russian ambassador in Ankara?", "Why?"]),
    ("When was the Russian jet downed and by whom?", ["When was the Russian jet downed?", "By whom?"]),
    ("When and where did Putin and Erdogan meet?",
     ["When did Putin and Erdogan meet?", "Where did Putin and Erdogan meet?"]),
    ("When was the Russian jet downed, and who shot it down?",
     ["When was the Russian jet downed?", "Who shot it down?"]),
])
def test_a_compound_question_is_split_into_its_questions(question, parts):
    assert question_parts(question) == parts


@pytest.mark.parametrize("question", [
    "Who is Putin's spokesman?",
    "Why did relations between Russia and Turkey hit a nadir?",  # "and" inside a phrase
    "Why and how?",  # coordinated wh-words with nothing to ask of
    "British commentators include Darren Fletcher, Rocky Boiman and who else?",
    "Colonialism as a policy is caused by financial and what other reasons?",  # "and what" ends a phrase
    "The term imperialism has been applied to western countries, and which eastern county?",  # not a question opening
    "Agassiz's approach to science combined observation and what?",
    "What topics are expected to be on the agenda of the Russia-Turkey summit?",
])
def test_a_question_asking_one_thing_is_left_whole(question):
    assert question_parts(question) == [question]


@pytest.mark.parametrize("part, first, answer, standalone", [
    ("Where will it be discussed?", "What strategy does the potential arms deal exemplify?", "",
     "Where will the potential arms deal be discussed?"),
    ("What position is it close to attaining?", "How is Russia positioning itself in the region?",
     "as the leading mediator", "What position is Russia close to attaining?"),
    ("Who were they monitored by?", "How were high speed connections maintained?", "",
     "Who were high speed connections monitored by?"),
    ("What did he say about the agenda?", "Who is Putin's spokesman?", "Dmitry Peskov",
     "What did Dmitry Peskov say about the agenda?"),
    ("Why?", "Who killed the Russian ambassador in Ankara?", "a Turkish policeman",
     "Why did a Turkish policeman kill the Russian ambassador in Ankara?"),
    ("By whom?", "When was the Russian jet downed?", "2015", "By whom was the Russian jet downed?"),
    ("Who says so?", "With which three countries does Putin keep flexible relationships?", "Iran, Israel and Turkey",
     "According to whom does Putin keep flexible relationships with Iran, Israel and Turkey?"),  # session 40
])
def test_a_later_part_leaning_on_the_first_reads_on_its_own(part, first, answer, standalone):
    assert part_standalone(part, first, answer) == standalone


@pytest.mark.parametrize("part, first, answer", [
    ("Why?", "Who killed the Russian ambassador in Ankara?", ""),  # the subject is the unfound answer
    ("Who knows?", "With which three countries does Putin keep flexible relationships?", "Iran, Israel and Turkey"),
])
def test_a_later_part_no_rule_makes_standalone_is_not_asked(part, first, answer):
    assert part_standalone(part, first, answer) == ""


def test_the_note_names_each_part_without_an_answer_and_why():
    from qa.compound import UNREAD, unanswered_parts_note

    assert unanswered_parts_note([]) == ""
    assert unanswered_parts_note([("Where is he based?", "no span beats no answer"), ("Who says so?", UNREAD)]) == (
        "The documents do not contain an answer to \u201cWhere is he based?\u201d. "
        "\u201cWho says so?\u201d was not read: ask it as a question of its own.")
