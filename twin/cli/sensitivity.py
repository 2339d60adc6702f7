"""``twin sensitivity SCENARIO_FILE --method sobol|morris --samples N``: which inputs a scenario's KPIs
are sensitive to (the file's ``"uncertain"`` entry gives their ranges)."""

from __future__ import annotations

from pathlib import Path

from twin.cli import common


def register(sub) -> None:
    p = sub.add_parser("sensitivity", help="Sobol' or Morris sensitivity of a scenario's KPIs to its inputs")
    p.add_argument("scenario", help="scenario JSON file with an \"uncertain\" entry: {input: [low, high]}")
    p.add_argument("--method", choices=["sobol", "morris"], default="morris")
    p.add_argument("--samples", type=int, default=10, help="Morris trajectories, or Sobol' base samples")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--territory", default="redon")
    p.add_argument("--out", help="CSV of every index")
    p.add_argument("--chart", help="KPI to chart (ranked bars)")
    p.add_argument("--variant", help="variant to chart (default: the first non-baseline)")
    p.add_argument("--png", help="chart file (default sensitivity.png)")
    p.add_argument("--inputs", action="append", metavar="DIR", help=common.INPUTS_HELP)
    p.set_defaults(func=cmd_sensitivity)


def cmd_sensitivity(args) -> int:
    from twin.scenarios.base import read_scenario_spec  # noqa: PLC0415
    from twin.sensitivity import SensitivityError, check_design, ranked_chart, scenario_sensitivity  # noqa: PLC0415

    common.allow_inputs(args)
    spec = read_scenario_spec(args.scenario)
    inputs = spec.pop("uncertain", None)
    if not inputs:
        raise SensitivityError(f"{args.scenario}: add an \"uncertain\" entry with the inputs' ranges, "
                               "e.g. {\"price_eur_per_kwh\": [0.15, 0.30]}")
    base_dir = Path(args.scenario).resolve().parent
    check_design(spec, inputs, method=args.method, n=args.samples, base_dir=base_dir)  # before loading anything
    territory = common.load_territory(args.territory)
    idx = scenario_sensitivity(spec, territory, inputs, method=args.method, n=args.samples, seed=args.seed,
                               base_dir=base_dir)
    if args.out:
        idx.to_csv(args.out, index=False)
        print(f"indices written to {args.out}")
    col = "ST" if args.method == "sobol" else "mu_star"
    top = idx.sort_values(col, ascending=False).groupby(["variant", "kpi"]).head(1)
    print(top[["variant", "kpi", "input", col]].to_string(index=False))
    if args.chart:
        variant = args.variant or [v for v in idx["variant"].unique() if v != "baseline"][0]
        print(f"chart: {ranked_chart(idx, variant, args.chart, args.png or 'sensitivity.png')}")
    return 0
