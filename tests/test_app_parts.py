"""The app's parts without a browser: French number formats, saved variants across a restart,
the report, and the result overlays computed from real outcomes."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

from twin.app.i18n import NBSP, NNBSP, fmt_number, fmt_quantity
from twin.app.variants import Variant, VariantStore, outcome_rows


def test_french_and_english_number_formats():
    assert fmt_number(12345.678) == f"12{NNBSP}346"
    assert fmt_number(3.14159) == "3,14"
    assert fmt_number(3.14159, "en") == "3.14"
    assert fmt_number(-1559.2, signed=True) == f"-1{NNBSP}559"
    assert fmt_number(float("inf")) == "∞" and fmt_number(float("nan")) == "—"
    assert fmt_quantity(5.25, "%") == f"5,25{NBSP}%"


@pytest.fixture(scope="module")
def redon_history():
    from twin.seeds import load_default

    return load_default()


@pytest.fixture(scope="module")
def closure(redon_history):
    from twin.scenarios import StreetClosure

    return StreetClosure(streets=["Quai Saint-Jacques"]).run(redon_history)


def test_saved_variants_survive_a_restart_and_keep_their_order(tmp_path, closure):
    store = VariantStore(tmp_path)
    a = store.save(Variant("A", "street-closure", "redon", {"streets": ["Quai Saint-Jacques"]}, outcome_rows(closure)))
    b = store.save(Variant("B", "street-closure", "redon", {}, outcome_rows(closure)))
    store.update(b.id, pinned=True)
    store.move(b.id, -1)
    again = VariantStore(tmp_path)  # a new server process reads the same files
    listed = again.list()
    assert [v.name for v in listed] == ["B", "A"]
    assert listed[0].pinned and not listed[1].pinned
    row = listed[1].kpi("closed_street_length_m")
    assert row["value"] == pytest.approx(closure.value("closed_street_length_m", closure.data["variant"].values[1]))
    (tmp_path / "not-a-variant.json").write_text("{")
    assert [v.name for v in VariantStore(tmp_path).list()] == ["B", "A"]
    assert (tmp_path / "not-a-variant.json").exists()  # left untouched
    assert a.id in {v.id for v in listed}


def test_report_has_the_numbers_assumptions_and_provenance(tmp_path, closure, redon_history):
    from twin.app.report import report_html

    v = Variant("Quai fermé", "street-closure", "redon", {"streets": ["Quai Saint-Jacques"]}, outcome_rows(closure),
                attrs={"destination": "mairie"})
    html = report_html([v], redon_history, "fr")
    value = closure.value("mean_drive_distance_m", closure.data["variant"].values[1])
    assert fmt_quantity(value, "m") in html
    assert "Hypothèses" in html and "Quai Saint-Jacques" in html and "OpenStreetMap" in html
    assert "SYNTHÉTIQUE" in html
    # dated the French way, on Paris time (a server in UTC stamped it an hour early)
    assert re.search(r"<p class='note'>\d\d/\d\d/\d{4} \d\d:\d\d \(heure de Paris\) — twin</p>", html)


def test_result_overlays_follow_the_outcome(redon_history, closure):
    from twin.app.mapview import street_source
    from twin.app.views.bins import bin_overlay
    from twin.app.views.common import CLOSED, INCREASE
    from twin.app.views.roadworks import street_overlay
    from twin.scenarios import BinCollection, Roadworks

    src = street_source(redon_history).data
    works = Roadworks(streets=["Quai Saint-Jacques"], hours="07:00-19:00").run(redon_history)
    over = street_overlay(works, src["edge"])
    flows = works.series("peak_flow_veh_h")
    change = flows.isel(variant=1).values - flows.isel(variant=0).values
    assert over["color"].count(INCREASE) == int((change > 0.5).sum())
    assert over["color"].count("#000000") > 0  # the closed quay
    closed = street_overlay(closure, src["edge"])
    assert sum(c != closed["color"][0] for c in closed["color"]) > 0
    # a closed street is black in the closure's map as in the roadworks' (it was red: « more traffic » there)
    assert {c for c, w in zip(closed["color"], closed["width"], strict=True) if w == max(closed["width"])} == {CLOSED}
    assert "fermée" in closed["value"] and INCREASE not in closed["color"]
    # the closure's streets are drawn from its outcome's list, not from the parameters
    shut = set(closure.table("closed_streets")["edge"])
    assert shut and {e for e, w in zip(src["edge"], closed["width"], strict=True) if w == max(closed["width"])} == shut

    bins = BinCollection(members=1, days=14).run(redon_history)
    ids = redon_history.layers["bins"]["id"].astype(str).tolist()
    over = bin_overlay(bins, ids)
    layer = bins.table("bins")
    shown = layer[layer["variant"] == bins.first_variant].reset_index(drop=True)
    worst = ids.index(shown["bin_id"][int(np.argmax(shown["overflow_hours"]))])
    assert over["size"][worst] == max(over["size"])


def test_report_prints_to_pdf_with_the_local_chromium(closure, redon_history):
    from pathlib import Path

    from twin.app.report import report_html, report_pdf

    if not Path("/usr/bin/chromium").exists():
        pytest.skip("the PDF report needs Debian's chromium at /usr/bin/chromium")
    v = Variant("Quai fermé", "street-closure", "redon", {}, outcome_rows(closure))
    pdf = report_pdf(report_html([v], redon_history, "fr"))
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5000


def test_lamp_overlay_darkens_the_lamps_switched_off(redon_history):
    from twin.app.views.lighting import lamp_overlay
    from twin.scenarios import LightingSchedules

    s = LightingSchedules(rules=[{"zone": {"all": True}, "schedule": {"name": "off 23–05",
                                                                      "off_windows": [["23:00", "05:00"]]}},
                                 {"zone": {"near": {"category": ["station"], "radius_m": 150}},
                                  "schedule": {"name": "all night"}}])
    out = s.run(redon_history)
    ids = redon_history.layers["lamps"]["id"].astype(str).tolist()
    over = lamp_overlay(out, ids, "fr")
    assert len(over["color"]) == len(ids)
    lit = [v for v in over["value"] if v.startswith("100")]
    assert 0 < len(lit) < len(ids)  # near the station all night, the rest switched off part of the night


def test_twin_app_serves_the_page(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TWIN_APP_STATE": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "twin.cli", "app", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as r:
                    page = r.read().decode()
                    csp = r.headers["Content-Security-Policy"] or ""
                break
            except OSError:
                assert proc.poll() is None, "twin app stopped"
                assert time.time() < deadline, "twin app did not answer within 90 s"
                time.sleep(0.5)
        assert "<title>twin</title>" in page
        # `twin app` sends the same policy as `panel serve apps/twin_app.py` (tests/test_app_browser.py)
        assert "default-src 'self'" in csp and "frame-src 'none'" in csp and "'unsafe-eval'" not in csp
        assert f"ws://127.0.0.1:{port}" in csp
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_heating_savings_map_adds_up_to_the_kpis(redon_history):
    from twin.app.mapview import COLORS
    from twin.app.views.heating import savings_overlay
    from twin.scenarios import HeatingSchedules

    out = HeatingSchedules().run(redon_history)
    per = out.table("buildings")
    for variant in out.data["variant"].values:  # the map's buildings are the KPI's buildings
        assert per[per["variant"] == variant]["gas_kwh"].sum() == pytest.approx(out.value("gas_kwh", str(variant)))
    ids = redon_history.layers["buildings"]["id"].astype(str).tolist()
    over = savings_overlay(out, ids, "fr")
    assert over.pop("_variant") == "booking schedule"
    simulated = [i for i, b in enumerate(ids) if b in set(per["building_id"])]
    assert len(simulated) == per["building_id"].nunique() > 0
    assert all(over["color"][i] == COLORS["buildings"] for i in range(len(ids)) if i not in simulated)
    mine = per[per["variant"] == "booking schedule"].set_index("building_id")["saving_pct"]
    best, least = ids.index(mine.idxmax()), ids.index(mine.idxmin())
    green = lambda c: 255 - int(c[1:3], 16)  # noqa: E731 - deeper green: less red
    assert green(over["color"][best]) >= green(over["color"][least])
    # a fixed scale: deep green from 30 %, whatever the run's best (a church at 78 % paled the others)
    from twin.app.views.heating import FULL_GREEN_PCT

    for b, pct in mine.items():
        assert green(over["color"][ids.index(b)]) == pytest.approx(229 * min(max(pct, 0) / FULL_GREEN_PCT, 1.0), abs=1)
    assert over["value"][best].startswith("gaz -") and "kWh/an" in over["value"][best]


def test_hourly_traffic_adds_up_to_the_window(redon_history):
    from twin.app.views.roadworks import hourly_traffic_figure
    from twin.scenarios import Roadworks

    for method in ("peak+off-peak", "hourly"):
        out = Roadworks(streets=["Quai Saint-Jacques"], hours="07:00-19:00", day_method=method).run(redon_history)
        hourly = out.series("hourly_vehicle_hours")
        assert [int(h) for h in hourly["hour"].values] == list(range(7, 19))
        for variant in out.data["variant"].values:
            assert float(hourly.sel(variant=variant).sum()) == pytest.approx(
                out.value("vehicle_hours_window", str(variant)), rel=1e-9)
        fig = hourly_traffic_figure(out, "fr")
        # the works' extra hours as bars on an axis of their own: the two curves, 1 % apart, read as one
        bars = [r for r in fig.renderers if type(r.glyph).__name__ == "VBar"]
        extra = hourly.sel(variant=out.first_variant).values - hourly.sel(variant="baseline").values
        assert len(bars) == 1 and bars[0].y_range_name == "extra"
        assert list(bars[0].data_source.data["top"]) == pytest.approx(list(extra))
    # by the hour, the morning and evening peaks stand out from the midday hours
    by_hour = hourly.sel(variant="baseline").to_series()
    assert by_hour[8] > by_hour[12] and by_hour[17] > by_hour[12]


def test_bin_fill_series_match_the_overflow_hours(redon_history):
    from twin.app.views.bins import fill_figure
    from twin.scenarios import BinCollection

    out = BinCollection(members=1, days=14).run(redon_history)
    layer = out.table("bins")
    for variant in out.variants:
        fill = out.series("fill_mean_pct").sel(variant=variant).values
        assert fill.shape == (14 * 24,) and 0 <= fill.min() <= fill.max() <= 100
        bins = layer[layer["variant"] == variant]
        # hour-by-hour samples of full bins add up to the simulated bin-hours full, within the sampling
        # (at most one hour per full spell); one member: its overflow events are the KPI's × weeks
        sampled = float(out.series("full_share_pct").sel(variant=variant).sum()) / 100.0 * len(bins)
        events = out.value("overflow_events_per_week", variant) * 14 / 7
        assert abs(sampled - bins["overflow_hours"].sum()) <= events + 1
    fig = fill_figure(out, "fr")
    # its legend sits below the plot within the figure's height: four entries a line each in 280 px left the
    # plot about 80 px tall, its dashed « corbeilles pleines » lines unreadable (two columns of long names
    # laid the page out wider than 1024 px: tests/test_app_browser_results.py)
    assert fig.legend[0].ncols == 1 and len(fig.legend[0].items) == 4 and fig.height >= 400


def test_worker_processes_do_not_outlive_their_server():
    """A server killed without a chance to clean up (SIGKILL) must not leave its workers (and their
    copies of the territory) behind."""
    import signal
    import subprocess
    import sys
    import time

    code = ("import sys, time; from twin.app.server import workers as m; m.start_workers('redon'); "
            "print(' '.join(str(p) for p in m._EXECUTORS['redon']._processes), flush=True); time.sleep(120)")
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in server.stdout.readline().split()]
        assert pids, "no worker started"
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()

    def alive(pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().split()[2] != "Z"
        except FileNotFoundError:
            return False

    deadline = time.time() + 30
    while any(alive(p) for p in pids) and time.time() < deadline:
        time.sleep(0.5)
    assert not any(alive(p) for p in pids), "worker processes survived their server"


def test_closed_pages_are_collected_once_and_only_in_a_lull(monkeypatch):
    """A full collection pauses the whole server: after pages close it waits until no run has
    started for QUIET_BEFORE_COLLECT_S, and a wave of closing pages costs one collection."""
    import asyncio
    import time

    from twin.app.server import memory

    monkeypatch.setattr(memory, "COLLECT_AFTER_CLOSE_S", 0.05)
    monkeypatch.setattr(memory, "QUIET_BEFORE_COLLECT_S", 0.3)
    collections = []
    # the collection itself is not what is tested here (and freezing the test process is not wanted)
    monkeypatch.setattr(memory.gc, "collect", lambda *a: collections.append(time.monotonic()))
    monkeypatch.setattr(memory.gc, "freeze", lambda: None)
    monkeypatch.setattr(memory.gc, "unfreeze", lambda: None)

    async def workshop():
        for _ in range(3):  # three pages close
            memory._page_closed(None)
        busy_until = time.monotonic() + 0.6
        while time.monotonic() < busy_until:  # the others keep running scenarios
            memory._LAST_RUN["t"] = time.monotonic()
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.6)
        return busy_until

    busy_until = asyncio.run(workshop())
    assert len(collections) == 1
    assert collections[0] >= busy_until + 0.3 - 0.06  # not before a quiet spell (timer slack)
    assert not memory._REFREEZE.get("pending")


def test_workshop_cards_are_built_when_their_tab_is_shown(tmp_path, closure):
    """A page with saved variants does not build the workshop's cards (seven models each, twice the
    server's cost of a page with twenty variants) until the workshop tab is shown; then all are there,
    pinned first, and a variant saved later appears on the next refresh."""
    from twin.app.main import WORKSHOP_TAB, TwinApp

    store = VariantStore(tmp_path)
    store.save(Variant("A", "street-closure", "redon", {}, outcome_rows(closure)))
    b = store.save(Variant("B", "street-closure", "redon", {}, outcome_rows(closure)))
    store.update(b.id, pinned=True)
    app = TwinApp("redon", "fr", store=store)
    assert len(app.workshop_box) == 0
    app.tabs.active = WORKSHOP_TAB
    cards = [c for c in app.workshop_box if "workshop-card" in c.css_classes]
    assert [c.objects[0].object.split("</h2>")[0] for c in cards] == ["<h2>B", "<h2>A"]
    store.save(Variant("C", "street-closure", "redon", {}, outcome_rows(closure)))
    app._refresh_variants()
    assert len([c for c in app.workshop_box if "workshop-card" in c.css_classes]) == 3


# --- trust: no server file named by a browser; figures that are not numbers said in words ----------

OS_RELEASE_FIRST_LINE = "TWIN-SECRET-FIRST-LINE"  # the marker of a "server file" nothing may echo


@pytest.fixture()
def app(tmp_path):
    from twin.app.main import TwinApp

    return TwinApp("redon", "fr", store=VariantStore(tmp_path / "variants"))


def _upload(app, widget, name: str, content: bytes):
    from types import SimpleNamespace

    widget.filename = name
    {app.upload: app._uploaded, app.calendar_upload: app._calendar_uploaded,
     app.inventory_upload: app._inventory_uploaded}[widget](SimpleNamespace(new=content))


def _never_open(monkeypatch, path):
    """Any read of ``path`` through the readers or Python's open fails the test."""
    import builtins
    import pathlib

    real_open, real_read = builtins.open, pathlib.Path.read_bytes

    def guarded_open(f, *a, **k):
        assert str(f) != str(path), f"the app opened {path}"
        return real_open(f, *a, **k)

    def guarded_read(self):
        assert str(self) != str(path), f"the app read {path}"
        return real_read(self)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(pathlib.Path, "read_bytes", guarded_read)


def test_a_scenario_naming_a_server_file_is_refused_in_french(app, tmp_path, monkeypatch):
    import json

    secret = tmp_path / "os-release"
    secret.write_text(OS_RELEASE_FIRST_LINE + "\nID=debian\n")
    _never_open(monkeypatch, secret)
    before = app.family.value
    for spec, named in (({"family": "heating", "booking_ics": str(secret)}, "booking_ics"),
                        ({"family": "heating", "booking_ics": "/etc/os-release"}, "booking_ics"),
                        ({"family": "flood", "rain": "forecast", "rain_forecast_file": str(secret)}, "rain_forecast_file"),
                        ({"family": "lighting", "rules": [{"zone": {"all": True}, "schedule": {
                            "name": "match", "events_ics": str(secret)}}]}, "rules[0].schedule.events_ics")):
        _upload(app, app.upload, "evil.json", json.dumps(spec).encode())
        shown = app.message.object
        assert f"Ce scénario nomme un fichier du serveur ({named})" in shown, shown
        assert "Fichier refusé" in shown and OS_RELEASE_FIRST_LINE not in shown and str(secret) not in shown
        assert app.family.value == before  # nothing of the refused scenario reached the builder
    assert "Déposez le calendrier lui-même" in app.message.object or "ligne de commande" in app.message.object
    from twin.app.uploads import refusal

    assert refusal(["booking_ics"], "en").startswith("This scenario names a file of the server (booking_ics)")


def test_a_run_naming_a_server_file_is_refused_and_no_widget_takes_a_path(app, monkeypatch):
    """The builder has no text box for a path, and a run whose parameters name one (a reopened
    variant, a hand-made request) is refused before any computation starts."""
    import asyncio

    from twin.app import builder_run

    app.family.value = "heating"
    shown = set(app.params_box[0].parameters)
    assert "booking_ics" not in shown and "booking_ics_text" not in shown and "year" in shown
    assert app.calendar_upload.visible and not app.inventory_upload.visible
    monkeypatch.setattr(builder_run, "run_shared", lambda *a, **k: pytest.fail("a run naming a server file was started"))
    app.scenario.booking_ics = "/etc/os-release"
    asyncio.run(app.run())
    assert "Ce scénario nomme un fichier du serveur (booking_ics)" in app.message.object
    assert not app.run_button.disabled


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//twin test//
BEGIN:VEVENT
UID:basket-1@twin
DTSTART:20230110T180000
DTEND:20230110T220000
RRULE:FREQ=WEEKLY;COUNT=20
SUMMARY:Basket
END:VEVENT
END:VCALENDAR
"""


def test_a_calendar_is_uploaded_as_content_and_drives_the_heating(app, monkeypatch):
    """The calendar's bytes are parsed in memory (no file is written or opened) and the heating
    scenario uses them: its occupancy comes from the bookings."""
    import pathlib

    from twin.scenarios import HeatingSchedules

    app.family.value = "heating"
    monkeypatch.setattr(pathlib.Path, "write_bytes", lambda *a: pytest.fail("an upload was written to disk"))
    monkeypatch.setattr(pathlib.Path, "write_text", lambda *a, **k: pytest.fail("an upload was written to disk"))
    _upload(app, app.calendar_upload, "salle.ics", ICS.encode())
    assert app.message.object.count("Calendrier « salle.ics » chargé : 20 réservations en 2023") == 1
    assert "applique à chaque bâtiment chauffé du calcul (tous, si « Bâtiments » est vide)" in app.message.object
    # its content, the file's name kept inside it as the calendar's (a comparison said « contenu déposé (525
    # caractères) »: which calendar a variant followed was lost)
    from twin.app.param_text import param_value_text

    named = app.scenario.booking_ics_text
    assert named == ICS.replace("BEGIN:VCALENDAR\n", "BEGIN:VCALENDAR\nX-WR-CALNAME:salle.ics\n", 1)
    assert app.scenario.booking_ics == ""
    assert param_value_text("heating", "booking_ics_text", named).startswith("« salle.ics » (")
    _upload(app, app.calendar_upload, "faux.ics", b"BEGIN:VCALENDAR\nnot a calendar")
    assert "Fichier refusé : faux.ics" in app.message.object
    # in French, not the reader's English (« not a valid iCalendar file at line 2 »)
    assert "n&#x27;est pas un calendrier iCalendar valide (ligne 2)" in app.message.object
    assert "not a valid" not in app.message.object
    monkeypatch.undo()
    out = HeatingSchedules(booking_ics_text=ICS, year=2023).run(app.territory)
    assert out.data.attrs["occupancy"] == "booking calendar"
    # the cards say that one calendar heated every building of the run by its bookings, above the figures
    from twin.app.builder_run import kpi_cards_part

    n = int(out.data.attrs["buildings"])
    cards = kpi_cards_part(app, outcome_rows(out), out, "")
    assert n > 1 and f"suivi par les {n} bâtiments du calcul" in cards
    assert cards.index("suivi par les") < cards.index("kpi-card")
    typical = HeatingSchedules(year=2023).run(app.territory)
    # no calendar: « horaires selon les réservations » follows a typical week per use, and today's programming
    # is assumed the same in every building, said above the headline (it stood at the bottom of the page)
    cards = html.unescape(kpi_cards_part(app, outcome_rows(typical), typical, ""))
    assert "Aucun calendrier de réservations : « horaires selon les réservations » suit ici une semaine type" in cards
    assert f"tous les jours dans les {n} bâtiments : {typical.data.attrs['current_schedule']}" in cards
    assert cards.index("Aucun calendrier") < cards.index("kpi-card")
    # and the comparison report says it too, with the variant's name (Comparer and the PDF lost it)
    from types import SimpleNamespace

    from twin.app.report import provenance_notes_html

    saved = [SimpleNamespace(name="Gymnase", family="heating", attrs=dict(out.data.attrs), kpis=[]),
             SimpleNamespace(name="Usage type", family="heating", attrs=dict(typical.data.attrs), kpis=[])]
    notes = provenance_notes_html(saved, app.territory)
    assert f"Gymnase : Un seul calendrier de réservations, suivi par les {n} bâtiments" in notes
    assert "Usage type : Aucun calendrier de réservations" in notes
    # the BMS saves less than the booking schedule alone: its optimum start, and the discomfort it spares
    from twin.app.builder_run import bms_tradeoff_part

    rows = outcome_rows(typical)
    at = {(r["variant"], r["kpi"]): r["value"] for r in rows}
    note = bms_tradeoff_part(app, rows, typical, "")
    # on the seed (SYNTHETIC history) the BMS burns more than the booking schedule alone and spares discomfort
    assert at[("BMS + booking schedule", "cost_eur")] > at[("booking schedule", "cost_eur")]
    assert "démarrage optimisé chauffe plus tôt" in html.unescape(note)
    spared = at[("booking schedule", "comfort_gap_h")] - at[("BMS + booking schedule", "comfort_gap_h")]
    assert spared > 0 and f"épargne ainsi {fmt_number(spared)} h" in html.unescape(note)
    assert bms_tradeoff_part(app, [r for r in rows if r["kpi"] != "comfort_gap_h"], typical, "") == ""
    # a degree less saves what the setpoint–outdoor gap says (« -1 °C : -13,5 % » read against « 7 % par degré »)
    from twin.app.builder_run import setpoint_part, setpoint_rule

    said = setpoint_rule(typical)
    total = typical.table("buildings").groupby("variant")[["gas_kwh", "heating_gas_kwh"]].sum()
    heating = total.at["setpoint change", "heating_gas_kwh"] / total.at["baseline", "heating_gas_kwh"] - 1
    assert said["delta"] == -1.0 and said["heating_pct"] == pytest.approx(100 * heating)
    assert said["heating_pct"] < said["all_pct"] < 0  # hot water does not change: all the gas falls by less
    assert said["gap"] == pytest.approx(-1.0 / heating) and 3 < said["gap"] < 20
    note = html.unescape(setpoint_part(app, rows, typical, ""))
    assert f"Consignes -1 °C : {fmt_number(said['heating_pct'], signed=True)} % du gaz de chauffage" in note
    assert f"écart équivalent d'environ {fmt_number(said['gap'], digits=0)} °C" in note
    assert "suppose un écart d'environ 14 °C : ici, plus faible (climat doux, apports), un degré pèse plus" in note
    # a cold commune's larger gap is said larger (the note said « un degré pèse plus » whatever the gap)
    from types import SimpleNamespace

    from twin.app import builder_run

    cold = SimpleNamespace(**{**said, "gap": 18.0})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(builder_run, "setpoint_rule", lambda outcome: vars(cold))
        assert "plus grand (climat froid, peu d'apports), un degré pèse moins" in \
            html.unescape(builder_run.setpoint_part(app, [], typical, ""))
    more = at[("setpoint change", "comfort_gap_h")] - at[("baseline", "comfort_gap_h")]
    assert more > 0 and f"Ses {fmt_number(more)} h d'inconfort de plus se comptent sous 18,5 °C" in note
    assert setpoint_part(app, rows, HeatingSchedules(year=2023, setpoint_delta_c=0.0).run(app.territory), "") == ""


def test_a_lamp_inventory_is_uploaded_as_content_and_replaces_the_lamps(app, monkeypatch):
    import asyncio

    from twin.app.server import workers

    lon0, lat0, lon1, lat1 = app.territory.provenance["bounds_lonlat"]
    lon, lat = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    csv = ("lon,lat,power_w,technology,cabinet_id\n"
           f"{lon},{lat},70,SHP,C1\n{lon + 0.001},{lat},100,sodium,C1\n{lon},{lat + 0.001},40,LED,C2\n")
    app.family.value = "lighting"
    assert app.inventory_upload.visible and not app.calendar_upload.visible
    _upload(app, app.inventory_upload, "syndicat.csv", csv.replace("70,SHP", "-5,SHP").encode())
    assert "Fichier refusé : syndicat.csv: column power_w: must be a positive number of watts: line " in app.message.object
    assert app.inventory is None
    _upload(app, app.inventory_upload, "syndicat.csv", csv.encode())
    assert "Inventaire « syndicat.csv » chargé : 3 lampadaires" in app.message.object
    # the run (in a thread here) uses the uploaded lamps, not the territory's generated ones
    monkeypatch.setattr(workers, "WORKERS", 0)
    monkeypatch.setattr(workers, "_EXECUTORS", {})
    monkeypatch.setattr(workers, "_RESULTS", workers.OrderedDict())
    asyncio.run(app.run())
    assert app.last_attrs["lamps"] == "3" and app.last_attrs["lamp_inventory"] == "syndicat.csv"
    assert len(app.territory.layers["lamps"]) > 3  # the shared territory is untouched


def _never_paying_outcome():
    """An outcome with a payback that never comes (inf) and a lead time with no crossing (NaN)."""
    from twin.outcome import KPI, Outcome

    kpis = [KPI("payback_years", "years", "financial", "capital ÷ yearly saving"),
            KPI("capital_cost_eur", "€", "financial", "bought"),
            KPI("lead_time_red_h", "h", "human", "time before red", higher_is_better=True)]
    return Outcome.from_values("bins", kpis, {"baseline": {"payback_years": 0.0, "capital_cost_eur": 0.0,
                                                           "lead_time_red_h": float("nan")},
                                              "5 more bins": {"payback_years": float("inf"), "capital_cost_eur": 3250.0,
                                                              "lead_time_red_h": float("nan")}})


def test_figures_that_are_not_numbers_are_said_in_words():
    from twin.app.i18n import fmt_quantity

    assert fmt_quantity(float("inf"), "ans") == "jamais" and fmt_quantity(float("inf"), "years", "en") == "never"
    # one of a thing is singular: under 2 in French (« 1,5 personne »), exactly 1 in English
    assert fmt_quantity(1, "conducteurs") == "1\u00a0conducteur" and fmt_quantity(1.5, "personnes") == "1,5\u00a0personne"
    assert fmt_quantity(2, "personnes") == "2\u00a0personnes" and fmt_quantity(-1, "site(s)", signed=True).endswith("site")
    # people and buildings are whole from 10 on (an expected « 19,8 personnes » claimed a false precision)
    assert fmt_quantity(19.8, "personnes", signed=True) == "+20\u00a0personnes"
    assert fmt_quantity(301.4, "people", "en") == "301\u00a0people" and fmt_quantity(0.4, "personnes") == "0,4\u00a0personne"
    assert fmt_quantity(19.8, "m") == "19,8\u00a0m"
    assert fmt_quantity(1, "drivers", "en") == "1\u00a0driver" and fmt_quantity(1.5, "drivers", "en").endswith("drivers")
    assert fmt_quantity(float("nan"), "h") == "—" and fmt_quantity(None, "h", "en") == "—"
    assert fmt_quantity(float("inf"), "€") == "∞" and fmt_quantity(float("-inf"), "ans") == "-∞"
    assert fmt_quantity(float("inf"), "ans", signed=True) == "jamais"
    assert fmt_number("inf") == "∞"  # a variant saved by an older version
    with pytest.raises(TypeError, match="not a number: 'abc'"):
        fmt_number("abc")
    text = _never_paying_outcome().to_text()
    line = next(x for x in text.splitlines() if "payback_years" in x)
    assert "never pays back" in line and "inf" not in line
    assert "—" in next(x for x in text.splitlines() if "lead_time_red_h" in x)
    assert not re.search(r"\b(nan|inf)\b", text, re.IGNORECASE), text


def test_a_variant_whose_payback_never_comes_is_saved_and_read_back_equal(tmp_path, redon_history):
    import json
    import math

    from twin.app.cards import kpi_cards_html
    from twin.app.report import report_html

    rows = outcome_rows(_never_paying_outcome())
    pay = next(r for r in rows if r["kpi"] == "payback_years" and r["variant"] == "5 more bins")
    assert isinstance(pay["value"], float) and math.isinf(pay["value"])  # a float, never the text "inf"
    store = VariantStore(tmp_path)
    v = store.save(Variant("5 corbeilles", "bins", "redon", {"add_best": 5}, rows))
    raw = (tmp_path / f"{v.id}.json").read_text()

    def strict(token):
        raise AssertionError(f"non-standard JSON {token} in the stored variant")

    json.loads(raw, parse_constant=strict)  # JSON has no inf: the file spells it
    again = VariantStore(tmp_path).get(v.id)

    def same(a, b):
        return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))

    assert len(again.kpis) == len(rows)
    for a, b in zip(again.kpis, rows, strict=True):
        assert a.keys() == b.keys() and all(same(a[k], b[k]) for k in a), (a, b)
    cards = kpi_cards_html(again.kpis, "fr")
    assert "data-kpi-value='payback_years'>jamais<" in cards and "data-kpi-value='lead_time_red_h'" not in cards \
        and "Délai avant rouge : ce niveau n" in cards
    assert not re.search(r">[^<]*\b(nan|inf)\b", cards, re.IGNORECASE), cards  # in no text of the page
    assert "data-kpi-value='payback_years'>never<" in kpi_cards_html(again.kpis, "en")
    report = report_html([again], redon_history, "fr")
    assert "<td>jamais</td>" in report and "<td>—</td>" in report  # the variant's cells, no "+∞" delta


def test_a_run_whose_payback_never_comes_shows_jamais_and_ends(app, monkeypatch):
    """Issue 17's hang: the outcome of an infinite payback reached the cards as the text "inf", the
    card code raised, and the page stayed on "Calcul en cours…" with the button disabled."""
    import asyncio
    import threading
    from concurrent.futures import Future

    from twin.app import builder_run

    app.family.value = "bins"
    outcome = _never_paying_outcome()
    rows = outcome_rows(outcome)

    def late(*a, **k):  # the outcome arrives after the progress bar has shown: the button is disabled
        fut = Future()
        threading.Timer(0.3, lambda: fut.set_result((outcome, rows))).start()
        return fut

    monkeypatch.setattr(builder_run, "PROGRESS_AFTER_S", 0.05)
    monkeypatch.setattr(builder_run, "run_shared", late)
    started = []
    real_start = app._start_run
    monkeypatch.setattr(app, "_start_run", lambda: (real_start(), started.append(app.run_button.disabled)))
    asyncio.run(app.run())
    assert started == [True] and not app.run_button.disabled
    assert "data-kpi-value='payback_years'>jamais<" in app.kpis.text and not app.message.visible

    # a run that fails anywhere (here: the cards) ends too, with a French message
    monkeypatch.setattr(builder_run, "kpi_cards_html", lambda *a, **k: 1 / 0)
    started.clear()
    asyncio.run(app.run())
    assert started == [True] and not app.run_button.disabled
    assert "Le calcul a échoué (ZeroDivisionError" in app.message.object and app.message.visible
    assert "Calcul en cours" not in app.message.object


def test_a_hindcast_says_so_on_the_page_and_a_forecast_does_not(app, monkeypatch):
    """A flood run on the rain that really fell is labelled on the page, not only in its variant name."""
    import asyncio
    import json as _json
    from concurrent.futures import Future

    from twin.app import builder_run
    from twin.scenarios.flood import FloodForecast
    from twin.seeds import history_dir

    truth = _json.loads((history_dir() / "truth.json").read_text())["river"]["gr4h"]
    params = [truth[k] for k in ("x1", "x2", "x3", "x4")]
    app.family.value = "flood"
    for rain, labelled in (("observed", True), ("none", False)):
        outcome = FloodForecast(forecast_time="2023-02-22T00:00", horizon_h=24, rain=rain, params=params).run(
            app.territory)
        assert outcome.data.attrs["forecast_kind"].startswith("hindcast") is labelled

        def ready(*a, outcome=outcome, **k):
            fut = Future()
            fut.set_result((outcome, outcome_rows(outcome)))
            return fut

        monkeypatch.setattr(builder_run, "run_shared", ready)
        asyncio.run(app.run())
        shown = app.message.visible and "pluie réellement tombée" in app.message.object
        assert shown is labelled, (rain, app.message.object)


# --- issue 25: every text a user controls reaches the page escaped; uploads bounded ------------------

PAYLOADS = ("<img src=x onerror=window.__xss=1>", "<script>window.__xss=2</script>",
            '<iframe src="javascript:window.parent.__xss=3">', "<svg onload=window.__xss=4>")
RAW_MARKUP = ("<img src=x", "<script>window", "<iframe src=", "<svg onload")


def _html_of_the_page(app) -> list[str]:
    """Every text of the page that a browser reads as HTML: HTML and Markdown panes (Markdown passes
    HTML through), Bokeh Divs, and the labels of the "variants to compare" choice (Choices.js shows
    them as HTML)."""
    import panel as pn
    from bokeh.models import Div

    page = app.view()
    texts = [p.object or "" for p in page.select(pn.pane.HTML)] + [p.object or "" for p in page.select(pn.pane.Markdown)]
    texts += [p.object.text for p in page.select(pn.pane.Bokeh) if isinstance(p.object, Div)]
    texts += list(app.pick.options)
    return texts


def test_no_text_a_user_controls_reaches_the_page_as_markup(tmp_path, closure, monkeypatch):
    """Variant names (saved by anyone at the workshop), street names (OpenStreetMap, editable by
    anyone), the territory's name and the KPI units of a stored variant: in every pane of the page
    each shows as its text, escaped, never as markup. Before: the compare choice's labels were raw
    HTML (a name ``<img src=x onerror=…>`` ran its script), and the street selection and the title
    were Markdown, which passes HTML through."""
    from twin.app.main import WORKSHOP_TAB, TwinApp

    store = VariantStore(tmp_path)
    rows = outcome_rows(closure)
    for name in PAYLOADS:
        store.save(Variant(name, "street-closure", "redon", {}, rows))
    odd = [dict(r, unit="<svg onload=window.__xss=4>") for r in rows]  # a stored variant's unit
    store.save(Variant("unités", "street-closure", "redon", {}, odd))
    app = TwinApp("redon", "fr", store=store)
    monkeypatch.setattr(app.territory, "name", PAYLOADS[1])
    names = app.street_src.data["name"]
    monkeypatch.setitem(app.street_src.data, "name", [PAYLOADS[0]] + list(names[1:]))
    app.street_src.selected.indices = [0]
    app._selection_changed("indices", [], [0])
    app.tabs.active = WORKSHOP_TAB
    app.pick.value = [v.id for v in store.list()][:4]
    app._show(f"Variante « {PAYLOADS[2]} » enregistrée", "success")
    texts = _html_of_the_page(app)
    joined = "\n".join(texts)
    for raw in RAW_MARKUP:
        assert raw not in joined, raw
    import html

    for name in PAYLOADS:  # there, escaped: the browser shows the name as it was typed
        assert html.escape(name) in joined, name
    assert html.escape(PAYLOADS[0]) in app.selection_text.object
    assert len(app.pick.options) == 5  # every variant listed
    # the same name twice (another desk saved under the same name): both stay in the choice
    store.save(Variant(PAYLOADS[0], "street-closure", "redon", {}, rows))
    app._refresh_variants()
    assert len(app.pick.options) == 6


def test_the_report_escapes_names_units_and_parameters(closure, redon_history):
    from twin.app.report import report_html

    rows = [dict(r, unit="<b>u</b>") for r in outcome_rows(closure)]
    v = Variant(PAYLOADS[1], "street-closure", "redon", {"streets": [PAYLOADS[0]]}, rows, attrs={"x": PAYLOADS[3]})
    text = report_html([v], redon_history, "fr")
    for raw in (*RAW_MARKUP, "<b>u</b>"):
        assert raw not in text, raw
    assert "&lt;script&gt;window.__xss=2&lt;/script&gt;" in text


@pytest.mark.parametrize(("content", "expected"), [
    (b"[" * 100_000 + b"]" * 100_000, "JSON imbriqué sur plus de 32 niveaux"),  # RecursionError in the parser
    (b'{"family": "bins", "rules": ' + b"[" * 500 + b"]" * 500 + b"}", "JSON imbriqué sur plus de 32 niveaux"),
    (b'{"family": "bins", "members": 1' + b"0" * 5000 + b"}", "ce n'est pas un fichier JSON (Exceeds the limit"),
    (b"[1, 2]", "un scénario est un objet JSON"),
    (b"\xff\xfe{}", "ce n'est pas un fichier texte UTF-8"),
    (b" " * 5_000_001 + b"{}", "5,1 Mo, plus que la limite de 5 Mo par fichier"),
    (b"{not json", "ce n'est pas un fichier JSON (Expecting property name"),
])
def test_a_json_bomb_or_oversized_scenario_is_refused_in_french(app, content, expected):
    """Issue 25, item 6: a scenario nested 100 000 deep raised a RecursionError the page never
    heard of; a number of 5 000 digits a ValueError; a scenario upload had no size limit. Each is now
    a French message naming the file, and the builder keeps its scenario."""
    before = app.family.value
    _upload(app, app.upload, "bombe.json", content)
    shown = app.message.object
    assert app.message.visible and "Fichier refusé : bombe.json : " in shown and expected.replace("'", "&#x27;") in shown
    assert app.family.value == before


def test_a_spreadsheet_s_bookings_are_uploaded_as_the_calendar_they_are(app):
    """A commune's bookings kept in a spreadsheet (CSV, semicolons, the day first) are read as an .ics is,
    kept as the iCalendar text they convert to (named after the file), and a bad line refused in French."""
    import pandas as pd

    from twin.app.param_text import param_value_text
    from twin.sources.ics import read_ics_text

    app.family.value = "heating"
    sheet = "Date;Début;Fin;Objet\n10/01/2023;18:00;22:00;Basket\n2023-01-11;9h;12h;Yoga\n".encode()
    _upload(app, app.calendar_upload, "salle.csv", sheet)
    assert "Calendrier « salle.csv » chargé : 2 réservations en 2023" in app.message.object
    kept = app.scenario.booking_ics_text
    assert kept.startswith("BEGIN:VCALENDAR") and "X-WR-CALNAME:salle.csv" in kept
    events = read_ics_text(kept, "2023-01-01", "2024-01-01")
    assert list(events["summary"]) == ["Basket", "Yoga"]
    assert events["start"].iloc[0] == pd.Timestamp("2023-01-10 18:00", tz="Europe/Paris")
    assert param_value_text("heating", "booking_ics_text", kept).startswith("« salle.csv » (")
    _upload(app, app.calendar_upload, "faux.csv", "Date;Début;Fin\n10/01/2023;soir;22:00\n".encode())
    assert "Fichier refusé : faux.csv, ligne 2 : la colonne « debut » n&#x27;est pas une heure" in app.message.object
    assert app.scenario.booking_ics_text == kept  # a refused file leaves the calendar loaded before


def test_a_calendar_of_another_year_is_refused_and_a_few_weeks_one_said(app):
    """A 2025 calendar loaded for the 2023 weather year said « 0 réservations en 2023 » in green, and the
    run heated every building to frost protection alone: « -92,3 % ». It is refused, naming its year; a few
    weeks' calendar is loaded with a warning that outside them nothing is booked, and the run says it above
    its cards (a January's bookings read as a year's: « -85,3 % »)."""
    from twin.app.builder_run import kpi_cards_part
    from twin.scenarios import HeatingSchedules
    from twin.scenarios.base import ScenarioError

    app.family.value = "heating"
    app.scenario.year = 2023
    weeks = "".join(f"{d:02d}/01/2025;18:00;22:00;Basket\n" for d in (7, 14, 21, 28))
    _upload(app, app.calendar_upload, "gymnase.csv", f"Date;Début;Fin;Objet\n{weeks}".encode())
    message = html.unescape(app.message.object)
    assert "Fichier refusé" in message and "aucune réservation en 2023" in message
    assert "ses réservations sont datées de 2025. Donnez le calendrier de 2023" in message
    assert app.scenario.booking_ics_text == ""
    with pytest.raises(ScenarioError, match="no booking in 2023.*its bookings are dated 2025") as refused:
        HeatingSchedules(booking_ics_text=bookings_csv_ics(weeks), year=2023).run(app.territory)
    assert refused.value.key == "err_booking_none_in_year"
    # an endless minutely rule starting after the year: its year read from its start, never expanded over years
    endless = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//\nBEGIN:VEVENT\nUID:m@t\nDTSTART:20250101T000000\n"
               "DTEND:20250101T000030\nRRULE:FREQ=MINUTELY\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n")
    _upload(app, app.calendar_upload, "minute.ics", endless.encode())
    assert "ses réservations sont datées de 2025" in html.unescape(app.message.object)
    _upload(app, app.calendar_upload, "vide.ics", b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//\nEND:VCALENDAR\n")
    assert "ne contient aucune réservation" in html.unescape(app.message.object)

    january = weeks.replace("/2025", "/2023")
    _upload(app, app.calendar_upload, "gymnase.csv", f"Date;Début;Fin;Objet\n{january}".encode())
    message = html.unescape(app.message.object)
    assert "4 réservations en 2023, du 07/01/2023 au 28/01/2023" in message
    assert "Attention : hors de ces dates, rien n'est réservé" in message and "alert-warning" in app.message.object
    out = HeatingSchedules(booking_ics_text=app.scenario.booking_ics_text, year=2023).run(app.territory)
    attrs = out.data.attrs
    assert (int(attrs["booking_count"]), attrs["booking_first"], attrs["booking_last"]) == (4, "2023-01-07",
                                                                                         "2023-01-28")
    assert float(attrs["booking_share_of_year"]) == pytest.approx(21.17 / 365, abs=1e-3)
    cards = html.unescape(kpi_cards_part(app, outcome_rows(out), out, ""))
    assert ("Le calendrier de réservations ne va que du 07/01/2023 au 28/01/2023 (4 réservations, 6 % de "
            "l'année") in cards
    assert cards.index("ne va que du") < cards.index("kpi-card")
    # a year's calendar: nothing said of its span
    year_round = "".join(f"{d:%d/%m/%Y};18:00;22:00;Basket\n" for d in pd_weeks("2023-01-03", "2023-12-26"))
    _upload(app, app.calendar_upload, "annee.csv", f"Date;Début;Fin;Objet\n{year_round}".encode())
    assert "Attention" not in app.message.object and "alert-success" in app.message.object
    whole = HeatingSchedules(booking_ics_text=app.scenario.booking_ics_text, year=2023).run(app.territory)
    assert "ne va que du" not in html.unescape(kpi_cards_part(app, outcome_rows(whole), whole, ""))
    # the report's technical details name what the attributes are, in French
    from twin.app.run_details import detail_rows

    labels = " ".join(str(k) for k, _ in detail_rows(dict(out.data.attrs), "fr")[0])
    assert "booking_" not in labels and "Première réservation de l'année" in labels


def bookings_csv_ics(rows: str) -> str:
    from twin.sources.bookings_csv import bookings_csv_to_ics

    return bookings_csv_to_ics(f"Date;Début;Fin;Objet\n{rows}", "gymnase.csv")


def pd_weeks(first: str, last: str):
    import pandas as pd

    return pd.date_range(first, last, freq="7D")


def test_calendars_and_inventories_above_the_limit_are_refused_in_french(app):
    from twin.app.security import MAX_UPLOAD_BYTES

    big = b"x" * (MAX_UPLOAD_BYTES + 1)
    app.family.value = "heating"
    _upload(app, app.calendar_upload, "gros.ics", big)
    assert "Fichier refusé : gros.ics : 5,1 Mo, plus que la limite de 5 Mo par fichier" in app.message.object
    app.family.value = "lighting"
    _upload(app, app.inventory_upload, "gros.csv", big)
    assert "Fichier refusé : gros.csv : 5,1 Mo, plus que la limite de 5 Mo par fichier" in app.message.object
    assert app.inventory is None and app.calendar is None


def test_a_file_the_page_refused_before_sending_is_explained(app):
    """The page's size check writes the refused file's name and size into a hidden model; the server
    then says why, in French. Anything else written there (not that JSON) says nothing."""
    import json

    app.upload_guard.text = json.dumps({"name": "enorme<b>.json", "size": 50_000_000, "n": 1})
    assert "Fichier refusé : enorme&lt;b&gt;.json : 50 Mo, plus que la limite de 5 Mo par fichier" in app.message.object
    app.message.visible = False
    app.upload_guard.text = "{not json"
    app.upload_guard.text = json.dumps({"size": "x"})
    assert not app.message.visible


def test_a_long_error_is_cut_in_the_page(app):
    from twin.app.main import MAX_MESSAGE_CHARS

    app._show("Erreur : " + "9" * 100_000)
    assert MAX_MESSAGE_CHARS < len(app.message.object) < MAX_MESSAGE_CHARS + 200 and "[…]" in app.message.object


def test_the_content_security_policy_allows_no_eval_frame_or_other_host():
    from twin.app.security import content_security_policy, upload_guard_script

    csp = content_security_policy("127.0.0.1:5006")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]  # no 'unsafe-eval', no host
    assert directives["connect-src"] == ["'self'", "ws://127.0.0.1:5006", "wss://127.0.0.1:5006"]
    assert directives["frame-src"] == ["'none'"] and directives["object-src"] == ["'none'"]
    # a Host header cannot add a directive or a source to the policy
    assert content_security_policy("evil; script-src *") == content_security_policy(None)
    assert "5000000" in upload_guard_script("twin-upload-guard")


def test_every_family_builds_widgets_a_browser_can_be_sent(app):
    """Each family's parameter widgets serialize into a Bokeh document. A number left unset
    (heating's calibration_year: None) made a slider with no value: Bokeh refused the page's update,
    and the builder kept showing the previous family's widgets (caught by the browser test of the
    calendar upload)."""
    from bokeh.document import Document

    from twin.app.main import FAMILIES

    for family in FAMILIES:
        app.family.value = family
        assert app.scenario.family == family
        doc = Document()
        doc.add_root(app.params_box.get_root(doc))
        doc.to_json()  # raises UnsetValueError for a widget without a value


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_kpi_of_every_family_has_a_label_in_each_language(lang):
    """An elected official reads French: a KPI added to a family without a label showed its code name
    (and the English page read « vehicle km window », « time to townhall min »)."""
    import importlib

    from twin.app.i18n import KPI_LABELS_EN, KPI_LABELS_FR
    from twin.scenarios import SCENARIOS

    labels = KPI_LABELS_FR if lang == "fr" else KPI_LABELS_EN
    missing = {fam: [k.name for k in importlib.import_module(cls.__module__).KPIS if k.name not in labels]
               for fam, cls in SCENARIOS.items()}
    assert not any(missing.values()), missing


def test_a_value_left_to_the_territory_says_so_in_its_box(app):
    """A flood's gauges and catchment are the territory's own when left empty: the empty box says so
    (a blank box read as "no gauge"); a parameter whose empty value means something else does not."""
    from twin.app.i18n import t

    def saying_territory_own():  # pn.Param keeps its widgets by parameter name
        return {n for n, w in app.params_box[0]._widgets.items()
                if str(getattr(w, "placeholder", "")).startswith("selon le territoire")}

    app.family.value = "flood"
    names = saying_territory_own()
    assert {"rain_gauge", "flow_gauge", "level_gauge", "temperature", "area_km2", "latitude_deg",
            "alert_levels_m", "river_names", "forecast_time"} <= names, names
    assert app.params_box[0]._widgets["rain_gauge"].placeholder == t("territory_own", "fr")
    assert "rain_forecast_file" not in names and "params" not in names
    app.family.value = "heating"
    assert not saying_territory_own()  # calibration_year empty means "the simulated year", not the territory's


def test_every_map_layer_has_a_button_and_places_stay_visible_when_layers_change(app):
    """The place marks and names (town hall, station, schools) are a layer like the others: a click on
    the layer buttons keeps them unless their own button is released."""
    assert set(app.renderers) <= set(app.layer_toggle.options.values())

    def visible(key):
        r = app.renderers[key]
        return all(x.visible for x in (r if isinstance(r, list) else [r]))
    assert visible("places")
    app.layer_toggle.value = [*app.layer_toggle.value, "lamps"]
    assert visible("places") and visible("lamps")
    app.layer_toggle.value = [k for k in app.layer_toggle.value if k != "places"]
    assert not visible("places") and visible("streets")


def test_of_two_runs_started_together_the_last_one_started_is_shown(app, monkeypatch):
    """Two clicks within PROGRESS_AFTER_S start two runs; when the first (slower) one finishes last,
    its result must not replace the second's: the page shows what was asked last."""
    import asyncio
    import threading
    from concurrent.futures import Future

    from twin.app import builder_run
    from twin.scenarios import StreetClosure

    app.family.value = "street-closure"
    delays = iter([0.6, 0.05])  # the first run started is the slower one

    def run_shared(territory_name, territory, scenario, **k):
        outcome = scenario.run(territory)
        fut, delay = Future(), next(delays)
        threading.Timer(delay, lambda: fut.set_result((outcome, outcome_rows(outcome)))).start()
        return fut

    monkeypatch.setattr(builder_run, "run_shared", run_shared)

    async def two_clicks():
        app.scenario.streets = ["Quai Saint-Jacques"]
        first = asyncio.ensure_future(app.run())
        await asyncio.sleep(0.01)
        app.scenario = StreetClosure(streets=["Rue du Port"], destination=app.scenario.destination)
        second = asyncio.ensure_future(app.run())
        await asyncio.gather(first, second)

    asyncio.run(two_clicks())
    assert app.last_params["streets"] == ["Rue du Port"] and app.runs == 1
    assert not app.run_button.disabled


def test_every_parameter_a_form_shows_has_a_french_label():
    """No English parameter name ("Rain gauge", "Design mm") in the French page's forms."""
    from twin.app.i18n import PARAM_LABELS_FR
    from twin.app.uploads import CONTENT_KEYS, server_file_parameters
    from twin.scenarios import SCENARIOS

    shown = {(family, name) for family, cls in SCENARIOS.items() for name in cls.param
             if name != "name" and name not in CONTENT_KEYS and not server_file_parameters({name: "x"})}
    assert not sorted(x for x in shown if x[1] not in PARAM_LABELS_FR)


def test_the_language_link_keeps_the_participant_in_the_workshop():
    """Switching language keeps the address's name, token and facilitator token (only ``lang`` changes)."""
    from urllib.parse import parse_qs

    from twin.app.main import _first_values, language_switch_href

    href = language_switch_href(_first_values({"nom": ["Élise".encode()], "jeton": [b"a1b2"],
                                                "lang": [b"fr"], "animateur": [b"x&y"]}), "en")
    assert href.startswith("?")
    assert parse_qs(href[1:]) == {"nom": ["Élise"], "jeton": ["a1b2"], "animateur": ["x&y"], "lang": ["en"]}
    assert language_switch_href({}, "fr") == "?lang=fr"


def test_every_parameter_has_an_english_label_too():
    """English is the second language: every parameter of every family has an English label (a spaced
    code name such as "round weekdays" was shown), and the two catalogues name the same parameters."""
    from twin.app.i18n import PARAM_LABELS_EN, PARAM_LABELS_FR, param_label
    from twin.scenarios import SCENARIOS

    names = {name for cls in SCENARIOS.values() for name in cls.param if name != "name"}
    assert not sorted(names - set(PARAM_LABELS_EN))
    assert set(PARAM_LABELS_EN) == set(PARAM_LABELS_FR)
    assert param_label("round_weekdays", None, "en") == "Round days"
    assert param_label("threshold_pct", "[%] fill level", "en") == "Collection threshold (%)"


def test_the_bins_map_and_chart_are_the_members_means_as_the_cards(redon_history):
    """A waste manager added up the map's hours full a week: 51,0 against the card's 48,3 (the map drew
    the last member, the card the members' mean). Map, chart and cards now say the same."""
    from twin.app.views.bins import overlays
    from twin.scenarios import BinCollection

    out = BinCollection(members=3, days=14).run(redon_history)
    layer = out.table("bins")
    for variant in out.variants:
        mine = layer[layer["variant"] == variant]
        card = out.value("overflow_bin_hours_per_week", variant)
        assert mine["overflow_hours_per_week"].sum() == pytest.approx(card, rel=1e-6), variant
    ids = redon_history.layers["bins"]["id"].astype(str).tolist()
    import bokeh.models

    (_, over, caption), = overlays(out, {"bins": bokeh.models.ColumnDataSource({"id": ids})}, "fr")
    shown = layer[layer["variant"] == out.first_variant]
    assert "moyenne des tirages" in caption and "top" not in over
    assert caption.endswith(f"la plus pleine : {fmt_number(shown['overflow_hours_per_week'].max(), 'fr')} h/sem.)")


def test_the_parking_caption_names_the_colour_removed_streets_are_drawn_in():
    """The caption said « violet » for streets drawn orange (the works' colour, #ef6c00)."""
    from twin.app.i18n import STRINGS
    from twin.app.views.parking import REMOVED

    assert REMOVED.lower() == "#ef6c00"
    assert "orange" in STRINGS["parking_caption_removed"][0] and "orange" in STRINGS["parking_caption_removed"][1]


def test_a_parking_map_within_the_noise_says_so(redon_history):
    """A parking officer saw most streets red or green under cards all « pas de différence significative »
    (the page's default removal, Quai Saint-Jacques: +47 km of cruising, 5–95 % from -33 to +100 km): the
    caption says the streets' changes are the draws', when the total's is within the noise."""
    import bokeh.models

    from twin.app.variants import outcome_rows
    from twin.app.views.parking import overlays
    from twin.scenarios.parking import ParkingSearch

    out = ParkingSearch(remove_streets=["Quai Saint-Jacques"]).run(redon_history)
    row = next(r for r in outcome_rows(out) if r["kpi"] == "cruising_vkm" and r["variant"] == out.first_variant)
    assert row["significant"] is False and row["change"] > 0  # a change the map draws, within the noise
    edges = bokeh.models.ColumnDataSource({"edge": [str(e) for e in out.table("streets")["edge"].unique()]})
    (_, over, caption), = overlays(out, {"streets": edges}, "fr")
    assert "Au total, écart plus petit que l'incertitude : ces écarts rue par rue sont ceux des tirages" in caption
    assert len(set(over["color"])) > 2  # streets red and green: what the sentence explains

def test_fewer_water_districts_than_asked_are_said_on_the_page():
    """60 districts asked, 31 made, 31 meters priced, and nothing said on the page."""
    from twin.app.views.water_meters import capped_text
    from twin.models.water_dma import district_count

    k, why = district_count(60, 5532.0, 1000.0, 250)
    assert k < 60
    said = capped_text({"districts_capped": why}, "fr")
    assert said.startswith(f"60 secteurs demandés, {k} faits") and "investissement" in said
    assert capped_text({}, "fr") == ""


def test_a_flood_variant_s_default_name_says_replay_or_forecast_and_when():
    """A replay on the rain that fell was saved « Anticipation des crues 01:09:27 », a forecast alike: the
    comparison could not tell them apart. The default name says which, and the issue time on Paris's clock."""
    from types import SimpleNamespace

    from twin.app.builder_run import flood_run_kind
    from twin.scenarios.flood import HINDCAST

    def outcome(kind):
        return SimpleNamespace(data=SimpleNamespace(attrs={"scenario": "flood", "forecast_kind": kind,
                                                           "forecast_time": "2023-02-22 00:00:00"}))

    assert flood_run_kind(outcome(HINDCAST), "fr") == ", rejeu sur la pluie tombée, 22/02/2023 1 h"
    assert flood_run_kind(outcome("forecast"), "fr") == ", prévision du 22/02/2023 1 h"
    assert flood_run_kind(outcome("forecast"), "en") == ", forecast issued 2023-02-22 01:00"
    forecast = outcome("forecast")
    forecast.data.attrs["rain"] = "none"
    assert flood_run_kind(forecast, "fr") == ", prévision du 22/02/2023 1 h (aucune pluie)"
    scaled = outcome(HINDCAST)
    scaled.data.attrs.update(rain="scaled", rain_scale=1.5)  # a what-if, not the replay
    assert flood_run_kind(scaled, "fr") == ", pluie tombée × 1,5 depuis le 22/02/2023 1 h"
    prior = outcome("forecast (prior: no gauge)")  # a design event's hours count from no date
    assert flood_run_kind(prior, "fr") == ""
    # two forecasts of one hour over other horizons, or at levels typed, are two names
    forecast.data.attrs.update(horizon_h=24, alert_yellow_m=3.5, alert_orange_m=4.5, alert_red_m=5.25)
    assert flood_run_kind(forecast, "fr") == ", prévision sur 24\u00a0h du 22/02/2023 1 h (aucune pluie)"
    assert flood_run_kind(forecast, "fr", levels_given=True) == (
        ", prévision sur 24\u00a0h du 22/02/2023 1 h (aucune pluie), seuils 3,5 / 4,5 / 5,25\u00a0m")
    assert flood_run_kind(forecast, "en", levels_given=True) == (
        ", forecast over 24 h issued 2023-02-22 01:00 (no rain), levels 3.5 / 4.5 / 5.25 m")
    # as the app's worker hands them over: text (a walkthrough's two variants were still named alike)
    forecast.data.attrs.update(horizon_h="24", alert_yellow_m="3.5", alert_orange_m="4.5", alert_red_m="5.25")
    assert flood_run_kind(forecast, "fr", levels_given=True) == (
        ", prévision sur 24\u00a0h du 22/02/2023 1 h (aucune pluie), seuils 3,5 / 4,5 / 5,25\u00a0m")
    assert flood_run_kind(SimpleNamespace(data=SimpleNamespace(attrs={"scenario": "bins"})), "fr") == ""
    assert flood_run_kind(None, "fr") == ""


def test_the_buildings_a_closure_cuts_off_download_with_their_addresses(app, redon_history):
    """The map said « liste dans le fichier des couches », found only in the meeting pack's GeoPackage: the
    cut-off buildings download beside the results, one per line, in French columns."""
    from twin.scenarios import Roadworks

    out = Roadworks(streets=["Grande Rue"], residents_access=False).run(redon_history)  # shut to all
    cut = out.table("cut_off_buildings")
    assert len(cut) > 0
    files = {name: (label, data) for label, name, data in app._download_files(out)}
    label, data = files["travaux_batiments_coupes_du_reseau.csv"]
    assert label == f"Télécharger la liste des bâtiments coupés du réseau pendant les travaux ({len(cut)}, CSV)"
    lines = data.decode("utf-8-sig").strip().splitlines()
    assert lines[0].split(";")[:3] == ["batiment_id", "nom", "adresse"] and len(lines) == len(cut) + 1
