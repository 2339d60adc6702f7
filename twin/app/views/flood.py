"""Flood: the buildings to alert, the stage forecast at the gauge against the alert levels."""

from __future__ import annotations

from bokeh.models import Band, ColumnDataSource, Span
from bokeh.plotting import figure

from twin.app.i18n import t
from twin.app.mapview import COLORS
from twin.app.views.common import variant_shown


def building_overlay(outcome, building_ids: list[str], lang: str = "fr") -> dict | None:
    """The flood's buildings to alert (variant, else baseline) in red."""
    if "buildings_to_alert" not in outcome.tables:
        return None
    alerts = outcome.table("buildings_to_alert")
    hit = set(alerts.loc[alerts["variant"] == variant_shown(outcome), "building_id"].astype(str))
    mark = t("flood_hover", lang)
    return {"color": [COLORS["selected"] if b in hit else COLORS["buildings"] for b in building_ids],
            "value": ["" if b not in hit else mark for b in building_ids]}


def stage_figure(outcome, lang: str = "fr"):
    """The stage forecast (median, 10–90 %) of the variant, with the alert levels; None without one."""
    if "stage_m" not in outcome.series_names:
        return None
    da = outcome.series("stage_m").sel(variant=variant_shown(outcome))
    q = [float(x) for x in da["quantile"].values]
    times = da["time"].values
    mid = da.sel(quantile=min(q, key=lambda x: abs(x - 0.5))).values
    lo = da.sel(quantile=min(q)).values
    hi = da.sel(quantile=max(q)).values
    fig = figure(height=280, sizing_mode="stretch_width", x_axis_type="datetime",
                 title=t("flood_title", lang))
    src = ColumnDataSource({"t": times, "mid": mid, "lo": lo, "hi": hi})
    fig.add_layout(Band(base="t", lower="lo", upper="hi", source=src, fill_alpha=0.25, fill_color="#4a90d9"))
    fig.line("t", "mid", source=src, line_width=2, color="#1f4e79")
    for level, color in (("yellow", "#e0b000"), ("orange", "#e67e22"), ("red", "#c0392b")):
        h = outcome.data.attrs.get(f"alert_{level}_m")
        if h is not None:
            fig.add_layout(Span(location=float(h), dimension="width", line_color=color, line_dash="dashed",
                                line_width=2))
    return fig


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str, dict, str]]:
    """(layer, overlay, caption) of a flood run."""
    buildings = building_overlay(outcome, sources["buildings"].data["id"], lang)
    if not buildings:
        return []
    return [("buildings", buildings, t("flood_caption", lang))]


def figure_for(outcome, lang: str = "fr"):
    return stage_figure(outcome, lang)
