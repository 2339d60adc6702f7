"""``twin info [TERRITORY] [--json]``: counts per layer, graph sizes, sensors, period, what was generated."""

from __future__ import annotations

from twin.cli import common
from twin.cli.printing import print_summary


def register(sub) -> None:
    p = sub.add_parser("info", help="describe a territory")
    p.add_argument("territory", nargs="?", default="redon")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)


def cmd_info(args) -> int:
    territory = common.load_territory(args.territory)
    print_summary(territory, as_json=args.json)
    if not args.json:
        print("build report:")
        for line in territory.report.lines():
            print(f"  {line}")
    return 0
