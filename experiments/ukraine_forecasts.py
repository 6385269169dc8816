"""Political forecasting models on the Ukraine scenario, beside the bargaining solutions.

    python experiments/ukraine_forecasts.py [--quick] [--out DIR]

Runs the five forecasting models (compromise, median voter, EUM, exchange, PCE) on
ukraine_2025 read spatially (levels on a 0-100 line, positions = each party's best level,
salience = its weights, capability = its power; docs/forecasting.md), and compares each
forecast deal with the bargaining solutions: the parties' utilities, feasibility and the
distance to the Pareto-feasible frontier. Also reruns the EUM with the status-quo parameter
Q = 0.5 (a sensitivity check of the reconstruction's least-pinned parameter), and the
published EU car-emissions data (BDM 1994) through the same models. Writes ``forecasts.csv``,
``deals.csv``, ``car_emissions.csv``, ``forecasts.json`` and ``forecast_paths.png/.svg`` to
``results/ukraine_forecasts/``. A model for analysis: the forecasts are only as good as the
scenario's numbers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources

import pandas as pd
from _common import parse_args, save_figure

import negotiation as ng
from negotiation.engine.analysis import analyze
from negotiation.forecast import FORECASTS
from negotiation.forecast.scenario import forecast_scenario
from negotiation.io.spatial_csv import load_bdm_csv
from negotiation.plots.forecast import plot_forecast_paths_from_results

NAME = "ukraine_forecasts"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(NAME, __doc__.splitlines()[0], argv)
    rounds = 3 if args.quick else None  # None: each model's default
    scenario = ng.load_scenario("ukraine_2025")
    analysis = analyze(scenario, lotteries=False)
    results = {
        m: forecast_scenario(scenario, m, rounds=rounds, analysis=analysis) for m in FORECASTS
    }
    results["eum_Q0.5"] = forecast_scenario(
        scenario, "eum", rounds=rounds, analysis=analysis, Q=0.5
    )

    rows = []
    for name, r in results.items():
        for d, issue in enumerate(r.problem.issues):
            rows.append(
                {
                    "model": name,
                    "issue": issue,
                    "start_mean": float(r.result.history[0, d]),
                    "forecast": float(r.result.forecast[d]),
                    "level": r.deal.terms[issue],
                    "rounds": r.result.rounds,
                }
            )
    pd.DataFrame(rows).to_csv(args.out / "forecasts.csv", index=False)

    deals = []
    for name, r in results.items():
        deals.append(
            {
                "deal": name,
                "kind": "forecast",
                **{
                    f"u_{p}": float(u)
                    for p, u in zip(r.deal.parties, r.deal.utilities, strict=True)
                },
                "feasible": r.feasible,
                "distance_to_frontier": r.distance_to_frontier,
                "distance_to_nash": r.distances.get("nash"),
                **dict(r.deal.terms),
            }
        )
    for name, sol in analysis.solutions.items():
        deals.append(
            {
                "deal": name,
                "kind": "bargaining solution",
                **{f"u_{p}": float(u) for p, u in zip(sol.parties, sol.utilities, strict=True)},
                "feasible": True,
                "distance_to_frontier": 0.0,
                **dict(sol.terms),
            }
        )
    table = pd.DataFrame(deals)
    table.to_csv(args.out / "deals.csv", index=False)

    car_path = resources.files("negotiation") / "forecast/data/eu_car_emissions.csv"
    car = load_bdm_csv(car_path)
    car_rows = []
    for name in FORECASTS:
        r = forecast_scenario(car, name, rounds=rounds)
        car_rows.append(
            {
                "model": name,
                "forecast": float(car.to_file_units(r.result.forecast[0], 0)),
                "start": float(car.to_file_units(r.result.history[0, 0], 0)),
                "rounds": r.result.rounds,
            }
        )
    pd.DataFrame(car_rows).to_csv(args.out / "car_emissions.csv", index=False)

    (args.out / "forecasts.json").write_text(
        json.dumps({k: v.to_dict() for k, v in results.items()}, indent=2), encoding="utf-8"
    )
    main_models = {k: v for k, v in results.items() if k in FORECASTS}
    fig = plot_forecast_paths_from_results(main_models, title="ukraine_2025: forecasts by round")
    save_figure(fig, args.out / "forecast_paths")

    show = table[
        [
            "deal",
            "kind",
            *[c for c in table.columns if c.startswith("u_")],
            "feasible",
            "distance_to_frontier",
        ]
    ]
    with pd.option_context("display.width", 160, "display.max_columns", 12):
        print(show.to_string(index=False, float_format="%.3f"))
    print("\nEU car emissions (BDM 1994 data, positions in the data's units):")
    print(pd.DataFrame(car_rows).to_string(index=False, float_format="%.3f"))
    print(
        f"\nwrote forecasts.csv, deals.csv, car_emissions.csv, forecasts.json, forecast_paths.png to {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
