"""Territory built from the shared OSM extracts: counts, attributes, clipped ways, bad files."""

from __future__ import annotations

import bz2
import gzip

import numpy as np
import pytest

from twin.sources.osm import OsmFileError, read_osm
from twin.territory import Territory, TerritoryBuildError


def test_redon_clipped_extract_loads_and_reports_what_was_cut(redon):
    r = redon.report
    assert r.clipped_ways == 151  # as ../shared/README.md states for the raw Overpass extract
    assert r.networks["drive"]["ways_clipped"] > 0
    assert r.networks["drive"]["clipped_pieces_kept"] >= r.networks["drive"]["ways_clipped"]
    dropped = {d["layer"]: d["count"] for d in r.dropped}
    # 1,066 building ways in the file; those whose ring leaves the box cannot be closed.
    assert 30 <= dropped["buildings"] <= 80
    text = "\n".join(r.lines())
    assert "151 ways reference nodes outside the extract" in text


@pytest.mark.parametrize("name,buildings,drive_edges,bins", [
    ("redon", (950, 1073), (200, 700), (27 + 10, 40)),
    ("pont_de_veyle", (1450, 1530), (200, 700), (5 + 2, 10)),
])
def test_counts_within_what_the_osm_files_imply(request, name, buildings, drive_edges, bins):
    t = request.getfixturevalue(name)
    assert buildings[0] <= len(t.layers["buildings"]) <= buildings[1]
    assert drive_edges[0] <= t.graphs["drive"].number_of_edges() <= drive_edges[1]
    assert bins[0] <= len(t.layers["bins"]) <= bins[1]
    assert t.graphs["walk"].number_of_edges() > t.graphs["drive"].number_of_edges()
    assert len(t.layers["waterways"]) > 0


def test_graph_is_projected_with_the_documented_edge_attributes(redon):
    G = redon.graphs["drive"]
    assert redon.crs == "EPSG:32630"  # UTM 30N for Redon: metres
    lengths = np.array([d["length"] for _, _, d in G.edges(data=True)])
    assert (lengths > 0).all() and lengths.sum() / 1000 == pytest.approx(20, rel=0.3)
    for _, _, d in G.edges(data=True):
        for key in ("id", "osm_way_id", "highway", "name", "lanes", "maxspeed_kmh", "lit", "oneway", "length"):
            assert key in d
    highways = {d["highway"] for _, _, d in G.edges(data=True)}
    assert {"primary", "residential"} <= highways
    assert not highways & {"footway", "steps", "service"}
    assert any(d.get("lit") == "yes" for _, _, d in redon.graphs["walk"].edges(data=True))
    ids = [d["id"] for _, _, d in G.edges(data=True)]
    assert len(ids) == len(set(ids))


def test_layers_have_stable_unique_ids_and_sources(redon):
    for name, gdf in redon.layers.items():
        assert gdf["id"].is_unique, name
        assert set(gdf["source"]) <= {"osm", "generated", "sensor"}, name
        assert gdf.crs == redon.crs
    b = redon.layers["buildings"]
    assert (b["footprint_m2"] > 0).all()
    assert {"public", "education", "religious", "unknown"} <= set(b["use"])
    assert "levels" in b
    assert len(redon.place("townhall")) == 1
    assert len(redon.place("school")) >= 3


def test_lamps_are_generated_and_labelled_when_osm_has_none(redon):
    lamps = redon.layers["lamps"]
    assert len(lamps) > 100
    assert (lamps["source"] == "generated").all()
    assert set(lamps["technology"]) <= {"LED", "sodium", "metal_halide"}
    assert redon.provenance["lamp_seed"] is not None
    assert any(g["layer"] == "lamps" for g in redon.report.generated)
    cabinets = redon.layers["cabinets"]
    assert cabinets["n_lamps"].sum() == len(lamps)
    again = Territory.from_osm(redon.provenance["source_file"], name="redon")
    assert again.layers["lamps"]["power_w"].tolist() == lamps["power_w"].tolist()  # same seed, same park


def test_osm_lamps_are_kept_when_present(tmp_path):
    osm = tmp_path / "lamps.osm"
    osm.write_text("""<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
 <node id="1" lat="47.650" lon="-2.090"/><node id="2" lat="47.651" lon="-2.090"/>
 <node id="3" lat="47.6505" lon="-2.0901"><tag k="highway" v="street_lamp"/></node>
 <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="Rue A"/></way>
</osm>""")
    t = Territory.from_osm(osm)
    assert list(t.layers["lamps"]["source"]) == ["osm"]
    assert t.report.generated == []


def test_provenance_carries_the_odbl_attribution(redon):
    assert redon.provenance["licence"] == "ODbL-1.0"
    assert "OpenStreetMap contributors" in redon.provenance["attribution"]
    assert len(redon.provenance["source_sha256"]) == 64


def test_plain_and_bz2_files_read_like_the_gz(tmp_path, pdv_osm):
    raw = gzip.decompress(pdv_osm.read_bytes())
    (tmp_path / "p.osm").write_bytes(raw)
    (tmp_path / "p.osm.bz2").write_bytes(bz2.compress(raw))
    a, b = read_osm(tmp_path / "p.osm"), read_osm(tmp_path / "p.osm.bz2")
    assert len(a.ways) == len(b.ways) == 2061
    assert len(a.node_lonlat) == len(b.node_lonlat)


def test_corrupt_file_gives_a_clear_error(tmp_path, redon_osm):
    corrupt = tmp_path / "corrupt.osm.gz"
    corrupt.write_bytes(redon_osm.read_bytes()[:5000])
    with pytest.raises(OsmFileError, match="corrupt.osm.gz"):
        Territory.from_osm(corrupt)
    not_gzip = tmp_path / "fake.osm.gz"
    not_gzip.write_text("hello")
    with pytest.raises(OsmFileError, match="cannot be decompressed"):
        Territory.from_osm(not_gzip)
    truncated = tmp_path / "trunc.osm"
    truncated.write_text('<osm version="0.6">\n <node id="1" lat="1" lon="1">\n')
    with pytest.raises(OsmFileError, match=r"trunc.osm: not well-formed OSM XML at line 3"):
        Territory.from_osm(truncated)


def test_empty_and_wrong_files(tmp_path):
    empty = tmp_path / "empty.osm"
    empty.write_bytes(b"")
    with pytest.raises(OsmFileError, match="empty.osm: the file is empty"):
        Territory.from_osm(empty)
    html = tmp_path / "page.osm"
    html.write_text("<html><body>rate limited</body></html>")
    with pytest.raises(OsmFileError, match="root element is <html>"):
        Territory.from_osm(html)
    with pytest.raises(OsmFileError, match="no such file"):
        Territory.from_osm(tmp_path / "missing.osm")


def test_file_without_highways_is_refused_with_the_reason(tmp_path):
    f = tmp_path / "buildings_only.osm"
    f.write_text("""<osm version="0.6">
 <node id="1" lat="47.650" lon="-2.090"/><node id="2" lat="47.651" lon="-2.090"/>
 <node id="3" lat="47.651" lon="-2.091"/>
 <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="building" v="yes"/></way>
</osm>""")
    with pytest.raises(TerritoryBuildError, match="contains no highway ways"):
        Territory.from_osm(f)
    only_paths = tmp_path / "paths.osm"
    only_paths.write_text("""<osm version="0.6">
 <node id="1" lat="47.650" lon="-2.090"/><node id="2" lat="47.651" lon="-2.090"/>
 <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>
</osm>""")
    with pytest.raises(TerritoryBuildError, match="no drivable street"):
        Territory.from_osm(only_paths)


def test_oneway_streets_have_one_direction(tmp_path):
    f = tmp_path / "oneway.osm"
    f.write_text("""<osm version="0.6">
 <node id="1" lat="47.650" lon="-2.090"/><node id="2" lat="47.651" lon="-2.090"/>
 <node id="3" lat="47.652" lon="-2.090"/>
 <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="oneway" v="yes"/></way>
 <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="maxspeed" v="30"/></way>
</osm>""")
    t = Territory.from_osm(f)
    G = t.graphs["drive"]
    assert G.has_edge(1, 2) and not G.has_edge(2, 1)
    assert G.has_edge(2, 3) and G.has_edge(3, 2)
    assert G.edges[2, 3, 0]["maxspeed_kmh"] == 30.0
    assert G.edges[1, 2, 0]["length"] == pytest.approx(111.2, abs=0.5)  # 0.001° of latitude


def test_pbf_gives_the_same_territory_as_xml(tmp_path, pdv_osm, pont_de_veyle):
    osmium = pytest.importorskip("osmium")
    plain = tmp_path / "p.osm"
    plain.write_bytes(gzip.decompress(pdv_osm.read_bytes()))
    writer = osmium.SimpleWriter(str(tmp_path / "p.osm.pbf"))
    for obj in osmium.FileProcessor(str(plain)):
        if obj.is_node():
            writer.add_node(obj)
        elif obj.is_way():
            writer.add_way(obj)
        elif obj.is_relation():
            writer.add_relation(obj)
    writer.close()
    t = Territory.from_osm(tmp_path / "p.osm.pbf")
    assert t.summary()["graphs"] == pont_de_veyle.summary()["graphs"]
    for layer in ("buildings", "waterways", "bins", "places", "green"):
        assert len(t.layers[layer]) == len(pont_de_veyle.layers[layer]), layer
