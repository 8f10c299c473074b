"""The reliability suite's rule: no traceback anywhere (the error policy: every error is one clear line).

Servers in their own processes have their logs checked when they stop (server_helpers.api_process,
ui_helpers.ui_process), command lines their output (test_rel_cli.run, the build workers in test_rel_faults). Every
test here also runs with a watch on its own process, which holds the in-process servers (ui_helpers.serve: gradio
and uvicorn in threads): a log record carrying a traceback, a traceback printed through the `traceback` module (as
gradio prints one), or an uncaught exception in a thread fails the test at teardown."""

from __future__ import annotations

import io
import logging
import threading
import traceback

import pytest


class TracebackWatch(logging.Handler):
    """Collects, as text, every traceback this process logs or prints while it is installed."""

    LOGGERS = ("", "uvicorn", "uvicorn.error", "gradio")  # the root, and those that do not propagate to it

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if (record.exc_info and record.exc_info[0] is not None) or "Traceback" in message:
            trace = "".join(traceback.format_exception(*record.exc_info)) if record.exc_info else ""
            self.seen.append(f"logged by {record.name}: {message}\n{trace}")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in self.LOGGERS:
            logger = logging.getLogger(name)
            if name == "" or not logger.propagate:
                logger.addHandler(self)
        print_exception = traceback.print_exception

        def printed(*args, **kwargs):
            file = kwargs.get("file", args[4] if len(args) > 4 else None)
            if not isinstance(file, io.StringIO):  # logging formats exc_info into a StringIO: seen by emit
                self.seen.append("printed: " + "".join(traceback.format_exception(
                    *args[:4], **{k: v for k, v in kwargs.items() if k != "file"})))
            return print_exception(*args, **kwargs)
        monkeypatch.setattr(traceback, "print_exception", printed)
        hook = threading.excepthook

        def uncaught(args) -> None:
            self.seen.append(f"uncaught in thread {args.thread.name if args.thread else '?'}: " + "".join(
                traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))
            hook(args)
        monkeypatch.setattr(threading, "excepthook", uncaught)

    def uninstall(self) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)


@pytest.fixture(autouse=True)
def no_traceback_in_this_process(monkeypatch):
    watch = TracebackWatch()
    watch.install(monkeypatch)
    yield watch
    watch.uninstall()
    if watch.seen:
        pytest.fail(f"{len(watch.seen)} traceback(s) in this process's log or output during the test; the first:\n"
                    + watch.seen[0][-4000:], pytrace=False)
