"""The command lines with the real models: `index build` then `qa ask --json` keeps its contract."""

import json

import pytest

from conftest import ROOT, run_module as run
from index.markup import to_plain
from qa.text import words

pytestmark = pytest.mark.e2e


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
        assert set(c) == {"marker", "source", "text", "start", "end", "score", "source_start", "source_end"}
        assert f"[{c['marker']}]" in data["answer"]
        # start/end index the document's plain text; source_start/source_end the Markdown file on disk
        file_text = (ROOT / "corpus" / c["source"]).read_text(encoding="utf-8")
        assert to_plain(file_text)[c["start"]:c["end"]] == c["text"]
        in_file = file_text[c["source_start"]:c["source_end"]]
        assert words(to_plain(in_file)) == words(c["text"])  # the same words (an emphasis may open before it)
    assert any("downing of a Russian jet" in c["text"] for c in data["citations"])
