"""The scenario forms in a real browser (issue 17): a street picked by typing three letters, the
lighting schedule filled as French sentences, the hours of roadworks picked — then run, the cards seen.

Same server, browser and helpers as tests/test_app_browser.py (Debian's chromium; skips without it).
The helpers ``pick_street`` and ``remove_streets`` are what a person does with the street picker;
other browser tests import them.
"""

from __future__ import annotations

import pytest

from tests.test_app_browser import _kpi, _run, browser, page, page_text, redon_history, server, shot  # noqa: F401

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path("/usr/bin/chromium").exists(),
                                reason="browser tests need Debian's chromium at /usr/bin/chromium")


def family(page, label: str):
    page.get_by_text("Scénario", exact=True).first.click()
    page.locator("select").first.select_option(label=label)


def pick_street(page, name: str, field: str = "streets", letters: int = 3, more: bool = True):
    """Type the first ``letters`` letters of the longest word of ``name`` in the picker and choose it in
    the list; with ``more``, the whole name when those letters do not list it among the first choices
    (a common word lists many streets)."""
    from playwright.sync_api import expect

    box = page.locator(f".field-{field} input.choices__input--cloned").first
    word = max(name.split(), key=len)
    choice = page.locator(f".field-{field} .choices__list--dropdown .choices__item--choice",
                          has_text=name).first
    box.click()
    box.press_sequentially(word[:letters], delay=50)  # keys, as a person types: Choices.js searches on keyup
    if more:
        try:
            expect(choice).to_be_visible(timeout=3_000)
        except AssertionError:  # not among the first choices (a common word): the whole name
            box.fill("")
            box.press_sequentially(name, delay=20)
    expect(choice).to_be_visible(timeout=10_000)
    choice.click()
    expect(page.locator(f".field-{field} .choices__list--multiple .choices__item", has_text=name).first) \
        .to_be_visible(timeout=10_000)
    box.press("Escape")


def chosen_streets(page, field: str = "streets") -> list[str]:
    items = page.locator(f".field-{field} .choices__list--multiple .choices__item")
    return [items.nth(i).get_attribute("data-value") or "" for i in range(items.count())]


def remove_streets(page, field: str = "streets"):
    """Remove every street chosen in the picker (its × buttons)."""
    from playwright.sync_api import expect

    buttons = page.locator(f".field-{field} .choices__list--multiple .choices__button")
    while (n := buttons.count()):
        buttons.first.click()
        expect(buttons).to_have_count(n - 1, timeout=10_000)


def test_a_street_picked_by_typing_three_letters_is_closed(page, redon_history):
    from playwright.sync_api import expect

    from twin.app.i18n import fmt_quantity
    from twin.scenarios import StreetClosure

    family(page, "Fermeture de rues")
    assert chosen_streets(page) == ["Quai Saint-Jacques"]  # the quick first run's
    box = page.locator(".field-streets input.choices__input--cloned").first
    box.click()
    box.press_sequentially("zqx", delay=50)  # no street: the picker says so in French (Choices.js's English is hidden)
    none = page.locator(".field-streets .has-no-results").first
    expect(none).to_be_attached(timeout=10_000)
    assert "Aucune rue de ce nom" in none.evaluate("e => getComputedStyle(e, '::after').content")
    for _ in range(3):
        box.press("Backspace")
    pick_street(page, "Rue de Vannes", more=False)  # "Van": three letters are enough
    shot(page, "forms-street-picked")
    pick_street(page, "Grande Rue")  # "Gra" and, if the list needs it, the whole name
    assert chosen_streets(page) == ["Quai Saint-Jacques", "Rue de Vannes", "Grande Rue"]
    _run(page)
    expected = StreetClosure(streets=["Quai Saint-Jacques", "Rue de Vannes", "Grande Rue"]).run(redon_history)
    v = expected.data["variant"].values[1]
    assert _kpi(page, "closed_street_length_m") == fmt_quantity(expected.value("closed_street_length_m", v), "m")
    alone = StreetClosure(streets=["Quai Saint-Jacques"]).run(redon_history)
    assert alone.value("closed_street_length_m", v) < expected.value("closed_street_length_m", v)
    shot(page, "forms-street-closure-cards")


def test_enter_takes_no_other_street_than_the_one_typed(page):
    """« Rue de la Paix » + Entrée chose « Rue de la Maillardaie », the town's biggest street, with no word
    (Choices.js takes its fuzzy search's first result). Now nothing is added and the box says why; a typo
    still takes its street. The script's rule is the one tested in tests/test_choice_guard.py."""
    from playwright.sync_api import expect

    family(page, "Fermeture de rues")
    remove_streets(page)
    box = page.locator(".field-streets input.choices__input--cloned").first
    box.click()
    box.press_sequentially("Rue de la Paix", delay=30)
    expect(page.locator(".field-streets .choices__item--selectable.is-highlighted").first).to_be_attached(timeout=10_000)
    box.press("Enter")
    note = page.locator(".field-streets .twin-choice-guard").first
    expect(note).to_contain_text("« Rue de la Paix » n'est pas", timeout=10_000)
    assert chosen_streets(page) == []
    shot(page, "forms-enter-not-taken")
    box.fill("")
    box.press_sequentially("Grnde Rue", delay=30)
    expect(page.locator(".field-streets .choices__item--selectable.is-highlighted", has_text="Grande Rue").first) \
        .to_be_attached(timeout=10_000)
    box.press("Enter")
    expect(page.locator(".field-streets .choices__list--multiple .choices__item", has_text="Grande Rue").first) \
        .to_be_visible(timeout=10_000)
    expect(note).to_have_count(0)


def test_the_lighting_form_off_23_05_lit_near_the_station_runs(page, redon_history):
    from playwright.sync_api import expect

    from twin.app.i18n import fmt_quantity, unit_label
    from twin.scenarios import SCENARIOS

    family(page, "Extinction de l'éclairage")
    off = page.locator(".light-off input[type=checkbox]").first
    expect(off).to_be_visible(timeout=10_000)
    boxes = page.locator(".field-rules input[type=text]")  # numbers only: no list of rules to type
    assert all(not boxes.nth(i).input_value().startswith(("[", "{")) for i in range(boxes.count()))
    if not off.is_checked():
        off.check()
    selects = page.locator(".field-rules select")
    selects.nth(0).select_option("23:00")
    selects.nth(1).select_option("05:00")
    page.locator(".light-keep input[type=checkbox]").first.check()
    station = page.locator(".light-places label", has_text="gare").locator("input").first
    if not station.is_checked():
        station.check()
    radius = page.locator(".field-rules input[type=text]").last  # "rayon (m)"
    radius.fill("150")
    radius.press("Tab")
    expect(page.get_by_role("button", name="Lancer")).to_be_enabled(timeout=10_000)
    shot(page, "forms-lighting-filled")
    _run(page, timeout=240_000)
    rules = [{"zone": {"all": True}, "schedule": {"name": "off 23:00–05:00", "off_windows": [["23:00", "05:00"]]}},
             {"zone": {"near": {"category": ["station"], "radius_m": 150}}, "schedule": {"name": "all night"}}]
    expected = SCENARIOS["lighting"](rules=rules).run(redon_history)
    v = expected.data["variant"].values[1]
    unit = str(expected.data["unit"].sel(kpi="energy_kwh").item())
    assert _kpi(page, "energy_kwh") == fmt_quantity(expected.value("energy_kwh", v), unit_label(unit))
    assert expected.value("energy_kwh", v) < expected.value("energy_kwh", "baseline")  # energy saved
    shot(page, "forms-lighting-cards")


def test_a_daytime_switch_off_is_warned_under_the_rules(page):
    """10:00–16:00 typed for 22:00–04:00 ran without a word and saved nothing: the page says so under the
    rules, and « Lancer » stays enabled (a warning, not a refusal)."""
    from playwright.sync_api import expect

    family(page, "Extinction de l'éclairage")
    off = page.locator(".light-off input[type=checkbox]").first
    expect(off).to_be_visible(timeout=10_000)
    if not off.is_checked():
        off.check()
    selects = page.locator(".field-rules select")
    selects.nth(0).select_option("10:00")
    selects.nth(1).select_option("16:00")
    expect(page.get_by_text("« Éteindre » de 10:00 à 16:00 : en plein jour toute l'année", exact=False)) \
        .to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name="Lancer")).to_be_enabled()
    shot(page, "forms-lighting-daylight")
    selects.nth(0).select_option("23:00")
    selects.nth(1).select_option("05:00")
    expect(page.get_by_text("en plein jour toute l'année", exact=False)).not_to_be_visible(timeout=10_000)


def test_roadworks_hours_are_picked_and_an_empty_window_blocks_lancer(page):
    from playwright.sync_api import expect

    family(page, "Travaux et déviations")
    start, end = (page.locator(".field-hours select").nth(i) for i in (0, 1))
    expect(start).to_be_visible(timeout=10_000)
    assert start.input_value() == "07:00" and end.input_value() == "19:00"
    start.select_option("22:00")
    end.select_option("05:00")
    expect(page.get_by_text("de 22:00 à 05:00 : passe minuit")).to_be_visible(timeout=10_000)
    shot(page, "forms-roadworks-hours-overnight")
    end.select_option("22:00")
    note = page.locator(".invalid-fields")
    expect(note.get_by_text("« Heures » : la plage de 22:00 à 22:00 est vide (début = fin)", exact=False)) \
        .to_be_visible(timeout=10_000)
    expect(page.locator(".run-button.run-blocked")).to_be_visible()  # greyed (clickable: it says why)
    shot(page, "forms-roadworks-hours-empty")
    end.select_option("06:00")
    expect(page.locator(".run-button.run-blocked")).to_have_count(0, timeout=10_000)
    expect(note).not_to_be_visible()


# ------------------------------------------------------------------------------------------------
# a 1024×768 projector: « Lancer » in sight for every family, the expert's fields folded
# ------------------------------------------------------------------------------------------------
PROJECTOR = {"width": 1024, "height": 768}


def _in_view(box, viewport=PROJECTOR) -> bool:
    return box is not None and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= viewport["width"] \
        and box["y"] + box["height"] <= viewport["height"]


def test_lancer_is_in_sight_at_1024x768_for_every_family(browser, server):  # noqa: F811
    """An elected official alone on a projector: whatever the family, « Lancer » is on the screen
    without scrolling (it was ~1 600 px down the lighting page), the everyday fields first and the
    expert's folded in « Hypothèses avancées »."""
    from playwright.sync_api import expect

    from twin.app.builder_fields import EVERYDAY
    from twin.app.i18n import family_label
    from twin.app.main import FAMILIES

    ctx = browser.new_context(viewport=PROJECTOR)
    pg = ctx.new_page()
    pg.goto(server)
    pg.wait_for_selector("canvas", timeout=120_000)
    try:
        for fam in FAMILIES:
            family(pg, family_label(fam, "fr"))
            expect(pg.locator(f".field-{EVERYDAY[fam][0]}").first).to_be_visible(timeout=20_000)
            pg.wait_for_timeout(500)  # the column's last fields laid out (the button's place depends on them)
            button = pg.get_by_role("button", name="Lancer")
            expect(button).to_be_visible()
            box = button.bounding_box()
            assert _in_view(box), (fam, box)
            card = pg.locator(".advanced-card").first
            expect(card.get_by_role("button", name="▸ Hypothèses avancées")).to_be_visible()
            pg.screenshot(path=str(_artifact(f"builder-1024-{fam}")))
        # folded, not gone: the expert opens the card and finds the factors
        family(pg, family_label("roadworks", "fr"))
        gap = pg.locator(".field-gap input").first
        gap.wait_for(state="attached", timeout=20_000)  # roadworks' form is drawn (hidden: folded)
        expect(gap).to_be_hidden()
        unfold(pg)
        expect(gap).to_be_visible(timeout=10_000)
        assert _in_view(pg.get_by_role("button", name="Lancer").bounding_box())
        pg.screenshot(path=str(_artifact("builder-1024-roadworks-advanced-open")))
    finally:
        ctx.close()


def unfold(page, attempts: int = 3):
    """Click « ▸ Hypothèses avancées » until the fold says it is open (« ▾ … »).

    A click sent within about a second of a family's form being drawn was seen lost in this browser
    test (the toggle stayed « ▸ », the form was not redrawn; cause not found): the click is made
    again, each time waiting for the fold's own answer, not for a time."""
    from playwright.sync_api import expect

    opened = page.get_by_role("button", name="▾ Hypothèses avancées")
    for i in range(attempts):
        page.get_by_role("button", name="▸ Hypothèses avancées").click()
        try:
            expect(opened).to_be_visible(timeout=5_000)
            return
        except AssertionError:
            if i == attempts - 1:
                raise


def _artifact(name: str):
    from tests.test_app_browser import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def test_a_list_is_typed_in_plain_french_and_an_unreadable_item_is_named(page):
    """No Python to type: « -2,085 47,652 ; … » is a list of points; a point left half-typed is named
    under the form and blocks « Lancer »; the box shows the list back as it reads it."""
    from playwright.sync_api import expect

    family(page, "Corbeilles et collecte")
    unfold(page)
    box = page.locator(".field-add_points input").first
    expect(box).to_be_visible(timeout=10_000)
    box.fill("-2,0855 47,6515 ; -2,09")
    box.press("Enter")
    note = page.locator(".invalid-fields")
    expect(note.get_by_text("élément 2 illisible (« -2,09 ») : attendu une longitude et une latitude en degrés",
                            exact=False)).to_be_visible(timeout=10_000)
    expect(page.locator(".run-button.run-blocked")).to_be_visible()
    shot(page, "forms-list-unreadable-item")
    box.fill("-2,0855 47,6515 ; -2.09, 47.655")
    box.press("Enter")
    expect(page.locator(".run-button.run-blocked")).to_have_count(0, timeout=10_000)
    expect(note).not_to_be_visible()
    page.get_by_text("Scénario", exact=True).first.click()  # the box redrawn from the value it holds
    expect(box).to_have_value("-2,0855 47,6515; -2,09 47,655", timeout=10_000)
