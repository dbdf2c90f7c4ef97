"""Union-find with must-link and cannot-link constraints, for event clusters.

User merges are applied first, in the order they were made; user splits and
conflicts between members are cannot-links checked on every union. Automatic
links are then applied best score first (ties by id, so the result does not depend
on the order pairs were found in), and a link is skipped when any member of one
cluster conflicts with any member of the other: that is what stops chaining.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

Pair = tuple[str, str]


@dataclass
class UnionFind:
    """Disjoint sets over string ids, with each root's members kept for constraint checks."""

    parent: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)

    def add(self, x: str) -> None:
        if x not in self.parent:
            self.parent[x] = x
            self.members[x] = [x]

    def find(self, x: str) -> str:
        self.add(x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, x: str, y: str) -> str:
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            return rx
        if (len(self.members[rx]), ry) < (len(self.members[ry]), rx):
            rx, ry = ry, rx
        self.parent[ry] = rx
        self.members[rx].extend(self.members.pop(ry))
        return rx

    def groups(self) -> list[list[str]]:
        return [sorted(m) for m in self.members.values()]


@dataclass
class ClusterResult:
    """Clusters plus what was applied and what could not be."""

    uf: UnionFind
    accepted: list[Pair]
    refused_merges: list[Pair]


def cluster(
    ids: Iterable[str],
    scored: Iterable[tuple[str, str, float]],
    *,
    must: Sequence[Pair] = (),
    cannot: Sequence[Pair] = (),
    conflicts: Callable[[str, str], bool] | None = None,
) -> ClusterResult:
    """Cluster `ids` from scored links under the constraints.

    `must`: user merges, applied in order unless a user split forbids them (a split wins).
    `cannot`: user splits. `conflicts(x, y)`: whether two events contradict each other; it
    keeps automatic links from joining clusters that hold a contradicting pair.
    """
    ordered = sorted(scored, key=best_first)
    return cluster_ordered(ids, ordered, must=must, cannot=cannot, conflicts=conflicts)


def best_first(link: tuple[str, str, float]) -> tuple[float, str, str]:
    """The order automatic links are applied in: best score first, ties by ids."""
    return (-link[2], link[0], link[1])


def cluster_ordered(
    ids: Iterable[str],
    best_first_links: Iterable[tuple[str, str, float]],
    *,
    must: Sequence[Pair] = (),
    cannot: Sequence[Pair] = (),
    conflicts: Callable[[str, str], bool] | None = None,
) -> ClusterResult:
    """`cluster` over links already in `best_first` order, read once: a store streams them
    sorted instead of holding every linked pair (millions in a dense corpus)."""
    uf = UnionFind()
    for x in ids:
        uf.add(x)
    forbidden: dict[str, set[str]] = {}
    for x, y in cannot:
        forbidden.setdefault(x, set()).add(y)
        forbidden.setdefault(y, set()).add(x)

    def split_between(rx: str, ry: str) -> bool:
        small, other = (rx, ry) if len(uf.members[rx]) <= len(uf.members[ry]) else (ry, rx)
        return any(uf.find(p) == other for m in uf.members[small] for p in forbidden.get(m, ()))

    def contradicts(rx: str, ry: str) -> bool:
        if conflicts is None:
            return False
        return any(conflicts(p, q) for p in uf.members[rx] for q in uf.members[ry])

    refused: list[Pair] = []
    for x, y in must:
        rx, ry = uf.find(x), uf.find(y)
        if rx == ry:
            continue
        if split_between(rx, ry):
            refused.append((x, y))
            continue
        uf.union(x, y)
    accepted: list[Pair] = []
    for x, y, _ in best_first_links:
        rx, ry = uf.find(x), uf.find(y)
        if rx == ry:
            continue
        if split_between(rx, ry) or contradicts(rx, ry):
            continue
        uf.union(x, y)
        accepted.append((x, y))
    return ClusterResult(uf, accepted, refused)
