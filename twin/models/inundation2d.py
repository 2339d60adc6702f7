"""A 2D shallow-water solver of the local-inertial kind on a regular grid (LISFLOOD-FP scheme).

Bates, P. D., Horritt, M. S. & Fewtrell, T. J. (2010). A simple inertial formulation of
the shallow water equations for efficient two-dimensional flood inundation modelling.
J. Hydrol. 387, 33–45 — with the semi-implicit friction term of their eq. 11 and the
adaptive step of their eq. 12 (α = 0.5: at their upper value 0.7 a strong point inflow
in 2D keeps oscillating) — stabilised as in de Almeida, G. A. M., Bates, P.,
Freer, J. E. & Souvignet, M. (2012), Improving the stability of a simple formulation of the
shallow water equations for 2-D flood modeling, Water Resour. Res. 48, W05528 (their eq. 9,
θ = 0.7: the previous flux is a weighted mean of the face and its two neighbours along the
flow direction; θ = 1 is Bates et al. 2010). Cell-face discharges per unit width q (m²/s):

    q⁺ = (θ q + (1 − θ)/2 (q₋ + q₊) − g h_f Δt ∂η/∂x) / (1 + g Δt n² |q| / h_f^(7/3))

with h_f = max(η) − max(z) across the face, continuity on each cell, buildings as
blocked cells (no flow across their faces), Manning's n per cell (face value: the mean),
point or area inflows (m³/s), and free outflow where the domain mask ends (water that
leaves the active cells is counted, so mass is balanced to round-off). A cell whose
outflows would take more than it holds in one step has all of them scaled down by the
same factor (positivity without capping the velocity).

Checked against Manning's normal depth on an inclined channel (to 1e-9 m) and on the ARR
Project 15 Merewether urban flood (observed peak stages within 0.06 m on average, 0.11 m
at worst: ``tests/test_inundation.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numba import njit

G = 9.81


@njit(cache=True)
def _step(z, h, qx, qy, n, active, src, dt, dx, hmin, theta):  # pragma: no cover - numba
    ny, nx = h.shape
    qx0 = qx.copy()  # the fluxes of the previous step, for the θ-weighted inertia term
    qy0 = qy.copy()
    # x faces: between (i, j) and (i, j + 1)
    for i in range(ny):
        for j in range(nx - 1):
            if not (active[i, j] and active[i, j + 1]):
                qx[i, j] = 0.0
                continue
            e1 = z[i, j] + h[i, j]
            e2 = z[i, j + 1] + h[i, j + 1]
            hf = max(e1, e2) - max(z[i, j], z[i, j + 1])
            if hf <= hmin:
                qx[i, j] = 0.0
                continue
            nf = 0.5 * (n[i, j] + n[i, j + 1])
            q = qx0[i, j]
            ql = qx0[i, j - 1] if j > 0 else q
            qr = qx0[i, j + 1] if j < nx - 2 else q
            q = (theta * q + 0.5 * (1.0 - theta) * (ql + qr) - G * hf * dt * (e2 - e1) / dx) \
                / (1.0 + G * dt * nf * nf * abs(q) / hf ** (7.0 / 3.0))
            qx[i, j] = q
    for i in range(ny - 1):
        for j in range(nx):
            if not (active[i, j] and active[i + 1, j]):
                qy[i, j] = 0.0
                continue
            e1 = z[i, j] + h[i, j]
            e2 = z[i + 1, j] + h[i + 1, j]
            hf = max(e1, e2) - max(z[i, j], z[i + 1, j])
            if hf <= hmin:
                qy[i, j] = 0.0
                continue
            nf = 0.5 * (n[i, j] + n[i + 1, j])
            q = qy0[i, j]
            qd = qy0[i - 1, j] if i > 0 else q
            qu = qy0[i + 1, j] if i < ny - 2 else q
            q = (theta * q + 0.5 * (1.0 - theta) * (qd + qu) - G * hf * dt * (e2 - e1) / dx) \
                / (1.0 + G * dt * nf * nf * abs(q) / hf ** (7.0 / 3.0))
            qy[i, j] = q
    # Positivity: a cell cannot give more than it holds in one step. Where its outflows over the step
    # exceed its volume, all of them are scaled down by the same factor (each face has one donor, so
    # this stays conservative). A per-face cap would instead bound the velocity (q ≤ h Δx / (4 Δt) is
    # a Froude number of 1/(4α) ≈ 0.36 at the adaptive step) and hold water back on steep ground.
    for i in range(ny):
        for j in range(nx):
            out = 0.0
            if j > 0 and qx[i, j - 1] < 0:
                out -= qx[i, j - 1]
            if j < nx - 1 and qx[i, j] > 0:
                out += qx[i, j]
            if i > 0 and qy[i - 1, j] < 0:
                out -= qy[i - 1, j]
            if i < ny - 1 and qy[i, j] > 0:
                out += qy[i, j]
            avail = h[i, j] * dx / dt
            if out > avail:
                f = avail / out
                if j > 0 and qx[i, j - 1] < 0:
                    qx[i, j - 1] *= f
                if j < nx - 1 and qx[i, j] > 0:
                    qx[i, j] *= f
                if i > 0 and qy[i - 1, j] < 0:
                    qy[i - 1, j] *= f
                if i < ny - 1 and qy[i, j] > 0:
                    qy[i, j] *= f
    hmax = 0.0
    for i in range(ny):
        for j in range(nx):
            if not active[i, j]:
                continue
            dq = 0.0
            if j > 0:
                dq += qx[i, j - 1]
            if j < nx - 1:
                dq -= qx[i, j]
            if i > 0:
                dq += qy[i - 1, j]
            if i < ny - 1:
                dq -= qy[i, j]
            h[i, j] = max(0.0, h[i, j] + dt * (dq / dx + src[i, j]))
            if h[i, j] > hmax:
                hmax = h[i, j]
    return hmax


@njit(cache=True)
def _drain(h, sink, dx):  # pragma: no cover - numba
    out = 0.0
    ny, nx = h.shape
    for i in range(ny):
        for j in range(nx):
            if sink[i, j] and h[i, j] > 0:
                out += h[i, j] * dx * dx
                h[i, j] = 0.0
    return out


@dataclass
class InundationResult:
    """Maximum depth and stage over the run, final depth, and the water balance (m³)."""

    max_depth: np.ndarray
    max_stage: np.ndarray
    depth: np.ndarray
    volume_in_m3: float
    volume_out_m3: float
    volume_stored_m3: float
    steps: int
    seconds: float

    @property
    def mass_error(self) -> float:
        """Relative water-balance error: (in − out − stored) / in."""
        return (self.volume_in_m3 - self.volume_out_m3 - self.volume_stored_m3) / max(self.volume_in_m3, 1e-12)


def simulate(z: np.ndarray, dx: float, *, manning: np.ndarray, inflow_m3s: np.ndarray, duration_s: float,
             blocked: np.ndarray | None = None, sink: np.ndarray | None = None, alpha: float = 0.5,
             hmin: float = 1e-3, dt_max: float = 1.0, theta: float = 0.7) -> InundationResult:
    """Run the local-inertial model from a dry start for ``duration_s`` seconds.

    Parameters
    ----------
    z : bed elevation (m), NaN outside the data
    dx : cell size (m)
    manning : Manning's n per cell (s m^-1/3)
    inflow_m3s : inflow per cell (m³/s), e.g. a total spread over the cells of a circle
    blocked : cells where water cannot go (buildings)
    sink : active cells where water leaves the domain (free outflow); default: the
        active cells on the edge of the active area
    alpha : Courant number of the adaptive step Δt = α Δx / √(g h_max) (Bates et al. 2010 eq. 12)
    theta : weight of a face's own previous flux (de Almeida et al. 2012); 1 is Bates et al. (2010),
        which oscillates on steep urban ground
    """
    t0 = time.perf_counter()
    z = np.asarray(z, float)
    active = np.isfinite(z)
    if blocked is not None:
        active &= ~blocked
    if sink is None:
        inner = active.copy()
        inner[1:-1, 1:-1] = active[1:-1, 1:-1] & active[:-2, 1:-1] & active[2:, 1:-1] & active[1:-1, :-2] & \
            active[1:-1, 2:]
        inner[[0, -1], :] = False
        inner[:, [0, -1]] = False
        sink = active & ~inner
    zf = np.where(active, z, 0.0)
    h = np.zeros_like(zf)
    qx = np.zeros((z.shape[0], z.shape[1] - 1))
    qy = np.zeros((z.shape[0] - 1, z.shape[1]))
    src = np.where(active, inflow_m3s, 0.0) / (dx * dx)
    max_depth = np.zeros_like(zf)
    t, steps, out, hmax = 0.0, 0, 0.0, 0.0
    while t < duration_s:
        dt = min(dt_max, alpha * dx / np.sqrt(G * max(hmax, hmin)), duration_s - t)
        hmax = _step(zf, h, qx, qy, manning, active, src, dt, dx, hmin, theta)
        out += _drain(h, sink, dx)
        np.maximum(max_depth, h, out=max_depth)
        t += dt
        steps += 1
    vin = float(np.where(active, inflow_m3s, 0.0).sum() * duration_s)
    return InundationResult(max_depth, np.where(active, zf + max_depth, np.nan), h, vin, out,
                            float(h.sum() * dx * dx), steps, time.perf_counter() - t0)
