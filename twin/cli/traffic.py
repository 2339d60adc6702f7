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
    p.add_argument("--territory", default="redon")
    p.add_argument("--close", action="append",
                   help="roadworks: street to close (name or OSM way id); assign --tntp: links A-B[,C-D…] "
                        "(TNTP node numbers, both directions unless --one-direction); repeatable")
    p.add_argument("--one-direction", action="store_true")
    p.add_argument("--capacity-factor", type=float, default=0.0,
                   help="the works keep this share of the capacity (0: closed)")
    p.add_argument("--hours", default="07:00-19:00")
    p.add_argument("--gap", type=float, default=1e-4, help="target relative gap")
    p.add_argument("--max-iter", type=int, default=10000)
    p.add_argument("--algorithm", choices=["gp", "bfw", "cfw", "fw"], default="gp",
                   help="gp: path-based gradient projection (warm starts); bfw/cfw/fw: Frank–Wolfe")
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
        print(f"  streets gaining most traffic (the works' peak hour): {outcome.data.attrs['top_gainers'] or 'none'}")
    return 0


def _closure_mask(net, pairs: list[str], one_direction: bool) -> "np.ndarray":
    """The links ``A-B`` (TNTP node numbers, comma-separated, repeatable) and, unless ``one_direction``,
    ``B-A``; an error naming any pair that is no link of the network."""
    import numpy as np  # noqa: PLC0415

    closed = np.zeros(net.n_links, bool)
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
            closed |= (net.init == v) & (net.term == u)
    return closed


def _run_summary(r) -> dict:
    return {"seconds": round(r.seconds, 3), "iterations": r.iterations, "relative_gap": r.relative_gap,
            "objective": r.objective, "tstt": r.tstt, "generalised_cost": r.generalised_cost,
            "unreachable_demand": r.unreachable_demand, "max_conservation_error": r.max_conservation_error}


def _assign(args) -> int:
    import numpy as np  # noqa: PLC0415

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
    if args.close:  # checked before the baseline is computed: a typo costs nothing
        if not 0 <= args.capacity_factor < 1:
            print(f"twin traffic assign: --capacity-factor {args.capacity_factor:g}: expected a share of the "
                  "capacity in [0, 1) (0 closes the links)", file=sys.stderr)
            return 2
        try:
            hit = _closure_mask(net, args.close, args.one_direction)
        except ValueError as exc:
            print(f"twin traffic assign: {exc}", file=sys.stderr)
            return 2
    r = assign(net, od, gap=args.gap, max_iter=args.max_iter, algorithm=args.algorithm)
    result = {"network": d.name, "algorithm": args.algorithm, "relative_gap": r.relative_gap,
              "iterations": r.iterations, "objective": r.objective, "tstt": r.tstt,
              "generalised_cost": r.generalised_cost, "max_conservation_error": r.max_conservation_error,
              "unreachable_demand": r.unreachable_demand, "intrazonal_demand": od.attrs.get("intrazonal_demand", 0.0),
              "seconds": r.seconds}
    if not args.close:
        print(result_text(result, args.json, 24))
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
                     "flow_before_veh": float(r.flows[hit].sum())},
           "warm_start": warm, "baseline": {**_run_summary(r), "intrazonal_demand": od.attrs.get("intrazonal_demand",
                                                                                                 0.0)},
           "variant": _run_summary(variant), "variant_cold": _run_summary(cold),
           "variant_time_over_cold": round(variant.seconds / cold.seconds, 3) if warm and cold.seconds > 0 else None,
           "variant_flows_vs_cold_rel_l2": float(np.linalg.norm(variant.flows - cold.flows)
                                                 / max(np.linalg.norm(cold.flows), 1e-12))}
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{d.name}: {out['works']['links']} links "
          + ("closed" if closed is not None else f"at {args.capacity_factor:g} × capacity")
          + f" ({out['works']['flow_before_veh']:.0f} veh on them before)")
    for name in ("baseline", "variant", "variant_cold"):
        v = out[name]
        print(f"  {name:<13} {v['seconds']:7.2f} s  {v['iterations']:4d} iterations  gap {v['relative_gap']:.2e}"
              f"  objective {v['objective']:.6g}  no route {v['unreachable_demand']:.6g}")
    print(f"  warm start: {out['variant_time_over_cold']} × the cold start's time" if warm
          else "  (no warm start with this algorithm: use --algorithm gp)")
    return 0
