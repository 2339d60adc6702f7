"""``twin seeds generate [--seed N]``: regenerate the SYNTHETIC sensor history of the Redon seed."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("seeds", help="regenerate the SYNTHETIC sensor history of the Redon seed")
    p.add_argument("action", choices=["generate"])
    p.add_argument("--seed", type=int, default=None)
    p.set_defaults(func=cmd_seeds)


def cmd_seeds(args) -> int:
    from twin import seeds  # noqa: PLC0415
    from twin.territory import Territory  # noqa: PLC0415

    territory = Territory.from_osm(seeds.default_osm_path(), name=seeds.DEFAULT_NAME)
    store = seeds.build_seed_history(territory, seeds.history_dir(), seed=args.seed)
    print(json.dumps(store.summary(), indent=2))
    return 0
