"""Tournaments: the tidy table, reproducibility, replaying a row, the distances to the Pareto
frontier and the Nash solution (checked against brute force), and failing agents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from negotiation import Issue, Party, Scenario, load_scenario
from negotiation.dynamics.protocols import SimulationError, UnknownProtocolError, simulate
from negotiation.dynamics.strategies import Strategy, UnknownStrategyError
from negotiation.studies.tournament import frontier_distance, reference_points, tournament


def split(n: int = 11, ra: float = 0.0, rb: float = 0.0) -> Scenario:
    levels = tuple(f"s{j}" for j in range(n))
    issue = Issue("x", levels)
    va = {"x": {lv: j / (n - 1) for j, lv in enumerate(levels)}}
    vb = {"x": {lv: 1 - j / (n - 1) for j, lv in enumerate(levels)}}
    return Scenario(
        "split",
        (issue,),
        (Party("A", {"x": 1}, va, reservation=ra), Party("B", {"x": 1}, vb, reservation=rb)),
    )


def brute_force_reference(scenario: Scenario, names):
    """Frontier (non-dominated feasible utility vectors) and Nash point by plain enumeration."""
    idx = [scenario.party_names.index(n) for n in names]
    levels = scenario.space.enumerate()
    levels = levels[scenario.space.allowed_mask(levels)]
    U = scenario.utilities(levels)
    ok = scenario.acceptable(levels, U)[:, idx].all(axis=1)
    V = U[ok][:, idx]
    # Utilities closer than the tie tolerance are equal (float rounding of equal exact values:
    # Ukraine's 0.7450000000000001 is 0.745).
    from negotiation.engine.tolerance import utility_tolerance

    tol = utility_tolerance(scenario)[idx]
    keep = []
    for v in V:
        dominated = np.any(np.all(V >= v - tol, axis=1) & np.any(V > v + tol, axis=1))
        keep.append(not dominated)
    F = V[np.array(keep)]
    d = scenario.reservations[idx]
    gains = np.clip(F - d, 0, None).prod(axis=1)
    return F, F[np.argmax(gains)]


COLUMNS = {
    "scenario",
    "protocol",
    "agents",
    "party_1",
    "agent_1",
    "party_2",
    "agent_2",
    "repetition",
    "seed",
    "agreement",
    "end",
    "rounds",
    "failed",
    "reason",
    "utility_1",
    "utility_2",
    "welfare",
    "pareto_distance",
    "nash_distance",
}


def test_tidy_table_one_row_per_run():
    strategies = ["linear", "boulware", "hardliner"]
    df = tournament(
        ["textbook_two_party", split(ra=0.2, rb=0.2)], strategies, repetitions=2, progress=False
    )
    assert isinstance(df, pd.DataFrame)
    assert set(df.columns) == COLUMNS
    assert len(df) == 2 * 3**2 * 2
    assert df["agreement"].dtype == bool
    assert set(df["repetition"]) == {0, 1}
    both = df.groupby(["scenario", "agent_1", "agent_2"]).size()
    assert (both == 2).all()
    np.testing.assert_allclose(df["welfare"], df["utility_1"] + df["utility_2"])
    agreed = df[df["agreement"]]
    assert (agreed["pareto_distance"] >= 0).all() and (agreed["nash_distance"] >= 0).all()
    assert df.loc[~df["agreement"], ["pareto_distance", "nash_distance"]].isna().all().all()
    # no agreement: each side gets its reservation value
    none = df[(~df["agreement"]) & (df["scenario"] == "split")]
    assert not none.empty and (none["utility_1"] == 0.2).all()


def test_same_seed_same_table_and_rows_replay_with_simulate():
    a = tournament(
        "textbook_two_party", ["random", "linear"], repetitions=2, seed=4, progress=False
    )
    b = tournament(
        "textbook_two_party", ["random", "linear"], repetitions=2, seed=4, progress=False
    )
    pd.testing.assert_frame_equal(a, b)
    assert a["seed"].nunique() == len(a)
    row = a.iloc[1]
    r = simulate(
        "textbook_two_party", agents=(row["agent_1"], row["agent_2"]), seed=int(row["seed"])
    )
    assert r.rounds == row["rounds"] and (r.agreement is not None) == row["agreement"]
    if r.agreement is not None:
        assert r.agreement.utility_of("Candidate") == row["utility_1"]


def test_reference_points_match_brute_force():
    s = load_scenario("textbook_two_party")
    F, nash_u = reference_points(s, (0, 1))
    F_bf, nash_bf = brute_force_reference(s, s.party_names)
    assert sorted(map(tuple, np.round(F, 12))) == sorted(map(tuple, np.round(F_bf, 12)))
    np.testing.assert_allclose(nash_u, nash_bf)
    # a sub-table of the four-party scenario: only Russia's and Ukraine's demands count
    u = load_scenario("ukraine_2025")
    F, nash_u = reference_points(u, (1, 0))
    F_bf, nash_bf = brute_force_reference(u, ("Ukraine", "Russia"))
    assert F.shape == F_bf.shape
    np.testing.assert_allclose(nash_u, nash_bf)
    # nothing feasible: empty frontier, NaN Nash
    F, nash_u = reference_points(split(ra=0.7, rb=0.7), (0, 1))
    assert F.shape == (0, 2) and np.isnan(nash_u).all()


def test_distances_against_brute_force():
    s = load_scenario("textbook_two_party")
    df = tournament(s, ["linear", "conceder", "boulware", "zeuthen"], progress=False)
    F, nash_bf = brute_force_reference(s, s.party_names)
    for _, row in df[df["agreement"]].iterrows():
        u = np.array([row["utility_1"], row["utility_2"]])
        assert row["pareto_distance"] == pytest.approx(np.sqrt(((F - u) ** 2).sum(1)).min())
        assert row["nash_distance"] == pytest.approx(np.sqrt(((nash_bf - u) ** 2).sum()))
    assert frontier_distance(np.array([0.3, 0.4]), np.array([[0.3, 0.4]])) == 0.0
    assert np.isnan(frontier_distance(np.array([0.3, 0.4]), np.zeros((0, 2))))


def test_combinations_multilateral_and_parties():
    u = load_scenario("ukraine_2025")
    df = tournament(
        u,
        ["linear", "conceder"],
        parties=["United States", "European allies"],
        pairings="combinations",
        rounds=30,
        progress=False,
    )
    assert len(df) == 3 and set(df["party_1"]) == {"United States"}
    three = Scenario(
        "three",
        (Issue("x", ("a", "b", "c")), Issue("y", ("a", "b", "c"))),
        tuple(
            Party(n, {"x": 1, "y": 1}, {"x": {"a": v, "b": 0.5, "c": 1 - v}}, reservation=0.2)
            for n, v in (("P", 0.0), ("Q", 1.0), ("R", 0.5))
        ),
    )
    df = tournament(three, ["linear", "conceder"], protocol="stacked", progress=False)
    assert len(df) == 2**3 and {"utility_3", "agent_3", "party_3"} <= set(df.columns)
    df = tournament(three, ["linear"], protocol="mediated", progress=False)
    assert len(df) == 1 and df["protocol"].iloc[0] == "mediated"


def test_a_failing_agent_spoils_only_its_own_runs():
    class Broken(Strategy):
        name = "broken"

        def respond(self, state):
            raise RuntimeError("bug")

    df = tournament(split(), ["linear", Broken], progress=False)
    bad = df["agents"].str.contains("broken")
    assert (df.loc[bad, "end"] == "failure").all()
    assert (df.loc[~bad, "end"] == "agreement").all()


def test_bad_tournament_arguments():
    with pytest.raises(UnknownStrategyError):
        tournament(split(), ["linear", "nope"], progress=False)
    with pytest.raises(UnknownProtocolError):
        tournament(split(), ["linear"], protocol="auction", progress=False)
    with pytest.raises(SimulationError, match="repetitions"):
        tournament(split(), ["linear"], repetitions=0, progress=False)
    with pytest.raises(SimulationError, match="pairings"):
        tournament(split(), ["linear"], pairings="all", progress=False)
    with pytest.raises(SimulationError, match="at least one strategy"):
        tournament(split(), [], progress=False)
    with pytest.raises(SimulationError, match="unknown party"):
        tournament(split(), ["linear"], parties=["A", "Z"], progress=False)


class _RecordingBar:
    """Stands in for tqdm: records the total it was given, its updates and whether it closed."""

    made: list[_RecordingBar] = []

    def __init__(self, total, **kwargs):
        self.total, self.kwargs, self.n, self.closed = total, kwargs, 0, False
        _RecordingBar.made.append(self)

    def update(self, k):
        self.n += k

    def close(self):
        self.closed = True


def test_progress_bar_counts_every_run(monkeypatch):
    # Two strategies on a two-seat table, product pairings: 2**2 = 4 seatings, x 3 repetitions.
    monkeypatch.setattr(_RecordingBar, "made", [])
    monkeypatch.setattr("negotiation.studies.tournament.tqdm", _RecordingBar)
    df = tournament(split(), ["linear", "hardliner"], repetitions=3, progress=True)
    (bar,) = _RecordingBar.made
    assert (bar.total, bar.n, bar.closed) == (12, 12, True) and len(df) == 12
    assert bar.kwargs["unit"] == "run"
    tournament(split(), ["linear"], progress=False)
    assert len(_RecordingBar.made) == 1  # progress=False makes no bar


def test_old_import_path_forwards_to_the_study():
    import negotiation.dynamics.tournament as old

    assert old.tournament is tournament and old.reference_points is reference_points
    with pytest.raises(AttributeError):
        old.no_such_name  # noqa: B018


def test_reference_points_on_a_space_the_search_solves():
    # 4**9 = 262,144 outcomes: above SMALL_SPACE, where choose_engine picks the search; the
    # search's frontier and Nash point must equal those of plain enumeration.
    from negotiation.engine.frontier import enumerate_frontier
    from negotiation.engine.select import choose_engine
    from negotiation.engine.solutions import nash

    rng = np.random.default_rng(7)
    levels = ("a", "b", "c", "d")
    issues = tuple(Issue(f"i{j}", levels) for j in range(9))

    def party(name):
        values = {i.name: dict(zip(levels, rng.random(4), strict=True)) for i in issues}
        return Party(
            name, {i.name: float(w) for i, w in zip(issues, rng.random(9), strict=True)}, values
        )

    s = Scenario("big", issues, (party("A"), party("B"), party("C")))
    sub = Scenario("two", issues, s.parties[::2])  # the parties at the table: A and C
    assert choose_engine(sub) == "search"
    front, nash_u = reference_points(s, (0, 2))
    want = enumerate_frontier(sub)
    assert {tuple(np.round(u, 9)) for u in front} == {tuple(np.round(u, 9)) for u in want.utilities}
    np.testing.assert_allclose(nash_u, nash(want).utilities, rtol=0, atol=1e-12)
