"""Which building to treat first: a heating run's buildings, one row each, as an energy manager reads them.

The run's totals say what the park saves; an energy manager asks which building to start with
(issue: the page gave only totals over 20 buildings). :func:`building_ranking` turns the outcome's
``buildings`` table (one row per building and variant) into one row per building — its name, id and
gas today, then for each action the gas it saves (kWh/yr and %) and the occupied hours it leaves
cold — sorted by what the variant the page shows saves, most first. :func:`building_ranking_csv`
writes it as the meeting pack writes its tables (``;``, decimal comma, UTF-8 with BOM).
"""

from __future__ import annotations

import pandas as pd

from twin.app.i18n import fmt_number, t
from twin.app.mapview import osm_text
from twin.app.param_text import variant_text


def building_ranking(outcome, shown: str | None = None, lang: str = "fr") -> pd.DataFrame:
    """One row per building of a heating ``outcome``, sorted by the saving of variant ``shown`` (the
    outcome's first by default), most first; empty for an outcome of another family."""
    if str(outcome.data.attrs.get("scenario", "")) != "heating" or "buildings" not in outcome.tables:
        return pd.DataFrame()
    per = outcome.table("buildings")  # a prior's: already its members' means
    baseline = per[per["variant"] == "baseline"].set_index("building_id")
    use = baseline["use"].fillna("").astype(str) if "use" in baseline else pd.Series("", index=baseline.index)
    use = use.where(use != "unknown", "")
    area = baseline["footprint_m2"] if "footprint_m2" in baseline else pd.Series(float("nan"), index=baseline.index)
    names = baseline["name"].fillna("").astype(str).str.strip()
    # a building OSM leaves unnamed is said by its use and its size (« osm:way/122536574 » alone said nothing)
    names = names.where(names != "", [_unnamed(u, a, lang) for u, a in zip(use, area, strict=True)])
    # a name two buildings share (OSM names two of the seed's « Redon »): each told apart the same way
    twice = names.duplicated(keep=False)
    names = names.where(~twice, [f"{n} ({_described(u, a, lang)})" for n, u, a in zip(names, use, area, strict=True)])
    out = pd.DataFrame({t("rank_col_building", lang): names,
                        t("rank_col_use", lang): [osm_text("use", u, lang) if u else "" for u in use],
                        t("rank_col_address", lang): baseline["address"].fillna("").astype(str)
                        if "address" in baseline else "",
                        t("rank_col_id", lang): baseline.index,
                        t("rank_col_gas_today", lang): baseline["gas_kwh"].round(0)}, index=baseline.index)
    actions = [v for v in dict.fromkeys(per["variant"]) if v != "baseline"]
    shown = shown if shown in actions else (actions[0] if actions else None)
    for action in sorted(actions, key=lambda a: a != shown):  # the variant shown first
        rows = per[per["variant"] == action].set_index("building_id")
        name = variant_text(action, lang)
        out[t("rank_col_saving_kwh", lang, action=name)] = rows["saving_kwh"].round(0)
        out[t("rank_col_saving_pct", lang, action=name)] = rows["saving_pct"].round(1)
        out[t("rank_col_cold_h", lang, action=name)] = rows["comfort_gap_h"].round(0)
    if shown is not None:
        out = out.sort_values(t("rank_col_saving_kwh", lang, action=variant_text(shown, lang)), ascending=False,
                              kind="stable")
    return out.reset_index(drop=True)


def _described(use: str, footprint_m2: float, lang: str) -> str:
    """« enseignement, 1 250 m² au sol »: a building by its use and its size."""
    what = osm_text("use", use, lang) if use else t("rank_building", lang)
    if footprint_m2 == footprint_m2 and footprint_m2 > 0:  # not NaN
        what = t("rank_footprint", lang, what=what, area=fmt_number(footprint_m2, lang))
    return what


def _unnamed(use: str, footprint_m2: float, lang: str) -> str:
    """« enseignement, 1 250 m² au sol (sans nom dans OpenStreetMap) »: an unnamed building told apart."""
    return t("rank_unnamed", lang, what=_described(use, footprint_m2, lang))


def building_ranking_csv(outcome, shown: str | None = None, lang: str = "fr") -> bytes:
    """:func:`building_ranking` as a spreadsheet's CSV (empty bytes when there is none)."""
    from twin.app.meeting_pack import csv_bytes  # noqa: PLC0415 - the pack imports the report

    table = building_ranking(outcome, shown, lang)
    if table.empty:
        return b""
    return csv_bytes(list(table.columns), table.astype(object).where(table.notna(), "").values.tolist(),
                     lang)
