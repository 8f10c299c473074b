"""Figures of a reliability run: printed as `RELIABILITY name: {...}` and appended to $QA_RELIABILITY_OUT if set."""

from __future__ import annotations

import json
import os


def record(name: str, **figures) -> None:
    """Print one test's figures (run pytest with -s to see them) and keep them for docs/RELIABILITY.md."""
    line = json.dumps({"name": name, **figures}, ensure_ascii=False, default=str)
    print(f"\nRELIABILITY {line}")
    out = os.environ.get("QA_RELIABILITY_OUT")
    if out:
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
