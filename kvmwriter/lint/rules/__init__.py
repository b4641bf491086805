"""The rule catalog.

One rule is one documented object: a public name, a default severity, a
one-line summary, a rationale quoting the handbook, a bad and a good
example, and a check.  ``kvmwriter rules``, ``kvmwriter explain``, README's
rule table and the JSON output all read the same objects.

A check is a generator ``check(message, ctx)`` yielding :class:`Hit` objects
for message rules, or ``check(messages, ctx)`` for series rules.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator

from kvmwriter.lint.findings import Hit, Severity
from kvmwriter.lint.profile import Profile
from kvmwriter.records import TYPE_CHECKING, NamedTuple, Record
from kvmwriter.text.message import Message

if TYPE_CHECKING:
    from typing import Any

    from kvmwriter.git.repo import Repository

#: Modules that define rules, imported in this order by :func:`catalog`.
#: Later features append their module here.
RULE_MODULES = (
    "subject",
    "body",
    "security",
    "trailers",
    "git",
    "series",
    "diff",
    "text",
    "cover",
    "references",
)

#: Groups in the order the catalog lists them.
GROUPS = ("subject", "body", "trailers", "git", "series", "diff", "cover", "text")


class CheckContext(Record):
    """What a check may know beyond the message itself.

    Every field but ``profile`` is optional: rules that need git, the touched
    files or the diff stay silent when those are ``None``.  A plain record,
    not a dataclass: ``kvmwriter check`` must not pay for importing
    dataclasses.
    """

    __slots__ = ("profile", "repo", "files", "diff", "cover", "extras")

    profile: Profile
    #: The repository, when running inside one (git rules stay silent without).
    repo: Repository | None
    #: Paths the change touches, when known (staged change, commit, patch).
    files: tuple[str, ...] | None
    #: The unified diff of the change, when known.
    diff: str | None
    #: The message is a series' cover letter.
    cover: bool
    #: Free-form extras later features add (grammar client, caches).
    extras: dict[str, Any]

    def __init__(
        self,
        profile: Profile,
        repo: Repository | None = None,
        files: tuple[str, ...] | None = None,
        diff: str | None = None,
        cover: bool = False,
        extras: dict[str, Any] | None = None,
    ) -> None:
        self.profile = profile
        self.repo = repo
        self.files = files
        self.diff = diff
        self.cover = cover
        self.extras = {} if extras is None else extras

    def copy(self) -> CheckContext:
        """A copy with an extras dict of its own (the rest is shared)."""
        return CheckContext(
            self.profile, self.repo, self.files, self.diff, self.cover, dict(self.extras)
        )


Check = Callable[..., Iterable[Hit]]


class Rule(NamedTuple):
    name: str
    severity: Severity
    summary: str
    rationale: str
    bad: str
    good: str
    group: str
    check: Check
    #: "message" rules read one message; "series" rules read a series.
    scope: str = "message"
    #: Rules that cost time or privacy (grammar) run only when asked for.
    opt_in: bool = False

    def run(self, target: Any, ctx: CheckContext) -> Iterator[Hit]:
        yield from self.check(target, ctx)

    @property
    def doc(self) -> str:
        """The rule's full documentation, as ``kvmwriter explain`` prints it."""
        return (
            f"{self.name} ({self.severity.label}, {self.group})\n\n"
            f"{self.summary}\n\n"
            f"Why\n  {_indent(self.rationale)}\n\n"
            f"Bad\n  {_indent(self.bad)}\n\n"
            f"Good\n  {_indent(self.good)}\n"
        )


def _indent(text: str) -> str:
    return "\n  ".join(text.strip("\n").splitlines())


_REGISTRY: dict[str, Rule] = {}


def rule(
    name: str,
    *,
    severity: str,
    summary: str,
    rationale: str,
    bad: str,
    good: str,
    group: str,
    scope: str = "message",
    opt_in: bool = False,
) -> Callable[[Check], Check]:
    """Register ``check`` as the rule ``name`` in the catalog."""

    def register(check: Check) -> Check:
        if name in _REGISTRY:
            raise ValueError(f"rule {name} is defined twice")
        _REGISTRY[name] = Rule(
            name=name,
            severity=Severity.parse(severity),
            summary=summary,
            rationale=rationale,
            bad=bad,
            good=good,
            group=group,
            check=check,
            scope=scope,
            opt_in=opt_in,
        )
        return check

    return register


_loaded = False


def catalog() -> dict[str, Rule]:
    """Return every rule by name, in catalog order (grouped, then defined)."""
    global _loaded
    if not _loaded:
        for module in RULE_MODULES:
            importlib.import_module(f"{__name__}.{module}")
        _loaded = True
    order = {group: index for index, group in enumerate(GROUPS)}
    rules = sorted(_REGISTRY.values(), key=lambda r: order.get(r.group, len(order)))
    return {r.name: r for r in rules}


def get_rule(name: str) -> Rule:
    rules = catalog()
    if name not in rules:
        raise KeyError(name)
    return rules[name]


__all__ = ["CheckContext", "Hit", "Message", "Rule", "Severity", "catalog", "get_rule", "rule"]
