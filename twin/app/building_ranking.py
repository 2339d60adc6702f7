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

from twin.app.i18n import t
from twin.app.param_text import variant_text


def building_ranking(outcome, shown: str | None = None, lang: str = "fr") -> pd.DataFrame:
    """One row per building of a heating ``outcome``, sorted by the saving of variant ``shown`` (the
    outcome's first by default), most first; empty for an outcome of another family."""
    if str(outcome.data.attrs.get("scenario", "")) != "heating" or "buildings" not in outcome.tables:
        return pd.DataFrame()
    per = outcome.table("buildings")  # a prior's: already its members' means
    baseline = per[per["variant"] == "baseline"].set_index("building_id")
    out = pd.DataFrame({t("rank_col_building", lang): baseline["name"].fillna("").astype(str),
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


def building_ranking_csv(outcome, shown: str | None = None, lang: str = "fr") -> bytes:
    """:func:`building_ranking` as a spreadsheet's CSV (empty bytes when there is none)."""
    from twin.app.meeting_pack import csv_bytes  # noqa: PLC0415 - the pack imports the report

    table = building_ranking(outcome, shown, lang)
    if table.empty:
        return b""
    return csv_bytes(list(table.columns), table.astype(object).where(table.notna(), "").values.tolist())
