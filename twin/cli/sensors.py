"""``twin sensors register|import|list``: the sensor history store."""

from __future__ import annotations

import sys

from twin.cli import common


def register(sub) -> None:
    p = sub.add_parser("sensors", help="the sensor history store")
    p.add_argument("action", choices=["register", "import", "list"])
    p.add_argument("file", nargs="?")
    p.add_argument("--store", help="store directory (default: the Redon seed's)")
    p.add_argument("--sensor", help="sensor id of a one-sensor file (time, value)")
    p.add_argument("--format", choices=["csv", *PROVIDERS], default="csv",
                   help="import: csv (twin's layouts), or a provider's own file: hubeau (Hub'Eau hydrométrie "
                        "observations_tr or obs_elab, JSON or CSV), vigicrues (observations.json), meteofrance "
                        "(hourly H_… or daily Q_… station file, .csv or .csv.gz); its sensors are registered first")
    p.add_argument("--unit", help="unit of the values when the file has no unit column")
    p.add_argument("--timezone", default="UTC", help="time zone of times without an offset (e.g. Europe/Paris)")
    p.add_argument("--reject-out-of-range", action="store_true", help="reject values outside the physical range "
                   "instead of flagging them")
    p.add_argument("--wait", type=float, metavar="SECONDS", help="how long to wait for another process writing "
                   "the store (default 60, or $TWIN_STORE_LOCK_TIMEOUT)")
    p.set_defaults(func=cmd_sensors)


PROVIDERS = ("hubeau", "vigicrues", "meteofrance")


def read_provider_file(provider: str, path):
    """The :class:`twin.sources.provider_files.ProviderBatch` of a provider's file."""
    from twin.sources.hubeau import read_hubeau  # noqa: PLC0415
    from twin.sources.meteofrance import read_meteofrance  # noqa: PLC0415
    from twin.sources.vigicrues import read_vigicrues  # noqa: PLC0415

    return {"hubeau": read_hubeau, "vigicrues": read_vigicrues, "meteofrance": read_meteofrance}[provider](path)


def cmd_sensors(args) -> int:
    if args.action in ("register", "import") and not args.file:
        print(f"twin sensors {args.action}: a FILE is required", file=sys.stderr)
        return 2
    store = common.store(args)
    if args.action == "register":
        reg = store.register_csv(args.file)
        print(f"{len(reg)} sensors registered in {store.path}")
    elif args.action == "import" and args.format != "csv":
        batch = read_provider_file(args.format, args.file)
        store.register(batch.sensors, origin=args.file)
        print(store.ingest_frame(batch.observations, origin=args.file,
                                 out_of_range="reject" if args.reject_out_of_range else "flag"))
    elif args.action == "import":
        report = store.ingest_csv(args.file, sensor_id=args.sensor, unit=args.unit, timezone=args.timezone,
                                  out_of_range="reject" if args.reject_out_of_range else "flag")
        print(report)
    elif args.action == "list":
        print(store.sensors.to_string(index=False))
    for p in store.cleaned:
        print(f"removed {p}, left by an interrupted writer", file=sys.stderr)
    return 0
