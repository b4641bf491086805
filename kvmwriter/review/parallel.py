"""Review a long range on several cores: same output, same order, bounded memory.

Commits are independent, so worker processes read, lint and render
batches of them while this process lists the range and prints.  This
process sends each batch as commit ids only; the worker reads the
messages, files and diffs with its own ``git log`` (parsing diffs is most
of a commit's cost after the rules, so it belongs on the workers' cores),
renders the reports as :class:`kvmwriter.review.output.ReviewOutput`
would here, and sends back the text, the counts and the series facts:
this process only writes text and adds up counts, so it takes little of
a core from the workers.  At most ``2 * jobs`` batches are in flight, so
memory stays bounded however long the range, text comes back in the
range's order, and the last batches are smaller so that the workers
finish together.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from kvmwriter.records import TYPE_CHECKING

if TYPE_CHECKING:
    from kvmwriter.review.output import ReviewOutput
    from kvmwriter.review.series import SeriesFacts, SeriesReview

#: Commits a worker reads and lints per round trip.  Each batch costs the
#: worker a ``git log`` (2.4 ms of CPU in git starting up, measured) and a
#: round trip, where a serial review pays one per 2,000 commits: large
#: batches keep that small, and smaller ones at the range's end keep the
#: workers finishing together.  (256 and 16 took 20 to 60 ms longer on
#: 5,000 commits: ten more batches.)
BATCH = 512
#: The smallest batch near the range's end (each costs a ``git log``).
TAIL_BATCH = 32
#: Below this many commits, starting workers costs more than it saves.
MIN_PARALLEL = 400

_review: SeriesReview | None = None
_output: ReviewOutput | None = None


def available_cpus() -> int:
    """CPUs this process may run on (``taskset`` and cgroups narrow it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# A commit that makes the rules load what they load on first use (the
# spelling table, the verb lexicon, lazily compiled patterns, the diff
# rules' too) and takes every step a commit of the range takes.
_WARM_UP = (
    "KVM: x86: Fix the reload of teh PDPTRs\n\n"
    "Currently, we reload the PDPTRs in kvm_set_cr0 when the guest toggles CR0.PG,\n"
    "see commit 0123456 and SDM 4.4.1.\n\n"
    'Fixes: 0123456789ab ("KVM: x86: Nothing")\n'
    "Cc: stable@vger.kernel.org\n"
    "Signed-off-by: Ada Tester <ada@example.org>\n"
)
_WARM_UP_DIFF = (
    "diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c\n"
    "--- a/arch/x86/kvm/x86.c\n"
    "+++ b/arch/x86/kvm/x86.c\n"
    "@@ -10,3 +10,4 @@ static int kvm_set_cr0(struct kvm_vcpu *vcpu, unsigned long cr0)\n"
    " \tint r;\n"
    "+\t/* Reload the PDPTRs, as load_pdptrs() does. */\n"
    " \tr = kvm_mmu_reset_context(vcpu);\n"
    " \treturn r;\n"
)


def _check_warm_up_commit(review: SeriesReview) -> None:
    """Lint a made-up commit: the rules load what they load on first use."""
    from kvmwriter.git.repo import LogEntry, diff_files
    from kvmwriter.review.series import SeriesFacts, item_from_log

    repo, facts, merges = review.repo, review.facts, review.merges
    # No repository: the rules that ask git start its children (and import
    # GitPython) in the workers, which need their own anyway; the facts
    # and count stay the range's.
    review.repo = None
    review.facts = SeriesFacts(from_files=facts.from_files)
    entry = LogEntry(
        "0" * 40,
        ("1" * 40,),
        "Ada Tester <ada@example.org>",
        _WARM_UP,
        tuple(diff_files(_WARM_UP_DIFF)),
        _WARM_UP_DIFF if review.needs_diffs else None,
    )
    try:
        review.check_item(item_from_log(entry))
    finally:
        review.repo, review.facts, review.merges = repo, facts, merges


def _import_for_workers() -> None:
    # The pool, and what a worker's first ``git log`` with input imports.
    import multiprocessing.pool  # noqa: F401
    import tempfile  # noqa: F401


#: Shards of the spelling table decoded per step of a warm-up.
_SHARDS_PER_STEP = 128
#: Lazy patterns compiled per step of a warm-up.
_PATTERNS_PER_STEP = 16


class WarmUp:
    """Load, before the workers fork, what each of them would load again.

    In small steps, so that the command can take them while git still
    walks the range (:meth:`step`, before it knows whether workers will
    run) and still run a short range at once.  The steps that every
    worker needs come first; :meth:`finish` takes those that are left.
    The rest (decoding the whole spelling table, compiling every lazy
    pattern) only moves work the workers would share out anyway, so it
    is worth doing only while the command would otherwise wait.
    """

    def __init__(self, review: SeriesReview) -> None:
        self._needed = self._needed_steps(review)
        self._spare = self._spare_steps()

    @staticmethod
    def _needed_steps(review: SeriesReview) -> Iterator[bool]:
        _check_warm_up_commit(review)
        yield True
        _import_for_workers()
        yield True

    @staticmethod
    def _spare_steps() -> Iterator[bool]:
        from kvmwriter.lint.cache import SHARDS
        from kvmwriter.lint.spelling import spelling_table
        from kvmwriter.text.lazyre import compile_pending

        table = spelling_table()
        for first in range(0, SHARDS, _SHARDS_PER_STEP):
            table.decode(first, first + _SHARDS_PER_STEP)
            yield True
        while True:
            left = compile_pending(_PATTERNS_PER_STEP)
            yield True
            if not left:
                break

    def step(self) -> bool:
        """Take the next step; False when none was left."""
        return next(self._needed, False) or next(self._spare, False)

    def finish(self) -> None:
        """Take the steps that every worker needs and are not taken yet."""
        for _ in self._needed:
            pass


def _start_worker(review: SeriesReview, output: ReviewOutput, fds: tuple[int, ...]) -> None:
    global _review, _output
    from kvmwriter.git.repo import Repository

    for fd in fds:
        # The range's listing: only the parent reads it, and git must see
        # its pipe close when the parent stops reading.
        try:
            os.close(fd)
        except OSError:
            pass
    if review.repo is not None:
        # A fresh handle: never share the parent's long-lived git child.
        old = review.repo
        review.repo = Repository(old.root, old.git_dir, old.common_dir, bare=old.bare)
    _review = review
    _output = output


def _lint_batch(shas: list[str]) -> tuple[str, ReviewOutput, SeriesFacts, int]:
    """Read, lint and render the commits ``shas``: their printed text, the
    output's counts, the series facts they add and the merges skipped."""
    from kvmwriter.review.series import SeriesFacts, item_from_log

    review, template = _review, _output
    assert review is not None and review.repo is not None and template is not None
    review.facts = SeriesFacts(from_files=review.facts.from_files)
    merges = review.merges
    output = template.fresh()
    parts = []
    for entry in review.repo.log_entries(shas, diffs=review.needs_diffs):
        report = review.check_item(item_from_log(entry))
        if report is not None:
            parts.append(output.render(report, entry.message))
    return "".join(parts), output, review.facts, review.merges - merges


def _batches(ids: Iterable[str], size: int, jobs: int) -> Iterator[list[str]]:
    """``ids`` in batches of ``size``, smaller near the end so that the
    workers run out of work together rather than one batch apart."""
    ahead: deque[str] = deque()
    source = iter(ids)
    # Enough ids held to see the end coming while every worker is busy.
    window = 2 * jobs * size
    ended = False
    while True:
        while not ended and len(ahead) < window:
            sha = next(source, None)
            if sha is None:
                ended = True
            else:
                ahead.append(sha)
        if not ahead:
            return
        count = size
        if ended:
            count = min(size, max(TAIL_BATCH, -(-len(ahead) // (2 * jobs))))
        yield [ahead.popleft() for _ in range(min(count, len(ahead)))]


def in_order(pool, work: Callable, batches: Iterable, jobs: int) -> Iterator:
    """``work(batch)`` for each of ``batches`` on ``pool``'s ``jobs``
    workers, yielded in the batches' order.

    ``2 * jobs`` batches are sent and not yet done at any time, so a
    worker that finishes early takes the next one at once, even while
    the caller waits for an older batch; at most ``4 * jobs`` results
    wait to be yielded, so memory stays bounded.
    """
    import queue

    pending: deque = deque()
    finished: queue.SimpleQueue = queue.SimpleQueue()
    done = 0

    def note(_result) -> None:
        finished.put(None)  # In the pool's result thread: only wake the caller.

    def count_finished(wait: bool) -> int:
        count = 0
        if wait:
            finished.get()
            count += 1
        while not finished.empty():
            finished.get()
            count += 1
        return count

    for sent, batch in enumerate(batches):
        while True:
            done += count_finished(wait=False)
            while pending and pending[0].ready():
                yield pending.popleft().get()
            if len(pending) >= 4 * jobs:
                yield pending.popleft().get()  # Wait for the oldest: memory stays bounded.
            elif sent - done >= 2 * jobs:
                done += count_finished(wait=True)
            else:
                break
        pending.append(pool.apply_async(work, (batch,), callback=note, error_callback=note))
    while pending:
        yield pending.popleft().get()


def parallel_review(
    review: SeriesReview,
    output: ReviewOutput,
    *,
    jobs: int,
    ids: Iterable[str],
    close_fds: tuple[int, ...] = (),
    warm_up: WarmUp | None = None,
) -> Iterator[str]:
    """The printed text of the commits ``ids`` (full ids, oldest first), in
    order, read, linted and rendered by ``jobs`` workers.

    Each worker renders its batch as ``output`` would, and ``output``
    gains the batch's counts, so the text and the counts are a serial
    run's.  ``review`` needs a repository; its facts and merge count end
    up as a serial run leaves them.  Workers close ``close_fds`` (the pipe
    ``ids`` is read from, when git lists the range).  ``warm_up``, if
    given, is ``review``'s :class:`WarmUp`, begun while git listed ``ids``.
    """
    import multiprocessing

    if review.repo is None:
        raise ValueError("parallel_review() reads commits: the review needs a repository")
    (warm_up or WarmUp(review)).finish()
    # Keep the collector off the inherited heap: scanning it would touch,
    # and so copy, every page the workers share with this process.
    gc.freeze()
    context = multiprocessing.get_context("fork")
    pool = context.Pool(jobs, initializer=_start_worker, initargs=(review, output, close_fds))
    try:
        for text, counts, facts, merges in in_order(
            pool, _lint_batch, _batches(ids, BATCH, jobs), jobs
        ):
            review.facts.merge(facts)
            review.merges += merges
            yield output.merge(counts, text)
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()
