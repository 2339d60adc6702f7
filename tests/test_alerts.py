"""Alerts people receive (issue 20): rules, grouping, deduplication, episodes, quiet hours,
acknowledgement, and delivery by e-mail, webhook and push topic — to an SMTP and an HTTP receiver
these tests start on this machine (tests/alert_receivers.py)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from tests.alert_receivers import HTTPReceiver, SMTPReceiver
from twin.cli import main
from twin.live.alerts import Alert, AlertBook, AlertRuleError, dispatch, read_rules

NOON = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture()
def receivers():
    smtp, http = SMTPReceiver(), HTTPReceiver()
    yield smtp, http
    smtp.shutdown()
    http.shutdown()


def _rules(tmp_path, smtp, http, **extra) -> list:
    rule = {"name": "astreinte", "to": [{"email": "astreinte@mairie.example", "smtp": smtp.address},
                                        {"webhook": http.url("/hook")}, {"ntfy": http.url("/redon-alertes")}],
            **extra}
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [rule]}))
    return read_rules(path)


def _bins(n=12, street="Rue de Vannes", first=0):
    return [Alert(f"bins_full:bin-{i:02d}", "bins_full", "info", f"Corbeille bin-{i:02d} pleine demain",
                  sensor_id=f"bin-{i:02d}", group=street) for i in range(first, first + n)]


def test_twelve_bins_of_one_street_are_one_message_per_channel_and_sent_once(tmp_path, receivers):
    smtp, http = receivers
    rules = _rules(tmp_path, smtp, http)
    book = AlertBook(tmp_path / "store")
    assert len(book.raise_alerts(_bins() + _bins(2, "Quai Duguay-Trouin", first=20), "t1")) == 14
    report = dispatch(book, rules, NOON)
    assert report.failed == [] and len(report.sent) == 6  # 2 streets × 3 channels
    mails = smtp.received
    assert sorted(m["subject"] for m in mails) == ["Corbeilles pleines demain (12) — Rue de Vannes",
                                                   "Corbeilles pleines demain (2) — Quai Duguay-Trouin"]
    big = next(m for m in mails if "(12)" in m["subject"])
    assert big["to"] == ["astreinte@mairie.example"] and big["body"].count("• Corbeille") == 12
    hooks = [r for r in http.received if r["path"] == "/hook"]
    pushes = [r for r in http.received if r["path"] == "/redon-alertes"]
    assert len(hooks) == 2 and len(pushes) == 2
    assert {len(h["json"]["alerts"]) for h in hooks} == {12, 2}
    assert any(p["title"] == "Corbeilles pleines demain (12) — Rue de Vannes" for p in pushes)
    assert {p["priority"] for p in pushes} == {"3"}
    book.save()
    again = AlertBook(tmp_path / "store")  # a restarted watcher: the same alerts, nothing new, nothing sent
    assert again.raise_alerts(_bins(), "t2") == []
    assert dispatch(again, rules, NOON).sent == []
    assert len(smtp.received) == 2 and len(http.received) == 4


def test_a_river_crossing_forecast_is_one_message_per_rule_per_episode(tmp_path, receivers):
    """Each new discharge reading re-issues the forecast: while it keeps crossing the orange level the
    alert is the same one; once it no longer crosses the alert closes, and a later crossing is a new
    episode with its own message."""
    smtp, http = receivers
    rules = _rules(tmp_path, smtp, http)
    book = AlertBook(tmp_path / "store")
    crossing = Alert("river_forecast:vilaine-redon-h:orange", "river_forecast", "critical",
                     "La Vilaine à Redon : 4,5 m (orange) prévu dans 9 h", sensor_id="vilaine-redon-h", group="Vilaine")
    for reading in range(10):  # ten readings, ten forecasts, all crossing
        book.raise_alerts([crossing], f"reading {reading}")
        book.close_others("river_forecast", {crossing.key}, f"reading {reading}")
        dispatch(book, rules, NOON)
    assert len(smtp.received) == 1 and len([r for r in http.received if r["path"] == "/hook"]) == 1
    book.close_others("river_forecast", set(), "reading 10")  # the forecast no longer crosses
    assert book.entries[0]["status"] == "closed"
    book.raise_alerts([crossing], "reading 11")
    dispatch(book, rules, NOON)
    assert len(smtp.received) == 2 and [e["episode"] for e in book.entries] == [1, 2]
    assert len({e["id"] for e in book.entries}) == 2


def test_quiet_hours_hold_all_but_critical_alerts_until_they_end(tmp_path, receivers):
    smtp, http = receivers
    rules = _rules(tmp_path, smtp, http, quiet_hours="22:00-07:00", tz="Europe/Paris")
    book = AlertBook(tmp_path / "store")
    book.raise_alerts(_bins(3) + [Alert("river_forecast:x:red", "river_forecast", "critical", "Crue rouge")], "t")
    night = dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.timezone.utc)  # 00:30 in Paris
    report = dispatch(book, rules, night)
    assert len(report.held) == 3 and [s["title"] for s in report.sent][:1] == ["Crue prévue"]
    assert len(smtp.received) == 1
    morning = dt.datetime(2026, 12, 4, 7, 30, tzinfo=dt.timezone.utc)
    report = dispatch(book, rules, morning)
    assert report.held == [] and len(smtp.received) == 2 and "(3)" in smtp.received[1]["subject"]


def test_an_acknowledged_alert_is_not_sent_and_a_failed_channel_is_retried_alone(tmp_path, receivers):
    smtp, http = receivers
    rules = _rules(tmp_path, smtp, http)
    book = AlertBook(tmp_path / "store")
    book.raise_alerts(_bins(2), "t")
    book.save()
    first = book.entries[0]["id"]
    book.acknowledge(first, "Anne", "t")
    with pytest.raises(AlertRuleError, match="no alert"):
        book.acknowledge("nothere", "Anne", "t")
    class Broken:  # a channel failing with any error is that channel's failure, not the pass's end
        key = "broken:1"

        def send(self, *args):
            raise ValueError("not a number")

    rules[0].channels.append(Broken())
    http.status = 500  # the webhook and the topic fail, the e-mail goes
    report = dispatch(book, rules, NOON)
    assert len(report.failed) == 3 and "HTTP 500" in report.failed[0]["error"]
    assert "broken:1: ValueError: not a number" in report.failed[2]["error"]
    rules[0].channels.pop()
    assert len(smtp.received) == 1 and smtp.received[0]["body"].count("• Corbeille") == 1  # the other one only
    http.status = 200
    before = len(http.received)  # the two refused POSTs reached the receiver
    report = dispatch(book, rules, NOON)
    assert report.failed == [] and len(smtp.received) == 1  # no second e-mail
    assert len(http.received) == before + 2 and len(report.sent) == 2  # the webhook and the topic, once each


def test_a_bad_rules_file_names_the_rule_and_field(tmp_path):
    cases = [({"rules": []}, "at least one rule"),
             ({"rules": [{"to": [{"fax": "123"}]}]}, r"rule 1: to\[0\]: unknown channel"),
             ({"rules": [{"to": [{"webhook": "ftp://x"}]}]}, "is not an http"),
             ({"rules": [{"to": [{"ntfy": "http://x/t"}], "severity": "urgent"}]}, "severity 'urgent'"),
             ({"rules": [{"to": [{"ntfy": "http://x/t"}], "quiet_hours": "22h-7h"}]}, "not a time HH:MM"),
             ({"rules": [{"to": [{"ntfy": "http://x/t"}], "detectors": ["meteor"]}]}, "unknown detector"),
             ({"rules": [{"to": [{"ntfy": "http://x/t"}], "colour": "red"}]}, "unknown field"),
             ({"rules": [{"to": [{"email": "a@b.fr", "smtp": "relais:abc"}]}]}, "is not host:port"),
             ({"rules": [{"to": [{"email": "a@b.fr, c@d.fr"}]}]}, "not one e-mail address"),
             ({"rules": [{"to": [{"webhook": "http://host:abc/"}]}]}, "is not an http")]
    for doc, why in cases:
        path = tmp_path / "rules.json"
        path.write_text(json.dumps(doc))
        with pytest.raises(AlertRuleError, match=why):
            read_rules(path)


def test_twin_watch_runs_the_detectors_and_sends_once(tmp_path, receivers, capsys):
    """A water-level sensor that freezes for a day: twin watch ingests it, finds the fault and sends it
    to the rule's webhook; a second pass (nothing new) sends nothing; twin alerts lists and acknowledges."""
    smtp, http = receivers
    store, inbox = tmp_path / "store", tmp_path / "inbox"
    inbox.mkdir()
    (tmp_path / "sensors.csv").write_text("sensor_id,quantity,unit,asset_layer,asset_id,lon,lat,name\n"
                                          "riviere-h,water_level,m,rivers,vilaine,-2.08,47.65,La Vilaine\n")
    assert main(["sensors", "register", str(tmp_path / "sensors.csv"), "--store", str(store)]) == 0
    t = pd.date_range("2026-11-01", periods=30 * 24, freq="h", tz="UTC")
    level = 2.0 + 0.3 * np.sin(np.arange(len(t)) / 9.0) + np.random.default_rng(3).normal(0, 0.01, len(t))
    level[400:430] = level[400]  # frozen for 30 h, 12 days before the last reading: news
    level[50:90] = level[50]  # frozen for 40 h three weeks earlier: history (listed, not sent)
    pd.DataFrame({"sensor_id": "riviere-h", "time": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "value": level.round(3)}).to_csv(inbox / "niveaux.csv", index=False)
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"rules": [{"name": "technique", "to": [{"webhook": http.url("/hook")}]}]}))
    args = ["watch", "--store", str(store), "--inbox", str(inbox), "--once", "--settle", "0", "--rules", str(rules)]
    assert main(args + ["--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [(a["detector"], a["historical"]) for a in out["alerts"]["new"]] == [("fault", True), ("fault", False)]
    assert all("valeur figée" in a["title"] for a in out["alerts"]["new"])
    assert len(http.received) == 1 and http.received[0]["json"]["alerts"][0]["sensor_id"] == "riviere-h"
    assert len(http.received[0]["json"]["alerts"]) == 1  # the recent one only
    assert main(args) == 0
    capsys.readouterr()
    assert len(http.received) == 1
    assert main(["alerts", "list", "--store", str(store), "--json"]) == 0
    old, listed = json.loads(capsys.readouterr().out)
    assert old["historical"] and not old["sent"]
    assert listed["ack"] is None and listed["sent"] == {f"webhook:{http.url('/hook')}": listed["sent"][
        f"webhook:{http.url('/hook')}"]}
    assert main(["alerts", "ack", listed["id"], "--store", str(store), "--by", "Brice"]) == 0
    capsys.readouterr()
    assert main(["alerts", "list", "--store", str(store)]) == 0
    shown = capsys.readouterr().out
    assert "acquittée" in shown and "ouverte (ancienne)" in shown
    book = AlertBook(store)  # a pass that stopped before saving its alerts left its sensors to look at
    book.pending_sensors = ["riviere-h"]
    book.entries = []
    book.save()
    assert main(args[:-2] + ["--json"]) == 0  # no rules, no new file: the pending sensor is looked at
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert len(out["alerts"]["new"]) == 2 and AlertBook(store).pending_sensors == []


def test_the_flood_forecast_re_issued_at_each_reading_is_one_message(tmp_path, receivers):
    """The river detector on the Redon seed (SYNTHETIC history): the forecast issued at three
    successive hourly readings says each time that the Vilaine stays at or above its yellow level
    within 24 h — one alert, one message per rule; the ensemble's probability is the scenario's own."""
    from twin.live.detectors import river_alerts
    from twin.scenarios.flood import FloodForecast
    from twin.seeds import load_default

    smtp, http = receivers
    territory = load_default()
    store = territory.sensors
    rules = _rules(tmp_path, smtp, http)
    book = AlertBook(tmp_path / "store")
    for hour in ("2023-01-25T00:00", "2023-01-25T01:00", "2023-01-25T02:00"):
        alerts, looked, notes = river_alerts(territory, store, ["vilaine-redon-q"], at=hour, members=20)
        assert notes == [] and looked == {f"river_forecast:vilaine-redon-q:{lvl}" for lvl in ("yellow", "orange", "red")}
        book.raise_alerts(alerts, hour)
        book.close_others("river_forecast", {a.key for a in alerts}, hour, within=looked)
        dispatch(book, rules, NOON)
    assert [a.key for a in alerts] == ["river_forecast:vilaine-redon-q:yellow"]
    outcome = FloodForecast(forecast_time="2023-01-25T02:00", horizon_h=24, members=20,
                            flow_gauge="vilaine-redon-q").run(territory)
    assert f"{outcome.value('p_yellow_pct', outcome.variants[-1]):.0f} %".replace(" ", "") in \
        alerts[0].title.replace("\u202f", "").replace(" ", "")
    assert len(smtp.received) == 1 and smtp.received[0]["subject"] == "Crue prévue — Vilaine at Redon"
    assert river_alerts(None, store, ["vilaine-redon-q"])[2]  # without a territory: said, not guessed


def test_the_alertes_tab_lists_the_book_and_acknowledges(tmp_path):
    """The app's « Alertes » tab on a copy of the Redon store holding two alerts: both shown in
    French, newest first, the critical one in red; « Acquitter » writes the acknowledgement (by the
    workshop participant's name) and the card then says who acknowledged it."""
    import html
    import shutil

    from twin.app.main import TwinApp
    from twin.sensors import SensorStore

    app = TwinApp("redon", "fr")
    copy = tmp_path / "sensors"
    shutil.copytree(app.territory.sensors.path, copy)
    book = AlertBook(copy)
    book.raise_alerts([Alert("fault:bin-03:gap:x", "fault", "warning", "bin-03 : relevés manquants <b>", "14 j"),
                       Alert("river_forecast:vilaine-redon-q:red", "river_forecast", "critical",
                             "Vilaine : niveau rouge atteint d'ici 24 h")], "2026-12-03T10:00:00+00:00")
    book.save()
    app.territory = app.territory.replace(sensors=SensorStore(copy))
    assert app.tabs._names[4] == "Alertes"
    app.tabs.active = 4
    cards = app.alerts_box.objects
    assert len(cards) == 2
    first = cards[0].objects[0].object
    assert "niveau rouge" in first and "#b3261e" in first and "critique" in first and "Crue prévue" in first
    assert "&lt;b&gt;" in cards[1].objects[0].object  # a sensor's name is text, never markup
    assert "03/12/2026 11:00" in first  # local time
    (ack,) = [w for w in cards[0].objects if "alert-ack" in getattr(w, "css_classes", [])]
    assert ack.name == "Acquitter"
    app.participant = "Anne Martin"
    ack.clicks += 1
    acks = AlertBook(copy).acknowledged()
    assert list(acks) == [book.entries[1]["id"]] and acks[book.entries[1]["id"]]["by"] == "Anne Martin"
    shown = html.unescape(app.alerts_box.objects[0].object if hasattr(app.alerts_box.objects[0], "object")
                          else app.alerts_box.objects[0].objects[0].object)
    assert "Acquittée par Anne Martin" in shown


def test_a_cabinet_burning_by_day_and_one_dark_at_night_are_found(tmp_path):
    """Two months changed by hand in a copy of the SYNTHETIC Redon store: a cabinet whose May
    reading is 40 % above what dusk-to-dawn switching allows, another whose November reading is 45 %
    below; each is one ``lighting`` alert, and the clean cabinets give none (on the unchanged
    history: none at all)."""
    from twin.live.detectors import lighting_alerts
    from twin.sensors import SensorStore
    from twin.seeds import load_default

    territory = load_default()
    cabinets = [s for s in territory.sensors.sensors["sensor_id"] if s.startswith("cabinet-")]
    assert lighting_alerts(territory, territory.sensors, cabinets)[0] == []
    store = SensorStore(tmp_path / "sensors")  # the cabinets' meters alone, two months changed
    reg = territory.sensors.sensors
    store.register(reg[reg["sensor_id"].isin(cabinets)].drop(columns=["unit"]).to_dict("records"))
    frames = []
    for sid in cabinets:
        s = territory.sensors.to_pandas(sid, tz="Europe/Paris")
        for month, factor in {"cabinet-03": [("2022-05", 1.4)], "cabinet-07": [("2022-11", 0.55)]}.get(sid, []):
            s[s.index.strftime("%Y-%m") == month] *= factor
        frames.append(pd.DataFrame({"sensor_id": sid, "time": s.index.tz_convert("UTC"), "value": s.to_numpy()}))
    store.ingest_frame(pd.concat(frames, ignore_index=True))
    alerts, notes = lighting_alerts(territory, store, cabinets)
    found = {(a.sensor_id, a.start) for a in alerts}
    assert found == {("cabinet-03", "2022-05"), ("cabinet-07", "2022-11")}, "\n".join(a.title for a in alerts)
    assert any("allumées de jour" in a.title for a in alerts) and any("pannes" in a.title for a in alerts)


def test_bins_full_now_or_likely_full_within_a_day(tmp_path):
    """The bins detector on a copy of the Redon store (SYNTHETIC): a bin reading 95 % or more is
    « déjà pleine »; none below half full is said full within 24 h; a second look with no new
    collection takes the saved filter as it is and finds the same."""
    import shutil

    from twin.live.detectors import BINS_STATE, bins_alerts
    from twin.sensors import SensorStore
    from twin.seeds import load_default

    copy = tmp_path / "sensors"
    shutil.copytree(load_default().sensors.path, copy)
    store = SensorStore(copy)
    alerts, looked = bins_alerts(store)
    assert (copy / BINS_STATE).exists() and len(looked) == 27
    level = {sid: float(store.to_pandas(sid).dropna().iloc[-1]) for sid in
             store.sensors.loc[store.sensors["quantity"] == "fill_level", "sensor_id"]}
    said = {a.sensor_id: a.title for a in alerts}
    assert {s for s, v in level.items() if v >= 95} <= {s for s, t in said.items() if "déjà pleine" in t}
    assert not {s for s in said if level[s] < 50}
    again, _ = bins_alerts(store)
    assert [a.key for a in again] == [a.key for a in alerts]
