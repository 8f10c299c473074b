"""Loading the API's Assistant: in a background thread (ready when done), warmed up by one answer, and picking up
index generations other processes publish."""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from index.errors import VectorStoreUnavailableError
from index.settings import Settings
from qa.server_queue import ApiError

log = logging.getLogger("qa.server")  # the API's log lines, wherever they are written from


class Loader:
    """Loads the Assistant in a background thread, so /healthz answers at once and /readyz says when it is done;
    then, every `poll_s` seconds (0: never), loads an index generation another process published (`index build`,
    another worker's upload) and hands it to the answering thread through `swap`."""

    def __init__(self, load: Callable[[], object], poll_s: float = 0.0,
                 swap: Callable[[Callable[[], None]], None] | None = None) -> None:
        self._load = load
        self.assistant = None
        self.error = ""
        self.started = time.time()
        self._poll_s, self._swap = poll_s, swap or (lambda change: change())
        self._stop = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="qa-load", daemon=True).start()

    def _run(self) -> None:
        wait = 1.0
        while True:
            try:
                self.assistant = self._load()
                log.info("ready: %d passages loaded in %.1f s", len(self.assistant.store),
                         time.time() - self.started)
                break
            except VectorStoreUnavailableError as exc:  # issue 18: Milvus is away; ready once it is back
                self.error = f"{type(exc).__name__}: {exc}"
                log.warning("loading the index failed, retrying in %.0f s: %s", wait, exc)
                time.sleep(wait)
                wait = min(wait * 2, 30.0)
            except Exception as exc:  # noqa: BLE001 - reported by /readyz and every request
                log.exception("loading the assistant failed")
                self.error = f"{type(exc).__name__}: {exc}"
                return
        while self._poll_s > 0 and not self._stop.wait(self._poll_s):
            self.pick_up_new_index()

    def pick_up_new_index(self) -> bool:
        """Load the generation published now if it is not the one being served; whether it did (a failure is
        logged in one line and tried again at the next poll)."""
        assistant = self.assistant
        try:
            published = assistant.published_generation()
            if published is None or published == getattr(assistant.store, "generation", published):
                return False
            store = assistant.load_published()  # here, not on the answering thread: answers go on meanwhile
            self._swap(lambda: assistant.use_store(store))
        except Exception as exc:  # noqa: BLE001 - the index served stays; the next poll tries again
            log.warning("loading the newly published index failed: %s: %s", type(exc).__name__, exc)
            return False
        log.warning("serving the newly published index %s: %d passages of %d documents", store.generation,
                    len(store), len(store.documents))
        return True

    def stop(self) -> None:
        self._stop.set()

    def ready(self):
        """The loaded Assistant, or ApiError 503 saying what is still loading or failed."""
        if self.assistant is None:
            raise ApiError(503, "not_ready", f"not ready: loading failed ({self.error})" if self.error
                           else "not ready: the models and the index are still loading")
        return self.assistant


def load_assistant(settings: Settings, corpus) -> object:
    """The Assistant a worker serves: index loaded (built by `serve` beforehand), embedder and generator ready."""
    from qa.assistant import Assistant

    assistant = Assistant.from_corpus(corpus, settings, show_progress=False)
    assistant.embedder.load()
    if settings.model_sentences:
        assistant.generator.load()
        if settings.backend == "openai":
            try:
                log.info("generator server %s lists %s", settings.openai_base_url, assistant.generator.check())
            except Exception as exc:  # noqa: BLE001 - served anyway: answers fail with 502 until it is up
                log.warning("%s", exc)
    warm_up(assistant)
    return assistant


def warm_up(assistant) -> None:
    """Answer one question from the corpus before reporting ready: the first real answer then finds every model
    and lazily built structure in place (issue 26: it took 6 s after /readyz on a loaded machine)."""
    passages = assistant.store.passages
    if not passages:
        return
    started = time.perf_counter()
    try:
        question = " ".join(passages[0].text.split()[:30]) + "?"
        answer = assistant.ask(question)
        if assistant.say.enabled and not any(x.origin == "model" for x in answer.sentences):
            warm_sentence_stage(assistant, question, passages[0])
    except Exception as exc:  # noqa: BLE001 - a served generator that is not up yet: answers say so with 502
        log.warning("warming up failed (%s: %s); the first answer may be slow", type(exc).__name__, exc)
        return
    log.info("warmed up in %.1f s", time.perf_counter() - started)


def warm_sentence_stage(assistant, question: str, passage) -> None:
    """Run the model's sentence stage once on a passage's first words (the warm-up question may be abstained on,
    and the generator is reached only through that stage); what it writes is discarded."""
    from index.chunking import split_sentences
    from qa.answer import AnswerSentence, ShortAnswer

    start, end = split_sentences(passage.text)[0]
    words = passage.text[start:end].split()[:3]
    span = " ".join(words)
    at = passage.text.find(span, start)
    if not span or at < 0:
        return
    short = ShortAnswer(span, 1, passage.source, passage.start + at, passage.start + at + len(span))
    quoted = AnswerSentence(passage.text[start:end], (1,), 1.0, "quote", passage.source, passage.start + start,
                            passage.start + end)
    assistant.say(question, short, passage, quoted)
