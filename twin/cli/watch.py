"""``twin watch --store DIR --inbox FOLDER [--once] [--every MIN]``: take new sensor files from a folder
into the store as they arrive (:mod:`twin.live.inbox`)."""

from __future__ import annotations

import json
import time

from twin.cli import common


def register(sub) -> None:
    p = sub.add_parser("watch", help="ingest new sensor files from an inbox folder as they arrive")
    p.add_argument("--store", help="store directory (default: the Redon seed's)")
    p.add_argument("--inbox", required=True, help="the folder new files arrive in (done/ and rejected/ are made in it)")
    p.add_argument("--once", action="store_true", help="one pass, then exit (status 1 when a file was rejected)")
    p.add_argument("--every", type=float, default=5.0, metavar="MIN", help="minutes between passes (default 5)")
    p.add_argument("--settle", type=float, default=2.0, metavar="SECONDS",
                   help="a file changed more recently than this is still being written: left for the next pass")
    p.add_argument("--throttle", type=float, default=0.0, metavar="SECONDS", help="pause between two files")
    p.add_argument("--rules", help="alert rules (JSON): who receives which alerts, by e-mail, webhook or push topic")
    p.add_argument("--no-detect", action="store_true", help="ingest only: run no detector")
    p.add_argument("--territory", help="the territory (its catchment and alert levels): the flood forecast is "
                   "re-issued at each new discharge reading")
    p.add_argument("--json", action="store_true", help="print each pass as JSON")
    p.add_argument("--wait", type=float, metavar="SECONDS", help="how long to wait for another process writing "
                   "the store")
    p.set_defaults(func=cmd_watch)


def cmd_watch(args) -> int:
    from twin.live.alerts import read_rules  # noqa: PLC0415
    from twin.live.inbox import watch_once  # noqa: PLC0415

    if args.every <= 0:
        print("twin watch: --every must be a positive number of minutes")
        return 2
    rules = read_rules(args.rules) if args.rules else []  # a bad rules file stops before anything is read
    store = common.store(args)
    territory = common.load_territory(args.territory) if args.territory else None
    while True:
        report = watch_once(store, args.inbox, settle_s=args.settle, throttle_s=args.throttle)
        found = {} if args.no_detect else alert_pass(store, report.sensors, rules, territory)
        if args.json:
            print(json.dumps({"ingested": report.ingested, "repeated": report.repeated, "rejected": report.rejected,
                              "waiting": report.waiting, "alerts": found}, ensure_ascii=False), flush=True)
        else:
            print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} " + "\n  ".join(report.lines() + alert_lines(found)),
                  flush=True)
        if args.once:
            return 1 if report.rejected else 0
        time.sleep(args.every * 60)


def alert_pass(store, sensors: list[str], rules, territory=None) -> dict:
    """Detectors on the sensors that received readings, the alert book updated, the rules' messages sent.

    Saved at each step, so a pass that stops anywhere loses and repeats nothing but, at worst, the
    one message being sent: the sensors to look at are written first (and looked at again by the
    next pass until their alerts are saved), the alerts found are saved before any message goes,
    and each message's mark right after it went."""
    import datetime as dt  # noqa: PLC0415

    from twin.live.alerts import AlertBook, dispatch  # noqa: PLC0415
    from twin.live.detectors import detect  # noqa: PLC0415

    now = dt.datetime.now(dt.timezone.utc)
    stamp = now.isoformat(timespec="seconds")
    with store.writing():
        book = AlertBook(store.path)
        todo = sorted(set(book.pending_sensors) | set(sensors))
        new, closed, notes = [], [], []
        if todo:
            book.pending_sensors = todo
            book.save()
            alerts, looked, notes = detect(store, todo, territory=territory)
            new = book.raise_alerts(alerts, stamp)
            for detector, keys in looked.items():
                closed += book.close_others(detector, {a.key for a in alerts if a.detector == detector}, stamp,
                                            within=keys)
            book.pending_sensors = []
            book.save()
        sent = dispatch(book, rules, now, on_sent=book.save) if rules else None
    return {"new": [{k: e[k] for k in ("id", "severity", "detector", "title", "historical")} for e in new],
            "closed": [e["id"] for e in closed], "notes": notes,
            "sent": sent.sent if sent else [], "failed": sent.failed if sent else [], "held": sent.held if sent else []}


def alert_lines(found: dict) -> list[str]:
    out = [f"alert {e['id']} ({e['severity']}, {e['detector']}{', old readings: listed, not sent' if e.get('historical') else ''}): "
           f"{e['title']}" for e in found.get("new", [])]
    out += [f"alert {i} closed" for i in found.get("closed", [])]
    out += [f"sent to {s['rule']} by {s['channel']}: {s['title']}" for s in found.get("sent", [])]
    out += [f"NOT SENT to {f['rule']} by {f['channel']}: {f['error']} (retried next pass)" for f in found.get("failed", [])]
    out += [f"note: {n}" for n in found.get("notes", [])]
    return out
