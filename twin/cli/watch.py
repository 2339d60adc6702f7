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
    p.add_argument("--json", action="store_true", help="print each pass as JSON")
    p.add_argument("--wait", type=float, metavar="SECONDS", help="how long to wait for another process writing "
                   "the store")
    p.set_defaults(func=cmd_watch)


def cmd_watch(args) -> int:
    from twin.live.inbox import watch_once  # noqa: PLC0415

    if args.every <= 0:
        print("twin watch: --every must be a positive number of minutes")
        return 2
    store = common.store(args)
    while True:
        report = watch_once(store, args.inbox, settle_s=args.settle, throttle_s=args.throttle)
        if args.json:
            print(json.dumps({"ingested": report.ingested, "repeated": report.repeated, "rejected": report.rejected,
                              "waiting": report.waiting}, ensure_ascii=False), flush=True)
        else:
            print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} " + "\n  ".join(report.lines()), flush=True)
        if args.once:
            return 1 if report.rejected else 0
        time.sleep(args.every * 60)
