"""``twin buildings fit|savings|run|rank|anomalies|prior|value``: building energy baselines, savings, heating
schedules, ranking, a meter followed day by day for changes of behaviour and faults, the heating prior against a
territory's meters, and what meters would be worth to a territory without any."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from twin.cli import common
from twin.cli.printing import outcome_text, result_text, value_printed


def register(sub) -> None:
    p = sub.add_parser("buildings", help="building energy: baselines, savings, heating schedules, ranking")
    p.add_argument("action", choices=["fit", "savings", "run", "rank", "anomalies", "prior", "value"],
                   help="prior: the heating prior against the territory's gas meters; value: what gas meters would "
                        "be worth to a territory without any (which building to retrofit first)")
    p.add_argument("scenario", nargs="?", help="heating scenario JSON file (run)")
    p.add_argument("--meter", help="meter CSV (start,value[,unit])")
    p.add_argument("--temperature", help="temperature CSV (dt,tempF, dt,tempC, or time,value with --temperature-unit)")
    p.add_argument("--temperature-unit", choices=["C", "F"], help="unit of a time,value temperature CSV")
    p.add_argument("--unit", help="unit of the meter readings when the file has no unit column (kWh, Wh, therm…)")
    p.add_argument("--tz", default=None, type=common.time_zone, help="local time zone of the building (days are local days)")
    p.add_argument("--freq", choices=["daily", "hourly", "monthly"], default="daily",
                   help="model resolution; finer readings are summed into its periods (incomplete ones dropped, said)")
    p.add_argument("--baseline", help="START:END of the baseline period")
    p.add_argument("--reporting", help="START:END of the reporting period")
    p.add_argument("--territory", default="redon")
    p.add_argument("--out", help="ranking output (.csv or .geojson)")
    p.add_argument("--top", type=common.positive_int, default=20)
    p.add_argument("--members", type=int, default=None, help="prior, value: members of the prior's ensemble "
                   "(default 400 for prior, 100 for value)")
    p.add_argument("--budget", type=float, default=100_000.0, help="value: the retrofit budget, € (default 100,000)")
    p.add_argument("--seed", type=int, default=0, help="prior, value: seed of the prior's draws")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_buildings)


def cmd_buildings(args) -> int:
    if args.action in ("fit", "savings"):
        return _meter(args)
    if args.action == "anomalies":
        return _anomalies(args)
    territory = common.load_territory(args.territory)
    if args.action == "rank":
        return _rank(args, territory)
    if args.action == "prior":
        return _prior(args, territory)
    if args.action == "value":
        return _value(args, territory)
    from twin.scenarios.heating import HeatingSchedules  # noqa: PLC0415

    scenario = common.scenario_or(args.scenario, HeatingSchedules, HeatingSchedules.family)
    print(outcome_text(scenario.run(territory), args.json))
    return 0


def _prior(args, territory) -> int:
    """prior: what the heating prior would have said of each metered building, next to its meter."""
    from twin.scenarios.heating_prior_check import prior_against_meters  # noqa: PLC0415

    check = prior_against_meters(territory, members=args.members or 400, seed=args.seed)
    if args.json:
        rows = check.astype(object).where(check.notna(), None).to_dict("records")  # null, not NaN: valid JSON
        print(json.dumps({"summary": check.attrs["summary"], "buildings": rows}, indent=1, default=str,
                         allow_nan=False))
        return 0
    print(check[["building_id", "name", "use", "floor_m2", "metered_gas_kwh", "prior_p05", "prior_p50", "prior_p95",
                 "ratio", "inside"]].round(2).to_string(index=False))
    print(check.attrs["text"])
    return 0


def _value(args, territory) -> int:
    """value: what gas meters would be worth to the choice of the building to retrofit first."""
    from twin.scenarios.heating_meters import buildings_table, meter_value  # noqa: PLC0415

    result = meter_value(territory, members=args.members or 100, budget_eur=args.budget, seed=args.seed)
    if value_printed(result, args.json):
        return 0
    print(f"{result['territory']}: {result['buildings']} public buildings, PRIOR: {result['priors']}")
    table = buildings_table(result)
    print(table[["building_id", "name", "use", "floor_m2", "expected_return_eur_per_year", "return_p05", "return_p95",
                 "best_in_share_of_worlds"]].round(2).to_string(index=False))
    v, chosen = result["value"], result["prior_choice"]
    lo, hi = v["evppi_band_eur_per_year"]
    print(f"chosen on the prior for the next {result['budget_eur']:,.0f} € of retrofit: {chosen['name'] or chosen['building_id']} "
          f"({chosen['use']}), {v['expected_return_prior_eur_per_year']:,.0f} €/year saved; knowing every building's "
          f"gas per m² exactly worth {v['evppi_eur_per_year']:,.0f} €/year (band {lo:,.0f}–{hi:,.0f}; knowing "
          f"everything {v['evpi_eur_per_year']:,.0f}); a year of meter readings {v['evsi_eur_per_year']:,.0f} €/year "
          f"(the choice changes in {v['choice_changes_share']:.0%} of the worlds)")
    print(result["verdict"])
    return 0


def _meter(args) -> int:
    """fit: a baseline on a meter's history; savings: a baseline, then savings over a reporting period."""
    from twin.calibration.buildings import fit_baseline, measure_savings, parse_period  # noqa: PLC0415
    from twin.sources.meters import read_meter_csv, read_temperature_csv  # noqa: PLC0415

    if not args.meter or not args.temperature:
        print(f"twin buildings {args.action}: --meter and --temperature are required", file=sys.stderr)
        return 2
    usage = read_meter_csv(args.meter, unit=args.unit, tz=args.tz)
    temp = read_temperature_csv(args.temperature, tz=args.tz, unit=args.temperature_unit)
    freq = args.freq  # finer readings are summed into its periods by the library (resample_usage), as for any caller
    if args.action == "fit":
        start, end = parse_period(args.baseline, "baseline") if args.baseline else (None, None)
        fit = fit_baseline(usage, temp, start, end, freq=freq, label=args.meter)
        result = fit.summary()
    else:
        b0, b1 = parse_period(args.baseline, "baseline")
        r0, r1 = parse_period(args.reporting, "reporting")
        fit = fit_baseline(usage, temp, b0, b1, freq=freq, label=args.meter)
        result = {**measure_savings(fit, usage, temp, r0, r1, label=args.meter).as_dict(),
                  "baseline_fit": fit.summary()}
    dropped = fit.sufficiency.get("incomplete") or []
    n_dropped = int(fit.sufficiency.get("incomplete_count", len(dropped)))  # the list may be cut, never the count
    if n_dropped:  # periods with missing readings are left out of the fit: said, never silent
        print(f"note: baseline: {n_dropped} period(s) without all their readings left out: "
              f"{', '.join(dropped[:12])}{' …' if n_dropped > 12 else ''}", file=sys.stderr)
    if args.action == "savings":
        n_rep = result["dropped_incomplete_count"] + result["dropped_no_temperature_count"]
        rep = result["dropped_periods"]
        print(f"note: reporting: {result['coverage']:.1%} of the period covered by {result['periods_used']} "
              f"period(s); {result['dropped_incomplete_count']} left out for missing readings, "
              f"{result['dropped_no_temperature_count']} for missing temperature"
              + (f": {', '.join(rep[:12])}{' …' if n_rep > 12 else ''}" if n_rep else ""), file=sys.stderr)
    print(result_text(result, args.json, 24, default=str))
    return 0


def _anomalies(args) -> int:
    """anomalies: the meter followed day by day (twin.live.buildings): changes of behaviour and faults."""
    from twin.live.buildings import daily_from_readings, track_building  # noqa: PLC0415
    from twin.models.buildings import DegreeDays  # noqa: PLC0415
    from twin.sources.meters import read_meter_csv, read_temperature_csv  # noqa: PLC0415

    if not args.meter or not args.temperature:
        print("twin buildings anomalies: --meter and --temperature are required", file=sys.stderr)
        return 2
    tz = args.tz or "Europe/Paris"
    usage = read_meter_csv(args.meter, unit=args.unit, tz=tz)
    temp = read_temperature_csv(args.temperature, tz=tz, unit=args.temperature_unit)
    daily = daily_from_readings(usage, tz)
    tracking = track_building(daily, DegreeDays(temp))
    result = anomalies_report(tracking, args.meter, tz)
    for note in tracking.notes:
        print(f"note: {note}", file=sys.stderr)
    print(json.dumps(result, indent=1, default=str) if args.json else anomalies_text(result))
    return 0


def anomalies_report(tracking, meter: str, tz: str) -> dict:
    """The JSON of ``twin buildings anomalies``: each event with kind (fault | change), what, start,
    end, detected (local dates), direction, magnitude (relative change; a unit jump's factor)."""
    def day(t):
        return None if t is None else str(pd.Timestamp(t).date())

    events = [{"kind": e["kind"], "what": e["what"], "start": day(e["start"]), "end": day(e["end"]),
               "detected": day(e["detected"]), "direction": e["direction"],
               "magnitude": None if e["magnitude"] is None else round(float(e["magnitude"]), 4),
               "detail": e["detail"]} for e in tracking.events]
    used = tracking.trace["innovation"].notna()
    return {"meter": meter, "tz": tz, "days": int(tracking.trace["use"].notna().sum()),
            "monitored_from": day(tracking.warmup_end + pd.Timedelta(days=1)) if tracking.warmup_end is not None else None,
            "days_monitored": int(used.sum()), "noise_cv": None if tracking.cv != tracking.cv else round(tracking.cv, 4),
            "events": events, "notes": tracking.notes,
            "method": "degree-day baseline followed by a Kalman filter; CUSUM of standardised innovations "
                      "(k = 1, h = 5: shifts of about 2 predictive sd); faults told apart (twin.live.buildings)"}


def anomalies_text(r: dict) -> str:
    lines = [f"{r['meter']}: {r['days']} days of readings, followed from {r['monitored_from']} "
             f"({r['days_monitored']} days; noise ±{(r['noise_cv'] or 0):.0%} of the use)"]
    if not r["events"]:
        lines.append("no change of behaviour and no fault found")
    for e in r["events"]:
        size = "" if e["magnitude"] is None else (f"  ×{e['magnitude']:.3g}" if e["what"] == "unit_jump"
                                                  else f"  {e['magnitude']:+.0%}")
        lines.append(f"  {e['kind']:<6} {e['what']:<12} {e['start']} → {e['end']}  "
                     f"{e['direction'] or '':<4}{size}  (seen {e['detected']}) {e['detail']}")
    return "\n".join(lines)


def rank_table(shown) -> str:
    """The ranking as a person reads it: whole kWh and euros, years to one decimal, « — » where OSM gives no
    name, « never » for a payback that never comes (a raw dump printed NaN and 303544.786687)."""
    import numpy as np  # noqa: PLC0415

    table = shown.copy()
    for col in ("gas_saved_kwh", "uncertainty_kwh", "eur_saved", "investment_eur", "comfort_gap_change_h"):
        table[col] = [f"{x:,.0f}".replace(",", " ") if np.isfinite(x) else "—" for x in table[col]]
    table["payback_years"] = ["nothing invested" if x == 0 else "never" if not np.isfinite(x) else f"{x:.1f}"
                              for x in table["payback_years"]]
    table["name"] = table["name"].fillna("—").replace("", "—")
    # the uncertainty of the meter's baseline fit (heating.py), not of the simulated saving: named so
    return table.rename(columns={"uncertainty_kwh": "baseline_fit_uncertainty_kwh"}).to_string(index=False)


def _rank(args, territory) -> int:
    from twin.scenarios.heating import rank_buildings  # noqa: PLC0415

    if args.out and Path(args.out).suffix.lower() not in (".csv", ".geojson"):
        # « ranking.xlsx » got CSV text Excel would not open
        print(f"twin buildings rank: --out {args.out}: expected a .csv or .geojson file", file=sys.stderr)
        return 2
    ranking, flagged = rank_buildings(territory)
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() == ".geojson":
            import geopandas as gpd  # noqa: PLC0415

            # GeoJSON has no NaN nor Infinity: the driver writes them null, with « NaN of Infinity value found.
            # Skipped. » on the terminal; said here in words instead (a payback that never comes is inf)
            import warnings  # noqa: PLC0415

            import numpy as np  # noqa: PLC0415

            numbers = ranking.select_dtypes("number")
            never = [c for c in numbers if np.isinf(numbers[c].to_numpy(float)).any()]
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="NaN of Infinity value found", category=RuntimeWarning)
                gpd.GeoDataFrame(ranking, geometry="geometry", crs=territory.crs).to_crs("EPSG:4326").to_file(
                    out, driver="GeoJSON")
            if never:
                print(f"  null in {', '.join(never)}: never (an infinite payback: it does not pay back)")
        else:
            ranking.drop(columns="geometry").to_csv(out, index=False)
        print(f"{len(ranking)} actions written to {out}")
    cols = ["building_id", "name", "use", "action", "gas_saved_kwh", "uncertainty_kwh", "eur_saved",
            "investment_eur", "payback_years", "comfort_gap_change_h"]
    print(rank_table(ranking[cols].head(args.top)))
    if (ranking["action"] == "BMS + booking schedule").any():  # eur_saved is against today's; its payback not
        print("payback of a BMS: on what it saves beyond the booking schedule it runs (payback_saving_eur), "
              "not on the schedule's own free savings")
    if len(flagged):
        print("not ranked (their baseline fails the criteria):")
        print(flagged.to_string(index=False))
    return 0
