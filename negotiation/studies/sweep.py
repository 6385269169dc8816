"""Sweeps: run the analysis over many variants of a scenario, and summarise the results.

A sweep is a list of *samples*, each a mapping ``{input path: value}`` (see
:mod:`negotiation.studies.inputs`), made by :func:`grid_samples` (a cartesian grid) or
:func:`monte_carlo_samples` (weights drawn from a Dirichlet around the analyst's estimates,
reservations uniform in a band). :func:`iter_sweep` applies each sample to the scenario, runs
the analysis and yields the tidy rows batch by batch, with no file I/O; :func:`run_sweep`
collects them into a pandas DataFrame (one row per sample). Keeping the rows in a CSV file as
they complete, so that an interrupted sweep resumes where it stopped, is the faces' part
(:mod:`negotiation.cli.store`; ``run_sweep(out=...)`` hands the run to it).

Reproducibility: all random draws happen up front, in :func:`monte_carlo_samples`, from one
seeded ``numpy.random.Generator``; evaluating a sample is deterministic. The same seed therefore
gives the same rows whichever executor (serial, process pool, Dask cluster) runs them.
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import os
from collections.abc import Callable, Container, Generator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from negotiation.errors import NegotiationError, ScenarioError
from negotiation.model.scenario import Scenario
from negotiation.studies.batch import evaluate_samples
from negotiation.studies.defaults import DEFAULT_SAMPLES
from negotiation.studies.inputs import apply_inputs, parse_path, read_input
from negotiation.studies.sample import DEFAULT_SOLUTIONS, Sample, evaluate_sample

__all__ = [
    "grid_samples",
    "monte_carlo_samples",
    "evaluate_sample",
    "run_sweep",
    "iter_sweep",
    "sweep_options",
    "sweep_signature",
    "sweep_schema",
    "sweep_frame",
    "level_probabilities",
    "robustness",
    "influence",
    "tornado",
    "DEFAULT_SOLUTIONS",
    "DEFAULT_SAMPLES",
    "default_batch_size",
    "BATCHES_PER_WORKER",
    "MIN_BATCH",
    "MAX_BATCH",
]

#: Batches per worker process that :func:`default_batch_size` aims at (load balance, progress).
BATCHES_PER_WORKER = 4

#: Bounds of :func:`default_batch_size`: below ``MIN_BATCH`` samples a batch pays mostly the
#: batched path's per-call cost; above ``MAX_BATCH`` (about a second of work on the Ukraine
#: scenario) a batch only delays the progress bar and what an interrupted run keeps.
MIN_BATCH, MAX_BATCH = 25, 1000


# -- making samples ---------------------------------------------------------------------------
def grid_samples(scenario: Scenario, grid: Mapping[str, Sequence[float]]) -> list[dict[str, float]]:
    """Every combination of the given values (a cartesian grid), in row-major order.

    Examples
    --------
    >>> import negotiation as ng
    >>> s = ng.load_scenario("textbook_two_party")
    >>> grid_samples(s, {"Candidate/reservation": [0.3, 0.4], "Employer/power": [1, 2]})[1]
    {'Candidate/reservation': 0.3, 'Employer/power': 2.0}
    """
    for path in grid:
        parse_path(path, scenario)
    keys = list(grid)
    return [
        {k: float(v) for k, v in zip(keys, combo, strict=True)}
        for combo in itertools.product(*(grid[k] for k in keys))
    ]


def monte_carlo_samples(
    scenario: Scenario,
    n: int,
    *,
    seed: int | np.random.Generator = 0,
    concentration: float | None = 50.0,
    reservation_spread: float | None = 0.05,
    reservations: Mapping[str, tuple[float, float]] | None = None,
    parties: Sequence[str] | None = None,
) -> list[dict[str, float]]:
    """Random variants of the scenario around the analyst's estimates.

    For each sample and each chosen party (default: all weights-and-values parties):

    * weights ``w ~ Dirichlet(concentration * w0)`` over the issues the party weighs (``w0`` the
      analyst's normalised weights), so ``E[w] = w0`` and the spread shrinks as the
      concentration grows (Var ``w_i = w0_i (1 - w0_i) / (concentration + 1)``);
    * reservation ``r ~ Uniform(r0 - spread, r0 + spread)``, or uniform in the party's range
      from ``reservations``.

    ``concentration=None`` keeps weights fixed; ``reservation_spread=None`` keeps reservations
    fixed. All draws come from one seeded generator, in a fixed order.
    """
    if n < 0:
        raise NegotiationError(f"the number of samples must be >= 0, got {n}")
    if concentration is not None and not concentration > 0:
        raise NegotiationError(f"concentration must be > 0, got {concentration}")
    rng = np.random.default_rng(seed)
    names = list(parties) if parties is not None else list(scenario.party_names)
    for name in names:
        scenario.party(name)
    for name in reservations or {}:
        scenario.party(name)
    # What each party's draws need, read from the scenario once (its properties rebuild their
    # values on every access); the draws themselves are unchanged, in the same order.
    plan = []
    for name in names:
        party = scenario.party(name)
        alpha: np.ndarray | None = None
        paths: tuple[str, ...] = ()
        if concentration is not None and not party.scored_in_points:
            w0 = scenario.weights[scenario.party_names.index(party.name)]
            issues = np.flatnonzero(w0 > 0)
            if issues.size > 1:
                alpha = concentration * w0[issues]
                paths = tuple(f"{name}/weights/{scenario.issue_names[i]}" for i in issues)
        band = None
        if reservations and name in reservations:
            band = tuple(reservations[name])
        elif reservation_spread is not None:
            r0 = float(party.reservation)
            band = (r0 - reservation_spread, r0 + reservation_spread)
        plan.append((alpha, paths, f"{name}/reservation", band))
    samples: list[dict[str, float]] = []
    for _ in range(n):
        sample: dict[str, float] = {}
        for alpha, paths, reservation, band in plan:
            if alpha is not None:
                w = rng.dirichlet(alpha)
                sample.update(zip(paths, w.tolist(), strict=True))
            if band is not None:
                sample[reservation] = float(rng.uniform(band[0], band[1]))
        samples.append(sample)
    return samples


def _run_batch(
    scenario: Scenario, batch: list[tuple[int, Sample]], options: dict[str, Any]
) -> list[dict[str, Any]]:
    """Rows of one batch of ``(sample number, inputs)``, evaluated together where possible
    (:func:`negotiation.studies.batch.evaluate_samples`: the same rows as
    :func:`evaluate_sample`, many times faster)."""
    evaluated = evaluate_samples(scenario, [inputs for _, inputs in batch], **options)
    return [{"sample": k, **row} for (k, _), row in zip(batch, evaluated, strict=True)]


# -- running a sweep --------------------------------------------------------------------------
def sweep_options(
    scenario: Scenario,
    *,
    solutions: Sequence[str] = DEFAULT_SOLUTIONS,
    baseline: Mapping[str, str] | str | None = "nash",
    engine: str = "auto",
    extra: Callable[[Any], Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The options of every sample's evaluation (keywords of :func:`evaluate_sample`).

    A ``baseline`` given as a solution's name is replaced by that solution's deal in the base
    scenario (``None`` when it has none).
    """
    if isinstance(baseline, str):
        from negotiation.engine.analysis import analyze

        base = analyze(scenario, solutions=[baseline], lotteries=False).solutions.get(baseline)
        baseline = dict(base.terms) if base is not None else None
    return dict(solutions=tuple(solutions), baseline=baseline, engine=engine, extra=extra)


def sweep_signature(scenario: Scenario, samples: Sequence[Sample], options: dict[str, Any]) -> str:
    """A SHA-256 of the scenario, the samples and the options: the sweep's identity (a store
    resumes only the sweep that wrote it)."""
    from negotiation.io.toml import dumps_scenario

    text = json.dumps(
        {
            "scenario": dumps_scenario(scenario),
            "samples": list(samples),
            "options": {k: v for k, v in options.items() if k != "extra"},
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def sweep_schema(
    scenario: Scenario, samples: Sequence[Sample], options: dict[str, Any]
) -> list[str]:
    """The sweep's columns, fixed before the first row: ``sample``, every input path (in order
    of first appearance) and the output columns of one evaluation of the base scenario."""
    inputs = list(dict.fromkeys(path for s in samples for path in s))
    probe = evaluate_sample(scenario, {}, **options)
    if not probe.get("valid", True):
        raise NegotiationError(f"the base scenario is invalid: {probe.get('error')}")
    return ["sample", *inputs, *(c for c in probe if c not in inputs and c != "sample")]


def default_batch_size(n_samples: int, workers: int = 1) -> int:
    """The samples per batch of a sweep when none is given: a few batches per worker.

    .. math::

        b = \\min\\bigl(\\mathrm{MAX\\_BATCH}, \\max\\bigl(\\mathrm{MIN\\_BATCH},
            \\lceil n / (k w) \\rceil\\bigr)\\bigr), \\qquad k = \\mathrm{BATCHES\\_PER\\_WORKER},

    for ``n`` samples to evaluate and ``w`` workers. The batched evaluation
    (:mod:`negotiation.studies.batch`) pays a fixed cost per call and shares work across the
    samples of a call, so larger batches are cheaper per sample (measured on ``ukraine_2025``,
    1 worker, CPU per 1,000 samples: 1.41 s with batches of 25, 1.18 s with 250, 1.16 s with
    1,000); ``k`` batches per worker keep the workers evenly loaded at the end of the run and
    the progress bar moving. The batch size does not enter a sweep's rows or its signature
    (:func:`sweep_signature`), so a stored sweep resumes under any batch size.

    Examples
    --------
    >>> default_batch_size(10_000, 2), default_batch_size(2_000, 2), default_batch_size(30)
    (1000, 250, 25)
    """
    k = BATCHES_PER_WORKER * max(1, workers)
    return int(min(MAX_BATCH, max(MIN_BATCH, -(-max(0, n_samples) // k))))


def _executor_of(executor: Any) -> Executor:
    """Accept a concurrent.futures Executor or a dask.distributed Client."""
    if hasattr(executor, "get_executor") and not isinstance(executor, Executor):
        return executor.get_executor()
    if not hasattr(executor, "submit"):
        raise NegotiationError(f"executor must be a concurrent.futures.Executor, got {executor!r}")
    return executor


def _check_batch_size(batch_size: Any) -> None:
    """Refuse a batch size that is neither ``None`` nor an integer >= 1."""
    if batch_size is None:
        return
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise NegotiationError(f"batch_size must be an integer >= 1 or None, got {batch_size!r}")
    if batch_size < 1:
        raise NegotiationError(f"batch_size must be >= 1, got {batch_size}")


def _n_workers(executor: Any, workers: int | None) -> int:
    """The worker processes a sweep will use (for :func:`default_batch_size`): ``workers`` if
    given, else the executor's ``_max_workers`` if it tells, else the machine's cores (the
    default process pool's size)."""
    if workers is not None:
        return max(1, int(workers))
    size = getattr(executor, "_max_workers", None) if executor is not None else None
    return max(1, int(size)) if isinstance(size, int) else os.cpu_count() or 1


def iter_sweep(
    scenario: Scenario,
    samples: Sequence[Sample],
    options: dict[str, Any],
    *,
    skip: Container[int] = (),
    executor: Executor | Any | None = None,
    workers: int | None = None,
    batch_size: int | None = None,
    progress: bool = True,
) -> Generator[list[dict[str, Any]], None, None]:
    """Evaluate the samples in batches; yield each batch's rows as it completes (no file I/O).

    Each row is ``{"sample": number, **evaluate_sample(...)}``; batches come in completion
    order (sort by ``sample`` for the samples' order). Samples whose number is in ``skip`` (a
    resumed sweep's finished ones) are not evaluated. ``options`` from :func:`sweep_options`;
    ``executor``, ``workers``, ``batch_size`` and ``progress`` as in :func:`run_sweep`. Closing
    the generator early shuts down the pool it made (cancelling what has not started).
    """
    _check_batch_size(batch_size)
    todo = [(k, s) for k, s in enumerate(samples) if k not in skip]
    if batch_size is None:
        batch_size = default_batch_size(len(todo), _n_workers(executor, workers))
    batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]
    bar = tqdm(total=len(todo), desc="sweep", unit="sample") if progress and todo else None
    try:
        if executor is None and (workers == 1 or len(batches) <= 1):
            for batch in batches:
                rows = _run_batch(scenario, batch, options)
                if bar is not None:
                    bar.update(len(rows))
                yield rows
            return
        own = executor is None
        pool = ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) if own else None
        try:
            submit = (pool or _executor_of(executor)).submit
            futures = [submit(_run_batch, scenario, batch, options) for batch in batches]
            for future in as_completed(futures):
                rows = future.result()
                if bar is not None:
                    bar.update(len(rows))
                yield rows
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    finally:
        if bar is not None:
            bar.close()


def sweep_frame(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The frames (a store's previous rows, new rows) as one table ordered by sample number."""
    kept = [f for f in frames if len(f.columns)]
    result = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame()
    if len(result):
        result = result.sort_values("sample", kind="stable").reset_index(drop=True)
    return result


def run_sweep(
    scenario: Scenario,
    samples: Sequence[Sample],
    *,
    executor: Executor | Any | None = None,
    workers: int | None = None,
    out: str | Path | None = None,
    batch_size: int | None = None,
    progress: bool = True,
    solutions: Sequence[str] = DEFAULT_SOLUTIONS,
    baseline: Mapping[str, str] | str | None = "nash",
    engine: str = "auto",
    extra: Callable[[Any], Mapping[str, Any]] | None = None,
    overwrite: bool = False,
) -> pd.DataFrame:
    """Evaluate every sample and return one row per sample, ordered by sample number.

    Parameters
    ----------
    scenario
        The base scenario (never mutated).
    samples
        Input mappings, from :func:`grid_samples` or :func:`monte_carlo_samples`.
    executor
        Any :class:`concurrent.futures.Executor`, or a ``dask.distributed.Client`` (its
        executor is used). Default: a process pool over ``workers`` processes (default: the
        machine's cores); ``workers=1`` runs in this process.
    out
        CSV file to append rows to as batches complete (see :mod:`negotiation.cli.store`:
        one schema fixed before the first row, complete batches appended in one write, a lock
        ``OUT.lock`` for the life of the run). If it exists and was written by the same sweep
        (same scenario, samples and options: checked through a sidecar ``.meta.json``),
        finished samples are skipped and a torn last row is dropped, so an interrupted sweep
        resumes. Any other existing file is refused (a ``StoreError``) unless ``overwrite``.
    batch_size
        Samples per task (amortises sending the scenario to a worker and the batched
        evaluation's per-call cost). Default ``None``: :func:`default_batch_size` of the
        samples left to evaluate and the workers (a few batches per worker, 25 to 1,000).
    progress
        Show a progress bar (tqdm, notebook-aware).
    baseline
        A deal ``{issue: level}``, or the name of a solution of the base scenario (default
        ``"nash"``) whose deal is tracked (``baseline_pareto`` column); ``None`` to skip.
    extra
        Optional function of each sample's analysis returning more columns (must be picklable
        for a process pool: a module-level function); the same keys for every sample.
    overwrite
        Replace an ``out`` file that has no sidecar or belongs to a different sweep.

    Notes
    -----
    The rows themselves come from :func:`iter_sweep`, which does no file I/O. Files are the
    faces' job: with ``out``, this documented keyword hands the run to
    :func:`negotiation.cli.store.stored_sweep`, imported by name on use (as a PEP 562
    forwarder would) so that the studies layer keeps no import edge to the faces.
    """
    _check_batch_size(batch_size)
    options = sweep_options(
        scenario, solutions=solutions, baseline=baseline, engine=engine, extra=extra
    )
    run: dict[str, Any] = dict(
        executor=executor, workers=workers, batch_size=batch_size, progress=progress
    )
    if out is not None:
        stored_sweep = importlib.import_module("negotiation.cli.store").stored_sweep
        return stored_sweep(scenario, samples, options, out, overwrite=overwrite, **run)
    rows = [row for batch in iter_sweep(scenario, samples, options, **run) for row in batch]
    return sweep_frame([pd.DataFrame(rows)] if rows else [])


# -- summaries --------------------------------------------------------------------------------
def level_probabilities(results: pd.DataFrame, solution: str = "nash") -> pd.DataFrame:
    """How often each level of each issue is in the chosen solution's deal.

    Over the valid samples with a non-empty zone of agreement. Columns: ``issue``, ``level``,
    ``probability``, ``count``; the probabilities of one issue sum to 1.
    """
    prefix = f"{solution}.deal."
    cols = [c for c in results.columns if c.startswith(prefix)]
    if not cols:
        raise NegotiationError(f"the results have no columns for solution {solution!r}")
    ok = results[results["valid"].astype(bool) & results["agreement"].astype(bool)]
    rows = []
    for c in cols:
        counts = ok[c].value_counts()
        for level, count in counts.items():
            rows.append(
                {
                    "issue": c[len(prefix) :],
                    "level": level,
                    "count": int(count),
                    "probability": float(count) / max(len(ok), 1),
                }
            )
    return pd.DataFrame(rows, columns=["issue", "level", "probability", "count"])


def robustness(results: pd.DataFrame) -> float:
    """Share of valid samples in which the baseline deal stays Pareto-feasible."""
    if "baseline_pareto" not in results.columns:
        raise NegotiationError("the sweep was run without a baseline deal")
    valid = results[results["valid"].astype(bool)]
    return float(valid["baseline_pareto"].astype(bool).mean()) if len(valid) else float("nan")


def influence(results: pd.DataFrame, solution: str = "nash") -> pd.DataFrame:
    """Which inputs move the outcome most: Spearman rank correlation of each input with each
    party's utility under the solution, over valid samples with an agreement.

    Returns a table indexed by input path, one column per party, sorted by the largest absolute
    correlation; NaN where an input or a utility does not vary (no correlation is defined).
    """
    ok = results[results["valid"].astype(bool) & results["agreement"].astype(bool)]
    inputs = [c for c in results.columns if "/" in c]
    utils = [c for c in results.columns if c.startswith(f"{solution}.u.")]
    ranks = ok[inputs + utils].rank()
    corr = ranks.corr().loc[inputs, utils]
    corr.columns = [c[len(f"{solution}.u.") :] for c in utils]
    # A constant input or utility has no rank correlation (NaN): such rows go last.
    order = corr.abs().max(axis=1).sort_values(ascending=False, na_position="last").index
    return corr.loc[order]


def tornado(
    scenario: Scenario,
    ranges: Mapping[str, tuple[float, float]],
    *,
    solution: str = "nash",
    party: str | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity: each input at its low and high value, others at base.

    Returns one row per input: ``input``, ``low``, ``high``, ``base`` (the input's base value),
    ``u_low``, ``u_high``, ``u_base`` (the party's utility under the solution; default party:
    the first), ``swing`` = ``|u_high - u_low|``, and ``deal_changes`` (the solution's deal
    differs from the base deal at either end). Sorted by swing, largest first: the tornado chart.
    An end at which the scenario is invalid or has no agreement gives NaN.
    """
    from negotiation.engine.analysis import analyze

    who = party or scenario.party_names[0]
    p = scenario.party_names.index(scenario.party(who).name)

    def outcome(s: Scenario) -> tuple[float, dict | None]:
        deal = analyze(s, solutions=[solution], lotteries=False).solutions.get(solution)
        return (float(deal.utilities[p]), dict(deal.terms)) if deal is not None else (np.nan, None)

    u_base, deal_base = outcome(scenario)
    rows = []
    for path, (lo, hi) in ranges.items():
        ends = []
        for value in (lo, hi):
            try:
                ends.append(outcome(apply_inputs(scenario, {path: value})))
            except ScenarioError:
                ends.append((np.nan, None))
        rows.append(
            {
                "input": path,
                "low": float(lo),
                "high": float(hi),
                "base": read_input(scenario, path),
                "party": who,
                "u_low": ends[0][0],
                "u_high": ends[1][0],
                "u_base": u_base,
                "swing": abs(ends[1][0] - ends[0][0]),
                "deal_changes": any(d != deal_base for _, d in ends),
            }
        )
    return (
        pd.DataFrame(rows)
        .sort_values("swing", ascending=False, na_position="last")
        .reset_index(drop=True)
    )
