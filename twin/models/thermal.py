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

Forecasting: :func:`forecast` uses only what is known at its origin — Ti measured then, the
envelope temperature estimated from the day before (:func:`estimate_envelope`), outdoor
temperature by persistence of the last 24 h (or a given forecast) and a *planned* heating: by
default the model's own thermostat aiming at the indoor temperature of the same hours one week
earlier (a weekly timer's schedule, inferred, not measured). :func:`hindcast` runs the same model
on the measured outdoor temperature and heating power of the horizon — perfect inputs, and a
thermostat's measured power carries information about the very Ti being predicted: it is not a
forecast. On a real building (darkgreybox, fitted on 21 days, judged on the 7 held-out days):
forecast 0.28 K, "same hour of the previous week" 0.32 K, the hindcast 0.31 K; planning the
power as last week's measured power instead of the thermostat gives 0.35 K (does not beat it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numba import njit
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


@njit(cache=True)
def _thermostat(Ad, Bd, ta, sp, occupied_sp, gains_kw, max_kw, ti0, te0, lookahead):  # pragma: no cover - numba
    n = ta.shape[0]
    x0, x1 = ti0, te0
    ti = np.empty(n)
    power = np.empty(n)
    for k in range(n):
        target = sp[k]
        # Optimum start: heat now at full power if waiting an hour would miss the next occupied setpoint.
        if lookahead > 0 and not occupied_sp[k] > -1e300:
            for h in range(1, lookahead + 1):
                if k + h >= n:
                    break
                if occupied_sp[k + h] > -1e300 and occupied_sp[k + h] > target:
                    y0, y1 = x0, x1
                    for j in range(k + 1, k + h + 1):  # waiting this hour, then full power until occupancy
                        p = 0.0 if j == k + 1 else max_kw
                        z0 = Ad[0, 0] * y0 + Ad[0, 1] * y1 + Bd[0, 0] * ta[j - 1] + Bd[0, 1] * (p + gains_kw)
                        z1 = Ad[1, 0] * y0 + Ad[1, 1] * y1 + Bd[1, 0] * ta[j - 1] + Bd[1, 1] * (p + gains_kw)
                        y0, y1 = z0, z1
                    if y0 < occupied_sp[k + h]:
                        target = occupied_sp[k + h]
                    break
        free = Ad[0, 0] * x0 + Ad[0, 1] * x1 + Bd[0, 0] * ta[k] + Bd[0, 1] * gains_kw
        pk = (target - free) / Bd[0, 1]
        pk = min(max(pk, 0.0), max_kw)
        n0 = Ad[0, 0] * x0 + Ad[0, 1] * x1 + Bd[0, 0] * ta[k] + Bd[0, 1] * (pk + gains_kw)
        n1 = Ad[1, 0] * x0 + Ad[1, 1] * x1 + Bd[1, 0] * ta[k] + Bd[1, 1] * (pk + gains_kw)
        x0, x1 = n0, n1
        ti[k] = x0
        power[k] = pk
    return ti, power


def simulate_setpoints(p: RCParams, ta_c, setpoint_c, *, max_power_kw: float, ti0: float, te0: float,
                       dt_h: float = 1.0, gains_kw: float = 0.0, occupied_setpoint_c=None,
                       optimum_start_h: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Thermostat control: (indoor temperature at the end of each step, heating power of each step, kW).

    ``gains_kw``: constant internal and solar gains to the air node. With ``optimum_start_h`` > 0
    and the ``occupied_setpoint_c`` series, heating starts, up to that many steps ahead, as late as
    it can while still reaching the occupied setpoint in time (what a BMS's optimum start does).
    """
    Ad, Bd = discretise(p, dt_h)
    ta = np.ascontiguousarray(ta_c, dtype=np.float64)
    sp = np.ascontiguousarray(setpoint_c, dtype=np.float64)
    occ = sp if occupied_setpoint_c is None else np.ascontiguousarray(occupied_setpoint_c, dtype=np.float64)
    return _thermostat(Ad, Bd, ta, sp, occ, float(gains_kw), float(max_power_kw), float(ti0), float(te0),
                       int(optimum_start_h))


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


def estimate_envelope(p: RCParams, ta_c, ph_kw, ti_c, dt_h: float = 1.0) -> float:
    """Envelope temperature Te (°C) at the end of a window of measured indoor temperature.

    Te is never measured; over the window Ti(k) = a_k + b_k·Te(0) (the model is linear, Ti(0)
    measured), so Te(0) follows from least squares in closed form and is carried to the window's
    end — a moving-horizon estimate of the hidden state, with no noise model to tune.
    """
    Ad, Bd = discretise(p, dt_h)
    ta, ph, ti = (np.asarray(v, float) for v in (ta_c, ph_kw, ti_c))
    xa = np.array([ti[0], 0.0])  # response to the inputs, Te(0) = 0
    xb = np.array([0.0, 1.0])  # response to Te(0) = 1
    a, b = np.empty(len(ti)), np.empty(len(ti))
    for k in range(len(ti)):
        a[k], b[k] = xa[0], xb[0]
        xa = Ad @ xa + Bd @ np.array([ta[k], ph[k]])
        xb = Ad @ xb
    te0 = float(((ti - a) * b).sum() / (b * b).sum()) if (b * b).sum() > 0 else float(ti[0])
    return float((xa + te0 * xb)[1])


def hindcast(p: RCParams, ta_c, ph_kw, ti_c, start: int, horizon: int, *, window_h: int = 24,
             dt_h: float = 1.0) -> np.ndarray:
    """Hindcast (perfect inputs): indoor temperature of steps ``start`` … ``start + horizon − 1`` from
    Ti measured at ``start``, Te estimated from the ``window_h`` steps before, and the MEASURED outdoor
    temperature and heating power of the horizon.

    Not a forecast: neither input is known in advance, and a thermostat's measured power reacts to
    the indoor temperature being predicted. Use it to judge the model's physics, :func:`forecast` to
    judge a forecast.
    """
    ta, ph, ti = (np.asarray(v, float) for v in (ta_c, ph_kw, ti_c))
    te = _envelope_at(p, ta, ph, ti, start, window_h, dt_h)
    return simulate(p, ta[start:start + horizon], ph[start:start + horizon], float(ti[start]), te, dt_h)


def _envelope_at(p, ta, ph, ti, start, window_h, dt_h) -> float:
    s = max(start - int(window_h), 0)
    return estimate_envelope(p, ta[s:start], ph[s:start], ti[s:start], dt_h) if start > s else float(ti[start]) - 2.0


def forecast(p: RCParams, ta_c, ph_kw, ti_c, start: int, horizon: int, *, ta_forecast=None, ph_plan=None,
             setpoint_c=None, max_power_kw: float | None = None, gains_kw: float = 0.0, week_h: int = 168,
             window_h: int = 24, dt_h: float = 1.0) -> np.ndarray:
    """Indoor temperature (°C) of steps ``start`` … ``start + horizon − 1``, forecast at step ``start``.

    Reads only what is known at ``start``: ``ta_c`` and ``ph_kw`` before it, ``ti_c`` up to it
    (the arrays are cut there first, so nothing later can leak in). Te is estimated from the
    ``window_h`` steps before (:func:`estimate_envelope`). Inputs over the horizon:

    * outdoor temperature: ``ta_forecast`` (°C, one per step) when given, else persistence —
      the last 24 h repeated;
    * heating: ``ph_plan`` (kW, a planned power per step) when given; else the model's thermostat
      (:func:`simulate_setpoints`, at most ``max_power_kw``, default the largest power measured
      so far) on ``setpoint_c`` when given, else on the indoor temperature measured at the same
      hours ``week_h`` steps earlier — the schedule of a weekly timer, inferred from what it
      achieved last week.
    """
    start, horizon = int(start), int(horizon)
    ta = np.asarray(ta_c, float)[:start]
    ph = np.asarray(ph_kw, float)[:start]
    ti = np.asarray(ti_c, float)[:start + 1]
    if len(ti) <= start:
        raise ValueError(f"forecast origin {start}: no indoor temperature measured there ({len(ti)} steps)")
    te = _envelope_at(p, ta, ph, ti, start, window_h, dt_h)
    if ta_forecast is not None:
        ta_f = np.asarray(ta_forecast, float)
        if len(ta_f) < horizon:
            raise ValueError(f"ta_forecast has {len(ta_f)} steps for a horizon of {horizon}")
        ta_f = ta_f[:horizon]
    else:
        day = int(round(24 / dt_h))
        if start < day:
            raise ValueError(f"persistence of outdoor temperature needs {day} steps before the origin ({start} given)")
        ta_f = np.resize(ta[start - day:start], horizon)
    if ph_plan is not None:
        ph_f = np.asarray(ph_plan, float)
        if len(ph_f) < horizon:
            raise ValueError(f"ph_plan has {len(ph_f)} steps for a horizon of {horizon}")
        return simulate(p, ta_f, ph_f[:horizon], float(ti[start]), te, dt_h)
    if setpoint_c is not None:
        sp = np.asarray(setpoint_c, float)[:horizon]
    else:
        if start < week_h or horizon > week_h:
            raise ValueError(f"a setpoint schedule from the previous week needs {week_h} steps of history and a "
                             f"horizon of at most {week_h} (origin {start}, horizon {horizon})")
        # sp[k] is the target at the END of step k, i.e. the Ti measured at step k + 1 a week earlier
        sp = ti[start - week_h + 1:start - week_h + 1 + horizon]
    pmax = float(max_power_kw) if max_power_kw is not None else float(np.nanmax(ph)) if len(ph) else 0.0
    _, power = simulate_setpoints(p, ta_f, sp, max_power_kw=pmax, ti0=float(ti[start]), te0=te, dt_h=dt_h,
                                  gains_kw=gains_kw)
    return simulate(p, ta_f, power + gains_kw, float(ti[start]), te, dt_h)
