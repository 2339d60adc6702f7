"""District meters: the districts on the map, each in its colour, the pipes carrying a meter in black
and the boundaries shut in red; and, per district, how soon its meter sees a leak.

Drawn on the territory's own streets when the scenario ran on the SYNTHETIC network laid under them
(:mod:`twin.territory.water_prior`); a file network's cards and list are shown without a layer."""

from __future__ import annotations

from bokeh.plotting import figure

from twin.app.i18n import t
from twin.app.mapview import COLORS
from twin.app.views.common import legend_below
from twin.app.views.water import DRY, SHUT

DISTRICT_COLORS = ("#1b9e77", "#7570b3", "#e6ab02", "#66a61e", "#a6761d", "#1f78b4", "#fdbf6f", "#b2df8a",
                   "#cab2d6", "#8dd3c7")
"""Qualitative colours (ColorBrewer Dark2, Paired and Set3) with no red or pink, kept for the shut
boundaries, nor black, kept for the meters; cycled past ten districts."""


def street_overlay(outcome, edges: list[str], lang: str = "fr") -> dict | None:
    """Per street edge (``"u-v-key"``): its pipe's district colour, black and wide with a meter, red where
    a boundary is shut; None without pipes tied to the streets."""
    if "water_pipes" not in outcome.tables or "role" not in outcome.table("water_pipes"):
        return None
    pipes = outcome.table("water_pipes")
    rows = {(min(u, v), max(u, v)): (int(d), str(r), str(p)) for u, v, d, r, p in
            zip(pipes["osm_u"], pipes["osm_v"], pipes["district"], pipes["role"], pipes["pipe"], strict=True)}
    colors, widths, texts = [], [], []
    for edge in edges:
        parts = str(edge).split("-")
        key = (min(int(parts[0]), int(parts[1])), max(int(parts[0]), int(parts[1]))) if len(parts) >= 3 else None
        if key not in rows:
            colors.append(COLORS["streets"])
            widths.append(1.5)
            texts.append("")
            continue
        district, role, pipe = rows[key]
        colors.append(SHUT if role == "meter" else DRY if role == "closed" else
                      DISTRICT_COLORS[district % len(DISTRICT_COLORS)] if district >= 0 else COLORS["streets"])
        widths.append(7.0 if role == "meter" else 5.0 if role == "closed" else 3.5)
        texts.append(t(f"wm_hover_{role}", lang, pipe=pipe, district=district + 1))
    return {"color": colors, "width": widths, "value": texts}


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str | None, dict | None, str]]:
    """(layer, overlay, caption); a note without layer when the network is not the map's."""
    streets = street_overlay(outcome, sources["streets"].data["edge"], lang)
    if streets is None:
        return [(None, None, t("water_caption_no_map", lang))]
    attrs = outcome.data.attrs
    pipes = outcome.table("water_pipes")
    meters = pipes[pipes["role"] == "meter"]
    off_street = int((meters["osm_u"] == meters["osm_v"]).sum())  # the tower's main lies under no street
    n = len(str(attrs.get("meters", "")).split(", "))
    out = [("streets", streets, t("wm_caption", lang, n=attrs.get("districts", "?"),
                                  meters=t("wm_meters_tower" if off_street else "wm_meters_all", lang, n=n),
                                  closed=attrs.get("boundaries_closed", "?")))]
    capped = capped_text(attrs, lang)
    if capped:
        out.append((None, None, capped))
    table = outcome.table("districts")
    if table[["main_seen_days_median", "service_seen_days_median"]].isna().to_numpy().any():
        out.append((None, None, t("wm_unseen", lang)))
    return out


def capped_text(attrs: dict, lang: str = "fr") -> str:
    """« 60 secteurs demandés, 31 faits … »: fewer districts than asked, said on the page (60 asked gave 31,
    counted 31 meters and priced them, and the name still said 60); "" when none were dropped."""
    import re  # noqa: PLC0415

    m = re.fullmatch(r"(\d+) districts wanted, (\d+) made: at most one per (\d+) junctions \((\d+) junctions\)",
                     str(attrs.get("districts_capped", "")))
    if not m:
        return ""
    asked, made, per, junctions = (int(g) for g in m.groups())
    return t("wm_capped", lang, asked=asked, made=made, per=per, junctions=junctions)


def figure_for(outcome, lang: str = "fr"):
    """Per district, the median days its meter takes to see a main burst and a service leak (SYNTHETIC
    trials); None without the district list."""
    if "districts" not in outcome.tables:
        return None
    table = outcome.table("districts")
    names = [t("wm_district", lang, n=int(d) + 1) for d in table["district"]]
    fig = figure(height=240, sizing_mode="stretch_width", x_range=names, title=t("wm_title", lang))
    offset = 0.18
    for i, (column, color, key) in enumerate((("main_seen_days_median", "#2c7fb8", "wm_legend_main"),
                                              ("service_seen_days_median", "#e6ab02", "wm_legend_service"))):
        seen = table[column].notna().to_numpy()  # never seen in half the trials: no bar (the title says so)
        xs = [(name, (-offset if i == 0 else offset)) for name, ok in zip(names, seen, strict=True) if ok]
        fig.vbar(x=xs, top=table[column].to_numpy()[seen], width=0.32, color=color, legend_label=t(key, lang))
    fig.y_range.start = 0
    fig.yaxis.axis_label = t("wm_axis_y", lang)
    fig.legend.label_text_font_size = "9pt"
    legend_below(fig)  # two columns under the chart: within the chart's width
    fig.xgrid.grid_line_color = None
    return fig

