"""Text from outside never drives the reader's terminal.

A commit subject, a patch's encoded subject, a file name or a server's
error text may hold ESC sequences (``ESC[2J`` clears the screen, OSC 52
writes the clipboard).  Text and terse output show every control character
as ``\\xNN``; JSON keeps the exact string.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import pytest

from kvmwriter.text.terminal import first_control, json_safe, pictured, visible, visible_line
from tests.conftest import git

CLEAR = "\x1b[2J"
OSC52 = "\x1b]52;c;aGk=\x07"
CSI8 = "\x9b31m"
HOSTILE = f"Fixed the{CLEAR} thing{OSC52}{CSI8}."
RAW = ("\x1b", "\x07", "\x9b")


def assert_no_raw_control(output: str) -> None:
    found = [
        f"{ord(ch):#04x}"
        for ch in output
        if (ord(ch) < 0x20 and ch not in "\t\n") or 0x7F <= ord(ch) < 0xA0
    ]
    assert not found, f"raw control characters reach the terminal: {found}"


# -- the module -------------------------------------------------------------


def test_visible_escapes_c0_del_and_c1_but_keeps_tab_and_newline():
    assert visible("a\x1b[2J\tb\nc\x7f\x9b\x00\r") == "a\\x1b[2J\tb\nc\\x7f\\x9b\\x00\\x0d"


def test_visible_line_escapes_newlines_too():
    assert visible_line("one\ntwo\tthree") == "one\\x0atwo\tthree"


def test_pictured_keeps_one_character_per_control_character():
    text = "a\x1bb\x7fc\x9bd\te\nf"
    shown = pictured(text)
    assert len(shown) == len(text)
    assert shown == "a\u241bb\u2421c\ufffdd\te\nf"


def test_visible_leaves_ordinary_text_and_backslashes_alone():
    text = "KVM: x86: Advertise CPUID[EAX=7,ECX=0] bits, \\n stays, 漢字 é"
    assert visible(text) == visible_line(text) == pictured(text) == text


def test_first_control_finds_the_first_unsafe_character():
    assert first_control("tab\tand\nnewline") == -1
    assert first_control("ab\x1bc") == 2
    assert first_control("ab\x85c") == 2


def test_json_safe_escapes_del_and_c1_and_keeps_the_value_exact():
    value = {"subject": f"a{CLEAR}{CSI8}\x7f"}
    encoded = json_safe(json.dumps(value, ensure_ascii=False))
    assert_no_raw_control(encoded)
    assert json.loads(encoded) == value


# -- check ------------------------------------------------------------------


def hostile_message(tmp_path: Path) -> Path:
    path = tmp_path / "msg"
    path.write_text(
        # Three sentences of background: body-what-first quotes the first.
        f"KVM: x86: {HOSTILE}\n\nBody\x1b[31m red.  KVM reads it.  KVM writes it.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n",
        encoding="utf-8",
    )
    return path


def test_check_text_output_escapes_control_characters(cli, tmp_path):
    result = cli("check", str(hostile_message(tmp_path)))
    assert result.returncode == 1
    assert_no_raw_control(result.stdout)
    assert "KVM: x86: Fixed the\\x1b[2J thing\\x1b]52;c;aGk=\\x07\\x9b31m." in result.stdout


def test_check_text_caret_points_at_the_escaped_column(cli, tmp_path):
    result = cli(
        "check", "--select", "subject-trailing-punctuation", str(hostile_message(tmp_path))
    )
    lines = result.stdout.splitlines()
    shown, caret = lines[1], lines[2]
    assert shown[caret.index("^")] == "."


def test_check_terse_output_escapes_control_characters(cli, tmp_path):
    result = cli("check", "--format", "terse", str(hostile_message(tmp_path)))
    assert result.returncode == 1
    assert_no_raw_control(result.stdout)
    assert "\\x1b[31m" in result.stdout


def test_check_json_keeps_the_exact_string(cli, tmp_path):
    result = cli("check", "--format", "json", str(hostile_message(tmp_path)))
    assert_no_raw_control(result.stdout)
    report = json.loads(result.stdout)["reports"][0]
    assert report["subject"] == f"KVM: x86: {HOSTILE}"


def test_check_error_about_a_hostile_file_name_is_escaped(cli, tmp_path):
    result = cli("check", str(tmp_path / f"missing{CLEAR}"))
    assert result.returncode == 2
    assert_no_raw_control(result.stderr)
    assert "missing\\x1b[2J" in result.stderr


def test_check_grammar_server_error_text_is_escaped(cli, tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from ltserver import LTServer

    server = LTServer("hostile").start()
    try:
        message = tmp_path / "msg"
        message.write_text("KVM: x86: Fix a errors\n\nFix a errors here.\n")
        result = cli(
            "check",
            "--select",
            "grammar",
            "--grammar-server",
            server.url,
            str(message),
            env={
                "LTP_PATH": str(tmp_path / "ltp"),
                "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
                "HOME": str(tmp_path / "home"),
            },
        )
    finally:
        server.stop()
    assert_no_raw_control(result.stderr)
    assert "\\x1b[2J" in result.stderr


# -- review -----------------------------------------------------------------


@pytest.fixture
def hostile_series(make_repo):
    repo = make_repo()
    (repo / "a.c").write_text("a\n")
    git(repo, "add", "a.c")
    git(repo, "commit", "-q", "-m", "Initial commit")
    git(repo, "tag", "base")
    (repo / "a.c").write_text("b\n")
    git(repo, "add", "a.c")
    git(
        repo,
        "commit",
        "-q",
        "-F",
        "-",
        input=f"KVM: x86: {HOSTILE}\n\n"
        f"Line one{CLEAR}.\n\nSigned-off-by: Ada Tester <ada@example.org>\n",
    )
    return repo


def test_review_text_output_escapes_subjects_and_lines(cli, hostile_series):
    result = cli("review", "base..HEAD", cwd=hostile_series)
    assert result.returncode == 1, result.stderr
    assert_no_raw_control(result.stdout)
    assert f"KVM: x86: {visible(HOSTILE)}" in result.stdout


def test_review_terse_and_json_output(cli, hostile_series):
    terse = cli("review", "--format", "terse", "base..HEAD", cwd=hostile_series)
    assert_no_raw_control(terse.stdout)
    result = cli("review", "--format", "json", "base..HEAD", cwd=hostile_series)
    assert_no_raw_control(result.stdout)
    subjects = [r["subject"] for r in json.loads(result.stdout)["reports"]]
    assert f"KVM: x86: {HOSTILE}" in subjects


def encoded_word(text: str) -> str:
    return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="


def test_review_patch_with_encoded_control_characters_forges_no_line(cli, tmp_path):
    subject = f"KVM: x86: Fix it{CLEAR}\nfake.patch:1: ERROR: forged"
    patch = tmp_path / "0001-fix.patch"
    patch.write_text(
        "From 1234567890123456789012345678901234567890 Mon Sep 17 00:00:00 2001\n"
        f"From: {encoded_word('Ada' + OSC52)} <ada@example.org>\n"
        "Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
        f"Subject: [PATCH] {encoded_word(subject)}\n\n"
        "Fix it.\n\nSigned-off-by: Ada Tester <ada@example.org>\n---\n",
        encoding="utf-8",
    )
    for fmt in ("text", "terse"):
        result = cli("review", "--format", fmt, str(patch), cwd=tmp_path)
        assert_no_raw_control(result.stdout)
        assert "subject-encoding" in result.stdout
        assert not any(line.startswith("fake.patch") for line in result.stdout.splitlines())
        if fmt == "text":
            assert "Fix it\\x1b[2J\\x0afake.patch:1: ERROR: forged" in result.stdout


# -- fixes ------------------------------------------------------------------


def test_fixes_candidates_show_a_hostile_subject_escaped(cli, make_repo):
    repo = make_repo()
    (repo / "a.c").write_text("one\ntwo\n")
    git(repo, "add", "a.c")
    git(repo, "commit", "-q", "-F", "-", input=f"KVM: x86: Add a{CLEAR}{OSC52}\n")
    (repo / "a.c").write_text("one\nTWO\n")
    git(repo, "add", "a.c")
    result = cli("fixes", "--staged", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert_no_raw_control(result.stdout)
    assert "Add a\\x1b[2J" in result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")
def test_hook_path_with_control_characters_is_escaped(cli, make_repo):
    repo = make_repo()
    hooks = repo / f"hooks{CLEAR}"
    git(repo, "config", "core.hooksPath", str(hooks))
    result = cli("hook", "install", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert_no_raw_control(result.stdout)
    assert "hooks\\x1b[2J" in result.stdout
