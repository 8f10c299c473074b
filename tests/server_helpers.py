"""Helpers for the API tests: our app served by uvicorn in a thread on 127.0.0.1, a real `python -m qa serve`
process whose log is checked for tracebacks when it stops, a fake OpenAI-compatible generator server, and a free
port."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import httpx

from benchmarks.llama_server import free_port
from ui_helpers import assert_no_traceback

ROOT = Path(__file__).resolve().parents[1]
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


@contextlib.contextmanager
def serve_in_thread(app, timeout: float = 60.0):
    """Serve a FastAPI app on 127.0.0.1 (a free port) until the block ends; yields the base URL once /readyz is 200."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"the API at {url} did not become ready in {timeout} s")
            time.sleep(0.05)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.contextmanager
def api_process(corpus: Path, data: Path, log: Path, env: dict | None = None, args: tuple[str, ...] = (),
                unset: tuple[str, ...] = ("QA_API_QUEUE", "QA_API_INDEX_POLL_S", "QA_API_KEY"),
                timeout: float = 600.0) -> Iterator[tuple[str, subprocess.Popen, dict]]:
    """`python -m qa serve --corpus CORPUS ARGS` on a free port with data directory `data`, console to `log`; yields
    (url, process, its environment) as soon as /readyz first answers 200. When the block ends the server is
    stopped and its log must hold no traceback (AssertionError otherwise)."""
    extra = env or {}
    env = {**os.environ, **OFFLINE, "QA_DATA_DIR": str(data), **extra}
    for name in unset:  # the defaults are under test, unless the caller sets one
        if name not in extra:
            env.pop(name, None)
    port = free_port()
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--port", str(port), "--corpus",
                                    str(corpus), *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the API did not become ready: {log.read_text()[-3000:]}")
            try:
                if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        yield url, process, env
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its workers too (its own session, so its own group)
            process.wait(timeout=20)
    assert_no_traceback(log, "python -m qa serve")


class FakeGenerator:
    """An OpenAI-compatible chat server on 127.0.0.1 that streams one fixed sentence and records every chat request
    (`chats`: the request bodies, in order): what `QA_BACKEND=openai` talks to, observable from the test."""

    SENTENCE = "It is in the documents."

    def __init__(self) -> None:
        self.chats: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    return self._send(200, json.dumps({"object": "list", "data": [
                        {"id": "fake", "object": "model", "created": 0, "owned_by": "test"}]}).encode())
                self._send(404, b'{"error": {"message": "not found"}}')

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    return self._send(404, b'{"error": {"message": "not found"}}')
                fake.chats.append(body)

                def chunk(delta: dict, finish: str | None = None) -> bytes:
                    return b"data: " + json.dumps({
                        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}).encode() + b"\n\n"
                self._send(200, chunk({"role": "assistant", "content": fake.SENTENCE}) + chunk({}, "stop")
                           + b"data: [DONE]\n\n", "text/event-stream")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> "FakeGenerator":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class Moment:
    """A thread that polls `condition()` every `every` seconds and records (`.at`, time.perf_counter()) when it
    first holds: when a pointer moved, a worker logged a line. `.seconds_after(start)`; stopped by `.stop()` or
    after `timeout`."""

    def __init__(self, condition, every: float = 0.02, timeout: float = 600.0) -> None:
        self.at: float | None = None
        self._stop = threading.Event()

        def poll() -> None:
            deadline = time.monotonic() + timeout
            while not self._stop.is_set() and time.monotonic() < deadline:
                try:
                    if condition():
                        self.at = time.perf_counter()
                        return
                except Exception:  # noqa: BLE001 - not yet (a file half written, a server busy): poll again
                    pass
                self._stop.wait(every)
        self._thread = threading.Thread(target=poll, daemon=True)
        self._thread.start()

    def wait(self, timeout: float) -> float | None:
        self._thread.join(timeout)
        return self.at

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
