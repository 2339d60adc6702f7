"""Demo scenarios for a territory the project has never seen (``twin run FILE.osm``, issue 24): one of
every family, its streets and places chosen from the territory itself, so that a commune with only a
map sees every question the twin answers — and which answers come from priors.

The street the demos close, break or dig up is the **most travelled named street**: the one whose edges,
added up, carry the most shortest paths between street nodes (edge betweenness on the drive graph
weighted by length; Freeman 1977, computed on a seeded sample of 200 sources beyond 400 nodes, Brandes &
Pich 2007) — a long through street of many segments rather than its busiest single block. Its length
breaks ties. A street whose closure cuts the network in two is passed over for the next
(:func:`busiest_street`). A territory without any named drive street gets no street demo, and the run says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

SAMPLE_SOURCES = 200
SAMPLE_SEED = 24
MAX_CANDIDATES = 20
"""The busiest streets tried for a closure that keeps the network whole before the busiest is taken."""


@dataclass(frozen=True)
class Demo:
    """A demo: why it is there, and its scenario spec (as in a scenario JSON file)."""

    why: str
    spec: dict
    skip: str = ""  # why the territory gives this demo nothing to run on ("": it runs)


def busiest_street(G, max_cut: float = 0.05) -> str | None:
    """The named drive street whose edges carry the most shortest paths (module docstring) among those
    whose closure keeps the network whole, or None when no drive street is named.

    A street whose closure cuts more than ``max_cut`` of the nodes (those keeping a street of another
    name) off the network's main part is passed over: Pont-de-Veyle's Grande Rue cut the village in two,
    934 of 1,529 buildings lost their route, and every figure of its demos was « no verdict ». When
    every named street cuts that much, the busiest of all."""
    simple = nx.DiGraph()
    for u, v, data in G.edges(data=True):
        length = float(data.get("length", 1.0))
        if not simple.has_edge(u, v) or length < simple.edges[u, v]["length"]:
            simple.add_edge(u, v, length=length, name=_name(data.get("name")))
    if simple.number_of_edges() == 0:
        return None
    k = SAMPLE_SOURCES if simple.number_of_nodes() > 2 * SAMPLE_SOURCES else None
    between = nx.edge_betweenness_centrality(simple, k=k, weight="length", seed=SAMPLE_SEED)
    score: dict[str, tuple[float, float]] = {}
    for (u, v), b in between.items():
        name = simple.edges[u, v]["name"]
        if name:
            total, length = score.get(name, (0.0, 0.0))
            score[name] = (total + b, length + simple.edges[u, v]["length"])
    ranked = sorted(score, key=lambda n: (score[n], n), reverse=True)
    main = max(nx.strongly_connected_components(simple), key=len)
    by_name: dict[str, list] = {}
    for u, v, d in simple.edges(data=True):
        by_name.setdefault(d["name"], []).append((u, v))
    # at most MAX_CANDIDATES tried: each costs a pass over the graph (1,8 s on 100,000 edges)
    return next((n for n in ranked[:MAX_CANDIDATES] if cut_share(simple, main, by_name[n]) <= max_cut),
                ranked[0] if ranked else None)


def cut_share(simple: nx.DiGraph, main: set, closed_edges) -> float:
    """Share of the main strongly connected part's nodes that still have a street once ``closed_edges`` are
    closed, but no longer reach each other both ways (nodes on the closed street alone are its own, not cut
    off)."""
    closed = nx.restricted_view(simple, [], closed_edges)
    kept = {n for n in main if closed.degree(n) > 0}
    if not kept:
        return 1.0
    whole = max(nx.strongly_connected_components(closed.subgraph(kept)), key=len)
    return 1.0 - len(whole) / len(kept)


def _name(value) -> str:
    value = value[0] if isinstance(value, list) and value else value
    return value if isinstance(value, str) else ""


def territory_demos(territory) -> list[Demo]:
    """One demo of every family for ``territory`` (module docstring). Families that read a sensor history
    (flood, heating, bins) are in the list too: on a territory without one, they say what they lack."""
    street = busiest_street(territory.graphs["drive"])
    stations = territory.layers["places"]["category"].eq("station").any() if len(territory.layers["places"]) else False
    lighting_rules = [{"zone": {"all": True}, "schedule": {"name": "off 23:00–05:00", "off_windows": [["23:00", "05:00"]]}}]
    if stations:
        lighting_rules.append({"zone": {"near": {"category": ["station"], "radius_m": 150}},
                               "schedule": {"name": "all night"}})
    demos = []
    if street:
        demos += [Demo(f"the busiest street, {street}, closed: who loses their route to the town hall "
                       "(or the centre of the buildings when none is mapped)",
                       {"family": "street-closure", "streets": [street]}),
                  Demo(f"{street} under roadworks in the day: where the traffic goes (gravity demand, uncalibrated)",
                       {"family": "roadworks", "streets": [street], "hours": "07:00-19:00"})]
    demos += [Demo("lights off at night" + (" except near the station" if stations else ""),
                   {"family": "lighting", "rules": lighting_rules, "variant_name": "off 23–05"}),
              Demo("parking over a working day, the demand a prior", {"family": "parking", "members": 5,
                                                                        "period": "07:00-19:00"})]
    if street:
        demos.append(Demo(f"a main break under {street}, on the SYNTHETIC network laid under the streets",
                          {"family": "water-break", "broken_street": street}))
    else:
        none = "no named drive street to close, dig up or break under"
        demos += [Demo("", {"family": family}, skip=none) for family in ("street-closure", "roadworks", "water-break")]
    demos += [Demo("the water pressure lowered to 30 m at night", {"family": "water-pressure", "night_pressure_m": 30}),
              Demo("district meters against today's leak survey", {"family": "water-meters"}),
              Demo("a flood forecast (a 10-year storm on a river without a gauge: the flood prior)",
                   {"family": "flood", "horizon_h": 120}),
              Demo("the heating of the public buildings", {"family": "heating"}),
              Demo("predictive collection of the litter bins", {"family": "bins", "policy": "predictive", "members": 5})]
    return demos


__all__ = ["Demo", "busiest_street", "territory_demos"]
