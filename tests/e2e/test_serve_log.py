"""`python -m qa serve` as a real process: its log says where it serves and when it is ready, quietly (issue 27)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import httpx
import pytest

from common import ROOT
from ui_helpers import free_port

pytestmark = pytest.mark.e2e


def test_serve_logs_start_and_ready_at_info_without_progress_bars(real_settings, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "QA_DATA_DIR": str(real_settings.data_dir), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--port", str(port), "--corpus", "corpus"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail(f"the API did not become ready:\n{log.read_text()[-2000:]}")
        time.sleep(0.5)  # the "ready" line is written just after /readyz turns 200
        assert httpx.post(f"http://127.0.0.1:{port}/v1/ask", json={"question": "Why did relations hit a nadir?"},
                          timeout=60).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    lines = [line for line in re.split(r"[\r\n]+", log.read_text()) if line.strip()]
    print("\n".join(lines))
    assert lines[0].startswith(f"serving {ROOT / 'corpus'} on http://127.0.0.1:{port}")
    assert any(re.fullmatch(r"INFO: ready: \d+ passages loaded in [\d.]+ s", line) for line in lines), lines
    for line in lines:
        assert not line.startswith(("WARNING", "ERROR")), line  # a normal start warns about nothing
        assert "Loading weights" not in line and "%|" not in line and "it/s" not in line, line  # no progress bars
