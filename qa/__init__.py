"""Grounded, cited question answering over a local document corpus."""

from qa.answer import Answer, AnswerSentence, Citation
from qa.assistant import Assistant, QuestionError
from qa.settings import Settings

__all__ = ["Answer", "AnswerSentence", "Assistant", "Citation", "QuestionError", "Settings"]
