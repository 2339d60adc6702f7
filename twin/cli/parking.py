"""``twin parking fit|run``: car-park occupancy fitted and forecast; drivers searching for a space (issue 23)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from twin.cli import common
from twin.cli.printing import outcome_text


def register(sub) -> None:
    p = sub.add_parser("parking", help="parking: occupancy fitted and forecast; drivers searching for a space")
    p.add_argument("action", choices=["fit", "run", "bays"])
    p.add_argument("scenario", nargs="?", help="run: a scenario JSON file ({\"family\": \"parking\", …}); "
                                               "without it, the default search on the territory; bays: a bay "
                                               "status file (on-street sensors, City of Melbourne's layouts)")
    p.add_argument("--occupancy", help="fit: occupancy counts, a CSV SystemCodeNumber,Capacity,Occupancy,LastUpdated")
    p.add_argument("--store", help="fit: a sensor store's parking_occupancy sensors instead of --occupancy; bays: the "
                                   "store the zones' occupancy is imported into")
    p.add_argument("--date", help="bays: the date of a file whose rows name only the snapshot's time (YYYY-MM-DD)")
    p.add_argument("--tz", default=None, type=common.time_zone, help="fit --store: the local time zone of the profiles (default: the "
                                              "territory's, Europe/Paris); bays --date: the file's local time zone")
    p.add_argument("--holdout-from", help="fit: forecast the days from this date (YYYY-MM-DD) from the days before")
    p.add_argument("--simulate", action="store_true",
                   help="fit: run the agents with each car park's fitted arrivals and stays, and score their "
                        "occupancy against the profile (about 20 s for Birmingham's 29)")
    p.add_argument("--territory", default="redon", help="run: the territory (default: the embedded Redon)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_parking)


def cmd_parking(args) -> int:
    if args.action == "fit":
        return _fit(args)
    if args.action == "bays":
        return _bays(args)
    return _run(args)


def _bays(args) -> int:
    """Bay statuses → each zone's occupancy at each snapshot, printed and, with --store, imported."""
    from twin.sources.parking_bays import occupancy_table, read_bay_status  # noqa: PLC0415

    if not args.scenario:
        raise SystemExit("twin parking bays: give the bay status file")
    batch = read_bay_status(args.scenario, date=args.date, tz=args.tz or "UTC")
    table = occupancy_table(batch)
    if args.store:
        from twin.sensors import SensorStore  # noqa: PLC0415

        print(SensorStore(args.store).register_and_ingest(batch.sensors, batch.observations, origin=args.scenario,
                                                          out_of_range="reject"))
    if args.json:
        print(json.dumps({"zones": table.assign(time=table["time"].astype(str)).to_dict("records"),
                          "notes": batch.notes}, indent=1, default=float))
        return 0
    by_time = table.groupby("time")["occupancy_pct"].agg(["size", "median"])
    for time, row in by_time.iterrows():
        print(f"{time.isoformat()}: {int(row['size'])} zone(s), median occupancy {row['median']:.1f} %")
    for note in batch.notes:
        print(f"note: {note}")
    return 0


def _fit(args) -> int:
    import pandas as pd  # noqa: PLC0415

    from twin.calibration import parking as cal  # noqa: PLC0415
    from twin.errors import TwinError  # noqa: PLC0415
    from twin.sources.parking_occupancy import read_occupancy  # noqa: PLC0415

    if bool(args.occupancy) == bool(args.store):
        raise SystemExit("twin parking fit: give --occupancy CSV or --store DIR (one of them)")
    if args.store:
        occ = _from_store(args)
    else:
        occ = read_occupancy(args.occupancy)
    table = cal.half_hour_table(occ.frame)
    past = table
    holdout = None
    if args.holdout_from:
        from twin.timeutil import is_iso_date_text  # noqa: PLC0415

        try:  # 04/11/2016 is refused, not read as 11 April
            start = pd.Timestamp(args.holdout_from) if is_iso_date_text(args.holdout_from) else None
        except ValueError:
            start = None
        if start is None or start != start.normalize() or start.tz is not None:
            raise TwinError(f"--holdout-from {args.holdout_from!r}: expected a date YYYY-MM-DD (the forecast "
                            "starts at its midnight)")
        try:
            holdout = cal.holdout_scores(table, start)
        except ValueError as exc:
            raise TwinError(str(exc)) from None
        past = table[table["date"] < start]
    fits = cal.fit_car_parks(past, simulate=args.simulate)
    maes = [v["mae_profile"] for p in fits.values() for v in p.values()]
    agents = [v["agent_mae_profile"] for p in fits.values() for v in p.values() if "agent_mae_profile" in v]
    result = {"source": Path(args.occupancy or args.store).name, "car_parks": len(occ.car_parks),
              "period": {"start": str(table["date"].min().date()), "end": str(table["date"].max().date())},
              "cleaning": occ.report.to_dict(),
              "fit": {"method": "hourly arrivals and mean stay of an M_t/M/inf queue, fitted to each car park's "
                                "median profile per day type (fitted on the days before the holdout)",
                      "mae_profile_median": round(float(pd.Series(maes).median()), 3) if maes else None,
                      **({"agent_mae_profile_median": round(float(pd.Series(agents).median()), 3),
                          "agent_mae_profile_max": round(float(max(agents)), 3)} if agents else {}),
                      "by_car_park": fits}}
    if holdout is not None:
        result["holdout"] = holdout
    if args.json:
        print(json.dumps(result, indent=1, default=float))
        return 0
    print(f"{result['source']}: {result['car_parks']} car parks, {result['period']['start']} .. "
          f"{result['period']['end']}, {occ.report.rows_kept} of {occ.report.rows_read} readings kept")
    for line in occ.report.lines():
        print(f"  cleaned: {line}")
    print(f"fit: arrivals and stays per car park and day type; median error against the profile "
          f"{result['fit']['mae_profile_median']} percentage points of occupancy (0–100)")
    if agents:
        print(f"agents run with those arrivals and stays: median error against the profile "
              f"{result['fit']['agent_mae_profile_median']} points (largest {result['fit']['agent_mae_profile_max']})")
    if holdout:
        print(f"forecast of the {holdout['days']} days from {holdout['from']} ({holdout['model']['n']} half hours), "
              "mean absolute error in percentage points of occupancy (0–100):")
        for m in ("model", "same_weekday", "persistence"):
            print(f"  {m:<13} {holdout[m]['mae']:6.2f}   ({holdout[m]['method']})")
    sys.stdout.flush()
    return 0


def _from_store(args):
    """The store's occupancy sensors as :class:`~twin.sources.parking_occupancy.Occupancy` (nothing to clean:
    the store flagged what was out of range when it took the values in; its notes as the report's)."""
    from twin.calibration import parking as cal  # noqa: PLC0415
    from twin.errors import TwinError  # noqa: PLC0415
    from twin.sensors import SensorStore  # noqa: PLC0415
    from twin.sources.parking_occupancy import CleaningReport, Occupancy  # noqa: PLC0415
    from twin.timeutil import LOCAL_TZ  # noqa: PLC0415

    if not Path(args.store).is_dir():
        raise TwinError(f"--store {args.store}: no such directory (expected a sensor store)")
    try:
        frame, notes = cal.readings_from_store(SensorStore(args.store), args.tz or LOCAL_TZ)
    except ValueError as exc:
        raise TwinError(str(exc)) from None
    report = CleaningReport(rows_read=len(frame), notes=notes)
    return Occupancy(frame.assign(line=0), args.store, report)


def _run(args) -> int:
    from twin.scenarios.base import ScenarioError, read_scenario_spec  # noqa: PLC0415
    from twin.scenarios.parking import ParkingSearch  # noqa: PLC0415
    from twin.seeds import open_territory  # noqa: PLC0415

    territory = open_territory(args.territory)
    if args.scenario:
        path = Path(args.scenario)
        spec = read_scenario_spec(path)
        if not isinstance(spec, dict) or spec.get("family") != ParkingSearch.family:
            raise ScenarioError(f"{path}: expected a scenario of family 'parking' "
                                f"(got {spec.get('family') if isinstance(spec, dict) else spec!r})")
        scenario = ParkingSearch.from_dict(spec, origin=str(path), base_dir=path.resolve().parent)
    else:
        scenario = ParkingSearch()
    outcome = scenario.run(territory)
    if args.json:
        print(json.dumps({"kpis": json.loads(outcome_text(outcome, True)),
                          **{k: outcome.data.attrs[k] for k in ("supply", "demand", "priors") if k in outcome.data.attrs}},
                         indent=1, default=float))
    else:
        print(outcome_text(outcome, False))
        for k in ("supply", "demand", "priors"):
            if k in outcome.data.attrs:
                print(f"{k}: {outcome.data.attrs[k]}")
    return 0
