"""Series rules: what a maintainer checks across a whole posting.

Series rules read a :class:`kvmwriter.review.series.SeriesFacts` (accumulated
commit by commit, so a long range stays in bounded memory).  Their hits
land in the report whose source is "series", at line 1.
"""

from __future__ import annotations

from collections.abc import Iterator

from kvmwriter.lint.findings import Hit, Severity
from kvmwriter.lint.rules import CheckContext, rule

HANDBOOK = "maintainer-kvm-x86.rst"


def _examples(examples: list[str], count: int) -> str:
    text = "; ".join(examples[:3])
    return text + (f"; and {count - 3} more" if count > 3 else "")


@rule(
    "series-tests-missing",
    severity="warning",
    group="series",
    scope="series",
    summary="A series adding a KVM feature or fixing a KVM bug includes KVM selftests (or is RFC).",
    rationale=(
        '"With one exception, new features *must* come with test coverage." and '
        '"Posting new feature development without tests to get early feedback is more than '
        'welcome, but such submissions should be tagged RFC" '
        f'({HANDBOOK}, Testing: New Features); fixes "must be accompanied by a reproducer" '
        "(Bug Fixes)."
    ),
    bad="[PATCH 1/2] KVM: VMX: Add support for FRED\n[PATCH 2/2] KVM: VMX: Advertise FRED",
    good="[PATCH 1/3] KVM: VMX: Add support for FRED\n[PATCH 2/3] KVM: VMX: Advertise FRED\n"
    "[PATCH 3/3] KVM: selftests: Add a FRED test",
)
def series_tests_missing(facts, ctx: CheckContext) -> Iterator[Hit]:
    if facts.kvm_changes == 0 or facts.selftests or facts.rfc:
        return
    noun = "change" if facts.kvm_changes == 1 else "changes"
    yield Hit(
        1,
        1,
        f"{facts.kvm_changes} KVM feature/fix {noun} "
        f"({_examples(facts.kvm_examples, facts.kvm_changes)}) "
        "but no KVM selftests in the series; add a test (or a reproducer), or post as RFC",
    )


@rule(
    "series-mixed-trees",
    severity="error",
    group="series",
    scope="series",
    summary="KVM and kvm-unit-tests patches are posted as separate series.",
    rationale=(
        "\"KVM-unit-tests should *always* be posted separately.  Tools, e.g. b4 am, don't "
        "know that KVM-unit-tests is a separate repository and get confused when patches in "
        f'a series apply on different trees." ({HANDBOOK}, Co-Posting Tests)'
    ),
    bad="[PATCH 1/2] KVM: x86: Fix CR4 checks\n[kvm-unit-tests PATCH 2/2] x86: Test CR4 checks",
    good="[PATCH] KVM: x86: Fix CR4 checks\n"
    "(separately) [kvm-unit-tests PATCH] x86: Test CR4 checks",
)
def series_mixed_trees(facts, ctx: CheckContext) -> Iterator[Hit]:
    if not facts.unit_test_patches or not facts.kernel_patches:
        return
    yield Hit(
        1,
        1,
        f"the series mixes {facts.kernel_patches} kernel patch(es) with "
        f"{facts.unit_test_patches} kvm-unit-tests patch(es) "
        f"({_examples(facts.unit_test_examples, facts.unit_test_patches)}); post "
        "kvm-unit-tests separately, with a lore Link: to the KVM series",
    )


@rule(
    "series-base-missing",
    severity="warning",
    group="series",
    scope="series",
    summary="Patch files say their base (`base-commit:`), on a tree the handbook names.",
    rationale=(
        '"use ``git format-patch`` with the ``--base`` flag to automatically include the '
        f'base tree information in the generated patches." ({HANDBOOK}, Git Base); '
        '"Everything else should be based on ``kvm-x86/next``" and "Multi-arch '
        "patch/series should instead be based on a common, stable point in KVM's "
        f'history" ({HANDBOOK}, Base Tree/Branch).  linux-next is none of those, and '
        "next is rebuilt by force pushes (Branches)."
    ),
    bad="git format-patch -3 --cover-letter",
    good="git format-patch -3 --cover-letter --base=kvm-x86/next",
)
def series_base_missing(facts, ctx: CheckContext) -> Iterator[Hit]:
    if not facts.from_files or facts.patches == 0:
        return
    if not facts.base_commits:
        where = facts.cover or facts.first_source
        yield Hit(
            1,
            1,
            f"no 'base-commit:' in the patches ({where} ...); generate them with "
            "'git format-patch --base=kvm-x86/next' (or 'b4 prep'); fixes for the "
            "current release: --base on kvm.git master",
        )
        return
    if ctx.repo is None:
        return
    series = ctx.profile.series
    moving = [*series.next_base_refs, *series.foreign_base_refs]
    for base in facts.base_commits:
        # A base that a release tag or a kept remote branch holds stays
        # applicable whatever else holds it.
        if ctx.repo.ref_containing(base, list(series.stable_base_refs), moving):
            continue
        on_next = ctx.repo.ref_containing(base, list(series.next_base_refs))
        foreign = ctx.repo.ref_containing(base, list(series.foreign_base_refs))
        if foreign and not on_next:
            yield Hit(
                1,
                1,
                f"base-commit {base[:12]} is on {foreign}, which is not a base the "
                "handbook names; base the series on kvm-x86/next (kvm.git master for "
                "fixes to the current release)",
            )
            return
        if on_next and (facts.other_arch_patches or facts.common_kvm_patches):
            what = (
                "other architectures' KVM code" if facts.other_arch_patches else "common KVM code"
            )
            yield Hit(
                1,
                1,
                f"base-commit {base[:12]} is on {on_next}, but the series changes "
                f"{what}: multi-arch series go on a common, stable point, e.g. the rc "
                "that next is based on",
                severity=None if facts.other_arch_patches else Severity.INFO,
            )
            return


@rule(
    "series-in-reply-to",
    severity="warning",
    group="series",
    scope="series",
    summary="A new version of a series starts a new thread, not a reply to an earlier one.",
    rationale=(
        '"Do not explicitly reference bug reports, prior versions of a patch/series, etc. '
        "via In-Reply-To: headers.  Using In-Reply-To: becomes an unholy mess for large "
        "series and/or when the version count gets high, and In-Reply-To: is useless for "
        "anyone that doesn't have the original message, e.g. if someone wasn't Cc'd on the "
        f'bug report or if the list of recipients changes between versions." ({HANDBOOK}, '
        "Links)"
    ),
    bad="git format-patch -3 -v2 --cover-letter --thread --in-reply-to=<v1-cover@example.org>",
    good="git format-patch -3 -v2 --cover-letter --thread   (a lore link to v1 in the cover)",
)
def series_in_reply_to(facts, ctx: CheckContext) -> Iterator[Hit]:
    if facts.version < 2:
        return
    outside = facts.threaded_outside()
    if not outside:
        return
    source, ref = outside[0]
    yield Hit(
        1,
        1,
        f"v{facts.version} is threaded to <{ref}> ({source}), a message outside the "
        "series; post each version as a new thread and link earlier versions and bug "
        "reports from the cover letter with lore links",
    )
