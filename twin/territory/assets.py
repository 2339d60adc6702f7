"""Asset layers (buildings, water, bins, places, green areas, OSM street lamps) from OSM data.

Each layer is a GeoDataFrame in WGS84 here (the Territory projects it) with a
stable ``id`` (``"osm:way/123"``, ``"osm:node/45"``, ``"osm:relation/6"``), a
``source`` (``"osm"``), ``name`` and the layer's useful tags.

Incomplete geometries from clipped extracts are never silently lost: a polygon
whose ring cannot be closed because nodes lie outside the file is dropped and
counted in ``AssetBuildStats``; a clipped line keeps its complete runs. Degenerate
geometries of a damaged file (an unclosed ring, a multipolygon member way of one
node) are dropped and counted the same way, under their own reason.
"""

from __future__ import annotations

import re

from collections import Counter
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.ops import linemerge, polygonize, unary_union

from twin.sources.osm import OsmData, OsmWay, complete_runs

WGS84 = "EPSG:4326"

# Building use category from OSM tags. Keys are `building=*` values; the
# `amenity`, `shop`, `office`, `leisure` tags of the building override "unknown"/"yes".
BUILDING_USE = {
    "residential": "residential", "house": "residential", "apartments": "residential",
    "detached": "residential", "semidetached_house": "residential", "terrace": "residential",
    "bungalow": "residential", "dormitory": "residential",
    "commercial": "commercial", "retail": "commercial", "office": "commercial",
    "supermarket": "commercial", "kiosk": "commercial", "hotel": "commercial",
    "industrial": "industrial", "warehouse": "industrial", "manufacture": "industrial",
    "school": "education", "kindergarten": "education", "college": "education",
    "university": "education",
    "public": "public", "civic": "public", "government": "public", "townhall": "public",
    "hospital": "health", "train_station": "transport", "transportation": "transport",
    "church": "religious", "chapel": "religious", "cathedral": "religious", "religious": "religious",
    "sports_hall": "sport", "sports_centre": "sport", "stadium": "sport", "grandstand": "sport",
    "garage": "annex", "garages": "annex", "shed": "annex", "roof": "annex", "hut": "annex",
    "carport": "annex", "service": "annex", "greenhouse": "agricultural", "farm_auxiliary": "agricultural",
    "barn": "agricultural", "farm": "residential",
}
AMENITY_USE = {
    "school": "education", "kindergarten": "education", "college": "education", "library": "public",
    "townhall": "public", "courthouse": "public", "post_office": "public", "police": "public",
    "fire_station": "public", "social_facility": "public", "arts_centre": "public",
    "community_centre": "public", "hospital": "health", "doctors": "health", "clinic": "health",
    "dentist": "health", "pharmacy": "commercial", "place_of_worship": "religious",
    "restaurant": "commercial", "bar": "commercial", "cafe": "commercial", "bank": "commercial",
    "cinema": "public", "theatre": "public", "marketplace": "commercial",
}
LEISURE_USE = {"sports_centre": "sport", "sports_hall": "sport", "swimming_pool": "sport", "stadium": "sport"}

# Places scenarios care about: (tag key, tag value) -> category.
PLACE_CATEGORY = {
    ("amenity", "townhall"): "townhall", ("amenity", "school"): "school",
    ("amenity", "kindergarten"): "school", ("amenity", "college"): "school",
    ("amenity", "library"): "library", ("amenity", "hospital"): "health",
    ("amenity", "doctors"): "health", ("amenity", "clinic"): "health",
    ("amenity", "social_facility"): "social", ("amenity", "marketplace"): "market",
    ("amenity", "place_of_worship"): "worship", ("amenity", "post_office"): "public_service",
    ("amenity", "courthouse"): "public_service", ("amenity", "police"): "public_service",
    ("amenity", "fire_station"): "public_service", ("amenity", "arts_centre"): "culture",
    ("amenity", "theatre"): "culture", ("amenity", "cinema"): "culture",
    ("amenity", "community_centre"): "culture",
    ("leisure", "sports_centre"): "sport", ("leisure", "stadium"): "sport",
    ("leisure", "pitch"): "sport", ("leisure", "swimming_pool"): "sport",
    ("leisure", "sports_hall"): "sport", ("leisure", "playground"): "playground",
    ("railway", "station"): "station", ("public_transport", "station"): "station",
    ("amenity", "bus_station"): "station", ("highway", "bus_stop"): "bus_stop",
    ("amenity", "parking"): "parking",
}
BIN_KIND = {("amenity", "waste_basket"): "waste_basket", ("amenity", "recycling"): "recycling",
            ("amenity", "waste_disposal"): "waste_disposal"}
WATERWAY_LINES = {"river", "canal", "stream", "drain", "ditch", "brook", "tidal_channel"}
GREEN = {("leisure", "park"): "park", ("leisure", "garden"): "garden", ("landuse", "grass"): "grass",
         ("landuse", "meadow"): "meadow", ("landuse", "forest"): "forest", ("natural", "wood"): "wood",
         ("natural", "scrub"): "scrub", ("natural", "wetland"): "wetland",
         ("natural", "tree_row"): "tree_row", ("landuse", "cemetery"): "cemetery",
         ("landuse", "allotments"): "allotments", ("landuse", "recreation_ground"): "recreation_ground",
         ("leisure", "nature_reserve"): "nature_reserve", ("landuse", "village_green"): "village_green"}


@dataclass
class AssetBuildStats:
    """Counts per layer of what was read, kept and dropped (with the reason)."""

    kept: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)  # (layer, reason) -> count

    def drop(self, layer: str, reason: str) -> None:
        self.dropped[(layer, reason)] += 1


def _match(tags: dict[str, str], table: dict) -> str | None:
    for (k, v), cat in table.items():
        if tags.get(k) == v:
            return cat
    return None


def building_use(tags: dict[str, str]) -> str:
    """Use category of a building from its OSM tags (see ``BUILDING_USE``); ``"unknown"`` if untagged."""
    for table, key in ((AMENITY_USE, "amenity"), (LEISURE_USE, "leisure")):
        if tags.get(key) in table:
            return table[tags[key]]
    if "shop" in tags or "office" in tags or "tourism" in tags:
        return "commercial"
    return BUILDING_USE.get(tags.get("building", "yes"), "unknown")


def _float_or_nan(value: str | None) -> float:
    if value is None:
        return np.nan
    try:
        return float(value.replace(",", ".").split(";")[0].split(" ")[0])
    except ValueError:
        return np.nan


def _way_polygon(osm: OsmData, way: OsmWay) -> Polygon | None:
    if osm.missing_refs(way) or len(way.refs) < 4 or way.refs[0] != way.refs[-1]:
        return None
    poly = Polygon([osm.node_lonlat[r] for r in way.refs])
    if not poly.is_valid:
        poly = shapely.make_valid(poly)
        if poly.geom_type != "Polygon":
            polys = [g for g in getattr(poly, "geoms", []) if g.geom_type == "Polygon"]
            poly = max(polys, key=lambda g: g.area) if polys else None
    return poly


def _ring_problem(osm: OsmData, way: OsmWay) -> str:
    """Why ``_way_polygon`` gave no polygon for ``way``: the reason counted in the build report."""
    if osm.missing_refs(way):
        return "ring incomplete (nodes outside the extract)"
    return "ring not closed or degenerate (fewer than 4 nodes, first node not repeated last, or no area)"


def _way_lines(osm: OsmData, way: OsmWay):
    runs = complete_runs(way.refs, osm.node_lonlat)
    if not runs:
        return None
    lines = [LineString([osm.node_lonlat[r] for r in run]) for run in runs]
    return lines[0] if len(lines) == 1 else MultiLineString(lines)


def _relation_polygon(osm: OsmData, rel) -> tuple[object | None, bool]:
    """Assemble a multipolygon relation. Returns (geometry or None, complete?)."""
    outer, inner, complete = [], [], True
    for mtype, ref, role in rel.members:
        if mtype != "way":
            continue
        way = osm.ways.get(ref)
        # a member outside the extract, or one of fewer than 2 nodes (no line: a damaged file),
        # leaves the multipolygon partial; the caller counts it
        if way is None or osm.missing_refs(way) or len(way.refs) < 2:
            complete = False
            continue
        line = LineString([osm.node_lonlat[r] for r in way.refs])
        (inner if role == "inner" else outer).append(line)
    if not outer:
        return None, False
    outer_polys = list(polygonize(linemerge(outer)))
    if not outer_polys:
        return None, False
    geom = unary_union(outer_polys)
    if inner:
        inner_polys = list(polygonize(linemerge(inner)))
        if inner_polys:
            geom = geom.difference(unary_union(inner_polys))
    return geom, complete


def _row(osm_type: str, oid: int, tags: dict[str, str], geom, **extra) -> dict:
    return {"id": f"osm:{osm_type}/{oid}", "source": "osm", "osm_type": osm_type, "osm_id": oid,
            "name": tags.get("name"), "geometry": geom, **extra}


def _place_extra(tags: dict[str, str]) -> dict:
    """A place's OSM ``amenity`` and, for car parks, ``capacity`` (spaces, NaN when untagged), ``fee`` and
    ``access`` as tagged (the parking family reads them: :mod:`twin.scenarios.parking_supply`)."""
    return {"amenity": tags.get("amenity"), "capacity": _float_or_nan(tags.get("capacity")),
            "fee": tags.get("fee"), "access": tags.get("access")}


def extract_assets(osm: OsmData) -> tuple[dict[str, gpd.GeoDataFrame], AssetBuildStats]:
    """All asset layers of an OSM extract, in WGS84.

    Layers: ``buildings``, ``waterways`` (lines), ``water_areas`` (polygons),
    ``bins``, ``lamps`` (OSM ``highway=street_lamp`` nodes only; generation is
    done by ``twin.territory.lamps``), ``places`` and ``green``. A place keeps its OSM ``amenity``
    (its category lumps several: the flood-detours scenario finds ``fire_station`` and ``hospital``
    among ``public_service`` and ``health``).
    """
    stats = AssetBuildStats()
    rows: dict[str, list[dict]] = {k: [] for k in
                                   ("buildings", "waterways", "water_areas", "bins", "lamps", "places", "green")}

    for nid, tags in osm.node_tags.items():
        pt = Point(osm.node_lonlat[nid]) if nid in osm.node_lonlat else None
        if pt is None:
            continue
        if (kind := _match(tags, BIN_KIND)) is not None:
            rows["bins"].append(_row("node", nid, tags, pt, kind=kind, capacity_l=_float_or_nan(tags.get("capacity"))))
        if tags.get("highway") == "street_lamp":
            rows["lamps"].append(_row("node", nid, tags, pt, lamp_type=tags.get("lamp_type"),
                                      lamp_mount=tags.get("lamp_mount")))
        if (cat := _match(tags, PLACE_CATEGORY)) is not None:
            rows["places"].append(_row("node", nid, tags, pt, category=cat, **_place_extra(tags)))

    for way in osm.ways.values():
        tags = way.tags
        if not tags:
            continue
        if "building" in tags:
            poly = _way_polygon(osm, way)
            if poly is None:
                stats.drop("buildings", _ring_problem(osm, way))
            else:
                rows["buildings"].append(_building_row("way", way.id, tags, poly))
        if tags.get("waterway") in WATERWAY_LINES:
            lines = _way_lines(osm, way)
            if lines is None:
                stats.drop("waterways", "no complete segment inside the extract")
            else:
                rows["waterways"].append(_row("way", way.id, tags, lines, waterway=tags["waterway"],
                                              clipped=bool(osm.missing_refs(way))))
        is_water_area = tags.get("natural") == "water" or tags.get("waterway") == "riverbank" or \
            tags.get("landuse") in ("reservoir", "basin")
        if is_water_area:
            poly = _way_polygon(osm, way)
            if poly is None:
                stats.drop("water_areas", _ring_problem(osm, way))
            else:
                rows["water_areas"].append(_row("way", way.id, tags, poly, water=tags.get("water", tags.get("waterway"))))
        if (cat := _match(tags, BIN_KIND)) is not None:
            poly = _way_polygon(osm, way)
            if poly is not None:
                rows["bins"].append(_row("way", way.id, tags, poly.representative_point(), kind=cat,
                                         capacity_l=_float_or_nan(tags.get("capacity"))))
        if (cat := _match(tags, PLACE_CATEGORY)) is not None:
            geom = _way_polygon(osm, way) or _way_lines(osm, way)
            if geom is None:
                stats.drop("places", "no geometry inside the extract")
            else:
                rows["places"].append(_row("way", way.id, tags, geom, category=cat, **_place_extra(tags)))
        if (cat := _match(tags, GREEN)) is not None:
            geom = _way_polygon(osm, way) if tags.get("natural") != "tree_row" else _way_lines(osm, way)
            if geom is None:
                # tree rows (lines) keep the "ring" wording: the seed territory's report is fixed by its history
                stats.drop("green", _ring_problem(osm, way))
            else:
                rows["green"].append(_row("way", way.id, tags, geom, category=cat))

    for rel in osm.relations.values():
        tags = rel.tags
        if tags.get("type") != "multipolygon":
            continue
        wants_building = "building" in tags
        wants_water = tags.get("natural") == "water" or tags.get("waterway") == "riverbank"
        green_cat = _match(tags, GREEN)
        place_cat = _match(tags, PLACE_CATEGORY)
        if not (wants_building or wants_water or green_cat or place_cat):
            continue
        geom, complete = _relation_polygon(osm, rel)
        layer = "buildings" if wants_building else "water_areas" if wants_water else "green" if green_cat else "places"
        if geom is None or geom.is_empty:
            stats.drop(layer, "multipolygon members outside the extract")
            continue
        if not complete:
            stats.drop(layer + " (partial)", "multipolygon kept with only its members inside the extract")
        if wants_building:
            rows["buildings"].append(_building_row("relation", rel.id, tags, geom))
        elif wants_water:
            rows["water_areas"].append(_row("relation", rel.id, tags, geom, water=tags.get("water")))
        elif green_cat:
            rows["green"].append(_row("relation", rel.id, tags, geom, category=green_cat))
        else:
            rows["places"].append(_row("relation", rel.id, tags, geom, category=place_cat, **_place_extra(tags)))

    layers = {}
    for name, layer_rows in rows.items():
        gdf = gpd.GeoDataFrame(layer_rows, geometry="geometry", crs=WGS84) if layer_rows else \
            gpd.GeoDataFrame({"id": [], "source": [], "osm_type": [], "osm_id": [], "name": []},
                             geometry=gpd.GeoSeries([], crs=WGS84))
        layers[name] = gdf.reset_index(drop=True)
        stats.kept[name] = len(gdf)
    return layers, stats


def _building_row(kind: str, oid: int, tags: dict[str, str], geom) -> dict:
    return _row(kind, oid, tags, geom, building=tags.get("building"), use=building_use(tags),
                levels=_float_or_nan(tags.get("building:levels")),
                height_m=_float_or_nan(tags.get("height")), year_built=_year_built(tags),
                amenity=tags.get("amenity"), address=_address(tags))


def _year_built(tags: dict[str, str]) -> float:
    """Year of construction from ``start_date`` (``1975``, ``1975-06``, ``~1900``, ``C19``: no year) or
    ``building:year``; NaN when OSM does not date the building."""
    for key in ("start_date", "building:year", "construction_date"):
        m = re.search(r"(1[0-9]{3}|20[0-9]{2})", tags.get(key) or "")
        if m:
            return float(m.group(1))
    return np.nan


def _address(tags: dict[str, str]) -> str | None:
    """Postal address from the addr:* tags, e.g. "3 Rue du Port, 35600 Redon"; None if untagged."""
    street = " ".join(x for x in (tags.get("addr:housenumber"), tags.get("addr:street")) if x)
    town = " ".join(x for x in (tags.get("addr:postcode"), tags.get("addr:city")) if x)
    return ", ".join(x for x in (street, town) if x) or None
