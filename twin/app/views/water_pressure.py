"""Pressure management: the night pressure under each street (the variant's, and how far it fell), and the
pressure hour by hour below the valve and at the network's lowest junction, as it is and with the valve.

Drawn on the territory's own streets when the scenario ran on the SYNTHETIC network laid under them
(:mod:`twin.territory.water_prior`); a file network's cards are shown without a layer."""

from __future__ import annotations

from bokeh.models import Span
from bokeh.plotting import figure

from twin.app.i18n import fmt_number, t
from twin.app.mapview import COLORS
from twin.app.views.common import legend_below, variant_shown
from twin.app.views.water import DRY

BASELINE_LINE = "#7f8c8d"


def _night(outcome, variant: str) -> dict:
    pipes = outcome.table("water_pipes")
    rows = pipes[pipes["variant"].astype(str) == variant]
    return {(min(u, v), max(u, v)): (p, low) for u, v, p, low in
            zip(rows["osm_u"], rows["osm_v"], rows["night_pressure_m"], rows["min_pressure_m"], strict=True)}


PRESSURE_BANDS = ((40.0, "#08519c"), (30.0, "#3182bd"), (20.0, "#9ecae1"))
"""Night pressure [m] from which a pipe is drawn in each blue (darker, higher): the same bands on every
run, so that 30 m and 25 m at night draw differently; under the service pressure, red."""
FULL_WIDTH_DROP_M = 30.0
"""[m] a night drop drawn at the widest: widths on one scale for every run."""


def street_overlay(outcome, edges: list[str], service_m: float = 20.0, lang: str = "fr") -> dict | None:
    """Per street edge (``"u-v-key"``): the pipe under it coloured by its night pressure
    (:data:`PRESSURE_BANDS`, red under ``service_m`` at some time of the day), wider the more it fell (on
    :data:`FULL_WIDTH_DROP_M`); the night pressure before and after on hover. None without pipes tied to
    the streets."""
    if "water_pipes" not in outcome.tables or "night_pressure_m" not in outcome.table("water_pipes"):
        return None
    shown = variant_shown(outcome)
    mine, base = _night(outcome, shown), _night(outcome, outcome.baseline)
    colors, widths, texts = [], [], []
    for edge in edges:
        parts = str(edge).split("-")
        key = (min(int(parts[0]), int(parts[1])), max(int(parts[0]), int(parts[1]))) if len(parts) >= 3 else None
        if key not in mine:
            colors.append(COLORS["streets"])
            widths.append(1.5)
            texts.append("")
            continue
        night, lowest = mine[key]
        before = base.get(key, (night, lowest))[0]
        drop = before - night
        colors.append(DRY if lowest < service_m else
                      next((c for floor, c in PRESSURE_BANDS if night >= floor), PRESSURE_BANDS[-1][1]))
        widths.append(2.0 + 5.0 * min(max(drop, 0.0), FULL_WIDTH_DROP_M) / FULL_WIDTH_DROP_M)
        texts.append(t("wp_hover", lang, before=fmt_number(before, lang), after=fmt_number(night, lang),
                       lowest=fmt_number(lowest, lang)))
    return {"color": colors, "width": widths, "value": texts}


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str | None, dict | None, str]]:
    """(layer, overlay, caption); a note without layer when the network is not the map's."""
    if "water_pipes" not in outcome.tables:
        return [(None, None, t("water_caption_no_map", lang))]
    streets = street_overlay(outcome, sources["streets"].data["edge"], _service(outcome), lang)
    hours = str(outcome.data.attrs.get("night_hours", "")).replace("-", "–")
    out = [("streets", streets, t("wp_caption", lang, hours=hours, service=fmt_number(_service(outcome), lang)))]
    if str(outcome.data.attrs.get("pumps", "")).startswith("none"):
        out.append((None, None, t("wp_gravity", lang)))
    return out


def _service(outcome) -> float:
    try:
        return float(outcome.data.attrs.get("service_pressure_m", 20.0))
    except ValueError:
        return 20.0


def figure_for(outcome, lang: str = "fr"):
    """Mean pressure by hour of the day below the valve and at the lowest junction, as it is (grey, dashed)
    and with the variant (blue); the service pressure as a red line. None without the series."""
    if "pressure_m" not in outcome.series_names:
        return None
    da = outcome.series("pressure_m")
    # the day closes on its midnight: hour 24 is hour 0 again, so a night from 23:00 is drawn from 23 h
    hours = [int(h) for h in da["hour"].values] + [24]

    def day(variant, place):
        values = list(da.sel(variant=variant, place=place).values)
        return values + values[:1]

    fig = figure(height=320, sizing_mode="stretch_width", title=t("wp_title", lang))
    shown = variant_shown(outcome)
    for place, dash in (("entry", "solid"), ("lowest", "dotted")):
        fig.line(hours, day(outcome.baseline, place), color=BASELINE_LINE, line_width=2,
                 line_dash=dash, legend_label=t(f"wp_legend_{place}_baseline", lang))
        if shown != outcome.baseline:
            fig.line(hours, day(shown, place), color="#2c7fb8", line_width=3,
                     line_dash=dash, legend_label=t(f"wp_legend_{place}", lang))
    fig.add_layout(Span(location=_service(outcome), dimension="width", line_color=DRY, line_dash="dashed",
                        line_width=1))
    fig.y_range.start = 0
    fig.xaxis.axis_label = t("wp_axis_x", lang)
    fig.yaxis.axis_label = t("wp_axis_y", lang)
    fig.xaxis.ticker = list(range(0, 25, 3))
    fig.legend.label_text_font_size = "9pt"
    legend_below(fig)  # under the chart, in two columns: the night's lines stay in sight, within its width
    return fig
