"""The parallel review's parts: batches, warm-up and rendered output."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from kvmwriter.lint.engine import Report
from kvmwriter.lint.findings import Finding, Severity
from kvmwriter.review import parallel
from kvmwriter.review.output import JSON_HEAD, JSON_TAIL, ReviewOutput
from tests.conftest import commit_file


def test_parallel_batches_shrink_near_the_end_and_keep_every_id_in_order(monkeypatch):
    monkeypatch.setattr(parallel, "TAIL_BATCH", 2)
    ids = [str(number) for number in range(100)]
    batches = list(parallel._batches(iter(ids), 10, 2))
    assert [sha for batch in batches for sha in batch] == ids
    sizes = [len(batch) for batch in batches]
    # Full batches until the end is in sight, then smaller and smaller ones.
    assert sizes == [10] * 7 + [8, 6, 4, 3, 3, 2, 2, 2]


def _stamp(batch: list[int]) -> tuple[list[int], float]:
    if batch == [0]:
        time.sleep(0.5)  # One slow batch first: the others must not wait for it.
    return batch, time.monotonic()


def test_in_order_keeps_workers_busy_behind_a_slow_batch_and_keeps_the_order():
    import multiprocessing

    pool = multiprocessing.get_context("fork").Pool(2)
    try:
        results = list(parallel.in_order(pool, _stamp, ([n] for n in range(12)), 2))
    finally:
        pool.terminate()
        pool.join()
    assert [batch for batch, _ in results] == [[n] for n in range(12)]
    finished = {batch[0]: stamp for batch, stamp in results}
    # Up to 4 per worker wait to be printed: batch 7 ran while batch 0 slept.
    assert finished[7] < finished[0]
    assert finished[11] > finished[0]  # ... and no further: memory stays bounded.


def test_parallel_batches_of_a_short_range(monkeypatch):
    batches = list(parallel._batches(iter(["a", "b", "c"]), 128, 2))
    assert batches == [["a", "b", "c"]]
    assert list(parallel._batches(iter([]), 128, 2)) == []


WARM_UP_CHECK = """
import sys
from kvmwriter.git.repo import Repository
from kvmwriter.lint.cache import SHARDS
from kvmwriter.lint.engine import Linter
from kvmwriter.lint.rules import diff
from kvmwriter.lint.spelling import spelling_table
from kvmwriter.review import parallel
from kvmwriter.review.series import SeriesFacts, SeriesReview
from kvmwriter.text.lazyre import compile_pending, is_compiled

repo = Repository.discover(sys.argv[1])
review = SeriesReview(Linter.from_config(), repo)
assert not is_compiled(diff._HUNK), "compiled at import"
assert "multiprocessing.pool" not in sys.modules, "the pool imported early"
warm_up = parallel.WarmUp(review)
warm_up.finish()
assert is_compiled(diff._HUNK), "the warm-up read no diff"
assert "multiprocessing.pool" in sys.modules and "tempfile" in sys.modules
assert review.repo is repo and review.facts == SeriesFacts() and review.merges == 0
# finish() stops at what every worker needs: the rest is for idle time.
assert 0 < spelling_table().decoded < SHARDS
assert compile_pending(0) > 0
steps = 0
while warm_up.step():
    steps += 1
assert steps > 1 and not warm_up.step() and not warm_up.step()
assert spelling_table().decoded == SHARDS and compile_pending(0) == 0
assert "git" not in sys.modules, "GitPython imported before the fork"
print("warm")
"""


def test_warm_up_reads_a_diff_and_leaves_the_review_as_it_was(make_repo):
    # A fresh interpreter: patterns an earlier test used stay compiled here.
    repo = make_repo()
    commit_file(repo, "x.c", "x\n", "KVM: x86: Add x")
    result = subprocess.run(
        [sys.executable, "-c", WARM_UP_CHECK, str(repo)], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "warm\n", "")


def test_warm_up_steps_one_at_a_time_needed_steps_first(make_repo):
    from kvmwriter.git.repo import Repository
    from kvmwriter.lint.engine import Linter
    from kvmwriter.review.series import SeriesReview

    repo = make_repo()
    review = SeriesReview(Linter.from_config(), Repository.discover(repo))
    warm_up = parallel.WarmUp(review)
    assert warm_up.step()  # The made-up commit.
    assert warm_up.step()  # The imports.
    warm_up.finish()  # Nothing it needs is left: it takes no optional step.
    assert next(warm_up._needed, None) is None  # The needed steps are all taken.
    assert warm_up.step()  # The optional ones are still there.


def _report(source: str, *severities: Severity) -> Report:
    findings = [
        Finding(rule="subject-mood", severity=severity, line=1, column=1, message="Use it")
        for severity in severities
    ]
    return Report(source=source, subject="KVM: x86: Add it", findings=findings)


def test_review_output_merged_from_batches_prints_what_one_output_prints():
    reports = [
        _report("a" * 40, Severity.WARNING),
        _report("b" * 40),
        _report("c" * 40, Severity.ERROR, Severity.INFO),
        _report("d" * 40, Severity.INFO),
    ]
    for form in ("json", "text", "terse"):
        whole = ReviewOutput(form, Severity.ERROR)
        expected = "".join(whole.render(report, "KVM: x86: Add it\n") for report in reports)
        merged = ReviewOutput(form, Severity.ERROR)
        printed = ""
        for batch in (reports[:1], [], reports[1:3], reports[3:]):
            part = merged.fresh()
            text = "".join(part.render(report, "KVM: x86: Add it\n") for report in batch)
            printed += merged.merge(part, text)
        assert printed == expected, form
        assert vars(merged) == vars(whole)
        assert whole.items == 4 and whole.failed
        assert whole.counts == {Severity.ERROR: 1, Severity.WARNING: 1, Severity.INFO: 2}
        if form == "json":
            assert len(json.loads(JSON_HEAD + printed + JSON_TAIL)["reports"]) == 4
