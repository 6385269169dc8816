"""What a batch of sweep samples shares: the plan and the candidate set.

Part of the batched sweep (:mod:`negotiation.studies.batch`, whose docstring gives the idea).
Moving numbers (weights, values, reservations, powers) leaves the structure of a scenario
alone: its issues, constraints, red lines and agreement rule. So, for a batch:

* :func:`make_plan` decides whether batching applies at all (no ``extra`` column function, the
  enumeration engine, an enumerable discretisation, every solution registered) and fixes what
  every sample shares (the discretised scenario, the baseline deal's levels);
* :func:`candidate_set` lists, once per red-line configuration (cached per process), the
  outcomes that can be feasible: those no constraint forbids that pass the agreement rule if
  every party's reservation were met (under unanimity: crossing no red line), with each
  party's values and bonus terms on them. Above :data:`MAX_CANDIDATES` it returns ``None`` and
  the per-sample path runs.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace

import numpy as np

from negotiation.engine.select import choose_engine
from negotiation.engine.solutions import SOLUTIONS
from negotiation.errors import NegotiationError
from negotiation.model.blocks import evaluate_blocks, split_point
from negotiation.model.scenario import AgreementRule, Scenario
from negotiation.model.space import DEFAULT_CHUNK

__all__ = [
    "Plan",
    "Candidates",
    "make_plan",
    "candidate_set",
    "trusted_variant",
    "MAX_CANDIDATES",
]

#: Largest candidate set (outcomes that can be feasible) held for batching, about 0.5 kB each
#: (levels, each party's values, masks); above it the per-sample path runs.
MAX_CANDIDATES = 200_000

#: Candidate sets kept per process (keyed by the scenario's structure and red-line switches).
_CACHE_SIZE = 8


# -- the plan: what the whole batch shares ------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    scenario: Scenario  # as given (maybe continuous)
    discrete: Scenario  # what the engine enumerates
    rule: AgreementRule
    solutions: tuple[str, ...]
    target: np.ndarray | None  # baseline deal's level row
    issues: tuple[str, ...]
    parties: tuple[str, ...]
    n_outcomes: int


@dataclass(frozen=True)
class Candidates:
    """The outcomes that can be feasible under one red-line configuration, in index order."""

    index: np.ndarray  # outcome indices (ascending)
    levels: np.ndarray  # N x issues
    red: np.ndarray  # N x parties: crosses the party's red line
    values: tuple[np.ndarray, ...]  # per party, N x issues: the value (or points) of each row
    bonus: np.ndarray  # N x parties: bonus sums (screen only)
    bonus_terms: tuple[tuple[int, float, np.ndarray], ...]  # (party, value, N mask), in order
    n_allowed: int
    block_len: int  # outcomes per enumeration block
    sizes: tuple[int, ...]  # levels per issue
    onehot_cache: list = field(default_factory=list)  # N x levels one-hot, built on first use
    # per party: the rows sorted for the first party's screen (studies/screen.py), on first use
    screen_cache: dict = field(default_factory=dict, repr=False, compare=False)


def make_plan(
    scenario: Scenario,
    solutions: Sequence[str],
    baseline: Mapping[str, str] | None,
    engine: str,
    extra: Callable | None,
) -> Plan | None:
    """What the batch shares, or ``None`` when the per-sample path must run for every sample."""
    import inspect

    from negotiation.engine.analysis import analyze

    if extra is not None or engine not in ("auto", "enumerate"):
        return None
    if any(name not in SOLUTIONS for name in solutions):
        return None
    try:
        # as analyze() discretises each variant: its default grid
        resolution = inspect.signature(analyze).parameters["resolution"].default
        discrete = scenario.discretize(resolution) if scenario.is_continuous else scenario
        space = discrete.space
        space._check_indexable()
        target = scenario.space.encode(baseline) if baseline is not None else None
    except NegotiationError:
        return None
    rule = scenario.agreement
    if engine == "auto" and choose_engine(discrete, rule) == "search":
        return None  # analyze() would run the search engine (the one policy: choose_engine)
    return Plan(
        scenario,
        discrete,
        rule,
        tuple(solutions),
        target,
        scenario.issue_names,
        scenario.party_names,
        space.cardinality,
    )


_CACHE: dict[str, Candidates | None] = {}
_LOCK = threading.Lock()


def candidate_set(plan: Plan, drops: tuple[tuple[int, ...], ...]) -> Candidates | None:
    """The candidate set with the given red lines switched off (cached per process)."""
    d = plan.discrete
    key = repr((d.issues, d.constraints, d.parties, plan.rule, drops))
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    out = _build(plan, drops)
    with _LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)), None)
        _CACHE[key] = out
    return out


def _build(plan: Plan, drops: tuple[tuple[int, ...], ...]) -> Candidates | None:
    d = plan.discrete
    parties = d.parties
    if any(drops):
        parties = tuple(
            replace(p, red_lines=tuple(c for k, c in enumerate(p.red_lines) if k not in gone))
            for p, gone in zip(d.parties, drops, strict=True)
        )
    s = trusted_variant(d, parties)
    space = s.space
    idx_parts, red_parts = [], []
    n_allowed = 0
    sizes = space.sizes
    held = 0
    for block in evaluate_blocks(s, DEFAULT_CHUNK):
        n_allowed += int(np.count_nonzero(block.allowed))
        possible = block.allowed & s.passes(~block.red, plan.rule)
        rows = np.flatnonzero(possible)
        held += rows.size
        if held > MAX_CANDIDATES:
            return None  # too large to hold: the per-sample path runs
        idx_parts.append(rows + block.start)
        red_parts.append(block.red[rows])
    index = np.concatenate(idx_parts) if idx_parts else np.zeros(0, dtype=np.int64)
    levels = space.levels_of(index)
    red = np.concatenate(red_parts) if red_parts else np.zeros((0, len(parties)), bool)
    terms = []
    bonus = np.zeros((index.size, len(parties)))
    for p, bonuses in enumerate(s.bonuses):
        for b in bonuses:
            mask = b.clause.match(levels, sizes)
            terms.append((p, float(b.value), mask))
            bonus[:, p] += b.value * mask
    values = []
    for p, party in enumerate(s.parties):
        cols = []
        for i in range(len(sizes)):
            table = s.tables[i][:, p] if party.scored_in_points else s.values(p, i)
            cols.append(np.asarray(table, dtype=float)[levels[:, i]])
        values.append(np.ascontiguousarray(np.stack(cols, axis=1)))
    s_split = split_point(sizes, DEFAULT_CHUNK)
    suffix = math.prod(sizes[s_split:])
    out = Candidates(
        index=index,
        levels=levels,
        red=red,
        values=tuple(values),
        bonus=bonus,
        bonus_terms=tuple(terms),
        n_allowed=n_allowed,
        block_len=max(1, DEFAULT_CHUNK // suffix) * suffix,
        sizes=tuple(sizes),
    )
    return out


def trusted_variant(base: Scenario, parties: tuple) -> Scenario:
    """A copy of ``base`` with other parties, *not re-validated*.

    Only for variants whose validity :func:`_screen` has certified (or that only switch red lines
    off): the validating constructor costs several milliseconds, more than the whole batched
    evaluation of a sample. Derived arrays are computed lazily from the parties as usual; the
    outcome space (same issues and constraints) is shared.
    """
    v = object.__new__(type(base))
    for f in fields(base):
        object.__setattr__(v, f.name, getattr(base, f.name))
    object.__setattr__(v, "parties", tuple(parties))
    v.__dict__["space"] = base.space
    return v
