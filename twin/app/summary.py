"""The town at a glance, under the page title: inhabitants, streets, buildings, lamps, bins, sensors.

Issue 17 (orientation): a group in front of a projector first needs to know what the twin holds —
how many streets, buildings, lamps and sensors, over which period, and what is generated rather
than observed. :func:`town_summary` counts it from the territory's own frames (pure, no page);
:func:`town_summary_html` says it in a compact, large-font block, every synthetic thing labelled
« générés (synthétiques) ».

Where each figure comes from:

* inhabitants — ``provenance["population"]`` (with ``population_source`` when given), else a
  ``population`` column of the ``places`` layer (OSM's ``population`` tag of the town's place or
  boundary), else unknown: never guessed from the buildings;
* streets — the drive graph: distinct non-empty names, and km of street with each segment counted
  once whatever its directions (a two-way street is one street, not two);
* buildings, bins, lamps — their layers; lamps by ``source``: ``generated`` (placed by
  :mod:`twin.territory.lamps`, seed in ``provenance["lamp_seed"]``), ``inventory`` (an imported
  lamp inventory), ``osm`` (mapped street lamps);
* sensors — the sensor store's registry (kind = quantity, synthetic flag) and, per kind, the first
  and last observation time: one DuckDB ``min``/``max`` over the Parquet batches, never the values.

Computed once per territory and process (the same for every session): :func:`town_summary` keeps
its result keyed by the territory object and the identity of its layers, graphs and store, so a copy
with other lamps (an uploaded inventory) gets its own summary.
"""

from __future__ import annotations

import html
import math
import threading
import weakref

import pandas as pd

from twin.app.i18n import fmt_number, t
from twin.timeutil import LOCAL_TZ

_CACHE: dict[int, tuple] = {}  # id(territory) -> (weakref, fingerprint, summary, {lang: html})
_LOCK = threading.Lock()


def _fingerprint(territory) -> tuple:
    """What the summary depends on, by identity: a copy of the territory with other layers differs."""
    return (tuple(sorted((k, id(v)) for k, v in territory.layers.items())),
            tuple(sorted((k, id(v)) for k, v in territory.graphs.items())),
            id(territory.sensors), territory.provenance.get("population"))


def _cached(territory):
    entry = _CACHE.get(id(territory))
    if entry is not None and entry[0]() is territory and entry[1] == _fingerprint(territory):
        return entry
    return None


def town_summary(territory) -> dict:
    """The town's figures (see the module docstring), as plain JSON-able values::

        {"name", "inhabitants": int | None, "inhabitants_source": str | None,
         "streets": {"named": int, "km": float, "segments": int},
         "buildings": int, "bins": int (litter bins), "containers": int (the other bins: sorting, household waste),
         "lamps": {"count": int, "by_source": {source: int}, "synthetic": int, "seed": int | None},
         "sensors": {"count": int, "synthetic": int, "first": ISO str | None, "last": ISO str | None,
                     "kinds": [{"quantity", "count", "synthetic", "first", "last"}, …]}}

    Times are UTC ISO strings; a kind whose sensors have no observation has ``first``/``last`` None.
    """
    with _LOCK:
        entry = _cached(territory)
        if entry is not None:
            return entry[2]
    summary = _compute(territory)
    with _LOCK:
        _purge()
        _CACHE[id(territory)] = (weakref.ref(territory), _fingerprint(territory), summary, {})
    return summary


def _purge() -> None:
    """Forget the summaries of territories that no longer exist (an id may be reused)."""
    for key in [k for k, e in _CACHE.items() if e[0]() is None]:
        del _CACHE[key]


def _compute(territory) -> dict:
    layers = territory.layers
    population, source = _inhabitants(territory)
    lamps = layers.get("lamps")
    by_source = {str(k): int(v) for k, v in lamps["source"].value_counts().items()} \
        if lamps is not None and len(lamps) else {}
    return {
        "name": territory.name,
        "inhabitants": population, "inhabitants_source": source,
        "streets": _streets(territory.graphs["drive"]),
        "buildings": int(len(layers["buildings"])) if "buildings" in layers else 0,
        # litter bins (waste baskets: the bins scenarios collect) apart from the other containers (sorting,
        # household waste): « 38 corbeilles » on the page, « only 27 » in the bins form
        "bins": int((layers["bins"]["kind"] == "waste_basket").sum()) if "bins" in layers else 0,
        "containers": int((layers["bins"]["kind"] != "waste_basket").sum()) if "bins" in layers else 0,
        "lamps": {"count": int(len(lamps)) if lamps is not None else 0, "by_source": by_source,
                  "synthetic": by_source.get("generated", 0),
                  "seed": territory.provenance.get("lamp_seed") if by_source.get("generated") else None},
        "sensors": _sensors(territory.sensors),
    }


def _inhabitants(territory) -> tuple[int | None, str | None]:
    """(inhabitants, where the figure comes from), or (None, None) when the territory does not know."""
    value = territory.provenance.get("population")
    if value is not None:
        return int(value), str(territory.provenance.get("population_source") or "provenance")
    places = territory.layers.get("places")
    if places is not None and "population" in places.columns:
        numbers = pd.to_numeric(places["population"], errors="coerce").dropna()
        if len(numbers):  # the town's own place or boundary: the largest figure of the extract
            return int(numbers.max()), "OpenStreetMap (population)"
    return None, None


def _streets(G) -> dict:
    """Distinct street names and km of drivable street, each segment once whatever its directions
    (:func:`twin.territory.streets.street_segments`, as ``twin info`` says it)."""
    from twin.territory.streets import street_segments  # noqa: PLC0415

    names = set()
    for _, _, d in G.edges(data=True):
        name = d.get("name")
        for n in (name if isinstance(name, list) else [name]):
            if isinstance(n, str) and n.strip():
                names.add(n.strip())
    segments, metres = street_segments(G)
    return {"named": len(names), "km": round(metres / 1000.0, 2), "segments": segments}


def _sensors(store) -> dict:
    """Sensors per kind (registry) and each kind's first and last observation (DuckDB min/max)."""
    empty = {"count": 0, "synthetic": 0, "first": None, "last": None, "kinds": []}
    if store is None:
        return empty
    reg = store.sensors
    if not len(reg):
        return empty
    periods = {}
    if store._obs_files():  # noqa: SLF001 - the store's own test for "no observation yet"
        rows = store.sql("SELECT s.quantity AS quantity, min(o.time) AS t0, max(o.time) AS t1 "
                         "FROM observations o JOIN sensors s USING (sensor_id) GROUP BY s.quantity")
        periods = {r.quantity: (_iso(r.t0), _iso(r.t1)) for r in rows.itertuples()}
    kinds = []
    for quantity, group in reg.groupby("quantity", sort=True):
        first, last = periods.get(quantity, (None, None))
        kinds.append({"quantity": str(quantity), "count": int(len(group)),
                      "synthetic": int(group["synthetic"].astype(bool).sum()), "first": first, "last": last})
    firsts = [k["first"] for k in kinds if k["first"]]
    lasts = [k["last"] for k in kinds if k["last"]]
    return {"count": int(len(reg)), "synthetic": int(reg["synthetic"].astype(bool).sum()),
            "first": min(firsts) if firsts else None, "last": max(lasts) if lasts else None, "kinds": kinds}


def _iso(x) -> str | None:
    if x is None or x is pd.NaT or (isinstance(x, float) and math.isnan(x)):
        return None
    ts = pd.Timestamp(x)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts.isoformat()


# --------------------------------------------------------------------------- the page's block
CSS = """
.town-summary {font-size: 1.25rem; line-height: 1.45; margin: 0.2em 0 0.6em 0;}
.town-summary ul {list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 0.3em 1.6em;}
.town-summary li b {font-size: 1.45rem;}
.town-summary .synthetic {color: #8a4b00; font-weight: 600;}
.town-summary details {font-size: 1.05rem; margin-top: 0.3em;}
"""
"""Large type (about 20 px, figures 23 px): read from the back of a room on a projector."""


def _date(iso: str | None, lang: str) -> str:
    """A UTC time as the local calendar date (a daily meter stamped at local midnight is that day)."""
    if not iso:
        return "—"
    day = pd.Timestamp(iso).tz_convert(LOCAL_TZ)
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.strftime("%Y-%m-%d")


def _kind_label(quantity: str, lang: str) -> str:
    key = f"orient_q_{quantity}"
    from twin.app.i18n import STRINGS  # noqa: PLC0415

    return t(key, lang) if key in STRINGS else quantity.replace("_", " ")


def _origin(count: int, synthetic: int, lang: str, observed_key: str) -> str:
    """« générés (synthétiques) », the observed origin, or both counts when mixed (HTML)."""
    if count and synthetic == count:
        return f"<span class='synthetic'>{html.escape(t('orient_synthetic', lang))}</span>"
    if synthetic:
        return html.escape(t("orient_mixed", lang, synthetic=fmt_number(synthetic, lang),
                             observed=fmt_number(count - synthetic, lang))) + \
            f" <span class='synthetic'>{html.escape(t('orient_synthetic', lang))}</span>"
    return html.escape(t(observed_key, lang))


def town_summary_html(territory, lang: str = "fr") -> str:
    """The summary as one compact HTML block (large type, for a projector), in ``lang``; every text
    from the catalogue and every value from a file escaped. Kept per territory and language."""
    s = town_summary(territory)
    with _LOCK:
        entry = _cached(territory)
        if entry is not None and lang in entry[3]:
            return entry[3][lang]
    text = _render(s, lang)
    with _LOCK:
        entry = _cached(territory)
        if entry is not None:
            entry[3][lang] = text
    return text


def _render(s: dict, lang: str) -> str:
    n = lambda x: fmt_number(x, lang)  # noqa: E731 - local shorthand
    e = html.escape
    items = []
    if s["inhabitants"] is None:
        items.append(f"{e(t('orient_inhabitants', lang))} <b>{e(t('orient_unknown', lang))}</b> "
                     f"<small>({e(t('orient_unknown_why', lang))})</small>")
    else:
        items.append(f"{e(t('orient_inhabitants', lang))} <b>{e(n(s['inhabitants']))}</b> "
                     f"<small>({e(s['inhabitants_source'] or '')})</small>")
    st = s["streets"]
    items.append(e(t("orient_streets", lang, named="\x00", km="\x01"))
                 .replace("\x00", f"<b>{e(n(st['named']))}</b>").replace("\x01", f"<b>{e(n(st['km']))}</b>"))
    items.append(f"<b>{e(n(s['buildings']))}</b> {e(t('orient_buildings', lang))} "
                 f"{e(t('orient_from_osm', lang))}")
    lamps = s["lamps"]
    lamp_origin = "orient_from_inventory" if lamps["by_source"].get("inventory") else "orient_from_osm"
    items.append(f"<b>{e(n(lamps['count']))}</b> {e(t('orient_lamps', lang))} "
                 f"{_origin(lamps['count'], lamps['synthetic'], lang, lamp_origin)}")
    if s.get("containers"):
        items.append(f"<b>{e(n(s['bins']))}</b> {e(t('orient_bins', lang))} {e(t('orient_and', lang))} "
                     f"<b>{e(n(s['containers']))}</b> {e(t('orient_containers', lang))} {e(t('orient_from_osm', lang))}")
    else:
        items.append(f"<b>{e(n(s['bins']))}</b> {e(t('orient_bins', lang))} {e(t('orient_from_osm_f', lang))}")
    sensors = s["sensors"]
    if sensors["count"]:
        items.append(f"<b>{e(n(sensors['count']))}</b> {e(t('orient_sensors', lang))} "
                     f"{_origin(sensors['count'], sensors['synthetic'], lang, 'orient_measured')}, "
                     + e(t("orient_period", lang, first=_date(sensors["first"], lang),
                           last=_date(sensors["last"], lang))))
    else:
        items.append(e(t("orient_no_sensors", lang)))
    body = "".join(f"<li>{i}</li>" for i in items)
    kinds = ""
    if sensors["kinds"]:
        colon = " : " if lang == "fr" else ": "  # French puts a space before the colon
        rows = "".join(
            f"<li>{e(_kind_label(k['quantity'], lang))}{colon}<b>{e(n(k['count']))}</b> "
            f"{_origin(k['count'], k['synthetic'], lang, 'orient_measured')}, "
            f"{e(t('orient_period', lang, first=_date(k['first'], lang), last=_date(k['last'], lang)))}</li>"
            for k in sensors["kinds"])
        kinds = f"<details><summary>{e(t('orient_sensor_kinds', lang))}</summary><ul>{rows}</ul></details>"
    return (f"<div class='town-summary' role='region' aria-label='{e(t('orient_summary_label', lang))}'>"
            f"<style>{CSS}</style><ul>{body}</ul>{kinds}</div>")
