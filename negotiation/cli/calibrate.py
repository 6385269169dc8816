"""``negotiation calibrate``: the parameters consistent with evidence, and what survives them.

Examples::

    negotiation calibrate                                   # ukraine_2025 + its bundled evidence
    negotiation calibrate my.toml --evidence said.toml --samples 500 --json
    negotiation calibrate ukraine_2025 --plots figs/        # interval and level figures
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from negotiation.cli.common import add_scenario_command, print_json, scenario_from_args
from negotiation.errors import NegotiationError

__all__ = ["add_parser", "run", "evidence_for"]

#: An interval is reported as narrowed when an end moved by more than this (utilities and
#: weights are on a 0..1 scale; the strict-inequality margin alone moves ends by ~1e-3).
NARROW = 0.01


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_scenario_command(
        subparsers,
        "calibrate",
        help="find the weights and reservations consistent with evidence; robust conclusions",
        description=(
            "Evidence ([[evidence]] tables: accepts, rejects, proposed, prefers, weight_order, "
            "bounds) is read from the scenario file, from --evidence FILE, or, when neither has "
            "any, from SCENARIO_evidence.toml next to the scenario. With value tables fixed "
            "each item is a linear inequality in a party's weights and reservation: the "
            "consistent set is a polytope. Prints each parameter's interval, or a minimal set "
            "of contradictory items; then samples the set uniformly (hit-and-run) and runs the "
            "analysis on every sample (the sweep machinery): what holds in every sample, most "
            "(>= 90%), some, few (<= 10%) or none. A model for analysis, not a forecast."
        ),
    )
    parser.add_argument("--evidence", metavar="FILE", help="a TOML file of [[evidence]] tables")
    parser.add_argument(
        "--samples",
        type=int,
        default=2000,
        help="uniform samples of the consistent set to analyse (default 2000; 0: intervals only)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--out", metavar="DIR", help="append sweep rows to DIR/calibrate.csv (resumable)"
    )
    parser.add_argument(
        "--plots", metavar="DIR", help="write calibration_intervals.png and levels.png to DIR"
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing figures")
    parser.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)
    return parser


def evidence_for(scenario_source: str, evidence: str | None) -> tuple:
    """The evidence items of a run: the scenario file's own, then ``--evidence``'s; when there
    are none, the companion ``NAME_evidence.toml`` next to the scenario file (if any)."""
    from negotiation.io.bundled import resolve as _resolve
    from negotiation.model.evidence import load_evidence

    items: tuple = ()
    try:
        path = _resolve(scenario_source)
    except NegotiationError:
        path = None
    if path is not None and path.suffix == ".toml":
        items = load_evidence(path)
    if evidence:
        items = items + load_evidence(evidence)
    if not items and path is not None:
        companion = path.with_name(f"{path.stem}_evidence.toml")
        if companion.is_file():
            items = load_evidence(companion)
    return items


def run(args: argparse.Namespace) -> int:
    from negotiation.engine.calibrate import calibrate

    if args.samples < 0:
        raise NegotiationError(f"--samples must be >= 0, got {args.samples}")
    scenario = scenario_from_args(args)
    items = evidence_for(args.scenario, args.evidence)
    if args.plots:
        targets = [Path(args.plots) / f for f in ("calibration_intervals.png", "levels.png")]
        clash = [str(t) for t in targets if t.exists()]
        if clash and not args.force:
            raise NegotiationError(f"{clash[0]} exists; pass --force to overwrite it")
    cal = calibrate(scenario, items)
    out = {"scenario": scenario.name, **cal.to_dict()}
    if not args.json:
        _print_set(cal)
    if not cal.feasible:
        if args.json:
            print_json(out)
        return 0
    summary = results = None
    if args.samples:
        from negotiation.studies.calibration import robust_conclusions

        csv = None
        if args.out:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            csv = Path(args.out) / "calibrate.csv"
        summary, results = robust_conclusions(
            cal,
            args.samples,
            seed=args.seed,
            workers=args.workers,
            out=csv,
            progress=not (args.quiet or args.json),
        )
        out["conclusions"] = summary
        if not args.json:
            _print_conclusions(summary)
    if args.plots:
        _plots(cal, results, Path(args.plots), say=not args.json)
    if args.json:
        print_json(out)
    return 0


def _print_set(cal) -> None:
    print(f"{cal.scenario.name}: {len(cal.evidence)} evidence items")
    if not cal.feasible:
        print("the evidence is contradictory; a minimal conflicting set (drop any one and the")
        print("rest is consistent):")
        for e in cal.evidence:
            if e.name in cal.conflict:
                print(f"  {e.name}  {e.party} {e.kind} {e.spec}  [{e.source}]")
        return
    if cal.violated():
        print(f"the scenario's own parameters violate: {', '.join(cal.violated())}")
    else:
        print("the scenario's own parameters are consistent with every item")
    print(f"\nparameters the evidence narrows by more than {NARROW} (prior -> consistent):")
    n = 0
    for j, name in enumerate(cal.names):
        (plo, phi), (lo, hi) = cal.prior_bounds[j], cal.bounds[j]
        if abs(plo - lo) > NARROW or abs(phi - hi) > NARROW:
            print(
                f"  {name:45s} [{plo:.3f}, {phi:.3f}] -> [{lo:.3f}, {hi:.3f}]  (shipped {cal.shipped[j]:.3f})"
            )
            n += 1
    if not n:
        print("  none")


def _print_conclusions(s: dict) -> None:
    print(f"\n{s['samples']} uniform samples of the consistent set (split-R-hat {_r(s['rhat'])})")
    a = s["agreement"]
    print(f"zone of agreement non-empty in {a['probability']:.1%} of samples ({a['holds']})")
    nash = s["levels"].get("nash", {})
    if nash:
        print("\nNash deal, most frequent level of each issue:")
        for issue, levels in nash.items():
            level, v = next(iter(levels.items()))
            print(f"  {issue:28s} {level:32s} {v['probability']:6.1%} ({v['holds']})")
    if s["acceptance"]:
        print("\nacceptance of each proposal (best completion vs reservation):")
        for prop, parties in s["acceptance"].items():
            cells = ", ".join(f"{p} {v['probability']:.0%}" for p, v in parties.items())
            print(f"  {prop:28s} {cells}")
    if s["nash_utility"]:
        print("\nutility at the Nash deal (min / median / max):")
        for p, u in s["nash_utility"].items():
            print(f"  {p:28s} {u['min']:.3f} / {u['median']:.3f} / {u['max']:.3f}")


def _plots(cal, results, folder: Path, say: bool = True) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from negotiation.plots.calibration import plot_intervals

    folder.mkdir(parents=True, exist_ok=True)
    ax = plot_intervals(cal)
    _save(ax.figure, folder / "calibration_intervals.png", plt)
    if say:
        print(f"wrote {folder / 'calibration_intervals.png'}")
    if results is not None and results["agreement"].astype(bool).any():
        from negotiation.plots.level_frequencies import plot_level_frequencies
        from negotiation.studies.sweep import level_probabilities

        ax = plot_level_frequencies(
            level_probabilities(results, "nash"),
            levels={i.name: list(i.levels) for i in cal.scenario.issues},
            title="Nash deal over the parameters consistent with the evidence",
        )
        _save(ax.figure, folder / "levels.png", plt)
        if say:
            print(f"wrote {folder / 'levels.png'}")


def _save(fig: Any, path: Path, plt: Any) -> None:
    """Write an axes' figure (a top-level Figure here) as PNG and close it."""
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _r(rhat: float | None) -> str:
    return "n/a: fewer than 4 draws per chain" if rhat is None else f"{rhat:.3f}"
