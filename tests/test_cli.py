"""The `twin` command, called in-process as a user would call it."""

from __future__ import annotations

import json

from twin.cli import main


def test_run_default_territory_prints_the_same_kpis_on_the_first_and_second_run(tmp_path):
    """`make run` on a fresh clone (empty cache: the territory is built from OSM) and again (warm
    cache), each in its own process as a user runs it: no in-process cache carries over."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    twin = Path(sys.executable).with_name("twin")
    env = {**os.environ, "TWIN_CACHE": str(tmp_path / "cache")}
    runs = [subprocess.run([str(twin), "run"], env=env, capture_output=True, text=True, timeout=900) for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr[-2000:]
    first, second = (r.stdout for r in runs)
    assert "territory: redon" in first and "SYNTHETIC" in first and "generated" in first
    assert "scenario: street-closure" in first and "buildings_without_route" in first
    assert (tmp_path / "cache" / "redon" / "territory.json").exists()
    timing = re.compile(r"(loaded|ran) in [0-9.]+ s")
    assert timing.sub("", first) == timing.sub("", second)
    # the bins demo drives: a collection service with no kilometre would be a broken round
    km = re.search(r"truck_km_per_year +\S.*? +([0-9 ]+\.?[0-9]*) → ([0-9 ]+\.?[0-9]*)", first)
    assert km and float(km.group(1).replace(" ", "")) > 100 and float(km.group(2).replace(" ", "")) > 100, km


def test_info_json_on_an_osm_file(capsys, pdv_osm):
    assert main(["info", str(pdv_osm), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["layers"]["buildings"]["count"] > 1400
    assert info["graphs"]["drive"]["edges"] > 100
    assert info["layers"]["lamps"]["by_source"] == {"generated": info["layers"]["lamps"]["count"]}


def test_bad_input_prints_a_message_not_a_traceback(capsys, tmp_path):
    bad = tmp_path / "x.osm"
    bad.write_text("")
    assert main(["info", str(bad)]) == 1
    assert "x.osm: the file is empty" in capsys.readouterr().err


def test_sensors_register_and_import(capsys, tmp_path):
    store = tmp_path / "store"
    sensors = tmp_path / "sensors.csv"
    sensors.write_text("sensor_id,quantity,native_unit\nq1,discharge,l/s\n")
    obs = tmp_path / "obs.csv"
    obs.write_text("time,value\n2024-01-01T00:00Z,1500\n2024-01-01T01:00Z,-5\n")
    assert main(["sensors", "register", str(sensors), "--store", str(store)]) == 0
    assert main(["sensors", "import", str(obs), "--store", str(store), "--sensor", "q1"]) == 0
    assert "1 out_of_range" in capsys.readouterr().out
    assert main(["sensors", "import", str(obs), "--store", str(store), "--sensor", "q9"]) == 1
    assert "unknown sensor" in capsys.readouterr().err


def test_build_saves_a_loadable_territory(capsys, tmp_path, redon_osm):
    out = tmp_path / "t"
    assert main(["build", str(redon_osm), "--out", str(out)]) == 0
    assert main(["info", str(out)]) == 0
    assert "151 ways reference nodes outside the extract" in capsys.readouterr().out
