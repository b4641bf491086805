"""Carry fixes made on a composed message back into the draft's fields.

The drafting and cover apps compose their message from fields (prefix and
summary, changelog paragraphs, tags); fixes edit the composed text.
:func:`fields_from_fixed` maps each changed line back to the field its
:class:`Origin` names, so the fix lands where the author types.  A change
no field can take (a line the composer generates, a rewrap across lines)
is left out and counted, never guessed.

No Textual, no printing.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kvmwriter.lint.autofix import fix_all, fix_one
from kvmwriter.lint.findings import Finding
from kvmwriter.text.message import parse_subject

#: Fields holding the subject line (the drafting app's and the cover's).
_SUBJECT_FIELDS = ("summary", "subject", "prefix")

#: Rounds of fix, map back, compose again: each round settles what the last
#: one's mapped changes let the rules see.
MAX_ROUNDS = 4


@dataclass
class FieldFix:
    """A draft with fixes applied, and what happened to them."""

    draft: Any
    #: Lines whose change reached a field.
    mapped: int = 0
    #: Changed lines no field could take.
    unmapped: int = 0
    #: Rules whose fixes reached the draft, once each.
    rules: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.mapped > 0


def fields_from_fixed(draft: Any, old: str, new: str, origins: Sequence) -> FieldFix:
    """A copy of ``draft`` with ``old`` -> ``new`` line changes put into the
    fields ``origins`` (one per line of ``old``) name."""
    result = FieldFix(copy.deepcopy(draft))
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace" or i2 - i1 != j2 - j1:
            result.unmapped += max(i2 - i1, j2 - j1)
            continue
        for index, replacement in zip(range(i1, i2), new_lines[j1:j2]):
            origin = origins[index] if index < len(origins) else None
            name = getattr(origin, "field", "") if origin is not None else ""
            if name and _put(result.draft, name, old_lines[index], replacement):
                result.mapped += 1
            else:
                result.unmapped += 1
    return result


def _put(draft: Any, name: str, line: str, replacement: str) -> bool:
    if name in _SUBJECT_FIELDS and hasattr(draft, "prefix") and hasattr(draft, "summary"):
        subject = parse_subject(replacement)
        prefix = subject.prefix
        draft.prefix = prefix
        draft.summary = subject.summary if prefix else subject.text
        return True
    value = getattr(draft, name, None)
    if isinstance(value, list):
        if value.count(line) == 1:
            value[value.index(line)] = replacement
            return True
        return False
    if not isinstance(value, str):
        return False
    # A composed line may carry more than the field ("Fixes: " before the
    # field's value): drop the common lead until the rest is the field's.
    lead = 0
    while lead < min(len(line), len(replacement)) and line[lead] == replacement[lead]:
        old_part = line[lead:]
        if old_part and value.count(old_part) == 1:
            setattr(draft, name, value.replace(old_part, replacement[lead:], 1))
            return True
        lead += 1
    if line and value.count(line) == 1:
        setattr(draft, name, value.replace(line, replacement, 1))
        return True
    return False


Compose = Callable[[Any], tuple[str, Sequence]]
Lint = Callable[[str], Sequence[Finding]]


def fix_draft(draft: Any, compose: Compose, lint: Lint, *, unsafe: bool = False) -> FieldFix:
    """Apply every safe fix (``unsafe``: every fix) to the fields of
    ``draft`` until composing and fixing changes nothing more."""
    total = FieldFix(draft)
    rules: list[str] = []
    for _ in range(MAX_ROUNDS):
        text, origins = compose(total.draft)
        run = fix_all(text, lint, unsafe=unsafe)
        if not run.changed:
            break
        step = fields_from_fixed(total.draft, text, run.text, origins)
        total.unmapped = step.unmapped
        if not step.changed or compose(step.draft)[0] == text:
            break
        total.draft = step.draft
        total.mapped += step.mapped
        rules.extend(run.rules)
    total.rules = tuple(dict.fromkeys(rules))
    return total


def fix_finding_in_draft(draft: Any, compose: Compose, finding: Finding) -> FieldFix:
    """Apply ``finding``'s fix alone to the fields of ``draft``."""
    text, origins = compose(draft)
    applied = fix_one(text, finding)
    if not applied.changed:
        return FieldFix(draft)
    result = fields_from_fixed(draft, text, applied.text, origins)
    if result.changed:
        result.rules = (finding.rule,)
    return result


__all__ = ["FieldFix", "fields_from_fixed", "fix_draft", "fix_finding_in_draft"]
