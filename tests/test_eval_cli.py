"""`python -m qa eval`: argument errors, gold-file errors with line numbers, and one real end-to-end run."""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from qa.cli import main


def test_malformed_gold_file_is_a_one_line_error_with_its_line_number(tmp_path, capsys):
    gold = tmp_path / "bad.jsonl"
    gold.write_text('{"id": "a", "question": "q?", "answer": "x", "evidence": ["Putin"]}\n{"id": "b",\n')
    assert main(["eval", str(gold), "--corpus", str(ROOT / "corpus"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "line 2: malformed JSON" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()  # refused before any model was loaded


def test_evidence_missing_from_the_corpus_is_an_error(tmp_path, capsys):
    gold = tmp_path / "bad.jsonl"
    gold.write_text('{"id": "a", "question": "q?", "answer": "x", "evidence": ["no such sentence anywhere"]}\n')
    assert main(["eval", str(gold), "--corpus", str(ROOT / "corpus")]) == 2
    assert "line 1 (a): evidence not found verbatim in the corpus" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--limit", "--sample", "--top-k"])
def test_non_positive_numbers_are_refused(flag, capsys):
    assert main(["eval", str(ROOT / "gold" / "russia-turkey.jsonl"), flag, "0"]) == 2
    assert "must be at least 1" in capsys.readouterr().err


@pytest.mark.e2e
def test_eval_command_end_to_end_with_the_real_models(real_settings, tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "QA_DATA_DIR": str(real_settings.data_dir), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "qa", "eval", "gold/russia-turkey.jsonl", "--limit", "3",
                           "--out", str(out), "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout)
    assert summary["questions"] == 3 and summary["errors"] == 0
    for key in ("hit@k", "recall@k", "mrr", "em", "f1", "containment", "total_p50_s", "first_token_p95_s"):
        assert summary[key] is not None, key
    assert 0 <= summary["hit@k"] <= 1 and summary["total_p50_s"] > 0
    report = json.loads((out / "report.json").read_text())
    assert [r["id"] for r in report["rows"]] == ["fact-01", "fact-02", "fact-03"]
    assert report["meta"]["token_count"] == "tokenizer"
    assert (out / "report.md").exists() and (out / "metrics.png").exists() and (out / "latency.png").exists()
