"""The comparison that decides, in a real browser (issue 17): two lighting schedules saved in the real app,
then "Comparer" shows the verdict per impact and the difference map — reference | variant | difference,
three Bokeh canvases with their colour scales — and a variant against its own baseline.

The maps are drawn on canvases: what they show is read from the page's own Bokeh document (the
figures' titles, the colour bars' titles, the difference column of the shared source).
Same server, browser and helpers as tests/test_app_browser.py (Debian's chromium; skips without it).
"""

from __future__ import annotations

import pytest

from tests.test_app_browser import ARTIFACTS, _run, _save, browser, page, page_text, server, shot  # noqa: F401

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path("/usr/bin/chromium").exists(),
                                reason="browser tests need Debian's chromium at /usr/bin/chromium")

MAPS_JS = """() => {
    const models = Array.from(Bokeh.documents[0].all_models);
    const out = {};
    for (const name of ['diff-reference', 'diff-variant', 'diff-difference']) {
        const fig = models.find(m => m.name === name);
        if (!fig) return null;
        const bar = fig.below.find(m => m.type === 'ColorBar');
        const r = fig.renderers.find(m => m.name === 'diff-assets');
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
    # no ensemble: no column of « non calculée » on every row, said once under the table
    assert "non calculée" not in table
    assert page.locator(".compare-area p.note", has_text="Incertitude : non calculée pour ces variantes").count() == 1
    assert page.locator(".compare-area td.best").count() >= 1  # the best value of some row highlighted
    assumptions = page.locator(".compare-area .assumptions").inner_text()
    assert '{"' not in assumptions and "Décalage après le coucher / avant le lever du soleil : " in assumptions
    assert "Éteindre de 23 h à 5 h — tous les lampadaires" in assumptions  # the rules as a sentence
    assert "Prix de l'électricité = 0,2 €/kWh (2024 ; source : hypothèse du projet" in \
        page.locator(".compare-area .factors").inner_text()
    # both saved variants are compared: the choice's list says there is no other, in French only (Choices.js's
    # « No choices to choose from » showed glued before it)
    page.locator(".compare-pick input.choices__input--cloned").first.click()
    empty = page.locator(".compare-pick .choices__list--dropdown .choices__item.has-no-choices").first
    empty.wait_for(timeout=10_000)
    assert empty.evaluate("e => getComputedStyle(e, '::after').content") == '"Aucune autre variante enregistrée"'
    assert empty.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # the English text unseen
    page.keyboard.press("Escape")

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


BACKDROP_JS = """() => {
    const models = Array.from(Bokeh.documents[0].all_models);
    const out = {};
    for (const name of ['diff-reference', 'diff-variant', 'diff-difference']) {
        const fig = models.find(m => m.name === name);
        const names = fig.renderers.map(r => r.name);
        const streets = fig.renderers.find(r => r.name === 'diff-backdrop-streets');
        out[name] = {names: names, streets: streets ? streets.data_source.data.xs.length : 0,
                     colour: streets ? streets.glyph.line_color.value : null,
                     assets: fig.renderers.find(r => r.name === 'diff-assets').data_source.data.id.length,
                     labels: fig.center.filter(m => m.name === 'diff-backdrop-labels')
                         .map(m => Array.from(m.source.data.label)).flat()};
    }
    return out;
}"""

OVERFLOW_JS = """() => {
    const root = document.scrollingElement;
    // the widest box of the comparison that is not inside a box scrolling by itself
    let widest = null;
    const walk = (n) => { if (n.shadowRoot) walk(n.shadowRoot);
        for (const c of n.children || []) {
            const r = c.getBoundingClientRect();
            if (r.right > root.clientWidth + 1 && (!widest || r.right > widest.right))
                widest = {tag: c.tagName, cls: String(c.className), right: r.right};
            const style = getComputedStyle(c);
            if (!['auto', 'scroll', 'hidden'].includes(style.overflowX)) walk(c); } };
    walk(document.body);
    return {scroll: root.scrollWidth, client: root.clientWidth, widest: widest};
}"""


def _keep_only(page, names: list[str]):
    """Remove from the comparison's choice every variant not named in ``names`` (its × buttons), as a
    person does; the table then shows those only."""
    from playwright.sync_api import expect

    chips = page.locator(".compare-pick .choices__list--multiple .choices__item")
    for name in names:  # the choice drawn with the variants just saved
        expect(chips.filter(has_text=f"{name} (")).to_have_count(1, timeout=20_000)
    for _ in range(chips.count()):
        others = [i for i in range(chips.count()) if not any(chips.nth(i).inner_text().startswith(f"{n} (")
                                                             for n in names)]
        if not others:
            break
        n = chips.count()
        chips.nth(others[0]).locator(".choices__button").click()
        expect(chips).to_have_count(n - 1, timeout=10_000)


@pytest.fixture()
def projector(browser, server):
    """The page on a 1024×768 projector (the walkthrough's: an elected official's meeting room)."""
    ctx = browser.new_context(viewport={"width": 1024, "height": 768}, accept_downloads=True)
    pg = ctx.new_page()
    pg.goto(server)
    pg.wait_for_selector("canvas", timeout=60_000)
    yield pg
    ctx.close()


def test_at_1024_the_variants_are_compared_with_each_other_on_a_town_map(projector):
    page = projector
    page.get_by_text("Scénario", exact=True).first.click()
    page.locator("select").first.select_option(label="Extinction de l'éclairage")
    page.locator(".field-offset_min .noUi-handle").first.wait_for(timeout=20_000)
    _run(page)
    _save(page, "Nuit 23h-5h")
    _later_switch_on(page, 10)
    _run(page)
    _save(page, "Nuit écourtée")

    page.get_by_text("Comparer", exact=True).first.click()
    _keep_only(page, ["Nuit 23h-5h", "Nuit écourtée"])
    from playwright.sync_api import expect

    expect(page.locator(".compare-area th.vname")).to_have_count(2, timeout=20_000)  # those two only
    between = page.locator(".compare-area .verdict-between")
    between.first.wait_for(timeout=20_000)
    lines = [between.nth(i).inner_text() for i in range(between.count())]
    # one line per impact comparing the two with EACH OTHER, by name, with by how much
    assert [line.split(",")[0] for line in lines] == ["Financier", "Environnemental", "Humain"]
    money = lines[0]
    # the lamps come on later today as in the plan (the offset is the photocells', both runs'): each schedule
    # saves as much against its own situation, whose costs differ
    assert money.startswith("Financier, entre les variantes (coût) : « Nuit 23h-5h » et « Nuit écourtée » changent "
                            "autant leur propre situation ("), money
    assert "situations différentes : " in money
    assert "pts" in lines[2] or "font pareil" in lines[2]  # the share of lit sensitive places: in points
    cells = page.locator(".compare-area tr[data-kpi='sensitive_lit_share_pct']").inner_text()
    assert "%\u00a0(" not in cells and "% (" not in cells  # never "−4,08 % (−4,08 %)"

    # the difference map: the lamps on the town's streets (drawn beneath them, in light grey)
    _maps(page, "Nuit écourtée")
    drawn = page.evaluate(BACKDROP_JS)
    for name, fig in drawn.items():
        assert fig["streets"] > 100 and fig["colour"] == "#a8a8a8", name
        assert fig["names"].index("diff-backdrop-streets") < fig["names"].index("diff-assets"), name  # beneath
        assert fig["assets"] > 100  # the lamps
        assert sorted(fig["labels"]) == ["Gare", "Mairie"], name  # the landmarks named on each map

    # readable without scrolling the page sideways: only the table may scroll, in its own box
    page.locator(".diff-maps canvas").first.wait_for(timeout=20_000)
    size = page.evaluate(OVERFLOW_JS)
    assert size["scroll"] <= size["client"], size
    page.locator(".compare-area .verdicts").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "compare-03-1024-verdicts.png"))
    page.locator(".diff-maps").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "compare-04-1024-difference-map.png"))
    shot(page, "compare-05-1024-whole-page")

    # four variants (the most the choice takes): ten columns; the table scrolls in its box, the page not
    page.get_by_text("Scénario", exact=True).first.click()
    for name in ("Nuit plus courte", "Nuit très courte"):
        _later_switch_on(page, 10)
        _run(page)
        _save(page, name)
    page.get_by_text("Comparer", exact=True).first.click()
    expect(page.locator(".compare-area th.vname")).to_have_count(4, timeout=20_000)
    expect(page.locator(".compare-area .verdict-between").first).to_contain_text("« Nuit très courte »")
    size = page.evaluate(OVERFLOW_JS)
    assert size["scroll"] <= size["client"], size
    box = page.locator(".compare-area .table-scroll").first
    assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
    assert box.evaluate("b => b.getBoundingClientRect().right") <= size["client"]
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "compare-06-1024-four-variants.png"))

    # a fifth saved and asked for: the choice says why not, in French (Choices.js said « Only 4 values
    # can be added »)
    page.get_by_text("Scénario", exact=True).first.click()
    _later_switch_on(page, 10)
    _run(page)
    _save(page, "Nuit minimale")
    page.get_by_text("Comparer", exact=True).first.click()
    expect(page.locator(".compare-area th.vname")).to_have_count(4, timeout=20_000)  # the four most recent
    page.locator(".compare-pick input.choices__input--cloned").first.click()
    page.keyboard.type("Nuit")
    notice = page.locator(".compare-pick .choices__list--dropdown .choices__item--choice:not([data-choice])").first
    notice.wait_for(timeout=10_000)
    said = notice.evaluate("e => getComputedStyle(e, '::after').content")
    assert said == '"4 variantes au plus : retirez-en une (×) pour en choisir une autre"', said
    assert notice.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # the English text unseen
    page.screenshot(path=str(ARTIFACTS / "compare-07-five-refused.png"))
    page.keyboard.press("Escape")
