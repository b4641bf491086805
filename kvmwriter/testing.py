"""The handbook's testing checklist and the testing summary it renders to.

"If you can't fully test a change ... clearly state what level of testing
you were able to do" (maintainer-kvm-x86.rst, Testing): the summary lists
what was done and, when a mandatory item is missing, says so plainly.  The
checklist itself is profile data (``[testing]`` in the profile).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .profile import Profile


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str
    #: How the summary words the item once done ("Ran KVM selftests").
    done: str
    #: Mandatory for this change (always, or because of the touched paths).
    required: bool = False


def checklist(profile: Profile, files: Iterable[str] = ()) -> list[CheckItem]:
    """The profile's checklist, with ``required`` set for the touched files."""
    files = list(files)
    items = []
    for raw in profile.get("testing", "items", []) or []:
        if not isinstance(raw, dict) or not raw.get("key"):
            continue
        paths = raw.get("required_paths") or []
        required = bool(raw.get("required")) or any(
            f.startswith(p) for f in files for p in paths
        )
        label = str(raw.get("label", raw["key"]))
        items.append(CheckItem(str(raw["key"]), label, str(raw.get("done", label)), required))
    return items


def testing_summary(items: Sequence[CheckItem], done: Iterable[str], notes: str = "",
                    heading: str = "Testing:") -> str:
    """Render the short testing summary; empty when nothing was recorded.

    Done items come first, in checklist order, then the author's notes, then
    one line naming the mandatory items not done.
    """
    done_keys = set(done)
    lines = [f"- {item.done}" for item in items if item.key in done_keys]
    notes = notes.strip()
    if notes:
        lines.extend(line.rstrip() if line.startswith(("-", " ")) else f"- {line.strip()}"
                     for line in notes.splitlines() if line.strip())
    if not lines:
        return ""
    missing = [item.label for item in items if item.required and item.key not in done_keys]
    if missing:
        lines.append("- Not done: " + "; ".join(missing))
    return "\n".join([heading, *lines])
