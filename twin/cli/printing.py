"""How the ``twin`` command prints: a territory's summary, results as JSON or aligned text, outcomes.
Formatting only — the values come from the library (error messages are bounded by :func:`twin.errors.bounded`)."""

from __future__ import annotations

import json
import math


def _finite(value, default):
    """``value`` with every NaN or infinite number (numpy's too) as None, recursively; other types through
    ``default`` first (how json renders them)."""
    if isinstance(value, dict):
        return {k: _finite(v, default) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v, default) for v in value]
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    try:
        number = float(value)  # numpy scalars
    except (TypeError, ValueError):
        return _finite(default(value), default) if default is not None else value
    return number if math.isfinite(number) else None


def json_text(result, indent: int = 2, default=None, **kw) -> str:
    """``result`` as strict JSON: a NaN or an infinity is ``null`` (``json.dumps`` wrote ``NaN``, which no
    JSON reader takes: `twin water run --json` printed it 23 times)."""
    return json.dumps(_finite(result, default), indent=indent, allow_nan=False, **kw)


def key_values(result: dict, width: int) -> str:
    """One ``key value`` line per entry, keys left-aligned on ``width`` characters."""
    return "\n".join(f"{k:<{width}} {v}" for k, v in result.items())


def result_text(result: dict, as_json: bool, width: int, default=None) -> str:
    """``result`` as indented JSON (``default``: how json renders other types) or as aligned lines."""
    return json_text(result, 2, default) if as_json else key_values(result, width)


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
        # the edges' km count a two-way street twice: the street's own km beside them (the app says 11,7 km)
        street = f" ({g['street_km']:.2f} km of street, each segment once)" if "street_km" in g else ""
        print(f"  {net:<6} street graph: {g['nodes']:>6} nodes {g['edges']:>6} edges {g['length_km']:>8.2f} km of "
              f"edges{street}")
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
        print(json_text(result, 1, float))
        return True
    if result["value"] is None:
        print(f"{result['territory']}: {result['verdict']}")
        return True
    return False

