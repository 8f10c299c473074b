"""Command line: `python -m qa ask|eval ...`; each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import Callable

# subcommand -> module providing add_parser(subparsers) and run(args) -> exit code
SUBCOMMANDS = {
    "ask": "qa.cli_ask",
    "eval": "qa.evaluation.cli",
}


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the chosen subcommand, and turn our errors into one-line messages."""
    parser = argparse.ArgumentParser(prog="python -m qa", description="Grounded, cited answers about your documents.")
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name, module_name in SUBCOMMANDS.items():
        try:
            modules[name] = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if not (exc.name and module_name.startswith(exc.name)):
                raise
            continue
        modules[name].add_parser(sub)
    args = parser.parse_args(argv)
    return run_reporting_errors(modules[args.command].run, args)


def run_reporting_errors(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """run(args) with warnings logged; our errors become one `error: ...` line and exit 2 (3: model missing)."""
    from index.documents import CorpusError
    from index.embedding import ModelNotFoundError
    from index.store import IndexStoreError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return run(args)
    except (ValueError, CorpusError, IndexStoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ModelNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
