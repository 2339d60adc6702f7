"""What a comparison of saved variants decides, as pure functions: % change, the best value of a row,
whether a difference is beyond the ensemble's noise, and a one-line French (or English) verdict per
impact (financial, environmental, human).

Rows are those of :func:`twin.app.variants.outcome_rows` (one KPI of one variant: ``value``,
``baseline``, ``change``, ``better``, ``impact``, ``unit`` …). Optional keys, written by the ensemble
families (bins, flood), are read when present:

* ``members`` — the KPI of each ensemble member, in member order; the variant's
  ``attrs["member_seeds"]`` names each member's seed;
* ``change_low`` / ``change_high`` — the 5–95 % band of the *paired* difference variant − its run's
  baseline (member by member, on common random numbers).

A difference whose paired 5–95 % band contains 0 is "pas de différence significative": with the same
seeds, both runs see the same weather, the same litter, the same random events, so what remains of
the difference member by member is the plan's effect; a band that straddles 0 says the plan's effect
is smaller than the spread of its members. Without members nor a paired band the uncertainty is not
estimated, and the verdict says so rather than guess (reference: common random numbers, Law &
Kelton, *Simulation Modeling and Analysis*, 5th ed., §11.2).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from twin.app.cards import QUANTILE_KPIS, RELATIVE_KPIS, STRANDED_KPIS, VALUED_NOT_SPENT, judge, member_band
from twin.app.i18n import (DURATION_UNITS, WHOLE_UNITS, fmt_number, fmt_points, fmt_quantity, kpi_label, shown_change,
                           t, unchanged_as_shown, unit_label)
from twin.outcome import IMPACTS
from twin.paired import MIN_MEMBERS

BAND = (5.0, 95.0)
"""The percentiles of an uncertainty band (the outcomes' 5–95 %)."""


POINT_UNITS = frozenset({"%"})
"""Units of KPIs that are themselves a percentage or a share: their change is in percentage points
(« −4,1 pts »), never a % of a % (a share going from 50 % to 45 % loses 5 points, i.e. 10 % of itself:
two figures a reader takes for one)."""


def finite(x) -> bool:
    """A number that is neither infinite nor NaN (None, text and booleans are not)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def pct_change(value, reference) -> float | None:
    """Change of ``value`` against ``reference`` in % of the reference's size (``(v − r) / |r| × 100``);
    None when either is not a finite number or the reference is 0 (a % of nothing says nothing)."""
    if not (finite(value) and finite(reference)) or reference == 0:
        return None
    return 100.0 * (float(value) - float(reference)) / abs(float(reference))


def row_pct(row: dict) -> float | None:
    """A row's change in %: its ``change_pct``, else worked out from value and baseline (a variant saved
    before rows carried it); None for a KPI whose change has no meaning in per cent (``ratio_scale``
    False: a river stage, a time from the forecast, :class:`twin.outcome.KPI`)."""
    if row.get("ratio_scale") is False:
        return None
    pct = row.get("change_pct")
    return float(pct) if finite(pct) else pct_change(row.get("value"), row.get("baseline"))


def higher_is_better(row: dict) -> bool | None:
    """The KPI's direction: the row's ``higher_is_better`` when it has one, else read from its
    ``better`` verdict and the sign of its change; None when neither tells."""
    hib = row.get("higher_is_better")
    if isinstance(hib, (bool, np.bool_)):
        return bool(hib)
    better, change = row.get("better"), row.get("change")
    if isinstance(better, (bool, np.bool_)) and finite(change) and change != 0:
        return (change > 0) == bool(better)
    return None


def seeds_of(attrs: dict) -> tuple[str, ...] | None:
    """The member seeds a saved variant names (``attrs["member_seeds"]``: "0,1,2", "[0, 1, 2]" or a
    list), as a tuple of texts; None when it names none."""
    seeds = (attrs or {}).get("member_seeds")
    if seeds is None or seeds == "":
        return None
    if isinstance(seeds, str):
        parts = [s.strip().strip("'\"") for s in seeds.strip().strip("[]()").split(",")]
    else:
        parts = [str(s).strip() for s in seeds]
    parts = [p for p in parts if p]
    return tuple(parts) or None


def members_of(row: dict | None) -> list[float] | None:
    """A row's per-member values as floats (None when it has none, or one is not a number)."""
    m = (row or {}).get("members")
    if not isinstance(m, (list, tuple)) or not m:
        return None
    try:
        return [float(x) for x in m]
    except (TypeError, ValueError):
        return None


def paired_band(reference: Sequence[float], other: Sequence[float], band=BAND) -> tuple[float, float] | None:
    """The ``band`` percentiles (default 5–95 %) of ``other − reference`` member by member (both on
    the same seeds, in the same order), as :func:`twin.paired.paired_difference` computes the bands
    the runs store (one rule for the page and the outcome); None when their lengths differ, a member
    is not finite or there are too few members to estimate a band."""
    from twin.paired import PairedError, paired_difference  # noqa: PLC0415

    a, b = np.asarray(reference, float), np.asarray(other, float)
    if a.shape != b.shape or a.size == 0 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        return None
    try:
        _, low, high, sig = paired_difference(b, a, q=tuple(x / 100.0 for x in band))
    except PairedError:
        return None
    return None if sig is None else (float(low), float(high))


def significant(band: tuple[float, float] | None) -> bool | None:
    """True when the band of a difference excludes 0 (the difference is beyond the noise), False
    when it contains 0 ("pas de différence significative"), None without a band."""
    if band is None or not (finite(band[0]) and finite(band[1])):
        return None
    return not (band[0] <= 0.0 <= band[1])


def change_band(row: dict) -> tuple[float, float] | None:
    """The 5–95 % band of a row's paired change against its baseline: ``change_low``/``change_high``
    when the run wrote them, else None."""
    lo, hi = row.get("change_low"), row.get("change_high")
    if not (finite(lo) and finite(hi)):
        return None
    members = row.get("members")
    if members is not None and len(members) < MIN_MEMBERS and not (float(lo) <= 0.0 <= float(hi)):
        # a variant saved before twin.paired.MIN_MEMBERS: its band of 2–4 members of one sign is no verdict
        return None
    return float(lo), float(hi)


def noise_band(row: dict) -> tuple[float, float] | None:
    """The band that may call a row's change noise: its paired change's, unless the row says its
    members are no pairs with the baseline's (``significant`` None: a forecast against its no-rain
    baseline, whose band is the forecast's spread) or its KPI is a statistic of the members."""
    if ("significant" in row and row["significant"] is None) or row.get("statistic") or row.get("kpi") in QUANTILE_KPIS:
        return None
    return change_band(row)


def pair_band(row_a: dict | None, seeds_a, row_b: dict | None, seeds_b) -> tuple[float, float] | None:
    """The 5–95 % band of ``b − a`` for one KPI of two saved variants run on the same member seeds
    (paired member by member); None when either lacks members or their seeds differ (then the two
    ensembles are not paired and no band of their difference is claimed), and for a KPI that is a
    quantile or a share of the members (their members are the underlying quantity's, not its own)."""
    if any(r is not None and (r.get("statistic") or r.get("kpi") in QUANTILE_KPIS) for r in (row_a, row_b)):
        return None
    ma, mb = members_of(row_a), members_of(row_b)
    if (ma is None or mb is None or seeds_a is None or seeds_a != seeds_b or len(ma) != len(mb)
            or len(ma) != len(seeds_a)):
        return None
    return paired_band(ma, mb)


def best(values: Sequence, hib: bool | None, ties: Sequence[bool] | None = None) -> list[int]:
    """Indices of the best of ``values`` for a KPI whose higher value is better when ``hib`` (lower
    otherwise): every value equal to the best, and every one whose gap to it is within the noise
    (``ties[i]`` True: paired band with the best contains 0). Empty when the direction is unknown,
    fewer than two values are numbers, or all of them tie (no value stands out)."""
    idx = [i for i, v in enumerate(values) if finite(v)]
    if hib is None or len(idx) < 2:
        return []
    top = (max if hib else min)(float(values[i]) for i in idx)
    out = [i for i in idx if float(values[i]) == top or (ties is not None and ties[i])]
    return [] if len(out) == len(idx) else out


def own_baselines(rows: Sequence[dict | None]) -> bool:
    """Whether ``rows`` (one KPI of several variants) stand on different baselines: works at night and by
    day have their own traffic without works, a season of 91 days and one of 28 their own rounds. Their
    values then measure their situations more than their plans (night works « did better » than day works
    by the night's lighter traffic): such variants are compared on their changes from their own baselines."""
    rows = [r for r in rows if r is not None]
    if len(rows) < 2 or not all(finite(r.get("baseline")) for r in rows) or no_rain_baseline(rows):
        # a row without a baseline: the values, as before; forecasts are futures, each on its own no-rain run,
        # never plans that « do better » than each other
        return False
    bases = [float(r["baseline"]) for r in rows]
    return not all(same_baseline(b, bases[0]) for b in bases)


SAME_BASELINE_RTOL = 1e-4
"""Two baselines within this share of each other are one situation: two heating schedules' baselines, the
same metered year simulated twice, differed by 1 kWh in 6,3 GWh and the comparison said « situations
différentes : 633 631 €/an et 633 631 €/an ». Situations that differ (works at night and by day) differ by
far more."""


def same_baseline(a, b) -> bool:
    """Whether two baseline values are one situation (:data:`SAME_BASELINE_RTOL`); two NaN are (a KPI both
    lack)."""
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= max(SAME_BASELINE_RTOL * max(abs(a), abs(b)), 1e-9)  # float noise around 0


def compared_figure(row: dict, by_change: bool) -> float | None:
    """What a variant is compared on: its value, or its change from its own baseline (:func:`own_baselines`)."""
    x = row.get("change") if by_change else row.get("value")
    if by_change and not finite(x) and finite(row.get("value")) and finite(row.get("baseline")):
        x = float(row["value"]) - float(row["baseline"])
    return float(x) if finite(x) else None


def row_status(row: dict, flagged: dict | None = None) -> str:
    """What a variant's row says against its baseline: "better", "worse", "same" (no change), "noise"
    (a change within its paired 5–95 % band: pas de différence significative) or "" (no verdict)."""
    if unchanged_as_shown(row):  # 183,4 against 183,2 people: « 183 » both, the same to the reader
        return "same"
    if significant(noise_band(row)) is False:
        return "noise"
    return judge(row, flagged)


def in_points(unit: str) -> bool:
    """Whether a KPI of ``unit`` is itself a percentage (its changes are then in points)."""
    return str(unit).strip() in POINT_UNITS


def change_text(x, unit: str, lang: str = "fr", signed: bool = True) -> str:
    """A change (or a band of changes) of a KPI of ``unit`` as a person reads it: in the KPI's unit
    (« -17 135 €/an »), in percentage points for a KPI that is a percentage (« -4,1 pts »: one decimal,
    two below 0.1 point)."""
    if in_points(unit) and finite(x):
        return fmt_points(x, lang, signed)
    return fmt_quantity(x, unit_label(unit, lang), lang, signed=signed)


def _name(name: str, lang: str) -> str:
    return f"« {name} »" if lang == "fr" else f"“{name}”"


def _kpi_text(row: dict, lang: str) -> str:
    """A KPI and its change in % (in points for a KPI that is a percentage; in its unit when the % is
    not a number), for a verdict."""
    pct = row_pct(row)
    unit = row.get("unit", "")
    change = fmt_number(pct, lang, signed=True) + "\u00a0%" if finite(pct) and not in_points(unit) else \
        change_text(row.get("change"), unit, lang)
    return f"{kpi_label(row['kpi'], '', lang)} {change}"


def futures(rows: Sequence[dict | None]) -> bool:
    """Whether the members of ``rows`` are possible futures (a flood forecast's), not noise around one
    answer: two forecasts whose paired band holds 0 differ one way in some futures and the other way in
    others, which is not « no significant difference »."""
    return any(r is not None and r.get("members_are") == "futures" for r in rows)


def one_way(band: tuple[float, float] | None, unit: str | None = None) -> tuple[str | None, tuple[float, float] | None]:
    """Of two forecasts' paired 5–95 % band of ``x − y`` holding 0: ("same", band) when it is 0 – 0 (at least
    90 % of the draws equal: both « déjà atteint »); ("x", band) or ("y", band of y − x) when it touches 0 at
    one end only — that one forecasts at least as much in 95 % of the draws, and its band is given as
    « more − less » (« l'une ou l'autre prévoit plus » was said of a band from -0,82 m to 0 m); (None, band)
    when it spans 0. With ``unit``, each end as the page writes it (:func:`_shown`): a band « de -0,82 m à 0 m »
    whose upper end was 0,0004 m read « l'une ou l'autre prévoit plus » (a GEMAPI technician's walkthrough)."""
    if band is None:
        return None, band
    low, high = band if unit is None else (_shown(band[0], unit), _shown(band[1], unit))
    low, high = low + 0.0, high + 0.0  # never « -0 »
    if low == 0 and high == 0:
        return "same", band
    if low >= 0:
        return "x", (low, high)  # as written: « de 0 à 0,82 m », not « -0 m »
    if high <= 0:
        return "y", (0.0 - high, 0.0 - low)  # 0.0 - x: never « -0 »
    return None, band


def _shown(x: float, unit: str) -> float:
    """``x`` as the page writes it (:func:`twin.app.i18n.fmt_number`'s rounding): a difference taken between
    the figures shown adds up for the reader — « de 13,4 pts (99,7 % contre 86,4 %) » read as a slip. A
    duration (written in months or seconds as it suits) and a figure in words are left as they are."""
    if unit in DURATION_UNITS or not math.isfinite(x):
        return x
    if unit in WHOLE_UNITS and abs(x) >= 10:  # people, buildings: written whole from 10 on (fmt_quantity)
        return float(round(x))
    try:
        return float(fmt_number(x, "en").replace(",", ""))
    except ValueError:
        return x


def hazards(rows: Sequence[dict | None]) -> bool:
    """Whether ``rows`` are a hazard's consequences (a flood's closures, ``hazard``), not plans to choose
    between: none « does better », none is the best of its row."""
    return any(r is not None and r.get("hazard") for r in rows)


def _over(r: dict, other: dict, lang: str) -> str:
    """« sur 07:00–10:00 » after a total over the hours ``r`` covers (``window``) when ``other``'s differ: a
    total over 3 h beside one over 24 h was read as the same measure ("" when the hours are the same)."""
    a, b = str(r.get("window", "")), str(other.get("window", ""))
    if not a or a == b:
        return ""
    return t("compare_over_window", lang, hours=a.replace("-", "–"))


def no_rain_baseline(rows: Sequence[dict]) -> bool:
    """Whether ``rows`` are compared with a flood forecast's no-rain run (``baseline_meaning``), not with
    today's situation."""
    return bool(rows) and all(r.get("baseline_meaning") == "no further rain" for r in rows)


def verdict(impact: str, named_rows: Sequence[tuple[str, list[dict], dict | None]], lang: str = "fr") -> str:
    """One line saying what the compared variants do for ``impact`` (financial, environmental or human)
    against their baselines: for each variant, how many of the impact's KPIs are better, worse, the
    same or within the noise, with its largest improvement or loss in %; and, of two or more, which
    does best on most KPIs. ``named_rows``: (variant name, its rows of the impact, its stranded flags).
    "" when no variant has a KPI of this impact."""
    parts, score = [], {}
    for name, rows, flagged in named_rows:
        if not rows:
            continue
        status = [row_status(r, flagged) for r in rows]
        n = {k: status.count(k) for k in ("better", "worse", "same", "noise", "")}
        base = t("compare_base_no_rain" if no_rain_baseline(rows) else "compare_base", lang)
        score[name] = n["better"] - n["worse"]
        total = len(rows)

        def largest(kind):
            chosen = [r for r, s in zip(rows, status, strict=True) if s == kind]
            key = [abs(row_pct(r) or 0.0) for r in chosen]
            return _kpi_text(chosen[int(np.argmax(key))], lang) if chosen else ""

        def ind(k):  # French: "sur 1 indicateur sur 4"; English counts the total: "on 1 of 4 indicators"
            return t("compare_indicator" if k == 1 else "compare_indicators", lang)

        # a rain is no plan: it is more or less severe than no rain, it does not « do better »
        severe = "_severity" if no_rain_baseline(rows) else ""
        if n["better"] and not n["worse"]:
            text = t("compare_verdict_better" + severe, lang, base=base, n=n["better"], total=total, kpi=largest("better"),
                     ind=ind(n["better"] if lang == "fr" else total))
        elif n["worse"] and not n["better"]:
            text = t("compare_verdict_worse" + severe, lang, base=base, n=n["worse"], total=total, kpi=largest("worse"),
                     ind=ind(n["worse"] if lang == "fr" else total))
        elif n["better"] and n["worse"]:
            text = t("compare_verdict_mixed" + severe, lang, base=base, better=n["better"], worse=n["worse"], total=total,
                     kpi_better=largest("better"), kpi_worse=largest("worse"), ind=ind(n["better"]))
        elif n["noise"]:
            text = t("compare_verdict_noise", lang, base=base)
        elif n["same"] == total:
            text = t("compare_verdict_same", lang)
        elif withheld := [k for k in (flagged or {}) for r, s in zip(rows, status, strict=True)
                          if s == "" and (r.get("better") or str(r.get("no_verdict", "")).startswith("leaves out"))
                          and r["kpi"] in STRANDED_KPIS[k]]:
            # its falls may be only the demand that lost its route (« indicateurs sans sens « meilleur » » said
            # the kilometres had no better direction, while the same row was « moins bien » for other works)
            text = t("compare_verdict_stranded", lang,
                     what=", ".join(dict.fromkeys(kpi_label(k, "", lang) for k in withheld)))
        elif any(s == "" and r.get("unproven") for r, s in zip(rows, status, strict=True)):
            text = t("compare_verdict_unproven", lang)  # shorter but slower: a fall the run does not prove
        else:
            text = t("compare_verdict_none", lang)
        if n["noise"] and (n["better"] or n["worse"]):
            text += t("compare_verdict_and_noise", lang, n=n["noise"])
        parts.append(f"{_name(name, lang)} {text}")
    if not parts:
        return ""
    line = f"{t(impact, lang)} : " if lang == "fr" else f"{t(impact, lang)}: "
    line += " ; ".join(parts) if lang == "fr" else "; ".join(parts)
    ranked = sorted(score.items(), key=lambda kv: -kv[1])
    # forecasts are futures, not choices: no winner among rains (the comparison's legend says so too)
    forecasts = any(no_rain_baseline(rows) for _, rows, _ in named_rows if rows)
    if len(ranked) >= 2 and ranked[0][1] > ranked[1][1] and ranked[0][1] > 0 and not forecasts:
        line += t("compare_verdict_best", lang, name=_name(ranked[0][0], lang))
    return line + "."


def verdicts(named_rows: Sequence[tuple[str, list[dict], dict | None]], lang: str = "fr") -> dict[str, str]:
    """{impact: its verdict line} for every impact some variant has KPIs of (see :func:`verdict`);
    ``named_rows``: (variant name, all its variant rows, its stranded flags)."""
    out = {}
    for impact in IMPACTS:
        line = verdict(impact, [(n, [r for r in rows if r.get("impact") == impact], f) for n, rows, f in named_rows],
                       lang)
        if line:
            out[impact] = line
    return out


# --- the variants against each other ------------------------------------------------------------------

def decider_preference(impact: str, kpi: str, unit: str) -> int:
    """How well a KPI says an impact to a decider (0: best): a yearly cost in € for the financial
    impact (then any € figure), the CO2 for the environmental one, the family's first KPI otherwise."""
    if impact == "financial":
        return 0 if unit.startswith("€/") else 1 if unit.startswith("€") else 2
    if impact == "environmental":
        return 0 if "co2" in kpi.lower() else 1
    return 0


def headline(impact: str, named: Sequence[tuple[str, list[dict], dict | None, tuple | None]]) \
        -> tuple[str, bool, list[dict]] | None:
    """The KPI the variants of ``named`` are compared on for ``impact``: (kpi, higher is better, each
    variant's row), among the KPIs every variant has with a number and a known direction, whose values
    differ between the variants — the decider's figure first (:func:`decider_preference`), then the family's
    order. A payback (already a comparison with the baseline) and a KPI that leaves out stranded demand
    (not comparable between variants that strand different trips) are not chosen. None when no KPI
    sets the variants apart."""
    found = _candidates(impact, named)
    return min(found, key=lambda c: c[:4])[4:] if found else None


def _candidates(impact: str, named, fair: bool = True) -> list[tuple]:
    """(tied, preference, at a peak hour, order, kpi, higher is better, rows) of the KPIs that set the variants
    apart (see :func:`headline`); ``fair=False``: also those a stranded demand makes unfair to compare, or whose
    fall the run does not prove (``unproven``: shorter but slower detours' CO2). ``tied``: the same non-zero
    change from different situations, chosen only when no KPI separates the variants."""
    by = [{r["kpi"]: r for r in rows} for _, rows, _, _ in named]
    unfair = {k2 for _, _, flagged, _ in named for k in (flagged or {}) for k2 in STRANDED_KPIS.get(k, ())} \
        if fair else set()
    chosen = []
    for order, kpi in enumerate(by[0]):
        rows = [b.get(kpi) for b in by]
        if kpi in RELATIVE_KPIS or kpi in unfair or any(r is None or not finite(r.get("value")) for r in rows):
            continue
        if fair and any(r.get("unproven") for r in rows):  # « fait mieux » on a fall the run says it does not prove
            continue
        if fair and len({tuple(r["over_share"][:1]) for r in rows if r.get("over_share")}) > 1:
            continue  # medians over different shares of the draws (lead times): different futures, not ranked
        by_change = own_baselines(rows)
        if any(compared_figure(r, by_change) is None for r in rows):
            continue
        hib = next((h for r in rows if (h := higher_is_better(r)) is not None), None)
        # on their own baselines, the same change from different values is said too (two lighting schedules
        # whose lamps come on 10 min later today as in the plan: each saves as much; « aucun indicateur ne
        # sépare » them hid that their costs differ by their situations)
        figures = {compared_figure(r, by_change) for r in rows}
        tied = len(figures) < 2
        if hib is None or (tied and not (by_change and len({float(r["value"]) for r in rows}) >= 2
                                         and figures != {0.0})):
            continue
        # a figure at one peak hour (roadworks' ``*_peak``) after the totals over the works' hours: night and day
        # works each have their own peak hour (21 h against 17 h), their totals compare the works as planned
        chosen.append((tied, decider_preference(impact, kpi, str(rows[0].get("unit", ""))), kpi.endswith("_peak"),
                       order, kpi, hib, rows))
    return chosen


def _within_each_others_band(ra: dict, rb: dict) -> bool:
    """Each variant's value lies inside the other's 5–95 % band (two ensembles whose members ran on
    different seeds, so no paired difference): the gap is smaller than the draws' spread — two runs
    of the same forecast on two seeds were ranked « mieux » by 0,11 m. (The spread of the draws, not
    the uncertainty of the difference: said so, never « significatif ».)"""
    def band(r):  # the model's band, else its members' (a flood's rows have members, no low/high)
        low, high = member_band(r)
        return (low, high) if low is not None and low < high else None

    a, b = band(ra), band(rb)
    return a is not None and b is not None and a[0] <= float(rb["value"]) <= a[1] and b[0] <= float(ra["value"]) <= b[1]


def _pair_clause(a: tuple, b: tuple, hib: bool, lang: str) -> str:
    """What ``a`` (the better of the two on the KPI) does against ``b``: (name, row, seeds) each.

    The difference is judged on the members when both variants ran the same member seeds (paired, as
    :func:`paired_band` for the baseline): within its 5–95 % band → "pas de différence significative";
    without members on common seeds the clause says the uncertainty is not estimated."""
    (na, ra, sa), (nb, rb, sb) = a, b
    unit = str(ra.get("unit", ""))
    ul = unit_label(unit, lang)
    va, vb = float(ra["value"]), float(rb["value"])
    names = {"a": _name(na, lang), "b": _name(nb, lang)}
    values = {"va": fmt_quantity(va, ul, lang) + _over(ra, rb, lang), "vb": fmt_quantity(vb, ul, lang) + _over(rb, ra, lang)}
    if va == vb:
        return t("compare_between_same", lang, **names, va=values["va"])
    band = pair_band(rb, sb, ra, sa)  # a − b, member by member on the same seeds
    if band is not None:
        unc = t("compare_between_band", lang, low=change_text(band[0], unit, lang, signed=False),
                high=change_text(band[1], unit, lang, signed=False))
    elif sa is not None and sa == sb and 1 < len(sa) < MIN_MEMBERS:  # paired, too few to judge
        unc = t("compare_between_few_draws", lang, n=len(sa), least=MIN_MEMBERS)
    else:
        unc = t("compare_between_no_band", lang)
    if significant(band) is False:
        if futures([ra, rb]):  # a band touching 0 at one end: one forecasts at least as much, never « either »
            side, oriented = one_way(band, unit)  # the band is a − b
            if side == "same":
                return t("compare_between_futures_same", lang, **names, **values, unc=unc)
            if side is not None:
                (nm, vm), (nl, vl) = ((names["a"], values["va"]), (names["b"], values["vb"]))[::1 if side == "x" else -1]
                unc = t("compare_between_band", lang, low=change_text(oriented[0], unit, lang, signed=False),
                        high=change_text(oriented[1], unit, lang, signed=False))
                return t("compare_between_futures_more", lang, more=nm, less=nl, vmore=vm, vless=vl, unc=unc)
            return t("compare_between_futures", lang, **names, **values, unc=unc)
        return t("compare_between_noise", lang, **names, **values, unc=unc)
    paired = sa is not None and sa == sb  # the same draws (too few to judge, or a member without a value)
    if band is None and not paired and _within_each_others_band(ra, rb):  # two ensembles on other seeds
        return t("compare_between_spread", lang, **names, **values)
    diff = change_text(abs(_shown(va, unit) - _shown(vb, unit)), unit, lang, signed=False)
    if unit.startswith("€") and not hib and ra.get("kpi") not in VALUED_NOT_SPENT:  # money: saved more, spent less
        saves = finite(ra.get("change")) and ra["change"] < 0
        key = "compare_between_saves" if saves else "compare_between_costs_less"
        return t(key, lang, **names, **values, diff=diff, unc=unc)
    # two rains are no plans: one forecasts more or less, none does better; nor two floods' closures (a bigger
    # flood closing streets for 3 h « fait mieux » than a smaller one closing them all day)
    if no_rain_baseline([ra, rb]) or hazards([ra, rb]):
        key = "compare_between_forecast_more" if hib else "compare_between_forecast_less"
        return t(key, lang, **names, **values, diff=diff, unc=unc)
    return t("compare_between_better", lang, **names, **values, diff=diff, unc=unc)


def _change_clause(a: tuple, b: tuple, lang: str) -> str:
    """What ``a`` (the better of the two) does against ``b`` when each stands on its own baseline
    (:func:`own_baselines`): the two changes compared, the two baselines said. No band: the members'
    pairing is of values on one baseline, not of changes from two."""
    (na, ra, _), (nb, rb, _) = a, b
    unit = str(ra.get("unit", ""))
    ul = unit_label(unit, lang)
    ca, cb = compared_figure(ra, True), compared_figure(rb, True)
    if finite(ra.get("change")) and finite(rb.get("change")):  # 182,6 → 301,4 personnes: +118 as in its cell
        ca, cb = shown_change(ra), shown_change(rb)
    names = {"a": _name(na, lang), "b": _name(nb, lang)}
    figures = {"ca": change_text(ca, unit, lang) + _over(ra, rb, lang), "cb": change_text(cb, unit, lang) + _over(rb, ra, lang),
               "ba": fmt_quantity(float(ra["baseline"]), ul, lang), "bb": fmt_quantity(float(rb["baseline"]), ul, lang)}
    diff = change_text(abs(_shown(ca, unit) - _shown(cb, unit)), unit, lang, signed=False)
    if ca == cb:
        return t("compare_between_same_change", lang, **names, **figures)
    if unit.startswith("€") and ra.get("kpi") not in VALUED_NOT_SPENT and higher_is_better(ra) is False:
        key = "compare_between_saves_change" if ca < 0 else "compare_between_costs_less_change"
        return t(key, lang, **names, **figures, diff=diff)
    return t("compare_between_better_change", lang, **names, **figures, diff=diff)


def between(impact: str, named: Sequence[tuple[str, list[dict], dict | None, tuple | None]],
            lang: str = "fr") -> str:
    """One line comparing two or more variants WITH EACH OTHER on ``impact`` (the verdict's other lines
    compare each with its baseline): on the impact's headline KPI (:func:`headline`), the variants
    from best to worst, each against the next — « « 23h-5h » économise 2 856 €/an de plus que
    « 0h-5h » » —, "pas de différence significative" when their paired difference is within the
    noise, the uncertainty said not estimated when there are no members on common seeds.

    ``named``: (variant name, its rows of the impact, its stranded flags, its member seeds or None).
    "" for fewer than two variants with KPIs of this impact; a line saying nothing sets them apart
    when no KPI differs."""
    named = [n for n in named if n[1]]
    if len(named) < 2:
        return ""
    lead = f"{t(impact, lang)}{t('compare_between_lead', lang)}"
    found = headline(impact, named)

    def joined(items):
        listed = [_name(n[0], lang) for n in items]
        return ", ".join(listed[:-1]) + t("compare_and", lang) + listed[-1] if len(listed) > 1 else listed[0]

    stranding, clear = [n for n in named if n[2]], [n for n in named if not n[2]]
    on_stranded = found is not None and found[0] in STRANDED_KPIS  # ranked on the trips left without a route
    if (found is None or on_stranded) and stranding and len(clear) >= 2 and headline(impact, clear) is not None:
        # the variants that strand no trip ranked among themselves, those that do set aside (one closure that
        # stranded trips left four variants unranked, the planner's real choice between the other two with them).
        # Ranked on the stranded trips alone, the others tied at 0: « « demi-capacité » et « un sens » font
        # pareil (0 trajet) » where their hours at the wheel differed by 1 % against 12 %
        line = between(impact, clear, lang)
        among = between(impact, stranding, lang) if on_stranded and len(stranding) > 1 \
            and headline(impact, stranding) is not None else ""
        if among.startswith(lead):  # the stranding ones ranked among themselves, on what they strand
            return f"{line[:-1]}{t('compare_between_among_stranding', lang)}{among[len(lead):]}"
        aside = t("compare_between_aside" + ("_many" if len(stranding) > 1 else ""), lang, which=joined(stranding))
        return f"{line[:-1]}{aside}."
    if found is None:  # nothing sets them apart, or only KPIs a stranded demand makes unfair to compare
        # the variants that strand demand named: « « A » et « B » ne se comparent pas » blamed both for A's
        key = ("compare_between_unfair" + ("_many" if len(stranding) > 1 else "") if stranding
               else "compare_between_unproven") if _candidates(impact, named, fair=False) else "compare_between_nothing"
        text = t(key, lang, names=joined(named), which=joined(stranding) if stranding else "")
        return f"{lead}{' : ' if lang == 'fr' else ': '}{text}."
    kpi, hib, rows = found
    by_change = own_baselines(rows)
    entries = [(n[0], r, n[3]) for n, r in zip(named, rows, strict=True)]
    ranked = sorted(entries, key=lambda e: -compared_figure(e[1], by_change) if hib else compared_figure(e[1], by_change))
    clauses = [_change_clause(ranked[i], ranked[i + 1], lang) if by_change else _pair_clause(ranked[i], ranked[i + 1], hib, lang)
               for i in range(len(ranked) - 1)]
    sep = " : " if lang == "fr" else ": "
    return f"{lead} ({kpi_label(kpi, '', lang)}){sep}" + (" ; " if lang == "fr" else "; ").join(clauses) + "."


def between_verdicts(named: Sequence[tuple[str, list[dict], dict | None, tuple | None]],
                     lang: str = "fr") -> dict[str, str]:
    """{impact: its line comparing the variants with each other} (see :func:`between`); ``named``:
    (variant name, all its variant rows, its stranded flags, its member seeds or None)."""
    out = {}
    for impact in IMPACTS:
        line = between(impact, [(n, [r for r in rows if r.get("impact") == impact], f, s) for n, rows, f, s in named],
                       lang)
        if line:
            out[impact] = line
    return out
