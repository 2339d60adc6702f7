"""A small RC thermal network of a building (3R2C: "TiTe" with a direct air path), exact in time, for heating schedules.

States: indoor air Ti and envelope/thermal mass Te (°C); inputs: outdoor air Ta (°C) and
heating power Ph (kW). With capacities C (kWh/K) and resistances R (K/kW), time in hours:

    Ci dTi/dt = (Te − Ti)/Rie + (Ta − Ti)/Ria + Ph
    Ce dTe/dt = (Ti − Te)/Rie + (Ta − Te)/Rea

(Bacher & Madsen 2011, "Identifying suitable models for the heat dynamics of buildings",
Energy and Buildings 43, 1511–1522: their TiTe model with a direct air path Ria —
ventilation and windows — to the outside). Inputs are held over
each step and the system is integrated exactly (zero-order hold, matrix exponential), so the
model is stable for any step — unlike explicit Euler with R·C below the step.

A thermostat: :func:`simulate_setpoints` gives each step the power that brings Ti to the
setpoint by the end of the step (solved exactly from the discrete model), clipped to
[0, max power] — so preheating and recovery times come out of the physics.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.linalg import expm


@dataclass(frozen=True)
class RCParams:
    """Ci, Ce in kWh/K; Rie, Rea, Ria in K/kW."""

    ci: float
    ce: float
    rie: float
    rea: float
    ria: float

    @property
    def ua_kw_per_k(self) -> float:
        """Overall heat-loss coefficient (kW/K) at steady state: 1/(Rie + Rea) + 1/Ria."""
        return 1.0 / (self.rie + self.rea) + 1.0 / self.ria

    def as_dict(self) -> dict:
        return asdict(self)


def discretise(p: RCParams, dt_h: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact zero-order-hold matrices (Ad, Bd) for a step of ``dt_h`` hours; inputs (Ta, Ph)."""
    A = np.array([[-1 / (p.rie * p.ci) - 1 / (p.ria * p.ci), 1 / (p.rie * p.ci)],
                  [1 / (p.rie * p.ce), -1 / (p.rie * p.ce) - 1 / (p.rea * p.ce)]])
    B = np.array([[1 / (p.ria * p.ci), 1 / p.ci], [1 / (p.rea * p.ce), 0.0]])
    M = np.zeros((4, 4))
    M[:2, :2], M[:2, 2:] = A * dt_h, B * dt_h
    E = expm(M)
    return E[:2, :2], E[:2, 2:]


def simulate(p: RCParams, ta_c, ph_kw, ti0: float, te0: float, dt_h: float = 1.0) -> np.ndarray:
    """Indoor temperature (°C) at the start of each step, from given heating power."""
    Ad, Bd = discretise(p, dt_h)
    ta, ph = np.asarray(ta_c, float), np.asarray(ph_kw, float)
    x = np.array([ti0, te0])
    out = np.empty(len(ta))
    for k in range(len(ta)):
        out[k] = x[0]
        x = Ad @ x + Bd @ np.array([ta[k], ph[k]])
    return out


def simulate_setpoints(p: RCParams, ta_c, setpoint_c, *, max_power_kw: float, ti0: float, te0: float,
                       dt_h: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Thermostat control: (indoor temperature at the end of each step, heating power of each step)."""
    Ad, Bd = discretise(p, dt_h)
    ta, sp = np.asarray(ta_c, float), np.asarray(setpoint_c, float)
    x = np.array([ti0, te0])
    ti, power = np.empty(len(ta)), np.empty(len(ta))
    for k in range(len(ta)):
        free = Ad[0] @ x + Bd[0, 0] * ta[k]
        pk = min(max((sp[k] - free) / Bd[0, 1], 0.0), max_power_kw)
        x = Ad @ x + Bd @ np.array([ta[k], pk])
        ti[k], power[k] = x[0], pk
    return ti, power


def fit_rc(ta_c, ph_kw, ti_c, dt_h: float = 1.0) -> tuple[RCParams, float, dict]:
    """Calibrate the 2R2C model on measured indoor temperature (output error, least squares).

    Returns (parameters, initial envelope temperature, fit statistics with the RMSE in K).
    """
    from scipy.optimize import least_squares  # noqa: PLC0415

    ta, ph, ti = (np.asarray(v, float) for v in (ta_c, ph_kw, ti_c))

    def unpack(th):
        return RCParams(*np.exp(th[:5])), th[5]

    def resid(th):
        p, te0 = unpack(th)
        return simulate(p, ta, ph, ti[0], te0, dt_h) - ti

    best = None
    for ci, ce in ((1.0, 10.0), (5.0, 50.0), (20.0, 200.0)):
        x0 = np.r_[np.log([ci, ce, 0.5, 5.0, 5.0]), ti[0] - 2.0]
        r = least_squares(resid, x0, method="trf", x_scale="jac")
        if best is None or r.cost < best.cost:
            best = r
    p, te0 = unpack(best.x)
    rmse = float(np.sqrt(np.mean(best.fun ** 2)))
    return p, float(te0), {"rmse_k": rmse, "n": len(ti)}
