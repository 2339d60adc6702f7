"""The embedded default territory (Redon): where it lives, how its history is made, how to load it fast.

``seeds/redon/`` holds the OSM extract (ODbL), a SYNTHETIC sensor history made
by :mod:`twin.synthetic.redon` and ``seed.json``, the seed's configuration (its demo
scenarios and the territory's own scenario defaults, :func:`seed_config`; the rainfall–runoff
commands read their sensors from the flood defaults). :func:`load_default` builds the territory once, caches it
(``$TWIN_CACHE``, default ``<repo>/.twin-cache``) and afterwards loads the cached copy,
rebuilding when the OSM file or the territory-building code changed, and taking the
defaults of ``seed.json`` as they are now (the cache is re-saved when they changed).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from twin.sensors import SensorStore
from twin.storage import atomic_directory
from twin.territory import Territory, TerritoryBuildError, builder_fingerprint, check_defaults

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = Path(os.environ.get("TWIN_SEEDS", REPO_ROOT / "seeds"))
DEFAULT_NAME = "redon"
CONFIG_FILE = "seed.json"
HYDRO_SENSORS = {"rain": "rain_gauge", "flow": "flow_gauge", "temperature": "temperature"}
"""Each sensor option of the rainfall–runoff commands (``twin hydro --rain …``) and the flood default it
falls back to on the seed's store (``defaults.flood`` of ``seed.json``)."""


class SeedConfigError(TerritoryBuildError):
    """The seed's configuration file is missing, not JSON, or not as :func:`seed_config` expects."""


def seed_dir(name: str = DEFAULT_NAME) -> Path:
    return SEEDS_DIR / name


def default_osm_path(name: str = DEFAULT_NAME) -> Path:
    return seed_dir(name) / "redon_centre_raw.osm.gz"


def history_dir(name: str = DEFAULT_NAME) -> Path:
    """Directory of the seed's synthetic history: ``sensors/`` (the store) and ``truth.json``."""
    return seed_dir(name) / "history"


def seed_config(name: str = DEFAULT_NAME) -> dict:
    """The seed's configuration, ``seeds/<name>/seed.json``, checked: ``demos`` (a list of
    ``{"why": text, "scenario": {"family": …, parameters…}}``) and optionally ``defaults``, the
    territory's own scenario defaults per family (:attr:`twin.territory.Territory.defaults`; each
    family must be a known scenario family). Errors name the file and the entry."""
    path = seed_dir(name) / CONFIG_FILE
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedConfigError(f"{path}: the seed's configuration is missing") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedConfigError(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise SeedConfigError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(config, dict):
        raise SeedConfigError(f"{path}: expected a JSON object with \"demos\" and \"defaults\"")
    demos = config.get("demos")
    if not isinstance(demos, list):
        raise SeedConfigError(f"{path}: \"demos\" must be a list")
    for i, demo in enumerate(demos):
        if not (isinstance(demo, dict) and isinstance(demo.get("scenario"), dict)
                and isinstance(demo["scenario"].get("family"), str)):
            raise SeedConfigError(f"{path}: demos[{i}] must be {{\"why\": …, \"scenario\": {{\"family\": …}}}}")
    try:
        config["defaults"] = check_defaults(config.get("defaults", {}), f"{path}: \"defaults\"")
    except TerritoryBuildError as exc:
        raise SeedConfigError(str(exc)) from None
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    unknown = sorted(set(config["defaults"]) - set(SCENARIOS))
    if unknown:
        raise SeedConfigError(f"{path}: \"defaults\": {unknown} are not scenario families (known: {sorted(SCENARIOS)})")
    return config


def seed_defaults(name: str = DEFAULT_NAME) -> dict:
    """The seed territory's own scenario defaults, ``defaults`` of ``seeds/<name>/seed.json`` (checked)."""
    return seed_config(name)["defaults"]


def demo_scenarios(name: str = DEFAULT_NAME) -> list:
    """The seed's demo scenarios (:func:`seed_config`), built and checked like scenario files."""
    from twin.scenarios import SCENARIOS  # noqa: PLC0415
    from twin.scenarios.base import ScenarioError  # noqa: PLC0415

    path = seed_dir(name) / CONFIG_FILE
    scenarios = []
    for i, demo in enumerate(seed_config(name)["demos"]):
        spec = demo["scenario"]
        if spec["family"] not in SCENARIOS:
            raise ScenarioError(f"{path}: demos[{i}]: unknown family {spec['family']!r} (known: {sorted(SCENARIOS)})")
        scenarios.append(SCENARIOS[spec["family"]].from_dict(spec, origin=f"{path}: demos[{i}]"))
    return scenarios


def cache_dir() -> Path:
    return Path(os.environ.get("TWIN_CACHE", REPO_ROOT / ".twin-cache"))


def build_seed_history(territory: Territory, out_dir: Path, seed: int | None = None) -> SensorStore:
    """(Re)generate the synthetic sensor history of the Redon seed into ``out_dir``.

    The store is written through the normal ingest path (every check applies)
    into a temporary directory that replaces ``out_dir`` only once complete.
    Writes ``truth.json`` (the generator's true parameters) beside it.
    """
    from twin.synthetic import redon  # noqa: PLC0415

    seed = redon.SEED if seed is None else seed
    sensors, observations, truth = redon.generate(territory, seed=seed)
    out_dir = Path(out_dir)
    with atomic_directory(out_dir) as tmp:
        store = SensorStore(tmp / "sensors")
        store.register(sensors, origin="twin.synthetic.redon")
        for _, chunk in observations.groupby(observations["sensor_id"].str.split("-").str[0], sort=True):
            store.ingest_frame(chunk, origin="twin.synthetic.redon", out_of_range="reject")
        (tmp / "truth.json").write_text(json.dumps(truth, indent=1, default=str))
    return SensorStore(out_dir / "sensors")


def load_default(name: str = DEFAULT_NAME, *, rebuild: bool = False) -> Territory:
    """The default territory with its sensor store and its defaults (``seed.json``), from the cache
    when it is current."""
    osm = default_osm_path(name)
    cached = cache_dir() / name
    defaults = seed_defaults(name)
    if not rebuild and (cached / "territory.json").exists():
        territory = Territory.load(cached, with_sensors=False)
        if _same_file(territory.provenance.get("source_sha256"), osm) and \
                territory.provenance.get("builder") == builder_fingerprint():
            if territory.defaults != defaults:  # seed.json changed: the streets are still current
                territory = territory.replace(defaults=defaults)
                territory.save(cached)
            territory.sensors = SensorStore(history_dir(name) / "sensors")
            return territory
    territory = Territory.from_osm(osm, name=name, defaults=defaults)
    territory.save(cached)
    territory.sensors = SensorStore(history_dir(name) / "sensors")
    return territory


def open_territory(target: str, *, rebuild: bool = False) -> Territory:
    """The territory ``target`` names: ``redon``/``default`` (the embedded seed, cached), the directory
    of a saved territory, or an OSM extract (.osm, .osm.gz, .osm.pbf) built on the fly."""
    if target in ("redon", "default"):
        return load_default(rebuild=rebuild)
    path = Path(target)
    if path.is_dir():
        return Territory.load(path)
    return Territory.from_osm(path)


def _same_file(sha: str | None, path: Path) -> bool:
    import hashlib  # noqa: PLC0415

    return sha is not None and hashlib.sha256(path.read_bytes()).hexdigest() == sha
