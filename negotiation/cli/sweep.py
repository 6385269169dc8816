"""``negotiation sweep``: Monte Carlo or grid sweeps over a scenario's uncertain inputs."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

from negotiation.cli.common import (
    add_scenario_argument,
    bounded_float,
    bounded_int,
    rule_from_args,
    scenario_from_args,
    seed_int,
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
from negotiation.studies.defaults import DEFAULT_SAMPLES

__all__ = ["add_parser", "run", "parse_grid", "MAX_SAMPLES", "MAX_WORKERS", "DASK_TIMEOUT"]

#: Largest sweep (Monte Carlo samples, or grid points in total): at a few ms per sample on the
#: Ukraine scenario, 10^6 samples are about an hour on one core; the sample list stays < 1 GB.
MAX_SAMPLES = 1_000_000
#: Most local worker processes.
MAX_WORKERS = 256
#: Seconds to wait for a Dask scheduler before giving up.
DASK_TIMEOUT = 5


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
            "they complete; rerunning the same command resumes an interrupted sweep (a torn last row is "
            "dropped and run again). A second run on the same --out while one is writing "
            "refuses (OUT/sweep.csv.lock); an existing sweep.csv of another sweep, or not "
            "written by a sweep, is never replaced without --force."
        ),
    )
    add_scenario_argument(parser)
    parser.add_argument(
        "--samples",
        type=bounded_int(1, MAX_SAMPLES),
        default=DEFAULT_SAMPLES,
        help=f"Monte Carlo samples, 1 to {MAX_SAMPLES:,} (default {DEFAULT_SAMPLES}, as in the "
        "report: same seed and N, same results)",
    )
    parser.add_argument("--seed", type=seed_int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--concentration",
        type=bounded_float(0, low_open=True),
        default=50.0,
        help="Dirichlet concentration of the weights (larger = closer to the estimates; default 50)",
    )
    parser.add_argument(
        "--spread",
        type=bounded_float(0),
        default=0.05,
        help="reservation spread +-SPREAD (default 0.05)",
    )
    parser.add_argument("--parties", metavar="A,B", help="only perturb these parties")
    parser.add_argument(
        "--grid",
        action="append",
        metavar="PATH=LOW:HIGH:N",
        help="a grid over one input instead of Monte Carlo (repeat for a cartesian grid)",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="output folder (default: results/sweep-SCENARIO-XXXXXXXX, named after the scenario "
        "and the sweep's signature, so a different sweep gets its own folder)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an OUT/sweep.csv of a different sweep, or one not written by a sweep",
    )
    parser.add_argument(
        "--workers",
        type=bounded_int(1, MAX_WORKERS),
        help="local worker processes (default: all cores)",
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help=f"run on a Dask cluster at ADDRESS (host:port or tcp://host:port; gives up after "
        f"{DASK_TIMEOUT} s)",
    )
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
    total = 1
    for spec in specs:
        if "=" not in spec:
            raise NegotiationError(f"--grid {spec!r}: expected PATH=LOW:HIGH:N or PATH=a,b,c")
        path, values = spec.rsplit("=", 1)
        if path in grid:
            raise NegotiationError(f"--grid {spec!r}: {path} is already on the grid")
        form = f"--grid {spec!r}: expected PATH=LOW:HIGH:N or PATH=a,b,c"
        try:
            if ":" in values:
                lo, hi, n = values.split(":")
                ends, count = (float(lo), float(hi)), int(n)
            else:
                grid[path] = [float(x) for x in values.split(",")]
        except ValueError:
            raise NegotiationError(form) from None
        if ":" in values:
            if not 1 <= count <= MAX_SAMPLES:
                raise NegotiationError(
                    f"--grid {spec!r}: N must be from 1 to {MAX_SAMPLES:,}, got {count}"
                )
            if not all(np.isfinite(ends)):
                raise NegotiationError(f"--grid {spec!r}: LOW and HIGH must be finite")
            grid[path] = [float(x) for x in np.linspace(ends[0], ends[1], count)]
        if not all(np.isfinite(grid[path])):
            raise NegotiationError(f"--grid {spec!r}: values must be finite numbers")
        total *= len(grid[path])
        if total > MAX_SAMPLES:
            raise NegotiationError(
                f"--grid: {total:,}+ grid points, more than the limit {MAX_SAMPLES:,}"
            )
    return grid


def default_out(scenario, samples) -> Path:
    """``results/sweep-SCENARIO-XXXXXXXX``: the folder named after the scenario and the first 8
    hex digits of a SHA-256 of the scenario and the samples (a different sweep, a different
    folder; the same sweep, the same folder, so that it resumes)."""
    import hashlib
    import json
    import re

    from negotiation.io.toml import dumps_scenario

    text = json.dumps(
        {"scenario": dumps_scenario(scenario), "samples": list(samples)},
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", scenario.name).strip("._") or "scenario"
    return Path("results") / f"sweep-{name}-{digest}"


def _connect_dask(address: str):
    """A ``dask.distributed.Client`` at ``address``, or a NegotiationError within seconds."""
    import re

    if not re.fullmatch(r"(tcp|tls|inproc|ucx|ws|wss)://\S+|[\w.\-\[\]:]+:\d{1,5}", address):
        raise NegotiationError(
            f"--dask {address!r}: not a scheduler address (expected host:port or tcp://host:port)"
        )
    try:
        from dask.distributed import Client
    except ImportError:
        raise NegotiationError(
            "--dask needs the 'dask' extra: pip install 'negotiation[dask]'"
        ) from None
    try:
        return Client(address, timeout=f"{DASK_TIMEOUT}s")
    except (OSError, TimeoutError, ValueError) as err:
        raise NegotiationError(
            f"--dask {address}: cannot reach the scheduler within {DASK_TIMEOUT} s ({err})"
        ) from None


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
    import warnings

    from negotiation.cli.outdir import prepare_out_dir
    from negotiation.cli.store import StoreWarning

    executor = None
    client = None
    if args.dask:
        client = _connect_dask(args.dask)
        executor = client
    try:
        out = prepare_out_dir(args.out if args.out is not None else default_out(scenario, samples))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", StoreWarning)
            results = run_sweep(
                scenario,
                samples,
                executor=executor,
                workers=args.workers,
                out=out / "sweep.csv",
                progress=show_progress(args),
                overwrite=args.force,
                engine=args.engine,
            )
    finally:
        if client is not None:
            client.close()
    for w in caught:
        if issubclass(w.category, StoreWarning):
            print(f"negotiation sweep: note: {w.message}", file=sys.stderr)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    summary = sweep_summary(results, scenario.name, out / "sweep.csv")
    if args.json:
        print_json_text(summary)
    else:
        print_text(sweep_text(summary))
    return 0
