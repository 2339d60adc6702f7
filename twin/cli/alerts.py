"""``twin alerts list|ack|test``: the alerts a watching twin found (:mod:`twin.live.alerts`), their
acknowledgement, and a test message through each channel of a rules file."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys

from twin.cli import common


def register(sub) -> None:
    p = sub.add_parser("alerts", help="alerts found by twin watch: list, acknowledge, test the channels")
    p.add_argument("action", choices=["list", "ack", "test"])
    p.add_argument("id", nargs="?", help="the alert to acknowledge (its id, from twin alerts list)")
    p.add_argument("--store", help="store directory (default: the Redon seed's)")
    p.add_argument("--rules", help="rules file (test)")
    p.add_argument("--by", help="who acknowledges (default: the user's login)")
    p.add_argument("--all", action="store_true", help="list closed alerts too")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_alerts)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def cmd_alerts(args) -> int:
    from twin.live.alerts import AlertBook, read_rules  # noqa: PLC0415

    path = common.store_path(args)
    if args.action == "test":
        if not args.rules:
            print("twin alerts test: --rules RULES.json is required", file=sys.stderr)
            return 2
        from twin.live.alerts import Alert  # noqa: PLC0415

        from twin.live.alerts import compose  # noqa: PLC0415

        rules = read_rules(args.rules)
        book = AlertBook.__new__(AlertBook)  # a book of one test alert, never saved
        book.dir, book.entries, book.pending_sensors = path / "alerts-test-unsaved", [], []
        (entry,) = book.raise_alerts([Alert("test", "fault", "critical", "Message d'essai de twin",
                                            "Si vous lisez ceci, ce canal fonctionne.", group="essai")],
                                     now_utc().isoformat())
        title, body, severity, payload = compose([entry])
        failed = 0
        for rule in rules:  # every channel, whatever the rule's filters and quiet hours
            for channel in rule.channels:
                try:
                    channel.send(title, body, severity, payload)
                    print(f"sent: {rule.name} → {channel.key}")
                except Exception as exc:  # noqa: BLE001 - the test says what any failure was
                    failed += 1
                    print(f"FAILED: {rule.name} → {channel.key}: {exc}", file=sys.stderr)
        return 1 if failed else 0
    if not path.exists():
        print(f"twin alerts: store {path} does not exist", file=sys.stderr)
        return 2
    book = AlertBook(path)
    if args.action == "ack":
        if not args.id:
            print("twin alerts ack: give the alert's id (twin alerts list shows them)", file=sys.stderr)
            return 2
        ack = book.acknowledge(args.id, args.by or getpass.getuser(), now_utc().isoformat(timespec="seconds"))
        print(json.dumps(ack) if args.json else f"alert {ack['id']} acknowledged by {ack['by']}")
        return 0
    rows = [e for e in book.listing() if args.all or e["status"] == "open"]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("no open alert" if not args.all else "no alert")
    for e in rows:
        state = "acquittée" if e["ack"] else {"open": "ouverte", "closed": "terminée"}.get(e["status"], e["status"])
        if e.get("historical"):
            state += " (ancienne)"
        print(f"{e['id']}  {e['severity']:<8} {e['detector']:<14} {state:<9} {e['title']}")
    return 0
