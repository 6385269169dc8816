"""What a simulated negotiation leaves behind: its trace and its result.

Every offer (or mediator's text) on the table is one :class:`TraceEntry`: the round, who proposed
it, the labelled deal, *every* party's utility of it (recorded for analysis; the agents only ever
see their own), and each party's response. A :class:`SimulationResult` holds the trace, the
agreement (a :class:`~negotiation.engine.deal.Deal`, or ``None``) and why the talks ended.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from negotiation.engine.deal import Deal

__all__ = ["TraceEntry", "SimulationResult", "END_REASONS"]

#: How a run can end: ``agreement``; ``deadline`` (no agreement within the rounds);
#: ``walk`` (a party walked away); ``failure`` (an agent raised or returned an invalid action).
END_REASONS = ("agreement", "deadline", "walk", "failure")


@dataclass(eq=False)
class TraceEntry:
    """One offer (or mediator's text) on the table and the responses to it.

    Attributes
    ----------
    round
        The round (the offer's position in the offer protocols, the text's in the mediated one).
    proposer
        The proposing party's name, or ``"mediator"``.
    levels
        The outcome's level indices.
    deal
        ``{issue: level}``.
    utilities
        ``{party: utility}`` for every party of the scenario, including those not at the table.
    responses
        ``{party: response}``: ``"accept"``, ``"counter"``, ``"object"``, ``"walk"``,
        ``"failed"``, or ``"counter after deadline"``.
    details
        Protocol-specific extras (the mediated protocol's ``objections`` and ``change``).
    """

    round: int
    proposer: str
    levels: tuple[int, ...]
    deal: dict[str, str]
    utilities: dict[str, float]
    responses: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON shape: ``{"round", "proposer", "deal", "utilities", "responses", ...details}``."""
        out = {
            "round": self.round,
            "proposer": self.proposer,
            "deal": dict(self.deal),
            "utilities": dict(self.utilities),
            "responses": dict(self.responses),
        }
        out.update(self.details)
        return out


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """The outcome of one simulated negotiation.

    Attributes
    ----------
    protocol
        The protocol's name.
    scenario
        The scenario's name.
    parties
        The negotiating parties, in turn order.
    agents
        ``{party: strategy name}``.
    agreement
        The agreed :class:`~negotiation.engine.deal.Deal` (with every scenario party's utility),
        or ``None``.
    rounds
        Offers made (texts proposed, in the mediated protocol).
    trace
        The :class:`TraceEntry` records, in order.
    end
        One of :data:`END_REASONS`.
    reason
        The end in words (``"agent Ukraine (boulware) failed: raised ValueError: ..."``).
    seed
        The run's seed.
    failed
        The party whose agent failed, if any.
    acceptable_to
        With an agreement, ``{party: bool}`` for *every* scenario party: whether the deal is
        acceptable to it (at least its reservation, no red line crossed). Parties not at the
        table were not asked, so it may be False for them.
    players
        The agent objects, ``{party: Strategy}`` (to inspect after the run, e.g. a learned
        opponent model); not part of the JSON.
    """

    protocol: str
    scenario: str
    parties: tuple[str, ...]
    agents: dict[str, str]
    agreement: Deal | None
    rounds: int
    trace: tuple[TraceEntry, ...]
    end: str
    reason: str
    seed: int | None = None
    failed: str | None = None
    acceptable_to: dict[str, bool] | None = None
    reservations: dict[str, float] = field(default_factory=dict)
    players: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def reached(self) -> bool:
        """True when the talks ended in agreement."""
        return self.agreement is not None

    @property
    def utilities(self) -> dict[str, float]:
        """Each scenario party's payoff: its utility of the agreement, else its reservation."""
        if self.agreement is not None:
            return {
                p: float(u)
                for p, u in zip(self.agreement.parties, self.agreement.utilities, strict=True)
            }
        return dict(self.reservations)

    def to_json(self) -> dict:
        """A JSON-ready dict: ``{"protocol", "scenario", "seed", "parties", "agents",
        "agreement": {"deal", "utilities"} or None, "acceptable_to", "rounds", "end", "reason",
        "failed", "trace": [...]}``."""
        return {
            "protocol": self.protocol,
            "scenario": self.scenario,
            "seed": self.seed,
            "parties": list(self.parties),
            "agents": dict(self.agents),
            "agreement": self.agreement.to_dict() if self.agreement is not None else None,
            "acceptable_to": dict(self.acceptable_to) if self.acceptable_to is not None else None,
            "rounds": self.rounds,
            "end": self.end,
            "reason": self.reason,
            "failed": self.failed,
            "trace": [e.to_dict() for e in self.trace],
        }

    def to_frame(self) -> pd.DataFrame:
        """The trace as a table: round, proposer, one column per issue, per party utility and
        response."""
        rows = []
        for e in self.trace:
            row: dict[str, Any] = {"round": e.round, "proposer": e.proposer}
            row.update(e.deal)
            row.update({f"u[{p}]": u for p, u in e.utilities.items()})
            row.update({f"response[{p}]": r for p, r in e.responses.items()})
            rows.append(row)
        return pd.DataFrame(rows)

    def summary(self, max_rows: int = 12) -> str:
        """A short text report: who negotiated how, the trace (first and last rounds), the end."""
        table = ", ".join(f"{p} ({self.agents[p]})" for p in self.parties)
        lines = [
            f"{self.protocol} negotiation on {self.scenario!r} (seed {self.seed}): {table}",
        ]
        entries = list(self.trace)
        if len(entries) > max_rows:
            head = max_rows // 2
            shown: list[TraceEntry | None] = [*entries[:head], None, *entries[-(max_rows - head) :]]
        else:
            shown = list(entries)
        for e in shown:
            if e is None:
                lines.append(f"  ... {len(entries) - max_rows} rounds not shown ...")
                continue
            us = " ".join(f"{p}={e.utilities[p]:.3f}" for p in self.parties)
            rs = ", ".join(f"{p}: {r}" for p, r in e.responses.items())
            lines.append(f"  round {e.round:>3}  {e.proposer:<12} {us}  [{rs}]")
        if self.agreement is not None:
            lines.append(f"agreement after {self.rounds} rounds:")
            width = max(len(k) for k in [*self.agreement.terms, *self.agreement.parties])
            for issue, level in self.agreement.terms.items():
                lines.append(f"  {issue:<{width}}  {level}")
            lines.append("utilities:")
            for p, u in zip(self.agreement.parties, self.agreement.utilities, strict=True):
                mark = "" if p in self.parties else " (not at the table)"
                ok = self.acceptable_to.get(p, True) if self.acceptable_to else True
                note = "" if ok else "  -- below its reservation or across a red line"
                lines.append(
                    f"  {p:<{width}}  {u:.4f}  (reservation {self.reservations.get(p, np.nan):.4f})"
                    f"{mark}{note}"
                )
        else:
            lines.append(f"no agreement after {self.rounds} rounds: {self.reason}")
        return "\n".join(lines)
