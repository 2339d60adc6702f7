"""Scoring leak detections against the true leaks: BattLeDIM's rules and plain counts (issue 22).

BattLeDIM 2020 (Vrachimis et al., J. Water Resour. Plann. Manage. 148(12), 2022; rules in
``BattLeDIM_Problem_Description_and_Rules.pdf``): a detection counts for a leak when it falls inside
the leak's window [start, end] and is at most ``max_distance_m`` (300 m) from the leaking pipe along
the pipes; it is then worth the water the leak would have spilt from the detection to its end at
``price_eur_m3`` (0.8 €/m³) minus ``distance_cost_eur`` (500 €) per 300 m of distance. Every other
detection — including a second one of a leak already found — is a false alarm costing
``false_alarm_eur`` (500 €); those second ones (within the distance of a leak found and still running)
are also counted apart, ``of_which_repeats``: a detector that keeps seeing a leak nobody repaired.

The *timing* counts (detected, missed, delay) match a detection to an active leak not found yet
whatever its place: they judge a detector that does not localise (the night flow) beside one that does.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd


def pipe_distances(wn) -> Callable[[str, str], float]:
    """distance(node, leaking link) [m] along the pipes: from the node to the nearer end of the link, plus
    half its length (leaks are placed at the middle of their pipe). Pumps and valves count 0 m."""
    import networkx as nx  # noqa: PLC0415

    graph = nx.Graph()
    for name in wn.link_name_list:
        link = wn.get_link(name)
        graph.add_edge(link.start_node_name, link.end_node_name, length=getattr(link, "length", 0.0) or 0.0)
    cache: dict[str, dict[str, float]] = {}

    def distance(node: str, link_name: str) -> float:
        if node not in cache:
            cache[node] = nx.single_source_dijkstra_path_length(graph, node, weight="length")
        link = wn.get_link(link_name)
        reach = cache[node]
        ends = [reach.get(link.start_node_name, np.inf), reach.get(link.end_node_name, np.inf)]
        return float(min(ends) + getattr(link, "length", 0.0) / 2)

    return distance


def score(detections: Sequence, leaks: Sequence, distance: Callable[[str, str], float] | None = None,
          leak_flows: pd.DataFrame | None = None, *, max_distance_m: float = 300.0, price_eur_m3: float = 0.8,
          distance_cost_eur: float = 500.0, false_alarm_eur: float = 500.0) -> dict:
    """Counts, delays and BattLeDIM's score of ``detections`` (time, node) against ``leaks``.

    ``leak_flows`` (m³/h per leaking link, over time) gives the water saved; without it the score's
    "saved" part is NaN and said so. ``distance`` (node, link) → m; without it nothing is localised.
    """
    found_time: dict[str, pd.Timestamp] = {}
    for d in sorted(detections, key=lambda d: d.time):  # timing: the earliest active leak not found yet
        active = [lk for lk in leaks if lk.start <= d.time <= lk.end and lk.link not in found_time]
        if active:
            found_time[min(active, key=lambda lk: lk.start).link] = d.time
    delays_h = [(found_time[lk.link] - lk.start).total_seconds() / 3600 for lk in leaks if lk.link in found_time]
    step_h = _step_h(leak_flows)
    matched: dict[str, dict] = {}
    false_alarms = repeats = 0
    for d in sorted(detections, key=lambda d: d.time):
        best = None
        if d.node is not None and distance is not None:
            for lk in leaks:
                if lk.start <= d.time <= lk.end and lk.link not in matched:
                    metres = distance(d.node, lk.link)
                    if metres <= max_distance_m and (best is None or metres < best[1]):
                        best = (lk, metres)
        if best is None:
            false_alarms += 1
            if d.node is not None and distance is not None and any(
                    lk.link in matched and lk.start <= d.time <= lk.end and distance(d.node, lk.link) <= max_distance_m
                    for lk in leaks):
                repeats += 1  # the same leak seen again: BattLeDIM counts it false, it is said apart
            continue
        lk, metres = best
        saved = (float(leak_flows.loc[d.time:lk.end, lk.link].sum() * step_h)
                 if leak_flows is not None and lk.link in leak_flows.columns else float("nan"))
        matched[lk.link] = {"link": lk.link, "detected": d.time.isoformat(), "node": d.node,
                            "distance_m": round(metres, 1), "delay_h": round((d.time - lk.start).total_seconds() / 3600, 2),
                            "saved_m3": round(saved, 1)}
    saved_eur = sum(m["saved_m3"] for m in matched.values()) * price_eur_m3
    distance_eur = sum(m["distance_m"] for m in matched.values()) / max_distance_m * distance_cost_eur
    alarms_eur = false_alarms * false_alarm_eur
    return {
        "leaks": len(leaks), "detections": len(detections),
        "timing": {"detected": len(found_time), "missed": len(leaks) - len(found_time),
                   "median_delay_h": round(statistics.median(delays_h), 1) if delays_h else None},
        "battledim": {"true_positives": len(matched), "false_alarms": false_alarms,
                      "of_which_repeats": repeats,
                      "score_eur": round(saved_eur - distance_eur - alarms_eur, 1),
                      "water_saved_eur": round(saved_eur, 1), "distance_cost_eur": round(distance_eur, 1),
                      "false_alarm_cost_eur": round(alarms_eur, 1),
                      "note": "" if leak_flows is not None else "no leak flows given: water saved unknown (NaN)",
                      "matched": list(matched.values())},
    }


def _step_h(leak_flows: pd.DataFrame | None) -> float:
    if leak_flows is None or len(leak_flows.index) < 2:
        return 0.0
    return float(pd.Series(leak_flows.index).diff().median().total_seconds() / 3600)
