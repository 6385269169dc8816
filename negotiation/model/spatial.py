"""Spatial problems: actors' positions on issue continua, with capability and salience.

The political forecasting models (:mod:`negotiation.forecast`) and the field's data formats
(BDM CSV, KTAB SMP CSV, Decide; :mod:`negotiation.io.spatial_csv`,
:mod:`negotiation.io.decide`) describe a negotiation *spatially*: each actor has a
position on each issue's continuum, a capability (power) and a salience per issue.
:class:`SpatialProblem` holds that data, and :meth:`SpatialProblem.to_scenario` turns it into a
:class:`~negotiation.model.scenario.Scenario` that the rest of the tool can analyse:

* one discrete issue per spatial issue; its **levels are the actors' distinct positions**,
  sorted ascending, named by the number in the file's own units (``"40"``, ``"62.5"``);
* one party per actor, with ``power`` = the actor's capability (its mean over the issues when
  the data give one per issue) and ``weights`` = its saliences (normalised to sum 1 by the
  scenario, as every party's weights are);
* each party's **value** of a level at position ``z`` is ``1 - |z - x| / 100`` on the 0--100
  continuum, ``x`` its own position (a linear loss, the spatial utility of the forecasting
  literature); reservation values 0.

Positions are kept on the 0--100 continuum the models assume; ``scale`` holds each issue's
``(low, high)`` in the file's units (``x_file = low + x / 100 * (high - low)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario

__all__ = ["SpatialProblem", "number_label"]


def number_label(x: float) -> str:
    """A short level name for a position: ``'40'``, ``'62.5'``, ``'0.333333'``.

    >>> number_label(40.0), number_label(62.5), number_label(1 / 3)
    ('40', '62.5', '0.333333')
    """
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True, eq=False)
class SpatialProblem:
    """Actors, issues, positions (0--100), capability and salience; see the module docstring.

    Parameters
    ----------
    name
        Name of the problem (the scenario's name).
    actors, issues
        Actor names; issue identifiers (``[a-z][a-z0-9_]*``).
    positions, capability, salience
        ``n x m`` arrays (positions on 0--100, capability ``>= 0``, salience in [0, 1]).
    scale
        ``m x 2``: each issue's ``(low, high)`` in the data's own units.
    labels
        Optional display labels of the issues (the names in the file).
    file
        Where the data came from (for messages).
    sources
        Where the numbers come from (copied into the scenario).
    levels
        Optional: per issue, the 0--100 coordinates of a scenario's levels (when the problem was
        derived from a scenario); by default the sorted distinct positions.
    """

    name: str
    actors: tuple[str, ...]
    issues: tuple[str, ...]
    positions: np.ndarray
    capability: np.ndarray
    salience: np.ndarray
    scale: np.ndarray
    labels: tuple[str | None, ...] = ()
    file: str | None = None
    sources: tuple[str, ...] = field(default_factory=tuple)
    levels: tuple[np.ndarray, ...] | None = None

    def __post_init__(self) -> None:
        n, m = len(self.actors), len(self.issues)
        for attr in ("positions", "capability", "salience"):
            a = np.array(getattr(self, attr), dtype=float)
            if a.shape != (n, m):
                raise ScenarioError(f"{attr} must be {n} x {m}, got {a.shape}", file=self.file)
            a.setflags(write=False)
            object.__setattr__(self, attr, a)
        sc = np.array(self.scale, dtype=float).reshape(m, 2)
        sc.setflags(write=False)
        object.__setattr__(self, "scale", sc)
        if not self.labels:
            object.__setattr__(self, "labels", tuple(None for _ in self.issues))
        if len(set(self.actors)) != n:
            raise ScenarioError("an actor is listed twice", file=self.file)
        if len(set(self.issues)) != m:
            raise ScenarioError("an issue is listed twice", file=self.file)

    def to_file_units(self, x: np.ndarray | float, issue: int) -> np.ndarray | float:
        """Positions on 0--100 converted back to the data's units for ``issue``."""
        lo, hi = self.scale[issue]
        return lo + np.asarray(x) / 100.0 * (hi - lo)

    def level_positions(self) -> list[np.ndarray]:
        """Per issue, the 0--100 coordinates of the scenario's levels (by default the sorted
        distinct positions of the actors)."""
        if self.levels is not None:
            return [np.asarray(z, dtype=float) for z in self.levels]
        return [np.unique(self.positions[:, d]) for d in range(len(self.issues))]

    def to_scenario(self) -> Scenario:
        """The scenario this problem maps to (see the module docstring).

        Examples
        --------
        >>> p = SpatialProblem("t", ("A", "B"), ("x",), [[0.0], [100.0]], [[1.0], [2.0]],
        ...                    [[1.0], [0.5]], [[0.0, 10.0]])
        >>> s = p.to_scenario()
        >>> s.issues[0].levels, s.parties[1].power
        (('0', '10'), 2.0)
        """
        issues, values = [], []
        for d, name in enumerate(self.issues):
            z = self.level_positions()[d]
            names = tuple(
                dict.fromkeys(
                    number_label(float(v)) for v in np.atleast_1d(self.to_file_units(z, d))
                )
            )
            if len(names) != len(z):  # positions that print alike: fall back to 0-100 labels
                names = tuple(number_label(float(v)) for v in z)
            issues.append(Issue(name, names, label=self.labels[d]))
            values.append((names, z))
        parties = []
        for a, actor in enumerate(self.actors):
            cap = float(self.capability[a].mean())
            if cap <= 0:
                raise ScenarioError(
                    "capability must be > 0 to become a party's power", file=self.file, party=actor
                )
            if not np.any(self.salience[a] > 0):
                raise ScenarioError(
                    "salience is 0 on every issue: the actor cares about nothing",
                    file=self.file,
                    party=actor,
                )
            weights = {name: float(self.salience[a, d]) for d, name in enumerate(self.issues)}
            vals = {}
            for d, name in enumerate(self.issues):
                names, z = values[d]
                x = self.positions[a, d]
                vals[name] = {
                    lv: float(np.clip(1.0 - abs(zz - x) / 100.0, 0.0, 1.0))
                    for lv, zz in zip(names, z, strict=True)
                }
            parties.append(Party(actor, weights=weights, values=vals, power=cap))
        return Scenario(
            name=self.name,
            description="A spatial problem (positions, capability, salience) as a scenario",
            sources=self.sources,
            issues=tuple(issues),
            parties=tuple(parties),
            file=self.file,
        )

    @classmethod
    def from_arrays(
        cls,
        positions: Sequence,
        capability: Sequence,
        salience: Sequence,
        *,
        actors: Sequence[str] | None = None,
        issues: Sequence[str] | None = None,
        name: str = "spatial",
    ) -> SpatialProblem:
        """A problem from plain arrays on the 0--100 continuum (``capability`` may be a vector).

        >>> SpatialProblem.from_arrays([[10, 90]], [1], [[1, 1]]).issues
        ('issue_1', 'issue_2')
        """
        x = np.array(positions, dtype=float)
        n, m = x.shape
        c = np.array(capability, dtype=float)
        if c.ndim == 1:
            c = np.repeat(c[:, None], m, axis=1)
        return cls(
            name,
            tuple(actors or (f"actor_{k + 1}" for k in range(n))),
            tuple(issues or (f"issue_{k + 1}" for k in range(m))),
            x,
            c,
            np.array(salience, dtype=float),
            np.tile([0.0, 100.0], (m, 1)),
        )
