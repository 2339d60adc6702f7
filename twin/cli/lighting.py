"""``twin lighting run|night-hours|calibrate|diagnosis``: street-lighting schedules, night hours,
cabinet calibration, diagnosis."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from twin.cli import common
from twin.cli.printing import key_values, outcome_text


def register(sub) -> None:
    p = sub.add_parser("lighting", help="street-lighting schedules, night hours, cabinet calibration, diagnosis")
    p.add_argument("action", choices=["run", "night-hours", "calibrate", "diagnosis"])
    p.add_argument("scenario", nargs="?", help="scenario JSON file or preset name (run)")
    p.add_argument("--territory", default="redon")
    p.add_argument("--inventory", help="lamp inventory (CSV or GeoJSON) replacing the territory's lamps")
    p.add_argument("--lat", type=common.degrees_within(90))
    p.add_argument("--lon", type=common.degrees_within(180))
    p.add_argument("--year", type=int, default=2024)
    p.add_argument("--off", help="night-hours, run: off window, local time, e.g. 23:00-05:00 (run: every lamp)")
    p.add_argument("--offset-min", type=float, default=15.0, help="switch-on after sunset / off before sunrise")
    p.add_argument("--elevation", type=float, help="switch when the sun crosses this elevation (°), instead")
    p.add_argument("--out", help="diagnosis output (.geojson or .csv)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lighting)


def _territory(args):
    """The territory, its lamps replaced by ``--inventory`` when one is given."""
    territory = common.load_territory(args.territory)
    if getattr(args, "inventory", None):
        from twin.sources.lamp_inventory import read_lamp_inventory  # noqa: PLC0415

        lamps = read_lamp_inventory(args.inventory, territory)
        for note in lamps.attrs.get("notes", []):
            print(f"note: {args.inventory}: {note}")
        territory = territory.with_lamps(lamps)
    return territory


def cmd_lighting(args) -> int:
    if args.action == "night-hours":
        return _night_hours(args)
    territory = _territory(args)
    if args.action == "run":
        return _run(args, territory)
    if args.action == "calibrate":
        return _calibrate(args, territory)
    return _diagnosis(args, territory)


def _night_hours(args) -> int:
    from twin.models.lighting import Schedule, night_hours_summary  # noqa: PLC0415

    if args.lat is None or args.lon is None:
        print("twin lighting night-hours: --lat and --lon are required", file=sys.stderr)
        return 2
    schedule = Schedule()
    if args.off:
        a, _, b = args.off.partition("-")
        schedule = Schedule.from_dict({"name": f"off {args.off}", "off_windows": [[a, b]]})
    result = night_hours_summary(args.lat, args.lon, args.year, schedule, offset_min=args.offset_min,
                                 elevation_deg=args.elevation)
    print(json.dumps(result, indent=2) if args.json else key_values(result, 28))
    return 0


def _run(args, territory) -> int:
    from twin.scenarios.lighting import PRESETS, LightingSchedules  # noqa: PLC0415

    if args.scenario and args.off:  # the file's or the preset's rules would be replaced in silence
        print("twin lighting run: --off: give either a scenario file or preset, or --off (every lamp off in that "
              "window)", file=sys.stderr)
        return 2
    if args.off:  # every lamp off in that local window, the rest of the night lit
        a, _, b = args.off.partition("-")
        scenario = LightingSchedules.from_dict(
            {"rules": [{"zone": {"all": True}, "schedule": {"name": f"off {args.off}", "off_windows": [[a, b]]}}],
             "variant_name": f"off {args.off}"}, origin="--off")
    elif not args.scenario:
        print(f"twin lighting run: give a scenario file, a preset ({', '.join(PRESETS)}) or --off HH:MM-HH:MM",
              file=sys.stderr)
        return 2
    elif args.scenario in PRESETS:
        scenario = LightingSchedules.from_dict(PRESETS[args.scenario], origin=f"preset {args.scenario}")
    else:
        scenario = common.scenario_or(args.scenario, None, LightingSchedules.family)
    print(outcome_text(scenario.run(territory), args.json))
    return 0


def _calibrate(args, territory) -> int:
    from twin.calibration.lighting import fit_cabinets  # noqa: PLC0415

    if territory.sensors is None:
        print(f"territory {territory.name!r} has no sensor store", file=sys.stderr)
        return 1
    fits = fit_cabinets(territory.sensors, territory)
    if args.json:
        print(fits.to_json(orient="records", indent=1))
        return 0
    print(fits[["cabinet_id", "verdict", "residual_rms_pct", "power_kw", "power_kw_stderr", "schedule_change",
                "power_change", "burning_fraction_after", "months"]].to_string(index=False))
    for _, f in fits.iterrows():
        for d in f["detected"]:
            print(f"  {f['cabinet_id']}: {d}")
        for a in f["anomalies"]:
            print(f"  {f['cabinet_id']} {a['month']}: {a['kind']}" + (f" (×{a['ratio']})" if a["ratio"] else ""))
        for d in f["dropped"]:
            print(f"  {f['cabinet_id']} {d['month']}: not used — {d['why']}")
    return 0


def _diagnosis(args, territory) -> int:
    from twin.scenarios.lighting import diagnosis  # noqa: PLC0415

    lamps, table = diagnosis(territory)
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() == ".csv":
            lamps.assign(lon=lamps.geometry.x, lat=lamps.geometry.y).drop(columns="geometry").to_csv(out, index=False)
        else:
            lamps.to_file(out, driver="GeoJSON")
        print(f"{len(lamps)} lamps written to {out}")
    print(table.to_string(index=False))
    return 0
