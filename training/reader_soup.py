"""Average the weights of span readers fine-tuned from the same base (a "model soup", Wortsman et al. 2022).

`python -m training.reader_soup --out DIR MODEL_DIR MODEL_DIR ...`: every floating-point weight is the mean of the
readers' weights (they must share one architecture and base, so that they lie in one basin of the loss), written as
a model directory with the training record of each ingredient, then calibrated and measured as training.reader does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qa.span_reader import MANIFEST_FILE
from training.reader import DEFAULT_DEV


def ingredient_record(model_dir: Path) -> dict:
    """The training record of one ingredient (from its manifest), with its calibrated margin and held-out figures."""
    manifest = json.loads((model_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    record = {"dir": model_dir.name, **manifest.get("training", {})}
    figures = manifest.get("figures") or {}
    if figures:
        record["heldout"] = figures.get("heldout")
        record["heldout_answerable_roc_auc"] = figures.get("heldout_answerable_roc_auc")
    return record


def average_state(state_dicts: list[dict]) -> dict:
    """The mean of each floating-point tensor over the state dicts (other tensors from the first); names and shapes
    must match."""
    first = state_dicts[0]
    for other in state_dicts[1:]:
        if other.keys() != first.keys() or any(other[k].shape != first[k].shape for k in first):
            raise ValueError("the readers differ in their weights' names or shapes: not one architecture")
    return {k: (sum(sd[k].float() for sd in state_dicts) / len(state_dicts)).to(first[k].dtype)
            if first[k].is_floating_point() else first[k] for k in first}


def main(argv=None) -> int:
    """Average the given readers and export the result, calibrated and measured unless --no-eval."""
    p = argparse.ArgumentParser(prog="python -m training.reader_soup", description=__doc__.splitlines()[0])
    p.add_argument("models", type=Path, nargs="+", help="reader model directories (the same base)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    p.add_argument("--no-eval", action="store_true")
    args = p.parse_args(argv)
    if len(args.models) < 2:
        raise SystemExit("error: a soup needs at least two readers")
    import torch
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    from training.reader_export import export

    models = [AutoModelForQuestionAnswering.from_pretrained(m, dtype=torch.float32) for m in args.models]
    soup = models[0]
    soup.load_state_dict(average_state([m.state_dict() for m in models]))
    record = {"soup_of": [ingredient_record(m) for m in args.models],
              "command": "python -m training.reader_soup " + " ".join(argv if argv is not None else sys.argv[1:])}
    export(soup.eval(), AutoTokenizer.from_pretrained(args.models[0]), args.out, record,
           dev=None if args.no_eval else args.dev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
