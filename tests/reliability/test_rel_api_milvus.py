"""The served HTTP API over a Milvus index (QA_VECTOR_STORE=milvus, real models, real processes): two API workers
sharing one index on a `milvus-lite server` each pick up a generation that `python -m index build` publishes by
moving the alias; with a Milvus Lite database file (`QA_MILVUS_URI=....db`), which serves one process at a time, a
build from another process while the API runs is refused with one line and the API keeps answering."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from milvus_helpers import start_server
from rel_report import record
from server_helpers import Moment, api_process

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "corpus" / "russia-turkey-rapprochement.md"
NEW_DOC = "The Ankara tram museum opened on 14 May 2019 and holds forty restored tramcars."
PICKED_UP = "serving the newly published index"


def corpus_with_the_article(root: Path) -> Path:
    """A corpus of the article under `root`, and a data directory `root/data` whose model cache is the repository's
    (the generator's converted weights: each worker would otherwise convert them anew, side by side)."""
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / ARTICLE.name).write_bytes(ARTICLE.read_bytes())
    models = ROOT / ".qa-data" / "models"
    models.mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir()
    (root / "data" / "models").symlink_to(models, target_is_directory=True)
    return corpus


def build(corpus: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "index", "build", str(corpus)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def wait_for(condition, seconds: float, what: str) -> float:
    """Seconds until condition() holds (polled every 0.05 s); AssertionError after `seconds`."""
    started = time.perf_counter()
    while not condition():
        assert time.perf_counter() - started < seconds, f"{what} within {seconds} s"
        time.sleep(0.05)
    return time.perf_counter() - started


def test_two_workers_on_a_milvus_server_pick_up_a_new_generation(tmp_path_factory, tmp_path):
    """`qa serve --workers 2` on a Milvus Lite server; `index build` (another process) adds a document and moves
    the alias: each worker logs that it serves the new generation within the poll interval (QA_API_INDEX_POLL_S,
    2 s) of the alias moving, and both answer from it."""
    from index.settings import Settings
    from index.vector_store import backend_for

    server = start_server(tmp_path_factory)  # skips without the milvus extra
    try:
        corpus, log = corpus_with_the_article(tmp_path), tmp_path / "api.log"
        env = {"QA_VECTOR_STORE": "milvus", "QA_MILVUS_URI": server.uri}
        with api_process(corpus, tmp_path / "data", log, env, args=("--workers", "2")) as (url, _, full_env):
            wait_for(lambda: log.read_text().count("ready: ") == 2, 600, "both workers were not ready")
            backend = backend_for(Settings(vector_store="milvus", milvus_uri=server.uri))
            index_dir = Settings(data_dir=tmp_path / "data").index_dir_for(corpus)
            before = backend.current(index_dir)
            moved = Moment(lambda: backend.current(index_dir) != before)
            workers = [Moment(lambda n=n: log.read_text().count(PICKED_UP) >= n) for n in (1, 2)]
            (corpus / "tram.txt").write_text(NEW_DOC)
            done = build(corpus, full_env)
            assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
            assert moved.wait(30) and all(w.wait(30) for w in workers), "the alias moved and both workers " \
                "loaded the new generation"
            pickup = [round(w.at - moved.at, 2) for w in workers]
            for _ in range(4):  # answered from it by whichever worker takes the request
                answer = httpx.post(url + "/v1/ask", json={"question": "When did the Ankara tram museum open?"},
                                    timeout=120).json()
                assert not answer["abstained"] and answer["citations"][0]["source"] == "tram.txt", answer
    finally:
        server.stop()
    record("a generation published on Milvus seen by 2 running API workers", seconds_after_the_alias_moved=pickup,
           poll_interval_s=2, load_average=round(os.getloadavg()[0], 1))
    assert pickup[-1] < 2 + 10, pickup  # the poll interval, plus loading the new generation on a busy machine


def test_a_milvus_lite_file_refuses_a_second_process_while_the_api_runs(tmp_path):
    pytest.importorskip("milvus_lite", reason="the milvus extra is not installed (pip install -e '.[milvus]')")
    corpus, log = corpus_with_the_article(tmp_path), tmp_path / "api.log"
    env = {"QA_VECTOR_STORE": "milvus", "QA_MILVUS_URI": str(tmp_path / "milvus.db")}
    with api_process(corpus, tmp_path / "data", log, env) as (url, _, full_env):
        (corpus / "tram.txt").write_text(NEW_DOC)
        done = build(corpus, full_env)
        errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
        assert done.returncode == 2 and len(errors) == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
        assert "serves one process at a time" in errors[0], errors
        answer = httpx.post(url + "/v1/ask", json={"question": "Who is Dmitry Peskov?"}, timeout=120)
        assert answer.status_code == 200 and "answer" in answer.json(), answer.text  # answered (or abstained)
        time.sleep(3)  # a poll interval and more: the API still serves the one generation it has
        assert {d["source"] for d in httpx.get(url + "/v1/documents", timeout=30).json()["documents"]} == {
            ARTICLE.name}
    record("a second process on the API's Milvus Lite file", build_exit=done.returncode, error=errors[0][:300])
