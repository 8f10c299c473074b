"""Load on the HTTP API: requests/s and p50/p95 latency at 1, 4 and 16 concurrent clients, per deployment, and the
memory an in-process index takes per million chunks.

Deployments (model sentences on, so every answered question calls the generator):
  inprocess  - `python -m qa serve --workers 1`, the default in-process generator (transformers, int8)
  inprocess-llamacpp - the same with the in-process llama.cpp backend (QA_BACKEND=llamacpp): same engine as served
  served     - `python -m qa serve --workers 2` with QA_BACKEND=openai in front of one llama.cpp server
  quotes     - `python -m qa serve --workers 2` with model sentences off (the default: no generator runs)
Each client posts the article's gold questions (those without history, in order, cycling) to /v1/ask, one after
another; each level sends `--total` requests split evenly over its clients (at least 2 each). The machine may be
shared: the load average is recorded with each figure.
Usage (from the repository root): python -m benchmarks.api_load [--clients 1,4,16] [--total 32] [--out load.json]
    python -m benchmarks.api_load --memory 100000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np

from benchmarks import llama_server
from benchmarks.stats import summarize


def questions(gold: str = "gold/russia-turkey.jsonl") -> list[str]:
    from qa.evaluation.gold import load_jsonl

    return [item.question for item in load_jsonl(gold) if not item.history]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    """The child processes of a process (uvicorn's workers)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


@contextmanager
def api(workers: int, env: dict):
    """`python -m qa serve` on 127.0.0.1 (its own process group), yielded as (URL, process) once every worker
    answers /readyz."""
    port = llama_server.free_port()
    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--port", str(port), "--workers", str(workers),
                                "--corpus", "corpus"], env={**os.environ, **env}, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        ok, deadline = 0, time.monotonic() + 600
        while ok < 10 * workers:  # connections spread over the workers: many 200s in a row means all are ready
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"the API did not start: {log.read()[-2000:]}")
            try:
                ok = ok + 1 if httpx.get(url + "/readyz", timeout=5).status_code == 200 else 0
            except httpx.HTTPError:
                ok = 0
            time.sleep(0.1 if ok else 0.5)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def load(url: str, clients: int, per_client: int, asked: list[str]) -> dict:
    """`clients` threads posting questions one after another; throughput and latency of the whole run."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def client(index: int) -> None:
        with httpx.Client(timeout=600) as http:
            for i in range(per_client):
                question = asked[(index * per_client + i) % len(asked)]
                started = time.perf_counter()
                status = http.post(url + "/v1/ask", json={"question": question}).status_code
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status == 200:
                        latencies.append(time.perf_counter() - started)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    lat = summarize(latencies) if latencies else {"median": float("nan"), "p95": float("nan")}
    return {"clients": clients, "requests": sum(statuses.values()), "statuses": statuses,
            "requests_per_s": round(len(latencies) / wall, 2), "p50_s": round(lat["median"], 3),
            "p95_s": round(lat["p95"], 3), "wall_s": round(wall, 1),
            "loadavg_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "latencies_s": sorted(round(x, 2) for x in latencies)}


def run_deployment(name: str, url: str, process, clients: list[int], total: int, asked: list[str]) -> dict:
    for question in asked[:4]:  # warm-up: first calls pay for lazy work
        httpx.post(url + "/v1/ask", json={"question": question}, timeout=600)
    workers = children(process.pid) or [process.pid]
    result = {"deployment": name, "worker_rss_mb": [round(rss_mb(p)) for p in workers], "levels": []}
    for n in clients:
        result["levels"].append(load(url, n, max(2, total // n), asked))
        print(name, json.dumps({k: v for k, v in result["levels"][-1].items() if k != "latencies_s"}), flush=True)
    return result


def memory_per_million(n: int) -> dict:
    """RSS taken by an in-memory index of n synthetic 160-token chunks (384-d vectors, hybrid retrieval's BM25
    built), scaled to a million chunks."""
    from index.chunking import Passage
    from index.settings import Settings
    from index.store import IndexStore
    from qa.retrieval import RankFusionRetriever

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(50_000)]
    warm = IndexStore({"index_type": "flat"}, [Passage("w1 w2", "a.txt", 0, 5)], np.ones((1, 384), np.float32), {})
    RankFusionRetriever.from_settings(warm, None, Settings())._bm25_index()  # imports are not the index's memory
    before = rss_mb(os.getpid())
    passages = [Passage(" ".join(words[j] for j in rng.integers(0, len(words), 120)), f"doc{i // 20}.txt", 0, 0)
                for i in range(n)]
    vectors = rng.standard_normal((n, 384), dtype=np.float32)
    store = IndexStore({"index_type": "flat"}, passages, vectors, {})
    RankFusionRetriever.from_settings(store, None, Settings())._bm25_index()
    used = rss_mb(os.getpid()) - before
    return {"chunks": n, "rss_mb": round(used), "mb_per_million_chunks": round(used * 1_000_000 / n)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--total", type=int, default=32, help="requests per level, split over its clients")
    parser.add_argument("--deployments", default="inprocess,inprocess-llamacpp,served")
    parser.add_argument("--threads", type=int, default=1,
                        help="generation threads (QA_THREADS, and the llama.cpp server's); 1 is much faster on a busy "
                             "machine, where a thread waiting at llama.cpp's barriers for a CPU stalls every step")
    parser.add_argument("--memory", type=int, default=0, help="only measure index memory with this many chunks")
    parser.add_argument("--out", default="load.json")
    args = parser.parse_args()
    if args.memory:
        print(json.dumps(memory_per_million(args.memory)))
        return
    clients = [int(c) for c in args.clients.split(",")]
    asked = questions()
    common = {"QA_MODEL_SENTENCES": "1", "QA_API_QUEUE": str(max(clients)), "QA_THREADS": str(args.threads),
              "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    report = {"cpus": os.cpu_count(), "threads": args.threads, "questions": len(asked),
              "requests_per_level": args.total, "runs": []}
    for name in args.deployments.split(","):
        if name in ("inprocess", "inprocess-llamacpp"):
            env = {**common, "QA_BACKEND": "llamacpp"} if name == "inprocess-llamacpp" else common
            with api(1, env) as (url, process):
                report["runs"].append(run_deployment(name, url, process, clients, args.total, asked))
        elif name == "quotes":
            with api(2, {**common, "QA_MODEL_SENTENCES": "0"}) as (url, process):
                report["runs"].append(run_deployment(name, url, process, clients, args.total, asked))
        elif name == "served":
            with llama_server.running(threads=args.threads) as (server, generator_url):
                env = {**common, "QA_BACKEND": "openai", "QA_OPENAI_BASE_URL": generator_url,
                       "QA_OPENAI_EXTRA_BODY": llama_server.PARITY_BODY}
                with api(2, env) as (url, process):
                    run = run_deployment(name, url, process, clients, args.total, asked)
                    run["generator_server_rss_mb"] = round(rss_mb(server.pid))
                    report["runs"].append(run)
        else:
            raise SystemExit(f"unknown deployment {name!r}")
    Path(args.out).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
