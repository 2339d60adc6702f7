"""Pressure management (issue 22): FAVAD leakage and the pressure:burst relation, a PRV lowered on L-Town.

The FAVAD and burst checks are the papers' formulas on hand values; the L-Town checks are consistency
(the baseline leakage is the share asked; lower pressure, less leakage; the night leaves the day's
maximum, hence the bursts, as they were)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import reference_file
from twin.models import water_pressure as favad


def test_favad_leakage_follows_pressure_to_the_n1():
    base = pd.DataFrame({"a": [40.0, 60.0], "b": [30.0, 30.0]})
    n1 = pd.Series({"a": 1.0, "b": 0.5})
    k = favad.leakage_coefficients(base, pd.Series({"a": 0.002, "b": 0.001}), n1)
    assert favad.leakage(base, k, n1).mean().to_dict() == pytest.approx({"a": 0.002, "b": 0.001})
    halved = favad.leakage(base / 2, k, n1).mean()
    assert halved["a"] == pytest.approx(0.001) and halved["b"] == pytest.approx(0.001 / np.sqrt(2))
    assert (favad.leakage(-base, k, n1) == 0).all().all()  # no leak without pressure


def test_bursts_follow_the_maximum_pressure_to_the_n2():
    base = pd.DataFrame({"a": [40.0, 60.0], "b": [30.0, 50.0]})
    weights = pd.Series({"a": 1.0, "b": 3.0})
    assert favad.burst_ratio(base, base * 0.9, weights, 3.0) == pytest.approx(0.729)
    night_only = base.copy()
    night_only.iloc[0] = 20.0  # the lower first step is not the maximum
    assert favad.burst_ratio(base, night_only, weights, 3.0) == pytest.approx(1.0)
    assert favad.node_weights([("p", "a", "b", 100.0), ("q", "b", "c", 50.0)]).to_dict() == {"a": 50, "b": 75, "c": 25}


@pytest.fixture(scope="module")
def ltown():
    return str(reference_file("water/battledim_2018/L-TOWN.inp"))


def test_a_night_reduction_on_l_town(ltown):
    from twin.scenarios.water_pressure import PressureManagement

    scenario = PressureManagement(network_file=ltown, night_settings={"PRV-1": 30, "PRV-2": 40, "PRV-3": 28}, days=3)
    out = scenario.run()
    name = "Modulation de pression"
    # the baseline leaks the share asked of the water put in: leakage / (demand + leakage) = 20 %
    import wntr

    base = scenario._day(wntr.network.WaterNetworkModel(ltown), {}, {})
    junctions = list(wntr.network.WaterNetworkModel(ltown).junction_name_list)
    demand_m3_year = base.node["demand"][junctions].clip(lower=0).mean().sum() * 86_400 * 365
    leak = out.value("leakage_m3_per_year")
    assert leak / (demand_m3_year + leak) == pytest.approx(0.2, rel=1e-6)
    assert out.value("leakage_m3_per_year", name) < 0.98 * leak
    assert out.value("bursts_per_year", name) == pytest.approx(out.value("bursts_per_year"), rel=1e-3)
    assert out.value("leakage_cost_eur_per_year", name) == pytest.approx(0.8 * out.value("leakage_m3_per_year", name))
    allday = PressureManagement(network_file=ltown, prv_settings={"PRV-1": 30, "PRV-2": 40, "PRV-3": 28}, days=3).run()
    assert allday.value("bursts_per_year", name) < 0.9 * allday.value("bursts_per_year")
    assert allday.value("leakage_m3_per_year", name) < out.value("leakage_m3_per_year", name)


def test_plastic_pipes_gain_more_than_rigid_ones(ltown, tmp_path):
    import wntr

    from twin.scenarios.water_pressure import PressureManagement

    pipes = wntr.network.WaterNetworkModel(ltown).pipe_name_list
    saved = {}
    for material in ("rigid", "plastic"):
        path = tmp_path / f"{material}.csv"
        path.write_text("pipe,material\n" + "".join(f"{p},{material}\n" for p in pipes))
        out = PressureManagement(network_file=ltown, prv_settings={"PRV-1": 30}, materials_file=str(path), days=2).run()
        saved[material] = 1 - out.value("leakage_m3_per_year", "Modulation de pression") / out.value("leakage_m3_per_year")
    assert saved["plastic"] > 2 * saved["rigid"] > 0


def test_bad_pressure_inputs_are_named(ltown, tmp_path):
    from twin.scenarios.base import ScenarioError
    from twin.scenarios.water_pressure import PressureManagement

    with pytest.raises(ScenarioError, match="'p1' is not a pressure-reducing valve"):
        PressureManagement(network_file=ltown, night_settings={"p1": 30}).run()
    from twin.app.i18n_errors import user_message

    with pytest.raises(ScenarioError, match="give at least one") as err:
        PressureManagement(network_file=ltown).run()
    assert user_message(err.value, "fr").startswith("Donnez au moins une nouvelle consigne de pression")
    # a night above the day: its saving came from the day's lowering, named a night reduction, ranked best
    with pytest.raises(ScenarioError, match="night_pressure_m .40 m. is above day_pressure_m .30 m.") as err:
        PressureManagement(network_file=ltown, night_pressure_m=40.0, day_pressure_m=30.0)
    assert user_message(err.value, "fr").startswith("La pression de nuit (40 m) est au-dessus de la pression de jour")
    with pytest.raises(ScenarioError, match="is not below any pressure-reducing valve") as err:
        PressureManagement(network_file=ltown, night_pressure_m=149.0).run()
    assert "n'abaisse aucun réducteur de pression" in user_message(err.value, "fr")
    with pytest.raises(ScenarioError, match="expected a pressure in metres"):
        PressureManagement(network_file=ltown, night_settings={"PRV-1": "low"})
    with pytest.raises(ScenarioError, match="night_hours: expected HH:MM-HH:MM"):
        PressureManagement(network_file=ltown, night_settings={"PRV-1": 30}, night_hours="23h-5h")
    bad = tmp_path / "materials.csv"
    bad.write_text("pipe,material\np1,steel\n")
    with pytest.raises(ScenarioError, match="materials.csv, line 2: material 'steel'"):
        PressureManagement(network_file=ltown, prv_settings={"PRV-1": 30}, materials_file=str(bad)).run()


def test_cli_runs_a_pressure_scenario(ltown, tmp_path, capsys):
    import json
    import shutil

    from twin.cli import main

    shutil.copy(ltown, tmp_path / "L-TOWN.inp")
    spec = tmp_path / "night.json"
    spec.write_text(json.dumps({"family": "water-pressure", "network_file": "L-TOWN.inp",
                                "night_settings": {"PRV-1": 30}, "days": 2}))
    assert main(["water", "run", str(spec), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {(r["variant"], r["kpi"]): r for r in out["kpis"]}
    assert rows[("Modulation de pression", "leakage_m3_per_year")]["change"] < 0
    assert out["leakage"].startswith("20% of the water put in")


def test_a_uniform_night_setpoint_only_lowers(ltown):
    """L-Town's PRVs are set at 40, 50 and 35 m today: 45 m at night lowers only the one set higher, and a
    setpoint above them all is refused rather than run as a rise."""
    from twin.scenarios.base import ScenarioError
    from twin.scenarios.water_pressure import PressureManagement

    scenario = PressureManagement(network_file=ltown, night_pressure_m=45.0, days=2)
    from twin.sources.epanet import read_network

    wn = read_network(ltown)
    day, night = scenario.settings(wn)
    today = {v: float(wn.get_link(v).initial_setting) for v in night} | {
        v: float(wn.get_link(v).initial_setting) for v in wn.valve_name_list if str(wn.get_link(v).valve_type) == "PRV"}
    assert night == {v: 45.0 for v, s in today.items() if s > 45.0} and day == {}
    with pytest.raises(ScenarioError, match="is not below any pressure-reducing valve's setting today"):
        PressureManagement(network_file=ltown, night_pressure_m=80.0).settings(wn)
