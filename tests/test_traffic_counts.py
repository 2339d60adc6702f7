"""French open-data traffic counts onto the street graph, for the traffic calibration (issue 19).

The files are written here after the published layouts (a city's permanent counters: iu_ac, libelle,
t_1h, q, k, geo_point_2d « lat, lon »; a département's count points: TMJA per year, Lambert-93), on the
Redon extract's own streets: recovery of what was written, not validity on a real network."""

from __future__ import annotations

import pandas as pd
import pytest

from twin.calibration.traffic import observed_peak_counts
from twin.cli import main
from twin.sensors import SensorStore
from twin.sources.provider_files import ProviderFileError
from twin.sources.traffic_counts import read_traffic_counts
from twin.territory.geopackage import edge_geometries


def _counters_file(tmp_path, redon, far=True):
    edges = edge_geometries(redon)
    keys = sorted(edges, key=lambda k: -edges[k].length)[:2]
    points = pd.Series([edges[k].interpolate(0.5, normalized=True) for k in keys])
    lonlat = [(p.x, p.y) for p in pd.Series(points).pipe(lambda s: __import__("geopandas").GeoSeries(
        list(s), crs=redon.crs).to_crs("EPSG:4326"))]
    if far:
        lonlat.append((3.87, 43.61))  # Montpellier: not a street of Redon
    hours = pd.date_range("2024-03-04 00:00", "2024-03-15 23:00", freq="h", tz="Europe/Paris")
    rows = []
    for n, (lon, lat) in enumerate(lonlat):
        for t in hours:
            q = "" if (n == 0 and t.day == 5 and t.hour == 17) else 100 + 50 * n + (400 if t.hour == 17 else 0)
            rows.append(f"C{n};Rue {n};{t.isoformat()};{q};{7.5 + n};Fluide;{lat:.6f}, {lon:.6f}")
    path = tmp_path / "comptages-routiers-permanents.csv"
    path.write_text("iu_ac;libelle;t_1h;q;k;etat_trafic;geo_point_2d\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path, keys


def test_permanent_counters_linked_to_their_street_and_read_by_the_calibration(tmp_path, redon, capsys):
    path, keys = _counters_file(tmp_path, redon)
    store = tmp_path / "store"
    assert main(["sensors", "import", str(path), "--store", str(store), "--territory", "redon"]) == 0
    out = capsys.readouterr().out
    assert "not linked: count-C2-q, count-C2-k" in out
    s = SensorStore(store)
    reg = s.sensors.set_index("sensor_id")
    assert reg.loc["count-C0-q", "asset_id"] == keys[0] and reg.loc["count-C1-q", "asset_layer"] == "streets_drive"
    assert reg.loc["count-C0-k", "quantity"] == "road_occupancy"
    q = s.query("count-C0-q", include_flagged=True)
    assert q["time"].iloc[0] == pd.Timestamp("2024-03-03 23:00", tz="UTC")  # 00:00 legal time, the hour's start
    assert (q["quality"] == 3).sum() == 1  # the empty flow: missing, kept
    peak = observed_peak_counts(s, redon).set_index("sensor_id")
    assert peak.loc["count-C1-q", "observed"] == pytest.approx(550.0)  # the 17 h weekday count
    assert peak.loc["count-C0-q", ["missing", "flagged"]].sum() == 1  # the empty hour, left out and counted


def test_count_points_tmja_in_lambert_93(tmp_path):
    path = tmp_path / "comptages-35.csv"
    path.write_text("route;pr;num_station;annee;tmja;pc_pl;x;y\nD775;12;S1;2022;8450;7.2;318000;6740000\n"
                    "D775;12;S1;2023;8620;7.0;318000;6740000\n")
    batch = read_traffic_counts(path)
    obs = batch.observations
    assert obs["unit"].iloc[0] == "veh/day" and obs["value"].tolist() == [8450, 8620]
    assert obs["time"].iloc[1] == pd.Timestamp("2022-12-31 23:00", tz="UTC")
    assert batch.sensors.iloc[0]["lon"] == pytest.approx(-2.08, abs=0.05)


@pytest.mark.parametrize("text, message", [
    ("iu_ac;t_1h;q;geo_point_2d\nC1;2024-03-04 08:00;120;47.65, -2.08\n", r"line\(s\) 2: t_1h .* has no UTC offset"),
    ("iu_ac;t_1h;q;geo_point_2d\nC1;2024-03-04T08:00+01:00;beaucoup;47.65, -2.08\n", r"line\(s\) 2: q 'beaucoup'"),
    ("iu_ac;t_1h;q;geo_point_2d\nC1;2024-03-04T08:00+01:00;1;-2.08\n", r"geo_point_2d is not « latitude, longitude »"),
    ("iu_ac;t_1h;vitesse;geo_point_2d\nC1;2024-03-04T08:00+01:00;1;47.65, -2.08\n", r"neither q .* nor tmja"),
])
def test_bad_count_files_name_line_and_field(tmp_path, text, message):
    path = tmp_path / "counts.csv"
    path.write_text(text)
    with pytest.raises(ProviderFileError, match=message):
        read_traffic_counts(path)
