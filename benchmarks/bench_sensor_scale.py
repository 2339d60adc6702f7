"""How build and query times grow: a generated street grid up to 100,000 edges, and a sensor
store up to 1,000 sensors × 10 years of hourly data (87.6 million rows).

Prints one JSON document. Everything here is SYNTHETIC and generated on the fly in a
temporary directory (removed afterwards).

    python benchmarks/bench_sensor_scale.py [--quick]

``--quick`` stops at 10,000 edges and 100 sensors (about a minute).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from _measure import measure  # noqa: E402
from twin.sensors import SensorStore  # noqa: E402
from twin.territory import Territory  # noqa: E402

HOURS_PER_YEAR = 8760


def write_grid_osm(path: Path, n: int, buildings: bool = False) -> int:
    """An n × n street grid (residential, two-way, 100 m blocks) as OSM XML; returns directed edges.
    SYNTHETIC. With ``buildings``, one building of about 16 m × 16 m in the middle of each block: a
    house of 2 levels, offices (every 5th block, 4 levels) or a school (every 37th) — a town's density
    for the gravity demand (about 3 peak-hour car trips per block)."""
    lat0, lon0, dlat, dlon = 47.0, -2.0, 0.0009, 0.0013
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="twin-bench">\n')
        for i in range(n):
            for j in range(n):
                f.write(f' <node id="{i * n + j + 1}" lat="{lat0 + i * dlat:.7f}" lon="{lon0 + j * dlon:.7f}"/>\n')
        if buildings:
            _write_block_buildings(f, n, lat0, lon0, dlat, dlon)
        wid = 1
        for i in range(n):
            refs = "".join(f'<nd ref="{i * n + j + 1}"/>' for j in range(n))
            f.write(f' <way id="{wid}">{refs}<tag k="highway" v="residential"/><tag k="name" v="Rue {i}"/></way>\n')
            wid += 1
        for j in range(n):
            refs = "".join(f'<nd ref="{i * n + j + 1}"/>' for i in range(n))
            f.write(f' <way id="{wid}">{refs}<tag k="highway" v="tertiary"/><tag k="name" v="Avenue {j}"/></way>\n')
            wid += 1
        f.write("</osm>\n")
    return 4 * n * (n - 1)


def _write_block_buildings(f, n, lat0, lon0, dlat, dlon) -> None:
    node = n * n + 1
    way = 10 * n * n
    for i in range(n - 1):
        for j in range(n - 1):
            b = i * (n - 1) + j
            kind, levels = ("school", 2) if b % 37 == 0 else ("office", 4) if b % 5 == 0 else ("house", 2)
            ids = []
            for fi, fj in ((0.42, 0.42), (0.42, 0.58), (0.58, 0.58), (0.58, 0.42)):
                f.write(f' <node id="{node}" lat="{lat0 + (i + fi) * dlat:.7f}" lon="{lon0 + (j + fj) * dlon:.7f}"/>\n')
                ids.append(node)
                node += 1
            refs = "".join(f'<nd ref="{k}"/>' for k in ids + ids[:1])
            f.write(f' <way id="{way}">{refs}<tag k="building" v="{kind}"/>'
                    f'<tag k="building:levels" v="{levels}"/></way>\n')
            way += 1


def build_grid(path):
    t = Territory.from_osm(path)
    return {"drive_edges": t.graphs["drive"].number_of_edges(), "lamps": len(t.layers["lamps"])}


def grid_scaling(sizes, tmp: Path) -> list[dict]:
    rows = []
    for n in sizes:
        path = tmp / f"grid_{n}.osm"
        expected = write_grid_osm(path, n)
        r = measure(build_grid, path)
        rows.append({"grid": f"{n}x{n}", "expected_edges": expected, **r})
        print(f"  grid {n}x{n}: {r['seconds']:.1f} s", file=sys.stderr)
    return rows


def fill_store(store_dir: Path, n_sensors: int, years: int) -> SensorStore:
    """Register n sensors and write years × 8760 hourly rows each straight to Parquet with DuckDB."""
    store = SensorStore(store_dir)
    store.register([{"sensor_id": f"s{i:04d}", "quantity": "air_temperature", "synthetic": True,
                     "description": "SYNTHETIC benchmark sensor"} for i in range(n_sensors)])
    rows_per = years * HOURS_PER_YEAR
    out = (store.obs_dir / "part-bench.parquet").as_posix()
    duckdb.sql(f"""
        COPY (
          SELECT printf('s%04d', (i // {rows_per})::INTEGER) AS sensor_id,
                 TIMESTAMPTZ '2015-01-01 00:00:00+00' + to_hours((i % {rows_per})::BIGINT) AS time,
                 'air_temperature' AS quantity,
                 12 + 8 * sin(i / 1000.0) + random() AS value,
                 'degC' AS unit, 0::TINYINT AS quality
          FROM range({n_sensors * rows_per}) t(i)
        ) TO '{out}' (FORMAT parquet, ROW_GROUP_SIZE 100000, COMPRESSION zstd)""")
    return store


def query_one_sensor_year(store: SensorStore, n_sensors: int, repeats: int = 20) -> dict:
    rng = np.random.default_rng(0)
    times = []
    for _ in range(repeats):
        sid = f"s{rng.integers(n_sensors):04d}"
        year = 2015 + int(rng.integers(9))
        t0 = time.perf_counter()
        df = store.query(sid, f"{year}-01-01", f"{year + 1}-01-01")
        times.append(time.perf_counter() - t0)
        assert len(df) in (8760, 8784 - 24, 8784), len(df)
    return {"median_ms": round(1000 * statistics.median(times), 1), "max_ms": round(1000 * max(times), 1)}


def ingest_throughput(tmp: Path, rows: int) -> dict:
    store = SensorStore(tmp / "ingest")
    store.register([{"sensor_id": f"s{i:04d}", "quantity": "air_temperature"} for i in range(100)])
    per = rows // 100
    t = pd.date_range("2020-01-01", periods=per, freq="1h", tz="UTC")
    frame = pd.DataFrame({"sensor_id": np.repeat([f"s{i:04d}" for i in range(100)], per),
                          "time": np.tile(t, 100), "value": np.random.default_rng(0).normal(12, 5, per * 100)})
    t0 = time.perf_counter()
    store.ingest_frame(frame)
    seconds = time.perf_counter() - t0
    return {"rows": per * 100, "seconds": round(seconds, 2), "rows_per_second": int(per * 100 / seconds)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    grid_sizes = [26, 51, 159] if not args.quick else [26, 51]
    sensor_counts = [10, 100, 1000] if not args.quick else [10, 100]
    results = {"synthetic": True}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        results["street_grid_build"] = grid_scaling(grid_sizes, tmp)
        store_rows = []
        for n in sensor_counts:
            t0 = time.perf_counter()
            store = fill_store(tmp / f"store_{n}", n, 10)
            write_s = time.perf_counter() - t0
            size = sum(p.stat().st_size for p in store.obs_dir.glob("*.parquet"))
            q = query_one_sensor_year(store, n)
            t0 = time.perf_counter()
            s = store.summary()
            summary_s = time.perf_counter() - t0
            store_rows.append({"sensors": n, "rows": s["observations"], "parquet_mib": round(size / 2**20, 1),
                               "duckdb_write_s": round(write_s, 1), "query_one_sensor_year": q,
                               "full_scan_summary_s": round(summary_s, 2)})
            print(f"  store {n} sensors: query median {q['median_ms']} ms", file=sys.stderr)
        results["sensor_store_10_years_hourly"] = store_rows
        results["ingest_validated_csv_path"] = ingest_throughput(tmp, 1_000_000)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
