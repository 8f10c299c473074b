"""The `python -m ui` command line: defaults, login option and its environment variable (no models)."""

from __future__ import annotations

import pytest

from index.settings import Settings
from ui.__main__ import parse_args
from ui.app import parse_auth


def test_defaults_bind_localhost_on_7860_with_the_default_corpus(monkeypatch):
    monkeypatch.delenv("QA_UI_AUTH", raising=False)
    args = parse_args([])
    assert (args.host, args.port, args.corpus, args.auth) == ("127.0.0.1", 7860, None, None)
    assert Settings.from_env().ui_auth == ""


def test_the_default_corpus_lives_under_the_data_dir_and_starts_with_the_sample(tmp_path, monkeypatch):
    from index.settings import SAMPLE_CORPUS, default_corpus

    monkeypatch.delenv("QA_CORPUS_DIR", raising=False)
    settings = Settings.from_env(data_dir=tmp_path / "data")
    path, created = default_corpus(settings)
    assert path == tmp_path / "data" / "corpus" and created
    assert sorted(p.name for p in path.iterdir()) == sorted(p.name for p in SAMPLE_CORPUS.iterdir() if p.is_file())
    (path / "mine.md").write_text("My own notes.")
    assert default_corpus(settings) == (path, False)  # created once; the user's files stay
    assert (path / "mine.md").exists()
    monkeypatch.setenv("QA_CORPUS_DIR", str(tmp_path / "elsewhere"))
    assert default_corpus(Settings.from_env(data_dir=tmp_path / "data")) == (tmp_path / "elsewhere", False)
    assert not (tmp_path / "elsewhere").exists()  # a configured directory is used as it is, never filled


def test_a_data_dir_given_as_a_string_is_a_path(tmp_path):
    settings = Settings.from_env(data_dir=str(tmp_path / "data"))  # as a user of the Python API writes it
    assert settings.model_cache_dir == tmp_path / "data" / "models"
    assert settings.index_dir_for(tmp_path).parent == tmp_path / "data" / "index"


def test_startup_line_says_url_corpus_documents_and_models_only():
    from ui.__main__ import startup_line

    line = startup_line("http://127.0.0.1:7860/", ".qa-data/corpus", 1, "all-MiniLM-L6-v2", "SmolLM2-135M-Instruct")
    assert line == ("Document Q&A at http://127.0.0.1:7860/ · corpus .qa-data/corpus: 1 document · models "
                    "all-MiniLM-L6-v2 + SmolLM2-135M-Instruct")
    assert "\n" not in startup_line("u", "c", 3, "e", "g", login=True, created=True)
    assert "3 documents" in startup_line("u", "c", 3, "e", "g") and "login required" in startup_line(
        "u", "c", 3, "e", "g", login=True)


def test_auth_comes_from_the_option_or_the_environment(monkeypatch):
    monkeypatch.setenv("QA_UI_AUTH", "env-user:env-pass")
    assert parse_auth(Settings.from_env().ui_auth) == ("env-user", "env-pass")
    assert parse_auth(parse_args(["--auth", "me:pa:ss"]).auth) == ("me", "pa:ss")


@pytest.mark.parametrize("value", ["nopassword", ":secret", "user:"])
def test_malformed_auth_is_refused(value):
    with pytest.raises(ValueError, match="user:password"):
        parse_auth(value)


def test_bad_auth_exits_with_a_message_before_loading_models(monkeypatch, capsys):
    from ui.__main__ import main

    monkeypatch.delenv("QA_UI_AUTH", raising=False)
    assert main(["--auth", "broken"]) == 2
    assert "user:password" in capsys.readouterr().err
