"""How the ``twin`` command prints: a territory's summary, results as JSON or aligned text, outcomes.
Formatting only — the values come from the library (error messages are bounded by :func:`twin.errors.bounded`)."""

from __future__ import annotations

import json


def key_values(result: dict, width: int) -> str:
    """One ``key value`` line per entry, keys left-aligned on ``width`` characters."""
    return "\n".join(f"{k:<{width}} {v}" for k, v in result.items())


def result_text(result: dict, as_json: bool, width: int, default=None) -> str:
    """``result`` as indented JSON (``default``: how json renders other types) or as aligned lines."""
    return json.dumps(result, indent=2, default=default) if as_json else key_values(result, width)


def outcome_text(outcome, as_json: bool) -> str:
    """A scenario outcome: its comparison table as JSON records, or its text report."""
    return outcome.compare().to_json(orient="records", indent=1) if as_json else outcome.to_text()


def print_summary(territory, as_json: bool = False) -> None:
    """Layers, graphs, what was generated or dropped, and the sensors of ``territory``."""
    summary = territory.summary()
    if as_json:
        print(json.dumps(summary, indent=2, default=str))
        return
    print(f"territory: {summary['name']}  (CRS {summary['crs']})")
    print(f"  source: {summary['source']}")
    print(f"  data: {summary['attribution']}")
    for net, g in summary["graphs"].items():
        print(f"  {net:<6} street graph: {g['nodes']:>6} nodes {g['edges']:>6} edges {g['length_km']:>8.2f} km")
    for layer, info in summary["layers"].items():
        sources = ", ".join(f"{v} {k}" for k, v in info["by_source"].items()) or "none"
        print(f"  {layer:<12} {info['count']:>6}   ({sources})")
    b = summary.get("buildings")
    if b and (b["with_dwellings"] or b["joined"]):
        print(f"  buildings: {b['dwellings']:g} dwellings in {b['with_dwellings']} of {b['count']} (BD TOPO), "
              f"{b['addressed']} with an address")
    for g in summary["generated"]:
        print(f"  generated: {g['count']} {g['layer']} (seed {g['seed']}) — {g['how']}")
    for d in summary["dropped"]:
        print(f"  dropped: {d['count']} from {d['layer']} — {d['reason']}")
    if "sensors" in summary:
        s = summary["sensors"]
        synth = f", {s['synthetic_sensors']} of them SYNTHETIC" if s["synthetic_sensors"] else ""
        print(f"  sensors: {s['sensors']}{synth}; {s['observations']} observations "
              f"({s['flagged']} flagged); period {s['period'][0] if s['period'] else '-'} → "
              f"{s['period'][1] if s['period'] else '-'}")
        print("    by quantity: " + ", ".join(f"{k} {v}" for k, v in s["by_quantity"].items()))


def value_printed(result: dict, as_json: bool) -> bool:
    """A value-of-information result (``twin bins value``, ``twin buildings value``) printed whole when it is
    JSON or has nothing to value (its verdict alone); True when nothing is left to print."""
    if as_json:
        print(json.dumps(result, indent=1, default=float))
        return True
    if result["value"] is None:
        print(f"{result['territory']}: {result['verdict']}")
        return True
    return False

