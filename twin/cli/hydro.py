"""``twin hydro run|calibrate``: rainfall–runoff with GR4J / GR4H on a CSV, a sensor store or the seed's."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from twin.cli.printing import key_values

SEED_DATA = ("redon", "default")  # --data naming the seed's own sensor store


def register(sub) -> None:
    p = sub.add_parser("hydro", help="rainfall–runoff: run or calibrate GR4J / GR4H")
    p.add_argument("action", choices=["run", "calibrate"])
    p.add_argument("--data", required=True, help="airGR-style CSV (DatesR, P, E, Qmm), a sensor store, or 'redon'")
    p.add_argument("--model", choices=["gr4j", "gr4h"], default="gr4j")
    p.add_argument("--params", help="X1,X2,X3,X4 (run)")
    p.add_argument("--warmup", help="start of the warm-up (default: no warm-up)")
    p.add_argument("--start", required=True)
    p.add_argument("--end", required=True)
    p.add_argument("--criterion", choices=["nse", "kge"], default="nse")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--area-km2", type=float, help="catchment area, to convert l/s or m³/s to mm "
                                                  "(--data redon: the seed's defaults.flood.area_km2)")
    p.add_argument("--lat", type=float, help="catchment latitude (°), for Oudin PET from a store "
                                             "(--data redon: the seed's defaults.flood.latitude_deg)")
    # default sensor ids on the seed's store: its flood gauges (seeds/redon/seed.json defaults.flood), read
    # when the command runs
    p.add_argument("--rain")
    p.add_argument("--flow")
    p.add_argument("--temperature")
    p.add_argument("--fill-gaps", action="store_true", help="fill gaps in rain / PET with zeros (said, not silent)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_hydro)


def _series(args):
    from twin import seeds  # noqa: PLC0415
    from twin.calibration.hydro_inputs import read_hydro_series  # noqa: PLC0415

    source = Path(args.data)
    area_km2, lat = args.area_km2, args.lat
    if not source.is_dir() and args.data in SEED_DATA:
        source = seeds.history_dir() / "sensors"
        own = seeds.seed_defaults().get("flood", {})  # the seed's catchment, as its flood forecasts use it
        area_km2 = own.get("area_km2") if area_km2 is None else area_km2
        lat = own.get("latitude_deg") if lat is None else lat
    names = {k: getattr(args, k) for k in seeds.HYDRO_SENSORS}
    if source.is_dir() and None in names.values():
        own = seeds.seed_defaults().get("flood", {})
        names = {k: v or own.get(flood) for (k, v), flood in zip(names.items(), seeds.HYDRO_SENSORS.values())}
        missing = [k for k, v in names.items() if not v]
        if missing:
            raise seeds.SeedConfigError(
                f"twin hydro: give {', '.join('--' + k for k in missing)}: {seeds.seed_dir() / seeds.CONFIG_FILE} "
                f"has no {', '.join('defaults.flood.' + seeds.HYDRO_SENSORS[k] for k in missing)}")
    return read_hydro_series(source, area_km2=area_km2, latitude_deg=lat, fill_gaps=args.fill_gaps, **names)


def cmd_hydro(args) -> int:
    from dataclasses import asdict  # noqa: PLC0415

    from twin.calibration.hydrology import calibrate, scores, simulate  # noqa: PLC0415
    from twin.models.hydrology import GR4Params  # noqa: PLC0415

    series = _series(args)
    warmup = args.warmup or args.start
    if args.action == "run":
        if not args.params:
            print("twin hydro run: --params X1,X2,X3,X4 is required", file=sys.stderr)
            return 2
        try:
            params = GR4Params(*[float(x) for x in args.params.split(",")])
        except (TypeError, ValueError):
            print(f"twin hydro run: --params must be four numbers X1,X2,X3,X4 (got {args.params!r})", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        q, mask, run = simulate(series, params, args.model, warmup, args.start, args.end)
        seconds = time.perf_counter() - t0
        result = {"model": args.model, "params": asdict(params), "period": [args.start, args.end],
                  **scores(run.Q[mask], q[mask]), "seconds": seconds}
    else:
        report = calibrate(series, args.model, warmup, args.start, args.end, criterion=args.criterion, seed=args.seed)
        result = {"model": report.model, "params": report.params, "period": report.period,
                  **report.calibration, "seconds": report.seconds, "evaluations": report.evaluations}
    print(json.dumps(result, indent=2) if args.json else key_values(result, 12))
    return 0
