"""The flood-detours family in a real browser (Debian's chromium, playwright) on the embedded Redon:
chosen in the family list, run with its defaults, its result map (flooded segments, detours), its
note on emergency access (the seed has no fire station nor hospital) and its KPI cards.

Fixtures and helpers come from tests/test_app_browser.py; the screenshot goes to its artefacts dir.
"""

from __future__ import annotations

import pytest

from tests.test_app_browser import (  # noqa: F401 - fixtures
    CHROMIUM, _kpi, _run, browser, page, page_text, redon_history, server, shot)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="browser tests need Debian's chromium at /usr/bin/chromium")

LABEL = "Crue : rues fermées et secours"


def test_flood_detours_map_note_and_cards(page, redon_history):  # noqa: F811 - fixtures
    from playwright.sync_api import expect

    from twin.app.i18n import fmt_number
    from twin.scenarios.flood_detours import FloodDetours

    page.get_by_text("Scénario", exact=True).first.click()
    family = page.locator("select").first
    family.wait_for(state="attached", timeout=30_000)
    offered = family.evaluate("s => Array.from(s.options).map(o => o.label)")
    assert LABEL in offered, f"the family list does not offer {LABEL!r} (twin.app.builder.FAMILIES): {offered}"
    family.select_option(label=LABEL)
    _run(page, timeout=240_000)
    expected = FloodDetours().run(redon_history)  # the page ran the family's defaults
    v = expected.first_variant
    shut = len(expected.table("streets_to_close"))
    assert shut > 0
    assert _kpi(page, "segments_closed").startswith(fmt_number(expected.value("segments_closed", v), "fr"))
    caption = page.locator(".result-caption")
    closed = f"les {fmt_number(shut, 'fr')} tronçons fermés par la crue"
    expect(caption.get_by_text(closed, exact=False)).to_be_visible()
    expect(caption.get_by_text("Accès des secours non calculé", exact=False)).to_be_visible()
    expect(page.locator(".result-map canvas").first).to_be_visible()
    expect(page.locator(".result-series canvas").first).to_be_visible()  # the detours' vehicle-hours
    text = page_text(page)
    assert "not computed" not in text and "no amenity" not in text  # the note is French, not the model's words
    page.locator(".result-map").scroll_into_view_if_needed()
    shot(page, "flood-detours")
