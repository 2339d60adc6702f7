"""The comparison that decides, in a real browser (issue 17): two lighting schedules saved in the real app,
then "Comparer" shows the verdict per impact and the difference map — reference | variant | difference,
three Bokeh canvases with their colour scales — and a variant against its own baseline.

The maps are drawn on canvases: what they show is read from the page's own Bokeh document (the
figures' titles, the colour bars' titles, the difference column of the shared source).
Same server, browser and helpers as tests/test_app_browser.py (Debian's chromium; skips without it).
"""

from __future__ import annotations

import pytest

from tests.test_app_browser import _run, _save, browser, page, page_text, server, shot  # noqa: F401

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path("/usr/bin/chromium").exists(),
                                reason="browser tests need Debian's chromium at /usr/bin/chromium")

MAPS_JS = """() => {
    const models = Array.from(Bokeh.documents[0].all_models);
    const out = {};
    for (const name of ['diff-reference', 'diff-variant', 'diff-difference']) {
        const fig = models.find(m => m.name === name);
        if (!fig) return null;
        const bar = fig.below.find(m => m.type === 'ColorBar');
        const r = fig.renderers[fig.renderers.length - 1];
        const d = r.data_source.data;
        out[name] = {title: fig.title.text, bar: bar ? bar.title : null,
                     diff: Array.from(d.difference).filter(x => x !== 0).length, n: d.difference.length};
    }
    return out;
}"""


def _maps(page, title: str) -> dict:
    """The three maps once the variant map titled ``title`` is in the page's document."""
    page.wait_for_function(
        "(t) => window.Bokeh && Bokeh.documents.length && Array.from(Bokeh.documents[0].all_models)"
        ".some(m => m.name === 'diff-variant' && m.title && m.title.text === t)", arg=title, timeout=60_000)
    return page.evaluate(MAPS_JS)


def _later_switch_on(page, steps: int = 6):
    """Move the lighting form's "offset after sunset" slider right by ``steps`` steps, with the keyboard
    as a person can (the lamps come on later and go off earlier: every lamp burns a little less)."""
    handle = page.locator(".field-offset_min .noUi-handle").first
    handle.focus()
    for _ in range(steps):
        handle.press("ArrowRight")


def test_two_schedules_compared_with_a_verdict_and_a_difference_map(page):
    from playwright.sync_api import expect

    page.get_by_text("Scénario", exact=True).first.click()
    page.locator("select").first.select_option(label="Extinction de l'éclairage")
    page.locator(".field-offset_min .noUi-handle").first.wait_for(timeout=20_000)
    _run(page)
    _save(page, "Extinction 23h-5h")
    _later_switch_on(page)
    _run(page)
    _save(page, "Allumage plus tard")

    page.get_by_text("Comparer", exact=True).first.click()
    verdicts = page.locator(".compare-area .verdict")
    verdicts.first.wait_for(timeout=20_000)
    lines = [verdicts.nth(i).inner_text() for i in range(verdicts.count())]
    assert [line.split(" : ")[0] for line in lines] == ["Financier", "Environnemental", "Humain"]
    assert all("\n" not in line for line in lines)  # one line per impact
    env = lines[1]
    assert env.startswith("Environnemental : « Extinction 23h-5h » fait mieux que la situation actuelle sur 4")
    assert "« Allumage plus tard » fait mieux que la situation actuelle" in env
    table = page.locator(".compare-area table").first.inner_text()
    assert "incertitude" in table and "sans incertitude estimée" in table  # no ensemble: said, not blank
    assert page.locator(".compare-area td.best").count() >= 1  # the best value of some row highlighted
    assumptions = page.locator(".compare-area .assumptions").inner_text()
    assert '{"' not in assumptions and "Décalage après le coucher / avant le lever du soleil (min)" in assumptions
    assert "Prix de l'électricité — electricity_price_eur_per_kwh = 0,2 €/kWh" in \
        page.locator(".compare-area .factors").inner_text()

    # the difference map: the later against the earlier, three canvases with their scales
    drawn = _maps(page, "Allumage plus tard")
    assert drawn["diff-reference"]["title"] == "Extinction 23h-5h"
    assert drawn["diff-difference"]["title"] == "Différence (Allumage plus tard − Extinction 23h-5h)"
    assert drawn["diff-reference"]["bar"] == drawn["diff-variant"]["bar"] == "Consommation par lampadaire (kWh/an)"
    assert drawn["diff-difference"]["bar"] == "Différence (kWh/an)"
    assert drawn["diff-difference"]["diff"] > 0  # the two schedules differ on some lamps
    canvases = page.locator(".diff-maps canvas")
    expect(canvases.first).to_be_visible(timeout=20_000)
    assert canvases.count() >= 3
    caption = page.locator(".diff-note .diff-caption").inner_text()
    assert caption.startswith("Consommation par lampadaire (kWh/an) — à gauche : Extinction 23h-5h ; au centre : "
                              "Allumage plus tard ; à droite : la différence (rouge : plus, bleu : moins")
    page.locator(".diff-maps").scroll_into_view_if_needed()
    shot(page, "compare-01-verdict-and-difference-map")

    # the same variant against its own baseline (all night): every lamp burns less
    page.locator(".diff-reference select").select_option(label="sa situation actuelle")
    page.wait_for_function("() => Array.from(Bokeh.documents[0].all_models).some(m => m.name === 'diff-reference'"
                           " && m.title.text === 'Situation actuelle (Allumage plus tard)')", timeout=60_000)
    drawn = page.evaluate(MAPS_JS)
    assert drawn["diff-difference"]["diff"] == drawn["diff-difference"]["n"] > 0
    shot(page, "compare-02-variant-against-its-baseline")
    assert "enregistrée sans son résultat complet" not in page_text(page)
