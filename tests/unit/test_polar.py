"""Yes or no to a polar question, read off the sentence holding the reader's span (qa.polar), and in the answer."""

import pytest

from qa.polar import is_polar, polar_verdict

FEE = "The joining fee is 500 pounds, which can be paid in monthly instalments."
DISHWASHER = "The drip tray, the filter baskets and the milk jug can go in the dishwasher; the portafilter cannot."


@pytest.mark.parametrize("question, sentence, span, verdict", [
    ("Can the joining fee be paid in instalments?", FEE, "monthly instalments", "yes"),
    ("Is Dmitry Peskov Putin's spokesman?", "Putin's spokesman, Dmitry Peskov, told reporters.", "Dmitry Peskov",
     "yes"),
    ("Does the tank hold 1.8 litres?", "The tank holds 1.8 litres.", "1.8 litres", "yes"),
    ("Can the portafilter go in the dishwasher?", DISHWASHER, "cannot", "no"),  # the span is the negation
    ("Is there parking at the clinic?", "There is no parking at the clinic itself.", "no parking", "no"),
    ("Is there parking at the clinic?", "There is no parking at the clinic itself.", "no parking at the clinic itself",
     "no"),
    ("Is there parking at the clinic?", "There is no parking at the clinic itself.", "There is no parking", "no"),
    # a refusal word beside the negation ("not accepted", "not allowed") is still only what is asked (session 24)
    ("Can I pay rent in cash?", "Rent can be paid by bank transfer or through the tenant portal; cash is not "
     "accepted.", "cash is not accepted", "no"),
    ("Does it support Scottish harbours?", "Tides for Scottish harbours are not supported yet.", "not supported yet",
     "no"),
    ("Can I pay rent by card?", "Rent can be paid by bank transfer; cash is not accepted.", "cash is not accepted",
     ""),
    ("Did they meet in Moscow?", "They met not only in Moscow but also in Ankara.", "not only in Moscow", ""),
    ("Is there parking at the lodge?", "There is no parking at the clinic itself.", "no parking", ""),
    ("Does the hotel have a gym?", "There is no pool, but the hotel has a gym.", "no pool", ""),
    # a noun of the adjective asked is the same word (session 26)
    ("Is Turkey eager to play the role?", "Hence Turkey's willingness or eagerness to play the role.",
     "eagerness", "yes"),
    ("Are the staff happy?", "The happiness of the staff is clear.", "happiness", "yes"),
    # no verdict: a word of the question the sentence does not say, another number, a negation or a hedge
    ("Is Turkey moving away from NATO?", "Turkey is going beyond its dependency on the NATO alliance.", "x", ""),
    ("Does the tank hold 2 litres?", "The tank holds 1.8 litres.", "1.8 litres", ""),
    ("Does the kit hold two tablets?", "The kit holds three tablets.", "three tablets", ""),
    ("Will Turkey buy the S-400?", "Turkey may buy the S-400.", "the S-400", ""),
    ("Can the milk jug go in the dishwasher?", DISHWASHER, "cannot", ""),  # the negation is the portafilter's
    # one clause says it plainly and the clause that negates is about another thing it names (session 27)
    ("Does the Main Hall have a hearing loop?", "The Main Hall and Room A have hearing loops; Room B does not have "
     "a hearing loop, so please tell us.", "The Main Hall", "yes"),
    ("Is parking free?", "Parking is free, but not on weekdays.", "free", ""),
    ("Are dogs allowed?", "Dogs are allowed in the garden; dogs are not allowed inside.", "allowed", ""),
    # a plain prohibition of what the question asks leave to do, whatever the verb (session 28)
    ("can i clean it with a pressure washer", "Do not use a pressure washer or point a hose at the motor.",
     "Do not use a pressure washer", "no"),
    ("Can I use the 2nd edition of Thornbury?", "Do not buy the 2nd edition of Thornbury and Ilesanmi: the chapters "
     "were rewritten.", "Do not buy", "no"),
    ("Can I charge the battery indoors?", "Do not charge the battery in direct sunlight.", "direct sunlight", ""),
    ("Can I take Dolorex when I'm pregnant?", "Do not take Dolorex if you are in the last 3 months of pregnancy.",
     "last 3 months", ""),
    ("Can I use a pressure washer?", "Do not use a pressure washer unless the battery is removed.", "unless", ""),
    # a word whose inflection drops its "e" (session 31: "freezes" stems to "freez", "freeze" to itself)
    ("Is a medical freeze free?", "3.2 Medical freezes are free with a doctor's note.", "free with a doctor's note",
     "yes"),
    ("Is VAT included?", "Prices include VAT.", "include VAT", "yes"),
    # a refusal of what is asked to be taken (session 38: a dental practice's payments)
    ("Do you take American Express?", "Sorry, we no longer accept cheques or American Express.", "American Express",
     "no"),
    ("Do you take Visa?", "Sorry, we no longer accept cheques or American Express.", "cheques", ""),
    ("Do you take American Express?", "We do not accept American Express unless you book online.", "online", ""),
    # what is paid is no thing refused (session 43: a nursery's "We do not accept cash.")
    ("Can I pay my fees in cash?", "We do not accept cash.", "We do not accept cash", "no"),
    ("Can I pay my fees in cash?", "We do not accept cheques.", "cheques", ""),
    # free of charge says no to having to pay (session 43: a council's bin guide)
    ("Do I have to pay for an assisted collection?", "Assisted collections are free of charge.", "free of charge",
     "no"),
    ("Is there a charge for parking?", "Parking is free except on match days.", "free", ""),
    ("Do I have to pay for gluten-free bread?", "Gluten-free bread costs £1.", "£1", ""),
    ("Do I have to pay for the bus?", "Parking is free.", "free", ""),
    # "Does it cost anything to ...?" asks the same, a noun of its verb said free (session 46: a vet's client pack)
    ("Does it cost anything to register?", "Registration is free and can be done at reception.", "free", "no"),
    ("Does it cost anything to park?", "Registration is free and can be done at reception.", "free", ""),
    # a labelled line is one clause, its label's (session 38: a dental practice's opening hours)
    ("Are you open on Sundays?", "Sunday and bank holidays: closed", "closed", "no"),
    # a "-ment" noun says its verb (session 38: the hall hire agreement's payments)
    ("Can I pay by cheque?", "Payment can be made by bank transfer, or by cheque payable to the hall.",
     "bank transfer", "yes"),
    # "Please" before it (session 31: a pet-sitter's notes)
    ("Can I change the thermostat?", "Please don't change the thermostat.", "Please don't change the thermostat",
     "no"),
    ("Can I change the thermostat?", "Please do not change the thermostat unless it is below 10C.", "unless", ""),
    # the opposite of a word asked, an exception, "unable" (session 30: "Yes" to both, from a museum's page and a
    # job advert)
    ("Is it open on Mondays?", "We are closed on Mondays and Tuesdays, except during school holidays, when we open "
     "every day.", "We are closed", ""),
    ("Is it open on Sundays?", "The museum is open from 10am to 5pm, Wednesday to Sunday.", "10am to 5pm", "yes"),
    ("Can they sponsor a visa?", "We are unable to sponsor work visas for this role.", "We are unable to sponsor", "no"),
    ("Can they sponsor visas?", "We are unable to sponsor visas.", "unable", "no"),
    ("Is photography allowed in the Treasures of the Deep gallery?", "Photography for personal use is allowed "
     "everywhere except in the Treasures of the Deep gallery.", "allowed everywhere", ""),
    # an irregular plural is its singular (session 30)
    ("Does my child need to be able to swim?", "Children do not need to be able to swim for canoeing, but please "
     "tell us if your child is nervous around water.", "Children do not need to be able to swim", "no"),
    # the opposite said plainly, in one clause, of all else asked, is "No"
    ("Is the flat available in June?", "The flat is unavailable in June.", "unavailable", "no"),
    ("Is the deposit refundable?", "A non-refundable deposit of £50 is due by Friday 29 January.", "£50", "no"),
    # session 32: "Yes" was said to smoking in a garden the hotel's "non-smoking" sentence names
    ("Can I smoke in the garden?", "The hotel is non-smoking throughout, including the garden.", "the garden", "no"),
    ("Is the shop open on Mondays?", "The shop is closed on Mondays.", "closed", "no"),
    ("Are dogs allowed in the garden?", "Dogs are forbidden in the garden.", "forbidden", "no"),
    ("Is the shop open on Sundays?", "The shop is closed on Mondays.", "closed", ""),
    ("Is the shop open on Mondays?", "The shop is closed on Mondays but open on Sundays.", "closed", ""),
    ("Is the deposit of £40 refundable?", "A non-refundable deposit of £50 is due.", "£50", ""),
    ("Is the flat available in May?", "The flat may be unavailable in May.", "unavailable", ""),
    # session 34: a privacy notice's "we" negating the very verb or thing asked, in one clause, says "No"
    ("Can you see my bank login details?", "We never see or store your bank login details.",
     "We never see or store your bank login details", "no"),
    ("Do you sell my data?", "We do not sell your personal data, and we do not show adverts in the app.",
     "We do not sell your personal data", "no"),
    ("Are there adverts in the app?", "We do not sell your personal data, and we do not show adverts in the app.",
     "we do not show adverts", "no"),
    ("Does the warranty cover limescale damage?", "The warranty does not cover damage caused by limescale.",
     "damage", "no"),  # no verdict before session 34
    ("Do you sell my data?", "We do not sell your personal data unless you agree.", "We do not sell your personal data",
     ""),
    ("Do you sell my data?", "We may not sell your data.", "We may not sell your data", ""),
    ("Does the bus stop at Oakley?", "The bus does not always stop at Oakley.", "The bus", ""),
    ("Does the room have a TV?", "The room does not have a TV but has a radio.", "a radio", ""),
])
def test_a_verdict_only_where_the_sentence_plainly_says_it(question, sentence, span, verdict):
    assert polar_verdict(question, sentence, span) == verdict


def test_what_is_a_polar_question():
    assert is_polar("Can it be paid in instalments?") and is_polar("Did relations hit a low point?")
    assert not is_polar("Is it red or blue?") and not is_polar("Isn't the fee paid monthly?")
    assert not is_polar("Who is Putin's spokesman?") and not is_polar("")
    # the user first says what happened, then asks (session 28)
    assert is_polar("A burst pipe also caused some accidental damage. Do I have to pay two excesses?")
    assert not is_polar("Is the report late? What mark will I end up with?")


def test_an_faq_heading_asking_the_question_is_answered_by_its_yes_or_no_paragraph():
    """Session 23: "Do you see emergency patients?" abstained on a clinic's FAQ page: the answer paragraph opens
    "Yes.", which no span can be. The heading asking the question gives "yes" and the paragraph's next sentence."""
    from index.chunking import Passage
    from qa.polar_headings import heading_answer

    text = ("Do you see emergency patients?\n\nYes. We keep two emergency slots free every weekday morning.\n\n"
            "Can I pay by card?\n\nNo, only cash. Sorry.\n\nWhere can I park?\n\nOn Mill Street.")
    heads = [(text.index(h), text.index(h) + len(h)) for h in
             ("Do you see emergency patients?", "Can I pay by card?", "Where can I park?")]
    passage = Passage(text, "faq.html", 100, 100 + len(text), marks=tuple((100 + s, 100 + e, "heading")
                                                                         for s, e in heads))
    reading, said = heading_answer("Do you see emergency patients?", [passage])
    assert said == "yes" and reading.text == "We keep two emergency slots free every weekday morning."
    reading, said = heading_answer("Can I pay by card?", [passage])
    assert said == "no" and reading.text == "only cash."
    reading, said = heading_answer("Where can I park?", [passage])  # not a yes/no question: the paragraph
    assert said == "" and reading.text == "On Mill Street."
    assert heading_answer("Do you see children?", [passage]) is None  # no heading asks it
    # session 33: a question opening its paragraph asks as a heading does, "Yes." after it in the same paragraph
    plain = Passage(text, "faq.html", 100, 100 + len(text))
    assert heading_answer("Do you see emergency patients?", [plain])[1] == "yes"
    inline = "Do you see emergency patients? Yes. We keep two emergency slots free every weekday morning."
    reading, said = heading_answer("Do you see emergency patients?", [Passage(inline, "faq.md", 0, len(inline))])
    assert said == "yes" and reading.text == "We keep two emergency slots free every weekday morning."
    aside = "People ask us: do you see emergency patients? Yes. We keep two slots free."  # no question of its own
    assert heading_answer("Do you see emergency patients?", [Passage(aside, "faq.md", 0, len(aside))]) is None


def test_a_heading_naming_the_question_is_answered_by_the_list_under_it():
    """Session 24: "What should I bring?" abstained on a volunteers' guide whose section "What to bring" is a list
    (the reader takes no span over a list's lines); the heading names the question, its list is the answer."""
    from index.chunking import Passage
    from qa.polar_headings import heading_answer

    text = "Shifts\n\nTwo shifts each.\n\nWhat to bring\n\nSturdy shoes\nSun cream\n\nLunch is provided."
    heads = [(text.index(h), text.index(h) + len(h)) for h in ("Shifts", "What to bring")]
    passage = Passage(text, "guide.docx", 0, len(text), marks=tuple((s, e, "heading") for s, e in heads))
    reading, said = heading_answer("What should I bring?", [passage])
    assert said == "" and reading.text == "Sturdy shoes\nSun cream"
    assert heading_answer("Do I need to bring anything?", [passage])[0].text == "Sturdy shoes\nSun cream"
    assert heading_answer("What should I bring to the party?", [passage]) is None  # more than the heading names
    assert heading_answer("Is lunch provided?", [passage]) is None


TRIP = ("Children may bring up to £5 of pocket money for the centre's shop. Mobile phones, games consoles and sweets "
        "must not be brought. Medicines must not be brought unless the consent form is signed. Hair dressings must not "
        "be brought.")


@pytest.mark.parametrize("question, forbidden", [
    ("Can my child bring a mobile phone?", True),  # session 30: abstained on
    ("Can children bring games consoles?", True),
    ("Can my child bring sweets?", True),  # "Children may bring up to £5 ..." was quoted
    ("Can my child bring a torch?", False),  # not named
    ("Can I bring my dog?", False),
    ("Can my child bring medicines?", False),  # a condition
    ("What can my child bring?", False),  # no yes/no question
    ("Can my child bring hair dressings?", True),  # "dressings" stemmed once on both sides
])
def test_a_sentence_plainly_forbidding_what_is_asked_says_no(question, forbidden):
    from index.chunking import Passage
    from qa.polar_headings import prohibition

    found = prohibition(question, [Passage(TRIP, "letter.txt", 0, len(TRIP))])
    assert (found is not None) is forbidden
    if forbidden:
        assert found[1] == "no" and found[0].text.endswith("must not be brought.")


def test_a_prohibition_in_another_clause_forbids_nothing_asked():
    """Session 32: "Can I pay by card?" got "No" from "Pay the driver by contactless card or cash; drivers cannot
    change notes larger than £20." (a bus timetable's fares)."""
    from index.chunking import Passage
    from qa.polar_headings import prohibition

    fares = "Pay the driver by contactless card or cash; drivers cannot change notes larger than £20."
    assert prohibition("Can I pay by card?", [Passage(fares, "bus.md", 0, len(fares))]) is None
    assert prohibition("Can you change notes?", [Passage(fares, "bus.md", 0, len(fares))])[1] == "no"
    museum = "Wheelchairs can be borrowed from the front desk; we have four, and they cannot be reserved."
    assert prohibition("Can I reserve a wheelchair?", [Passage(museum, "museum.html", 0, len(museum))])[1] == "no"


def test_an_faq_asking_the_very_question_outranks_a_sentence_sharing_its_words():
    """Session 33, the board game's rules in the UI: "Can I give oil to a keeper on another space?" got "Yes" from
    "Trade: give any number of oil tokens to another keeper on the same space." (every word asked is in it); the
    rules' FAQ asks that question and answers "No."."""
    from index.chunking import Passage
    from qa.polar_headings import heading_verdict
    from qa.reading import Verdict
    from qa.reader_spans import Reading

    text = ("Trade: give any number of oil tokens to another keeper on the same space.\n\n"
            "Can I give oil to a keeper on another space? No. Trading only works between keepers on the same space.")
    passages = [Passage(text, "rules.md", 0, len(text))]
    span = "give any number of oil tokens to another keeper on the same space"
    found = Verdict(Reading(0, 7, 7 + len(span), span, 5.0, 0.0), "", 5.0)
    verdict, said = heading_verdict("Can I give oil to a keeper on another space?", ["q"], found, passages)
    assert said == "no" and verdict.reading.text == "Trading only works between keepers on the same space."
    # no FAQ asks it: the span's own sentence decides, as before
    assert heading_verdict("Can I give oil to a keeper?", ["q"], found, passages) is None


def test_a_refused_payment_forbids_paying_that_way():
    """Session 38: "Can I pay by card?" quoted the sentence before "We are sorry that we cannot accept card payments."
    (a village hall's hire agreement): "payments" names the verb "pay"."""
    from index.chunking import Passage
    from qa.polar_headings import prohibition

    text = ("Payment can be made by bank transfer, or by cheque payable to the hall. We are sorry that we cannot "
            "accept card payments.")
    found = prohibition("Can I pay by card?", [Passage(text, "hall.odt", 0, len(text))])
    assert found is not None and found[1] == "no" and found[0].text.startswith("We are sorry")
    assert prohibition("Can I pay by cheque?", [Passage(text, "hall.odt", 0, len(text))]) is None


@pytest.mark.parametrize("question, sentence, heading, forbidden", [
    # session 38: a holiday cottage's notes (RTF)
    ("Can we burn coal in the wood burner?", "Only burn the logs from the log store; never burn coal, rubbish or "
     "painted wood.", "The wood burner", True),  # "Never" and the heading naming the burner
    ("Can we burn logs?", "Only burn the logs from the log store; never burn coal, rubbish or painted wood.",
     "The wood burner", False),  # the logs are not what "never" forbids
    ("Can we bring our cat?", "Sorry, we can't accept cats or other pets.", "Pets", True),  # a refusal of the thing
    ("Can we bring our dog?", "Sorry, we can't accept cats or other pets.", "Pets", False),
    ("Can I pay by card?", "We do not accept cards unless you book online.", "Payment", False),  # a condition
    ("Can we bring our cat to Heron Cottage?", "Sorry, we can't accept cats.", "Pets", True),  # the title names it
    ("Can we bring our cat to Rose Cottage?", "Sorry, we can't accept cats.", "Pets", False),
])
def test_a_never_or_a_refusal_of_the_thing_asked_says_no(question, sentence, heading, forbidden):
    from index.chunking import Passage
    from qa.polar_headings import prohibition

    text = f"{heading}\n\n{sentence}"
    passage = Passage(text, "notes.rtf", 0, len(text), title="Welcome to Heron Cottage",
                      marks=((0, len(heading), "heading"),))
    found = prohibition(question, [passage])
    assert (found is not None and found[1] == "no") is forbidden


def test_a_prohibition_is_read_in_the_document_of_the_span_found():
    """Session 38: "Can I pay by card?" of a bus timetable ("Pay the driver by contactless card or cash") got a village
    hall's "We are sorry that we cannot accept card payments." with all documents searched together."""
    from index.chunking import Passage
    from qa.polar_headings import prohibition

    hall = "We are sorry that we cannot accept card payments."
    bus = "Pay the driver by contactless card or cash."
    passages = [Passage(bus, "bus.md", 0, len(bus)), Passage(hall, "hall.odt", 0, len(hall))]
    assert prohibition("Can I pay by card?", passages, "bus.md") is None
    assert prohibition("Can I pay by card?", passages)[0].passage == 1


def test_the_section_heading_and_title_name_what_the_sentence_is_about():
    """Session 38: "Is the library open on Sundays?" against "It is closed on Sundays and public holidays." under
    "Opening hours" had no verdict; the heading and the document's title say what "it" is."""
    assert polar_verdict("Are worn brake pads covered by the warranty?", "Normal wear and tear, such as worn brake "
                         "pads and chains, is not covered.", "not covered") == ""
    assert polar_verdict("Are worn brake pads covered by the warranty?", "Normal wear and tear, such as worn brake "
                         "pads and chains, is not covered.", "not covered", "Warranty\nBike shop returns") == "no"
    assert polar_verdict("Is the library open on Sundays?", "It is closed on Sundays and public holidays.", "closed",
                         "Opening hours\nGreenfield Public Library") == "no"


def test_the_document_s_title_alone_gives_no_yes():
    """Session 38, the chat UI: "Can I park at the practice?" got "Yes" from "The nearest parking is the Station Road
    car park, a two-minute walk away." of a leaflet titled "Brookfield Dental Practice fees leaflet"."""
    from index.chunking import Passage
    from qa.polar import reading_verdict
    from qa.reader_spans import Reading

    text = "Parking and access\n\nThe nearest parking is the Station Road car park, a two-minute walk away."
    heading = ((0, len("Parking and access"), "heading"),)
    at = text.index("the Station")
    passage = Passage(text, "dental.rtf", 0, len(text), title="Brookfield Dental Practice fees leaflet", marks=heading)
    reading = Reading(0, at, at + 27, text[at:at + 27], 5.0, 0.0)
    assert reading_verdict("Can I park at the practice?", reading, [passage]) == ""
    hours = "Opening hours\n\nIt is closed on Sundays and public holidays."
    library = Passage(hours, "policy.txt", 0, len(hours), title="Greenfield Public Library",
                      marks=((0, len("Opening hours"), "heading"),))
    at = hours.index("closed")
    assert reading_verdict("Is the library open on Sundays?", Reading(0, at, at + 6, "closed", 5.0, 0.0),
                           [library]) == "no"


@pytest.mark.parametrize("question, sentence, span, verdict", [
    # session 39: each got its sentence quoted with no verdict
    ("Is there a lift?", "The hotel has no lift; room 7 is reached by two flights of stairs.", "The hotel has no lift",
     "no"),  # the clause holding the span negates it, the other clause does not name it
    ("Is there a lift?", "The main hall has no lift; the annex has a lift.", "The main hall has no lift", ""),
    ("Do I need a degree?", "A degree is not required.", "not required", "no"),  # needing, as "required"
    ("Is Tableau required?", "Tableau is desirable but not essential.", "not essential", "no"),
    ("Do I need a swimming cap?", "Swimming caps are not required.", "Swimming caps are not required", "no"),
    ("Do I need a passport?", "You will need a passport.", "You will need a passport", "yes"),
    ("Do I need a degree?", "A degree is not required if you have experience.", "not required", ""),  # a condition
    ("Can they sponsor a visa?", "We are unable to sponsor work visas.", "We are unable to sponsor work visas", "no"),
    ("Can I get a refund for a month I've started?", "We do not refund payments for a month that has started.",
     "We do not refund payments", "no"),  # "get" and "I've" ask nothing the sentence must hold
])
def test_a_negated_need_a_clause_s_negation_and_light_words(question, sentence, span, verdict):
    assert polar_verdict(question, sentence, span) == verdict


@pytest.mark.parametrize("question, sentence, about, verdict", [
    # session 44: with a broadband summary beside a restaurant's menu, "service" and "charge" apart said yes
    ("Is there a service charge?", "We will charge you only for any days of service you have already used.", "", ""),
    ("Is there a service charge?", "A discretionary service charge of 10% is added to bills for groups of 6 or more.",
     "", "yes"),
    ("Is there a swimming pool?", "The learner pool is 0.9 metres deep and is used for lessons.", "Swimming", ""),
    ("Is there a swimming pool?", "It is open daily from 7am.", "Swimming pool", "yes"),  # its heading names it
    ("Do I need a swimming cap?", "Swimming caps are not required.", "", "no"),  # a plural is the same thing
])
def test_a_thing_named_by_two_words_is_named_by_both_together(question, sentence, about, verdict):
    assert polar_verdict(question, sentence, sentence.split()[-1], about) == verdict


@pytest.mark.parametrize("question, sentence, span, verdict", [
    # a word of permitting is "allowed" (session 48)
    ("Is fancy dress allowed at the Frosty 5K?", "Frosty 5K: Fancy dress welcome.", "welcome", "yes"),
    ("Are we allowed to smoke in the garden?", "Smoking is permitted in the garden.", "permitted", "yes"),
    # asking leave to do a thing with it asks whether it is allowed
    ("Can I bring my dog?", "Dogs are welcome.", "welcome", "yes"),
    ("Can we bring our cat?", "Cats are not allowed in the cottage, but dogs are welcome.", "not allowed", "no"),
    # ... of what the question names, not of a kind of it
    ("Can I bring my dog?", "Assistance dogs are welcome.", "welcome", ""),
    ("Are dogs allowed?", "Only assistance dogs are allowed.", "allowed", ""),
    ("Can I bring my dog?", "Dogs are welcome in the bar but not allowed in the restaurant.", "welcome", ""),
])
def test_a_word_of_permitting_says_whether_the_thing_named_is_allowed(question, sentence, span, verdict):
    assert polar_verdict(question, sentence, span) == verdict


@pytest.mark.parametrize("question, sentence, verdict", [
    ("Are you open on Sundays?", "Our branch is open Monday to Saturday, 8:00 to 18:00, and closed on Sundays.", "no"),
    ("Are you open on Sundays?", "We are closed on Saturdays and Sundays.", "no"),
    ("Are you open on Mondays?", "Our branch is open Monday to Saturday, 8:00 to 18:00, and closed on Sundays.", ""),
    ("Are you open on Sundays?", "We are closed on Mondays and open on Sundays.", ""),
    ("Are you open on Sundays?", "We are open every day, and closed on Sundays in August.", ""),
])
def test_a_part_of_the_sentence_saying_the_opposite_of_all_asked_says_no(question, sentence, verdict):
    assert polar_verdict(question, sentence, "closed") == verdict
