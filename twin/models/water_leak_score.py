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


def pipe_distances(wn) -> Callable[[str, object], float]:
    """distance(node, leak) [m] along the pipes: to a leaking junction, or to the nearer end of a leaking
    link plus half its length (leaks are placed at the middle of their pipe). Pumps and valves count 0 m."""
    import networkx as nx  # noqa: PLC0415

    graph = nx.Graph()
    for name in wn.link_name_list:
        link = wn.get_link(name)
        a, b, length = link.start_node_name, link.end_node_name, getattr(link, "length", 0.0) or 0.0
        if graph.has_edge(a, b):  # parallel links: the shorter is the way
            length = min(length, graph[a][b]["length"])
        graph.add_edge(a, b, length=length)
    cache: dict[str, dict[str, float]] = {}

    def distance(node: str, leak) -> float:
        if node not in cache:
            cache[node] = nx.single_source_dijkstra_path_length(graph, node, weight="length")
        reach = cache[node]
        if leak.link is None:
            return float(reach.get(leak.node, np.inf))
        link = wn.get_link(leak.link)
        ends = [reach.get(link.start_node_name, np.inf), reach.get(link.end_node_name, np.inf)]
        return float(min(ends) + getattr(link, "length", 0.0) / 2)

    return distance


def score(detections: Sequence, leaks: Sequence, distance: Callable[[str, object], float] | None = None,
          leak_flows: pd.DataFrame | None = None, *, max_distance_m: float = 300.0, price_eur_m3: float = 0.8,
          distance_cost_eur: float = 500.0, false_alarm_eur: float = 500.0) -> dict:
    """Counts, delays and BattLeDIM's score of ``detections`` (time, node) against ``leaks``.

    ``leak_flows`` (m³/h per leak — its pipe or junction —, over time) gives the water saved; without it
    the score's "saved" part is NaN and said so. ``distance`` (node, leak) → m; without it nothing is
    localised.
    """
    found_time: dict[str, pd.Timestamp] = {}
    for d in sorted(detections, key=lambda d: d.time):  # timing: the earliest active leak not found yet
        active = [lk for lk in leaks if lk.start <= d.time <= lk.end and lk.where not in found_time]
        if active:
            found_time[min(active, key=lambda lk: lk.start).where] = d.time
    delays_h = [(found_time[lk.where] - lk.start).total_seconds() / 3600 for lk in leaks if lk.where in found_time]
    step_h = _step_h(leak_flows)
    matched: dict[str, dict] = {}
    false_alarms = repeats = 0
    for d in sorted(detections, key=lambda d: d.time):
        best = None
        if d.node is not None and distance is not None:
            for lk in leaks:
                if lk.start <= d.time <= lk.end and lk.where not in matched:
                    metres = distance(d.node, lk)
                    if metres <= max_distance_m and (best is None or metres < best[1]):
                        best = (lk, metres)
        if best is None:
            false_alarms += 1
            if d.node is not None and distance is not None and any(
                    lk.where in matched and lk.start <= d.time <= lk.end and distance(d.node, lk) <= max_distance_m
                    for lk in leaks):
                repeats += 1  # the same leak seen again: BattLeDIM counts it false, it is said apart
            continue
        lk, metres = best
        saved = (float(leak_flows.loc[d.time:lk.end, lk.where].sum() * step_h)
                 if leak_flows is not None and lk.where in leak_flows.columns else float("nan"))
        matched[lk.where] = {"leak": lk.where, "detected": d.time.isoformat(), "node": d.node,
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


LEAKDB_TOLERANCE_STEPS = 10
"""LeakDB's early-detection window: the first 10 time steps of a leak (5 h at 30 min)."""


def leakdb_score(predicted: Sequence[np.ndarray], truth: Sequence[np.ndarray]) -> dict:
    """LeakDB's scores (Vrachimis, Kyriakou, Eliades & Polycarpou, *LeakDB: a benchmark dataset for leakage
    diagnosis in water distribution networks*, WDSA/CCWI 2018) of per-step leak labels, one array per
    scenario: F1, true positive and negative rates over every step of every scenario, and the early
    detection score — per leak, 2 / (1 + e^(5·t/10)) when the first 10 steps from its start are predicted
    leaking more than 75 % of the time, t the step (from 1) of the first positive; else 0; averaged over
    the leaks. ``truth`` per scenario: an int array, 0 without a leak, k > 0 for the k-th leak."""
    if len(predicted) != len(truth):
        raise ValueError(f"{len(predicted)} predictions for {len(truth)} scenarios")
    tp = fp = tn = fn = 0
    early = []
    for pred, true in zip(predicted, truth):
        pred, true = np.asarray(pred).astype(bool), np.asarray(true)
        if pred.shape != true.shape:
            raise ValueError(f"a prediction of {pred.shape} steps for a scenario of {true.shape}")
        leaking = true > 0
        tp += int((pred & leaking).sum())
        fp += int((pred & ~leaking).sum())
        tn += int((~pred & ~leaking).sum())
        fn += int((~pred & leaking).sum())
        for k in np.unique(true[leaking]):
            start = int(np.argmax(true == k))
            window = pred[start:start + LEAKDB_TOLERANCE_STEPS]
            if window.any() and window.mean() > 0.75:
                first = int(np.argmax(window)) + 1
                early.append(2.0 / (1.0 + np.exp(5.0 / LEAKDB_TOLERANCE_STEPS * first)))
            else:
                early.append(0.0)
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return {"f1": round(f1, 4), "tpr": round(tp / (tp + fn), 4) if tp + fn else None,
            "tnr": round(tn / (tn + fp), 4) if tn + fp else None,
            "early_detection": round(float(np.mean(early)), 4) if early else None, "leaks": len(early)}


def leak_labels(leaks: Sequence, index: pd.DatetimeIndex) -> np.ndarray:
    """The true labels of ``leaks`` over ``index``: 0 without a leak, k for the k-th leak of the list
    (from its start, included, to its end, excluded; a later leak wins where two overlap)."""
    labels = np.zeros(len(index), dtype=int)
    for k, leak in enumerate(leaks, start=1):
        labels[(index >= leak.start) & (index < leak.end)] = k
    return labels
