"""Faults during index builds: kill -9 at random moments, two builds at once, a full disk, corrupted files."""

from __future__ import annotations

import errno
import gc
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from rel_checks import answers, corpus_version, index_state
from rel_report import record

from index.builder import update_index
from index.documents import load_corpus
from index.errors import IndexMismatchError, IndexStoreError
from index.store import IndexStore

WORKER = Path(__file__).with_name("build_worker.py")
PHASES = ("any moment", "vectors.faiss", "embeddings.npy", "passages.json", "documents.json", "manifest.json",
          "CURRENT", "CURRENT published")


def expected(corpus: Path) -> frozenset:
    return frozenset((d.source, d.sha256) for d in load_corpus(corpus))


def build_killed(corpus: Path, index_dir: Path, phase: str, rng: random.Random) -> str:
    """Run the slow build worker and kill -9 it in `phase` (or at a random moment); what happened, in a word."""
    proc = subprocess.Popen([sys.executable, str(WORKER), str(corpus), str(index_dir), "--slow"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    guard = threading.Timer(60, proc.kill)  # a hung build fails the test below instead of hanging it
    guard.start()
    try:
        if phase == "any moment":
            time.sleep(rng.uniform(0.0, 2.0))
        else:
            for line in proc.stdout:
                if line.strip() == f"phase {phase}":
                    time.sleep(rng.uniform(0.0, 0.06))
                    break
        finished = proc.poll() is not None
        proc.kill()
        _, err = proc.communicate(timeout=30)
    finally:
        guard.cancel()
    # SIGKILL lets a process print nothing, so a traceback in its output was printed before the kill: a bug
    assert "Traceback" not in err, err[-3000:]
    if finished:
        assert proc.returncode == 0, err
        return "finished"
    return "killed"


def test_kill_9_at_random_moments_leaves_the_old_or_the_new_index(tmp_path, hashing_embedder, heavy):
    kills = 300 if heavy else 30
    rng = random.Random(14)
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus_version(corpus, 0)
    update_index(load_corpus(corpus), index_dir, hashing_embedder, show_progress=False)
    committed = index_state(index_dir)
    outcomes, per_phase, started = Counter(), Counter(), time.perf_counter()
    for i in range(1, kills + 1):
        corpus_version(corpus, i)
        new = expected(corpus)
        phase = PHASES[i % len(PHASES)]
        what = build_killed(corpus, index_dir, phase, rng)
        state = index_state(index_dir)  # loads, checksums and counts agree
        assert state in (committed, new), f"kill {i} in {phase}: the index is neither the old nor the new one"
        assert answers(index_dir, hashing_embedder), f"kill {i} in {phase}: the index no longer answers"
        outcomes[("new" if state == new else "old") + f" ({what})"] += 1
        per_phase[phase] += what == "killed"
        committed = state
    # a build after all that finishes, publishes the last version and leaves one generation behind
    corpus_version(corpus, kills + 1)
    done = subprocess.run([sys.executable, str(WORKER), str(corpus), str(index_dir)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert index_state(index_dir) == expected(corpus)
    assert [p.name for p in index_dir.iterdir() if p.name.startswith("gen-")] == [
        (index_dir / "CURRENT").read_text()]
    record("kill -9 during index build", runs=kills, outcomes=dict(outcomes), killed_in_phase=dict(per_phase),
           lost=0, seconds=round(time.perf_counter() - started, 1))
    assert sum(per_phase.values()) >= kills // 2  # most runs were really killed mid-build


def test_two_builds_at_once_wait_for_each_other(tmp_path, hashing_embedder):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    waited = 0
    rounds = 5
    for i in range(rounds):
        corpus_version(corpus, i)
        procs = [subprocess.Popen([sys.executable, str(WORKER), str(corpus), str(index_dir), "--slow"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], results
        assert not any("Traceback" in out + err for out, err in results), results
        waited += any("another build" in err and "waiting" in err for _, err in results)
        assert index_state(index_dir) == expected(corpus)
        assert answers(index_dir, hashing_embedder)
    record("two concurrent builds", rounds=rounds, rounds_where_one_waited_for_the_lock=waited, lost=0)
    assert waited >= 1


def _disk_full_check(corpus, index_dir, embedder) -> str:
    before = index_state(index_dir)
    (corpus / "huge.txt").write_text("A long report about trade between the two countries. " * 40000)
    with pytest.raises(IndexStoreError) as info:
        update_index(load_corpus(corpus), index_dir, embedder, show_progress=False)
    message = str(info.value)
    assert "No space left on device" in message and "previous index is unchanged" in message
    assert "\n" not in message
    assert index_state(index_dir) == before and answers(index_dir, embedder)
    assert len([p for p in index_dir.iterdir() if p.name.startswith("gen-")]) == 1  # the partial one is gone
    return message


def test_disk_full_on_a_small_tmpfs(tmp_path, hashing_embedder):
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()}); "
                    "test_disk_full_injected covers it")
    try:
        corpus, index_dir = tmp_path / "corpus", mount / "index"
        corpus_version(corpus, 0)
        update_index(load_corpus(corpus), index_dir, hashing_embedder, show_progress=False)
        message = _disk_full_check(corpus, index_dir, hashing_embedder)
        record("disk full (512 KB tmpfs)", runs=1, message=message, lost=0)
    finally:
        gc.collect()  # a loaded index keeps its row files open (index.sentence_vectors.RowFile)
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("where", ["vectors.faiss", "embeddings.npy", "documents.json", "manifest.json", "CURRENT"])
def test_disk_full_injected(tmp_path, hashing_embedder, monkeypatch, where):
    """Where mounting is impossible: the write of each file in turn fails as on a full disk."""
    import faiss

    import index.store as store

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus_version(corpus, 0)
    update_index(load_corpus(corpus), index_dir, hashing_embedder, show_progress=False)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "vectors.faiss":  # faiss reports write errors as RuntimeError
        def full_faiss(index, path):
            raise RuntimeError("Error in faiss::FileIOWriter: write error: No space left on device")
        monkeypatch.setattr(faiss, "write_index", full_faiss)
    elif where == "embeddings.npy":
        monkeypatch.setattr(store.np, "save", full)
    elif where == "CURRENT":
        real = Path.write_text
        monkeypatch.setattr(Path, "write_text", lambda self, *a, **k: full() if self.name == ".CURRENT.tmp"
                            else real(self, *a, **k))
    else:
        real_json = store._write_json
        monkeypatch.setattr(store, "_write_json", lambda path, data: full() if path.name == where
                            else real_json(path, data))
    _disk_full_check(corpus, index_dir, hashing_embedder)


CORRUPTIONS = {
    "one byte flipped": lambda data: data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 0x5A]) + data[
        len(data) // 2 + 1:],
    "cut in half": lambda data: data[:len(data) // 2],
    "emptied": lambda data: b"",
    "replaced by garbage": lambda data: b"\x00\xff garbage {]" * 10,
}


def test_corrupted_index_files_are_detected_and_rebuilt(tmp_path, hashing_embedder, caplog):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus_version(corpus, 0)
    tried = 0
    for name in ("vectors.faiss", "embeddings.npy", "passages.json", "documents.json", "manifest.json",
                 "manifest.sha256", "CURRENT"):
        for how, corrupt in CORRUPTIONS.items():
            update_index(load_corpus(corpus), index_dir, hashing_embedder, show_progress=False)
            good = index_state(index_dir)
            pointer = index_dir / "CURRENT"
            path = pointer if name == "CURRENT" else index_dir / pointer.read_text() / name
            path.write_bytes(corrupt(path.read_bytes()))
            with pytest.raises(IndexStoreError, match="rebuild it|no index"):
                IndexStore.load(index_dir)
            store, report = update_index(load_corpus(corpus), index_dir, hashing_embedder, show_progress=False)
            assert report.rebuilt or name == "CURRENT", f"{name} {how}"
            assert index_state(index_dir) == good and answers(index_dir, hashing_embedder), f"{name} {how}"
            tried += 1
    record("corrupted index files", runs=tried, files=7, corruptions=list(CORRUPTIONS), detected=tried, lost=0)


def test_a_pointer_out_of_the_index_directory_is_refused(tmp_path, hashing_embedder):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus_version(corpus, 0)
    update_index(load_corpus(corpus), index_dir, hashing_embedder, show_progress=False)
    (index_dir / "CURRENT").write_text("../../etc\n")
    with pytest.raises(IndexStoreError, match="names no generation"):
        IndexStore.load(index_dir)


def test_an_index_from_another_embedder_is_refused_or_rebuilt(tmp_path, hashing_embedder):
    from fakes import HashingEmbedder

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus_version(corpus, 0)
    update_index(load_corpus(corpus), index_dir, hashing_embedder, show_progress=False)
    other = HashingEmbedder(dimension=32, model_id="another-embedder")
    with pytest.raises(IndexMismatchError, match="another-embedder"):
        update_index(load_corpus(corpus), index_dir, other, rebuild_on_mismatch=False, show_progress=False)
    store, report = update_index(load_corpus(corpus), index_dir, other, show_progress=False)
    assert report.rebuilt and store.vectors.shape[1] == 32 and answers(index_dir, other)
