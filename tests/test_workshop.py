"""The workshop's shared state (participants, votes, snapshots, the spread) and its tab in the page.

State: files beside the variant store, one per participant and per vote, so that sessions voting at
once never lose a vote. The tab: the real :class:`twin.app.main.TwinApp`, built in-process.
"""

from __future__ import annotations

import html
import json
import math
import os
import stat
import threading

import pytest

from twin.app.variants import Variant, VariantStore
from twin.app.workshop_state import (JoinGuard, WorkshopError, WorkshopState, clean_name, code_matches, kpi_spread,
                                     may_discard, param_spread, participant_key, participant_token, snapshot_store,
                                     token_matches, when_text)


def _kpis(value, baseline=100.0, kpi="cost_eur", unit="EUR"):
    return [{"variant": "baseline", "kpi": kpi, "value": baseline, "unit": unit, "impact": "financial",
             "baseline": baseline, "change": 0.0, "change_pct": 0.0, "baseline_name": "baseline"},
            {"variant": "v", "kpi": kpi, "value": value, "unit": unit, "impact": "financial",
             "baseline": baseline, "change": value - baseline, "change_pct": (value - baseline) / baseline * 100,
             "baseline_name": "baseline"}]


def _variant(name, author="", value=90.0, family="lighting", **params):
    return Variant(name=name, family=family, territory="redon", params=params, kpis=_kpis(value), author=author)


def test_names_are_cleaned_and_bad_ones_refused():
    assert clean_name("  Anne \n  Martin ") == "Anne Martin"
    assert participant_key("anne martin") == participant_key(" Anne  Martin")
    for bad in ("", "   ", "x" * 41, "Anne\x00", "a\x1b[31mb"):
        with pytest.raises(WorkshopError) as e:
            clean_name(bad)
        assert e.value.key == "workshop_bad_name"


def test_join_and_vote_one_file_each(tmp_path):
    state = WorkshopState(tmp_path)
    assert state.join(" Anne  Martin ") == "Anne Martin"
    state.join("anne martin")  # the same person again
    state.join("Brice")
    assert state.participants() == ["Anne Martin", "Brice"]
    state.vote("0123456789", "Anne Martin")
    state.vote("0123456789", "anne martin")  # voting twice is one vote
    state.vote("0123456789", "Brice")
    assert state.votes() == {"0123456789": ["Anne Martin", "Brice"]}
    assert state.has_voted("0123456789", "ANNE MARTIN") and not state.has_voted("0123456789", "Chloé")
    state.vote("0123456789", "Brice", on=False)
    assert state.votes() == {"0123456789": ["Anne Martin"]}
    with pytest.raises(KeyError):
        state.vote("../../etc", "Anne Martin")
    # a damaged vote file is not a vote (and is left on disk)
    (tmp_path / "atelier" / "votes" / "0123456789" / "abc.json").write_text("{")
    assert state.votes() == {"0123456789": ["Anne Martin"]}


def test_concurrent_votes_are_all_counted(tmp_path):
    """Forty participants voting at the same instant, from as many threads: every vote is there."""
    state = WorkshopState(tmp_path)
    names = [f"Participant {i}" for i in range(40)]
    barrier = threading.Barrier(len(names))

    def vote(name):
        barrier.wait()
        WorkshopState(tmp_path).vote("abcdefabcd", name)

    threads = [threading.Thread(target=vote, args=(n,)) for n in names]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(state.votes()["abcdefabcd"]) == sorted(names)


def test_join_codes_and_the_guard():
    assert code_matches(" 123 456 ", "123456") and not code_matches("123457", "123456")
    assert not code_matches("", "")  # no code set: nothing matches
    now = [0.0]
    guard = JoinGuard(limit=3, window_s=60, clock=lambda: now[0])
    guard.check("123456", "123456")
    for _ in range(3):
        with pytest.raises(WorkshopError) as e:
            guard.check("000000", "123456")
        assert e.value.key == "workshop_bad_code"
    with pytest.raises(WorkshopError) as e:  # even the right code waits: guessing gains nothing
        guard.check("123456", "123456")
    assert e.value.key == "workshop_too_many_tries" and e.value.kw["seconds"] == 60
    now[0] = 61.0
    guard.check("123456", "123456")
    # one phone's wrong codes do not lock the room out: another device's right code passes at once, while
    # the server's own limit still bounds guessing from many devices
    guard = JoinGuard(limit=3, window_s=60, clock=lambda: now[0], server_limit=5)
    for _ in range(3):
        with pytest.raises(WorkshopError):
            guard.check("000000", "123456", "10.0.0.7")
    with pytest.raises(WorkshopError) as e:
        guard.check("123456", "123456", "10.0.0.7")
    assert e.value.key == "workshop_too_many_tries"
    guard.check("123 456", "123456", "10.0.0.8")
    for device in ("10.0.0.9", "10.0.0.10"):
        with pytest.raises(WorkshopError):
            guard.check("000000", "123456", device)
    with pytest.raises(WorkshopError) as e:  # five wrong codes on the server: every device waits
        guard.check("123456", "123456", "10.0.0.11")
    assert e.value.key == "workshop_too_many_tries"


def test_a_participant_token_is_the_name_s_own_under_the_server_s_secret():
    token = participant_token("Anne Martin", "secret")
    assert token_matches(" anne  martin ", token, "secret")  # the same person
    assert not token_matches("Brice", token, "secret") and not token_matches("Anne Martin", token, "other")
    assert not token_matches("Anne Martin", token, "") and not token_matches("", token, "secret")
    assert not token_matches("Anne Martin", "", "secret")


def test_only_the_author_or_the_facilitator_may_discard():
    v = _variant("A", author="Anne Martin")
    assert may_discard(v, "anne  martin", facilitator=False)
    assert not may_discard(v, "Brice", facilitator=False)
    assert not may_discard(v, "", facilitator=False)
    assert may_discard(v, "", facilitator=True)
    orphan = _variant("B", author="")
    assert not may_discard(orphan, "Anne Martin", facilitator=False) and may_discard(orphan, "", facilitator=True)


def test_spread_of_parameters_and_kpis():
    off = [{"zone": {"all": True}, "schedule": {"name": "off", "off_windows": [["23:00", "05:00"]]}}]
    keep = [*off, {"zone": {"near": {"category": ["station", "school"], "radius_m": 30}}, "schedule": {"name": "n"}}]
    vs = [_variant("a", value=80.0, rules=off, price_eur_per_kwh=0.2, year=2024, variant_name="Extinction 23 h–5 h"),
          _variant("b", value=90.0, rules=off, price_eur_per_kwh=0.2, year=2024),
          _variant("c", value=130.0, rules=keep, price_eur_per_kwh=12.345678901, year=2024),
          _variant("d", value=float("inf"), rules=keep, price_eur_per_kwh=0.2, year=2024),
          _variant("e", value=1.0, family="bins", members=4, round_weekdays=[0, 2, 4])]
    params = {(r["family"], r["param"]): r for r in param_spread(vs)}
    rules = params[("lighting", "rules")]
    assert rules["label"] == "Règles" and rules["varied"] and not rules["default"]
    assert rules["values"] == [("Éteindre de 23 h à 5 h — tous les lampadaires", 2),
                               ("Éteindre de 23 h à 5 h — tous les lampadaires ; Garder allumé à 30 m de : gare, écoles", 2)]
    price = params[("lighting", "price_eur_per_kwh")]
    assert price["label"] == "Prix de l'électricité (HT)"
    assert price["values"] == [("0,2\u00a0€/kWh", 3), ("12,35\u00a0€/kWh", 1)]
    assert params[("lighting", "year")]["default"] and not params[("lighting", "year")]["varied"]
    assert params[("bins", "members")]["values"] == [("4", 1)]
    assert params[("bins", "round_weekdays")]["values"] == [("lun., mer., ven.", 1)]
    # what sets the variants apart first, the defaults last
    assert [r["param"] for r in param_spread(vs) if r["family"] == "lighting"] == ["price_eur_per_kwh", "rules", "year"]
    # the form names its schedule « éteint 23:00–05:00 », the default « off 23:00–05:00 »: the same rule
    named = [{"zone": {"all": True}, "schedule": {"name": "éteint 23:00–05:00", "off_windows": [["23:00", "05:00"]]}}]
    same = {r["param"]: r for r in param_spread([_variant("f", rules=named), _variant("g", rules=off)])}["rules"]
    assert same["values"] == [("Éteindre de 23 h à 5 h — tous les lampadaires", 2)] and not same["varied"]
    assert same["default"]
    english = {r["param"]: r for r in param_spread(vs, "en")}
    assert english["led_retrofit" if "led_retrofit" in english else "rules"]["values"][0][0].startswith("Switch off")
    kpis = {(r["family"], r["kpi"]): r for r in kpi_spread(vs)}
    row = kpis[("lighting", "cost_eur")]
    assert (row["min"], row["median"], row["max"], row["n"], row["infinite"]) == (80.0, 90.0, 130.0, 3, 1)
    assert kpis[("bins", "cost_eur")]["median"] == 1.0
    nan_only = kpi_spread([_variant("z", value=float("nan"))])[0]
    assert nan_only["n"] == 0 and math.isnan(nan_only["median"])


def test_the_all_led_variant_beside_a_lighting_proposal_is_counted_apart_once():
    """A lighting run computes « tout LED » beside the proposal (led_retrofit, ticked by default): its
    values are rows of their own, never mixed with the proposals' (each proposal counted once)."""
    def lighting(name, value, led):
        rows = _kpis(value)
        rows.append({**rows[1], "variant": "led_retrofit", "value": led, "change": led - 100.0})
        return Variant(name=name, family="lighting", territory="redon", params={"led_retrofit": True}, kpis=rows)

    vs = [lighting("a", 80.0, 70.0), lighting("b", 90.0, 70.0), _variant("c", value=60.0)]
    rows = {(r["variant"], r["kpi"]): r for r in kpi_spread(vs) if r["family"] == "lighting"}
    own, led = rows[("", "cost_eur")], rows[("led_retrofit", "cost_eur")]
    assert (own["n"], own["min"], own["median"], own["max"]) == (3, 60.0, 80.0, 90.0)  # not 5 values
    assert (led["n"], led["min"], led["max"]) == (2, 70.0, 70.0)
    from twin.app.meeting_pack import spread_html

    page = spread_html(vs, "fr")
    assert "Variante tout LED (calculée à côté de chaque variante qui la coche" in page
    assert page.count("<tr data-variant='led_retrofit'>") == 1 and page.count("<tr data-variant=''>") == 1
    assert "led_retrofit" not in page.replace("data-variant='led_retrofit'", "").replace("data-param='led_retrofit'", "")
    assert "Variante tout LED" in page and "Ajouter une variante" not in page


def test_freeze_makes_a_dated_read_only_copy(tmp_path):
    store = VariantStore(tmp_path / "variants")
    a = store.save(_variant("A", author="Anne"))
    b = store.save(_variant("B", author="Brice"))
    gone = store.save(_variant("C", author="Anne"))
    store.update(gone.id, discarded=True)
    state = WorkshopState(store.dir)
    state.join("Anne")
    state.vote(a.id, "Anne")
    snap = state.freeze(store, when=1_780_000_000)
    twice = state.freeze(store, when=1_780_000_000)  # the same second: its own directory
    assert snap.stamp != twice.stamp and [s.stamp for s in state.snapshots()] == [snap.stamp, twice.stamp]
    meta = snap.meta()
    assert meta["variants"] == [a.id, b.id] and meta["votes"] == {a.id: ["Anne"], b.id: []}
    assert meta["participants"] == ["Anne"]
    # the freeze closed the vote: a vote and a new participant are refused, saying when it closed
    for act, key in ((lambda: state.vote(b.id, "Anne"), "workshop_vote_closed"),
                     (lambda: state.vote(a.id, "Anne", on=False), "workshop_vote_closed"),
                     (lambda: state.join("Zoé"), "workshop_join_closed")):
        with pytest.raises(WorkshopError) as e:
            act()
        assert e.value.key == key and e.value.kw == {"round": 1} and e.value.at == 1_780_000_000
        # the time in the page's language: the English page said it day first
        assert when_text(1_780_000_000, "fr") in e.value.text("fr")
        assert when_text(1_780_000_000, "en") in e.value.text("en") and when_text(1_780_000_000, "en")[:4] == "2026"
    assert state.join("anne") == "anne"  # who had joined is still known (a page reloaded)
    assert state.participants() == ["Anne"]
    # the next round: open again, the frozen votes kept; later changes do not reach the snapshot
    assert state.reopen(when=1_780_000_100) == {"round": 2, "closed": False, "closed_at": 1_780_000_000,
                                                "opened_at": 1_780_000_100, "snapshot": twice.stamp}
    assert state.votes() == {a.id: ["Anne"]}
    state.vote(b.id, "Anne")
    store.update(a.id, name="A renamed")
    frozen = snapshot_store(snap)
    assert [v.name for v in frozen.list()] == ["A", "B"] and snap.votes()[b.id] == []
    for p in snap.path.rglob("*"):
        if p.is_file():
            assert not p.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), p
    if os.geteuid() != 0:  # root writes anyway; the bits are what a normal user meets
        with pytest.raises(PermissionError):
            frozen.update(a.id, name="x")
    # the variant store does not take the workshop's files for variants
    assert {v.id for v in store.list()} == {a.id, b.id, gone.id}
    assert json.loads((snap.path / "atelier.json").read_text())["stamp"] == snap.stamp


# --- the tab, in the real page built in-process ----------------------------------------------------

CODE, TOKEN = "482913", "f4c1l1t4t0r-t0k3n"


@pytest.fixture(scope="module")
def closure():
    from twin.scenarios import StreetClosure
    from twin.seeds import load_default

    return StreetClosure(streets=["Quai Saint-Jacques"]).run(load_default())


@pytest.fixture()
def workshop_env(monkeypatch):
    from twin.app.workshop import CODE_ENV, FACILITATOR_ENV, JOIN_GUARD

    monkeypatch.setenv(CODE_ENV, CODE)
    monkeypatch.setenv(FACILITATOR_ENV, TOKEN)
    JOIN_GUARD._failures.clear()  # one guard per server: this test's wrong codes only


def _page(store):
    from twin.app.main import WORKSHOP_TAB, TwinApp

    app = TwinApp("redon", "fr", store=store)
    app.tabs.active = WORKSHOP_TAB
    return app


def _cards(app) -> dict:
    """{variant name: (votes shown, button labels)} of the workshop's cards as drawn."""
    import html
    import re

    out = {}
    for c in app.workshop_box:
        if "workshop-card" not in c.css_classes:
            continue
        name = html.unescape(re.search(r"<h2>(.*?)</h2>", c.objects[0].object).group(1))
        votes = int(re.search(r"data-votes='(\d+)'", c.objects[1].object).group(1))
        out[name] = (votes, [b.name for b in c.objects[2]], c.objects[1].object)
    return out


def _said(app) -> str:
    """The workshop's message as the page shows it (unescaped)."""
    import html

    return html.unescape(app.workshop_message.object)


def _join(app, name, code=CODE):
    app.workshop_join_code.value = code
    app.workshop_join_name.value = name
    app._workshop_join()


def test_the_facilitator_is_whoever_has_the_token():
    from twin.app.workshop import facilitator_from

    assert facilitator_from({}, TOKEN, workshop=False)  # one desk: the person there runs it
    assert facilitator_from({"animateur": [TOKEN.encode()]}, TOKEN, workshop=True)
    assert not facilitator_from({"animateur": [b"guess"]}, TOKEN, workshop=True)
    assert not facilitator_from({}, TOKEN, workshop=True)


def test_a_participant_joins_with_the_code_and_a_name(tmp_path, workshop_env, closure):
    from twin.app.variants import outcome_rows

    store = VariantStore(tmp_path / "variants")
    store.save(Variant("Quai", "street-closure", "redon", {}, outcome_rows(closure), author="Anne"))
    app = _page(store)
    assert app.workshop_mode and not app.workshop_facilitator
    assert app.workshop_join_code.visible and not app.workshop_pack.visible and not app.workshop_freeze.visible
    assert app.workshop_author() is None  # a variant saved now would have no author: the page asks to join
    _join(app, "Brice", code="000000")
    assert "Code de l'atelier incorrect" in _said(app) and not app.participant
    _join(app, "   ")
    assert "Nom refusé" in _said(app) and not app.participant
    _join(app, " Brice  Le Gall ")
    assert app.participant == "Brice Le Gall" and app.workshop_author() == "Brice Le Gall"
    assert "« Brice Le Gall »" in app.workshop_who.object and not app.workshop_join_row.visible
    assert WorkshopState(store.dir).participants() == ["Brice Le Gall"]


def test_two_participants_vote_and_each_sees_two_votes(tmp_path, workshop_env, closure):
    from twin.app.variants import outcome_rows

    store = VariantStore(tmp_path / "variants")
    quai = store.save(Variant("Quai", "street-closure", "redon", {}, outcome_rows(closure), author="Anne"))
    anne, brice = _page(store), _page(store)
    _join(anne, "Anne")
    _join(brice, "Brice")
    anne._workshop_vote(quai.id)
    assert _cards(anne)["Quai"][0] == 1
    brice._workshop_vote(quai.id)
    assert _cards(brice)["Quai"][0] == 2
    assert "Retirer mon vote" in _cards(brice)["Quai"][1]
    anne._workshop_poll()  # what the page does every POLL_MS while the tab is shown
    assert _cards(anne)["Quai"][0] == 2
    brice._workshop_vote(quai.id)  # a second click takes the vote back
    anne._workshop_poll()
    assert _cards(anne)["Quai"][0] == 1 and _cards(brice)["Quai"][1][0] == "Voter"


def test_a_participant_cannot_discard_another_s_variant(tmp_path, workshop_env, closure):
    from twin.app.variants import outcome_rows

    store = VariantStore(tmp_path / "variants")
    annes = store.save(Variant("D'Anne", "street-closure", "redon", {}, outcome_rows(closure), author="Anne"))
    brices = store.save(Variant("De Brice", "street-closure", "redon", {}, outcome_rows(closure), author="Brice"))
    brice = _page(store)
    _join(brice, "Brice")
    cards = _cards(brice)
    assert "Écarter" not in cards["D'Anne"][1] and "Écarter" in cards["De Brice"][1]
    assert "Épingler" not in cards["De Brice"][1]  # pins and order: the facilitator's
    assert "proposée par Anne" in cards["D'Anne"][2]
    brice._workshop_action(annes.id, discarded=True)  # as a stale page or a crafted message would
    assert "Seul l'auteur de la variante ou l'animateur" in _said(brice)
    assert not store.get(annes.id).discarded
    brice._workshop_action(annes.id, pinned=True)
    assert not store.get(annes.id).pinned
    brice._workshop_action(brices.id, discarded=True)
    assert store.get(brices.id).discarded and list(_cards(brice)) == ["D'Anne"]


def test_the_facilitator_sees_the_spread_freezes_and_gets_the_pack(tmp_path, workshop_env, closure):
    import io
    import zipfile

    from twin.app.variants import outcome_rows
    from twin.app.workshop import facilitator_from

    store = VariantStore(tmp_path / "variants")
    a = store.save(Variant("Quai", "street-closure", "redon", {"streets": ["Quai Saint-Jacques"]},
                           outcome_rows(closure), author="Anne"), outcome=closure)
    store.save(Variant("Quai bis", "street-closure", "redon", {"streets": ["Rue du Port"]}, outcome_rows(closure),
                       author="Brice"), outcome=closure)
    anne = _page(store)
    _join(anne, "Anne")
    anne._workshop_vote(a.id)
    boss = _page(store)
    boss._workshop_set_role(facilitator_from({"animateur": [TOKEN.encode()]}, TOKEN, True))
    boss._render_workshop()
    assert boss.workshop_pack.visible and boss.workshop_freeze.visible and not boss.workshop_join_code.visible
    assert boss.workshop_author() == ""  # the facilitator without a name: no author
    spread = boss.workshop_spread.object
    assert "Paramètres proposés" in spread and "<td class='l'>Rues</td>" in spread
    assert "Quai Saint-Jacques <span class='note'>(×1)</span>" in spread and "Rue du Port" in spread
    assert "&quot;" not in spread and "streets" not in spread.replace("data-param='streets'", "")
    assert "Participants (1) : Anne" in spread and "Médiane" in spread
    assert all("Épingler" in b and "Écarter" in b for _, b, _ in _cards(boss).values())
    boss._workshop_freeze()
    assert "Atelier figé le" in _said(boss) and "1 vote(s)" in _said(boss)
    anne._workshop_vote(a.id)  # taken back after the freeze: the pack keeps the frozen vote
    if not any(os.path.exists(c) for c in ("/usr/bin/chromium", "/usr/bin/chromium-browser")):
        pytest.skip("the pack's PDFs are printed by the local chromium")
    name, data = boss.workshop_pack_bytes()
    assert name.startswith("dossier-seance-redon-") and name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {"resume.pdf", "annexes.pdf", "couches.gpkg", "indicateurs.csv"} <= set(z.namelist())
        rows = z.read("variantes.csv").decode("utf-8-sig").splitlines()
    assert any(r.startswith("Quai;Anne;") and ";1;Anne;" in r for r in rows), rows


def test_outside_a_workshop_the_desk_is_the_facilitator(tmp_path, monkeypatch, closure):
    from twin.app.variants import outcome_rows
    from twin.app.workshop import CODE_ENV

    monkeypatch.delenv(CODE_ENV, raising=False)
    store = VariantStore(tmp_path / "variants")
    v = store.save(Variant("Quai", "street-closure", "redon", {}, outcome_rows(closure)))
    app = _page(store)
    assert app.workshop_facilitator and not app.workshop_join_code.visible and app.workshop_author() == ""
    app._render_workshop()
    app._workshop_vote(v.id)
    assert "rejoignez l'atelier avec votre nom" in _said(app)
    # said on the card clicked too: the tab's head is out of sight below a wall of cards
    meta, _ = app._workshop_cards[v.id]
    assert "rejoignez l'atelier avec votre nom" in html.unescape(meta.object) and "data-votes" in meta.object
    _join(app, "Anne", code="")  # no code asked at one desk
    app._workshop_vote(v.id)
    assert _cards(app)["Quai"][0] == 1
    assert "rejoignez" not in html.unescape(app._workshop_cards[v.id][0].object)  # the counts redrawn, the word gone


# --- twin app --workshop ---------------------------------------------------------------------------

def test_the_command_takes_workshop_and_prints_code_and_links():
    import re

    from twin.cli import build_parser
    from twin.cli.app import lan_address, new_workshop, public_host, workshop_banner

    args = build_parser().parse_args(["app", "--workshop", "--address", "0.0.0.0", "--port", "5007"])
    assert args.workshop and args.address == "0.0.0.0"
    assert not build_parser().parse_args(["app"]).workshop
    code, token = new_workshop()
    assert re.fullmatch(r"\d{6}", code) and len(token) >= 16 and new_workshop() != (code, token)
    assert public_host("0.0.0.0") == lan_address() and public_host("192.168.1.20") == "192.168.1.20"
    text = workshop_banner("192.168.1.20", 5007, "482913", "tok-en", "0.0.0.0")
    assert "http://192.168.1.20:5007/  code de l'atelier : 482 913" in text
    assert "animateur (lien à ne pas diffuser) : http://192.168.1.20:5007/?animateur=tok-en" in text
    assert "127.0.0.1" not in text  # served on the network: no warning
    local = workshop_banner("127.0.0.1", 5007, "482913", "tok-en", "127.0.0.1")
    assert "--address 0.0.0.0" in local  # served on loopback only: says how to open it to the laptops


def test_a_poll_sees_every_kind_of_change_by_the_directories_alone(tmp_path):
    store = VariantStore(tmp_path / "variants")
    state = WorkshopState(store.dir)
    changed, stamp = state.changed_since(None)
    assert changed and stamp is None  # the store was just made: looked at again next time
    old = 1_700_000_000
    for d in [store.dir]:
        os.utime(d, (old, old))  # as if written long ago
    changed, stamp = state.changed_since(None)
    assert changed and stamp is not None
    assert state.changed_since(stamp) == (False, stamp)  # nothing written: nothing read
    steps = [lambda: store.save(_variant("A", author="Anne")), lambda: state.join("Anne"),
             lambda: state.vote(store.list()[0].id, "Anne"), lambda: state.vote(store.list()[0].id, "Brice"),
             lambda: state.vote(store.list()[0].id, "Brice", on=False),
             lambda: store.update(store.list()[0].id, discarded=True), lambda: state.freeze(store),
             lambda: state.reopen()]
    for step in steps:
        step()
        changed, now = state.changed_since(stamp)
        assert changed and now is None, step  # just written: changed, and looked at again next time
        for d in [store.dir, state.dir, *state.dir.rglob("*")]:
            if d.is_dir():
                os.utime(d, (old, old))
        changed, stamp = state.changed_since(None)
        assert stamp is not None and state.changed_since(stamp) == (False, stamp)


def test_a_freeze_closes_the_vote_on_every_page_and_reopen_starts_a_round(tmp_path, workshop_env, closure):
    from twin.app.variants import outcome_rows
    from twin.app.workshop import facilitator_from

    store = VariantStore(tmp_path / "variants")
    quai = store.save(Variant("Quai", "street-closure", "redon", {}, outcome_rows(closure), author="Anne"))
    anne, brice = _page(store), _page(store)
    _join(anne, "Anne")
    _join(brice, "Brice")
    anne._workshop_vote(quai.id)
    boss = _page(store)
    boss._workshop_set_role(facilitator_from({"animateur": [TOKEN.encode()]}, TOKEN, True))
    boss._render_workshop()
    assert boss.workshop_freeze.visible and not boss.workshop_reopen.visible and not boss.workshop_round.visible
    boss._workshop_freeze()
    assert "Vote clos" in _said(boss) and not boss.workshop_freeze.visible and boss.workshop_reopen.visible
    import html

    assert "« Rouvrir le vote » commence la manche 2" in html.unescape(boss.workshop_round.object)
    brice._workshop_poll()  # the other pages learn it at their next look
    banner = html.unescape(brice.workshop_round.object)
    assert brice.workshop_round.visible and banner.startswith("<div class='alert alert-warning'")
    assert "Vote clos le " in banner and "L'animateur peut rouvrir le vote" in banner
    (vote,) = [b for b in brice.workshop_box[0].objects[2] if "vote" in b.css_classes]
    assert vote.disabled and vote.name == "Vote clos" and not brice.workshop_reopen.visible  # nor can he reopen
    brice._workshop_vote(quai.id)  # as a page not yet redrawn would
    assert "Vote clos le" in _said(brice) and WorkshopState(store.dir).votes()[quai.id] == ["Anne"]
    # Anne's own variant stays in the frozen set: her « Écarter » is greyed, and a crafted click refused
    anne._workshop_poll()
    (drop,) = [b for b in anne.workshop_box[0].objects[2] if "discard" in b.css_classes]
    assert drop.disabled
    anne._workshop_action(quai.id, discarded=True)
    assert "votre variante reste dans le dossier" in _said(anne) and not store.get(quai.id).discarded
    # the facilitator runs the workshop under no name: no join form, no vote button that could only refuse
    assert not boss.workshop_join_row.visible
    assert not [b for b in boss.workshop_box[0].objects[2] if "vote" in b.css_classes]
    late = _page(store)
    _join(late, "Zoé")
    assert "il ne prend plus de nouveau participant" in _said(late) and not late.participant
    brice._workshop_reopen()  # a participant's crafted click
    assert "Réservé à l'animateur" in _said(brice) and WorkshopState(store.dir).round_state()["closed"]

    boss._workshop_reopen()
    assert "Manche 2 ouverte" in _said(boss) and boss.workshop_freeze.visible and not boss.workshop_reopen.visible
    brice._workshop_poll()
    assert "Manche 2 ouverte le" in html.unescape(brice.workshop_round.object)
    brice._workshop_vote(quai.id)
    assert _cards(brice)["Quai"][0] == 2
    (vote,) = [b for b in brice.workshop_box[0].objects[2] if "vote" in b.css_classes]
    assert not vote.disabled and vote.name == "Retirer mon vote"


def test_a_reloaded_page_keeps_the_participant_s_name(tmp_path, workshop_env, closure):
    """The address a joined page carries (``?nom=…&jeton=…``) makes a reloaded page rejoin; a name
    without a valid token only fills the form (the code is still asked)."""
    from twin.app.workshop import TOKEN_ARG, NAME_ARG

    store = VariantStore(tmp_path / "variants")
    anne = _page(store)
    _join(anne, "Anne Martin")
    token = participant_token("Anne Martin", anne._workshop_secret())
    again = _page(store)
    again._workshop_recall({NAME_ARG: ["Anne Martin".encode()], TOKEN_ARG: [token.encode()]})
    assert again.participant == "Anne Martin" and "Vous êtes de retour sous le nom « Anne Martin »" in _said(again)
    assert not again.workshop_join_row.visible
    forged = _page(store)
    forged._workshop_recall({NAME_ARG: ["Brice".encode()], TOKEN_ARG: [token.encode()]})
    assert not forged.participant and forged.workshop_join_name.value == "Brice" and forged.workshop_join_row.visible


def test_a_participant_cannot_save_a_variant_while_the_vote_is_closed(tmp_path, workshop_env, closure):
    """A proposal made after the freeze would wait unseen and unvoted: refused in French, saved once
    the facilitator reopens the vote; the facilitator's own desk may still save."""
    from twin.app.variants import outcome_rows
    from twin.app.workshop import facilitator_from

    store = VariantStore(tmp_path / "variants")
    store.save(Variant("Quai", "street-closure", "redon", {}, outcome_rows(closure), author="Anne"))
    anne, boss = _page(store), _page(store)
    _join(anne, "Anne")
    boss._workshop_set_role(facilitator_from({"animateur": [TOKEN.encode()]}, TOKEN, True))

    def ran(app, name):  # as after a run: its rows and inputs (each its own street: not the same settings twice)
        app.outcome_rows, app.last_attrs, app.last_outcome = outcome_rows(closure), {}, None
        app.last_params = {"family": "street-closure", "streets": [f"Rue de {name}"]}
        app.variant_name.value = name

    boss._workshop_freeze()
    ran(anne, "Après le gel")
    anne.save()
    import html

    assert "votre variante n'est pas enregistrée" in html.unescape(anne.save_note.object)
    assert [v.name for v in store.list()] == ["Quai"]
    ran(boss, "Note de l'animateur")
    boss.save()
    assert sorted(v.name for v in store.list()) == ["Note de l'animateur", "Quai"]
    boss._workshop_reopen()
    anne.save()
    assert sorted(v.name for v in store.list()) == ["Après le gel", "Note de l'animateur", "Quai"]


def test_the_facilitator_s_page_says_what_to_project(tmp_path, workshop_env):
    """« Vous animez l'atelier. » and nothing to show the room: the code was printed in the server's
    terminal alone. The facilitator's page now says the address and the code to project; a participant's
    page never shows the code."""
    import html

    app = _page(VariantStore(tmp_path / "variants"))
    app._workshop_host = "192.168.1.20:5006"
    app._workshop_set_role(True)
    said = html.unescape(app.workshop_who.object)
    assert f"adresse http://192.168.1.20:5006/ — code de l'atelier {CODE[:3]} {CODE[3:]}" in said
    app._workshop_set_role(False)
    assert CODE[:3] not in html.unescape(app.workshop_who.object)


def test_the_facilitator_brings_back_a_variant_set_aside(tmp_path, workshop_env, closure):
    """« Écarter » beside ◀ ▶ took Marie's proposal off the wall in one click, and nothing in the page
    brought it back. The facilitator now sees the variants set aside, each with « Rétablir »; a
    participant's page lists none of them."""
    import html

    from twin.app.variants import outcome_rows

    store = VariantStore(tmp_path / "variants")
    marie = store.save(Variant("Proposition du quartier", "street-closure", "redon", {}, outcome_rows(closure),
                               author="Marie"))
    boss = _page(store)
    boss._workshop_set_role(True)
    boss._workshop_action(marie.id, discarded=True)
    assert store.get(marie.id).discarded and "Proposition du quartier" not in _cards(boss)
    aside = [c for c in boss.workshop_box if "set-aside" in c.css_classes]
    assert len(aside) == 1
    text = html.unescape(aside[0][0].object + aside[0][1][0].object)
    assert "Variantes écartées (1)" in text and "Proposition du quartier — proposée par Marie" in text
    restore = aside[0][1][1]
    assert restore.name == "Rétablir"
    restore.clicks += 1
    assert not store.get(marie.id).discarded and "Proposition du quartier" in _cards(boss)
    assert not [c for c in boss.workshop_box if "set-aside" in c.css_classes]
    store.update(marie.id, discarded=True)
    anne = _page(store)
    _join(anne, "Anne")
    anne._render_workshop()
    assert not [c for c in anne.workshop_box if "set-aside" in c.css_classes]


def test_workshop_times_are_written_the_pages_way():
    """The English page said « 03/12/2026 »: a day-first date an English reader takes for 12 March."""
    from twin.timeutil import local_clock_text

    epoch = 1_780_000_000
    assert when_text(epoch) == local_clock_text("%d/%m/%Y %H:%M", epoch)
    assert when_text(epoch, "en") == local_clock_text("%Y-%m-%d %H:%M", epoch)
    assert when_text(epoch, "en", seconds=True) == local_clock_text("%Y-%m-%d %H:%M:%S", epoch)


def test_the_workshop_report_of_the_pinned_variants_says_so(tmp_path, workshop_env, closure):
    """« Rapport (HTML) » held the one pinned variant of four, titled « Comparaison de variantes », and nothing
    said the others were left out."""
    from twin.app.variants import outcome_rows

    store = VariantStore(tmp_path / "variants")
    made = [store.save(Variant(name, "street-closure", "redon", {}, outcome_rows(closure), author="Anne"))
            for name in ("Quai", "Gare", "Mairie")]
    page = _page(store)
    assert "épinglées" not in page._report_workshop().getvalue()  # none pinned: all of them, nothing to say
    store.update(made[0].id, pinned=True)
    text = page._report_workshop().getvalue()
    assert "ne compare que les variantes épinglées (1 sur 3)" in text and "Quai" in text and "Gare" not in text



def test_the_same_settings_proposed_twice_point_to_the_vote(tmp_path, workshop_env, closure):
    """Two participants saved the same settings: two identical cards, the votes split between them. The second
    is told the settings are proposed already, under which name, and to vote for it."""
    import html

    from twin.app.variants import outcome_rows

    store = VariantStore(tmp_path / "variants")
    anne, brice = _page(store), _page(store)
    _join(anne, "Anne")
    _join(brice, "Brice")
    for app, name in ((anne, "Quai fermé"), (brice, "Quai fermé aussi")):
        app.outcome_rows, app.last_attrs, app.last_outcome = outcome_rows(closure), {}, None
        app.last_params = {"family": "street-closure", "streets": ["Quai Saint-Jacques"], "variant_name": name}
        app.variant_name.value = name
        app.save()
    assert [v.name for v in store.list()] == ["Quai fermé"]
    assert "déjà proposés sous « Quai fermé » : votez pour elle" in html.unescape(brice.save_note.object)
