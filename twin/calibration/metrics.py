"""Goodness-of-fit metrics used to accept or refuse a calibrated model.

Pairs where either series is NaN are left out (and must be counted by the caller's
data-sufficiency check, never silently accepted as a fit).

References
----------
* NSE: Nash, J. E. & Sutcliffe, J. V. (1970). River flow forecasting through
  conceptual models part I. J. Hydrol. 10(3), 282–290.
* KGE: Gupta, H. V., Kling, H., Yilmaz, K. K. & Martinez, G. F. (2009).
  Decomposition of the mean squared error and NSE performance criteria.
  J. Hydrol. 377, 80–91 (r, α = σs/σo, β = μs/μo).
* CV(RMSE), NMBE: ASHRAE Guideline 14-2014, Measurement of Energy, Demand and
  Water Savings, with n − p degrees of freedom (p = number of model parameters).
* GEH: Geoffrey E. Havers' statistic for hourly traffic counts (UK DMRB vol. 12,
  TA 46/97): GEH = sqrt(2 (M − C)² / (M + C)); GEH < 5 is the usual acceptance.
"""

from __future__ import annotations

import numpy as np


def _pairs(observed, simulated) -> tuple[np.ndarray, np.ndarray]:
    o = np.asarray(observed, dtype=float)
    s = np.asarray(simulated, dtype=float)
    if o.shape != s.shape:
        raise ValueError(f"observed and simulated differ in shape: {o.shape} vs {s.shape}")
    ok = np.isfinite(o) & np.isfinite(s)
    if not ok.any():
        raise ValueError("no pair of finite observed/simulated values")
    return o[ok], s[ok]


def nse(observed, simulated) -> float:
    """Nash–Sutcliffe efficiency (−∞, 1]; 1 is a perfect fit, 0 is as good as the observed mean."""
    o, s = _pairs(observed, simulated)
    return float(1.0 - np.sum((s - o) ** 2) / np.sum((o - o.mean()) ** 2))


def kge(observed, simulated) -> tuple[float, float, float, float]:
    """Kling–Gupta efficiency and its components: (KGE, r, α, β)."""
    o, s = _pairs(observed, simulated)
    r = float(np.corrcoef(o, s)[0, 1])
    alpha = float(s.std() / o.std())
    beta = float(s.mean() / o.mean())
    return float(1.0 - np.sqrt((r - 1) ** 2 + (alpha - 1) ** 2 + (beta - 1) ** 2)), r, alpha, beta


def rmse(observed, simulated) -> float:
    """Root-mean-square error, in the unit of the data."""
    o, s = _pairs(observed, simulated)
    return float(np.sqrt(np.mean((s - o) ** 2)))


def cv_rmse(observed, simulated, n_params: int = 0) -> float:
    """Coefficient of variation of the RMSE (fraction), ASHRAE G14 with n − p degrees of freedom."""
    o, s = _pairs(observed, simulated)
    return float(np.sqrt(np.sum((o - s) ** 2) / (len(o) - n_params)) / o.mean())


def nmbe(observed, simulated, n_params: int = 0) -> float:
    """Normalised mean bias error (fraction; positive when the model under-predicts), ASHRAE G14."""
    o, s = _pairs(observed, simulated)
    return float(np.sum(o - s) / ((len(o) - n_params) * o.mean()))


def geh(measured, counted) -> np.ndarray:
    """GEH statistic per pair of hourly flows (veh/h); 0 where both are 0."""
    m = np.asarray(measured, dtype=float)
    c = np.asarray(counted, dtype=float)
    denom = m + c
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, np.sqrt(2.0 * (m - c) ** 2 / np.where(denom > 0, denom, 1.0)), 0.0)
