"""``twin water leaks``: leaks found in SCADA files, scored against the true leaks when given (issue 22)."""

from __future__ import annotations

import json
from pathlib import Path


def register_arguments(p) -> None:
    p.add_argument("--network", help="leaks: the network, an EPANET .inp file")
    p.add_argument("--scada", help="leaks: folder of SCADA files in BattLeDIM's layout (<year>_SCADA_Pressures.csv, "
                                   "…_Flows.csv, …_Levels.csv, …_Demands.csv; whichever are present)")
    p.add_argument("--truth", help="leaks: the true leaks, a CSV in BattLeDIM's columns (link_id, start_time, …); "
                                   "their flows are read from <year>_Leakages.csv in --scada when it is there")
    p.add_argument("--train-days", type=int, default=7, help="leaks: days at the start taken as leak-free (default 7)")


def cmd_leaks(args) -> int:
    from twin.models import water_leaks as detect  # noqa: PLC0415
    from twin.models.water_leak_score import pipe_distances, score  # noqa: PLC0415
    from twin.sources.epanet import read_network  # noqa: PLC0415
    from twin.sources.scada import read_leak_flows, read_leaks, read_scada  # noqa: PLC0415

    from twin.sources.scada import ScadaFileError  # noqa: PLC0415

    if not args.network or not args.scada:
        raise ScadaFileError("twin water leaks: --network NET.inp and --scada DIR are required")
    if args.train_days < 1:
        raise ScadaFileError(f"--train-days: expected 1 day or more, got {args.train_days}")
    wn = read_network(args.network)
    scada = read_scada(args.scada)
    _check_sensors(scada, wn)
    methods, skipped = {}, {}
    if "pressures" in scada:
        try:
            methods["pressure"] = detect.pressure_detections(scada["pressures"], train_days=args.train_days)
        except ValueError as exc:  # too few sensors, too short a record
            skipped["pressure"] = f"{args.scada}: {exc}"
    if "flows" in scada:
        try:
            inflow = detect.net_inflow(scada["flows"], scada.get("levels"), reservoir_links(wn), tank_areas(wn))
            methods["night-flow"] = detect.night_flow_detections(inflow, train_days=args.train_days)
        except ValueError as exc:  # a reservoir's outflow or a tank's level not measured
            skipped["night-flow"] = f"{args.scada}: {exc}"
    if not methods:
        raise ScadaFileError(f"{args.scada}: no detector can run on these files: "
                             + ("; ".join(skipped.values()) or "neither pressures nor flows"))
    primary = next(iter(methods))
    out = {"network": Path(args.network).name, "sensors": {k: v.shape[1] for k, v in scada.items()},
           "period": [str(min(v.index[0] for v in scada.values())), str(max(v.index[-1] for v in scada.values()))],
           "method": primary, "detections": [d.as_dict() for d in methods[primary]],
           "baseline": {"method": "night-flow", "detections": [d.as_dict() for d in methods.get("night-flow", [])]}
           if primary != "night-flow" else None, "skipped": skipped}
    if args.truth:
        leaks = read_leaks(args.truth)
        for leak in leaks:
            if leak.link is not None and leak.link not in wn.link_name_list:
                raise ScadaFileError(f"{args.truth}: leak on {leak.link!r}, which is not a link of {args.network}")
        flows, distance = read_leak_flows(args.scada), pipe_distances(wn)
        out["score"] = score(methods[primary], leaks, distance, flows)
        if out["baseline"] is not None and "night-flow" in methods:
            out["baseline"]["score"] = score(methods["night-flow"], leaks, distance, flows)
    print(json.dumps(out, indent=1, default=str) if args.json else _text(out))
    return 0


def reservoir_links(wn) -> dict[str, float]:
    """Links out of a reservoir → the sign that makes their flow leave it."""
    out = {}
    for r in wn.reservoir_name_list:
        for name in wn.get_links_for_node(r):
            out[name] = 1.0 if wn.get_link(name).start_node_name == r else -1.0
    return out


def tank_areas(wn) -> dict[str, float]:
    """Cross-section of each cylindrical tank [m²] (a volume curve is not read: its tank is refused)."""
    import math  # noqa: PLC0415

    out = {}
    for t in wn.tank_name_list:
        tank = wn.get_node(t)
        if tank.vol_curve is not None:
            raise ValueError(f"tank {t!r} has a volume curve; the night flow reads cylindrical tanks only")
        out[t] = math.pi * tank.diameter ** 2 / 4
    return out


def _check_sensors(scada: dict, wn) -> None:
    nodes, links = set(wn.node_name_list), set(wn.link_name_list)
    for kind, table in scada.items():
        known = links if kind == "flows" else nodes
        unknown = [c for c in table.columns if c not in known]
        if unknown:
            what = "link" if kind == "flows" else "node"
            from twin.sources.scada import ScadaFileError  # noqa: PLC0415

            raise ScadaFileError(f"{kind} sensor(s) {unknown[:5]} name no {what} of the network")


def _text(out: dict) -> str:
    lines = [f"{out['network']}: {out['period'][0]} → {out['period'][1]}, sensors {out['sensors']}",
             f"{out['method']}: {len(out['detections'])} detection(s)"]
    lines += [f"  {d['start']}  {d['node'] or '(not localised)'}  confidence {d['confidence']}" for d in out["detections"]]
    for name, block in (("score", out.get("score")), ("baseline score", (out.get("baseline") or {}).get("score"))):
        if block:
            t, b = block["timing"], block["battledim"]
            lines.append(f"{name}: {t['detected']}/{block['leaks']} leaks detected, median delay {t['median_delay_h']} h; "
                         f"BattLeDIM {b['score_eur']} € ({b['true_positives']} within 300 m, {b['false_alarms']} false alarms)")
    return "\n".join(lines)
