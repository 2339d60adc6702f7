"""What the result views show, in a real browser (Debian's chromium, playwright) on the real app
(apps/twin_app.py, served by the ``server`` fixture of tests/test_app_browser.py), at 1024×768 — a
laptop's or a projector's screen (issue 17: results that mislead or hide):

* the flood's defaults (an analog ensemble: a forecast): the chart says « Prévision émise le … à … h
  UTC », its dates carry the year, its axis reaches every alert line drawn, and a probability's change
  is in points on the cards;
* the flood detours' defaults on the seed (no fire station nor hospital on its map): no card « — », one
  plain French note in the cards, no OpenStreetMap tag anywhere;
* the lighting's defaults (« Ajouter une variante tout LED » ticked): the « tout LED » variant is shown,
  in a table under the schedule's cards, with the figures of the outcome the test runs in-process.

Screenshots (full page) go to the artefacts dir of tests/test_app_browser.py: results-flood.png,
results-flood-detours.png, results-lighting.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_app_browser import (  # noqa: F401 - fixtures
    CHROMIUM, _kpi, _run, browser, page_text, redon_history, server, shot)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="browser tests need Debian's chromium at /usr/bin/chromium")

FLOOD_JS = """() => {
    const fig = Array.from(Bokeh.documents[0].all_models).find(m => m.name === 'flood-stage');
    if (!fig) return null;
    // the alert levels (the gauge's readings before the forecast drawn apart: 'flood-observed')
    const lines = fig.renderers.filter(r => r.data_source.data.y !== undefined && r.name !== 'flood-observed')
                               .map(r => Array.from(r.data_source.data.y)[0]);
    const observed = fig.renderers.find(r => r.name === 'flood-observed');
    const band = fig.renderers.find(r => r.data_source.data.lo !== undefined);
    const axis = fig.below.find(m => m.type === 'DatetimeAxis');
    const f = axis.formatter;
    return {title: fig.title.text, start: fig.y_range.start, end: fig.y_range.end, lines: lines,
            lo: Math.min(...band.data_source.data.lo), hi: Math.max(...band.data_source.data.hi),
            hours: f.hours, days: f.days, xlabel: axis.axis_label,
            observed: observed ? Array.from(observed.data_source.data.y) : null,
            ylabels: Object.fromEntries(fig.left.find(m => m.type === 'LinearAxis').major_label_overrides)};
}"""


@pytest.fixture()
def small(browser, server):  # noqa: F811 - fixtures
    """A page at 1024×768."""
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    pg = ctx.new_page()
    pg.goto(server)
    pg.wait_for_selector("canvas", timeout=60_000)
    yield pg
    ctx.close()


def _family(page, label: str):
    page.get_by_text("Scénario", exact=True).first.click()
    family = page.locator("select").first
    family.wait_for(state="attached", timeout=30_000)
    family.select_option(label=label)


def test_the_flood_chart_says_forecast_and_when_with_the_year(small, redon_history):  # noqa: F811
    import pandas as pd
    from playwright.sync_api import expect

    from twin.app.views.flood import local_clock

    from twin.scenarios import SCENARIOS

    expected = SCENARIOS["flood"]().run(redon_history)
    assert expected.data.attrs["forecast_kind"] == "forecast"
    issued = str(local_clock(pd.Timestamp(expected.data.attrs["forecast_time"])))  # on Paris's clock
    day, hour = f"{issued[8:10]}/{issued[5:7]}/{issued[:4]}", issued[11:13]
    _family(small, "Anticipation des crues")
    _run(small, timeout=240_000)
    small.wait_for_function("() => Array.from(Bokeh.documents[0].all_models).some(m => m.name === 'flood-stage')",
                            timeout=60_000)
    chart = small.evaluate(FLOOD_JS)
    assert chart["title"] == f"Prévision émise le {day} à {hour} h (heure de Paris) : hauteur d'eau prévue à la station (m)"
    assert "%Y" in chart["hours"] and "%Y" in chart["days"] and chart["xlabel"] == "date et heure (heure de Paris)"
    assert "4,5" in chart["ylabels"].values()  # 4,5 m on the axis, not 4.5
    levels = [expected.data.attrs[f"alert_{x}_m"] for x in ("yellow", "orange", "red")]
    assert sorted(chart["lines"]) == sorted(levels)
    # the gauge's readings of the day before, drawn in the browser as the outcome holds them
    assert chart["observed"] == pytest.approx(list(expected.series("observed_stage_m").values))
    for value in (*chart["lines"], chart["lo"], chart["hi"]):
        assert chart["start"] < value < chart["end"], (value, chart)
    # the orange level's probability: its change in points, never « % » of a percentage
    v = expected.first_variant
    change = expected.value("p_orange_pct", v) - expected.value("p_orange_pct")
    assert change != 0
    delta = small.locator(".kpi-area [data-kpi='p_orange_pct'] .kpi-delta")
    expect(delta).to_be_visible()
    # against the river without further rain (the forecast's baseline), not « la situation actuelle »
    assert re.fullmatch(r"[+-][\d ,\u202f]+\u00a0pts vs sans pluie à venir \(avec la même incertitude du modèle\)",
                        delta.inner_text()), delta.inner_text()
    # drawn, within the screen: no page wider than 1024 px, the chart's canvas its width
    small.locator(".result-series").scroll_into_view_if_needed()
    expect(small.locator(".result-series canvas").first).to_be_attached()
    boxes = [b for c in small.locator(".result-series canvas").all() if (b := c.bounding_box())]
    box = max(boxes, key=lambda b: b["width"] * b["height"])  # Bokeh's drawn layer (others may be empty)
    assert box["width"] > 500 and box["height"] > 200 and box["x"] + box["width"] <= 1024, box
    assert small.evaluate("() => document.scrollingElement.scrollWidth") <= 1024
    shot(small, "results-flood")


def test_flood_detours_without_station_one_plain_note_and_no_empty_card(small):  # noqa: F811
    from playwright.sync_api import expect

    _family(small, "Crue : rues fermées et secours")
    _run(small, timeout=240_000)
    cards = small.locator(".kpi-area")
    note = cards.locator(".cards-note")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Temps d'accès des pompiers et de l'hôpital non calculés : la carte de la commune "
                                 "ne montre ni caserne de pompiers ni hôpital")
    values = cards.locator(".kpi-value").all_inner_texts()
    assert values and "—" not in values, values
    assert cards.locator("[data-kpi^='fire_'], [data-kpi^='hospital_']").count() == 0
    text = page_text(small)
    assert "amenity" not in text and "non calculé" not in small.locator(".result-caption").inner_text()
    shot(small, "results-flood-detours")


def test_the_all_led_variant_is_shown_with_the_schedule(small, redon_history):  # noqa: F811
    from playwright.sync_api import expect

    from twin.app.i18n import fmt_quantity, unit_label
    from twin.scenarios import SCENARIOS

    expected = SCENARIOS["lighting"]().run(redon_history)
    _family(small, "Extinction de l'éclairage")
    _run(small)
    led = small.locator(".kpi-area .other-variant[data-variant='led_retrofit']")
    expect(led).to_be_visible()
    expect(led.locator("h3")).to_have_text("Variante calculée en plus : tout LED (chaque lampe non LED remplacée, "
                                           "horaires d'aujourd'hui)")
    # the form names its schedule (« Extinction 23 h–5 h »): the cards say it is theirs
    heading = small.locator(".kpi-area .variant-heading")
    expect(heading).to_have_text(re.compile(r"^Variante : \S.*"))
    assert "schedule" not in heading.inner_text()
    for kpi in ("energy_kwh", "investment_eur", "payback_years"):
        unit = str(expected.data["unit"].sel(kpi=kpi).values)
        want = fmt_quantity(expected.value(kpi, "led_retrofit"), unit_label(unit), "fr")
        assert led.locator(f"tr[data-other-kpi='{kpi}'] td.num").first.inner_text() == want
    # the cards are the schedule's, one per KPI
    assert _kpi(small, "energy_kwh") == fmt_quantity(expected.value("energy_kwh", "schedule"),
                                                     unit_label("kWh/yr"), "fr")
    # the map says which of the two variants it shows
    name = heading.inner_text().removeprefix("Variante : ")
    expect(small.locator(".result-caption")).to_contain_text(
        f"Lampadaires : énergie de la nuit, en part d'une nuit à pleine puissance, dans la variante « {name} » "
        "(doré : toute la nuit à pleine puissance ; plus sombre : éteint ou abaissé une partie de la nuit)")
    led.scroll_into_view_if_needed()
    shot(small, "results-lighting")


def test_a_main_break_from_the_builder_shows_the_homes_to_warn(small):  # noqa: F811
    """« Eau potable : casse d'une conduite » under Rue des Moulins: the cards say the people without water, the map
    draws the shut pipes black and the dry streets red (on the synthetic network, which the caption
    says), and the list of buildings to warn downloads."""
    from playwright.sync_api import expect

    _family(small, "Eau potable : casse d'une conduite")
    field = small.locator(".field-broken_street select")
    expect(field).to_have_value("Rue des Moulins")
    _run(small, timeout=180_000)
    expect(small.locator(".kpi-area [data-kpi='people_without_water']")).to_be_visible()
    text = page_text(small)
    assert "personnes privées d'eau" in text and "SYNTHÉTIQUE" in text and "vannes à fermer" in text
    button = small.get_by_text(re.compile(r"Télécharger la liste des bâtiments sans eau \(\d+, CSV\)"))
    expect(button).to_be_visible()
    with small.expect_download() as info:
        button.click()
    rows = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].split(";")[:3] == ["batiment_id", "adresse", "noeud"] and len(rows) > 5
    assert small.evaluate("() => document.scrollingElement.scrollWidth") <= 1024
    shot(small, "results-water-break")


def test_a_night_pressure_reduction_from_the_builder(small):  # noqa: F811
    """« Eau potable : baisser la pression la nuit » at 30 m: the cards give the water lost a year and the
    payback, the caption says the network is SYNTHETIC, the map shows the night pressure under the
    streets, and the chart the pressure hour by hour with the service pressure."""
    from playwright.sync_api import expect

    _family(small, "Eau potable : baisser la pression la nuit")
    _run(small, timeout=180_000)
    expect(small.locator(".kpi-area [data-kpi='leakage_m3_per_year']")).to_be_visible()
    expect(small.locator(".kpi-area [data-kpi='payback_years']")).to_be_visible()
    text = page_text(small)
    assert "eau perdue en fuites par an" in text and "SYNTHÉTIQUE" in text
    assert "Pression la nuit (00:00–05:00) sous chaque rue" in text
    assert small.evaluate("() => document.scrollingElement.scrollWidth") <= 1024
    shot(small, "results-water-pressure")


def test_metered_districts_from_the_builder(small):  # noqa: F811
    """« Eau potable : secteurs et compteurs connectés »: the cards give the water hidden leaks lose and the
    payback, the caption counts the districts, meters and shut boundaries of the SYNTHETIC network."""
    from playwright.sync_api import expect

    _family(small, "Eau potable : secteurs et compteurs connectés")
    _run(small, timeout=180_000)
    expect(small.locator(".kpi-area [data-kpi='hidden_losses_m3_per_year']")).to_be_visible()
    expect(small.locator(".kpi-area [data-kpi='payback_years']")).to_be_visible()
    text = page_text(small)
    assert "eau perdue par les fuites non signalées, par an" in text
    assert re.search(r"\d+ secteurs comptés \(réseau SYNTHÉTIQUE posé sous les rues\)", text)
    assert small.evaluate("() => document.scrollingElement.scrollWidth") <= 1024
    shot(small, "results-water-meters")


def test_results_say_when_the_form_has_changed_since_they_ran(small):  # noqa: F811
    """An elected official changed a field and read the old cards as the new answer: the page now says
    the cards are the earlier settings', dims them, and says nothing once they are run again or the
    field is put back."""
    from playwright.sync_api import expect

    _family(small, "Fermeture de rues")
    _run(small)
    note = small.locator(".stale-note")
    expect(note).to_be_hidden()
    destination = small.locator("select").nth(2)  # the family, the streets, then the destination
    before = destination.input_value()
    other = next(o for o in destination.locator("option").all_inner_texts() if o and o != before)
    destination.select_option(label=other)
    expect(note).to_be_visible()
    expect(note).to_contain_text("Résultats des réglages d'avant vos changements")
    # every part of the result dimmed, not the cards alone (the map and the chart were read as new)
    parts = (".kpi-area", ".result-caption", ".result-map", ".result-series")
    for part in parts:
        assert "stale" in (small.locator(part).first.get_attribute("class") or ""), part
    assert small.locator(".result-map").first.is_visible()
    assert small.locator(".result-map").first.evaluate("e => getComputedStyle(e).opacity") == "0.45"
    shot(small, "results-stale")
    destination.select_option(label=before)  # put back: the cards are the form's again
    expect(note).to_be_hidden()
    destination.select_option(label=other)
    expect(note).to_be_visible()
    _run(small)  # run again: the cards are this form's
    expect(note).to_be_hidden()
    for part in parts:
        assert "stale" not in (small.locator(part).first.get_attribute("class") or ""), part


@pytest.mark.parametrize("family,series", [("Corbeilles et collecte", "bins"), ("Stationnement", "parking"),
                                           ("Travaux et déviations", "roadworks")])
def test_a_chart_s_legend_is_under_it_and_the_page_fits_1024(small, family, series):  # noqa: F811
    """The legends of the bins', parking's and roadworks' charts sat inside them and hid the first hours;
    under a chart in one row, four long names would lay the page out wider than a 1024 px projector."""
    from playwright.sync_api import expect

    _family(small, family)
    _run(small, timeout=180_000)
    chart = small.locator(".result-series canvas").first
    expect(chart).to_be_visible(timeout=30_000)
    chart.scroll_into_view_if_needed()
    shot(small, f"results-legend-{series}")
    wide = small.evaluate("""() => { const out = []; const walk = (root) => { for (const e of root.querySelectorAll('*')) {
        if (e.shadowRoot) walk(e.shadowRoot); const r = e.getBoundingClientRect();
        if (r.right > 1024) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right)); } }; walk(document);
        return out.slice(0, 12); }""")
    assert small.evaluate("() => document.scrollingElement.scrollWidth") <= 1024, wide


def test_the_flood_forecast_s_record_on_past_floods_shows_under_its_cards(small, redon_history):  # noqa: F811
    """« Fiabilité : crues passées rejouées » set to 1: under the cards, the forecasts replayed before the highest
    past flood, their peaks as the in-process outcome holds them, and the SYNTHETIC caution."""
    from playwright.sync_api import expect

    from tests.test_app_browser_robust import _type
    from twin.app.i18n import fmt_number
    from twin.scenarios import SCENARIOS

    expected = SCENARIOS["flood"](past_floods=1, members=20).run(redon_history)
    table = expected.table("past_forecasts")
    _family(small, "Anticipation des crues")
    handle = small.locator(".field-past_floods .noUi-handle").first  # a slider 0–5: one step to the right
    handle.wait_for(state="visible", timeout=20_000)
    handle.press("ArrowRight")
    expect(small.locator(".field-past_floods")).to_contain_text("1")
    _type(small, "members", "20")
    _run(small, timeout=240_000)
    box = small.locator(".kpi-area .flood-record")
    expect(box).to_be_visible(timeout=60_000)
    expect(box.locator("h3")).to_have_text("Fiabilité : la prévision par pluies analogues rejouée sur les crues "
                                           "passées")
    text = box.inner_text()
    for peak in table["forecast_peak_m"]:
        assert f"{fmt_number(round(float(peak), 2), 'fr')}\u00a0m" in text, (peak, text)
    assert "SYNTHÉTIQUES" in text and "seuil orange (4,5 m)" in text
    assert small.evaluate("() => document.scrollingElement.scrollWidth") <= 1024  # the table within the page
    shot(small, "results-flood-record")
