"""Event handlers of the chat UI: thin glue between gradio events and the qa.Assistant API."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterator

from ui import render
from ui.example_check import CheckedExamples
from ui.positions import pdf_page_starts, position_label
from ui.sources import sources_html

log = logging.getLogger(__name__)

MAX_HISTORY = 10  # earlier turns an API call may send: only the latest ones shape the search anyway
MAX_TOP_K = 50
THINKING = '<span class="qa-thinking">Searching the documents…</span>'


def answer_json(answer) -> dict:
    """The API form of an Answer: the stable JSON contract plus the retrieved passages."""
    data = answer.to_json()
    for citation, full in zip(data["citations"], answer.citations):
        citation["title"] = full.title
    data["passages"] = [{"marker": i, "source": p.source, "start": p.start, "end": p.end, "score": p.score,
                         "cited": any(c.marker == i for c in answer.citations)}
                        for i, p in enumerate(answer.passages, 1)]
    return data


def passages_wanted(top_k: Any) -> int | None:
    """The number of passages a chat or API call asks for (None: the default, for 0 or nothing); ValueError, one line
    naming the range, for anything that is not a whole number from 1 to MAX_TOP_K (-1, Infinity, NaN, "x", [1])."""
    try:
        wanted = int(top_k or 0)
    except (TypeError, ValueError, OverflowError):  # OverflowError: top_k = Infinity
        wanted = -1
    if not 0 <= wanted <= MAX_TOP_K:
        raise ValueError(f"top_k must be a whole number between 1 and {MAX_TOP_K} (0: the default), got "
                         f"{str(top_k)[:20]}")
    return wanted or None


class Handlers:
    """Callbacks bound to one Assistant; each returns values for the outputs it is wired to."""

    def __init__(self, assistant) -> None:
        self.assistant = assistant
        self.recent: list[str] = []  # documents added by the latest successful upload
        self.checked_examples = CheckedExamples(assistant)

    # ---- chat ------------------------------------------------------------------------------------

    def check_question(self, question: Any) -> str | None:
        """The problem with a question, in words, or None if it can be asked."""
        from qa.assistant import QuestionError, validate_question

        try:
            validate_question(question if question is not None else "", self.assistant.settings.max_question_chars)
        except QuestionError as exc:
            if exc.reason == QuestionError.TOO_LONG:
                return (f"Your question is too long: {exc.length} characters; the limit is {exc.limit}. "
                        "Please shorten it.")
            return "Please type a question first."
        return None

    def respond(self, question: str, chat: list, turns: list, top_k: float,
                documents: list | None = None) -> Iterator[tuple]:
        """Stream an answer into the chat (from the `documents` chosen under "Search in"; none chosen: all of
        them); finally show the checked answer text and its sources.

        Yields (chat, textbox, sources_html, turns, last_answer, notice), turns being [question, text, Answer]
        each; a question that cannot be asked only
        sets the notice under the question box (one place, replaced each time, never stacked).
        """
        import gradio as gr

        from qa.events import Completed, DirectAnswer, TextDelta

        problem = self.check_question(question)
        try:
            top_k = passages_wanted(top_k)
        except ValueError as exc:  # the slider sends 1..10; anything else came from a hand-made API call
            problem = problem or str(exc)
        documents, refused = self.chosen_documents(documents)
        problem = problem or refused
        if problem:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), render.notice_html(problem)
            return
        question = question.strip()
        chat = list(chat or []) + [{"role": "user", "content": render.user_html(question)},
                                   {"role": "assistant", "content": THINKING}]
        yield chat, "", gr.skip(), gr.skip(), gr.skip(), ""
        streamed, answer, direct = "", None, False
        history = [(turn[0], turn[1]) for turn in (turns or [])]
        number = len(turns or []) + 1  # the answer's [n] markers say which turn's sources they point at
        try:
            for event in self.assistant.ask_stream(question, history=history, top_k=top_k, documents=documents):
                if isinstance(event, Completed):
                    answer = event.answer
                    break
                if isinstance(event, DirectAnswer):
                    direct = True  # the next piece is the direct answer, shown in bold above the sentences
                    continue
                streamed += event.text if isinstance(event, TextDelta) else ""
                chat[-1] = {"role": "assistant", "content": render.answer_html(streamed, number, direct)}
                yield chat, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        except Exception as exc:  # shown in the chat instead of leaving a half-streamed answer behind
            log.exception("answering %r failed", question)
            answer, problem = None, f"{type(exc).__name__}: {exc}"
        else:
            problem = "the assistant stopped without an answer"
        if answer is None:
            chat[-1] = {"role": "assistant", "content": render.error_html(f"No answer ({problem}). Please try again.")}
            yield chat, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        content = render.abstention_html(answer.text) if answer.abstained else \
            render.answer_html(answer.text, number, answer.short_answer is not None)
        chat[-1] = {"role": "assistant", "content": content}
        turns = list(turns or []) + [[question, answer.text, answer]]
        yield chat, gr.skip(), self.sources(answer, number), turns, answer, gr.skip()

    def chosen_documents(self, documents: Any) -> tuple[list[str] | None, str | None]:
        """The documents chosen under "Search in" (None: all) and, if one is no longer indexed, the problem."""
        from qa.questions import QuestionError, validate_documents

        chosen = list(documents) if isinstance(documents, (list, tuple)) and documents else None
        try:
            validate_documents(chosen, self.assistant.documents)
        except QuestionError as exc:
            return None, f"Cannot search those documents: {exc}. Choose again under “Search in”."
        return chosen, None

    def scope(self, chosen: Any = None) -> Any:
        """The "Search in" choices: the documents indexed now; of those chosen, the ones still indexed stay chosen."""
        import gradio as gr

        names = self.assistant.documents
        return gr.Dropdown(choices=names, value=[d for d in (chosen or []) if d in names], multiselect=True)

    def sources(self, answer, turn: int) -> str:
        """The sources panel for the answer of turn number `turn`."""
        return sources_html(answer, turn, {i: self.position(p) for i, p in enumerate(answer.passages, 1)})

    def show_turn(self, turns: list, turn: Any) -> tuple:
        """(sources panel, answer) for an earlier turn whose [n] marker was clicked; skips for a turn not kept."""
        import gradio as gr

        try:
            question, text, answer = (turns or [])[int(turn) - 1]
        except (TypeError, ValueError, IndexError):
            return gr.skip(), gr.skip()
        return self.sources(answer, int(turn)), answer

    @staticmethod
    def clear() -> tuple:
        """Start over: empty chat, no history, empty sources and document view, no notice."""
        return [], "", sources_html(None), [], None, "", ""

    def position(self, passage) -> str:
        """Where a passage is in its document: "page 2 of 5" for a PDF whose pages are found, else its paragraph."""
        document = self.assistant.store.documents.get(passage.source)
        if document is None:
            return ""
        pages = None
        if passage.source.lower().endswith(".pdf") and self.assistant.corpus_dir is not None:
            pages = pdf_page_starts(Path(self.assistant.corpus_dir) / passage.source, document.text)
        return position_label(document.text, passage.start, passage.end, pages)

    def open_document(self, answer, marker: Any) -> tuple[str, Any]:
        """The document view for passage [marker] of the last answer, and the tab to switch to."""
        import gradio as gr

        try:
            marker = int(marker)
        except (TypeError, ValueError):
            return gr.skip(), gr.skip()
        if answer is None or not 1 <= marker <= len(answer.passages):
            return '<div class="qa-empty">Ask a question first.</div>', gr.skip()
        passage = answer.passages[marker - 1]
        document = self.assistant.store.documents.get(passage.source)
        if document is None:
            return (f'<div class="qa-error">{passage.source} is no longer in the index.</div>',
                    gr.Tabs(selected="document"))
        highlights = render.answer_highlights(answer, marker, passage)
        return (render.document_html(document, passage, highlights, marker, self.position(passage)),
                gr.Tabs(selected="document"))

    # ---- corpus ----------------------------------------------------------------------------------

    def corpus(self) -> str:
        """The corpus panel for the current index."""
        a = self.assistant
        if not a.settings.model_sentences:
            state = "not used: answers quote the documents; QA_MODEL_SENTENCES=1 adds its checked sentences"
        else:
            state = "loaded" if getattr(a.generator, "model", None) is not None else "loads on first question"
        location = ""
        if a.corpus_dir is not None:  # FAISS files in a directory, or a Milvus alias on a server (QA_VECTOR_STORE)
            from index.vector_store import backend_for

            location = backend_for(a.settings).describe(a.settings.index_dir_for(a.corpus_dir))
        return render.corpus_html(a.store.documents, a.settings.embedder,
                                  getattr(a.generator, "model_id", a.settings.generator), state, str(a.corpus_dir or ""),
                                  location)

    def upload(self, files: list | None, progress=None) -> tuple[str, str, None]:
        """Add uploaded files to the corpus and index them; returns (status, corpus panel, cleared file input)."""
        from ui.uploads import UploadError, add_uploads

        if not files:
            return "No file was uploaded.", self.corpus(), None
        pairs = []
        for f in files if isinstance(files, list) else [files]:
            path = Path(getattr(f, "name", None) or getattr(f, "path", None) or str(f))
            pairs.append((path, getattr(f, "orig_name", None) or path.name))
        report = (lambda fraction, text: progress(fraction, desc=text)) if progress else None
        try:
            result = add_uploads(self.assistant, pairs, report, self.assistant.settings.max_upload_mb * 2**20)
        except UploadError as exc:
            return f"**Upload failed:** {exc}", self.corpus(), None
        self.recent = result.added or self.recent
        return result.message(), self.corpus(), None

    def remove(self, names: list | None) -> tuple[str, str, Any]:
        """Take the chosen documents out of the corpus (their files moved aside, ui.removals) and the index; returns
        (status, corpus panel, the emptied removal choice)."""
        from ui.removals import RemovalError, remove_documents

        try:
            result = remove_documents(self.assistant, list(names or []))
        except RemovalError as exc:
            return f"**Not removed:** {exc}", self.corpus(), self.removable()
        self.recent = [d for d in self.recent if d not in result.removed]
        return result.message(), self.corpus(), self.removable()

    def removable(self) -> Any:
        """The choice of documents to remove: every document indexed now, none chosen."""
        import gradio as gr

        return gr.Dropdown(choices=self.assistant.documents, value=[], multiselect=True)

    @staticmethod
    def upload_started(files: list | None) -> str:
        """The status line while an upload is checked and indexed (replaced by the outcome)."""
        names = [Path(str(getattr(f, "orig_name", None) or getattr(f, "name", None) or f)).name
                 for f in (files if isinstance(files, list) else [files] if files else [])]
        return f"Checking and indexing {', '.join(names)}…" if names else ""

    def examples(self) -> Any:
        """The example questions for the documents now indexed (those just uploaded first), each asked first and
        offered only when answered, as a Dataset update (hidden when none is)."""
        import gradio as gr

        questions = self.checked_examples.questions(self.recent)
        return gr.Dataset(samples=[[q] for q in questions] or [[""]], visible=bool(questions))

    # ---- API -------------------------------------------------------------------------------------

    def ask_api(self, question: str, history: list[list[str]] | None = None, top_k: int = 0) -> dict:
        """Answer a question (with optional [question, answer] history); returns answer, citations, abstained."""
        import gradio as gr

        problem = self.check_question(question)
        if problem:
            raise gr.Error(problem, print_exception=False)  # a refusal, not a bug: no traceback in the log
        try:
            pairs = [(str(q), str(a)) for q, a in (history or [])][-MAX_HISTORY:]
        except (TypeError, ValueError):
            raise gr.Error("history must be a list of [question, answer] pairs", print_exception=False) from None
        try:
            top_k = passages_wanted(top_k)
        except ValueError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        limit = self.assistant.settings.max_question_chars
        pairs = [(q[:limit], a[:limit]) for q, a in pairs]
        answer = self.assistant.ask(question, history=pairs, top_k=top_k)
        return answer_json(answer)
