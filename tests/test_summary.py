"""The town summary under the page title (twin.app.summary) on the Redon seed: its counts are the
territory's own frames, synthetic lamps and sensors are said synthetic, the HTML escapes."""

from __future__ import annotations

import contextlib
import io
import re

import pandas as pd
import pytest

from twin.app.summary import town_summary, town_summary_html


@pytest.fixture(scope="module")
def redon():
    from twin.seeds import open_territory

    return open_territory("redon")


def test_counts_are_the_territorys_own_frames(redon):
    s = town_summary(redon)
    assert s["buildings"] == len(redon.layers["buildings"]) > 0
    kinds = redon.layers["bins"]["kind"]
    # the litter bins the bins scenario collects, apart from the sorting containers (« 38 » vs « only 27 »)
    assert s["bins"] == (kinds == "waste_basket").sum() > 0 and s["containers"] == (kinds != "waste_basket").sum() > 0
    assert f"<b>{s['bins']}</b> corbeilles et <b>{s['containers']}</b> autres conteneurs" in town_summary_html(redon)
    assert s["lamps"]["count"] == len(redon.layers["lamps"]) > 0
    assert s["lamps"]["by_source"] == redon.layers["lamps"]["source"].value_counts().to_dict()
    G = redon.graphs["drive"]
    names = {d["name"] for _, _, d in G.edges(data=True) if isinstance(d.get("name"), str) and d["name"].strip()}
    assert s["streets"]["named"] == len(names) > 10
    # every segment once: between half the directed length (all two-way) and all of it (all one-way)
    directed_km = sum(d["length"] for _, _, d in G.edges(data=True)) / 1000
    assert directed_km / 2 - 0.01 <= s["streets"]["km"] <= directed_km + 0.01
    # `twin info` says the same street length beside its edges' (« 20.03 km » against the page's « 11,7 km »)
    from twin.cli.printing import print_summary

    with contextlib.redirect_stdout(io.StringIO()) as out:
        print_summary(redon)
    assert f"{directed_km:.2f} km of edges ({s['streets']['km']:.2f} km of street, each segment once)" in out.getvalue()
    reg = redon.sensors.sensors
    assert s["sensors"]["count"] == len(reg) > 0
    assert {k["quantity"]: k["count"] for k in s["sensors"]["kinds"]} == reg["quantity"].value_counts().to_dict()


def test_sensor_periods_are_the_stores_first_and_last_observations(redon):
    s = town_summary(redon)
    store = redon.sensors
    sid = "vilaine-redon-h"
    obs = store.query(sid, include_flagged=True)
    kind = next(k for k in s["sensors"]["kinds"] if k["quantity"] == "water_level")
    assert kind["count"] == 1
    assert pd.Timestamp(kind["first"]) == obs["time"].min()
    assert pd.Timestamp(kind["last"]) == obs["time"].max()
    row = store.sql("SELECT min(time) AS a, max(time) AS b FROM observations").iloc[0]
    assert pd.Timestamp(s["sensors"]["first"]) == row["a"] and pd.Timestamp(s["sensors"]["last"]) == row["b"]


def test_generated_lamps_and_sensors_are_said_synthetic(redon):
    s = town_summary(redon)
    assert s["lamps"]["synthetic"] == len(redon.layers["lamps"])  # the seed's lamps are all generated
    assert s["lamps"]["seed"] == redon.provenance["lamp_seed"]
    text = town_summary_html(redon, "fr")
    lamps_item = next(li for li in re.findall(r"<li>(.*?)</li>", text) if "lampadaires" in li)
    assert "générés (synthétiques)" in lamps_item
    assert f"<b>{len(redon.layers['lamps'])}</b>" in lamps_item
    sensors_item = next(li for li in re.findall(r"<li>(.*?)</li>", text) if " capteurs " in li)
    assert "générés (synthétiques)" in sensors_item and "du 01/01/2021" in sensors_item
    assert "générés (synthétiques)" not in next(li for li in re.findall(r"<li>(.*?)</li>", text)
                                                if "bâtiments" in li)  # OSM buildings are not synthetic
    assert "generated (synthetic)" in town_summary_html(redon, "en")


def test_inhabitants_unknown_unless_the_territory_says(redon):
    assert town_summary(redon)["inhabitants"] is None
    assert "Habitants : <b>inconnu" in town_summary_html(redon, "fr")
    told = redon.replace(provenance={**redon.provenance, "population": 9_000, "population_source": "INSEE <2021>"})
    s = town_summary(told)
    assert s["inhabitants"] == 9000
    text = town_summary_html(told, "fr")
    assert "<b>9\u202f000</b>" in text and "INSEE &lt;2021&gt;" in text  # a file's text is escaped


def test_an_imported_inventory_is_not_called_synthetic(redon):
    lamps = redon.layers["lamps"].copy()
    lamps["source"] = "inventory"
    other = redon.replace(layers={**redon.layers, "lamps": lamps})
    assert town_summary(redon)["lamps"]["synthetic"] == len(lamps)  # the original's summary is kept apart
    s = town_summary(other)
    assert s["lamps"]["synthetic"] == 0 and s["lamps"]["by_source"] == {"inventory": len(lamps)}
    item = next(li for li in re.findall(r"<li>(.*?)</li>", town_summary_html(other, "fr")) if "lampadaires" in li)
    assert "synthétiques" not in item and "inventaire importé" in item


def test_computed_once_per_territory(redon):
    first = town_summary(redon)
    assert town_summary(redon) is first
    assert town_summary_html(redon, "fr") is town_summary_html(redon, "fr")


def test_every_quantity_has_a_french_name_in_the_town_summary():
    """A sensor of any quantity the store knows is named in French in « Capteurs par type » (a new
    quantity without its catalogue entry would show its code name to an elected official)."""
    from twin.app.i18n import STRINGS
    from twin.quantities import QUANTITIES

    assert [q for q in QUANTITIES if f"orient_q_{q}" not in STRINGS] == []
