"""A real Milvus Lite server as a separate process on 127.0.0.1 (`milvus-lite server`), for the Milvus tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

STARTUP_S = 60  # bound on waiting for the server to listen (a busy 2-core machine imports slowly)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MilvusServer:
    """`milvus-lite server --data-dir DIR --host 127.0.0.1 --port PORT` in its own process group; `kill()` stops it
    with SIGKILL (as a crash would), `start()` brings it back on the same port and data."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir, self.port = Path(data_dir), port or free_port()
        self.uri = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = self.data_dir.parent / f"milvus-{self.port}.log"

    def start(self) -> "MilvusServer":
        binary = Path(sys.executable).with_name("milvus-lite")
        command = [str(binary)] if binary.exists() else [sys.executable, "-m", "milvus_lite"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [*command, "server", "--data-dir", str(self.data_dir), "--host", "127.0.0.1",
                 "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"milvus-lite server exited with {self.process.returncode}: "
                                   f"{self.log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"milvus-lite server did not listen on port {self.port} within {STARTUP_S} s")

    def kill(self) -> None:
        """SIGKILL the server's process group and wait for it."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    stop = kill

    @property
    def rss_bytes(self) -> int:
        """The server process's resident memory."""
        if self.process is None:
            return 0
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0


def milvus_available() -> bool:
    try:
        import milvus_lite  # noqa: F401
        import pymilvus  # noqa: F401
    except ImportError:
        return False
    return True


def start_server(tmp_path_factory) -> MilvusServer:
    """A fresh server on a free port with its own data directory (pytest.skip without the milvus extra)."""
    if not milvus_available():
        pytest.skip("the milvus extra is not installed (pip install -e '.[milvus]')")
    return MilvusServer(tmp_path_factory.mktemp("milvus") / "data").start()
