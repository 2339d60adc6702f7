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

from twin.app.cards import judge
from twin.app.i18n import fmt_number, kpi_label, t
from twin.outcome import IMPACTS

BAND = (5.0, 95.0)
"""The percentiles of an uncertainty band (the outcomes' 5–95 %)."""


def finite(x) -> bool:
    """A number that is neither infinite nor NaN (None, text and booleans are not)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def pct_change(value, reference) -> float | None:
    """Change of ``value`` against ``reference`` in % of the reference's size (``(v − r) / |r| × 100``);
    None when either is not a finite number or the reference is 0 (a % of nothing says nothing)."""
    if not (finite(value) and finite(reference)) or reference == 0:
        return None
    return 100.0 * (float(value) - float(reference)) / abs(float(reference))


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
    return (float(lo), float(hi)) if finite(lo) and finite(hi) else None


def pair_band(row_a: dict | None, seeds_a, row_b: dict | None, seeds_b) -> tuple[float, float] | None:
    """The 5–95 % band of ``b − a`` for one KPI of two saved variants run on the same member seeds
    (paired member by member); None when either lacks members or their seeds differ (then the two
    ensembles are not paired and no band of their difference is claimed)."""
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


def row_status(row: dict, flagged: dict | None = None) -> str:
    """What a variant's row says against its baseline: "better", "worse", "same" (no change), "noise"
    (a change within its paired 5–95 % band: pas de différence significative) or "" (no verdict)."""
    if finite(row.get("change")) and row["change"] == 0:
        return "same"
    if significant(change_band(row)) is False:
        return "noise"
    return judge(row, flagged)


def _name(name: str, lang: str) -> str:
    return f"« {name} »" if lang == "fr" else f"“{name}”"


def _kpi_text(row: dict, lang: str) -> str:
    """A KPI and its change in % (or in its unit when the % is not a number), for a verdict."""
    from twin.app.i18n import fmt_quantity, unit_label  # noqa: PLC0415

    pct = row.get("change_pct")
    pct = pct if finite(pct) else pct_change(row.get("value"), row.get("baseline"))
    change = fmt_number(pct, lang, signed=True) + "\u00a0%" if finite(pct) else \
        fmt_quantity(row.get("change"), unit_label(row.get("unit", ""), lang), lang, signed=True)
    return f"{kpi_label(row['kpi'], '', lang)} {change}"


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
        score[name] = n["better"] - n["worse"]
        total = len(rows)

        def largest(kind):
            chosen = [r for r, s in zip(rows, status, strict=True) if s == kind]
            key = [abs(pct_change(r.get("value"), r.get("baseline")) or 0.0) for r in chosen]
            return _kpi_text(chosen[int(np.argmax(key))], lang) if chosen else ""

        def ind(k):  # French: "sur 1 indicateur sur 4"; English counts the total: "on 1 of 4 indicators"
            return t("compare_indicator" if k == 1 else "compare_indicators", lang)

        if n["better"] and not n["worse"]:
            text = t("compare_verdict_better", lang, n=n["better"], total=total, kpi=largest("better"),
                     ind=ind(n["better"] if lang == "fr" else total))
        elif n["worse"] and not n["better"]:
            text = t("compare_verdict_worse", lang, n=n["worse"], total=total, kpi=largest("worse"),
                     ind=ind(n["worse"] if lang == "fr" else total))
        elif n["better"] and n["worse"]:
            text = t("compare_verdict_mixed", lang, better=n["better"], worse=n["worse"], total=total,
                     kpi_better=largest("better"), kpi_worse=largest("worse"), ind=ind(n["better"]))
        elif n["noise"]:
            text = t("compare_verdict_noise", lang)
        elif n["same"] == total:
            text = t("compare_verdict_same", lang)
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
    if len(ranked) >= 2 and ranked[0][1] > ranked[1][1] and ranked[0][1] > 0:
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
