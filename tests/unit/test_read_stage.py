"""ReadStage: abstention by the best span's score, and which span above the margin is shown (the rank weight)."""

import re
from dataclasses import replace

import pytest

from index.chunking import Passage
from qa.reader_spans import Reading
from qa.reading import ReadStage
from qa.shown_answer import short_answer
from qa.span_rules import is_note_reference


class FixedReader:
    """Returns the given readings whatever it is asked."""

    margin = 1.0

    def __init__(self, readings):
        self.readings = readings

    def read(self, question, passages, excluded=None):
        self.excluded = excluded
        self.calls = getattr(self, "calls", []) + [excluded]
        return list(self.readings)


PASSAGES = [Passage("Alpha beta.", "a.txt", 0, 11), Passage("Gamma delta.", "b.txt", 0, 12),
            Passage("Epsilon zeta.", "c.txt", 0, 13)]


def reading(passage: int, text: str, score: float) -> Reading:
    return Reading(passage, 0, len(text), text, score, 0.0)


def test_without_a_rank_weight_the_best_score_wins():
    reader = FixedReader([reading(0, "Alpha", 3.0), reading(2, "Epsilon", 3.4)])
    assert ReadStage(reader)("Who?", PASSAGES).reading.text == "Epsilon"


def test_a_rank_weight_keeps_a_nearly_as_good_span_of_a_higher_ranked_passage():
    reader = FixedReader([reading(0, "Alpha", 3.0), reading(2, "Epsilon", 3.4)])
    verdict = ReadStage(reader, rank_weight=0.5)("Who?", PASSAGES)
    assert verdict.reading.text == "Alpha"  # 3.4 - 2 x 0.5 < 3.0
    assert verdict.best_score == 3.4  # abstention still reads the best span's score


def test_a_clearly_better_span_further_down_still_wins():
    reader = FixedReader([reading(0, "Alpha", 3.0), reading(1, "Gamma", 4.0)])
    assert ReadStage(reader, rank_weight=0.5)("Who?", PASSAGES).reading.text == "Gamma"


def test_spans_under_the_margin_are_never_shown_and_abstention_is_unchanged():
    reader = FixedReader([reading(0, "Alpha", 0.5), reading(2, "Epsilon", 1.5)])
    assert ReadStage(reader, rank_weight=0.5)("Who?", PASSAGES).reading.text == "Epsilon"
    verdict = ReadStage(FixedReader([reading(0, "Alpha", 0.9)]), rank_weight=0.5)("Who?", PASSAGES)
    assert verdict.reading is None and "no answer" in verdict.reason


def _covered(text: str, span: str, score: float) -> tuple[FixedReader, list[Passage]]:
    start = text.index(span)
    return FixedReader([Reading(0, start, start + len(span), span, score, 0.0)]), [Passage(text, "hire.md", 0,
                                                                                            len(text))]


def test_a_yes_no_question_s_span_just_under_the_margin_answers_where_its_sentence_settles_it():
    question = "Is windscreen damage covered?"
    reader, passages = _covered("Damage to tyres and windscreens is not covered by the waiver.",
                                "not covered by the waiver", 0.4)  # the margin is 1.0
    assert ReadStage(reader)(question, passages).reading is None  # off by default
    verdict = ReadStage(reader, polar_window=4.0)(question, passages)
    assert verdict.reading.text == "not covered by the waiver" and verdict.best_score == 0.4
    # not a yes/no question, a span further under the margin, or a sentence that does not settle it: no answer
    assert ReadStage(reader, polar_window=4.0)("What is not covered?", passages).reading is None
    reader, passages = _covered("Damage to windscreens is not covered by the waiver.", "not covered", -3.5)
    assert ReadStage(reader, polar_window=4.0)(question, passages).reading is None
    reader, passages = _covered("Windscreen damage may be covered if you pay extra.", "if you pay extra", 0.4)
    assert ReadStage(reader, polar_window=4.0)(question, passages).reading is None


def test_a_notes_number_in_brackets_is_never_the_answer():
    text = "This deal will be on the table at the summit (3). It costs 3 billion dollars (2017)."
    note = text.index("(3)") + 1
    passages = [Passage(text, "a.txt", 0, len(text))]
    reader = FixedReader([Reading(0, note, note + 1, "3", 5.0, 0.0)])
    verdict = ReadStage(reader)("How many units does Turkey buy?", passages)
    assert verdict.reading is None and "note's number" in verdict.reason
    assert is_note_reference(text, note - 1, note + 2)  # "(3)" with its brackets
    three, year = text.index("3 billion"), text.index("2017")
    assert not is_note_reference(text, three, three + 1) and not is_note_reference(text, year, year + 4)
    assert not is_note_reference(text, text.index("summit"), note + 2)  # "summit (3": a word with it


@pytest.mark.parametrize("kwargs, message", [
    ({"dtype": "float16"}, "dtype must be one of"),
    ({"dtype": "bfloat16", "quantize": True}, "does not combine with bfloat16"),
])
def test_span_reader_names_a_dtype_it_cannot_run(kwargs, message):
    from qa.span_reader import SpanReader
    with pytest.raises(ValueError, match=message):
        SpanReader(**kwargs)


def test_reader_dtype_setting_is_checked():
    from index.errors import SettingsError
    from index.settings import Settings
    with pytest.raises(SettingsError, match="reader_dtype"):
        Settings(reader_dtype="int4")
    assert Settings().reader_dtype == "auto"


def test_a_span_across_a_line_break_ends_at_it():
    from qa.span_edges import within_line
    text = "By Michael Werbowksi\n\nGlobal Research, March 12, 2017"
    start = text.index("Michael")
    end = within_line(text, start, text.index(", March"))
    assert text[start:end] == "Michael Werbowksi"
    assert within_line("Dmitry Peskov said so.", 0, 13) == 13  # no break: unchanged
    # a list's items are lines (session 31: "1:30pm - Guests arrive; welcome drinks in the orchard 2:00pm")
    schedule = "1:30pm - Guests arrive \n2:00pm - Ceremony"
    assert schedule[:within_line(schedule, 0, 29)] == "1:30pm - Guests arrive"


def test_a_span_keeps_the_negation_just_before_it():
    """Session 31: "What should I do if the dog gets sick at night?" got "let her out" from "Please do not let her
    out": a span that leaves its negation behind says the opposite."""
    from qa.span_edges import with_negation

    text = "Please do not let her out. He is not allowed upstairs. It is not only Moscow. Knot tying."
    assert text[with_negation(text, text.index("let")):].startswith("do not let her out")
    assert text[with_negation(text, text.index("allowed")):].startswith("not allowed upstairs")
    assert with_negation(text, text.index("Moscow")) == text.index("Moscow")  # "not only" negates nothing here
    assert with_negation(text, text.index("tying")) == text.index("tying")  # "Knot" is no "not"


@pytest.mark.parametrize("span, shown", [
    ("on the table at the summit (3", "on the table at the summit"),  # a note's number cut by the reader's span
    ("at the summit (3)", "at the summit"), ("the summit [12]", "the summit"),
    ("Article 5(2)", "Article 5(2)"), ("Russia (and Iran)", "Russia (and Iran)"), ("(a) or (b)", "(a) or (b)"),
    (" (the NATO alliance), ", "the NATO alliance"), ("\u201cKremlin\u201d.", "Kremlin"), ("the U.S.", "the U.S."),
])
def test_the_direct_answer_loses_edge_punctuation_and_note_references_but_keeps_paired_brackets(span, shown):
    text = f"Before. {span} After."
    start = text.index(span)
    passages = [Passage(text, "doc.md", 100, 100 + len(text))]
    answer = short_answer(Reading(0, start, start + len(span), span, 5.0, 0.0), passages)
    assert answer.text == shown and text[answer.start - 100:answer.end - 100] == shown


def test_the_reader_reads_a_passage_ending_in_a_full_stop_without_moving_offsets():
    from qa.reader_spans import reader_passage

    assert reader_passage("Fees.\n\nOpening hours and contact") == "Fees.\n\nOpening hours and contact."
    assert reader_passage("Adults pay 20 cents a day for each late\n") == "Adults pay 20 cents a day for each late."
    for ended in ("It is closed.", 'He said "yes."', "Is it? ", "Notes: (3)", "See [2]"):
        assert reader_passage(ended) == ended
    # session 23: a list's lines (and a heading) end in a stop in place of their line break, read as a run-on before
    recipe = "Ingredients\n\n- 3 ripe bananas\n- 150 g brown sugar\n- 1 egg, beaten\n\nMethod"
    read = reader_passage(recipe)
    # session 24: the list's last line too ("Sun cream\n\nLunch is provided ..." read "sun cream lunch is ..."); a
    # heading's line before a blank line is left as it is
    assert read == "Ingredients\n\n- 3 ripe bananas.- 150 g brown sugar.- 1 egg, beaten.\nMethod."
    assert len(read) == len(recipe) + 1 and all(a == b or a == "\n" for a, b in zip(recipe, read))
    assert reader_passage("Done.\n\nShifts\n\nEach one works two.") == "Done.\n\nShifts\n\nEach one works two."


def test_the_reader_is_told_to_take_no_span_in_a_heading():
    """A heading ("Troubleshooting") was the answer to "What should I do if the coffee runs too fast?" (session 23):
    headings are passed as excluded ranges, in passage offsets; bylines and boilerplate (a disclaimer) stay readable."""
    text = "Troubleshooting\n\nIf it runs too fast, the grind is too coarse.\n\nBy Ann Lee\n\nShare this page"
    share, by = text.index("Share"), text.index("By Ann")
    marks = ((100, 115, "heading"), (100 + by, 110 + by, "byline"), (100 + share, 115 + share, "boilerplate"),
             (500, 510, "heading"))
    reader = FixedReader([reading(0, "the grind is too coarse", 5.0)])
    ReadStage(reader)("What should I do if it runs too fast?", [Passage(text, "m.md", 100, 100 + len(text),
                                                                          marks=marks)])
    # (and a sentence's opening condition, session 44: the answer is what follows it)
    assert reader.calls[0] == [[(0, 15), (17, 37)]] and text[0:15] == "Troubleshooting" and \
        text[17:37] == "If it runs too fast,"


@pytest.mark.parametrize("cut, whole", [
    ("@hollis-appliances", "support@hollis-appliances.example"), ("hollis.example/he", "https://hollis.example/help"),
    ("800", "1,800"), (".5 kg", "2.5 kg"), ("Pesk", "Peskov"), ("Contact", "Contact"), ("Turkey", "Turkey"),
    ("8:00 a.m", "8:00 a.m."), ("Saturday opens", "Saturday opens"),  # a time's initialism keeps its stop
    ("under 16) price £2.80", "price £2.80"), ("swim (under", "swim (under 16)"),  # brackets in pairs (session 24)
    # a room's letter the uncased reader took for an article, a table's column name before its cell (session 27)
    ("room Room", "Room A"), ("Gate", "Gate 12"), ("Anna", "Anna"),
    # a span starting inside quotation marks ends where they close (session 34: a price list's variety names)
    ("Charlotte' size 2 kg", "Charlotte"), ("Gardener's Delight' notes", "Gardener's Delight"),
    # a list of names' tail starts at its first item; initials go on to the surname (session 44); an apposition
    # after "the" is no list
    ("Boxing Day or New Year's Day", "Christmas Day, Boxing Day or New Year's Day"), ("J. F. D", "J. F. D. Shrewsbury"),
    ("Washington and Thomas Gage", "Washington and Thomas Gage")])
def test_a_span_is_widened_to_whole_words_numbers_and_addresses(cut, whole):
    from qa.span_edges import whole_words

    text = ("Contact Hollis at support@hollis-appliances.example or see https://hollis.example/help. It bakes 1,800 "
            "loaves with 2.5 kg of flour. Peskov said Turkey's aims are clear. Saturday opens 8:00 a.m. Saturday.\n"
            "Child swim (under 16) price £2.80.\n11:50 room Room A.\nBoard at Gate 12, Anna I think.\n"
            "Seed potatoes 'Charlotte' size 2 kg net.\nTomato 'Gardener's Delight' notes Cherry.\n"
            "No collections on Christmas Day, Boxing Day or New Year's Day. It was challenged by J. F. D. Shrewsbury. "
            "Two future opponents in the American Revolutionary War, Washington and Thomas Gage, played key roles.")
    at = text.index(cut)
    start, end = whole_words(text, at, at + len(cut))
    assert text[start:end] == whole


def test_a_span_ends_with_the_sentence_it_starts_in():
    from qa.span_edges import within_sentence

    text = ("We have not yet decided whether partners may join the dinner on day 2. The hike will be cancelled if "
            "it rains. A coach leaves at 9 a.m. on 18 November.")
    start = text.index("whether")
    assert text[start:within_sentence(text, start, text.index(" if it rains"))] == \
        "whether partners may join the dinner on day 2."
    start = text.index("9 a.m.")
    assert within_sentence(text, start, len(text)) == len(text)  # "a.m. on" ends no sentence
    names = "It was William E. Simon, then Dr. Lee. Nobody else."  # an initial or "Dr." ends no sentence
    start = names.index("William")
    assert names[start:within_sentence(names, start, len(names))] == "William E. Simon, then Dr. Lee."


class RowReader:
    """Reads "opens" in a passage (the wrong cell) and the time in a line given alone, as the real reader did."""

    margin = 1.0

    def __init__(self):
        self.asked = []

    def read(self, question, passages, excluded=None):
        self.asked.append(passages)
        text = passages[0]
        found = re.search(r"\d+:\d+ [ap]\.m\.", text)
        return [Reading(0, found.start(), found.end(), found.group(), 6.0, 0.0)]


def test_a_table_row_s_cell_the_question_names_is_read_instead_of_its_neighbour():
    """Session 24: "When does the pool close on Sunday?" -> "9:00 a.m." from "Sunday opens 9:00 a.m.", the cell
    beside "Sunday closes 4:00 p.m.": the line whose column the question names is read on its own."""
    text = "Opening times\n\nSunday opens 9:00 a.m.\nSunday closes 4:00 p.m.\n\nPrices"
    passages = [Passage(text, "pool.html", 200, 200 + len(text))]
    reader = RowReader()
    verdict = ReadStage(reader)("When does the pool close on Sunday?", passages)
    assert verdict.reading.text == "4:00 p.m." and text[verdict.reading.start:verdict.reading.end] == "4:00 p.m."
    assert reader.asked[-1] == ["Sunday closes 4:00 p.m."]
    for asked in ("When does the pool open on Sunday?", "What are the hours on Sunday?"):  # named, or none named
        assert ReadStage(RowReader())(asked, passages).reading.text == "9:00 a.m."


def test_the_line_naming_more_of_the_question_is_read_instead_of_one_naming_less():
    """Session 37: "How much is the Orchard Room per hour on a weekday evening?" -> "£11.00" from the line naming
    "weekday" but not "evening"."""
    from qa.table_rows import asked_sibling

    text = ("Orchard Room weekday daytime (9am-5pm) £11.00.\nOrchard Room weekday evening (5pm-11pm) £14.00.\n"
            "Orchard Room weekend (any time) £17.00.")
    at = text.index("£11.00")
    a, b = asked_sibling("How much is the Orchard Room per hour on a weekday evening?", text, at, at + 6)
    assert text[a:b] == "Orchard Room weekday evening (5pm-11pm) £14.00."
    assert asked_sibling("How much is the Orchard Room on a weekday?", text, at, at + 6) is None  # as many: kept


def test_a_period_names_the_column_of_its_adjective():
    """Session 46: "for a year" names a gym's "annual" column."""
    from qa.table_rows import asked_sibling

    text = "Student monthly £22.\nStudent annual £220.\nStudent joining fee None."
    at = text.index("£22.")
    a, b = asked_sibling("How much is the student membership for a year?", text, at, at + 3)
    assert text[a:b] == "Student annual £220."


class FocusReader:
    """Finds "Three" in any text holding it: sure (score 5) read in its own paragraph, unsure (0.5) in a longer text
    of several sections run together, as the span reader does (session 25)."""

    margin = 1.0

    def __init__(self):
        self.asked = []

    def read(self, question, passages, excluded=None):
        self.asked.append(list(passages))
        out = []
        for i, text in enumerate(passages):
            at = text.find("Three")
            if at >= 0:
                out.append(Reading(i, at, at + 5, "Three", 5.0 if "\n" not in text else 0.5, 0.0))
        return out


POLICY = ("3. Annual leave\nFull-time employees receive annual leave in addition to the eight UK bank holidays.\n"
          "The office closes between Christmas and New Year. Three days of each employee's annual leave are reserved "
          "for this closure and cannot be booked at other times.\n4. Requesting annual leave\nAll leave must be "
          "requested through the app.")


def test_a_span_near_the_margin_is_read_again_in_its_own_paragraph():
    passages = [Passage(POLICY, "policy.pdf", 500, 500 + len(POLICY))]
    question = "How many days are set aside for the Christmas shutdown?"
    assert ReadStage(FocusReader())(question, passages).reading is None  # 0.5 <= margin 1.0: no answer
    reader = FocusReader()
    verdict = ReadStage(reader, focus_window=1.0)(question, passages)
    assert verdict.reading.score == 5.0 and POLICY[verdict.reading.start:verdict.reading.end] == "Three"
    assert reader.asked[-1] == [POLICY.split("\n")[2]]  # the paragraph (a PDF's line), read on its own
    assert ReadStage(FocusReader(), focus_window=0.4)(question, passages).reading is None  # not near enough


@pytest.mark.parametrize("text, span, region", [
    ("Intro line.\nThe office closes between Christmas and New Year for three whole days every single year.\nEnd.",
     "three", "The office closes between Christmas and New Year for three whole days every single year."),
    ("What to bring\n\nSun cream\nA hat\nWater\n\nLunch is provided.", "A hat", None),  # nor a list's lines
    ("One paragraph only, the whole passage.", "whole", None),
    ("A paragraph before it.\n\nA paragraph of one line holding the span, as a web page or an article has it.\n\nEnd.",
     "span", None),  # read as it is: on SQuAD's articles a paragraph read alone answered unanswerable questions
])
def test_the_focus_region_is_a_long_line_of_a_paragraph_of_several_lines(text, span, region):
    from qa.passage_regions import focus_region

    start = text.index(span)
    got = focus_region(text, start, start + len(span))
    assert (text[got[0]:got[1]] if got else None) == region


class CauseReader:
    """Finds the sentence restating the question in the whole passage, and a span of the sentence before when
    given that sentence alone (as the span reader did for "Why is Turkey eager to play ...?", session 26)."""

    margin = 1.0

    def __init__(self):
        self.asked = []

    def read(self, question, passages, excluded=None):
        self.asked.append(list(passages))
        text = passages[0]
        span = "Turkey's eagerness to play the role" if "Hence" in text else "Russia is on the verge of dominance"
        at = text.find(span)
        return [Reading(0, at, at + len(span), span, 6.0 if "Hence" in text else 0.2, 0.0)] if at >= 0 else []


CAUSE = "Russia is on the verge of dominance in the region. Hence Turkey's eagerness to play the role."


@pytest.mark.parametrize("question, found", [
    ("Why is Turkey eager to play the role?", "Russia is on the verge of dominance"),  # the cause said before
    ("What is Turkey eager to play?", "Turkey's eagerness to play the role"),  # not a "why" question
    ("Why is Russia dominant?", "Turkey's eagerness to play the role"),  # the span does not restate the question
])
def test_a_why_question_s_span_restating_it_after_hence_gives_way_to_the_sentence_before(question, found):
    passages = [Passage(CAUSE, "article.md", 40, 40 + len(CAUSE))]
    verdict = ReadStage(CauseReader())(question, passages)
    assert verdict.reading.text == found == CAUSE[verdict.reading.start:verdict.reading.end]
    assert verdict.reading.score == 6.0  # the decision to answer was made on the span found first


@pytest.mark.parametrize("text, span, cause", [
    (CAUSE, "eagerness", "Russia is on the verge of dominance in the region."),
    ("Costs rose. Therefore, prices went up.", "prices", "Costs rose."),
    ("Costs rose. That is why prices went up.", "prices", "Costs rose."),
    ("Costs rose.\n\nTherefore, prices went up.", "prices", None),  # another paragraph
    ("Costs rose. Prices went up, hence the anger.", "anger", None),  # no opening word of consequence
    ("Therefore, prices went up.", "prices", None),  # no sentence before
])
def test_the_stated_cause_is_the_sentence_before_one_opening_with_a_word_of_consequence(text, span, cause):
    from qa.causes import stated_cause

    start = text.index(span)
    got = stated_cause(text, start, start + len(span))
    assert (text[got[0]:got[1]] if got else None) == cause


@pytest.mark.parametrize("text, numbers", [
    ("3.1 The rent is £1,250.\n3.2 The rent must be paid by standing order.", ["3.1", "3.2"]),
    ("12. DATE OF NEXT MEETING\n4) Keys are returned.\n10.4. At the end", ["12.", "4)", "10.4."]),
    ("2 Canal Wharf, Leeds\n3 eggs\n1973 Oil prices rose.\nIt cost 3.2 million.", []),  # amounts, an address
])
def test_a_clause_s_number_is_found_and_an_amount_is_not(text, numbers):
    from qa.span_rules import clause_numbers

    assert [text[a:b].strip() for a, b in clause_numbers(text)] == numbers


def test_a_clause_s_number_is_never_read_as_the_answer():
    text = "10.3 The Landlord must give notice.\n10.4 At the end the Tenants must return all three sets of keys."
    reader = FixedReader([reading(0, "three sets", 5.0)])
    ReadStage(reader)("How many keys?", [Passage(text, "lease.pdf", 0, len(text))])
    assert [text[a:b] for a, b in reader.calls[0][0]] == ["10.3", "10.4"]



def test_an_empty_cell_s_line_is_never_read_as_the_answer():
    """Session 37: "Sponsor time on project –." (a dash in the sponsor's cell) gave "time on project" for "Who is
    sponsoring the project?"; a line whose value is a dash names a row and a column, never an answer."""
    text = ("Sponsor name Helen Ward (COO).\nSponsor time on project –.\n08:30-09:15 speaker -.\n"
            "Off No support; the display still works -")
    reader = FixedReader([reading(0, "Helen Ward", 5.0)])
    ReadStage(reader)("Who is sponsoring the project?", [Passage(text, "deck.pptx", 0, len(text))])
    assert [text[a:b] for a, b in reader.calls[0][0]] == ["Sponsor time on project –.", "08:30-09:15 speaker -."]

@pytest.mark.parametrize("question, span, fits", [
    ("What is the phone number for support?", "support@orbilink.example", False),
    ("What is his email?", "Tom Akers", False), ("What is the chair's email address?", "Linda Farrow", False),
    ("When was the email sent?", "Tuesday 3 March 2026, 09:14", True),  # "the email" is a message, not an address
    ("What is attached to the email?", "home user guide.pdf", True),
    ("What is the phone number for support?", "0113 496 0721", True),
    ("What's their email address?", "0113 496 0721", False),
    ("What's their email address?", "help@example.com", True),
    ("Where is the office?", "Leeds", True),  # no contact detail asked for
    ("What time will the removal crew turn up?", "Saturday 22 November", False),
    ("What time will the removal crew turn up?", "7:30 am", True),
    ("what time do we meet on monday", "07:15", True),
    ("What time does the pool open?", "8:00 a.m.", True),
    ("At what time is the rivalry set aside?", "every two years", True),  # SQuAD's "at what time": when
    # an either/or question is answered by a span naming one of its alternatives (session 27)
    ("Will the talks be recorded or live-streamed?", "Drinks reception", False),
    ("Will the talks be recorded or live-streamed?", "will not be recorded", True),
    ("next kingsmead game home or away", "Kingsmead Athletic", False),
    ("next kingsmead game home or away", "Away", True),
    ("Who is the treasurer or the chair?", "Priya Natarajan", True),  # a wh-question offers no alternatives
    # a number to ring is a phone number's digits, not a code's or a PO box's (session 28)
    ("What number should I ring to make a claim?", "THC-5520-8817", False),
    ("What number should I ring to make a claim?", "0808 157 0462", True),
    ("What phone number do I call to complain?", "PO Box 7712, Carlisle CA1 9ZZ", False),
    ("What number do I call in an emergency?", "999", True),
    # a span made only of the question's words is no answer (session 28)
    ("Where in Ankara was the Russian ambassador assassinated?", "Ankara", False),
    ("And how much funding have they got for that?", "how much", False),
    ("How much notice do I need to give for a week's holiday?", "two weeks' notice", True),
    ("which room is the heat pump talk in", "Room A", True),
    ("In which year did the bakery open in 2011?", "2011", True),  # a number is a detail, even if asked
    # a price asked is an amount (session 30)
    ("How much is a family ticket?", "Every ticket is an annual pass", False),
    ("How much is a family ticket?", "£36", True),
    ("How much is the room per night?", "Harbour View Double", False),  # "double" is no amount
    ("How much does a child's ticket cost?", "Free", True),
    ("What does the course cost?", "two hundred pounds", True),
    ("How much did the bridge cost?", "the city council", False),
    ("How much notice do I need to give?", "a fortnight", True),  # no price asked
    # a price is no measure (session 34: a price list's "40 litres" for "How much is the peat-free compost?")
    ("How much is the peat-free compost?", "40 litres", False), ("How much is the delivery charge?", "10 days", False),
    ("How much does the council charge for a notice?", "at least 10 working days", False),
    ("How much sickness is paid at full pay?", "up to 10 working days", True),  # days of it, no sum
    ("How much is the raised bed kit?", "120 x 60 cm", False), ("How much is the dividend?", "2.1p", True),
    ("How much is the olive tree?", "49.00", True), ("How much is a bag of compost?", "3 for £20", True),
    # a salary, rent or fee asked is a sum, not a code's digits (session 32: a CV's postcode for "What salary ...?")
    ("What salary does he want?", "LS6 2QT · 07700", False),
    ("What salary does he want?", "£45,000", True),
    ("What is the rent?", "950 per month", True),
    ("What was the price?", "high", False),
    ("What's the fine for parking in a resident bay without a permit?", "up to three hours", False),  # session 48
    ("What's the fine for parking in a resident bay without a permit?", "£70", True),
    ("How old is Daniel?", "2QT · 07700", False),  # an age is a number, not a postcode's or a phone's digits
    ("How old is the mill?", "about 150 years", True), ("How old was she?", "eighty", True),
    ("How old was she?", "nineteen", True),  # session 33: "At nineteen." in an interview was refused
    # a period of notice is a length of time (session 43: "charged fees", said of less notice, for a nursery's notice)
    ("How much notice do we have to give if we want to leave?", "charged fees", False),
    ("How much notice do we have to give?", "four weeks' written notice", True),
    ("How much notice do I need to give?", "one month", True),
    ("What time does she start work?", "six in the morning", True),  # a clock time in words
    ("What time does she start work?", "38 minutes", False), ("What time is lunch?", "half past twelve", True),
    # a postal address has words (session 31: the emergency vet's phone number for the vet's address)
    ("What is the vet's address?", "01632 960 999", False),
    ("What is the vet's address?", "14 Harbour Road", True),
    ("What is the router's IP address?", "192.168.1.1", True),
    ("What is the email address for bookings?", "bookings@example.com", True),
    # a place or a length is no moment (session 35: a race calendar's start time for "Where does ... start?")
    ("Where does the Hill Fell Race start?", "11:00", False), ("Where does it start?", "start 9:30am", False),
    ("Where is the meeting?", "on 21 March 2027", False), ("Where does it start?", "Crag Farm, Hawes Lane", True),
    ("Where is the office?", "Room 3.15", True), ("Where does it start?", "15 km", False),
    ("Where is the welcome breakfast being held?", "9 am in the large meeting room", True),
    ("How long is the Bluebell Trail?", "10:00", False),
    ("How long is the Bluebell Trail?", "12 km", True), ("When is the Canal 10K?", "09:30", True),
    # a way, a person or a yes is asked, not the address or number (session 39: a sure span was refused)
    ("How do I report a phishing email?", "Use the Report Phish button in Outlook", True),
    ("Who gets a company mobile phone?", "Surveyors who work on site", True),
    ("have you got their phone number so we can book a table?", "the landlord", False),
    ("Where do I email my claim?", "the Finance team", False),
    # a table's cell saying there is none (session 47: "Sunday hours Closed.", "Classes only annual Not available.")
    ("What time do you close on Sundays?", "Closed", True), ("What time do you close?", "closed on Sundays", False),
    ("How much is the classes only membership for a year?", "Not available", True),
    ("How much is it?", "not available on Sundays", False),
    ("How much is a single hour's lesson?", "Single lesson hours 1", False),  # a measure's column
    ("How much is a block of 10?", "Block of 10 price £360", True), ("How much is it?", "£5 for 2 hours", True),
])
def test_a_detail_of_the_wrong_form_is_no_answer(question, span, fits):
    from qa.span_rules import fits_asked_form

    assert fits_asked_form(question, span) is fits
    verdict = ReadStage(FixedReader([reading(0, span, 5.0)]))(question, [Passage(f"{span}.", "a.txt", 0, 80)])
    assert (verdict.reading is not None) is fits


def test_a_yes_or_no_question_naming_a_phone_asks_no_number():
    from qa.span_rules import fits_asked_form

    assert fits_asked_form("Can I check work email on my own phone?", "only through the Outlook and Teams apps")
    assert not fits_asked_form("Is there a phone number for the office?", "the office manager")


SIGNATURE = "Thanks,\nHelen\n\n--\nTom Whitfield\nIT Systems Lead\nMobile: 07700 900418\n\nFrom: Aisha Bello"


@pytest.mark.parametrize("question, named", [
    ("What is Aisha Bello's phone number?", False),  # the number is in Tom's signature
    ("What's Mrs Bello's mobile number?", False),
    ("What is the phone number of Aisha?", False),
    ("What is Tom Whitfield's phone number?", True),
    ("What's her phone number?", True),  # no name asked: nothing to check
    ("How many phones were sold?", True),
    ("What is the IT systems lead's mobile?", True),  # no table row: the role is not checked
    ("What is Agnes' mobile?", False),  # a name's possessive without its "s" (a follow-up's "Tom Akers'")
])
def test_a_contact_detail_asked_of_someone_is_in_a_paragraph_naming_them(question, named):
    from qa.span_names import owner_named

    at = SIGNATURE.index("07700")
    assert owner_named(question, SIGNATURE, at, at + 12) is named
    assert owner_named(question, SIGNATURE, at, at + 15) is named  # a span's end run past its line
    span = Reading(0, at, at + 12, SIGNATURE[at:at + 12], 5.0, 0.0)
    verdict = ReadStage(FixedReader([span]))(question, [Passage(SIGNATURE, "thread.txt", 0, len(SIGNATURE))])
    assert (verdict.reading is not None) is named


FIXTURES = ("Upcoming fixtures\n\nSat 25 October opponent Kingsmead Athletic.\nSat 25 October venue Away.\n"
            "Sat 25 October kick-off 2:30 pm.\n\nSat 1 November opponent St Aldric's Old Boys.\nSat 1 November venue Home."
            "\nSat 1 November kick-off 2:00 pm.\n\nThe away game is a cup tie.")


@pytest.mark.parametrize("question, row", [
    ("What time is kick-off against St Aldric's Old Boys?", "Sat 1 November"),  # named by a cell, not the label
    ("What time is kick-off against Kingsmead Athletic?", None),  # the span's own row
    ("What time is kick-off?", None),  # no row named (the column's name is in every row)
])
def test_the_table_row_a_question_names_by_a_cell_is_read_instead_of_the_span_s(question, row):
    from qa.table_rows import asked_row

    at = FIXTURES.index("2:30 pm")
    got = asked_row(question, FIXTURES, at, at + 7)
    assert (FIXTURES[got[0]:got[1]].split(" opponent")[0] if got else None) == row


ONE_LINE_ROWS = ("Opening hours\n\nMonday to Friday hours 8am to 7pm.\n\nSaturday hours 9am to 2pm.\n\nSunday hours Closed."
         "\n\nThe front desk is staffed from 9am to 5.30pm.")


@pytest.mark.parametrize("question, value", [
    ("What time do you close on Sundays?", "Closed."),  # a two-column table's rows, a line each (session 47)
    ("What are your hours on a Saturday?", None),  # the span's own row
    ("What are your hours?", None),  # no row named
    ("Are you closed on Sundays?", "Closed."),  # named by its label
    ("When are you closed?", None),  # a value names no one-line row: it is what is asked
])
def test_the_one_line_row_a_question_names_gives_its_value(question, value):
    from qa.table_rows import asked_row

    at = ONE_LINE_ROWS.index("9am")
    got = asked_row(question, ONE_LINE_ROWS, at, at + 10)
    assert (ONE_LINE_ROWS[got[0]:got[1]] if got else None) == value


@pytest.mark.parametrize("text, labels", [
    (ONE_LINE_ROWS, [None, "monday to friday", "saturday", "sunday", None]),
    # the column's name is the word that every line says and is followed alike, not "years" of the labels
    ("Less than 2 years annual leave (days) 25.\n\n2 to 4 years annual leave (days) 26.\n\n"
     "10 years or more annual leave (days) 30.", ["less than 2 years", "2 to 4 years", "10 years or more"]),
    # one-line paragraphs of prose, or a speaker's lines, are no rows
    ("TOM: Ingrid Salo, thank you.\n\nINGRID: Thank you, Tom.", [None, None]),
    ("Please register each pet separately.\n\nWe register dogs, cats and rabbits.", [None, None]),
])
def test_runs_of_one_line_paragraphs_saying_one_column_s_name_are_rows(text, labels):
    from qa.table_rows import row_blocks

    assert [" ".join(said[:label]) if said else None for _, _, said, label in row_blocks(text)] == labels


ROOMS = ("Meeting rooms\n\nThe Shuttle seats 4.\nThe Shuttle screen 32-inch TV.\n\nThe Bobbin seats 8.\nThe Bobbin "
         "screen 55-inch TV and webcam.\n\nThe Mill Room seats 16.\nThe Mill Room screen Projector and phone.")


@pytest.mark.parametrize("question, label", [
    ("Which meeting room has a webcam?", "The Bobbin"),  # session 47; "room" of "The Mill Room" is its label's
    ("Which room has a projector?", "The Mill Room"),
    ("Which room has a whiteboard?", None),  # no cell named
    ("Which room has a screen?", None),  # a column's name every row says
    ("How much is the Bobbin?", None),  # asks no row
    ("What screen should I expect in the Bobbin?", None),  # names a row's label: asks its cell
])
def test_the_row_a_question_asking_for_a_row_names_by_a_cell_gives_its_label(question, label):
    from qa.table_rows import row_asked_for

    found = row_asked_for(question, ROOMS)
    assert (ROOMS[found[0]:found[1]] if found else None) == label
    if found:  # in the line naming the cell, which the answer quotes
        assert (ROOMS + "\n")[found[0]:(ROOMS + "\n").index("\n", found[0])].endswith(("webcam.", "phone."))


class KickOffReader:
    """Takes the first kick-off time in any text, as the span reader took the Kingsmead row's (session 26)."""

    margin = 1.0

    def read(self, question, passages, excluded=None):
        found = re.search(r"\d+:\d+ pm", passages[0])
        return [Reading(0, found.start(), found.end(), found.group(), 6.0, 0.0)]


def test_a_row_cut_by_the_passage_s_start_is_one_of_the_table_s_rows():
    from qa.table_rows import asked_row

    cut = FIXTURES[FIXTURES.index("Sat 25 October venue"):]  # the passage opens inside the Kingsmead row
    at = cut.index("2:30 pm")
    a, b = asked_row("What time is kick-off against St Aldric's Old Boys?", cut, at, at + 7)
    assert cut[a:b].startswith("Sat 1 November opponent") and cut[a:b].endswith("2:00 pm.")


def test_the_read_stage_reads_the_row_the_question_names():
    passages = [Passage(FIXTURES, "newsletter.docx", 0, len(FIXTURES))]
    verdict = ReadStage(KickOffReader())("What time is kick-off against St Aldric's Old Boys?", passages)
    assert verdict.reading.text == "2:00 pm" == FIXTURES[verdict.reading.start:verdict.reading.end]


def test_a_word_the_row_s_label_names_picks_no_other_cell_of_the_row():
    """Session 34: "tree" of "How cold can the olive tree stay outside?" is the label's ("Olive tree"), not the
    category's "Trees": the span stays in its own line, not "Olive tree category Trees."."""
    from qa.table_rows import asked_sibling

    row = "Olive tree category Trees.\nOlive tree price £49.00.\nOlive tree: Bring indoors below -5°C."
    at = row.index("below")
    assert asked_sibling("How cold can the olive tree stay outside?", row, at, at + 10) is None
    a, b = asked_sibling("Which category is the olive tree in?", row, at, at + 10)
    assert row[a:b] == "Olive tree category Trees."


PRICES = ("Tickets\n\nStandard ticket: £145\nCommunity groups and registered charities: £60\n"
          "Students (with a valid student card): £35\n\nGroups of five get 10% off.")


@pytest.mark.parametrize("question, line", [
    ("student ticket price", "Students (with a valid student card): £35"),  # the line whose label it names
    ("How much is it for charities?", None),  # the span's own line
    ("How much is a ticket?", "Standard ticket: £145"),  # the one line naming "ticket"
    ("How much does it cost?", None),  # no line named
])
def test_the_list_line_a_question_names_is_read_instead_of_the_span_s(question, line):
    from qa.table_rows import asked_item

    at = PRICES.index("£60")
    got = asked_item(question, PRICES, at, at + 3)
    assert (PRICES[got[0]:got[1]] if got else None) == line


CODES = ("Error codes\n\nE03 Battery voltage too low Charge the battery.\nE04 Motor overheating Change to a lower mode "
         "or rest for 15 minutes.\n\nHM-900 Wi-Fi standard Wi-Fi 6E.\nHM-900 speed 5.4 Gbps.")


@pytest.mark.parametrize("question, shown", [
    ("The display is showing E04. What does that mean and what should I do?",
     "Motor overheating Change to a lower mode or rest for 15 minutes."),
    ("e03 on the display what do i do", "Battery voltage too low Charge the battery."),
    ("What does E09 mean?", None),  # no line opens with it
    ("How fast is the HM-900?", None),  # a table read a line a cell: lines that differ
    ("What does the light mean?", None),  # no code asked
])
def test_where_the_reader_finds_nothing_a_code_the_question_names_is_read_off_its_line(question, shown):
    passages = [Passage("Alpha beta.", "a.txt", 0, 11), Passage(CODES, "manual.pdf", 0, len(CODES))]
    verdict = ReadStage(FixedReader([reading(0, "Alpha", -3.0), reading(1, "Error", -2.0)]))(question, passages)
    assert (verdict.reading and (verdict.reading.passage, verdict.reading.text)) == (shown and (1, shown))
    if shown:
        assert CODES[verdict.reading.start:verdict.reading.end] == shown


def test_a_heading_a_code_opens_is_not_read_off_as_the_answer():
    text = "Q3 Results and outlook\nSales rose in every region."
    passage = Passage(text, "report.md", 0, len(text), marks=((0, 22, "heading"),))
    verdict = ReadStage(FixedReader([reading(0, "Sales", -3.0)]))("What were the Q3 results?", [passage])
    assert verdict.reading is None


class RankedReader:
    """Finds in each passage the best of `spans` (text -> score, best first) that no excluded range touches, as
    a span reader does when told to keep off a span; records each call's exclusions."""

    margin = 1.0

    def __init__(self, spans: dict[str, float]) -> None:
        self.spans = spans
        self.calls = []

    def read(self, question, passages, excluded=None):
        self.calls.append(excluded)
        out = []
        for i, text in enumerate(passages):
            for span, score in sorted(self.spans.items(), key=lambda x: -x[1]):
                at = text.find(span)
                ranges = excluded[i] if excluded else []
                if at >= 0 and not any(a < at + len(span) and at < b for a, b in ranges):
                    out.append(Reading(i, at, at + len(span), span, score, 0.0))
                    break
        return out


DEPOT = [Passage("The depot is open from 8am to 6pm, Monday to Saturday, and is closed on Sundays.", "d.md", 0, 80)]


COMMITTEE = ("Chair name Helen Marsh.\nChair email chair@club.org.\n\n"
             "Race director name Sunita Rao.\nRace director email races@club.org.")


@pytest.mark.parametrize("question, span, named", [
    ("What is the race director's email address?", "chair@club.org", False),
    ("What is the race director's email address?", "races@club.org", True),
    ("What is the chair's email?", "chair@club.org", True),
])
def test_a_contact_detail_asked_of_a_role_is_in_the_table_row_of_that_role(question, span, named):
    from qa.span_names import owner_named

    at = COMMITTEE.index(span)
    assert owner_named(question, COMMITTEE, at, at + len(span)) is named


def test_a_passage_whose_span_had_the_wrong_form_is_read_past_it_when_no_span_fits():
    """Session 35: "the race director's email" got the chair's email: the director's row gave "Sunita Rao" (no
    email), and the chair's email, of the asked form, was another's."""
    passages = [Passage(COMMITTEE[COMMITTEE.index("Race"):], "c.xlsx", 0, 70),
                Passage(COMMITTEE[:COMMITTEE.index("Race") - 2], "c.xlsx", 0, 50)]
    reader = RankedReader({"Sunita Rao": 9.0, "chair@club.org": 4.0, "races@club.org": 3.0})
    assert ReadStage(reader)("What is the race director's email address?", passages).reading.text == "races@club.org"


def test_spans_not_of_the_asked_form_are_read_past_to_the_one_that_is():
    reader = RankedReader({"Sundays": 9.8, "Monday": 4.8, "6pm": 3.0, "depot": 0.5})
    verdict = ReadStage(reader)("What time does the depot close on Saturday?", DEPOT)
    assert verdict.reading.text == "6pm"  # "Sundays" and "Monday" are no clock time
    assert len(reader.calls) == 3 and len(reader.calls[-1][0]) == 2  # read again twice, each wrong span kept off


def test_reading_past_wrong_forms_stops_at_the_margin_and_after_three_tries():
    assert ReadStage(RankedReader({"Sundays": 9.8, "6pm": 0.5}))("What time does it close?", DEPOT).reading is None
    many = RankedReader({"Sundays": 9.8, "Monday": 8.0, "Saturday": 7.0, "depot": 6.0, "6pm": 5.0})
    assert ReadStage(many)("What time does it close?", DEPOT).reading is None and len(many.calls) == 4
    plain = RankedReader({"Sundays": 9.8})  # a question asking no form: one read
    assert ReadStage(plain)("When is it closed?", DEPOT).reading.text == "Sundays" and len(plain.calls) == 1


ADVERT = [Passage("- Experience with Power BI or Tableau is desirable but not essential.\n\nA degree is not required.",
                  "job.md", 0, 96)]


def test_a_yes_no_question_s_span_is_read_past_a_sentence_naming_nothing_it_names():
    """Session 30: "Is Tableau required?" was answered by quoting "A degree is not required."."""
    reader = RankedReader({"not required": 5.2, "not essential": 3.0})
    assert ReadStage(reader)("Is Tableau required?", ADVERT).reading.text == "not essential"
    assert len(reader.calls) == 2
    assert ReadStage(RankedReader({"not required": 5.2}))("Is Tableau required?", ADVERT).reading is None
    plain = RankedReader({"not required": 5.2})  # the sentence names all it asks: one read
    assert ReadStage(plain)("Is a degree required?", ADVERT).reading.text == "not required" and len(plain.calls) == 1


@pytest.mark.parametrize("question, names", [
    ("Is Tableau required?", False),
    ("Is a degree required?", True),
    ("Who uses Tableau?", True),  # not a yes/no question
    ("Is the Mary Ellen accessible?", False),
    ("Does Turkey's army buy Russian jets?", False),
    ("Is a degree what I need?", True),  # "I" names nothing
    ("Is a Degree or a Tableau course required?", True),  # one name said is enough
    ("Can I skip a degree I've started?", True), ("Do I need the insurer's OK for a degree?", True),
    ("Can I bring my dog?", False),  # the sentence says nothing asked (session 30: "We cannot reserve spaces there.")
    ("Is a Degrees course required?", True),  # a name in another form (session 32: "Monday" for "Mondays")
    # session 48: a thing asked to be there is named ("Is there a gym at Cressfield Court?" quoted the halls' rooms)
    ("Is there a degree course?", True), ("Is there a gym for degree students?", False),
    ("Do you have a degree?", True), ("Does the job have a pension for degree holders?", False),
])
def test_names_asked(question, names):
    from qa.span_names import names_asked

    text = ADVERT[0].text
    at = text.index("degree")
    assert names_asked(question, text, at, at + 6) is names  # in the paragraph after the list naming Tableau


@pytest.mark.parametrize("question, span, fits", [
    ("What time does the café open?", "2:30pm", False),  # "serves hot food until 2:30pm"
    ("What time does the café close?", "2:30pm", True),
    ("When does the depot open?", "8am", True),
    ("When does the depot close?", "8am", False),  # "open from 8am"
    ("When does the depot close?", "6pm", True),
    ("When is the depot open?", "6pm", False),
    ("When does it open and close?", "6pm", True),  # both ends asked
    ("Who closes the depot?", "8am", True),  # no time asked
    ("When does the shop close?", "9am", False),  # session 38: "Saturday: 9am to 12:30pm" starts a range at 9am
    ("When does the shop close?", "12:30pm", True),
    # session 44: a stay's arrival is not its departure deadline ("Please leave your pitch by 11am")
    ("What time can we arrive?", "11am", False), ("What time can we arrive?", "2pm", True),
    ("What time do we have to leave?", "11am", True),
    # session 47: "the earliest" asks a range's start ("from 7am to 8pm on weekdays")
    ("What's the earliest I can collect from the depot?", "6pm", False),
    ("What's the earliest I can collect from the depot?", "8am", True),
    ("How early should I arrive?", "8am", True),  # a deadline ("please arrive by 8:00am"), no range's start
    # session 48: a whole range holds the end asked ("... and on Friday from 9am to 1pm": asked_end_of_range shows it)
    ("When does the depot close?", "8am to 6pm", True), ("When does the shop close?", "9am to 12:30pm", True),
])
def test_at_asked_end(question, span, fits):
    from qa.span_rules import at_asked_end

    text = ("The café serves hot food until 2:30pm. The depot is open from 8am to 6pm.\nSaturday: 9am to 12:30pm\n"
            "Pitches are ready from 2pm. Please leave your pitch by 11am.")
    at = text.index(span)
    assert at_asked_end(question, text, at, at + len(span)) is fits


@pytest.mark.parametrize("question, span, shown", [
    ("What time do you close on a Saturday?", "9am to 2pm", "2pm"),  # session 47: one end asked by a verb
    ("When does the library close on Saturdays?", "from 10 a.m. to 4 p.m.", "4 p.m."),
    ("What time does the shop open on Sunday?", "10:00 - 16:00", "10:00"),
    ("When is it open?", "9am to 2pm", None),  # the whole range asked
    ("What time do you close?", "9am to 2pm on Saturdays", None),  # more than a range
])
def test_asked_end_of_range(question, span, shown):
    from qa.span_rules import asked_end_of_range

    found = asked_end_of_range(question, span)
    assert (span[found[0]:found[1]] if found else None) == shown


def test_the_read_stage_shows_the_asked_end_of_a_range():
    hours = [Passage("Saturday hours 9am to 2pm.", "h.md", 0, 26)]
    verdict = ReadStage(RankedReader({"9am to 2pm": 6.0}))("What time do you close on a Saturday?", hours)
    assert verdict.reading.text == "2pm" and hours[0].text[verdict.reading.start:verdict.reading.end] == "2pm"


def test_an_opening_time_asked_is_read_past_a_range_s_end():
    hours = [Passage("The depot is open from 8am to 6pm, Monday to Saturday.", "d.md", 0, 54)]
    assert ReadStage(RankedReader({"6pm": 6.0, "8am": 4.0}))("When does the depot open?", hours).reading.text == "8am"
    assert ReadStage(RankedReader({"6pm": 6.0, "8am": 4.0}))("When does it close?", hours).reading.text == "6pm"


@pytest.mark.parametrize("question, span, fits", [
    ("How many days a week do I have to be in the office?", "37", False),  # "37 hours a week" (session 30)
    ("How many days a week do I have to be in the office?", "37 hours", False),
    ("How many hours a week is the job?", "37", True),
    ("How many days of leave do I get?", "27 days", True),
    ("How many days of leave do I get?", "27", True),
    ("How much leave do I get?", "37", True),  # no unit asked
])
def test_of_asked_unit(question, span, fits):
    from qa.span_rules import of_asked_unit

    text = "Contract: Permanent, full time (37 hours a week). Leave: 27 days a year."
    at = text.index(span)
    assert of_asked_unit(question, text, at, at + len(span)) is fits


class LineReader:
    """Finds "£128" in the booking's list, and "Harbour View Double" in its room's line read alone."""

    margin = 1.0

    def read(self, question, passages, excluded=None):
        out = []
        for i, text in enumerate(passages):
            span = "£128" if "Price" in text else "Harbour View Double"
            if span in text:
                out.append(Reading(i, text.index(span), text.index(span) + len(span), span, 5.0, 0.0))
        return out


def test_a_list_line_read_alone_still_gives_the_form_asked():
    """Session 30: "How much is the room per night?" -> "Harbour View Double", its room's line read alone."""
    text = "- Room: Harbour View Double (room 7)\n- Price: £128 per night"
    from qa.table_rows import asked_item

    at = text.index("£128")
    assert asked_item("How much is the room per night?", text, at, at + 4) is not None  # the rule applies
    verdict = ReadStage(LineReader())("How much is the room per night?", [Passage(text, "booking.md", 0, len(text))])
    assert verdict.reading.text == "£128"


@pytest.mark.parametrize("question, span, fits", [
    ("What colour is the bin this week?", "black", False),  # "black bin next week" (session 31)
    ("What colour is the bin this week?", "green", True),
    ("What colour is the bin next week?", "black", True),
    ("What time does breakfast end on weekdays?", "8am to 10am at weekends", False),  # the span's own period
    ("What time does breakfast end on weekdays?", "7:30am to 9:30am", True),
    # session 34: a clock's colon ends no clause, and "... on weekdays and from 8am to 10am at weekends" says the
    # second part's times of weekends only
    ("What time does breakfast start on weekdays?", "8am to 10am", False),
    ("What time does breakfast start at weekends?", "8am to 10am", True),
    ("What time does breakfast start at weekends?", "7:30am", False),
    ("What colour is the bin?", "black", True),  # no period asked
    # session 48: days listed with "and" are one part ("and midnight to 9am on Friday and Saturday nights")
    ("What time does it have to be quiet from on a Saturday night?", "midnight to 9am", True),
    ("What time does it have to be quiet from on a Saturday night?", "11pm to 8am", False),
    ("When are quiet hours on a Tuesday?", "11pm to 8am", True),
])
def test_of_asked_period(question, span, fits):
    from qa.periods import of_asked_period

    text = ("Bins go out on Wednesday night: green bin this week, black bin next week. Breakfast is served from "
            "7:30am to 9:30am on weekdays and from 8am to 10am at weekends. Quiet hours are 11pm to 8am from Sunday "
            "night to Thursday night, and midnight to 9am on Friday and Saturday nights.")
    at = text.index(span)
    assert of_asked_period(question, text, at, at + len(span)) is fits


class BreakfastReader:
    """Takes the first of its spans not excluded: the span reader's order for "What time does breakfast start on
    weekdays?" (a range's end, then the weekend's times, then the weekday's start)."""

    margin = 1.0
    SPANS = ("9:30am", "8am to 10am", "7:30am")

    def read(self, question, passages, excluded=None):
        text, kept_off = passages[0], (excluded or [[]])[0]
        for span in self.SPANS:
            at = text.index(span)
            if not any(a <= at < b for a, b in kept_off):
                return [Reading(0, at, at + len(span), span, 9.0, 0.0)]
        return []


def test_each_span_that_does_not_fit_is_read_past_in_turn():
    """Session 34: "9:30am" ends the weekday's range and "8am to 10am" is said of weekends; reading past only the
    first answered with the second, then abstained once the period rule refused it; "7:30am" is the third read."""
    text = "Breakfast is served from 7:30am to 9:30am on weekdays and from 8am to 10am at weekends."
    verdict = ReadStage(BreakfastReader())("What time does breakfast start on weekdays?",
                                           [Passage(text, "booking.md", 0, len(text))])
    assert verdict.reading.text == "7:30am"


@pytest.mark.parametrize("question, heading, fits", [
    ("What time is the last bus on weekdays?", "Saturday", False),  # session 32: a Saturday time for a weekday's
    ("What time is the last bus on weekdays?", "Monday to Friday", True),
    ("What time is the last bus at weekends?", "Sunday and bank holidays", True),
    ("What time is the last bus this week?", "Saturday", True),  # a day is said of any week
    ("What time is the last bus on weekdays?", "", True),
])
def test_of_asked_period_under_a_heading(question, heading, fits):
    from qa.periods import of_asked_period

    text = "Buses leave at 09:00 and 17:00."
    assert of_asked_period(question, text, text.index("17:00"), text.index("17:00") + 5, heading) is fits
    clause = "On Saturday buses leave at 17:00."  # the clause's own day comes before the heading's
    assert of_asked_period("When is the last bus on weekdays?", clause, clause.index("17"), len(clause) - 1,
                           "Monday to Friday") is False


NOTES = [Passage("- Breakfast at 7:30am: one cup of dry food.\n\nMANGO (cat)\n- Feed her one pouch of food at 8am.",
                 "notes.txt", 0, 93)]


def test_and_x_is_not_answered_with_the_previous_answer_s_span_and_sentence():
    """Session 31: "And the cat?" after "What time does Biscuit have breakfast?" got Biscuit's "7:30am" again."""
    earlier = ("7:30am", "- Breakfast at 7:30am: one cup of dry food.")
    verdict = ReadStage(RankedReader({"7:30am": 5.7, "8am": 3.0}))("What time does the cat have breakfast?", NOTES,
                                                                     earlier)
    assert verdict.reading.text == "8am"
    none = ReadStage(RankedReader({"7:30am": 5.7}))("What time does the cat have breakfast?", NOTES, earlier)
    assert none.reading is None and "previous answer" in none.reason
    assert ReadStage(RankedReader({"7:30am": 5.7}))("What time does the cat have breakfast?", NOTES).reading.text == \
        "7:30am"  # no earlier answer to keep off


def test_and_x_is_not_answered_with_the_previous_answer_within_more_of_its_sentence():
    """Session 38: "what about recycling?" after "Which day does the black bin get collected?" ("Tuesday") got
    "every Tuesday morning" from the black bin's sentence."""
    bins = "The black bin is collected every Tuesday morning. Recycling is collected on alternate Thursdays."
    earlier = ("Tuesday", "The black bin is collected every Tuesday morning.")
    passages = [Passage(bins, "c.rtf", 0, len(bins))]
    reader = RankedReader({"every Tuesday morning": 5.0, "alternate Thursdays": 3.0})
    assert ReadStage(reader)("Which day is recycling collected?", passages, earlier).reading.text == \
        "alternate Thursdays"


@pytest.mark.parametrize("text, days", [
    ("Monday to Thursday: 8:30am to 5:30pm", {0, 1, 2, 3}), ("Friday to Sunday", {4, 5, 6}),
    ("Sunday and bank holidays: closed", {6}), ("open on weekdays", {0, 1, 2, 3, 4}), ("weekends", {5, 6}),
    ("sun cream and a mon-key", set()),
])
def test_days_named(text, days):
    from qa.periods import days_named

    assert days_named(text) == days


HOURS = "Opening hours\n\nMonday to Thursday: 8:30am to 5:30pm\n\nFriday: 8:30am to 4pm\n\nSaturday: 9am to 12:30pm"


@pytest.mark.parametrize("question, span, fits", [
    ("What time do you close on Saturdays?", "4pm", False),  # session 38: the Friday line's
    ("What time do you close on Saturdays?", "12:30pm", True),
    ("When do you open on Tuesdays?", "8:30am", True),  # within "Monday to Thursday"
    ("When do you open on Fridays?", "9am", False),
    ("When do you open?", "9am", True),  # no day asked
])
def test_a_labelled_line_naming_another_day_than_the_one_asked_is_not_of_its_period(question, span, fits):
    from qa.periods import of_asked_period

    at = HOURS.index(span)
    assert of_asked_period(question, HOURS, at, at + len(span), "Opening hours") is fits


def test_the_labelled_line_naming_the_day_asked_is_read_instead():
    from qa.field_lines import asked_field

    at = HOURS.index("4pm")
    line = asked_field("What time do you close on Saturdays?", HOURS, at, at + 3)
    assert HOURS[line[0]:line[1]] == "Saturday: 9am to 12:30pm"
    at = HOURS.index("8:30am")
    line = asked_field("What time do you close on Wednesdays?", HOURS, HOURS.index("4pm"), HOURS.index("4pm") + 3)
    assert HOURS[line[0]:line[1]] == "Monday to Thursday: 8:30am to 5:30pm"
    assert asked_field("What time do you close on Fridays?", HOURS, HOURS.index("4pm"), HOURS.index("4pm") + 3) is None


@pytest.mark.parametrize("question, span, fits", [
    ("Which day is recycling collected?", "7am", False),  # session 38: "by 7am on collection day"
    ("Which day is recycling collected?", "collection day", False),
    ("Which day is recycling collected?", "alternate Thursdays", True),
    # a holiday is a day (session 43: a council's bin guide)
    ("Which days are there no collections over Christmas?", "Christmas Day, Boxing Day or New Year's Day", True),
    ("Which day is the office closed?", "bank holidays", True),
    ("What day was the game played?", "February 7, 2016", True),
    ("Which days is the hygienist in?", "Tuesdays and Thursdays", True),
    ("What day of the week is it?", "7am", True),  # asks a day of the week, said otherwise
])
def test_a_day_asked_is_a_day_s_name_or_a_date(question, span, fits):
    from qa.span_rules import of_asked_form

    assert of_asked_form(question, span) is fits


@pytest.mark.parametrize("question, span, fits", [
    ("What's the code for the key safe?", "four-digit code", False),  # session 38: a cottage's notes, unanswerable
    ("What is the code for the key safe?", "1234", True),
    ("What is the wifi password?", "case-sensitive password", False),
    ("What is the wifi password?", "Kingfisher2024!", True),
    ("What is the name of the hotel?", "Ashby Arms Hotel", True),
])
def test_a_value_asked_by_its_kind_is_not_answered_by_a_description_of_it(question, span, fits):
    from qa.span_rules import fits_asked_form

    assert fits_asked_form(question, span) is fits


WEDDING = ("Accommodation\n\nWe have reserved rooms at the Ashby Arms.\n\nChildren\n\nWe love your little ones, but we "
           "have decided to make the day adults only.")


def test_a_yes_no_question_s_span_may_share_its_word_with_its_section_s_heading_only():
    """Session 32: "Are children welcome?" abstained on a wedding page, its answer under the heading "Children"."""
    from qa.passage_regions import section_heading

    heads = tuple((300 + WEDDING.index(h), 300 + WEDDING.index(h) + len(h), "heading")
                  for h in ("Accommodation", "Children"))
    passages = [Passage(WEDDING, "wedding.html", 300, 300 + len(WEDDING), marks=heads)]
    at = WEDDING.index("adults only")
    assert section_heading(passages[0], at) == "Children"
    assert section_heading(passages[0], WEDDING.index("reserved")) == "Accommodation"
    assert section_heading(passages[0], 3) == ""
    verdict = ReadStage(RankedReader({"adults only": 4.0}))("Are children welcome?", passages)
    assert verdict.reading is not None and verdict.reading.text == "adults only"
    # without the heading the paragraph shares no word with the question
    bare = [Passage(WEDDING, "wedding.html", 300, 300 + len(WEDDING))]
    assert ReadStage(RankedReader({"adults only": 4.0}))("Are children welcome?", bare).reading is None
    # a heading above another section says nothing of this one
    assert ReadStage(RankedReader({"reserved rooms": 4.0}))("Are children welcome?", passages).reading is None


CV = ("Senior Engineer, Aire Valley Consulting\n\nLead a team of five engineers.\nMentor graduate engineers.\n\n"
      "Engineer, Northgate Water, Sheffield\n\nDesigned drainage systems.\nRan models in InfoWorks ICM.")


@pytest.mark.parametrize("question, span, before", [
    ("What did he do at Northgate Water?", "Mentor graduate engineers", True),  # session 32: a later job's
    ("What did he do at Northgate Water?", "Designed drainage systems", False),  # in the section asked
    ("What did he do at Aire Valley?", "Designed drainage systems", False),  # after the section asked: not this rule
    ("What did he do at Northgate?", "Engineer, Northgate Water", False),  # the paragraph names it
    ("What did he do at Northgate Brewery?", "Mentor graduate engineers", False),  # no heading names all
    ("What did he do?", "Mentor graduate engineers", False),  # no name asked
])
def test_before_asked_section(question, span, before):
    from qa.span_names import before_asked_section

    headings = [(0, CV.index("\n")), (CV.index("Engineer, N"), CV.index("\n", CV.index("Engineer, N")))]
    at = CV.index(span)
    assert before_asked_section(question, CV, at, at + len(span), headings) is before



def test_a_yes_no_question_may_name_what_the_document_s_title_names():
    """Session 32: "Is he chartered?" after a question about Daniel, read "Is Daniel chartered?", abstained on his CV,
    whose paragraph "Chartered member of ..." does not name him; its title does."""
    from qa.span_names import names_asked

    text = "Chartered member of the Institution of Civil Engineers since 2021."
    assert names_asked("Is Daniel chartered?", text, 0, 9, title="Daniel Okafor")
    assert not names_asked("Is Daniel chartered?", text, 0, 9, title="Priya Shah")
    assert not names_asked("Is Daniel tall?", text, 0, 9, title="Daniel Okafor")  # the paragraph says nothing asked


@pytest.mark.parametrize("question, span, inside", [
    ("How old is Daniel?", "900 412", True),  # session 32: a piece of his CV's phone number
    ("How old is Daniel?", "2QT · 07700", True),  # across its edge
    ("What is his phone number?", "900 412", False),  # asked for: the phone rule's
    ("How do I book for a group of 8?", "07700 900 412", False),  # the whole number
    ("When did he graduate?", "2017", False),  # a range of years is no phone number
])
def test_a_piece_of_a_phone_number_is_no_answer(question, span, inside):
    from qa.span_rules import in_phone_number

    text = "Leeds, LS6 2QT · 07700 900 412 · daniel@example.com\n\nMEng, 2013 - 2017."
    at = text.index(span)
    assert in_phone_number(question, text, at, at + len(span)) is inside


MENU = ("Starters\n\nCornish crab on toasted sourdough price £11.50.\nCornish crab on toasted sourdough notes contains "
        "shellfish.\n\nSoup of the day with bread price £6.50.\nSoup of the day with bread notes VG.\n\nMains\n\n"
        "Slow-cooked lamb shoulder price £22.00.\nSlow-cooked lamb shoulder notes GF.\n\n"
        "Catch of the day price market price.\nCatch of the day notes ask your server.")


@pytest.mark.parametrize("question, row", [
    ("How much is the crab?", "Cornish crab on toasted sourdough price £11.50."),  # session 32: a menu's table
    ("How much is the lamb?", "Slow-cooked lamb shoulder price £22.00."),  # in another table of the text
    ("Which starter has shellfish?", "Cornish crab on toasted sourdough price £11.50."),  # a cell named
    ("What is the price of the day?", None),  # two rows named as much ("day"), "price" every row's column
    ("How much is it?", None),  # no row named
    # session 34: a value asked names its row by the label or by more than one word of its cells
    ("How much is a server?", None),  # one word of a row's notes ("ask your server")
    ("How much is it if I ask your server?", "Catch of the day price market price."),
])
def test_the_table_row_a_question_names(question, row):
    from qa.table_rows import named_row

    got = named_row(question, MENU)
    assert (MENU[got[0]:got[1]].split("\n")[0] if got else None) == row


def test_a_table_row_the_question_names_is_read_alone_where_nothing_beats_the_margin():
    """Session 32: "How much is the crab?" scored -3.9 in the menu's passage, 7.9 in its row read alone."""

    class RowReader:
        margin = 1.0

        def read(self, question, passages, excluded=None):
            out = []
            for i, text in enumerate(passages):
                at = text.find("£11.50")
                if at >= 0:
                    out.append(Reading(i, at, at + 6, "£11.50", 8.0 if len(text) < 120 else -4.0, 0.0))
            return out

    passages = [Passage(MENU, "menu.html", 0, len(MENU))]
    verdict = ReadStage(RowReader(), margin_shift=0.0)("How much is the crab?", passages)
    assert verdict.reading is not None and MENU[verdict.reading.start:verdict.reading.end] == "£11.50"
    assert ReadStage(RowReader(), margin_shift=0.0)("How much is it?", passages).reading is None  # no row named
    other = [Passage("Buses leave at 9.", "bus.md", 0, 17), *passages]  # the row in a passage ranked lower
    assert ReadStage(RowReader(), margin_shift=0.0)("How much is the crab?", other).reading is None


TIMES = ("Monday to Friday\n\nFenbridge Bus Station early 06:10.\nFenbridge Bus Station midday 12:15.\n"
         "Fenbridge Bus Station evening 18:30.\n\nFares\n\nA single adult fare is £3.20.")


@pytest.mark.parametrize("question, span, line", [
    ("What time is the last bus from Fenbridge?", "06:10", "Fenbridge Bus Station evening 18:30."),  # session 32
    ("When is the earliest bus from Fenbridge?", "18:30", "Fenbridge Bus Station early 06:10."),
    ("What time is the last bus from Fenbridge?", "18:30", None),  # the span is in the last line already
    ("What time is the bus from Fenbridge?", "06:10", None),  # neither asked
    ("How much is the last fare?", "£3.20", None),  # no table row
    ("When is the first midday bus from Fenbridge?", "12:15", None),  # session 37: the span's column is named
])
def test_the_last_or_first_cell_of_a_row(question, span, line):
    from qa.table_rows import asked_end_of_row

    at = TIMES.index(span)
    got = asked_end_of_row(question, TIMES, at, at + len(span))
    assert (TIMES[got[0]:got[1]] if got else None) == line


def test_a_span_read_past_is_read_again_in_the_row_s_last_cell():
    """Session 32: "What time is the last bus on weekdays?" took Saturday's times, then read past them to the first
    weekday bus; the row's last cell is read, also for a span taken after another was read past."""

    class BusReader:
        margin = 1.0

        def read(self, question, passages, excluded=None):
            out = []
            for i, text in enumerate(passages):
                for span, score in (("18:30", 5.0), ("09:00", 7.0), ("06:10", 4.0)):
                    at = text.find(span)
                    if at >= 0 and not any(a < at + 5 and at < b for a, b in (excluded[i] if excluded else [])) \
                            and (len(text) < 60 or span != "18:30"):
                        out.append(Reading(i, at, at + 5, span, score, 0.0))
                        break
            return out

    saturday = "Saturday\n\nBuses leave at 09:00."
    passages = [Passage(TIMES, "bus.md", 0, len(TIMES), marks=((0, 16, "heading"),)),
                Passage(saturday, "bus.md", 200, 200 + len(saturday), marks=((200, 208, "heading"),))]
    verdict = ReadStage(BusReader(), margin_shift=0.0)("What time is the last bus on weekdays?", passages)
    assert verdict.reading is not None and verdict.reading.text == "18:30"


def test_a_list_s_bullets_are_no_row_s_label():
    """Session 32: "first day in new office?" took the first line of an e-mail's dated list."""
    from qa.table_rows import asked_end_of_row

    plan = ("- Thursday 20 November: crates delivered.\n- Friday 21 November: pack your desk by 3 pm.\n"
            "- Monday 24 November: first working day at Canal Wharf.")
    at = plan.index("Monday 24 November")
    assert asked_end_of_row("first day in new office?", plan, at, at + 18) is None


@pytest.mark.parametrize("question, text, named", [
    ("Who is the head baker?", "Seasonal food by the water. Head chef: Marta Kowalczyk.", False),  # session 32
    ("Who is the head chef?", "Seasonal food by the water. Head chef: Marta Kowalczyk.", True),
    ("Who is the treasurer?", "The treasurer, currently Priya Natarajan, presents the accounts.", True),
    ("Who chairs the meeting?", "Seasonal food by the water. Head chef: Marta Kowalczyk.", True),  # no role asked
    ("Who is the treasurer of the co-operative?", "The treasurer, currently Priya Natarajan.", True),  # its noun
    ("Who is the Turkish president mentioned here?", "President Marta Kowalczyk's trip.", True),
    # session 43: prose may say a one-word role in other words; a labelled line's value is its label's
    ("Who is the lender?", "This is a summary of the mortgage offer issued by Marta Kowalczyk.", True),
    ("Who is the lender?", "Broker: Marta Kowalczyk.", False),
    ("Who is the hotel manager?", "Hotels are booked by Marta Kowalczyk.", False),  # a role of two words
])
def test_who_is_the_role_asked_needs_a_paragraph_naming_the_role(question, text, named):
    from qa.span_names import names_role

    at = text.index("Marta") if "Marta" in text else text.index("Priya")
    assert names_role(question, text, at, at + 5) is named


def test_a_span_of_a_row_label_and_a_column_name_is_the_label():
    from qa.table_rows import within_label

    text = "Frosty 5K date 17 January.\nFrosty 5K venue Castle Park.\n\nBonfire 5 Mile date 7 November.\n" \
           "Bonfire 5 Mile venue Castle Park."
    at = text.index("Bonfire 5 Mile venue")
    assert text[at:within_label(text, at, at + 20)] == "Bonfire 5 Mile"
    assert within_label(text, at, len(text)) == len(text)  # the whole line stays whole
    castle = text.index("Castle Park")
    assert within_label(text, castle, castle + 11) == castle + 11  # a span not at its line's start is untouched
    assert within_label("Adults pay £5 at the door.", 0, 10) == 10  # no table row


RACES = ("Hill Fell Race date 8 August 2027.\nHill Fell Race start 11:00.\nHill Fell Race entry fee £10.00.\n\n"
         "Harvest Half Marathon date 26 September 2027.\nHarvest Half Marathon start 08:30.\n"
         "Harvest Half Marathon entries close 12 September 2027.\n"
         "Harvest Half Marathon: Club members £24.")


def test_a_span_in_a_table_row_other_than_the_one_the_question_names_is_no_answer():
    """Session 35: "How much does the Hill Fell Race cost for club members?" got the half marathon's "£24"."""
    from qa.table_rows import in_other_row

    at = RACES.index("£24")
    assert in_other_row("How much does the Hill Fell Race cost for club members?", RACES, at)
    assert not in_other_row("How much do club members pay for the half marathon?", RACES, at)  # names no label whole
    assert not in_other_row("How much do club members pay?", RACES, at)
    assert not in_other_row("How much does the Hill Fell Race cost?", "Club members pay £24.", 17)  # no table
    reader = RankedReader({"£24": 6.0, "£10.00": 2.0})
    verdict = ReadStage(reader)("How much does the Hill Fell Race cost for club members?", [Passage(RACES, "r", 0, 99)])
    assert verdict.reading.text == "£10.00"


def test_when_is_a_row_is_answered_by_its_date_not_its_start_time():
    reader = RankedReader({"08:30": 6.0, "26 September 2027": 3.0})
    verdict = ReadStage(reader)("When is the Harvest Half Marathon?", [Passage(RACES, "r", 0, 99)])
    assert verdict.reading.text == "26 September 2027"
    verdict = ReadStage(reader)("What time is the Harvest Half Marathon?", [Passage(RACES, "r", 0, 99)])
    assert verdict.reading.text == "08:30"


def test_where_is_read_in_a_table_rows_column_of_places():
    row = ("Canal 10K date 21 March 2027.\nCanal 10K start 09:30.\nCanal 10K venue Lock Keeper's Cottage, Wharf Road.\n"
           "Canal 10K: Chip timing; no headphones.")
    from qa.table_rows import asked_sibling

    notes = row.index("Chip")
    line = asked_sibling("Where does the Canal 10K start?", row, notes, notes + 10)
    assert row[line[0]:line[1]] == "Canal 10K venue Lock Keeper's Cottage, Wharf Road."
    venue = row.index("Lock")
    assert asked_sibling("Where does the Canal 10K start?", row, venue, venue + 10) is None  # already there
    line = asked_sibling("When does the Canal 10K start?", row, notes, notes + 10)
    assert row[line[0]:line[1]] == "Canal 10K start 09:30."  # no place asked: the column the question names


def test_a_sentence_naming_a_sibling_of_the_place_asked_is_no_answer():
    """Session 39 (held-out staff policies): "How many parking spaces are there at the York office?" got "12" from
    "Leeds has 12 car parking spaces." (unanswerable: the guide gives York's count nowhere); the guide says "Leeds or
    York". A sentence naming the place asked, or a name set beside no other, still answers."""
    from qa.span_names import of_a_sibling

    text = ("Your base office is Leeds or York. Leeds has 12 car parking spaces, allocated daily. "
            "York has 4 spaces behind the building.")
    leeds = text.index("Leeds has")
    assert of_a_sibling("How many parking spaces are there at the York office?", text, leeds, [text])
    assert not of_a_sibling("How many parking spaces are there at the Leeds office?", text, leeds, [text])
    assert not of_a_sibling("Who wrote Tidewatch?", "Morwenna Pascoe wrote it.", 0, ["Morwenna Pascoe wrote it."])
    rows = "Leeds bookable desks 40.\nLeeds anchor days Tuesday.\nYork bookable desks 18.\nYork anchor days Thursday."
    parking = "Leeds has 12 car parking spaces."
    assert of_a_sibling("How many parking spaces are there at the York office?", parking, 0, [parking, rows])
    trip = "A Leeds-based surveyor attending a meeting in York can claim the journey."  # names both
    war = "The war was fought between the colonies of British America and New France."  # SQuAD, held out
    assert not of_a_sibling("Who fought in the French and Indian war?", war, 0, [war, "the British and French"])
    assert not of_a_sibling("I'm based in Leeds. What can I claim for a meeting in York?", trip, 0, [trip, text])
    without_york = text[:text.index(" York has")]
    span = "12 car parking spaces"
    start = without_york.index(span)
    reader = FixedReader([Reading(0, start, start + len(span), span, 5.0, 0.0)])
    passages = [Passage(without_york, "a.md", 0, len(without_york))]
    assert ReadStage(reader)("How many parking spaces are there at the York office?", passages).reading is None
    assert ReadStage(reader)("How many parking spaces are there at the Leeds office?", passages).reading.text == span


def test_a_title_of_the_person_whose_relation_is_asked_is_no_answer():
    """Session 40 (the article's unanswerable "Who is Dmitry Medvedev's Turkish counterpart?" got "Russian Prime
    Minister", Medvedev's own title). The one asked stands elsewhere: "Putin's spokesman, Dmitry Peskov" answers."""
    from qa.span_names import of_the_owner_itself

    text = ("Yesterday, Russian Prime Minister Dmitry Medvedev informed his Turkish counterpart about new measures. "
            "Putin's spokesman, Dmitry Peskov, told reporters. Dmitry Medvedev, the prime minister, met Erdogan.")
    asked = "Who is Dmitry Medvedev's Turkish counterpart?"
    title = text.index("Russian Prime")
    assert of_the_owner_itself(asked, text, title, title + len("Russian Prime Minister"))
    again = text.index("the prime minister")  # after the name and a comma
    assert of_the_owner_itself("Who was Medvedev's counterpart?", text, again, again + len("the prime minister"))
    peskov = text.index("Dmitry Peskov")
    assert not of_the_owner_itself("Who is Putin's spokesman?", text, peskov, peskov + len("Dmitry Peskov"))
    assert not of_the_owner_itself("What is Dmitry Medvedev's title?", text, title, title + 22)  # not a who
    span = "Russian Prime Minister"
    reader = FixedReader([Reading(0, title, title + len(span), span, 5.0, 0.0)])
    passages = [Passage(text, "a.md", 0, len(text))]
    assert ReadStage(reader)(asked, passages).reading is None
    assert ReadStage(reader)("Who informed the Turkish counterpart?", passages).reading.text == span


def test_a_sentence_naming_another_word_the_passages_label_lines_with_is_not_the_answer():
    """Session 44 (held-out broadband summary): "What's the minimum guaranteed upload speed?" (unanswerable) got
    "Minimum guaranteed download speed: 100Mbps"; the summary labels lines "Estimated download speed" and "Estimated
    upload speed"."""
    from qa.span_names import of_a_sibling

    text = ("Estimated download speed: 145Mbps\nEstimated upload speed: 30Mbps\n"
            "Minimum guaranteed download speed: 100Mbps")
    at = text.index("Minimum")
    assert of_a_sibling("What's the minimum guaranteed upload speed?", text, at, [text])
    assert not of_a_sibling("What's the minimum guaranteed download speed?", text, at, [text])
    assert not of_a_sibling("What's the minimum guaranteed speed?", text, at, [text])


@pytest.mark.parametrize("question, excluded", [
    ("What time can we arrive?", ["If you expect to arrive after 8pm,"]),
    ("When do we need to ring ahead?", []),  # a condition may answer these
    ("How can we get the deposit back?", []),
    ("How much is the late fee?", ["If you expect to arrive after 8pm,"]),
    ("Can we arrive late?", []),  # a yes/no question's sentence is quoted whole
])
def test_a_sentence_s_opening_condition_is_no_answer_unless_one_is_asked(question, excluded):
    from qa.span_rules import condition_clauses

    text = "Pitches are ready from 2pm. If you expect to arrive after 8pm, please ring us. Unless told, ring."
    found = [text[a:b] for a, b in condition_clauses(question, text)]
    assert found == (excluded + ["Unless told,"] if excluded else [])


def test_a_phone_number_asked_answers_a_little_under_the_margin():
    """Session 48: "What's the phone number for reception?" read "01632 962 140" at -0.7 (margin 0.9); only the number
    asked, whole, within the window, and said where the question's subject is."""
    text = "Reception is in Block A. You can call us on 01632 962 140 or email desk@example.ac.uk."
    at = text.index("01632")
    near = [Reading(0, at, at + 13, "01632 962 140", 0.0, 0.0)]
    passages = [Passage(text, "guide.html", 0, len(text))]
    question = "What's the phone number for reception?"
    assert ReadStage(FixedReader(near), contact_window=2.0)(question, passages).reading.text == "01632 962 140"
    assert ReadStage(FixedReader(near), contact_window=0.0)(question, passages).reading is None  # off
    far = [replace(near[0], span_logit=-1.5)]
    assert ReadStage(FixedReader(far), contact_window=2.0)(question, passages).reading is None
    assert ReadStage(FixedReader(near), contact_window=2.0)("Who answers the phone?", passages).reading is None
    at = text.index("desk@")
    email = [Reading(0, at, at + 18, "desk@example.ac.uk", 0.0, 0.0)]
    assert ReadStage(FixedReader(email), contact_window=2.0)(question, passages).reading is None  # not a number


PERMITS = ("First permit 12 months £78.\nFirst permit 6 months £45.\n\nSecond permit 12 months £132.\nSecond permit 6 months "
           "£72.\n\nElectric vehicle 12 months £30.\nElectric vehicle 6 months £18.")


@pytest.mark.parametrize("question, row", [
    # session 48: "permit" names the span's row and another, "electric" one row alone: that row is asked
    ("I've just bought an electric car. What will a permit cost me?", "Electric vehicle"),
    ("How much is a permit?", None),  # no row named alone
    ("How much is a first permit for an electric car?", None),  # the span's own row names a word alone too
])
def test_the_one_row_naming_a_word_of_the_question_alone_is_read(question, row):
    from qa.table_rows import asked_row

    at = PERMITS.index("£78")
    got = asked_row(question, PERMITS, at, at + 3)
    assert (PERMITS[got[0]:got[1]].split(" 12")[0] if got else None) == row
