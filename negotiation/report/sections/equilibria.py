"""The "Equilibria" section: the game-theoretic models' agreements
(:func:`negotiation.dynamics.games.equilibria_summary`), and their points in the utility figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from negotiation.dynamics import games
from negotiation.errors import NegotiationError
from negotiation.plots.colors import pretty_level, solution_label
from negotiation.report.document import Document
from negotiation.report.prose import num

__all__ = ["equilibria", "equilibrium_points", "equilibria_section"]


def equilibria(scenario: Any) -> tuple[dict | None, str | None]:
    """``(summary, None)`` from :func:`negotiation.dynamics.games.equilibria_summary`, or
    ``(None, why not)``. An error inside a model ends only this section, never the report."""
    try:
        return dict(games.equilibria_summary(scenario)), None
    except NegotiationError as err:
        return None, f"not applicable: {err}"
    except Exception as err:  # an optional section must not sink the whole report
        return None, f"the equilibria could not be computed ({type(err).__name__}: {err})"


def equilibrium_points(eq: dict | None, parties: Sequence[str]) -> dict[str, np.ndarray]:
    """``{"equilibrium: LABEL": utilities}`` of each equilibrium agreement that gives every party a
    utility: the markers of the utility-space and gains figures."""
    out = {}
    for name, res in (eq or {}).items():
        if not isinstance(res, dict):
            continue
        agreement = res.get("agreement")
        if isinstance(agreement, dict) and isinstance(agreement.get("utilities"), dict):
            u = agreement["utilities"]
            if all(p in u for p in parties):
                label = res.get("label") or name
                out[f"equilibrium: {label}"] = np.array([float(u[p]) for p in parties])
    return out


def equilibria_section(doc: Document, eq: dict, names: Sequence[str]) -> None:
    """One row per model: its players, its agreement (or none) and each party's utility."""
    doc.p(
        "Game-theoretic models of the bargaining (see the game-theory documentation for each model's assumptions)."
    )
    rows = []
    for name, res in eq.items():
        if not isinstance(res, dict):
            continue
        who = ", ".join(res.get("parties", [])) or "all"
        agreement = res.get("agreement")
        if not isinstance(agreement, dict):
            rows.append(
                [res.get("label") or solution_label(name), who, "no agreement"] + ["—"] * len(names)
            )
            continue
        u = agreement.get("utilities", {})
        deal = agreement.get("deal") or {}
        if not deal and agreement.get("mixture"):
            deal_txt = f"a lottery over {len(agreement['mixture'])} deals"
        else:
            deal_txt = (
                "; ".join(f"{pretty_level(k)}: {pretty_level(v)}" for k, v in deal.items()) or "—"
            )
        rows.append(
            [res.get("label") or solution_label(name), who, deal_txt]
            + [num(u[p]) if p in u else "—" for p in names]
        )
    if rows:
        doc.table(["Model", "Players", "Agreement"] + [f"{p} utility" for p in names], rows)
    else:
        doc.p("No equilibrium applies to this scenario.")
