"""Grounded, cited question answering over a local document corpus."""

from index.settings import Settings
from qa.answer import ABSTAIN_MESSAGE, Answer, AnswerSentence, Citation
from qa.assistant import Assistant, QuestionError

__all__ = ["ABSTAIN_MESSAGE", "Answer", "AnswerSentence", "Assistant", "Citation", "QuestionError", "Settings"]
