"""Example questions worth offering: each candidate is asked first, and offered only when the answer answers it."""

from __future__ import annotations

import logging

from qa.citations import strip_markers
from qa.text import content_words
from ui.examples import example_questions

log = logging.getLogger(__name__)
MIN_NEW_WORDS = 2  # words an answer must add to its question ("By Michael Werbowski" adds two)


def answers_it(question: str, answer, documents) -> bool:
    """Whether an answer answers an example question: not an abstention, its quote not a heading or title, and
    saying something the question does not (a title fragment such as "Home Working and" says nothing new)."""
    if answer.abstained or not answer.sentences:
        return False
    lead = " ".join(strip_markers(answer.sentences[0].text).strip("\u201c\u201d").split())
    if len(content_words(lead) - content_words(question)) < MIN_NEW_WORDS:
        return False
    for citation in answer.citations:
        document = documents.get(citation.source)
        headings = [document.text[s:e] for s, e, kind in document.marks if kind == "heading"] if document else []
        titles = headings + [document.title] if document else []
        if any(" ".join(t.split()).strip("*_ ") in (lead, lead.rstrip("?.!:")) for t in titles if t.strip()):
            return False
    return True


class CheckedExamples:
    """The example questions of an assistant's documents, each asked once and offered only if answered (cached by
    the documents' contents, so a page load or another upload asks again only new candidates)."""

    def __init__(self, assistant) -> None:
        self.assistant = assistant
        self.leads: dict[tuple, str] = {}  # (documents, question) -> the quote answering it, "" when unanswered

    def questions(self, first: list[str] | tuple = ()) -> list[str]:
        """The checked example questions for the documents now indexed, those in `first` before the rest; two
        questions answered by the same quote are one example."""
        documents = self.assistant.store.documents
        corpus = tuple(sorted((d.source, d.sha256) for d in documents.values()))
        offered: set[str] = set()

        def accept(question: str) -> bool:
            lead = self._lead(corpus, question, documents)
            if not lead or lead in offered:
                return False
            offered.add(lead)
            return True

        return example_questions(documents, first, accept=accept)

    def _lead(self, corpus: tuple, question: str, documents) -> str:
        key = (corpus, question)
        if key not in self.leads:
            try:
                answer = self.assistant.ask(question)
                self.leads[key] = answer.sentences[0].text if answers_it(question, answer, documents) else ""
            except Exception:  # noqa: BLE001 - a candidate that cannot be answered is simply not offered
                log.exception("checking the example question %r failed", question)
                self.leads[key] = ""
            log.info("example question %r: %s", question, "offered" if self.leads[key] else "not answered")
        return self.leads[key]
