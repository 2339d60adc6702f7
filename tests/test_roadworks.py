"""Traffic on the territory: supply and demand from OSM, calibration on counts, roadworks detours."""

from __future__ import annotations

import json

import numpy as np
import pytest

from twin.calibration.traffic import calibrate_demand, observed_peak_counts
from twin.cli import main
from twin.models.demand import WEEKDAY_PROFILE, gravity_demand, link_supply, road_network
from twin.models.traffic import assign
from twin.scenarios import ScenarioError
from twin.scenarios.roadworks import Roadworks, _hours
from twin.seeds import history_dir, load_default


@pytest.fixture(scope="module")
def redon():
    return load_default()


def test_supply_defaults_and_tags():
    cap, t = link_supply({"highway": "residential", "length": 300.0, "lanes": float("nan"),
                          "maxspeed_kmh": float("nan"), "oneway": False})
    assert cap == 600 and t == pytest.approx(0.3 / 30)
    cap, t = link_supply({"highway": "primary", "length": 1000.0, "lanes": 4.0, "maxspeed_kmh": 70.0, "oneway": False})
    assert cap == 2 * 1600 and t == pytest.approx(1 / 70)
    assert WEEKDAY_PROFILE.sum() == pytest.approx(1.0)


def test_redon_demand_assigns_without_losing_trips(redon):
    road = road_network(redon.graphs["drive"])
    demand = gravity_demand(redon, road)
    assert len(demand.entries) >= 4 and demand.internal["demand"].sum() > 500
    r = assign(road.to_tntp(), demand.combined(), gap=1e-5)
    assert r.unreachable_demand == 0 and r.relative_gap <= 1e-5
    assert r.max_conservation_error < 1e-6 * demand.combined()["demand"].sum()
    assert (r.flows / road.capacity).max() < 1.5  # a small town: no gridlock in the peak hour


class _EditedStore:
    """The seed store with edits a real one has: two stations that map to no street, one that never counts
    in the peak hour, missing and flagged readings on count-00."""

    def __init__(self, store):
        import pandas as pd

        self.store, self.path = store, "edited seed store"
        extra = store.sensors[store.sensors["sensor_id"] == "count-00"].copy()
        extra = pd.concat([extra] * 3, ignore_index=True)
        extra["sensor_id"] = ["count-gone", "count-nostreet", "count-night"]
        extra["asset_id"] = ["1-2-0", None, extra["asset_id"].iloc[0]]
        self.sensors = pd.concat([store.sensors, extra], ignore_index=True)

    def query(self, sensor_id, start=None, end=None, *, include_flagged=False):
        source = {"count-gone": "count-00", "count-nostreet": "count-00", "count-night": "count-01"}.get(sensor_id,
                                                                                                      sensor_id)
        obs = self.store.query(source, start, end, include_flagged=include_flagged).copy()
        local = obs["time"].dt.tz_convert("Europe/Paris")
        if sensor_id == "count-night":  # a station that only reports at night
            return obs[local.dt.hour < 5].reset_index(drop=True)
        if sensor_id == "count-00":  # ten peak-hour readings lost, five flagged by the store
            peak = np.flatnonzero((local.dt.hour == int(np.argmax(WEEKDAY_PROFILE))) & (local.dt.day_of_week < 4) & (local.dt.month != 8))
            obs.loc[peak[:10], "value"] = np.nan
            obs.loc[peak[10:15], "quality"] = 1
            if not include_flagged:
                obs = obs[obs["quality"] == 0]
        return obs


def test_calibration_recovers_the_generator_demand(redon):
    """Recovery on the seed's counts (data our own generator made: proves recovery, not validity),
    with stations and readings that cannot be used named and counted, never dropped silently."""
    truth = json.loads((history_dir() / "truth.json").read_text())["traffic"]
    clean = observed_peak_counts(redon.sensors, redon)
    assert len(clean) == 5 and (clean["days"] > 300).all() and clean.attrs["dropped"] == []
    counts = observed_peak_counts(_EditedStore(redon.sensors), redon)
    assert counts.attrs["dropped"] == [{"sensor_id": "count-night", "street": clean["street"].iloc[0],
                                        "why": f"no reading in the peak hour ({int(np.argmax(WEEKDAY_PROFILE)):02d}:00 "
                                               "local) of a Monday–Thursday "
                                               "outside August"}]
    c0 = counts.set_index("sensor_id").loc["count-00"]
    assert (c0["missing"], c0["flagged"]) == (10, 5)
    assert c0["days"] == clean.set_index("sensor_id").loc["count-00", "days"] - 15
    fit = calibrate_demand(redon, counts)
    assert [d["sensor_id"] for d in fit.dropped] == ["count-night", "count-gone", "count-nostreet"]
    assert fit.dropped[1]["why"] == "maps to no street: edge '1-2-0' is not in the territory's drive graph"
    assert fit.dropped[2]["why"] == "maps to no street: no street (edge) given"
    assert list(fit.stations["sensor_id"]) == [f"count-0{i}" for i in range(5)]
    assert fit.internal_scale == pytest.approx(truth["internal_scale"], rel=0.02)
    assert fit.through_scale == pytest.approx(truth["through_scale"], rel=0.02)
    assert fit.share_geh_below_5_after == 1.0 and fit.share_geh_below_5_before < 1.0
    with pytest.raises(ValueError, match="no counting station left.*count-gone: maps to no street"):
        calibrate_demand(redon, counts[counts["sensor_id"] == "count-gone"])


def test_closing_the_quay_reroutes_and_reports_lost_trips(redon):
    s = Roadworks(streets=["Quai Saint-Jacques"], hours="07:00-19:00", residents_access=False)  # shut to all
    out = s.run(redon)
    assert out.value("vehicle_hours_peak", "works") > out.value("vehicle_hours_peak")
    assert out.value("trips_without_route_peak") == 0
    # the quay is the only drivable access of some zone: its demand is reported as routeless, not dropped
    lost = out.value("trips_without_route_peak", "works")
    assert 0 < lost < gravity_demand(redon, road_network(redon.graphs["drive"])).combined()["demand"].sum()
    fc = out.table("streets")
    assert (fc.loc[fc["closed"], "works"] == 0).all()
    assert fc["change"].max() > 100  # a detour takes the traffic
    assert out.series("peak_flow_veh_h").sizes["edge"] == len(fc)
    assert out.value("co2_kg_window", "works") == pytest.approx(0.193 * out.value("vehicle_km_window", "works"))
    # the drivers' time in euros (a value society gives it: 10 €2010/veh·h), the trips with no route left out
    for variant in ("baseline", "works"):
        assert out.value("drive_time_cost_eur_window", variant) == pytest.approx(
            10.0 * out.value("vehicle_hours_window", variant))
    dear = Roadworks(streets=["Quai Saint-Jacques"], hours="07:00-19:00", value_of_time_eur_per_veh_h=20.0,
                     residents_access=False).run(redon)
    assert dear.value("drive_time_cost_eur_window", "works") == pytest.approx(
        2 * out.value("drive_time_cost_eur_window", "works"), rel=1e-6)  # the same flows (the same gap), valued at 20
    # the hourly chart says its variant's line leaves the stranded trips out (it looked like less traffic)
    from twin.app.views.roadworks import hourly_traffic_figure

    notes = [x.text for x in hourly_traffic_figure(out, "fr").above if "sans itinéraire" in getattr(x, "text", "")]
    assert notes == [f"Sans les {round(out.value('trips_without_route_window', 'works'))} trajets restés sans "
                     "itinéraire : une courbe plus basse n'est pas moins de trafic"]


def test_night_works_are_judged_at_their_own_busiest_hour(redon):
    """Works from 02:00 to 04:00 are not in place at the day's peak: their peak KPIs and map are at the
    busiest hour they cover (hourly assignment: the same figure as that hour's own), never the day's."""
    from twin.models.demand import WEEKDAY_PROFILE

    day = Roadworks(streets=["Quai Saint-Jacques"], hours="07:00-19:00").run(redon)
    night = Roadworks(streets=["Quai Saint-Jacques"], hours="02:00-04:00", day_method="hourly").run(redon)
    busiest = 2 + int(np.argmax(WEEKDAY_PROFILE[[2, 3]]))
    assert night.data.attrs["peak_hour"].startswith(f"{busiest:02d}:00-{busiest + 1:02d}:00 (the works miss")
    assert day.data.attrs["peak_hour"] == f"{int(np.argmax(WEEKDAY_PROFILE)):02d}:00-" \
                                          f"{int(np.argmax(WEEKDAY_PROFILE)) + 1:02d}:00"
    for v in ("baseline", "works"):
        hourly = night.data["hourly_vehicle_hours"].sel(variant=v).values  # 02h, 03h
        assert night.value("vehicle_hours_peak", v) == pytest.approx(hourly[busiest - 2], rel=1e-9)
        assert night.value("vehicle_hours_peak", v) < 0.2 * day.value("vehicle_hours_peak", v)
    # the default grouping (the works' peak, and their other hours' mean) judges them at that hour too
    grouped = Roadworks(streets=["Quai Saint-Jacques"], hours="02:00-04:00").run(redon)
    assert grouped.data.attrs["peak_hour"] == night.data.attrs["peak_hour"]
    assert grouped.value("vehicle_hours_peak", "works") == pytest.approx(night.value("vehicle_hours_peak", "works"),
                                                                         rel=1e-3)
    # the map's flows are that hour's: far below the day's peak flows
    assert night.series("peak_flow_veh_h").sel(variant="works").max() < \
        0.2 * day.series("peak_flow_veh_h").sel(variant="works").max()
    # and the page says it above the cards (the map caption did, the « à la pointe » cards did not)
    from types import SimpleNamespace

    from twin.app.builder_run import peak_hour_part

    page = SimpleNamespace(lang="fr")
    note = peak_hour_part(page, [], night, "")
    assert f"calculés à leur heure la plus chargée, {busiest:02d}:00–{busiest + 1:02d}:00" in note
    top = int(np.argmax(WEEKDAY_PROFILE))
    assert f"l'heure de pointe du jour ({top:02d}:00–{top + 1:02d}:00)" in note.replace("&#x27;", "'")
    assert peak_hour_part(page, [], day, "") == "" and peak_hour_part(page, [], None, "") == ""


def test_capacity_cut_and_one_direction(redon):
    half = Roadworks(streets=["Avenue Jean Burel"], capacity_factor=0.5).run(redon)
    assert half.value("trips_without_route_peak", "works") == 0
    assert half.value("vehicle_hours_peak", "works") >= half.value("vehicle_hours_peak") - 1e-6
    # the result map marks the street under works (nothing did when it stayed open) and says what it is
    from twin.app.mapview import street_columns
    from twin.app.views.roadworks import WORKS, overlays

    edges = list(street_columns(redon)["edge"])
    streets = {"streets": type("S", (), {"data": {"edge": edges}})()}
    (layer, overlay, caption), (_, _, widths) = overlays(half, streets, "fr")
    # half the capacity of a quiet avenue moves no street's traffic: said so, not « jusqu'à 0 véhicules/h »
    assert widths.startswith("Aucune rue ne change de trafic à l'heure de pointe"), widths
    *_, (_, _, closed) = overlays(Roadworks(streets=["Quai Saint-Jacques"]).run(redon), streets, "fr")
    assert closed.startswith("Gris clair : rue inchangée ; trait plus épais : plus de changement, jusqu'à "), closed
    works = set(half.table("streets").query("under_works")["edge"])
    assert works and any(e in works for e in edges) and all(overlay["color"][i] == WORKS and overlay["value"][i].startswith("en travaux, capacité réduite")
                         for i, e in enumerate(edges) if e in works)
    assert "orange : en travaux, capacité réduite" in caption
    one = Roadworks(streets=["Grande Rue"], one_direction=True)
    road = road_network(redon.graphs["drive"])
    both = Roadworks(streets=["Grande Rue"]).affected_edges(redon, road)
    assert 0 < one.affected_edges(redon, road).sum() < both.sum()


def test_bad_roadworks_input(redon):
    with pytest.raises(ScenarioError, match="no drivable street matches"):
        Roadworks(streets=["Rue Imaginaire"]).run(redon)
    with pytest.raises(ScenarioError, match="no street selected"):
        Roadworks().run(redon)
    with pytest.raises(ScenarioError, match="HH:MM-HH:MM"):
        Roadworks(streets=["Grande Rue"], hours="morning").run(redon)
    for bad, why in (("07:3-19", "HH:MM-HH:MM"), ("07:60-19:00", "not a time of day"), ("25:00-05:00", "not a time"),
                     ("24:30-05:00", "not a time"), ("08:00-08:00", "empty"), ("7h30-18h45", "HH:MM-HH:MM")):
        with pytest.raises(ScenarioError, match=why):
            _hours(bad)


def test_hours_keep_their_minutes():
    assert _hours("07:30-18:45") == [(7, 0.5)] + [(h, 1.0) for h in range(8, 18)] + [(18, 0.75)]
    assert _hours("22:30-05:15") == [(22, 0.5), (23, 1.0)] + [(h, 1.0) for h in range(5)] + [(5, 0.25)]
    assert _hours("00:00-24:00") == [(h, 1.0) for h in range(24)]
    assert _hours("09:10-09:40") == [(9, 0.5)]
    assert _hours("07-19") == _hours("07:00-19:00") == [(h, 1.0) for h in range(7, 19)]
    assert sum(s for _, s in _hours("07:30-18:45")) == 11.25


def test_a_window_with_minutes_counts_its_partial_hours(redon):
    """07:30-18:45 = half of the 7h assignment + 8h…17h + three quarters of the 18h one (today's model is hourly)."""
    whole = Roadworks(streets=["Quai Saint-Jacques"], hours="07:00-19:00", day_method="hourly").run(redon)
    part = Roadworks(streets=["Quai Saint-Jacques"], hours="07:30-18:45", day_method="hourly").run(redon)
    assert part.data.attrs["hours"] == "07:30-18:45" and float(part.data.attrs["window_hours"]) == 11.25
    assert list(part.data["hour_share"].values) == [0.5] + [1.0] * 10 + [0.75]
    for v in ("baseline", "works"):
        h = whole.data["hourly_vehicle_hours"].sel(variant=v).values
        expected = 0.5 * h[0] + h[1:-1].sum() + 0.75 * h[-1]
        assert part.value("vehicle_hours_window", v) == pytest.approx(expected, rel=1e-9)
        assert part.data["hourly_vehicle_hours"].sel(variant=v).values.sum() == pytest.approx(expected, rel=1e-9)
        # rounding 07:30 down to 07:00 (the old parser) would have counted the whole 7h
        assert part.value("vehicle_hours_window", v) < whole.value("vehicle_hours_window", v) - 0.4 * h[0]


def test_cli_traffic(capsys, redon):
    from conftest import reference_file

    d = reference_file("transport/SiouxFalls/SiouxFalls_net.tntp").parent
    assert main(["traffic", "assign", "--tntp", str(d), "--gap", "1e-4", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert {"relative_gap", "iterations", "objective", "tstt", "max_conservation_error", "seconds"} <= set(r)
    assert r["relative_gap"] <= 1e-4 and abs(r["objective"] / 4231335.287 - 1) < 1e-4
    assert main(["traffic", "roadworks", "--close", "Quai Saint-Jacques", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {(x["variant"], x["kpi"]): x["value"] for x in out["indicators"]}
    direct = Roadworks(streets=["Quai Saint-Jacques"]).run(redon)  # the CLI's defaults: 07:00-19:00, free detour
    for variant in ("baseline", "works"):
        for kpi in ("vehicle_hours_peak", "vehicle_km_window", "trips_without_route_peak"):
            assert rows[(variant, kpi)] == pytest.approx(direct.value(kpi, variant), rel=1e-9)
    # what the text says under its table, the JSON carries too (it held the indicators' rows alone)
    attrs = out["attributes"]
    assert attrs["works_street_m"] == pytest.approx(float(direct.data.attrs["works_street_m"]))
    assert attrs["peak_hour"] == direct.data.attrs["peak_hour"] and attrs["top_gainers"]
    assert len(out["cut_off_buildings"]) == len(direct.table("cut_off_buildings"))


def test_the_cli_without_a_street_names_some_to_close(capsys, redon):
    """`twin traffic roadworks` alone failed with « no street selected » where the page starts with a street:
    the CLI now asks which one and offers the territory's longest named streets, each a street it runs."""
    assert main(["traffic", "roadworks"]) == 2
    err = capsys.readouterr().err
    assert "which street do the works close? Give --close NAME" in err
    offered = err.split("The longest named streets of redon: ")[1].strip().split(", ")
    names = {n for _, _, d in redon.graphs["drive"].edges(data=True)
             for n in (d.get("name") if isinstance(d.get("name"), list) else [d.get("name")]) if isinstance(n, str)}
    assert len(offered) == 6 and set(offered) <= names
    assert f'e.g. --close "{offered[0]}"' in err
    run = Roadworks(streets=[offered[0]], day_method="peak+off-peak").run(redon)  # the one offered first is a street
    assert run.value("vehicle_hours_peak", "works") > 0


def test_the_cli_gives_the_pages_roadworks_figures(capsys, redon):
    """The page started roadworks hour by hour, the CLI at peak + off-peak: a planner comparing the two saw
    35 910 km against 35 914 km (903,3 against 904 veh·h) and nothing said why. Both now start from the
    scenario's own settings (hour by hour); peak + off-peak is asked for."""
    from twin.app.builder import QUICK

    page = Roadworks(**QUICK["roadworks"]).run(redon)
    assert page.data.attrs["day_method"] == "every hour of the window assigned"
    assert main(["traffic", "roadworks", "--close", "Quai Saint-Jacques", "--json"]) == 0
    rows = {(x["variant"], x["kpi"]): x["value"] for x in json.loads(capsys.readouterr().out)["indicators"]}
    for variant in ("baseline", "works"):
        for kpi in ("vehicle_hours_window", "vehicle_km_window", "trips_without_route_window"):
            assert rows[(variant, kpi)] == pytest.approx(page.value(kpi, variant), rel=1e-9)
    assert rows[("works", "vehicle_km_window")] != pytest.approx(
        Roadworks(streets=["Quai Saint-Jacques"], day_method="peak+off-peak").run(redon).value("vehicle_km_window",
                                                                                           "works"), rel=1e-9)

def test_a_signed_detour_draws_the_traffic(redon):
    free = Roadworks(streets=["Quai Saint-Jacques"]).run(redon)
    signed = Roadworks(streets=["Quai Saint-Jacques"], detour=["Rue des Douves"], detour_attraction=0.5)
    out = signed.run(redon)
    on_detour = lambda fc: fc.loc[fc["street"] == "Rue des Douves", "works"].sum()  # noqa: E731
    assert on_detour(out.table("streets")) > on_detour(free.table("streets"))
    # Signing a detour that drivers would not all choose costs time: never less than the free choice.
    assert out.value("vehicle_hours_peak", "works") >= free.value("vehicle_hours_peak", "works") - 1e-6
    with pytest.raises(ScenarioError, match="no drivable street matches"):
        Roadworks(streets=["Quai Saint-Jacques"], detour=["Rue Fantôme"]).run(redon)
    # the result map draws the signed detour (a planner could not see which streets he had signed)
    from twin.app.mapview import street_columns
    from twin.app.views.roadworks import SIGNED, overlays

    table = out.table("streets")
    signed_edges = set(table.loc[table["signed_detour"], "edge"])
    assert signed_edges and set(table.loc[table["signed_detour"], "street"]) == {"Rue des Douves"}
    assert not free.table("streets")["signed_detour"].any()
    edges = list(street_columns(redon)["edge"])
    (_, overlay, caption), *_ = overlays(out, {"streets": type("S", (), {"data": {"edge": edges}})()}, "fr")
    shown = [i for i, e in enumerate(edges) if e in signed_edges]
    assert shown and all(overlay["color"][i] == SIGNED and overlay["width"][i] >= 5.0
                         and overlay["value"][i].startswith("déviation fléchée (trafic à la pointe : ") for i in shown)
    assert SIGNED not in [c for i, c in enumerate(overlay["color"]) if i not in set(shown)]
    assert caption.endswith("; bleu foncé : déviation fléchée")
    (_, plain, free_caption), *_ = overlays(free, {"streets": type("S", (), {"data": {"edge": edges}})()}, "fr")
    assert SIGNED not in plain["color"] and "déviation fléchée" not in free_caption


def test_a_signed_detour_through_the_closed_street_is_refused_before_the_run():
    # a planner picked the closed street as its own detour: the closed links carry nothing, so the run
    # would have dropped that part of the sign without a word
    with pytest.raises(ScenarioError, match="Quai Saint-Jacques is closed by the works") as err:
        Roadworks(streets=["Quai Saint-Jacques"], detour=["Rue des Douves", "Quai Saint-Jacques"])
    assert err.value.key == "err_detour_closed" and err.value.values == {"streets": "Quai Saint-Jacques"}
    with pytest.raises(ScenarioError, match="closed by the works"):  # however it is written
        Roadworks(streets=["Quai Saint-Jacques"], detour=["quai saint-jacques"])
    # works that leave it open one way, or narrow it, leave it drivable: a detour may use it
    Roadworks(streets=["Quai Saint-Jacques"], detour=["Quai Saint-Jacques"], one_direction=True)
    Roadworks(streets=["Quai Saint-Jacques"], detour=["Quai Saint-Jacques"], capacity_factor=0.5)


def test_a_detour_through_the_works_named_otherwise_is_refused_at_the_run(redon):
    """By its OSM way id, or inside the works' polygon: the names differ, the closed links are the same."""
    road = road_network(redon.graphs["drive"])
    way = next(w for n, w in zip(road.names, road.way_ids, strict=True) if n == "Quai Saint-Jacques")
    with pytest.raises(ScenarioError, match="Quai Saint-Jacques is closed by the works") as err:
        Roadworks(streets=["Quai Saint-Jacques"], detour=[int(way)]).run(redon)
    assert err.value.key == "err_detour_closed"


def test_a_window_of_almost_a_day_counts_its_first_hour_once_with_both_parts():
    from twin.scenarios.roadworks import _hours

    window = _hours("07:30-07:15")
    hours = [h for h, _ in window]
    assert len(hours) == len(set(hours)) == 24
    assert dict(window)[7] == pytest.approx(0.75)  # 07:30-08:00 and 07:00-07:15
    assert sum(s for _, s in window) == pytest.approx(23.75)


def test_stranded_trips_are_counted_over_the_window_and_flag_the_outcome(redon):
    """A route's existence does not depend on the flows: the demand a closure strands in each hour is
    the peak's, scaled by that hour's demand — the window's stranded trips follow, whatever the day method."""
    from twin.scenarios import StreetClosure

    for method in ("peak+off-peak", "hourly"):
        out = Roadworks(streets=["Quai Saint-Jacques"], hours="07:30-19:00", day_method=method,
                        residents_access=False).run(redon)
        peak = out.value("trips_without_route_peak", "works")
        expected = peak * sum(s * WEEKDAY_PROFILE[h] for h, s in _hours("07:30-19:00")) / WEEKDAY_PROFILE.max()
        assert peak > 0 and out.value("trips_without_route_window", "works") == pytest.approx(expected, rel=1e-9)
        assert out.value("trips_without_route_window") == 0
        flag = out.data.attrs["stranded_trips"]
        def four(x):  # to the ten-thousandth, as the report reads it back before rounding it as the cards do
            return f"{x:.4f}".rstrip("0").rstrip(".")

        assert flag.startswith(f"{four(peak)} veh/h at the peak hour, {four(expected)} trips over the window")
        assert "left out of vehicle-hours" in flag
        desc = dict(zip(out.data["kpi"].values, out.data["description"].values, strict=True))
        assert "trips_without_route_window" in desc["vehicle_hours_window"]
    # the result map says its streets leave those trips out (a map « almost entirely green » read as a gain)
    from twin.app.mapview import street_columns
    from twin.app.views.roadworks import overlays

    streets = {"streets": type("S", (), {"data": {"edge": list(street_columns(redon)["edge"])}})()}
    captions = [c for _, _, c in overlays(out, streets, "fr")]
    # the map's hour: its stranded vehicles per hour (the window's trips were said under the peak's map)
    from twin.app.i18n import fmt_number

    at_peak = fmt_number(out.value('trips_without_route_peak', 'works'))
    assert f"Les {at_peak} véhicules/h restés sans itinéraire à cette heure ne sont plus sur la carte" in \
        " ".join(captions), captions
    half = Roadworks(streets=["Avenue Jean Burel"], capacity_factor=0.5).run(redon)
    assert half.data.attrs["stranded_trips"] == "none" and half.value("trips_without_route_window", "works") == 0
    closed = StreetClosure(streets=["Quai Saint-Jacques"]).run(redon)
    lost = closed.value("buildings_without_route", "closed")
    assert lost > 0 and closed.data.attrs["stranded_buildings"].startswith(f"{lost:.0f} buildings lose their drive")


def test_a_kept_baseline_gives_the_answer_of_a_fresh_one(redon):
    from twin.scenarios.roadworks import _BASELINES

    scenario = Roadworks(streets=["Quai Saint-Jacques"], hours="07:00-10:00", day_method="peak+off-peak",
                         residents_access=False)
    _BASELINES.clear()
    fresh = scenario.run(redon)
    kept_keys = list(_BASELINES)
    assert len(kept_keys) == 2  # peak and off-peak
    kept = scenario.run(redon)  # the baseline from the cache, the works from its paths as before
    assert list(_BASELINES) == kept_keys  # hit: nothing added
    Roadworks(streets=["Rue des Douves"], hours="07:00-10:00", day_method="peak+off-peak").run(redon)
    assert list(_BASELINES) == kept_keys  # another closure, the same baseline
    _BASELINES.clear()
    again = scenario.run(redon)
    assert kept.equals(fresh) and again.equals(fresh)
    # the works' equilibrium started from the baseline's paths is the one a cold start reaches
    from twin.models.demand import gravity_demand, road_network

    road = road_network(redon.graphs["drive"])
    from twin.models.demand import WEEKDAY_PROFILE

    od = gravity_demand(redon, road).combined(1.0, 1.0)
    od = od.assign(demand=od["demand"] * WEEKDAY_PROFILE[8] / WEEKDAY_PROFILE.max())  # the works' peak: 08h
    hit = scenario.affected_edges(redon, road)
    cold = assign(road.to_tntp(), od, gap=1e-4, algorithm="gp", closed=hit)
    assert fresh.value("vehicle_hours_peak", "works") == pytest.approx(cold.tstt, rel=5e-4)
    # « sauf riverains »: the quay open at a perceived penalty; warm from the baseline as a cold start reaches it,
    # and its residents' drive on the quay counted at real times (a cold start's TSTT leaves the penalty out too)
    residents = Roadworks(streets=["Quai Saint-Jacques"], hours="07:00-10:00", day_method="peak+off-peak")
    net, closed = residents._works_network(road.to_tntp(), hit, np.zeros(len(hit), bool))
    from twin.scenarios.roadworks import RESIDENTS_PENALTY_H, entry_edges

    # [h] charged on entering the works only; the rest of the works is free to whoever is inside
    assert closed is None and (net.fixed_cost[entry_edges(net, hit)] == RESIDENTS_PENALTY_H).all()
    assert (net.fixed_cost[hit & ~entry_edges(net, hit)] == 0).all() and (net.fixed_cost[~hit] == 0).all()
    cold = assign(net, od, gap=1e-6, algorithm="gp")
    out = residents.run(redon)
    assert out.value("vehicle_hours_peak", "works") == pytest.approx(cold.tstt, rel=5e-4)
    assert 0 < cold.flows[hit].sum() < 0.2 * cold_flows_before(road, od, hit)
    assert out.value("trips_without_route_peak", "works") == 0


def cold_flows_before(road, od, hit):
    """The flow the links ``hit`` carry without works (veh/h, summed)."""
    return float(assign(road.to_tntp(), od, gap=1e-4, algorithm="gp").flows[hit].sum())


def test_zones_are_grouped_on_a_large_territory():
    from twin.models.demand import zone_nodes

    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 5000, (2000, 2))
    floor = np.where(rng.random(2000) < 0.8, rng.gamma(2.0, 300.0, 2000), 0.0)
    assert np.array_equal(zone_nodes(xy, floor, max_zones=5000), np.arange(2000))  # few enough: every node
    zone = zone_nodes(xy, floor, max_zones=100)
    active = floor > 0
    reps = np.unique(zone[active])
    assert 50 <= len(reps) <= 100
    assert np.array_equal(zone[~active], np.flatnonzero(~active))  # nodes without buildings keep themselves
    for r in reps:  # each zone's node is its member with the most floor area, and near its members
        members = np.flatnonzero(active & (zone == r))
        assert r in members and floor[r] == floor[members].max()
        assert np.abs(xy[members] - xy[r]).max() < 5000 / np.sqrt(len(reps)) * 3


def test_roadworks_on_an_extract_that_maps_no_place(tmp_path):
    """A tiny OSM file we wrote: a square of streets and two buildings, no amenity at all (the bare
    territory of issue 24): the works run, the drive times to places that are not there are NaN."""
    from twin.territory import Territory

    f = tmp_path / "bare.osm"
    f.write_text("""<osm version="0.6">
 <node id="1" lat="47.650" lon="-2.090"/><node id="2" lat="47.650" lon="-2.087"/>
 <node id="3" lat="47.652" lon="-2.087"/><node id="4" lat="47.652" lon="-2.090"/>
 <node id="5" lat="47.6505" lon="-2.0895"/><node id="6" lat="47.6505" lon="-2.0893"/>
 <node id="7" lat="47.6507" lon="-2.0893"/><node id="8" lat="47.6515" lon="-2.0875"/>
 <node id="9" lat="47.6515" lon="-2.0873"/><node id="10" lat="47.6517" lon="-2.0873"/>
 <way id="20"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="Rue A"/></way>
 <way id="21"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="name" v="Rue B"/></way>
 <way id="22"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="name" v="Rue C"/></way>
 <way id="23"><nd ref="4"/><nd ref="1"/><tag k="highway" v="residential"/><tag k="name" v="Rue D"/></way>
 <way id="30"><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="5"/><tag k="building" v="house"/></way>
 <way id="31"><nd ref="8"/><nd ref="9"/><nd ref="10"/><nd ref="8"/><tag k="building" v="office"/></way>
</osm>""")
    t = Territory.from_osm(f)
    assert t.place("townhall").empty and t.place("townhall").crs == t.crs
    out = Roadworks(streets=["Rue A"]).run(t)
    assert np.isnan(out.value("time_to_townhall_min")) and np.isnan(out.value("time_to_schools_min"))
    assert out.value("vehicle_hours_peak", "works") >= out.value("vehicle_hours_peak") > 0


def test_a_polygon_touching_no_street_is_refused_with_the_territorys_extent(redon):
    """A polygon with its longitude and latitude swapped was ignored beside the works' streets (the run was the
    streets' alone), and alone it said « no street selected » without a hint."""
    from twin.scenarios.base import ScenarioError

    swapped = "POLYGON((47.646 -2.09, 47.646 -2.08, 47.65 -2.08, 47.65 -2.09, 47.646 -2.09))"
    with pytest.raises(ScenarioError, match=r"roadworks polygon touches no drive street of the territory, which "
                                            r"spans -2\.09\d+ – -2\.07\d+ in longitude.*longitude and latitude swapped\?"
                       ) as e:
        Roadworks(streets=["Quai Saint-Jacques"], polygon=swapped).run(redon)
    assert e.value.key == "err_polygon_no_street_swapped"
    far = "POLYGON((2.3 48.8, 2.4 48.8, 2.4 48.9, 2.3 48.9, 2.3 48.8))"  # Paris: no swap would help either
    with pytest.raises(ScenarioError, match=r"\(WGS84, POLYGON\(\(lon lat, …\)\)\)$") as e:
        Roadworks(polygon=far).run(redon)
    assert e.value.key == "err_polygon_no_street"


def test_a_boolean_is_no_street():
    """[true] in a file's streets closed OSM way 1 (a bool is an int to Python)."""
    from twin.scenarios.base import ScenarioError
    from twin.scenarios.street_closure import StreetClosure

    with pytest.raises(ScenarioError, match="streets: item 2 of 2 is true, not a street") as e:
        Roadworks(streets=["Quai Saint-Jacques", True])
    assert e.value.key == "err_bool_street"
    with pytest.raises(ScenarioError, match="detour: item 1 of 1 is false"):
        Roadworks(streets=["Quai Saint-Jacques"], detour=[False])
    with pytest.raises(ScenarioError, match="item 1 of 1 is true"):
        StreetClosure(streets=[True])
    assert Roadworks(streets=[155297224]).streets == [155297224]  # a way id stays one


def test_the_buildings_a_closure_cuts_off_are_listed_mapped_and_printed(redon, capsys):
    """« 170 trajets sans itinéraire » were located nowhere: not on the map, not in a file. The buildings
    the closures cut from the network are now a table of the run (the GeoPackage's layer), dark red on the
    map, and printed by the CLI; checked here against the graph itself, independently of the assignment."""
    import networkx as nx
    from bokeh.models import ColumnDataSource

    from twin.app.mapview import street_source
    from twin.app.views.roadworks import CUT_OFF, overlays
    from twin.models.accessibility import nearest_nodes

    out = Roadworks(streets=["Quai Saint-Jacques"], residents_access=False).run(redon)  # shut to all
    cut = out.table("cut_off_buildings")
    assert len(cut) == out.data.attrs["buildings_cut_off"] > 0 and out.value("trips_without_route_window", "works") > 0
    G = redon.graphs["drive"]
    shut = {(u, v) for u, v, k, d in G.edges(keys=True, data=True) if d.get("name") == "Quai Saint-Jacques"}
    open_graph = nx.DiGraph([(u, v) for u, v in G.edges() if (u, v) not in shut])
    open_graph.add_nodes_from(G.nodes)
    giant = max(nx.strongly_connected_components(open_graph), key=len)
    b = redon.layers["buildings"].set_index("id").loc[cut["building_id"]]
    pts = b.geometry.representative_point()
    for node, leave in zip(nearest_nodes(G, pts.x.to_numpy(), pts.y.to_numpy()), cut["can_leave"], strict=True):
        assert node not in giant and leave == nx.has_path(open_graph, node, next(iter(giant)))
    ids = redon.layers["buildings"]["id"].astype(str).tolist()
    drawn = overlays(out, {"streets": street_source(redon), "buildings": ColumnDataSource({"id": ids})}, "fr")
    (_, over, caption), = [o for o in drawn if o[0] == "buildings"]
    assert over["color"].count(CUT_OFF) == len(cut) and f"{len(cut)} coupés du réseau" in caption
    one_way = Roadworks(streets=["Grande Rue"], one_direction=True).run(redon)
    assert one_way.table("cut_off_buildings").empty and one_way.data.attrs["buildings_cut_off"] == 0
    assert main(["traffic", "roadworks", "--close", "Quai Saint-Jacques", "--no-residents-access"]) == 0
    assert f"buildings cut off from the street network during the works: {len(cut)} (" in capsys.readouterr().out
    # « sauf riverains » (the default): none cut off, those behind the works said reached through them
    assert main(["traffic", "roadworks", "--close", "Quai Saint-Jacques"]) == 0
    text = capsys.readouterr().out
    assert "closed except for residents" in text and "buildings cut off" not in text
    assert f"{len(cut)} buildings are reached only through the streets under works" in text
    kept = Roadworks(streets=["Quai Saint-Jacques"]).run(redon)
    assert kept.table("cut_off_buildings").empty and kept.data.attrs["buildings_behind_works"] == len(cut)


def test_shorter_but_slower_detours_do_not_prove_a_co2_fall(redon):
    """One lane of two on the quay: the detours are shorter but slower, the CO2 counted per kilometre falls by
    0,06 %. The verdict said the works « font mieux » on CO2, beside the note saying the fall was not proven."""
    from twin.app.cards import judge
    from twin.app.variants import outcome_rows
    from twin.app.verdicts import verdicts

    out = Roadworks(streets=["Quai Saint-Jacques"], capacity_factor=0.5).run(redon)
    km, hours = (out.value(k, "works") - out.value(k) for k in ("vehicle_km_window", "vehicle_hours_window"))
    assert km < 0 < hours and out.value("trips_without_route_window", "works") == 0
    assert out.data.attrs["unproven_kpis"] == "vehicle_km_window,co2_kg_window"
    rows = [r for r in outcome_rows(out) if r["variant"] == "works"]
    co2 = next(r for r in rows if r["kpi"] == "co2_kg_window")
    assert co2["better"] and judge(co2) == ""  # lower, but no green
    line = verdicts([("Une voie sur deux", rows, None)], "fr")["environmental"]
    assert "pas de baisse démontrée" in line and "fait mieux" not in line, line
    closed = Roadworks(streets=["Quai Saint-Jacques"]).run(redon)  # strands trips: the stranded flag says it
    assert closed.data.attrs["unproven_kpis"] == ""


def test_a_town_hall_cut_off_by_the_works_has_no_drive_time(redon):
    """A flood that isolated the town hall read « temps jusqu'à la mairie 0 min, -100 % »: the mean over the
    few nodes still reaching it. Cut from most of the town, the time is not computed (the stranded trips
    say why)."""
    from twin.models.accessibility import nearest_nodes

    G = redon.graphs["drive"]
    pt = redon.place("townhall").geometry.representative_point()
    node = nearest_nodes(G, pt.x.to_numpy(), pt.y.to_numpy())[0]
    around = {d.get("name") for _, _, d in [*G.in_edges(node, data=True), *G.out_edges(node, data=True)]}
    out = Roadworks(streets=sorted(n for n in around if isinstance(n, str)), residents_access=False).run(redon)
    assert np.isfinite(out.value("time_to_townhall_min")) and np.isnan(out.value("time_to_townhall_min", "works"))
    assert out.value("trips_without_route_peak", "works") > 0
    # works that leave it reachable keep its time
    assert np.isfinite(Roadworks(streets=["Quai Saint-Jacques"]).run(redon).value("time_to_townhall_min", "works"))


def test_part_of_a_street_closes_that_segment_alone(redon):
    """Roadworks hold a stretch between two crossings: a planner who clicked 50 m of Rue des Douves had its 340 m
    closed. A part, « Rue des Douves #u-v », closes its segment both ways and nothing else of the street; an
    unknown segment is refused by name."""
    from twin.scenarios.street_closure import StreetClosure
    from twin.territory.street_parts import parse_part, part_length_m, part_token

    G = redon.graphs["drive"]
    road = road_network(G)
    douves = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("name") == "Rue des Douves"]
    u, v, _ = douves[0]
    part = part_token("Rue des Douves", v, u)  # either order: the same part
    assert part == part_token("Rue des Douves", u, v) and parse_part(part)[0] == "Rue des Douves"
    edges = StreetClosure(streets=[part]).closed_edges(G)
    assert {frozenset((a, b)) for a, b, _ in edges} == {frozenset((u, v))}
    assert len(edges) == sum(1 for a, b, _ in douves if {a, b} == {u, v})  # both directions where both exist
    hit = Roadworks(streets=[part]).affected_edges(redon, road)
    whole = Roadworks(streets=["Rue des Douves"]).affected_edges(redon, road)
    assert 0 < hit.sum() < whole.sum() and not (hit & ~whole).any()
    out = Roadworks(streets=[part]).run(redon)
    assert float(out.data.attrs["works_street_m"]) == pytest.approx(part_length_m(G, part), abs=0.5)
    assert float(out.data.attrs["works_street_m"]) < float(Roadworks(streets=["Rue des Douves"]).run(redon)
                                                           .data.attrs["works_street_m"])
    with pytest.raises(ScenarioError, match="no street segment of the drive graph matches 'Rue des Douves #1-2'") as exc:
        StreetClosure(streets=["Rue des Douves #1-2"]).closed_edges(G)
    from twin.app.i18n_errors import user_message

    # the page says the part by its street and nodes, not as the token typed
    assert user_message(exc.value, "fr") == ("Aucun tronçon de rue carrossable ne correspond à « Rue des Douves » "
                                             "entre les nœuds OSM 1 et 2 : choisissez-le à nouveau sur la carte")
    # a part names its street: the segment of another street is not closed under a wrong name
    with pytest.raises(ScenarioError, match="no street segment of the drive graph matches 'Rue Fausse"):
        StreetClosure(streets=[part_token("Rue Fausse", u, v)]).closed_edges(G)
    # a signed detour along the street the works close part of runs on its open rest (it was refused as closed)
    signed = Roadworks(streets=[part], detour=["Rue des Douves"], day_method="peak+off-peak").run(redon)
    assert signed.data.attrs["detour"] == "Rue des Douves"
    layer = signed.table("streets").set_index("edge")
    at_works = layer.loc[[f"{a}-{b}-{k}" for a, b, k in edges], "signed_detour"]
    rest = layer.loc[[f"{a}-{b}-{k}" for a, b, k in douves if (a, b, k) not in edges], "signed_detour"]
    assert not at_works.any() and rest.all()  # signed on its open rest, not through the works
    # the same part under a capacity cut stays open: signed there too, as before
    halved = Roadworks(streets=[part], detour=["Rue des Douves"], capacity_factor=0.5, day_method="peak+off-peak")
    assert halved.run(redon).table("streets").set_index("edge").loc[at_works.index, "signed_detour"].all()
    with pytest.raises(ScenarioError, match="closed by the works"):  # the whole street closed: still refused
        Roadworks(streets=["Rue des Douves"], detour=[part]).run(redon)
    # the page's run details name the part by its street, ends and length, never its node ids
    from twin.app.run_details import detail_rows

    details = dict(detail_rows(out.data.attrs, "fr")[0])
    shown = next(v for v in details.values() if "Rue des Douves" in v)
    assert "#" not in shown and "tronçon" in shown, details


def test_works_in_one_direction_say_on_the_map_that_the_other_stays_open(redon):
    """Both directions of a street share one line on the map: one closed direction drew the street black, read as
    closed both ways. The caption says the works hold one direction, and the hover of each direction gives the
    other's traffic."""
    from twin.app.mapview import street_columns
    from twin.app.views.roadworks import overlays

    edges = list(street_columns(redon)["edge"])
    streets = {"streets": type("S", (), {"data": {"edge": edges}})()}
    one = Roadworks(streets=["Grande Rue"], one_direction=True).run(redon)
    (_, overlay, caption), *_ = overlays(one, streets, "fr")
    assert "travaux dans un seul sens" in caption
    closed = [v for v in overlay["value"] if v.startswith("fermée sauf riverains")]  # « sauf riverains »: the default
    assert closed and all("autre sens, ouvert : trafic à la pointe" in v for v in closed), closed
    opened = [v for v in overlay["value"] if "autre sens, fermé par les travaux" in v]
    assert len(opened) == len(closed) and not any(v.startswith("fermée") for v in opened)  # each says the other's
    assert all(w >= 5.0 for w, v in zip(overlay["width"], overlay["value"]) if v.startswith("fermée"))  # seen
    (_, both_overlay, both_caption), *_ = overlays(Roadworks(streets=["Grande Rue"]).run(redon), streets, "fr")
    assert "un seul sens" not in both_caption and not any("autre sens" in v for v in both_overlay["value"])


def test_residents_access_charges_the_entry_once_and_keeps_real_times(redon):
    """A review of « sauf riverains » charged per closed edge: the residents took the way out with the fewest
    edges, crowded it (Rue des Douves closed « gained » 621 veh/h, listed as the detour to sign), the penalty
    diluted the relative gap (1e-4 asked, 1,6e-3 on real times) and the town hall's time went NaN with nobody
    stranded. Charged once on entering, with the gap asked on real times."""
    from twin.scenarios.roadworks import entry_edges

    streets = ["Grande Rue", "Rue des Douves", "Quai Saint-Jacques"]
    loose, tight = (Roadworks(streets=streets, gap=g).run(redon) for g in (1e-4, 1e-8))
    assert loose.value("vehicle_hours_peak", "works") == pytest.approx(tight.value("vehicle_hours_peak", "works"),
                                                                       rel=2e-4)
    gainers = loose.data.attrs["top_gainers"]
    assert gainers and not any(s in gainers for s in streets), gainers  # the detour is on open streets
    road = road_network(redon.graphs["drive"])
    hit = Roadworks(streets=streets).affected_edges(redon, road)
    net = road.to_tntp()
    entry = entry_edges(net, hit)
    assert entry.any() and (entry <= hit).all() and entry.sum() < hit.sum()  # inside the works: no charge
    # the town hall's own streets closed « sauf riverains »: its residents still drive there, a time is given
    G = redon.graphs["drive"]
    from twin.models.accessibility import nearest_nodes

    pt = redon.place("townhall").geometry.representative_point()
    node = nearest_nodes(G, pt.x.to_numpy(), pt.y.to_numpy())[0]
    around = sorted({d.get("name") for _, _, d in [*G.in_edges(node, data=True), *G.out_edges(node, data=True)]
                     if isinstance(d.get("name"), str)})
    kept = Roadworks(streets=around).run(redon)
    assert np.isfinite(kept.value("time_to_townhall_min", "works"))
    assert kept.value("trips_without_route_peak", "works") == 0
