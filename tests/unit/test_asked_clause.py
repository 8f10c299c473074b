"""The clause of a span's sentence that names more of the question is read instead of the span's own (session 47:
"What car will I learn in if I'm doing manual?" got the automatic lessons' car, the sentence's other clause)."""

import pytest

from qa.passage_regions import asked_clause

CARS = ("Manual lessons are taught in a Ford Fiesta and automatic lessons in a Toyota Yaris Hybrid. Lessons are "
        "available from 7am to 8pm on weekdays and from 8am to 4pm on Saturdays; we do not teach on Sundays.")


@pytest.mark.parametrize("question, span, clause", [
    ("What car will I learn in if I'm doing manual?", "Toyota Yaris Hybrid",
     "Manual lessons are taught in a Ford Fiesta"),
    ("And for automatic lessons?", "Ford Fiesta", "automatic lessons in a Toyota Yaris Hybrid."),
    ("What car will I learn in if I'm doing automatic?", "Toyota Yaris Hybrid", None),  # the span's clause
    ("What car will I learn in?", "Ford Fiesta", None),  # no clause names more
    # a word every clause says does not count; as many named as the span's clause: it stays
    ("What time do lessons start on Saturdays?", "7am", None),
    ("Do you teach on Sundays?", "8am", None),  # the clauses have no subject in common: one subject's predicates
])
def test_asked_clause(question, span, clause):
    at = CARS.index(span)
    found = asked_clause(question, CARS, at, at + len(span))
    assert (CARS[found[0]:found[1]] if found else None) == clause


@pytest.mark.parametrize("text, question, span", [
    ("Rent is due on 1 October each year and must be paid by 31 October.", "When do I have to pay the rent by?",
     "31 October"),
    ("Your meeting room hours reset on the 1st of each month and cannot be carried over.",
     "Can I roll over meeting room hours I didn't use this month?", "cannot be carried over"),
    # an irregular past names its verb ("paid" of "Where do we pay for the logs?")
    ("The first basket of logs is free; further baskets are £6 each, paid into the honesty box in the log store.",
     "Where do we pay for the logs?", "£6 each, paid into the honesty box in the log store"),
])
def test_the_span_s_clause_stays_where_no_subject_is_shared_or_it_names_the_question(text, question, span):
    at = text.index(span)
    assert asked_clause(question, text, at, at + len(span)) is None
