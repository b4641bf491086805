"""End to end with the real b4: prep, --edit-cover with kvmwriter as the editor, --check.

b4 runs offline here: every command used (prep -n, --edit-cover, --check,
send -o --no-sign) works on the local repository, HOME and the caches are
temp dirs, and proxies point at a closed local port so an unexpected
network call fails instead of leaving the machine.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, git

pytestmark = pytest.mark.skipif(
    shutil.which("b4") is None, reason="b4 is not installed (pip install b4)"
)

KVMWRITER = f"{shlex.quote(sys.executable)} -m kvmwriter"

WRITTEN = """\
KVM: x86: Advertise AVX-VNNI-INT16 to userspace

Advertise AVX-VNNI-INT16 via KVM_GET_SUPPORTED_CPUID; the instructions
need no enabling beyond the CPUID bit.

Tested on Intel (Sierra Forest) with KVM selftests and kvm-unit-tests.
"""


@pytest.fixture
def b4_env(tmp_path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ)
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DATA_HOME": str(home / ".local"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
            "http_proxy": "http://127.0.0.1:9",
            "https_proxy": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "NO_COLOR": "1",
        }
    )
    env.pop("GIT_EDITOR", None)
    return env


def b4(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["b4", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def prep_repo(make_repo, b4_env) -> Path:
    """A repository with a b4 prep branch 'avx' on top of main."""
    repo = make_repo()
    (repo / "cpuid.c").write_text("int cpuid;\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Initial import")
    proc = b4(repo, b4_env, "prep", "-n", "avx", "-f", "main")
    assert proc.returncode == 0, proc.stderr
    return repo


def cover_commit_message(repo: Path) -> str:
    sha = git(repo, "rev-list", "--max-parents=1", "--reverse", "main..HEAD").split()[0]
    return git(repo, "log", "-1", "--format=%B", sha)


def test_b4_prep_check_reports_kvmwriter_findings(prep_repo, b4_env):
    (prep_repo / "cpuid.c").write_text("int cpuid;\nint avx;\n")
    git(
        prep_repo,
        "commit",
        "-q",
        "-am",
        "kvm: x86: advertised AVX-VNNI-INT16.\n\n"
        "Advertise it.\n\nSigned-off-by: Ada Tester <ada@example.org>",
    )
    git(prep_repo, "config", "b4.prep-perpatch-check-cmd", f"{KVMWRITER} check --format terse")
    proc = b4(prep_repo, b4_env, "prep", "--check")
    output = proc.stdout + proc.stderr
    assert "kvm: x86: advertised AVX-VNNI-INT16." in output
    assert "ERROR: 'kvm' must be spelled 'KVM' [subject-topic-case]" in output
    assert "[subject-mood]" in output
    assert "[subject-trailing-punctuation]" in output
    # b4 counts every line with ERROR: as a failure.
    assert re.search(r"Success: 0, Warning: [1-9]\d*, Error: [1-9]", output), output


def test_b4_edit_cover_with_kvmwriter_editor_keeps_b4_lines(prep_repo, b4_env, tmp_path):
    before = cover_commit_message(prep_repo)
    written = tmp_path / "cover.txt"
    written.write_text(WRITTEN)
    git(
        prep_repo,
        "config",
        "core.editor",
        f"{KVMWRITER} cover --message {shlex.quote(str(written))} --fill",
    )
    proc = b4(prep_repo, b4_env, "prep", "--edit-cover")
    assert proc.returncode == 0, proc.stderr
    assert "Cover letter updated." in proc.stdout + proc.stderr
    after = cover_commit_message(prep_repo)
    assert after.startswith(WRITTEN + "\n# Describe the purpose of this series.")
    # b4's own lines are all still there, in order: help comments,
    # Signed-off-by and the tracking section with its change-id.
    b4_lines = [line for line in before.splitlines()[1:] if line.strip()]
    kept = [line for line in after.splitlines() if line in b4_lines]
    assert kept == b4_lines
    assert "--- b4-submit-tracking ---" in after


def test_b4_cover_from_kvmwriter_passes_cover_rules(prep_repo, b4_env, tmp_path):
    (prep_repo / "cpuid.c").write_text("int cpuid;\nint avx;\n")
    git(
        prep_repo,
        "commit",
        "-q",
        "-am",
        "KVM: x86: Advertise AVX-VNNI-INT16\n\nAdvertise it.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>",
    )
    (prep_repo / "cpuid.c").write_text("int cpuid;\nint avx;\nint test;\n")
    git(
        prep_repo,
        "commit",
        "-q",
        "-am",
        "KVM: selftests: Test AVX-VNNI-INT16\n\nTest it.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>",
    )
    written = tmp_path / "cover.txt"
    written.write_text(WRITTEN)
    env = dict(b4_env, GIT_EDITOR=f"{KVMWRITER} cover --message {written} --fill")
    assert b4(prep_repo, env, "prep", "--edit-cover").returncode == 0
    out = tmp_path / "out"
    proc = b4(prep_repo, b4_env, "send", "-o", str(out), "--no-sign")
    assert proc.returncode == 0, proc.stderr
    [cover] = out.glob("0000-*")
    mail = email.message_from_bytes(cover.read_bytes(), policy=email.policy.default)
    assert mail["Subject"] == "[PATCH 0/2] KVM: x86: Advertise AVX-VNNI-INT16 to userspace"
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "kvmwriter",
            "check",
            "--select",
            "cover",
            "--format",
            "terse",
            str(cover),
        ],
        env=b4_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0 and check.stdout == "", check.stdout + check.stderr


def test_b4_edit_cover_prefills_skeleton_without_message(prep_repo, b4_env):
    env = dict(b4_env, GIT_EDITOR=f"{KVMWRITER} cover --fill")
    proc = b4(prep_repo, env, "prep", "--edit-cover")
    assert proc.returncode == 0, proc.stderr
    after = cover_commit_message(prep_repo)
    assert after.startswith("KVM: x86: *** SUBJECT HERE ***\n\n<What the series does")
    assert "- [ ] KVM selftests pass (required)" in after
    assert "Signed-off-by: Ada Tester <ada@example.org>" in after
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "kvmwriter",
            "check",
            "--cover",
            "--select",
            "cover",
            "--format",
            "terse",
            "-",
        ],
        input=after,
        env=b4_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "[cover-testing-missing]" in check.stdout


def test_b4_edit_cover_replaces_skeleton_with_written_cover(prep_repo, b4_env, tmp_path):
    env = dict(b4_env, GIT_EDITOR=f"{KVMWRITER} cover --fill")
    assert b4(prep_repo, env, "prep", "--edit-cover").returncode == 0
    written = tmp_path / "cover.txt"
    written.write_text(WRITTEN)
    env = dict(b4_env, GIT_EDITOR=f"{KVMWRITER} cover --message {written} --fill")
    assert b4(prep_repo, env, "prep", "--edit-cover").returncode == 0
    after = cover_commit_message(prep_repo)
    assert after.startswith(WRITTEN)
    assert "<What the series does" not in after and "[ ]" not in after
    assert after.count("Signed-off-by: Ada Tester <ada@example.org>") == 1


APPEND_B4_CHANGELOG = (
    "import sys, string, b4.ez; p = sys.argv[1]; t = open(p).read().rstrip('\\n'); "
    "log = string.Template(b4.ez.DEFAULT_CHANGELOG_TEMPLATE.lstrip()).safe_substitute("
    "oldrev=1, newrev=2, "
    "oldrev_link='https://patch.msgid.link/20250101-avx-v1-0-1@example.org'); "
    "open(p, 'w').write(t + '\\n\\n---\\n' + log)"
)

EDIT_SESSION_WRITE = (
    "import sys; from pathlib import Path; from kvmwriter.compose.session import edit_session; "
    "edit_session(Path(sys.argv[1])).write_edit_file()"
)


def test_b4_cover_round_trip_through_kvmwriter_edit_keeps_b4_lines(prep_repo, b4_env):
    pytest.importorskip("kvmwriter.compose.session", reason="kvmwriter edit is not merged")
    # The "Changes in v2" section as b4's reroll writes it, from b4's template.
    env = dict(
        b4_env, GIT_EDITOR=f"{shlex.quote(sys.executable)} -c {shlex.quote(APPEND_B4_CHANGELOG)}"
    )
    assert b4(prep_repo, env, "prep", "--edit-cover").returncode == 0
    before = cover_commit_message(prep_repo)
    assert "Changes in v2:\n- EDITME: describe" in before
    # What 'kvmwriter edit' writes back when the author saves: its session
    # on the file b4 hands to the editor.
    env = dict(
        b4_env, GIT_EDITOR=f"{shlex.quote(sys.executable)} -c {shlex.quote(EDIT_SESSION_WRITE)}"
    )
    proc = b4(prep_repo, env, "prep", "--edit-cover")
    assert proc.returncode == 0, proc.stderr
    after = cover_commit_message(prep_repo)
    # b4 drops "#" lines itself when it sends; every other line must stay.
    kept = [line for line in before.splitlines() if not line.startswith("#") and line.strip()]
    assert [
        line for line in after.splitlines() if line.strip() and not line.startswith("#")
    ] == kept


RECORD_PATH = "import os, sys; open(os.environ['KW_RECORD'], 'w').write(sys.argv[1])"


def test_b4_edit_cover_path_is_recognised(prep_repo, b4_env, tmp_path):
    from kvmwriter.compose.cover import is_b4_cover_path

    record = tmp_path / "path.txt"
    env = dict(
        b4_env,
        KW_RECORD=str(record),
        GIT_EDITOR=f"{shlex.quote(sys.executable)} -c {shlex.quote(RECORD_PATH)}",
    )
    assert b4(prep_repo, env, "prep", "--edit-cover").returncode == 0
    assert is_b4_cover_path(record.read_text())
    assert not is_b4_cover_path(prep_repo / ".git" / "COMMIT_EDITMSG")
