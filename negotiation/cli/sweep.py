"""``negotiation sweep``: Monte Carlo or grid sweeps over a scenario's uncertain inputs."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np

from negotiation.cli.common import (
    add_scenario_argument,
    rule_from_args,
    scenario_from_args,
    split_names,
)
from negotiation.cli.output import (
    add_json_argument,
    print_json_text,
    print_text,
    show_progress,
    sweep_summary,
    sweep_text,
)
from negotiation.errors import NegotiationError

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
        "--samples", type=int, default=1000, help="Monte Carlo samples (default 1000)"
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
    # the analysis options of 'analyze' that apply to every sample (issue 18)
    parser.add_argument(
        "--engine",
        choices=("auto", "enumerate", "search"),
        default="auto",
        help="frontier engine of every sample's analysis (default: auto)",
    )
    parser.add_argument(
        "--quota", type=int, metavar="Q", help="agreement rule: at least Q parties must accept"
    )
    parser.add_argument(
        "--veto", metavar="A,B", help="agreement rule: these parties must always accept"
    )
    add_json_argument(parser, "the summary (samples, robustness, levels, influence)")
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
        monte_carlo_samples,
        run_sweep,
    )

    scenario = scenario_from_args(args)
    rule = rule_from_args(args, scenario)
    if rule is not None:  # every sample inherits the agreement rule
        scenario = dataclasses.replace(scenario, agreement=rule)
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
            progress=show_progress(args),
            engine=args.engine,
        )
    finally:
        if client is not None:
            client.close()
    summary = sweep_summary(results, scenario.name, out / "sweep.csv")
    if args.json:
        print_json_text(summary)
    else:
        print_text(sweep_text(summary))
    return 0
