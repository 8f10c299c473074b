"""`python -m qa eval`: argument errors and gold-file errors with line numbers, before any model loads."""

import pytest

from common import ROOT
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
    with pytest.raises(SystemExit) as stopped:
        main(["eval", str(ROOT / "gold" / "russia-turkey.jsonl"), flag, "0"])
    assert stopped.value.code == 2
    assert f"argument {flag}: must be at least 1" in capsys.readouterr().err
