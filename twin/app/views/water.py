"""A main break: the pipes shut for the repair in black, the streets and buildings left without water
in red, and the break's outflow hour by hour.

Drawn on the territory's own streets: the break runs on the SYNTHETIC network laid under them
(:mod:`twin.territory.water_prior`), each pipe under one street segment. A break on an EPANET file
has no such tie to the map: its cards and lists are shown, no layer."""

from __future__ import annotations

import math

from bokeh.models import Span
from bokeh.plotting import figure

from twin.app.i18n import fmt_number, t
from twin.app.mapview import COLORS
from twin.app.views.common import legend_below, variant_shown

SHUT = "#000000"
DRY = "#c0392b"
LOW = "#e67e22"
"""Orange: a street whose pipe stays fed but under the service pressure for a while."""


def _pipe_rows(outcome):
    if "water_pipes" not in outcome.tables:
        return None
    pipes = outcome.table("water_pipes")
    mine = pipes[pipes["variant"].astype(str) == variant_shown(outcome)]
    return mine if len(mine) else None


def street_overlay(outcome, edges: list[str], lang: str = "fr") -> dict | None:
    """Per street edge (``"u-v-key"``): the pipe under it shut (black, wide) or dry (red), else plain;
    None when the outcome has no pipes tied to the streets or the baseline is shown."""
    pipes = _pipe_rows(outcome)
    if pipes is None:
        return None
    by_street = {}
    for row in pipes.itertuples(index=False):
        by_street[(min(row.osm_u, row.osm_v), max(row.osm_u, row.osm_v))] = row
    colors, widths, texts = [], [], []
    for edge in edges:
        u, v, *_ = (int(x) for x in str(edge).split("-")) if str(edge).count("-") >= 2 else (None, None)
        row = by_street.get((min(u, v), max(u, v))) if u is not None else None
        if row is None:
            colors.append(COLORS["streets"])
            widths.append(1.5)
            texts.append("")
            continue
        hours = float(row.hours_without_water)
        low = float(getattr(row, "hours_low_pressure", 0.0) or 0.0)  # outcomes saved before: none said
        colors.append(SHUT if row.shut else DRY if hours > 0 else LOW if low > 0 else COLORS["streets"])
        widths.append(6.0 if row.shut else 4.0 if hours > 0 else 3.0 if low > 0 else 1.5)
        key = "water_hover_shut" if row.shut else "water_hover_dry" if hours > 0 else \
            "water_hover_low" if low > 0 else "water_hover"
        texts.append(t(key, lang, pipe=row.pipe, dn=int(row.diameter_mm),
                       hours=fmt_number(hours if hours > 0 else low, lang)))
    return {"color": colors, "width": widths, "value": texts}


def building_overlay(outcome, building_ids: list[str], lang: str = "fr") -> dict | None:
    """The buildings left without water (their hours and people on hover) in red."""
    if "buildings_without_water" not in outcome.tables or variant_shown(outcome) == outcome.baseline:
        return None
    homes = outcome.table("buildings_without_water")
    rows = {str(b): (h, p) for b, h, p in zip(homes["building_id"], homes["hours_without_water"], homes["people"],
                                             strict=True)}
    return {"color": [DRY if b in rows else COLORS["buildings"] for b in building_ids],
            "value": ["" if b not in rows else t("water_building_hover", lang, hours=fmt_number(rows[b][0], lang),
                                                  people=fmt_number(rows[b][1], lang)) for b in building_ids]}


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str | None, dict | None, str]]:
    """(layer, overlay, caption) of a break; a note without layer when the network is not the map's."""
    streets = street_overlay(outcome, sources["streets"].data["edge"], lang)
    if streets is None:
        return [(None, None, t("water_caption_no_map", lang))] if "water_pipes" not in outcome.tables else []
    n = len(outcome.table("valves_to_close"))
    valves = t("water_valves_one", lang) if n == 1 else t("water_valves_many", lang, n=n)
    out = [("streets", streets, t("water_caption", lang, valves=valves))]
    buildings = building_overlay(outcome, sources["buildings"].data["id"], lang)
    dry = len(outcome.table("buildings_without_water")) if "buildings_without_water" in outcome.tables else 0
    if buildings is not None and dry:  # « les 0 bâtiments sans eau (à prévenir) »: nothing to say
        out.append(("buildings", buildings, t("water_caption_buildings_one" if dry == 1 else "water_caption_buildings",
                                              lang, n=dry)))
    return out


def clock_offset_h(attrs: dict) -> float | None:
    """[h] the network clock's time at the simulation's start, from the break's time in seconds and on the
    clock (``break_s``, ``break_at``: « 18:00 », « 02:00 +1 d »); None when either is missing or unread."""
    import re  # noqa: PLC0415

    m = re.fullmatch(r"(\d\d):(\d\d)(?: \+(\d+) d)?", str(attrs.get("break_at", "")))
    if not m or "break_s" not in attrs:
        return None
    at = int(m.group(1)) + int(m.group(2)) / 60 + 24 * int(m.group(3) or 0)
    return (at - float(attrs["break_s"]) / 3600) % 24


def clock_label(h: float, lang: str = "fr") -> str:
    """« 18 h », « 6 h 30 », « 2 h +1 j » (« 02:00 +1 d » in English) for ``h`` hours after the first midnight."""
    day, rest = divmod(round(h * 60), 24 * 60)
    hh, mm = divmod(rest, 60)
    later = (f" +{day} j" if lang == "fr" else f" +{day} d") if day else ""
    if lang == "fr":
        return (f"{hh} h" + (f" {mm:02d}" if mm else "")) + later
    return f"{hh:02d}:{mm:02d}" + later


def figure_for(outcome, lang: str = "fr"):
    """The break's outflow (L/s) hour by hour, the isolation marked; None without the series."""
    if "leak_l_s" not in outcome.series_names:
        return None
    da = outcome.series("leak_l_s")
    hours = [float(h) for h in da["time"].values]
    fig = figure(height=260, sizing_mode="stretch_width", title=t("water_title", lang))
    # each value holds until the next step (the solver's state over its step): joined by lines, the leak rose
    # half an hour before the break
    fig.step(hours, da.values, mode="after", color=DRY, line_width=2, legend_label=t("water_leak_legend", lang))
    for attr in ("break_s", "isolated_s", "restored_s"):
        if attr in outcome.data.attrs:
            fig.add_layout(Span(location=float(outcome.data.attrs[attr]) / 3600, dimension="height",
                                line_color="#555555", line_dash="dashed", line_width=1))
    clock = clock_offset_h(outcome.data.attrs)
    if clock is not None and hours:  # the crew's clock under the axis (« 18 h », « 2 h +1 j »), not hours from 0
        from bokeh.models import FixedTicker  # noqa: PLC0415

        span = max(hours) - min(hours)
        every = next(s for s in (1, 2, 3, 4, 6, 12, 24, 48) if span / s <= 12)
        first = math.ceil((min(hours) + clock) / every) * every - clock
        ticks = [first + k * every for k in range(int((max(hours) - first) // every) + 1)]
        fig.xaxis.ticker = FixedTicker(ticks=ticks)
        fig.xaxis.major_label_overrides = {x: clock_label(x + clock, lang) for x in ticks}
        fig.xaxis.axis_label = t("water_axis_clock", lang)
    else:
        fig.xaxis.axis_label = t("water_axis_x", lang)
    fig.yaxis.axis_label = t("water_axis_y", lang)
    legend_below(fig)
    return fig
