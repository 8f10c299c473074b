"""The span reader's text in and spans out: the question and passage as it reads them, best_span, and Reading."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

TOP_K = 20  # start/end candidates per window, as in transformers' question-answering pipeline
QUESTION_WORDS = 48  # a longer question is cut: it must leave room for the passage in every window
# and at most this many tokens: a "word" can be many ('?' * 1999 is 1,999), and the question must stay under
# max_seq_len - doc_stride - 3 (125 for the shipped reader) or the tokenizer refuses to cut the passage into windows
QUESTION_TOKENS = 64


_ENDED = re.compile(r"[.!?…:;\"'”’)\]]\s*$")


_UNENDED_LINE = re.compile(r"(?<=[\w%°)])\n(?!\n)")  # a line inside a paragraph (a list item) ending unpunctuated
# a list's last line, before a blank line: "Sun cream\n\nLunch is provided ..." read "sun cream lunch is provided"
_UNENDED_LIST_END = re.compile(r"(?<=[^\n])\n[^\n]*[\w%°)](\n)(?=\n)")


def reader_passage(passage: str) -> str:
    """The passage as the reader reads it: ending in a full stop, and each line inside a paragraph that ends without
    punctuation (a list item: "3 ripe bananas\n75 g melted butter") ending in one in place of its line break, which
    the reader's tokenizer reads as a space (a run-on "3 ripe bananas 75 g melted butter ..."), the paragraph's last
    line too (it ran on into the next paragraph: "Sun cream Lunch is provided ..."). A heading's line,
    followed by a blank line, is left as it is: a stop there moved two right answers under the margin. A passage
    that ends without a stop (a chunk closing on the next section's heading) raised the "no answer" score by 8-10
    points, the way the training windows cut mid-text were "no answer". Both keep every offset: the stop replaces
    the line break, or comes after the text."""
    ends = [m.start(1) for m in _UNENDED_LIST_END.finditer(passage)]
    passage = _UNENDED_LINE.sub(".", passage)
    for end in ends:  # the last line of a paragraph of several lines: a list item like the others
        passage = passage[:end] + "." + passage[end + 1:]
    return passage if _ENDED.search(passage) else passage.rstrip() + "."


def reader_question(question: str, tokenizer=None) -> str:
    """The question as the reader reads it: lower-cased (as trained), at most QUESTION_WORDS words and, given the
    reader's tokenizer (a `tokenizers.Tokenizer`), at most QUESTION_TOKENS tokens (cut at a token's end)."""
    text = " ".join(question.lower().split()[:QUESTION_WORDS])
    if tokenizer is not None:
        ends = [end for _, end in tokenizer.encode(text, add_special_tokens=False).offsets[:QUESTION_TOKENS + 1]]
        if len(ends) > QUESTION_TOKENS:
            text = text[:ends[QUESTION_TOKENS - 1]]
    return text


@dataclass(frozen=True)
class Reading:
    """The reader's verdict on one passage: its best span (character offsets into the passage) and scores.

    `score` is the best span's start+end logit sum minus the "no answer" ([CLS]) sum: the span is an answer when
    it beats the calibrated `null_score_margin`.
    """

    passage: int
    start: int
    end: int
    text: str
    span_logit: float
    null_logit: float

    @property
    def score(self) -> float:
        """Span logit sum minus the null logit sum."""
        return self.span_logit - self.null_logit

    def to_dict(self) -> dict:
        """Plain JSON-ready fields."""
        return {"passage": self.passage, "start": self.start, "end": self.end, "text": self.text,
                "score": round(self.score, 4)}


def best_span(start_logits: np.ndarray, end_logits: np.ndarray, context: np.ndarray,
              max_answer_tokens: int) -> tuple[int, int, float] | None:
    """(start token, end token, logit sum) of the best span inside `context` (a boolean mask) with
    start <= end < start + max_answer_tokens, looked for among each side's TOP_K tokens; None if there is none."""
    s_masked = np.where(context, start_logits, -np.inf)
    e_masked = np.where(context, end_logits, -np.inf)
    k = min(TOP_K, int(context.sum()))
    if k == 0:
        return None
    starts = np.argpartition(-s_masked, k - 1)[:k]
    ends = np.argpartition(-e_masked, k - 1)[:k]
    scores = s_masked[starts][:, None] + e_masked[ends][None, :]
    length = ends[None, :] - starts[:, None]
    scores = np.where((length >= 0) & (length < max_answer_tokens), scores, -np.inf)
    i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
    if not np.isfinite(scores[i, j]):
        return None
    return int(starts[i]), int(ends[j]), float(scores[i, j])
