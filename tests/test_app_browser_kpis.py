"""Honest KPI cards in a real browser (issue 17): a roadworks closure that strands trips is flagged
next to its cards, and the colour of a change follows the KPI's better / worse, not its sign."""

from __future__ import annotations

import json

from tests.test_app_browser import browser, page, page_text, redon_history, server, shot, _kpi, _run  # noqa: F401

GREEN, RED = "rgb(26, 127, 55)", "rgb(180, 35, 24)"  # .kpi-delta.better / .worse of twin.app.cards.CARDS_CSS


def _upload(page, tmp_path, spec: dict, loaded: str):
    f = tmp_path / "scenario.json"
    f.write_text(json.dumps(spec))
    page.get_by_text("Scénario", exact=True).first.click()
    page.locator(".scenario-upload input[type=file]").set_input_files(str(f))
    page.get_by_text(f"Scénario « {loaded} » chargé").wait_for(timeout=10_000)


def _delta(page, kpi: str):
    return page.locator(f".kpi-area [data-kpi='{kpi}'] .kpi-delta")


def _colour(locator) -> str:
    return locator.evaluate("e => getComputedStyle(e).color")


def test_a_closure_that_strands_trips_is_flagged_on_the_cards(page, redon_history, tmp_path):
    from playwright.sync_api import expect

    from twin.app.i18n import fmt_quantity, unit_label
    from twin.scenarios import Roadworks

    # shut to all, residents too: the homes behind the quay lose every route (« sauf riverains » strands nobody)
    spec = {"family": "roadworks", "streets": ["Quai Saint-Jacques"], "hours": "07:00-19:00", "residents_access": False}
    _upload(page, tmp_path, spec, "Travaux et déviations")
    _run(page)
    expected = Roadworks(streets=spec["streets"], hours=spec["hours"], residents_access=False).run(redon_history)
    trips = expected.value("trips_without_route_window", "works")
    assert trips > 0  # the quay is a zone's only drivable access
    assert _kpi(page, "trips_without_route_window") == fmt_quantity(trips, unit_label("trips"))
    flag = page.locator(".kpi-area .stranded-flag[data-flag='trips_without_route_window']")
    expect(flag).to_be_visible()
    text = flag.inner_text()
    assert text.startswith(f"Attention — trajets sans itinéraire (sur la plage horaire) : {fmt_quantity(trips, 'trajets')}")
    assert ("Temps total au volant (sur la plage horaire), kilomètres parcourus (sur la plage horaire), CO2 émis (sur "
            "la plage horaire), temps au volant valorisé en euros, pas une dépense de la commune (sur la plage "
            "horaire) ne les comptent pas") in text
    peak = page.locator(".kpi-area .stranded-flag[data-flag='trips_without_route_peak']")
    expect(peak).to_be_visible()
    # the stranded demand itself is worse: red
    assert _colour(_delta(page, "trips_without_route_window")) == RED
    # driven vehicle-hours rose here: red, and the card says the stranded trips are not in it
    vh = _delta(page, "vehicle_hours_window")
    assert expected.value("vehicle_hours_window", "works") > expected.value("vehicle_hours_window")
    assert _colour(vh) == RED and "sans les trajets sans itinéraire (sur la plage horaire)" in vh.inner_text()
    flag.scroll_into_view_if_needed()
    shot(page, "kpis-01-roadworks-stranded")


def test_a_lower_is_better_kpi_that_fell_is_green_and_a_short_payback_too(page, tmp_path):
    from playwright.sync_api import expect

    _upload(page, tmp_path, {"family": "lighting"}, "Extinction de l'éclairage")
    _run(page)
    cost = _delta(page, "cost_eur")
    expect(cost).to_be_visible()
    assert cost.inner_text().startswith("-") and _colour(cost) == GREEN  # a cost that fell
    payback = _delta(page, "payback_years")
    assert payback.inner_text() == "se rembourse" and _colour(payback) == GREEN  # was red: +0,12 an vs 0
    lit = _delta(page, "sensitive_lit_share_pct")  # higher is better, fell: red
    assert lit.inner_text().startswith("-") and _colour(lit) == RED
    assert "stranded-flag" not in page.locator(".kpi-area").first.inner_html()
    shot(page, "kpis-02-lighting-colours")
