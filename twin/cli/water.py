"""``twin water info|run``: a water network read from an EPANET file; a main break on it (issue 22)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from twin.cli.printing import json_text, outcome_text, result_text


def register(sub) -> None:
    from twin.cli.water_leaks import register_arguments  # noqa: PLC0415

    p = sub.add_parser("water", help="drinking water: an EPANET network, a main break, leaks in SCADA")
    p.add_argument("action", choices=["info", "run", "leaks"])
    p.add_argument("path", nargs="?", help="info: the network, an EPANET .inp file; run: a scenario JSON file "
                                "({\"family\": \"water-break\", \"water-pressure\" or \"water-meters\", "
                                "\"network_file\": …})")
    register_arguments(p)
    p.add_argument("--crs", help="info: the CRS of the file's coordinates (e.g. EPSG:2154), to place it on a map")
    p.add_argument("--territory", default="redon",
                   help="run: the territory whose SYNTHETIC network a scenario without network_file breaks "
                        "(default: the embedded Redon)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_water)


def cmd_water(args) -> int:
    if args.action == "leaks":
        from twin.cli.water_leaks import cmd_leaks  # noqa: PLC0415

        return cmd_leaks(args)
    if not args.path:
        raise SystemExit(f"twin water {args.action}: the {'network' if args.action == 'info' else 'scenario'} file is required")
    if args.action == "info":
        from twin.sources.epanet import network_summary, read_network  # noqa: PLC0415

        wn = read_network(args.path)
        summary = {"network": Path(args.path).name, **network_summary(wn)}
        if args.crs:
            from twin.errors import TwinError  # noqa: PLC0415
            from twin.territory.water_network import network_layers  # noqa: PLC0415

            try:
                pipes = network_layers(wn, crs=args.crs, to_crs="EPSG:4326")["pipes"]
            except Exception as exc:  # noqa: BLE001 - pyproj's CRSError and the like: a CRS it cannot read
                raise TwinError(f"--crs {args.crs}: not a CRS pyproj knows ({exc})") from None
            west, south, east, north = (round(float(v), 6) for v in pipes.total_bounds)
            summary["extent_wgs84"] = {"west": west, "south": south, "east": east, "north": north}
        print(result_text(summary, args.json, 20, default=float))
        return 0
    from twin.scenarios.base import ScenarioError, read_scenario_spec  # noqa: PLC0415
    from twin.scenarios.water_break import PipeBreak  # noqa: PLC0415
    from twin.scenarios.water_meters import DistrictMeters  # noqa: PLC0415
    from twin.scenarios.water_pressure import PressureManagement  # noqa: PLC0415

    families = {cls.family: cls for cls in (PipeBreak, PressureManagement, DistrictMeters)}
    path = Path(args.path)
    spec = read_scenario_spec(path)
    family = spec.get("family") if isinstance(spec, dict) else None
    if family not in families:
        raise ScenarioError(f"{path}: expected a scenario of family {' or '.join(map(repr, families))} "
                            f"(got {family!r})")
    scenario = families[family].from_dict(spec, origin=str(path), base_dir=path.resolve().parent)
    territory = None
    if not scenario.network_file:
        from twin.seeds import open_territory  # noqa: PLC0415

        territory = open_territory(args.territory)
    outcome = scenario.run(territory)
    lists = {name: outcome.table(name).to_dict("records")
             for name in ("valves_to_close", "nodes_without_water", "buildings_without_water", "sensitive_sites",
                          "districts")
             if name in outcome.tables}
    if args.json:
        print(json_text({"kpis": json.loads(outcome_text(outcome, True)), **lists,
                         **{k: outcome.data.attrs[k] for k in ("network", "valves", "people", "priors", "broken_pipe",
                                                               "broken_street", "leakage", "materials", "meters", "leaks",
                                                               "detection", "hidden_share_of_real_losses")
                            if k in outcome.data.attrs}}, 1, float))
    else:
        print(outcome_text(outcome, False))
        if "priors" in outcome.data.attrs:
            print(f"priors: {outcome.data.attrs['priors']} ({outcome.data.attrs['network']})")
        if "people" in outcome.data.attrs:
            print(f"people: {outcome.data.attrs['people']}")
        if "districts" in lists:
            print(f"{outcome.data.attrs['districts']} districts, meters on {outcome.data.attrs['meters']}; "
                  f"{outcome.data.attrs['leaks']}")
        if "valves_to_close" in lists:
            print(f"valves ({outcome.data.attrs['valves']}): close "
                  + ", ".join(f"{r['link']}@{r['node']}" + (f" ({r['street']})" if r.get("street") else "")
                              for r in lists["valves_to_close"]))
    sys.stdout.flush()
    return 0
