"""Verification of forecasts against what happened: ensembles, thresholds and flood peaks.

References
----------
* CRPS: Hersbach, H. (2000). Decomposition of the continuous ranked probability score for ensemble
  prediction systems. Weather and Forecasting 15, 559–570; Gneiting, T. & Raftery, A. E. (2007).
  Strictly proper scoring rules, prediction, and estimation. JASA 102, 359–378. On the ensemble's
  empirical distribution; in the unit of the data, lower is better, equal to the absolute error for a
  one-member forecast.
* Rank histogram: Hamill, T. M. (2001). Interpretation of rank histograms for verifying ensemble
  forecasts. Monthly Weather Review 129, 550–560 (ties between the observation and members broken at
  random, seeded).
* Contingency scores of a threshold (alert level): hits, misses, false alarms; probability of
  detection POD = hits / (hits + misses), false-alarm ratio FAR = false alarms / (hits + false alarms),
  critical success index CSI = hits / (hits + misses + false alarms) (Jolliffe, I. T. & Stephenson,
  D. B. 2012, Forecast Verification, 2nd ed., Wiley, ch. 3).
"""

from __future__ import annotations

import numpy as np


def crps_ensemble(observed, members) -> np.ndarray:
    """CRPS of each ensemble forecast (``members``: (case, member)) against its observation (case,), for the
    ensemble's empirical distribution: CRPS = E|X − y| − ½ E|X − X′| (Gneiting & Raftery 2007, eq. 21), the
    second term from the sorted members, ½ E|X − X′| = Σᵢ (2i − m − 1) x₍ᵢ₎ / m² (i = 1 … m).

    Written out rather than taken from ``scoringrules``, which gives the same values (the tests compare them)
    but compiles its kernels for 5 s at import, a cost every ``twin hydro replay`` would pay."""
    o = np.asarray(observed, float)
    m = np.asarray(members, float)
    if m.ndim != 2 or m.shape[0] != o.shape[0]:
        raise ValueError(f"members must be (case, member) with {o.shape[0]} cases; got {m.shape}")
    n = m.shape[1]
    spread = np.sort(m, axis=1) @ (2.0 * np.arange(1, n + 1) - n - 1) / n ** 2
    return np.abs(m - o[:, None]).mean(axis=1) - spread


def rank_histogram(observed, members, *, seed: int = 0) -> np.ndarray:
    """Counts of the observation's rank among the members (m + 1 bins; a flat histogram is a reliable
    ensemble, a U shape an under-dispersed one). Cases with a missing observation are left out; ties are
    broken uniformly at random (Hamill 2001)."""
    o = np.asarray(observed, float)
    m = np.asarray(members, float)
    ok = np.isfinite(o)
    o, m = o[ok], m[ok]
    below = (m < o[:, None]).sum(axis=1)
    ties = (m == o[:, None]).sum(axis=1)
    rng = np.random.default_rng(seed)
    rank = below + np.floor(rng.random(len(o)) * (ties + 1)).astype(int)
    return np.bincount(rank, minlength=m.shape[1] + 1)


def contingency(observed, forecast, threshold: float) -> dict:
    """Hits, misses, false alarms and correct negatives of "above ``threshold``", with POD, FAR and CSI
    (NaN when undefined: no event observed, no alarm raised)."""
    o = np.asarray(observed, float)
    f = np.asarray(forecast, float)
    ok = np.isfinite(o) & np.isfinite(f)
    obs_yes, fc_yes = o[ok] >= threshold, f[ok] >= threshold
    hits = int((obs_yes & fc_yes).sum())
    misses = int((obs_yes & ~fc_yes).sum())
    false_alarms = int((~obs_yes & fc_yes).sum())
    negatives = int((~obs_yes & ~fc_yes).sum())

    def ratio(a, b):
        return a / b if b else float("nan")

    return {"hits": hits, "misses": misses, "false_alarms": false_alarms, "correct_negatives": negatives,
            "pod": ratio(hits, hits + misses), "far": ratio(false_alarms, hits + false_alarms),
            "csi": ratio(hits, hits + misses + false_alarms)}


def flood_peaks(observed, threshold: float, separation: int) -> np.ndarray:
    """Indices of independent flood peaks: steps above ``threshold`` that are the largest value within
    ± ``separation`` steps (one peak per flood; the earliest of equal values)."""
    q = np.asarray(observed, float)
    filled = np.where(np.isfinite(q), q, -np.inf)
    n = len(q)
    peaks = []
    for i in np.flatnonzero(filled >= threshold):
        lo, hi = max(0, i - separation), min(n, i + separation + 1)
        window = filled[lo:hi]
        if filled[i] == window.max() and lo + int(np.argmax(window)) == i:
            peaks.append(i)
    return np.asarray(peaks, dtype=int)


def peak_errors(observed, forecast, peaks, window: int) -> dict:
    """Per observed peak, the forecast's largest value within ± ``window`` steps: the mean relative peak
    error (forecast − observed)/observed, its mean absolute value, and the mean timing error in steps
    (positive: the forecast peaks late). ``forecast`` is aligned with ``observed`` (NaN where no forecast
    is valid); peaks without any forecast in their window are left out and not counted."""
    o = np.asarray(observed, float)
    f = np.asarray(forecast, float)
    rel, timing = [], []
    for i in np.asarray(peaks, int):
        lo, hi = max(0, i - window), min(len(o), i + window + 1)
        seg = f[lo:hi]
        if not np.isfinite(seg).any():
            continue
        j = lo + int(np.nanargmax(seg))
        rel.append((f[j] - o[i]) / o[i])
        timing.append(j - i)
    if not rel:
        return {"peaks": 0, "peak_error": float("nan"), "peak_abs_error": float("nan"), "peak_timing": float("nan")}
    return {"peaks": len(rel), "peak_error": float(np.mean(rel)), "peak_abs_error": float(np.mean(np.abs(rel))),
            "peak_timing": float(np.mean(timing))}
