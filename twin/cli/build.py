"""``twin build OSM_FILE --out DIR [--name N] [--osm-limit NAME=VALUE …]``: build a territory from a
local OSM extract and save it."""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("build", help="build a territory from a local OSM extract and save it")
    p.add_argument("osm")
    p.add_argument("--out", required=True)
    p.add_argument("--name")
    p.add_argument("--osm-limit", action="append", type=osm_limit, metavar="NAME=VALUE",
                   help="raise or lower a limit of the OSM reader (repeatable; names: "
                        f"{', '.join(_limit_names())}; see twin.sources.osm.OsmLimits)")
    p.add_argument("--buildings", metavar="BDTOPO", help="IGN BD TOPO BATIMENT file (Shapefile or GeoPackage): "
                   "dwellings, heights, storeys and use joined to the OSM buildings")
    p.add_argument("--addresses", metavar="BAN", help="Base Adresse Nationale CSV (adresses-<dép>.csv[.gz]): "
                   "postal addresses given to the buildings OSM leaves without one")
    p.set_defaults(func=cmd_build)


def _limit_names() -> list[str]:
    from twin.sources.osm import OsmLimits  # noqa: PLC0415

    return [f.name for f in fields(OsmLimits)]


def osm_limit(text: str) -> tuple[str, int]:
    """``NAME=VALUE`` of ``--osm-limit`` → ``(name, value)``: a field of OsmLimits and a positive integer."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    if name not in _limit_names():
        raise argparse.ArgumentTypeError(f"unknown limit {name!r} (known: {', '.join(_limit_names())})")
    try:
        number = int(value.strip().replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{name}: expected a positive number, got {number}")
    return name, number


def cmd_build(args) -> int:
    from twin.sources.osm import OsmLimits  # noqa: PLC0415
    from twin.territory import Territory, TerritoryBuildError  # noqa: PLC0415

    out = Path(args.out)
    # save() replaces --out whole (and deletes what was there): only a saved territory or an empty
    # directory may be replaced, checked before the build
    try:
        replaceable = not out.exists() or (out.is_dir() and ((out / "territory.json").is_file()
                                                             or not any(out.iterdir())))
    except OSError as exc:
        raise TerritoryBuildError(f"--out {out}: cannot be inspected ({exc.strerror or exc})") from None
    if not replaceable:
        raise TerritoryBuildError(f"--out {out}: exists and is not a saved territory (no territory.json); "
                                  "twin build replaces --out whole, give a new or an empty directory")
    limits = OsmLimits(**dict(args.osm_limit)) if args.osm_limit else None  # a repeated name: the last one
    territory = Territory.from_osm(args.osm, name=args.name, limits=limits)
    if args.buildings or args.addresses:
        territory = territory.with_building_data(bdtopo=args.buildings, addresses=args.addresses)
    try:
        territory.save(out)
    except OSError as exc:
        raise TerritoryBuildError(f"--out {out}: the territory cannot be written there "
                                  f"({exc.strerror or exc}: {exc.filename or out})") from None
    for line in territory.report.lines():
        print(line)
    print(f"saved to {args.out}")
    return 0
