"""A child process for the fault tests: `python build_worker.py CORPUS INDEX_DIR [--slow]` builds an index with
the hashing fake embedder; --slow writes every index file in small timed pieces and prints `phase FILE` before
each, so a kill -9 can land inside the FAISS write, the manifest write or the pointer switch."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def _slow_writes() -> None:
    import faiss
    import numpy as np

    import index.store as store

    def trickle(path, data: bytes) -> None:
        print(f"phase {Path(path).name}", flush=True)
        with open(path, "wb") as fh:
            for i in range(0, len(data), max(1, len(data) // 8)):
                fh.write(data[i:i + max(1, len(data) // 8)])
                fh.flush()
                time.sleep(0.01)
            os.fsync(fh.fileno())

    real_write_index = faiss.write_index

    def write_index(index, path):
        scratch = Path(path).with_name(".scratch.faiss")
        real_write_index(index, str(scratch))
        data = scratch.read_bytes()
        scratch.unlink()
        trickle(path, data)

    def write_json(path, data):
        import json

        trickle(path, json.dumps(data, ensure_ascii=False).encode())

    real_save, real_replace = np.save, os.replace

    def save(fh, array):
        print("phase embeddings.npy", flush=True)
        time.sleep(0.05)
        real_save(fh, array)

    def replace(src, dst):
        print(f"phase {Path(dst).name}", flush=True)
        time.sleep(0.05)
        real_replace(src, dst)
        print(f"phase {Path(dst).name} published", flush=True)
        time.sleep(0.05)

    faiss.write_index = write_index
    store._write_json = write_json
    store.np.save = save
    store.os.replace = replace


def main() -> int:
    from fakes import HashingEmbedder

    from index.builder import update_index
    from index.documents import load_corpus

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    corpus, index_dir = Path(sys.argv[1]), Path(sys.argv[2])
    if "--slow" in sys.argv:
        _slow_writes()
    print("phase start", flush=True)
    store, report = update_index(load_corpus(corpus), index_dir, HashingEmbedder(), show_progress=False)
    print(f"done {len(store)} passages, {len(store.documents)} documents", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
