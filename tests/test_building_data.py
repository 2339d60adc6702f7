"""IGN BD TOPO buildings and Base Adresse Nationale addresses joined to the OSM buildings (issue 19).

The BD TOPO and BAN files are written here from IGN's and the BAN's published field lists, on the
footprints of the Redon extract's own OSM buildings (so the expected join is known): a check that the
readers and the join recover what was written, on the formats' traps (upper- and lower-case layouts,
``*`` for unknown, a Shapefile in UTF-8 without ``.cpg``, one BD TOPO building cut in two by OSM, a
building OSM does not map, an address point outside its building), not of validity on IGN's files.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.affinity import translate

from twin.cli import main
from twin.scenarios.flood import households
from twin.sources.ban import read_ban
from twin.sources.bdtopo import BdTopoError, read_bdtopo_buildings
from twin.sources.provider_files import ProviderFileError
from twin.territory import Territory


@pytest.fixture(scope="module")
def reference(redon):
    """BD TOPO features on Redon's buildings: 12 single houses (one shifted by 1 m), one polygon over two
    touching OSM buildings (6 dwellings to share), one building OSM does not map, unknowns as ``*``."""
    b = redon.layers["buildings"].to_crs("EPSG:2154").reset_index(drop=True)
    b = b[b["use"] == "unknown"].reset_index(drop=True) if (b["use"] == "unknown").sum() > 20 else b
    rows = []
    for k in range(12):
        geom = translate(b.geometry[k], 1.0, 0.0) if k == 0 else b.geometry[k]
        rows.append({"ID": f"BATIMENT{k:016d}", "USAGE1": "Résidentiel", "NB_LOGTS": str(k % 4 + 1),
                     "HAUTEUR": "*" if k == 3 else f"{6 + k % 3 * 3}.5", "NB_ETAGES": "*" if k in (3, 4) else
                     str(k % 3 + 2), "geometry": geom})
    touching = b.geometry[12:].buffer(0.5)
    j = next(i for i in range(len(touching)) for _ in [0]
             if touching.iloc[i].intersects(touching.drop(touching.index[i])).any())
    pair_idx = [touching.index[j], touching[touching.intersects(touching.iloc[j])].drop(touching.index[j]).index[0]]
    rows.append({"ID": "BATIMENTPAIR", "USAGE1": "Résidentiel", "NB_LOGTS": "6", "HAUTEUR": "9.0", "NB_ETAGES": "3",
                 "geometry": shapely.union_all([b.geometry[i].buffer(0.3) for i in pair_idx]).buffer(-0.3)})
    x0, y0, x1, y1 = b.total_bounds
    free = next(box for x in np.linspace(x0 + 0.3 * (x1 - x0), x1 - 0.3 * (x1 - x0), 40)
                for y in np.linspace(y0 + 0.3 * (y1 - y0), y1 - 0.3 * (y1 - y0), 40)
                if not b.intersects(box := shapely.box(x, y, x + 12, y + 12)).any())
    rows.append({"ID": "BATIMENTNOTINOSM", "USAGE1": "Résidentiel", "NB_LOGTS": "9", "HAUTEUR": "12", "NB_ETAGES": "4",
                 "geometry": free})
    frame = gpd.GeoDataFrame(rows, crs="EPSG:2154")
    return frame, b, pair_idx


def _shapefile(tmp_path, frame, *, cpg=False):
    path = tmp_path / "BATIMENT.shp"
    frame.to_file(path, engine="pyogrio", encoding="UTF-8")
    if not cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    return path


def test_shapefile_in_utf8_without_cpg_and_stars_for_unknown(tmp_path, reference):
    frame, _, _ = reference
    out, notes = read_bdtopo_buildings(_shapefile(tmp_path, frame))
    assert out["bdtopo_usage"].iloc[0] == "Résidentiel"  # not « RÃ©sidentiel »
    assert any("no .cpg" in n for n in notes)
    assert np.isnan(out["height_m"].iloc[3]) and np.isnan(out["floors"].iloc[4])  # « * »: unknown, not 0
    assert out["dwellings"].iloc[:12].tolist() == [k % 4 + 1 for k in range(12)]
    assert out.crs.to_epsg() == 2154


def test_geopackage_with_the_v3_names_reads_the_same(tmp_path, reference):
    frame, _, _ = reference
    v3 = frame.rename(columns={"ID": "cleabs", "USAGE1": "usage_1", "NB_LOGTS": "nombre_de_logements",
                               "HAUTEUR": "hauteur", "NB_ETAGES": "nombre_d_etages"})
    v3 = v3.assign(nombre_de_logements=pd.to_numeric(v3["nombre_de_logements"]))
    path = tmp_path / "bdtopo.gpkg"
    v3.to_file(path, layer="batiment", engine="pyogrio")
    gpkg, _ = read_bdtopo_buildings(path)
    shp, _ = read_bdtopo_buildings(_shapefile(tmp_path, frame))
    pd.testing.assert_frame_equal(pd.DataFrame(gpkg.drop(columns="geometry")), pd.DataFrame(shp.drop(columns="geometry")),
                                  check_dtype=False)


def test_dwellings_are_shared_by_overlap_and_add_up_levels_and_use_filled(tmp_path, redon, reference):
    frame, b, pair_idx = reference
    territory = redon.with_building_data(bdtopo=_shapefile(tmp_path, frame))
    joined = territory.layers["buildings"].to_crs("EPSG:2154").reset_index(drop=True)
    figures = territory.report.joined[0]
    assert figures["dwellings_joined"] == pytest.approx(sum(k % 4 + 1 for k in range(12)) + 6)
    assert figures["dwellings_unmatched"] == 9  # the building OSM does not map: said, not lost
    by_geom = {shapely.to_wkb(g): i for i, g in enumerate(joined.geometry)}
    pair = [by_geom[shapely.to_wkb(b.geometry[i])] for i in pair_idx]
    assert joined.loc[pair, "dwellings"].sum() == pytest.approx(6.0)
    assert (joined.loc[pair, "dwellings"] > 0).all()
    first = by_geom[shapely.to_wkb(b.geometry[0])]  # shifted by 1 m: still the same building
    assert joined.loc[first, "dwellings"] == 1 and joined.loc[first, "levels"] == 2
    assert joined.loc[first, "levels_source"] in ("bdtopo", "osm")
    assert joined["dwellings"].notna().sum() == 14
    assert "BD TOPO" in territory.provenance["attribution"] and "OpenStreetMap" in territory.provenance["attribution"]
    assert "BD TOPO" not in (redon.provenance.get("attribution") or "")  # the original territory is untouched


def test_households_are_dwellings_where_known_one_per_residential_building_otherwise():
    buildings = pd.DataFrame({"dwellings": [4.0, np.nan, np.nan, 0.0], "use": ["residential", "residential",
                                                                           "commercial", "residential"]})
    np.testing.assert_array_equal(households(buildings, np.array([True, True, False, True])), [4, 1, 0, 0])


def test_ban_addresses_inside_or_near_a_building_osm_addresses_kept(tmp_path, redon):
    b = redon.layers["buildings"].to_crs("EPSG:2154").reset_index(drop=True)
    no_address = b[b["address"].isna()].index[:3]
    with_address = b[b["address"].notna()].index[:1]
    inside = b.geometry[no_address[0]].representative_point()
    near = translate(b.geometry[no_address[1]].centroid, 0, 0)
    near = shapely.Point(b.geometry[no_address[1]].exterior.coords[0][0] + 0.0,
                         b.geometry[no_address[1]].exterior.coords[0][1] + 0.0)
    osm_one = b.geometry[with_address[0]].representative_point()
    pts = gpd.GeoSeries([inside, inside, near, osm_one], crs="EPSG:2154").to_crs("EPSG:4326")
    text = "id;numero;rep;nom_voie;code_postal;code_insee;nom_commune;x;y;lon;lat\n" + "".join(
        f"35236_x_{i};{n};{r};{street};35600;35236;Redon;0;0;{p.x:.7f};{p.y:.7f}\n"
        for i, (n, r, street, p) in enumerate([("0007", "bis", "Rue des Douves", pts[0]), ("3", "", "Rue des Douves",
                                                                                          pts[1]),
                                               ("12", "", "Quai Surcouf", pts[2]), ("1", "", "Rue Ailleurs", pts[3])]))
    path = tmp_path / "adresses-35.csv"
    path.write_text(text, encoding="utf-8")
    ban = read_ban(path)
    assert ban["address"].iloc[0] == "7 bis Rue des Douves, 35600 Redon"
    territory = redon.with_building_data(addresses=path)
    joined = territory.layers["buildings"].to_crs("EPSG:2154").reset_index(drop=True)
    assert joined.loc[no_address[0], "address"] == "3 Rue des Douves, 35600 Redon (+1)"  # the lowest number first
    assert joined.loc[no_address[1], "address"] == "12 Quai Surcouf, 35600 Redon"
    assert joined.loc[no_address[1], "address_source"] == "ban"
    assert joined.loc[with_address[0], "address"] == b.loc[with_address[0], "address"]  # OSM's kept
    assert territory.report.joined[0]["addresses_placed"] == 4


def test_bad_ban_and_bdtopo_files_are_refused_naming_line_and_field(tmp_path):
    path = tmp_path / "adresses.csv"
    path.write_text("numero;nom_voie;lon;lat\n3;Rue du Port;-2.08;47.65\n5;Rue du Port;247.65;-2.08\n")
    with pytest.raises(ProviderFileError, match=r"adresses\.csv: line\(s\) 3: lon / lat out of range"):
        read_ban(path)
    path.write_text("numero;nom_voie;lon;lat\n3;;-2.08;47.65\n")
    with pytest.raises(ProviderFileError, match=r"line\(s\) 2: empty nom_voie"):
        read_ban(path)
    frame = gpd.GeoDataFrame({"ID": ["a"], "NB_LOGTS": ["beaucoup"]}, geometry=[shapely.box(0, 0, 1, 1)],
                             crs="EPSG:2154")
    with pytest.raises(BdTopoError, match=r"BATIMENT\.shp: feature 1: dwellings 'beaucoup' is not a number"):
        read_bdtopo_buildings(_shapefile(tmp_path, frame))
    other = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:2154")
    with pytest.raises(BdTopoError, match=r"no BD TOPO building field"):
        read_bdtopo_buildings(_shapefile(tmp_path, other))


def test_build_with_buildings_and_addresses_and_info_reports_them(tmp_path, redon_osm, reference, capsys):
    frame, _, _ = reference
    shp = _shapefile(tmp_path, frame)
    ban = tmp_path / "adresses.csv"
    ban.write_text("numero;rep;nom_voie;code_postal;nom_commune;x;y\n"
                   "99999;;Lieu-dit La Digue;35600;Redon;"
                   f"{frame.geometry[5].representative_point().x:.2f};{frame.geometry[5].representative_point().y:.2f}\n")
    out = tmp_path / "territory"
    assert main(["build", str(redon_osm), "--out", str(out), "--buildings", str(shp), "--addresses", str(ban)]) == 0
    printed = capsys.readouterr().out
    assert "BD TOPO" in printed and "BAN" in printed and "no .cpg" in printed
    assert main(["info", str(out)]) == 0
    assert "dwellings in 14 of" in capsys.readouterr().out
    assert main(["info", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["buildings"]["dwellings"] == pytest.approx(sum(k % 4 + 1 for k in range(12)) + 6)
    assert info["buildings"]["with_dwellings"] == 14
    assert info["buildings"]["addressed"] >= 1 + Territory.load(out).layers["buildings"]["address_source"].eq("osm").sum()
    assert "Lieu-dit La Digue, 35600 Redon" in set(Territory.load(out).layers["buildings"]["address"].dropna())


def test_self_crossing_footprints_are_joined_not_a_geos_error(redon):
    from twin.territory.building_data import join_bdtopo

    b = redon.layers["buildings"].iloc[:3].copy()
    x0, y0, x1, y1 = b.geometry.iloc[0].bounds
    bowtie = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])  # crosses itself
    ref = gpd.GeoDataFrame({"bdtopo_id": ["bt"], "bdtopo_usage": ["Résidentiel"], "dwellings": [2.0],
                            "height_m": [6.0], "floors": [2.0]}, geometry=[bowtie], crs=b.crs)
    b.loc[b.index[1], "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    out, figures = join_bdtopo(b.drop(columns="use"), ref)
    assert figures["dwellings_joined"] == pytest.approx(2.0) and "use" in out
