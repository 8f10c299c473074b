"""Our typed errors, and the one policy that turns them into exit codes and one-line messages on every command line.

Every error a user can act on (bad input, a missing model, a broken index) derives from `ReportedError`; its
message is written for the user and names the problem. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Callable

EXIT_USAGE = 2  # bad input, a bad setting, an unreadable corpus or index
EXIT_MISSING_MODEL = 3  # a configured model is not installed (an install step is missing, not the input)
EXIT_INTERRUPTED = 130


class ReportedError(Exception):
    """An error the user can act on: reported as one line `error: MESSAGE` with `exit_code`, no traceback."""

    exit_code = EXIT_USAGE


class SettingsError(ReportedError, ValueError):
    """A setting (environment variable or argument) has a value it cannot take."""


class ModelNotFoundError(ReportedError, RuntimeError):
    """A configured model is neither installed, a local path, nor reachable on a model hub."""

    exit_code = EXIT_MISSING_MODEL


class CorpusError(ReportedError, ValueError):
    """The corpus directory is missing, empty, or holds no readable document."""


class DocumentError(ReportedError, ValueError):
    """One file could not be turned into text (binary, empty, not UTF-8, unreadable)."""


class IndexStoreError(ReportedError, RuntimeError):
    """The index on disk is missing, corrupt, or was built with other settings."""


class IndexWriteError(IndexStoreError):
    """A new index generation could not be written (a full disk, say); the previous one is unchanged."""


class IndexMismatchError(IndexStoreError):
    """The index was built with another embedder or chunking configuration."""


def quiet_model_libraries() -> None:
    """No progress bars or load reports from the model libraries on the console (the command says what it loaded)."""
    for name in ("transformers", "sentence_transformers", "httpx", "gradio"):
        logging.getLogger(name).setLevel(logging.ERROR)
    hf_logging = sys.modules.get("transformers.utils.logging")
    if hf_logging is None:  # not imported (it may never be: seconds of a cold start): it reads these when it is
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    else:
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()


def run_command(command: Callable[[], int]) -> int:
    """Run a command line's body: ReportedError -> `error: MESSAGE` on stderr and its exit code; Ctrl-C -> 130.

    Other exceptions propagate with their traceback: they are bugs, and a one-line message would hide them.
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return command()
    except ReportedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def positive_int(text: str) -> int:
    """argparse type for a count option: an integer of at least 1 (argparse reports anything else, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class VectorStoreUnavailableError(IndexStoreError):
    """The vector store server (Milvus) cannot be reached, timed out, or went away; the message names its URI."""
