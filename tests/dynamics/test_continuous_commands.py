"""One rule for continuous issues in every command (issue 12, items 14 and 15).

``simulate`` and ``equilibrium`` discretise continuous issues like ``analyze`` (``--resolution``,
said in the output); Rubinstein on one continuous issue is solved exactly and matches the
closed form of split-the-pie (Rubinstein 1982): the first proposer's share of the gains is
``(1 - d2) / (1 - d1 d2)``.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.cli import main
from negotiation.dynamics.games.rubinstein import exact_discretization, rubinstein
from negotiation.io.toml import loads_scenario


def pie_toml(d1=0.9, d2=0.8, r1=0.0, r2=0.0, lo=0.0, hi=1.0, extra_b="") -> str:
    return f"""
name = "pie"
[[issue]]
name = "share"
range = [{lo!r}, {hi!r}]
[[party]]
name = "A"
discount = {d1!r}
reservation = {r1!r}
weights = {{ share = 1 }}
[[party]]
name = "B"
discount = {d2!r}
reservation = {r2!r}
weights = {{ share = 1 }}
{extra_b}
[party.values]
share = [[{lo!r}, 1.0], [{hi!r}, 0.0]]
"""


def closed_form(d_first, d_second, r_first, r_second) -> float:
    """The first proposer's utility: reservation + (1-d2)/(1-d1 d2) of the surplus."""
    return r_first + (1 - d_second) / (1 - d_first * d_second) * (1 - r_first - r_second)


@given(
    d1=st.floats(0.05, 0.99),
    d2=st.floats(0.05, 0.99),
    r1=st.floats(0.0, 0.45),
    r2=st.floats(0.0, 0.45),
    lo=st.floats(-100, 100),
    width=st.floats(0.5, 1000),
    b_first=st.booleans(),
)
def test_rubinstein_on_a_continuous_pie_is_the_closed_form(d1, d2, r1, r2, lo, width, b_first):
    s = loads_scenario(pie_toml(d1, d2, r1, r2, lo, lo + width))
    first = "B" if b_first else "A"
    r = rubinstein(s, proposer=first)
    u = r.utilities
    if b_first:
        want_b = closed_form(d2, d1, r2, r1)
        assert u["B"] == pytest.approx(want_b, abs=1e-9)
        assert u["A"] == pytest.approx(1 - want_b, abs=1e-9)
    else:
        want_a = closed_form(d1, d2, r1, r2)
        assert u["A"] == pytest.approx(want_a, abs=1e-9)
        assert u["B"] == pytest.approx(1 - want_a, abs=1e-9)
    assert any("solved exactly" in n for n in r.notes)


def test_a_coarse_grid_would_be_wrong_where_the_exact_solution_is_right():
    """The reservation crossings are vertices: a uniform grid misses them, the answer moves."""
    s = loads_scenario(pie_toml(0.95, 0.3, 0.13, 0.21))  # A's share lands past 0.75
    want = closed_form(0.95, 0.3, 0.13, 0.21)
    assert rubinstein(s).utilities["A"] == pytest.approx(want, abs=1e-12)
    coarse = rubinstein(s.discretize(5)).utilities["A"]
    assert abs(coarse - want) > 1e-3


def test_exact_discretization_vertices():
    s = loads_scenario(pie_toml(r1=0.25, lo=0.0, hi=100.0))
    exact = exact_discretization(s)
    assert [float(x) for x in exact.issues[0].levels] == [0.0, 25.0, 100.0]
    assert exact_discretization(s.discretize(3)) is None  # discrete: not applicable


def test_equilibrium_cli_is_exact_on_a_continuous_pie(tmp_path, capsys):
    path = tmp_path / "pie.toml"
    path.write_text(pie_toml(0.9, 0.8, 0.1, 0.2, 0.0, 100.0), encoding="utf-8")
    assert main(["equilibrium", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["agreement"]["utilities"]["A"] == pytest.approx(closed_form(0.9, 0.8, 0.1, 0.2))
    assert main(["equilibrium", str(path)]) == 0
    assert "solved exactly" in capsys.readouterr().out


def test_finite_horizon_discretises_with_resolution(tmp_path, capsys):
    path = tmp_path / "pie.toml"
    path.write_text(pie_toml(0.9, 0.8), encoding="utf-8")
    assert main(["equilibrium", str(path), "--model", "finite", "--resolution", "11"]) == 0
    out = capsys.readouterr().out
    assert "discretised on 11 grid points" in out


@pytest.mark.parametrize("protocol", ["alternating", "stacked", "mediated"])
def test_simulate_discretises_continuous_issues(tmp_path, capsys, protocol):
    path = tmp_path / "pie.toml"
    path.write_text(pie_toml(0.9, 0.8), encoding="utf-8")
    code = main(["simulate", str(path), "--protocol", protocol, "--resolution", "11", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["resolution"] == 11
    assert any("11 grid points" in n for n in data["notes"])
    if data.get("agreement"):
        level = data["agreement"]["deal"]["share"]
        assert round(float(level) * 10) == pytest.approx(float(level) * 10)  # on the 0.1 grid


@pytest.mark.parametrize("protocol", ["stacked", "mediated"])
def test_default_agents_fit_any_number_of_parties(capsys, protocol):
    """Item 14: the default agents are dealt round the table, for four parties too."""
    assert main(["simulate", "ukraine_2025", "--protocol", protocol, "--rounds", "20"]) == 0
    out = capsys.readouterr().out
    assert "boulware" in out and "conceder" in out
