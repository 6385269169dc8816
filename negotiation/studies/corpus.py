"""The GENIUS corpus study: load and analyse every GENIUS domain in a folder, one row each.

For each domain file found under the folder (recursively) one table row (:data:`COLUMNS`): the
parties, the issues, the outcome-space size, the feasible and Pareto-feasible counts, each
bargaining solution's utilities, the engine, the time taken, and -- for a domain that is not
analysed -- the reason. :func:`run_corpus` makes the rows, each domain in a worker process
within a time and a memory budget; :func:`summarize` says what happened in a few lines. Writing
the table is the faces' job (``negotiation corpus``: :mod:`negotiation.cli.corpus`;
``experiments/genius_corpus.py``).

With ``negmas=True`` and the optional (AGPL) ``negmas`` package importable, each analysed domain
is also cross-checked against it (:mod:`negotiation.studies.negmas_check`). negmas is never a
dependency of this package.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from negotiation.engine.analysis import analyze
from negotiation.engine.solutions.registry import SOLUTIONS
from negotiation.errors import NegotiationError, NotApplicableError
from negotiation.io.genius import GeniusWarning, find_genius_domains, load_genius
from negotiation.studies.corpus_pool import Failure, run_pool
from negotiation.studies.defaults import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_TIMEOUT,
    QUICK_DOMAINS,
    QUICK_MAX_OUTCOMES,
)
from negotiation.studies.negmas_check import format_utilities, negmas_check

__all__ = [
    "run_corpus",
    "analyse_domain",
    "summarize",
    "COLUMNS",
    "SOLUTION_NAMES",
    "QUICK_DOMAINS",
    "QUICK_MAX_OUTCOMES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_MEMORY",
    "DEFAULT_JOBS",
]

#: Solutions reported per domain (columns of their utilities, ``u1;u2;...``).
#: The solutions each domain's row records: every registered rule, in the registry's order.
SOLUTION_NAMES = tuple(SOLUTIONS)

#: The CSV columns, in order.
COLUMNS = (
    "path",
    "name",
    "status",
    "reason",
    "parties",
    "party_names",
    "issues",
    "outcomes",
    "n_allowed",
    "n_feasible",
    "n_pareto",
    "engine",
    "load_seconds",
    "analysis_seconds",
    *SOLUTION_NAMES,
    "nash_deal",
    "warnings",
    "negmas_reader",
    "negmas_frontier",
    "negmas_nash",
    "negmas_note",
)


def _short_warning(message: str) -> str:
    return re.sub(r"^\S+\.xml: ", "", message)


def analyse_domain(
    domain: Path,
    root: Path,
    *,
    max_enumerate: int | None = None,
    max_outcomes: int | None = None,
    negmas: bool = False,
) -> dict:
    """Load and analyse one GENIUS domain; returns its table row (never raises for bad input).

    Parameters
    ----------
    domain
        The domain file.
    root
        The corpus folder (paths in the row are relative to it).
    max_enumerate
        Passed to :func:`negotiation.engine.analysis.analyze` (``None``: its default).
    max_outcomes
        Skip (with the reason) domains with more outcomes than this (``None``: no limit).
    negmas
        Cross-check against negmas (if importable).
    """
    row: dict = dict.fromkeys(COLUMNS, "")
    row["path"] = _relative(domain, root)
    scenario = _load(domain, root, row)
    if scenario is None:
        return row
    if len(scenario.parties) < 2:
        row.update(
            status="skipped", reason="only one party (no profile for the others in the folder)"
        )
        return row
    if (
        max_outcomes is not None
        and not scenario.is_continuous
        and scenario.space.cardinality > max_outcomes
    ):
        row.update(status="skipped", reason=f"quick mode: more than {max_outcomes:,} outcomes")
        return row
    analysis = _analyse(scenario, row, max_enumerate)
    if analysis is None:
        return row
    _record_analysis(row, analysis)
    if negmas:
        row.update(negmas_check(domain, scenario, analysis))
    return row


def _relative(domain: Path, root: Path) -> str:
    try:
        return str(domain.relative_to(root))
    except ValueError:
        return str(domain)


def _load(domain: Path, root: Path, row: dict) -> Any:
    """The domain's scenario, its description written into ``row``; ``None`` (and the reason in
    ``row``) when it cannot be loaded."""
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", GeniusWarning)
        try:
            scenario = load_genius(domain)
        except NegotiationError as err:
            row.update(
                status="load error",
                reason=str(err).replace(str(root) + "/", ""),
                load_seconds=f"{time.perf_counter() - t0:.3f}",
            )
            return None
        except Exception as err:  # a bug, not bad input: record it, keep going, exit 1
            row.update(status="error", reason=f"unexpected {type(err).__name__}: {err}")
            return None
    row["load_seconds"] = f"{time.perf_counter() - t0:.3f}"
    row["warnings"] = " | ".join(
        _short_warning(str(w.message)) for w in caught if issubclass(w.category, GeniusWarning)
    )
    row.update(
        name=scenario.name,
        parties=len(scenario.parties),
        party_names=";".join(scenario.party_names),
        issues=len(scenario.issues),
        outcomes="continuous" if scenario.is_continuous else scenario.space.cardinality,
    )
    return scenario


def _analyse(scenario: Any, row: dict, max_enumerate: int | None) -> Any:
    """The scenario's analysis; ``None`` (status and reason in ``row``) when there is none."""
    t1 = time.perf_counter()
    kwargs: dict[str, Any] = {} if max_enumerate is None else {"max_enumerate": max_enumerate}
    try:
        analysis = analyze(scenario, lotteries=False, continuous=False, **kwargs)
    except NotApplicableError as err:
        why = str(err)
        if any(scenario.bonuses):
            why += (
                " (the constraint-based utilities tie the issues together, so the space cannot "
                "be split issue by issue)"
            )
        row.update(status="skipped", reason=why)
    except MemoryError:
        row.update(status="skipped", reason="memory budget exceeded during the analysis")
    except Exception as err:  # NegotiationError or a bug: record it, keep going, exit 1
        kind = "" if isinstance(err, NegotiationError) else f"unexpected {type(err).__name__}: "
        row.update(status="error", reason=kind + str(err))
    else:
        row["analysis_seconds"] = f"{time.perf_counter() - t1:.3f}"
        return analysis
    row["analysis_seconds"] = f"{time.perf_counter() - t1:.3f}"
    return None


def _record_analysis(row: dict, analysis: Any) -> None:
    """The analysed domain's counts, engine and solutions, into its row."""
    sizes = analysis.sizes
    row.update(
        status="analysed",
        n_allowed=sizes["n_allowed"],
        n_feasible=sizes["n_feasible"],
        n_pareto=sizes["n_pareto"],
        engine=analysis.engine,
    )
    if analysis.is_empty:
        row["reason"] = "no feasible outcome: " + analysis.frontier.diagnostics.get("message", "")
    for name in SOLUTION_NAMES:
        deal = analysis.solutions.get(name)
        if deal is not None:
            row[name] = format_utilities(deal.utilities)
    if "nash" in analysis.solutions:
        row["nash_deal"] = json.dumps(analysis.solutions["nash"].terms, ensure_ascii=False)


# -- the whole corpus ------------------------------------------------------------------------
#: Domains analysed at once (worker processes) by default: the machine's cores, at most 2.
DEFAULT_JOBS = 2


def run_corpus(
    folder: str | Path,
    *,
    quick: bool = False,
    negmas: bool = False,
    max_enumerate: int | None = None,
    progress: bool | None = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = DEFAULT_MAX_MEMORY,
    jobs: int = DEFAULT_JOBS,
) -> list[dict]:
    """One row per GENIUS domain under ``folder`` (see :func:`analyse_domain`).

    With ``quick``, stop after :data:`QUICK_DOMAINS` analysed domains and skip those with more
    than :data:`QUICK_MAX_OUTCOMES` outcomes.

    Budgets: each domain is loaded and analysed in one of ``jobs`` long-lived forked worker
    processes (:func:`negotiation.studies.corpus_pool.run_pool`), with ``max_memory`` MB of
    address space above the worker's size when the domain starts (``RLIMIT_AS``) and at most
    ``timeout`` seconds; a domain over either budget is *skipped with the reason*, its worker
    is replaced and the run goes on (so up to ``jobs * max_memory`` MB in all). The
    rows keep the order of the domains whatever order the workers finish in, and are the same
    for any ``jobs``. ``None`` for both budgets runs every domain in this process, one at a
    time, without budgets (also where ``fork`` is not available, e.g. on Windows: then the
    budgets cannot be enforced). ``progress``: a progress bar over the domains on stderr
    (``None``: only when stderr is a terminal).
    """
    folder = Path(folder)
    domains = find_genius_domains(folder)
    budgets = timeout is not None or max_memory is not None
    use_worker = budgets and "fork" in multiprocessing.get_all_start_methods()
    kwargs: dict[str, Any] = dict(
        max_enumerate=max_enumerate,
        max_outcomes=QUICK_MAX_OUTCOMES if quick else None,
        negmas=negmas,
    )
    bar = _progress(len(domains), progress)
    if use_worker:

        def one(domain: Path) -> dict:  # runs in a worker: the study's analyse_domain, now
            return _budget_reason(analyse_domain(domain, folder, **kwargs), max_memory)

        out = run_pool(
            domains,
            one,
            order=None if quick else _largest_first(domains),
            jobs=jobs,
            timeout=timeout,
            max_memory=max_memory,
            stop=_quick_done if quick else None,
            done=lambda k: bar.update(1) if bar is not None else None,
        )
        rows = [
            _failure_row(d, folder, r) if isinstance(r, Failure) else r
            for d, r in zip(domains, out, strict=True)
            if r is not None
        ]
    else:
        rows = []
        for domain in domains:
            rows.append(analyse_domain(domain, folder, **kwargs))
            if bar is not None:
                bar.update(1)
            if quick and _quick_done(rows):
                break
    if quick:  # the first QUICK_DOMAINS analysed, in domain order (the pool may run ahead)
        analysed = 0
        for k, row in enumerate(rows):
            analysed += row["status"] == "analysed"
            if analysed >= QUICK_DOMAINS:
                rows = rows[: k + 1]
                break
    if bar is not None:
        bar.close()
    return rows


#: The cost hint's scale: outcomes enumerated per second and profile bytes parsed per second
#: (orders of magnitude on this project's machine), and the space size above which the search
#: decides quickly (a refusal or a small fold) rather than enumerating.
_HINT_OUTCOMES_PER_S = 1e6
_HINT_BYTES_PER_S = 3e6
_HINT_SEARCHED = 1e9


def _size_hint(domain: Path) -> float:
    """Rough seconds to load and analyse ``domain``, from its text alone (no XML parse): the
    product of its issues' sizes (items, or integer bounds) and the bytes of the XML files
    beside it. Only used to start the slow domains first; 0 when the file cannot be read."""
    try:
        text = domain.read_text(encoding="utf-8", errors="replace")
        size_bytes = sum(f.stat().st_size for f in domain.parent.glob("*.xml"))
    except OSError:
        return 0.0
    outcomes = 1.0
    for chunk in text.split("<issue")[1:]:
        head = chunk[: chunk.find(">")]
        bounds = re.findall(r'(lowerbound|upperbound)="(-?\d+)"', head)
        if 'type="integer"' in head and len(bounds) == 2:
            values = dict(bounds)
            outcomes *= max(int(values["upperbound"]) - int(values["lowerbound"]) + 1, 1)
        else:
            outcomes *= max(chunk.split("</issue>")[0].count("<item"), 1)
    work = 0.0 if outcomes > _HINT_SEARCHED else outcomes / _HINT_OUTCOMES_PER_S
    return work + size_bytes / _HINT_BYTES_PER_S


def _largest_first(domains: Sequence[Path]) -> list[int]:
    """Indices of ``domains``, the largest :func:`_size_hint` first (the longest job starts
    first, so that it does not finish last alone: Graham's LPT rule)."""
    hints = [_size_hint(d) for d in domains]
    return sorted(range(len(domains)), key=lambda k: -hints[k])


def _budget_reason(row: dict, max_memory: int | None) -> dict:
    """The row, its reason naming the memory budget when the analysis ran out of memory."""
    if max_memory is not None and row.get("status") == "skipped":
        if "memory budget" in row.get("reason", ""):
            row["reason"] = f"memory budget of {max_memory:,} MB exceeded"
    return row


def _failure_row(domain: Path, root: Path, failure: Failure) -> dict:
    """The row of a domain whose worker broke a budget (or failed): status and reason."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(path=_relative(domain, root), status=failure.status, reason=failure.reason)
    row["analysis_seconds"] = f"{failure.seconds:.3f}"
    return row


def _quick_done(rows: Sequence[dict | None]) -> bool:
    """Whether the leading finished rows already hold :data:`QUICK_DOMAINS` analysed ones."""
    analysed = 0
    for row in rows:
        if row is None or isinstance(row, Failure):
            if row is None:
                return False
            continue
        analysed += row["status"] == "analysed"
        if analysed >= QUICK_DOMAINS:
            return True
    return False


def _progress(total: int, progress: bool | None):
    """A tqdm bar over ``total`` domains on stderr (``disable=None``: on for a terminal only);
    ``None`` when off."""
    if progress is False:
        return None
    return tqdm(
        total=total,
        desc="corpus",
        unit="domain",
        file=sys.stderr,
        disable=None if progress is None else False,
    )


def summarize(rows: Sequence[dict], *, slowest: int = 5) -> str:
    """A short text summary: counts by status, skip reasons, the slowest domains, negmas."""
    status = Counter(r["status"] for r in rows)
    loaded = sum(1 for r in rows if r["status"] != "load error")
    lines = [
        f"{len(rows)} domains: {loaded} loaded, {status['analysed']} analysed exactly, "
        f"{status['skipped']} skipped, {status['load error']} not loaded, {status['error']} errors"
    ]
    for r in rows:
        if r["status"] in ("skipped", "load error", "error"):
            lines.append(f"  {r['status']}: {r['path']}: {r['reason'][:200]}")
    timed = sorted(
        (r for r in rows if r["analysis_seconds"] != ""),
        key=lambda r: -float(r["load_seconds"] or 0) - float(r["analysis_seconds"] or 0),
    )[:slowest]
    if timed:
        lines.append("slowest:")
        for r in timed:
            total = float(r["load_seconds"] or 0) + float(r["analysis_seconds"] or 0)
            lines.append(
                f"  {total:8.2f} s  {r['path']}  ({r['outcomes']} outcomes, {r['parties']} parties)"
            )
    checked = [r for r in rows if r.get("negmas_reader") or r.get("negmas_frontier")]
    if checked:
        dis = [
            r
            for r in checked
            if "DISAGREE" in (r["negmas_reader"], r["negmas_frontier"], r["negmas_nash"])
        ]
        count = Counter(r["negmas_reader"] for r in checked)
        lines.append(
            f"negmas cross-check: {len(checked)} domains; reader: {count['agree']} agree, "
            f"{count['negmas conventions']} differ only by negmas's reading conventions, "
            f"{count['DISAGREE']} disagree, {count['']} not loaded by negmas; frontier agrees on "
            f"{sum(r['negmas_frontier'] == 'agree' for r in checked)}, Nash on "
            f"{sum(r['negmas_nash'] == 'agree' for r in checked)}; "
            f"{len(dis)} domains with an unexplained disagreement"
        )
        for r in dis:
            lines.append(
                f"  {r['path']}: reader {r['negmas_reader']}, frontier {r['negmas_frontier']}, "
                f"Nash {r['negmas_nash']}: {r['negmas_note'][:300]}"
            )
    return "\n".join(lines)
