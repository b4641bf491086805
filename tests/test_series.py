"""Loading series from patch files, mboxes (b4 am style) and ranges; series facts."""

from __future__ import annotations

import pytest

from kvmwriter.git.repo import Repository
from kvmwriter.lint.engine import Linter
from kvmwriter.review.series import (
    SeriesError,
    SeriesReview,
    iter_range,
    load_patch_files,
    split_mbox,
)
from tests.conftest import commit_file as commit
from tests.conftest import git

SOB = "\n\nSigned-off-by: Ada Tester <ada@example.org>"


@pytest.fixture
def series_repo(make_repo):
    repo = make_repo()
    commit(repo, "arch/x86/kvm/x86.c", "int a;\n", "KVM: x86: Base" + SOB)
    git(repo, "checkout", "-q", "-b", "topic")
    commit(repo, "arch/x86/kvm/x86.c", "int a;\nint b;\n", "KVM: x86: Add b\n\nAdd b." + SOB)
    commit(
        repo,
        "tools/testing/selftests/kvm/x86/b_test.c",
        "int t;\n",
        "KVM: selftests: Test b\n\nTest b." + SOB,
    )
    return repo


def format_patch(repo, out, *extra):
    git(repo, "format-patch", "-q", "-o", str(out), *extra, "main..topic")
    return sorted(out.iterdir())


def test_load_patch_files_reads_format_patch_output_with_cover(series_repo, tmp_path):
    files = format_patch(series_repo, tmp_path / "out", "--cover-letter", "--base=main")
    items = load_patch_files(list(reversed(files)))
    assert [i.is_cover for i in items] == [True, False, False]
    assert items[1].subject == "KVM: x86: Add b"
    assert items[1].files == ("arch/x86/kvm/x86.c",)
    assert items[0].base_commit == git(series_repo, "rev-parse", "main").strip()
    assert items[2].author == "Ada Tester <ada@example.org>"
    assert (
        items[1].diff_first_line
        and "diff --git" in items[1].text.splitlines()[items[1].diff_first_line - 1]
    )


def test_split_mbox_reads_b4_style_separators(series_repo, tmp_path):
    files = format_patch(series_repo, tmp_path / "out")
    text = "".join(
        f.read_text().replace(
            f.read_text().splitlines()[0], "From git@z Thu Jan  1 00:00:00 1970", 1
        )
        for f in files
    )
    assert len(split_mbox(text)) == 2
    mbox = tmp_path / "series.mbx"
    mbox.write_text(text)
    items = load_patch_files([mbox])
    assert [i.source for i in items] == [f"{mbox}#1", f"{mbox}#2"]
    assert [i.subject for i in items] == ["KVM: x86: Add b", "KVM: selftests: Test b"]


def test_a_truncated_mbox_is_one_clear_error(series_repo, tmp_path):
    files = format_patch(series_repo, tmp_path / "out")
    separator = "From " + "0" * 40 + " Mon Sep 17 00:00:00 2001\n"
    text = files[0].read_text() + separator + "Fro"
    mbox = tmp_path / "cut.mbox"
    mbox.write_text(text)
    with pytest.raises(SeriesError, match="message 2 is truncated"):
        load_patch_files([mbox])


def test_a_mbox_cut_inside_the_diff_still_loads(series_repo, tmp_path):
    files = format_patch(series_repo, tmp_path / "out")
    text = files[0].read_text()
    cut = tmp_path / "cut.patch"
    cut.write_text(text[: text.index("+int b;")])
    assert load_patch_files([cut])[0].subject == "KVM: x86: Add b"


def test_binary_patches_load_with_their_files(make_repo, tmp_path):
    repo = make_repo()
    commit(repo, "a.c", "a\n", "KVM: x86: Base")
    git(repo, "checkout", "-q", "-b", "topic")
    (repo / "blob.bin").write_bytes(bytes(range(256)))
    git(repo, "add", "blob.bin")
    git(repo, "commit", "-q", "-m", "KVM: x86: Add a blob")
    files = format_patch(repo, tmp_path / "out", "--binary")
    assert load_patch_files(files)[0].files == ("blob.bin",)


def test_load_patch_files_rejects_missing_and_non_patch_files(tmp_path):
    with pytest.raises(SeriesError, match="no such file"):
        load_patch_files([tmp_path / "nope.patch"])
    plain = tmp_path / "plain.txt"
    plain.write_text("just text\n")
    with pytest.raises(SeriesError, match="not a patch email"):
        load_patch_files([plain])


def test_iter_range_streams_commits_with_files_and_author(series_repo):
    repo = Repository.discover(series_repo)
    items = list(iter_range(repo, "main..topic", diffs=True))
    assert [i.subject for i in items] == ["KVM: x86: Add b", "KVM: selftests: Test b"]
    assert items[0].sha == items[0].source and len(items[0].sha) == 40
    assert "+int b;" in items[0].diff


def run_review(items, from_files=False, repo=None):
    review = SeriesReview(Linter.from_config(select=["series"]), repo, from_files=from_files)
    reports = [review.check_item(item) for item in items]
    return reports, review.finish()


def test_series_with_selftests_needs_no_tests_warning(series_repo):
    repo = Repository.discover(series_repo)
    _, series = run_review(iter_range(repo, "main..topic", diffs=False))
    assert series.source == "series" and series.findings == []


def test_series_tests_missing_flags_a_feature_without_selftests(series_repo):
    repo = Repository.discover(series_repo)
    _, series = run_review(iter_range(repo, "main..topic~1", diffs=False))
    assert [f.rule for f in series.findings] == ["series-tests-missing"]
    assert "KVM: x86: Add b" in series.findings[0].message


def test_series_tests_missing_spares_refactors_and_rfc(make_repo, tmp_path):
    repo = make_repo()
    commit(repo, "arch/x86/kvm/x86.c", "a\n", "KVM: x86: Base")
    git(repo, "checkout", "-q", "-b", "topic")
    commit(repo, "arch/x86/kvm/x86.c", "b\n", "KVM: x86: Rename a to b")
    r = Repository.discover(repo)
    assert run_review(iter_range(r, "main..topic", diffs=False))[1].findings == []
    commit(repo, "arch/x86/kvm/x86.c", "c\n", "KVM: x86: Add c")
    plain = format_patch(repo, tmp_path / "plain", "--base=main")
    assert [f.rule for f in run_review(load_patch_files(plain), True)[1].findings] == [
        "series-tests-missing"
    ]
    rfc = format_patch(repo, tmp_path / "rfc", "--rfc", "--base=main")
    assert run_review(load_patch_files(rfc), from_files=True)[1].findings == []


def test_series_mixed_trees_flags_kvm_unit_tests_in_a_kernel_series(series_repo, tmp_path):
    files = format_patch(series_repo, tmp_path / "out", "--base=main")
    unit = tmp_path / "out" / "0003-unit.patch"
    unit.write_text(
        files[0]
        .read_text()
        .replace("[PATCH 1/2] KVM: x86: Add b", "[kvm-unit-tests PATCH 3/3] x86: Test b")
        .replace("arch/x86/kvm/x86.c", "x86/b.c")
    )
    _, series = run_review(load_patch_files([*files, unit]), from_files=True)
    assert [f.rule for f in series.findings] == ["series-mixed-trees"]


def test_series_base_missing_flags_patch_files_without_base(series_repo, tmp_path):
    without = format_patch(series_repo, tmp_path / "plain")
    _, series = run_review(load_patch_files(without), from_files=True)
    assert [f.rule for f in series.findings] == ["series-base-missing"]
    with_base = format_patch(series_repo, tmp_path / "based", "--base=main")
    assert run_review(load_patch_files(with_base), from_files=True)[1].findings == []


def test_series_base_missing_warns_about_a_linux_next_base(series_repo, tmp_path):
    git(series_repo, "tag", "next-20260101", "main")
    files = format_patch(series_repo, tmp_path / "out", "--base=main")
    repo = Repository.discover(series_repo)
    _, series = run_review(load_patch_files(files), from_files=True, repo=repo)
    assert [f.rule for f in series.findings] == ["series-base-missing"]
    assert "next-20260101" in series.findings[0].message


def test_series_base_missing_accepts_a_kvm_x86_next_base(series_repo, tmp_path):
    # "Everything else should be based on kvm-x86/next" (Base Tree/Branch).
    git(series_repo, "update-ref", "refs/remotes/kvm-x86/next", "main")
    files = format_patch(series_repo, tmp_path / "out", "--base=main")
    repo = Repository.discover(series_repo)
    _, series = run_review(load_patch_files(files), from_files=True, repo=repo)
    assert series.findings == []


def test_series_base_missing_warns_about_a_multi_arch_series_on_next(series_repo, tmp_path):
    git(series_repo, "checkout", "-q", "topic")
    commit(series_repo, "arch/arm64/kvm/arm.c", "int c;\n", "KVM: arm64: Add c\n\nAdd c." + SOB)
    git(series_repo, "update-ref", "refs/remotes/kvm-x86/next", "main")
    files = format_patch(series_repo, tmp_path / "out", "--base=main")
    repo = Repository.discover(series_repo)
    _, series = run_review(load_patch_files(files), from_files=True, repo=repo)
    assert [(f.rule, f.severity.label) for f in series.findings] == [
        ("series-base-missing", "warning")
    ]
    assert "other architectures' KVM code" in series.findings[0].message
    assert "kvm-x86/next" in series.findings[0].message
    # A release tag holding the base makes it a stable point.
    git(series_repo, "tag", "v6.18-rc3", "main")
    _, series = run_review(load_patch_files(files), from_files=True, repo=repo)
    assert series.findings == []


def test_series_base_on_next_with_common_kvm_code_is_info(series_repo, tmp_path):
    git(series_repo, "checkout", "-q", "topic")
    commit(series_repo, "virt/kvm/kvm_main.c", "int c;\n", "KVM: Add c\n\nAdd c." + SOB)
    git(series_repo, "update-ref", "refs/remotes/kvm-x86/next", "main")
    files = format_patch(series_repo, tmp_path / "out", "--base=main")
    repo = Repository.discover(series_repo)
    _, series = run_review(load_patch_files(files), from_files=True, repo=repo)
    assert [(f.rule, f.severity.label) for f in series.findings] == [
        ("series-base-missing", "info")
    ]


V1_COVER = "<20260101000000.1234-1-ada@example.org>"


def review_rules(cli, files, cwd):
    """The rules of the series report of ``kvmwriter review FILES --format json``."""
    import json

    result = cli("review", "--format", "json", *map(str, files), cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    reports = json.loads(result.stdout)["reports"]
    series = [r for r in reports if r["source"] == "series"]
    return series[0]["findings"]


def test_series_in_reply_to_flags_a_v2_threaded_to_v1(cli, series_repo, tmp_path):
    files = format_patch(
        series_repo,
        tmp_path / "out",
        "-v2",
        "--cover-letter",
        "--thread",
        "--base=main",
        f"--in-reply-to={V1_COVER}",
    )
    found = [f for f in review_rules(cli, files, tmp_path) if f["rule"] == "series-in-reply-to"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert V1_COVER in found[0]["message"] and "cover-letter" in found[0]["message"]


def test_series_in_reply_to_reads_an_mbox(cli, series_repo, tmp_path):
    files = format_patch(
        series_repo, tmp_path / "out", "-v3", "--thread", f"--in-reply-to={V1_COVER}"
    )
    mbox = tmp_path / "v3.mbx"
    mbox.write_text("".join(f.read_text() for f in files))
    result = cli("review", str(mbox), cwd=tmp_path)
    assert "[series-in-reply-to]" in result.stdout, result.stdout
    assert "v3 is threaded to" in result.stdout


@pytest.mark.parametrize(
    "options",
    [
        # A new version in a thread of its own: the patches reply to its cover.
        ("-v2", "--cover-letter", "--thread"),
        ("-v2", "--thread=deep"),
        # A first version may answer the discussion that asked for it.
        ("--cover-letter", "--thread", f"--in-reply-to={V1_COVER}"),
    ],
)
def test_series_in_reply_to_accepts_own_threads_and_first_versions(
    cli, series_repo, tmp_path, options
):
    files = format_patch(series_repo, tmp_path / "out", "--base=main", *options)
    assert "series-in-reply-to" not in {f["rule"] for f in review_rules(cli, files, tmp_path)}
