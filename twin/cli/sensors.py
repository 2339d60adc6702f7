"""``twin sensors register|import|list|summary``: the sensor history store."""

from __future__ import annotations

import json
import sys

from twin.cli import common


def register(sub) -> None:
    p = sub.add_parser("sensors", help="the sensor history store")
    p.add_argument("action", choices=["register", "import", "list", "summary", "export"])
    p.add_argument("file", nargs="?", help="the file to register or import; export: the file to write")
    p.add_argument("--store", help="store directory (default: the Redon seed's)")
    p.add_argument("--sensor", help="import: the id of the file's sensor (a one-sensor CSV `time, value`; a meter's "
                                    "file: its consumption, the meter's other series <ID>-index, <ID>-period); "
                                    "without it a provider's file names its sensors (enedis-<PRM>-load…); "
                                    "summary / export: the sensor")
    p.add_argument("--format", choices=["auto", "csv", *PROVIDERS, "ngsi-ld"], default="auto",
                   help="import: auto (told from the file's content, the default), csv (twin's layouts), or a "
                        "provider's own file: enedis (load curve « Horodate;Valeur », SGE R63, daily index), grdf "
                        "(Gazpar readings JSON: gas days, periods), hubeau (Hub'Eau hydrométrie observations_tr or "
                        "obs_elab, JSON or CSV), vigicrues (observations.json), meteofrance (hourly H_… or daily Q_… "
                        "station file, .csv or .csv.gz), ngsi (FIWARE NGSI-LD / NGSI v2 entities, Smart Data Models), "
                        "sensorthings (OGC SensorThings answers: Things / Datastreams / Observations), traffic-counts "
                        "(permanent counters q / k, count points' TMJA); a provider's "
                        "sensors are registered first. export: ngsi-ld or sensorthings")
    p.add_argument("--start", help="summary: from this time (included; ISO 8601, UTC unless an offset is given)")
    p.add_argument("--end", help="summary: to this time (excluded)")
    p.add_argument("--json", action="store_true", help="list, summary: print JSON")
    p.add_argument("--territory", help="import of traffic counts: the territory whose drivable streets the counters "
                                       "are linked to (for the traffic calibration)")
    p.add_argument("--unit", help="unit of the values when the file has no unit column")
    p.add_argument("--timezone", default="UTC", help="time zone of times without an offset (e.g. Europe/Paris)")
    p.add_argument("--reject-out-of-range", action="store_true", help="reject values outside the physical range "
                   "instead of flagging them")
    p.add_argument("--wait", type=float, metavar="SECONDS", help="how long to wait for another process writing "
                   "the store (default 60, or $TWIN_STORE_LOCK_TIMEOUT)")
    p.set_defaults(func=cmd_sensors)


PROVIDERS = ("enedis", "grdf", "hubeau", "vigicrues", "meteofrance", "ngsi", "sensorthings", "traffic-counts")
EXPORTS = {"ngsi-ld": "ngsi", "ngsi": "ngsi", "sensorthings": "sensorthings"}


def read_provider_file(provider: str, path, *, sensor: str | None = None):
    """The :class:`twin.sources.provider_files.ProviderBatch` of a provider's file (``sensor``: a GRDF
    file's PCE when the file does not name it): :func:`twin.sources.detect.read_provider`."""
    from twin.sources.detect import read_provider  # noqa: PLC0415

    return read_provider(provider, path, sensor=sensor)


def cmd_sensors(args) -> int:
    if args.action in ("register", "import", "export") and not args.file:
        print(f"twin sensors {args.action}: a FILE is required", file=sys.stderr)
        return 2
    if args.action in ("list", "summary", "export") and not (common.store_path(args) / "sensors.parquet").exists():
        print(f"error: {common.store_path(args)}: no sensor store there (no sensors.parquet): check --store",
              file=sys.stderr)
        return 1
    store = common.store(args)
    fmt = args.format
    if args.action == "import" and fmt == "auto":
        from twin.sources.detect import detect_format  # noqa: PLC0415
        from twin.sources.provider_files import ProviderFileError  # noqa: PLC0415

        try:
            fmt = detect_format(args.file)
        except ProviderFileError:
            fmt = "csv"  # unreadable: the CSV reader says why, as it always has
        if fmt != "csv":
            print(f"{args.file}: read as {fmt} (--format to choose another reader)", file=sys.stderr)
    if args.action == "register":
        reg = store.register_csv(args.file)
        print(f"{len(reg)} sensors registered in {store.path}")
    elif args.action == "import" and fmt != "csv":
        if args.unit or args.timezone != "UTC":
            print(f"twin sensors import: --unit and --timezone are for twin's CSV layouts; a {fmt} file says its own "
                  "units and times", file=sys.stderr)
            return 2
        batch = read_provider_file(fmt, args.file, sensor=args.sensor)
        if fmt == "traffic-counts":
            if args.territory:
                from twin.territory.count_points import attach_counts  # noqa: PLC0415

                batch.sensors, linked = attach_counts(batch.sensors, common.load_territory(args.territory))
                batch.notes += linked
            else:
                batch.notes.append("no --territory: the counters are not linked to streets (the traffic "
                                   "calibration needs them linked)")
        print(store.register_and_ingest(batch.sensors, batch.observations, origin=args.file,
                                        out_of_range="reject" if args.reject_out_of_range else "flag"))
        for note in batch.notes:
            print(f"note: {note}")
    elif args.action == "import":
        report = store.ingest_csv(args.file, sensor_id=args.sensor, unit=args.unit, timezone=args.timezone,
                                  out_of_range="reject" if args.reject_out_of_range else "flag")
        print(report)
    elif args.action == "list":
        if args.json:
            print(store.sensors.to_json(orient="records", force_ascii=False))
        else:
            print(store.sensors.drop(columns=["description"]).to_string(index=False))
    elif args.action == "export":
        return _export(store, args)
    elif args.action == "summary":
        if not args.sensor:
            print("twin sensors summary: --sensor ID is required", file=sys.stderr)
            return 2
        info = store.sensor_summary(args.sensor, args.start, args.end)
        print(json.dumps(info) if args.json else "\n".join(f"{k}: {'—' if v is None else v}" for k, v in info.items()))
    for p in store.cleaned:
        print(f"removed {p}, left by an interrupted writer", file=sys.stderr)
    return 0


def _export(store, args) -> int:
    """``twin sensors export FILE --format ngsi-ld|sensorthings [--sensor ID]``: the store (or one sensor)
    as NGSI-LD entities or a SensorThings answer, a JSON file that ``twin sensors import`` reads back."""
    from pathlib import Path  # noqa: PLC0415

    from twin.sources import ngsi, sensorthings  # noqa: PLC0415
    from twin.storage import atomic_file  # noqa: PLC0415

    kind = EXPORTS.get(args.format)
    if kind is None:
        print("twin sensors export: --format ngsi-ld or --format sensorthings", file=sys.stderr)
        return 2
    ids = [args.sensor] if args.sensor else None
    if args.sensor and args.sensor not in set(store.sensors["sensor_id"]):
        from twin.sensors import SensorDataError  # noqa: PLC0415

        raise SensorDataError(f"{store.path}: unknown sensor {args.sensor!r} (twin sensors list shows them)")
    document = ngsi.store_to_ngsi_ld(store, ids) if kind == "ngsi" else sensorthings.store_to_sensorthings(store, ids)
    with atomic_file(Path(args.file)) as tmp:
        Path(tmp).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    count = len(document) if kind == "ngsi" else len(document["value"])
    print(f"{count} sensor(s) written to {args.file} ({args.format})")
    return 0
