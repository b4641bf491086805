"""No text leaves the machine on a repository's say-so.

A ``.kvmwriter.toml`` committed in a repository cannot turn on network
grammar: its ``[grammar] server`` or ``mode = "public"`` is ignored with one
line naming the setting, and nothing reaches the server.  The user's own
config (``$XDG_CONFIG_HOME/kvmwriter/config.toml``), ``--config FILE`` and
``--grammar-server`` still can.  A server's answer is read up to a cap and
its error text is shown with control characters escaped.
"""

from __future__ import annotations

import pytest
from ltserver import LTServer

from kvmwriter.lint.config import find_config, load_config
from kvmwriter.lint.grammar import (
    GrammarChecker,
    checker_from_config,
    resolve_settings,
)
from kvmwriter.lint.profile import load_profile
from kvmwriter.text.message import parse_message

MESSAGE = "KVM: x86: Fix it\n\nThe vCPU could of run with a stale EFER.\n"


@pytest.fixture
def lt_server():
    server = LTServer().start()
    yield server
    server.stop()


@pytest.fixture
def env(tmp_path, monkeypatch):
    """No local LanguageTool; the user's config directory under tmp_path."""
    values = {
        "LTP_PATH": str(tmp_path / "ltp"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "HOME": str(tmp_path / "home"),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def _repo_with_config(make_repo, text: str):
    repo = make_repo()
    (repo / ".kvmwriter.toml").write_text(text)
    (repo / "msg").write_text(MESSAGE)
    return repo


@pytest.mark.parametrize(
    "setting, named",
    [
        ('server = "{url}"', "[grammar] server"),
        ('mode = "server"\nserver = "{url}"', "[grammar] server"),
        ('mode = "public"', "[grammar] mode = 'public'"),
    ],
)
def test_repository_config_cannot_enable_network_grammar(
    cli, make_repo, lt_server, env, setting, named
):
    repo = _repo_with_config(make_repo, "[grammar]\n" + setting.format(url=lt_server.url) + "\n")
    result = cli("check", "--grammar", "msg", cwd=repo, env=env)
    assert lt_server.requests == []
    notices = [line for line in result.stderr.splitlines() if "ignoring" in line]
    assert len(notices) == 1 and named in notices[0], result.stderr
    assert "Traceback" not in result.stderr


def test_drafting_app_grammar_ignores_a_repository_server(make_repo, lt_server, env):
    repo = _repo_with_config(make_repo, f'[grammar]\nserver = "{lt_server.url}"\n')
    checker, hint = checker_from_config(repo, load_profile())
    assert checker is None or checker.settings.server != lt_server.url
    assert hint is not None and "[grammar] server" in hint


def test_user_config_still_enables_the_server(cli, make_repo, lt_server, env, tmp_path):
    repo = _repo_with_config(make_repo, 'select = ["grammar", "subject"]\n')
    user = tmp_path / "xdg" / "kvmwriter" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text(f'[grammar]\nserver = "{lt_server.url}"\ntimeout = 5\n')
    assert find_config(repo) == repo / ".kvmwriter.toml"
    config = load_config(find_config(repo))
    assert config.sections["grammar"]["server"] == lt_server.url and not config.notices
    result = cli("check", "--grammar", "msg", cwd=repo, env=env)
    assert "[grammar]" in result.stdout, result.stderr
    assert lt_server.requests


def test_explicit_config_and_flag_still_enable_the_server(cli, make_repo, lt_server, env):
    repo = _repo_with_config(make_repo, f'[grammar]\nserver = "{lt_server.url}"\n')
    named = cli(
        "check", "--grammar", "--config", str(repo / ".kvmwriter.toml"), "msg", cwd=repo, env=env
    )
    assert "[grammar]" in named.stdout and "ignoring" not in named.stderr, named.stderr
    sent = len(lt_server.requests)
    assert sent > 0
    flag = cli("check", "--grammar-server", lt_server.url, "msg", cwd=repo, env=env)
    assert "[grammar]" in flag.stdout, flag.stderr
    assert len(lt_server.requests) > sent


def _check_once(url: str) -> tuple[GrammarChecker, list[str]]:
    statuses: list[str] = []
    settings = resolve_settings({"timeout": 20}, load_profile(), server=url)
    checker = GrammarChecker(settings, on_status=statuses.append)
    checker.check_message(parse_message(MESSAGE))
    return checker, statuses


def test_huge_answer_is_cut_off_at_the_cap():
    server = LTServer("huge").start()
    try:
        _, statuses = _check_once(server.url)
    finally:
        server.stop()
    assert any("larger than" in status for status in statuses), statuses
    # The client hung up long before the 200 MB were sent.
    assert server.sent < 64 * 1024 * 1024


def test_server_error_text_is_shown_without_control_characters():
    server = LTServer("hostile-error").start()
    try:
        _, statuses = _check_once(server.url)
    finally:
        server.stop()
    assert statuses, "no status for a failing server"
    for status in statuses:
        assert "\x1b" not in status and "\x07" not in status, repr(status)
    assert any("\\x1b" in status for status in statuses), statuses
