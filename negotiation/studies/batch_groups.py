"""Sweep samples grouped for the batched evaluation: by red-line configuration, inputs parsed.

:func:`group_samples` groups the samples of a batch by the red lines they switch off (each group
shares one candidate set, :func:`negotiation.studies.candidates.candidate_set`) and parses every
sample's inputs for :class:`~negotiation.studies.numbers.Numbers`. Samples that set the same
paths in the same order (a Monte Carlo sweep) share one parse of the paths
(:class:`~negotiation.studies.numbers.ParsedInputs`); the others are parsed path by path.
Used by :mod:`negotiation.studies.batch`.

Examples
--------
>>> import negotiation as ng
>>> from negotiation.studies.candidates import make_plan
>>> from negotiation.studies.sweep import monte_carlo_samples
>>> s = ng.load_scenario("textbook_two_party")
>>> plan = make_plan(s, ("nash",), None, "auto", None)
>>> groups, parsed = group_samples(plan, monte_carlo_samples(s, 3, seed=0))
>>> list(groups.values()), len(parsed[0]) == len(monte_carlo_samples(s, 1, seed=0)[0])
([[0, 1, 2]], True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.model.scenario import Scenario
from negotiation.studies.candidates import Plan
from negotiation.studies.inputs import InputPath, parse_path
from negotiation.studies.numbers import ParsedInputs

__all__ = ["group_samples"]


def group_samples(
    plan: Plan, samples: Sequence[Mapping[str, float]]
) -> tuple[dict[tuple[tuple[int, ...], ...], list[int]], list]:
    """Samples by red-line configuration (indices), and every sample's parsed inputs (``None``
    for a sample whose paths do not parse or whose red-line switch is not a number: those go
    to the per-sample path). Each distinct path (and each order of paths) is parsed once."""
    s = plan.scenario
    names = s.party_names
    paths: dict[str, InputPath | None] = {}
    groups: dict[tuple[tuple[int, ...], ...], list[int]] = {}
    parsed_all: list = []
    layouts: dict[tuple[str, ...], _Layout | None] = {}
    for k, sample in enumerate(samples):
        keys = tuple(sample)
        if keys not in layouts:
            layouts[keys] = _Layout.of(keys, s)
        layout = layouts[keys]
        try:
            fast = layout is not None
            entry = layout.parse(sample, names) if layout is not None else None
        except (TypeError, ValueError):  # a value that is not a number: as _parse_one says
            fast = False
        if not fast:  # path by path (a path that does not parse, a value that is no number)
            entry = _parse_one(sample, paths, s, names)
        parsed_all.append(entry[1] if entry is not None else None)
        if entry is not None:
            groups.setdefault(entry[0], []).append(k)
    return groups, parsed_all


def _parse_one(
    sample: Mapping[str, float],
    paths: dict[str, InputPath | None],
    s: Scenario,
    names: Sequence[str],
) -> tuple | None:
    """``(drops, parsed)`` of one sample, path by path, or ``None`` (the per-sample path runs
    it: a path that does not parse, a red-line switch that is not a number)."""
    off: dict[int, set[int]] = {}
    parsed: list[tuple[InputPath, float]] = []
    for path, value in sample.items():
        if path not in paths:
            try:
                paths[path] = parse_path(path, s)
            except ScenarioError:
                paths[path] = None
        p = paths[path]
        v = float(value)
        if p is None or (p.field == "red_line" and not math.isfinite(v)):
            return None
        if p.field == "red_line" and not bool(np.round(v)):
            # A red-line path always carries its index.
            off.setdefault(names.index(p.party), set()).add(p.index)  # type: ignore[arg-type]
        parsed.append((p, v))
    drops = tuple(tuple(sorted(off.get(q, ()))) for q in range(len(names)))
    return drops, parsed


class _Layout:
    """The parsed paths of one key order of samples (a Monte Carlo sweep has one): a sample is
    parsed by zipping them with its values, checking only its red-line switches."""

    __slots__ = ("paths", "red")

    def __init__(self, paths: tuple[InputPath, ...]) -> None:
        self.paths = paths
        self.red = [(j, p) for j, p in enumerate(paths) if p.field == "red_line"]

    @classmethod
    def of(cls, keys: tuple[str, ...], s: Scenario) -> _Layout | None:
        """``None`` when some path does not parse (the sample loop handles that)."""
        try:
            return cls(tuple(parse_path(path, s) for path in keys))
        except ScenarioError:
            return None

    def parse(self, sample: Mapping[str, float], names: Sequence[str]) -> tuple | None:
        """``(drops, parsed)`` as :func:`_parse_one` makes them, ``None`` where it gives
        ``None``; raises ``TypeError`` or ``ValueError`` for a value that is not a number."""
        values = list(map(float, sample.values()))
        off: dict[int, set[int]] = {}
        for j, p in self.red:
            v = values[j]
            if not math.isfinite(v):
                return None
            if round(v) == 0:  # as bool(np.round(v)): both round half to even
                off.setdefault(names.index(p.party), set()).add(p.index)  # type: ignore[arg-type]
        drops = tuple(tuple(sorted(off.get(q, ()))) for q in range(len(names)))
        return drops, ParsedInputs(self.paths, values)
