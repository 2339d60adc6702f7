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
                                "({\"family\": \"water-break\", \"network_file\": …, \"broken_pipe\": …})")
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

    path = Path(args.path)
    spec = read_scenario_spec(path)
    if spec.get("family") != PipeBreak.family if isinstance(spec, dict) else True:
        raise ScenarioError(f"{path}: expected a scenario of family {PipeBreak.family!r} "
                            f"(got {spec.get('family') if isinstance(spec, dict) else spec!r})")
    scenario = PipeBreak.from_dict(spec, origin=str(path), base_dir=path.resolve().parent)
    outcome = scenario.run()
    if args.json:
        out = json.loads(outcome_text(outcome, True))
        print(json.dumps({"kpis": out, "valves_to_close": outcome.table("valves_to_close").to_dict("records"),
                          "nodes_without_water": outcome.table("nodes_without_water").to_dict("records"),
                          "valves": outcome.data.attrs["valves"]}, indent=1, default=float))
    else:
        print(outcome_text(outcome, False))
        print(f"valves ({outcome.data.attrs['valves']}): close "
              + ", ".join(f"{r.link}@{r.node}" for r in outcome.table("valves_to_close").itertuples()))
    sys.stdout.flush()
    return 0
