"""``twin flood run|replay|vigilance``: stage forecast, alerts and flooded places; replay of past forecasts;
Vigicrues' vigilance on the reaches around the territory."""

from __future__ import annotations

import json
import sys

from twin.cli import common
from twin.cli.printing import outcome_text
from twin.scenarios.base import plain_param_error


REPLAY_EVERY_H, REPLAY_HORIZON_H, REPLAY_MEMBERS = 6, 48, 50
READ_BY = {"run": ("at", "horizon", "alert_list", "past_floods"),
           "replay": ("start", "end", "every", "horizon", "rain", "members"),
           "vigilance": ()}
"""The options each action reads: any other given is refused by name, not ignored."""


ACTIONS = {
    "run": "one forecast from the scenario's issue time (--at): the river's stage, the thresholds it crosses, the "
           "streets and buildings reached; --alert-list writes the buildings to alert",
    "replay": "forecasts issued every --every hours between --start and --end, each given only what was known at "
              "its issue time (unless --rain observed), scored against what the gauge then read",
    "vigilance": "Vigicrues' vigilance colours on the reaches around the territory (an InfoVigiCru.geojson file)",
}


def _epilog() -> str:
    """What each action does and the options it reads (:data:`READ_BY`: the others are refused)."""
    import textwrap  # noqa: PLC0415

    lines = ["actions:"]
    for action, text in ACTIONS.items():
        options = ", ".join("--" + name.replace("_", "-") for name in READ_BY[action]) or "no option of its own"
        lines += textwrap.wrap(f"{action:<10} {text}; reads {options}", 78, initial_indent="  ",
                               subsequent_indent=" " * 13)
    return "\n".join(lines)


def register(sub) -> None:
    import argparse  # noqa: PLC0415

    p = sub.add_parser("flood", help="flood anticipation: stage forecast, alerts, flooded places; replay",
                       epilog=_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=["run", "replay", "vigilance"])
    p.add_argument("scenario", nargs="?", help="flood scenario JSON file (default: an ensemble forecast with the "
                                               "territory's own gauges and catchment); vigilance: Vigicrues' "
                                               "InfoVigiCru.geojson")
    p.add_argument("--territory", default="redon")
    p.add_argument("--at", help="run: forecast time (UTC), overriding the scenario's")
    p.add_argument("--start", "--from", dest="start", help="replay: first forecast time (or --from, as hydro replay)")
    p.add_argument("--end", "--to", dest="end", help="replay: last forecast time (or --to)")
    p.add_argument("--every", type=int, help=f"replay: hours between forecasts (default {REPLAY_EVERY_H})")
    p.add_argument("--horizon", type=int, help="forecast horizon (h); run: overriding the scenario's, replay: "
                                               f"default {REPLAY_HORIZON_H}")
    p.add_argument("--rain", choices=["observed", "ensemble", "none"],
                   help="replay: the rain each forecast is given — ensemble (default): the forecast as issued then "
                        "(rain analogs from before each issue time); observed: the rain that really fell "
                        "afterwards, a hindcast that scores the model, not what was known then; none: no more rain")
    p.add_argument("--members", type=common.positive_int,
                   help=f"replay --rain ensemble: members of each forecast (default {REPLAY_MEMBERS})")
    p.add_argument("--alert-list", help="run: write the buildings to alert (CSV)")
    p.add_argument("--past-floods", type=int, choices=range(0, 6), metavar="N",
                   help="run: replay the forecasts issued before the N (1-5) highest past floods, as issued then, "
                        "against the gauge: the forecast's record (as the app's « Fiabilité »)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_flood)


def cmd_flood(args) -> int:
    from twin.scenarios.flood import FloodForecast, replay  # noqa: PLC0415

    others = sorted({n for names in READ_BY.values() for n in names} - set(READ_BY[args.action]))
    refused = common.refuse(args, f"twin flood {args.action}", others, f"not read by {args.action}")
    if refused:
        return refused
    if args.action == "replay" and args.scenario:
        print(f"twin flood replay: {args.scenario}: a replay takes no scenario file (its forecasts are the "
              "territory's default ensemble, issued every --every hours)", file=sys.stderr)
        return 2
    territory = common.load_territory(args.territory)
    if args.action == "vigilance":
        return _vigilance(args, territory)
    if args.action == "replay":
        return _replay(args, territory)
    scenario = common.scenario_or(args.scenario, FloodForecast, FloodForecast.family)
    if args.at:
        scenario.forecast_time = args.at
    if args.horizon is not None:
        try:
            scenario.horizon_h = args.horizon  # its bounds checked as a scenario file's
        except ValueError as exc:
            print(f"twin flood run: --horizon {args.horizon}: {plain_param_error(exc, 'horizon_h', args.horizon)}",
                  file=sys.stderr)
            return 2
    if args.past_floods is not None:
        scenario.past_floods = args.past_floods
    outcome = scenario.run(territory)
    if args.json and int(outcome.data.attrs.get("past_floods_asked", 0) or 0):
        print(json.dumps(_record_json(outcome), indent=1, default=str))  # the record too, not dropped
    else:
        print(outcome_text(outcome, args.json))
    floored = _floored_note(args.at, outcome.data.attrs.get("forecast_time"))
    if floored:
        print(floored, file=sys.stderr)
    if not args.json:
        print(f"  ({outcome.data.attrs['forecast_kind']} {outcome.data.attrs['forecast_time']} UTC, "
              f"horizon {outcome.data.attrs['horizon_h']} h; "
              f"floodplain: {outcome.data.attrs['floodplain']})")
        if "observed_stage_m" in outcome.data.attrs:  # a gauged forecast (the flood prior has no gauge)
            print(_observed_line(outcome.data.attrs))
        for line in [*_still_rising_lines(outcome), *_beyond_record_lines(outcome.data.attrs), *_record_lines(outcome)]:
            print(line)
    if args.alert_list:
        variant = outcome.first_variant
        alerts = _rows(outcome.table("buildings_to_alert"), variant)
        streets = sorted({int(w) for w in _rows(outcome.table("streets_to_close"), variant)["osm_way_id"]})
        # to the centimetre, the percent's tenth and the hour's (16 decimals read as a measure's precision)
        alerts.round({"depth_m_p90": 2, "flooded_share_pct": 1, "first_water_h": 1}).to_csv(args.alert_list, index=False)
        print(f"{len(alerts)} buildings to alert written to {args.alert_list}; "
              f"streets to close (OSM way ids): {streets}")
    return 0


def _replay(args, territory) -> int:
    """Past forecasts scored against the gauge: as issued then (``--rain ensemble|none``), or with the rain
    that really fell (a hindcast, said above the table: it knows what no forecaster knew)."""
    from twin.scenarios.flood import FloodForecast, replay  # noqa: PLC0415

    every = REPLAY_EVERY_H if args.every is None else args.every
    horizon = REPLAY_HORIZON_H if args.horizon is None else args.horizon
    low, high = FloodForecast.param.horizon_h.bounds  # the forecast's own bounds, not another rule
    if every < 1 or not low <= horizon <= high:
        print(f"twin flood replay: --every {every}, --horizon {horizon}: whole hours, --every at least 1, "
              f"--horizon from {low} to {high}", file=sys.stderr)
        return 2
    # as issued then by default: a replay on the rain that fell scored 8 red alerts hit and none missed where the
    # forecasts of the time hit 4 and missed 4 — the hindcast is asked for
    rain = args.rain or "ensemble"
    if args.members is not None and rain != "ensemble":
        print(f"twin flood replay: --members {args.members}: only an ensemble (--rain ensemble) has members",
              file=sys.stderr)
        return 2
    extra = {"rain": rain} | ({"members": args.members or REPLAY_MEMBERS} if rain == "ensemble" else {})
    df, summary = replay(territory, args.start, args.end, every_h=every, horizon_h=horizon, **extra)
    if not args.json:
        print(REPLAY_HEADINGS[rain].format(members=extra.get("members")))
        print(df[["issued", "forecast_peak_m", "observed_peak_m", "peak_error_m", "peak_timing_error_h"]]
              .to_string(index=False))
    print(json.dumps(summary, indent=2, default=str))
    if not args.json:
        for lvl in ("yellow", "orange", "red"):
            n = summary.get(lvl, {}).get("at_issue", 0)
            if n:  # left out of the counts above: announcing a level the river stands above is reading the gauge
                print(f"  ({lvl}: {n} of the {summary['forecasts']} forecasts issued with the gauge already above it, "
                      "not counted as hits, misses, false alarms nor correct negatives)")
    return 0


REPLAY_HEADINGS = {
    "observed": "HINDCAST with perfect rain: each forecast is given the rain that really fell afterwards. It scores\n"
                "the model, not what a forecast issued then knew (--rain ensemble replays those). Times UTC.",
    "ensemble": "FORECASTS as issued then: {members} rain members drawn from seasons before each issue time;\n"
                "the forecast stage is the members' median. Times UTC.",
    "none": "FORECASTS as issued then, assuming no more rain after each issue time. Times UTC.",
}


def _floored_note(given: str | None, issued) -> str:
    """A note when the forecast ran from another time than the one asked (« --at 23:30 » runs from 23:00 UTC:
    the model steps by the hour), "" otherwise. Said, not only shown in the footer's time."""
    import pandas as pd  # noqa: PLC0415

    if not given or issued is None:
        return ""
    try:
        asked = pd.Timestamp(given)
    except ValueError:
        return ""
    asked = (asked.tz_convert("UTC").tz_localize(None) if asked.tzinfo else asked)
    ran = pd.Timestamp(issued)
    if asked == ran:
        return ""
    return (f"twin flood run: note: --at {given} runs from {ran:%Y-%m-%d %H:%M} UTC, the hour it falls in "
            "(the model steps by the hour)")


def _still_rising_lines(outcome) -> list[str]:
    """One line per variant whose figures are only minimums: its water still rises at the horizon's end
    (:func:`twin.scenarios.flood.minimum_figures`, as the app's cards say)."""
    from twin.scenarios.flood import minimum_figures  # noqa: PLC0415

    found = minimum_figures(outcome.compare_rows(), prior=bool(outcome.data.attrs.get("buildings_flooded_is")))
    lines = []
    for variant in outcome.variants:
        kpis = [k for (v, k) in found if v == variant]
        if kpis:
            share = found[(variant, kpis[0])]
            lines.append(f"  ({variant}: the water still rises at the horizon's end in {100 * share:.0f} % of the "
                         f"draws; {', '.join(kpis)} are minimums, the peak comes later: lengthen --horizon)")
    return lines


def _record_json(outcome) -> dict:
    """``--json --past-floods``: the indicators (the JSON records ``--json`` prints alone), the replayed
    forecasts and, per alert level, their counts (as :func:`_record_lines` prints them)."""
    from twin.scenarios.flood import LEVELS  # noqa: PLC0415
    from twin.scenarios.flood_skill import alert_record  # noqa: PLC0415

    attrs = outcome.data.attrs
    table = outcome.tables.get("past_forecasts")
    record = {k: attrs[k] for k in attrs if str(k).startswith("past_")}
    record["synthetic_gauges"] = attrs.get("synthetic_gauges", "")
    if table is not None:
        record["alerts"] = {lvl: alert_record(table, lvl) for lvl in LEVELS if f"{lvl}_forecast" in table}
    return {"indicators": json.loads(outcome_text(outcome, True)), "record": record,
            "past_forecasts": [] if table is None else json.loads(table.to_json(orient="records", date_format="iso"))}


def _record_lines(outcome) -> list[str]:
    """The forecast's record on past floods (``--past-floods``), as the app's « Fiabilité » box says it: each
    replayed forecast's peak against the gauge's, and per alert level hits, misses and false alarms."""
    from twin.scenarios.flood import LEVELS  # noqa: PLC0415
    from twin.scenarios.flood_skill import alert_record  # noqa: PLC0415

    attrs = outcome.data.attrs
    asked = int(attrs.get("past_floods_asked", 0) or 0)
    if not asked:
        return []
    found = int(attrs.get("past_floods_found", 0) or 0)
    lines = [f"record on past floods: {found} of {asked} found"
             + (f" ({attrs['past_floods_why']})" if attrs.get("past_floods_why") else
                f" (a flood reaches the yellow level; a replayed forecast needs {attrs.get('past_history_days')} days "
                "of history before it, its check over before the forecast time)"
                if found < asked else "")]
    if "past_forecasts" not in outcome.tables:
        return lines
    df = outcome.table("past_forecasts")
    given = str(attrs.get("past_params_given", "")).lower() in ("true", "1")
    model = ("GR4H parameters given, not calibrated here: fitted on these floods, they flatter the record" if given
             else "the model calibrated before the first")
    lines.append(f"  forecasts as issued then ({attrs.get('past_members')} analog rain members, {model}), median peak "
                 "against the gauge's; times UTC:")
    shown = df[["flood_peak_time", "lead_h", "issued", "forecast_peak_m", "observed_peak_m", "peak_error_m",
                "peak_timing_error_h"]].round({"forecast_peak_m": 2, "observed_peak_m": 2, "peak_error_m": 2})
    lines += ["  " + line for line in shown.to_string(index=False).splitlines()]
    for lvl in LEVELS:
        if f"{lvl}_forecast" in df:
            r = alert_record(df, lvl)
            lines.append(f"  {lvl} ({float(attrs[f'alert_{lvl}_m']):g} m): {r['hits']} hits, {r['misses']} misses, "
                         f"{r['false_alarms']} false alarms, {r['correct_negatives']} correct negatives"
                         + (f" ({r['at_issue']} issued with the gauge already above it, not counted)"
                            if r["at_issue"] else ""))
    if attrs.get("synthetic_gauges"):
        lines.append("  (SYNTHETIC gauges generated by the forecasting model itself: this record recovers that "
                     "model, it does not validate it)")
    return lines


def _beyond_record_lines(attrs: dict) -> list[str]:
    """What the rating curve's extrapolation leaves uncertain, as the app's cards say it: a peak far above
    the stages it was fitted on, an alert level set there."""
    from twin.scenarios.flood import far_beyond_record, levels_beyond_record  # noqa: PLC0415

    lines = [f"  ({attrs['beyond_rating_curve']})"] if attrs.get("beyond_rating_curve") else []
    for lvl, (level, top) in levels_beyond_record(attrs).items():
        far = far_beyond_record(level, top)
        lines.append(f"  (the {lvl} level, {level:.2f} m, lies {'far ' if far else ''}above the rating curve's fitted "
                     f"range (up to {top:.2f} m): p_{lvl}_pct and lead_time_{lvl}_h are "
                     f"{'extrapolated, an order of magnitude' if far else 'slightly extrapolated'})")
    return lines


def _observed_line(attrs: dict) -> str:
    """Where the river was at the forecast time: the gauge's last reading and the levels it already reached
    (their lead time 0 h: « 0.0 h » alone read as « within the hour »)."""
    obs = attrs["observed_stage_m"]
    if not obs == obs:  # NaN: no reading recent enough
        return "  (no level reading in the 3 h before the forecast time: the forecast alone says where the river is)"
    reached = [lvl for lvl in ("yellow", "orange", "red") if obs >= attrs.get(f"alert_{lvl}_m", float("inf"))]
    return (f"  (the gauge read {obs:.2f} m at {attrs['observed_stage_time']} UTC"
            + (f": {', '.join(reached)} already reached, lead time 0 h" if reached else "") + ")")


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
