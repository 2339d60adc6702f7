"""Flood detours: the streets the flood closes, the detours' flow change, the buildings the fire
station or the hospital no longer reach in time.

Read from the outcome of :class:`twin.scenarios.flood_detours.FloodDetours`:

* streets — the peak-hour flow change of the roadworks run on the flooded segments (red: more
  traffic, green: less, width grows with the change; :func:`twin.app.views.roadworks.street_overlay`),
  and the segments the flood closes (its list ``streets_to_close``) in black and wide, whether or not
  traffic used them before; a street left open that loses all its traffic (in a part the flood cuts
  off) is green, a fall, not black: black says "closed";
* buildings — from the layer ``buildings`` (drive time from the nearest fire station / hospital before
  and after the closures): dark red, no longer reached at all; orange, reached in time before the
  flood and late after it (the service's threshold, attributes ``fire_threshold_min`` and
  ``hospital_threshold_min``); the hover gives both times per service;
* when the flood closes no street, one plain note and nothing else (no map layer, no figure of two
  identical days): there is no detour to show.

A service with no place in the territory has its KPIs not computed (NaN, not zero): the cards leave
them out and say why in one plain sentence (:mod:`twin.app.views.notes`), instead of six « — » cards
and a note in OpenStreetMap's tags (issue 17). The Redon seed's extract holds neither a fire station
nor a hospital.

Under the map, the detours' vehicle-hours hour by hour (:func:`twin.app.views.roadworks.hourly_traffic_figure`).
"""

from __future__ import annotations

import math

from bokeh.core.properties import value

from twin.app.i18n import fmt_number, t
from twin.app.mapview import COLORS
from twin.app.views.common import CLOSED, DECREASE, variant_shown
from twin.app.views.roadworks import hourly_traffic_figure, street_overlay

CLOSED_WIDTH = 7.0
LOST, LATE = "#7b241c", "#e67e22"  # dark red: no longer reached; orange: reached, but late now
SERVICES = ("fire", "hospital")


def closed_edges(outcome) -> set[str]:
    """The drive-graph edges (``u-v-key``) the flood closed: the outcome's list ``streets_to_close``."""
    if "streets_to_close" not in outcome.tables:
        return set()
    return set(map(str, outcome.table("streets_to_close")["edge"]))


def closed_segments(outcome) -> int:
    """How many street segments the flood closes, as its card counts them (a two-way street is one segment
    and two directed edges: the map's caption said 60 beside the card's 31)."""
    if "streets_to_close" not in outcome.tables:
        return 0
    table = outcome.table("streets_to_close")
    return int(table["segment"].nunique()) if "segment" in table else len(closed_edges(outcome))


def flood_street_overlay(outcome, edges: list[str], lang: str = "fr") -> dict | None:
    """The roadworks' flow change per street, with every segment the flood closes in black (a closed
    segment nobody drove at the peak is black too: the roadworks view marks only those that lost
    traffic); None when the outcome has neither."""
    base = street_overlay(outcome, edges, lang)
    shut = closed_edges(outcome)
    if base is None and not shut:
        return None
    if base is None:
        base = {"color": [COLORS["streets"]] * len(edges), "width": [2.5] * len(edges), "value": [""] * len(edges)}
    closed_text = t("orient_fd_closed_hover", lang)
    colors, widths, values = list(base["color"]), list(base["width"]), list(base["value"])
    for i, e in enumerate(edges):
        if e in shut:
            colors[i], widths[i], values[i] = CLOSED, CLOSED_WIDTH, closed_text
        elif colors[i] == CLOSED:  # not shut, emptied: a street of a part the flood cuts off loses its traffic
            colors[i] = DECREASE
    return {"color": colors, "width": widths, "value": values}


def _minutes(x: float, lang: str) -> str:
    return t("orient_fd_never", lang) if not math.isfinite(x) else t("orient_fd_minutes", lang, n=fmt_number(x, lang))


def access_overlay(outcome, building_ids: list[str], lang: str = "fr") -> tuple[dict | None, dict[str, int]]:
    """(overlay, counts): buildings no longer reached (dark red) or reached in time before the flood
    and late after it (orange) by a service, the hover giving before → after per service; counts
    ``{"lost": n, "late": n}`` of buildings so marked. (None, zeros) when no service was computed."""
    counts = {"lost": 0, "late": 0}
    if "buildings" not in outcome.tables or outcome.table("buildings").empty:
        return None, counts
    table = outcome.table("buildings")
    thresholds = {s: float(outcome.data.attrs.get(f"{s}_threshold_min", math.inf)) for s in SERVICES}
    status: dict[str, str] = {}
    hover: dict[str, list[str]] = {}
    for row in table.itertuples(index=False):
        b, service = str(row.building_id), str(row.service)
        before, after = float(row.time_before_min), float(row.time_after_min)
        limit = thresholds.get(service, math.inf)
        if math.isfinite(before) and not math.isfinite(after):
            kind = "lost"
        elif before <= limit < after and math.isfinite(after):
            kind = "late"
        else:
            continue  # unchanged for this service: no mark, no hover
        if status.get(b) != "lost":  # no longer reached by one service outweighs late for the other
            status[b] = kind
        hover.setdefault(b, []).append(t("orient_fd_access_hover", lang, service=t(f"orient_fd_{service}", lang),
                                         before=_minutes(before, lang), after=_minutes(after, lang)))
    colors, values = [], []
    for b in building_ids:
        s = status.get(b)
        colors.append(LOST if s == "lost" else LATE if s == "late" else COLORS["buildings"])
        texts = hover.get(b, [])
        values.append(texts[0] if len(texts) == 1 else t("orient_fd_both", lang, a=texts[0], b=texts[1])
                      if texts else "")
        if s:
            counts[s] += 1
    return {"color": colors, "value": values}, counts


def missing_services(outcome) -> list[str]:
    """The services whose access was not computed: the territory has no place of theirs (no row of
    theirs in the outcome's ``buildings`` layer; the outcome's KPIs for them are NaN, which the cards
    leave out and explain: :mod:`twin.app.views.notes`)."""
    table = outcome.tables.get("buildings")
    have = set(table["service"]) if table is not None and len(table) else set()
    return [s for s in SERVICES if s not in have]


def nothing_closed(outcome) -> bool:
    """The flood closes no street: no detour, no access changed (the outcome's list is empty)."""
    return not closed_edges(outcome)


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str | None, dict, str]]:
    """(layer, overlay, caption) of a flood-detours run; a caption without a layer (None) is a note."""
    if nothing_closed(outcome):
        return [(None, {}, t("res_fd_nothing_closed", lang))]
    out = []
    streets = flood_street_overlay(outcome, sources["streets"].data["edge"], lang)
    if streets:
        out.append(("streets", streets, t("orient_fd_streets_caption", lang,
                                          n=fmt_number(closed_segments(outcome), lang))))
    buildings, counts = access_overlay(outcome, sources["buildings"].data["id"], lang)
    if buildings is not None:
        out.append(("buildings", buildings, t("orient_fd_buildings_caption", lang,
                                              lost=fmt_number(counts["lost"], lang),
                                              late=fmt_number(counts["late"], lang))))
    return out


def figure_for(outcome, lang: str = "fr"):
    """The detours' vehicle-hours hour by hour (the roadworks figure), its variant named for what it
    is: the flooded streets closed, not « travaux »; None when the flood closes nothing (two identical
    days say nothing the note does not)."""
    if nothing_closed(outcome):
        return None
    fig = hourly_traffic_figure(outcome, lang)
    if fig is not None:
        works = t("roadworks_variant", lang, name=variant_shown(outcome))
        for item in fig.legend[0].items:
            if getattr(item.label, "value", item.label) == works:
                item.label = value(t("orient_fd_variant", lang))  # a plain text is read as a column name
    return fig
