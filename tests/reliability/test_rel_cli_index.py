"""The real command lines against a damaged or unwritable index and hostile document text: escape sequences are
not printed, a missing checksum record is not trusted, a `.lock` directory is one error line, and a full disk
with one new document still answers from the intact previous index."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from rel_report import record
from test_rel_cli import error_line, run

ESCAPES = "\x1b[2J\x1b]0;PWNED TITLE\x07"
FACT = "The village of Kestrel Bay has a population of 4,200 people."


@pytest.fixture
def village(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "village.txt").write_text(FACT + " Its harbour was built in 1881 by the Marsh family.\n")
    return corpus


def generation(data: Path) -> Path:
    [index] = (data / "index").iterdir()
    return index / (index / "CURRENT").read_text().strip()


def test_ask_prints_no_escape_sequence_from_a_document(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"notes{ESCAPES}.txt").write_text(f"The lighthouse keeper {ESCAPES}was named Arvid Stenberg. "
                                               "He kept the light for thirty years.\n")
    for extra in ([], ["--no-stream"]):
        done = run(["qa", "ask", "Who was the lighthouse keeper?", "--corpus", str(corpus), *extra], tmp_path)
        assert done.returncode == 0 and "Arvid Stenberg" in done.stdout, done.stdout + done.stderr
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout, repr(done.stdout)
    record("qa ask quoting a document with escape sequences", escapes_printed=0)


def test_an_index_without_its_checksum_record_is_rebuilt_not_trusted(tmp_path, village):
    question = "What is the population of Kestrel Bay?"
    first = run(["qa", "ask", question, "--corpus", str(village)], tmp_path)
    assert first.returncode == 0 and "4,200" in first.stdout, first.stdout + first.stderr
    gen = generation(tmp_path)
    (gen / "manifest.sha256").unlink()
    manifest = json.loads((gen / "manifest.json").read_text())
    del manifest["files"]
    (gen / "manifest.json").write_text(json.dumps(manifest))
    documents = (gen / "documents.json").read_text()
    (gen / "documents.json").write_text(documents.replace("4,200", "9,999"))
    done = run(["qa", "ask", question, "--corpus", str(village)], tmp_path)
    assert done.returncode == 0 and "4,200" in done.stdout and "9,999" not in done.stdout, done.stdout
    assert "manifest.sha256" in done.stderr and "rebuilding" in done.stderr, done.stderr
    record("index with its checksum record deleted and its text edited", outcome="rebuilt from the corpus")


def test_a_lock_that_is_a_directory_is_one_error_line(tmp_path, village):
    from index.settings import Settings

    lock = Settings(data_dir=tmp_path).index_dir_for(village) / ".lock"
    lock.mkdir(parents=True)
    for command in (["index", "build", str(village)], ["qa", "ask", "Who built the harbour?", "--corpus",
                                                       str(village)]):
        line = error_line(run(command, tmp_path))
        assert ".lock" in line and "directory" in line.lower(), line
    record("a .lock that is a directory", exit=2, message=line)


def test_ask_on_a_full_disk_with_a_new_document_answers_from_the_previous_index(tmp_path, village):
    """With model sentences on, the generator's converted weights cannot be cached on the full disk either: they
    are used uncached, with one warning line (before: a traceback from save_pretrained, exit 1)."""
    data = tmp_path / "small"
    data.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(data)], capture_output=True)
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        question = "What is the population of Kestrel Bay?"
        assert run(["index", "build", str(village)], data).returncode == 0
        with open(data / "filler", "wb") as fh:  # fill the disk to the last block
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError:
                pass
        (village / "ferry.txt").write_text("The Kestrel Bay ferry sails to Northholm twice a day.\n" * 40)
        timings = []
        for _ in range(2):  # a retry costs no more than the first try: nothing is embedded for a full disk
            started = time.perf_counter()
            done = run(["qa", "ask", question, "--corpus", str(village)], data, QA_MODEL_SENTENCES="1")
            timings.append(round(time.perf_counter() - started, 1))
            assert done.returncode == 0 and "4,200" in done.stdout, done.stdout + done.stderr
            warnings = [line for line in done.stderr.splitlines() if "No space left on device" in line]
            index_warnings = [line for line in warnings if "cannot write the index" in line]
            assert len(index_warnings) == 1 and "answering from it" in index_warnings[0], done.stderr
            assert "KB free" in index_warnings[0], warnings[0]  # refused before embedding the new document
            # the generator's converted weights and the encoders' ONNX exports cannot be cached either: used uncached,
            # and the encoders run on torch
            assert all(line in index_warnings or "using them uncached" in line or "runs on torch" in line
                       for line in warnings), warnings
        record("qa ask on a full disk with a new document", answered_from="previous index", seconds=timings,
               warning=index_warnings[0][:200], generator_cache_warnings=len(warnings) - 1)
    finally:
        subprocess.run(["umount", str(data)], check=True)
