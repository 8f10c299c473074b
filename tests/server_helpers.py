"""Helpers for the API tests: our app served by uvicorn in a thread on 127.0.0.1, and a free port."""

from __future__ import annotations

import contextlib
import threading
import time

import httpx

from benchmarks.llama_server import free_port


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
