"""Body and security rules on real KVM x86 messages (skips without the corpus).

Figures measured when the rules were graded: body-what-first warned on 18
of the 155 committed messages (the rest of its findings are advice), and
vulnerability-process fired on 5 of the 4,411 messages, each a fix of a
guest-to-host bug.
"""

from __future__ import annotations

from test_corpus_precision import lint_record

from kvmwriter.lint.engine import Linter
from kvmwriter.lint.findings import Severity
from tests.conftest import is_accepted


def test_what_first_warns_on_few_committed_messages(corpus_records):
    linter = Linter.from_config(select=("body-what-first",))
    committed = [r for r in corpus_records if r.get("kind") == "applied_commit"]
    warned = [
        r for r in committed if any(f.severity >= Severity.WARNING for f in lint_record(linter, r))
    ]
    assert len(warned) / len(committed) <= 0.15, f"{len(warned)} of {len(committed)}"


def test_vulnerability_process_fires_on_a_handful_of_messages(corpus_records):
    linter = Linter.from_config(select=("vulnerability-process",))
    fired = [r for r in corpus_records if lint_record(linter, r)]
    assert 1 <= len(fired) <= 10, [r["subject"] for r in fired]
    accepted = [r for r in corpus_records if is_accepted(r)]
    assert sum(1 for r in fired if is_accepted(r)) / len(accepted) <= 0.02
