"""Saved variants: a scenario's parameters and outcome, kept as JSON files that survive a restart.

One file per variant in the store's directory (``TWIN_APP_STATE``, default ``.twin-app/variants``),
written atomically, so a crash never leaves half a variant; the workshop order and pins live in
the same files. Every session of the app reads the same store: a variant saved at one desk is on
the wall screen after a reload.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

import shutil

from twin.outcome import PAYBACK_KPIS
from twin.storage import atomic_directory, atomic_file


def default_dir() -> Path:
    return Path(os.environ.get("TWIN_APP_STATE", ".twin-app")) / "variants"


@dataclass
class Variant:
    """A named run: family, parameters, and the KPI table of its outcome (baseline and variant)."""

    name: str
    family: str
    territory: str
    params: dict
    kpis: list[dict]  # rows of Outcome.compare() plus low/high when the outcome has bands
    attrs: dict = field(default_factory=dict)
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    created: float = field(default_factory=time.time)
    pinned: bool = False
    discarded: bool = False  # set aside in the workshop; the file stays
    order: int = 0
    author: str = ""  # the participant who proposed it in a workshop ("" outside one)

    def kpi(self, name: str, variant: bool = True) -> dict | None:
        rows = [r for r in self.kpis if r["kpi"] == name and (r["variant"] != r.get("baseline_name")) == variant]
        return rows[0] if rows else None



HAZARD_FAMILY = "flood-detours"
"""The family whose variants are a hazard's consequences (a flood's closures), not plans: their rows say so
(``hazard``, :func:`twin.app.verdicts.hazards`)."""


FLOOD_COUNTS = ("buildings_flooded", "buildings_to_alert", "people_to_alert", "streets_to_close")
"""A flood's counts, each at its own quantile of the draws' peaks (or share of the prior's members)."""


AT_MEDIAN_PEAK = ("peak_stage_m", "buildings_flooded", "streets_to_close")
"""A gauged flood's figures read at the draws' median peak; the others of :data:`FLOOD_COUNTS` and
``peak_stage_p95_m`` at their upper quantiles (90th and 95th percentile: the 95th stands for both)."""


def flood_flags(rows: list[dict], attrs: dict) -> None:
    """A flood's rows told what the cards say of them (:func:`twin.app.cards.card_note`): ``counted_as`` — its
    counts at the draws' median or upper peak, or the prior's shares of members (an ungauged river) — and
    ``rating_max_m`` where the peak the figure is read at lies far above every stage the rating curve was
    fitted on (a design storm's 15,8 m at a gauge recorded up to 4,7 m): the curve's extrapolation. Also for
    the rows of a variant saved before they said so (:meth:`VariantStore.get`)."""
    counted_as = "prior" if attrs.get("buildings_flooded_is") else "draws"
    try:
        top = float(attrs.get("rating_curve_max_stage_m", "nan"))
    except (TypeError, ValueError):
        top = float("nan")
    peaks = set()
    if math.isfinite(top):
        from twin.scenarios.flood import BEYOND_RECORD_M  # noqa: PLC0415 - a gauged flood's rows only

        peaks = {(r["variant"], r["kpi"]) for r in rows if r["kpi"] in ("peak_stage_m", "peak_stage_p95_m")
                 and isinstance(r.get("value"), (int, float)) and r["value"] > top + BEYOND_RECORD_M}
    from twin.scenarios.flood import levels_beyond_record, minimum_figures  # noqa: PLC0415 - a flood's rows only

    minimums = minimum_figures(rows, prior=counted_as == "prior")
    beyond = levels_beyond_record(attrs)
    try:  # an outcome's attribute is a numpy number; a saved variant's, JSON's
        horizon = float(attrs.get("horizon_h"))
    except (TypeError, ValueError):
        horizon = None
    # the height the alert list is counted at, the draws' 90th percentile peak (as the forecast takes it,
    # numpy's linear quantile of the members' peaks): « le pic que seuls 10 % des tirages dépassent » said
    # without its height left a technician to guess it between the median and the 95th percentile cards
    alert_stage = {}
    for r in rows:
        members = [float(x) for x in r.get("members") or () if isinstance(x, (int, float)) and math.isfinite(x)]
        if r["kpi"] == "peak_stage_m" and counted_as == "draws" and len(members) > 1:
            alert_stage[r["variant"]] = float(np.quantile(members, 0.9))
    for r in rows:
        if r["kpi"] in FLOOD_COUNTS:
            r.setdefault("counted_as", counted_as)
        if r["kpi"] in ("buildings_to_alert", "people_to_alert") and r["variant"] in alert_stage:
            r["alert_stage_m"] = alert_stage[r["variant"]]
        at = "peak_stage_m" if r["kpi"] in AT_MEDIAN_PEAK else "peak_stage_p95_m"
        if r["kpi"] in (*FLOOD_COUNTS, "peak_stage_m", "peak_stage_p95_m") and (r["variant"], at) in peaks:
            r["rating_max_m"] = top
        level = str(r["kpi"]).removeprefix("p_").removeprefix("lead_time_").removesuffix("_pct").removesuffix("_h")
        if level in beyond and r["kpi"] in (f"p_{level}_pct", f"lead_time_{level}_h"):
            # scalars: a list in a row is read as the members' floats (« could not convert string to float »)
            r["level_beyond_record"] = level
            r["level_stage_m"], r["level_curve_top_m"] = beyond[level]
        if (r["variant"], r["kpi"]) in minimums:  # the water still rises at the horizon's end: a minimum
            r["rising_at_end_pct"] = 100.0 * minimums[(r["variant"], r["kpi"])]
            r["horizon_h"] = horizon


def outcome_rows(outcome) -> list[dict]:
    """The outcome's comparison table as JSON-safe rows, with the 5–95 % band when there is one.

    Rows of an ensemble outcome (one that keeps its members, :meth:`twin.outcome.Outcome.add_members`)
    also carry ``members`` (this variant's KPI, one float per member, in member order),
    ``change_low``/``change_high`` (5–95 % band of the change from the baseline member by member;
    0/0 on the baseline's rows; NaN when not estimated) and ``significant`` (False: the band holds 0,
    "pas de différence significative"; None: not estimated — one member, or a member without a value).
    Rows of other outcomes carry none of these keys."""
    rows = outcome.compare_rows()
    baseline = outcome.baseline
    for band in ("low", "high"):
        if band in outcome.data:
            table = outcome.data[band].transpose("variant", "kpi")
            at = {(str(v), str(k)): float(x) for v, row in zip(table["variant"].values, table.values, strict=True)
                  for k, x in zip(table["kpi"].values, row, strict=True)}
            for r in rows:
                r[band] = at[(r["variant"], r["kpi"])]
    # what the baseline is, when it is not today's situation (a forecast's: the river without further rain)
    meaning = outcome.data.attrs.get("baseline_meaning")
    futures = outcome.data.attrs.get("members_are")  # a forecast's members: possible futures, not noise
    # a forecast's times count from its issue (the cards' clock times); a design event has none (its
    # « 2020-01-01 » is a placeholder: the prior's forecast_time_from says « none given »)
    issued = outcome.data.attrs.get("forecast_time") if not _design_event(outcome.data.attrs) else None
    # KPIs whose fall the run says it does not prove (roadworks: shorter but slower detours' CO2)
    unproven = {k for k in str(outcome.data.attrs.get("unproven_kpis", "")).split(",") if k}
    # a payback counted against another variant than the baseline (heating: a BMS over the booking schedule)
    paid_over = dict(p.split("=", 1) for p in str(outcome.data.attrs.get("payback_over_variant", "")).split("; ")
                     if "=" in p)
    # bins: compacting and added bins paid back on what they save beyond the same collection policy alone
    from twin.scenarios.bins import POLICY_ALONE  # noqa: PLC0415 - the app's workers import this module light
    if str(outcome.data.attrs.get("payback_over", "")) == POLICY_ALONE:
        paid_over.update({str(v): POLICY_ALONE for v in outcome.data["variant"].values if str(v) != baseline})
    # the hours a « *_window » total covers (roadworks, flood detours): totals over 3 h and 24 h said as such
    window = str(outcome.data.attrs.get("hours", "") or "")
    # a flood's closures are a hazard, not a plan: one variant « prévoit moins », none « fait mieux »
    hazard = str(outcome.data.attrs.get("scenario", "")) == HAZARD_FAMILY
    # bins: fill sensors the territory already has are not bought (« 0 € » invested, the price field idle)
    fitted = outcome.data.attrs.get("sensors_already_fitted")
    fitted = int(fitted) if str(fitted or "").isdigit() and int(fitted) > 0 else 0
    heating = str(outcome.data.attrs.get("scenario", "")) == "heating"
    if str(outcome.data.attrs.get("scenario", "")) == "flood":
        flood_flags(rows, outcome.data.attrs)
    for r in rows:
        r["baseline_name"] = baseline
        if fitted and r["kpi"] == "capital_cost_eur" and r["variant"] != baseline:
            r["sensors_fitted"] = fitted
        if heating and r["kpi"] == "comfort_gap_h":  # judged against one reference (VariantStore.get: older ones)
            r["comfort_reference"] = True
        if r["kpi"] in PAYBACK_KPIS and r["variant"] in paid_over:
            r["payback_over"] = paid_over[r["variant"]]
        if window and r["kpi"].endswith("_window"):
            r["window"] = window
        if hazard:
            r["hazard"] = True
        if r["kpi"] in unproven and r["variant"] != baseline:
            r["unproven"] = True
        if meaning:
            r["baseline_meaning"] = str(meaning)
        if issued:
            r["forecast_time"] = str(issued)
        if futures:
            r["members_are"] = str(futures)
    for r in rows:
        for k, v in r.items():
            # floats stay floats, infinite and not-a-number included (a payback that never comes is
            # inf): the cards and tables say them in words; only the store's JSON needs them as text
            if isinstance(v, np.floating):
                r[k] = float(v)
            elif isinstance(v, np.bool_):
                r[k] = bool(v)
            elif isinstance(v, (list, tuple, np.ndarray)):
                r[k] = [float(x) for x in v]  # per-member values: plain floats (inf and NaN kept, as above)
    return rows


def _backfill_over_share(rows: list[dict]) -> None:
    """A flood's lead times saved before their rows said over which share of the draws (``over_share``,
    :attr:`twin.outcome.KPI.over_share`): given it from the same variant's ``p_<level>_pct`` row, and no
    verdict when the shares differ (a later median over more draws was shown as a gain)."""
    shares = {(r.get("variant"), r.get("kpi")): r for r in rows if str(r.get("kpi", "")).startswith("p_")}
    for r in rows:
        kpi = str(r.get("kpi", ""))
        if not kpi.startswith("lead_time_") or "over_share" in r:
            continue
        p = shares.get((r.get("variant"), f"p_{kpi.removeprefix('lead_time_').removesuffix('_h')}_pct"))
        if p is None or not all(isinstance(p.get(k), (int, float)) for k in ("value", "baseline")):
            continue
        r["over_share"] = [float(p["value"]), float(p["baseline"])]
        if r["over_share"][0] != r["over_share"][1] and r.get("better") is not None:
            r["better"] = None


def _design_event(attrs: dict) -> bool:
    """Whether a flood outcome is a design event run with no issue time (the ungauged prior's)."""
    return str(attrs.get("forecast_time_from", "")).startswith("none")


NUMBER_KEYS = ("value", "baseline", "change", "change_pct", "low", "high", "change_low", "change_high")
# JSON has no infinity nor NaN: a stored variant spells them, and reading it back gives the floats
_SPELLED = {"inf": float("inf"), "-inf": float("-inf"), "nan": float("nan")}


def _encode(x):
    """A JSON-safe copy of ``x``: every infinite or NaN float, however deep, as "inf", "-inf" or "nan"."""
    if isinstance(x, float) and not np.isfinite(x):
        return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")
    if isinstance(x, dict):
        return {k: _encode(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_encode(v) for v in x]
    return x


def _num(v):
    """A stored KPI number back to a float (None, written by older versions for NaN, included)."""
    if v is None:
        return float("nan")
    if isinstance(v, str):
        if v not in _SPELLED:
            raise ValueError(f"not a stored number: {v!r}")
        return _SPELLED[v]
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


class VariantStore:
    """The saved variants of the app (a directory of JSON files)."""

    def __init__(self, directory: str | Path | None = None):
        self.dir = Path(directory) if directory else default_dir()
        self.dir.mkdir(parents=True, exist_ok=True)

    def _path(self, vid: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{10}", vid):
            raise KeyError(f"not a variant id: {vid!r}")
        return self.dir / f"{vid}.json"

    def outcome_path(self, vid: str) -> Path:
        """Where the full outcome of variant ``vid`` is kept (its layers and series, for maps and packs)."""
        return self._path(vid).with_suffix(".outcome")

    def save(self, v: Variant, outcome=None) -> Variant:
        """Write ``v`` (and its full :class:`twin.outcome.Outcome`, when given, beside it: the
        comparison's difference map and the meeting pack draw its layers)."""
        if outcome is not None:
            with atomic_directory(self.outcome_path(v.id)) as tmp:
                outcome.save(tmp)
        if not v.order:
            v.order = max([x.order for x in self.list()] + [0]) + 1
        with atomic_file(self._path(v.id)) as tmp:
            tmp.write_text(json.dumps(_encode(asdict(v)), ensure_ascii=False, indent=1, allow_nan=False))
        return v

    def get(self, vid: str) -> Variant:
        data = json.loads(self._path(vid).read_text())
        for r in data["kpis"]:
            for k in NUMBER_KEYS:
                if k in r:
                    r[k] = _num(r[k])
            if isinstance(r.get("members"), list):  # an ensemble's KPI per member (inf/nan spelled)
                r["members"] = [_num(x) for x in r["members"]]
            if data.get("family") == HAZARD_FAMILY:  # saved before its rows said so (:func:`outcome_rows`)
                r.setdefault("hazard", True)
            if data.get("family") == "heating" and r.get("kpi") == "comfort_gap_h" and not r.get("comfort_reference") \
                    and r.get("variant") != r.get("baseline_name"):
                # counted below each variant's own setpoint before: a colder schedule « did better »; not ranked
                r["better"], r["unproven"] = None, True
        if data.get("family") == "flood":  # saved before its rows said how they count and where they extrapolate
            flood_flags(data["kpis"], data.get("attrs") or {})
        if data.get("family") == "roadworks" and "residents_access" not in (data.get("params") or {}) \
                and not (data.get("params") or {}).get("capacity_factor"):
            # saved before the works kept residents' access: it closed to all, and reopens as it ran
            data["params"] = {**data["params"], "residents_access": False}
        _backfill_over_share(data["kpis"])
        return Variant(**data)

    def list(self) -> list[Variant]:
        out = []
        for p in sorted(self.dir.glob("*.json")):
            try:
                out.append(self.get(p.stem))
            except (OSError, ValueError, TypeError, KeyError):
                continue  # a foreign or damaged file is not a variant; it stays on disk untouched
        return sorted(out, key=lambda v: (v.order, v.created))

    def outcome(self, vid: str):
        """The full outcome saved with variant ``vid``, or None (saved without one, or by an older
        version: its KPIs are all there is)."""
        from twin.outcome import Outcome  # noqa: PLC0415

        path = self.outcome_path(vid)
        return Outcome.load(path) if (path / "tables.json").exists() else None

    def delete(self, vid: str) -> None:
        self._path(vid).unlink(missing_ok=True)
        shutil.rmtree(self.outcome_path(vid), ignore_errors=True)

    def update(self, vid: str, **changes) -> Variant:
        v = self.get(vid)
        for k, val in changes.items():
            setattr(v, k, val)
        return self.save(v)

    def move(self, vid: str, step: int) -> None:
        """Move a variant left (-1) or right (+1) in the workshop order."""
        items = self.list()
        ids = [v.id for v in items]
        i = ids.index(vid)
        j = min(max(i + step, 0), len(items) - 1)
        items.insert(j, items.pop(i))
        for k, v in enumerate(items, start=1):
            if v.order != k:
                v.order = k
                self.save(v)
