"""The two small encoders (the question encoder, the span reader) run by ONNX Runtime: exported once from their
transformers weights into the model cache, then loaded without importing torch or transformers.

Importing torch and transformers' BERT costs 4-6 s of a `python -m qa ask` cold start on a 2-core machine; ONNX
Runtime imports in 0.05 s and runs these models a little faster than torch on CPU, with the same logits to about
1e-5 (tests/e2e/test_onnx_runtime.py). The export (torch.onnx, the `onnx` package) runs the first time a model is
used and is cached under `<data_dir>/models/onnx/`, keyed by the model's weights.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.util
import logging
import os
import shutil
import threading
import warnings
from pathlib import Path

log = logging.getLogger(__name__)
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
KINDS = {"encoder": ("last_hidden_state",), "reader": ("start_logits", "end_logits")}  # kind -> its outputs
_NAMES = {"encoder": "the question encoder", "reader": "the reader"}
_EXPORT_LOCK = threading.Lock()


def onnx_available() -> bool:
    """Whether ONNX Runtime is installed (it is a core dependency; a bare environment may still lack it)."""
    return importlib.util.find_spec("onnxruntime") is not None


def weights_key(model_dir: Path) -> str:
    """A short key for a model directory's weights and config (size and modification time, not a hash: cheap at
    start-up; a reinstalled model is exported again)."""
    h = hashlib.sha256()
    for name in ("config.json", "model.safetensors", "pytorch_model.bin"):
        path = Path(model_dir) / name
        if path.is_file():
            st = path.stat()
            h.update(f"{name}:{st.st_size}:{st.st_mtime_ns};".encode())
    h.update(str(Path(model_dir).resolve()).encode())
    return h.hexdigest()[:16]


def cached_model(model_dir: Path, kind: str, cache_dir: Path) -> Path:
    """The ONNX file of `model_dir` (kind "encoder": last hidden state; "reader": start/end logits), exported into
    `cache_dir` the first time it is asked for."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {sorted(KINDS)}, got {kind!r}")
    path = Path(cache_dir) / "onnx" / f"{kind}-{weights_key(model_dir)}.onnx"
    with _EXPORT_LOCK:
        if not path.is_file():
            _check_room(Path(model_dir), path.parent)
            export(Path(model_dir), kind, path)
    return path


def _check_room(model_dir: Path, target: Path) -> None:
    """Refuse an export the disk has no room for before spending seconds on it (the graph holds the float32
    weights: about the size of the weights file, twice that for a float16 one)."""
    weights = sum(p.stat().st_size for p in Path(model_dir).glob("*.safetensors")) or 200 * 2 ** 20
    need = 2 * weights + 16 * 2 ** 20
    existing = next((p for p in (target, *target.parents) if p.exists()), None)
    if existing is not None:
        free = shutil.disk_usage(existing).free
        if free < need:
            raise OSError(errno.ENOSPC, f"No space left on device: {free // 2 ** 20} MB free in {existing}, "
                                        f"{need // 2 ** 20} MB needed")


def export(model_dir: Path, kind: str, path: Path) -> None:
    """Write `model_dir` as an ONNX graph with dynamic batch and sequence axes (written to a temporary file, then
    renamed, so a stopped export leaves nothing half-written)."""
    import torch
    from transformers import AutoModel, AutoModelForQuestionAnswering

    outputs = KINDS[kind]
    loader = AutoModelForQuestionAnswering if kind == "reader" else AutoModel
    class Graph(torch.nn.Module):  # the three inputs by name, the outputs as a tuple
        def __init__(self) -> None:
            super().__init__()
            self.inner = loader.from_pretrained(model_dir, dtype=torch.float32).eval()

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return tuple(getattr(out, name) for name in outputs)

    dummy = torch.ones(2, 8, dtype=torch.long)
    mask = torch.ones_like(dummy)
    mask[1, 5:] = 0  # a padded row, so the traced graph is the one that applies the attention mask
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    log.info("exporting %s to ONNX (%s), once", model_dir, path)
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on Python control flow it records as constants
            torch.onnx.export(Graph().eval(), (dummy, mask, torch.zeros_like(dummy)), str(tmp),
                              input_names=list(INPUTS), output_names=list(outputs), opset_version=17, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in (*INPUTS, *outputs)})
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def onnx_session(model_dir: Path, kind: str, cache_dir: Path, threads: int | None = None):
    """The ONNX Runtime session of `model_dir` (exported first if need be), or None, with a warning, when ONNX
    Runtime is missing or the export fails: the caller then runs the model on torch."""
    if not onnx_available():
        log.warning("onnxruntime is not installed: %s runs on torch", _NAMES[kind])
        return None
    try:
        return session(cached_model(model_dir, kind, cache_dir), threads)
    except Exception as exc:  # an export needs torch.onnx and the onnx package (and room); torch still runs it
        log.warning("%s's ONNX export failed (%s): it runs on torch", _NAMES[kind], str(exc)[:300])
        return None


def session(path: Path, threads: int | None = None):
    """An ONNX Runtime CPU session of the file (all graph optimisations on; `threads` intra-op threads)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads:
        options.intra_op_num_threads = int(threads)
        options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
