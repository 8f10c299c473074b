"""Helpers for the UI tests: free ports, serving the app in a thread, and finding (or installing) Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_no_traceback(log: Path, what: str) -> None:
    """A server's log holds no traceback: by the error policy every error it logs is one clear line."""
    text = log.read_text(errors="replace")
    if "Traceback" in text:
        start = text.index("Traceback")
        raise AssertionError(f"{what} logged a traceback ({log}):\n{text[max(0, start - 500):start + 3000]}")


def wait_for_http(url: str, timeout: float = 120.0, process: subprocess.Popen | None = None) -> None:
    """Wait until url answers (any HTTP status); raise RuntimeError on timeout or if `process` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the app exited with status {process.returncode} before serving {url}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def serve(assistant, auth: tuple[str, str] | None = None, upload_dir: Path | None = None) -> Iterator[str]:
    """Serve the app for `assistant` on a free port in this process; yields its URL."""
    from ui.app import build_app, launch_app

    demo = build_app(assistant, upload_dir)
    port = free_port()
    launch_app(demo, assistant, "127.0.0.1", port, auth, block=False, upload_dir=upload_dir)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, 30)
        yield url
    finally:
        demo.close()


@contextlib.contextmanager
def ui_process(args: list[str], data_dir: Path, log: Path, cwd: Path, unset: tuple[str, ...] = ("QA_UI_AUTH",)
               ) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python -m ui --port P ARGS` on a free port with its own data directory, console to `log`; yields (url,
    process) once it answers, and stops it after (a start-up failure is raised with the log's tail). Its log must
    then hold no traceback (AssertionError otherwise): by the error policy every error is one clear line."""
    import sys

    port = free_port()
    env = {**os.environ, "QA_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "GRADIO_ANALYTICS_ENABLED": "False"}
    for name in unset:
        env.pop(name, None)
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "ui", "--port", str(port), *args], cwd=cwd, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, 240, process)
        yield url, process
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}\n{log.read_text()[-3000:]}") from None
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
    assert_no_traceback(log, "python -m ui")


def ensure_chromium() -> str:
    """The path of Debian's chromium, installing it with apt-get when missing; RuntimeError if impossible."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if sudo is None or not shutil.which("apt-get"):
        raise RuntimeError(f"{CHROMIUM} is missing and cannot be installed here (needs apt-get as root or sudo)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(sudo + command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr[-500:]}")
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"chromium was installed but {CHROMIUM} does not exist")
    return CHROMIUM
