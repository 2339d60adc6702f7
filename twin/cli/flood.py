"""``twin flood run|replay|vigilance``: stage forecast, alerts and flooded places; replay of past forecasts;
Vigicrues' vigilance on the reaches around the territory."""

from __future__ import annotations

import json

from twin.cli import common
from twin.cli.printing import outcome_text


def register(sub) -> None:
    p = sub.add_parser("flood", help="flood anticipation: stage forecast, alerts, flooded places; replay")
    p.add_argument("action", choices=["run", "replay", "vigilance"])
    p.add_argument("scenario", nargs="?", help="flood scenario JSON file (default: an ensemble forecast with the "
                                               "territory's own gauges and catchment); vigilance: Vigicrues' "
                                               "InfoVigiCru.geojson")
    p.add_argument("--territory", default="redon")
    p.add_argument("--at", help="forecast time (UTC), overriding the scenario's")
    p.add_argument("--start", help="replay: first forecast time")
    p.add_argument("--end", help="replay: last forecast time")
    p.add_argument("--every", type=int, default=6, help="replay: hours between forecasts")
    p.add_argument("--horizon", type=int, default=48, help="replay: forecast horizon (h)")
    p.add_argument("--alert-list", help="write the buildings to alert (CSV)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_flood)


def cmd_flood(args) -> int:
    from twin.scenarios.flood import FloodForecast, replay  # noqa: PLC0415

    territory = common.load_territory(args.territory)
    if args.action == "vigilance":
        return _vigilance(args, territory)
    if args.action == "replay":
        df, summary = replay(territory, args.start, args.end, every_h=args.every, horizon_h=args.horizon)
        if not args.json:
            print(df[["issued", "forecast_peak_m", "observed_peak_m", "peak_error_m", "peak_timing_error_h"]]
                  .to_string(index=False))
        print(json.dumps(summary, indent=2))
        return 0
    scenario = common.scenario_or(args.scenario, FloodForecast)
    if args.at:
        scenario.forecast_time = args.at
    outcome = scenario.run(territory)
    print(outcome_text(outcome, args.json))
    if not args.json:
        print(f"  ({outcome.data.attrs['forecast_kind']} {outcome.data.attrs['forecast_time']} UTC, "
              f"horizon {outcome.data.attrs['horizon_h']} h; "
              f"floodplain: {outcome.data.attrs['floodplain']})")
    if args.alert_list:
        variant = outcome.first_variant
        alerts = _rows(outcome.table("buildings_to_alert"), variant)
        streets = sorted({int(w) for w in _rows(outcome.table("streets_to_close"), variant)["osm_way_id"]})
        alerts.to_csv(args.alert_list, index=False)
        print(f"{len(alerts)} buildings to alert written to {args.alert_list}; "
              f"streets to close (OSM way ids): {streets}")
    return 0


def _rows(table, variant: str):
    """The rows of one variant of a per-variant outcome table, without the ``variant`` column."""
    return table[table["variant"] == variant].drop(columns="variant")


def _vigilance(args, territory) -> int:
    """The reaches of a Vigicrues vigilance file that cross the territory's extent, most severe first."""
    import sys  # noqa: PLC0415

    from shapely.geometry import box  # noqa: PLC0415

    from twin.sources.vigicrues import read_vigilance  # noqa: PLC0415

    if not args.scenario:
        print("twin flood vigilance: give Vigicrues' InfoVigiCru.geojson", file=sys.stderr)
        return 2
    reaches = read_vigilance(args.scenario)
    extent = box(*territory.provenance["bounds_lonlat"])
    near = reaches[reaches.intersects(extent)].sort_values(["level", "code"], ascending=[False, True])
    rows = near[["code", "name", "level", "colour"]].to_dict(orient="records")
    result = {"territory": territory.name, "reaches": rows, "reaches_in_file": len(reaches),
              "highest": rows[0]["colour"] if rows else None}
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print(f"no reach of {args.scenario} ({len(reaches)} reaches) crosses {territory.name}")
    for r in rows:
        print(f"{r['colour']:<7} {r['code']:<8} {r['name']}")
    return 0
