"""Write the packaged all-MiniLM-L6-v2 in float16 (45 MB instead of 91) as a base for `training.reader --base`.

`python -m training.base_fp16 DIR`: what travels to a GPU machine of the device tool, whose transfers are limited
(training/device_train.sh). Weights are loaded back as float32 for training; float16 keeps 11 bits of each.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

FILES = ("config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt")


def main(argv=None) -> int:
    """Copy the configuration and tokenizer files and write the weights in float16."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        raise SystemExit("usage: python -m training.base_fp16 DIR")
    import torch
    from safetensors.torch import load_file, save_file

    from training.reader import base_dir
    source, target = base_dir(None), Path(args[0])
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        if (source / name).is_file():
            shutil.copy(source / name, target / name)
    weights = load_file(source / "model.safetensors")
    save_file({k: (v.to(torch.float16) if v.is_floating_point() else v).contiguous() for k, v in weights.items()},
              target / "model.safetensors", metadata={"format": "pt"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
