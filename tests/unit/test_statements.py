"""Issue 25: the statements a question and its span can be said as (qa.statements), and the model choosing one."""

from __future__ import annotations

import pytest

from fakes import PieceTokenizer, WishfulGenerator
from qa.constrained import choose_statement, draft_sentence
from qa.statements import statement_candidates
from qa.verb_forms import base_of_past, past, third_person


@pytest.mark.parametrize("question, span, statement", [
    ("When was the article published?", "March 12, 2017", "The article was published on March 12, 2017."),
    ("Who is Putin's spokesman?", "Dmitry Peskov", "Putin's spokesman is Dmitry Peskov."),
    ("Who is Putin's spokesman?", "Dmitry Peskov", "Dmitry Peskov is Putin's spokesman."),
    ("What did the US abandon?", "the Gold Exchange Standard", "The US abandoned the Gold Exchange Standard."),
    ("What does Turkey want to buy from them?", "the S-400", "Turkey wants to buy the S-400 from them."),
    ("Which country is Turkey seeking out as a partner?", "Russia", "Turkey is seeking out Russia as a partner."),
    ("What brought down the Russian jet in 2015?", "Turkish missile fire",
     "Turkish missile fire brought down the Russian jet in 2015."),
    ("Which website published the article?", "Global Research", "Global Research published the article."),
    ("In which city are the talks being held?", "Astana", "The talks are being held in Astana."),
    ("Why is Turkey seeking a new partner?", "to buy weapons", "Turkey is seeking a new partner to buy weapons."),
    ("Why did relations sink?", "the downing of a jet", "Relations sank because of the downing of a jet."),
    ("How many people died in the crash?", "fifteen", "Fifteen people died in the crash."),
    ("Where is he currently based?", "Moscow", "He is currently based in Moscow."),
    ("What kind of order would the deal help create?", "multi-polar", "The deal would help create multi-polar order."),
    ("What have Muslims praised Hamas for doing?", "driving Israel out",
     "Muslims have praised Hamas for driving Israel out."),
    ("How did the party overthrow the government?", "with the help of the army",
     "The party overthrew the government with the help of the army."),
    ("Democracy is blamed for what type of horrible events?", "wars", "Democracy is blamed for wars."),
    ("Which two power blocks are left out by the deal?", "the US and the EU",
     "The two power blocks that are left out by the deal are the US and the EU."),
    ("According to his remarks, what is being restored?", "trade",
     "According to his remarks, trade is being restored."),
    ("How long did the meeting last?", "two hours", "The meeting lasted two hours."),
    ("Who acts as his mouthpiece?", "Dmitry Peskov", "Dmitry Peskov acts as his mouthpiece."),
    ("Where are the talks for a lasting peace taking place?", "Astana",
     "The talks for a lasting peace are taking place in Astana."),
    ("Whose fate is uncertain?", "President Assad", "President Assad's fate is uncertain."),
    ("What year was the press started?", "1638", "The press was started in 1638."),
    ("By what means is it administered?", "by conquering lands", "It is administered by conquering lands."),
    ("What religion did the French spread?", "Catholicism", "The French spread Catholicism."),
    ("The issues are related to what kind of deals?", "energy deals", "The issues are related to energy deals."),
    ("How long is the trial period?", "six months", "The trial period is six months."),
    ("How much is the joining fee?", "500 pounds", "The joining fee is 500 pounds."),
    ("How long is a library card valid?", "three years", "A library card is valid for three years."),
    ("Who can join the library?", "Anyone who lives in Greenfield",
     "Anyone who lives in Greenfield can join the library."),
    ("Who has led the party since 2010?", "Ann Lee", "Ann Lee has led the party since 2010."),
    ("How long is a reserved item held at the desk?", "7 days", "A reserved item is held at the desk for 7 days."),
    # session 23, a user's own manual: the asker is "you", "not" stays with "does", a measure takes "of"
    ("How much coffee do I need for a double shot?", "14 grams", "You need 14 grams of coffee for a double shot."),
    ("How often should I descale the machine?", "every two months",
     "You should descale the machine every two months."),
    ("Where is my order?", "in the warehouse", "Your order is in the warehouse."),
    ("What does the warranty not cover?", "damage caused by limescale",
     "The warranty does not cover damage caused by limescale."),
    ("How much water does the tank hold?", "1.8 litres", "The tank holds 1.8 litres of water."),
    ("How many loaves does the bakery bake?", "1,800", "The bakery bakes 1,800 loaves."),
    ("Why should I not use vinegar?", "it damages the seals", "You should not use vinegar because it damages the seals."),
    ("How many rooms have been booked?", "14", "14 rooms have been booked."),  # was "Been have booked 14 rooms."
    ("What time is check-in?", "3 p.m.", "Check-in is at 3 p.m."),  # was "an echo": "3 p.m." had no content word
])
def test_the_statement_a_person_would_write_is_among_the_candidates(question, span, statement):
    assert statement in statement_candidates(question, span)


def test_every_candidate_holds_the_span_verbatim_and_ends_in_a_full_stop():
    candidates = statement_candidates("Where were the March 10th meetings held?", "the Kremlin")
    assert candidates and all("the Kremlin" in c and c.endswith(".") and c[0].isupper() for c in candidates)
    assert len(set(candidates)) == len(candidates)


def test_no_preposition_before_yesterday_and_no_statement_of_what_someone_said():
    assert "He informed them yesterday." in statement_candidates("When did he inform them?", "yesterday")
    assert not any(" on yesterday" in c for c in statement_candidates("When did he inform them?", "yesterday"))
    assert statement_candidates("What did Peskov say about the agenda?", "as extensive as possible") == []
    assert statement_candidates("What did President Putin say at the summit?", "We are pleased") == []
    late = statement_candidates("When did he inform them about it?", "Yesterday")
    assert "He informed them about it Yesterday." in late and all(c.endswith(" it Yesterday.") for c in late)
    assert statement_candidates("Why is Turkey moving away from NATO?", "assuring its own security needs") == []


def test_a_form_the_rules_do_not_know_has_no_candidates():
    assert statement_candidates("Name one country that banned driving on Sundays.", "the UK") == []
    assert statement_candidates("Peskov?", "Dmitry Peskov") == []
    assert statement_candidates("Who is it?", "") == []


def test_impossible_word_orders_are_not_candidates():
    candidates = statement_candidates("Why is Turkey eager to play the role?", "its ambitions")
    assert not any(c.startswith("The is") for c in candidates)  # a subject never ends in a determiner
    assert not any(c.startswith("Turkey eager to play the role is") for c in candidates)  # the reason comes last
    talks = statement_candidates("Where are the talks for peace taking place?", "Astana")
    assert all(c.startswith("The talks for peace are taking place") for c in talks)  # the subject ends at "taking"
    assert not any(c.startswith("World order would") for c in statement_candidates(
        "What kind of world order would the deal help create?", "multi-polar"))  # "world" is no verb
    assert not any("did" in c for c in statement_candidates("What did the US abandon?", "gold"))
    assert not any(c.startswith("According to his remarks, trade.") for c in statement_candidates(
        "According to his remarks, what is being restored?", "trade"))  # the answer does not swallow the verb
    assert not any(c.startswith("Not") for c in statement_candidates("Which theory does not justify it?", "X"))
    assert not any("fate that" in c for c in statement_candidates("Which leader's fate is uncertain?", "Assad"))
    assert not any("order order" in c for c in statement_candidates(  # the span names the kind already
        "What kind of order would the deal help create?", "a multi-polar order"))


def test_no_statement_misreads_a_pronoun_a_negation_or_an_action_asked_for():
    assert statement_candidates("What should I do if the coffee runs too fast?", "the grind is too coarse") == []
    assert not any("nots" in c or "I" in c.split() for c in statement_candidates(
        "What does the warranty not cover?", "damage"))
    assert not any(" the it " in c for c in statement_candidates("Why should I not use vinegar?", "it damages it"))
    assert "You were charged on March 3." in statement_candidates("When was I charged?", "March 3")
    tablets = statement_candidates("How many tablets are in the box?", "Two tablets")
    assert "Two tablets are in the box." in tablets and not any("tablets tablets" in c for c in tablets)


@pytest.mark.parametrize("answer, slot", [
    ("18 November", "on 18 November"), ("Tuesday", "on Tuesday"), ("March 12, 2017", "on March 12, 2017"),
    ("9 a.m.", "at 9 a.m."), ("10:30", "at 10:30"), ("1973", "in 1973"), ("March 2017", "in March 2017"),
    ("Tuesday 18 November to Thursday 20 November", "from Tuesday 18 November to Thursday 20 November")])
def test_a_time_answer_takes_the_preposition_its_form_asks_for(answer, slot):
    """"The coach leaves at 18 November." was chosen among "on"/"at"/"in" (session 23): a date takes "on" only."""
    end = "" if slot.endswith(".") else "."
    assert statement_candidates("When does the coach leave?", answer) == [f"The coach leaves {slot}{end}"]


def test_what_happens_if_has_no_noun_phrase():
    assert not any("happens" in c for c in statement_candidates("What happens if the weather is bad?", "a hike"))


def test_verb_forms():
    assert past("buy")[0] == "bought" and past("publish") == ["published"]
    assert past("try") == ["tried"] and past("stop") == ["stoped", "stopped"] and past("raise") == ["raised"]
    assert past("abandon") == ["abandoned"] and past("overthrow") == ["overthrew"]
    assert base_of_past("came") == "come" and base_of_past("overthrew") == "overthrow" and base_of_past("ran") == "run"
    assert base_of_past("walked") is None
    assert third_person("want") == ["wants"] and third_person("try") == ["tries"] and third_person("do") == ["does"]


# ---- the model chooses -------------------------------------------------------------------------------------------

class Scoring(WishfulGenerator):
    """A wishful generator that also scores whole replies: 0 for its wish, minus one per differing character."""

    def __init__(self, tokenizer, wish: str) -> None:
        super().__init__(tokenizer, wish)
        self.text = wish

    def sequence_logprobs(self, messages, replies):
        self.scored = list(replies)
        return [(-sum(a != b for a, b in zip(r, self.text)) - abs(len(r) - len(self.text)), len(r.split()))
                for r in replies]


PIECES = [" ", ".", "The", " the", " article", " was", " published", " on", " March", " 12", ",", " 2017", "?"]


def test_the_most_probable_candidate_is_chosen():
    generator = Scoring(PieceTokenizer(PIECES), "The article was published on March 12, 2017.")
    sentence, mean = choose_statement(generator, [], ["The was article published on March 12, 2017.",
                                                      "The article was published on March 12, 2017."])
    assert sentence == "The article was published on March 12, 2017." and mean == 0


def test_draft_sentence_says_the_chosen_statement_and_checks_it():
    generator = Scoring(PieceTokenizer(PIECES), "The article was published on March 12, 2017.")
    draft = draft_sentence(generator, "When was the article published?", "March 12, 2017",
                           "The article was published on March 12, 2017 by Global Research.")
    assert draft.sentence == "The article was published on March 12, 2017." and draft.problem is None
    assert set(generator.scored) == set(statement_candidates("When was the article published?", "March 12, 2017"))


def test_a_question_the_rules_cannot_restate_gets_no_sentence():
    generator = Scoring(PieceTokenizer(PIECES), "The UK banned it.")
    draft = draft_sentence(generator, "Name one country that banned it.", "the UK", "the UK banned it.")
    assert draft.sentence == "" and "no statement of this" in draft.problem and not hasattr(generator, "scored")


def test_without_scoring_the_word_constraint_decodes():
    question, span, passage = "Who is Putin's spokesman?", "Dmitry Peskov", "Putin's spokesman, Dmitry Peskov, said."
    plain = WishfulGenerator(PieceTokenizer(PIECES + [" Put", "in", "'s", " spokes", "man", " is", " Dmitry",
                                                      " Pes", "kov", "Put"]), "Putin's spokesman is Dmitry Peskov.")
    assert not hasattr(plain, "sequence_logprobs")
    assert draft_sentence(plain, question, span, passage).sentence == "Putin's spokesman is Dmitry Peskov."


def test_sequence_logprobs_on_a_shared_prompt_cache_equal_each_reply_scored_on_its_own():
    import torch
    from test_fast_decode import tiny_llama

    from qa.transformers_generator import TransformersGenerator

    class Ids:  # a tokenizer whose "text" is space-separated token ids
        eos_token_id = 3

        def encode(self, text, add_special_tokens=False):
            return [int(t) for t in text.split()]

    gen = TransformersGenerator("tiny", dtype="float32")
    gen.model, gen.tokenizer = tiny_llama(), Ids()
    gen.model.generation_config.eos_token_id = 3
    prompt = torch.tensor([[11, 12, 13, 14, 15]])
    gen.prompt_ids = lambda messages: {"input_ids": prompt}
    replies = ["20 21 22", "20 30", "40 41 42 43 44"]
    got = gen.sequence_logprobs([], replies)
    for reply, (total, count) in zip(replies, got):
        ids = torch.tensor([[*prompt[0].tolist(), *map(int, reply.split()), 3]])
        with torch.inference_mode():
            logprobs = torch.log_softmax(gen.model(input_ids=ids).logits[0].float(), -1)
        expected = sum(float(logprobs[i - 1, ids[0, i]]) for i in range(prompt.shape[1], ids.shape[1]))
        assert count == len(reply.split()) + 1 and total == pytest.approx(expected, abs=1e-4)


def test_the_check_knows_the_verb_forms_statements_use():
    from qa.constrained import sentence_problem

    passage = "Erdogan's trip to Moscow signifies a strategic shift. The party overthrew the government in 1989."
    assert sentence_problem("That trip signifies a strategic shift.", "What does that trip signify?", passage,
                            "a strategic shift") is None
    assert sentence_problem("The two reluctant partners came together because of mutual interest.",
                            "Why did the two reluctant partners come together?", "Mutual interest brought them.",
                            "mutual interest") is None


def test_no_statement_makes_a_clause_the_subject_of_what_happens():
    """"What happens on public holidays?" + "receive double pay" read "Receive double pay happens on public
    holidays." (a new user's document, session 22): the answer to "what happens" is a clause, not a subject."""
    assert statement_candidates("What happens on public holidays?", "receive double pay") == []
    assert statement_candidates("What happened to the jet in 2015?", "it was shot down") == []


def test_no_statement_of_a_measures_adjective():
    """"six-month" of "a six-month trial period" is no noun phrase: every candidate read wrong ("The trial period is
    six-month.", "... is for new members six-month.")."""
    assert statement_candidates("How long is the trial period?", "six-month") == []
    assert statement_candidates("How long is the trial period?", "six months")


def test_a_modal_or_perfect_question_has_no_statement_without_a_verb_after_its_subject():
    """"Who can join the library?" was said "Join the library can Anyone who lives ..." (session 22)."""
    assert statement_candidates("Who can join the library?", "Anyone who lives in Greenfield") == [
        "Anyone who lives in Greenfield can join the library."]
    assert not any(c.startswith(("Led", "Lead")) for q, span in (("Who has led the party?", "Ann Lee"),
                                                                 ("Who will lead the talks?", "Putin"))
                   for c in statement_candidates(q, span))
    assert statement_candidates("Who can the members elect?", "a treasurer") == ["The members can elect a treasurer."]


def test_a_sentence_whose_news_is_a_number_is_no_echo_and_an_initialism_keeps_its_stop():
    from qa.grounding import malformed
    from qa.vocab_mask import answer_text

    assert malformed("Check-in is at 3 p.m.", "What time is check-in?") is None
    assert malformed("Check-in is at check-in.", "What time is check-in?") == "an echo of the question"
    assert answer_text("3 p.m.") == "3 p.m." and answer_text("the U.S.") == "the U.S."
    assert answer_text("in Moscow.") == "in Moscow" and answer_text("“Yes,”") == "Yes"
    assert "3 p.m. is check-in." not in statement_candidates("What time is check-in?", "3 p.m.")
