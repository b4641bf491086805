"""Topic suggestion from the profile's path map and real git history."""

from __future__ import annotations

from kvmwriter.git.repo import Repository
from kvmwriter.lint.profile import load_profile
from kvmwriter.lint.topics import TopicMap, subject_topic, suggest_topics
from tests.conftest import git

PROFILE = load_profile()


def commit_touching(repo, paths, subject):
    for path in paths:
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(target.read_text() + subject + "\n" if target.exists() else subject)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", subject)
    return git(repo, "rev-parse", "HEAD").strip()


def test_subject_topic_reads_the_first_topic_in_any_case():
    assert subject_topic("KVM: nVMX: Fix a thing") == "nVMX"
    assert subject_topic("kvm: x86/mmu: Zap") == "x86/mmu"
    assert subject_topic("[PATCH v2 1/3] KVM: SVM: Add") == "SVM"
    assert subject_topic("KVM: Allow polling") is None
    assert subject_topic("x86/cpu: Not KVM") is None


def test_path_map_gives_the_most_specific_topic_without_history():
    for path, topic in [
        ("arch/x86/kvm/vmx/nested.c", "nVMX"),
        ("arch/x86/kvm/svm/nested.c", "nSVM"),
        ("arch/x86/kvm/mmu/tdp_mmu.c", "x86/mmu"),
        ("arch/x86/kvm/xen.c", "x86/xen"),
        ("arch/x86/kvm/pmu.c", "x86/pmu"),
        ("tools/testing/selftests/kvm/x86/foo_test.c", "selftests"),
        ("arch/x86/kvm/vmx/vmx.c", "VMX"),
    ]:
        best = suggest_topics([path], PROFILE)[0]
        assert (best.topic, best.prefix) == (topic, f"KVM: {topic}:")


def test_change_over_several_topics_gets_the_common_parent():
    best = suggest_topics(["arch/x86/kvm/vmx/nested.c", "arch/x86/kvm/svm/nested.c"], PROFILE)[0]
    assert best.topic == "x86"
    assert TopicMap(PROFILE).common_parent(["nVMX", "VMX"]) == "VMX"
    assert TopicMap(PROFILE).common_parent(["nSVM", "SEV"]) == "SVM"


def test_selftests_riding_along_do_not_change_the_kernel_topic():
    best = suggest_topics(
        ["arch/x86/kvm/vmx/nested.c", "tools/testing/selftests/kvm/x86/vmx_test.c"], PROFILE
    )[0]
    assert best.topic == "nVMX"


def test_history_of_the_touched_files_decides_for_unmapped_files(make_repo):
    repo = make_repo()
    for index in range(3):
        commit_touching(repo, ["arch/x86/kvm/lapic.c"], f"KVM: x86: Change lapic {index}")
    commit_touching(repo, ["virt/kvm/kvm_main.c"], "KVM: Rework the main loop")
    commit_touching(repo, ["virt/kvm/kvm_main.c"], "KVM: Rework the main loop again")
    r = Repository.discover(repo)
    lapic = suggest_topics(["arch/x86/kvm/lapic.c"], PROFILE, r)[0]
    assert lapic.topic == "x86" and any("git log" in e for e in lapic.evidence)
    generic = suggest_topics(["virt/kvm/kvm_main.c"], PROFILE, r)[0]
    assert (generic.topic, generic.prefix) == ("", "KVM:")


def test_history_overrides_a_broad_map_entry(make_repo):
    repo = make_repo()
    for index in range(4):
        commit_touching(repo, ["arch/x86/kvm/hyperv.c"], f"KVM: x86/hyper-v: Change {index}")
    r = Repository.discover(repo)
    assert suggest_topics(["arch/x86/kvm/hyperv.c"], PROFILE, r)[0].topic == "x86/hyper-v"


def test_history_before_a_commit_excludes_that_commit_and_later(make_repo):
    repo = make_repo()
    first = commit_touching(repo, ["arch/x86/kvm/hyperv.c"], "KVM: x86: Add hyperv")
    second = commit_touching(repo, ["arch/x86/kvm/hyperv.c"], "KVM: x86/hyper-v: Change it")
    commit_touching(repo, ["arch/x86/kvm/hyperv.c"], "KVM: x86/hyper-v: Change it again")
    r = Repository.discover(repo)
    ranked = suggest_topics(["arch/x86/kvm/hyperv.c"], PROFILE, r, before=second)
    assert ranked[0].topic == "x86"
    assert suggest_topics(["arch/x86/kvm/hyperv.c"], PROFILE, r, before=first)[0].topic == "x86"


def test_no_paths_gives_no_suggestion():
    assert suggest_topics([], PROFILE) == []


def test_the_authors_own_recent_commits_tip_a_close_call(make_repo):
    repo = make_repo()
    commit_touching(repo, ["arch/x86/kvm/svm/sev.c"], "KVM: SVM: Touch sev")
    commit_touching(repo, ["arch/x86/kvm/svm/sev.c"], "KVM: SEV: Touch sev again")
    commit_touching(repo, ["arch/x86/kvm/svm/svm.c"], "KVM: SEV: Prepare svm.c")
    r = Repository.discover(repo)
    without = suggest_topics(["arch/x86/kvm/svm/sev.c"], PROFILE, r, author="bo@example.org")
    mine = suggest_topics(["arch/x86/kvm/svm/sev.c"], PROFILE, r)  # user.email: ada
    score = {s.topic: s.score for s in without}
    assert {s.topic: s.score for s in mine}["SEV"] > score["SEV"]
    assert any("author's recent commits" in e for s in mine for e in s.evidence)


def test_change_over_several_architectures_is_generic_kvm(make_repo):
    repo = make_repo()
    for index in range(3):
        commit_touching(repo, ["arch/x86/kvm/x86.c"], f"KVM: x86: Change x86.c {index}")
    r = Repository.discover(repo)
    best = suggest_topics(["arch/arm64/kvm/arm.c", "arch/x86/kvm/x86.c"], PROFILE, r)[0]
    assert (best.topic, best.prefix) == ("", "KVM:")
    assert suggest_topics(["arch/arm64/kvm/arm.c"], PROFILE)[0].topic == "arm64"


def test_change_to_both_vendors_gets_x86_despite_one_vendors_history(make_repo):
    repo = make_repo()
    paths = ["arch/x86/kvm/svm/svm.c", "arch/x86/kvm/vmx/vmx.c"]
    commit_touching(repo, paths, "KVM: x86: Change both vendors")
    for index in range(2):
        commit_touching(repo, paths[:1], f"KVM: SVM: Change svm.c {index}")
    commit_touching(repo, paths[1:], "KVM: VMX: Change vmx.c")
    r = Repository.discover(repo)
    ranked = suggest_topics(paths, PROFILE, r, author="bo@example.org")
    assert [s.topic for s in ranked[:2]] == ["x86", "SVM"]


def test_past_change_over_the_same_files_outweighs_a_tree_wide_one(make_repo):
    repo = make_repo()
    pair = ["arch/x86/kvm/lapic.c", "arch/x86/kvm/irq.c"]
    commit_touching(repo, pair, "KVM: LAPIC: Change both")
    wide = [f"arch/x86/kvm/file{n}.c" for n in range(12)]
    commit_touching(repo, ["arch/x86/kvm/lapic.c", *wide], "KVM: x86: Rename everything")
    r = Repository.discover(repo)
    assert suggest_topics(pair, PROFILE, r)[0].topic == "LAPIC"
