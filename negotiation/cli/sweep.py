"""``negotiation sweep``: Monte Carlo or grid sweeps over a scenario's uncertain inputs."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from negotiation.cli.common import add_scenario_argument, scenario_from_args, split_names
from negotiation.errors import NegotiationError
from negotiation.studies.sweep import DEFAULT_SAMPLES

__all__ = ["add_parser", "run", "parse_grid"]


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "sweep",
        help="run the analysis over many variants of the scenario (Monte Carlo or a grid)",
        description=(
            "Monte Carlo: each party's weights are drawn from a Dirichlet around the scenario's "
            "weights (--concentration) and reservations uniformly within +-SPREAD. Grid: "
            "--grid PATH=LOW:HIGH:N (repeatable), e.g. --grid 'Ukraine/reservation=0.3:0.6:7'. "
            "Input paths: Party/reservation, Party/power, Party/discount, Party/weights/ISSUE, "
            "Party/values/ISSUE/LEVEL, Party/red_line/N. Rows are appended to OUT/sweep.csv as "
            "they complete; rerunning the same command resumes an interrupted sweep."
        ),
    )
    add_scenario_argument(parser)
    parser.add_argument(
        "--samples",
        type=int,
        default=DEFAULT_SAMPLES,
        help=f"Monte Carlo samples (default {DEFAULT_SAMPLES}, as in the report)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--concentration",
        type=float,
        default=50.0,
        help="Dirichlet concentration of the weights (larger = closer to the estimates; default 50)",
    )
    parser.add_argument(
        "--spread", type=float, default=0.05, help="reservation spread +-SPREAD (default 0.05)"
    )
    parser.add_argument("--parties", metavar="A,B", help="only perturb these parties")
    parser.add_argument(
        "--grid",
        action="append",
        metavar="PATH=LOW:HIGH:N",
        help="a grid over one input instead of Monte Carlo (repeat for a cartesian grid)",
    )
    parser.add_argument("--out", metavar="DIR", default="results/sweep", help="output folder")
    parser.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    parser.add_argument("--dask", metavar="ADDRESS", help="run on a Dask cluster at ADDRESS")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)
    return parser


def parse_grid(specs: list[str]) -> dict[str, list[float]]:
    """``["P/reservation=0.3:0.6:4"]`` -> ``{"P/reservation": [0.3, 0.4, 0.5, 0.6]}``;
    a comma list ``PATH=a,b,c`` gives the values themselves."""
    grid: dict[str, list[float]] = {}
    for spec in specs:
        if "=" not in spec:
            raise NegotiationError(f"--grid {spec!r}: expected PATH=LOW:HIGH:N or PATH=a,b,c")
        path, values = spec.rsplit("=", 1)
        try:
            if ":" in values:
                lo, hi, n = values.split(":")
                grid[path] = [float(x) for x in np.linspace(float(lo), float(hi), int(n))]
            else:
                grid[path] = [float(x) for x in values.split(",")]
        except ValueError:
            raise NegotiationError(
                f"--grid {spec!r}: expected PATH=LOW:HIGH:N or PATH=a,b,c"
            ) from None
    return grid


def run(args: argparse.Namespace) -> int:
    from negotiation.studies.sweep import (
        grid_samples,
        influence,
        level_probabilities,
        monte_carlo_samples,
        robustness,
        run_sweep,
    )

    scenario = scenario_from_args(args)
    if args.grid:
        samples = grid_samples(scenario, parse_grid(args.grid))
    else:
        samples = monte_carlo_samples(
            scenario,
            args.samples,
            seed=args.seed,
            concentration=args.concentration,
            reservation_spread=args.spread,
            parties=split_names(args.parties) or None,
        )
    executor = None
    client = None
    if args.dask:
        try:
            from dask.distributed import Client
        except ImportError:
            raise NegotiationError(
                "--dask needs the 'dask' extra: pip install 'negotiation[dask]'"
            ) from None
        client = Client(args.dask)
        executor = client
    out = Path(args.out)
    try:
        results = run_sweep(
            scenario,
            samples,
            executor=executor,
            workers=args.workers,
            out=out / "sweep.csv",
            progress=not args.quiet,
        )
    finally:
        if client is not None:
            client.close()
    valid = results[results["valid"].astype(bool)]
    print(
        f"{len(results)} samples of {scenario.name!r}: {len(valid)} valid, "
        f"{int(valid['agreement'].sum())} with a zone of agreement"
    )
    if len(valid) and valid["agreement"].any():
        print(f"baseline (Nash) deal stays Pareto-feasible in {robustness(results):.1%} of samples")
        probs = level_probabilities(results, "nash")
        print("\nMost likely level of each issue in the Nash deal:")
        for issue, group in probs.groupby("issue", sort=False):
            top = group.sort_values("probability", ascending=False).iloc[0]
            print(f"  {issue:28s} {top['level']:32s} {top['probability']:6.1%}")
        if len(valid) > 5:
            inf = influence(results, "nash").dropna(how="all").head(5)
            print("\nInputs that move the Nash utilities most (|Spearman rho|):")
            for path, row in inf.iterrows():
                who = row.abs().idxmax()
                print(f"  {path:40s} {who}: {row[who]:+.2f}")
            if inf.empty:
                print("  none: the Nash utilities do not vary over these samples")
    print(f"\nwrote {out / 'sweep.csv'}")
    return 0
