"""Parking supply and demand of a territory, for :mod:`twin.models.parking` and the parking scenario.

**Kerb spaces** on each directed edge of the drive graph: the driver's right-hand kerb on a two-way
street, both kerbs on a one-way street. A kerb tagged in OSM (``parking:left/right/both`` or the older
``parking:lane:*``, :func:`twin.territory.streets.parse_kerb_parking`) is used as tagged (``"no"``: no
space; ``"yes"``: :data:`TAGGED_SHARE` of its length). An untagged kerb gets the share of its length
that :data:`KERB_SHARE` gives its street class — an estimate labelled ``generated``. Spaces are
``floor((length − 2 × JUNCTION_CLEAR_M) × share / STALL_M)``.

**Car parks**: the territory's places with ``amenity=parking`` (private ones left out). Their
capacity is OSM's ``capacity`` tag when mapped, else the area / :data:`SURFACE_M2_PER_SPACE` (a
point without capacity: :data:`POINT_CAR_PARK_SPACES`) — labelled ``generated``. A car park tagged
``fee=yes`` costs ``paid_price_eur_h`` (a parameter: enter the town's tariff), else it is free.
Drivers enter a car park at the drive-graph node nearest to it.

**Demand** (a prior until occupancy sensors calibrate it, labelled so): destinations are the
buildings' nearest nodes weighted by floor area (footprint × levels) and the places (2,000 m² each,
as the bins family does); arrivals per hour follow :data:`ARRIVAL_SHAPE`, scaled to
``turnover`` arrivals per space and day; stays have mean :data:`STAY_MEAN_H` by hour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.models.accessibility import nearest_nodes
from twin.models.parking import Demand, Supply

STALL_M = 5.5
"""[m] kerb length per parallel space, manoeuvre included (a stall is 5.0 × 2.0 m in French practice)."""
JUNCTION_CLEAR_M = 5.0
"""[m] kept clear at each end of an edge (crossings and junctions: the Code de la route forbids parking
in the 5 m before a pedestrian crossing, R417-11)."""
TAGGED_SHARE = 0.85
"""Share of a kerb tagged for parking that holds spaces (driveways, bus stops and bins take the rest):
the project's assumption."""
KERB_SHARE = {"residential": 0.5, "living_street": 0.3, "unclassified": 0.45, "tertiary": 0.4, "secondary": 0.3,
              "primary": 0.15, "trunk": 0.0, "motorway": 0.0, "service": 0.0}
"""Share of an untagged kerb's length that holds spaces, by street class (``_link`` roads: none) — the
project's assumption, to replace with the town's inventory or OSM kerb tags."""
SURFACE_M2_PER_SPACE = 25.0
"""[m²] of a surface car park per space, aisles included (the usual planning figure, 20–30 m²)."""
POINT_CAR_PARK_SPACES = 20
"""Spaces of a car park mapped as a point without ``capacity``: an assumption."""
ARRIVAL_SHAPE = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3.5, 6.5, 8.0, 8.5, 8.0,
                          7.5, 7.0, 8.0, 8.0, 8.0, 7.5, 6.0, 4.0, 2.5, 1.5, 1.0, 0.5])
"""Relative arrivals per hour of a weekday in a town centre (the project's prior: a morning rise, a
lunch dip, an afternoon plateau; ``twin parking fit`` gives a car park's own from its counts);
normalised before use."""
STAY_MEAN_H = np.array([8.0] * 6 + [6.0, 4.0, 2.5, 2.0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 2.0, 3.0,
                                     4.0, 6.0, 8.0, 8.0])
"""[h] mean stay by hour of arrival (the project's prior: short daytime stays in a centre, overnight
stays of residents in the evening)."""


def _kerbs(d: dict) -> list[str | None]:
    """The kerbs a driver along this edge can park on: its right one, and its left one on a one-way street."""
    return [d.get("parking_right"), d.get("parking_left")] if d.get("oneway") else [d.get("parking_right")]


def kerb_spaces(G) -> pd.DataFrame:
    """One row per directed edge of the drive graph ``G`` (its order): ``edge`` (id), ``street``, ``u``, ``v``,
    ``length_m``, ``spaces`` and ``source`` (``osm`` when every kerb is tagged, else ``generated``)."""
    rows = []
    for u, v, k, d in G.edges(keys=True, data=True):
        length = float(d.get("length", 0.0))
        usable = max(0.0, length - 2 * JUNCTION_CLEAR_M)
        hw = str(d.get("highway") or "")
        default = 0.0 if hw.endswith("_link") else KERB_SHARE.get(hw, 0.3)
        kerbs = _kerbs(d)
        share = sum(TAGGED_SHARE if tag == "yes" else 0.0 if tag == "no" else default for tag in kerbs)
        rows.append({"edge": d.get("id", f"{u}-{v}-{k}"), "street": d.get("name") or "", "u": u, "v": v,
                     "length_m": length, "spaces": int(np.floor(usable * share / STALL_M)),
                     "source": "osm" if all(t is not None for t in kerbs) else "generated"})
    return pd.DataFrame(rows)


def car_parks(territory, G, paid_price_eur_h: float) -> pd.DataFrame:
    """The territory's car parks: ``name``, ``node`` (the drive-graph node nearest), ``capacity``,
    ``capacity_source`` (``osm`` or ``generated``), ``price_eur_h``, ``fee`` as tagged."""
    places = territory.layers.get("places")
    cols = ["name", "node", "capacity", "capacity_source", "price_eur_h", "fee"]
    if places is None or places.empty or "amenity" not in places.columns:
        return pd.DataFrame(columns=cols)
    p = places[places["amenity"] == "parking"]
    if "access" in p.columns:
        p = p[~p["access"].isin(["private", "no"])]
    if p.empty:
        return pd.DataFrame(columns=cols)
    tagged = pd.to_numeric(p["capacity"], errors="coerce") if "capacity" in p.columns else pd.Series(np.nan, p.index)
    area = p.geometry.area.to_numpy()
    estimate = np.where(area > 1.0, np.floor(area / SURFACE_M2_PER_SPACE), POINT_CAR_PARK_SPACES)
    capacity = np.where(tagged.notna() & (tagged > 0), tagged, estimate).astype(int)
    pts = p.geometry.representative_point()
    fee = p["fee"] if "fee" in p.columns else pd.Series(None, index=p.index)
    nodes = nearest_nodes(G, pts.x.to_numpy(), pts.y.to_numpy())
    return pd.DataFrame({
        "name": _names(p["name"].fillna("").astype(str).str.strip().tolist(), nodes, G),
        "node": nodes,
        "capacity": capacity, "capacity_source": np.where(tagged.notna() & (tagged > 0), "osm", "generated"),
        "price_eur_h": np.where(fee.fillna("").str.lower() == "yes", paid_price_eur_h, 0.0),
        "fee": fee.to_numpy()}).reset_index(drop=True)


def _names(names: list[str], nodes, G) -> list[str]:
    """Each car park's name: OSM's, else « parking, <the street at its entrance> » (« parking
    sans nom » where no street there has a name); a name met twice is numbered (« … (2) »): a name
    picks one car park in a scenario."""
    out, seen = [], {}
    for name, node in zip(names, nodes, strict=True):
        if not name:
            streets = sorted({str(d.get("name")) for _, _, d in G.edges(node, data=True) if d.get("name")})
            name = f"parking, {streets[0]}" if streets else "parking sans nom"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def destinations(territory, G) -> pd.Series:
    """Weight of each drive-graph node as a destination: floor area [m²] of the buildings nearest to it,
    places 2,000 m² each."""
    b = territory.layers["buildings"]
    pts = b.geometry.representative_point()
    area = b["footprint_m2"].fillna(0).to_numpy() * b["levels"].fillna(1).clip(lower=1).to_numpy()
    places = territory.layers.get("places")
    x, y, w = pts.x.to_numpy(), pts.y.to_numpy(), area
    if places is not None and len(places):
        pp = places.geometry.representative_point()
        x, y = np.r_[x, pp.x.to_numpy()], np.r_[y, pp.y.to_numpy()]
        w = np.r_[w, np.full(len(places), 2000.0)]
    if len(x) == 0:
        return pd.Series(1.0, index=list(G.nodes))
    out = pd.DataFrame({"node": nearest_nodes(G, x, y), "w": w}).groupby("node")["w"].sum()
    return out[out > 0]


def build(territory, *, paid_price_eur_h: float = 1.5, turnover: float = 3.0,
          guidance_share: float = 0.0) -> tuple[Supply, Demand, dict]:
    """The territory's parking :class:`Supply`, its prior :class:`Demand` (``turnover``: arrivals per space
    and day) and ``tables``: ``kerbs`` and ``car_parks`` (what each value came from) and ``nodes`` (the
    node order of the arrays)."""
    G = territory.graphs["drive"]
    nodes = list(G.nodes)
    pos = {n: i for i, n in enumerate(nodes)}
    kerbs = kerb_spaces(G)
    parks = car_parks(territory, G, paid_price_eur_h)
    supply = Supply(n_nodes=len(nodes), tail=kerbs["u"].map(pos).to_numpy(np.int64),
                    head=kerbs["v"].map(pos).to_numpy(np.int64), length_m=kerbs["length_m"].to_numpy(float),
                    spaces=kerbs["spaces"].to_numpy(np.int64), price_eur_h=np.zeros(len(kerbs)),
                    sensed=np.zeros(len(kerbs), bool), street=kerbs["street"].tolist(),
                    park_node=parks["node"].map(pos).to_numpy(np.int64),
                    park_capacity=parks["capacity"].to_numpy(np.int64),
                    park_price_eur_h=parks["price_eur_h"].to_numpy(float), park_name=parks["name"].tolist())
    dest = destinations(territory, G)
    weights = dest.to_numpy(float)
    per_day = turnover * supply.total_spaces
    demand = Demand(arrivals_per_hour=per_day * ARRIVAL_SHAPE / ARRIVAL_SHAPE.sum(),
                    dest_nodes=dest.index.map(pos).to_numpy(np.int64), dest_weights=np.tile(weights, (24, 1)),
                    stay_mean_h=STAY_MEAN_H.copy(), guidance_share=guidance_share)
    return supply, demand, {"kerbs": kerbs, "car_parks": parks, "nodes": nodes}
