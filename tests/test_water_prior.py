"""The SYNTHETIC water network laid under a territory's streets (issue 22 on a territory without its
utility's model; issue 24's priors): its pipes follow the streets, its demand the buildings, its
pressures stay in service at rest; a break on it lists the homes to warn. These are checks of the
prior against its own construction (recovery), not against a real network."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import reference_file
from twin.cli import main
from twin.scenarios.water_break import PipeBreak
from twin.territory.water_prior import TOWER_HEAD_M, prior_network


@pytest.fixture(scope="module")
def prior(seed_territory):
    return prior_network(seed_territory)


def test_the_prior_lies_under_the_streets_and_serves_every_building_it_can(seed_territory, prior):
    G = seed_territory.graphs["drive"]
    streets = {(min(u, v), max(u, v)) for u, v in G.edges()}
    pipes = prior.pipes[prior.pipes["pipe"] != "P0000"]
    assert all((min(u, v), max(u, v)) in streets for u, v in zip(pipes["osm_u"], pipes["osm_v"]))
    assert set(prior.wn.junction_name_list) == set(prior.junctions["junction"])
    # every building is listed, served or not; the people the network serves are those of its buildings
    assert len(prior.buildings) == len(seed_territory.layers["buildings"])
    served = prior.buildings.dropna(subset=["junction"])
    assert 0 < len(served) <= len(prior.buildings)
    demand = sum(prior.wn.get_node(j).base_demand for j in prior.wn.junction_name_list) * 86_400
    assert demand == pytest.approx(served["demand_m3_day"].sum(), rel=1e-9)
    # the same territory, the same network
    again = prior_network(seed_territory)
    assert again.pipes.drop(columns="geometry").equals(prior.pipes.drop(columns="geometry"))
    assert again.buildings.equals(prior.buildings)


def test_the_prior_keeps_its_pressures_in_service_at_rest(prior, tmp_path):
    import wntr

    results = wntr.sim.EpanetSimulator(prior.wn).run_sim(file_prefix=str(tmp_path / "rest"))
    pressure = results.node["pressure"][prior.wn.junction_name_list]
    assert pressure.min().min() >= 20.0  # 2 bar, the service pressure, at the morning peak
    assert pressure.max().max() <= TOWER_HEAD_M + 1e-6


def test_a_break_under_a_street_lists_the_homes_to_warn(seed_territory, prior):
    out = PipeBreak(broken_street="Avenue Jean Burel").run(seed_territory)
    name = str(out.data.variant.values[1])
    assert out.data.attrs["broken_street"] == "Avenue Jean Burel" and "SYNTHETIC" in out.data.attrs["network"]
    assert "prior" in out.data.attrs["priors"] or "SYNTHETIC" in out.data.attrs["priors"]
    pipe = prior.wn.get_link(out.data.attrs["broken_pipe"])
    assert pipe.tag == "Avenue Jean Burel"
    assert pipe.length == max(prior.wn.get_link(p).length for p in prior.wn.pipe_name_list
                              if prior.wn.get_link(p).tag == "Avenue Jean Burel")
    homes = out.table("buildings_without_water")
    dry = out.table("nodes_without_water")
    assert len(homes) > 0 and set(homes["junction"]) >= set(dry["node"])
    assert out.value("people_without_water", name) == pytest.approx(homes["people"].sum())
    # the homes at the dry junctions, and those tapped on the pipes of the shut segment
    assert out.value("people_without_water", name) >= prior.buildings[
        prior.buildings["junction"].isin(dry["node"])]["people"].sum()
    # the prior's whole population beside the counts (5,722 « people at low pressure » on a village of about
    # 1,700 read as a disaster, not as a prior counting barns as homes)
    served = prior.buildings.dropna(subset=["junction"])["people"].sum()
    assert f"{served:,.0f} people on the network in all, 50 m² of floor a person" in out.data.attrs["people"]


def test_the_tower_main_broken_leaves_the_whole_town_dry(seed_territory, prior):
    """One feed: its main shut, every junction is cut off from the tower for the repair."""
    out = PipeBreak(broken_pipe="P0000", repair_h=4.0).run(seed_territory)
    name = str(out.data.variant.values[1])
    served = prior.buildings.dropna(subset=["junction"])
    assert out.value("people_without_water", name) == pytest.approx(served["people"].sum())
    drawing = [j for j in prior.wn.junction_name_list if prior.wn.get_node(j).base_demand > 0]
    hours = out.table("water_nodes").query("variant == @name").set_index("node")["hours_without_water"]
    assert np.all(hours[drawing] >= 4.0)
    assert out.value("sensitive_sites_without_water", name) == len(prior.sensitive) >= 1


def test_a_street_without_pipe_is_named(seed_territory):
    from twin.scenarios.base import ScenarioError

    from twin.app.i18n_errors import user_message

    with pytest.raises(ScenarioError, match="broken_street: no pipe .* lies under 'Rue Imaginaire'") as err:
        PipeBreak(broken_street="Rue Imaginaire").run(seed_territory)
    # the page says it in French, with the streets the network has near that name (the CLI's « did you mean »)
    assert user_message(err.value, "fr").startswith("Aucune conduite du réseau ne passe sous « Rue Imaginaire » "
                                                    "(rues du réseau, par exemple : « Rue")
    with pytest.raises(ScenarioError, match="broken_pipe: say which pipe breaks") as err:
        PipeBreak().run(seed_territory)
    assert user_message(err.value, "fr") == "Dites quelle conduite casse : choisissez la rue de la casse"


def test_cli_runs_a_break_on_the_territory_s_network(tmp_path, capsys):
    spec = tmp_path / "break.json"
    spec.write_text(json.dumps({"family": "water-break", "broken_street": "Avenue Jean Burel"}))
    assert main(["water", "run", str(spec), "--json"]) == 0

    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")  # json.loads takes NaN; other readers do not

    out = json.loads(capsys.readouterr().out, parse_constant=refuse)
    assert out["broken_street"] == "Avenue Jean Burel" and out["network"].startswith("SYNTHETIC")
    assert len(out["buildings_without_water"]) > 0 and out["valves_to_close"]
    # a crew finds each valve: its street, the streets meeting there and where, on the territory (Redon, 47.65 N 2.08 W)
    for valve in out["valves_to_close"]:
        assert valve["street"] and 47.6 < valve["lat"] < 47.7 and -2.15 < valve["lon"] < -2.0, valve


def test_the_valves_to_close_say_where_a_crew_finds_them(seed_territory):
    """« P0015@J0008 »: a pipe and a node id sent the crew to the network's drawing. Each valve says its
    street and the streets meeting at its node (a valve mid-street, where the same street goes on, has none)."""
    from twin.scenarios.water_break import PipeBreak

    valves = PipeBreak(broken_street="Grande Rue").run(seed_territory).table("valves_to_close")
    assert (valves["street"] == "Grande Rue").all()
    assert set(valves["crossing"]) == {"Rue Grand'Cour / Rue de Saint-Nicolas", "Pont de la Ville"}


def test_the_result_map_draws_the_break_on_the_streets_and_buildings(seed_territory):
    """The view colours the streets whose pipe is shut black, those whose pipe is dry red, and the
    buildings without water red (pure functions: outcome in, columns out)."""
    from twin.app.mapview import layer_columns, street_columns
    from twin.app.views import water

    out = PipeBreak(broken_street="Rue des Moulins").run(seed_territory)
    edges = list(street_columns(seed_territory)["edge"])
    streets = water.street_overlay(out, edges, "fr")
    pipes = out.table("water_pipes")
    shut = {(min(u, v), max(u, v)) for u, v in pipes.loc[pipes["shut"], ["osm_u", "osm_v"]].itertuples(index=False)}
    dry = {(min(u, v), max(u, v)) for u, v in pipes.loc[~pipes["shut"] & (pipes["hours_without_water"] > 0),
                                                           ["osm_u", "osm_v"]].itertuples(index=False)}
    low = {(min(u, v), max(u, v)) for u, v in pipes.loc[~pipes["shut"] & (pipes["hours_without_water"] == 0)
                                                           & (pipes["hours_low_pressure"] > 0),
                                                           ["osm_u", "osm_v"]].itertuples(index=False)}
    assert shut and dry and low
    for edge, color in zip(edges, streets["color"], strict=True):
        u, v = (int(x) for x in edge.split("-")[:2])
        key = (min(u, v), max(u, v))
        assert color == (water.SHUT if key in shut else water.DRY if key in dry else water.LOW if key in low else color)
        assert (color == water.SHUT) == (key in shut)
        assert (color == water.LOW) == (key in low)  # the streets under the service pressure: where, at last
    ids = list(layer_columns(seed_territory)["buildings"]["id"])
    buildings = water.building_overlay(out, ids, "fr")
    red = {b for b, c in zip(ids, buildings["color"], strict=True) if c == water.DRY}
    assert red == set(out.table("buildings_without_water")["building_id"])
    captions = [c for _, _, c in water.overlays(out, {"streets": type("S", (), {"data": {"edge": edges}}),
                                                      "buildings": type("S", (), {"data": {"id": ids}})}, "fr")]
    assert "vannes à fermer" in captions[0] and "bâtiments sans eau" in captions[1]


def test_the_prior_s_demand_follows_its_inputs_and_survives_missing_tags():
    """Use per person scales the households' demand; a territory without a ``levels`` column takes the
    default levels; two sensitive buildings of one name are both watched."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    from twin.territory.water_prior import DEFAULT_LEVELS, M2_PER_PERSON, _sensitive, building_demand

    b = pd.DataFrame({"footprint_m2": [100.0, 200.0], "use": ["residential", "commercial"]})
    low, high = building_demand(b, 100.0), building_demand(b, 200.0)
    assert low["people"].iloc[0] == pytest.approx(100 * DEFAULT_LEVELS / M2_PER_PERSON)
    assert high["demand_m3_day"].iloc[0] == pytest.approx(2 * low["demand_m3_day"].iloc[0])
    assert high["demand_m3_day"].iloc[1] == low["demand_m3_day"].iloc[1] > 0  # not households: per m²
    schools = gpd.GeoDataFrame({"id": ["a", "b"], "name": ["École Jules Ferry"] * 2, "amenity": ["school"] * 2,
                                "address": [None, None]}, geometry=[box(0, 0, 1, 1), box(2, 2, 3, 3)])
    sites = _sensitive(schools, pd.DataFrame({"junction": ["J1", "J2"]}))
    assert len(sites) == 2 and sites["site"].is_unique and set(sites["junction"]) == {"J1", "J2"}


def test_both_engines_give_the_same_break_on_the_synthetic_network(seed_territory):
    """EPANET (the default) and WNTR's solver on Redon's synthetic network: the same junctions dry for
    the same hours, the same people; water lost within 2 %."""
    epanet = PipeBreak(broken_street="Rue des Moulins").run(seed_territory)
    wntr_out = PipeBreak(broken_street="Rue des Moulins", engine="wntr").run(seed_territory)
    name = str(epanet.data.variant.values[1])
    a = epanet.table("water_nodes").set_index(["variant", "node"])["hours_without_water"]
    b = wntr_out.table("water_nodes").set_index(["variant", "node"])["hours_without_water"]
    assert a.equals(b) and a.sum() > 0
    assert epanet.value("people_without_water", name) == pytest.approx(wntr_out.value("people_without_water", name))
    assert epanet.value("water_lost_m3", name) == pytest.approx(wntr_out.value("water_lost_m3", name), rel=0.02)


# --- pressure management on the synthetic network (its one PRV, at the tower's outlet) ---------------

def test_the_entry_prv_is_wide_open_until_a_scenario_lowers_it(prior, tmp_path):
    """The PRV the pressure scenario adds at the tower's outlet, set at the tower's head, leaves every
    junction's pressure as the network without it; set at 30 m, no junction gets more than 30 m."""
    import wntr

    from twin.territory.water_prior import ENTRY_PRV, with_entry_prv

    wn = with_entry_prv(prior)
    junctions = prior.wn.junction_name_list
    plain = wntr.sim.EpanetSimulator(prior.wn).run_sim(file_prefix=str(tmp_path / "plain"))
    fitted = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "fitted"))
    assert np.abs(plain.node["pressure"][junctions] - fitted.node["pressure"][junctions]).max().max() < 1e-3
    wn.get_link(ENTRY_PRV).initial_setting = 30.0
    lowered = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "lowered"))
    assert lowered.node["pressure"][junctions].max().max() <= 30.0 + 1e-3
    assert "P0000" in prior.wn.pipe_name_list and ENTRY_PRV not in prior.wn.valve_name_list  # the prior untouched


def test_a_night_pressure_reduction_on_the_territory(seed_territory):
    from twin.scenarios.water_pressure import PRV_NEW_EUR, PressureManagement

    out = PressureManagement(night_pressure_m=30.0, days=2).run(seed_territory)
    name = str(out.data.variant.values[1])
    assert "SYNTHETIC" in out.data.attrs["network"] and "investment: project assumption" in out.data.attrs["priors"]
    assert out.value("leakage_m3_per_year", name) < out.value("leakage_m3_per_year")
    assert out.value("bursts_per_year", name) < out.value("bursts_per_year")  # the night held the maximum
    saving = sum(out.value(k) - out.value(k, name) for k in ("leakage_cost_eur_per_year", "bursts_cost_eur_per_year"))
    assert out.value("payback_years", name) == pytest.approx(PRV_NEW_EUR / saving)
    # below the valve, at night, the setpoint; by day (the valve reopens at 05:00) as before
    p = out.series("pressure_m")
    assert float(p.sel(variant=name, place="entry", hour=2)) == pytest.approx(30.0, abs=0.05)
    assert float(p.sel(variant=name, place="entry", hour=12)) == pytest.approx(
        float(p.sel(variant="baseline", place="entry", hour=12)), abs=1e-3)
    pipes = out.table("water_pipes").query("pipe != 'P0000'")  # the tower's main is above the valve
    assert (pipes.query("variant == @name")["night_pressure_m"] <= 30.0 + 1e-3).all()
    assert (pipes.query("variant == 'baseline'")["night_pressure_m"] > 40).all()
    assert out.value("people_hours_low_pressure_per_day", name) == 0.0  # 30 m keeps the 20 m of service


def test_too_low_a_night_pressure_is_felt_by_the_people_the_buildings_hold(seed_territory, prior):
    from twin.scenarios.water_pressure import PressureManagement

    out = PressureManagement(night_pressure_m=12.0, night_hours="22:00-07:00", days=2,
                             investment_eur=0.0).run(seed_territory)
    name = str(out.data.variant.values[1])
    felt = out.value("people_hours_low_pressure_per_day", name)
    served = prior.buildings.dropna(subset=["junction"])["people"].sum()
    # everyone served is under 20 m from 22:00 to 07:00 (9 h), those with demand at each step counted
    assert 0.5 * 9 * served < felt <= 9 * served + 1e-6
    assert out.value("payback_years", name) == 0.0  # nothing spent: nothing to repay


def test_a_uniform_setpoint_needs_a_valve_to_set(tmp_path):
    from twin.scenarios.base import ScenarioError
    from twin.scenarios.water_pressure import PressureManagement

    net1 = reference_file("water/epanet_networks/Net1.inp")
    with pytest.raises(ScenarioError, match="has no pressure-reducing valve to set"):
        PressureManagement(network_file=str(net1), night_pressure_m=30.0).run()
    with pytest.raises(ScenarioError, match="or a territory to lay a synthetic one"):
        PressureManagement(night_pressure_m=30.0).run()


def test_the_cli_runs_a_night_reduction_on_the_territory(tmp_path, capsys):
    spec = tmp_path / "night.json"
    spec.write_text(json.dumps({"family": "water-pressure", "night_pressure_m": 30, "days": 2}))
    assert main(["water", "run", str(spec), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "SYNTHETIC" in out["network"] and "SYNTHETIC" in out["priors"]
    rows = {(r["variant"], r["kpi"]): r for r in out["kpis"]}
    assert rows[("Modulation de pression", "leakage_m3_per_year")]["change"] < 0


def test_a_broken_street_is_read_whatever_its_case_and_a_misspelt_one_gets_a_hint(seed_territory):
    """« avenue jean burel » was refused where the roadworks read it; « Avenue Jean Burrel » listed the first
    eight streets of the alphabet instead of the one meant."""
    from twin.scenarios.base import ScenarioError

    wn = prior_network(seed_territory).wn
    assert PipeBreak(broken_street=" avenue jean burel ").pipe_to_break(wn, "here") == \
        PipeBreak(broken_street="Avenue Jean Burel").pipe_to_break(wn, "here")
    with pytest.raises(ScenarioError, match=r"under 'Avenue Jean Burrel' \(did you mean 'Avenue Jean Burel'"):
        PipeBreak(broken_street="Avenue Jean Burrel").pipe_to_break(wn, "here")


def test_a_population_given_scales_the_prior_s_people_and_their_demand():
    """Floor area over 50 m² a person counted 6,062 people on a village of about 1,700: the INSEE
    population, when given, is shared by floor area over the homes, and their water with them; the other
    uses keep their demand per m²; no home to put them in is said."""
    import pandas as pd

    from twin.territory.water_prior import building_demand

    b = pd.DataFrame({"footprint_m2": [100.0, 300.0, 500.0], "use": ["house", "unknown", "commercial"]})
    own, scaled = building_demand(b, 150.0), building_demand(b, 150.0, population=40.0)
    assert scaled["people"].sum() == pytest.approx(40.0)
    assert scaled["people"].iloc[1] == pytest.approx(3 * scaled["people"].iloc[0])  # shared by floor area
    assert scaled["demand_m3_day"].iloc[0] == pytest.approx(scaled["people"].iloc[0] * 0.150)
    assert scaled["demand_m3_day"].iloc[2] == own["demand_m3_day"].iloc[2] > 0  # not households: per m²
    assert building_demand(b, 150.0, population=None)["people"].equals(own["people"])  # none: the prior's own count
    with pytest.raises(ValueError, match="population: no housing"):
        building_demand(b.iloc[[2]], 150.0, population=40.0)


def test_a_break_with_the_population_given_counts_people_out_of_it(seed_territory, prior):
    """The same break, the territory's population given: the people the network serves are that
    population's share within reach of a pipe, the counts scale with them, and the note says so."""
    own = PipeBreak(broken_street="Avenue Jean Burel").run(seed_territory)
    given = PipeBreak(broken_street="Avenue Jean Burel", population=2000).run(seed_territory)
    name = str(own.data.variant.values[1])
    served_share = prior.buildings.dropna(subset=["junction"])["people"].sum() / prior.buildings["people"].sum()
    assert "the population given (2,000) shared by floor area" in given.data.attrs["people"]
    assert f"{2000 * served_share:,.0f} people on the network in all" in given.data.attrs["people"]
    assert "give it as population" in own.data.attrs["people"]
    # the people left dry are the scaled people of the junctions left dry (which junctions may change:
    # the prior's mains are sized for the demand they carry)
    homes = given.table("buildings_without_water")
    assert len(homes) > 0
    assert given.value("people_without_water", name) == pytest.approx(homes["people"].sum())
    scale = 2000 / prior.buildings["people"].sum()
    own_people = prior.buildings.set_index("building")["people"]
    assert homes["people"].to_numpy() == pytest.approx(scale * own_people.loc[homes["building_id"]].to_numpy())


def test_population_is_refused_beside_a_network_file(tmp_path):
    """An EPANET file carries its demands: a population beside it would change nothing, said nothing."""
    from twin.scenarios.base import ScenarioError
    from twin.scenarios.water_meters import DistrictMeters
    from twin.scenarios.water_pressure import PressureManagement

    (tmp_path / "net.inp").write_text(reference_file("water/epanet_networks/Net1.inp").read_text())
    for cls in (PipeBreak, PressureManagement, DistrictMeters):
        with pytest.raises(ScenarioError, match="population is read only with network_file"):
            cls.from_dict({"family": cls.family, "network_file": "net.inp", "population": 1700}, base_dir=tmp_path)
        assert cls.from_dict({"family": cls.family, "population": 1700}).population == 1700


def test_a_break_s_times_are_said_on_the_clock(seed_territory):
    """The report read « Casse (s depuis le début) : 21600 »: the break, the isolation and the water's return
    are said on the network's clock, a day later marked."""
    from twin.app.run_details import detail_rows
    from twin.scenarios.water_break import clock_text

    assert clock_text(21_600) == "06:00" and clock_text(36_000, 64_800) == "04:00 +1 d"
    out = PipeBreak(broken_street="Rue des Moulins", break_time="18:00", isolation_delay_h=2, repair_h=8) \
        .run(seed_territory)
    rows = dict(detail_rows(dict(out.data.attrs), "fr")[0])
    assert rows["Heure de la casse"] == "18:00" and rows["Heure de l'isolement (vannes fermées)"] == "20:00"
    assert rows["Heure de la remise en eau"] == "04:00 +1 j"
    assert not any("(s" in label for label in rows)  # no seconds from the start left


def test_a_pressure_that_leaves_customers_under_service_pressure_says_so_above_its_payback(seed_territory):
    """A night at 10 m left every customer under the service pressure five hours a night and read « se
    rembourse » in green: the cards say how many more people·h a day, and nothing for 30 m."""
    from types import SimpleNamespace

    from twin.app.builder_run import low_pressure_part
    from twin.app.variants import outcome_rows
    from twin.scenarios.water_pressure import PressureManagement

    page = SimpleNamespace(lang="fr")
    low = PressureManagement(night_pressure_m=10.0).run(seed_territory)
    added = low.value("people_hours_low_pressure_per_day", low.first_variant) - low.value(
        "people_hours_low_pressure_per_day")
    assert added > 1000
    note = low_pressure_part(page, outcome_rows(low), low, "")
    assert "personnes·h par jour de plus" in note and "pression de service (20 m)" in note
    fine = PressureManagement(night_pressure_m=30.0).run(seed_territory)
    assert low_pressure_part(page, outcome_rows(fine), fine, "") == ""


@pytest.mark.parametrize("typed,read", [("18h30", "18:30"), ("6 h", "06:00"), ("18:30", "18:30")])
def test_a_break_time_typed_the_french_way_is_read(typed, read):
    """« 18h30 » was refused: « n'est pas une heure (attendu HH:MM) »."""
    assert PipeBreak(break_time=typed, broken_street="Rue des Moulins").break_time == read


def test_a_street_shut_between_two_valves_leaves_its_homes_dry(seed_territory, prior):
    """A 48 h repair on a short street whose two ends stay fed: « 0 personne privée d'eau » — the homes were
    served by the pipe's ends, still fed, though their own pipe was shut. Those tapped on the shut segment
    are dry for the whole repair; their hours count; none of them is « en pression basse »."""
    import numpy as np

    short = []
    for p in prior.wn.pipe_name_list:
        homes = prior.buildings[(prior.buildings["pipe"] == p) & prior.buildings["junction"].notna()]
        if len(homes) and p != "P0000":
            short.append((prior.wn.get_link(p).length, p, float(homes["people"].sum())))
    _, pipe, on_it = min(short)
    out = PipeBreak(broken_pipe=pipe, repair_h=48.0, valves_missing_per_node=0).run(seed_territory)
    name = str(out.data.variant.values[1])
    homes = out.table("buildings_without_water")
    mine = homes[homes["building_id"].isin(prior.buildings.loc[prior.buildings["pipe"] == pipe, "building"])]
    assert len(mine) and (mine["hours_without_water"] >= 48.0 - 1e-9).all()
    assert out.value("people_without_water", name) >= on_it > 0
    assert out.value("people_hours_without_water", name) >= 48.0 * on_it - 1e-6
    assert np.isclose(out.value("people_without_water", name), homes["people"].sum())
    shut = out.table("water_pipes").set_index("pipe")
    assert shut.at[pipe, "hours_without_water"] >= 48.0
    # the water they would have drawn is not served either (it was left out of that KPI)
    drawn = prior.buildings.loc[(prior.buildings["pipe"] == pipe) & prior.buildings["junction"].notna(), "demand_m3_day"]
    assert out.value("demand_not_served_m3", name) >= drawn.sum() * 48.0 / 24.0 * 0.99


def test_the_leak_chart_holds_each_step_and_reads_the_crew_s_clock(seed_territory):
    """The outflow joined by lines rose half an hour before the break, on an axis of « heures depuis le début
    de la simulation »: each step's value held until the next, the axis on the network's clock."""
    from bokeh.models import Step

    from twin.app.views import water

    out = PipeBreak(broken_street="Rue des Moulins", break_time="18:00").run(seed_territory)
    assert water.clock_offset_h(out.data.attrs) == pytest.approx(
        (18 - float(out.data.attrs["break_s"]) / 3600) % 24)
    fig = water.figure_for(out, "fr")
    assert any(isinstance(r.glyph, Step) and r.glyph.mode == "after" for r in fig.renderers)
    labels = fig.xaxis[0].major_label_overrides
    assert labels and "18 h" in labels.values() and fig.xaxis[0].axis_label.startswith("heure")
    assert water.clock_label(26.5, "fr") == "2 h 30 +1 j" and water.clock_label(26.5, "en") == "02:30 +1 d"
    assert water.clock_offset_h({"break_s": 3600}) is None  # no clock time: hours from the start, as before


def test_a_school_on_the_shut_pipe_is_a_sensitive_site_without_water(seed_territory, prior):
    """A school tapped on the shut segment was in the list of buildings to warn while the card said « 0 site
    sans eau »: the sites follow their building's pipe too."""
    pipe_of = dict(zip(prior.buildings["building"], prior.buildings["pipe"], strict=True))
    on_pipe = [(site, pipe_of.get(b)) for site, b in zip(prior.sensitive["site"], prior.sensitive["building"],
                                                          strict=True) if pipe_of.get(b)]
    if not on_pipe:
        pytest.skip("no sensitive site tapped on a pipe in this territory")
    site, pipe = on_pipe[0]
    out = PipeBreak(broken_pipe=pipe, repair_h=12.0, valves_missing_per_node=0).run(seed_territory)
    name = str(out.data.variant.values[1])
    sites = out.table("sensitive_sites").set_index("site")
    assert sites.at[site, "hours_without_water"] >= 12.0 - 1e-9
    assert out.value("sensitive_sites_without_water", name) >= 1


@pytest.mark.parametrize("street", ["Grande Rue", "Rue des Moulins"])
def test_the_list_of_who_to_warn_adds_up_to_the_figures(seed_territory, street):
    """The KPIs added a junction's dry hours and the repair's, the list of buildings took the longer of the two:
    a building dry 2 h while the break leaked, then 6 h for the repair, said 6 h in the list and 8 h in the
    figure. The list's people and people × hours are the cards'."""
    out = PipeBreak(broken_street=street).run(seed_territory)
    homes = out.table("buildings_without_water")
    name = out.first_variant
    assert homes["people"].sum() == pytest.approx(out.value("people_without_water", name), rel=1e-9)
    assert (homes["people"] * homes["hours_without_water"]).sum() == \
        pytest.approx(out.value("people_hours_without_water", name), rel=1e-9)
