"""The `python -m ui` command line: defaults, login option and its environment variable (no models)."""

from __future__ import annotations

import pytest

from index.settings import Settings
from ui.__main__ import parse_args
from ui.app import parse_auth


def test_defaults_bind_localhost_on_7860_with_the_default_corpus(monkeypatch):
    monkeypatch.delenv("QA_UI_AUTH", raising=False)
    args = parse_args([])
    assert (args.host, args.port, args.corpus, args.auth) == ("127.0.0.1", 7860, "corpus", None)
    assert Settings.from_env().ui_auth == ""


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
