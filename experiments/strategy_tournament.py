"""A round-robin tournament of negotiation strategies on the bundled scenarios.

    python experiments/strategy_tournament.py [--quick] [--repetitions R] [--out DIR]

Every ordered pair of registered strategies negotiates by alternating offers on the textbook
scenario and on ukraine_2025 (Russia vs Ukraine at the table), R times with different seeds.
Reports each strategy's agreement rate, rounds to agreement, utility, distance of the agreement
to the Pareto frontier and to the Nash solution, and social welfare. Writes ``runs.csv`` and
``by_strategy.csv`` to ``results/strategy_tournament/``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from _common import parse_args

from negotiation.dynamics.strategies import STRATEGIES
from negotiation.studies.tournament import tournament

NAME = "strategy_tournament"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(
        NAME,
        __doc__.splitlines()[0],
        argv,
        extra=lambda p: p.add_argument("--repetitions", type=int, default=3),
    )
    strategies = list(STRATEGIES)
    scenarios = ["textbook_two_party", "ukraine_2025"]
    reps = 1 if args.quick else args.repetitions
    if args.quick:
        strategies = strategies[:4]
    runs = tournament(
        scenarios,
        strategies,
        repetitions=reps,
        seed=args.seed,
        parties={"ukraine_2025": ("Russia", "Ukraine")},
        progress=not args.quick,
    )
    runs.to_csv(args.out / "runs.csv", index=False)
    # One row per (run, seat): the strategy in that seat and what it got.
    seats = []
    for k in (1, 2):
        part = runs[
            [
                f"agent_{k}",
                f"utility_{k}",
                "agreement",
                "rounds",
                "pareto_distance",
                "nash_distance",
                "welfare",
                "scenario",
            ]
        ].copy()
        part.columns = [
            "strategy",
            "utility",
            "agreement",
            "rounds",
            "pareto_distance",
            "nash_distance",
            "welfare",
            "scenario",
        ]
        seats.append(part)
    seats = pd.concat(seats, ignore_index=True)
    by = (
        seats.groupby("strategy")
        .agg(
            agreement_rate=("agreement", "mean"),
            mean_utility=("utility", "mean"),
            mean_rounds=("rounds", "mean"),
            pareto_distance=("pareto_distance", "mean"),
            nash_distance=("nash_distance", "mean"),
            welfare=("welfare", "mean"),
        )
        .sort_values("mean_utility", ascending=False)
    )
    by.to_csv(args.out / "by_strategy.csv")
    print(f"{len(runs)} negotiations; by strategy (both seats, all scenarios):")
    print(by.to_string(float_format="%.3f"))
    print(f"\nwrote {args.out / 'runs.csv'} and {args.out / 'by_strategy.csv'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
