"""Cover-letter rules on realistic covers, plain text and format-patch mails."""

from __future__ import annotations

import pytest

from kvmwriter.lint.engine import Linter, check_text

COVER_RULES = ("cover-testing-missing", "cover-rfc-feedback", "cover-version-links")


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter.from_config(select=["cover"])


def cover_findings(linter: Linter, text: str, cover: bool = False) -> list[str]:
    report, _ = check_text(linter, text, "cover", cover=cover)
    return [f.rule for f in report.findings if f.rule.startswith("cover-")]


GOOD_COVERS = [
    # Tested on both vendors, selftests and KUT.
    """[PATCH v3 0/4] KVM: x86/pmu: Fix PEBS emulation on hybrid CPUs

Fix how KVM emulates PEBS when the host runs on a hybrid CPU: program the
counters of the vCPU's core type and drop the bogus fixed-counter mask.

Tested on Intel (Alder Lake, Sapphire Rapids) and AMD (Genoa) with KVM
selftests and kvm-unit-tests, with and without enable_pmu.

v2: https://lore.kernel.org/all/20250102030405.1111-1-ada@example.org
v1: https://lore.kernel.org/all/20241120100000.2222-1-ada@example.org

Changes in v3:
 - Drop the fixed-counter patch, merged separately.
 - Rename pmc_is_pebs() (Sean).

Ada Tester (4):
  KVM: x86/pmu: Program counters for the vCPU's core type
  KVM: x86/pmu: Drop the bogus fixed-counter mask
  KVM: selftests: Test PEBS on hybrid CPUs
  KVM: x86/pmu: Rename pmc_is_pebs()

 arch/x86/kvm/pmu.c                          | 12 ++++++++----
 tools/testing/selftests/kvm/x86/pmu_test.c | 40 ++++++++++++++++++++++++++
 2 files changed, 48 insertions(+), 4 deletions(-)

base-commit: 0123456789abcdef0123456789abcdef01234567
""",
    # Only compile tested, v1.
    """[PATCH 0/2] KVM: SVM: Clean up the AVIC doorbell path

Move the AVIC doorbell ring into a helper and drop the now unused
avic_vcpu_is_running() wrapper.

Only compile tested, no AMD hardware at hand.

Ada Tester (2):
  KVM: SVM: Add a helper to ring the AVIC doorbell
  KVM: SVM: Drop avic_vcpu_is_running()
""",
    # "Ran KVM selftests" with a previous version as a message-id.
    """[PATCH v2 0/3] KVM: VMX: Handle #MC in the fastpath

Handle machine checks that hit while in the VM-Exit fastpath by bailing
to the slow path instead of swallowing them.

Ran KVM selftests and a guest kernel build on Ice Lake.

v1 <20250101.12345-1-ada@example.org>
""",
    # A "Testing:" section.
    """[PATCH v2 0/2] KVM: x86/mmu: Zap only the leaf SPTEs on memslot move

Zap only leaf SPTEs when a memslot moves: the parents stay valid.

Testing:
 - x86_64 allyesconfig build
 - KVM selftests with tdp_mmu=Y and tdp_mmu=N

Link to v1: https://lore.kernel.org/r/20250301000000.1-1-ada@example.org
""",
    # An RFC that asks for feedback, untested.
    """[RFC PATCH 0/5] KVM: x86: Add FRED virtualization

Virtualize FRED (Flexible Return and Event Delivery) for guests.

Untested beyond booting a guest, posted early: feedback wanted on the
uAPI in patch 3, in particular whether a new KVM_CAP is the right way to
expose the event data.
""",
    # RFC with an open question, kvm-unit-tests.
    """[RFC PATCH v2 0/3] KVM: nVMX: Emulate VMCS shadowing for L2

Emulate VMCS shadowing for L2 so L1 hypervisors can use it.

kvm-unit-tests' vmx tests pass.  Does emulating the bitmap copy on every
VMRESUME look acceptable, or should KVM cache it?

v1: https://patch.msgid.link/20250401000000.1-1-ada@example.org
""",
    # The checklist of the skeleton, filled.
    """[PATCH 0/2] KVM: x86: Advertise AVX-VNNI-INT16

Advertise AVX-VNNI-INT16 to userspace via KVM_GET_SUPPORTED_CPUID.

Testing:
- [x] Built with KVM_INTEL=m KVM_AMD=m KVM_WERROR=y
- [x] Booted a VM
""",
]


# One-line blurbs in the ways KVM contributors state testing, feedback and
# earlier versions: each must pass the cover rules.
GOOD_PHRASES = [
    ("PATCH", "Tested with the x86 selftests and KUT on SPR and Genoa."),
    ("PATCH", "No testing beyond compiling, no SEV-SNP hardware at hand."),
    ("PATCH", "Lightly tested on a Skylake client."),
    ("PATCH", "Ran the full suite of KVM selftests on Emerald Rapids, no regressions."),
    ("PATCH", "Boot tested a TDX guest."),
    ("PATCH", "Verified with a guest kernel build and perf in the guest."),
    ("PATCH", "The new selftest passes, and all existing tests pass on Intel and AMD."),
    ("PATCH", "Build-tested only (x86_64 and i386 allmodconfig)."),
    ("PATCH", "Testing: kvm-unit-tests (vmx, svm), selftests."),
    ("PATCH", "Ran syzkaller against the series for a day."),
    ("PATCH", "This has survived a week of guest boots and live migrations."),
    ("PATCH", "Comment-only changes, nothing to run."),
    ("PATCH", "Compiled and booted on AMD."),
    ("RFC PATCH", "Posting as RFC to get input on the design. Untested."),
    ("RFC PATCH", "Sean, does this match what you had in mind? Only compile tested."),
    ("RFC PATCH", "The uAPI is not settled; looking for agreement on the CAP. Untested."),
    ("RFC PATCH", "Compile tested. Thoughts on exposing this through a VM attribute?"),
    ("PATCH v2", "Tested on Intel.\n\nv1: https://lore.kernel.org/kvm/20240101.1-1-a@b.c"),
    ("PATCH v3", "Tested on AMD.\n\n- Link to v2: https://patch.msgid.link/2-1-a@b.c"),
    ("PATCH v2", "Tested on AMD.\n\nPrevious version: <20240101.123-1-ada@example.org>"),
    ("PATCH v4", "Tested on AMD.\n\nv3: https://lkml.kernel.org/r/3-1-a@b.c"),
]


@pytest.mark.parametrize("tag, blurb", GOOD_PHRASES, ids=range(len(GOOD_PHRASES)))
def test_good_cover_phrasings_pass_cover_rules(linter, tag, blurb):
    text = f"[{tag} 0/3] KVM: x86: Rework the thing\n\nRework the thing.\n\n{blurb}\n"
    assert cover_findings(linter, text) == []


@pytest.mark.parametrize("text", GOOD_COVERS, ids=range(len(GOOD_COVERS)))
def test_good_covers_have_no_cover_findings(linter, text):
    assert cover_findings(linter, text) == []


def test_cover_testing_missing_flags_cover_without_testing(linter):
    text = (
        "[PATCH 0/2] KVM: x86: Fix CPUID caching\n\n"
        "Fix two bugs in how KVM caches CPUID entries.\n\n"
        "Ada Tester (2):\n  KVM: selftests: Add a tested-everything test\n"
        "  KVM: x86: Cache CPUID\n"
    )
    assert cover_findings(linter, text) == ["cover-testing-missing"]


def test_cover_testing_missing_ignores_unchecked_checklist(linter):
    text = (
        "[PATCH 0/2] KVM: x86: Fix CPUID caching\n\nFix two bugs.\n\n"
        "Testing:\n- [ ] Ran KVM selftests\n- [ ] Tested on AMD\n"
    )
    assert cover_findings(linter, text) == ["cover-testing-missing"]


def test_cover_rules_stay_silent_on_single_patches(linter):
    text = "KVM: x86: Fix CPUID caching\n\nFix two bugs.\n"
    assert cover_findings(linter, text) == []
    tagged = "[RFC PATCH v3 1/2] KVM: x86: Fix CPUID caching\n\nFix two bugs.\n"
    assert cover_findings(linter, tagged) == []


def test_check_cover_flag_applies_cover_rules_to_untagged_text(linter):
    text = "KVM: x86: Fix CPUID caching\n\nFix two bugs.\n"
    assert cover_findings(linter, text, cover=True) == ["cover-testing-missing"]


def test_cover_rfc_feedback_flags_rfc_without_request(linter):
    text = (
        "[RFC PATCH 0/5] KVM: x86: Add FRED virtualization\n\n"
        "Virtualize FRED for guests.  Tested with KVM selftests.\n"
    )
    assert cover_findings(linter, text) == ["cover-rfc-feedback"]


def test_cover_rfc_feedback_ignores_non_rfc(linter):
    text = (
        "[PATCH 0/5] KVM: x86: Add FRED virtualization\n\n"
        "Virtualize FRED for guests.  Tested with KVM selftests.\n"
    )
    assert cover_findings(linter, text) == []


def test_cover_version_links_flags_v2_without_link(linter):
    text = (
        "[PATCH v2 0/2] KVM: VMX: Drop the vmx_x86_ops hooks\n\n"
        "Drop the hooks.  Tested with KVM selftests.\n\n"
        "Changes in v2:\n- Rebase onto kvm-x86/next\n"
    )
    report, _ = check_text(linter, text, "cover")
    [finding] = report.findings
    assert finding.rule == "cover-version-links"
    assert finding.severity.label == "info"
    assert "v1" in finding.message


def test_cover_version_links_ignores_signoff_address(linter):
    text = (
        "[PATCH v2 0/2] KVM: VMX: Drop the vmx_x86_ops hooks\n\n"
        "Drop the hooks.  Tested with KVM selftests.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n"
    )
    assert cover_findings(linter, text) == ["cover-version-links"]


def test_cover_version_links_ignores_placeholder_link(linter):
    text = (
        "[PATCH v2 0/2] KVM: VMX: Drop the vmx_x86_ops hooks\n\n"
        "Drop the hooks.  Tested with KVM selftests.\n\nv1: <lore link to v1>\n"
    )
    assert cover_findings(linter, text) == ["cover-version-links", "cover-placeholder"]


def test_cover_testing_missing_reads_b4_changelog_section(linter):
    # b4 keeps "Changes in vN" below a "---" line of its cover commit.
    text = (
        "KVM: x86: Fix CPUID caching\n\nFix two bugs.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n---\n"
        "Changes in v2:\n- Ran KVM selftests on AMD too\n"
        "- Link to v1: https://lore.kernel.org/r/20250101-cpuid-v1-0-1@example.org\n"
    )
    assert cover_findings(linter, text, cover=True) == []


def test_cover_rules_read_format_patch_cover(linter, make_repo, tmp_path):
    from tests.conftest import git

    repo = make_repo()
    (repo / "pmu.c").write_text("int a;\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "KVM: x86/pmu: Add a")
    (repo / "pmu.c").write_text("int a;\nint b;\n")
    git(repo, "commit", "-q", "-am", "KVM: x86/pmu: Tested b")
    out = tmp_path / "out"
    git(repo, "format-patch", "-q", "--cover-letter", "--rfc", "-v2", "-o", str(out), "HEAD~1")
    text = (out / "v2-0000-cover-letter.patch").read_text()
    assert "*** BLURB HERE ***" in text
    # The shortlog's "Tested b" is git's, not a statement of testing.
    assert sorted(cover_findings(linter, text)) == sorted(COVER_RULES + ("cover-placeholder",) * 2)


def test_check_cli_reports_cover_rules_for_zero_of_n_subject(cli, tmp_path):
    path = tmp_path / "cover.txt"
    path.write_text("[PATCH v2 0/3] KVM: x86: Fix CPUID caching\n\nFix two bugs.\n")
    result = cli(
        "check", "--format", "terse", "--select", "cover", "--fail-on", "warning", str(path)
    )
    assert result.returncode == 1, result.stderr
    assert "[cover-testing-missing]" in result.stdout
    assert "[cover-version-links]" in result.stdout


def test_check_cli_cover_flag_marks_plain_message_as_cover(cli):
    text = "KVM: x86: Fix CPUID caching\n\nFix two bugs.\n"
    plain = cli("check", "--select", "cover", "-", input=text)
    assert plain.returncode == 0 and plain.stdout == ""
    cover = cli("check", "--cover", "--select", "cover", "--fail-on", "warning", "-", input=text)
    assert cover.returncode == 1
    assert "cover-testing-missing" in cover.stdout


def placeholder_hits(linter, text: str, cover: bool = False) -> list[tuple[int, int]]:
    report, _ = check_text(linter, text, "cover", cover=cover)
    return [(f.line, f.column) for f in report.findings if f.rule == "cover-placeholder"]


def test_cover_placeholder_flags_git_templates_in_format_patch_cover(linter, make_repo, tmp_path):
    from tests.conftest import git

    repo = make_repo()
    (repo / "a.c").write_text("int a;\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Initial import")
    (repo / "a.c").write_text("int a;\nint b;\n")
    git(repo, "commit", "-q", "-am", "KVM: x86: Add b")
    git(repo, "format-patch", "-q", "--cover-letter", "-o", str(tmp_path / "out"), "HEAD~1")
    text = (tmp_path / "out" / "0000-cover-letter.patch").read_text()
    lines = text.splitlines()
    subject = next(i for i, line in enumerate(lines, 1) if line.startswith("Subject:"))
    blurb = lines.index("*** BLURB HERE ***") + 1
    assert placeholder_hits(linter, text) == [
        (subject, len("Subject: [PATCH 0/1] ") + 1),
        (blurb, 1),
    ]
    report, _ = check_text(linter, text, "cover")
    messages = [f.message for f in report.findings if f.rule == "cover-placeholder"]
    assert messages == [
        "template text '*** SUBJECT HERE ***' left in the cover letter; replace it",
        "template text '*** BLURB HERE ***' left in the cover letter; replace it",
    ]


def test_cover_placeholder_flags_skeleton_prompts_and_unticked_items(linter):
    text = (
        "[PATCH v2 0/2] KVM: x86: Fix it\n\n"
        "<What the series does, what changes first, in a paragraph or two.>\n\n"
        "Testing:\n- [x] Ran KVM selftests\n- [ ] Tested on AMD\n\n"
        "v1: <lore link to v1>\n"
    )
    assert placeholder_hits(linter, text) == [(3, 1), (7, 1), (9, 5)]


def test_cover_placeholder_flags_b4_editme(linter):
    text = (
        "EDITME: cover title for pebs\n\n# Describe the purpose of this series.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n---\nChanges in v2:\n"
        "- EDITME: describe what is new in this series revision.\n"
    )
    assert placeholder_hits(linter, text, cover=True) == [(1, 1), (8, 3)]


def test_cover_placeholder_silent_on_written_covers_and_patches(linter):
    for text in GOOD_COVERS:
        assert placeholder_hits(linter, text) == []
    patch = "KVM: x86: Fix it\n\nFix it.  EDITME is not a cover here.\n"
    assert placeholder_hits(linter, patch) == []


def test_cover_rules_never_fire_on_corpus_patches(linter, corpus_records):
    # Real commit messages and posted patches are not covers, even those
    # whose summary reads "return 0/-errno".
    fired = []
    for record in corpus_records:
        text = record["subject"] + "\n\n" + (record.get("body") or "") + "\n"
        if cover_findings(linter, text):
            fired.append(record["subject"])
    assert fired == []


def test_cover_rule_examples_behave_as_documented():
    from kvmwriter.lint.rules import catalog

    rules = [rule for rule in catalog().values() if rule.group == "cover"]
    assert {rule.name for rule in rules} >= set(COVER_RULES) | {"cover-placeholder"}
    for rule in rules:
        single = Linter.from_config(select=[rule.name])
        bad, _ = check_text(single, rule.bad, "bad", cover=True)
        good, _ = check_text(single, rule.good, "good", cover=True)
        assert bad.findings, rule.name
        assert not good.findings, rule.name


def test_cover_skeleton_gets_one_finding_per_problem(tmp_path):
    skeleton = (
        "[PATCH 0/2] KVM: x86: \n\n"
        "<What the series does, what changes first, in a paragraph or two.>\n\n"
        "<Background: the problem, and why this approach.>\n\n"
        "Testing:\n"
        "- [ ] Builds with KVM_INTEL=m, KVM_AMD=m, KVM_WERROR=y (required)\n"
        "- [ ] KVM selftests pass (required)\n"
        "- [ ] Tested on an AMD host\n"
    )
    report, _ = check_text(Linter.from_config(), skeleton, "cover", cover=True)
    findings = report.findings
    rules = sorted(f.rule for f in findings)
    assert rules == [
        "cover-placeholder",
        "cover-placeholder",
        "cover-testing-missing",
        "subject-prefix",
    ], [(f.rule, f.message) for f in findings]
    checklist = [f for f in findings if f.rule == "cover-testing-missing"]
    assert "checklist is not filled in (lines 8-10)" in checklist[0].message


def test_cover_leftover_unticked_items_beside_ticked_ones_are_one_finding(linter):
    text = (
        "[PATCH 0/2] KVM: x86: Fix CPUID caching\n\nFix two bugs.\n\n"
        "Testing:\n- [x] Ran KVM selftests\n- [ ] Tested on AMD\n- [ ] Tested on Intel\n"
    )
    report, _ = check_text(linter, text, "cover")
    assert [(f.rule, f.line) for f in report.findings] == [("cover-placeholder", 7)]
    assert "2 unticked checklist items left (lines 7-8)" in report.findings[0].message
