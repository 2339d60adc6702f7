"""Litter bins, their sensors and the collection rounds, as a discrete-event simulation (SimPy).

Processes (SimPy's processes-as-generators; time unit: the hour, from the season's start):

* **one process per bin**: deposits arrive as a seeded stochastic stream — hourly volumes
  Gamma(k = 2, mean = rate · w(hour of week)), zero while the bin is closed; the process sleeps
  until the moment its content reaches capacity (an *overflow* starts: what is deposited from then
  on is spilt on the ground — litter) and is woken (interrupted) by the truck that empties it;
* **the depot**: at the start of each shift it asks the policy which bins to collect, solves the
  rounds as a VRP on street-graph distances (:mod:`twin.models.vehicle_routing`) and sends the trucks;
* **one process per truck round**: drive, empty, drive…; when the load would exceed the truck's
  capacity the truck goes back to the depot to unload and returns (the extra kilometres count).

Day-to-day variation: with ``day_log_sd`` > 0 each bin's deposits of each day are scaled by a
lognormal factor of mean 1 (weather, events, a busy Saturday): the hourly Gamma draws alone vary
far less from one collection to the next than real bins do.

Sensors report the level every ``sensor_period_h`` hours with noise and can fail (a failure lasts
an exponential time); the depot reads the last report before its decision. Reports are evaluated
when the depot reads them rather than as events of their own — the result is the same and a year
of hourly reports from 1,000 bins would otherwise be nine million events.

Policies: ``fixed`` (every bin on round days), ``threshold`` (bins whose last report is at least
``threshold_pct``; a bin whose sensor is down is collected), ``predictive`` (bins whose expected level
at the next round, from the last report and the *forecast* rates, reaches ``threshold_pct``). The
forecast rates are an input (``forecast_rates``: what a calibrated fill model predicts), never the
simulation's own deposit rates: a planner does not know the true rates of the season it plans.

A round that cannot be planned at all (a chosen bin left out of every route, a bin the trucks cannot
reach) stops the simulation with :class:`WasteModelError`, naming the day: a collection service that
silently never drives would report zero kilometres. A plan that breaks the trucks' limits (PyVRP's
``feasible`` flag false: more load than the trucks carry, or rounds longer than the shift) is still
driven — the trucks go back to unload, the crew works over — and is counted
(``WasteResult.rounds_beyond_limits``) so the scenario reports it.

Compaction: a compacting bin holds ``compaction`` times its volume of deposits (solar compacting
bins: 5–7× a 120 l bin's capacity, manufacturer figures quoted by the 2023 observatory).

Conservation (tested): deposits = in bins at the end + collected at the depot + in trucks + litter
(+ deposited into closed bins, which goes to the ground too and is counted as litter).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import simpy

from twin.errors import TwinError
from twin.models.vehicle_routing import RoutingError, solve_rounds

POLICIES = ("fixed", "threshold", "predictive")


class WasteModelError(TwinError, ValueError):
    """Invalid inputs to the bin simulation; the message names the bin or parameter."""


@dataclass
class BinSpec:
    """One bin. ``rate_l_per_h``: mean deposit volume per hour over a week; ``weights``: the 168
    hour-of-week weights (mean 1, Monday 00h first); ``closed``: (start h, end h) windows."""

    id: str
    capacity_l: float
    rate_l_per_h: float
    weights: np.ndarray
    compaction: float = 1.0
    sensor: bool = True
    closed: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Fleet:
    """Trucks and their street-graph metrics over (depot, bin 0, bin 1, …)."""

    distance_m: np.ndarray
    time_s: np.ndarray
    trucks: int = 2
    capacity_l: float = 3000.0
    shift_start_h: float = 6.0
    shift_h: float = 7.0
    service_s: float = 60.0
    solver: str = "pyvrp"
    solver_time_s: float = 0.5
    solver_stall_iterations: int | None = 300  # PyVRP stops early once stalled this long


@dataclass
class Policy:
    kind: str = "fixed"
    round_weekdays: tuple[int, ...] = (0, 2, 4)  # Monday = 0
    threshold_pct: float = 80.0

    def __post_init__(self):
        if self.kind not in POLICIES:
            raise WasteModelError(f"unknown collection policy {self.kind!r} (one of {POLICIES})")
        if not self.round_weekdays or any(d not in range(7) for d in self.round_weekdays):
            raise WasteModelError(f"round weekdays must be in 0 (Monday)…6, at least one (got {self.round_weekdays})")
        if not 0 < self.threshold_pct <= 100:
            raise WasteModelError(f"threshold must be in (0, 100] % (got {self.threshold_pct})")


@dataclass
class Sensors:
    period_h: float = 1.0
    noise_pct: float = 2.0
    failures_per_year: float = 1.0
    mean_failure_days: float = 7.0


@dataclass
class WasteResult:
    """Ledger (l), overflow events, rounds and per-bin statistics of one simulation."""

    hours: float
    ledger: dict[str, float]
    overflow_events: int
    overflow_bin_hours: float
    rounds: list[dict]
    per_bin: dict[str, np.ndarray]
    collections: int
    round_days: int = 0  # days the trucks went out
    rounds_beyond_limits: int = 0  # of those, days whose plan broke the trucks' capacity or shift
    fill_mean_pct: np.ndarray | None = None  # per hour: mean fill of the bins (% of their room)
    full_share_pct: np.ndarray | None = None  # per hour: share of the bins that are full (%)

    @property
    def truck_km(self) -> float:
        return sum(r["distance_m"] for r in self.rounds) / 1000.0

    @property
    def truck_hours(self) -> float:
        return sum(r["duration_s"] for r in self.rounds) / 3600.0


class WasteSim:
    """Build with bins, a fleet, a policy, sensors, the season (start weekday/hour, days) and a seed;
    :meth:`run` returns a :class:`WasteResult`."""

    def __init__(self, bins: list[BinSpec], fleet: Fleet, policy: Policy, sensors: Sensors | None = None, *,
                 days: int = 28, start_slot: int = 0, seed: int = 0, forecast_rates: np.ndarray | None = None,
                 day_log_sd: float = 0.0):
        _validate(bins, fleet, days)
        self.bins, self.fleet, self.policy = bins, fleet, policy
        self.sensors = sensors or Sensors()
        self.hours = int(days * 24)
        self.start_slot = int(start_slot)
        n = len(bins)
        # one stream per bin and purpose, keyed by the bin's id: a variant that adds or removes bins
        # leaves every other bin's deposits, sensor noise and failures as they were (common random
        # numbers between variants; Law & Kelton, Simulation Modeling and Analysis, §11.2)
        streams = [_bin_streams(seed, b.id) for b in bins]
        slots = (self.start_slot + np.arange(self.hours)) % 168
        mean = np.array([b.rate_l_per_h * b.weights[slots] for b in bins])
        if not (np.isfinite(day_log_sd) and day_log_sd >= 0):
            raise WasteModelError(f"day_log_sd must be a finite sd ≥ 0 (got {day_log_sd})")
        if day_log_sd > 0:
            days_n = -(-self.hours // 24)
            day_factor = np.exp(day_log_sd * np.array([st["day"].standard_normal(days_n) for st in streams]).reshape(n, days_n)
                                - day_log_sd ** 2 / 2)
            mean = mean * day_factor[:, np.arange(self.hours) // 24]
        self.deposits = np.array([st["deposits"].gamma(2.0, m / 2.0 + 1e-12) for st, m in zip(streams, mean, strict=True)]
                                 ).reshape(n, self.hours)  # (bins, hours), l
        self.into_closed = np.zeros(n)
        for i, b in enumerate(bins):
            for lo, hi in b.closed:
                h = np.arange(max(int(lo), 0), min(int(np.ceil(hi)), self.hours))
                self.into_closed[i] += self.deposits[i, h].sum()
                self.deposits[i, h] = 0.0
        self.cum = np.concatenate([np.zeros((n, 1)), np.cumsum(self.deposits, axis=1)], axis=1)
        self.room = np.array([b.capacity_l * b.compaction for b in bins])
        if policy.kind == "predictive":
            if forecast_rates is None:
                raise WasteModelError("the predictive policy needs forecast_rates (l/h per bin, from a calibrated "
                                      "fill model): it must not plan from the simulation's true deposit rates")
            forecast_rates = np.asarray(forecast_rates, float)
            if forecast_rates.shape != (n,) or not np.isfinite(forecast_rates).all() or (forecast_rates < 0).any():
                raise WasteModelError(f"forecast_rates: {n} finite rates ≥ 0 l/h expected, got {forecast_rates!r}")
        self.forecast_rates = forecast_rates
        readings = self.hours // max(int(self.sensors.period_h), 1) + 2
        self.noise = np.array([st["noise"].normal(0, self.sensors.noise_pct, readings) for st in streams]).reshape(n, readings)
        self.down = [_failure_windows(st["failures"], self.hours, self.sensors) if b.sensor else [(0.0, np.inf)]
                     for st, b in zip(streams, bins, strict=True)]
        self._route_cache: dict[frozenset, object] = {}

    # --- the content of a bin ------------------------------------------------------------------
    def _cum_at(self, i: int, t: float) -> float:
        h = min(int(t), self.hours - 1)
        return self.cum[i, h] + (min(t, self.hours) - h) * self.deposits[i, h]

    def _time_reaching(self, i: int, volume: float) -> float:
        """First time the cumulative deposits of bin i reach ``volume`` (inf if never this season)."""
        h = int(np.searchsorted(self.cum[i], volume, side="left"))
        if h > self.hours:
            return np.inf
        h = max(h - 1, 0)
        rate = self.deposits[i, h]
        return h + (volume - self.cum[i, h]) / rate if rate > 0 else float(h + 1)

    def level_l(self, i: int, t: float) -> float:
        """Content (l of deposits) of bin i at time t."""
        return min(self._cum_at(i, t) - self._cum_at(i, self.emptied_at[i]), self.room[i])

    def fill_pct_hourly(self) -> np.ndarray:
        """(bins, hours): each bin's content at the start of every hour, % of its room, from the
        deposits and the times the trucks emptied it (after :meth:`run`)."""
        t = np.arange(self.hours, dtype=float)
        out = np.empty((len(self.bins), self.hours))
        for i in range(len(self.bins)):
            emptied = np.asarray(self.emptied_log[i], float)
            last = np.searchsorted(emptied, t, side="right") - 1
            since = np.where(last >= 0, emptied[np.maximum(last, 0)] if len(emptied) else 0.0, 0.0)
            out[i] = np.minimum(self._cum_at_many(i, t) - self._cum_at_many(i, since), self.room[i])
        return 100.0 * out / self.room[:, None]

    def _cum_at_many(self, i: int, t: np.ndarray) -> np.ndarray:
        """Vectorised :meth:`_cum_at`."""
        h = np.minimum(t.astype(int), self.hours - 1)
        return self.cum[i, h] + (np.minimum(t, self.hours) - h) * self.deposits[i, h]

    # --- processes -----------------------------------------------------------------------------
    def _bin(self, env, i):
        while True:
            t_full = self._time_reaching(i, self._cum_at(i, self.emptied_at[i]) + self.room[i])
            try:
                if t_full >= self.hours:
                    yield env.timeout(self.hours - env.now + 1)  # past the end: nothing more happens
                    return
                yield env.timeout(max(t_full - env.now, 0.0))
                self.full_since[i] = t_full
                self.overflow_events += 1
                yield env.event()  # full: wait for the truck
            except simpy.Interrupt:
                continue

    def _reading_pct(self, i: int, t: float) -> float:
        """The bin's last sensor report before t (NaN when its sensor is down or absent)."""
        period = self.sensors.period_h
        t_rep = np.floor(t / period) * period
        if any(lo <= t_rep < hi for lo, hi in self.down[i]):
            return np.nan
        k = int(t_rep / period)
        pct = 100.0 * self.level_l(i, t_rep) / self.room[i] + self.noise[i, k % self.noise.shape[1]]
        return float(np.clip(pct, 0.0, 100.0))

    def _next_round_in_h(self, t: float) -> float:
        day = int(t // 24)
        for d in range(1, 8):
            if (self.start_weekday + day + d) % 7 in self.policy.round_weekdays:
                return d * 24.0
        return 7 * 24.0

    def _choose(self, t: float) -> list[int]:
        n = len(self.bins)
        if self.policy.kind == "fixed":
            return list(range(n))
        pct = np.array([self._reading_pct(i, t) for i in range(n)])
        if self.policy.kind == "threshold":
            return [i for i in range(n) if np.isnan(pct[i]) or pct[i] >= self.policy.threshold_pct]
        horizon = self._next_round_in_h(t)
        slots = (self.start_slot + int(t) + np.arange(int(horizon))) % 168
        expected = np.array([self.forecast_rates[i] * self.bins[i].weights[slots].sum() for i in range(n)])
        future = pct + 100.0 * expected / self.room
        return [i for i in range(n) if np.isnan(future[i]) or future[i] >= self.policy.threshold_pct]

    def _plan(self, chosen: list[int], t: float):
        key = frozenset(chosen) if self.policy.kind == "fixed" else None
        if key is not None and key in self._route_cache:
            return self._route_cache[key]
        idx = np.r_[0, np.asarray(chosen) + 1]
        D = self.fleet.distance_m[np.ix_(idx, idx)]
        T = self.fleet.time_s[np.ix_(idx, idx)]
        # the expected load: the bin's content now (a planner's estimate: level, not deposits)
        demand = np.array([min(self.level_l(i, t) / self.bins[i].compaction, self.fleet.capacity_l)
                           for i in chosen]) if self.policy.kind != "fixed" else \
            np.array([min(self.bins[i].capacity_l, self.fleet.capacity_l) * 0.5 for i in chosen])
        try:
            plan = solve_rounds(D, T, demand, self.fleet.capacity_l, vehicles=self.fleet.trucks,
                                shift_s=self.fleet.shift_h * 3600, service_s=self.fleet.service_s,
                                solver=self.fleet.solver, time_limit_s=self.fleet.solver_time_s,
                                no_improvement=self.fleet.solver_stall_iterations)
        except RoutingError as exc:
            raise WasteModelError(f"day {int(t // 24)}: {exc}") from None
        visited = sorted(s for r in plan.routes for s in r)
        if visited != list(range(len(chosen))):
            raise WasteModelError(f"day {int(t // 24)}: the collection rounds leave {len(chosen) - len(set(visited))} "
                                  f"of the {len(chosen)} chosen bins unvisited (solver {plan.solver})")
        plan.routes = [[chosen[s] for s in r] for r in plan.routes]
        if key is not None:
            self._route_cache[key] = plan
        return plan

    def _depot(self, env):
        day = 0
        while day * 24 + self.fleet.shift_start_h < self.hours:
            t = day * 24 + self.fleet.shift_start_h
            yield env.timeout(t - env.now)
            if (self.start_weekday + day) % 7 in self.policy.round_weekdays:
                chosen = self._choose(t)
                if chosen:
                    plan = self._plan(chosen, t)
                    self.round_days += 1
                    self.rounds_beyond_limits += not plan.feasible
                    for route in plan.routes:
                        env.process(self._truck(env, route, day))
            day += 1

    def _truck(self, env, route: list[int], day: int):
        F = self.fleet
        token = object()  # this round's own key in the trucks' ledger
        self.in_trucks_l[token] = 0.0
        here, load, dist, dur = 0, 0.0, 0.0, 0.0
        for i in route:
            stop = i + 1
            travel = F.time_s[here, stop]
            dist += F.distance_m[here, stop]
            yield env.timeout(travel / 3600 + F.service_s / 3600)
            dur += travel + F.service_s
            content = self.level_l(i, env.now)
            volume = content / self.bins[i].compaction
            if load + volume > F.capacity_l:  # full truck: unload at the depot and come back
                dist += F.distance_m[stop, 0] + F.distance_m[0, stop]
                extra = F.time_s[stop, 0] + F.time_s[0, stop]
                yield env.timeout(extra / 3600)
                dur += extra
                self.ledger["collected"] += self.in_trucks_l[token]
                self.in_trucks_l[token] = 0.0
                load = 0.0
                content = self.level_l(i, env.now)  # the bin kept filling while the truck was away
                volume = content / self.bins[i].compaction
            self._empty(env, i, content)
            self.in_trucks_l[token] += content
            load += volume
            here = stop
        dist += F.distance_m[here, 0]
        yield env.timeout(F.time_s[here, 0] / 3600)
        dur += F.time_s[here, 0]
        self.ledger["collected"] += self.in_trucks_l.pop(token)
        self.rounds.append({"day": day, "stops": len(route), "distance_m": float(dist), "duration_s": float(dur)})

    def _empty(self, env, i: int, content: float):  # noqa: ARG002 - content is what the truck took
        t = env.now
        if self.full_since[i] is not None:
            self.overflow_hours[i] += t - self.full_since[i]
            self.full_since[i] = None
        self.litter_l[i] += max(self._cum_at(i, t) - self._cum_at(i, self.emptied_at[i]) - self.room[i], 0.0)
        self.emptied_at[i] = t
        self.emptied_log[i].append(t)
        self.collections[i] += 1
        self.procs[i].interrupt()

    def run(self, start_weekday: int | None = None) -> WasteResult:
        n = len(self.bins)
        self.start_weekday = self.start_slot // 24 if start_weekday is None else start_weekday
        self.emptied_at = np.zeros(n)
        self.full_since: list[float | None] = [None] * n
        self.overflow_hours = np.zeros(n)
        self.litter_l = np.zeros(n)
        self.collections = np.zeros(n, int)
        self.emptied_log: list[list[float]] = [[] for _ in range(n)]
        self.overflow_events = 0
        self.round_days = 0
        self.rounds_beyond_limits = 0
        self.rounds: list[dict] = []
        self.in_trucks_l: dict[object, float] = {}
        self.ledger = {"collected": 0.0}
        env = simpy.Environment()
        self.procs = [env.process(self._bin(env, i)) for i in range(n)]
        env.process(self._depot(env))
        env.run(until=self.hours)
        end = float(self.hours)
        for i in range(n):  # close the books at the end of the season
            if self.full_since[i] is not None:
                self.overflow_hours[i] += end - self.full_since[i]
            self.litter_l[i] += max(self._cum_at(i, end) - self._cum_at(i, self.emptied_at[i]) - self.room[i], 0.0)
        in_bins = np.array([self.level_l(i, end) for i in range(n)])
        ledger = {"deposited": float(self.cum[:, -1].sum() + self.into_closed.sum()),
                  "in_bins": float(in_bins.sum()), "collected": self.ledger["collected"],
                  "in_trucks": float(sum(self.in_trucks_l.values())),
                  "litter": float(self.litter_l.sum() + self.into_closed.sum())}
        fill = self.fill_pct_hourly()
        return WasteResult(hours=end, ledger=ledger, overflow_events=self.overflow_events,
                           overflow_bin_hours=float(self.overflow_hours.sum()), rounds=self.rounds,
                           per_bin={"overflow_hours": self.overflow_hours, "litter_l": self.litter_l + self.into_closed,
                                    "collections": self.collections, "in_bin_l": in_bins},
                           collections=int(self.collections.sum()), round_days=self.round_days,
                           rounds_beyond_limits=self.rounds_beyond_limits, fill_mean_pct=fill.mean(axis=0),
                           full_share_pct=100.0 * (fill >= 100.0 - 1e-9).mean(axis=0))


STREAMS = ("day", "deposits", "noise", "failures")


def _bin_streams(seed: int, bin_id: str) -> dict[str, np.random.Generator]:
    """The random streams of one bin, keyed by the run's seed and the bin's id (its CRC-32: stable
    across processes, unlike ``hash``), one per purpose so a draw of one never shifts another."""
    key = zlib.crc32(str(bin_id).encode("utf-8"))
    return {name: np.random.default_rng([seed, key, k]) for k, name in enumerate(STREAMS)}


def _failure_windows(rng, hours: int, s: Sensors) -> list[tuple[float, float]]:
    n = rng.poisson(s.failures_per_year * hours / 8760.0)
    starts = np.sort(rng.uniform(0, hours, n))
    return [(float(a), float(a + rng.exponential(s.mean_failure_days * 24))) for a in starts]


def _validate(bins: list[BinSpec], fleet: Fleet, days: int) -> None:
    if not bins:
        raise WasteModelError("no bin to simulate")
    if days <= 0:
        raise WasteModelError(f"the season must last at least one day (got {days})")
    if fleet.capacity_l <= 0:
        raise WasteModelError(f"truck capacity must be positive (got {fleet.capacity_l} l)")
    if fleet.trucks < 1:
        raise WasteModelError(f"at least one truck is needed (got {fleet.trucks})")
    n = len(bins) + 1
    if fleet.distance_m.shape != (n, n) or fleet.time_s.shape != (n, n):
        raise WasteModelError(f"fleet matrices must be {n}×{n} (depot + {len(bins)} bins), "
                              f"got {fleet.distance_m.shape}")
    for name, M in (("distance_m", fleet.distance_m), ("time_s", fleet.time_s)):
        bad = ~np.isfinite(M) | (M < 0)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise WasteModelError(f"fleet {name}[{i}, {j}] is {float(M[i, j])}: every drive between the depot (0) and "
                                  f"the bins must be a finite, non-negative number")
    for b in bins:
        if b.capacity_l <= 0:
            raise WasteModelError(f"bin {b.id}: capacity must be positive (got {b.capacity_l} l)")
        if b.rate_l_per_h < 0 or not np.isfinite(b.rate_l_per_h):
            raise WasteModelError(f"bin {b.id}: deposit rate must be ≥ 0 l/h (got {b.rate_l_per_h})")
        if b.compaction < 1:
            raise WasteModelError(f"bin {b.id}: compaction factor must be ≥ 1 (got {b.compaction})")
        if len(b.weights) != 168:
            raise WasteModelError(f"bin {b.id}: 168 hour-of-week weights expected (got {len(b.weights)})")
