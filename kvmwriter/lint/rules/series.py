"""Series rules: what a maintainer checks across a whole posting.

Series rules read a :class:`kvmwriter.review.series.SeriesFacts` (accumulated
commit by commit, so a long range stays in bounded memory).  Their hits
land in the report whose source is "series", at line 1.
"""

from __future__ import annotations

from typing import Iterator

from kvmwriter.lint.findings import Hit
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
        f"({HANDBOOK}, Testing: New Features); fixes \"must be accompanied by a reproducer\" "
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
    yield Hit(1, 1,
              f"{facts.kvm_changes} KVM feature/fix {noun} "
              f"({_examples(facts.kvm_examples, facts.kvm_changes)}) "
              "but no KVM selftests in the series; add a test (or a reproducer), or post as RFC")


@rule(
    "series-mixed-trees",
    severity="error",
    group="series",
    scope="series",
    summary="KVM and kvm-unit-tests patches are posted as separate series.",
    rationale=(
        '"KVM-unit-tests should *always* be posted separately.  Tools, e.g. b4 am, don\'t '
        'know that KVM-unit-tests is a separate repository and get confused when patches in '
        f'a series apply on different trees." ({HANDBOOK}, Co-Posting Tests)'
    ),
    bad="[PATCH 1/2] KVM: x86: Fix CR4 checks\n[kvm-unit-tests PATCH 2/2] x86: Test CR4 checks",
    good="[PATCH] KVM: x86: Fix CR4 checks\n"
         "(separately) [kvm-unit-tests PATCH] x86: Test CR4 checks",
)
def series_mixed_trees(facts, ctx: CheckContext) -> Iterator[Hit]:
    if not facts.unit_test_patches or not facts.kernel_patches:
        return
    yield Hit(1, 1,
              f"the series mixes {facts.kernel_patches} kernel patch(es) with "
              f"{facts.unit_test_patches} kvm-unit-tests patch(es) "
              f"({_examples(facts.unit_test_examples, facts.unit_test_patches)}); post "
              "kvm-unit-tests separately, with a lore Link: to the KVM series")


@rule(
    "series-base-missing",
    severity="warning",
    group="series",
    scope="series",
    summary="Patch files say their base (`base-commit:`), and the base is not a `next` branch.",
    rationale=(
        '"use ``git format-patch`` with the ``--base`` flag to automatically include the '
        f'base tree information in the generated patches." ({HANDBOOK}, Git Base); '
        '"derive the names of your development branches based on their KVM x86 topic, '
        'and feed that into ``--base``" (Git Base).  A next branch (kvm-x86/next, '
        'linux-next) is rebuilt by force pushes (Branches), so its commits vanish.'
    ),
    bad="git format-patch -3 --cover-letter",
    good="git format-patch -3 --cover-letter --base=kvm-x86/pmu",
)
def series_base_missing(facts, ctx: CheckContext) -> Iterator[Hit]:
    if not facts.from_files or facts.patches == 0:
        return
    if not facts.base_commits:
        where = facts.cover or facts.first_source
        yield Hit(1, 1,
                  f"no 'base-commit:' in the patches ({where} ...); generate them with "
                  "'git format-patch --base=<base>' (or 'b4 prep'), e.g. "
                  "--base=kvm-x86/<topic>")
        return
    if ctx.repo is None:
        return
    unstable = [str(p) for p in ctx.profile.get("series", "unstable_base_refs", ())]
    stable = [str(p) for p in ctx.profile.get("series", "stable_base_refs", ())]
    for base in facts.base_commits:
        name = ctx.repo.ref_containing(base, unstable)
        # A topic branch's commits are in next too: only a base that no
        # stable ref (another remote branch, a release tag) holds is a problem.
        if name and not ctx.repo.ref_containing(base, stable, unstable):
            yield Hit(1, 1,
                      f"base-commit {base[:12]} is on {name}, a next branch rebuilt by force "
                      "pushes; base the series on a topic branch (kvm-x86/<topic>, see "
                      "'kvmwriter cover --help') or kvm.git master for urgent fixes")
            return
