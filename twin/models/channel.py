"""Stage from discharge where no gauge gives a rating curve: uniform flow (Manning) in a compound section —
a rectangular main channel and a floodplain rising at a constant cross slope on both banks, the section
the synthetic height-above-nearest-drainage floodplain of :mod:`twin.models.inundation` describes.

Manning's formula (Chow, *Open-Channel Hydraulics*, 1959, eq. 5-6): Q = (1/n) · A · R^(2/3) · S^(1/2) with
A the wetted area [m²], R = A / P the hydraulic radius [m] (P the wetted perimeter), S the energy slope
(taken as the bed slope: uniform flow) and n Manning's roughness [s/m^(1/3)]. The section is divided by
vertical lines at the banks (the divided-channel method, Chow 1959 §6-8: a single section's hydraulic radius
collapses when the water spreads thinly on the banks, and its discharge then *falls* as the water rises),
each part carrying its own Manning discharge, the dividing lines counted in no perimeter. For a water depth h
above the channel's bed:

* the channel (width W, bank height b): A = W·h, P = W + 2·min(h, b);
* each floodplain, when h > b, its ground rising 1 m every 1 / ``cross_slope`` m away from the bank: a
  triangle of water, A = (h − b)² / (2·cross_slope), P = (h − b) √(1 + 1/cross_slope²), roughness
  n × ``floodplain_n_factor`` (1.5 by default: grass, hedges and walls are rougher than a channel's bed —
  Chow's table 5-6 puts floodplains at 0.03–0.1 against 0.025–0.06 for natural channels; project assumption).

Q(h) increases with h, so the depth of a discharge is found by bisection, all members at once.
"""

from __future__ import annotations

import numpy as np


def compound_discharge_m3s(depth_m, width_m, manning_n, slope, bank_m, cross_slope,
                           floodplain_n_factor: float = 1.5) -> np.ndarray:
    """[m³/s] uniform-flow discharge at water depth ``depth_m`` [m] of the divided compound section (module
    docstring); every argument broadcasts (one value per member)."""
    h = np.maximum(np.asarray(depth_m, float), 0.0)
    root_s = np.sqrt(slope)

    def manning(area, perimeter, n):
        radius = np.where(perimeter > 0, area / np.maximum(perimeter, 1e-12), 0.0)
        return area * radius ** (2.0 / 3.0) * root_s / n

    channel = manning(width_m * h, width_m + 2 * np.minimum(h, bank_m), manning_n)
    over = np.maximum(h - bank_m, 0.0)
    plain = manning(over ** 2 / (2 * cross_slope), over * np.sqrt(1 + 1 / np.asarray(cross_slope) ** 2),
                    manning_n * floodplain_n_factor)
    return channel + 2 * plain


def compound_depth_m(discharge_m3s, width_m, manning_n, slope, bank_m, cross_slope, *, tol_m: float = 1e-3) -> np.ndarray:
    """[m] the water depth that carries ``discharge_m3s`` [m³/s] in uniform flow (bisection to ``tol_m``);
    ``discharge_m3s`` is (member, step) or (member,), the section's parameters one value per member; NaN where
    the discharge is not a finite number."""
    q_in = np.asarray(discharge_m3s, float)
    bad = ~np.isfinite(q_in)
    q = np.where(bad, 0.0, q_in)  # no depth for a flow that is not a number: NaN out, and no endless bracket
    shape = (-1,) + (1,) * (q.ndim - 1)
    params = [np.asarray(p, float).reshape(shape) if np.ndim(p) else float(p)
              for p in (width_m, manning_n, slope, bank_m, cross_slope)]
    lo = np.zeros_like(q)
    hi = np.ones_like(q)
    while True:  # a bracket: double the top until it carries the flow
        short = compound_discharge_m3s(hi, *params) < q
        if not short.any():
            break
        hi = np.where(short, 2 * hi, hi)
    while (hi - lo).max(initial=0.0) > tol_m:
        mid = 0.5 * (lo + hi)
        below = compound_discharge_m3s(mid, *params) < q
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return np.where(bad, np.nan, 0.5 * (lo + hi))


__all__ = ["compound_depth_m", "compound_discharge_m3s"]
