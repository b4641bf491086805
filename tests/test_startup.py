"""What ``kvmwriter check`` loads: only what one message needs.

A commit-msg hook runs ``check`` on every commit, so its start-up is
measured by what it imports and reads, in a fresh interpreter each time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CLEAN = "KVM: x86: Fix the reload of the PDPTRs\\n\\nReload them after the switch.\\n"


def loaded_after(argv: list[str], stdin: str = CLEAN, report: str = "", cwd: Path = ROOT) -> dict:
    """Run ``main(argv)`` in ``cwd`` in a fresh interpreter; return what it loaded."""
    code = (
        "import io, json, sys\n"
        f"sys.stdin = io.TextIOWrapper(io.BytesIO(b'{stdin}'))\n"
        "out = sys.stdout\n"
        "sys.stdout = io.StringIO()\n"
        "from kvmwriter.cli import main\n"
        f"code = main({argv!r})\n"
        "state = {'code': code, 'modules': sorted(sys.modules)}\n"
        f"{report}\n"
        "out.write(json.dumps(state))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_check_imports_only_its_own_command_module():
    state = loaded_after(["check", "--format", "json"])
    commands = {m for m in state["modules"] if m.startswith("kvmwriter.commands.")}
    assert commands <= {
        "kvmwriter.commands.check",
        "kvmwriter.commands.common",
        "kvmwriter.commands.grammar_options",
    }, commands


def test_help_still_lists_every_command():
    proc = subprocess.run(
        [sys.executable, "-m", "kvmwriter", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    from kvmwriter.cli import COMMANDS

    for name in COMMANDS:
        assert name in proc.stdout, name


def test_unknown_command_names_every_choice():
    proc = subprocess.run(
        [sys.executable, "-m", "kvmwriter", "chekc"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "invalid choice: 'chekc'" in proc.stderr and "'review'" in proc.stderr


NON_IMPERATIVE = "kvm: x86: Fixes the reload.\\n\\nThis patch fixes it, we think.\\n"


def test_check_with_mood_findings_never_imports_importlib_metadata():
    # The first run may build the verb table from lemminflect; every later
    # run (each commit's hook) must load the cached table alone.
    loaded_after(["check", "--format", "json"], stdin=NON_IMPERATIVE)
    state = loaded_after(["check", "--format", "json"], stdin=NON_IMPERATIVE)
    assert state["code"] == 1
    assert "lemminflect" not in state["modules"]
    assert "importlib.metadata" not in state["modules"]


def test_cache_keeps_one_file_per_table(tmp_path, monkeypatch):
    from kvmwriter.lint.cache import cache_dir, cached_table

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = cache_dir()
    folder.mkdir(parents=True)
    (folder / "verbs-0.2.2-2.marshal").write_bytes(b"stale")
    (folder / "spelling-1a2b-3c.marshal").write_bytes(b"other table")
    assert cached_table("verbs", "0.2.3-2", lambda: {"a": 1}) == {"a": 1}
    assert sorted(p.name for p in folder.iterdir()) == [
        "spelling-1a2b-3c.marshal",
        "verbs-0.2.3-2.marshal",
    ]
    assert cached_table("verbs", "0.2.3-2", lambda: {"rebuilt": 1}) == {"a": 1}


def test_spelling_and_verb_cache_keys_name_the_installed_versions():
    from importlib.metadata import version

    from kvmwriter.lint.mood import verb_cache_key
    from kvmwriter.lint.spelling import spelling_cache_key

    assert verb_cache_key().startswith(version("lemminflect") + "-")
    assert spelling_cache_key().startswith(version("codespell") + "-")


def test_clean_check_never_imports_the_toml_parser_once_cached():
    loaded_after(["check"])  # Fill the per-user cache first.
    state = loaded_after(["check", "--format", "json"])
    assert "tomllib" not in state["modules"] and "tomli" not in state["modules"]


def test_profile_cache_follows_the_profile_text(tmp_path, monkeypatch):
    from kvmwriter.lint.profile import load_profile

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "team.toml"
    path.write_text('extends = "kvm-x86"\nname = "team"\n[mood]\nverbs = ["plumb"]\n')
    assert load_profile(str(path)).mood.verbs == ("plumb",)
    path.write_text('extends = "kvm-x86"\nname = "team"\n[mood]\nverbs = ["snapshot"]\n')
    load_profile.cache_clear()
    assert load_profile(str(path)).mood.verbs == ("snapshot",)
    assert len(list((tmp_path / "cache" / "kvmwriter").glob("profile-team-*"))) == 1


def test_toml_with_a_date_parses_without_a_cache(tmp_path, monkeypatch):
    from kvmwriter.lint import tomlcompat

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = tomlcompat.loads_cached("reviewed = 2025-01-02\n", "profile-dated")
    assert str(data["reviewed"]) == "2025-01-02"


def fresh_modules(code: str, cwd: Path = ROOT) -> list[str]:
    """Run ``code`` in a fresh interpreter; return the modules it left loaded."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    proc = subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_apps_import_the_markdown_parser_only_when_help_opens():
    modules = fresh_modules("import kvmwriter.tui.drafting.app, kvmwriter.tui.cover.app")
    assert "textual.app" in modules
    assert "markdown_it" not in modules


def committed_repo(make_repo) -> Path:
    """A repository with one commit and one staged change."""
    from tests.conftest import git

    repo = make_repo("session")
    (repo / "arch" / "x86" / "kvm").mkdir(parents=True)
    (repo / "arch" / "x86" / "kvm" / "x86.c").write_text("int x;\n")
    git(repo, "add", "arch/x86/kvm/x86.c")
    git(repo, "commit", "-q", "-m", "KVM: x86: Add x86.c")
    (repo / "arch" / "x86" / "kvm" / "x86.c").write_text("int y;\n")
    git(repo, "add", "arch/x86/kvm/x86.c")
    return repo


def test_clean_check_in_a_repository_never_imports_gitpython(make_repo):
    state = loaded_after(["check", "--format", "json"], cwd=committed_repo(make_repo))
    assert state["code"] in (0, 1)
    assert "git" not in state["modules"]
    assert "kvmwriter.git.repo" not in state["modules"]


def test_review_of_a_range_reads_git_without_gitpython(make_repo):
    # Listing and reading commits is git output, not git objects: a review
    # with nothing to verify starts no faster with GitPython loaded.
    from tests.conftest import git

    repo = committed_repo(make_repo)
    message = (
        "KVM: x86: Use y\n\nUse y instead of x.\n\nSigned-off-by: Ada Tester <ada@example.org>"
    )
    git(repo, "commit", "-q", "-m", message)
    state = loaded_after(["review", "--format", "json", "HEAD~1..HEAD"], cwd=repo)
    assert state["code"] in (0, 1)
    assert "git" not in state["modules"]


FIXES = (
    "KVM: x86: Fix the reload of the PDPTRs\\n\\nReload them after the switch.\\n\\n"
    'Fixes: 0123456789ab (\\"KVM: x86: Nothing\\")\\n'
)


def test_check_verifies_a_fixes_tag_without_gitpython(make_repo):
    state = loaded_after(
        ["check", "--format", "json"],
        stdin=FIXES,
        cwd=committed_repo(make_repo),
        report="state['rules'] = [f['rule'] for r in json.loads(sys.stdout.getvalue())"
        "['reports'] for f in r['findings']]",
    )
    assert "fixes-commit-unknown" in state["rules"]
    # A plain git cat-file reads the commit: GitPython costs a hook 40 ms.
    assert "git" not in state["modules"]


def test_apps_and_session_open_without_gitpython(make_repo):
    repo = committed_repo(make_repo)
    imported = fresh_modules(
        "import kvmwriter.tui.drafting.app, kvmwriter.tui.cover.app, kvmwriter.compose.session"
    )
    assert "git" not in imported
    opened = fresh_modules(
        "from kvmwriter.compose.session import open_session\n"
        f"session = open_session({str(repo)!r})\n"
        "assert session.files == ['arch/x86/kvm/x86.c'], session.files\n"
    )
    assert "git" not in opened


#: No finding at all: nothing in it needs a fix, a close match or a security look.
SIGNED_CLEAN = (
    "KVM: x86: Reload the PDPTRs after a CR0 write\\n\\n"
    "Reload the PDPTRs after a CR0 write that toggles CR0.PG.\\n\\n"
    "Signed-off-by: Ada Tester <ada@example.org>\\n"
)


def test_clean_check_never_imports_the_fixers_nor_difflib():
    state = loaded_after(["check", "--format", "json"], stdin=SIGNED_CLEAN)
    assert state["code"] == 0
    for module in ("kvmwriter.lint.fixers", "kvmwriter.lint.autofix", "difflib"):
        assert module not in state["modules"], module


def test_clean_check_leaves_the_security_patterns_uncompiled():
    report = (
        "from kvmwriter.lint.rules import security\n"
        "from kvmwriter.text.lazyre import is_compiled\n"
        "state['compiled'] = [is_compiled(p) for p in "
        "(security._ESCAPE, security._HARM, security._GUEST_ACTS)]\n"
    )
    state = loaded_after(["check", "--format", "json"], stdin=SIGNED_CLEAN, report=report)
    assert state["code"] == 0
    assert state["compiled"] == [False, False, False]


def test_a_finding_with_a_fix_still_gets_its_fix():
    state = loaded_after(["check", "--format", "json"], stdin=NON_IMPERATIVE)
    assert state["code"] == 1
    assert "kvmwriter.lint.fixers" in state["modules"]


def test_hook_check_reads_the_staged_files_without_gitpython(make_repo):
    repo = committed_repo(make_repo)
    # The prefix alone would choose tip; the staged KVM file chooses kvm-x86.
    (repo / ".git" / "COMMIT_EDITMSG").write_text(
        "x86/mm: Reload the PDPTRs after a CR0 write\n\nReload them after the switch.\n"
    )
    state = loaded_after(
        ["check", "--format", "json", ".git/COMMIT_EDITMSG"],
        cwd=repo,
        report="state['profiles'] = [r['profile'] for r in "
        "json.loads(sys.stdout.getvalue())['reports']]",
    )
    assert state["profiles"] == ["kvm-x86"]
    assert "git" not in state["modules"]
    # Only GitPython's paths and streamed git commands need these.
    assert "tempfile" not in state["modules"] and "configparser" not in state["modules"]


def test_check_of_a_plain_message_never_imports_the_email_package():
    report = (
        "from kvmwriter.text import patchmail\n"
        "from kvmwriter.text.lazyre import is_compiled\n"
        "state['compiled'] = [is_compiled(p) for p in "
        "(patchmail._BASE_COMMIT, patchmail._IN_BODY_HEADER, patchmail._TAG)]\n"
    )
    state = loaded_after(["check", "--format", "json"], stdin=SIGNED_CLEAN, report=report)
    assert state["code"] == 0
    assert not [m for m in state["modules"] if m == "email" or m.startswith("email.")]
    assert state["compiled"] == [False, False, False]


def test_check_of_a_patch_email_still_decodes_its_headers():
    email = (
        "From: =?UTF-8?q?J=C3=B6rg_Tester?= <jorg@example.org>\\n"
        "Subject: [PATCH] KVM: x86: Reload the PDPTRs after a CR0 write\\n\\n"
        "Reload the PDPTRs after a CR0 write that toggles CR0.PG.\\n\\n"
        "Signed-off-by: Jorg Tester <jorg@example.org>\\n---\\n"
    )
    state = loaded_after(["check", "--format", "json"], stdin=email)
    assert "email.header" in state["modules"]


def test_check_never_imports_shutil():
    # argparse imports it to size help that a check never prints.
    state = loaded_after(["check", "--format", "json"], stdin=SIGNED_CLEAN)
    assert state["code"] == 0
    assert "shutil" not in state["modules"]


def test_help_still_fits_the_terminal_width():
    def widest(columns: str) -> int:
        proc = subprocess.run(
            [sys.executable, "-m", "kvmwriter", "check", "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": columns},
        )
        return max(map(len, proc.stdout.splitlines()))

    assert widest("60") <= 60 < 100 < widest("200")


def test_hook_check_asks_git_three_questions(make_repo, tmp_path):
    """Find the work tree, list the staged files, name the author: nothing more."""
    import shutil

    repo = committed_repo(make_repo)
    (repo / ".git" / "COMMIT_EDITMSG").write_text(SIGNED_CLEAN.replace("\\n", "\n"))
    shim = tmp_path / "bin"
    shim.mkdir()
    log = tmp_path / "git.log"
    (shim / "git").write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {shutil.which("git")} "$@"\n')
    (shim / "git").chmod(0o755)
    proc = subprocess.run(
        [sys.executable, "-m", "kvmwriter", "check", ".git/COMMIT_EDITMSG"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT),
        },
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    asked = log.read_text().splitlines()
    assert len(asked) == 3, asked
    assert asked[0].startswith("rev-parse ") and "--show-toplevel" in asked[0]
    assert asked[1].startswith("-c core.quotePath=false diff --cached --name-only")
    assert asked[2] == "var GIT_AUTHOR_IDENT"


#: Standard modules a check never needs, each a few milliseconds of every
#: commit-msg hook run: dataclasses (with inspect, ast, dis, tokenize),
#: pathlib (with urllib.parse, ipaddress, fnmatch) and typing (records
#: use kvmwriter.records' NamedTuple).
NEVER_ON_CHECK = ("dataclasses", "pathlib", "typing")


def test_clean_check_imports_no_heavy_standard_module():
    # A first run parses the profile with tomllib, which imports typing,
    # and caches it for every later run: measure a later one.
    loaded_after(["check"], stdin=SIGNED_CLEAN)
    state = loaded_after(["check", "--format", "json"], stdin=SIGNED_CLEAN)
    assert state["code"] == 0
    assert [m for m in NEVER_ON_CHECK if m in state["modules"]] == []


def test_hook_check_imports_no_heavy_standard_module(make_repo):
    repo = committed_repo(make_repo)
    (repo / ".git" / "COMMIT_EDITMSG").write_text(SIGNED_CLEAN.replace("\\n", "\n"))
    loaded_after(["check", ".git/COMMIT_EDITMSG"], cwd=repo)  # Fill the per-user cache.
    state = loaded_after(["check", "--format", "json", ".git/COMMIT_EDITMSG"], cwd=repo)
    assert state["code"] in (0, 1)
    assert [m for m in NEVER_ON_CHECK if m in state["modules"]] == []


def test_review_of_a_few_commits_imports_no_heavy_standard_module(make_repo):
    # A pre-push or CI review of a short range pays start-up as a check
    # does; tempfile (with shutil, random, bz2, lzma) is for long inputs.
    from tests.conftest import SIGNOFF, commit_file

    repo = committed_repo(make_repo)
    commit_file(repo, "y.c", "y\n", "KVM: x86: Add y\n\nAdd y.\n\n" + SIGNOFF)
    loaded_after(["review", "HEAD~1..HEAD"], cwd=repo)  # Fill the per-user cache.
    state = loaded_after(["review", "HEAD~1..HEAD"], cwd=repo)
    assert state["code"] in (0, 1)
    heavy = (*NEVER_ON_CHECK, "tempfile")
    assert [m for m in heavy if m in state["modules"]] == []
