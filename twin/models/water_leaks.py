"""Leak detection from SCADA: a minimum-night-flow baseline and pressure-residual detection with
localisation (issue 22).

**Minimum night flow** (the utilities' own method: Lambert, *Assessing non-residential consumption and
leakage in DMAs*, IWA Water Loss 2001; Farley & Trow, *Losses in Water Distribution Networks*, 2003):
each night the network's net inflow over its two quietest hours (learnt on the training days: 02–04 h
in a town of households) — reservoir outflows minus what the tanks stored, :func:`net_inflow` — is
compared with the same weekday's night of a leak-free training period; ``persist`` nights in a row
more than ``rise`` above it raise an alarm at the end of the last one. It says *that* water is
lost, not *where*.

**Pressure residuals** (after LILA: Daniel, Pesantez, Letzgus, Fasaee, Alghamdi, Berglund, Mahinthakumar
& Cominola, *A sequential pressure-based algorithm for data-driven leakage identification and
model-based localization in water distribution networks*, J. Water Resour. Plann. Manage. 148(6),
2022): on hourly means, every pressure sensor is predicted from every other by a straight line fitted
on the training period, p_i ≈ a_ij + b_ij·p_j; a leak lowers the pressures near it more than the
others, so the *mean reconstruction error* MRE_i = mean_j (p_i − a_ij − b_ij·p_j) falls at the sensors
near it. A one-sided CUSUM (Page 1954) of each sensor's standardised MRE, with reference ``k`` and
threshold ``h``, raises the alarm; the leak is placed at the sensor whose MRE fell most over the last
day. After an alarm the offsets are learnt again on the next ``relearn_days`` (the leak may go on:
the detector then looks for the *next* change), during which no alarm is raised.

Both return :class:`Detection` in time order. Neither uses anything after the time it reports.

**Thresholds.** ``rise`` = 5 % and ``h`` = 12 are the lowest of those tried (rise 5/10/15 %; h 4, 6, 8,
10, 12, 20, 40) that raised no alarm on a SYNTHETIC *leak-free* year of L-Town
(:mod:`twin.synthetic.water_scada`, seed 1); h = 10 raised 8 there. They were not chosen on the leak
year the benchmark scores (``benchmarks/bench_water.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Detection:
    """A leak reported at ``time`` (the first time the data showed it), near ``node`` when localised."""

    time: pd.Timestamp
    method: str
    confidence: float
    node: str | None = None

    def as_dict(self) -> dict:
        return {"start": self.time.isoformat(), "node": self.node, "method": self.method,
                "confidence": round(self.confidence, 3)}


def net_inflow(flows: pd.DataFrame, levels: pd.DataFrame | None, reservoir_links: dict[str, float],
               tank_areas: dict[str, float]) -> pd.Series:
    """What the network's consumers and leaks drew [m³/h]: the flows on the links out of reservoirs
    (``reservoir_links``: link → +1 or −1, the sign that makes the flow leave the reservoir), minus the
    water the tanks stored (``tank_areas`` [m²] × the rate of change of their level)."""
    missing = [link for link in reservoir_links if link not in flows.columns]
    if missing:
        raise ValueError(f"the night flow needs the flow out of every reservoir: no flow sensor on {missing}")
    total = sum(flows[link] * sign for link, sign in reservoir_links.items())
    for tank, area in tank_areas.items():
        if levels is None or tank not in levels.columns:
            raise ValueError(f"the night flow needs the level of tank {tank!r} (it stores and gives back water)")
        hours = levels.index.to_series().diff().dt.total_seconds() / 3600
        total = total - area * levels[tank].diff() / hours
    return total.rename("net_inflow_m3_h")


def quietest_hours(inflow: pd.Series, days: int, width_h: int = 2) -> tuple[int, int]:
    """The ``width_h`` hours of the day with the least mean net inflow over the first ``days`` days: the
    "night" of the minimum night flow (at 02–04 h in a town of households, elsewhere where use differs)."""
    first = inflow[inflow.index < inflow.index[0] + pd.Timedelta(days=days)]
    by_hour = first.groupby(first.index.hour).mean().reindex(range(24))
    means = [by_hour.iloc[h:h + width_h].mean() for h in range(24 - width_h + 1)]
    start = int(np.nanargmin(means))
    return start, start + width_h


def night_flows(inflow: pd.Series, night: tuple[int, int] = (2, 4)) -> pd.Series:
    """Mean net inflow of each night between ``night`` hours [m³/h], indexed by the night's end time."""
    hours = inflow.index.hour
    window = inflow[(hours >= night[0]) & (hours < night[1])]
    nightly = window.groupby(window.index.normalize()).mean()
    nightly.index = nightly.index + pd.Timedelta(hours=night[1])
    return nightly


def night_flow_detections(inflow: pd.Series, *, train_days: int = 7, rise: float = 0.05, persist: int = 2,
                          relearn_days: int = 7, night: tuple[int, int] | None = None) -> list[Detection]:
    """Minimum-night-flow alarms (no localisation): ``persist`` nights in a row above the same weekday's
    reference night × (1 + ``rise``). Night use follows the week (a Saturday night is not a Tuesday's),
    so each night is compared with the training nights of its weekday (their median). ``night``: the
    hours compared (default: the two quietest of the training days, :func:`quietest_hours`)."""
    nightly = night_flows(inflow, night or quietest_hours(inflow, train_days)).dropna()
    values, times = nightly.to_numpy(), nightly.index
    weekday = times.day_of_week.to_numpy()
    out: list[Detection] = []

    def reference(first: int, last: int) -> dict[int, float]:
        window = slice(first, last)
        return {int(d): float(np.median(values[window][weekday[window] == d])) for d in set(weekday[window])}

    ref = reference(0, train_days)
    above, i = 0, train_days
    while i < len(values):
        base = ref.get(int(weekday[i]))
        ratio = values[i] / base - 1.0 if base else 0.0
        above = above + 1 if ratio > rise else 0
        if above >= persist:
            out.append(Detection(times[i], "night-flow", float(min(1.0, ratio / (2 * rise)))))
            if i + 1 + relearn_days > len(values):
                break
            ref = reference(i + 1, i + 1 + relearn_days)  # the new normal: learnt on the next nights
            i, above = i + 1 + relearn_days, 0
            continue
        i += 1
    return out


def _pair_lines(train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares lines p_i ≈ a_ij + b_ij·p_j of every ordered pair of columns (diagonal 0)."""
    mean = train.mean(axis=0)
    centred = train - mean
    cov = centred.T @ centred / len(train)
    var = np.diag(cov).copy()
    var[var <= 0] = np.inf  # a constant sensor predicts nothing
    b = cov / var[None, :]
    np.fill_diagonal(b, 0.0)
    a = mean[:, None] - b * mean[None, :]
    np.fill_diagonal(a, 0.0)
    return a, b


def reconstruction_errors(pressures: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MRE over (time, sensor): each sensor minus the mean of its predictions from the others."""
    n = pressures.shape[1]
    predicted = (a.sum(axis=1)[None, :] + pressures @ b.T) / (n - 1)
    return pressures - predicted


def pressure_detections(pressures: pd.DataFrame, *, train_days: int = 7, k: float = 0.5, h: float = 12.0,
                        relearn_days: int = 7) -> list[Detection]:
    """Pressure-residual alarms, each placed at a sensor node (the columns of ``pressures``, in m)."""
    hourly = pressures.resample("1h").mean().dropna()
    if hourly.shape[1] < 3:
        raise ValueError(f"pressure residuals need at least 3 pressure sensors (got {hourly.shape[1]})")
    values, times = hourly.to_numpy(), hourly.index
    train_end = times[0] + pd.Timedelta(days=train_days)
    train = values[times < train_end]
    if len(train) < 48:
        raise ValueError(f"pressure residuals need {train_days} days of training data (got {len(train)} hours)")
    a, b = _pair_lines(train)
    mre = reconstruction_errors(values, a, b)
    train_mre = mre[: len(train)]
    mu, sigma = train_mre.mean(axis=0), np.maximum(train_mre.std(axis=0), 1e-6)
    out: list[Detection] = []
    cusum = np.zeros(values.shape[1])
    t = len(train)
    while t < len(values):
        z = (mre[t] - mu) / sigma
        cusum = np.maximum(0.0, cusum - z - k)  # a fall of the residual accumulates
        if cusum.max() > h:
            day = slice(max(0, t - 23), t + 1)
            drop = ((mre[day] - mu) / sigma).mean(axis=0)
            where = int(np.argmin(drop))
            # an hour's mean is known at the hour's end: that is when the alarm can be raised
            out.append(Detection(times[t] + pd.Timedelta(hours=1), "pressure", float(min(1.0, cusum.max() / (2 * h))),
                                 str(hourly.columns[where])))
            relearn = slice(t + 1, t + 1 + 24 * relearn_days)
            if len(mre[relearn]) >= 24:
                mu = mre[relearn].mean(axis=0)
            cusum[:] = 0.0
            t += 1 + 24 * relearn_days
            continue
        t += 1
    return out


# --- labels: a leak state at every time step (LeakDB's scoring; leaks there are repaired) ---------------

def pressure_labels(pressures: pd.DataFrame, *, train_days: int = 7, threshold: float = 3.0,
                    window_h: int = 6) -> pd.Series:
    """Leak (True) or not at each time of ``pressures``: some sensor's standardised reconstruction error,
    averaged over the last ``window_h`` hours, below −``threshold``. Each time gets the state of the last
    whole hour before it (nothing later is used); the training days are labelled False."""
    hourly = pressures.resample("1h").mean().dropna()
    values, times = hourly.to_numpy(), hourly.index
    train = values[times < times[0] + pd.Timedelta(days=train_days)]
    if len(train) < 48 or values.shape[1] < 3:
        raise ValueError("pressure labels need 3 sensors or more and two days of training data at least")
    a, b = _pair_lines(train)
    mre = reconstruction_errors(values, a, b)
    mu, sigma = mre[: len(train)].mean(axis=0), np.maximum(mre[: len(train)].std(axis=0), 1e-6)
    z = pd.DataFrame((mre - mu) / sigma, index=times).rolling(window_h, min_periods=window_h).mean()
    state = (z.min(axis=1) < -threshold).to_numpy().copy()
    state[: len(train)] = False
    ended = pd.Series(state, index=times + pd.Timedelta(hours=1))  # an hour's mean is known at its end
    return ended.reindex(pressures.index, method="ffill").fillna(False).astype(bool)


def night_flow_labels(inflow: pd.Series, *, train_days: int = 7, rise: float = 0.05, persist: int = 2,
                      night: tuple[int, int] | None = None) -> pd.Series:
    """Leak (True) or not at each time of ``inflow``: the last ``persist`` nights each more than ``rise``
    above their weekday's training night, known from the end of the last night on (``night`` as in
    :func:`night_flow_detections`)."""
    nightly = night_flows(inflow, night or quietest_hours(inflow, train_days)).dropna()
    weekday = nightly.index.day_of_week
    train = nightly.iloc[:train_days]
    reference = train.groupby(train.index.day_of_week).median()
    ratio = nightly / reference.reindex(weekday).to_numpy() - 1.0
    above = (ratio > rise).astype(int).rolling(persist, min_periods=persist).sum() >= persist
    above.iloc[:train_days] = False
    return above.reindex(inflow.index, method="ffill").fillna(False).astype(bool)
