"""The mediated single negotiating text (Raiffa 1982 [Raiffa1982]_).

A mediator drafts one text -- a complete deal -- and the parties criticise it rather than trade
offers. Each round:

1. the mediator puts the current text on the table (one trace entry);
2. every party, in turn order, either **accepts** it (no objection), **objects** by answering
   with the deal it would rather have (an ``Offer``: the terms where it differs from the text are
   the changes it asks for), or **walks away**;
3. if nobody objects, the text is agreed. Otherwise the mediator revises it. The candidate
   revisions are every single change some party asked for (one issue set to the requested
   level) and every party's whole counter-proposal, minus texts forbidden by a constraint or
   already tried. The mediator adopts the *least objected-to* one: it predicts that a party
   objects to a revision worth less to it than what it asked for (its counter-proposal if it
   objected; the current text less a small ``slack`` if it accepted), and minimises the red lines crossed, then the
   total shortfall ``sum_p max(0, a_p - u_p)``, then the number of predicted objections, then
   the number of parties worse off than now, then maximises the total gain (see
   :func:`choose_revision`). The current text is itself a candidate (kept if nothing is
   better).

The talks end with agreement, when a party walks away, or after ``rounds`` texts (time fraction
``t = (r + 1) / rounds`` for text ``r``, so the last text is judged at ``t = 1``).

The mediator is a *confidential* one: to compare revisions it evaluates them with the parties'
utilities (as if they had told it their preferences in confidence, Raiffa 1982), and it knows
their red lines (declared positions); it never learns their reservation values, only what
each objection asks for. Revisions crossing fewer red lines of the parties at the table come
first. The agents still see only their own utilities.

The first text (``start``) is by default *neutral*: on each issue the level that maximises the
smallest normalised score of the parties at the table (ties to the middle level), moved to the
nearest allowed outcome (fewest differing issues) if a joint constraint forbids it.

References
----------
.. [Raiffa1982] Raiffa, *The Art and Science of Negotiation* (1982); the single negotiating text,
   Camp David 1978. Full entry: docs/references.md.
.. [KFSB2003] Klein et al., "Negotiating complex contracts" (2003); mediated single-text protocols
   for agents. Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from negotiation.dynamics.protocols.session import AgentFailure, Session, SimulationError
from negotiation.dynamics.protocols.trace import SimulationResult
from negotiation.dynamics.strategies.base import Accept, Walk
from negotiation.errors import ScenarioError

__all__ = ["mediated", "neutral_text", "choose_revision"]


def neutral_text(session: Session) -> np.ndarray:
    """The neutral first text: per issue, the level maximising the least normalised score.

    For issue ``i`` and party ``p`` at the table, the normalised score of level ``l`` is
    ``(s_ip(l) - min_l s_ip) / (max_l s_ip - min_l s_ip)`` (``0.5`` for an issue ``p`` does not
    care about); the chosen level maximises the minimum over the parties (ties: the level
    closest to the middle). If a joint constraint forbids the result or it crosses a red line
    of a party at the table, the allowed outcome crossing none of those red lines and differing
    on the fewest issues is used instead.
    """
    s = session.scenario
    table = list(session.table)
    row = np.zeros(len(s.issues), dtype=np.int64)
    for i, t in enumerate(s.tables):
        sub = t[:, table]
        lo, hi = sub.min(axis=0), sub.max(axis=0)
        span = np.where(hi > lo, hi - lo, 1.0)
        norm = np.where(hi > lo, (sub - lo) / span, 0.5)
        worst = norm.min(axis=1)
        best = np.flatnonzero(worst >= worst.max() - 1e-12)
        middle = (t.shape[0] - 1) / 2
        row[i] = best[np.argmin(np.abs(best - middle))]
    cols = list(session.table)
    if not s.space.allowed_mask(row[None, :])[0] or s.red_line_mask(row[None, :])[0, cols].any():
        cands = session.arena.levels
        clean = ~s.red_line_mask(cands)[:, cols].any(axis=1)
        pool = cands[clean] if clean.any() else cands
        row = pool[int(np.argmin((pool != row).sum(axis=1)))].copy()
    return row


def choose_revision(
    base: np.ndarray,
    candidates: np.ndarray,
    aspirations: np.ndarray,
    red_lines: np.ndarray | None = None,
    tol: float = 1e-12,
) -> int:
    """Index of the revision the mediator adopts: the one closest to what the parties ask for.

    Parameters
    ----------
    base
        Utilities of the current text for the parties at the table (``n``).
    candidates
        ``K x n`` utilities of the candidate revisions.
    aspirations
        What each party asked for: the utility of its counter-proposal if it objected, of the
        current text if it accepted (``n``).
    red_lines
        ``K`` counts of the red lines (of parties at the table) each revision crosses.

    The mediator minimises, lexicographically: the red lines crossed, the total shortfall
    ``sum_p max(0, a_p - u_p)`` (how far the text falls short of the demands), the number of
    predicted objections (parties with ``u_p < a_p``), the number of parties worse off than
    under the current text, and then maximises the total gain over it; ties go to the first.

    Examples
    --------
    >>> base = np.array([0.5, 0.5])
    >>> choose_revision(base, np.array([[0.9, 0.4], [0.55, 0.5], [0.6, 0.6]]), np.array([0.6, 0.5]))
    2
    """
    u = np.asarray(candidates, dtype=float)
    a = np.asarray(aspirations, dtype=float)[None, :]
    delta = u - np.asarray(base, dtype=float)[None, :]
    shortfall = np.round(np.maximum(a - u, 0.0).sum(axis=1), 12)
    objections = (u < a - tol).sum(axis=1)
    worse = (delta < -tol).sum(axis=1)
    gain = delta.sum(axis=1)
    crossed = np.zeros(u.shape[0]) if red_lines is None else np.asarray(red_lines)
    order = np.lexsort((np.arange(u.shape[0]), -gain, worse, objections, shortfall, crossed))
    return int(order[0])


def _start(session: Session, start: object) -> np.ndarray:
    s = session.scenario
    if start is None or (isinstance(start, str) and start == "neutral"):
        return neutral_text(session)
    if isinstance(start, str) and start == "random":
        cands = session.arena.levels
        return cands[int(session.mediator_rng.integers(cands.shape[0]))].copy()
    if isinstance(start, Mapping):
        row = s.space.encode(start)
    elif isinstance(start, (Sequence, np.ndarray)) and not isinstance(start, str):
        row = np.asarray(start, dtype=np.int64)
    else:
        raise SimulationError(
            f"start must be 'neutral', 'random', a deal {{issue: level}} or a level row, got {start!r}"
        )
    if row.shape != (len(s.issues),) or np.any(row < 0) or np.any(row >= s.space.sizes):
        raise SimulationError(f"start text {start!r} is not an outcome of the space")
    if not s.space.allowed_mask(row[None, :])[0]:
        raise ScenarioError(
            f"the start text is forbidden by a joint constraint: {s.space.deal(row)}"
        )
    return row


def mediated(session: Session, start: object = "neutral", slack: float = 0.05) -> SimulationResult:
    """Run the single-negotiating-text protocol on a prepared session.

    Parameters
    ----------
    session
        The prepared run.
    start
        The first text: ``"neutral"`` (default, see :func:`neutral_text`), ``"random"`` (a
        seeded draw), a deal ``{issue: level}`` or a level row.
    slack
        How much less than the current text the mediator expects a party that accepted it to
        still accept, as a fraction of that party's utility range over the outcome space.
    """
    text = _start(session, start)
    if session.failure is not None:
        return session.failed_result(session.failure)
    s = session.scenario
    names = s.party_names
    table = session.table
    rounds = session.rounds
    cols = list(table)
    span = session.arena.utilities[:, cols]
    slack_u = float(slack) * (span.max(axis=0) - span.min(axis=0)) if span.size else 0.0
    for r in range(rounds):
        k = session.record_offer(-1, text, round=r)
        entry = session.trace[-1]
        objections: dict[int, np.ndarray] = {}
        for party in table:
            state = session.state(
                party, round=r, time=(r + 1) / rounds, offer=k, final=r == rounds - 1
            )
            try:
                action = session.ask(party, state)
            except AgentFailure as failure:
                return session.failed_result(failure)
            if isinstance(action, Accept):
                entry.responses[names[party]] = "accept"
            elif isinstance(action, Walk):
                entry.responses[names[party]] = "walk"
                why = f": {action.reason}" if action.reason else ""
                return session.result("walk", f"{names[party]} walked away{why}")
            else:
                entry.responses[names[party]] = "object"
                objections[party] = action
                session.record_offer(party, action, round=r, trace=False)
        if not objections:
            return session.result(
                "agreement", f"agreement on text {r} (no party objects)", agreement=text
            )
        entry.details["objections"] = {
            names[p]: {
                s.issues[i].name: s.issues[i].levels[int(row[i])]
                for i in np.flatnonzero(row != text)
            }
            for p, row in objections.items()
        }
        # Candidate revisions: each requested single change, and each whole counter-proposal.
        revisions = []
        for row in objections.values():
            for i in np.flatnonzero(row != text):
                new = text.copy()
                new[i] = row[i]
                revisions.append(new)
            revisions.append(row.copy())
        revs = np.unique(np.array(revisions, dtype=np.int64), axis=0)
        revs = np.vstack([text[None, :], revs[s.space.allowed_mask(revs)]])
        base = s.utilities(text[None, :])[0, cols]
        aspirations = base - slack_u
        for j, p in enumerate(table):
            if p in objections:
                aspirations[j] = s.utilities(objections[p][None, :])[0, p]
        crossed = s.red_line_mask(revs)[:, cols].sum(axis=1)
        pick = choose_revision(base, s.utilities(revs)[:, cols], aspirations, crossed)
        new = revs[pick]
        entry.details["change"] = {
            s.issues[i].name: s.issues[i].levels[int(new[i])] for i in np.flatnonzero(new != text)
        }
        text = new.copy()
    return session.result("deadline", f"no agreement within the deadline of {rounds} texts")
