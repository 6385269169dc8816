"""BDM CSV, KTAB SMP CSV and Decide files: reading, load_scenario, and malformed files."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

import negotiation as ng
from negotiation.errors import ScenarioError
from negotiation.forecast import forecast
from negotiation.io.decide import load_decide
from negotiation.io.spatial import load_spatial
from negotiation.io.spatial_csv import load_bdm_csv, load_smp_csv

CAR = resources.files("negotiation") / "forecast/data/eu_car_emissions.csv"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_car_emissions_weighted_mean_and_median_reproduced():
    """BDM 1994's EU car-emissions data: the weighted mean and median, computed by hand here."""
    rows = [line.split(",") for line in CAR.read_text().splitlines()[1:]]
    c = np.array([float(r[1]) for r in rows])
    x = np.array([float(r[2]) for r in rows])
    s = np.array([float(r[3]) for r in rows])
    mean = (c * s * x).sum() / (c * s).sum()
    # weighted median by hand: sort, first cumulative weight >= half
    order = np.argsort(x, kind="stable")
    cum = np.cumsum((c * s)[order])
    median = x[order][np.searchsorted(cum, cum[-1] / 2)]
    p = load_bdm_csv(CAR)
    comp = forecast("compromise", p.positions, p.capability, p.salience)
    med = forecast("median", p.positions, p.capability, p.salience)
    assert p.to_file_units(comp.forecast[0], 0) == pytest.approx(mean, rel=1e-12)
    assert p.to_file_units(med.forecast[0], 0) == pytest.approx(median, rel=1e-12)
    assert round(mean, 2) == 7.39 and median == 7.0


def test_bdm_csv_through_load_scenario():
    s = ng.load_scenario(str(CAR))
    assert s.issues[0].levels == ("4", "7", "10")
    assert s.party("Germany").power == pytest.approx(0.16)
    # value = 1 - |z - x| / 100 on the 0-100 axis: Germany (4) values 10 at 0
    u = s.utilities(np.array([[2]]))
    assert u[0, s.party_names.index("Germany")] == pytest.approx(0.0)
    assert u[0, s.party_names.index("Netherlands")] == pytest.approx(0.5)


def test_smp_csv_with_scenario_line(tmp_path):
    path = write(
        tmp_path,
        "smp.csv",
        "Demo,a test,3,2\nActor,Description,Power,Tax,SalTax,Spend,SalSpend\n"
        "A,left,10,20,40,80,60\nB,centre,20,50,50,50,50\nC,right,30,90,70,10,30\n",
    )
    p = load_smp_csv(path)
    assert p.issues == ("tax", "spend") and p.name == "demo"
    np.testing.assert_allclose(p.salience[0], [0.4, 0.6])
    np.testing.assert_allclose(p.capability[:, 1], [10, 20, 30])
    s = ng.load_scenario(str(path))
    assert s.party_names == ("A", "B", "C")


def test_decide_file_and_sniffing(tmp_path):
    path = write(
        tmp_path,
        "in.txt",
        "#O;demo\n#A;A;Actor A\n#A;B;Actor B\n#P;tax-rate;Tax\n#M;tax-rate;0;low\n#M;tax-rate;10;high\n"
        "#D;A;tax-rate;2;0.5;1\n#D;B;tax-rate;8;0.9;0.4\n",
    )
    p = load_spatial(path)
    assert p.issues == ("tax_rate",) and p.labels == ("Tax",)
    np.testing.assert_allclose(p.positions[:, 0], [20, 80])
    assert load_decide(path).actors == ("A", "B")


@pytest.mark.parametrize(
    "name, text, match",
    [
        (
            "a.csv",
            "Actor,Capability,Position\nA,1,2\n",
            "row 1: a BDM CSV file starts with the header",
        ),
        (
            "a.csv",
            "Actor,Capability,Position,Salience\nA,1,2,50\nB,x,3,40\n",
            r"row 3, column 'Capability': not a number: 'x'",
        ),
        (
            "a.csv",
            "Actor,Capability,Position,Salience\nA,1,2,50\nB,1,3,140\n",
            r"row 3, column 'Salience': 140 is outside \[0, 100\]",
        ),
        (
            "a.csv",
            "Actor,Capability,Position,Salience\nA,1,2,50\nA,1,3,40\n",
            "row 3, column 'Actor': 'A' is listed twice",
        ),
        (
            "a.csv",
            "Actor,Capability,Position,Salience\nA,1,2,50\nB,1,nan,40\n",
            r"row 3, column 'Position': not finite",
        ),
        ("a.csv", "Actor,Capability,Position,Salience\nA,1,2,50\n", "needs at least two actors"),
        ("s.csv", "Actor,Description,Power,Tax\nA,,1,2\n", "pairs of position and salience"),
        (
            "s.csv",
            "Actor,Description,Power,Tax,Sal\nA,,1,120,50\nB,,1,3,4\n",
            r"row 2, column 'Tax': 120 is outside \[0, 100\]",
        ),
        (
            "s.csv",
            "Actor,Description,Power,T,S,U,V\nA,,1,20,60,30,60\nB,,1,3,4,5,6\n",
            "row 2: the saliences of 'A' sum to 120",
        ),
        (
            "s.csv",
            "X,y,5,1\nActor,Description,Power,T,S\nA,,1,2,3\nB,,1,3,4\n",
            "row 1 declares 5 actors, the file has 2",
        ),
        ("s.csv", "Actor,Description,Power,T,S\nA,,1,2\n", "row 2: needs 5 fields"),
        (
            "d.txt",
            "#A\tA\n#A\tB\n#P\tx\n#D\tA\tx\t5\t0.5\t1\n",
            "actor 'B' has no #D row for issue 'x'",
        ),
        (
            "d.txt",
            "#A\tA\n#A\tB\n#P\tx\n#D\tC\tx\t5\t0.5\t1\n",
            "row 4, column 2: unknown actor 'C'",
        ),
        (
            "d.txt",
            "#A\tA\n#A\tB\n#P\tx\n#D\tA\ty\t5\t0.5\t1\n",
            "row 4, column 3: unknown issue 'y'",
        ),
        (
            "d.txt",
            "#A\tA\n#A\tB\n#P\tx\n#D\tA\tx\t5\t1.5\t1\n",
            r"row 4, column 'salience': 1.5 is outside \[0, 1\]",
        ),
        (
            "d.txt",
            "#A\tA\n#A\tB\n#P\tx\n#M\tx\t0\ta\n#M\tx\t10\tb\n#D\tA\tx\t50\t0.5\t1\n#D\tB\tx\t5\t0.5\t1\n",
            r"row 6, column 'position': 50 is outside the issue's #M range",
        ),
        ("d.txt", "#A\tA\n#Q\tB\n", "row 2, column 1: unknown row type '#Q'"),
        ("d.txt", "#A\tA\n#A\tA\n", "row 2, column 2: actor 'A' is listed twice"),
        ("d.txt", "#A\tA\n#A\tB\n#P\tx\n#D\tA\tx\t5\n", "row 4: a #D row needs 6 fields"),
        ("z.csv", "hello,world\n1,2\n", "not a recognised spatial data file"),
    ],
)
def test_malformed_files_name_file_row_and_column(tmp_path, name, text, match):
    path = write(tmp_path, name, text)
    with pytest.raises(ScenarioError, match=match) as info:
        ng.load_scenario(str(path))
    assert str(path) in str(info.value)


def test_zero_salience_actor_cannot_become_a_party(tmp_path):
    path = write(tmp_path, "a.csv", "Actor,Capability,Position,Salience\nA,1,2,50\nB,1,3,0\n")
    with pytest.raises(ScenarioError, match="party 'B': salience is 0 on every issue"):
        ng.load_scenario(str(path))
