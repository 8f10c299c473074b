"""`python -m qa eval` end to end with the real models."""

import json

import pytest

from common import run_module

pytestmark = pytest.mark.e2e


def test_eval_command_end_to_end_with_the_real_models(real_settings, tmp_path):
    out = tmp_path / "out"
    proc = run_module("qa", "eval", "gold/russia-turkey.jsonl", "--limit", "3", "--out", str(out), "--json",
                      env={"QA_DATA_DIR": str(real_settings.data_dir)})
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
