"""The cover draft's stored form: what the author typed, nothing from git."""

from __future__ import annotations

from kvmwriter.compose.cover import CoverDraft, cover_draft_store
from kvmwriter.compose.draft_store import DraftStore
from tests.conftest import git


def test_cover_draft_json_round_trips_typed_fields_only():
    draft = CoverDraft(
        version=3,
        rfc=True,
        total=5,
        prefix="KVM: SVM:",
        summary="Fix VMLOAD",
        what="What.",
        background="Why.",
        testing_done={"selftests"},
        testing_notes="No AMD box.",
        changes="- Rebase",
        previous=[(1, "https://lore.kernel.org/all/a"), (2, "https://lore.kernel.org/all/b")],
        shortlog="Ada Tester (5):",
        base_commit="abc123",
    )
    data = draft.to_json()
    assert "shortlog" not in data and "base_commit" not in data and "total" not in data
    fresh = CoverDraft(total=7, shortlog="new shortlog")
    fresh.apply_json(data)
    assert fresh.to_json() == data
    assert (fresh.total, fresh.shortlog) == (7, "new shortlog")


def test_cover_draft_apply_json_skips_mistyped_values():
    draft = CoverDraft(version=2, summary="Kept")
    draft.apply_json(
        {
            "version": "9",
            "rfc": "yes",
            "summary": 42,
            "what": "Taken",
            "testing_done": "selftests",
            "previous": [[1, "https://lore.kernel.org/all/a"], ["x", 3], "bad"],
        }
    )
    assert (draft.version, draft.rfc, draft.summary, draft.what) == (2, False, "Kept", "Taken")
    assert draft.testing_done == set()
    assert draft.previous == [(1, "https://lore.kernel.org/all/a")]


def test_cover_draft_with_only_generated_parts_is_empty():
    assert CoverDraft(version=2, shortlog="Ada Tester (2):", base_commit="abc").is_empty
    assert not CoverDraft(testing_done={"selftests"}).is_empty


def test_cover_draft_store_is_keyed_apart_from_the_commit_draft(make_repo):
    repo = make_repo()
    git(repo, "commit", "-q", "--allow-empty", "-m", "Initial")
    git(repo, "checkout", "-q", "-b", "x86/pmu/pebs")
    store = cover_draft_store(repo, "x86/pmu/pebs")
    assert store.path == (repo / ".git" / "kvmwriter" / "drafts" / "x86%2Fpmu%2Fpebs.cover.json")
    assert store.path != DraftStore(repo / ".git", "x86/pmu/pebs").path


def test_cover_draft_store_in_a_worktree_uses_the_worktree_git_dir(make_repo, tmp_path):
    repo = make_repo()
    git(repo, "commit", "-q", "--allow-empty", "-m", "Initial")
    git(repo, "worktree", "add", "-q", "-b", "side", str(tmp_path / "side"))
    store = cover_draft_store(tmp_path / "side", "side")
    assert store.path.parent.parent.parent == repo / ".git" / "worktrees" / "side"


def test_cover_wraps_long_typed_prose_at_72_and_keeps_code(tmp_path):
    from kvmwriter.compose.cover import CoverDraft

    what = (
        "Add support for the PEBS counters on hybrid CPUs so that guests see the "
        "same events as the host and the perf selftests pass on both core types."
    )
    code = "    if (pmc->idx >= INTEL_PMC_IDX_FIXED && very_long_condition_name(pmc))"
    draft = CoverDraft(
        prefix="KVM: x86/pmu:",
        summary="Fix PEBS",
        what=what,
        background=f"The guest loses events.\n\n{code}",
    )
    text, origins = draft.render_with_origins()
    body = text.splitlines()
    assert all(len(line) <= 72 for line in body if line != code)
    assert code in body
    what_rows = [origin.row for origin in origins if origin.field == "what" and origin.row >= 0]
    assert len(what_rows) > 1 and set(what_rows) == {0}
    assert draft.blurb().startswith("\n".join(body[2 : 2 + len(what_rows)]))
