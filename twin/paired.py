"""Paired comparison of two ensembles run on common random numbers.

Two variants of an ensemble scenario whose member *m* draws the same random numbers (the same
seed: the same true deposit rates of the bins, the same rain and model error of a flood member)
differ, member by member, only by what the variants change. Their member-by-member difference
``d_m = a_m − b_m`` then has the variance ``Var a + Var b − 2 Cov(a, b)``, much smaller than the
``Var a + Var b`` of two independent ensembles when the members of both are positively correlated:
the *common random numbers* variance reduction (Law & Kelton, *Simulation Modeling and Analysis*,
3rd ed., 2000, ch. 11, § 11.2; Glasserman & Yao 1992). A change smaller than the noise of either
ensemble can thus still be told apart from none — and a change that is noise is said to be.

:func:`paired_difference` gives the mean of ``d`` and its 5–95 % band (the spread of the change
over the members: the same kind of band as the ``low``/``high`` of an ensemble's KPI values); the
change is called significant when that band leaves out 0 and the ensembles have at least
:data:`MIN_MEMBERS` members (on fewer, all members of one sign is too likely by chance alone); a band
holding 0 is « no significant difference » from 2 members on. :func:`unpaired_difference` is the band
two independent ensembles would give (every ``a_i − b_j``), the reference the pairing is judged by.

Units: those of the KPI compared (a difference keeps the unit of its terms).
"""

from __future__ import annotations

import numpy as np

from twin.errors import TwinError

QUANTILES = (0.05, 0.95)
"""The band of a change: from its 5th to its 95th percentile over the members."""
MIN_MEMBERS = 5
"""Fewest members a band and a verdict are given for. Below 20 members the 5–95 % band of the order
statistics is the range of the changes, and a change that is only noise (as likely up as down) has all
its n members of one sign — a range leaving out 0, « significant » — with probability 2^(1−n): 50 % on
2 members, 25 % on 3, 12.5 % on 4, 6.25 % on 5. From 5 members that chance is within the 10 % a 5–95 %
band allows (the sign test: Conover, *Practical Nonparametric Statistics*, 3rd ed., 1999, § 3.4); on
fewer, the members are shown but no band and no verdict on the noise."""


class PairedError(TwinError, ValueError):
    """Members that cannot be compared pair by pair; the message says why (in French, as shown)."""


def _members(x, what: str) -> np.ndarray:
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise PairedError(f"{what} : valeurs par membre attendues (des nombres), reçu {str(x)[:60]!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise PairedError(f"{what} : une liste non vide de valeurs par membre attendue, reçu une forme {arr.shape}")
    bad = np.flatnonzero(np.isnan(arr))
    if bad.size:
        raise PairedError(f"{what} : le membre {int(bad[0])} n'a pas de valeur (NaN, {bad.size} membre(s) en tout) ; "
                          "un écart apparié demande une valeur pour chaque membre")
    return arr


def _check_q(q) -> tuple[float, float]:
    try:
        lo, hi = (float(x) for x in q)
    except (TypeError, ValueError):
        raise PairedError(f"bande : deux quantiles attendus (par exemple (0.05, 0.95)), reçu {str(q)[:40]!r}") from None
    if not 0.0 <= lo < hi <= 1.0:
        raise PairedError(f"bande : quantiles 0 ≤ bas < haut ≤ 1 attendus, reçu ({lo:g}, {hi:g})")
    return lo, hi


def _band(d: np.ndarray, q: tuple[float, float]) -> tuple[float, float]:
    # order statistics, no interpolation: a member whose change is infinite (a payback that never
    # comes) stays infinite in the band instead of turning into NaN; on few members the band is the
    # range (min, max), the cautious reading
    lo, hi = np.quantile(d, q, method="inverted_cdf")
    return float(lo), float(hi)


def paired_difference(a_members, b_members, q=QUANTILES) -> tuple[float, float, float, bool | None]:
    """Mean and band of the member-by-member change ``a − b`` of two ensembles on common random numbers.

    Parameters
    ----------
    a_members, b_members : the KPI of variant ``a`` and of the reference ``b`` (the baseline), one value
        per member, **in member order** (member *m* of both drew the same random numbers).
    q : the quantiles of the band (default 5 % and 95 %).

    Returns
    -------
    ``(mean, low, high, significant)``: the mean change, the ``q`` quantiles of the changes (order
    statistics), and whether the band leaves out 0 — ``False`` when ``low ≤ 0 ≤ high`` (no
    significant difference: the change is within the noise), ``None`` when one member, or fewer than
    :data:`MIN_MEMBERS` (5) whose changes are all of one sign, leave it undecided (``low`` and
    ``high`` are NaN then).

    Raises :class:`PairedError` for members of different counts, a member without a value (NaN) or a
    change that is not a number (infinite in both, e.g. two paybacks that never come).

    Reference: common random numbers, Law & Kelton, *Simulation Modeling and Analysis*, ch. 11.
    """
    a = _members(a_members, "variante")
    b = _members(b_members, "référence")
    lo_q, hi_q = _check_q(q)
    if a.size != b.size:
        raise PairedError(f"écart apparié : {a.size} membres pour la variante, {b.size} pour la référence ; "
                          "attendu : les mêmes membres (mêmes graines), dans le même ordre")
    with np.errstate(invalid="ignore"):
        d = a - b
    if np.isnan(d).any():
        m = int(np.flatnonzero(np.isnan(d))[0])
        raise PairedError(f"écart apparié : au membre {m} les deux valeurs sont infinies ({a[m]:g} et {b[m]:g}), "
                          "leur écart n'est pas un nombre")
    return _judged(d, lo_q, hi_q, members=d.size)


def _judged(d: np.ndarray, lo_q: float, hi_q: float, members: int) -> tuple[float, float, float, bool | None]:
    """(mean, low, high, significant) of the changes ``d`` from ensembles of ``members`` members: a band
    holding 0 is « no significant difference » from 2 members on (members of both signs cannot tell a
    change from none); a band leaving 0 out is a verdict only from :data:`MIN_MEMBERS` on — below, no
    band and no verdict."""
    mean = float(d.mean())
    if members < 2:
        return mean, float("nan"), float("nan"), None
    low, high = _band(d, (lo_q, hi_q))
    if low <= 0.0 <= high:
        return mean, low, high, False
    if members < MIN_MEMBERS:
        return mean, float("nan"), float("nan"), None
    return mean, low, high, True


def unpaired_difference(a_members, b_members, q=QUANTILES) -> tuple[float, float, float, bool | None]:
    """The same as :func:`paired_difference` for two *independent* ensembles: the band of every
    ``a_i − b_j`` (all pairs), what the change would look like without common random numbers.

    Member counts may differ. The reference the paired band is measured against (it should be narrower
    when the members of ``a`` and ``b`` are positively correlated)."""
    a = _members(a_members, "variante")
    b = _members(b_members, "référence")
    lo_q, hi_q = _check_q(q)
    with np.errstate(invalid="ignore"):
        d = (a[:, None] - b[None, :]).ravel()
    if np.isnan(d).any():
        raise PairedError("écart : des valeurs infinies dans les deux ensembles, leur écart n'est pas un nombre")
    return _judged(d, lo_q, hi_q, members=min(a.size, b.size))
