"""Suggest the shortlog topic (``KVM: nVMX:``) for a change from its files.

Two sources of evidence, combined:

- the profile's path map (``[paths.map]``): a file takes the topic of the
  longest matching path prefix; a change over several topics gets their
  first common parent (``[paths.parents]``);
- the handbook's own advice, ``git log path/to/file``: the topics that
  recent commits touching the same files used.

The path map is the stronger voice; history breaks ties and covers files
the map does not know.  A past commit votes more when its files match
the change's files closely, and a change over both vendors (SVM and VMX)
or over several architectures leans to the common parent (x86, or the
generic ``KVM:``).  No printing, no Textual: the CLI and TUI present
the ranked list.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from kvmwriter.git.process import GitError
from kvmwriter.lint.profile import Profile
from kvmwriter.records import TYPE_CHECKING, Record
from kvmwriter.text.lazyre import lazy

if TYPE_CHECKING:
    from kvmwriter.git.repo import Repository

_SUBJECT_TOPIC = lazy(
    r"^\s*(?:\[[^\]]*\]\s*)*kvm\s*:\s*(?P<topic>[^:\s](?:[^:]*[^:\s])?)\s*:(?:\s|$)", re.IGNORECASE
)

#: Generic KVM changes (virt/kvm/, several architectures) carry no topic.
GENERIC = ""


class TopicSuggestion(Record):
    # A plain record, not a dataclass: the commit-msg hook reads topics and
    # must not pay for importing dataclasses.
    __slots__ = ("topic", "prefix", "score", "evidence")

    topic: str
    prefix: str
    score: float
    evidence: list[str]

    def __init__(
        self, topic: str, prefix: str, score: float, evidence: list[str] | None = None
    ) -> None:
        self.topic = topic
        self.prefix = prefix
        self.score = score
        self.evidence = [] if evidence is None else evidence

    def to_json(self) -> dict:
        return {
            "topic": self.topic,
            "prefix": self.prefix,
            "score": round(self.score, 4),
            "evidence": list(self.evidence),
        }


def subject_topic(subject: str) -> str | None:
    """The first topic after ``KVM:`` in a subject, as written; else None."""
    match = _SUBJECT_TOPIC.match(subject)
    return match.group("topic") if match else None


class TopicMap:
    """The profile's path map, parents and topic spellings, ready to query."""

    def __init__(self, profile: Profile) -> None:
        section = profile.paths
        self.kvm = profile.subject.prefix
        self.default: str | None = section.default or None
        self.history_limit = section.history_limit
        self.map: list[tuple[str, str]] = sorted(
            section.map.items(), key=lambda item: -len(item[0])
        )
        self.parents: dict[str, str] = dict(section.parents)
        self.exclusive: tuple[str, ...] = section.exclusive
        names = [
            *profile.known_topics,
            *(t for _, t in self.map),
            *self.parents,
            *self.parents.values(),
        ]
        self.spelling = {name.lower(): name for name in names}

    def canonical(self, topic: str) -> str:
        return self.spelling.get(topic.lower(), topic)

    def path_topic(self, path: str) -> tuple[str, str] | None:
        """``(topic, matched prefix)`` for ``path``, or None when unmapped."""
        for prefix, topic in self.map:
            if path.startswith(prefix):
                return topic, prefix
        return None

    def ancestors(self, topic: str) -> list[str]:
        """``topic`` followed by its parents, nearest first."""
        chain = [topic]
        while chain[-1] in self.parents and len(chain) < 16:
            chain.append(self.parents[chain[-1]])
        return chain

    def common_parent(self, topics: Iterable[str]) -> str | None:
        """The first topic every one of ``topics`` has among its ancestors."""
        topics = list(dict.fromkeys(topics))
        if not topics:
            return None
        if len(topics) == 1:
            return topics[0]
        chains = [self.ancestors(t) for t in topics]
        shared = set(chains[0]).intersection(*map(set, chains[1:]))
        for candidate in chains[0]:
            if candidate in shared:
                return candidate
        return None

    def deepest_on_chain(self, topics: Iterable[str]) -> str | None:
        """The most specific topic when all lie on one line of descent.

        ``x86`` + ``VMX`` + ``nVMX`` is one nested-VMX change that also
        touches common code; ``nVMX`` + ``nSVM`` is not on one chain.
        """
        topics = list(dict.fromkeys(topics))
        if not topics:
            return None
        deepest = max(topics, key=lambda t: len(self.ancestors(t)))
        lineage = set(self.ancestors(deepest))
        return deepest if all(t in lineage for t in topics) else None

    def family(self, topic: str) -> str | None:
        """The exclusive topic (``VMX``, ``SVM``) ``topic`` descends from, if any."""
        return next((t for t in self.ancestors(topic) if t in self.exclusive), None)

    def architecture(self, topic: str) -> str | None:
        """The architecture ``topic`` belongs to: the ancestor whose parent is generic KVM."""
        return next((t for t in self.ancestors(topic) if self.parents.get(t) == GENERIC), None)

    def prefix(self, topic: str) -> str:
        return f"{self.kvm}: {topic}:"


def path_votes(paths: Sequence[str], topics: TopicMap) -> tuple[str | None, Counter, list[str]]:
    """The path map's answer: ``(combined topic, votes per topic, evidence)``."""
    votes: Counter = Counter()
    evidence = []
    for path in paths:
        found = topics.path_topic(path)
        if found:
            votes[found[0]] += 1
            evidence.append(f"{path} -> {found[0]} (path map: {found[1]})")
    if not votes:
        return None, votes, evidence
    # Selftests ride along with KVM changes: the KVM side names the change.
    kernel = [t for t in votes if t != "selftests"]
    chosen = topics.deepest_on_chain(kernel or list(votes))
    if chosen is None:
        chosen = topics.common_parent(kernel or list(votes))
    if chosen is None:
        chosen = topics.default if topics.default else votes.most_common(1)[0][0]
    if len(votes) > 1:
        parent = chosen if chosen != GENERIC else f"generic KVM ('{topics.kvm}:')"
        evidence.append(f"several topics ({', '.join(sorted(votes))}): common parent {parent}")
    return chosen, votes, evidence


def history_topic(subject: str, topics: TopicMap) -> str | None:
    """A past subject's topic, canonically spelled; GENERIC for ``KVM: Foo``."""
    topic = subject_topic(subject)
    if topic is not None:
        return topics.canonical(topic)
    if re.match(rf"\s*{re.escape(topics.kvm)}\s*:\s", subject, re.IGNORECASE):
        return GENERIC
    return None


class _Weights:
    """Tuned with benchmarks/topic_accuracy.py on the shared corpus.

    Class attributes, read through :data:`WEIGHTS` (no dataclass: the
    commit-msg hook imports this module).
    """

    #: Pseudo-weight of the path map's topic in one file's distribution.
    map_prior: float = 0.5
    #: Recent commits per file that vote, and how fast older ones fade.
    per_file: int = 15
    decay: float = 0.8
    #: A past commit's vote: this floor plus the Jaccard similarity of its
    #: files to the change's files.
    similarity_floor: float = 0.25
    #: Weight of all commits touching any of the files (the baseline's view).
    overall: float = 0.3
    #: Bonus for the first common parent of the mapped topics.
    common_parent: float = 0.1
    #: Weight of files that map to the default topic or to none.
    hub: float = 0.25
    #: When the two leading topics are this close, the common parent wins.
    contested_margin: float = 0.05
    contested_bonus: float = 0.5
    #: Bonus for the common parent when the mapped topics lie on different
    #: lines of descent (SVM and VMX files): the handbook's rule.
    divergent_bonus: float = 0.3
    #: The same for files of several architectures: a generic KVM change.
    cross_arch_bonus: float = 1.0
    #: Weight of the author's own latest commits among the last few (a
    #: topic branch's earlier patches), how many vote, and how far back.
    own_branch: float = 0.5
    own_branch_commits: int = 3
    own_branch_window: int = 10


WEIGHTS = _Weights()


def suggest_topics(
    paths: list[str],
    profile: Profile,
    repo: Repository | None = None,
    *,
    before: str | None = None,
    author: str | None = None,
) -> list[TopicSuggestion]:
    """Rank topics for a change touching ``paths``, best first.

    Each file gets a distribution over topics: the topics recent commits
    touching it used (newest weigh more) plus the path map's topic.  Files
    with a clear answer weigh more than files every topic touches (x86.c,
    kvm_host.h).  The first common parent of the mapped topics gets a
    bonus, and the topics of all recent commits over the files add a
    little.  ``before`` restricts history to that commit's ancestors.
    """
    w = WEIGHTS
    topics = TopicMap(profile)
    paths = [p for p in dict.fromkeys(paths) if p]
    if not paths:
        return []
    history: list[tuple[str, str, tuple[str, ...]]] = []
    if repo is not None:
        try:
            history = repo.log_touching(
                paths, limit=max(topics.history_limit, 1) * 2, before=before, all_files=True
            )
        except GitError:  # An unreadable repository: the map still answers.
            history = []
    per_file: dict[str, list[tuple[str, float]]] = {p: [] for p in paths}
    dirs = {p: p.rstrip("/") + "/" for p in paths}
    wanted = set(paths)
    for _, subject, files in history:
        # A past change over the same set of files speaks for this one more
        # than a tree-wide rename that happened to touch one of them.
        touched = set(files)
        shared = sum(1 for f in touched if f in wanted or f.startswith(tuple(dirs.values())))
        similarity = shared / max(len(touched | wanted), 1)
        for path in paths:
            if len(per_file[path]) < w.per_file and any(
                f == path or f.startswith(dirs[path]) for f in files
            ):
                per_file[path].append((subject, w.similarity_floor + similarity))

    scores: defaultdict[str, float] = defaultdict(float)
    notes: dict[str, list[str]] = {}
    weight_sum = 0.0
    for path in paths:
        dist: defaultdict[str, float] = defaultdict(float)
        for rank, (subject, similarity) in enumerate(per_file[path]):
            topic = history_topic(subject, topics)
            if topic is not None:
                dist[topic] += w.decay**rank * similarity
        total = sum(dist.values())
        if total:
            for topic in dist:
                dist[topic] /= total
            best = _top(dist)
            notes.setdefault(best, []).append(
                f"git log {path}: {len(per_file[path])} recent commits, mostly "
                f"'{topics.prefix(best) if best else topics.kvm + ':'}'"
            )
        mapped = topics.path_topic(path)
        if mapped:
            dist[mapped[0]] += w.map_prior if total else 1.0
            notes.setdefault(mapped[0], []).append(f"{path} -> {mapped[0]} (path map: {mapped[1]})")
        total = sum(dist.values())
        if not total:
            continue
        peak = max(dist.values()) / total
        weight = peak * peak
        if mapped is None or mapped[0] == topics.default:
            # Files every topic touches (x86.c, kvm_host.h) say little.
            weight *= w.hub
        for topic, value in dist.items():
            scores[topic] += weight * value / total
        weight_sum += weight
    if weight_sum:
        for topic in scores:
            scores[topic] /= weight_sum

    overall: defaultdict[str, float] = defaultdict(float)
    for rank, (_, subject, _) in enumerate(history[: topics.history_limit]):
        topic = history_topic(subject, topics)
        if topic is not None:
            overall[topic] += w.decay**rank
    total = sum(overall.values())
    for topic, value in overall.items():
        scores[topic] += w.overall * value / total

    own = _own_recent_topics(repo, topics, before, author)
    total = sum(own.values())
    for topic, value in own.items():
        scores[topic] += w.own_branch * value / total
    if own:
        best = _top(own)
        notes.setdefault(best, []).append(
            "the author's recent commits used "
            f"'{topics.prefix(best) if best else topics.kvm + ':'}'"
        )

    chosen, votes, evidence = path_votes(paths, topics)
    kernel = [t for t in votes if t != "selftests"]
    # Files of both vendors, or of several architectures: the handbook's
    # "first common parent" (x86, or generic KVM) names such a change.
    vendors = len({f for f in map(topics.family, kernel) if f}) > 1
    arches = len({a for a in map(topics.architecture, kernel) if a}) > 1
    if chosen is not None:
        # Files pulling towards different topics with none clearly ahead:
        # "a change over several topics gets the first common parent".
        ordered = sorted(scores.values(), reverse=True) + [0.0, 0.0]
        contested = bool(scores) and ordered[0] - ordered[1] <= w.contested_margin
        scores[chosen] += w.common_parent + (w.contested_bonus if contested else 0.0)
        if vendors or arches:
            scores[chosen] += w.cross_arch_bonus if arches else w.divergent_bonus
        if len(evidence) > len(paths) or any("several" in e for e in evidence):
            notes.setdefault(chosen, []).append(evidence[-1])
    if not scores and topics.default and any(p.startswith("arch/x86/") for p in paths):
        scores[topics.default] = 0.1
        notes[topics.default] = ["no path map entry or history: the profile's default topic"]
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [
        TopicSuggestion(
            topic,
            topics.prefix(topic) if topic else f"{topics.kvm}:",
            score,
            list(dict.fromkeys(notes.get(topic, []))),
        )
        for topic, score in ranked
        if score > 0
    ]


def _own_recent_topics(
    repo, topics: TopicMap, before: str | None, author: str | None
) -> defaultdict[str, float]:
    votes: defaultdict[str, float] = defaultdict(float)
    if repo is None or WEIGHTS.own_branch <= 0:
        return votes
    try:
        if author is None:
            email = repo.user_email() if before is None else None
        else:
            match = re.search(r"<([^<>]+)>", author)
            email = match.group(1) if match else author
        if not email:
            return votes
        subjects = repo.recent_subjects_by(email, limit=WEIGHTS.own_branch_window, before=before)
    except GitError:  # The other evidence still answers.
        return votes
    for rank, subject in enumerate(subjects[: WEIGHTS.own_branch_commits]):
        topic = history_topic(subject, topics)
        if topic is not None:
            votes[topic] += WEIGHTS.decay**rank
    return votes


def baseline_topic(
    paths: list[str], repo: Repository, *, before: str | None = None, limit: int = 40
) -> str | None:
    """The most frequent topic in ``git log`` of the touched files (no map)."""
    counts: Counter = Counter()
    for _, subject in repo.log_subjects(paths, limit=limit, before=before):
        topic = subject_topic(subject)
        if topic:
            counts[topic.lower()] += 1
    return counts.most_common(1)[0][0] if counts else None


def _top(weights: dict[str, float]) -> str:
    """The heaviest key; the first one seen among equals, as Counter.most_common."""
    return max(weights, key=lambda key: weights[key])
