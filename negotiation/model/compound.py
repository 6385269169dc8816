"""Grouping issues that clauses tie together into compound issues.

Additive utilities make issues independent, except where a clause (a constraint, a red line over
several issues, a bonus) mentions more than one issue: those issues must be treated jointly. The
connected components of the graph "issues linked by a common clause" are the compound issues used
by the frontier search engine and by exact per-party maximisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["issue_components"]


def issue_components(n_issues: int, groups: Iterable[Sequence[int]]) -> list[tuple[int, ...]]:
    """Connected components of issues, where each group (a clause's issues) links its members.

    Returns the components as sorted tuples, ordered by their smallest issue; issues mentioned
    by no group are singletons.

    Examples
    --------
    >>> issue_components(5, [(0, 2), (2, 3)])
    [(0, 2, 3), (1,), (4,)]
    """
    parent = list(range(n_issues))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for group in groups:
        group = list(group)
        for other in group[1:]:
            ra, rb = find(group[0]), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    comps: dict[int, list[int]] = {}
    for i in range(n_issues):
        comps.setdefault(find(i), []).append(i)
    return sorted((tuple(c) for c in comps.values()), key=lambda c: c[0])
