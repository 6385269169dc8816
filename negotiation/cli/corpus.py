"""``negotiation corpus FOLDER``: load and analyse every GENIUS domain in a folder.

For each domain file found under the folder (recursively) one table row: the parties, the issues,
the outcome-space size, the feasible and Pareto-feasible counts, each bargaining solution's
utilities, the engine, the time taken, and -- for a domain that is not analysed -- the reason.
The table is written as CSV; a summary (counts, skip reasons, the slowest domains) is printed.

With ``--negmas`` and the optional (AGPL) ``negmas`` package importable, each analysed domain
is also cross-checked against it: (1) *reader* -- is negmas's utility of every outcome a positive
affine function of ours (party by party)?  (2) *frontier* -- on our utilities, does negmas's
``pareto_frontier`` find the same Pareto-feasible utility vectors, and (3) *Nash* -- does its
``nash_points`` pick the same point?  negmas is never a dependency of this package.

The script ``experiments/genius_corpus.py`` runs the same with the public corpus as default.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import multiprocessing
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from negotiation.errors import NegotiationError, NotApplicableError
from negotiation.formats.genius import GeniusWarning, find_genius_domains, load_genius

__all__ = [
    "add_parser",
    "run",
    "run_corpus",
    "analyse_domain",
    "write_rows",
    "summarize",
    "COLUMNS",
]

#: Solutions reported per domain (columns of their utilities, ``u1;u2;...``).
SOLUTION_NAMES = ("nash", "asymmetric_nash", "kalai_smorodinsky", "egalitarian", "utilitarian")

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

#: ``--quick``: analyse this many small domains ...
QUICK_DOMAINS = 6
#: ... of at most this many outcomes.
QUICK_MAX_OUTCOMES = 5_000

#: Per-domain budgets of ``negotiation corpus``: seconds and megabytes (address space above the
#: parent's) for loading and analysing one domain in its worker process.
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_MEMORY = 2048

#: negmas is pure Python: cross-check spaces up to this size in full, larger ones on a sample.
NEGMAS_FULL = 20_000
NEGMAS_SAMPLE = 2_000


def _utilities_text(u: np.ndarray) -> str:
    return ";".join(f"{float(x):.10g}" for x in u)


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
    from negotiation.engine.analysis import analyze

    row: dict = dict.fromkeys(COLUMNS, "")
    try:
        row["path"] = str(domain.relative_to(root))
    except ValueError:
        row["path"] = str(domain)
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
            return row
        except Exception as err:  # a bug, not bad input: record it, keep going, exit 1
            row.update(status="error", reason=f"unexpected {type(err).__name__}: {err}")
            return row
    row["load_seconds"] = f"{time.perf_counter() - t0:.3f}"
    row["warnings"] = " | ".join(
        _short_warning(str(w.message)) for w in caught if issubclass(w.category, GeniusWarning)
    )
    row.update(
        name=scenario.name,
        parties=len(scenario.parties),
        party_names=";".join(scenario.party_names),
        issues=len(scenario.issues),
    )
    if scenario.is_continuous:
        row["outcomes"] = "continuous"
    else:
        row["outcomes"] = scenario.space.cardinality
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
    t1 = time.perf_counter()
    kwargs = {} if max_enumerate is None else {"max_enumerate": max_enumerate}
    try:
        analysis = analyze(scenario, lotteries=False, continuous=False, **kwargs)
    except NotApplicableError as err:
        why = str(err)
        if any(scenario.bonuses):
            why += (
                " (the constraint-based utilities tie the issues together, so the space cannot "
                "be split issue by issue)"
            )
        row.update(status="skipped", reason=why, analysis_seconds=f"{time.perf_counter() - t1:.3f}")
        return row
    except MemoryError:
        row.update(
            status="skipped",
            reason="memory budget exceeded during the analysis",
            analysis_seconds=f"{time.perf_counter() - t1:.3f}",
        )
        return row
    except Exception as err:  # NegotiationError or a bug: record it, keep going, exit 1
        kind = "" if isinstance(err, NegotiationError) else f"unexpected {type(err).__name__}: "
        row.update(
            status="error",
            reason=kind + str(err),
            analysis_seconds=f"{time.perf_counter() - t1:.3f}",
        )
        return row
    row["analysis_seconds"] = f"{time.perf_counter() - t1:.3f}"
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
            row[name] = _utilities_text(deal.utilities)
    if "nash" in analysis.solutions:
        row["nash_deal"] = json.dumps(analysis.solutions["nash"].terms, ensure_ascii=False)
    if negmas:
        row.update(_negmas_check(domain, scenario, analysis))
    return row


# -- the negmas cross-check ------------------------------------------------------------------
def _negmas_check(domain: Path, scenario, analysis) -> dict:
    """Compare with negmas: its reading of the files, its frontier and its Nash point."""
    out = {"negmas_reader": "", "negmas_frontier": "", "negmas_nash": "", "negmas_note": ""}
    try:
        from negmas import Scenario as NScenario
        from negmas.preferences import MappingUtilityFunction, nash_points, pareto_frontier
    except ImportError:
        out["negmas_note"] = "negmas not importable"
        return out
    notes = []
    rng = np.random.default_rng(0)
    space = scenario.space
    n = space.cardinality
    levels = space.enumerate() if n <= NEGMAS_FULL else space.sample(NEGMAS_SAMPLE, rng)
    ours = scenario.utilities(levels)
    # (1) the reader.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ns = NScenario.from_genius_folder(domain.parent, ignore_discount=True)
    except Exception as err:  # negmas raises many kinds; report, never fail the run
        ns = None
        notes.append(f"negmas could not load the folder ({type(err).__name__}: {err})")
    if ns is not None:
        by_stem = {}
        for uf in ns.ufuns:
            by_stem[str(getattr(uf, "name", "") or "")] = uf
        stems = [Path(p).stem for p in scenario.sources[1:]]
        issues = ns.outcome_space.issues
        ints = [all(isinstance(v, (int, np.integer)) for v in iss.values) for iss in issues]
        worst, verdicts, explained = 0.0, [], []
        try:
            outcomes = [
                tuple(
                    int(scenario.issues[i].levels[k]) if ints[i] else scenario.issues[i].levels[k]
                    for i, k in enumerate(row)
                )
                for row in levels
            ]
            for p, stem in enumerate(stems):
                uf = by_stem.get(stem)
                if uf is None:
                    verdicts.append(f"{scenario.party_names[p]}: no negmas ufun named {stem!r}")
                    continue
                theirs = np.array([float(uf(o)) for o in outcomes])
                resid = _affine_residual(ours[:, p], theirs)
                worst = max(worst, resid)
                if resid > 1e-9:
                    raw = _raw_evaluation_utility(Path(scenario.sources[1 + p]), scenario, levels)
                    if raw is not None and _affine_residual(raw, theirs) <= 1e-9:
                        explained.append(scenario.party_names[p])
                    else:
                        verdicts.append(
                            f"{scenario.party_names[p]}: negmas utility is not an increasing "
                            f"affine function of ours (relative residual {resid:.2g})"
                        )
        except Exception as err:
            verdicts.append(f"could not evaluate negmas utilities ({type(err).__name__}: {err})")
        if verdicts:
            out["negmas_reader"] = "DISAGREE"
            notes.extend(verdicts)
        elif explained:
            out["negmas_reader"] = "negmas conventions"
            notes.append(
                f"negmas reads {', '.join(explained)} differently from GENIUS: raw discrete "
                "evaluations (GENIUS divides each by its issue's largest) and integer evaluators "
                "as offset + slope * x (GENIUS: clip(offset + slope * (x - lowerbound)))"
            )
        else:
            out["negmas_reader"] = "agree"
    # (2, 3) the frontier and the Nash point on our utilities.
    if n <= NEGMAS_FULL and not analysis.is_empty:
        U = ours if levels.shape[0] == n else scenario.utilities(space.enumerate())
        L = levels if levels.shape[0] == n else space.enumerate()
        ok = scenario.feasible_mask(L, U)
        outs = [tuple(int(v) for v in row) for row in L[ok]]
        ufs = [
            MappingUtilityFunction(
                dict(zip(outs, map(float, U[ok][:, p]), strict=True)),
                reserved_value=float(scenario.reservations[p]),
            )
            for p in range(len(scenario.parties))
        ]
        # The disagreement point is the reservation vector (negmas would otherwise raise it to
        # each party's worst outcome when the reservation lies below it).
        ranges = [
            (float(scenario.reservations[p]), float(U[ok][:, p].max())) for p in range(len(ufs))
        ]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                front, _ = pareto_frontier(ufs, outcomes=outs, sort_by_welfare=True)
            theirs = {tuple(np.round(np.asarray(f, float), 9)) for f in front}
            mine = {tuple(np.round(u, 9)) for u in analysis.frontier.utilities}
            out["negmas_frontier"] = "agree" if theirs == mine else "DISAGREE"
            if theirs != mine:
                notes.append(
                    f"frontier: {len(mine)} utility vectors here, {len(theirs)} in negmas, "
                    f"{len(mine ^ theirs)} differ"
                )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                npts = nash_points(ufs, front, ranges=ranges, outcomes=outs)
            if npts:
                nu = np.asarray(npts[0][0], float)
                mu = analysis.solutions["nash"].utilities
                good = bool(np.allclose(nu, mu, atol=1e-9))
                if not good:
                    # Ties: negmas's point may be another maximiser of the Nash product.
                    d = scenario.reservations
                    prod = lambda u: float(np.prod(np.maximum(np.asarray(u) - d, 0)))  # noqa: E731
                    good = math.isclose(prod(nu), prod(mu), rel_tol=1e-9, abs_tol=1e-15)
                    if good:
                        notes.append("Nash: a different point with the same Nash product (a tie)")
                out["negmas_nash"] = "agree" if good else "DISAGREE"
                if not good:
                    notes.append(f"Nash: here {_utilities_text(mu)}, negmas {_utilities_text(nu)}")
            else:
                out["negmas_nash"] = "none"
                notes.append("negmas found no Nash point")
        except Exception as err:
            notes.append(f"negmas frontier/Nash failed ({type(err).__name__}: {err})")
    elif n > NEGMAS_FULL:
        notes.append(
            f"frontier/Nash not cross-checked (more than {NEGMAS_FULL:,} outcomes); "
            f"reader checked on {levels.shape[0]} sampled outcomes"
        )
    out["negmas_note"] = " | ".join(notes)
    return out


def _affine_residual(x: np.ndarray, y: np.ndarray) -> float:
    """Relative residual of the best fit ``y = a x + b`` (``inf`` if that needs ``a <= 0``)."""
    A = np.column_stack([x, np.ones(x.size)])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    if np.ptp(y) > 0 and coef[0] <= 0:
        return math.inf
    return float(np.max(np.abs(A @ coef - y))) / max(1.0, float(np.ptp(y)))


def _raw_evaluation_utility(profile: Path, scenario, levels: np.ndarray) -> np.ndarray | None:
    """The utility under negmas's reading conventions, to explain a negmas disagreement.

    ``sum_i w_i e_i(x)`` with raw (undivided) discrete evaluations ``e_i`` and, for integer
    issues, ``offset + slope * x`` on the value itself (no lower bound subtracted, no clipping
    to [0, 1]); ``None`` for other kinds of profile.
    """
    from negotiation.formats.genius import _load_xml

    try:
        root = _load_xml(profile)
        weights = {int(w.get("index")): float(w.get("value")) for w in root.iter("weight")}
        tables = {}
        for el in root.iter("issue"):
            index = int(el.get("index"))
            kind = el.get("type") or el.get("vtype") or el.get("etype") or "discrete"
            if kind == "discrete":
                tables[index] = {
                    it.get("value"): float(it.get("evaluation"))
                    for it in el.findall("item")
                    if it.get("evaluation") not in (None, "", "null")
                }
            elif kind == "integer" and el.find("evaluator") is not None:
                ev = el.find("evaluator")
                slope, offset = float(ev.get("slope", 0)), float(ev.get("offset", 0))
                tables[index] = {"slope": slope, "offset": offset}
            else:
                return None
        indices = sorted(tables)
        if len(indices) != len(scenario.issues):
            return None
        u = np.zeros(levels.shape[0])
        for i, index in enumerate(indices):
            spec, names = tables[index], scenario.issues[i].levels
            if "slope" in spec and set(spec) == {"slope", "offset"}:
                table = np.array([spec["offset"] + spec["slope"] * int(lv) for lv in names])
            else:
                table = np.array([spec[lv] for lv in names])
            u += weights.get(index, 0.0) * table[levels[:, i]]
        return u
    except (NegotiationError, KeyError, ValueError, TypeError):
        return None


# -- the whole corpus ------------------------------------------------------------------------
def run_corpus(
    folder: str | Path,
    *,
    quick: bool = False,
    negmas: bool = False,
    max_enumerate: int | None = None,
    progress: bool | None = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = DEFAULT_MAX_MEMORY,
) -> list[dict]:
    """One row per GENIUS domain under ``folder`` (see :func:`analyse_domain`).

    With ``quick``, stop after :data:`QUICK_DOMAINS` analysed domains and skip those with more
    than :data:`QUICK_MAX_OUTCOMES` outcomes.

    Budgets: each domain is loaded and analysed in a worker process (forked) whose address space
    is capped at ``max_memory`` MB above the parent's (``RLIMIT_AS``) and which is stopped after
    ``timeout`` seconds; a domain over either budget is *skipped with the reason* and the run
    goes on. ``None`` for both runs every domain in this process without budgets (also where
    ``fork`` is not available, e.g. on Windows: then the budgets cannot be enforced and a
    warning row reason says so). ``progress``: a progress bar over the domains on stderr
    (``None``: only when stderr is a terminal).
    """
    folder = Path(folder)
    domains = find_genius_domains(folder)
    rows = []
    analysed = 0
    budgets = timeout is not None or max_memory is not None
    use_worker = budgets and "fork" in multiprocessing.get_all_start_methods()
    bar = _progress(domains, progress)
    for domain in bar:
        rel = domain.relative_to(folder)
        if hasattr(bar, "set_postfix_str"):
            bar.set_postfix_str(str(rel)[-40:], refresh=False)
        kwargs = dict(
            max_enumerate=max_enumerate,
            max_outcomes=QUICK_MAX_OUTCOMES if quick else None,
            negmas=negmas,
        )
        if use_worker:
            row = _analyse_in_worker(domain, folder, kwargs, timeout, max_memory)
        else:
            row = analyse_domain(domain, folder, **kwargs)
        rows.append(row)
        analysed += row["status"] == "analysed"
        if quick and analysed >= QUICK_DOMAINS:
            break
    if hasattr(bar, "close"):
        bar.close()
    return rows


def _progress(domains: list[Path], progress: bool | None):
    """tqdm over the domains (``disable=None``: on for a terminal only); plain list if off."""
    if progress is False:
        return domains
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return domains
    return tqdm(
        domains,
        desc="corpus",
        unit="domain",
        file=sys.stderr,
        disable=None if progress is None else False,
    )


def _address_space() -> int:
    """This process's virtual memory size in bytes (``VmSize``), 0 where unknown."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _worker(conn, domain: Path, root: Path, kwargs: dict, max_memory: int | None) -> None:
    """Child process: cap the address space, analyse, send the row back."""
    if max_memory is not None:
        import resource

        limit = _address_space() + int(max_memory) * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):  # pragma: no cover - a hard limit below ours
            pass
    try:
        row = analyse_domain(domain, root, **kwargs)
    except MemoryError:
        row = dict.fromkeys(COLUMNS, "")
        row.update(path=str(domain.relative_to(root)), status="skipped")
        row["reason"] = f"memory budget of {max_memory:,} MB exceeded"
    except BaseException as err:  # pragma: no cover - reported as the row, never raised here
        row = dict.fromkeys(COLUMNS, "")
        row.update(path=str(domain.relative_to(root)), status="error")
        row["reason"] = f"unexpected {type(err).__name__}: {err}"
    if row.get("status") == "skipped" and "memory budget" in row.get("reason", ""):
        row["reason"] = f"memory budget of {max_memory:,} MB exceeded"
    try:
        conn.send(row)
    finally:
        conn.close()


def _analyse_in_worker(
    domain: Path, root: Path, kwargs: dict, timeout: float | None, max_memory: int | None
) -> dict:
    """:func:`analyse_domain` in a forked worker within the time and memory budgets."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    t0 = time.perf_counter()
    proc = ctx.Process(target=_worker, args=(send, domain, root, kwargs, max_memory), daemon=True)
    proc.start()
    send.close()
    row = None
    try:
        if recv.poll(timeout):
            row = recv.recv()
    except (EOFError, OSError):
        row = None
    finally:
        recv.close()
    elapsed = time.perf_counter() - t0
    if proc.is_alive():
        proc.kill()
    proc.join(5)
    if row is not None:
        return row
    row = dict.fromkeys(COLUMNS, "")
    try:
        row["path"] = str(domain.relative_to(root))
    except ValueError:
        row["path"] = str(domain)
    row["status"] = "skipped"
    row["analysis_seconds"] = f"{elapsed:.3f}"
    if timeout is not None and elapsed >= timeout:
        row["reason"] = f"time budget of {timeout:g} s exceeded"
    elif max_memory is not None:
        row["reason"] = (
            f"the worker stopped (exit code {proc.exitcode}), most likely over the memory "
            f"budget of {max_memory:,} MB"
        )
    else:  # pragma: no cover
        row["reason"] = f"the worker stopped (exit code {proc.exitcode})"
    return row


def write_rows(rows: Sequence[dict], path: Path) -> Path:
    """Write the rows as CSV (columns :data:`COLUMNS`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


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


# -- the command line ------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser, *, folder_default: Path | None = None) -> None:
    """The corpus options (shared with ``experiments/genius_corpus.py``)."""
    parser.add_argument(
        "folder",
        nargs="?" if folder_default is not None else None,
        default=folder_default,
        type=Path,
        metavar="FOLDER",
        help="folder searched (recursively) for GENIUS domain files"
        + (f" (default: {folder_default})" if folder_default is not None else ""),
    )
    parser.add_argument(
        "--negmas",
        action="store_true",
        help="cross-check readings, frontiers and Nash points against negmas (if installed)",
    )
    parser.add_argument(
        "--max-enumerate",
        type=_positive_int,
        default=None,
        metavar="N",
        help="enumerate outcome spaces up to N outcomes (default: the analysis default)",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar over the domains on stderr (default: only on a terminal)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"time budget per domain in seconds (default {DEFAULT_TIMEOUT:g}); a domain over "
        "it is skipped with the reason",
    )
    parser.add_argument(
        "--max-memory",
        type=_positive_int,
        default=DEFAULT_MAX_MEMORY,
        metavar="MB",
        help=f"memory budget per domain in MB (default {DEFAULT_MAX_MEMORY:,}); a domain over "
        "it is skipped with the reason",
    )


def _positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not (math.isfinite(x) and x > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return x


def _positive_int(text: str) -> int:
    try:
        x = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if x < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return x


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "corpus",
        help="load and analyse every GENIUS domain in a folder (one table row per domain)",
        description=(
            "Find every GENIUS domain file under FOLDER, load it with its profiles, analyse it "
            "(feasible set, Pareto-feasible frontier, bargaining solutions) and write one CSV row "
            "per domain, with the reason for any domain not analysed. --negmas cross-checks "
            "against the negmas library where it is installed."
        ),
    )
    add_arguments(parser)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"only the first {QUICK_DOMAINS} domains of at most {QUICK_MAX_OUTCOMES:,} outcomes",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("results") / "genius_corpus",
        metavar="DIR",
        help="output folder (default results/genius_corpus/)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the table (one object per domain) as JSON"
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the corpus over ``args.folder``; write ``args.out/genius_corpus.csv``; print a summary."""
    folder = Path(args.folder)
    if not folder.is_dir():
        raise NegotiationError(f"{folder}: no such folder")
    rows = run_corpus(
        folder,
        quick=bool(getattr(args, "quick", False)),
        negmas=bool(getattr(args, "negmas", False)),
        max_enumerate=getattr(args, "max_enumerate", None),
        progress=getattr(args, "progress", None),
        timeout=getattr(args, "timeout", DEFAULT_TIMEOUT),
        max_memory=getattr(args, "max_memory", DEFAULT_MAX_MEMORY),
    )
    path = write_rows(rows, Path(args.out) / "genius_corpus.csv")
    if getattr(args, "json", False):
        from negotiation.cli.output import corpus_summary, print_json_text

        print_json_text(corpus_summary(rows, path))
    else:
        print(summarize(rows))
        print(f"wrote {path}")
    return 1 if any(r["status"] == "error" for r in rows) else 0
