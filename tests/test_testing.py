"""testing: the handbook checklist and the testing summary."""

from __future__ import annotations

from kvmwriter.compose.checklist import checklist
from kvmwriter.compose.checklist import testing_summary as render_summary
from kvmwriter.lint.profile import load_profile


def test_checklist_marks_tdp_disabled_required_for_mmu_changes():
    profile = load_profile()
    plain = {i.key: i for i in checklist(profile, ["arch/x86/kvm/x86.c"])}
    mmu = {i.key: i for i in checklist(profile, ["arch/x86/kvm/mmu/mmu.c"])}
    assert not plain["tdp-disabled"].required
    assert mmu["tdp-disabled"].required
    assert plain["build-minimum"].required and plain["selftests"].required
    assert "KVM_INTEL=m" in plain["build-minimum"].label


def test_summary_lists_done_items_notes_and_what_was_not_done():
    items = checklist(load_profile(), ["arch/x86/kvm/mmu/mmu.c"])
    summary = render_summary(
        items, ["build-minimum", "selftests", "intel"], "No AMD host available"
    )
    assert summary.splitlines() == [
        "Testing:",
        "- Built with KVM_INTEL=m, KVM_AMD=m and KVM_WERROR=y",
        "- Ran KVM selftests",
        "- Tested on Intel",
        "- No AMD host available",
        "- Not done: KVM-unit-tests pass; Tested with TDP (EPT/NPT) disabled",
    ]


def test_summary_of_complete_testing_has_no_not_done_line():
    items = checklist(load_profile(), ["arch/x86/kvm/x86.c"])
    done = [i.key for i in items if i.required]
    assert "Not done" not in render_summary(items, done)


def test_summary_is_empty_when_nothing_recorded():
    assert render_summary(checklist(load_profile()), []) == ""


def test_module_params_in_the_diff_make_that_item_required_and_named():
    diff = (
        "diff --git a/arch/x86/kvm/vmx/vmx.c b/arch/x86/kvm/vmx/vmx.c\n"
        "@@ -1,3 +1,3 @@\n"
        " module_param_named(ept, enable_ept, bool, 0444);\n"
        "-static bool enable_vpid = 1;\n+static bool enable_vpid = 0;\n"
        " module_param(enable_vpid, bool, 0444);\n"
    )
    items = {i.key: i for i in checklist(load_profile(), ["arch/x86/kvm/vmx/vmx.c"], diff)}
    params = items["module-params"]
    assert params.required
    assert "(ept, enable_vpid)" in params.label
    assert (
        render_summary(list(items.values()), ["module-params"]).splitlines()[1]
        == "- Tested with ept, enable_vpid toggled"
    )


def test_module_params_item_stays_optional_without_params():
    items = {i.key: i for i in checklist(load_profile(), ["x.c"], "@@ -1 +1 @@\n-a\n+b\n")}
    assert not items["module-params"].required
