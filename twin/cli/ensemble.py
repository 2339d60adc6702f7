"""``twin ensemble SCENARIO_FILE --members N``: many members of a scenario on dask, written to Zarr, resumable."""

from __future__ import annotations

from pathlib import Path

from twin.cli import common


def register(sub) -> None:
    p = sub.add_parser("ensemble", help="many members of a scenario on dask, written to Zarr, resumable")
    p.add_argument("scenario", help="scenario JSON file of a family with a seed (e.g. flood)")
    p.add_argument("--members", type=int, required=True, help="1 to 100,000 (twin.ensemble.MAX_MEMBERS)")
    p.add_argument("--scheduler", help="'sync', or a dask scheduler address (default: a LocalCluster)")
    p.add_argument("--out", help="Zarr store (resumed if it holds this ensemble; any other existing file or store "
                                 "is refused before computing)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=25)
    p.add_argument("--territory", default="redon")
    p.add_argument("--inputs", action="append", metavar="DIR", help=common.INPUTS_HELP)
    p.set_defaults(func=cmd_ensemble)


def cmd_ensemble(args) -> int:
    from twin.ensemble import run_ensemble  # noqa: PLC0415
    from twin.scenarios.base import read_scenario_spec  # noqa: PLC0415

    common.allow_inputs(args)
    spec = read_scenario_spec(args.scenario)  # bounded, a JSON object; run_ensemble checks the rest first
    ds = run_ensemble(spec, members=args.members, territory=args.territory, seed=args.seed, out=args.out,
                      scheduler=args.scheduler, batch_size=args.batch_size,
                      base_dir=Path(args.scenario).resolve().parent)
    summary = ds["value"].quantile([0.05, 0.5, 0.95], dim="member").transpose("variant", "kpi", "quantile")
    for variant in summary["variant"].values:
        print(f"[{variant}]")
        for kpi in summary["kpi"].values:
            q = summary.sel(variant=variant, kpi=kpi).values
            unit = str(ds["unit"].sel(kpi=kpi).item())
            print(f"  {kpi:<24} median {q[1]:10.4g}  90 % band {q[0]:.4g} … {q[2]:.4g} {unit}")
    if args.out:
        print(f"{int(ds['done'].sum())} of {args.members} members in {args.out}")
    return 0
