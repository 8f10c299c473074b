"""The reader stage: the answer span over all retrieved passages or "no answer", past spans the rules turn down."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol, Sequence

from index.chunking import Passage
from qa.causes import causative_cause, restates, stated_cause
from qa.evidence import expected_answer_kind, has_answer_kind
from qa.field_lines import asked_field, labelled_value
from qa.passage_regions import (answer_after_question, asked_clause, asked_sentence, focus_region, heading_lines,
                                 in_question_sentence, never_answers, section_heading, unreadable)
from qa.periods import of_asked_period
from qa.polar import is_polar, settled_reading
from qa.question_shape import addressed_as_you
from qa.reader_spans import Reading
from qa.shown_answer import short_answer, supporting_quote
from qa.span_names import (before_asked_section, names_asked, names_role, of_a_sibling, of_the_owner_itself,
                           owner_named)
from qa.span_rules import (asked_end_of_range, at_asked_end, condition_clauses, fits_asked_form, in_phone_number,
                           is_asked_contact, is_note_reference, of_asked_form, of_asked_unit)
from qa.speech import claimant, quotes_another, said_by
from qa.table_columns import first_like_cell, only_column_name
from qa.table_marks import marked_cell
from qa.table_rows import (asked_date, asked_end_of_row, asked_item, asked_row, asked_sibling, coded_line, in_other_row,
                           named_row, row_asked_for)


class Reader(Protocol):
    """Finds the best answer span in each passage (qa.span_reader.SpanReader; a scripted fake in tests)."""

    @property
    def margin(self) -> float: ...

    def read(self, question: str, passages: Sequence[str],
             excluded: Sequence[Sequence[tuple[int, int]]] | None = None) -> list[Reading]: ...


@dataclass(frozen=True)
class Verdict:
    """What the reader decided: the answering span (None: no answer) and, when none, why; for a compound question
    (qa.compound), every part's (question, Verdict) in `parts`."""

    reading: Reading | None
    reason: str = ""
    best_score: float | None = None
    parts: tuple = ()

    @classmethod
    def of_fact(cls, fact) -> "Verdict":
        """A fact read off the document's own marks (qa.document_facts.Fact) as the verdict of a reading."""
        return cls(Reading(fact.passage, fact.start, fact.end, fact.text, 0.0, 0.0))


class ReadStage:
    """Reads a question against the passages (one batched pass) and keeps the best span that beats the margin.

    Args:
        reader: the span reader.
        margin_shift: added to the reader's calibrated null-score margin (the whole pipeline reads several passages
            per question, so it is calibrated again there: docs/EVALUATION.md).
        kind_rule: a question asking for a number or a date takes the best span above the margin that holds one, or
            none (off by default: it measured no better than the margin alone, docs/EVALUATION.md session 19).
        polar_window: a yes/no question's best span within this under the margin answers where its sentence plainly
            says yes or no (qa.polar.reading_verdict), which the reader, trained on SQuAD's few such questions, reads
            unsure; 0: off.
        contact_window: a span within this under the margin that is the phone number or email address asked answers
            (sure_contact); 0: off.
        rank_weight: which span above the margin is shown: the best score minus this per retrieval rank below the
            first (a span in a passage retrieval ranks lower needs a clearly better score to win).
    """

    def __init__(self, reader: Reader, *, margin_shift: float = 0.0, kind_rule: bool = False,
                 rank_weight: float = 0.0, focus_window: float = 0.0, polar_window: float = 0.0,
                 contact_window: float = 0.0) -> None:
        self.reader = reader
        self.margin_shift = margin_shift
        self.kind_rule = kind_rule
        self.rank_weight = rank_weight
        self.focus_window = focus_window
        self.polar_window = polar_window
        self.contact_window = contact_window

    @classmethod
    def from_settings(cls, settings, reader: Reader | None = None) -> "ReadStage":
        """The stage the settings describe, with the shipped reader (loaded on first use) unless one is given."""
        if reader is None:
            from qa.span_reader import SpanReader

            reader = SpanReader(settings.reader_model or None, threads=settings.threads or None,
                                runtime=settings.encoder_runtime, cache_dir=settings.onnx_cache_dir,
                                dtype=settings.reader_dtype)
        return cls(reader, margin_shift=settings.reader_margin_shift, kind_rule=settings.answer_kind_rule,
                   rank_weight=settings.reader_rank_weight, focus_window=settings.reader_focus_window,
                   polar_window=settings.reader_polar_window, contact_window=settings.reader_contact_window)

    @property
    def margin(self) -> float:
        """The margin a span's score must beat: the reader's calibrated one plus the pipeline's shift."""
        return self.reader.margin + self.margin_shift

    def __call__(self, question: str, passages: Sequence[Passage],
                 not_again: tuple[str, str] | None = None) -> Verdict:
        """The verdict on a question and its passages: the span above the margin with the best score minus the
        rank weight, or no answer and why; what someone said, from the words a passage attributes to them
        (qa.speech). `not_again`: a span and the sentence holding it that cannot be the answer (the previous one, for
        "And X?": qa.followup.earlier_place)."""
        spoken = said_by(question, passages)
        if spoken is not None:
            return Verdict(spoken, "", spoken.score)
        read = self._read(question, [p.text for p in passages],
                          excluded=[unreadable(p) + condition_clauses(question, p.text) for p in passages])
        readings = [r for r in read if not is_note_reference(passages[r.passage].text, r.start, r.end)]
        if read and not readings:
            return Verdict(None, "the reader found only a note's number", max(r.score for r in read))
        above, reason, best = self.candidates(question, readings)
        # "Do the crab cakes contain nuts?": the mark of the cell its row and column name ("... nuts -." says no,
        # though a dash-only cell is otherwise never read)
        mark = marked_cell(question, passages) if is_polar(question) else None
        if mark is not None:
            return Verdict(self._span(passages, *mark), "", best)
        # "Where does the Fennick walk start?": the line its walk's section labels "Start:", whatever the reader is
        # sure of elsewhere (a line of a list reads unsure; "starting at Kelderby", in the introduction, read sure)
        # (a span the reader found within the line's value is the answer: "Wednesday 25 March at 2pm" of a long one);
        # likewise the cause a causative verb states ("Why did relations hit a nadir?": "The downing of a Russian jet
        # ... brought the bi-lateral relations to a nadir", where the reader was surer of another sentence's purpose)
        field = labelled_value(question, passages) or causative_cause(question, passages)
        if field is not None and not any(a < field[2] and field[1] < b for a, b in unreadable(passages[field[0]])) \
                and not any(r.passage == field[0] and field[1] <= r.start and r.end <= field[2] for r in above):
            i, start, end = field
            return Verdict(self._span(passages, i, start, end), "", best)
        if not above:
            above = self.candidates(question, self.reread_in_form(question, passages, readings))[0]
        if not above and self.focus_window:
            above = self.candidates(question, self.refocus(question, passages, readings))[0]
        if not above:  # "How much is the crab?": the menu's row naming the crab, read alone (a table reads unsure)
            above = self.candidates(question, self.read_named_rows(question, passages))[0]
        if not above:  # "Which meeting room has a webcam?": the label of the one row a cell of which it names
            asked = next(((i, row) for i, p in enumerate(passages) if (row := row_asked_for(question, p.text))), None)
            if asked is not None:
                return Verdict(self._span(passages, asked[0], *asked[1]), "", best)
        if not above and self.polar_window and is_polar(question):
            settled = settled_reading(question, passages, readings, self.margin - self.polar_window,
                                      lambda r: self.in_context(question, passages, r))
            if settled is not None:
                return Verdict(settled, "", best)
        if not above and self.contact_window:
            contact = self.sure_contact(question, passages, readings)
            if contact is not None:
                return Verdict(contact, "", best)
        if not above:
            coded = coded_line(question, [p.text for p in passages])  # "What does E04 mean?": its line in a manual
            if coded is None or any(a < coded[2] and coded[1] < b for a, b in unreadable(passages[coded[0]])):
                return Verdict(None, reason, best)  # never a heading ("Q3 Results")
            i, start, end = coded
            return Verdict(self._span(passages, i, start, end), "", best)
        chosen = max(above, key=lambda r: r.score - self.rank_weight * r.passage)
        if quotes_another(question, passages, chosen):
            return Verdict(None, "the span found is another speaker's words", best)
        chosen = self.in_region(question, passages, chosen)

        def fits(r: Reading) -> bool:  # said of what is asked, and not the previous answer again
            return self.said_of_asked(question, passages, r) and not (
                not_again and _overlaps(short_answer(r, passages).shown, not_again[0]) and
                supporting_quote(r, passages).text.strip("“”") == not_again[1])

        if not fits(chosen):
            # "Is Tableau required?": not "A degree is not required." but "Tableau is desirable but not essential."
            # read past each span that does not fit, up to REREADS times: "7:30am" for "What time does breakfast start
            # on weekdays?" past "9:30am" (a range's end) and "8am to 10am" (said of weekends)
            # a passage whose best span was of the wrong form is read past it too ("Sunita Rao" for "the race
            # director's email", where the chair's email above the margin was another's)
            fitting, kept_off = [r for r in above if fits(r)], list(above) + self.wrong_form(question, readings)
            for _ in range(REREADS if not fitting else 0):
                found = self.candidates(question, self.read_past(question, passages, kept_off))[0]
                fitting, kept_off = [r for r in found if fits(r)], kept_off + found
                if fitting or not found:
                    break
            if not fitting:
                return Verdict(None, "no span found says what is asked where the passage says it" +
                               (", other than the previous answer" if not_again else ""), best)
            chosen = max(fitting, key=lambda r: r.score - self.rank_weight * r.passage)
            regioned = self.in_region(question, passages, chosen)
            chosen = regioned if fits(regioned) else chosen
        text = passages[chosen.passage].text
        cause = stated_cause(text, chosen.start, chosen.end) if restates(question, chosen.text) else None
        if cause is not None:  # "Hence Turkey's eagerness to play ..." for "Why is Turkey eager ...?": the reason
            a, b = cause       # is the sentence before, not the one restating the question
            again = self._read_alone(question, text[a:b])
            start, end = (a + again[0].start, a + again[0].end) if again else (a, b)
            chosen = replace(chosen, start=start, end=end, text=text[start:end])
        end_asked = asked_end_of_range(question, chosen.text)
        if end_asked is not None:  # "2pm" of "9am to 2pm" for "What time do you close on a Saturday?"
            start, end = chosen.start + end_asked[0], chosen.start + end_asked[1]
            chosen = replace(chosen, start=start, end=end, text=text[start:end])
        return Verdict(chosen, "", best)

    def sure_contact(self, question: str, passages: Sequence[Passage], readings: Sequence[Reading]) -> Reading | None:
        """The best span within `contact_window` under the margin that is the phone number or email address asked, and
        nothing more, where it fits the question (a number said of whom the question names): the reader reads "call us
        on 01632 962 140" unsure for "What's the phone number for reception?"."""
        floor = self.margin - self.contact_window
        return next((r for r in sorted(readings, key=lambda r: -r.score)
                     if r.score > floor and is_asked_contact(question, r.text) and
                     self.said_of_asked(question, passages, r)), None)

    def said_of_asked(self, question: str, passages: Sequence[Passage], r: Reading) -> bool:
        """Whether a span fits the question (in_context), a contact detail is of whom the question names (the chair's
        email is not the secretary's) and its sentence names none of the places or people the passages set beside
        the one asked ("Leeds has 12 car parking spaces." for "... at the York office?")."""
        texts = [p.text for p in passages]
        return self.in_context(question, passages, r) and owner_named(question, texts[r.passage], r.start, r.end) and \
            not of_a_sibling(question, texts[r.passage], r.start, texts)

    def in_region(self, question: str, passages: Sequence[Passage], chosen: Reading) -> Reading:
        """The span read again in the answer after the FAQ question it was found in, in the table row the question
        names ("kick-off against St Aldric's Old Boys", not the Kingsmead row's time), then in its cell ("Sunday
        opens 9:00 a.m." for "When does it close on Sunday?": "Sunday closes 4:00 p.m."; its first price where the
        question names no column), a list's line ("Community groups: £60" for "student ticket price": "Students
        (...): £35"), a row's date for "When is ...?" (not its start time) or a row's last or first cell ("the last
        bus"); the sentence of its paragraph naming all of the
        question, where the reader is sure of a span there; for "According to whom ...?", what follows the span's
        "according to"; the span itself where none applies."""
        text = passages[chosen.passage].text
        for rule in (answer_after_question, asked_sentence, asked_clause, asked_row, asked_sibling, first_like_cell,
                     asked_field, asked_date, asked_item, asked_end_of_row, claimant):
            region = rule(question, text, chosen.start, chosen.end)
            again = self._read_alone(question, text[region[0]:region[1]]) if region else []
            if again and (rule is not asked_sentence or again[0].score > self.margin):
                a = region[0]
                chosen = replace(again[0], passage=chosen.passage, start=a + again[0].start, end=a + again[0].end)
        return chosen

    def _span(self, passages: Sequence[Passage], i: int, start: int, end: int) -> Reading:
        """passages[i].text[start:end] as a reading found by a rule rather than the reader (scored at the margin)."""
        return Reading(i, start, end, passages[i].text[start:end], self.reader.margin, 0.0)

    def known_words(self) -> frozenset[str]:
        """Words the reader's vocabulary spells (qa.spelling); none for a reader without a vocabulary (a fake)."""
        known = getattr(self.reader, "known_words", None)
        return known() if known is not None else frozenset()

    def refocus(self, question: str, passages: Sequence[Passage], readings: Sequence[Reading]) -> list[Reading]:
        """The spans found reading again, on its own, the paragraph holding each span that came within
        `focus_window` of the margin (a chunk of several sections run together reads less sure than the one
        paragraph that answers), with their offsets in the passage."""
        margin = self.margin
        near = [r for r in readings if r.score > margin - self.focus_window]
        regions = [focus_region(passages[r.passage].text, r.start, r.end) for r in near]
        kept = [(r, region) for r, region in zip(near, regions) if region is not None]
        texts = [passages[r.passage].text[a:b] for r, (a, b) in kept]
        again = self._read(question, texts, excluded=[never_answers(t) for t in texts]) if kept else []
        return [replace(x, passage=kept[x.passage][0].passage, start=kept[x.passage][1][0] + x.start,
                        end=kept[x.passage][1][0] + x.end) for x in again]

    def read_named_rows(self, question: str, passages: Sequence[Passage]) -> list[Reading]:
        """The spans found reading alone the one table row the question names (qa.table_rows.named_row) in the
        passage retrieval ranks first (in another, a word like "station" named a timetable's "Fenbridge Bus Station"
        for "What is the nearest station?"), with their offsets in the passage."""
        rows = [(i, row) for i, p in enumerate(passages[:1]) if (row := named_row(question, p.text)) is not None]
        texts = [passages[i].text[a:b] for i, (a, b) in rows]
        again = self._read(question, texts, excluded=[never_answers(t) for t in texts]) if rows else []
        return [replace(x, passage=rows[x.passage][0], start=rows[x.passage][1][0] + x.start,
                        end=rows[x.passage][1][0] + x.end) for x in again]

    def reread_in_form(self, question: str, passages: Sequence[Passage], readings: Sequence[Reading]) -> list[Reading]:
        """The spans found reading again each passage whose span above the margin is not of the form the question
        asks, that span excluded ("Sundays" for "What time does the depot close on Saturday?" in "open from 8am to
        6pm, Monday to Saturday, and is closed on Sundays")."""
        kept_off: list[Reading] = []  # every wrong span so far, kept off when its passage is read again
        found: list[Reading] = []
        for _ in range(REREADS):  # "Sundays", then "Monday", then "6pm"
            wrong = self.wrong_form(question, readings)
            if not wrong:
                break
            kept_off += wrong
            again = {r.passage for r in wrong}
            readings = self.read_past(question, passages, [r for r in kept_off if r.passage in again])
            found += readings
        return found

    def wrong_form(self, question: str, readings: Sequence[Reading]) -> list[Reading]:
        """The spans above the margin that are not of the form the question asks (qa.span_rules.of_asked_form)."""
        return [r for r in readings if r.score > self.margin and not of_asked_form(question, r.text)]

    @staticmethod
    def in_context(question: str, passages: Sequence[Passage], r: Reading) -> bool:
        """Whether a span and its surroundings fit the question (qa.span_rules, qa.span_names): the form asked (also
        after a table's row was read alone: "Harbour View Double" for "How much is the room per night?"), a yes/no
        question's paragraph (with its section's heading, and the document's title for a name) names something it
        names, an opening time asked is not a range's end, a count of days is not one of hours, a span said of next
        week (or under the heading "Saturday") is not this week's (a weekday's), a span is not before the section
        whose heading names what the question names, nor a piece of a phone number, nor a title of the person whose
        relation "Who is X's ...?" asks, nor in an FAQ's own question, and "Who is the <role>?" has a paragraph naming
        the role, nor in a table row other than the one the question names, nor a table column's name alone."""
        passage = passages[r.passage]
        text, heading = passage.text, section_heading(passage, r.start)
        return of_asked_form(question, r.text) and \
            names_asked(question, text, r.start, r.end, heading, passage.title) and \
            at_asked_end(question, text, r.start, r.end) and of_asked_unit(question, text, r.start, r.end) and \
            of_asked_period(question, text, r.start, r.end, heading) and \
            not before_asked_section(question, text, r.start, r.end, heading_lines(passage)) and \
            not in_phone_number(question, text, r.start, r.end) and not only_column_name(text, r.start, r.end) and \
            not of_the_owner_itself(question, text, r.start, r.end) and \
            names_role(question, text, r.start, r.end, heading) and not in_question_sentence(text, r.start, r.end) and \
            not in_other_row(question, text, r.start)

    def read_past(self, question: str, passages: Sequence[Passage], spans: Sequence[Reading]) -> list[Reading]:
        """The spans found reading again the passages of `spans`, those spans excluded."""
        excluded: dict[int, list[tuple[int, int]]] = {}
        for r in spans:
            excluded.setdefault(r.passage, unreadable(passages[r.passage])).append((r.start, r.end))
        order = list(excluded)
        read = self._read(question, [passages[i].text for i in order], excluded=[excluded[i] for i in order])
        return [replace(x, passage=order[x.passage]) for x in read]

    def _read(self, question: str, texts: list[str], excluded: list) -> list[Reading]:
        """The reader's spans, the asker's "my" read as the "your" of texts that address their reader ("my turn":
        "On your turn you take three actions"); the rules still read the question as asked."""
        return self.reader.read(addressed_as_you(question, texts), texts, excluded=excluded)

    def _read_alone(self, question: str, text: str) -> list[Reading]:
        """The reader's span in one piece of a passage (a line, a sentence), if it found one with a word."""
        read = self._read(question, [text], excluded=[never_answers(text)])
        return [r for r in read if re.search(r"\w", r.text)]

    def candidates(self, question: str, readings: Sequence[Reading]) -> tuple[list[Reading], str, float | None]:
        """The spans that may be shown (best score first), why there is none, and the best span's score."""
        readings = sorted(readings, key=lambda r: -r.score)
        if not readings:
            return [], "no passage was retrieved", None
        margin = self.margin
        above = [r for r in readings
                 if r.score > margin and re.search(r"\w", r.text) and fits_asked_form(question, r.text)]
        best = readings[0].score
        if not above:
            return [], (f"the reader found no answer (best {best:.2f} <= margin {margin:.2f})" if best <= margin else
                        "no span above the margin has the form asked (a phone number's digits, a clock time...)"), best
        kind = expected_answer_kind(question) if self.kind_rule else None
        if kind:
            above = [r for r in above if has_answer_kind(kind, r.text, question)]
            if not above:
                return [], f"the question asks for a {kind} and no span found gives one", best
        return above, "", best


REREADS = 3  # how many spans of the wrong form a passage may hold before the one asked for


def _overlaps(shown: str, previous: str) -> bool:
    """Whether a span says the previous answer again, whole or within more ("every Tuesday morning" after "Tuesday":
    "what about recycling?" is not answered by the black bin's day)."""
    return previous.lower() in shown.lower() or shown.lower() in previous.lower()
