"""The numbers of a group of sweep samples, as arrays: the inputs that move, sample by sample.

:class:`Numbers` turns the parsed inputs of a group of samples (weights, values, reservations,
powers, discounts) into ``samples x ...`` arrays, checks them conservatively (finite, weights
``>= 0`` with a positive total, values in ``[0, 1]``, power ``> 0``, discount in ``(0, 1]``) and
builds every sample's per-issue score tables exactly as :attr:`Scenario.tables
<negotiation.model.scenario.Scenario.tables>` does,

.. math::

    T_{s,i}[l, p] = \\frac{w_{spi}}{\\sum_j w_{spj}} \\, v_{spi}(l).

When every sample sets the same paths in the same order (a Monte Carlo sweep), the inputs are
set column by column (one array operation per path) instead of sample by sample; the result is
the same. Used by :mod:`negotiation.studies.batch`.

Examples
--------
>>> import negotiation as ng
>>> from negotiation.studies.inputs import parse_path
>>> s = ng.load_scenario("textbook_two_party")
>>> path = parse_path(f"{s.party_names[0]}/reservation", s)
>>> num = Numbers(s, [[(path, 0.25)], [(path, float("nan"))]])
>>> num.ok.tolist(), float(num.reservations[0, 0])
([True, False], 0.25)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np

from negotiation.model.scenario import Scenario
from negotiation.studies.inputs import InputPath

__all__ = ["Numbers", "ParsedInputs"]


class Numbers:
    """Per-sample arrays of the inputs that move: raw weights, values, reservations, powers."""

    def __init__(self, d: Scenario, parsed: Sequence[Sequence[tuple[InputPath, float]]]) -> None:
        P, n_issues = len(d.parties), len(d.issues)
        sizes = [issue.size for issue in d.issues]
        S, Lmax = len(parsed), max(sizes)
        self.points = np.array([p.scored_in_points for p in d.parties], dtype=bool)
        base_w = np.zeros((P, n_issues))
        base_v = np.zeros((P, n_issues, Lmax))
        issue_names = d.issue_names  # a property that builds its tuple: read once
        for p, party in enumerate(d.parties):
            if party.scored_in_points:
                continue
            for name, w in party.weights.items():
                base_w[p, issue_names.index(name)] = float(w)
            for i in range(n_issues):
                base_v[p, i, : sizes[i]] = d.values(p, i)
        W = np.broadcast_to(base_w, (S, P, n_issues)).copy()
        V = np.broadcast_to(base_v, (S, P, n_issues, Lmax)).copy()
        R = np.broadcast_to(d.reservations, (S, P)).copy()
        A = np.broadcast_to(d.powers, (S, P)).copy()
        ok = np.ones(S, dtype=bool)
        moved = np.zeros(S, dtype=bool)  # the sample sets values (a one-hot screen is needed)
        changed_w = np.zeros((S, P), dtype=bool)
        pos = {name: k for k, name in enumerate(d.party_names)}
        issue_pos = {name: k for k, name in enumerate(issue_names)}
        columns = _columns(parsed)
        for path, value in columns if columns is not None else ():
            p, field, fin = pos[path.party], path.field, np.isfinite(value)
            ok &= fin
            if field == "weights":
                i = issue_pos[str(path.issue)]
                W[:, p, i] = np.where(fin, value, W[:, p, i])
                changed_w[:, p] |= fin
                ok &= ~(fin & (value < 0))
            elif field == "reservation":
                R[:, p] = np.where(fin, value, R[:, p])
            elif field == "values":
                i = issue_pos[str(path.issue)]
                lv = d.issues[i].levels.index(path.level)
                V[:, p, i, lv] = np.where(fin, value, V[:, p, i, lv])
                moved[:] = True
                ok &= ~fin | ((value >= 0.0) & (value <= 1.0))
            elif field == "power":
                A[:, p] = np.where(fin, value, A[:, p])
                ok &= ~fin | (value > 0)
            elif field == "discount":
                ok &= ~fin | ((value > 0.0) & (value <= 1.0))
        for s, inputs in enumerate(parsed if columns is None else ()):
            for path, value in inputs:
                p = pos[path.party]
                field = path.field
                if not math.isfinite(value):
                    ok[s] = False
                elif field == "weights":
                    W[s, p, issue_pos[str(path.issue)]] = value
                    changed_w[s, p] = True
                    if value < 0:
                        ok[s] = False
                elif field == "reservation":
                    R[s, p] = value
                elif field == "values":
                    i = issue_pos[str(path.issue)]
                    V[s, p, i, d.issues[i].levels.index(path.level)] = value
                    moved[s] = True
                    if not 0.0 <= value <= 1.0:
                        ok[s] = False
                elif field == "power":
                    A[s, p] = value
                    if not value > 0:
                        ok[s] = False
                elif field == "discount":
                    if not 0.0 < value <= 1.0:
                        ok[s] = False
        total = W.sum(axis=-1)
        ok &= ~np.any(changed_w & ~(total > 0), axis=1)
        self.ok = ok
        self.moved = moved
        self.same_values = not moved.any()
        # T[s, i, l, p] = (w_pi / sum_j w_pj) v_pi(l), as Scenario.weights and .tables build it
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # invalid: not ok
            Wn = W / total[..., None]
            Wn[:, self.points, :] = 0.0
            Wn = np.where(Wn > 0, Wn, 0.0)
            self.coef = Wn.copy()  # S x P x I: multiplies the party's values (1 for points)
            self.coef[:, self.points, :] = 1.0
            T = Wn[..., None] * V  # S x P x I x Lmax
        T = np.ascontiguousarray(T.transpose(0, 2, 3, 1))  # S x I x Lmax x P
        for q in np.flatnonzero(self.points):
            for i in range(n_issues):
                T[:, i, : sizes[i], q] = d.tables[i][:, q]
        self.tables = T
        self.sizes = sizes
        self.reservations = R
        self.powers = A

    def part(self, lo: int, hi: int) -> Numbers:
        """The numbers of samples ``lo:hi`` (views of these arrays): what :class:`Numbers` of
        those samples alone holds (``same_values`` from their own inputs)."""
        out = object.__new__(Numbers)
        out.__dict__.update(self.__dict__)
        for name in _PER_SAMPLE:
            setattr(out, name, getattr(self, name)[lo:hi])
        out.same_values = not out.moved.any()
        return out


#: The attributes of :class:`Numbers` with one entry per sample (sliced by :meth:`Numbers.part`).
_PER_SAMPLE = ("ok", "moved", "coef", "tables", "reservations", "powers")


class ParsedInputs(Sequence[tuple[InputPath, float]]):
    """One sample's parsed inputs, ``(path, value)`` pairs, held as a shared tuple of paths
    and a list of values (no pair objects: a Monte Carlo sweep parses many samples with the
    same paths).

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.studies.inputs import parse_path
    >>> s = ng.load_scenario("textbook_two_party")
    >>> path = parse_path(f"{s.party_names[0]}/reservation", s)
    >>> x = ParsedInputs((path,), [0.25])
    >>> list(x) == [(path, 0.25)], len(x), x[0] == (path, 0.25)
    (True, 1, True)
    """

    __slots__ = ("paths", "values")

    def __init__(self, paths: tuple[InputPath, ...], values: list[float]) -> None:
        self.paths, self.values = paths, values

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, k):  # int or slice, as a list
        return list(self)[k] if isinstance(k, slice) else (self.paths[k], self.values[k])

    def __iter__(self) -> Iterator[tuple[InputPath, float]]:
        return zip(self.paths, self.values, strict=True)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the list it stands for

    def __repr__(self) -> str:
        return f"ParsedInputs({list(self)!r})"


def _columns(parsed: Sequence[Sequence[tuple[InputPath, float]]]) -> list | None:
    """``[(path, values)]`` when every sample sets the same paths in the same order (the
    usual sweep): ``values`` the ``k``-th input of every sample, as an array; else ``None``."""
    shared = [x for x in parsed if isinstance(x, ParsedInputs)]
    if shared and len(shared) == len(parsed) and all(x.paths is shared[0].paths for x in shared):
        table = np.array([x.values for x in shared], dtype=float).reshape(len(shared), -1)
        return [(path, table[:, k]) for k, path in enumerate(shared[0].paths)]
    split = [tuple(zip(*x, strict=True)) or ((), ()) for x in parsed]  # (paths, values)
    first = split[0][0] if split else ()
    # the same path objects (tuple equality checks identity first: one C-level pass)
    if any(len(paths) != len(first) or paths != first for paths, _ in split):
        return None
    values = np.array([v for _, v in split], dtype=float).reshape(len(parsed), -1)
    return [(path, values[:, k]) for k, path in enumerate(first)]
