"""Security rules: a changelog that describes a guest attacking its host."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kvmwriter.lint.findings import Hit
from kvmwriter.lint.rules import CheckContext, rule
from kvmwriter.text.lazyre import lazy
from kvmwriter.text.message import Message

HANDBOOK = "maintainer-kvm-x86.rst"
SUBMITTING = "submitting-patches.rst"
SECURITY_BUGS = "Documentation/process/security-bugs.rst"

# Words that say on their own that a guest reaches past its boundary.
_ESCAPE = lazy(
    r"\bguest[- ]triggerable\b|\btriggerable (?:from|by) (?:a |the )?(?:guest|L2)\b|"
    r"\b(?:VM|guest) escapes?\b|\bescapes? (?:to|into) the host\b",
    re.IGNORECASE,
)
# Harm to the host (or to L1, from L2): crashing it, reading or corrupting
# its memory, or a memory-safety bug that may do either.
_HARM = lazy(
    r"\b(?:crash(?:es|ing)?|panic(?:s|king)?|DoS|take down|bring down|hang) (?:the )?"
    r"(?:host|L0|L1|hypervisor)\b|"
    r"\b(?:host|L0|hypervisor) (?:kernel )?(?:crash|panic|DoS|oops)|"
    r"\b(?:read|leak|dump|disclose|corrupt|overwrite)s? (?:[\w-]+ )?(?:the )?"
    r"(?:host|L0|L1|hypervisor)(?:'s)? (?:kernel )?(?:[\w-]+ )?(?:memory|stack|data|state|MSRs?)\b|"
    r"\bleaks? (?:uninitialized |host )?kernel (?:stack|memory|data) to (?:the )?"
    r"(?:guest|L2)\b|"
    r"\bout[- ]of[- ]bounds (?:write|access)\b|\bOOB (?:write|read)\b|"
    r"\buse[- ]after[- ]free\b|\barbitrary (?:read|write)\b|\b(?:heap|buffer|stack) overflow\b",
    re.IGNORECASE,
)
# A guest (or L2, or L1 against L0) as the one who does it.  Up to two words
# may stand between the guest and its verb ("a malicious SEV-SNP guest can").
_GUEST_ACTS = lazy(
    r"\b(?:guest|L1|L2)(?:\s+[\w-]+){0,2}?\s+(?:can|could|may|might|will|would|is able to|to)\b|"
    r"\bmalicious (?:guest|L1|L2|VM)\b|\bguest[- ]controll?ed\b|"
    r"\b(?:from|by) (?:a |the |an )?(?:malicious |unprivileged |misbehaving |nested )?"
    r"(?:guest|L1|L2)\b",
    re.IGNORECASE,
)

# Words that every match of _ESCAPE, _HARM and _GUEST_ACTS holds, lower-cased.
_ESCAPE_WORDS = ("escape", "triggerable")
# _HARM's alternatives need: a verb of crashing with or after the victim;
# a verb of reading or corrupting and the victim (or "kernel"); or a kind
# of memory-safety bug.  "host" and "kernel" alone pass most KVM passages.
_HARM_ALONE: tuple[str, ...] = ("crash", "panic", "dos", "take down", "bring down", "hang")
_HARM_ALONE += ("oops",)
_HARM_ALONE += ("bounds", "oob", "free", "arbitrary", "overflow")
_HARM_VERBS = ("read", "leak", "dump", "disclose", "corrupt", "overwrite")
_HARM_VICTIMS = ("host", "l0", "l1", "hypervisor", "kernel")
_GUEST_WORDS = ("guest", "l1", "l2", "malicious")


def _mentions(lowered: str | None, words: tuple[str, ...]) -> bool:
    # map() over the bound method: no generator frame per word.
    return lowered is None or any(map(lowered.__contains__, words))


def _may_harm(lowered: str | None) -> bool:
    return _mentions(lowered, _HARM_ALONE) or (
        _mentions(lowered, _HARM_VERBS) and _mentions(lowered, _HARM_VICTIMS)
    )


def _may_attack(lowered: str) -> bool:
    return _mentions(lowered, _ESCAPE_WORDS) or (
        _may_harm(lowered) and _mentions(lowered, _GUEST_WORDS)
    )


@rule(
    "vulnerability-process",
    severity="info",
    group="body",
    summary=(
        "A changelog describing a guest that can crash, corrupt or read its host goes "
        "through the security process first."
    ),
    rationale=(
        '"Bugs that can be exploited by the guest to attack the host (kernel or userspace), '
        "or that can be exploited by a nested VM to *its* host (L2 attacking L1), are of "
        "particular interest to KVM.  Please follow the protocol for security bugs if you "
        f'suspect a bug can lead to an escape, data leak, etc." ({HANDBOOK}, '
        'Vulnerabilities)  "If you have a patch that fixes an exploitable security bug, '
        "send that patch to security@kernel.org. ... the patch should not be sent to any "
        f'public lists.  See also {SECURITY_BUGS}." ({SUBMITTING})'
    ),
    bad=(
        "KVM: SVM: Bound the scratch area to the GHCB\n\n"
        "Bound the scratch area to the GHCB page.  A malicious SEV-SNP guest can\n"
        "otherwise trigger an out-of-bounds write in host memory."
    ),
    good=(
        "KVM: SVM: Bound the scratch area to the GHCB\n\n"
        "Bound the scratch area to the GHCB page, as the GHCB specification\n"
        "requires.  Hardware never uses more than one page."
    ),
)
def vulnerability_process(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.cover:
        return
    passages = list(_passages(message))
    # The whole message first: a passage that may match makes it pass too
    # (it holds the passage), and six messages in seven hold no such words.
    whole = " ".join(text for _line, text in passages)
    if whole.isascii() and not _may_attack(whole.lower()):
        return
    for line, text in passages:
        # A word each pattern cannot match without rules most passages out
        # before the patterns scan them.  Only ASCII text lower-cases exactly
        # as IGNORECASE matches; other text goes to the patterns directly.
        lowered = text.lower() if text.isascii() else None
        escape = _mentions(lowered, _ESCAPE_WORDS) and _ESCAPE.search(text)
        if escape or (
            _may_harm(lowered)
            and _mentions(lowered, _GUEST_WORDS)
            and _HARM.search(text)
            and _GUEST_ACTS.search(text)
        ):
            yield Hit(
                line,
                1,
                "this describes a guest-triggerable host bug; unless it is already public, "
                f"report it to security@kernel.org first ({SECURITY_BUGS}) rather than "
                "posting the fix publicly",
            )
            return


def _passages(message: Message) -> Iterator[tuple[int, str]]:
    """The subject, then each paragraph without its pasted logs, on one line each."""
    if message.subject is not None:
        yield message.subject.line, message.subject.summary
    for paragraph in message.paragraphs:
        lines = [line for block in paragraph.blocks if block.kind != "log" for line in block.lines]
        if lines:
            yield lines[0].number, " ".join(line.text.strip() for line in lines)
