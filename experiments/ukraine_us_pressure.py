"""US pressure on the Ukraine 2025 talks: how the deals move as Ukraine's walk-away value falls
(US support withdrawn) and as the United States' bargaining power grows.

    python experiments/ukraine_us_pressure.py [--quick] [--out DIR]

A grid over ``Ukraine/reservation`` (from the scenario's 0.50 down to 0.30) and
``United States/power``. For each point: the Nash, Kalai-Smorodinsky and asymmetric Nash deals
and, from the games module, the Rubinstein equilibrium between Russia and Ukraine. Writes
``us_pressure.csv`` and figures to ``results/ukraine_us_pressure/``; prints which deal terms
change. A model for analysis, not a forecast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from _common import parse_args, save_figure

import negotiation as ng
from negotiation.dynamics.games import rubinstein
from negotiation.plots import plot_sensitivity
from negotiation.studies import grid_samples, run_sweep

NAME = "ukraine_us_pressure"
SOLUTIONS = ("nash", "kalai_smorodinsky", "asymmetric_nash")


def rubinstein_columns(analysis: Any) -> Mapping[str, Any]:
    """The Russia-Ukraine Rubinstein equilibrium of one variant, as columns."""
    if analysis.frontier.is_empty:
        return {}
    result = rubinstein(analysis.scenario, ("Russia", "Ukraine"), frontier=analysis.frontier)
    return {f"rubinstein.u.{p}": u for p, u in result.utilities.items()}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(NAME, __doc__.splitlines()[0], argv)
    scenario = ng.load_scenario("ukraine_2025")
    n = 3 if args.quick else 9
    grid = {
        "Ukraine/reservation": list(np.linspace(0.50, 0.30, n)),
        "United States/power": [1.3, 2.0, 3.0] if not args.quick else [1.3, 3.0],
    }
    rows = run_sweep(
        scenario,
        grid_samples(scenario, grid),
        workers=1,
        solutions=SOLUTIONS,
        baseline="nash",
        extra=rubinstein_columns,
        progress=not args.quick,
    )
    rows.to_csv(args.out / "us_pressure.csv", index=False)
    base = rows[np.isclose(rows["United States/power"], 1.3)]
    print("Ukraine's walk-away value falling (US power at the scenario's 1.3):")
    cols = [
        "Ukraine/reservation",
        "nash.u.Ukraine",
        "nash.u.Russia",
        "rubinstein.u.Ukraine",
        "rubinstein.u.Russia",
        "baseline_pareto",
    ]
    print(base[[c for c in cols if c in base.columns]].to_string(index=False, float_format="%.3f"))
    for name in SOLUTIONS:
        deal_cols = [c for c in rows.columns if c.startswith(f"{name}.deal.")]
        changed = [c.split(".")[-1] for c in deal_cols if rows[c].nunique(dropna=True) > 1]
        print(f"{name}: terms that change over the grid: {', '.join(changed) or 'none'}")
    ax = plot_sensitivity(
        base,
        "Ukraine/reservation",
        solution="nash",
        reservations=None,
        title="Nash deal as Ukraine's walk-away value falls",
    )
    paths = save_figure(ax.figure, args.out / "nash_vs_ukraine_reservation")
    ax = plot_sensitivity(
        base,
        "Ukraine/reservation",
        solution="rubinstein",
        show_deal_changes=False,
        title="Rubinstein equilibrium (Russia vs Ukraine) as Ukraine's walk-away value falls",
    )
    paths += save_figure(ax.figure, args.out / "rubinstein_vs_ukraine_reservation")
    high_power = rows[np.isclose(rows["Ukraine/reservation"], rows["Ukraine/reservation"].min())]
    ax = plot_sensitivity(
        high_power,
        "United States/power",
        solution="asymmetric_nash",
        title="Asymmetric Nash deal as US power grows (Ukraine at its lowest)",
    )
    paths += save_figure(ax.figure, args.out / "asymmetric_nash_vs_us_power")
    print(f"\nwrote {args.out / 'us_pressure.csv'} and {len(paths)} figure files in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
