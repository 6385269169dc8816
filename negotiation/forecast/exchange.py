"""Stokman's exchange model (equal-gain vote trading), as implemented in Decide.

Actors trade *voting positions*: actor ``X`` shifts its position on an issue ``q`` it cares
little about towards actor ``Y``, in return for ``Y`` shifting on an issue ``p`` that ``X``
cares about more; both gain, third parties feel the externalities. The issue outcome is the
weighted mean of the voting positions (the compromise model,
:mod:`negotiation.forecast.compromise`), ``O_d = sum_i c_id s_id x_id / D_d``,
``D_d = sum_i c_id s_id``.

One **round**:

1. ``O_d`` from the round's start positions; actor ``i`` is *left* on ``d`` when
   ``x_id <= O_d`` (within ``1e-9``, so that rounding cannot move an actor who sits on the
   outcome to the other side).
2. **Candidate exchanges.** For every pair of issues ``p < q`` (file order), the actors right of
   both outcomes trade with those left of both, and those left only on ``p`` with those left only
   on ``q`` (Decide's groups a-d and b-c). Of the two actors, ``X`` is the one with the larger
   salience ratio ``s_p / s_q`` (ties: the first listed); ``X`` supplies ``q`` and demands
   ``p``, ``Y`` supplies ``p`` and demands ``q``. Actors with ``c s = 0`` on either issue do not
   trade.
3. **Equal gain** (Stokman & Van Oosten 1994 [StokmanVanOosten1994]_). A shift ``dx`` of actor ``i``
   on ``d`` moves the outcome by the *exchange ratio* ``e = dx c_id s_id / D_d``. First ``Y`` moves
   all the way to ``X``'s position on ``p``: ``e_p = |x_Xp - x_Yp| c_Yp s_Yp / D_p``, and ``X``
   moves ``e_q = e_p (s_Yp + s_Xp) / (s_Yq + s_Xq)`` (so that both gain the same,
   ``G = |e_p s_Xp - e_q s_Xq| = |e_q s_Yq - e_p s_Yp|``), i.e. ``dx_Xq = e_q D_q / (c_Xq
   s_Xq)``. If that takes ``X`` past ``Y``'s position on ``q``, the roles swap: ``X`` moves all
   the way and ``Y`` moves ``e_p = e_q (s_Xq + s_Yq) / (s_Xp + s_Yp)``.
4. **Validity.** A move must be non-zero (``> 1e-10``), keep the voting position in
   ``[0, 100]``, keep the actor's moves on that issue this round in one direction and their sum at
   most 100; the gain must exceed ``1e-10``.
5. **No overshooting.** If a shift would move the outcome of the supplied issue past the
   partner's position, the shift is cut so that the outcome lands on it, and the partner's shift
   is recomputed from the equal-gain ratio (Decide's ``check_nbs``). An outcome that already
   sits on the partner's position (within ``1e-9``) is not cut: in exact arithmetic the test
   "between the outcomes before and after" fails there, which is what the reference does when
   its decimals are exact; when its 28-digit rounding leaves a residue it may cut instead.
6. **Realisation.** The exchange with the highest gain is realised (ties: creation order), every
   open exchange that shares an actor's supply issue with it is recalculated from the new
   voting position, the others that share a demand issue record the new position of the partner
   (Decide's ``updates``) and are recalculated; invalid ones are dropped; repeat until none
   remains.
7. **Round outcome**: ``O_d`` of the voting positions (the history row). Next round's start
   position of each actor that traded: ``x' = (1 - w) x + w y`` with
   ``w = 0.4 (1 - s) + 0.1`` (Decide's salience weight 0.4 and fixed weight 0.1): actors who
   care little keep more of the position they traded to.

**Against the reference.** The steps above are those of ``decide-exchange-model`` (2022.1.28),
computed in floats instead of 28-digit decimals. On its sample data every candidate exchange
(roles, voting positions, gains, validity) matches exchange by exchange, and the issue outcomes
match to 1e-9 until the first round in which two exchanges tie exactly in gain: the reference
then orders them by decimal rounding noise (differences of 1e-28), we by its list order (the
order of the previous sort, back to creation order), which is what it does for ties that are
exact in decimals too. The reference breaks exact ties at random unless ``ALLOW_RANDOM`` is
off; this model is deterministic.

References
----------
.. [StokmanVanOosten1994] Stokman, Van Oosten, "The exchange of voting positions" (1994).
   Full entry: docs/references.md.
.. [DecideExchange] Decide exchange model (software); GPL; used only as an optional cross-check,
   never imported by this package. Full entry: docs/references.md.
"""

from __future__ import annotations

import heapq
import itertools

import numpy as np

from negotiation.errors import NegotiationError
from negotiation.forecast.base import ForecastResult, check_inputs, check_rounds, weighted_mean

__all__ = ["exchange", "candidate_exchanges"]

#: Default number of rounds.
DEFAULT_ROUNDS = 10

#: Decide's weights for the next round's start position.
SALIENCE_WEIGHT, FIXED_WEIGHT = 0.4, 0.1

_EPS = 1e-10

#: Outcomes within this distance (on 0-100) of a position count as on it (step 5).
_AT = 1e-9


class _Side:
    """One actor of an exchange: its supply issue, demand issue, voting position and moves."""

    __slots__ = ("a", "sup", "dem", "x", "xd", "start", "moves", "y", "adjusted")

    def __init__(self, a: int, sup: int, dem: int, x: np.ndarray):
        self.a, self.sup, self.dem = a, sup, dem
        self.x = float(x[a, sup])  # current supply position
        self.xd = float(x[a, dem])  # own position on the demand issue (fixed)
        self.start = self.x
        self.moves: list[float] = []
        self.y = self.x
        self.adjusted = False


class _Exchange:
    __slots__ = ("X", "Y", "gain", "valid", "updates", "index", "version")

    def __init__(self, X: _Side, Y: _Side, index: int):
        self.X, self.Y, self.index = X, Y, index
        self.gain, self.valid, self.version = 0.0, True, 0
        self.updates: dict[int, dict[int, float]] = {}


class _Round:
    """The state of one round: start positions, weights and the exchange arithmetic."""

    def __init__(self, x, c, s):
        self.x, self.c, self.s = x, c, s
        self.w = c * s
        self.D = self.w.sum(axis=0)
        # plain Python numbers: the exchange arithmetic is scalar and runs millions of times
        self.xl, self.sl, self.wl = x.tolist(), s.tolist(), self.w.tolist()
        self.Dl = self.D.tolist()
        self.Sl = (self.w * x).sum(axis=0).tolist()  # sum_k w_k x_k per issue

    def _sum(self, e: _Exchange, d: int, a: int, z: float) -> float:
        """``sum_k w_k x_k`` on issue ``d`` with ``e``'s updates applied and ``a`` at ``z``."""
        xl, wl = self.xl, self.wl
        total = self.Sl[d]
        cur_a = xl[a][d]
        upd = e.updates.get(d)
        if upd:
            for k, v in upd.items():
                total += wl[k][d] * (v - xl[k][d])
                if k == a:
                    cur_a = v
        return total + wl[a][d] * (z - cur_a)

    # outcome of issue d with the exchange's recorded updates and actor a at position z
    def nbs(self, e: _Exchange, d: int, a: int, z: float) -> float:
        return self._sum(e, d, a, z) / self.Dl[d]

    def shift_for(self, e: _Exchange, A: _Side, target: float) -> float:
        """The shift of ``A`` on its supply issue that puts the outcome on ``target``.

        Computed, as in the reference, from the issue's positions with ``A`` at its current
        supply position and the exchange's recorded updates applied on top (an update of
        ``A`` itself included): ``(target D - sum_k w_k x_k) / w_A``.
        """
        d, a = A.sup, A.a
        upd = e.updates.get(d) or {}
        z = upd.get(a, A.x)  # an update of A itself wins over its supply position
        return (target * self.Dl[d] - self._sum(e, d, a, z)) / self.wl[a][d]

    def move_valid(self, side: _Side, move: float) -> bool:
        if not _EPS < abs(move) <= 100:
            return False
        if side.x + move < 0 or side.x + move > 100:
            return False
        moves = side.moves
        if sum(moves) > 100:
            return False
        if moves[0] > 0:
            return all(v > 0 for v in moves)
        return moves[0] < 0 and all(v < 0 for v in moves)

    def ratio(self, i: _Side, j: _Side) -> float:
        """Exchange-ratio factor ``(s_i,sup + s_j,dem) / (s_i,dem + s_j,sup)`` (i supplies)."""
        s = self.sl
        return (s[i.a][i.sup] + s[j.a][j.dem]) / (s[i.a][i.dem] + s[j.a][j.sup])

    def calculate(self, e: _Exchange) -> None:
        X, Y, w, D = e.X, e.Y, self.wl, self.Dl
        s = self.sl
        p, q = X.dem, X.sup
        # Y moves fully to X's position on p
        dp = abs(X.xd - Y.x) * w[Y.a][p] / D[p]
        dq = self.ratio(Y, X) * dp
        mx = dq * D[q] / w[X.a][q]
        my = abs(X.xd - Y.x)
        if abs(mx) > abs(Y.xd - X.x):  # X would overshoot: X moves fully instead
            dq = abs(Y.xd - X.x) * w[X.a][q] / D[q]
            dp = self.ratio(X, Y) * dq
            mx = abs(Y.xd - X.x)
            my = dp * D[p] / w[Y.a][p]
        if X.x > Y.xd:
            mx = -mx
        if Y.x > X.xd:
            my = -my
        X.moves.append(mx)
        Y.moves.append(my)
        X.y, Y.y = X.x + mx, Y.x + my
        e.gain = abs(dq * s[X.a][q] - dp * s[X.a][p])
        e.valid = self.move_valid(X, mx) and self.move_valid(Y, my) and e.gain >= _EPS
        if not e.valid:
            return
        self.check_overshoot(e, X, Y)
        self.check_overshoot(e, Y, X)
        e.valid = self.move_valid(X, X.moves[-1]) and self.move_valid(Y, Y.moves[-1])

    def check_overshoot(self, e: _Exchange, A: _Side, B: _Side) -> None:
        """Step 5: cut ``A``'s shift if the outcome of its supply issue would pass ``B``."""
        d = A.sup
        n0, n1 = self.nbs(e, d, A.a, A.x), self.nbs(e, d, A.a, A.y)
        target = B.xd
        a, b = target - n0, target - n1
        if abs(a) <= _AT or (a >= 0 and b >= 0) or (a <= 0 and b <= 0):
            return  # no crossing (an outcome already on the partner's position is not cut)
        delta = abs(self.shift_for(e, A, target))
        ea = delta * self.wl[A.a][d] / self.Dl[d]
        eb = self.ratio(A, B) * ea
        mb = abs(eb * self.Dl[B.sup] / self.wl[B.a][B.sup])
        ma = delta
        if B.x > A.xd:
            mb = -mb
        if A.x > B.xd:
            ma = -ma
        B.moves[-1] = mb
        A.moves[-1] = ma
        B.y, A.y = B.x + mb, A.x + ma
        e.gain = abs(eb * self.sl[B.a][B.sup] - ea * self.sl[B.a][B.dem])
        A.adjusted = True

    def recalculate(self, e: _Exchange, r: _Exchange) -> bool:
        """Update ``e`` after ``r`` was realised; True when ``e`` was recalculated."""
        recalc = False
        X, Y, rX, rY = e.X, e.Y, r.X, r.Y
        for side in (X, Y):
            if side.a == rX.a and side.sup == rX.sup:
                side.x = rX.y
                recalc = True
            elif side.a == rY.a and side.sup == rY.sup:
                side.x = rY.y
                recalc = True
        # (the reference appends r's move to the side's moves and then pops the last move of
        # both sides: net, X and Y each lose their current move, or keep it when matched)
        if recalc:
            x_matched = (X.a == rX.a and X.sup == rX.sup) or (X.a == rY.a and X.sup == rY.sup)
            y_matched = (Y.a == rX.a and Y.sup == rX.sup) or (Y.a == rY.a and Y.sup == rY.sup)
            if not x_matched:
                X.moves.pop()
            if not y_matched:
                Y.moves.pop()
        for rd, rsup in ((rY, rX), (rX, rY)):
            a, dem = rd.a, rd.dem
            if (X.a == a and X.dem == dem) or (Y.a == a and Y.dem == dem):
                book = e.updates.setdefault(dem, {})
                old = book.get(rsup.a)
                if old is None:
                    book[rsup.a] = rsup.y
                else:
                    book[rsup.a] = min(old, rsup.y) if rsup.start <= old else max(old, rsup.y)
                if not recalc:
                    X.moves.pop()
                    Y.moves.pop()
                    recalc = True
        if recalc:
            self.calculate(e)
        return recalc


def candidate_exchanges(x, c, s) -> list[_Exchange]:
    """The candidate exchanges of one round from start positions ``x`` (steps 1-5).

    Each has ``X`` and ``Y`` sides (``a`` actor index, ``sup``/``dem`` issue indices, ``y`` the
    voting position), its ``gain`` and ``valid`` flag.
    """
    return _candidates(_Round(*check_inputs(x, c, s)))


def _candidates(rnd: _Round) -> list[_Exchange]:
    x, s, w = rnd.x, rnd.s, rnd.w
    n, m = x.shape
    # left of the outcome (an actor on it, up to rounding, counts as left, as in the reference)
    left = x <= (w * x).sum(axis=0) / rnd.D + _AT
    out: list[_Exchange] = []
    counter = itertools.count()
    for p, q in itertools.combinations(range(m), 2):
        code = left[:, p].astype(int) | (left[:, q].astype(int) * 2)
        ok = (w[:, p] > 0) & (w[:, q] > 0)
        groups = [[a for a in range(n) if code[a] == g and ok[a]] for g in range(4)]
        for g1, g2 in ((0, 3), (1, 2)):
            for i in groups[g1]:
                for j in groups[g2]:
                    # X has the larger salience ratio s_p / s_q (cross-multiplied)
                    if s[i, p] * s[j, q] < s[j, p] * s[i, q]:
                        X, Y = _Side(j, q, p, x), _Side(i, p, q, x)
                    else:
                        X, Y = _Side(i, q, p, x), _Side(j, p, q, x)
                    e = _Exchange(X, Y, next(counter))
                    rnd.calculate(e)
                    out.append(e)
    return out


def _tied(a: float, b: float) -> bool:
    # the reference computes in Decimal: gains equal to 1e-12 (relative) are ties there
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


class _Entry:
    """A heap entry ordering exchanges as the reference's repeatedly re-sorted list does.

    The reference sorts its list by gain (stable sort) before every realisation, so ties are
    broken by the order of the previous sort, which was by the gains at that time, and so on
    back to creation order. ``hist`` is the exchange's ``(sort number, gain)`` history.
    """

    __slots__ = ("e", "hist", "version", "g")

    def __init__(self, e: _Exchange, hist: tuple):
        self.e, self.hist, self.version, self.g = e, hist, e.version, hist[-1][1]

    def __lt__(self, other: _Entry) -> bool:
        g1, g2 = self.g, other.g
        if abs(g1 - g2) > 1e-12 * max(1.0, abs(g1), abs(g2)):  # the usual case: no tie
            return g1 > g2
        h1, h2 = self.hist, other.hist
        a, b = len(h1) - 1, len(h2) - 1
        while a >= 0 and b >= 0:
            g1, g2 = h1[a][1], h2[b][1]
            if not _tied(g1, g2):
                return g1 > g2
            s1, s2 = h1[a][0], h2[b][0]
            if s1 >= s2:
                a -= 1
            if s2 >= s1:
                b -= 1
        return self.e.index < other.e.index


def _key(entry: _Entry) -> tuple[float, _Entry]:
    """Heap key: the gain to 12 significant digits (compared in C), the history on a tie."""
    return (-float(f"{entry.g:.12g}"), entry)


def _run_round(rnd: _Round) -> list[_Exchange]:
    exchanges = [e for e in _candidates(rnd) if e.valid]
    by_supply: dict[tuple[int, int], list[_Exchange]] = {}
    by_demand: dict[tuple[int, int], list[_Exchange]] = {}
    hist: dict[int, list] = {}
    for e in exchanges:
        hist[e.index] = [(0, e.gain)]
        for side in (e.X, e.Y):
            by_supply.setdefault((side.a, side.sup), []).append(e)
            by_demand.setdefault((side.a, side.dem), []).append(e)
    heap = [_key(_Entry(e, tuple(hist[e.index]))) for e in exchanges]
    heapq.heapify(heap)
    alive = {e.index for e in exchanges}
    realised = []
    stamp = 0
    while heap:
        entry = heapq.heappop(heap)[1]
        e = entry.e
        if e.index not in alive or entry.version != e.version:
            continue
        alive.discard(e.index)
        realised.append(e)
        stamp += 1
        touched = {}
        for book, keys in (
            (by_supply, ((e.X.a, e.X.sup), (e.Y.a, e.Y.sup))),
            (by_demand, ((e.Y.a, e.Y.dem), (e.X.a, e.X.dem))),
        ):
            for key in keys:
                live = [o for o in book.get(key, ()) if o.index in alive]
                book[key] = live  # drop the dead once, not at every realisation
                for other in live:
                    touched[other.index] = other
        # each recalculation depends only on its own exchange and on e: any order will do
        for k, other in touched.items():
            if not rnd.recalculate(other, e):
                continue
            other.version += 1
            if other.valid:
                hist[k].append((stamp, other.gain))
                heapq.heappush(heap, _key(_Entry(other, tuple(hist[k]))))
            else:
                alive.discard(k)
    return realised


def exchange(
    positions,
    capability,
    salience,
    *,
    rounds: int = DEFAULT_ROUNDS,
    progress: bool | None = False,
    **_: object,
) -> ForecastResult:
    """Run the exchange model for ``rounds`` rounds (see the module docstring).

    Positions must lie on the 0--100 continuum (the reference's scale).

    Returns
    -------
    ForecastResult
        ``history[t]`` = the outcomes (weighted means of the voting positions) after round
        ``t`` (row 0: of the start positions); ``positions[t]`` the voting positions after
        round ``t``; ``details["exchanges"]`` the number realised per round and
        ``details["realised"]`` the exchanges of each round as ``[actor X, issue X supplies,
        X's voting position, actor Y, issue Y supplies, Y's voting position, gain]``.

    Examples
    --------
    >>> x = [[0.0, 100.0], [100.0, 0.0]]; s = [[0.9, 0.2], [0.2, 0.9]]  # a full trade
    >>> r = exchange(x, [1.0, 1.0], s, rounds=1)
    >>> r.details["exchanges"], r.history[1].round(2).tolist()
    ([1], [0.0, 0.0])
    """
    from tqdm.auto import tqdm

    x, c, s = check_inputs(positions, capability, salience)
    rounds = check_rounds(rounds)
    if np.any((x < 0) | (x > 100)):
        raise NegotiationError("the exchange model needs positions on the 0-100 continuum")
    n, m = x.shape
    w = c * s
    start = x.copy()
    hist = [weighted_mean(x, w)]
    pos = [x.copy()]
    counts, log = [], []
    for _ in tqdm(
        range(rounds), desc="exchange rounds", disable=None if progress is None else not progress
    ):
        rnd = _Round(start, c, s)
        realised = _run_round(rnd)
        voting = start.copy()
        # an exchange moves a voting position toward the partner's side and never past it (no
        # overshooting), so in exact arithmetic it stays within the start positions;
        # keep it there against an ulp of rounding in the equal-gain shifts
        lo, hi = start.min(axis=0), start.max(axis=0)
        for e in realised:
            voting[e.X.a, e.X.sup] = min(max(e.X.y, lo[e.X.sup]), hi[e.X.sup])
            voting[e.Y.a, e.Y.sup] = min(max(e.Y.y, lo[e.Y.sup]), hi[e.Y.sup])
        hist.append(weighted_mean(voting, w))
        pos.append(voting)
        nxt = start.copy()
        for e in realised:
            for side in (e.X, e.Y):
                k = SALIENCE_WEIGHT * (1 - s[side.a, side.sup]) + FIXED_WEIGHT
                nxt[side.a, side.sup] = (1 - k) * side.start + k * side.y
        start = nxt
        counts.append(len(realised))
        log.append([[e.X.a, e.X.sup, e.X.y, e.Y.a, e.Y.sup, e.Y.y, e.gain] for e in realised])
    history = np.stack(hist)
    details = {"exchanges": counts, "realised": log}
    return ForecastResult("exchange", history[-1].copy(), history, np.stack(pos), details)
