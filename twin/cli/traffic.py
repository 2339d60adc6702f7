"""``twin traffic assign|roadworks|calibrate``: static user-equilibrium assignment on a TNTP network,
roadworks on the territory, demand calibration on the traffic counts."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

from twin.cli import common
from twin.cli.printing import key_values, outcome_text, result_text


def register(sub) -> None:
    p = sub.add_parser("traffic", help="static user-equilibrium traffic assignment")
    p.add_argument("action", choices=["assign", "roadworks", "calibrate"])
    p.add_argument("scenario", nargs="?", help="roadworks scenario JSON file")
    p.add_argument("--tntp", help="directory of a TNTP network (*_net.tntp, *_trips.tntp)")
    p.add_argument("--territory", default=None, help="roadworks, calibrate: the territory (default: redon)")
    p.add_argument("--close", action="append",
                   help="roadworks: street to close (name or OSM way id), or a part of one, '<street> #<node>-<node>' "
                        "(the segment between two OSM nodes, as the app's map selection writes it); "
                        "assign --tntp: links A-B[,C-D…] "
                        "(TNTP node numbers, both directions unless --one-direction); repeatable")
    # defaults are None so that an option an action does not use is refused, never silently ignored
    p.add_argument("--one-direction", action="store_true", default=None,
                   help="roadworks: close (or narrow) only the direction each OSM way of the street is drawn in, "
                        "from its first node to its last; assign --tntp: only A→B")
    p.add_argument("--no-residents-access", action="store_true", default=None,
                   help="roadworks: the closed streets are shut to all, residents too (default: « route barrée sauf "
                        "riverains », the homes behind the works still drive through)")
    p.add_argument("--detour", action="append", default=None,
                   help="roadworks: a street of the signed detour (name or OSM way id; repeatable): drivers are "
                        "drawn to it; without it they choose freely")
    p.add_argument("--capacity-factor", type=float, default=None,
                   help="the works keep this share of the capacity (default 0: closed)")
    p.add_argument("--hours", default=None, help="roadworks: hours of the works (default 07:00-19:00)")
    p.add_argument("--day-method", choices=["hourly", "peak+off-peak"], default=None,
                   help="roadworks: hourly (default: every hour of the window, as the app does) or peak+off-peak "
                        "(the peak hour and the mean off-peak level, one assignment each: faster on a large "
                        "territory)")
    p.add_argument("--gap", type=float, default=None, help=f"target relative gap, in [{MIN_GAP:g}, {MAX_GAP:g}] (default 1e-4)")
    p.add_argument("--max-iter", type=int, default=None, help="assign: at most this many iterations (default 10000)")
    p.add_argument("--algorithm", choices=["gp", "bfw", "cfw", "fw"], default=None,
                   help="assign: gp (default), path-based gradient projection (warm starts); bfw/cfw/fw: Frank–Wolfe")
    p.add_argument("--distance-weight", type=float, default=None,
                   help="assign: cost per length unit (e.g. Chicago: 0.04)")
    p.add_argument("--toll-weight", type=float, default=None, help="assign: cost per toll unit")
    p.add_argument("--calibrated", action="store_true", default=None,
                   help="roadworks: fit the demand on the territory's traffic counts first (as calibrate) and use it")
    p.add_argument("--json", action="store_true", help="the results as JSON (assign: the result; roadworks: the "
                   "indicators' rows, the outcome's attributes and the buildings cut off)")
    p.set_defaults(func=cmd_traffic)


MIN_GAP, MAX_GAP = 1e-8, 0.1
"""The relative gaps asked, as a roadworks scenario's ``gap`` (:data:`twin.models.traffic.GAP_BOUNDS`; not
imported here: the CLI starts without numba)."""

ASSIGN_ONLY = ("tntp", "max_iter", "algorithm", "distance_weight", "toll_weight")
"""Options only ``twin traffic assign`` reads."""


def _refuse(args, names, why: str) -> int | None:
    """:func:`twin.cli.common.refuse` for ``twin traffic ACTION``."""
    return common.refuse(args, f"twin traffic {args.action}", names, why)


def cmd_traffic(args) -> int:
    if args.action in ("roadworks", "calibrate"):
        refused = _refuse(args, ASSIGN_ONLY, "used only by `twin traffic assign --tntp DIR`")
        if refused:
            return refused
    if args.action == "calibrate":
        refused = _refuse(args, ("close", "one_direction", "capacity_factor", "hours", "gap", "calibrated", "day_method",
                                 "detour", "no_residents_access"),
                          "not used by calibrate (it fits the demand to the counts)")
        return refused or _calibrate(args)
    if args.action == "roadworks":
        return _roadworks(args)
    return _assign(args)


def _calibrate(args) -> int:
    from twin.calibration.traffic import calibrate_demand, observed_peak_counts  # noqa: PLC0415

    territory = common.load_territory(args.territory or "redon")
    if territory.sensors is None:
        print(f"twin traffic calibrate: {territory.name} has no sensor store, so no traffic count to fit the "
              "demand on", file=sys.stderr)
        return 2
    fit = calibrate_demand(territory, observed_peak_counts(territory.sensors, territory))
    result = {"internal_scale": fit.internal_scale, "through_scale": fit.through_scale,
              "share_geh_below_5_before": fit.share_geh_below_5_before,
              "share_geh_below_5_after": fit.share_geh_below_5_after, "evaluations": fit.evaluations}
    if args.json:
        print(json.dumps({**result, "stations": fit.stations.to_dict(orient="records"), "dropped": fit.dropped},
                         indent=2, default=str))
        return 0
    print(fit.stations[["sensor_id", "street", "observed", "days", "missing", "flagged", "before", "after",
                        "geh_before", "geh_after"]].to_string(index=False))
    print(key_values(result, 26))
    for d in fit.dropped:
        print(f"  not used: {d['sensor_id']} ({d['street']}): {d['why']}")
    # nothing is saved: the fit is used by naming it in a scenario file (the roadworks' own parameters)
    print(f"  to use it: twin traffic roadworks --calibrated …, or add \"internal_scale\": {fit.internal_scale:.4g}, "
          f"\"through_scale\": {fit.through_scale:.4g} to a roadworks scenario file (twin traffic roadworks FILE.json)")
    return 0


def _street_list(closes: list[str]) -> list[str]:
    """The streets of ``--close``: a name as given, and « 155297224,61486041 » (way ids written as ``assign``
    writes its links) split into its ids; a name with a comma stays whole."""
    out = []
    for item in closes:
        parts = [p.strip() for p in item.split(",")]
        out += parts if len(parts) > 1 and all(p.isdigit() for p in parts) else [item]
    return out


def _longest_streets(territory, count: int = 6) -> list[str]:
    """The ``count`` named drivable streets with the most length [m] in the ``drive`` graph (a merged
    OSM way's names each counted; a two-way segment once, as :func:`twin.territory.streets.street_segments`),
    longest first."""
    from twin.territory.streets import segment_key  # noqa: PLC0415 - the CLI starts without osmnx

    length: dict[str, float] = {}
    seen = set()
    for u, v, d in territory.graphs["drive"].edges(data=True):
        segment = segment_key(u, v, d)
        if segment in seen:
            continue
        seen.add(segment)
        names = d.get("name")
        for name in names if isinstance(names, (list, tuple)) else [names]:
            if isinstance(name, str) and name.strip():
                length[name.strip()] = length.get(name.strip(), 0.0) + float(d.get("length", 0.0))
    return sorted(length, key=lambda n: (-length[n], n))[:count]


def _unnamed_ways_placed(territory, text: str) -> str:
    """« way 177353244 » in the model's notes as the streets it meets (« unnamed way 177353244, between Pont des
    Douves, Quai de Brest and Rue des Douves »): a way id named nothing a planner could tell the council."""
    import re  # noqa: PLC0415

    from twin.territory.streets import streets_met  # noqa: PLC0415

    def placed(m):
        met = streets_met(territory.graphs["drive"], m.group(1))
        return f"unnamed way {m.group(1)}" + (f", between {', '.join(met[:-1])} and {met[-1]}" if len(met) > 1 else
                                              f", off {met[0]}" if met else "")

    return re.sub(r"\bway (\d+)", placed, str(text or ""))


def _roadworks(args) -> int:
    from twin.scenarios.roadworks import Roadworks  # noqa: PLC0415

    if args.scenario:  # the file says it all: an option beside it would be ignored
        refused = _refuse(args, ("close", "one_direction", "capacity_factor", "hours", "gap", "day_method", "detour",
                                 "no_residents_access"),
                          f"would be ignored beside the scenario file {args.scenario}: write it in the file")
        if refused:
            return refused
    if args.scenario and args.calibrated:  # the file's own scales would be overridden in silence
        return _refuse(args, ("calibrated",), f"would override the scales of the scenario file {args.scenario}: "
                       "write internal_scale and through_scale in the file")
    if args.no_residents_access and args.capacity_factor:  # a narrowed street stays open to all
        return _refuse(args, ("no_residents_access",), "used only when the works close the street (capacity 0)")
    territory = common.load_territory(args.territory or "redon")
    if not args.scenario and not args.close:  # no street of its own to guess: the longest ones offered
        longest = _longest_streets(territory)
        print("twin traffic roadworks: which street do the works close? Give --close NAME (repeatable)"
              + (f", e.g. --close \"{longest[0]}\". The longest named streets of {territory.name}: "
                 f"{', '.join(longest)}" if longest else ", or a scenario file"), file=sys.stderr)
        return 2
    scales = {}
    if args.calibrated and territory.sensors is None:
        print(f"twin traffic roadworks: --calibrated: {territory.name} has no sensor store, so no traffic count "
              "to fit the demand on", file=sys.stderr)
        return 2
    if args.calibrated:
        from twin.calibration.traffic import calibrate_demand, observed_peak_counts  # noqa: PLC0415

        fit = calibrate_demand(territory, observed_peak_counts(territory.sensors, territory))
        scales = {"internal_scale": fit.internal_scale, "through_scale": fit.through_scale}
        if not args.json:
            print(f"  demand fitted on the counts: internal_scale {fit.internal_scale:.4g}, through_scale "
                  f"{fit.through_scale:.4g} (GEH < 5 on {fit.share_geh_below_5_before:.0%} of the stations before, "
                  f"{fit.share_geh_below_5_after:.0%} after)")
    scenario = common.scenario_or(args.scenario, lambda: Roadworks(
        streets=_street_list(args.close or []), one_direction=bool(args.one_direction),
        residents_access=not args.no_residents_access,
        capacity_factor=0.0 if args.capacity_factor is None else args.capacity_factor,
        hours=args.hours or "07:00-19:00", gap=1e-4 if args.gap is None else args.gap,
        detour=_street_list(args.detour or []),
        day_method=args.day_method or Roadworks.param["day_method"].default, **scales), Roadworks.family)
    outcome = scenario.run(territory)
    if args.json:  # what the text says under the table too: the works' extent, peak hour, streets gaining, cut-off
        cut = outcome.table("cut_off_buildings")
        print(json.dumps({"indicators": json.loads(outcome_text(outcome, True)),
                          "attributes": dict(outcome.data.attrs),
                          "cut_off_buildings": json.loads(cut.to_json(orient="records"))},
                         indent=1, default=lambda x: x.item() if hasattr(x, "item") else str(x)))
        return 0
    print(outcome_text(outcome, False))
    attrs = outcome.data.attrs
    print(f"  the works hold {attrs.get('works_street_m', 0):.0f} m of street ({attrs.get('works_segments', 0)} "
          f"segment(s), {'one direction' if scenario.one_direction else 'both directions'}"
          f"{', capacity ' + format(scenario.capacity_factor, '.0%') if scenario.capacity_factor else ''}"
          f"{', closed except for residents' if attrs.get('residents_access') == 'kept' else ''}"
          f"{', closed to all' if attrs.get('residents_access') == 'none' else ''})")
    if attrs.get("buildings_behind_works"):
        print(f"  {attrs['buildings_behind_works']} buildings are reached only through the streets under works: "
              "their residents still drive through (at their real travel time)")
    if attrs.get("detour"):
        print(f"  signed detour {attrs['detour']}: {attrs['detour_gain_veh_h']:+.0f} veh/h on the segment that "
              "gains most, at the works' peak hour")
    print(f"  the works' peak hour: {outcome.data.attrs.get('peak_hour', '?')}")
    print(f"  streets gaining most traffic (the works' peak hour): "
          f"{_unnamed_ways_placed(territory, outcome.data.attrs['top_gainers']) or 'none'}")
    cut = outcome.table("cut_off_buildings")
    if len(cut):  # the homes and premises behind the stranded trips, by address where OSM gives one
        places = [a or n or b for b, n, a in zip(cut["building_id"], cut["name"], cut["address"], strict=True)]
        print(f"  buildings cut off from the street network during the works: {len(cut)} ("
              f"{', '.join(places[:8])}{', …' if len(places) > 8 else ''}; the outcome's table cut_off_buildings)")
    if outcome.data.attrs.get("priors"):
        print(f"  prior: {outcome.data.attrs['priors']}")
    return 0


def _closure_mask(net, pairs: list[str], one_direction: bool) -> tuple["np.ndarray", list[str]]:
    """The links ``A-B`` (TNTP node numbers, comma-separated, repeatable) and, unless ``one_direction``,
    ``B-A``; an error naming any pair that is no link of the network. Also the pairs closed one way
    only because the network has no link back (one-way streets)."""
    import numpy as np  # noqa: PLC0415

    closed = np.zeros(net.n_links, bool)
    one_way = []
    for item in ",".join(pairs).split(","):
        a, sep, b = item.strip().partition("-")
        if not sep or not a.strip().isdigit() or not b.strip().isdigit():
            raise ValueError(f"--close {item.strip()!r}: expected two node numbers as A-B (e.g. 5-9)")
        u, v = int(a) - 1, int(b) - 1
        hit = (net.init == u) & (net.term == v)
        if not hit.any():
            raise ValueError(f"--close {item.strip()}: the network has no link from node {a} to node {b}")
        closed |= hit
        if not one_direction:
            back = (net.init == v) & (net.term == u)
            closed |= back
            if not back.any():
                one_way.append(f"{int(a)}-{int(b)}")
    return closed, one_way


UNITS = {"objective": "Beckmann's integral: the network's cost units (TNTP: minutes) × veh",
         "tstt": "total travel time: cost units × veh", "generalised_cost": "cost units × veh",
         "unreachable_demand": "veh (per hour when the trips are an hour's) with no route left",
         "max_conservation_error": "veh", "seconds": "s"}
"""What the figures of ``twin traffic assign`` are counted in (TNTP networks give times in minutes)."""
UNITS_LINE = ("units: objective, tstt and generalised_cost in the network's cost units × veh (TNTP: minutes × veh); "
              "unreachable and intrazonal demand and the conservation error in veh; seconds in s")


def _run_summary(r, gap: float) -> dict:
    return {"seconds": round(r.seconds, 3), "iterations": r.iterations, "relative_gap": r.relative_gap,
            "converged": bool(r.relative_gap <= gap), "objective": r.objective, "tstt": r.tstt,
            "generalised_cost": r.generalised_cost, "unreachable_demand": r.unreachable_demand,
            "max_conservation_error": r.max_conservation_error}


def _warn_unconverged(runs: dict, gap: float, max_iter: int) -> None:
    """A line on stderr for each run that stopped at ``max_iter`` above the target gap."""
    for name, r in runs.items():
        if not r["converged"]:
            print(f"twin traffic assign: warning: {name} did not converge: relative gap {r['relative_gap']:.3g} "
                  f"after {r['iterations']} iterations (target {gap:g}); raise --max-iter (now {max_iter})",
                  file=sys.stderr)


def _assign_options(args) -> str | None:
    """What is wrong with ``twin traffic assign``'s options, or None."""
    import math  # noqa: PLC0415

    if not math.isfinite(args.gap) or not MIN_GAP <= args.gap <= MAX_GAP:
        return f"--gap {args.gap:g}: expected a relative gap in [{MIN_GAP:g}, {MAX_GAP:g}] (e.g. 1e-4)"
    if args.max_iter < 1:
        return f"--max-iter {args.max_iter}: expected at least 1 iteration"
    for name in ("distance_weight", "toll_weight"):
        w = getattr(args, name)
        if not math.isfinite(w) or w < 0:
            return f"--{name.replace('_', '-')} {w:g}: expected a weight of at least 0"
    if args.close and not 0 <= args.capacity_factor < 1:
        return (f"--capacity-factor {args.capacity_factor:g}: expected a share of the capacity in [0, 1) "
                "(0 closes the links)")
    return None


def _assign(args) -> int:
    import numpy as np  # noqa: PLC0415

    from twin.models.traffic import assign  # noqa: PLC0415
    from twin.sources.tntp import TntpError, read_network, read_trips  # noqa: PLC0415

    if not args.tntp:
        print("twin traffic assign: --tntp DIR is required", file=sys.stderr)
        return 2
    if args.scenario:
        print(f"twin traffic assign: {args.scenario}: a scenario file is for `twin traffic roadworks`; assign reads "
              "--tntp DIR and its options", file=sys.stderr)
        return 2
    refused = _refuse(args, ("hours", "calibrated", "day_method", "detour", "no_residents_access"), "used only by "
                      "`twin traffic roadworks` (a TNTP network has "
                      "no clock, no counts)") \
        or _refuse(args, ("territory",), "used only by roadworks and calibrate (assign reads --tntp DIR)") \
        or (None if args.close else _refuse(args, ("capacity_factor", "one_direction"), "used only with --close A-B"))
    if refused:
        return refused
    args.gap = 1e-4 if args.gap is None else args.gap
    args.max_iter = 10000 if args.max_iter is None else args.max_iter
    args.algorithm = args.algorithm or "gp"
    args.distance_weight = args.distance_weight or 0.0
    args.toll_weight = args.toll_weight or 0.0
    args.capacity_factor = args.capacity_factor or 0.0
    args.one_direction = bool(args.one_direction)
    wrong = _assign_options(args)
    if wrong:
        print(f"twin traffic assign: {wrong}", file=sys.stderr)
        return 2
    d = Path(args.tntp)
    nets = sorted(d.glob("*_net.tntp"))
    trips = sorted(d.glob("*_trips.tntp*"))
    if not nets or not trips:
        raise TntpError(f"{d}: expected a *_net.tntp and a *_trips.tntp file")
    net = read_network(nets[0], distance_weight=args.distance_weight, toll_weight=args.toll_weight)
    od = read_trips(trips[0], net.n_nodes)
    if args.close:  # checked before the baseline is computed: a typo costs nothing
        try:
            hit, one_way = _closure_mask(net, args.close, args.one_direction)
        except ValueError as exc:
            print(f"twin traffic assign: {exc}", file=sys.stderr)
            return 2
    r = assign(net, od, gap=args.gap, max_iter=args.max_iter, algorithm=args.algorithm,
               baseline=bool(args.close))  # the works' variant starts from it
    result = {"network": d.name, "algorithm": args.algorithm, "relative_gap": r.relative_gap,
              "iterations": r.iterations, "objective": r.objective, "tstt": r.tstt,
              "generalised_cost": r.generalised_cost, "max_conservation_error": r.max_conservation_error,
              "unreachable_demand": r.unreachable_demand, "intrazonal_demand": od.attrs.get("intrazonal_demand", 0.0),
              "seconds": r.seconds, "converged": bool(r.relative_gap <= args.gap), "units": UNITS}
    if not args.close:
        _warn_unconverged({"the assignment": result}, args.gap, args.max_iter)
        print(result_text(result if args.json else {k: v for k, v in result.items() if k != "units"}, args.json, 24))
        if not args.json:  # the JSON carries them as « units »; the table said none
            print(UNITS_LINE)
        return 0
    if args.capacity_factor > 0:  # the links stay open at a fraction of their capacity
        variant_net = copy.copy(net)
        variant_net.capacity = np.where(hit, net.capacity * args.capacity_factor, net.capacity)
        closed = None
    else:
        variant_net, closed = net, hit
    warm = args.algorithm == "gp"
    cold = assign(variant_net, od, gap=args.gap, max_iter=args.max_iter, algorithm=args.algorithm, closed=closed)
    variant = assign(variant_net, od, gap=args.gap, max_iter=args.max_iter, algorithm=args.algorithm, closed=closed,
                     start=r.paths) if warm else cold  # Frank–Wolfe has no warm start: the variant is the cold run
    out = {"network": d.name, "algorithm": args.algorithm, "gap": args.gap,
           "works": {"links": int(hit.sum()), "capacity_factor": args.capacity_factor,
                     "flow_before_veh": float(r.flows[hit].sum()), "one_way_only": one_way},
           "warm_start": warm, "baseline": {**_run_summary(r, args.gap),
                                            "intrazonal_demand": od.attrs.get("intrazonal_demand", 0.0)},
           "variant": _run_summary(variant, args.gap), "variant_cold": _run_summary(cold, args.gap), "units": UNITS,
           "variant_time_over_cold": round(variant.seconds / cold.seconds, 3) if warm and cold.seconds > 0 else None,
           "variant_flows_vs_cold_rel_l2": float(np.linalg.norm(variant.flows - cold.flows)
                                                 / max(np.linalg.norm(cold.flows), 1e-12))}
    _warn_unconverged({k: out[k] for k in ("baseline", "variant", "variant_cold")}, args.gap, args.max_iter)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    n = out["works"]["links"]
    print(f"{d.name}: {n} link{'s' if n != 1 else ''} "
          + ("closed" if closed is not None else f"at {args.capacity_factor:g} × capacity")
          + f" ({out['works']['flow_before_veh']:.0f} veh on {'them' if n != 1 else 'it'} before)"
          + (f"; one way only, the network has no link back: {', '.join(one_way)}" if one_way else ""))
    for name in ("baseline", "variant", "variant_cold"):
        v = out[name]
        print(f"  {name:<13} {v['seconds']:7.2f} s  {v['iterations']:4d} iterations  gap {v['relative_gap']:.2e}"
              f"  objective {v['objective']:.6g}  no route {v['unreachable_demand']:.6g} veh")
    print("  (objective: Beckmann's, in the network's cost units × veh (TNTP: minutes); no route: veh)")
    stranded = out["variant"]["unreachable_demand"] - out["baseline"]["unreachable_demand"]
    if stranded > 0:
        print(f"  the works leave {stranded:.6g} more veh with no route: the variant's objective and travel time "
              "leave them out, so their fall is no improvement")
    if not warm:
        print("  (no warm start with this algorithm: use --algorithm gp)")
    elif cold.seconds < 0.1:
        print("  warm start: both runs took under 0.1 s, too fast to compare")
    else:
        print(f"  warm start: {out['variant_time_over_cold']} × the cold start's time")
    return 0
