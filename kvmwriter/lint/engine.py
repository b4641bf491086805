"""Run the catalog over messages and collect findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kvmwriter.errors import UserError
from kvmwriter.lint.config import Config, profile_for
from kvmwriter.lint.findings import Finding, Severity
from kvmwriter.lint.profile import Profile, choose_profile
from kvmwriter.lint.rules import CheckContext, Rule, catalog
from kvmwriter.records import TYPE_CHECKING, Record, ValueRecord
from kvmwriter.text.message import Message

if TYPE_CHECKING:
    from typing import Any


class UnknownRuleError(UserError, ValueError):
    pass


class Report(ValueRecord):
    """Findings for one source (a file, a commit, a patch, the series).

    Plain records with slots, not dataclasses: ``kvmwriter check`` must
    not pay for importing dataclasses.  Review workers pickle reports.
    """

    __slots__ = ("source", "subject", "findings", "profile")

    source: str
    subject: str
    findings: list[Finding]
    #: The profile the message was linted with ("" for the series report).
    profile: str

    def __init__(
        self,
        source: str,
        subject: str,
        findings: list[Finding] | None = None,
        profile: str = "",
    ) -> None:
        self.source = source
        self.subject = subject
        self.findings = [] if findings is None else findings
        self.profile = profile

    # Equal by value, but changed in place (findings are added): unhashable.
    __hash__ = None  # type: ignore[assignment]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def to_json(self) -> dict:
        data: dict = {"source": self.source, "subject": self.subject}
        if self.profile:
            data["profile"] = self.profile
        data["findings"] = [f.to_json() for f in self.findings]
        return data


class Linter(Record):
    """The selected rules, their severities and the profile they read."""

    __slots__ = ("profile", "rules", "severity", "config", "_profiles", "_mood", "_message_rules")

    profile: Profile
    rules: tuple[Rule, ...]
    severity: dict[str, Severity]
    #: The config the profiles come from: unless it (or --profile) names a
    #: profile, each message gets the one its files or prefix call for.
    config: Config
    _profiles: dict[str, Profile]
    _mood: Any
    #: The message rules each profile's skip list leaves, with their
    #: severities: built once, not filtered again for every message.
    _message_rules: dict[tuple[str, ...], tuple[tuple[Rule, Severity], ...]]

    def __init__(
        self,
        profile: Profile,
        rules: tuple[Rule, ...],
        severity: dict[str, Severity] | None = None,
        config: Config | None = None,
    ) -> None:
        self.profile = profile
        self.rules = rules
        self.severity = {} if severity is None else severity
        self.config = Config() if config is None else config
        self._profiles = {}
        self._mood = None
        self._message_rules = {}

    @classmethod
    def from_config(
        cls,
        config: Config | None = None,
        *,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        opt_in: Sequence[str] = (),
    ) -> Linter:
        """Build a linter from config plus command-line selections.

        ``select`` and ``ignore`` from the command line replace nothing: they
        add to the config's.  Opt-in rules (grammar) run only when named in
        ``opt_in`` or selected explicitly.
        """
        config = config or Config()
        rules = catalog()
        selected = tuple(config.select) + tuple(select)
        ignored = tuple(config.ignore) + tuple(ignore)
        for name in (*selected, *ignored, *opt_in, *config.severity):
            if name not in rules and not _is_group(name, rules):
                raise UnknownRuleError(f"unknown rule {name!r} (see 'kvmwriter rules')")
        chosen = []
        for rule in rules.values():
            named = _matches(rule, selected)
            if selected and not named:
                continue
            if rule.opt_in and not named and not _matches(rule, opt_in):
                continue
            if _matches(rule, ignored):
                continue
            chosen.append(rule)
        profile = profile_for(config)
        return cls(
            profile=profile, rules=tuple(chosen), severity=dict(config.severity), config=config
        )

    def profile_for(self, message: Message, ctx: CheckContext) -> Profile:
        """The profile for one message: forced, else chosen from files or prefix."""
        if self.config.profile_forced:
            return self.profile
        subject = message.subject
        components = [c.name for c in subject.components] if subject else []
        name, _ = choose_profile(ctx.files, components)
        if name == self.profile.name:
            return self.profile
        if name not in self._profiles:
            self._profiles[name] = profile_for(self.config, name)
        return self._profiles[name]

    def context(self, **kwargs) -> CheckContext:
        ctx = CheckContext(profile=self.profile, **kwargs)
        # One MoodChecker per linter, not one per message (a review checks
        # thousands); rules find it in the extras.
        ctx.extras.setdefault("mood", self.mood)
        return ctx

    @property
    def mood(self):
        """The MoodChecker for this linter's profile, built once."""
        if self._mood is None or self._mood[0] is not self.profile:
            from kvmwriter.lint.mood import MoodChecker

            self._mood = (self.profile, MoodChecker(self.profile))
        return self._mood[1]

    def check(self, message: Message, ctx: CheckContext | None = None) -> list[Finding]:
        """Run every selected message rule over ``message``."""
        ctx = ctx or self.context()
        if message.is_cover:
            ctx.cover = True
        ctx.profile = self.profile_for(message, ctx)
        return self._collect(self._rules_for(ctx.profile.rules.skip), message, ctx)

    def _rules_for(self, skip: tuple[str, ...]) -> tuple[tuple[Rule, Severity], ...]:
        try:
            return self._message_rules[skip]
        except KeyError:
            chosen = self._message_rules[skip] = self._with_severity(
                rule for rule in self.rules if rule.scope == "message" and rule.name not in skip
            )
            return chosen

    def _with_severity(self, rules: Iterable[Rule]) -> tuple[tuple[Rule, Severity], ...]:
        return tuple((rule, self.severity.get(rule.name, rule.severity)) for rule in rules)

    def check_series(self, messages: Sequence, ctx: CheckContext) -> list[Finding]:
        """Run every selected series rule over a series."""
        series = self._with_severity(rule for rule in self.rules if rule.scope == "series")
        return self._collect(series, messages, ctx)

    def _collect(
        self, rules: Iterable[tuple[Rule, Severity]], target, ctx: CheckContext
    ) -> list[Finding]:
        findings: list[Finding] = []
        for rule, default in rules:
            # Call the check itself: Rule.run's extra generator costs more
            # than most checks on a clean message.
            for hit in rule.check(target, ctx):
                findings.append(
                    Finding(
                        line=hit.line,
                        column=hit.column,
                        rule=rule.name,
                        severity=hit.severity if hit.severity is not None else default,
                        message=hit.message,
                        fix=hit.fix,
                    )
                )
        findings.sort()
        return findings


def _is_group(name: str, rules: dict[str, Rule]) -> bool:
    return any(rule.group == name for rule in rules.values())


def _matches(rule: Rule, names: Sequence[str]) -> bool:
    return rule.name in names or rule.group in names


def read_message(text: str, *, cover: bool = False):
    """Parse plain message text or a patch email; return ``(message, email)``.

    ``email`` is the :class:`kvmwriter.text.patchmail.PatchEmail` when the text is
    one, else ``None``.
    """
    from kvmwriter.text.message import parse_message
    from kvmwriter.text.patchmail import looks_like_patch_email, parse_patch_email

    email = None
    if looks_like_patch_email(text):
        email = parse_patch_email(text)
        message = email.message
    else:
        message = parse_message(text)
        subject = message.subject
        if subject is not None and subject.patch_tag:
            from kvmwriter.text.patchmail import parse_tag

            message.is_cover = parse_tag(subject.patch_tag).is_cover
    if cover:
        message.is_cover = True
    return message, email


def check_text(
    linter: Linter, text: str, source: str, *, cover: bool = False, ctx: CheckContext | None = None
) -> tuple[Report, Message]:
    """Lint one message or patch email given as text."""
    message, email = read_message(text, cover=cover)
    ctx = ctx or linter.context()
    if email is not None:
        if ctx.files is None and email.files:
            ctx.files = email.files
        if ctx.diff is None and email.diff:
            ctx.diff = email.diff
    findings = linter.check(message, ctx)
    subject = message.subject.text if message.subject else ""
    return Report(
        source=source, subject=subject, findings=findings, profile=ctx.profile.name
    ), message
