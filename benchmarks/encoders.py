"""Encoder options benchmark: encode throughput and dense hit@5 of the embedder run in other ways."""

from __future__ import annotations

import copy
import time

import numpy as np

from benchmarks.stats import interleaved, summarize

VARIANTS = ("fp32", "fp32_1_thread", "bf16", "int8", "onnx", "openvino")


def hit_at_5(passage_texts: list[str], passage_vectors: np.ndarray, questions: list,
              question_vectors: np.ndarray) -> float:
    """Dense hit@5: the gold answer text is inside one of the 5 passages nearest to the question."""
    from benchmarks.indexing import gold_hit_rate

    top = np.argsort(-(question_vectors @ passage_vectors.T), axis=1)[:, :5]
    return gold_hit_rate(questions, [[passage_texts[i] for i in row] for row in top])


def _encoder(model, variant: str, location: str):
    """A callable texts -> vectors for one variant, or a string saying why the variant is unavailable."""
    import torch

    from qa.transformers_generator import quantize_int8

    def encode_with(m, threads: int | None = None):
        def encode(texts):
            before = torch.get_num_threads()
            if threads:
                torch.set_num_threads(threads)
            try:
                return m.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
            finally:
                torch.set_num_threads(before)
        return encode

    if variant == "fp32":
        return encode_with(model)
    if variant == "fp32_1_thread":
        return encode_with(model, threads=1)
    if variant == "bf16":
        return encode_with(copy.deepcopy(model).to(torch.bfloat16))
    if variant == "int8":
        return encode_with(quantize_int8(copy.deepcopy(model)))
    # sentence-transformers' own ONNX / OpenVINO backends need optimum, which may not be installable
    try:
        from sentence_transformers import SentenceTransformer

        return encode_with(SentenceTransformer(location, backend=variant, device="cpu"))
    except Exception as exc:  # reported, not fatal: the benchmark measures what it can
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"


def run(model_id: str, passage_texts: list[str], questions: list, repeats: int,
        variants: tuple[str, ...] = VARIANTS) -> dict:
    """For each variant: encode time of the passages (interleaved repetitions) and dense hit@5 on the questions."""
    from sentence_transformers import SentenceTransformer

    from index.embedding import resolve_embedder

    location = resolve_embedder(model_id)
    reference = SentenceTransformer(location, device="cpu")  # float32, whatever the configured dtype
    encoders, out = {}, {"passages": len(passage_texts), "questions": len(questions), "variants": {}}
    for variant in variants:
        started = time.perf_counter()
        made = _encoder(reference, variant, location)
        if isinstance(made, str):
            out["variants"][variant] = {"unavailable": made}
            continue
        encoders[variant] = made
        out["variants"][variant] = {"setup_s": time.perf_counter() - started}
    times = interleaved({v: (lambda e=e: e(passage_texts)) for v, e in encoders.items()}, repeats=repeats,
                        warmup=1)
    fp32_vectors = None
    for variant, encode in encoders.items():
        passages = np.asarray(encode(passage_texts), dtype=np.float32)
        asked = np.asarray(encode([q.question for q in questions]), dtype=np.float32)
        if fp32_vectors is None:
            fp32_vectors = passages
        row = out["variants"][variant]
        row["encode_s"] = summarize(times[variant])
        row["chunks_per_s"] = len(passage_texts) / row["encode_s"]["median"]
        row["hit_at_5"] = hit_at_5(passage_texts, passages, questions, asked)
        row["min_cosine_to_fp32"] = float(np.min(np.sum(passages * fp32_vectors, axis=1)))
    base = out["variants"].get("fp32", {}).get("encode_s")
    for row in out["variants"].values():
        if base and "encode_s" in row:
            row["speedup_vs_fp32"] = base["median"] / row["encode_s"]["median"]
    return out
