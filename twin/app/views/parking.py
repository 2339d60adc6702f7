"""Parking: the distance driven searching for a space on each street, and the spaces taken hour by hour."""

from __future__ import annotations

import re

import numpy as np
from bokeh.plotting import figure

from twin.app.i18n import fmt_number, t
from twin.app.mapview import COLORS
from twin.app.views.common import DECREASE, INCREASE, legend_below, variant_shown
from twin.app.views.roadworks import WORKS as REMOVED  # spaces removed: the works' orange (the caption said violet)


def street_overlay(outcome, edges: list[str], lang: str = "fr") -> dict | None:
    """Colours, widths and hover texts per street edge from the run's ``streets`` layer (``searching_vkm``,
    ``occupancy_pct``): the variant's change from the baseline (the baseline's own search when alone);
    None when the outcome has no such layer."""
    if "streets" not in outcome.tables or "searching_vkm" not in outcome.table("streets"):
        return None
    table = outcome.table("streets")
    shown = variant_shown(outcome)
    alone = shown == outcome.baseline

    def column(variant, name):
        rows = table[table["variant"].astype(str) == str(variant)]
        return dict(zip(rows["edge"].astype(str), rows[name].astype(float), strict=True))

    km, occ, base = column(shown, "searching_vkm"), column(shown, "occupancy_pct"), column(outcome.baseline, "searching_vkm")
    removed = removed_edges(outcome)
    value = np.array([km.get(e, 0.0) for e in edges])
    change = value - np.array([base.get(e, 0.0) for e in edges])
    scale = max(float(np.abs(value if alone else change).max(initial=0.0)), 1e-9)
    colors, widths, texts = [], [], []
    for e, v, d in zip(edges, value, change, strict=True):
        share = abs(v if alone else d) / scale
        if alone:
            colors.append(INCREASE if share > 0.05 else COLORS["streets"])
        else:
            colors.append(INCREASE if d > 0.05 * scale else DECREASE if d < -0.05 * scale else COLORS["streets"])
        if e in removed:  # the kerbs whose spaces the variant removes: what was changed, in the works' colour
            colors[-1] = REMOVED
        widths.append(max(1.5 + 7.0 * share, 5.0) if e in removed else 1.5 + 7.0 * share)
        o = occ.get(e, float("nan"))
        occ_text = fmt_number(o, lang) if np.isfinite(o) else "–"
        texts.append(t("parking_hover_alone", lang, km=fmt_number(v, lang), occ=occ_text) if alone else
                     t("parking_hover", lang, km=fmt_number(v, lang), change=fmt_number(d, lang, signed=True),
                       occ=occ_text))
    return {"color": colors, "width": widths, "value": texts}


def removed_edges(outcome) -> set[str]:
    """The street edges whose kerb spaces the variant shown removes, all day or for some hours (the layer's
    ``removed``; a run saved before it: fewer spaces than the baseline's)."""
    if "streets" not in outcome.tables or "spaces" not in outcome.table("streets"):
        return set()
    table = outcome.table("streets")
    shown = variant_shown(outcome)
    if shown == outcome.baseline:
        return set()
    if "removed" in table:
        mine = table[(table["variant"].astype(str) == str(shown)) & table["removed"].astype(bool)]
        return set(map(str, mine["edge"]))
    base = table[table["variant"].astype(str) == outcome.baseline].set_index("edge")["spaces"]
    mine = table[table["variant"].astype(str) == shown].set_index("edge")["spaces"]
    return set(map(str, mine.index[(mine < base.reindex(mine.index)).to_numpy()]))


def occupancy_figure(outcome, lang: str = "fr"):
    """Spaces taken hour by hour (kerbs and car parks), baseline against the variant; None without the series."""
    if "occupancy_by_hour" not in outcome.series_names:
        return None
    da = outcome.series("occupancy_by_hour")
    hours = [int(h) for h in da["hour"].values]
    x = [f"{h:02d}h" for h in hours]
    fig = figure(height=280, sizing_mode="stretch_width", x_range=x, y_range=(0, 100), title=t("parking_title", lang))
    shown = variant_shown(outcome)
    lines = [(outcome.baseline, "#888888")] + ([(shown, "#1f4e79")] if shown != outcome.baseline else [])
    for name, color in lines:
        y = da.sel(variant=name).values
        label = t("series_baseline", lang, name=name) if name == outcome.baseline else name
        fig.line(x, y, color=color, line_width=2, legend_label=label)
        fig.scatter(x, y, color=color, size=5)
    legend_below(fig)
    fig.yaxis.axis_label = t("parking_axis", lang)
    return fig


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str, dict, str]]:
    """(layer, overlay, caption) of a parking run."""
    streets = street_overlay(outcome, sources["streets"].data["edge"], lang)
    if not streets:
        return []
    alone = variant_shown(outcome) == outcome.baseline
    text = t("parking_caption_alone" if alone else "parking_caption", lang)
    if removed_edges(outcome):
        text += removed_text(outcome, lang)
    if not alone:
        text += closed_text(outcome, lang) + noise_text(outcome, lang)
    return [("streets", streets, text + estimated_text(outcome, lang) + unpaid_text(outcome, lang))]


def noise_text(outcome, lang: str = "fr") -> str:
    """The caption's words when the variant's total cruising is within its draws' noise: the map painted
    most streets red or green under cards all « pas de différence significative » (a street's change is
    one draw's luck as much as the total's)."""
    from twin.app.variants import outcome_rows  # noqa: PLC0415

    shown = variant_shown(outcome)
    row = next((r for r in outcome_rows(outcome) if r["kpi"] == "cruising_vkm" and r["variant"] == shown), None)
    return t("parking_caption_noise", lang) if row is not None and row.get("significant") is False else ""


def closed_text(outcome, lang: str = "fr") -> str:
    """« ; parking(s) fermé(s) : Place du Parlement (120 places) »: the car parks the variant closes (the
    run's ``car_parks_closed``, « name (spaces) » each), said on the map's caption — a car park is not a
    street the map colours, and nothing on it showed the closure. "" when it closes none."""
    closed = str(outcome.data.attrs.get("car_parks_closed", "") or "")
    if not closed:
        return ""
    parks = []
    for part in closed.split("; "):
        m = re.fullmatch(r"(.*) \((\d+)\)", part)
        parks.append(t("parking_closed_park", lang, name=m.group(1), n=fmt_number(int(m.group(2)), lang)) if m
                     else part)
    return t("parking_caption_closed", lang, parks=", ".join(parks))


def estimated_text(outcome, lang: str = "fr") -> str:
    """« Places en bordure estimées d'après la classe de la rue sur 331 tronçons sur 331 (non relevées) »:
    what the supply is made of, said where its figures are read ("" when every kerb is mapped, or a run saved
    without the count)."""
    attrs = outcome.data.attrs
    try:
        generated, edges = int(attrs["kerb_edges_generated"]), int(attrs["kerb_edges"])
    except (KeyError, TypeError, ValueError):
        return ""
    if generated <= 0:
        return ""
    return t("parking_caption_estimated", lang, n=fmt_number(generated, lang), total=fmt_number(edges, lang))


def unpaid_text(outcome, lang: str = "fr") -> str:
    """« Aucun des 12 parkings n'est payant selon OpenStreetMap (fee=yes) … »: why the revenue is 0 € beside
    a « Tarif d'un parking payant » of 1,5 €/h (the run's ``paying_car_parks``, « k of n »); "" when some car
    park pays, or the territory has none, or the run was saved without the count."""
    m = re.fullmatch(r"(\d+) of (\d+)", str(outcome.data.attrs.get("paying_car_parks", "")))
    if m is None or int(m.group(1)) > 0 or int(m.group(2)) == 0:
        return ""
    return t("parking_caption_unpaid", lang, n=fmt_number(int(m.group(2)), lang))


def removed_text(outcome, lang: str = "fr") -> str:
    """The caption's words on the removed spaces: how many, on how many street edges, when (« ; orange : 42
    places supprimées sur 6 tronçons, de 08:00 à 12:00 »); only the colour for a run saved without the count."""
    attrs = outcome.data.attrs
    try:
        n, edges = int(attrs["spaces_removed"]), int(attrs["spaces_removed_edges"])
    except (KeyError, TypeError, ValueError):
        return t("parking_caption_removed", lang)
    hours = str(attrs.get("spaces_removed_hours", ""))
    a, _, b = (part.strip() for part in hours.partition("-"))
    whole_day = a in ("00:00", "0:00") and b in ("24:00", "00:00", "0:00")  # « de 00:00 à 24:00 » said nothing more
    when = t("parking_removed_hours", lang, a=a, b=b) if b and not whole_day else t("parking_removed_all_day", lang)
    return t("parking_caption_removed_n", lang, n=fmt_number(n, lang), edges=fmt_number(edges, lang), when=when)


def figure_for(outcome, lang: str = "fr"):
    return occupancy_figure(outcome, lang)
