"""Issue 24 in a real browser: the app opened on a village it has never seen, with no sensor
(``TWIN_TERRITORY`` = Pont-de-Veyle's OSM extract). Its heating and flood results rest on priors: each
opens with the « A PRIORI » note naming what the territory lacks, the cards give the 5–95 % band, and the
flood chart says it is a design event on a river without a gauge, not a forecast issued at a date.

Screenshots (full page) go to the artefacts dir of tests/test_app_browser.py: bare-heating.png, bare-flood.png.
"""

from __future__ import annotations

import pytest

from tests.conftest import reference_file
from tests.test_app_browser import (  # noqa: F401 - fixtures
    ARTIFACTS, CHROMIUM, _run, browser, page_text, shot, start_server, stop_server)
from tests.test_app_browser_results import _family

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="browser tests need Debian's chromium at /usr/bin/chromium")


@pytest.fixture(scope="module")
def bare_server(tmp_path_factory):
    osm = reference_file("territories/pont_de_veyle.osm.gz")
    proc, url = start_server(tmp_path_factory.mktemp("app-bare"), env={"TWIN_TERRITORY": str(osm)})
    yield url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "server-bare.log").write_text(proc.log_path.read_text())
    stop_server(proc)


@pytest.fixture()
def bare(browser, bare_server):  # noqa: F811 - fixtures
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    pg = ctx.new_page()
    pg.goto(bare_server)
    pg.wait_for_selector("canvas", timeout=120_000)
    yield pg
    ctx.close()


def test_heating_on_a_village_without_meters_says_a_priori_and_shows_its_band(bare):
    _family(bare, "Chauffage des bâtiments")
    _run(bare, timeout=240_000)
    text = page_text(bare)
    shot(bare, "bare-heating")
    assert "A PRIORI — sans compteur de gaz" in text
    assert "dans 9 tirages sur 10" in text  # the cards: the members' 5–95 % band, in words
    assert "no gas meter" not in text  # the scenario's English attributes are not the page's note


def test_flood_on_a_river_without_a_gauge_says_a_priori_and_no_issue_date(bare):
    _family(bare, "Anticipation des crues")
    _run(bare, timeout=240_000)
    bare.wait_for_function("() => Array.from(Bokeh.documents[0].all_models).some(m => m.name === 'flood-stage')",
                           timeout=60_000)
    title = bare.evaluate("() => Array.from(Bokeh.documents[0].all_models).find(m => m.name === 'flood-stage')"
                          ".title.text")
    text = page_text(bare)
    shot(bare, "bare-flood")
    assert title.startswith("A priori, sans station")
    assert "A PRIORI — sans station de débit" in text
    assert "Prévision émise le" not in text
    axis = bare.evaluate("() => Array.from(Bokeh.documents[0].all_models).find(m => m.name === 'flood-stage')"
                         ".below[0].axis_label")
    assert axis == "heures après le début de la pluie de projet"  # no placeholder date
