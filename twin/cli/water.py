"""``twin water info|run``: a water network read from an EPANET file; a main break on it (issue 22)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from twin.cli.printing import outcome_text, result_text


def register(sub) -> None:
    from twin.cli.water_leaks import register_arguments  # noqa: PLC0415

    p = sub.add_parser("water", help="drinking water: an EPANET network, a main break, leaks in SCADA")
    p.add_argument("action", choices=["info", "run", "leaks"])
    p.add_argument("path", nargs="?", help="info: the network, an EPANET .inp file; run: a scenario JSON file "
                                "({\"family\": \"water-break\" or \"water-pressure\", \"network_file\": …})")
    register_arguments(p)
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

        summary = network_summary(read_network(args.path))
        print(result_text({"network": Path(args.path).name, **summary}, args.json, 20, default=float))
        return 0
    from twin.scenarios.base import ScenarioError, read_scenario_spec  # noqa: PLC0415
    from twin.scenarios.water_break import PipeBreak  # noqa: PLC0415
    from twin.scenarios.water_pressure import PressureManagement  # noqa: PLC0415

    families = {cls.family: cls for cls in (PipeBreak, PressureManagement)}
    path = Path(args.path)
    spec = read_scenario_spec(path)
    family = spec.get("family") if isinstance(spec, dict) else None
    if family not in families:
        raise ScenarioError(f"{path}: expected a scenario of family {' or '.join(map(repr, families))} "
                            f"(got {family!r})")
    outcome = families[family].from_dict(spec, origin=str(path), base_dir=path.resolve().parent).run()
    lists = {name: outcome.table(name).to_dict("records") for name in ("valves_to_close", "nodes_without_water")
             if name in outcome.tables}
    if args.json:
        print(json.dumps({"kpis": json.loads(outcome_text(outcome, True)), **lists,
                          **{k: outcome.data.attrs[k] for k in ("valves", "leakage", "materials")
                             if k in outcome.data.attrs}}, indent=1, default=float))
    else:
        print(outcome_text(outcome, False))
        if "valves_to_close" in lists:
            print(f"valves ({outcome.data.attrs['valves']}): close "
                  + ", ".join(f"{r['link']}@{r['node']}" for r in lists["valves_to_close"]))
    sys.stdout.flush()
    return 0
