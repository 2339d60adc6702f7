"""The embedded default territory (Redon): where it lives, how its history is made, how to load it fast.

``seeds/redon/`` holds the OSM extract (ODbL) and a SYNTHETIC sensor history made
by :mod:`twin.synthetic.redon`. :func:`load_default` builds the territory once,
caches it (``$TWIN_CACHE``, default ``<repo>/.twin-cache``) and afterwards loads
the cached copy, rebuilding when the OSM file or the territory-building code changed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from twin.sensors import SensorStore
from twin.storage import atomic_directory
from twin.territory import Territory, builder_fingerprint

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = Path(os.environ.get("TWIN_SEEDS", REPO_ROOT / "seeds"))
DEFAULT_NAME = "redon"


def seed_dir(name: str = DEFAULT_NAME) -> Path:
    return SEEDS_DIR / name


def default_osm_path(name: str = DEFAULT_NAME) -> Path:
    return seed_dir(name) / "redon_centre_raw.osm.gz"


def history_dir(name: str = DEFAULT_NAME) -> Path:
    """Directory of the seed's synthetic history: ``sensors/`` (the store) and ``truth.json``."""
    return seed_dir(name) / "history"


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
    """The default territory with its sensor store, from the cache when it is current."""
    osm = default_osm_path(name)
    cached = cache_dir() / name
    if not rebuild and (cached / "territory.json").exists():
        territory = Territory.load(cached, with_sensors=False)
        if _same_file(territory.provenance.get("source_sha256"), osm) and \
                territory.provenance.get("builder") == builder_fingerprint():
            territory.sensors = SensorStore(history_dir(name) / "sensors")
            return territory
    territory = Territory.from_osm(osm, name=name)
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
