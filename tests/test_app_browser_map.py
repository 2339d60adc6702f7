"""Orientation in a real browser (Debian's chromium): the map's legend and the town's places named
on it, in French and in English, and the flood chart's axis and legend (issue 17).

The map is drawn on a canvas: what it shows is read from the page's own Bokeh document (the models
the browser drew), and the screenshots (test-artifacts/map-*.png, flood-chart.png) are for a person
to look at.
"""

from __future__ import annotations

from tests.test_app_browser import _run, browser, page, redon_history, server, shot  # noqa: F401
from twin.app.i18n import t

LAYERS = ("streets", "buildings", "water", "bins", "lamps", "sensors")
GROUPS = ("townhall", "station", "school", "other")

MAP_JS = """() => {
    const models = Array.from(Bokeh.documents[0].all_models);
    const legend = models.find(m => m.name === 'map-legend');  // the first map: the map tab's
    const labels = models.filter(m => m.type === 'LabelSet').map(m => m.source.data.label)[0];
    const fig = models.find(m => m.name === 'territory-map');
    return {legend: legend.items.map(i => i.label.value), labels: Array.from(labels).filter(x => x),
            in_figure: [...fig.right, ...fig.center].some(r => r === legend)};
}"""


def _map(pg) -> dict:
    pg.wait_for_function("() => window.Bokeh && Bokeh.documents.length && "
                         "Array.from(Bokeh.documents[0].all_models).some(m => m.name === 'map-legend')",
                         timeout=60_000)
    return pg.evaluate(MAP_JS)


def test_the_map_has_a_legend_and_names_the_town_hall_station_and_schools(page):
    drawn = _map(page)
    assert drawn["legend"] == [t(k, "fr") for k in LAYERS] + [t(f"place_{g}", "fr") for g in GROUPS]
    assert drawn["in_figure"], "the legend is laid out in the map"
    labels = drawn["labels"]
    assert "Mairie" in labels and "Gare" in labels, labels
    assert "Lycée Saint-Sauveur" in labels and "Les Halles" in labels and "Église Saint-Sauveur" in labels
    assert sum(x.startswith(("École", "Lycée", "Collège", "EREA")) for x in labels) >= 4
    page.wait_for_timeout(1000)  # the canvas is drawn after the models arrive
    shot(page, "map-fr")


def test_the_english_map_speaks_english(browser, server):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.goto(server + "?lang=en")
    drawn = _map(pg)
    assert drawn["legend"] == [t(k, "en") for k in LAYERS] + [t(f"place_{g}", "en") for g in GROUPS]
    assert drawn["legend"][0] == "Streets" and "Town hall" in drawn["labels"] and "Mairie" not in drawn["labels"]
    pg.wait_for_timeout(1000)
    shot(pg, "map-en")
    ctx.close()


FLOOD_JS = """(title) => {
    const models = Array.from(Bokeh.documents[0].all_models);
    // by its name: its title now says the forecast's date (views/flood.py's chart_title)
    const fig = models.find(m => m.type === 'Figure' && m.name === title);
    if (!fig) return null;
    // the legend under the chart (views/flood.py), or beside it
    const legend = [...fig.below, ...fig.right, ...fig.center].find(m => m.type === 'Legend');
    const band = fig.renderers.find(r => r.glyph.type === 'VArea').data_source.data;
    // the alert levels: horizontal lines of their own ("y"), the median is drawn from the band's source
    // (the gauge's readings before the forecast are drawn apart: 'flood-observed')
    const lines = fig.renderers.filter(r => r.glyph.type === 'Line' && r.data_source.data.y !== undefined
                                            && r.name !== 'flood-observed')
        .map(r => Array.from(r.data_source.data.y)[0]);
    return {start: fig.y_range.start, end: fig.y_range.end, legend: legend.items.map(i => i.label.value),
            low: Math.min(...band.lo), high: Math.max(...band.hi), alerts: lines,
            hours: fig.below.find(m => m.formatter && m.formatter.hours !== undefined).formatter.hours};
}"""


def test_the_flood_chart_shows_its_band_and_alert_levels_with_a_legend(page):
    page.get_by_text("Scénario", exact=True).first.click()
    page.locator("select").first.select_option(label="Anticipation des crues")
    _run(page, timeout=240_000)
    title = "flood-stage"  # the chart's name (twin.app.views.flood.stage_figure)
    page.wait_for_function(f"(title) => ({FLOOD_JS})(title) !== null", arg=title, timeout=60_000)
    chart = page.evaluate(FLOOD_JS, title)
    assert len(chart["alerts"]) == 3, chart
    for value in (chart["low"], chart["high"], *chart["alerts"]):
        assert chart["start"] < value < chart["end"], chart
    legend = chart["legend"]
    assert legend[1] == "médiane" and legend[0].startswith("bande ") and legend[0].endswith(" %")
    assert legend[2:] == ["niveau « observé » (SYNTHÉTIQUE)", "seuil jaune (3,5 m)", "seuil orange (4,5 m)",
                          "seuil rouge (5,5 m)"]
    assert chart["hours"] == "%d/%m/%Y %Hh"  # French day/month/year and "14h" (views/flood.py: the year written)
    page.wait_for_timeout(1000)
    shot(page, "flood-chart")


LEGEND_BOX_JS = """() => {
    const views = [];
    for (const root of Object.values(Bokeh.index)) {
        const stack = [root];
        while (stack.length) { const v = stack.pop(); views.push(v);
            try { for (const c of v.children()) stack.push(c); } catch (e) {} }
    }
    const fig = views.find(v => v.model.name === 'territory-map');
    const legend = views.find(v => v.model.name === 'map-legend' && fig.model.right.includes(v.model));
    const r = fig.el.getBoundingClientRect();
    const b = legend.bbox;  // in the figure's canvas, whose corner is the figure's
    return {map: {x: r.left, y: r.top, width: r.width, height: r.height},
            legend: {x: r.left + b.x, y: r.top + b.y, width: b.width, height: b.height},
            viewport: {width: window.innerWidth, height: window.innerHeight}};
}"""


def test_the_legend_is_whole_on_a_1024x768_projector(browser, server):  # noqa: F811
    """The map's key inside the map and on the screen as the page opens at 1024×768 (its last entries
    used to fall below the screen's edge: 34 px rows)."""
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    pg = ctx.new_page()
    pg.goto(server)
    try:
        _map(pg)
        # the legend's view laid out (its box is known once the canvas is drawn)
        pg.wait_for_function(f"() => {{ try {{ return ({LEGEND_BOX_JS})().legend.height > 0; }} "
                             "catch (e) { return false; } }", timeout=60_000)
        box = pg.evaluate(LEGEND_BOX_JS)
        m, lg, vp = box["map"], box["legend"], box["viewport"]
        assert m["x"] <= lg["x"] and lg["x"] + lg["width"] <= m["x"] + m["width"], box
        assert m["y"] <= lg["y"] and lg["y"] + lg["height"] <= m["y"] + m["height"], box
        assert lg["y"] + lg["height"] <= vp["height"] and lg["x"] + lg["width"] <= vp["width"], box  # on screen
        pg.screenshot(path=str(_artifact("map-legend-1024")))
    finally:
        ctx.close()


def _artifact(name: str):
    from tests.test_app_browser import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
