"""``twin hydro run|calibrate|forecast|replay``: rainfall–runoff with GR4J / GR4H on a CSV, a sensor store or
the seed's; forecasts issued with what is known at their time, updated on the gauge, replayed and scored."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from twin.cli import common
from twin.cli.printing import key_values
from twin.models.hydro_update import UPDATES

SEED_DATA = ("redon", "default")  # --data naming the seed's own sensor store


def register(sub) -> None:
    p = sub.add_parser("hydro", help="rainfall–runoff: run, calibrate, forecast or replay forecasts with GR4J / GR4H")
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("--data", required=True, help="airGR-style CSV (DatesR, P, E, Qmm), a sensor store, or 'redon'")
    data.add_argument("--model", choices=["gr4j", "gr4h"], default="gr4j")
    data.add_argument("--area-km2", type=float, help="catchment area: converts l/s or m³/s to mm, and gives "
                                                     "forecasts in m³/s (--data redon: defaults.flood.area_km2)")
    data.add_argument("--lat", type=common.degrees_within(90), help="catchment latitude (°), for Oudin PET from a store "
                                                "(--data redon: the seed's defaults.flood.latitude_deg)")
    # default sensor ids on the seed's store: its flood gauges (seeds/redon/seed.json defaults.flood), read
    # when the command runs
    data.add_argument("--rain-gauge", dest="rain_sensor", help="rain sensor of a store")
    data.add_argument("--flow", help="discharge sensor of a store")
    data.add_argument("--temperature", help="air temperature sensor of a store")
    data.add_argument("--fill-gaps", action="store_true", help="fill gaps in rain / PET with zeros (said, not silent)")
    data.add_argument("--seed", type=int, default=0)
    data.add_argument("--json", action="store_true")
    actions = p.add_subparsers(dest="action", required=True, metavar="run|calibrate|forecast|replay")
    for name, what in (("run", "run with given parameters and score"), ("calibrate", "fit the parameters")):
        a = actions.add_parser(name, parents=[data], help=what)
        a.add_argument("--params", help="X1,X2,X3,X4 (run)")
        a.add_argument("--rain", dest="rain_sensor", help="rain sensor of a store (as --rain-gauge)")
        a.add_argument("--warmup", help="start of the warm-up (default: no warm-up)")
        a.add_argument("--start", required=True)
        a.add_argument("--end", required=True)
        a.add_argument("--criterion", choices=["nse", "kge"], default="nse")
    for name, what in (("forecast", "a forecast issued at --at with what is known then"),
                       ("replay", "forecasts issued every --every hours over a past period, scored by lead time")):
        a = actions.add_parser(name, parents=[data], help=what)
        given = a.add_mutually_exclusive_group(required=True)
        given.add_argument("--params", help="X1,X2,X3,X4")
        given.add_argument("--calibrate", metavar="WARMUP:START:END",
                           help="calibrate on START…END after a warm-up from WARMUP, all before the first issue time")
        a.add_argument("--rain", default="none", help="rain over the horizon: none, analog (ensemble from the gauge's "
                                                      "history), a CSV member,time,mm[,issued], or observed "
                                                      "(a hindcast: perfect rain)")
        a.add_argument("--update", choices=list(UPDATES), default="output",
                       help="update on the discharge observed at the issue time (default: output)")
        a.add_argument("--members", type=int, default=50, help="analog ensemble: members (default 50)")
        a.add_argument("--window-days", type=int, default=30,
                       help="analog ensemble: analogs start within ± this many days of the date (default 30)")
        if name == "forecast":
            a.add_argument("--at", required=True, help="issue time: the forecast knows the steps before it")
            a.add_argument("--horizon", type=float, help="hours ahead (default 24 steps: a day of hourly data)")
        else:
            # --start/--end as in `hydro run` and `flood --replay`: one spelling that works everywhere
            a.add_argument("--from", "--start", dest="start", required=True, help="first issue time (or --start)")
            a.add_argument("--to", "--end", dest="end", required=True, help="last issue time (or --end)")
            a.add_argument("--every", type=float, help="hours between issue times (default: every step)")
            a.add_argument("--leads", help="lead times scored, hours (default: 1, 3, 6 and 12 steps)")
            a.add_argument("--alert-levels", help="discharges of the alert levels, m³/s (with --area-km2) or mm "
                                                  "per step; default: the 99th and 99.9th percentiles before --from")
            a.add_argument("--plot", help="write the skill against lead time to this PNG")
    p.set_defaults(func=cmd_hydro)


def _option(args, sensor: str) -> str:
    """The option naming a store's sensor: run and calibrate take the rain sensor as --rain (forecast and
    replay keep --rain for the rain over the horizon)."""
    if sensor == "rain":
        return "--rain" if args.action in ("run", "calibrate") else "--rain-gauge"
    return "--" + sensor


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
    given = {"rain": args.rain_sensor, "flow": args.flow, "temperature": args.temperature}
    names = {k: given[k] for k in seeds.HYDRO_SENSORS}
    if source.is_dir() and None in names.values():
        own = seeds.seed_defaults().get("flood", {})
        names = {k: v or own.get(flood) for (k, v), flood in zip(names.items(), seeds.HYDRO_SENSORS.values())}
        missing = [k for k, v in names.items() if not v]
        if missing:
            raise seeds.SeedConfigError(
                f"twin hydro: give {', '.join(_option(args, k) for k in missing)}: {seeds.seed_dir() / seeds.CONFIG_FILE} "
                f"has no {', '.join('defaults.flood.' + seeds.HYDRO_SENSORS[k] for k in missing)}")
    # forecasts issued inside the series: a store's PET from the day before's temperature (a CSV brings its own)
    causal = args.action in ("forecast", "replay")
    return read_hydro_series(source, area_km2=area_km2, latitude_deg=lat, fill_gaps=args.fill_gaps,
                             causal_pet=causal, **names)


def cmd_hydro(args) -> int:
    from dataclasses import asdict  # noqa: PLC0415

    from twin.calibration.hydrology import calibrate, scores, simulate  # noqa: PLC0415
    from twin.models.hydrology import GR4Params  # noqa: PLC0415

    if args.action in ("forecast", "replay"):
        return _forecast_or_replay(args)
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


def _params(text: str):
    from twin.models.hydrology import GR4Params  # noqa: PLC0415
    from twin.sources.hydro_csv import HydroDataError  # noqa: PLC0415

    try:
        return GR4Params(*[float(x) for x in text.split(",")])
    except (TypeError, ValueError):
        raise HydroDataError(f"--params must be four numbers X1,X2,X3,X4 (got {text!r})") from None


def _steps(hours: float, step_hours: float, option: str) -> int:
    from twin.sources.hydro_csv import HydroDataError  # noqa: PLC0415

    steps = hours / step_hours
    if steps < 1 or abs(steps - round(steps)) > 1e-9:
        raise HydroDataError(f"{option} {hours:g} h: expected a positive multiple of the data's step ({step_hours:g} h)")
    return int(round(steps))


def _forecast_or_replay(args) -> int:
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    from twin.forecast.issue import issue_forecasts, issue_time, parse_period, prepare  # noqa: PLC0415
    from twin.forecast.rain import rain_source  # noqa: PLC0415

    series = _series(args)
    first = issue_time(args.at, "--at") if args.action == "forecast" else issue_time(args.start, "--from")
    setup = prepare(series, args.model, first_issue=first, params=_params(args.params) if args.params else None,
                    calibration=parse_period(args.calibrate) if args.calibrate else None, seed=args.seed)
    rain = rain_source(args.rain, members=args.members, window_days=args.window_days, seed=args.seed)
    area = series.area_km2
    if args.action == "replay":
        return _replay(args, series, setup, rain)
    horizon = 24 if args.horizon is None else _steps(args.horizon, series.step_hours, "--horizon")
    t0 = time.perf_counter()
    fc = issue_forecasts(setup, [first], horizon, rain, args.update)
    step = pd.Timedelta(hours=series.step_hours)
    last = series.time[fc.last_known[0]]
    unit, to_unit = ("m3/s", lambda q: q * area * 1000.0 / (series.step_hours * 3600.0)) if area else \
        ("mm per step", lambda q: q)
    members = to_unit(fc.updated[0])
    dressed = to_unit(fc.dressed[0])  # with the errors of the calibration period: the band shown
    rows = []
    for k in range(horizon):
        low, high = np.quantile(dressed[:, k], [0.05, 0.95])
        rows.append({"lead_h": (k + 1) * series.step_hours, "time": str(last + (k + 1) * step),
                     "median": float(np.median(members[:, k])), "p5": float(low), "p95": float(high),
                     "no_update": float(np.median(to_unit(fc.no_update[0, :, k]))),
                     "persistence": float(to_unit(fc.persistence[0])),
                     "observed": None if np.isnan(fc.observed[0, k]) else float(to_unit(fc.observed[0, k]))})
    result = {**setup.describe(), "issued_at": str(first), "last_known_step": str(last), "update": args.update,
              "rain": {"source": args.rain, "label": fc.rain.label, "kind": fc.rain.kind, "members": fc.rain.members},
              "discharge_unit": unit, "observed_at_issue": float(to_unit(fc.persistence[0])), "forecast": rows,
              "seconds": time.perf_counter() - t0}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.model} forecast issued at {first} ({fc.rain.kind}: {fc.rain.label}; update {args.update})")
    print(f"observed at the last known step {last}: {result['observed_at_issue']:.3f} {unit}")
    print(f"{'lead h':>7} {'time':<20} {'forecast':>10} {'p5':>9} {'p95':>9} {'no update':>10} {'observed':>10}")
    for r in rows:
        obs = "" if r["observed"] is None else f"{r['observed']:.3f}"
        print(f"{r['lead_h']:>7g} {r['time']:<20} {r['median']:>10.3f} {r['p5']:>9.3f} {r['p95']:>9.3f} "
              f"{r['no_update']:>10.3f} {obs:>10}")
    print("p5–p95: the members dressed with the errors such forecasts made over "
          f"{setup.error_period[0]:%Y-%m-%d} … {setup.error_period[1]:%Y-%m-%d}")
    return 0


def _replay(args, series, setup, rain) -> int:
    from twin.forecast.replay import replay  # noqa: PLC0415
    from twin.sources.hydro_csv import HydroDataError  # noqa: PLC0415

    from twin.forecast.issue import issue_time  # noqa: PLC0415

    every = 1 if args.every is None else _steps(args.every, series.step_hours, "--every")
    if args.leads is None:
        leads = [1, 3, 6, 12]
    else:
        try:
            leads_h = [float(x) for x in args.leads.split(",")]
        except ValueError:
            raise HydroDataError(f"--leads {args.leads!r}: expected hours separated by commas, e.g. 1,3,6,12") from None
        leads = [_steps(h, series.step_hours, "--leads") for h in leads_h]
    area = series.area_km2
    levels = None
    if args.alert_levels:
        try:
            values = [float(x) for x in args.alert_levels.split(",")]
        except ValueError:
            raise HydroDataError(f"--alert-levels {args.alert_levels!r}: expected discharges separated by commas") from None
        per_mm = area * 1000.0 / (series.step_hours * 3600.0) if area else 1.0  # m³/s per mm/step
        levels = {f"{v:g}": v / per_mm for v in values}
    report, _ = replay(setup, issue_time(args.start, "--from"), issue_time(args.end, "--to"), every=every,
                       leads=leads, rain=rain, update=args.update,
                       alert_levels_mm=levels, area_km2=area, seed=args.seed)
    result = report.as_dict()
    if args.plot:
        from twin.forecast.plots import skill_by_lead  # noqa: PLC0415

        skill_by_lead(result, args.plot)
        result["plot"] = args.plot
    if args.json:
        print(json.dumps(result, indent=2, default=float))
        return 0
    print(f"{report.issues} {args.model} forecasts issued every {every * series.step_hours:g} h, {report.period[0]} … "
          f"{report.period[1]} ({report.rain['kind']}: {report.rain['label']}; update {args.update}), "
          f"{report.seconds:.2f} s")
    print(f"{'lead h':>7} {'NSE':>7} {'no update':>10} {'persistence':>12} {'KGE':>7} {'bias %':>7} "
          f"{'peak err %':>10} {'CRPS':>8}")
    for lead, row in result["leads"].items():
        print(f"{float(lead):>7g} {row['nse']:>7.3f} {row['nse_no_update']:>10.3f} "
              f"{row['nse_persistence']:>12.3f} {row['kge']:>7.3f} {row['bias_pct']:>7.1f} "
              f"{100 * row['peak_error']:>10.1f} {row['crps']:>8.3f}")
    return 0
