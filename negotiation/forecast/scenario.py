"""Forecasts on scenarios: the spatial reading of a discrete scenario and the forecast deal.

**From a scenario to spatial inputs** (:func:`spatial_inputs`; every choice overridable):

* *the axis of an issue* -- each level gets a coordinate on 0--100:

  - ``axis="order"``: by the order of the levels, ``z_l = 100 l / (L - 1)``
    (a single level sits at 50);
  - ``axis="labels"``: by the level names read as numbers, mapped linearly from their smallest
    to their largest onto 0--100 (spatial data files name their levels this way);
  - ``axis="values"``: by a reference party's values, ``z_l = 100 (t_l - min t) / (max t - min
    t)`` with ``t`` its additive scores of the levels (``reference=`` the party's name; by
    default the first party whose scores differ across the levels, else the level order);
  - ``axis="auto"`` (default): ``labels`` when every level name of the issue is a number, else
    ``order``.
* *a party's position* -- the coordinate of the level it scores highest (ties: the mean of the
  tied coordinates);
* *salience* -- the spread of the party's scores over the issue's levels (``w_i`` for a
  weights-and-values party whose values span [0, 1]; the spread of its points for a points
  party), divided by its largest spread over the issues (``salience="relative"``, default: the
  party's most important issue has salience 1, BDM's convention), or the raw spreads
  normalised to sum 1 (``salience="weights"``);
* *capability* -- the party's ``power``.

**The forecast deal** is, on every issue, the level whose coordinate is nearest to the
forecast position (ties: the lower level). It is scored like any deal: the parties' utilities,
whether it is feasible (constraints, red lines, reservations, the agreement rule), its Euclidean
distance in utility space to the nearest point of the Pareto-feasible frontier (0 when it is on
it) and to each bargaining solution of :data:`negotiation.engine.solutions.SOLUTIONS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from negotiation.engine.analysis import Analysis, analyze
from negotiation.engine.deal import Deal
from negotiation.errors import NegotiationError
from negotiation.forecast import FORECASTS, forecast
from negotiation.forecast.base import ForecastResult
from negotiation.model.scenario import Scenario
from negotiation.model.spatial import SpatialProblem

__all__ = ["AXES", "spatial_inputs", "forecast_scenario", "ScenarioForecast", "nearest_levels"]

_TITLES = {
    "compromise": "compromise model (weighted mean)",
    "median": "weighted median voter model",
    "eum": "expected utility model (Scholz et al. 2011 reconstruction)",
    "exchange": "exchange model (Stokman & Van Oosten, equal gain)",
    "pce": "probabilistic Condorcet election (KTAB)",
}

#: The axis choices of :func:`spatial_inputs`.
AXES = ("auto", "order", "labels", "values")


def _numbers(levels) -> np.ndarray | None:
    try:
        return np.array([float(lv) for lv in levels])
    except ValueError:
        return None


def _axis(scores: np.ndarray, levels, axis: str, reference: int | None) -> np.ndarray:
    L = len(levels)
    order = np.linspace(0.0, 100.0, L) if L > 1 else np.array([50.0])
    if axis == "order":
        return order
    if axis in ("labels", "auto"):
        z = _numbers(levels)
        if z is None:
            if axis == "labels":
                raise NegotiationError(
                    f"axis 'labels' needs numeric level names, got {list(levels)}"
                )
            return order
        if np.ptp(z) == 0 or not np.all(np.isfinite(z)):
            return order
        return (z - z.min()) / np.ptp(z) * 100.0
    # values: a reference party's scores
    cols = [reference] if reference is not None else range(scores.shape[1])
    for p in cols:
        t = scores[:, p]
        if np.ptp(t) > 0:
            return (t - t.min()) / np.ptp(t) * 100.0
    return order


def spatial_inputs(
    scenario: Scenario,
    *,
    axis: str | Mapping[str, str] = "auto",
    reference: str | None = None,
    salience: str = "relative",
) -> SpatialProblem:
    """The spatial reading of a discrete scenario (see the module docstring).

    Parameters
    ----------
    scenario
        A scenario (continuous issues are discretised with the default resolution first).
    axis
        ``"auto"``, ``"order"``, ``"labels"`` or ``"values"``, or ``{issue: axis}`` (unlisted
        issues: ``"auto"``).
    reference
        The party whose values define the ``"values"`` axis.
    salience
        ``"relative"`` or ``"weights"``.

    Examples
    --------
    >>> import negotiation as ng
    >>> p = spatial_inputs(ng.load_scenario("textbook_two_party"))
    >>> p.positions.shape == (2, len(p.issues)), float(p.salience.max())
    (True, 1.0)
    """
    if scenario.is_continuous:
        scenario = scenario.discretize()
    if salience not in ("relative", "weights"):
        raise NegotiationError(f"salience must be 'relative' or 'weights', got {salience!r}")
    ref = None
    if reference is not None:
        if reference not in scenario.party_names:
            raise NegotiationError(
                f"unknown reference party {reference!r} (parties: {', '.join(scenario.party_names)})"
            )
        ref = scenario.party_names.index(reference)
    axes = dict(axis) if isinstance(axis, Mapping) else {}
    for name, a in axes.items():
        if name not in scenario.issue_names:
            raise NegotiationError(f"axis given for unknown issue {name!r}")
        if a not in AXES:
            raise NegotiationError(f"issue {name!r}: unknown axis {a!r} (known: {', '.join(AXES)})")
    if not isinstance(axis, Mapping) and axis not in AXES:
        raise NegotiationError(f"unknown axis {axis!r} (known: {', '.join(AXES)})")
    n, m = len(scenario.parties), len(scenario.issues)
    x, spread, coords = np.zeros((n, m)), np.zeros((n, m)), []
    for d, issue in enumerate(scenario.issues):
        scores = np.asarray(scenario.tables[d], dtype=float)  # levels x parties
        a = axes.get(issue.name, "auto") if isinstance(axis, Mapping) else axis
        z = _axis(scores, issue.levels, a, ref)
        coords.append(z)
        for p in range(n):
            col = scores[:, p]
            best = np.isclose(col, col.max(), rtol=1e-12, atol=1e-12)
            x[p, d] = z[best].mean()
            spread[p, d] = np.ptp(col)
    s = np.zeros_like(spread)
    for p in range(n):
        top = spread[p].max() if salience == "relative" else spread[p].sum()
        s[p] = spread[p] / top if top > 0 else 0.0
    cap = np.repeat(np.asarray(scenario.powers, dtype=float)[:, None], m, axis=1)
    return SpatialProblem(
        name=scenario.name,
        actors=scenario.party_names,
        issues=scenario.issue_names,
        positions=x,
        capability=cap,
        salience=s,
        scale=np.tile([0.0, 100.0], (m, 1)),
        labels=tuple(i.label for i in scenario.issues),
        file=scenario.file,
        sources=scenario.sources,
        levels=tuple(coords),
    )


def nearest_levels(forecast_positions: np.ndarray, coords: list[np.ndarray]) -> np.ndarray:
    """Per issue, the index of the level nearest to the forecast (ties: the lower level).

    >>> nearest_levels(np.array([49.0, 50.0]), [np.array([0.0, 100.0])] * 2).tolist()
    [0, 0]
    """
    return np.array(
        [
            int(np.argmin(np.abs(np.asarray(z) - y)))
            for y, z in zip(forecast_positions, coords, strict=True)
        ],
        dtype=np.int64,
    )


@dataclass(frozen=True, eq=False)
class ScenarioForecast:
    """A forecast on a scenario, with its deal scored like any deal.

    Attributes
    ----------
    result
        The model's :class:`ForecastResult` (positions on 0--100).
    problem
        The spatial inputs used.
    scenario
        The (discrete) scenario the deal lives in.
    deal
        The forecast deal (the level nearest each issue's forecast).
    feasible
        Whether the deal is feasible (constraints, red lines, reservations, agreement rule).
    distance_to_frontier
        Euclidean distance in utility space to the nearest Pareto-feasible deal (``None`` when
        the feasible set is empty).
    distances
        ``{solution: distance}`` to each bargaining solution's utilities.
    analysis
        The scenario's :class:`~negotiation.engine.analysis.Analysis`.
    """

    result: ForecastResult
    problem: SpatialProblem
    scenario: Scenario
    deal: Deal
    feasible: bool
    distance_to_frontier: float | None
    distances: dict[str, float] = field(default_factory=dict)
    analysis: Analysis | None = None

    @property
    def model(self) -> str:
        """The model's name."""
        return self.result.model

    def summary(self) -> str:
        """A plain-text summary: per issue the forecast, its path and the deal's level."""
        p, r = self.problem, self.result
        lines = [
            f"Forecast of {self.scenario.name} by the {_TITLES.get(self.model, self.model)} "
            f"({len(p.actors)} actors, {len(p.issues)} issues"
            + (f", {r.rounds} rounds)" if r.rounds else ")"),
            "",
        ]
        width = max(len(n) for n in p.issues)
        units = not np.allclose(p.scale, [0.0, 100.0])
        head = f"{'issue':<{width}}  forecast (0-100)"
        head += "  in file units" if units else ""
        lines.append(f"{head}  path                   deal level")
        for d, name in enumerate(p.issues):
            h = r.history[:, d]
            path = f"{h[0]:.1f} -> {h[-1]:.1f}" if len(h) > 1 else "static"
            row = f"{name:<{width}}  {r.forecast[d]:>16.2f}"
            if units:
                row += f"  {float(p.to_file_units(r.forecast[d], d)):>13.4g}"
            lines.append(f"{row}  {path:<21}  {self.deal.terms[name]}")
        lines.append("")
        utils = ", ".join(
            f"{a} {u:.3f}" for a, u in zip(self.deal.parties, self.deal.utilities, strict=True)
        )
        lines.append(f"Utilities of the forecast deal: {utils}")
        lines.append(
            f"Feasible (every party at or above its reservation, no red line): {'yes' if self.feasible else 'no'}"
        )
        if self.distance_to_frontier is None:
            lines.append("The feasible set is empty: no frontier to compare with.")
        else:
            lines.append(
                f"Distance to the Pareto-feasible frontier (utility space): {self.distance_to_frontier:.4f}"
            )
        if self.distances:
            lines.append(
                "Distance to the bargaining solutions: "
                + ", ".join(f"{k} {v:.4f}" for k, v in self.distances.items())
            )
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """JSON shape ``{model, issues: {issue: {forecast, history}}, deal, utilities}``.

        ``forecast`` and ``history`` are positions on the issue's 0--100 axis; each issue also
        has ``level`` (the deal's level) and, for spatial data with other units,
        ``forecast_in_file_units``. Extra keys: ``feasible``, ``distance_to_frontier``,
        ``distance_to_solutions``, ``rounds``, ``details``.
        """
        issues = {}
        p = self.problem
        for d, name in enumerate(p.issues):
            entry = {
                "forecast": float(self.result.forecast[d]),
                "history": [float(v) for v in self.result.history[:, d]],
                "level": self.deal.terms[name],
            }
            if not np.array_equal(p.scale[d], [0.0, 100.0]):
                entry["forecast_in_file_units"] = float(p.to_file_units(self.result.forecast[d], d))
            issues[name] = entry
        out = {
            "model": self.model,
            "issues": issues,
            "deal": dict(self.deal.terms),
            "utilities": {
                a: float(u) for a, u in zip(self.deal.parties, self.deal.utilities, strict=True)
            },
            "feasible": self.feasible,
            "distance_to_frontier": self.distance_to_frontier,
            "distance_to_solutions": dict(self.distances),
            "rounds": self.result.rounds,
            "actors": list(p.actors),
        }
        details = {
            k: v
            for k, v in self.result.details.items()
            if k in ("moves", "exchanges", "probabilities", "Q", "T")
        }
        if details:
            out["details"] = details
        return out


def forecast_scenario(
    source: Scenario | SpatialProblem,
    model: str = "compromise",
    *,
    rounds: int | None = None,
    analysis: Analysis | None = None,
    axis: str | Mapping[str, str] = "auto",
    reference: str | None = None,
    salience: str = "relative",
    progress: bool | None = False,
    **params: object,
) -> ScenarioForecast:
    """Run a forecasting model on a scenario (or spatial data) and score its deal.

    Parameters
    ----------
    source
        A scenario (read spatially by :func:`spatial_inputs`) or a
        :class:`~negotiation.model.spatial.SpatialProblem` (read from a BDM, SMP or Decide
        file: its exact capabilities and saliences are used, and its scenario is
        :meth:`SpatialProblem.to_scenario`).
    model
        A key of :data:`negotiation.forecast.FORECASTS`.
    rounds
        Rounds for the dynamic models (``None``: the model's default).
    analysis
        The scenario's analysis, if already computed (else :func:`analyze` runs).
    axis, reference, salience
        The spatial reading of a scenario (ignored for spatial data).
    params
        More keyword arguments for the model (e.g. ``Q``, ``T`` for the EUM).

    Examples
    --------
    >>> import negotiation as ng
    >>> f = forecast_scenario(ng.load_scenario("textbook_two_party"), "median")
    >>> sorted(f.to_dict())[:4]
    ['actors', 'deal', 'distance_to_frontier', 'distance_to_solutions']
    """
    if model not in FORECASTS:
        raise NegotiationError(
            f"unknown forecasting model {model!r} (known: {', '.join(FORECASTS)})"
        )
    if isinstance(source, SpatialProblem):
        problem, scenario = source, source.to_scenario()
    else:
        scenario = source.discretize() if source.is_continuous else source
        problem = spatial_inputs(scenario, axis=axis, reference=reference, salience=salience)
    kwargs = dict(params)
    if rounds is not None:
        kwargs["rounds"] = rounds
    if model in ("eum", "exchange"):
        kwargs["progress"] = progress
    result = forecast(model, problem.positions, problem.capability, problem.salience, **kwargs)
    coords = problem.level_positions()
    levels = nearest_levels(result.forecast, coords)
    U = scenario.utilities(levels[None, :])
    feasible = bool(scenario.feasible_mask(levels[None, :], U)[0])
    terms = {iss.name: iss.levels[k] for iss, k in zip(scenario.issues, levels, strict=True)}
    deal = Deal(levels, U[0], terms, scenario.party_names)
    if analysis is None:
        analysis = analyze(scenario, lotteries=False)
    dist_front = None
    if not analysis.frontier.is_empty:
        F = np.asarray(analysis.frontier.utilities, dtype=float)
        dist_front = float(np.sqrt(((F - U[0]) ** 2).sum(axis=1)).min())
    distances = {
        name: float(np.sqrt(((np.asarray(sol.utilities) - U[0]) ** 2).sum()))
        for name, sol in analysis.solutions.items()
    }
    return ScenarioForecast(
        result, problem, scenario, deal, feasible, dist_front, distances, analysis
    )
