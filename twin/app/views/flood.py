"""Flood: the buildings to alert, the stage forecast at the gauge against the alert levels.

The chart says what it is (issue 17): a **forecast** knows only the rain known at its issue time, a
**replay** (hindcast) runs on the rain that really fell afterwards — the outcome's ``forecast_kind``
(:data:`twin.scenarios.flood.HINDCAST` or "forecast") — and when it was issued (``forecast_time``,
UTC, as the model and its time axis run). The dates carry their year: a replay of 2023 is not this
winter's forecast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from bokeh.models import ColumnDataSource, DatetimeTickFormatter, FixedTicker, Range1d
from bokeh.plotting import figure

from twin.app.i18n import fmt_number, t
from twin.app.mapview import COLORS
from twin.app.views.common import CLOSED, variant_shown


def building_overlay(outcome, building_ids: list[str], lang: str = "fr") -> dict | None:
    """The flood's buildings to alert (variant, else baseline) in red."""
    if "buildings_to_alert" not in outcome.tables:
        return None
    alerts = outcome.table("buildings_to_alert")
    mine = alerts[alerts["variant"] == variant_shown(outcome)]
    # the hover says why the building is on the list: the water over it at the 90th percentile peak
    depth = dict(zip(mine["building_id"].astype(str), mine["depth_m_p90"].astype(float), strict=True)) \
        if "depth_m_p90" in mine else dict.fromkeys(mine["building_id"].astype(str), float("nan"))
    share = dict(zip(mine["building_id"].astype(str), mine["p_flooded"].astype(float), strict=True)) \
        if "p_flooded" in mine else {}  # a prior's list: how many of its draws flood the building

    def hover(b):
        if b in share:
            return t("res_flood_prior_hover", lang, pct=fmt_number(round(100 * share[b]), lang),
                     depth=fmt_number(depth[b], lang))
        return t("flood_hover", lang, depth=fmt_number(depth[b], lang))

    return {"color": [COLORS["selected"] if b in depth else COLORS["buildings"] for b in building_ids],
            "value": ["" if b not in depth else hover(b) for b in building_ids]}


def street_overlay(outcome, edges: list[str], lang: str = "fr") -> dict | None:
    """The streets under water at the median peak (the list of streets to close) in black and wide;
    None when the run closes none."""
    if "streets_to_close" not in outcome.tables:
        return None
    table = outcome.table("streets_to_close")
    shut = set(table.loc[table["variant"] == variant_shown(outcome), "edge"].astype(str))
    if not shut:
        return None
    closed = t("flood_street_hover", lang)
    return {"color": [CLOSED if e in shut else COLORS["streets"] for e in edges],
            "width": [5.0 if e in shut else 2.5 for e in edges],
            "value": [closed if e in shut else "" for e in edges]}


ALERT_COLORS = (("yellow", "#e0b000"), ("orange", "#e67e22"), ("red", "#c0392b"))
"""The alert levels a flood outcome carries (``alert_<level>_m`` attributes), with their line colour."""

# Tick formats of the date axis, the year always written. French: day/month/year and "14h" (no
# English month names, the French way of writing an hour); English: abbreviated month names and a
# 24 h clock.
DATE_FORMATS = {
    "fr": {"minutes": "%d/%m/%Y %Hh%M", "hourmin": "%d/%m/%Y %Hh%M", "hours": "%d/%m/%Y %Hh",
           "days": "%d/%m/%Y", "months": "%m/%Y", "years": "%Y"},
    "en": {"minutes": "%b %d, %Y %H:%M", "hourmin": "%b %d, %Y %H:%M", "hours": "%b %d, %Y %H:%M",
           "days": "%b %d, %Y", "months": "%b %Y", "years": "%Y"},
}
STAGE_STEPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0)
"""Candidate spacings of the stage ticks (m)."""


def stage_ticks(start: float, end: float, most: int = 8) -> list[float]:
    """Ticks of the stage axis between ``start`` and ``end`` (m), the smallest spacing of
    :data:`STAGE_STEPS` giving at most ``most`` of them: written by :func:`fmt_number` (4,5 m in
    French), as Bokeh's own formatters write 4.5 and a formatter in JavaScript is refused by the
    page's content security policy (seen: the chart was not drawn at all)."""
    step = next((s for s in STAGE_STEPS if (end - start) / s <= most), STAGE_STEPS[-1])
    first = np.ceil(start / step) * step
    return [round(float(x), 6) for x in np.arange(first, end + 1e-9, step)]


HINDCAST_PREFIX = "hindcast"
"""How a replay's ``forecast_kind`` starts (:data:`twin.scenarios.flood.HINDCAST`)."""


def is_hindcast(outcome) -> bool:
    """The outcome's variant ran on the rain that really fell (a replay), not on a forecast."""
    return str(outcome.data.attrs.get("forecast_kind", "")).startswith(HINDCAST_PREFIX)


def replay_note(outcome, lang: str = "fr") -> str:
    """What a run on the rain that fell is, in one sentence ("" for a forecast): a replay, a what-if on
    that rain scaled (« × 1,5 »: neither a forecast nor what happened), or an ensemble drawn around it."""
    if not is_hindcast(outcome):
        return ""
    rain = str(outcome.data.attrs.get("rain", "observed"))
    if rain == "scaled":
        return t("res_flood_whatif_note", lang, scale=fmt_number(float(outcome.data.attrs.get("rain_scale", 1.0)), lang))
    if rain == "observed-ensemble":
        return t("res_flood_ensemble_replay_note", lang)
    return t("hindcast_note", lang)


def is_prior(outcome) -> bool:
    """True for a river without a gauge (:meth:`twin.scenarios.flood.FloodForecast.run_ungauged`): a design
    event of the flood prior, whose hours count from the storm's start, not from a date."""
    return str(outcome.data.attrs.get("forecast_kind", "")).startswith("forecast (prior")


def local_clock(times):
    """Naive UTC times (one, or an array) as naive times on Paris's clock (:data:`twin.timeutil.LOCAL_TZ`),
    which the chart's datetime axis then shows as they are."""
    from twin.timeutil import LOCAL_TZ  # noqa: PLC0415

    if isinstance(times, pd.Timestamp):
        stamp = times.tz_localize("UTC") if times.tzinfo is None else times
        return stamp.tz_convert(LOCAL_TZ).tz_localize(None)
    index = pd.DatetimeIndex(times)
    index = index.tz_localize("UTC") if index.tz is None else index
    return index.tz_convert(LOCAL_TZ).tz_localize(None).values


def chart_title(outcome, lang: str = "fr") -> str:
    """« Prévision émise le 25/01/2023 à 01 h (heure de Paris) : … » or « Rejeu avec la pluie observée, depuis le … »:
    what the chart is and when it was issued (the outcome's ``forecast_time``, UTC); the plain title
    when the outcome does not say its issue time."""
    issued = outcome.data.attrs.get("forecast_time")
    if is_prior(outcome):
        return t("res_flood_prior_title", lang)  # a design event on a river without a gauge: no issue time
    if not issued:
        return t("flood_title", lang)
    when = local_clock(pd.Timestamp(issued))  # the page's clock: the form and the cards say Paris time
    date = when.strftime("%d/%m/%Y") if lang == "fr" else when.strftime("%Y-%m-%d")
    key = "res_flood_hindcast_title" if is_hindcast(outcome) else "res_flood_forecast_title"
    if is_hindcast(outcome) and outcome.data.attrs.get("rain") == "scaled":
        return t("res_flood_whatif_title", lang, date=date, hour=when.strftime("%H"),
                 scale=fmt_number(float(outcome.data.attrs.get("rain_scale", 1.0)), lang))
    return t(key, lang, date=date, hour=when.strftime("%H"))


def alert_levels(outcome) -> list[tuple[str, float, str]]:
    """(level, stage in m, colour) of the alert levels the outcome carries, lowest first."""
    levels = [(level, float(h), color) for level, color in ALERT_COLORS
              if (h := outcome.data.attrs.get(f"alert_{level}_m")) is not None]
    return sorted(levels, key=lambda x: x[1])


def stage_range(lows, highs, levels, margin: float = 0.08) -> tuple[float, float]:
    """(start, end) of a y axis that shows the whole band and every alert level, with ``margin``
    (a fraction of the span, at least 0.1 m) above and below: a range fitted to the median alone
    put the band and the alert lines off the chart (issue 17)."""
    values = [float(v) for v in (*lows, *highs, *levels) if np.isfinite(v)]
    low, high = min(values), max(values)
    pad = max((high - low) * margin, 0.1)
    return low - pad, high + pad


def _verified(outcome) -> np.ndarray:
    """A replay's levels read after the forecast time (none for a forecast)."""
    return outcome.series("verified_stage_m").values if "verified_stage_m" in outcome.series_names else np.array([])


def stage_figure(outcome, lang: str = "fr"):
    """The stage forecast (median and the outer quantile band) of the variant, with the alert levels,
    all on the axis and named in the legend; None without one."""
    if "stage_m" not in outcome.series_names:
        return None
    da = outcome.series("stage_m").sel(variant=variant_shown(outcome))
    q = [float(x) for x in da["quantile"].values]
    times = da["time"].values
    mid = da.sel(quantile=min(q, key=lambda x: abs(x - 0.5))).values
    lo = da.sel(quantile=min(q)).values
    hi = da.sel(quantile=max(q)).values
    levels = alert_levels(outcome)
    prior = is_prior(outcome)
    # the gauge's readings before the forecast time: where the river comes from, and whether the forecast
    # starts where it is (a design event, in hours since the storm began, has none)
    observed = outcome.series("observed_stage_m") if "observed_stage_m" in outcome.series_names and not prior \
        else None
    if prior:  # a design event: hours since the storm began, not the placeholder date it was run from
        times = np.arange(1, len(times) + 1, dtype=float)
    else:  # the model's UTC on Paris's clock, as the form and the cards (the axis said UTC beside them)
        times = local_clock(times)
    fig = figure(height=300, sizing_mode="stretch_width", x_axis_type="linear" if prior else "datetime",
                 name="flood-stage", title=chart_title(outcome, lang),
                 x_axis_label=t("res_flood_hours_axis" if prior else "res_flood_time_axis", lang),
                 y_axis_label=t("res_flood_stage_axis", lang),
                 y_range=Range1d(*stage_range(np.r_[lo, [] if observed is None else observed.values,
                                                    _verified(outcome)], hi,
                                              [h for _, h, _ in levels])))
    if not prior:
        fig.xaxis.formatter = DatetimeTickFormatter(**DATE_FORMATS[lang if lang in DATE_FORMATS else "fr"])
        # dates with their year side by side ran together at 1024 px (« 24/01/202325/01/2023 »): fewer, slanted
        fig.xaxis.ticker.desired_num_ticks = 4
        fig.xaxis.major_label_orientation = 0.5  # [rad] about 30°
    if lang == "fr":  # 4,5 m, not 4.5 m: the French decimal comma
        ticks = stage_ticks(fig.y_range.start, fig.y_range.end)
        fig.yaxis.ticker = FixedTicker(ticks=ticks)
        fig.yaxis.major_label_overrides = {x: fmt_number(0.0 if abs(x) < 1e-9 else x, lang) for x in ticks}  # no « -0 »
    src = ColumnDataSource({"t": times, "mid": mid, "lo": lo, "hi": hi})
    if np.nanmax(np.abs(hi - lo), initial=0.0) > 0:  # a replay on the rain that fell is one run: no band to name
        band = t("flood_band", lang, lo=fmt_number(100 * min(q), lang), hi=fmt_number(100 * max(q), lang))
        fig.varea("t", "lo", "hi", source=src, fill_alpha=0.25, fill_color="#4a90d9", legend_label=band)
    fig.line("t", "mid", source=src, line_width=2, color="#1f4e79", legend_label=t("flood_median", lang))
    if observed is not None and observed.size:
        fig.line(local_clock(observed["observed_time"].values), observed.values, line_width=2, color="black",
                 legend_label=t("flood_observed_synthetic" if outcome.data.attrs.get("synthetic_gauges")
                                else "flood_observed", lang), name="flood-observed")
    # a replay: the level the gauge then read, set against it (known afterwards, never read by the forecast)
    after = outcome.series("verified_stage_m") if "verified_stage_m" in outcome.series_names and not prior else None
    if after is not None and after.size:
        fig.line(local_clock(after["verified_time"].values), after.values, line_width=2, color="black",
                 line_dash="dotted", name="flood-verified",
                 legend_label=t("flood_verified_synthetic" if outcome.data.attrs.get("synthetic_gauges")
                                else "flood_verified", lang))
    # a glyph, not a Span annotation: a legend lists glyphs only
    ends = [times[0], times[-1]] if len(times) else []
    if observed is not None and observed.size and len(ends):
        ends[0] = local_clock(observed["observed_time"].values)[0]
    for level, h, color in levels:
        fig.line(ends, [h] * len(ends), line_color=color, line_dash="dashed", line_width=2,
                 legend_label=t(f"flood_alert_{level}", lang, h=fmt_number(h, lang)))
    # at the right of the chart (under it, in columns, Bokeh 3.9 laid the page out wider than the screen
    # and drew no chart: seen at 1024×768)
    fig.add_layout(fig.legend[0], "right")
    fig.legend.label_text_font_size = "12pt"  # read on a projector
    fig.legend.click_policy = "hide"
    return fig


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str, dict, str]]:
    """(layer, overlay, caption) of a flood run."""
    buildings = building_overlay(outcome, sources["buildings"].data["id"], lang)
    if not buildings:
        return []
    out = [("buildings", buildings, t("flood_caption", lang))]
    streets = street_overlay(outcome, sources["streets"].data["edge"], lang)
    if streets:
        out.append(("streets", streets, t("flood_streets_caption", lang)))
    return out


def figure_for(outcome, lang: str = "fr"):
    return stage_figure(outcome, lang)
