"""The Panel app in a real browser (Debian's chromium driven by playwright), on the embedded Redon.

Skips, saying why, when /usr/bin/chromium or playwright is missing; CI installs both. Screenshots go
to ``$TWIN_TEST_ARTIFACTS`` (default ``test-artifacts/``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
from twin.app.security import WEBSOCKET_MAX_MESSAGE_BYTES

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
ARTIFACTS = Path(os.environ.get("TWIN_TEST_ARTIFACTS", ROOT / "test-artifacts"))

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="browser tests need Debian's chromium at /usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(state_dir: Path, port: int | None = None, app: Path = ROOT / "apps/twin_app.py",
                 env: dict | None = None):
    """``panel serve apps/twin_app.py`` (or another ``app``) on a free loopback port, with ``env`` added to the
    environment (e.g. ``TWIN_TERRITORY``); returns (process, url)."""
    port = port or _free_port()
    env = {**os.environ, "TWIN_APP_STATE": str(state_dir), **(env or {})}
    log = open(Path(state_dir) / "server.log", "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([sys.executable, "-m", "panel", "serve", str(app), "--port", str(port),
                             "--address", "127.0.0.1", "--allow-websocket-origin", f"127.0.0.1:{port}",
                             "--websocket-max-message-size", str(WEBSOCKET_MAX_MESSAGE_BYTES)],  # as apps/README.md
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    proc.log_path = Path(state_dir) / "server.log"
    url = f"http://127.0.0.1:{port}/{Path(app).stem}"
    # generous: on a loaded machine (2 cores shared) the first page, which loads the territory, takes long;
    # a short timeout only makes each retry open another session and load the machine more
    deadline = time.time() + 240
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=120)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the app server stopped:\n" + proc.log_path.read_text()) from None
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the app server did not answer within 240 s")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc, url = start_server(tmp_path_factory.mktemp("app-state"))
    SERVER_LOGS.append(proc.log_path)
    yield url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "server.log").write_text(proc.log_path.read_text())
    stop_server(proc)


def stop_server(proc, grace_s: float = 30.0) -> None:
    """Stop a server started by :func:`start_server`: SIGTERM, then SIGKILL after ``grace_s`` (on a
    loaded machine its worker processes may still be loading the territory, and the pool waits for
    them; killed, the server's workers exit by themselves when they see it gone)."""
    proc.terminate()
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    pg.goto(server)
    pg.wait_for_selector("canvas", timeout=60_000)
    yield pg
    ctx.close()


def shot(page, name: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def redon_history():
    from twin.seeds import load_default

    return load_default()


def _run(page, timeout=120_000, label="Lancer"):
    """Click run and wait for the KPI cards of this run (each run numbers its cards)."""
    runs = page.locator(".kpi-area [data-run]")
    n = int(runs.first.get_attribute("data-run")) if runs.count() else 0
    page.get_by_role("button", name=label).click()
    _wait_for_run(page, n + 1, timeout)


SERVER_LOGS: list[Path] = []  # the module's server log, read when a run is not shown (see _wait_for_run)


def _wait_for_run(page, run: int, timeout: float):
    """Wait for the cards of run number ``run``; not shown in time, fail with what the page and the
    server said instead (a bare selector timeout in CI told nothing of why the run never showed)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(f".kpi-area [data-run='{run}']", timeout=timeout)
    except PlaywrightTimeout:
        message = page.locator(".message").inner_text() if page.locator(".message").count() else ""
        shown = page.locator(".kpi-area [data-run]")
        button = page.locator(".run-button button")
        log = SERVER_LOGS[-1].read_text()[-4000:] if SERVER_LOGS and SERVER_LOGS[-1].exists() else "(no log)"
        shot(page, f"run-{run}-not-shown")
        raise AssertionError(
            f"run {run} not shown within {timeout / 1000:.0f} s; cards shown: "
            f"{shown.first.get_attribute('data-run') if shown.count() else None}; message: {message!r}; "
            f"run button disabled: {button.is_disabled() if button.count() else None}\n"
            f"server log (end):\n{log}") from None


def page_text(page) -> str:
    """Every text of the page, inside Panel's shadow roots too (``inner_text`` of the body misses them).

    Scripts and style sheets are skipped: they are no text a user reads, and the session token embedded
    in Bokeh's script is random base64 that once held « NaN » by chance and failed a CI run."""
    return page.evaluate("""() => { const out = []; const skip = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);
        const walk = (n) => { if (n.shadowRoot) walk(n.shadowRoot);
            for (const c of n.childNodes) { if (c.nodeType === 3) out.push(c.textContent);
                else if (!skip.has(c.nodeName)) walk(c); } };
        walk(document.body); return out.join("\\n"); }""")


def _kpi(page, name: str) -> str:
    return page.locator(f".kpi-area [data-kpi-value={name}]").inner_text()


def test_page_loads_the_redon_map(page):
    from playwright.sync_api import expect

    expect(page.get_by_text("twin — jumeau numérique : Redon")).to_be_visible()
    for tab in ("Carte", "Scénario", "Comparer", "Atelier"):
        expect(page.get_by_text(tab, exact=True).first).to_be_visible()
    expect(page.locator("canvas").first).to_be_visible()
    expect(page.get_by_text("© OpenStreetMap contributors").first).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "fr"  # Panel's template said « en »
    # a phone draws the page at its own width (no viewport: 980 px shrunk to 0,4, text 4–5 px tall)
    assert page.evaluate("document.querySelector('meta[name=viewport]').content") == \
        "width=device-width, initial-scale=1"
    shot(page, "01-map")


def test_running_and_changing_a_parameter_changes_the_kpi_cards(page, redon_history):
    from twin.app.i18n import fmt_quantity
    from twin.scenarios import StreetClosure

    page.get_by_text("Scénario", exact=True).first.click()
    _run(page)
    expected = StreetClosure(streets=["Quai Saint-Jacques"]).run(redon_history)
    v = expected.data["variant"].values[1]
    assert _kpi(page, "closed_street_length_m") == fmt_quantity(expected.value("closed_street_length_m", v), "m")
    before = _kpi(page, "mean_drive_distance_m")
    assert before == fmt_quantity(expected.value("mean_drive_distance_m", v), "m")

    # the run follows the edit at once: it must use the new value (the run button waits for the
    # edits Panel has not yet applied; without that wait this assertion fails)
    page.locator(".field-destination select").select_option(label="écoles")  # the first school
    _run(page, timeout=20_000)  # unprompted: no other click brings the cards (twin.app.server.delivery)
    school = StreetClosure(streets=["Quai Saint-Jacques"], destination="school").run(redon_history)
    after = _kpi(page, "mean_drive_distance_m")
    assert after == fmt_quantity(school.value("mean_drive_distance_m", v), "m")
    assert after != before
    shot(page, "02-kpis")


def test_runs_right_after_a_select_change_reach_the_browser_unprompted(page):
    """Select, run at once, wait: the cards of every run arrive without another click. Panel's write
    queue could strand a page's message until its next change (about 1 run in 40 with pauses like
    these, which let the server make pages ahead): :mod:`twin.app.server.delivery` sends it."""
    page.get_by_text("Scénario", exact=True).first.click()
    _run(page)
    select = page.locator(".field-destination select")
    labels = [o.inner_text() for o in select.locator("option").all()][:4]
    for i in range(8):
        time.sleep(2.2 + 0.3 * (i % 4))  # idle long enough for the server to make a page ahead
        select.select_option(label=labels[i % len(labels)])
        _run(page, timeout=20_000)


def _save(page, name: str):
    page.locator(".save-name input").fill(name)
    page.get_by_role("button", name="Enregistrer la variante").click()
    page.get_by_text(f"Variante « {name} » enregistrée").wait_for(timeout=10_000)


def _drawn_text(page, locator, timeout_ms=10_000):
    """The locator's text once drawn and unchanged over 300 ms.

    Panel redraws the workshop cards when the tab opens (the pane's HTML is replaced), so a text
    read right after a first non-empty one can come from the card being redrawn, empty (seen in
    CI: the pinned card's title compared against '')."""
    previous, waited = None, 0
    while waited < timeout_ms:
        text = locator.inner_text().strip() if locator.count() else ""
        if text and text == previous:
            return text
        previous = text
        page.wait_for_timeout(300)
        waited += 300
    raise AssertionError(f"{locator} had no stable text after {timeout_ms} ms (last: {previous!r})")


def test_two_variants_side_by_side_then_workshop_and_report(page, tmp_path):
    from playwright.sync_api import expect

    page.get_by_text("Scénario", exact=True).first.click()
    _run(page)
    a = _kpi(page, "mean_drive_distance_m")
    _save(page, "Quai fermé, vers la mairie")
    page.locator(".field-destination select").select_option(label="gare")
    _run(page)
    b = _kpi(page, "mean_drive_distance_m")
    _save(page, "Quai fermé, vers la gare")

    page.get_by_text("Comparer", exact=True).first.click()
    table = page.locator(".compare-area table").first
    table.wait_for(timeout=10_000)
    text = table.inner_text()
    assert "Quai fermé, vers la mairie" in text and "Quai fermé, vers la gare" in text
    assert a != b and a in text and b in text  # both variants' numbers, side by side
    shot(page, "03-compare")

    # a saved variant reopened in the builder: its own parameters, run again, its own numbers
    page.locator(".reopen-pick select").select_option(label="Quai fermé, vers la mairie")
    runs = int(page.locator(".kpi-area [data-run]").first.get_attribute("data-run"))
    # from the bottom of the long comparison, as a person reaches the button: the builder from its top
    # (the page stayed scrolled below it, the whole window white)
    page.get_by_role("button", name="Rouvrir dans Scénario").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 0
    page.get_by_role("button", name="Rouvrir dans Scénario").click()
    _wait_for_run(page, runs + 1, 60_000)
    assert _kpi(page, "mean_drive_distance_m") == a
    for _ in range(50):  # (wait_for_function evaluates a string: the page's policy refuses it)
        if page.evaluate("window.scrollY") == 0:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.scrollY") == 0
    page.get_by_text("Comparer", exact=True).first.click()

    page.get_by_text("Atelier", exact=True).first.click()
    cards = page.locator(".workshop-card")
    expect(cards.nth(1)).to_be_visible(timeout=10_000)
    second = _drawn_text(page, cards.nth(1).locator("h2"))
    cards.nth(1).get_by_role("button", name="Épingler").click()
    page.locator(".workshop-card.pinned").first.wait_for(timeout=10_000)
    expect(page.locator(".workshop-card").first.locator("h2")).to_have_text(second, timeout=10_000)  # pinned first
    shot(page, "04-workshop")

    with page.expect_download() as dl:
        page.locator(".report-workshop").get_by_text("Rapport (HTML)").click()
    path = tmp_path / "report.html"
    dl.value.save_as(path)
    html = path.read_text()
    assert second in html and "Provenance des données" in html and "OpenStreetMap" in html
    assert "SYNTHÉTIQUE" in html


def test_a_bad_upload_shows_its_message(page, tmp_path):
    page.get_by_text("Scénario", exact=True).first.click()
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    page.locator(".scenario-upload input[type=file]").set_input_files(str(bad))
    page.get_by_text("Fichier refusé : broken.json : ce n'est pas un fichier JSON").wait_for(timeout=10_000)
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"family": "bins", "trucks": 2, "colour": "blue"}))
    page.locator(".scenario-upload input[type=file]").set_input_files(str(unknown))
    page.get_by_text("paramètre(s) inconnu(s) 'colour'").wait_for(timeout=10_000)
    good = tmp_path / "bins.json"
    good.write_text(json.dumps({"family": "bins", "policy": "fixed", "round_weekdays": [0, 1, 2, 3, 4],
                                "members": 1, "days": 14}))
    page.locator(".scenario-upload input[type=file]").set_input_files(str(good))
    page.get_by_text("Scénario « Corbeilles et collecte » chargé").wait_for(timeout=10_000)
    shot(page, "05-upload")


def test_file_buttons_say_french_words_whatever_the_browser(page):
    """A file button writes the browser's words (« Choose File / No file chosen » in this English
    chromium): they are made transparent and the page's « Choisir un fichier… » drawn over the
    button, which still opens the file chooser when clicked."""
    page.get_by_text("Scénario", exact=True).first.click()
    button = page.locator(".scenario-upload input[type=file]")
    button.wait_for(state="attached", timeout=10_000)
    native = button.evaluate("e => getComputedStyle(e).color")
    over = button.evaluate("e => getComputedStyle(e.parentElement, '::after').content")
    assert native == "rgba(0, 0, 0, 0)" and over == '"Choisir un fichier…"', (native, over)
    with page.expect_file_chooser(timeout=10_000):  # the drawing lets the click through to the button
        box = button.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 10)
    shot(page, "05b-file-button-fr")


def test_english_is_available(browser, server):
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.goto(server + "?lang=en")
    pg.get_by_text("Map", exact=True).first.wait_for(timeout=60_000)
    pg.get_by_text("Scenario", exact=True).first.click()
    _run(pg, label="Run")
    pg.get_by_text("Done in").wait_for(timeout=10_000)
    cards = pg.locator(".kpi-area .kpi-grid").inner_text()
    assert "mean driving distance" in cards and "vs baseline" in cards
    assert "situation actuelle" not in cards
    assert pg.evaluate("document.documentElement.lang") == "en"
    ctx.close()


def test_roadworks_result_map_and_numbers(page, redon_history, tmp_path):
    from playwright.sync_api import expect

    from twin.app.i18n import fmt_quantity, unit_label
    from twin.scenarios import Roadworks

    spec = {"family": "roadworks", "streets": ["Quai Saint-Jacques"], "hours": "07:00-19:00"}
    f = tmp_path / "roadworks.json"
    f.write_text(json.dumps(spec))
    page.get_by_text("Scénario", exact=True).first.click()
    page.locator(".scenario-upload input[type=file]").set_input_files(str(f))
    page.get_by_text("Scénario « Travaux et déviations » chargé").wait_for(timeout=10_000)
    _run(page)
    expected = Roadworks(**{k: v for k, v in spec.items() if k != "family"}).run(redon_history)
    v = expected.data["variant"].values[1]
    unit = str(expected.data["unit"].sel(kpi="vehicle_hours_peak").item())
    assert _kpi(page, "vehicle_hours_peak") == fmt_quantity(expected.value("vehicle_hours_peak", v), unit_label(unit))
    expect(page.locator(".result-caption").get_by_text("variation du débit à l'heure de pointe")).to_be_visible()
    assert page.locator("canvas").count() >= 2  # the territory map and the result map
    expect(page.locator(".result-series canvas").first).to_be_visible()  # vehicle-hours hour by hour
    shot(page, "06-roadworks")


def test_a_zone_drawn_on_the_map_drives_a_roadworks_scenario(page, redon_history):
    from twin.app.i18n import fmt_quantity, unit_label
    from twin.scenarios import Roadworks

    page.locator("[title='Dessiner une zone (Maj + glisser)']").first.click()  # the box-edit tool of the territory map
    box = page.locator("canvas").first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.keyboard.down("Shift")
    page.mouse.move(cx - 60, cy - 60)
    page.mouse.down()
    page.mouse.move(cx + 60, cy + 60, steps=8)
    page.mouse.up()
    page.keyboard.up("Shift")
    page.get_by_text("Scénario", exact=True).first.click()
    page.locator("select").first.select_option(label="Travaux et déviations")
    page.get_by_role("button", name="Utiliser la zone dessinée").click()
    page.get_by_text("Zone dessinée appliquée au scénario").wait_for(timeout=10_000)
    texts = page.locator("input[type=text]")
    wkt = next(texts.nth(i).input_value() for i in range(texts.count())
               if texts.nth(i).input_value().startswith("POLYGON"))
    _run(page)
    expected = Roadworks(polygon=wkt).run(redon_history)
    assert int(expected.data.attrs["affected_edges"]) > 0
    v = expected.data["variant"].values[1]
    unit = str(expected.data["unit"].sel(kpi="vehicle_hours_peak").item())
    assert _kpi(page, "vehicle_hours_peak") == fmt_quantity(expected.value("vehicle_hours_peak", v), unit_label(unit))
    shot(page, "07-zone")


def test_heating_maps_the_buildings_by_gas_saved(page, redon_history):
    from playwright.sync_api import expect

    from twin.app.i18n import fmt_quantity, unit_label
    from twin.scenarios import HeatingSchedules

    page.get_by_text("Scénario", exact=True).first.click()
    page.locator("select").first.select_option(label="Chauffage des bâtiments")
    _run(page)
    expected = HeatingSchedules().run(redon_history)
    v = expected.data["variant"].values[1]
    unit = str(expected.data["unit"].sel(kpi="gas_kwh").item())
    assert _kpi(page, "gas_kwh") == fmt_quantity(expected.value("gas_kwh", v), unit_label(unit))
    caption = page.locator(".result-caption")
    expect(caption.get_by_text("gaz économisé par « horaires selon les réservations »")).to_be_visible()
    expect(page.locator(".result-map canvas").first).to_be_visible()
    shot(page, "08-heating-savings")


def test_a_scenario_naming_a_server_file_is_refused_and_nothing_of_it_shows(page, tmp_path):
    """Issue 15: the app reads no server file named by a browser. Before, this upload made the server
    open /etc/os-release and echo its first line in the error."""
    from playwright.sync_api import expect

    page.get_by_text("Scénario", exact=True).first.click()
    family = page.locator("select").first.input_value()
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps({"family": "heating", "booking_ics": "/etc/os-release"}))
    page.locator(".scenario-upload input[type=file]").set_input_files(str(evil))
    page.get_by_text("Ce scénario nomme un fichier du serveur (booking_ics)").wait_for(timeout=10_000)
    expect(page.get_by_text("Déposez le calendrier lui-même", exact=False)).to_be_visible()
    shown = page_text(page)
    assert "Ce scénario nomme un fichier du serveur (booking_ics)" in shown  # the text of every pane is read
    os_release = Path("/etc/os-release")
    lines = [x.strip() for x in os_release.read_text().splitlines() if x.strip()] if os_release.exists() else []
    for line in lines:  # nothing of the file, not its first line nor any other
        assert line not in shown
    assert "/etc/os-release" not in shown  # not even the path is repeated
    assert page.locator("select").first.input_value() == family  # the builder kept its scenario
    shot(page, "09-server-file-refused")


def test_a_payback_that_never_comes_shows_jamais_and_the_run_ends(page, tmp_path):
    """Issue 17's hang: five bins added at the best places never pay back (the same rounds as today
    cost more with more bins to empty). The payback was carried as the text "inf", the cards failed
    and the page stayed on "Calcul en cours…" with "Lancer" disabled."""
    from playwright.sync_api import expect

    page.get_by_text("Scénario", exact=True).first.click()
    spec = tmp_path / "five-bins.json"
    spec.write_text(json.dumps({"family": "bins", "policy": "fixed", "round_weekdays": [0, 2, 4],
                                "baseline_weekdays": [0, 2, 4], "add_best": 5, "members": 1, "days": 14}))
    page.locator(".scenario-upload input[type=file]").set_input_files(str(spec))
    page.get_by_text("Scénario « Corbeilles et collecte » chargé").wait_for(timeout=10_000)
    _run(page, timeout=180_000)
    assert _kpi(page, "payback_years") == "jamais"
    expect(page.get_by_role("button", name="Lancer")).to_be_enabled()
    expect(page.get_by_text("Calcul en cours…")).not_to_be_visible()
    shot(page, "10-payback-never")

    # saved and compared: the stored variant reads back "jamais", not "inf"
    _save(page, "Cinq corbeilles de plus")
    page.get_by_text("Comparer", exact=True).first.click()
    table = page.locator(".compare-area table").first
    table.wait_for(timeout=10_000)
    row = table.locator("tr", has_text="temps de retour").first.inner_text()
    assert "jamais" in row and "inf" not in row


def test_calendar_and_lamp_inventory_are_uploaded_as_content(page, tmp_path, redon_history):
    """The files a scenario needs come as content: a booking calendar for the heating, a lamp
    inventory for the lighting; each button shows only for the family that uses it."""
    from playwright.sync_api import expect

    page.get_by_text("Scénario", exact=True).first.click()
    calendar = page.locator(".calendar-upload input[type=file]")
    inventory = page.locator(".inventory-upload input[type=file]")
    page.locator("select").first.select_option(label="Chauffage des bâtiments")
    expect(page.get_by_text("Calendrier de réservations (.ics ou tableur .csv)").first).to_be_visible(timeout=10_000)
    expect(page.get_by_text("Inventaire des lampadaires (.csv, .geojson)").first).to_be_hidden()
    ics = tmp_path / "gymnase.ics"
    ics.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//twin test//\nBEGIN:VEVENT\nUID:1@twin\n"
                   "DTSTART:20230110T180000\nDTEND:20230110T220000\nRRULE:FREQ=WEEKLY;COUNT=12\nSUMMARY:Basket\n"
                   "END:VEVENT\nEND:VCALENDAR\n")
    calendar.set_input_files(str(ics))
    page.get_by_text("Calendrier « gymnase.ics » chargé : 12 réservations en 2023").wait_for(timeout=10_000)
    # a spreadsheet's bookings (semicolons, the day first, hours beside a date column) as well
    sheet = tmp_path / "salle.csv"
    sheet.write_text("Date;Début;Fin;Objet\n10/01/2023;18:00;22:00;Basket\n2023-01-11;9h;12h;Yoga\n", encoding="utf-8")
    calendar.set_input_files(str(sheet))
    page.get_by_text("Calendrier « salle.csv » chargé : 2 réservations en 2023").wait_for(timeout=10_000)

    page.locator("select").first.select_option(label="Extinction de l'éclairage")
    expect(page.get_by_text("Inventaire des lampadaires (.csv, .geojson)").first).to_be_visible(timeout=10_000)
    lon0, lat0, lon1, lat1 = redon_history.provenance["bounds_lonlat"]
    csv = tmp_path / "syndicat.csv"
    csv.write_text("lon,lat,power_w,technology,cabinet_id\n"
                   f"{(lon0 + lon1) / 2},{(lat0 + lat1) / 2},70,SHP,C1\n{lon1 + 1},{lat1},70,SHP,C1\n")
    inventory.set_input_files(str(csv))  # one lamp a degree east of Redon: refused, line named
    page.get_by_text("Fichier refusé : syndicat.csv: columns lon, lat: lamp outside the territory", exact=False).wait_for(timeout=10_000)
    expect(page.get_by_text("line 3", exact=False).first).to_be_visible()
    # corrected under the same name: sent again (the browser sends nothing for a file that looks
    # unchanged, so the app empties its button after each upload)
    csv.write_text("lon,lat,power_w,technology,cabinet_id\n" f"{(lon0 + lon1) / 2},{(lat0 + lat1) / 2},70,SHP,C1\n")
    inventory.set_input_files(str(csv))
    page.get_by_text("Inventaire « syndicat.csv » chargé : 1 lampadaires").wait_for(timeout=10_000)
    shot(page, "11-uploads-as-content")


# --- issue 25: no text a user controls runs as code; the pages carry a Content-Security-Policy ------

XSS_NAMES = ("<img src=x onerror=window.__xss=1>", "<script>window.__xss=2</script>",
             '<iframe src="javascript:window.parent.__xss=3">', "<svg onload=window.__xss=4>")


def _no_script_ran(page, where: str):
    assert page.evaluate("typeof window.__xss") == "undefined", f"a variant's name ran as code in {where}"


def test_variants_named_with_markup_show_as_text_and_run_nothing(page, tmp_path):
    """Issue 25, item 1: a variant saved under ``<img src=x onerror=…>`` ran its script at once and on
    every page that listed it (the "variants to compare" choice built its labels as HTML). Four
    payloads (img, script, iframe, svg) are saved, then every view is opened — builder, comparison
    (choice, table, reopen list), workshop cards, the HTML report — and nothing ran; the names are
    there as the text they are."""
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.get_by_text("Scénario", exact=True).first.click()
    _run(page)
    for name in XSS_NAMES:
        _save(page, name)  # the message "Variante « <img …> » enregistrée" is read as text
        _no_script_ran(page, "the builder's message")

    page.get_by_text("Comparer", exact=True).first.click()
    table = page.locator(".compare-area table").first
    table.wait_for(timeout=10_000)
    page.wait_for_timeout(500)  # let an injected onerror/onload fire if it were going to
    _no_script_ran(page, "the comparison")
    # the choice's items as shown (Choices.js; its hidden native <select> holds the escaped label)
    items = page.locator(".choices__inner .choices__item").all_inner_texts()
    for name in XSS_NAMES:
        assert name in table.inner_text(), name  # the table's header: the name as text
        assert any(f"{name} (Fermeture de rues)" in it for it in items), (name, items)  # the label: as text
    assert not [it for it in items if "&lt;" in it or "&amp;" in it], items  # escaped once, not twice
    options = page.locator(".reopen-pick select option").all_inner_texts()
    assert set(XSS_NAMES) <= set(options)
    shot(page, "12-xss-compare")
    with page.expect_download() as dl:  # the report of the compared variants (the four just saved)
        page.locator(".report-compare").get_by_text("Rapport (HTML)").click()
    report = tmp_path / "report.html"
    dl.value.save_as(report)

    page.get_by_text("Atelier", exact=True).first.click()
    cards = page.locator(".workshop-card h2")
    cards.nth(3).wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    _no_script_ran(page, "the workshop")
    assert set(XSS_NAMES) <= set(cards.all_inner_texts())
    shot(page, "13-xss-workshop")

    page.reload()  # a new page lists the four saved variants from the start
    page.wait_for_selector("canvas", timeout=60_000)
    page.get_by_text("Comparer", exact=True).first.click()
    page.locator(".compare-area table").first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    _no_script_ran(page, "a new page's comparison")
    page.goto(report.as_uri())
    page.wait_for_timeout(500)
    _no_script_ran(page, "the HTML report")
    body = page.locator("body").inner_text()
    assert all(name in body for name in XSS_NAMES)
    # nothing the app itself does was blocked by its policy; the one block expected is Panel's module
    # loader (es-module-shims) probing whether the browser imports a blob: script — it then does without
    assert not [v for v in violations if "script 'blob:" not in v], violations


def test_pages_carry_a_content_security_policy(server):
    """The page is served with a policy allowing only the app's own origin: no remote script, no
    frame, no plugin, no eval; the browser tests above run under it (a blocked resource would fail them)."""
    with urllib.request.urlopen(server, timeout=30) as r:
        csp = r.headers["Content-Security-Policy"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert csp, "no Content-Security-Policy header"
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-src"] == ["'none'"] and directives["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in csp
    assert "'self'" in directives["script-src"] and "'self'" in directives["connect-src"]
    host = server.split("/")[2]
    assert f"ws://{host}" in directives["connect-src"]  # the page's own websocket, no other host
    own = (f"ws://{host}", f"wss://{host}")
    assert not [s for d in directives.values() for s in d if s.startswith(("http", "ws:", "wss:", "*")) and s not in own]


def test_an_upload_above_the_limit_is_refused_in_french_and_the_page_lives_on(page, tmp_path):
    """Issue 25, item 6: a 50 MB file made one websocket message over the server's limit; tornado
    closed the connection and the page was dead, with no message. The page now refuses it before
    sending, says why in French, and still runs a scenario afterwards."""
    page.get_by_text("Scénario", exact=True).first.click()
    big = tmp_path / "enorme.json"
    with open(big, "wb") as f:
        f.truncate(50_000_000)  # 50 MB (sparse: nothing written)
    page.locator(".scenario-upload input[type=file]").set_input_files(str(big))
    page.get_by_text("Fichier refusé : enorme.json : 50 Mo, plus que la limite de 5 Mo par fichier").wait_for(
        timeout=20_000)
    _run(page)  # the page still talks to its server
    shot(page, "14-upload-too-big")


def test_a_json_bomb_is_refused_in_french_and_the_page_lives_on(page, tmp_path):
    """A scenario nested 100 000 levels deep (a few hundred kB) made the server's parser raise a
    RecursionError the page never heard of; it is refused with a message, and the page still runs."""
    page.get_by_text("Scénario", exact=True).first.click()
    family = page.locator("select").first.input_value()
    bomb = tmp_path / "bombe.json"
    bomb.write_text("[" * 100_000 + "]" * 100_000)
    page.locator(".scenario-upload input[type=file]").set_input_files(str(bomb))
    page.get_by_text("Fichier refusé : bombe.json : JSON imbriqué sur plus de 32 niveaux").wait_for(timeout=20_000)
    deep = tmp_path / "profond.json"
    deep.write_text('{"family": "bins", "rules": ' + "[" * 500 + "]" * 500 + "}")
    page.locator(".scenario-upload input[type=file]").set_input_files(str(deep))
    page.get_by_text("Fichier refusé : profond.json : JSON imbriqué sur plus de 32 niveaux").wait_for(timeout=20_000)
    assert page.locator("select").first.input_value() == family
    _run(page)
    shot(page, "15-json-bomb")


def test_the_alertes_tab_opens_and_says_when_there_is_none(page):
    """Issue 20: the « Alertes » tab in a real browser (the Redon seed's store has no alert book: the
    page says how alerts come, in French)."""
    page.get_by_text("Alertes", exact=True).first.click()
    page.get_by_text("Aucune alerte ouverte", exact=False).first.wait_for(timeout=20_000)
    page.get_by_text("Afficher les alertes terminées", exact=False).first.wait_for(timeout=10_000)
    shot(page, "16-alertes")
