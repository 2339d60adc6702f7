"""``twin run [TERRITORY] [--scenario FILE.json …]``: load a territory, summarise it, run scenarios
(default: the seed's demos, ``seeds/redon/seed.json``)."""

from __future__ import annotations

import time

from twin.cli import common
from twin.cli.printing import print_summary


SENSOR_WOULD = {
    "bins": "fill sensors tell the town's fill rate — what they are worth: twin bins value",
    "heating": "a year of gas meter readings tells which building burns most per m² — what meters are worth to the "
               "choice of the next retrofit: twin buildings value",
    "flood": "a discharge gauge calibrates GR4H and a rating curve on the river's own history, and official "
             "alert levels replace the bank-top convention (the area alone, area_km2, narrows it most)",
    "roadworks": "traffic counts calibrate the gravity demand: twin traffic calibrate",
    "lighting": "a lamp inventory (twin lighting --inventory FILE) replaces the generated lamps",
    "parking": "occupancy sensors (twin parking bays) calibrate the demand",
    "water-break": "the utility's network file (EPANET .inp, network_file) replaces the SYNTHETIC network",
    "water-pressure": "the utility's network file and night-flow records replace the SYNTHETIC network and leakage",
    "water-meters": "the utility's network file and leak history replace the SYNTHETIC network and frequencies",
}
"""Per family: what a sensor (or the operator's own data) would change in a demo run from priors."""


def register(sub) -> None:
    p = sub.add_parser("run", help="load the territory (default: Redon), summarise it, run scenarios")
    p.add_argument("territory", nargs="?", default="redon", help="'redon', an OSM file or a saved territory directory")
    p.add_argument("--scenario", action="append",
                   help="scenario JSON file (repeatable); default: the seed's demos on Redon, one demo of every "
                        "family on any other territory")
    p.add_argument("--rebuild", action="store_true", help="rebuild the default territory instead of using the cache")
    p.add_argument("--inputs", action="append", metavar="DIR",
                   help="directory whose files a scenario may name (repeatable; also TWIN_INPUT_DIRS). The scenario "
                        "file's own directory always is one; without --inputs or TWIN_INPUT_DIRS, so is the working "
                        "directory")
    p.add_argument("--gpkg", metavar="FILE", help="also write the territory and every outcome's per-asset tables and "
                   "KPIs to this GeoPackage (one file a GIS opens; units in the field aliases)")
    p.set_defaults(func=cmd_run)


def cmd_run(args) -> int:
    from twin.errors import USER_ERRORS  # noqa: PLC0415
    from twin.scenarios import load_scenario  # noqa: PLC0415
    from twin.seeds import DEFAULT_NAME, demo_scenarios  # noqa: PLC0415

    common.allow_inputs(args)
    # every scenario file is read and checked before the territory loads: a bad one fails at once
    seed = not args.scenario and args.territory in (DEFAULT_NAME, "default")  # open_territory's two names for it
    scenarios = [load_scenario(f) for f in args.scenario] if args.scenario else demo_scenarios() if seed else None
    t0 = time.perf_counter()
    territory = common.load_territory(args.territory, rebuild=args.rebuild)
    print(f"loaded in {time.perf_counter() - t0:.2f} s")
    print_summary(territory)
    generated = scenarios is None  # a territory the seed's demos do not know: one demo of every family
    if generated:
        scenarios = _territory_demos(territory)
    outcomes, summary = {}, []
    for scenario in scenarios:
        print()
        t1 = time.perf_counter()
        if isinstance(scenario, str):  # a demo the territory gives nothing to run on (no named street)
            family, why = scenario.split(": ", 1)
            print(f"{family}: not run — {why}")
            summary.append((family, "not run", why))
            continue
        try:
            outcome = scenario.run(territory)
        except Exception as exc:  # noqa: BLE001 - generated demos: one family's failure is said, the others run
            if not generated:
                raise
            why = str(exc) if isinstance(exc, USER_ERRORS) else f"failed ({type(exc).__name__}: {exc})"
            print(f"{scenario.family}: not run — {why}")
            summary.append((scenario.family, "not run", why))
            continue
        print(outcome.to_text())
        print(f"  ({', '.join(f'{k}: {_attr_text(k, v)}' for k, v in outcome.data.attrs.items() if k != 'scenario')}; "
              f"ran in {time.perf_counter() - t1:.2f} s)")
        summary.append((scenario.family, "ran", outcome.data.attrs.get("priors", "")
                        or ("no prior: the territory's own map and sensor history" if territory.sensors is not None
                            else "no prior needed: map data only")))
        outcomes[f"{len(outcomes) + 1}_{outcome.data.attrs.get('scenario', 'outcome')}".replace("-", "_")] = outcome
    if generated:
        print(f"\n{sum(s == 'ran' for _, s, _ in summary)} of {len(summary)} families ran on {territory.name}:")
        for family, status, note in summary:
            print(f"  {family:16s} {status:8s} " + (f"priors: {note}" if status == "ran" and not note.startswith("no prior")
                                                 else note))
            if status == "ran" and not note.startswith("no prior") and family in SENSOR_WOULD:
                print(f"  {'':16s} {'':8s} a sensor would: {SENSOR_WOULD[family]}")
    if args.gpkg:
        from twin.territory.geopackage import write_geopackage  # noqa: PLC0415

        layers = write_geopackage(args.gpkg, territory, outcomes)
        print(f"\n{len(layers)} layers written to {args.gpkg}: {', '.join(layers)}")
    return 0


def _territory_demos(territory) -> list:
    """The scenarios of :func:`twin.demos.territory_demos`, built and checked like scenario files."""
    from twin.demos import territory_demos  # noqa: PLC0415
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    out = []
    for demo in territory_demos(territory):
        if demo.skip:  # said in the run, as a family that could not run
            out.append(f"{demo.spec['family']}: {demo.skip}")
            continue
        print(f"demo {demo.spec['family']}: {demo.why}")
        out.append(SCENARIOS[demo.spec["family"]].from_dict(demo.spec, origin=f"demo for {territory.name}"))
    return out


def _attr_text(key: str, value) -> str:
    """An outcome attribute as the run's summary line says it: a long list of member seeds by its count
    and ends (500 seeds printed whole drowned the line)."""
    if key == "member_seeds":
        seeds = str(value).split(",")
        if len(seeds) > 6:
            return f"{len(seeds)} seeds ({seeds[0]} … {seeds[-1]})"
    return str(value)
