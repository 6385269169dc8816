"""The equilibrium models by name, one entry point for the faces, and the summary for
``negotiation analyze``.

:data:`MODELS` maps a model name to its function; :func:`solve_equilibrium` calls one with the
options the command line knows (``parties``, ``proposer``, ``horizon``, ``breakdown``,
``discounts``, ...), refusing options that do not apply to the model; :func:`equilibria_summary`
computes the headline equilibria of a scenario as a JSON-ready dict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from negotiation.dynamics.games.baron_ferejohn import baron_ferejohn
from negotiation.dynamics.games.coalitions import coalitions
from negotiation.dynamics.games.finite_horizon import finite_horizon
from negotiation.dynamics.games.normal_form import solve_demand_game
from negotiation.dynamics.games.players import resolve_players
from negotiation.dynamics.games.rubinstein import rubinstein
from negotiation.errors import NegotiationError, ScenarioError
from negotiation.model.scenario import AgreementRule, Scenario

__all__ = ["MODELS", "TWO_PARTY", "solve_equilibrium", "equilibria_summary", "DEFAULT_HORIZON"]

#: The models by the names the command line uses.
MODELS: dict[str, Callable] = {
    "rubinstein": rubinstein,
    "finite": finite_horizon,
    "baron-ferejohn": baron_ferejohn,
    "demand-game": solve_demand_game,
    "coalitions": coalitions,
}

#: Models played by exactly two parties.
TWO_PARTY = ("rubinstein", "demand-game")

#: Rounds of the finite-horizon model when no horizon is given.
DEFAULT_HORIZON = 8

#: Which generic options each model accepts.
_ACCEPTS = {
    "rubinstein": {"parties", "proposer", "breakdown", "discounts"},
    "finite": {"parties", "proposer", "horizon", "breakdown", "discounts", "quota", "lotteries"},
    "baron-ferejohn": {"parties", "breakdown", "discounts", "quota", "recognition"},
    "demand-game": {"parties", "n_demands", "methods"},
    "coalitions": {"quota"},
}


def solve_equilibrium(
    model: str,
    scenario: Scenario,
    *,
    parties: Sequence[str] | str | None = None,
    proposer: str | None = None,
    horizon: int | None = None,
    breakdown: float | None = None,
    discounts: Mapping[str, float] | None = None,
    quota: int | None = None,
    lotteries: bool | None = None,
    recognition: Mapping[str, float] | str | None = None,
    n_demands: int | None = None,
    methods: Sequence[str] | str | None = None,
):
    """Solve the named model on a scenario with the generic options.

    Two-party models (``rubinstein``, ``demand-game``) on a scenario with more parties and no
    ``parties`` given use the first two parties (the result's ``players`` say which).
    An option that does not apply to the model is an error (:class:`ScenarioError`).

    Returns the model's result object (each has ``to_dict()`` and ``summary()``).

    Examples
    --------
    >>> import negotiation as ng
    >>> r = solve_equilibrium("rubinstein", ng.load_scenario("ukraine_2025"))
    >>> r.players
    ('Russia', 'Ukraine')
    """
    if model not in MODELS:
        raise ScenarioError(f"unknown model {model!r}; choose from {sorted(MODELS)}")
    given: dict[str, Any] = {
        "parties": parties,
        "proposer": proposer,
        "horizon": horizon,
        "breakdown": breakdown,
        "discounts": discounts,
        "quota": quota,
        "lotteries": lotteries,
        "recognition": recognition,
        "n_demands": n_demands,
        "methods": methods,
    }
    given = {k: v for k, v in given.items() if v is not None and v is not False}
    bad = sorted(set(given) - _ACCEPTS[model])
    if bad:
        raise ScenarioError(
            f"option(s) {', '.join(bad)} do not apply to the {model} model "
            f"(it takes: {', '.join(sorted(_ACCEPTS[model])) or 'no options'})"
        )
    if model in TWO_PARTY and parties is None and len(scenario.parties) > 2:
        given["parties"] = scenario.party_names[:2]
    if "parties" in given:
        given["parties"] = resolve_players(
            scenario, given["parties"], exactly=2 if model in TWO_PARTY else None
        )
    if model == "finite":
        given.setdefault("horizon", DEFAULT_HORIZON)
    if model == "coalitions":
        q = given.pop("quota", None)
        if q is not None:
            n = len(scenario.parties)
            if not 1 <= int(q) <= n:
                raise ScenarioError(f"quota must be between 1 and {n}, got {q}")
            given["rule"] = AgreementRule(int(q), scenario.agreement.veto)
    return MODELS[model](scenario, **given)


def equilibria_summary(scenario: Scenario) -> dict:
    """The headline equilibria of a scenario, JSON-ready (for ``negotiation analyze``).

    Keys are identifiers; each model's entry carries its display ``"label"`` (e.g.
    ``"Rubinstein equilibrium (Ukraine first)"``).
    Every model's entry is a dict with ``"parties"`` and ``"agreement"`` (a deal or a lottery in
    the shape of :meth:`~negotiation.engine.deal.Deal.to_dict`, or ``None``), so a consumer can
    tabulate them uniformly; other keys are plain values:

    * ``"rubinstein"``: alternating offers between the first two parties (Russia and Ukraine in
      ``ukraine_2025``) with the first proposing, and ``"rubinstein_reversed"`` with the second
      proposing; with the parties' own discounts;
    * ``"baron_ferejohn"``: random recognition among all parties (equal probabilities) under
      the scenario's agreement rule; the agreement is the ex-ante lottery over the proposals;
      ``"values"`` the expected utilities;
    * ``"coalitions"`` (three or more parties; a *list*, one entry per pair of parties):
      whether the pair can agree alone, how many of its acceptable outcomes every other party
      rejects, and the others' gains over reservation at the pair's Nash deal;
    * ``"text"``: the same in a few readable lines.

    A model that does not apply (e.g. nothing feasible) gets ``{"parties": [...],
    "agreement": None, "error": "..."}``.

    Examples
    --------
    >>> import negotiation as ng
    >>> s = equilibria_summary(ng.load_scenario("textbook_two_party"))
    >>> sorted(k for k, v in s.items() if isinstance(v, dict))
    ['baron_ferejohn', 'rubinstein', 'rubinstein_reversed']
    """
    out: dict = {"scenario": scenario.name}
    lines = [f"Equilibria of {scenario.name} (game-theoretic models; not a forecast):"]
    names = scenario.party_names
    if len(names) < 2:
        out["text"] = lines[0] + " none, a bargaining game needs at least two parties"
        return out
    _summarise_rubinstein(scenario, out, lines)
    _summarise_baron_ferejohn(scenario, out, lines)
    if len(names) >= 3:
        _summarise_coalitions(scenario, out, lines)
    out["text"] = "\n".join(lines)
    return out


def _summarise_rubinstein(scenario: Scenario, out: dict, lines: list[str]) -> None:
    """``rubinstein`` and ``rubinstein_reversed``: the first two parties, each proposing first."""
    pair = tuple(scenario.party_names[:2])
    for first in pair:
        key = "rubinstein" if first == pair[0] else "rubinstein_reversed"
        label = f"Rubinstein equilibrium ({first} first)"
        try:
            r = rubinstein(scenario, pair, proposer=first)
        except NegotiationError as err:
            out[key] = {
                "model": "rubinstein",
                "label": label,
                "parties": list(pair),
                "agreement": None,
                "error": str(err),
            }
            lines.append(f"  Rubinstein: not applicable ({err})")
            return
        out[key] = {
            "model": "rubinstein",
            "label": label,
            "parties": list(pair),
            "proposer": first,
            "discounts": r.discounts,
            "agreement": r.to_dict()["agreement"],
            "shares": r.shares,
            "limit": r.limit,
        }
        lottery = r.agreement is not None and not hasattr(r.agreement, "terms")
        lines.append(
            f"  Rubinstein alternating offers, {pair[0]} vs {pair[1]}, {first} first: "
            + ", ".join(f"{k} {v:.4f}" for k, v in r.utilities.items() if k in pair)
            + (" (a lottery of two adjacent frontier deals)" if lottery else "")
        )


def _summarise_baron_ferejohn(scenario: Scenario, out: dict, lines: list[str]) -> None:
    """``baron_ferejohn``: every party, equal recognition, the scenario's rule."""
    try:
        bf = baron_ferejohn(scenario)
    except NegotiationError as err:
        out["baron_ferejohn"] = {
            "model": "baron-ferejohn",
            "label": "Baron–Ferejohn equilibrium",
            "parties": list(scenario.party_names),
            "agreement": None,
            "error": str(err),
        }
        lines.append(f"  Baron-Ferejohn: not applicable ({err})")
        return
    out["baron_ferejohn"] = {
        "model": "baron-ferejohn",
        "label": "Baron–Ferejohn equilibrium",
        "parties": list(bf.players),
        "quota": bf.quota,
        "agreement": bf.to_dict()["agreement"],
        "values": bf.values,
        "shares": bf.shares,
        "converged": bool(bf.equilibrium.converged),
        "notes": list(bf.notes),
    }
    lines.append(
        f"  Baron-Ferejohn ({len(bf.players)} parties, quota {bf.quota}, equal recognition), "
        "expected utilities: " + ", ".join(f"{k} {v:.4f}" for k, v in bf.values.items())
    )
    lines += [f"    note: {n}" for n in bf.notes if not n.startswith("quota ")]


def _summarise_coalitions(scenario: Scenario, out: dict, lines: list[str]) -> None:
    """``coalitions``: one entry per pair of parties."""
    names = scenario.party_names
    try:
        co = coalitions(scenario)
    except NegotiationError as err:
        lines.append(f"  coalitions: not applicable ({err})")
        return
    pairs = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            rep = co.coalition((names[i], names[j]))
            pairs.append(
                {
                    "members": list(rep.members),
                    "can_agree": rep.can_agree,
                    "n_acceptable": rep.n_acceptable,
                    "n_against_outsiders": rep.n_against_outsiders,
                    "outsiders_gain_at_best_deal": {
                        k: v["gain"] for k, v in rep.outsiders_at_best.items()
                    },
                }
            )
            if rep.can_agree:
                lines.append(
                    f"  {rep.members[0]} + {rep.members[1]} alone: "
                    f"{rep.n_acceptable:,} acceptable outcomes, "
                    f"{rep.n_against_outsiders:,} of them rejected by all the others; "
                    "the others' gain at the pair's Nash deal: "
                    + ", ".join(f"{k} {v['gain']:+.3f}" for k, v in rep.outsiders_at_best.items())
                )
    out["coalitions"] = pairs
