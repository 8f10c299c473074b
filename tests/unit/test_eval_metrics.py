"""Evaluation metrics: every metric scores a right case high and a deliberately wrong case low."""

import pytest

from index.chunking import Passage
from qa.answer import AnswerSentence
from qa.evaluation import metrics as m
from qa.evaluation.gold import GoldQuote

DOC = ("Relations hit a nadir. The downing of a Russian jet in 2015 by Turkish missile fire hurt ties. "
       "Putin met Erdogan in Moscow on March 10th. Peskov said the agenda would be extensive.")
QUOTE = "The downing of a Russian jet in 2015 by Turkish missile fire"


def passage(start, end, source="a.md", text=None):
    return Passage(text=DOC[start:end] if text is None else text, source=source, start=start, end=end, score=0.5)


def evidence(quote=QUOTE, source="a.md"):
    start = DOC.find(quote)
    return GoldQuote(quote, source, start, start + len(quote))


def sentence(prefix):
    start = DOC.find(prefix)
    return passage(start, DOC.find(".", start) + 1)


RIGHT = sentence("The downing")  # holds the quote
WRONG = sentence("Putin met")  # another sentence only


def test_squad_normalisation_is_the_official_one():
    assert m.squad_normalize("The  Denver Broncos!") == "denver broncos"
    assert m.squad_normalize("an Apple, a day") == "apple day"


def test_exact_match_right_and_wrong():
    assert m.exact_match("The Denver Broncos [1].", ["Denver Broncos"]) == 1.0
    assert m.exact_match("Carolina Panthers [1]", ["Denver Broncos", "Broncos"]) == 0.0


def test_token_f1_right_partial_and_wrong():
    assert m.token_f1("Denver Broncos", ["Denver Broncos"]) == 1.0
    assert m.token_f1("the Broncos of Denver won", ["Denver Broncos"]) == pytest.approx(2 * 0.5 * 1 / 1.5)
    assert m.token_f1("Carolina Panthers", ["Denver Broncos"]) == 0.0


def test_containment_phrase_and_content_words():
    assert m.containment("It was published on March 12, 2017 [1].", ["March 12, 2017"]) == 1.0
    # long reference: >= 80% of its content words suffice, word order does not matter
    ref = "The downing of a Russian jet in 2015 by Turkish missile fire"
    assert m.containment("Turkish missile fire downed a Russian jet in 2015.", [ref]) == 1.0
    assert m.containment("It was published in 2016.", ["2017"]) == 0.0
    assert m.containment("The assassination of an ambassador.", [ref]) == 0.0
    assert m.containment("In 20150 it happened.", ["2015"]) == 0.0  # whole words only


def test_evidence_inside_passage_by_text_or_span():
    assert m.holds_evidence(RIGHT.text, "a.md", RIGHT.start, RIGHT.end, evidence())
    assert not m.holds_evidence(WRONG.text, "a.md", WRONG.start, WRONG.end, evidence())
    # a passage cut in the middle of the quote still holds it when it covers >= 50% of the quote's span
    ev = evidence()
    half = passage(ev.start, ev.start + int(0.6 * len(QUOTE)))
    tiny = passage(ev.start, ev.start + int(0.3 * len(QUOTE)))
    assert m.holds_evidence(half.text, "a.md", half.start, half.end, ev)
    assert not m.holds_evidence(tiny.text, "a.md", tiny.start, tiny.end, ev)
    # same offsets in another document do not count
    assert not m.holds_evidence("other", "b.md", half.start, half.end, ev)


def test_hit_recall_and_mrr_right_and_wrong():
    ev = [evidence()]
    assert m.hit_at_k([RIGHT, WRONG], ev, 1) == 1.0
    assert m.hit_at_k([WRONG, RIGHT], ev, 1) == 0.0
    assert m.hit_at_k([WRONG, RIGHT], ev, 2) == 1.0
    assert m.reciprocal_rank([WRONG, RIGHT], ev) == 0.5
    assert m.reciprocal_rank([WRONG, WRONG], ev) == 0.0
    two = [evidence(), evidence("Putin met Erdogan in Moscow")]
    assert m.recall_at_k([RIGHT, WRONG], two, 2) == 1.0
    assert m.recall_at_k([RIGHT], two, 1) == 0.5
    assert m.recall_at_k([passage(0, 22)], two, 1) == 0.0


def test_citation_precision_and_recall_right_and_wrong():
    ev = [evidence()]
    assert m.citation_precision([RIGHT], ev) == 1.0
    assert m.citation_precision([RIGHT, WRONG], ev) == 0.5
    assert m.citation_precision([WRONG], ev) == 0.0
    assert m.citation_precision([], ev) is None
    assert m.citation_recall([RIGHT], ev) == 1.0
    assert m.citation_recall([WRONG], ev) == 0.0
    assert m.citation_recall([], ev) == 0.0


def test_sentence_support_needs_overlap_numbers_and_names():
    cited = [RIGHT.text]
    assert m.sentence_supported("A Russian jet was downed by Turkish missile fire in 2015 [1].", cited)
    assert not m.sentence_supported("A Russian jet was downed by Turkish missile fire in 2016.", cited)  # number
    assert not m.sentence_supported("A Russian jet was downed by Greek missile fire in 2015.", cited)  # name
    assert not m.sentence_supported("Bananas grow on tall green plants.", cited)  # overlap
    assert not m.sentence_supported("A Russian jet was downed in 2015.", [])  # nothing cited


def test_faithfulness_right_and_wrong():
    passages = [RIGHT, WRONG]
    good = [AnswerSentence("A Russian jet was downed by Turkish missile fire in 2015.", (1,), 1.0),
            AnswerSentence("Putin met Erdogan in Moscow.", (2,), 1.0)]
    assert m.faithfulness(good, passages) == 1.0
    miscited = [AnswerSentence("A Russian jet was downed by Turkish missile fire in 2015.", (2,), 0.0),
                AnswerSentence("Putin met Erdogan in Moscow.", (), 0.0)]
    assert m.faithfulness(miscited, passages) == 0.0
    assert m.faithfulness(good[:1] + miscited[1:], passages) == 0.5
    assert m.faithfulness([], passages) is None


def test_percentile_interpolates_like_numpy():
    values = [4.0, 1.0, 3.0, 2.0, 10.0]
    assert m.percentile(values, 50) == 3.0
    assert m.percentile(values, 95) == pytest.approx(8.8)
    assert m.percentile([], 50) is None


def test_token_count_is_whitespace_based():
    assert m.count_tokens("Putin met  Erdogan [1].") == 4
    assert m.count_tokens("") == 0


def test_ordered_support_reads_word_order_and_the_proxy_catches_garbles():
    passage = "The Yuan dynasty's official name was Great Yuan. The Ming dynasty followed it in 1368."
    assert m.ordered_support("\u201cThe Ming dynasty followed it in 1368.\u201d [1]", passage) == 1.0
    assert m.ordered_support("The Ming dynasty followed the Yuan [1].", passage) < 1.0
    assert m.ordered_support("", passage) == 0.0
    assert m.shown_sentence_right("The Yuan dynasty's official name was Great Yuan [1].", [passage])
    assert not m.shown_sentence_right("Great Yuan is also known as the Ming dynasty of Moscow [1].", [passage])
    assert not m.shown_sentence_right("The Battle of the Battle of the Battle of Yuan [1].", [passage + " Battle of"])
    # a phrase repeated as often as in the passage is a faithful quote, not a garble
    bowl = "It is the first Super Bowl in the Bay Area since Super Bowl XIX, and in California since Super Bowl XXXVII."
    assert m.shown_sentence_right(f"\u201c{bowl}\u201d [1]", [bowl])
    assert not m.shown_sentence_right("The first Super Bowl in the first Super Bowl in the Bay Area [1].", [bowl])
    assert not m.shown_sentence_right("The Yuan dynasty's official name was Great Yuan [1].", [])
    assert m.is_quote("\u201cA quote.\u201d [2]") and not m.is_quote("Its own words [2].")
