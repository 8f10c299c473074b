"""Evaluation against a gold Q&A set: loading gold files, metrics, running the assistant, reports.

`evaluate(gold_file, corpus=..., limit=..., out_dir=...)` is the Python form of `python -m qa eval`.
"""

from __future__ import annotations


def evaluate(*args, **kwargs):
    """Run a gold set through the assistant and write the report (see qa.evaluation.runner.evaluate)."""
    from qa.evaluation.runner import evaluate as _evaluate

    return _evaluate(*args, **kwargs)


__all__ = ["evaluate"]
