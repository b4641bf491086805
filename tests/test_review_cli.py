"""kvmwriter review / topic / fixes through the real CLI on real repositories."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import commit_file as commit
from tests.conftest import git

SOB = "\n\nSigned-off-by: Ada Tester <ada@example.org>"


@pytest.fixture
def branch(make_repo, tmp_path):
    """A clone whose 'topic' branch tracks origin/main, two commits ahead."""
    origin = make_repo("origin")
    commit(origin, "arch/x86/kvm/vmx/nested.c", "a\nb\nc\n", "KVM: nVMX: Base" + SOB)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "config", "user.name", "Ada Tester")
    git(clone, "config", "user.email", "ada@example.org")
    git(clone, "checkout", "-q", "-b", "topic", "--track", "origin/main")
    good = commit(
        clone,
        "arch/x86/kvm/vmx/nested.c",
        "a\nB\nc\n",
        "KVM: nVMX: Rework the b line\n\nRework the b line." + SOB,
    )
    bad = commit(
        clone,
        "arch/x86/kvm/vmx/nested.c",
        "a\nB\nC\n",
        "KVM: SVM: Rework the c line\n\nRework the c line.\n\n"
        'Fixes: 0123456789ab ("KVM: x86: Nothing")\n' + SOB.strip("\n"),
    )
    return clone, good, bad


def test_review_defaults_to_upstream_range_and_groups_per_commit(cli, branch):
    clone, good, bad = branch
    result = cli("review", cwd=clone)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert f"{bad[:12]} KVM: SVM: Rework the c line" in lines
    assert good[:12] not in result.stdout  # Clean commits print nothing.
    assert "[subject-topic-mismatch]" in result.stdout
    assert "[fixes-commit-unknown]" in result.stdout
    assert "[series-tests-missing]" in result.stdout
    assert lines[-1] == "2 commits, 1 error, 2 warnings"


def test_review_json_has_one_report_per_commit_plus_the_series(cli, branch):
    clone, good, bad = branch
    result = cli("review", "--format", "json", "origin/main..HEAD", cwd=clone)
    data = json.loads(result.stdout)
    assert [r["source"] for r in data["reports"]] == [good, bad, "series"]
    assert data["reports"][0]["findings"] == []
    rules = {f["rule"] for f in data["reports"][1]["findings"]}
    assert rules == {"subject-topic-mismatch", "fixes-commit-unknown"}


def test_review_terse_and_fail_on(cli, branch):
    clone, _, bad = branch
    result = cli(
        "review",
        "--format",
        "terse",
        "--ignore",
        "fixes-commit-unknown",
        "origin/main..HEAD",
        cwd=clone,
    )
    assert result.returncode == 0
    assert result.stdout.startswith(f"{bad}:1: WARNING:")
    assert (
        cli(
            "review", "--fail-on", "warning", "--ignore", "fixes-commit-unknown", cwd=clone
        ).returncode
        == 1
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["nosuch..HEAD"], "bad range"),
        (["HEAD..HEAD"], "no commits in HEAD..HEAD"),
        (["a..b", "c..d"], "one revision range"),
    ],
)
def test_review_bad_ranges_are_one_line_errors(cli, branch, args, message):
    result = cli("review", *args, cwd=branch[0])
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_review_outside_a_repository_is_one_line(cli, tmp_path):
    result = cli("review", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("kvmwriter: not a git repository")


def test_review_without_upstream_or_on_a_detached_head_asks_for_a_range(cli, branch):
    clone = branch[0]
    git(clone, "checkout", "-q", "--detach")
    result = cli("review", cwd=clone)
    assert result.returncode == 2 and "HEAD is detached" in result.stderr
    git(clone, "checkout", "-q", "-b", "loose")
    assert "has no upstream" in cli("review", cwd=clone).stderr


def test_review_covers_a_root_commit_and_skips_merges(cli, make_repo):
    repo = make_repo()
    commit(repo, "arch/x86/kvm/x86.c", "a\n", "KVM: x86: Add the file\n\nAdd it." + SOB)
    git(repo, "checkout", "-q", "-b", "side")
    commit(repo, "arch/x86/kvm/lapic.c", "l\n", "KVM: x86: Add lapic\n\nAdd it." + SOB)
    git(repo, "checkout", "-q", "main")
    commit(repo, "arch/x86/kvm/x86.c", "b\n", "KVM: x86: Change the file\n\nChange it." + SOB)
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge branch 'side'", "side")
    result = cli("review", "--ignore", "series", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "3 commits, 0 errors, 0 warnings, 1 merge skipped"


def test_review_reads_patch_files_and_reports_the_series(cli, branch, tmp_path):
    clone = branch[0]
    git(
        clone,
        "format-patch",
        "-q",
        "--cover-letter",
        "-o",
        str(tmp_path / "out"),
        "origin/main..HEAD",
    )
    files = sorted(str(p) for p in (tmp_path / "out").iterdir())
    result = cli("review", "--format", "json", *files, cwd=clone)
    data = json.loads(result.stdout)
    assert [r["source"] for r in data["reports"]] == [*files, "series"]
    series = {f["rule"] for f in data["reports"][-1]["findings"]}
    assert series == {"series-base-missing", "series-tests-missing"}


def test_review_tui_without_the_tui_module_is_one_line(cli, branch):
    result = cli("review", "--tui", cwd=branch[0])
    if result.returncode == 2:
        assert result.stderr.startswith("kvmwriter: ") and "Traceback" not in result.stderr


def test_topic_prints_the_prefix_alone_on_the_first_line(cli, branch):
    clone = branch[0]
    (clone / "arch/x86/kvm/vmx/nested.c").write_text("changed\n")
    git(clone, "add", "-A")
    result = cli("topic", cwd=clone)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "KVM: nVMX:"
    assert cli("topic", "--staged", cwd=clone).stdout.splitlines()[0] == "KVM: nVMX:"
    data = json.loads(
        cli("topic", "--format", "json", "arch/x86/kvm/svm/nested.c", cwd=clone).stdout
    )
    assert data["suggestions"][0]["prefix"] == "KVM: nSVM:"
    assert cli("topic", "HEAD", cwd=clone).stdout.splitlines()[0] == "KVM: nVMX:"


def test_topic_on_paths_works_outside_a_repository(cli, tmp_path):
    result = cli("topic", "arch/x86/kvm/mmu/mmu.c", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == "KVM: x86/mmu:"


def test_topic_with_nothing_staged_is_one_line(cli, branch):
    result = cli("topic", cwd=branch[0])
    assert result.returncode == 2 and "nothing staged" in result.stderr


def test_fixes_prints_ready_trailers(cli, branch):
    clone, good, bad = branch
    result = cli("fixes", bad, cwd=clone)
    assert result.returncode == 0
    base = git(clone, "rev-parse", "origin/main").strip()
    assert result.stdout.splitlines()[0] == f'Fixes: {base[:12]} ("KVM: nVMX: Base")'
    (clone / "arch/x86/kvm/vmx/nested.c").write_text("a\nb2\nC\n")
    git(clone, "add", "-A")
    staged = cli("fixes", "--staged", "--format", "json", cwd=clone)
    assert json.loads(staged.stdout)["candidates"][0]["sha"] == good


def test_fixes_errors_are_one_line(cli, branch, tmp_path):
    assert cli("fixes", "nosuch", cwd=branch[0]).returncode == 2
    assert "nothing staged" in cli("fixes", cwd=branch[0]).stderr
    assert "not a git repository" in cli("fixes", "HEAD", cwd=tmp_path).stderr


def test_check_verifies_fixes_only_inside_a_repository(cli, branch, tmp_path):
    message = (
        'KVM: x86: Fix it\n\nFix it.\n\nFixes: 0123456789ab ("KVM: x86: Nothing")\n'
        + SOB.strip("\n")
        + "\n"
    )
    assert "fixes-commit-unknown" in cli("check", input=message, cwd=branch[0]).stdout
    outside = cli("check", input=message, cwd=tmp_path)
    assert "fixes-commit-unknown" not in outside.stdout
    chosen = cli("check", "--repo", str(branch[0]), input=message, cwd=tmp_path)
    assert "fixes-commit-unknown" in chosen.stdout
    assert cli("check", "--repo", str(tmp_path), input=message).returncode == 2


def test_review_reads_b4_am_output_with_its_cover(cli, branch, tmp_path):
    import re
    import shutil
    import subprocess

    if shutil.which("b4") is None:
        pytest.skip("b4 not installed")
    clone = branch[0]
    out = tmp_path / "fp"
    git(
        clone,
        "format-patch",
        "-q",
        "--thread",
        "--cover-letter",
        "--base=origin/main",
        "-o",
        str(out),
        "origin/main..HEAD",
    )
    patches = sorted(out.iterdir())
    mbox = tmp_path / "all.mbox"
    mbox.write_text("".join(p.read_text() for p in patches))
    msgid = re.search(
        r"^Message-ID: <([^>]+)>", patches[0].read_text(), re.MULTILINE | re.IGNORECASE
    ).group(1)
    am = tmp_path / "am"
    subprocess.run(
        ["b4", "--offline-mode", "am", "-m", str(mbox), "-o", str(am), msgid],
        cwd=clone,
        capture_output=True,
        check=True,
        timeout=60,
    )
    cover = next(am.glob("*.cover"))
    series = next(am.glob("*.mbx"))
    result = cli("review", "--format", "json", str(cover), str(series), cwd=clone)
    data = json.loads(result.stdout)
    assert [r["source"] for r in data["reports"]] == [
        str(cover),
        f"{series}#1",
        f"{series}#2",
        "series",
    ]
    assert data["reports"][2]["subject"] == "KVM: SVM: Rework the c line"
    series_rules = {f["rule"] for f in data["reports"][-1]["findings"]}
    assert "series-base-missing" not in series_rules


def test_review_survives_a_non_utf8_commit_message(cli, make_repo, tmp_path):
    repo = make_repo()
    commit(repo, "arch/x86/kvm/x86.c", "a\n", "KVM: x86: Base" + SOB)
    message = tmp_path / "msg"
    message.write_bytes(
        b"KVM: x86: Caf\xe9 bytes\n\nBody \xff here.\n\n"
        b"Signed-off-by: Ada Tester <ada@example.org>\n"
    )
    (repo / "arch/x86/kvm/x86.c").write_text("b\n")
    git(repo, "add", "-A")
    git(repo, "-c", "i18n.commitEncoding=binary", "commit", "-q", "-F", str(message))
    result = cli("review", "HEAD~1..HEAD", cwd=repo)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 commit, ")


@pytest.fixture
def long_branch(make_repo):
    """Forty commits with findings of every kind, a merge and a real Fixes: tag."""
    repo = make_repo("long")
    base = commit(repo, "arch/x86/kvm/x86.c", "0\n", "KVM: x86: Base" + SOB)
    first = None
    subjects = [
        "KVM: x86: Fix the reload of the PDPTRs",
        "kvm: x86: fixes the reload",
        "KVM: SVM: Rework the c line",
        "KVM: selftests: Add a test",
        "KVM: x86: This patch adds teh check",
    ]
    for index in range(40):
        body = f"\n\nDo change number {index}; we think it helps." + SOB
        if index == 7:
            body += f'\nFixes: {first[:12]} ("{subjects[0]}")'
        if index == 9:
            body += '\nFixes: 0123456789ab ("KVM: x86: Nothing")'
        path = "tools/testing/selftests/kvm/x.c" if index % 5 == 3 else "arch/x86/kvm/x86.c"
        sha = commit(repo, path, f"change {index}\n", subjects[index % len(subjects)] + body)
        first = first or sha
        if index == 20:
            git(repo, "checkout", "-q", "-b", "side", "HEAD~1")
            commit(repo, "arch/x86/kvm/mmu.c", "side\n", "KVM: x86/mmu: Side" + SOB)
            git(repo, "checkout", "-q", "-")
            git(repo, "merge", "-q", "--no-edit", "side")
    return repo, base


@pytest.mark.parametrize("form", ["json", "text", "terse"])
def test_review_on_several_processes_prints_what_one_process_prints(cli, long_branch, form):
    repo, base = long_branch
    serial = cli("review", "--jobs", "1", "--format", form, f"{base}..HEAD", cwd=repo)
    parallel = cli("review", "--jobs", "3", "--format", form, f"{base}..HEAD", cwd=repo)
    assert serial.returncode == 1, serial.stderr
    assert (parallel.returncode, parallel.stdout, parallel.stderr) == (
        serial.returncode,
        serial.stdout,
        serial.stderr,
    )
    if form == "text":
        assert serial.stdout.splitlines()[-1].endswith("1 merge skipped")


def test_review_on_several_processes_keeps_the_series_facts(long_branch, monkeypatch):
    from kvmwriter.git.repo import Repository
    from kvmwriter.lint.engine import Linter
    from kvmwriter.lint.findings import Severity
    from kvmwriter.review import parallel
    from kvmwriter.review.output import ReviewOutput
    from kvmwriter.review.series import SeriesReview, iter_range

    repo_path, base = long_branch
    repo = Repository.discover(repo_path)
    linter = Linter.from_config()
    serial = SeriesReview(linter, repo)
    serial_output = ReviewOutput("text", Severity.WARNING)
    serial_text = ""
    for item in iter_range(repo, f"{base}..HEAD", diffs=False):
        report = serial.check_item(item)
        if report is not None:
            serial_text += serial_output.render(report, item.text)
    monkeypatch.setattr(parallel, "BATCH", 3)
    split = SeriesReview(linter, repo)
    split_output = ReviewOutput("text", Severity.WARNING)
    listing = repo.list_range(f"{base}..HEAD")
    texts = list(
        parallel.parallel_review(split, split_output, jobs=2, ids=listing, close_fds=listing.fds())
    )
    assert split.facts == serial.facts and split.merges == serial.merges == 1
    assert "".join(texts) == serial_text and len(texts) > 2
    assert vars(split_output) == vars(serial_output)


def test_review_rejects_zero_jobs(cli, long_branch):
    repo, base = long_branch
    result = cli("review", "--jobs", "0", f"{base}..HEAD", cwd=repo)
    assert result.returncode == 2 and "--jobs must be 1 or more" in result.stderr


EXIT_CHECK = """
import atexit, gc, sys
atexit.register(lambda: print(gc.get_freeze_count() > 0, file=sys.stderr))
sys.argv = ["kvmwriter", "review", "--format", "terse", "HEAD"]
import runpy
runpy.run_module("kvmwriter", run_name="__main__")
"""


def test_the_program_exits_without_a_last_walk_over_the_heap(make_repo):
    # gc.freeze() before exit: the interpreter's final collection then
    # skips every object still alive (tens of thousands after a review).
    repo = make_repo()
    commit(repo, "x.c", "x\n", "KVM: x86: Add x")
    result = subprocess.run(
        [sys.executable, "-c", EXIT_CHECK], cwd=repo, capture_output=True, text=True
    )
    assert result.returncode in (0, 1), result.stderr
    assert result.stderr == "True\n"
