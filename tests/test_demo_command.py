"""kvmwriter demo: one demo repository per user, rebuilt on every run."""

from __future__ import annotations

from tests.conftest import git


def test_demo_reuses_one_directory_instead_of_piling_up_temp_dirs(cli, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    first = cli("demo", "--build-only", env=env)
    assert first.returncode == 0, first.stderr
    path = first.stdout.strip()
    assert path == str(tmp_path / "cache" / "kvmwriter" / "demo" / "linux")
    (tmp_path / "cache" / "kvmwriter" / "demo" / "linux" / "scratch.txt").write_text("x")
    second = cli("demo", "--build-only", env=env)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == path
    assert "scratch.txt" not in git(path, "status", "--porcelain")
    assert git(path, "diff", "--cached", "--name-only").strip()  # the staged change
    assert list((tmp_path / "tmp").iterdir()) == []


def test_demo_into_a_non_empty_directory_fails_with_one_line(cli, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("mine")
    result = cli("demo", "--build-only", "--dir", str(tmp_path / "taken"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "taken" / "file").read_text() == "mine"
