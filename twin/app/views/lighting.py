"""Lighting: every lamp by the share of the night it burns."""

from __future__ import annotations

import numpy as np

from twin.app.i18n import fmt_number, t
from twin.app.views.common import variant_label, variant_shown


def lamp_overlay(outcome, lamp_ids: list[str], lang: str = "fr") -> dict | None:
    """Lighting: each lamp by the share of the night it burns in the variant (dark: switched off), from
    the outcome's ``lamps`` layer; None when it has none or does not cover ``lamp_ids``."""
    if "lamps" not in outcome.tables:
        return None
    table = outcome.table("lamps")
    d = table[table["variant"] == variant_shown(outcome)].set_index("lamp_id")
    if len(d) != len(lamp_ids) or not d.index.isin(lamp_ids).all():
        return None
    d = d.loc[list(lamp_ids)]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip(d["equivalent_hours"].to_numpy(float) / d["night_hours"].to_numpy(float), 0, 1)
    share = np.nan_to_num(share, nan=1.0)
    dark, lit = np.array([31, 42, 68]), np.array([255, 215, 0])  # navy (off) → gold (all night)
    colors = ["#%02x%02x%02x" % tuple(int(c) for c in dark + (lit - dark) * v) for v in share]
    return {"color": colors, "size": [5.0] * len(share),
            "value": [t("lighting_hover", lang, share=fmt_number(100 * v, lang)) for v in share]}


def overlays(outcome, sources: dict, lang: str = "fr") -> list[tuple[str, dict, str]]:
    """(layer, overlay, caption) of a lighting run."""
    lamps = lamp_overlay(outcome, sources["lamps"].data["id"], lang)
    if not lamps:
        return []
    # a run may compute two variants (the schedule and « tout LED »): say which one the map shows
    return [("lamps", lamps, t("res_lighting_caption", lang, variant=variant_label(variant_shown(outcome), lang)))]


def figure_for(outcome, lang: str = "fr"):
    return None
