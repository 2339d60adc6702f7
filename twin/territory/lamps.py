"""Generate a plausible street-lamp park where the OSM extract maps none.

OSM rarely maps ``highway=street_lamp``: neither shared territory has one.
A lighting study still needs a park to reason about, so we place lamps along
the streets a French commune typically lights, mark every one
``source="generated"``, and record the seed. Real lamps (OSM nodes or an
imported inventory) always replace generated ones.

Rules (documented defaults, per highway class):

* which streets: every edge tagged ``lit=yes``; plus, unless tagged ``lit=no``,
  the urban classes of ``SPACING_M`` (service roads, tracks, paths and steps are
  lit only when tagged ``lit=yes``);
* spacing along the street centreline, metres (CEREMA / AFE practice of a mast
  every 3 to 4 times its height: 8–10 m masts on main roads, 6–8 m in residential
  streets, 4–5 m bollards/columns in pedestrian streets) — ``SPACING_M``;
* technology mix of a mid-2020s French park, before full LED renovation
  (ADEME/AFE: roughly 40 % LED, 45 % high-pressure sodium, 15 % metal halide),
  with the rated power of each technology per road class — ``TECHNOLOGY_MIX`` and
  ``POWER_W`` (lamp + ballast, W);
* control, drawn per cabinet (a clock sits in the cabinet): cabinets of mostly LED
  lamps have a connected clock 30 %, astronomical clock 50 %, fixed clock 20 %; older
  cabinets astronomical 55 %, fixed 40 %, none (photocell only) 5 % (``CONTROL_MIX_*``);
* cabinets (armoires): lamps are grouped into compact cabinets of at most
  ``MAX_LAMPS_PER_CABINET`` lamps (AFE: 20–50 points per cabinet) by recursive
  bisection of their positions along the wider axis — deterministic and
  O(n log n), so a 100,000-edge territory stays fast (k-means++ was O(n·k²)).
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point

SPACING_M = {
    "primary": 30.0, "primary_link": 30.0, "secondary": 30.0, "secondary_link": 30.0,
    "trunk": 35.0, "tertiary": 30.0, "tertiary_link": 30.0, "unclassified": 35.0,
    "residential": 35.0, "living_street": 25.0, "pedestrian": 20.0,
}
SPACING_LIT_ONLY_M = 25.0  # footways, paths, service roads explicitly tagged lit=yes
MAIN_ROADS = {"primary", "primary_link", "secondary", "secondary_link", "trunk", "tertiary", "tertiary_link"}
TECHNOLOGY_MIX = {"LED": 0.40, "sodium": 0.45, "metal_halide": 0.15}
POWER_W = {  # (main road, other street)
    "LED": (60.0, 35.0), "sodium": (150.0, 100.0), "metal_halide": (150.0, 70.0),
}
CONTROL_MIX_LED = {"connected_clock": 0.30, "astronomical_clock": 0.50, "fixed_clock": 0.20}
CONTROL_MIX_OLD = {"astronomical_clock": 0.55, "fixed_clock": 0.40, "none": 0.05}
MAX_LAMPS_PER_CABINET = 40
DEFAULT_LAMP_SEED = 20230101


def lamp_spacing_m(highway: str, lit: str | None) -> float | None:
    """Spacing (m) of generated lamps along a street of class ``highway``; None if not lit."""
    if lit == "no":
        return None
    if highway in SPACING_M:
        return SPACING_M[highway]
    if lit == "yes":
        return SPACING_LIT_ONLY_M
    return None


def _unique_street_geometries(G: nx.MultiDiGraph):
    """One geometry per street segment (two-way edges appear once)."""
    seen = set()
    for u, v, d in G.edges(data=True):
        key = (min(u, v), max(u, v), d.get("osm_way_id"))
        if key in seen:
            continue
        seen.add(key)
        geom = d.get("geometry")
        if geom is None:
            geom = LineString([(G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"])])
        yield d, geom


def generate_lamps(G_walk: nx.MultiDiGraph, seed: int = DEFAULT_LAMP_SEED) -> gpd.GeoDataFrame:
    """Place generated street lamps along the lit streets of a projected street graph.

    Parameters
    ----------
    G_walk : projected street graph holding every highway (the walk network), metres.
    seed : seed of the technology / power / control draws and of the cabinet clustering.

    Returns
    -------
    GeoDataFrame (graph CRS) with ``id`` (``gen:lamp/N``), ``source="generated"``,
    ``technology``, ``power_w``, ``dimmable``, ``control``, ``cabinet_id``,
    ``street_edge`` (the edge id it lights), ``highway``, ``street_name``.
    """
    rng = np.random.default_rng(seed)
    points, meta = [], []
    for d, geom in _unique_street_geometries(G_walk):
        spacing = lamp_spacing_m(d.get("highway"), d.get("lit"))
        if spacing is None:
            continue
        length = geom.length
        # Lamps at spacing/2, 3·spacing/2, …: a short street still gets one lamp in its middle.
        n = max(1, int(round(length / spacing)))
        for i in range(n):
            points.append(geom.interpolate((i + 0.5) * length / n))
            meta.append((d["id"], d.get("highway"), d.get("name")))
    crs = G_walk.graph["crs"]
    if not points:
        return gpd.GeoDataFrame({"id": [], "source": []}, geometry=gpd.GeoSeries([], crs=crs))
    n = len(points)
    techs = list(TECHNOLOGY_MIX)
    technology = rng.choice(techs, size=n, p=[TECHNOLOGY_MIX[t] for t in techs])
    main = np.array([m[1] in MAIN_ROADS for m in meta])
    power = np.array([POWER_W[t][0 if is_main else 1] for t, is_main in zip(technology, main)])
    is_led = technology == "LED"
    xy = np.array([(p.x, p.y) for p in points])
    labels = bisect_groups(xy, MAX_LAMPS_PER_CABINET)
    # Renumber cabinets in order of first appearance so ids are stable for a given seed.
    order = pd.unique(labels)
    remap = {old: new for new, old in enumerate(order)}
    labels = np.array([remap[label] for label in labels])
    cabinet = [f"gen:cabinet/{label}" for label in labels]
    led_share = np.bincount(labels, weights=is_led, minlength=len(order)) / np.bincount(labels, minlength=len(order))
    cabinet_control = np.empty(len(order), dtype=object)
    for mask, mix in ((led_share >= 0.5, CONTROL_MIX_LED), (led_share < 0.5, CONTROL_MIX_OLD)):
        keys = list(mix)
        cabinet_control[mask] = rng.choice(keys, size=int(mask.sum()), p=[mix[k] for k in keys])
    control = cabinet_control[labels]
    return gpd.GeoDataFrame(
        {
            "id": [f"gen:lamp/{i}" for i in range(n)],
            "source": "generated",
            "technology": technology,
            "power_w": power,
            "dimmable": is_led,
            "control": control,
            "cabinet_id": cabinet,
            "street_edge": [m[0] for m in meta],
            "highway": [m[1] for m in meta],
            "street_name": [m[2] for m in meta],
            "generator_seed": seed,
        },
        geometry=gpd.GeoSeries(points, crs=crs),
    )


def bisect_groups(xy: np.ndarray, max_size: int) -> np.ndarray:
    """Group label per point: split recursively at the median of the wider axis until
    every group holds at most ``max_size`` points (groups end up max_size/2 … max_size)."""
    labels = np.empty(len(xy), dtype=int)
    stack = [np.arange(len(xy))]
    next_label = 0
    while stack:
        idx = stack.pop()
        if len(idx) <= max_size:
            labels[idx] = next_label
            next_label += 1
            continue
        pts = xy[idx]
        axis = int(np.argmax(np.ptp(pts, axis=0)))
        order = idx[np.argsort(pts[:, axis], kind="stable")]
        half = len(order) // 2
        stack.append(order[half:])
        stack.append(order[:half])
    return labels


def attach_streets(lamps: gpd.GeoDataFrame, G: nx.MultiDiGraph) -> gpd.GeoDataFrame:
    """Fill ``street_edge``, ``highway`` and ``street_name`` of lamps from their nearest street edge."""
    import osmnx as ox  # noqa: PLC0415

    lamps = lamps.copy()
    if lamps.empty:
        return lamps
    edges = ox.distance.nearest_edges(G, lamps.geometry.x.to_numpy(), lamps.geometry.y.to_numpy())
    data = [G.edges[u, v, k] for u, v, k in edges]
    lamps["street_edge"] = [d["id"] for d in data]
    lamps["highway"] = [d.get("highway") for d in data]
    lamps["street_name"] = [d.get("name") for d in data]
    return lamps


def cabinets_from_lamps(lamps: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Cabinet layer: one point per cabinet at the centroid of its lamps, with totals and its control."""
    if lamps.empty or "cabinet_id" not in lamps:
        return gpd.GeoDataFrame({"id": [], "source": []}, geometry=gpd.GeoSeries([], crs=lamps.crs))
    g = lamps.groupby("cabinet_id")
    xy = g.geometry.apply(lambda s: Point(s.x.mean(), s.y.mean()))
    out = gpd.GeoDataFrame(
        {
            "id": xy.index,
            "source": g["source"].first().values,
            "n_lamps": g.size().values,
            "power_kw": (g["power_w"].sum() / 1000.0).values,
            "control": g["control"].first().values if "control" in lamps else None,
        },
        geometry=gpd.GeoSeries(xy.values, crs=lamps.crs),
    )
    return out.reset_index(drop=True)
