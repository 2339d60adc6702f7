"""Roadworks and street closures: the peak-hour flow change on every street, the hourly vehicle-hours."""

from __future__ import annotations

import numpy as np
from bokeh.models import LinearAxis, Range1d, Title
from bokeh.plotting import figure

from twin.app.i18n import fmt_number, method_label, t
from twin.app.views.common import CLOSED, DECREASE, INCREASE, legend_below, variant_shown

UNCHANGED = "#b5b5b5"  # a street the works leave as it was: light, so that black (closed) and the colours of
# change stand out (its dark grey of the base map looked closed, a planner lost the closed street in it)
SIGNED = "#283593"  # a street of the signed detour (indigo: the rivers are light blue, the changes red/green)
WORKS = "#ef6c00"  # a street under works, open with its capacity cut (orange: neither more nor less; the
# schools are purple triangles, and a purple street under one was lost)


def street_overlay(outcome, edges: list[str], lang: str = "fr") -> dict | None:
    """Colours, widths and hover values per street edge, or None when the outcome has nothing per street:
    the peak-hour flow change (the ``peak_flow_veh_h`` series of a roadworks run) or the closed streets
    (the ``closed_streets`` list of a street closure)."""
    if "peak_flow_veh_h" in outcome.series_names:
        flows = outcome.series("peak_flow_veh_h")
        index = {e: i for i, e in enumerate(map(str, flows["edge"].values))}
        base = flows.sel(variant=outcome.baseline).values
        var = flows.sel(variant=variant_shown(outcome)).values
        change = np.array([var[index[e]] - base[index[e]] if e in index else 0.0 for e in edges])
        # closed by the works, as the run says (a street that only lost its traffic is not closed)
        shut = _closed_edges(outcome)
        closed = np.array([e in shut for e in edges]) if shut is not None else \
            np.array([e in index and var[index[e]] == 0 and base[index[e]] > 0 for e in edges])
        works, signed = _works_edges(outcome), _flagged_edges(outcome, "signed_detour")
        scale = max(float(np.abs(change).max(initial=0.0)), 1e-9)
        colors = [(CLOSED if c else WORKS if e in works else SIGNED if e in signed else INCREASE if d > 0.5
                   else DECREASE if d < -0.5 else UNCHANGED) for e, d, c in zip(edges, change, closed, strict=True)]
        # the works and the signed detour stand out however little their flow changes
        # a closed street too (Rue Victor Hugo closed, its flow barely moved: a 1,9 px black line no one saw)
        widths = [max(w, 5.0) if e in works or e in signed or c else w
                  for e, w, c in zip(edges, 1.5 + 7.0 * np.abs(change) / scale, closed, strict=True)]
        # « sauf riverains »: the residents' traffic still on it, said as theirs
        closed_key = "roadworks_hover_closed_residents" if outcome.data.attrs.get("residents_access") == "kept" \
            else "roadworks_hover_closed"
        values = [t(closed_key if c else "roadworks_hover_works" if e in works
                    else "roadworks_hover_signed" if e in signed else "roadworks_hover",
                    lang, change=fmt_number(d, lang, signed=True))
                  for e, d, c in zip(edges, change, closed, strict=True)]
        # works in one direction: the two directions share one line, the works' colour over the open one; the
        # hover of each says the other's (a planner read a one-way closure as the street closed both ways)
        if str(outcome.data.attrs.get("one_direction", "")).lower() in ("true", "1"):
            at = {e: i for i, e in enumerate(edges)}
            for i, e in enumerate(edges):
                u, v, *k = e.split("-")
                j = at.get("-".join([v, u, *k]))
                if j is not None and (closed[i] or e in works) != (closed[j] or edges[j] in works):
                    other = ("roadworks_hover_other_way_closed" if closed[j] else "roadworks_hover_other_way_works"
                             if edges[j] in works else "roadworks_hover_other_way")
                    values[i] += " ; " + t(other, lang, change=fmt_number(change[j], lang, signed=True))
        return {"color": colors, "width": widths, "value": values, "largest": float(np.abs(change).max(initial=0.0))}
    if "closed_streets" in outcome.tables and len(outcome.table("closed_streets")):
        shut = set(outcome.table("closed_streets")["edge"])
        hit = [e in shut for e in edges]
        # black, as the roadworks and flood maps draw a closed street (it was red: « more traffic » there)
        return {"color": [CLOSED if h else UNCHANGED for h in hit],
                "width": [6.0 if h else 2.5 for h in hit],
                "value": [t("closure_hover_closed", lang) if h else "" for h in hit]}
    return None


def hourly_traffic_figure(outcome, lang: str = "fr"):
    """Roadworks: vehicle-hours travelled in each hour of the works' window, baseline against the
    works; None when the outcome has no hourly traffic."""
    if "hourly_vehicle_hours" not in outcome.series_names:
        return None
    da = outcome.series("hourly_vehicle_hours")
    hours = [int(h) for h in da["hour"].values]
    x = [t("roadworks_hour", lang, hour=h) for h in hours]
    method = da.attrs.get("method", "")
    title = t("res_roadworks_title_method", lang, method=method_label(method, lang)) if method \
        else t("roadworks_title", lang)
    fig = figure(height=280, sizing_mode="stretch_width", x_range=x, title=title)
    for name, color, dash in ((outcome.baseline, "#888888", "solid"), (variant_shown(outcome), "#c0392b", "solid")):
        y = da.sel(variant=name).values
        label = t("series_baseline" if name == outcome.baseline else "roadworks_variant", lang, name=name)
        fig.line(x, y, color=color, line_width=2, line_dash=dash, legend_label=label)
        fig.scatter(x, y, color=color, size=5)
    # the extra hours at the wheel, hour by hour, as bars beneath the curves on an axis of their own: two
    # curves 1 % apart read as one (a planner saw « no difference »)
    extra = da.sel(variant=variant_shown(outcome)).values - da.sel(variant=outcome.baseline).values
    reach = float(np.nanmax(np.abs(extra))) if np.isfinite(extra).any() else 0.0
    if reach > 0:
        low = min(float(np.nanmin(extra)), 0.0)
        fig.extra_y_ranges = {"extra": Range1d(low * 1.1, max(float(np.nanmax(extra)), 0.0) * 1.1 or reach * 0.1)}
        fig.add_layout(LinearAxis(y_range_name="extra", axis_label=t("roadworks_axis_extra", lang)), "right")
        fig.vbar(x=x, top=extra, width=0.6, y_range_name="extra", color="#f4b6ae", line_color="#c0392b",
                 legend_label=t("roadworks_extra", lang), level="underlay")
    legend_below(fig)
    fig.left[0].axis_label = t("roadworks_axis", lang)  # the left axis: the right one is the bars' own
    lost = _stranded_trips(outcome)
    if lost > 0:  # the variant's line leaves those trips out: a lower line is not less traffic
        fig.add_layout(Title(text=t("roadworks_chart_stranded", lang, n=fmt_number(lost, lang)),
                             text_font_style="italic", text_color="#8a5a00"), "above")
    return fig


def _stranded_trips(outcome, kpi: str = "trips_without_route_window") -> float:
    """Trips of the variant shown left without a route over the window (``trips_without_route_peak``:
    vehicles per hour at the peak hour, the map's), 0 when the run counts none."""
    try:
        value = float(outcome.value(kpi, variant_shown(outcome)))
    except (KeyError, ValueError):
        return 0.0
    return value if np.isfinite(value) else 0.0


def _closed_edges(outcome) -> set[str] | None:
    """The edges the works close (the ``closed`` column of the run's ``streets`` table); None for a run
    without it (one saved before the table said it)."""
    if "streets" not in outcome.tables or "closed" not in outcome.table("streets"):
        return None
    table = outcome.table("streets")
    return set(table.loc[table["closed"].astype(bool), "edge"].astype(str))


def _flagged_edges(outcome, column: str) -> set[str]:
    """The edges of the run's ``streets`` table flagged in ``column`` and not closed (empty for a run
    without the column: one saved before it)."""
    if "streets" not in outcome.tables or column not in outcome.table("streets"):
        return set()
    table = outcome.table("streets")
    return set(table.loc[table[column].astype(bool) & ~table["closed"].astype(bool), "edge"].astype(str))


def _works_edges(outcome) -> set[str]:
    """The edges under the works that stay open with their capacity cut (a closed one is black)."""
    return _flagged_edges(outcome, "under_works")


CUT_OFF = "#7b241c"  # dark red, as the buildings a flood's closures leave unreached


def cut_off_overlay(outcome, building_ids: list[str], lang: str = "fr") -> tuple[dict | None, int]:
    """(overlay, count) of the buildings the closures cut off (the run's ``cut_off_buildings`` table): dark
    red, the hover saying whether a car can still leave or reach each; (None, 0) when none is."""
    if "cut_off_buildings" not in outcome.tables or outcome.table("cut_off_buildings").empty:
        return None, 0
    table = outcome.table("cut_off_buildings")
    how = {str(r.building_id): ("roadworks_cut_both" if not (r.can_leave or r.can_be_reached) else
                                "roadworks_cut_leave" if not r.can_leave else "roadworks_cut_reach")
           for r in table.itertuples(index=False)}
    from twin.app.mapview import COLORS  # noqa: PLC0415

    return ({"color": [CUT_OFF if b in how else COLORS["buildings"] for b in building_ids],
             "value": [t(how[b], lang) if b in how else "" for b in building_ids]},
            sum(b in how for b in building_ids))


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str, dict, str]]:
    """(layer, overlay, caption) of a roadworks or street-closure run; the caption names the colour of
    the works when they cut a street's capacity without closing it (nothing marked them)."""
    streets = street_overlay(outcome, sources["streets"].data["edge"], lang)
    if not streets:
        return []
    caption = "roadworks_caption" if "peak_flow_veh_h" in outcome.series_names else "closure_caption"
    hour = str(outcome.data.attrs.get("peak_hour", ""))[:11]  # "03:00-04:00": night works' own busiest hour
    if caption == "roadworks_caption" and hour:
        text = t("roadworks_caption_at", lang, hour=hour.replace("-", "–"))
    else:
        text = t(caption, lang)
    if caption == "roadworks_caption" and _works_edges(outcome):
        text += t("roadworks_caption_works", lang)
    if caption == "roadworks_caption" and str(outcome.data.attrs.get("one_direction", "")).lower() in ("true", "1"):
        text += t("roadworks_caption_one_direction", lang)
    if caption == "roadworks_caption" and _flagged_edges(outcome, "signed_detour"):
        text += t("roadworks_caption_signed", lang)
    largest = streets.pop("largest", None)
    out = [("streets", streets, text)]
    # the map is the peak hour's: its stranded vehicles per hour, not the window's trips (758 trips under a
    # map of 17:00–18:00, where 87 vehicles/h have no route)
    lost = _stranded_trips(outcome, "trips_without_route_peak") if caption == "roadworks_caption" else 0.0
    if lost > 0:  # the streets those trips no longer drive read as traffic gone (« a green map »): said under it
        out.append((None, {}, t("roadworks_map_stranded", lang, n=fmt_number(lost, lang))))  # as its card
    if largest is not None and largest >= 0.05:  # what the widths say, and the scale's end (« +385 » looked like « +5 »)
        out.append((None, {}, t("roadworks_caption_width", lang, largest=fmt_number(largest, lang))))
    elif largest is not None:  # « jusqu'à 0 véhicules/h »: no street's traffic moves by a twentieth of a vehicle
        out.append((None, {}, t("roadworks_caption_no_change", lang)))
    # the homes and premises left with no drive in or out: where the stranded trips start or end
    cut, n = cut_off_overlay(outcome, sources["buildings"].data["id"], lang) if "buildings" in sources else (None, 0)
    if cut is not None and n:
        out.append(("buildings", cut, t("roadworks_cut_caption", lang, n=fmt_number(n, lang))))
    return out


def figure_for(outcome, lang: str = "fr"):
    return hourly_traffic_figure(outcome, lang)
