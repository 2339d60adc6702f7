"""Heating: each simulated building by the gas its variant saves."""

from __future__ import annotations

from twin.app.i18n import fmt_number, t
from twin.app.mapview import COLORS
from twin.app.views.common import variant_label

FULL_GREEN_PCT = 30.0
"""[%] A saving drawn deep green, and any above it: a fixed scale, not the run's best (a church saving 78 %
left the 19 other buildings, at 16–23 %, near white). 30 %: the order of the best sites' gas cuts with
schedules that follow use (33 % in the 2023 observatory; Rennes aimed at 15 %)."""


def savings_overlay(outcome, building_ids: list[str], lang: str = "fr") -> dict | None:
    """Heating: each simulated building by the gas its variant saves (% of its current use; white: none,
    deep green: :data:`FULL_GREEN_PCT` or more), with the kWh/yr in the hover; buildings not simulated keep
    their colour."""
    per = outcome.tables.get("buildings")
    if per is None or per.empty:
        return None
    variant = next((v for v in per["variant"].unique() if v != "baseline"), None)
    if variant is None:
        return None
    mine = per[per["variant"] == variant].set_index("building_id")
    colors, values = [], []
    for b in building_ids:
        if b not in mine.index:
            colors.append(COLORS["buildings"])
            values.append("")
            continue
        pct, kwh = float(mine.at[b, "saving_pct"]), float(mine.at[b, "saving_kwh"])
        v = min(max(pct, 0.0) / FULL_GREEN_PCT, 1.0)
        colors.append(f"#{int(255 - 229 * v):02x}{int(255 - 103 * v):02x}{int(255 - 200 * v):02x}")  # white → #1a9837
        values.append(t("heating_hover", lang, pct=fmt_number(-pct, lang, signed=True), pct_value=-pct,
                        kwh=fmt_number(-kwh, lang, signed=True), kwh_value=-kwh))
    return {"color": colors, "value": values, "_variant": variant}


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str, dict, str]]:
    """(layer, overlay, caption) of a heating run."""
    savings = savings_overlay(outcome, sources["buildings"].data["id"], lang)
    if not savings:
        return []
    variant = savings.pop("_variant")
    # the model names its variants in English (« booking schedule »): the caption says them in ``lang``
    return [("buildings", savings, t("heating_caption", lang, variant=variant_label(variant, lang)))]


def figure_for(outcome, lang: str = "fr"):
    return None
