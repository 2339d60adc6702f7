"""Drinking water (issue 22): EPANET files read, EPANET's results reproduced, isolation segments from
the valves' topology, a main break simulated pressure-driven, the CLI.

Validity: ``net1.out`` is EPANET's own published output (OpenWaterAnalytics/EPANET's test data).
The break checks are consistency checks between two computations of ours (the segments' topology
and WNTR's pressure-driven run) plus a hand-checked network."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from tests.conftest import reference_file
from twin.models.water_segments import isolate, nodes_without_source, segments


@pytest.fixture(scope="module")
def ltown():
    return reference_file("water/battledim_2018/L-TOWN.inp")


def test_net1_reproduces_epanets_published_output(tmp_path):
    """EPANET run through our reader equals ``net1.out``: pressures within 1e-3 m, flows within 1e-6 m³/s."""
    import wntr

    from twin.sources.epanet import read_network

    inp = reference_file("water/epanet_reference/net1.inp")
    out = reference_file("water/epanet_reference/net1.out")
    wn = read_network(inp)
    mine = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "net1"))  # its files: not in the checkout
    ref = wntr.epanet.io.BinFile().read(str(out))
    for kind, table, tol in (("node", "pressure", 1e-3), ("node", "head", 1e-3), ("link", "flowrate", 1e-6)):
        a = getattr(mine, kind)[table]
        b = getattr(ref, kind)[table][a.columns]
        assert a.shape == b.shape == (25, a.shape[1])
        assert np.abs(a.to_numpy() - b.to_numpy()).max() < tol, table


def test_pressure_driven_run_agrees_with_epanet_on_net3(tmp_path):
    """WNTR's pressure-driven solver (what breaks run on) and EPANET 2.2's on Net3, a day at 1 h: pressures
    within 1e-3 m and delivered demands within 1e-6 m³/s; flows within 1e-4 m³/s (3e-5 measured: EPANET stops
    at a relative flow change of 1e-3, WNTR at its own residual)."""
    import wntr

    from twin.models import water_hydraulics as wh
    from twin.sources.epanet import read_network

    wn = read_network(reference_file("water/epanet_networks/Net3.inp"))
    timing = wh.Timing(0, 0, 0, 24 * 3600, 3600)
    mine = wh.run(wn, timing, required_pressure_m=20.0)
    epanet = wntr.sim.EpanetSimulator(wh.prepared(wn, timing, 20.0, 0.0)).run_sim(file_prefix=str(tmp_path / "net3"))
    nodes = mine.pressure.columns
    assert (mine.pressure < 20).to_numpy().any()  # some nodes really run pressure-driven (Net3 at 20 m)
    steps = mine.pressure.index  # [0, 24 h): the report at 24 h closes the day
    assert len(steps) == 24
    assert np.abs(epanet.node["pressure"].loc[steps, nodes].to_numpy() - mine.pressure.to_numpy()).max() < 1e-3
    assert np.abs(epanet.node["demand"].loc[steps, nodes].to_numpy() - mine.demand.to_numpy()).max() < 1e-6
    net = wh.prepared(wn, timing, 20.0, 0.0)
    flows = wntr.sim.WNTRSimulator(net).run_sim().link["flowrate"]
    assert np.abs(epanet.link["flowrate"].to_numpy() - flows[epanet.link["flowrate"].columns].to_numpy()).max() < 1e-4


# A hand-checkable network: R feeds A; A-B-C in line, C-D and D-A close a loop, B-E a dead end.
#
#   R --r-- A --ab-- B --bc-- C
#           |        |        |
#           +--da-- D --cd----+      B --be-- E
NODES = ["R", "A", "B", "C", "D", "E"]
LINKS = [("r", "R", "A"), ("ab", "A", "B"), ("bc", "B", "C"), ("cd", "C", "D"), ("da", "D", "A"), ("be", "B", "E")]


def test_segments_follow_the_valves():
    """Valves on ab next to A and on bc next to C, on be next to B: {ab, B, bc} is one segment with E's
    pipe cut off by its valve; {be, E} another; the rest (R, A, C, D and their pipes) a third."""
    valves = [("ab", "A"), ("bc", "C"), ("be", "B")]
    seg = segments(NODES, LINKS, valves)
    assert seg.link["ab"] == seg.link["bc"] == seg.node["B"]
    assert seg.link["be"] == seg.node["E"] != seg.node["B"]
    assert len({seg.node[n] for n in ("R", "A", "C", "D")} | {seg.link[k] for k in ("r", "cd", "da")}) == 1
    assert seg.count == 3
    plan = isolate("ab", NODES, LINKS, valves, sources=["R"])
    assert plan.valves_to_close == (("ab", "A"), ("bc", "C"), ("be", "B"))
    assert set(plan.nodes) == {"B"} and set(plan.links) == {"ab", "bc"}
    assert set(plan.links_to_close) == {"ab", "bc", "be"}
    assert plan.nodes_without_source == ("B", "E")  # E is not in the segment but only B fed it


def test_no_valve_means_the_whole_network_is_one_segment():
    seg = segments(NODES, LINKS, [])
    assert seg.count == 1
    plan = isolate("cd", NODES, LINKS, [], sources=["R"])
    assert plan.nodes_without_source == ("A", "B", "C", "D", "E")  # everything but the reservoir


def test_cut_off_ignores_links_already_closed_before_the_break():
    assert nodes_without_source(NODES, LINKS, ["R"], closed=["r"]) == {"A", "B", "C", "D", "E"}
    plan = isolate("be", NODES, LINKS, [("be", "B")], sources=["R"], already_closed=["da"])
    assert plan.nodes_without_source == ("E",)


def test_a_valve_not_at_its_links_end_is_refused():
    with pytest.raises(ValueError, match="'ab' next to node 'D'"):
        segments(NODES, LINKS, [("ab", "D")])
    with pytest.raises(ValueError, match="no such link"):
        segments(NODES, LINKS, [("zz", "A")])


@pytest.fixture(scope="module")
def ltown_break(ltown):
    from twin.scenarios.water_break import PipeBreak

    scenario = PipeBreak(network_file=str(ltown), broken_pipe="p11", valves_missing_per_node=2, valve_seed=1,
                         sensitive_sites={"École": "n2", "Mairie": "n100"})
    return scenario, scenario.run()


def test_a_break_on_l_town_cuts_off_what_the_valves_isolate(ltown_break):
    """The junctions the pressure-driven run leaves dry are exactly those the valves' topology cuts off from
    every source, dry for the whole repair (6 h); the others keep water."""
    import wntr

    from twin.sources.epanet import read_network

    scenario, out = ltown_break
    wn = read_network(scenario.network_file)
    valves, origin = scenario.valves(wn)
    assert origin.startswith("SYNTHETIC")
    links = [(n, wn.get_link(n).start_node_name, wn.get_link(n).end_node_name) for n in wn.link_name_list]
    plan = isolate("p11", wn.node_name_list, links, valves, wn.tank_name_list + wn.reservoir_name_list)
    dry = out.table("nodes_without_water")
    junctions = set(plan.nodes_without_source) & set(wn.junction_name_list)
    wn.options.time.duration = 86_400  # the simulated day, not the file's week
    expected = wntr.metrics.expected_demand(wn)
    with_demand = {n for n in junctions if expected[n].sum() > 0}
    assert set(dry["node"]) == with_demand and len(with_demand) >= 5
    assert (dry["hours_without_water"] == scenario.repair_h).all()
    name = "Casse p11"
    assert out.value("people_without_water", name) == pytest.approx(dry["people"].sum())
    assert out.value("people_hours_without_water", name) == pytest.approx((dry["people"] * 6).sum())
    assert out.value("people_without_water", "baseline") == 0
    assert out.value("sensitive_sites_without_water", name) == 1  # the school at n2; the town hall at n100 keeps water
    assert list(out.table("valves_to_close")[["link", "node"]].itertuples(index=False, name=None)) == \
        list(plan.valves_to_close)
    # an EPANET file's coordinates are in no known frame: no longitude nor latitude made up from them
    assert "lon" not in out.table("valves_to_close")


def test_the_break_spills_what_an_orifice_at_its_pressure_would(ltown_break):
    """Water lost = Cd·A·√(2 g p) over the two hours before isolation, with p above 1 m and below the lowest
    pressure of the pipe's ends over the day without the break (a break this size lowers the pressure around it: ~7 m here)."""
    from twin.models.water_hydraulics import DISCHARGE_COEFF
    from twin.sources.epanet import read_network

    scenario, out = ltown_break
    wn = read_network(scenario.network_file)
    pipe = wn.get_link("p11")
    area = 0.5 * math.pi * pipe.diameter ** 2 / 4
    nodes = out.table("water_nodes").query("variant == 'baseline'").set_index("node")
    p_intact = max(nodes.at[pipe.start_node_name, "min_pressure_m"], nodes.at[pipe.end_node_name, "min_pressure_m"])
    orifice = lambda p: DISCHARGE_COEFF * area * math.sqrt(2 * 9.81 * p) * 2 * 3600  # noqa: E731
    lost = out.value("water_lost_m3", "Casse p11")
    assert orifice(1.0) < lost < orifice(p_intact)
    assert out.value("water_lost_cost_eur", "Casse p11") == pytest.approx(0.8 * lost)
    assert out.value("water_lost_m3", "baseline") == 0


def test_both_engines_give_the_same_break(ltown, ltown_break):
    """EPANET 2.2 (the default: the leak an emitter behind a timed link) and WNTR's Python solver (its leak
    model) on L-Town's p11 break: the same junctions dry for the same hours, the same people, water
    lost within 1 %, demand not served within 3 %."""
    from twin.scenarios.water_break import PipeBreak

    scenario, epanet = ltown_break
    assert scenario.engine == "epanet"
    wntr_out = PipeBreak(**{**scenario.param.values(), "name": None, "engine": "wntr"}).run()
    a = epanet.table("water_nodes").set_index(["variant", "node"])
    b = wntr_out.table("water_nodes").set_index(["variant", "node"])
    assert a["hours_without_water"].equals(b["hours_without_water"])
    for kpi in ("people_without_water", "people_hours_without_water", "people_low_pressure"):
        assert epanet.value(kpi, "Casse p11") == pytest.approx(wntr_out.value(kpi, "Casse p11"), rel=1e-9)
    assert epanet.value("water_lost_m3", "Casse p11") == pytest.approx(wntr_out.value("water_lost_m3", "Casse p11"),
                                                                       rel=0.01)
    assert epanet.value("demand_not_served_m3", "Casse p11") == pytest.approx(
        wntr_out.value("demand_not_served_m3", "Casse p11"), rel=0.03)


def test_planned_works_on_a_hand_drawn_line(tmp_path):
    """R — J1 — J3 — J2 with a valve on P2 next to J3: works on P2 (no leak, shut at once for 4 h) leave J2,
    and only J2, dry for exactly 4 h; nothing is spilt; J1 keeps its pressure."""
    import wntr

    from twin.scenarios.water_break import PipeBreak

    wn, _, _ = _little_town()
    wntr.network.write_inpfile(wn, str(tmp_path / "line.inp"))
    (tmp_path / "valves.csv").write_text("link,node\nP2,J3\n")
    out = PipeBreak(network_file=str(tmp_path / "line.inp"), broken_pipe="P2", valves_file=str(tmp_path / "valves.csv"),
                    break_area_share=0.0, isolation_delay_h=0.0, repair_h=4.0, step_min=60).run()
    dry = out.table("nodes_without_water")
    assert dry["node"].tolist() == ["J2"] and dry["hours_without_water"].tolist() == [4.0]
    assert out.value("water_lost_m3", "Casse P2") == 0
    assert out.table("valves_to_close").to_dict("records") == [{"link": "P2", "node": "J3", "street": "",
                                                                "crossing": ""}]
    nodes = out.table("water_nodes").set_index(["variant", "node"])
    assert nodes.at[("Casse P2", "J1"), "hours_without_water"] == 0
    assert nodes.at[("Casse P2", "J1"), "min_pressure_m"] == pytest.approx(nodes.at[("baseline", "J1"), "min_pressure_m"], abs=0.5)


def test_a_repair_ending_after_100_h_ends_on_its_step_on_both_engines(tmp_path):
    """EPANET reads its timed controls from the file WNTR writes in decimal hours (six digits): a
    repair ending at 101 h 16 min (364,560 s) came back 1.2 s late, one 7-min step too late. The
    controls are now written as hh:mm:ss: J2 is dry exactly as long as the works on both engines."""
    import wntr

    from twin.models.water_hydraulics import _exact_times
    from twin.scenarios.water_break import PipeBreak

    assert _exact_times("LINK P2 OPEN AT TIME 101.267\n", 420) == "LINK P2 OPEN AT TIME 101:16:00\n"
    assert _exact_times("LINK P9 CLOSED AT TIME 3.5\n", 420) == "LINK P9 CLOSED AT TIME 3:30:00\n"
    wn, _, _ = _little_town()
    wntr.network.write_inpfile(wn, str(tmp_path / "line.inp"))
    (tmp_path / "valves.csv").write_text("link,node\nP2,J3\n")
    hours = {}
    for engine in ("epanet", "wntr"):
        out = PipeBreak(network_file=str(tmp_path / "line.inp"), broken_pipe="P2", valves_file=str(tmp_path / "valves.csv"),
                        break_area_share=0.0, isolation_delay_h=0.0, break_time="06:00", repair_h=95.2, horizon_h=110.0,
                        step_min=7, engine=engine).run()
        assert int(out.data.attrs["restored_s"]) == 364_560
        hours[engine] = out.table("nodes_without_water").set_index("node")["hours_without_water"].to_dict()
    assert hours["epanet"] == hours["wntr"] == {"J2": pytest.approx((364_560 - 21_840) / 3600)}


def test_a_file_with_its_own_emitters_is_refused_by_epanet_with_the_way_out(tmp_path):
    import wntr

    from twin.scenarios.base import ScenarioError
    from twin.scenarios.water_break import PipeBreak

    wn, _, _ = _little_town()
    wn.get_node("J1").emitter_coefficient = 1e-4
    wntr.network.write_inpfile(wn, str(tmp_path / "leaky.inp"))
    with pytest.raises(ScenarioError, match="emitters .* engine 'wntr'"):
        PipeBreak(network_file=str(tmp_path / "leaky.inp"), broken_pipe="P2", repair_h=4.0).run()


@pytest.mark.parametrize("values, message", [
    ({"broken_pipe": "nope"}, "'nope' is not a pipe"),
    ({"broken_pipe": "112", "sensitive_sites": {"Hôpital": "zz"}}, "'zz' is not a junction"),
    ({"broken_pipe": "112", "break_time": "25:00"}, "expected HH:MM"),
])
def test_bad_break_parameters_are_named(values, message):
    from twin.scenarios.base import ScenarioError
    from twin.scenarios.water_break import PipeBreak

    with pytest.raises(ScenarioError, match=message):
        PipeBreak(network_file=str(reference_file("water/epanet_networks/Net3.inp")), **values).run()


def test_a_repair_that_outlasts_the_period_is_simulated_to_its_end():
    """A break at 18:00 with 2 h to isolate and 6 h of repair ends at 02:00 the next day: the default 24 h
    were refused (in English, on the page); the period now runs until the water is back and 2 h after."""
    from twin.scenarios.water_break import PipeBreak

    out = PipeBreak(network_file=str(reference_file("water/epanet_networks/Net1.inp")), broken_pipe="12",
                    break_time="18:00").run()
    attrs = out.data.attrs
    assert float(attrs["restored_s"]) == 26 * 3600 and float(attrs["simulated_h"]) == 28.0
    assert PipeBreak()._timing(1800).end_s == 24 * 3600  # a repair within the day: the period asked
    name = str(out.data.variant.values[1])
    assert out.value("water_lost_m3", name) > 0  # the break leaked until 20:00


def test_bad_files_are_named(tmp_path):
    from twin.sources.epanet import NetworkFileError, read_network, read_valves

    bad = tmp_path / "bad.inp"
    bad.write_text("[JUNCTIONS]\nJ1 abc 3\n[END]\n")
    with pytest.raises(NetworkFileError, match="bad.inp: not a readable EPANET input file"):
        read_network(bad)
    with pytest.raises(NetworkFileError, match="no such file"):
        read_network(tmp_path / "missing.inp")
    wn = read_network(reference_file("water/epanet_networks/Net3.inp"))
    valves = tmp_path / "valves.csv"
    valves.write_text("link,node\n112,111\n112,999\n")
    with pytest.raises(NetworkFileError, match=r"valves.csv, line 3: node '999' is not an end of link '112'"):
        read_valves(valves, wn)
    valves.write_text("pipe,node\n")
    with pytest.raises(NetworkFileError, match="missing column"):
        read_valves(valves, wn)


def test_cli_info_and_run(tmp_path, capsys):
    import shutil

    from twin.cli import main

    net = tmp_path / "Net3.inp"
    shutil.copy(reference_file("water/epanet_networks/Net3.inp"), net)
    assert main(["water", "info", str(net), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["junctions"], info["pipes"], info["tanks"], info["reservoirs"], info["pumps"]) == (92, 117, 3, 2, 2)
    (tmp_path / "valves.csv").write_text("link,node\n112,111\n112,115\n")
    spec = tmp_path / "break.json"
    spec.write_text(json.dumps({"family": "water-break", "network_file": "Net3.inp", "broken_pipe": "112",
                                "valves_file": "valves.csv"}))
    assert main(["water", "run", str(spec), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valves"] == f"file {tmp_path / 'valves.csv'}"
    assert {(v["link"], v["node"]) for v in out["valves_to_close"]} == {("112", "111"), ("112", "115")}
    assert {row["kpi"] for row in out["kpis"]} >= {"people_without_water", "water_lost_m3", "water_lost_cost_eur"}
    spec.write_text(json.dumps({"family": "lighting"}))
    assert main(["water", "run", str(spec)]) == 1
    assert "expected a scenario of family 'water-break' or 'water-pressure' or 'water-meters'" in \
        capsys.readouterr().err


def test_a_step_shorter_than_the_pattern_step_keeps_the_days_pattern():
    """Net3's patterns change every hour; a run at 30 min must draw, at each hour, the file's demand (a shrunk
    pattern step once ran the day's pattern twice a day)."""
    import wntr

    from twin.models import water_hydraulics as wh
    from twin.sources.epanet import read_network

    wn = read_network(reference_file("water/epanet_networks/Net3.inp"))
    mine = wh.run(wn, wh.Timing(0, 0, 0, 24 * 3600, 1800), required_pressure_m=20.0)
    hours = mine.expected.index[mine.expected.index % 3600 == 0]
    wn.options.time.duration = 23 * 3600
    file_demand = wntr.metrics.expected_demand(wn)[mine.expected.columns]
    assert np.allclose(mine.expected.loc[hours].to_numpy(), file_demand.loc[hours].to_numpy())
    assert mine.expected["15"].loc[hours].nunique() > 2  # a pattern that really varies


def test_works_leave_a_shut_valve_shut_and_a_controlled_pump_to_its_controls():
    from twin.models import water_hydraulics as wh
    from twin.sources.epanet import read_network

    import wntr

    wn = read_network(reference_file("water/epanet_networks/Net3.inp"))
    wn.get_link("105").initial_status = wntr.network.LinkStatus.Closed  # a boundary valve kept shut
    assert {str(wn.get_link(n).initial_status) for n in ("330", "10")} == {"Closed"}  # both run by controls
    net, _ = wh.with_event(wn, wh.Timing(0, 3600, 7200, 10800, 3600), required_pressure_m=20.0,
                           links_to_close=("330", "10", "101", "105"))
    ours = [name for name, _ in net.controls() if name.startswith("twin_")]
    # shut for the works; after them, the pump and the bypass go back to their controls, 105 stays shut
    assert sorted(ours) == ["twin_isolate_10", "twin_isolate_101", "twin_isolate_330", "twin_restore_101"]


def test_a_repair_that_ends_at_the_horizon_counts_its_hours_exactly(ltown):
    """Break 06:00, isolated 2 h later, 16 h of repair, a 24 h horizon: dry for 16 h, not 16.5 (the run's
    closing report is not a step)."""
    from twin.scenarios.water_break import PipeBreak

    out = PipeBreak(network_file=str(ltown), broken_pipe="p11", valves_missing_per_node=2, valve_seed=1,
                    repair_h=16.0).run()
    assert set(out.table("nodes_without_water")["hours_without_water"]) == {16.0}


def _little_town():
    """A reservoir and three junctions in Lambert-93 near Redon: J1 (demand), J2 (demand) 200 m east of it,
    J3 without demand."""
    import wntr

    wn = wntr.network.WaterNetworkModel()
    x0, y0 = 330_000.0, 6_745_000.0
    wn.add_reservoir("R", base_head=60.0, coordinates=(x0 - 100, y0))
    wn.add_junction("J1", base_demand=0.001, elevation=10.0, coordinates=(x0, y0))
    wn.add_junction("J2", base_demand=0.001, elevation=10.0, coordinates=(x0 + 200, y0))
    wn.add_junction("J3", base_demand=0.0, elevation=10.0, coordinates=(x0 + 100, y0 + 10))
    wn.add_pipe("P0", "R", "J1", length=100, diameter=0.2, roughness=100)
    wn.add_pipe("P1", "J1", "J3", length=100, diameter=0.15, roughness=100)
    wn.add_pipe("P2", "J3", "J2", length=100, diameter=0.15, roughness=100)
    return wn, x0, y0


def test_buildings_are_served_by_their_nearest_demand_junction():
    import geopandas as gpd
    from shapely.geometry import box

    from twin.territory.water_network import network_layers, serving_junctions

    wn, x0, y0 = _little_town()
    layers = network_layers(wn, crs="EPSG:2154", to_crs="EPSG:2154")
    assert len(layers["junctions"]) == 3 and len(layers["pipes"]) == 3 and layers["pipes"].crs == "EPSG:2154"
    buildings = gpd.GeoDataFrame({"id": ["b1", "b2", "b3", "far"]}, crs="EPSG:2154", geometry=[
        box(x0 + 10, y0 + 10, x0 + 20, y0 + 20),      # by J1
        box(x0 + 185, y0 - 20, x0 + 195, y0 - 10),    # by J2
        box(x0 + 95, y0 + 15, x0 + 105, y0 + 25),     # by J3, which has no demand: J1 or J2 serves it
        box(x0 + 1000, y0, x0 + 1010, y0 + 10)])      # beyond 150 m of any junction
    served = serving_junctions(layers["junctions"], buildings).set_index("building")
    assert served.at["b1", "junction"] == "J1" and served.at["b2", "junction"] == "J2"
    assert served.at["b3", "junction"] in ("J1", "J2") and served.at["far", "junction"] is None
    assert len(served) == 4  # nothing dropped
    with pytest.raises(ValueError, match="must share a projected CRS"):
        serving_junctions(layers["junctions"], buildings.to_crs("EPSG:4326"))


def test_cli_info_places_a_network_given_its_crs(tmp_path, capsys):
    import wntr

    from twin.cli import main

    wn, _, _ = _little_town()
    wntr.network.write_inpfile(wn, str(tmp_path / "town.inp"))
    assert main(["water", "info", str(tmp_path / "town.inp"), "--crs", "EPSG:2154", "--json"]) == 0
    extent = json.loads(capsys.readouterr().out)["extent_wgs84"]
    assert -2.0 < extent["west"] < extent["east"] < -1.9 and 47.6 < extent["south"] <= extent["north"] < 47.8  # by Redon
    assert main(["water", "info", str(tmp_path / "town.inp"), "--crs", "EPSG:nope"]) == 1
    assert "not a CRS pyproj knows" in capsys.readouterr().err


def test_people_without_water_are_not_counted_out_of_low_pressure():
    """The break of the tower's feed (all 5 532 people without water, so none « en pression basse ») was
    marked the best on « personnes en pression basse » against a break leaving 112 people dry: the low
    pressure leaves out the people without water, so its fall is no verdict and no best."""
    from twin.app.cards import STRANDED_KPIS, judge, stranded
    from twin.app.report import _row_best
    from twin.app.variants import outcome_rows
    from twin.outcome import Outcome
    from twin.scenarios.water_break import KPIS

    zeros = {k.name: 0.0 for k in KPIS}
    out = Outcome.from_values("water-break", KPIS, {
        "baseline": {**zeros, "people_low_pressure": 300.0},
        "tower": {**zeros, "people_without_water": 5532.0, "people_low_pressure": 0.0},
        "street": {**zeros, "people_without_water": 112.0, "people_low_pressure": 4950.0}})
    assert STRANDED_KPIS["people_without_water"] == ("people_low_pressure",)
    rows = outcome_rows(out)
    low = {r["variant"]: r for r in rows if r["kpi"] == "people_low_pressure"}
    assert low["tower"]["better"] is None and judge(low["tower"], stranded(rows, "tower")) == ""

    class Saved:
        attrs: dict = {}

    marks, _ = _row_best("people_low_pressure", low["baseline"], [low["tower"], low["street"]], [Saved(), Saved()],
                         True, [stranded(rows, "tower"), stranded(rows, "street")], "fr")
    assert not any(marks)


def test_a_junction_dry_before_the_repair_adds_the_repair_s_hours():
    """A building tapped on the shut pipe, its junction dry 2 h while the break leaked (before the valves were
    closed) and watered again during a 6 h repair: dry 2 + 6 = 8 h, not max(2, 6) = 6 h. A junction dry for
    the repair itself counts it once."""
    from types import SimpleNamespace

    import pandas as pd

    from twin.scenarios.water_break import PipeBreak

    nodes = pd.DataFrame({"node": ["J1", "J2"], "people": [10.0, 5.0], "hours_without_water": [2.0, 6.0],
                          "hours_dry_while_shut": [0.0, 6.0], "hours_low_pressure": [0.0, 0.0],
                          "min_pressure_m": [0.0, 0.0], "not_served_m3": [0.0, 0.0]})
    on_shut = pd.DataFrame({"junction": ["J1", "J2"], "people": [10.0, 5.0]})
    h = SimpleNamespace(leak=pd.Series([0.0]), step_s=3600)
    kpis = PipeBreak()._kpis(nodes, h, {}, on_shut, shut_h=6.0)
    assert kpis["people_hours_without_water"] == pytest.approx(10 * (2 + 6) + 5 * 6)
    assert kpis["people_without_water"] == 15
