"""Clients of the served UI for the load tests: gradio_client, and plain HTTP speaking gradio's queue protocol
(which tells when a request left the queue, so the queue wait is measured)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

BUSY = ("Queue is full", "queue_full")


def ask_fn_index(url: str) -> int:
    """The id of the /ask endpoint in the app's config."""
    config = json.load(urllib.request.urlopen(url + "config", timeout=30))
    return next(d["id"] for d in config["dependencies"] if d.get("api_name") == "ask")


def ask_http(url: str, fn_index: int, question: str, timeout: float = 300) -> dict:
    """One question over plain HTTP: {"outcome": answered|busy|error, "latency_s", "queue_wait_s", "detail"}."""
    session = uuid.uuid4().hex[:12]
    body = json.dumps({"data": [question, None, 0], "fn_index": fn_index, "session_hash": session,
                       "trigger_id": None, "event_data": None}).encode()
    started = time.perf_counter()
    try:
        urllib.request.urlopen(urllib.request.Request(url + "gradio_api/queue/join", body,
                                                      {"Content-Type": "application/json"}), timeout=timeout)
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")
        return {"outcome": "busy" if any(b in detail for b in BUSY) else "error", "detail": detail[:300],
                "latency_s": time.perf_counter() - started, "queue_wait_s": None}
    waited = None
    stream = urllib.request.urlopen(url + f"gradio_api/queue/data?session_hash={session}", timeout=timeout)
    for raw in stream:
        line = raw.decode("utf-8", "replace").strip()
        if not line.startswith("data:"):
            continue
        message = json.loads(line[5:])
        if message.get("msg") == "queue_full":
            return {"outcome": "busy", "detail": str(message)[:300], "latency_s": time.perf_counter() - started,
                    "queue_wait_s": None}
        if message.get("msg") == "process_starts":
            waited = time.perf_counter() - started
        if message.get("msg") == "process_completed":
            output = message.get("output") or {}
            ok = message.get("success") and output.get("data") and output["data"][0].get("answer")
            return {"outcome": "answered" if ok else "error", "detail": str(message)[:300],
                    "latency_s": time.perf_counter() - started, "queue_wait_s": waited}
    return {"outcome": "error", "detail": "stream ended", "latency_s": time.perf_counter() - started,
            "queue_wait_s": waited}


def ask_gradio_client(client, question: str) -> dict:
    """One question through gradio_client: the same outcome record (no queue wait: the client hides it)."""
    from gradio_client.exceptions import AppError

    started = time.perf_counter()
    try:
        result = client.predict(question, api_name="/ask")
        outcome, detail = ("answered" if result.get("answer") else "error"), ""
    except AppError as exc:
        outcome, detail = "error", str(exc)
    except Exception as exc:  # gradio_client raises QueueError("Queue is full! ...") when refused
        outcome = "busy" if any(b in str(exc) for b in BUSY) else "error"
        detail = f"{type(exc).__name__}: {exc}"
    return {"outcome": outcome, "detail": detail[:300], "latency_s": time.perf_counter() - started,
            "queue_wait_s": None}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, MB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")
