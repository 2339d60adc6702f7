"""Issue 24, heating on a bare territory: the prior of the public buildings' gas (CEREN per m² by use, the
zone's climate coefficient, a SYNTHETIC climate year from a station's normals), the heating scenario as an
ensemble on it, and the prior against meters."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from twin.calibration import climate_station, heating_prior as prior
from twin.models.climate import heating_degree_days, seasonal_cycle_c, synthetic_temperature_year

LYON = climate_station.climate_normals().set_index("station").loc["Lyon"]
LYON_NORMALS = LYON[list(climate_station.MONTHS)].to_numpy(float)


def test_the_synthetic_year_keeps_each_months_normal_and_its_seed():
    normal = synthetic_temperature_year(2023, LYON_NORMALS, anomaly_sd_c=0.0)
    assert len(normal) == 8760 and str(normal.index.tz) == "Europe/Paris"
    monthly = normal.groupby(normal.index.month).mean().to_numpy()
    np.testing.assert_allclose(monthly, LYON_NORMALS, atol=0.05)  # the spline, shifted month by month
    night, afternoon = normal[normal.index.hour == 3].mean(), normal[normal.index.hour == 15].mean()
    assert afternoon - night > 5  # a diurnal range of 8 K: nights colder than the day's mean
    a, b = (synthetic_temperature_year(2023, LYON_NORMALS, seed=s) for s in (1, 2))
    pd.testing.assert_series_equal(a, synthetic_temperature_year(2023, LYON_NORMALS, seed=1))
    assert not np.allclose(a.to_numpy(), b.to_numpy())
    daily = a.groupby(a.index.normalize()).mean() - seasonal_cycle_c(np.arange(1, 366), LYON_NORMALS, 2023)
    assert 2.0 < daily.std() < 4.0  # the weather: a day-to-day anomaly of sd 3 K
    with pytest.raises(ValueError, match="twelve"):
        synthetic_temperature_year(2023, LYON_NORMALS[:11])


def test_a_colder_station_has_more_degree_days():
    normals = climate_station.climate_normals().set_index("station")
    months = list(climate_station.MONTHS)
    hdd = {s: heating_degree_days(synthetic_temperature_year(2023, normals.loc[s, months].to_numpy(float),
                                                             anomaly_sd_c=0.0)) for s in ("Strasbourg", "Rennes", "Nice")}
    assert hdd["Strasbourg"] > hdd["Rennes"] > hdd["Nice"]
    assert 1000 < hdd["Nice"] and hdd["Strasbourg"] < 3500  # French DJU span 1,400 (Corsica) … 3,800 (Jura)


@pytest.mark.parametrize("lat,lon,station,zone", [(47.65, -2.08, "Rennes", "H2a"), (46.26, 4.89, "Lyon", "H1c"),
                                                   (43.61, 3.88, "Montpellier", "H3")])
def test_the_nearest_station_gives_the_climate_and_zone(lat, lon, station, zone):
    s = climate_station.nearest_station(lat, lon)
    assert (s.name, s.zone) == (station, zone) and s.distance_km < 120


def test_the_prior_per_m2_is_cerens_by_use_times_zone_and_age():
    assert prior.heating_kwh_per_m2("education", "H1c") == pytest.approx(104.4 * 1.1)
    assert prior.heating_kwh_per_m2("public", "H3") == pytest.approx(136.6 * 0.6)
    assert prior.heating_kwh_per_m2("unknown", "H2a") == pytest.approx(120.8 * 0.9)
    assert prior.heating_kwh_per_m2("sport", "H2a", 2010) == pytest.approx(127.9 * 0.9 * 0.70)
    assert [prior.age_factor(y) for y in (None, np.nan, "?", 1900, 1980, 2006)] == [1, 1, 1, 1, 0.85, 0.70]


def test_osm_dates_a_building_when_it_can():
    from twin.territory.assets import _year_built

    assert _year_built({"start_date": "1975-06"}) == 1975
    assert _year_built({"start_date": "~1890"}) == 1890
    assert _year_built({"building:year": "2008"}) == 2008
    assert np.isnan(_year_built({"start_date": "C19"})) and np.isnan(_year_built({}))


def test_the_communal_park_of_a_village_comes_from_uses_and_places(pont_de_veyle):
    park = prior.communal_buildings(pont_de_veyle)
    assert set(park["use"]) <= set(prior.COMMUNAL_USES) and (park["floor_m2"] >= prior.MIN_FLOOR_M2).all()
    names = set(park["name"].dropna())
    assert {"Annexe mairie et Bibliothèque", "Église Notre-Dame de l'Assomption"} <= names  # tagged buildings
    # the schools are mapped as grounds (amenity=school areas): their buildings are the education ones
    assert (park["use"] == "education").sum() >= 3
    assert (park["levels_from"] == "osm").sum() >= 1 and (park["levels_from"] == "assumed").sum() >= 1
    # another owner's buildings are left out: the collège (the département's), the Maison Familiale Rurale (an
    # association's), the post office and the fire station
    b = pont_de_veyle.layers["buildings"].set_index("id")
    kept = b.loc[park["building_id"]]
    assert not kept["amenity"].isin(["post_office", "fire_station"]).any()
    assert not park["name"].fillna("").str.contains("Collège|Maison Familiale").any()
    assert park["floor_m2"].sum() < 10_000  # the collège alone had 11,248 m²


def test_who_owns_a_building_that_is_not_the_communes():
    assert prior.other_owner("post_office") == "La Poste"
    assert prior.other_owner(None, None, "Collège George Sand").startswith("the département")
    assert prior.other_owner(None, "Lycée Beaumont").startswith("the région")
    assert prior.other_owner(None, "Maison Familiale Rurale de Pont-de-Veyle") == "an association (MFR)"
    assert prior.other_owner(None, "École privée Sainte-Marie") == "private"
    assert prior.other_owner("townhall", "Mairie", "École primaire") is None


def test_prior_parks_share_a_town_factor_and_replay_by_member(pont_de_veyle):
    park = prior.communal_buildings(pont_de_veyle).head(5)
    draws = prior.prior_park(park, "H1c", lambda bp: 2000.0, members=400, seed=3)
    per_member = draws.groupby("member")["town_factor"].nunique()
    assert (per_member == 1).all()  # one town-wide factor per member, every building shares it
    # each building's draws against CEREN's figure for it: a lognormal whose MEAN is CEREN's (they are means)
    ratio = draws["heating_kwh_per_m2"] / draws["use"].map(lambda u: prior.heating_kwh_per_m2(u, "H1c"))
    assert ratio.mean() == pytest.approx(1.0, abs=0.04)  # recovery of the prior's own centre, not validity
    assert ratio.median() == pytest.approx(prior.MEAN_TO_MEDIAN, abs=0.04) and prior.MEAN_TO_MEDIAN < 0.95
    assert np.log(ratio).std() == pytest.approx(np.hypot(prior.TOWN_LOG_SD, prior.BUILDING_LOG_SD), rel=0.1)
    few = prior.prior_park(park, "H1c", lambda bp: 2000.0, members=3, seed=3)
    pd.testing.assert_frame_equal(few.drop(columns="geometry"),
                                  draws[draws["member"] < 3].drop(columns="geometry").reset_index(drop=True))
    # a normal year's heating gas back from the slope: per m² × floor
    first = draws.iloc[0]
    assert first["heating_slope"] * 2000.0 == pytest.approx(first["heating_kwh_per_m2"] * first["floor_m2"])


@pytest.fixture(scope="module")
def village_heating(pont_de_veyle):
    from twin.scenarios.heating import HeatingSchedules

    return HeatingSchedules(members=12, prior_seed=1).run(pont_de_veyle)


def test_heating_runs_on_a_village_without_meters_as_a_labelled_ensemble(village_heating, pont_de_veyle):
    out = village_heating
    attrs = out.data.attrs
    assert "no gas meter" in attrs["priors"] and "SYNTHETIC" in attrs["priors"] and "CEREN" in attrs["priors"]
    assert attrs["calibration"] == "prior (no meter)" and "Lyon" in attrs["climate"]
    assert out.is_ensemble and len(out.member_seeds) == 12
    for v in out.variants:
        for k in ("gas_kwh", "cost_eur"):
            low, value, high = (float(out.data[b].sel(variant=v, kpi=k)) for b in ("low", "value", "high"))
            assert low <= value <= high and low < high  # the prior's width, before any meter
    assert out.value("gas_kwh", "booking schedule") < out.value("gas_kwh")
    b = out.table("buildings")
    assert set(b["building_id"]) == set(prior.communal_buildings(pont_de_veyle)["building_id"])
    sav = b[b["variant"] == "booking schedule"]
    assert ((sav["saving_kwh_low"] <= sav["saving_kwh"]) & (sav["saving_kwh"] <= sav["saving_kwh_high"])).all()
    assert out.table_info["buildings"].description.startswith("PRIOR")


def test_a_bms_on_the_prior_pays_back_on_what_it_adds_to_the_booking_schedule(village_heating):
    """The members' paybacks counted the BMS against the booking schedule it runs, their mean against
    today's: « 1,2 an » shown with a band of « jamais … jamais »."""
    from twin.economics import payback_years

    out, bms = village_heating, "BMS + booking schedule"
    value = out.value("payback_years", bms)
    assert value == payback_years(out.value("investment_eur", bms),
                                  out.value("cost_eur", "booking schedule") - out.value("cost_eur", bms))
    low, high = (float(out.data[b].sel(variant=bms, kpi="payback_years")) for b in ("low", "high"))
    assert low <= value <= high


def test_the_same_seed_gives_the_same_prior_outcome(village_heating, pont_de_veyle):
    from twin.scenarios.heating import HeatingSchedules

    again = HeatingSchedules(members=12, prior_seed=1).run(pont_de_veyle)
    assert again.equals(village_heating)
    other = HeatingSchedules(members=12, prior_seed=2).run(pont_de_veyle)
    assert other.value("gas_kwh") != village_heating.value("gas_kwh")


def test_a_bare_copy_of_the_seed_heats_on_the_prior():
    from twin.scenarios.heating import HeatingSchedules
    from twin.seeds import load_default

    bare = copy.copy(load_default())
    bare.sensors = None  # the seed with its sensors removed
    out = HeatingSchedules(members=4).run(bare)
    assert "no gas meter" in out.data.attrs["priors"] and "Rennes" in out.data.attrs["climate"]


def test_the_prior_against_the_seeds_meters():
    """The seed's meters are SYNTHETIC: this compares two sets of assumptions (said in the text)."""
    from twin.scenarios.heating_prior_check import prior_against_meters
    from twin.seeds import load_default

    check = prior_against_meters(load_default(), members=200)
    s = check.attrs["summary"]
    assert s["synthetic_meters"] and "not a validation" in check.attrs["text"]
    assert s["buildings"] >= 15 and s["year"] == 2023
    assert 0.6 < s["median_ratio"] < 1.6  # no gross bias between the two
    assert s["inside_5_95"] >= 0.7  # most meters inside the prior's band
    assert ((check["prior_p05"] < check["prior_p50"]) & (check["prior_p50"] < check["prior_p95"])).all()


def test_the_report_opens_with_the_a_priori_note_of_a_variant_on_priors(village_heating, pont_de_veyle):
    from twin.app.report import report_html
    from twin.app.variants import Variant

    attrs = {k: str(v) for k, v in village_heating.data.attrs.items() if k not in ("scenario", "baseline")}
    prior = Variant("sans compteur", "heating", "pont_de_veyle", {}, [], attrs=attrs)
    text = report_html([prior, Variant("again", "heating", "pont_de_veyle", {}, [], attrs=attrs)], pont_de_veyle)
    assert text.count("A PRIORI — sans compteur de gaz") == 1  # once per family, before the figures
    assert "A PRIORI" not in report_html([Variant("mesuré", "heating", "redon", {}, [])], pont_de_veyle)
