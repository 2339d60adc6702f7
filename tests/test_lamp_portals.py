"""Street-light inventories from communes' open-data portals (OpenDataSoft exports; issue 19).

The exports are written here after the layout OpenDataSoft portals publish (``;``, ``geo_point_2d`` as
« lat, lon », a power inside a free-text designation): the traps each carries, checked one by one."""

from __future__ import annotations

import json

import numpy as np
import pytest

from twin.sources.lamp_inventory import InventoryError, read_lamp_inventory
from twin.sources.lamp_portals import power_from_text, technology_from_text


def _points(redon, n=4):
    w, s, e, nn = redon.provenance["bounds_lonlat"]
    return [(w + (e - w) * (0.3 + 0.1 * k), s + (nn - s) * (0.4 + 0.05 * k)) for k in range(n)]


@pytest.mark.parametrize("text, watts", [("Lanterne LED 39W", 39), ("SHP 100 W ballast ferro", 100), ("0,15 kW", 150),
                                         ("Boule 70w / 70 W", 70), ("LED 39W ou 51W", np.nan), ("sans puissance", np.nan)])
def test_power_from_a_designation(text, watts):
    assert power_from_text(text) == pytest.approx(watts, nan_ok=True)


def test_technology_from_a_designation():
    assert technology_from_text("Lanterne Iodures métalliques 150W") == "metal_halide"
    assert technology_from_text("BALLON FLUO 125") == "mercury" and technology_from_text("Crosse") is None


def test_opendatasoft_csv_lat_lon_in_geo_point_2d_power_in_the_designation(tmp_path, redon):
    rows = [f"PL-{k};{lat:.6f}, {lon:.6f};Lanterne {'LED' if k % 2 else 'SHP'} {39 if k % 2 else 100}W;A{k // 2}"
            for k, (lon, lat) in enumerate(_points(redon))]
    path = tmp_path / "eclairage-public.csv"
    path.write_text("num_point_lumineux;geo_point_2d;designation;armoire\n" + "\n".join(rows) + "\n", encoding="utf-8")
    lamps = read_lamp_inventory(path, redon)
    assert list(lamps["power_w"]) == [100, 39, 100, 39] and list(lamps["technology"]) == ["sodium", "LED"] * 2
    assert list(lamps["cabinet_id"]) == ["A0", "A0", "A1", "A1"] and lamps["id"].iloc[0] == "PL-0"
    assert any("latitude, longitude" in n for n in lamps.attrs["notes"])
    x = lamps.to_crs("EPSG:4326").geometry.x.to_numpy()
    np.testing.assert_allclose(x, [p[0] for p in _points(redon)], atol=1e-6)


def test_swapped_columns_are_put_back_by_the_territory(tmp_path, redon):
    """A portal whose « latitude » column holds the longitudes (it happens): the order that puts the lamps
    in the territory is taken, and said."""
    rows = [f"{lon:.6f};{lat:.6f};LED 20W;C1" for lon, lat in _points(redon)]
    path = tmp_path / "swapped.csv"
    path.write_text("latitude;longitude;libelle;poste\n" + "\n".join(rows) + "\n", encoding="utf-8")
    lamps = read_lamp_inventory(path, redon)
    assert any("longitude, latitude" in n for n in lamps.attrs["notes"])
    np.testing.assert_allclose(lamps.to_crs("EPSG:4326").geometry.y.to_numpy(), [p[1] for p in _points(redon)],
                               atol=1e-6)


def test_geojson_export_and_lamps_elsewhere_are_refused_by_line(tmp_path, redon):
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                 "properties": {"identifiant": f"L{k}", "designation": "LED 30 W", "code_armoire": "C9"}}
                for k, (lon, lat) in enumerate(_points(redon))]
    path = tmp_path / "export.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert len(read_lamp_inventory(path, redon)) == 4
    far = tmp_path / "far.csv"
    far.write_text("geo_point_2d;designation;armoire\n43.6, 3.87;LED 30W;C1\n43.61, 3.88;LED 30W;C1\n")
    with pytest.raises(InventoryError, match=r"far\.csv: columns lon, lat: lamp outside the territory .*line 2"):
        read_lamp_inventory(far, redon)
    no_power = tmp_path / "nopower.csv"
    lon, lat = _points(redon)[0]
    no_power.write_text(f"geo_point_2d;designation;armoire\n{lat}, {lon};Crosse murale;C1\n")
    with pytest.raises(InventoryError, match=r"column power_w: must be a positive number of watts: line 2"):
        read_lamp_inventory(no_power, redon)
