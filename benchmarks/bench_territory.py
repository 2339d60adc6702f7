"""Time and peak memory: build Redon and Pont-de-Veyle from OSM, save, load; osmnx side by side.

Prints one JSON document. The peer is osmnx's own ``graph_from_xml`` (drive
network, simplified) on the complete Pont-de-Veyle extract — it refuses the
clipped Redon extract, which we record as such. Our build does more (two
networks, seven asset layers, lamp generation), so the ratio is conservative.

    python benchmarks/bench_territory.py
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import osmnx as ox  # noqa: E402

from _measure import measure  # noqa: E402
from twin.territory import Territory  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("TWIN_REFERENCE_DATA", ROOT.parent / "shared" / "data"))
FILES = {"redon": REFERENCE / "territories/redon_centre_raw.osm.gz",
         "pont_de_veyle": REFERENCE / "territories/pont_de_veyle.osm.gz"}


def build(path):
    t = Territory.from_osm(path)
    return {"drive_edges": t.graphs["drive"].number_of_edges(), "buildings": len(t.layers["buildings"])}


def build_and_save(path, out):
    Territory.from_osm(path).save(out)


def load(out):
    t = Territory.load(out)
    return {"drive_edges": t.graphs["drive"].number_of_edges()}


def osmnx_graph(path):
    import gzip
    import shutil

    with tempfile.TemporaryDirectory() as d:
        plain = Path(d) / "x.osm"
        with gzip.open(path) as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst)
        try:
            G = ox.graph_from_xml(plain, simplify=True, retain_all=False)
        except Exception as exc:  # noqa: BLE001 - the peer's refusal is a result
            return {"refused": f"{type(exc).__name__}: {exc}"[:200]}
        return {"edges_all_ways": G.number_of_edges()}


def main():
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()}, "territories": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in FILES.items():
            if not path.exists():
                results["territories"][name] = {"skipped": f"missing {path}"}
                continue
            out = Path(tmp) / name
            measure(build_and_save, path, out)
            r = {"build_from_osm": measure(build, path), "load_saved": measure(load, out),
                 "osmnx_graph_from_xml": measure(osmnx_graph, path)}
            peer = r["osmnx_graph_from_xml"]
            if "refused" not in peer:
                r["ratio_osmnx_graph_over_twin_build"] = round(peer["seconds"] / r["build_from_osm"]["seconds"], 2)
            results["territories"][name] = r
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
