"""Bins: hours full per week of each bin, the fill levels hour by hour."""

from __future__ import annotations

from bokeh.plotting import figure

from twin.app.i18n import fmt_number, t
from twin.app.views.common import legend_below, variant_shown


def bin_overlay(outcome, bin_ids: list[str], lang: str = "fr") -> dict | None:
    """Hours full per week of each bin in the variant (mean of the ensemble's members, as the cards), as colours and sizes, from the
    outcome's ``bins`` layer; None when the outcome has none."""
    if "bins" not in outcome.tables:
        return None
    table = outcome.table("bins")
    shown = table[table["variant"] == variant_shown(outcome)]
    per_week = shown["overflow_hours_per_week"].to_numpy(float)
    value = dict(zip(shown["bin_id"], per_week, strict=True))
    top = max(float(per_week.max()), 1.0)
    colors, sizes, texts = [], [], []
    for b in bin_ids:
        if b not in value:
            colors.append("#bbbbbb")
            sizes.append(6.0)
            texts.append("")
            continue
        v = value[b] / top
        colors.append(f"#{int(255):02x}{int(220 * (1 - v)):02x}{int(120 * (1 - v)):02x}")
        sizes.append(8.0 + 14.0 * v)
        texts.append(t("bins_hover", lang, hours=fmt_number(value[b], lang), value=value[b]))
    return {"color": colors, "size": sizes, "value": texts, "top": float(per_week.max(initial=0.0))}


def fill_figure(outcome, lang: str = "fr"):
    """Bins: mean fill level and share of full bins, hour by hour, baseline against the variant (the
    mean of the ensemble's members of each, the outcome's ``fill_mean_pct`` and ``full_share_pct`` series);
    None when the outcome has no bin simulation."""
    if not {"fill_mean_pct", "full_share_pct"} <= set(outcome.series_names):
        return None
    # its legend sits below the plot, inside the height: 280 px left the plot 80 px tall
    fig = figure(height=420, sizing_mode="stretch_width", y_range=(0, 100), title=t("bins_title", lang),
                 x_axis_label=t("bins_axis", lang))
    fill, full = outcome.series("fill_mean_pct"), outcome.series("full_share_pct")
    for name, color in ((outcome.baseline, "#888888"), (variant_shown(outcome), "#1f4e79")):
        days = fill["hour"].values / 24.0
        label = t("series_baseline", lang, name=name) if name == outcome.baseline else name
        fig.line(days, fill.sel(variant=name).values, color=color, line_width=2,
                 legend_label=t("bins_fill_legend", lang, label=label))
        fig.line(days, full.sel(variant=name).values, color=color, line_dash="dashed", line_width=1.5,
                 legend_label=t("bins_full_legend", lang, label=label))
    legend_below(fig, ncols=1)  # four lines named after the variant: in two columns, a long name laid the
    # page out wider than 1024 px
    fig.legend.label_text_font_size = "9pt"
    return fig


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str, dict, str]]:
    """(layer, overlay, caption) of a bins run."""
    bins = bin_overlay(outcome, sources["bins"].data["id"], lang)
    if not bins:
        return []
    top = bins.pop("top")
    return [("bins", bins, t("bins_caption", lang, top=fmt_number(top, lang)))]


def figure_for(outcome, lang: str = "fr"):
    return fill_figure(outcome, lang)
