"""Street graphs (drivable and walkable) from parsed OSM data, built with osmnx.

We assemble the raw node-to-node graph ourselves (so that clipped ways are cut
into their complete runs instead of being refused), then hand it to osmnx for
what osmnx does well: great-circle edge lengths, topological simplification
(``simplify_graph``) and projection to the local UTM zone (``project_graph``).

Edge attributes after the build (metres, km/h):
``id`` (stable ``"u-v-k"`` of OSM node ids), ``osmid`` / ``osm_way_id`` (OSM way
id(s)), ``highway``, ``name``, ``lanes`` (float, NaN if untagged), ``maxspeed_kmh``
(float, NaN if untagged), ``lit`` (``"yes"``/``"no"``/``None``), ``oneway`` (bool),
``parking_left`` / ``parking_right`` (kerb parking on the driver's left and right: ``"yes"``/``"no"``/``None``,
:func:`parse_kerb_parking`),
``length`` (m) and ``geometry`` (LineString in the projected CRS) for merged edges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx
import osmnx as ox

from twin.sources.osm import OsmData, OsmFileError, complete_runs

# Widest street network a territory may span, degrees of latitude or longitude (3° ≈ 330 km
# north-south, ≈ 225 km east-west at 47° N): a French département spans ~1–2°. Beyond it the
# single UTM projection distorts lengths and street-side generation (lamps) grows without bound;
# in practice a wider network means a damaged coordinate (47.65 read as 41.65).
MAX_SPAN_DEG = 3.0

# Highway classes left out of each network, after osmnx's "drive" and "walk"
# network filters (osmnx.settings / _overpass._get_network_filter).
DRIVE_EXCLUDED = {
    "abandoned", "bridleway", "bus_guideway", "construction", "corridor", "cycleway",
    "elevator", "escalator", "footway", "no", "path", "pedestrian", "planned", "platform",
    "proposed", "raceway", "razed", "rest_area", "service", "services", "steps", "track",
    "traffic_island", "bus_stop", "street_lamp", "crossing",
}
WALK_EXCLUDED = {
    "abandoned", "bus_guideway", "construction", "motor", "motorway", "motorway_link",
    "no", "planned", "platform", "proposed", "raceway", "razed", "traffic_island",
}
ONEWAY_FORWARD = {"yes", "true", "1"}
ONEWAY_REVERSE = {"-1", "reverse"}

# French implicit speed limits (Code de la route, art. R413-2/-3), km/h.
IMPLICIT_MAXSPEED_KMH = {"FR:urban": 50.0, "FR:rural": 80.0, "FR:motorway": 130.0,
                         "FR:walk": 6.0, "FR:zone30": 30.0, "walk": 6.0, "none": 130.0}


@dataclass
class StreetBuildStats:
    """What happened to the highway ways of one network."""

    network: str
    ways_used: int = 0
    ways_clipped: int = 0
    clipped_pieces_kept: int = 0
    ways_dropped_incomplete: int = 0
    nodes_dropped_disconnected: int = 0


def parse_maxspeed_kmh(value: str | None) -> float:
    """OSM ``maxspeed`` tag to km/h (``"50"``, ``"30 mph"``, ``"FR:urban"``); NaN if unknown."""
    if value is None:
        return float("nan")
    value = value.strip()
    if value in IMPLICIT_MAXSPEED_KMH:
        return IMPLICIT_MAXSPEED_KMH[value]
    m = re.match(r"^(\d+(?:\.\d+)?)\s*(mph|km/h|kmh)?$", value.split(";")[0].strip())
    if not m:
        return float("nan")
    speed = float(m.group(1))
    return speed * 1.609344 if m.group(2) == "mph" else speed


def parse_lanes(value: str | None) -> float:
    """OSM ``lanes`` tag to a number of lanes; NaN if absent or not a number."""
    if value is None:
        return float("nan")
    try:
        return float(value.split(";")[0])
    except ValueError:
        return float("nan")


_KERB_YES = {"lane", "street_side", "on_kerb", "half_on_kerb", "shoulder", "parallel", "diagonal", "perpendicular",
             "marked", "inline", "orthogonal", "painted_area_only", "yes"}
_KERB_NO = {"no", "no_parking", "no_stopping", "fire_lane", "separate"}


def parse_kerb_parking(tags: dict[str, str]) -> tuple[str | None, str | None]:
    """Kerb parking on the way's left and right (in its drawing direction): ``"yes"``, ``"no"`` or None when
    untagged, from ``parking:{left,right,both}`` (OSM's current scheme) or ``parking:lane:{left,right,both}``
    (the older one). Any other value (a typo, ``"unknown"``) counts as untagged."""
    def kind(side: str) -> str | None:
        for key in (f"parking:{side}", f"parking:lane:{side}"):
            value = (tags.get(key) or "").strip().lower()
            if value in _KERB_YES:
                return "yes"
            if value in _KERB_NO:
                return "no"
        return None
    both = kind("both")
    return kind("left") or both, kind("right") or both


def _is_in_network(tags: dict[str, str], network: str) -> bool:
    hw = tags.get("highway")
    if hw is None or tags.get("area") == "yes":
        return False
    if network == "drive":
        return (
            hw not in DRIVE_EXCLUDED
            and tags.get("motor_vehicle") != "no"
            and tags.get("motorcar") != "no"
            and tags.get("access") not in ("no", "private")
        )
    if network == "walk":
        return hw not in WALK_EXCLUDED and tags.get("foot") != "no" and tags.get("access") not in ("no", "private")
    raise ValueError(f"unknown network type {network!r}: expected 'drive' or 'walk'")


def _direction(tags: dict[str, str], network: str) -> int:
    """+1 forward only, -1 reverse only, 0 both directions."""
    if network == "walk":
        return 0
    oneway = tags.get("oneway", "").lower()
    if oneway in ONEWAY_FORWARD:
        return 1
    if oneway in ONEWAY_REVERSE:
        return -1
    if oneway == "no":
        return 0
    if tags.get("junction") in ("roundabout", "circular") or tags.get("highway") == "motorway":
        return 1
    return 0


def segment_key(u, v, d: dict) -> tuple:
    """The street segment an edge ``u → v`` (attributes ``d``) lies on, the same for its two directions."""
    return min(u, v), max(u, v), str(d.get("osm_way_id", "")), round(float(d.get("length", 0.0)), 1)


def street_segments(G: nx.MultiDiGraph) -> tuple[int, float]:
    """(segments, metres) of a street graph with each segment counted once whatever its directions: a
    two-way street is two edges of one segment (the edges' sum, 20 km on Redon's centre, is twice the
    11,7 km of street a person would measure)."""
    seen, metres = set(), 0.0
    for u, v, d in G.edges(data=True):
        segment = segment_key(u, v, d)
        if segment not in seen:
            seen.add(segment)
            metres += float(d.get("length", 0.0))
    return len(seen), metres


def streets_met(G: nx.MultiDiGraph, way_id) -> list[str]:
    """The named streets an OSM way of ``G`` meets at its nodes, in name order: how a person finds an unnamed way
    (« rue sans nom (voie OSM 177353244) » named nothing an elected official knew)."""
    ways = str(way_id)
    def on_way(d) -> bool:  # a merged edge lists its ways « a;b »
        return ways in re.split(r"[;,]\s*", str(d.get("osm_way_ids", d.get("osm_way_id", ""))))

    nodes = {n for u, v, d in G.edges(data=True) if on_way(d) for n in (u, v)}
    names = set()
    for u, v, d in G.edges(nbunch=nodes, data=True):  # the edges out of those nodes; a two-way street has one
        if on_way(d):
            continue
        name = d.get("name")
        for n in name if isinstance(name, (list, tuple)) else [name]:
            if isinstance(n, str) and n.strip():
                names.add(n.strip())
    return sorted(names)


def build_street_graph(osm: OsmData, network: str, crs=None) -> tuple[nx.MultiDiGraph, StreetBuildStats]:
    """Build the projected street graph of one network type from OSM data.

    Parameters
    ----------
    osm : parsed OSM data (``twin.sources.osm.read_osm``)
    network : ``"drive"`` or ``"walk"``
    crs : target projected CRS; default the UTM zone of the graph's centroid (osmnx).

    Returns
    -------
    (graph, stats): the simplified, projected ``MultiDiGraph`` restricted to its
    largest weakly connected component, and counts of what was cut or dropped.

    Raises
    ------
    OsmFileError
        if the network's nodes span more than ``MAX_SPAN_DEG`` of latitude or longitude.
    """
    stats = StreetBuildStats(network=network)
    G = nx.MultiDiGraph(crs="EPSG:4326")
    present = osm.node_lonlat
    for way in osm.ways.values():
        tags = way.tags
        if not _is_in_network(tags, network):
            continue
        runs = complete_runs(way.refs, present)
        if len(runs) == 0:
            stats.ways_dropped_incomplete += 1
            continue
        stats.ways_used += 1
        if osm.missing_refs(way):
            stats.ways_clipped += 1
            stats.clipped_pieces_kept += len(runs)
        direction = _direction(tags, network)
        attrs = {
            "osmid": way.id,
            "highway": tags["highway"],
            "name": tags.get("name"),
            "lanes": parse_lanes(tags.get("lanes")),
            "maxspeed_kmh": parse_maxspeed_kmh(tags.get("maxspeed")),
            "lit": tags.get("lit"),
            "oneway": direction != 0,
        }
        left, right = parse_kerb_parking(tags)
        if direction == -1:  # the way drawn against its one direction: its right is the driver's left
            left, right = right, left
        for run in runs:
            if direction == -1:
                run = run[::-1]
            for u, v in zip(run[:-1], run[1:]):
                if u == v:
                    continue
                G.add_edge(u, v, reversed=False, parking_left=left, parking_right=right, **attrs)
                if direction == 0:
                    G.add_edge(v, u, reversed=True, parking_left=right, parking_right=left, **attrs)
    if G.number_of_edges() == 0:
        return G, stats
    _check_span(osm, list(G.nodes))
    for n in G.nodes:
        lon, lat = present[n]
        G.nodes[n]["x"], G.nodes[n]["y"] = lon, lat
        if n in osm.node_tags and "highway" in osm.node_tags[n]:
            G.nodes[n]["highway"] = osm.node_tags[n]["highway"]
    largest = max(nx.weakly_connected_components(G), key=len)
    stats.nodes_dropped_disconnected = G.number_of_nodes() - len(largest)
    G = G.subgraph(largest).copy()
    G = ox.distance.add_edge_lengths(G)
    G = ox.simplify_graph(G, edge_attrs_differ=["osmid"])
    G = ox.project_graph(G, to_crs=crs)
    _normalise_edge_attributes(G)
    G.graph["network"] = network
    return G, stats


def _check_span(osm: OsmData, nodes: list[int]) -> None:
    """Refuse a street network wider than ``MAX_SPAN_DEG``, naming the two nodes farthest apart on that axis."""
    for axis, name in ((1, "latitude"), (0, "longitude")):
        lo = min(nodes, key=lambda n: osm.node_lonlat[n][axis])
        hi = max(nodes, key=lambda n: osm.node_lonlat[n][axis])
        span = osm.node_lonlat[hi][axis] - osm.node_lonlat[lo][axis]
        if span > MAX_SPAN_DEG:
            raise OsmFileError(
                f"{osm.path}: the streets span {span:.2f}° of {name} (node {lo} at {osm.node_lonlat[lo][axis]}°, "
                f"node {hi} at {osm.node_lonlat[hi][axis]}°), more than the {MAX_SPAN_DEG:g}° a territory may "
                "span; a node has a wrong coordinate, or the extract is larger than a territory")


def _first(value):
    return value[0] if isinstance(value, list) else value


def _normalise_edge_attributes(G: nx.MultiDiGraph) -> None:
    """After simplification some attributes are lists; give each edge scalar columns."""
    for u, v, k, d in G.edges(keys=True, data=True):
        ids = d["osmid"] if isinstance(d["osmid"], list) else [d["osmid"]]
        # One scalar id per edge keeps the graph storable in Parquet; ways merged by
        # simplification (rare: rings) keep all their ids in ``osm_way_ids``.
        d["osm_way_id"] = d["osmid"] = int(ids[0])
        d["osm_way_ids"] = ";".join(str(i) for i in ids)
        for key in ("highway", "lit", "reversed", "parking_left", "parking_right"):
            d[key] = _first(d.get(key))
        names = d.get("name")
        if isinstance(names, list):
            names = " / ".join(sorted({n for n in names if n}))
        d["name"] = names or None
        for key in ("lanes", "maxspeed_kmh"):
            val = d.get(key)
            if isinstance(val, list):
                vals = [x for x in val if x is not None and x == x]
                val = min(vals) if vals else None
            d[key] = float("nan") if val is None else float(val)
        d["oneway"] = bool(_first(d.get("oneway")))
        d["id"] = f"{u}-{v}-{k}"
        d["length"] = float(d["length"])
