"""The handbook's testing checklist and the testing summary it renders to.

"If you can't fully test a change ... clearly state what level of testing
you were able to do" (maintainer-kvm-x86.rst, Testing): the summary lists
what was done and, when a mandatory item is missing, says so plainly.  The
checklist itself is profile data (``[testing]`` in the profile).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kvmwriter.lint.profile import Profile


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str
    #: How the summary words the item once done ("Ran KVM selftests").
    done: str
    #: Mandatory for this change (always, or because of the touched paths).
    required: bool = False


_MODULE_PARAM = re.compile(r"\bmodule_param(?:_named|_cb|_call)?\s*\(\s*(\w+)")


def module_params(diff: str) -> list[str]:
    """Module params declared in the hunks of ``diff`` (added, removed or context).

    "If the code being modified depends on and/or interacts with a module
    param, testing with the relevant settings is mandatory" (Testing): a
    param declared next to the change is the cheapest signal of that.
    """
    names: list[str] = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")) or line[:1] not in "+- ":
            continue
        for name in _MODULE_PARAM.findall(line):
            if name not in names:
                names.append(name)
    return names


def checklist(profile: Profile, files: Iterable[str] = (), diff: str = "") -> list[CheckItem]:
    """The profile's checklist, with ``required`` set for the touched files.

    The item keyed ``module-params`` names the params the diff declares and
    becomes required when there are any.
    """
    files = list(files)
    params = module_params(diff) if diff else []
    items = []
    for entry in profile.testing.items:
        required = entry.required or any(f.startswith(entry.required_paths) for f in files)
        label = entry.label
        item = CheckItem(entry.key, label, entry.done or label, required)
        if item.key == "module-params" and params:
            named = ", ".join(params[:4])
            item = replace(
                item, label=f"{label} ({named})", required=True, done=f"Tested with {named} toggled"
            )
        items.append(item)
    return items


def testing_summary(
    items: Sequence[CheckItem], done: Iterable[str], notes: str = "", heading: str = "Testing:"
) -> str:
    """Render the short testing summary; empty when nothing was recorded.

    Done items come first, in checklist order, then the author's notes, then
    one line naming the mandatory items not done.
    """
    done_keys = set(done)
    lines = [f"- {item.done}" for item in items if item.key in done_keys]
    notes = notes.strip()
    if notes:
        lines.extend(
            line.rstrip() if line.startswith(("-", " ")) else f"- {line.strip()}"
            for line in notes.splitlines()
            if line.strip()
        )
    if not lines:
        return ""
    missing = [item.label for item in items if item.required and item.key not in done_keys]
    if missing:
        lines.append("- Not done: " + "; ".join(missing))
    return "\n".join([heading, *lines])
