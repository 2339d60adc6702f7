"""``twin traffic assign|roadworks|calibrate``: static user-equilibrium assignment on a TNTP network,
roadworks on the territory, demand calibration on the traffic counts."""

from __future__ import annotations

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
    p.add_argument("--territory", default="redon")
    p.add_argument("--close", action="append", help="street to close (name or OSM way id; repeatable)")
    p.add_argument("--one-direction", action="store_true")
    p.add_argument("--capacity-factor", type=float, default=0.0)
    p.add_argument("--hours", default="07:00-19:00")
    p.add_argument("--gap", type=float, default=1e-4, help="target relative gap")
    p.add_argument("--max-iter", type=int, default=10000)
    p.add_argument("--algorithm", choices=["bfw", "cfw", "fw"], default="bfw")
    p.add_argument("--distance-weight", type=float, default=0.0, help="cost per length unit (e.g. Chicago: 0.04)")
    p.add_argument("--toll-weight", type=float, default=0.0, help="cost per toll unit")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_traffic)


def cmd_traffic(args) -> int:
    if args.action == "calibrate":
        return _calibrate(args)
    if args.action == "roadworks":
        return _roadworks(args)
    return _assign(args)


def _calibrate(args) -> int:
    from twin.calibration.traffic import calibrate_demand, observed_peak_counts  # noqa: PLC0415

    territory = common.load_territory(args.territory)
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
    return 0


def _roadworks(args) -> int:
    from twin.scenarios.roadworks import Roadworks  # noqa: PLC0415

    territory = common.load_territory(args.territory)
    scenario = common.scenario_or(args.scenario, lambda: Roadworks(
        streets=args.close or [], one_direction=args.one_direction,
        capacity_factor=args.capacity_factor, hours=args.hours))
    outcome = scenario.run(territory)
    print(outcome_text(outcome, args.json))
    if not args.json:
        print(f"  streets gaining most traffic (peak hour): {outcome.data.attrs['top_gainers']}")
    return 0


def _assign(args) -> int:
    from twin.models.traffic import assign  # noqa: PLC0415
    from twin.sources.tntp import TntpError, read_network, read_trips  # noqa: PLC0415

    if not args.tntp:
        print("twin traffic assign: --tntp DIR is required", file=sys.stderr)
        return 2
    d = Path(args.tntp)
    nets = sorted(d.glob("*_net.tntp"))
    trips = sorted(d.glob("*_trips.tntp*"))
    if not nets or not trips:
        raise TntpError(f"{d}: expected a *_net.tntp and a *_trips.tntp file")
    net = read_network(nets[0], distance_weight=args.distance_weight, toll_weight=args.toll_weight)
    od = read_trips(trips[0], net.n_nodes)
    r = assign(net, od, gap=args.gap, max_iter=args.max_iter, algorithm=args.algorithm)
    result = {"network": d.name, "algorithm": args.algorithm, "relative_gap": r.relative_gap,
              "iterations": r.iterations, "objective": r.objective, "tstt": r.tstt,
              "generalised_cost": r.generalised_cost, "max_conservation_error": r.max_conservation_error,
              "unreachable_demand": r.unreachable_demand, "intrazonal_demand": od.attrs.get("intrazonal_demand", 0.0),
              "seconds": r.seconds}
    print(result_text(result, args.json, 24))
    return 0
