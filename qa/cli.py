"""Command line: `python -m qa ask|eval|serve ...`; each subcommand lives in its own module."""

from __future__ import annotations

import argparse

from index.errors import run_command
from qa import cli_ask, cli_serve
from qa.evaluation import cli as cli_eval

# subcommand -> module providing add_parser(subparsers) and run(args) -> exit code
SUBCOMMANDS = {"ask": cli_ask, "eval": cli_eval, "serve": cli_serve}


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the chosen subcommand under the one error policy (index.errors.run_command)."""
    parser = argparse.ArgumentParser(prog="python -m qa", description="Grounded, cited answers about your documents.")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in SUBCOMMANDS.values():
        module.add_parser(sub)
    args = parser.parse_args(argv)
    return run_command(lambda: SUBCOMMANDS[args.command].run(args))
