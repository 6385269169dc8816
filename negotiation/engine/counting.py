"""Exact counting and extremes of one party's utility over a (restricted) outcome space.

With additive utilities a party's utility is a sum over *compound issues* (issues tied together
by a clause: a constraint, a forbidden red line or one of the party's bonuses, see
:func:`negotiation.model.compound.issue_components`). Each compound issue is small enough to be
enumerated; the whole space is their product. Over that product:

* the maximum and minimum utility are the sums of the components' maxima and minima;
* the number of outcomes with ``u >= t`` is counted exactly by a dynamic programme over the
  components on the distinct partial sums (a counting knapsack): a partial sum whose every
  completion reaches ``t`` adds its count times the number of completions and is dropped, one
  that no completion can reach is dropped, the others go on. So ranks are exact also in spaces
  far too large to enumerate (10^18 outcomes), as long as the undecided partial sums stay few
  (bounded by ``max_states``; beyond it a :class:`NotApplicableError` says so).

Partial sums here are added in a different order than
:meth:`~negotiation.model.scenario.Scenario.utilities`; callers compare with a tolerance
(:func:`negotiation.model.scenario.reservation_tolerance`) far above the rounding (~1e-15).

>>> from negotiation.model.issues import Issue
>>> from negotiation.model.party import Party
>>> from negotiation.model.scenario import Scenario
>>> s = Scenario("t", tuple(Issue(f"i{k}", ("a", "b", "c")) for k in range(3)),
...              (Party("A", {f"i{k}": 1 for k in range(3)}),))
>>> comps = party_components(s, 0)
>>> count_at_least(comps, 0.5), 3 ** 3
(17, 27)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from negotiation.errors import NotApplicableError
from negotiation.model.clauses import Clause
from negotiation.model.compound import issue_components
from negotiation.model.scenario import Scenario

__all__ = ["Component", "party_components", "count_at_least", "DEFAULT_MAX_STATES"]

#: Cap on the distinct undecided partial sums of :func:`count_at_least`.
DEFAULT_MAX_STATES = 250_000
#: Cap on the sub-outcomes of one compound issue.
MAX_COMPONENT = 4_000_000


@dataclass(frozen=True)
class Component:
    """One compound issue: its issues and the party's utility of each allowed sub-outcome."""

    issues: tuple[int, ...]
    values: np.ndarray  # utility of each allowed sub-outcome (float64)

    @property
    def size(self) -> int:
        """Allowed sub-outcomes."""
        return int(self.values.size)


def party_components(
    scenario: Scenario,
    party: int,
    *,
    forbid: Sequence[Clause] | None = None,
    fixed: Mapping[int, int] | None = None,
) -> list[Component]:
    """The compound issues of one party's utility over the allowed outcomes.

    Parameters
    ----------
    scenario
        A discrete scenario.
    party
        Index of the party whose utility (issue scores plus its bonuses) is summed.
    forbid
        Clauses whose matching outcomes are left out (default: the scenario's constraints).
    fixed
        ``{issue index: level index}``: only outcomes with these levels count.
    """
    forbid = scenario.constraint_clauses if forbid is None else tuple(forbid)
    fixed = dict(fixed or {})
    sizes = scenario.space.sizes
    bonuses = scenario.bonuses[party]
    groups = [c.issues for c in forbid] + [b.clause.issues for b in bonuses]
    out = []
    for comp in issue_components(len(sizes), groups):
        axes = [np.array([fixed[i]]) if i in fixed else np.arange(sizes[i]) for i in comp]
        count = math.prod(a.size for a in axes)
        if count > MAX_COMPONENT:
            raise NotApplicableError(
                f"issues {[scenario.issues[i].name for i in comp]} are tied by clauses into "
                f"{count:,} combinations, more than {MAX_COMPONENT:,}"
            )
        grid = np.stack([g.reshape(-1) for g in np.meshgrid(*axes, indexing="ij")], axis=1)
        full = np.zeros((count, len(sizes)), dtype=np.int64)
        full[:, list(comp)] = grid
        ok = np.ones(count, dtype=bool)
        for c in forbid:
            if set(c.issues) <= set(comp):
                ok &= ~c.match(full, sizes)
        u = np.zeros(count)
        for k, i in enumerate(comp):
            u += scenario.tables[i][grid[:, k], party]
        for b in bonuses:
            if set(b.clause.issues) <= set(comp):
                u += b.value * b.clause.match(full, sizes)
        out.append(Component(tuple(comp), u[ok]))
    return out


def n_outcomes(components: Sequence[Component]) -> int:
    """Number of outcomes of the (restricted) space (a Python int)."""
    return math.prod(c.size for c in components)


def extremes(components: Sequence[Component]) -> tuple[float, float] | None:
    """``(min, max)`` utility over the space; ``None`` when it is empty."""
    if any(c.size == 0 for c in components):
        return None
    return (
        float(sum(c.values.min() for c in components)),
        float(sum(c.values.max() for c in components)),
    )


def count_at_least(
    components: Sequence[Component], threshold: float, *, max_states: int = DEFAULT_MAX_STATES
) -> int:
    """Exact number of outcomes with ``u >= threshold`` (a Python int).

    Raises
    ------
    NotApplicableError
        When more than ``max_states`` distinct undecided partial sums would be needed.
    """
    if any(c.size == 0 for c in components):
        return 0
    comps = sorted(components, key=lambda c: -c.size)  # big ones first: fewer states later
    k = len(comps)
    hi = np.array([c.values.max() for c in comps] + [0.0])
    lo = np.array([c.values.min() for c in comps] + [0.0])
    rest_hi = np.cumsum(hi[::-1])[::-1]  # rest_hi[j]: max of components j..k-1
    rest_lo = np.cumsum(lo[::-1])[::-1]
    rest_n = [math.prod(c.size for c in comps[j:]) for j in range(k + 1)]
    big = rest_n[0] >= 2**62
    dtype = object if big else np.int64
    sums = np.zeros(1)
    counts = np.ones(1, dtype=dtype)
    total = 0
    slack = 1e-12 * (1.0 + float(np.abs(hi).sum() + np.abs(lo).sum()))
    for j, comp in enumerate(comps):
        vals, vcounts = np.unique(comp.values, return_counts=True)
        if sums.size * vals.size > 4 * max_states:
            raise NotApplicableError(
                f"exact counting needs more than {max_states:,} distinct partial utilities"
            )
        new = (sums[:, None] + vals[None, :]).reshape(-1)
        cnt = (counts[:, None] * vcounts.astype(dtype)[None, :]).reshape(-1)
        # Decided: every completion reaches the threshold, or none does.
        sure = new + rest_lo[j + 1] >= threshold + slack
        never = new + rest_hi[j + 1] < threshold - slack
        if sure.any():
            total += int(cnt[sure].sum()) * rest_n[j + 1]
        keep = ~(sure | never)
        new, cnt = new[keep], cnt[keep]
        if new.size == 0:
            return total
        sums, inverse = np.unique(new, return_inverse=True)
        if sums.size > max_states:
            raise NotApplicableError(
                f"exact counting needs more than {max_states:,} distinct partial utilities"
            )
        counts = np.zeros(sums.size, dtype=dtype)
        np.add.at(counts, inverse.reshape(-1), cnt)
    # After the last component the sums are complete utilities.
    total += int(counts[sums >= threshold].sum())
    return total
