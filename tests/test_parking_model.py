"""The parking-search agents (issue 23): conservation at every step, one car per space, same seed same
result, the occupancy–search-time curve of agent-based parking research, and the scenario's changes
acting the way they must."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from twin.models.parking import ParkingModel
from twin.scenarios.base import ScenarioError
from twin.scenarios.parking import ParkingSearch
from twin.synthetic.parking_grid import grid_town


def test_every_driver_is_accounted_for_at_every_step():
    supply, demand = grid_town(n=8, arrivals_per_hour=900, spaces_per_kerb=4)
    m = ParkingModel(supply, demand, seed=3, start_h=7, end_h=10, occupancy_start=0.5)
    m.run(check=True)  # check() after each step: drivers conserved, counts equal the cars, none above spaces
    c = m.counts()
    assert c["arrived"] > 2000 and c["gave_up"] > 0 and c["left"] > 0  # the rules were exercised, full kerbs too
    assert (m.occupied <= supply.spaces).all()


def test_check_catches_a_lost_driver():
    supply, demand = grid_town(n=6, arrivals_per_hour=300)
    m = ParkingModel(supply, demand, seed=1, start_h=8, end_h=8.5)
    m.run()
    m.arrived += 1
    with pytest.raises(AssertionError, match="not conserved"):
        m.check()


def test_same_seed_same_result_other_seed_other_result():
    supply, demand = grid_town(n=8, arrivals_per_hour=1200, spaces_per_kerb=4)

    def run(seed):
        m = ParkingModel(supply, demand, seed=seed, start_h=8, end_h=10, occupancy_start=0.6).run()
        return m.results(), m.cruised_on.copy()

    a, b, c = run(5), run(5), run(6)
    assert a[0] == b[0] and np.array_equal(a[1], b[1])
    assert a[0] != c[0]


def test_search_time_stays_low_then_rises_sharply_with_occupancy():
    """Levy, Martens & Benenson (2013): on a uniform grid, mean search time stays low below about 85 %
    occupancy and rises sharply above about 90–92 %. A sweep of demand on the SYNTHETIC grid town."""
    points = []
    for rate in (1000, 1800, 2200):
        supply, demand = grid_town(n=12, arrivals_per_hour=rate, margin=0)
        m = ParkingModel(supply, demand, seed=1, start_h=0, end_h=3)
        m.run()
        before, t0 = m.occupied_s.copy(), m.time_s
        m.end_s = 6 * 3600
        m.run()
        occupancy = float(((m.occupied_s - before) / (m.time_s - t0)).sum() / supply.spaces.sum())
        search = [d[1] / 60 for d in m.done if d[0] >= 3 * 3600 and d[4] == "left"]
        points.append((occupancy, float(np.mean(search))))
    (o_low, s_low), (o_mid, s_mid), (o_high, s_high) = points
    assert o_low < 0.6 and 0.75 < o_mid < 0.88 and o_high > 0.94, points
    assert s_low < 0.05 and s_mid < 0.3, points  # low below ~85 % (minutes lost beyond a straight drive)
    assert s_high > 0.5 and s_high > 5 * s_mid, points  # sharp above ~92 %


def test_a_variant_meets_the_same_drivers_as_its_baseline():
    """Common random numbers: who arrives, when, where to, from where, for how long and at what price does
    not depend on the supply (a car park closed, a street's spaces removed, prices)."""
    from dataclasses import replace

    supply, demand = grid_town(n=8, arrivals_per_hour=1500, spaces_per_kerb=4)
    spaces = supply.spaces.copy()
    spaces[:10] = 0
    changed = replace(supply, spaces=spaces, price_eur_h=np.full(len(spaces), 1.0))
    a = ParkingModel(supply, demand, seed=4, start_h=8, end_h=10, occupancy_start=0.5).run()
    b = ParkingModel(changed, demand, seed=4, start_h=8, end_h=10, occupancy_start=0.5).run()
    assert len(a.arrivals_log) > 2000 and a.arrivals_log == b.arrivals_log
    assert a.results() != b.results()


def test_guidance_never_sends_drivers_to_kerbs_closed_for_the_hour():
    from dataclasses import replace

    supply, demand = grid_town(n=8, arrivals_per_hour=900, spaces_per_kerb=4)
    centre = (supply.tail % 8 >= 3) & (supply.tail % 8 <= 4) & (supply.tail // 8 >= 3) & (supply.tail // 8 <= 4)
    guided = replace(demand, guidance_share=1.0)
    sensed = np.ones(len(supply.tail), bool)
    closed = replace(supply, sensed=sensed, closed_hours=[(0.0, 24.0) if c else None for c in centre])
    removed = replace(supply, sensed=sensed, spaces=np.where(centre, 0, supply.spaces))
    a = ParkingModel(closed, guided, seed=2, start_h=8, end_h=10).run(check=True)
    b = ParkingModel(removed, guided, seed=2, start_h=8, end_h=10).run()
    assert (a.occupied[centre] == 0).all()
    assert a.results()["gave_up"] <= 1.3 * b.results()["gave_up"] + 10  # closed for the hour = removed, for them


def test_a_window_across_midnight_runs_into_the_next_day(seed_territory):
    out = ParkingSearch(members=1, period="23:00-01:00").run(seed_territory)
    assert list(out.series("occupancy_by_hour")["hour"].values) == [23, 0]
    with pytest.raises(ScenarioError, match="empty window"):
        ParkingSearch(period="10:00-10:00")
    ParkingSearch(period="00:00-24:00", remove_hours="00:00-24:00")  # the whole day, as the form's pickers give it


@pytest.fixture(scope="module")
def redon_parking(seed_territory):
    return seed_territory


def test_removing_the_busiest_streets_spaces_makes_searches_longer(redon_parking):
    base = ParkingSearch(turnover=6, members=2, period="08:00-14:00").run(redon_parking)
    kerbs = base.table("streets")
    busiest = (kerbs[kerbs["variant"] == "baseline"].groupby("street")["spaces"].sum()
               .drop("", errors="ignore").sort_values().index[-4:].tolist())
    out = ParkingSearch(turnover=6, members=2, period="08:00-14:00", remove_streets=busiest).run(redon_parking)
    name = out.variants[1]
    assert out.value("search_mean_min", name) > out.value("search_mean_min")
    assert out.value("cruising_vkm", name) > out.value("cruising_vkm")
    assert out.is_ensemble and out.member_seeds == [0, 1]
    layer = out.table("streets")
    removed = layer[(layer["variant"] == name) & layer["street"].isin(busiest)]
    before = layer[(layer["variant"] == "baseline") & layer["street"].isin(busiest)]
    assert before["occupied_space_h"].sum() > 0 and (removed["spaces"] == 0).all()
    assert (removed["occupied_space_h"] == 0).all()  # nobody parks where the spaces are gone
    assert "generated" in out.data.attrs["supply"] and "prior" in out.data.attrs["demand"]


def test_the_baseline_is_the_same_whatever_the_variant(redon_parking):
    """Common random numbers: the baseline's members do not depend on the variant asked for."""
    a = ParkingSearch(members=2, period="09:00-11:00").run(redon_parking)
    b = ParkingSearch(members=2, period="09:00-11:00", close_car_parks=["Place du Parlement"]).run(redon_parking)
    np.testing.assert_array_equal(a.member_values("search_mean_min", "baseline"),
                                  b.member_values("search_mean_min", "baseline"))


def test_prices_bring_revenue_and_drivers_who_will_not_pay_search_elsewhere(redon_parking):
    out = ParkingSearch(members=1, period="09:00-12:00", turnover=5,
                        car_park_prices={"Place du Parlement": 2.0, "Cours Bertrand": 2.0}).run(redon_parking)
    assert out.value("revenue_eur") == 0.0 and out.value("revenue_eur", out.variants[1]) > 0


def test_a_territory_without_paying_car_parks_says_why_its_revenue_is_nil(redon_parking):
    """No car park of the seed is tagged fee=yes: the revenue read 0 € beside « Tarif d'un parking payant »
    1,5 €/h, and nothing said that price applied to none. A car park tagged paying is counted and priced."""
    from types import SimpleNamespace

    from twin.app.run_details import detail_value
    from twin.app.views import parking as view

    out = ParkingSearch(members=1, period="09:00-10:00", paid_price_eur_h=3.0).run(redon_parking)
    n = int(out.data.attrs["paying_car_parks"].split(" of ")[1])
    assert out.data.attrs["paying_car_parks"] == f"0 of {n}" and n > 0 and out.value("revenue_eur") == 0.0
    edges = list(out.table("streets").query("variant == 'baseline'")["edge"])
    caption = view.overlays(out, {"streets": SimpleNamespace(data={"edge": edges})}, "fr")[0][2]
    assert caption.endswith(f". Aucun des {n} parkings n'est payant selon OpenStreetMap (fee=yes) : le « Tarif "
                            "d'un parking payant » ne s'applique à aucun, les recettes ne viennent que des tarifs saisis")
    assert detail_value(out.data.attrs["paying_car_parks"], "fr", "paying_car_parks") == (f"0 sur {n}", False)

    places = redon_parking.layers["places"]
    first = places.index[places["amenity"] == "parking"][0]
    paying = copy.copy(redon_parking)  # the same territory, one car park tagged fee=yes
    paying.layers = {**redon_parking.layers, "places": places.assign(
        fee=np.where(places.index == first, "yes", places.get("fee", None)))}
    priced = ParkingSearch(members=1, period="09:00-10:00", paid_price_eur_h=3.0).run(paying)
    assert priced.data.attrs["paying_car_parks"] == f"1 of {n}" and view.unpaid_text(priced, "fr") == ""
    # tagged paying, priced 0 €/h on the form: still a paying car park per OpenStreetMap (not « aucun »)
    free = ParkingSearch(members=1, period="09:00-10:00", paid_price_eur_h=0.0).run(paying)
    assert free.data.attrs["paying_car_parks"] == f"1 of {n}" and view.unpaid_text(free, "fr") == ""


@pytest.mark.parametrize("params, needle", [({"remove_streets": ["Rue de Nulle Part"]}, "Rue de Nulle Part"),
                                            ({"close_car_parks": ["Parking Fantôme"]}, "Parking Fantôme"),
                                            ({"add_car_park": {"near": "Rue de Nulle Part", "capacity": 10}},
                                             "add_car_park.near")])
def test_names_the_territory_lacks_are_refused(redon_parking, params, needle):
    with pytest.raises(ScenarioError, match=needle):
        ParkingSearch(members=1, period="09:00-10:00", **params).run(redon_parking)


@pytest.mark.parametrize("params, needle", [({"period": "9h-10h"}, "period"), ({"period": "08:00-24:59"}, "period"),
                                            ({"street_prices": {"Rue Notre-Dame": -1}}, "street_prices"),
                                            ({"add_car_park": {"capacity": 10}}, "add_car_park"),
                                            ({"add_car_park": {"near": "X", "capacity": 10, "price_eur_h": "abc"}},
                                             "add_car_park.price_eur_h"),
                                            ({"add_car_park": {"near": ["X"], "capacity": 10}}, "add_car_park.near"),
                                            ({"pay_median_eur_h": 0}, "pay_median_eur_h"),
                                            ({"guidance_share": 0.5}, "sensor_share"),
                                            ({"remove_streets": [""]}, "empty name")])
def test_bad_parameters_are_refused_before_running(params, needle):
    with pytest.raises(ScenarioError, match=needle):
        ParkingSearch(**params)


def test_cli_run_prints_kpis_and_what_came_from_priors(tmp_path, capsys):
    from twin.cli import main

    spec = tmp_path / "parking.json"
    spec.write_text(json.dumps({"family": "parking", "members": 1, "period": "09:00-10:00",
                                "guidance_share": 0.5, "sensor_share": 0.5}))
    assert main(["parking", "run", str(spec), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["kpi"] for r in out["kpis"]} >= {"search_mean_min", "cruising_co2_kg", "gave_up_drivers"}
    assert "prior" in out["demand"] and "generated" in out["supply"]


def test_without_a_change_the_outcome_is_the_town_as_it_is(redon_parking):
    out = ParkingSearch(members=1, period="09:00-10:00").run(redon_parking)
    assert out.variants == ["baseline"]
    assert "search_mean_min" in out.to_text() and "baseline" in out.to_text()


def test_spaces_removed_for_some_hours_are_used_outside_them(redon_parking):
    street = "Rue Charles Sillard"
    out = ParkingSearch(members=1, period="07:00-12:00", turnover=6, remove_streets=[street],
                        remove_hours="07:00-09:00").run(redon_parking)
    layer = out.table("streets")
    mine = layer[(layer["variant"] == out.variants[1]) & (layer["street"] == street)]
    base = layer[(layer["variant"] == "baseline") & (layer["street"] == street)]
    assert 0 < mine["occupancy_pct"].mean() < base["occupancy_pct"].mean()


def test_the_result_map_marks_the_removed_spaces_and_the_change(redon_parking):
    from types import SimpleNamespace

    from twin.app.views import parking as view

    street = "Rue Charles Sillard"
    out = ParkingSearch(members=1, period="09:00-11:00", turnover=6, remove_streets=[street]).run(redon_parking)
    layer = out.table("streets")
    edges = list(layer.loc[layer["variant"] == "baseline", "edge"])
    mine = set(layer.loc[(layer["variant"] == "baseline") & (layer["street"] == street) & (layer["spaces"] > 0), "edge"])
    assert mine and view.removed_edges(out) == mine
    overlay = view.street_overlay(out, edges, "fr")
    colours = dict(zip(edges, overlay["color"], strict=True))
    assert {colours[e] for e in mine} == {view.REMOVED}
    layers = view.overlays(out, {"streets": SimpleNamespace(data={"edge": edges})}, "fr")
    assert "orange" in layers[0][2]  # the colour drawn (it said violet) and len(overlay["value"]) == len(edges)
    assert view.occupancy_figure(out, "fr") is not None
    # how many spaces: the map showed orange streets, never the number (the layer's own count)
    n = int(layer.loc[(layer["variant"] == "baseline") & layer["edge"].isin(mine), "spaces"].sum())
    assert int(out.data.attrs["spaces_removed"]) == n > 0 and int(out.data.attrs["spaces_removed_edges"]) == len(mine)
    assert f"{n} places supprimées sur {len(mine)} tronçon(s), toute la période simulée" in layers[0][2]
    # the seed's kerbs are estimated from the street class: said where the figures are read
    generated = int(out.data.attrs["kerb_edges_generated"])
    assert generated > 0 and f"estimées d'après la classe de la rue sur {generated} tronçon(s)" in layers[0][2]


def test_spaces_removed_for_some_hours_are_drawn_and_counted(redon_parking):
    """Spaces removed for some hours kept their count in the layer: the map drew no orange and said nothing."""
    from types import SimpleNamespace

    from twin.app.views import parking as view

    street = "Rue Charles Sillard"
    out = ParkingSearch(members=1, period="07:00-12:00", turnover=6, remove_streets=[street],
                        remove_hours="07:00-09:00").run(redon_parking)
    layer = out.table("streets")
    mine = set(layer.loc[(layer["variant"] == "baseline") & (layer["street"] == street) & (layer["spaces"] > 0), "edge"])
    assert mine and view.removed_edges(out) == mine
    edges = list(layer.loc[layer["variant"] == "baseline", "edge"])
    caption = view.overlays(out, {"streets": SimpleNamespace(data={"edge": edges})}, "fr")[0][2]
    assert "tronçon(s), de 07:00 à 09:00" in caption, caption
    # removed the whole day, however written: not « de 00:00 à 24:00 »
    for whole in ("00:00-24:00", "00:00-00:00"):
        out.data.attrs["spaces_removed_hours"] = whole
        assert view.removed_text(out, "fr").endswith("tronçon(s), toute la période simulée"), whole


def test_a_closed_car_park_is_named_on_the_map_caption(redon_parking):
    """A car park is no street the map colours: closing one showed nothing on the map."""
    from types import SimpleNamespace

    from twin.app.views import parking as view
    from twin.scenarios.parking_supply import car_parks

    out = ParkingSearch(members=1, period="09:00-10:00", close_car_parks=["Place du Parlement"]).run(redon_parking)
    parks = car_parks(redon_parking, redon_parking.graphs["drive"], 0.0).set_index("name")
    n = int(parks.at["Place du Parlement", "capacity"])
    assert out.data.attrs["car_parks_closed"] == f"Place du Parlement ({n})"
    edges = list(out.table("streets").query("variant == 'baseline'")["edge"])
    caption = view.overlays(out, {"streets": SimpleNamespace(data={"edge": edges})}, "fr")[0][2]
    assert f" ; parking(s) fermé(s) : Place du Parlement ({n} places)" in caption
    english = view.overlays(out, {"streets": SimpleNamespace(data={"edge": edges})}, "en")[0][2]
    assert f"; car park(s) closed: Place du Parlement ({n} spaces)" in english
    alone = ParkingSearch(members=1, period="09:00-10:00").run(redon_parking)
    assert alone.data.attrs["car_parks_closed"] == "" and view.closed_text(alone, "fr") == ""


def test_removing_a_street_without_kerb_spaces_is_refused(redon_parking):
    """Every change read 0,0 and nothing said: the street named has no kerb spaces to remove."""
    base = ParkingSearch(members=1, period="09:00-10:00", close_car_parks=["Place du Parlement"]).run(redon_parking)
    layer = base.table("streets")
    per_street = layer[layer["variant"] == "baseline"].groupby("street")["spaces"].sum()
    empty = [s for s, n in per_street.items() if s and n == 0]
    assert empty, "the seed has streets without kerb parking"
    with pytest.raises(ScenarioError, match="hold no kerb spaces") as err:
        ParkingSearch(members=1, period="09:00-10:00", remove_streets=[empty[0]]).run(redon_parking)
    assert err.value.key == "err_parking_nothing_removed"


def test_a_zone_drawn_on_the_map_removes_the_spaces_of_every_street_edge_it_touches(redon_parking):
    """``remove_zone`` (a WKT polygon in WGS84): a small square around one street edge's middle empties that
    edge and its reverse, and no edge far from it."""
    import geopandas as gpd
    from shapely.geometry import Point

    G = redon_parking.graphs["drive"]
    u, v, k = next((u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("name") == "Rue Charles Sillard")
    line = G.edges[u, v, k].get("geometry")
    mid = line.interpolate(0.5, normalized=True) if line is not None else \
        Point((G.nodes[u]["x"] + G.nodes[v]["x"]) / 2, (G.nodes[u]["y"] + G.nodes[v]["y"]) / 2)
    square = gpd.GeoSeries([mid.buffer(3.0, cap_style=3)], crs=redon_parking.crs).to_crs("EPSG:4326").iloc[0]
    out = ParkingSearch(members=1, period="09:00-11:00", turnover=6, remove_zone=square.wkt).run(redon_parking)
    layer = out.table("streets")
    name = out.variants[1]
    before = layer[layer["variant"] == "baseline"].set_index("edge")["spaces"]
    after = layer[layer["variant"] == name].set_index("edge")["spaces"]
    emptied = set(after.index[(after == 0) & (before > 0)])
    assert f"{u}-{v}-{k}" in emptied or before[f"{u}-{v}-{k}"] == 0
    assert 1 <= len(emptied) <= 6  # that edge, its reverse, perhaps a neighbour sharing its end within 3 m
    with pytest.raises(ScenarioError, match="remove_zone: not valid WKT"):
        ParkingSearch(remove_zone="POLYGON((1 2, 3")


def test_a_removal_outside_the_hours_simulated_is_refused_in_french():
    """Spaces removed 20:00–22:00 with 08:00–19:00 simulated: every change was 0,0 and nothing said why."""
    from twin.app.i18n_errors import user_message
    from twin.scenarios.base import ScenarioError
    from twin.scenarios.parking import ParkingSearch

    with pytest.raises(ScenarioError, match="fall outside the hours simulated") as e:
        ParkingSearch(remove_streets=["Grande Rue"], remove_hours="20:00-22:00", period="08:00-19:00").validate()
    assert user_message(e.value, "fr").startswith("Les places sont retirées de 20:00-22:00, hors des heures simulées")
    ParkingSearch(remove_hours="18:00-22:00", period="08:00-19:00").validate()  # an hour shared: kept
    ParkingSearch(remove_hours="23:00-01:00", period="22:00-06:00").validate()  # across midnight
