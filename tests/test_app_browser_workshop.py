"""A workshop in real browsers (Debian's chromium driven by playwright), served by the real command
``twin app --workshop``: two participants join with the printed code and their names and vote for
the same variant, each then sees two votes; a participant cannot discard another's variant; the
facilitator, from the printed link, freezes the workshop and downloads the meeting pack, whose
files are opened (the PDFs' pages, the GeoPackage's layers, the KPI table).

Skips, saying why, when /usr/bin/chromium or playwright is missing. Screenshots go to
``$TWIN_TEST_ARTIFACTS`` (default ``test-artifacts/``).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_app_browser import ARTIFACTS, CHROMIUM, _free_port, browser, shot, stop_server  # noqa: F401
from tests.test_meeting_pack import pdf_pages, read_french_csv

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="browser tests need Debian's chromium at /usr/bin/chromium")


def _seed_variants(state_dir: Path) -> dict:
    """Two variants saved before the meeting, as participants would have (with their full outcomes)."""
    from twin.app.variants import Variant, VariantStore, outcome_rows
    from twin.scenarios import SCENARIOS
    from twin.seeds import load_default

    territory = load_default()
    store = VariantStore(state_dir / "variants")
    closure = SCENARIOS["street-closure"](streets=["Quai Saint-Jacques"]).run(territory)
    # every parameter, as the page saves a variant (its form's values), the rules as the lighting form writes them
    rules = [{"zone": {"all": True}, "schedule": {"name": "éteint 23:00–05:00", "off_windows": [["23:00", "05:00"]]}},
             {"zone": {"near": {"category": ["station", "school"], "radius_m": 30.0}},
              "schedule": {"name": "toute la nuit"}}]
    scenario = SCENARIOS["lighting"](rules=rules, price_eur_per_kwh=0.25)
    lighting = scenario.run(territory)
    params = json.loads(json.dumps({k: v for k, v in scenario.param.values().items() if k != "name"}, default=str))
    quai = store.save(Variant("Quai fermé", "street-closure", "redon", {"streets": ["Quai Saint-Jacques"]},
                              outcome_rows(closure), author="Anne Martin"), outcome=closure)
    led = store.save(Variant("Éclairage LED", "lighting", "redon", params, outcome_rows(lighting), author="Brice Le Gall"),
                     outcome=lighting)
    return {"quai": quai, "led": led}


@pytest.fixture(scope="module")
def workshop_server(tmp_path_factory):
    """``twin app --workshop`` on a free loopback port; yields (participants' URL, code, facilitator URL)."""
    state = tmp_path_factory.mktemp("workshop-state")
    seeded = _seed_variants(state)
    port = _free_port()
    env = {**os.environ, "TWIN_APP_STATE": str(state)}
    log_path = state / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([sys.executable, "-u", "-c", "import sys; from twin.cli import main; sys.exit(main())",
                             "app", "--workshop", "--address", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 240
    code = facilitator = None
    try:
        while time.time() < deadline and not (code and facilitator):
            text = log_path.read_text()
            m = re.search(r"code de l'atelier : (\d{3} \d{3})", text)
            f = re.search(r"animateur \(lien à ne pas diffuser\) : (\S+)", text)
            code, facilitator = (m.group(1) if m else None), (f.group(1) if f else None)
            if proc.poll() is not None:
                raise RuntimeError("twin app --workshop stopped:\n" + text)
            time.sleep(0.5)
        assert code and facilitator, "twin app --workshop printed no join code or facilitator link:\n" + log_path.read_text()
        url = f"http://127.0.0.1:{port}/"
        assert facilitator.startswith(url + "?animateur=")
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url, timeout=120)
                break
            except OSError:
                time.sleep(0.5)
        yield {"url": url, "code": code, "facilitator": facilitator, **seeded}
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "server-workshop.log").write_text(log_path.read_text())
        stop_server(proc)


def _open(browser, url: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector("canvas", timeout=120_000)
    page.get_by_text("Atelier", exact=True).first.click()
    return ctx, page


def _join(page, code: str, name: str):
    page.get_by_placeholder("6 chiffres, donnés par l'animateur").fill(code)
    page.get_by_placeholder("Prénom Nom").fill(name)
    page.get_by_role("button", name="Rejoindre l'atelier").click()
    page.get_by_text(f"Vous participez sous le nom « {name} ».").wait_for(timeout=20_000)


def _card(page, title: str):
    return page.locator(".workshop-card").filter(has=page.locator("h2", has_text=title))


def test_two_participants_vote_and_the_facilitator_gets_the_pack(browser, workshop_server, tmp_path):
    from playwright.sync_api import expect

    w = workshop_server
    ctx_a, anne = _open(browser, w["url"])
    ctx_b, brice = _open(browser, w["url"])
    try:
        # a wrong code is refused, in French, and the name is not taken
        anne.get_by_placeholder("6 chiffres, donnés par l'animateur").fill("000000")
        anne.get_by_placeholder("Prénom Nom").fill("Anne Martin")
        anne.get_by_role("button", name="Rejoindre l'atelier").click()
        anne.get_by_text("Code de l'atelier incorrect").wait_for(timeout=20_000)
        _join(anne, w["code"], "Anne Martin")
        _join(brice, w["code"].replace(" ", ""), "Brice Le Gall")
        # participants see no facilitator tool
        expect(anne.get_by_text("Figer l'atelier")).to_be_hidden()
        expect(anne.get_by_text("Télécharger le dossier de séance")).to_be_hidden()

        _card(anne, "Quai fermé").get_by_role("button", name="Voter").click()
        expect(_card(anne, "Quai fermé").locator(".votes")).to_have_text("1 vote(s)", timeout=20_000)
        _card(brice, "Quai fermé").get_by_role("button", name="Voter").click()
        expect(_card(brice, "Quai fermé").locator(".votes")).to_have_text("2 vote(s)", timeout=20_000)
        # Anne's page follows Brice's vote by itself (the tab looks for new votes while shown)
        expect(_card(anne, "Quai fermé").locator(".votes")).to_have_text("2 vote(s)", timeout=20_000)
        expect(_card(anne, "Quai fermé").get_by_role("button", name="Retirer mon vote")).to_be_visible()
        # Brice may discard his own variant, not Anne's
        expect(_card(brice, "Quai fermé").get_by_role("button", name="Écarter")).to_have_count(0)
        expect(_card(brice, "Éclairage LED").get_by_role("button", name="Écarter")).to_have_count(1)
        expect(_card(brice, "Quai fermé")).to_contain_text("proposée par Anne Martin")
        shot(anne, "workshop-01-anne")
        shot(brice, "workshop-02-brice")

        ctx_f, boss = _open(browser, w["facilitator"])
        try:
            expect(boss.get_by_text("Vous animez l'atelier.")).to_be_visible(timeout=20_000)
            expect(boss.locator(".workshop-spread")).to_contain_text("Paramètres proposés", timeout=20_000)
            expect(boss.locator(".workshop-spread")).to_contain_text("Participants (2) : Anne Martin, Brice Le Gall")
            expect(_card(boss, "Quai fermé").locator(".votes")).to_have_text("2 vote(s)")
            boss.get_by_role("button", name="Figer l'atelier").click()
            expect(boss.get_by_text(re.compile(r"Atelier figé le .*2 variante\(s\), 2 vote\(s\)"))).to_be_visible(
                timeout=20_000)
            shot(boss, "workshop-03-facilitator")
            with boss.expect_download(timeout=240_000) as dl:
                boss.locator(".workshop-pack").get_by_text("Télécharger le dossier de séance").click()
            download = dl.value
            assert re.fullmatch(r"dossier-seance-redon-\d{4}-\d\d-\d\d-\d{4}\.zip", download.suggested_filename)
            path = tmp_path / download.suggested_filename
            download.save_as(path)
        finally:
            ctx_f.close()
    finally:
        ctx_a.close()
        ctx_b.close()

    # the pack, opened as the town hall would
    import pyogrio

    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        z.extractall(tmp_path / "pack")
    pack = tmp_path / "pack"
    assert pdf_pages((pack / "resume.pdf").read_bytes()) == 1
    assert pdf_pages((pack / "annexes.pdf").read_bytes()) >= 3  # the spread, then one page per variant
    layers = dict(pyogrio.list_layers(pack / "couches.gpkg"))
    assert set(layers) == {"01_quai-ferme_rues_fermees", "02_eclairage-led_lampadaires"}, layers
    assert pyogrio.read_info(pack / "couches.gpkg", layer="02_eclairage-led_lampadaires")["features"] > 0
    kpis = read_french_csv(pack / "indicateurs.csv")
    proposals = kpis[kpis["Calcul"] == "variante proposée"]  # the all-LED rows beside them carry no vote
    assert set(kpis["Calcul"]) == {"variante proposée", "Variante tout LED"}
    votes = dict(zip(proposals["Variante"], proposals["Votes"], strict=False))
    assert votes == {"Quai fermé": 2, "Éclairage LED": 0}
    changed = read_french_csv(pack / "variantes.csv").set_index("Variante")["Paramètres modifiés"]
    assert changed["Éclairage LED"] == ("Règles : Éteindre de 23 h à 5 h — tous les lampadaires ; Garder allumé à 30 m "
                                        "de : gare, écoles | Prix de l'électricité (HT) : 0,25\u00a0€/kWh")
    params = read_french_csv(pack / "parametres.csv")
    price = params[params["Code"] == "price_eur_per_kwh"].iloc[0]
    assert (price["Valeur"], price["Unité"], price["Par défaut"]) == (0.25, "€/kWh", "non")
    assert params[params["Code"] == "led_retrofit"].iloc[0]["Paramètre"] == "Comparer aussi avec un passage tout LED"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("resume.pdf", "annexes.pdf", "variantes.csv", "parametres.csv", "indicateurs.csv"):
        (ARTIFACTS / f"workshop-pack-{name}").write_bytes((pack / name).read_bytes())  # to look at


def _facilitator_reopens_if_closed(boss):
    """A previous test of this server may have frozen the workshop: start from an open round."""
    from playwright.sync_api import expect

    reopen = boss.get_by_role("button", name="Rouvrir le vote (nouvelle manche)")
    expect(boss.get_by_text("Vous animez l'atelier")).to_be_visible(timeout=20_000)
    if reopen.is_visible():
        reopen.click()
        expect(boss.get_by_role("button", name="Figer l'atelier")).to_be_visible(timeout=20_000)


def test_a_freeze_closes_the_vote_for_both_participants_and_reopen_starts_round_two(browser, workshop_server):
    """Two participants and the facilitator: « Figer » closes the vote on every page (« Vote clos le … »,
    vote buttons disabled); « Rouvrir le vote » opens the next round, and a vote counts again."""
    from playwright.sync_api import expect

    w = workshop_server
    ctx_f, boss = _open(browser, w["facilitator"])
    ctx_a, anne = _open(browser, w["url"])
    ctx_b, brice = _open(browser, w["url"])
    try:
        _facilitator_reopens_if_closed(boss)
        _join(anne, w["code"], "Anne Martin")
        _join(brice, w["code"], "Brice Le Gall")
        expect(_card(anne, "Éclairage LED").get_by_role("button", name=re.compile("Voter|Retirer mon vote"))).to_be_enabled()
        boss.get_by_role("button", name="Figer l'atelier").click()
        expect(boss.get_by_text(re.compile(r"Atelier figé le .*Vote clos"))).to_be_visible(timeout=20_000)
        expect(boss.locator(".workshop-round")).to_contain_text("« Rouvrir le vote » commence la manche")
        # both participants' pages follow by themselves: the round's banner, the buttons disabled
        for p in (anne, brice):
            expect(p.locator(".workshop-round")).to_contain_text(re.compile(r"Vote clos le \d\d/\d\d/\d{4} \d\d:\d\d"),
                                                                 timeout=20_000)
            expect(p.locator(".workshop-round")).to_contain_text("L'animateur peut rouvrir le vote")
            expect(_card(p, "Éclairage LED").get_by_role("button", name="Vote clos")).to_be_disabled()
            expect(_card(p, "Quai fermé").get_by_role("button", name="Vote clos")).to_be_disabled()
        expect(anne.get_by_role("button", name=re.compile("Rouvrir le vote"))).to_have_count(0)
        shot(anne, "workshop-04-vote-closed-participant")
        shot(boss, "workshop-05-vote-closed-facilitator")
        # a newcomer cannot join a frozen workshop, and is told why
        ctx_z, zoe = _open(browser, w["url"])
        try:
            zoe.get_by_placeholder("6 chiffres, donnés par l'animateur").fill(w["code"])
            zoe.get_by_placeholder("Prénom Nom").fill("Zoé Arrivée-Tard")
            zoe.get_by_role("button", name="Rejoindre l'atelier").click()
            zoe.get_by_text("il ne prend plus de nouveau participant").wait_for(timeout=20_000)
        finally:
            ctx_z.close()

        votes_before = _card(anne, "Éclairage LED").locator(".votes").inner_text()
        expect(_card(anne, "Éclairage LED").get_by_role("button", name=re.compile("^(Voter|Retirer mon vote)$"))).to_have_count(0)
        boss.get_by_role("button", name="Rouvrir le vote (nouvelle manche)").click()
        expect(boss.get_by_text(re.compile(r"Manche \d+ ouverte : les participants peuvent voter de nouveau"))).to_be_visible(
            timeout=20_000)
        for p in (anne, brice):
            expect(p.locator(".workshop-round")).to_contain_text(re.compile(r"Manche \d+ ouverte le"), timeout=20_000)
        vote = _card(brice, "Éclairage LED").locator("button").filter(has_text=re.compile("^(Voter|Retirer mon vote)$"))
        expect(vote).to_be_enabled()
        was = int(votes_before.split()[0])
        voted = vote.inner_text() == "Retirer mon vote"
        vote.click()
        expect(_card(anne, "Éclairage LED").locator(".votes")).to_have_text(f"{was - 1 if voted else was + 1} vote(s)",
                                                                            timeout=20_000)
        shot(anne, "workshop-06-round-two")
    finally:
        for c in (ctx_a, ctx_b, ctx_f):
            c.close()


def test_a_participant_s_name_survives_a_reload(browser, workshop_server):
    from playwright.sync_api import expect

    w = workshop_server
    ctx, anne = _open(browser, w["url"])
    try:
        _join(anne, w["code"], "Anne Martin")
        anne.wait_for_url(re.compile(r"[?&]nom=Anne(\+|%20)Martin&jeton=[0-9a-f]{16}"), timeout=20_000)
        anne.reload()
        anne.wait_for_selector("canvas", timeout=120_000)
        anne.get_by_text("Atelier", exact=True).first.click()
        expect(anne.get_by_text("Vous participez sous le nom « Anne Martin ».")).to_be_visible(timeout=20_000)
        expect(anne.get_by_text("Vous êtes de retour sous le nom « Anne Martin ».")).to_be_visible()
        expect(anne.get_by_placeholder("6 chiffres, donnés par l'animateur")).to_be_hidden()  # joined: no form
        shot(anne, "workshop-07-reloaded")
        # the same address with another name: the token does not match, the code is asked again
        forged = re.sub(r"nom=[^&]+", "nom=Brice", anne.url)
        anne.goto(forged)
        anne.wait_for_selector("canvas", timeout=120_000)
        anne.get_by_text("Atelier", exact=True).first.click()
        expect(anne.get_by_placeholder("6 chiffres, donnés par l'animateur")).to_be_visible(timeout=20_000)
        expect(anne.get_by_placeholder("Prénom Nom")).to_have_value("Brice")
    finally:
        ctx.close()


def test_the_facilitator_s_spread_is_in_french_words(browser, workshop_server):
    from playwright.sync_api import expect

    w = workshop_server
    ctx, boss = _open(browser, w["facilitator"])
    try:
        spread = boss.locator(".workshop-spread")
        expect(spread).to_contain_text("Paramètres proposés", timeout=20_000)
        expect(spread).to_contain_text("Fermeture de rues")
        expect(spread.locator("tr[data-param='streets']")).to_contain_text("Rues")
        expect(spread.locator("tr[data-param='streets']")).to_contain_text("Quai Saint-Jacques (×1)")
        # the lighting variant's all-LED run: apart, under its French name, each proposal counted once
        expect(spread).to_contain_text("Variante tout LED (calculée à côté de chaque variante qui la coche")
        rules = spread.locator("tr[data-param='rules']")
        expect(rules).to_contain_text("Éteindre de 23 h à 5 h — tous les lampadaires ; Garder allumé à 30 m de : gare, "
                                      "écoles (×1)")
        expect(spread.locator("tr[data-param='price_eur_per_kwh']")).to_contain_text("Prix de l'électricité (HT)")
        expect(spread.locator("tr[data-param='price_eur_per_kwh']")).to_contain_text("0,25 €/kWh (×1)")
        # the parameters left at their default: one line, the all-LED comparison among them, not a row each
        expect(spread.locator(".spread-same").last).to_contain_text("Comparer aussi avec un passage tout LED")
        text = spread.inner_text()
        for code in ("streets", "led_retrofit", "off_windows", "[\"", "_"):
            assert code not in text, code
        spread.scroll_into_view_if_needed()
        shot(boss, "workshop-08-spread")
    finally:
        ctx.close()
