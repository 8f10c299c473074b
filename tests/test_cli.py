"""The command lines: bad input gives exit code 2 and one line, no traceback; --json keeps its contract."""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def run(*args, env=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}, timeout=600)


@pytest.mark.parametrize("question", ["", "   \n\t", "x" * 2001])
def test_bad_questions_exit_2_with_one_line(question):
    result = run("qa", "ask", question)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: question")


def test_missing_and_empty_corpus_are_named(tmp_path):
    result = run("qa", "ask", "Why?", "--corpus", str(tmp_path / "missing"))
    assert result.returncode == 2 and str(tmp_path / "missing") in result.stderr and "Traceback" not in result.stderr
    result = run("index", "build", str(tmp_path))
    assert result.returncode == 2 and "is empty" in result.stderr and "Traceback" not in result.stderr


def test_bad_top_k_exits_2():
    result = run("qa", "ask", "Why?", "--top-k", "0")
    assert result.returncode == 2 and "--top-k" in result.stderr


@pytest.mark.e2e
def test_index_build_and_ask_json_contract(tmp_path, real_settings):
    env = {"QA_DATA_DIR": str(real_settings.data_dir)}
    built = run("index", "build", "corpus", env=env)
    assert built.returncode == 0, built.stderr
    assert "1 documents" in built.stdout
    result = run("qa", "ask", "Why did relations between Russia and Turkey hit a nadir?", "--json", "--top-k", "3",
                 env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"answer", "citations", "abstained"}
    assert isinstance(data["answer"], str) and data["abstained"] is False
    for c in data["citations"]:
        assert set(c) == {"marker", "source", "text", "start", "end", "score"}
        assert f"[{c['marker']}]" in data["answer"]
        document = (ROOT / "corpus" / c["source"]).read_text(encoding="utf-8")
        assert document[c["start"]:c["end"]] == c["text"]
    assert any("downing of a Russian jet" in c["text"] for c in data["citations"])
