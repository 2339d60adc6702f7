"""The ``twin`` command. Thin: every command is a call to functions usable from Python.

Each command is a module of this package with ``register(sub)`` (its subparser and command
function); :func:`build_parser` assembles them in :data:`COMMANDS` order, :mod:`twin.cli.printing`
formats what they print, :mod:`twin.cli.common` holds what several share.

    twin run [redon] [--scenario FILE.json]     build/load the default territory, summarise it, run scenarios
    twin info [PATH|redon] [--json]             counts per layer, graph sizes, sensors, period, what was generated
    twin build OSM_FILE --out DIR [--osm-limit NAME=VALUE …]   build a territory from a local OSM extract, save it
    twin sensors register FILE [--store DIR]    register sensors from a CSV
    twin sensors import FILE [--store DIR] ...  ingest observations (long, one-sensor or wide CSV)
    twin sensors list [--store DIR]             the registry
    twin sensors summary|export ...             one sensor's sums; the store as NGSI-LD or SensorThings
    twin watch --store DIR --inbox FOLDER [--once] [--every MIN] [--rules RULES.json]   ingest new files as they
                                                arrive, run the detectors, send the alerts
    twin alerts list|ack ID|test [--store DIR] [--rules RULES.json]   the alerts found, acknowledged, a test message
    twin seeds generate [--seed N]              regenerate the SYNTHETIC Redon history
    twin lighting run SCENARIO [--territory T] [--inventory CSV|GEOJSON] [--json]
    twin lighting night-hours --lat LAT --lon LON --year YEAR [--off 23:00-05:00] [--json]
    twin lighting calibrate [--territory T] [--json]
    twin lighting diagnosis [--territory T] --out FILE.geojson|FILE.csv
    twin hydro run --data CSV|STORE --model gr4j|gr4h --params X1,X2,X3,X4 --warmup D --start D --end D [--json]
    twin hydro calibrate --data CSV|STORE --model gr4j|gr4h --warmup D --start D --end D [--json]
    twin flood run [SCENARIO.json] [--territory T] [--at TIME] [--json] [--alert-list FILE.csv]
    twin flood replay --start TIME --end TIME [--every 6] [--horizon 48] [--territory T] [--json]
    twin buildings fit --meter CSV --temperature CSV [--freq daily|hourly|monthly] [--unit kWh] [--json]
    twin buildings savings --meter CSV --temperature CSV --baseline START:END --reporting START:END [--json]
    twin buildings run [SCENARIO.json] [--territory T] [--json]
    twin buildings rank [--territory T] [--out FILE.csv|FILE.geojson]
    twin buildings anomalies --meter CSV --temperature CSV [--unit U] [--tz TZ] [--json]   changes and faults
    twin traffic assign --tntp DIR [--gap 1e-4] [--max-iter N] [--distance-weight W] [--toll-weight W] [--json]
    twin traffic roadworks [SCENARIO.json] [--close STREET …] [--one-direction] [--capacity-factor F] [--hours H-H] [--day-method peak+off-peak]
    twin traffic calibrate [--territory T] [--json]
    twin bins fit --records CSV [--holdout-from DATE] [--online] [--json]   fill rates, held-out error
    twin bins run [SCENARIO.json] [--territory T] [--json]       collection policy / compacting / added bins
    twin water info NET.inp [--json]            an EPANET network: counts, lengths, units
    twin water run SCENARIO.json [--json]       a main break (valves, people without water) or PRV setpoints (leakage, bursts)
    twin water leaks --network NET.inp --scada DIR [--truth LEAKS.csv] [--json]   leaks found in SCADA, scored
    twin parking fit --occupancy CSV [--holdout-from DATE] [--simulate] [--json]   arrivals and stays; forecast scored
    twin parking run [SCENARIO.json] [--territory T] [--json]   drivers searching for a space (mesa agents)
    twin app [--territory T] [--port 5006] [--address 127.0.0.1] [--show]   serve the Panel app
    twin ensemble SCENARIO_FILE --members N [--scheduler ADDRESS|sync] [--out PATH.zarr] [--seed S]
    twin sensitivity SCENARIO_FILE --method sobol|morris --samples N [--out indices.csv] [--chart KPI --png FILE]
"""

from __future__ import annotations

import argparse
import sys

from twin.cli import (alerts, app, bins, build, buildings, ensemble, flood, hydro, info, lighting, parking, run, seeds,
                      sensitivity, sensors, traffic, watch, water)

# the order of `twin --help`
COMMANDS = (run, info, build, sensors, watch, alerts, lighting, hydro, flood, buildings, app, bins, traffic, water,
            parking, ensemble, sensitivity, seeds)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twin", description="Digital twin and what-if scenarios for French territories")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from twin.errors import USER_ERRORS, TwinError, bounded  # noqa: PLC0415

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except USER_ERRORS as exc:
        # a TwinError's message is bounded where it is made; another (FileNotFoundError) here
        print(f"error: {str(exc) if isinstance(exc, TwinError) else bounded(str(exc))}", file=sys.stderr)
        return 1


__all__ = ["COMMANDS", "build_parser", "main"]
