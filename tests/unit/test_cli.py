"""The command lines: bad input gives exit code 2 and one line, no traceback, before any model loads."""

import pytest

from common import run_module as run


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


def test_bench_is_not_a_product_subcommand(capsys):
    from qa.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["bench"])
    assert exc.value.code == 2 and "invalid choice: 'bench'" in capsys.readouterr().err
