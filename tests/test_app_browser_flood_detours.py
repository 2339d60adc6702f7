"""The flood-detours family in a real browser (Debian's chromium, playwright) on the real app
(apps/twin_app.py, served by the ``server`` fixture of tests/test_app_browser.py) and the embedded Redon:
the town summary under the title, the family chosen in the family list, run with its defaults, its
result map (flooded segments, detours), its KPI cards with one plain note on emergency access (the
seed has no fire station nor hospital: those cards are left out); and its hourly figure's legend, whose variant name must be a text.

Fixtures and helpers come from tests/test_app_browser.py; the screenshot goes to its artefacts dir.
"""

from __future__ import annotations

import pytest

from tests.test_app_browser import (  # noqa: F401 - fixtures
    CHROMIUM, _kpi, _run, browser, page, page_text, redon_history, server, shot)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="browser tests need Debian's chromium at /usr/bin/chromium")

LABEL = "Crue : rues fermées et secours"


@pytest.fixture(scope="module")
def expected(redon_history):  # noqa: F811 - fixture
    """The family's defaults run in this process: what the page must show."""
    from twin.scenarios.flood_detours import FloodDetours

    return FloodDetours().run(redon_history)


def test_flood_detours_map_note_and_cards(page, expected):  # noqa: F811 - fixtures
    from playwright.sync_api import expect

    from twin.app.i18n import fmt_number

    # the town at a glance, under the title (twin.app.summary), before anything is run
    summary = page.get_by_role("region", name="La commune en bref")
    expect(summary).to_be_visible(timeout=30_000)
    expect(summary).to_contain_text("bâtiments")
    expect(summary).to_contain_text("Capteurs par type")
    page.get_by_text("Scénario", exact=True).first.click()
    family = page.locator("select").first
    family.wait_for(state="attached", timeout=30_000)
    offered = family.evaluate("s => Array.from(s.options).map(o => o.label)")
    assert LABEL in offered, f"the family list does not offer {LABEL!r} (twin.app.builder.FAMILIES): {offered}"
    family.select_option(label=LABEL)
    _run(page, timeout=240_000)
    # the page ran the family's defaults (the ``expected`` fixture)
    v = expected.first_variant
    shut = expected.value("segments_closed", v)
    assert shut > 0
    assert _kpi(page, "segments_closed").startswith(fmt_number(shut, "fr"))
    caption = page.locator(".result-caption")
    closed = f"les {fmt_number(shut, 'fr')} tronçons fermés par la crue"  # the card's count, not the edges
    expect(caption.get_by_text(closed, exact=False)).to_be_visible()
    # why the seed has no access times: one plain sentence in the cards (not under the map, not in OSM tags)
    expect(page.locator(".kpi-area .cards-note")).to_contain_text("Temps d'accès des pompiers et de l'hôpital "
                                                                  "non calculés")
    expect(page.locator(".result-map canvas").first).to_be_visible()
    expect(page.locator(".result-series canvas").first).to_be_visible()  # the detours' vehicle-hours
    text = page_text(page)
    assert "not computed" not in text and "no amenity" not in text  # the note is French, not the model's words
    page.locator(".result-map").scroll_into_view_if_needed()
    shot(page, "flood-detours")


def test_the_detours_legend_names_its_variant_as_text(expected):
    """The hourly figure's legend says « rues inondées fermées » as a text: a label assigned as a plain
    string is read by Bokeh as a column name, and the page draws « Invalid field » in the legend (seen
    in the screenshot of the test above). Bokeh's serialization of the label must be a value."""
    from bokeh.core.property.vectorization import Value

    from twin.app.i18n import t
    from twin.app.views.flood_detours import figure_for

    fig = figure_for(expected, "fr")
    labels = [item.label for item in fig.legend[0].items]
    assert all(isinstance(lab, Value) for lab in labels), f"legend labels that are not texts: {labels!r}"
    assert t("orient_fd_variant", "fr") in [lab.value for lab in labels]
