"""Properties of applying fixes to generated messages: no exception, no change
outside the edits' spans, and a fixed point that re-lints without fixable findings."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvmwriter.lint.autofix import _Layout, apply_fixes, fix_all, protected_lines
from kvmwriter.lint.engine import Linter, read_message

LINTER = Linter.from_config()

PREFIXES = st.sampled_from(
    [
        "KVM: x86: ",
        "kvm: vmx: ",
        "KVM: X86: ",
        "x86/kvm: ",
        "KVM: x86: selftests: ",
        "selftests: KVM: ",
        "kvm/selftests: ",
        "KVM: selftest: ",
        "KVM: KVM: x86: ",
        "KVM:x86: ",
        "KVM: x86 : ",
        "KVM: x86:\t",
        "",
        "[PATCH v2 1/3] kvm: svm: ",
    ]
)
SUMMARIES = st.sampled_from(
    [
        "fix efer handling.",
        "Fixed the PDPTR reload",
        "Add kvm_set_cr0() checks!",
        "drop a stale comment ",
        "Zap roots",
        "This patch adds a thing",
        "",
    ]
)
BODY_LINES = st.sampled_from(
    [
        "Call kvm_inject_gp when the guest writes a reserved bit.",
        "",
        "Skip reloading the PDPTRs on CR0 writes that do not toggle CR0.PG, as the reload is "
        "pointless.  Really.",
        "v2:",
        " - Drop the WARN (Sean)",
        "Changes since v1: reword",
        "This patch adds a check.",
        "We need to flush the TLB.",
        "> quoted text here",
        "\tcode_line(foo);",
        "[   1.234] WARNING: CPU: 0 PID: 1",
        "#GP is injected here.",
        "Inject a #GP into the guest when it writes reserved bits, which the SDM says it must",
        "---",
        "# Please enter the commit message",
        "1. first item",
        "é ü 中文 line",
    ]
)
TRAILERS = st.sampled_from(
    [
        "Signed-off-by: Ada Tester <ada@example.org>",
        "Signed-of-by: Ada <ada@example.org>",
        "Reviewed-By: Bo <bo@example.org>",
        "Cc: stable@kernel.org # 6.1",
        "Link: https://marc.info/?i=20230105.1-ada@example.org",
        "Link: https://lkml.org/lkml/2023/1/5/123",
        'Fixes: 0123abcd ("KVM: x86: Foo")',
        'Fixes:0123456789ab ("KVM: x86: Foo")',
    ]
)


@st.composite
def messages(draw) -> str:
    subject = draw(PREFIXES) + draw(SUMMARIES)
    body = draw(st.lists(BODY_LINES, max_size=8))
    trailers = draw(st.lists(TRAILERS, max_size=4))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    parts = [subject, "\n".join(body), "\n".join(trailers)]
    text = "\n\n".join(part for part in parts if part)
    text = text.replace("\n", ending) + draw(st.sampled_from([ending, ""]))
    return text


def lint(text: str):
    message, _ = read_message(text)
    return LINTER.check(message, LINTER.context())


def outside_spans_unchanged(old: str, new: str, applied) -> bool:
    """Rebuild ``new`` from ``old`` and the applied edits alone."""
    layout = _Layout(old)
    spans = []
    for fix in applied:
        for edit in fix.edits:
            start = layout.offset(edit.line, edit.column)
            end = layout.offset(edit.end_line, edit.end_column)
            spans.append((start, end, edit.replacement))
    spans.sort(key=lambda span: (span[0], span[1]))
    rebuilt, position = [], 0
    for start, end, replacement in spans:
        rebuilt.append(old[position:start])
        rebuilt.append(replacement)
        position = end
    rebuilt.append(old[position:])
    return "".join(rebuilt) == new


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages(), st.booleans())
def test_applying_every_fix_changes_only_the_edits_spans(text, unsafe):
    findings = [f for f in lint(text) if f.fix and (f.fix.safe or unsafe)]
    protected = protected_lines(text)
    result = apply_fixes(text, [f.fix for f in findings], protected=protected)
    assert outside_spans_unchanged(text, result.text, result.applied)
    for fix in result.applied:
        for edit in fix.edits:
            assert edit.line not in protected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages(), st.booleans())
def test_fix_all_reaches_a_fixed_point_without_the_fixed_findings(text, unsafe):
    run = fix_all(text, lint, unsafe=unsafe)
    assert run.settled
    again = [f for f in lint(run.text) if f.fix and (f.fix.safe or unsafe)]
    leftover = apply_fixes(run.text, [f.fix for f in again], protected=protected_lines(run.text))
    assert not leftover.changed, [f.rule for f in again]
    assert fix_all(run.text, lint, unsafe=unsafe).text == run.text
    # Git's comment lines survive every fix, in order.
    comments = [line for line in text.splitlines() if line.startswith("# Please")]
    assert [line for line in run.text.splitlines() if line.startswith("# Please")] == comments
