"""Issue 25: the model's one sentence for a found span: the check, the allowed words, the decoding masks, and the
integration function, with deterministic fakes (and one tiny random Llama for the greedy_tokens hook)."""

from __future__ import annotations

import pytest
import torch

from fakes import PieceTokenizer, ScriptedGenerator, WishfulGenerator
from qa.constrained import (allowed_words, answer_forms, build_messages, draft_sentence, first_sentence,
                            model_sentence, sentence_problem, supporting_sentence)
from qa.vocab_mask import token_constraint, token_table, word_constraint

QUESTION = "Who is Putin's spokesman?"
SPAN = "Dmitry Peskov"
PASSAGE = ("Economic issues are also set to be part of the discussions. Putin's spokesman, Dmitry Peskov, told "
           "reporters a day ahead of the planned March 10th meetings at the Kremlin, that the bi-lateral agenda "
           "would be \"as extensive as possible.\"")
PIECES = [" ", ".", ",", "'s", "The", " the", " is", " was", "Put", "in", " Put", " spokes", "man", " D", "mit",
          "ry", " Dmitry", "Dmitry", " Pes", "kov", " Peskov", " cat", " diplomat", "ro", " a", " not", "?", " [",
          "1", "]", "\n", "Who", " who", " told", " reporters", "-", " bi", "lateral", " spokesman"]


def ids(tokenizer, mask) -> set[str]:
    return {tokenizer.pieces[int(i)] for i in mask.nonzero().flatten()}


# ---- the check ---------------------------------------------------------------------------------------------

def test_a_right_sentence_passes():
    assert sentence_problem("Putin's spokesman is Dmitry Peskov.", QUESTION, PASSAGE, SPAN) is None
    assert sentence_problem("Putin's spokesman is Dmitry Peskov [1].", QUESTION, PASSAGE, SPAN) is None
    assert sentence_problem("Dmitry Peskov is Putin's spokesman.", QUESTION, PASSAGE, SPAN) is None


@pytest.mark.parametrize("sentence, why", [
    ("Putin's spokesman is Peskov.", "not in it verbatim"),
    ("Putin's spokesman is dmitry peskov.", "not in it verbatim"),
    ("Putin's spokesman is Dmitry Peskov, a diplomat.", "'diplomat' is in neither"),
    ("Putin's spokesman is not Dmitry Peskov.", "'not' is in neither"),
    ("Putin's spokesman is Dmitry Peskov. He told reporters.", "more than one sentence"),
    ("Putin's spokesman is Dmitry Peskov\nHe told reporters.", "more than one sentence"),
    ("Putin's spokesman is Dmitry Peskov", "unfinished"),
    ("Dmitry Peskov.", "only the answer"),
    ("The answer is Dmitry Peskov.", "a preamble"),
    ("Who is Putin's spokesman is Dmitry Peskov.", "a question"),
    ("The spokesman of Dmitry Peskov.", "no verb"),
    ("Putin's spokesman is Dmitry Peskov, Putin's spokesman.", "said twice"),
    ("Putin's spokesman (Dmitry Peskov told reporters.", "unclosed"),
    ("", "empty"),
    ("Putin's spokesman is Dmitry Peskov?.", "an end after an end"),
    ("Putin's spokesman is a the Dmitry Peskov.", "a doubled determiner"),
    ("Putin's spokesman is for for Dmitry Peskov.", "a doubled preposition"),
])
def test_a_wrong_sentence_is_refused_with_its_reason(sentence, why):
    problem = sentence_problem(sentence, QUESTION, PASSAGE, SPAN)
    assert problem is not None and why in problem


def test_a_measures_adjective_is_no_complement():
    question, passage = "How long is the trial period?", "New members work a six-month trial period."
    for sentence in ("The trial period is six-month.", "The trial period is for six-month.",
                     "The trial period is for new members six-month."):
        assert "a measure's adjective" in sentence_problem(sentence, question, passage, "six-month")


def test_the_plain_verb_after_do_and_its_subject_is_a_verb():
    question, passage = "What majority do decisions need?", "Decisions need a two-thirds majority."
    assert sentence_problem("Decisions need two-thirds.", question, passage, "two-thirds") is None
    assert "no verb" in sentence_problem("Decisions of two-thirds.", question, passage, "two-thirds")


def test_a_name_or_the_verb_of_the_question_may_not_be_left_out():
    question, passage = "In what year was the Russian jet downed by Turkish missile fire?", "In 2015 a jet fell."
    assert sentence_problem("In 2015, the Russian jet was downed by Turkish missile fire.", question, passage,
                            "2015") is None
    assert "leaves out 'turkish'" in sentence_problem("In 2015, the Russian jet was downed by missile fire.",
                                                      question, passage, "2015")
    question = "Who called for an agency to be created to undermine the ideology?"
    assert "leaves out 'called'" in sentence_problem("Christian Whiton wanted an agency to be created to undermine "
                                                     "the ideology.", question, "Whiton wanted it.", "Christian Whiton")


@pytest.mark.parametrize("question, sentence, span, why", [
    ("When was the FIS founded?", "The FIS was founded is 1989.", "1989", "a copula where"),
    ("In which city is the author based?", "The author based is Moscow.", "Moscow", "a copula where"),
    ("Where did the support come from?", "The support to come is Pakistan.", "Pakistan", "a copula where"),
    ("What did the system assign automatically?", "The system was automatically assigned addresses.",
     "automatically assigned addresses", "a passive"),
    ("What would the deal help create?", "The deal helped create a new order.", "a new order", "drops 'would'"),
    ("What type of Islam does Salafism promote?", "Islam does Salafism promote, a conservative type.",
     "conservative", "word order"),
    ("What do I need for the hike?", "You need bring walking boots for the hike.", "bring walking boots",
     "a plain verb"),  # session 23: the span is a verb phrase, the statement wants a noun phrase
])
def test_a_sentence_that_misreads_the_questions_form_is_refused(question, sentence, span, why):
    passage = f"{sentence} {question}"
    problem = sentence_problem(sentence, question, passage, span)
    assert problem is not None and why in problem
    assert sentence_problem("The FIS was founded in 1989.", "When was the FIS founded?", "founded in 1989", "1989") \
        is None


def test_the_check_uses_the_passage_words_and_the_well_formedness_check():
    # "reporters" and "told" are the passage's: allowed; a repeated phrase is malformed (qa.grounding)
    assert sentence_problem("Putin's spokesman Dmitry Peskov told reporters.", QUESTION, PASSAGE, SPAN) is None
    assert sentence_problem("Putin's spokesman is Dmitry Peskov.", QUESTION, "Someone else spoke.", SPAN) is None
    assert "'reporters' is in neither" in sentence_problem("Putin's spokesman Dmitry Peskov told reporters.",
                                                           QUESTION, "Dmitry Peskov told them.", SPAN)


def test_a_leading_article_of_the_span_may_go_and_the_span_may_open_the_sentence():
    question, span = "What was the Soviet Union trying to suppress with its army?", "an Islamic rebellion"
    assert answer_forms(span) == ["an Islamic rebellion", "Islamic rebellion"]
    assert sentence_problem("The Soviet Union was trying to suppress the Islamic rebellion.", question,
                            "It tried to suppress an Islamic rebellion.", span) is None
    assert sentence_problem("Global Research published the article.", "Which website published the article?",
                            "Global Research", "global Research") is None


def test_regular_inflections_of_the_questions_words_are_allowed():
    question = "Where does HAMAS want to establish an Islamic state?"
    assert sentence_problem("HAMAS wants to establish an Islamic state in Palestine.", question,
                            "HAMAS seeks a state in Palestine.", "Palestine") is None
    assert {"wants", "wanted", "establishes"} <= allowed_words(question, "", "Palestine")


# ---- the allowed words, the prompt, the supporting sentence ---------------------------------------------------

def test_allowed_words_are_the_question_passage_span_and_function_words_in_three_casings():
    words = allowed_words(QUESTION, PASSAGE, SPAN)
    assert {"Putin", "putin", "spokesman", "Spokesman", "Dmitry", "Peskov", "reporters", "the", "The", "is",
            "was", "has", "did"} <= words
    assert not {"diplomat", "cat", "not", "s"} & words  # "not" only where the question or passage says it
    assert "not" in allowed_words("Why did he not come?", "", "x")


def test_the_prompt_gives_the_supporting_sentence_question_and_answer():
    support = supporting_sentence(PASSAGE, SPAN)
    assert support.startswith("Putin's spokesman, Dmitry Peskov, told") and "Economic" not in support
    assert supporting_sentence(PASSAGE, "Kremlin", PASSAGE.index("Kremlin")) == support
    last = build_messages(QUESTION, SPAN, support)[-1]["content"]
    assert "Putin's spokesman, Dmitry Peskov" in last and QUESTION in last and "Answer: Dmitry Peskov" in last
    assert "Text:" not in build_messages(QUESTION, SPAN, support, "statement")[-1]["content"]
    with pytest.raises(ValueError):
        build_messages(QUESTION, SPAN, support, "nonsense")


def test_first_sentence_ends_at_a_full_stop_outside_the_span():
    assert first_sentence("Putin's spokesman is Dmitry Peskov. He said.") == "Putin's spokesman is Dmitry Peskov."
    span = "a suite developed by Apple Inc. in 1985"
    assert first_sentence("AppleTalk was a suite developed by Apple Inc. in 1985. More.", span) == \
        "AppleTalk was a suite developed by Apple Inc. in 1985."
    assert first_sentence("The U.S. Army came. Then.") == "The U.S. Army came."


# ---- the decoding masks ---------------------------------------------------------------------------------------

def test_the_word_mask_only_continues_or_ends_allowed_words():
    tok = PieceTokenizer(PIECES)
    step = word_constraint(tok, allowed_words(QUESTION, PASSAGE, SPAN), {0}, SPAN, hyphenated={"bi"})
    first = ids(tok, step([]))
    assert {"The", "Put", " Put", " Dmitry", " D"} <= first
    assert not {" cat", " diplomat", " not", "ro", "<end>", ".", "?", "\n", " ["} & first
    after_put = ids(tok, step(tok.encode("Put")))
    assert "in" in after_put and "ro" not in after_put and " the" not in after_put  # "Put" is not a word
    after_putin = ids(tok, step(tok.encode("Putin")))
    assert {"'s", " spokes", " is"} <= after_putin and "in" not in after_putin
    assert "-" not in ids(tok, step(tok.encode("Putin"))) and "-" in ids(tok, step(tok.encode("Putin's bi")))
    after_space = ids(tok, step(tok.encode("Putin's spokesman is ")))
    assert " " not in after_space and "." not in after_space  # one space; nothing before a full stop


def test_the_span_once_begun_is_finished_verbatim_and_then_ends_the_sentence():
    tok = PieceTokenizer(PIECES)
    step = word_constraint(tok, allowed_words(QUESTION, PASSAGE, SPAN), {0}, SPAN)
    assert ids(tok, step(tok.encode("Putin's spokesman is Dmitry"))) == {" ", " Pes", " Peskov"}
    assert ids(tok, step(tok.encode("Putin's spokesman is Dmitry Pes"))) == {"kov"}
    assert ids(tok, step(tok.encode("Putin's spokesman is Dmitry Peskov"))) == {".", "'s"}
    assert "<end>" in ids(tok, step(tok.encode("Putin's spokesman is Dmitry Peskov.")))
    # a span opening the sentence must be followed by what it is, not by the end
    opened = ids(tok, step(tok.encode("Dmitry Peskov")))
    assert " is" in opened and not {".", "<end>"} & opened


def test_a_word_already_written_is_not_started_again_unless_repeatable():
    tok = PieceTokenizer(PIECES)
    words = allowed_words(QUESTION, PASSAGE, SPAN)
    step = word_constraint(tok, words, {0}, SPAN, repeatable={"the", "is"})
    assert " spokesman" in ids(tok, step(tok.encode("Putin's")))
    again = ids(tok, step(tok.encode("Putin's spokesman is the")))
    assert " spokesman" not in again and " is" in again
    assert " spokesman" in ids(tok, word_constraint(tok, words, {0}, SPAN, {"spokesman"})(tok.encode(
        "Putin's spokesman is the")))


def test_nothing_ends_the_sentence_before_the_span_is_in_it():
    tok = PieceTokenizer(PIECES)
    for step in (word_constraint(tok, allowed_words(QUESTION, PASSAGE, SPAN), {0}, SPAN),
                 token_constraint(tok, [QUESTION, PASSAGE, SPAN], SPAN, {0})):
        assert not {".", "<end>"} & ids(tok, step(tok.encode("Putin's spokesman is")))


def test_the_token_mask_allows_the_pieces_of_allowed_words_only():
    tok = PieceTokenizer(PIECES)
    mask = ids(tok, token_constraint(tok, [QUESTION, PASSAGE, SPAN], SPAN, {0})([]))
    assert {" Dmitry", " Peskov", "Put", "in", "'s", "The", " is"} <= mask
    assert not {" cat", " diplomat", "ro", "<end>"} & mask


def test_the_token_table_groups_tokens_by_shape_and_leaves_out_other_characters():
    table = token_table(PieceTokenizer(PIECES))
    tok = PieceTokenizer(PIECES)
    assert table is not token_table(tok)  # cached per tokenizer object
    table = token_table(tok)
    assert table is token_table(tok)
    assert tok.id("kov") in table.plain["kov"] and tok.id(" Pes") in table.spaced["Pes"]
    assert tok.id(".") in table.punct and tok.id(".") in table.stops
    kept = set(table.punct) | {i for group in (table.plain, table.spaced, table.ended)
                               for v in group.values() for i in v}
    assert not {tok.id(p) for p in ("\n", " [", "]", "<end>")} & kept


# ---- the integration function -----------------------------------------------------------------------------------

def test_model_sentence_returns_the_checked_sentence_with_its_marker():
    generator = ScriptedGenerator("Putin's spokesman is Dmitry Peskov. He told reporters more.")
    assert model_sentence(generator, QUESTION, SPAN, PASSAGE, 2) == "Putin's spokesman is Dmitry Peskov [2]."
    assert "Answer: Dmitry Peskov" in generator.calls[0][-1]["content"]


def test_model_sentence_is_none_when_the_check_fails():
    assert model_sentence(ScriptedGenerator("Putin's spokesman is a diplomat."), QUESTION, SPAN, PASSAGE, 1) is None
    assert model_sentence(ScriptedGenerator("Putin's spokesman is Dmitry Peskov, a diplomat."), QUESTION, SPAN,
                          PASSAGE, 1) is None


def test_model_sentence_stops_reading_the_stream_at_the_end_of_the_first_sentence():
    pieces = []

    class Counting(ScriptedGenerator):
        def stream(self, messages, max_new_tokens):
            for piece in super().stream(messages, max_new_tokens):
                pieces.append(piece)
                yield piece

    model_sentence(Counting("Putin's spokesman is Dmitry Peskov. One two three four five six."), QUESTION, SPAN,
                   PASSAGE, 1)
    assert pieces == ["Putin's ", "spokesman ", "is ", "Dmitry ", "Peskov. ", "One "][:len(pieces)]
    assert len(pieces) <= 6


def test_under_the_constraint_a_disallowed_word_is_never_decoded():
    tok = PieceTokenizer(PIECES)
    wish = "Putin's spokesman is a diplomat."
    free = draft_sentence(WishfulGenerator(tok, wish), QUESTION, SPAN, PASSAGE, constraint="none")
    assert free.sentence == wish and free.problem is not None
    generator = WishfulGenerator(tok, wish)
    draft = draft_sentence(generator, QUESTION, SPAN, PASSAGE, constraint="words")
    assert "diplomat" not in draft.sentence
    assert all(tok.id(" diplomat") not in allowed for allowed in generator.steps)


def test_under_the_constraint_the_wished_sentence_passes_and_is_returned():
    tok = PieceTokenizer(PIECES)
    generator = WishfulGenerator(tok, "Putin's spokesman is Dmitry Peskov.")
    draft = draft_sentence(generator, QUESTION, SPAN, PASSAGE, constraint="words")
    assert draft.problem is None and draft.mean_logprob == 0.0
    assert model_sentence(WishfulGenerator(tok, "Putin's spokesman is Dmitry Peskov."), QUESTION, SPAN, PASSAGE,
                          3) == "Putin's spokesman is Dmitry Peskov [3]."


def test_unknown_constraint_is_an_error():
    with pytest.raises(ValueError):
        draft_sentence(WishfulGenerator(PieceTokenizer(PIECES), "x"), QUESTION, SPAN, PASSAGE, constraint="magic")


# ---- the hook in TransformersGenerator.greedy_tokens -----------------------------------------------------------

def test_greedy_tokens_takes_only_allowed_tokens_and_reports_unconstrained_logprobs():
    from test_fast_decode import tiny_llama

    from qa.transformers_generator import TransformersGenerator, vocabulary_mask

    gen = TransformersGenerator("tiny", dtype="float32")
    gen.model = tiny_llama()
    inputs = {"input_ids": torch.randint(0, 97, (1, 8))}
    free = list(gen.greedy_tokens(inputs, 12))
    assert list(gen.greedy_tokens(inputs, 12, allowed=None)) == free  # backwards compatible
    allowed = set(range(0, 97, 3)) - set(free)
    logprobs: list[float] = []
    masked = list(gen.greedy_tokens(inputs, 12, allowed=allowed, logprobs=logprobs))
    assert len(masked) == 12 and set(masked) <= allowed and len(logprobs) == 12
    assert all(lp < 0 for lp in logprobs)
    seen = []

    def step(generated):
        seen.append(list(generated))
        return vocabulary_mask({5} if len(generated) % 2 else {7}, 97)

    assert list(gen.greedy_tokens(inputs, 4, allowed=step)) == [7, 5, 7, 5]
    assert seen == [[], [7], [7, 5], [7, 5, 7]]
    assert list(gen.greedy_tokens(inputs, 4, allowed=set())) == []  # nothing allowed: the end
    assert list(gen.greedy_tokens(inputs, 4, {7}, allowed={7})) == []


def test_vocabulary_mask_pads_or_cuts_a_tensor_and_builds_one_from_ids():
    from qa.transformers_generator import vocabulary_mask

    assert vocabulary_mask({1, 3, 99}, 5).tolist() == [False, True, False, True, False]
    assert vocabulary_mask(torch.tensor([True, False]), 4).tolist() == [True, False, False, False]
    assert vocabulary_mask(torch.tensor([True, False, True]), 2).tolist() == [True, False]
