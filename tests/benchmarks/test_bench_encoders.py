"""Encoder-options benchmark helpers: dense hit@5 and the --encoders option, without loading a model."""

import numpy as np
import pytest

from benchmarks.encoders import hit_at_5
from benchmarks.speed import parse_encoders
from qa.evaluation.gold import GoldItem


def testhit_at_5_counts_gold_text_in_the_five_nearest_passages():
    passages = [f"passage number {i}" for i in range(7)] + ["the answer is  Paris"]
    vectors = np.eye(8, dtype=np.float32)
    questions = [GoldItem("q1", "Capital?", ("paris",)), GoldItem("q2", "Capital?", ("Paris",))]
    # the first question is nearest to the answer passage; the second is nearest to five other passages
    asked = np.stack([vectors[7], vectors[:5].sum(axis=0)])
    assert hit_at_5(passages, vectors, questions, asked) == 0.5


def testparse_encoders_option_puts_the_fp32_reference_first_and_rejects_unknown_names():
    assert parse_encoders("") == ()
    assert parse_encoders("bf16, int8") == ("fp32", "bf16", "int8")
    assert parse_encoders("int8,fp32") == ("fp32", "int8")
    with pytest.raises(ValueError, match="--encoders"):
        parse_encoders("fp8")
