"""Drivers searching for a parking space, as agents (mesa) on the drive graph.

The model follows PARKAGENT's driver (Benenson, Martens & Birfir 2008, *PARKAGENT: an agent-based model
of parking in the city*, Computers, Environment and Urban Systems 32(6); Levy, Martens & Benenson 2013,
*Exploring cruising using agent-based and analytical models of parking*, Transportmetrica A 9(9)):

* a driver arrives with a destination, a stay and the most it will pay per hour; it enters the
  territory's street graph :attr:`SearchRules.search_from_m` (network distance) from its destination,
  where its search begins;
* it drives, edge after edge, and sees only the spaces of the kerb it drives along (and a car park's
  when it reaches its entrance); it takes the first free space it accepts: a price it will pay and a
  walk to its destination within its current tolerance, which grows the longer it searches
  (PARKAGENT's drivers accept farther spaces as the search drags on);
* at each junction it heads towards its destination while the destination is beyond its tolerance,
  and, once there, circles among the streets within it, avoiding the streets it just drove (bounded
  memory), with a random preference between equally good streets;
* a driver with **guidance** (a connected app fed by bay sensors) drives to the nearest free space the
  sensors see (within its tolerance and price) instead of circling; it searches like the others when
  the sensors see none;
* after :attr:`SearchRules.give_up_min` of search, a driver gives up (drives away), counted apart.

Time advances in steps of :attr:`SearchRules.step_s`; each step the searching drivers move in a random
order (mesa's ``shuffle_do``: who takes the last space is not decided by creation order); parked cars
leave at the end of their stay. A search's cost is what it adds to a straight drive to the destination:
in time (:meth:`Driver.lost_s`) and in distance (:attr:`Driver.excess_m`). Arrivals and their draws, the
cars there at the start (kerb by kerb) and the drivers' choices come from separate random streams, so
that a variant of the supply meets the same drivers as its baseline (common random numbers). Every arriving driver is, at every step, searching, parked, gone after
parking, or gave up (:meth:`ParkingModel.counts`); a space holds one car (a count per kerb, never above
its spaces). Same seed, same result.

The supply (spaces per kerb and car park, prices, sensors) comes from
:mod:`twin.scenarios.parking_supply`; distances are along the drive graph (walks on its undirected form).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import mesa
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

SEARCHING, PARKED, LEFT, GAVE_UP = "searching", "parked", "left", "gave_up"


@dataclass(frozen=True)
class SearchRules:
    """The drivers' behaviour. Values are the project's assumptions, in the ranges the PARKAGENT papers
    describe (their drivers start looking a few hundred metres out, accept a walk of a few hundred
    metres that grows with the search, and cruise slowly); change them to fit a town's survey."""

    step_s: float = 10.0
    """[s] time step (a driver covers about 40 m in one at cruising speed)."""
    cruise_speed_m_s: float = 15 / 3.6
    """[m/s] speed while searching (15 km/h: slower than traffic, the driver looks at the kerb)."""
    search_from_m: float = 250.0
    """[m] network distance from its destination where a driver starts looking."""
    walk_accept_m: float = 150.0
    """[m] walk to the destination a driver accepts at once."""
    walk_growth_m_per_min: float = 40.0
    """[m/min] how much farther it accepts for each minute of search."""
    walk_max_m: float = 800.0
    """[m] the farthest it ever accepts."""
    give_up_min: float = 20.0
    """[min] search after which a driver gives up and drives away."""
    memory_edges: int = 6
    """the last streets a driver avoids driving again while circling."""
    choice_noise_m: float = 30.0
    """[m] scale of the random preference between streets at a junction (Gumbel)."""


@dataclass
class Supply:
    """Parking supply on a drive graph of ``n_nodes`` nodes: kerbs on directed edges, car parks at nodes.

    Edge arrays (one entry per directed edge): ``tail``, ``head``, ``length_m``, ``spaces`` (kerb spaces
    a driver along the edge can use), ``price_eur_h``, ``sensed`` (True where the kerb's bays have sensors:
    guidance sees its free spaces), ``street`` (a label, for maps). Car-park arrays: ``park_node``, ``park_capacity``,
    ``park_price_eur_h``, ``park_name``. ``closed_hours``: per edge, the hours ``(start, end)`` its
    spaces are out of use (roadworks), or None."""

    n_nodes: int
    tail: np.ndarray
    head: np.ndarray
    length_m: np.ndarray
    spaces: np.ndarray
    price_eur_h: np.ndarray
    sensed: np.ndarray
    street: list
    park_node: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    park_capacity: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    park_price_eur_h: np.ndarray = field(default_factory=lambda: np.zeros(0))
    park_name: list = field(default_factory=list)
    closed_hours: list | None = None

    def __post_init__(self):
        n = len(self.tail)
        for name in ("head", "length_m", "spaces", "price_eur_h", "sensed"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"Supply.{name} has {len(getattr(self, name))} entries; expected one per edge ({n})")
        if (np.asarray(self.spaces) < 0).any() or (np.asarray(self.park_capacity) < 0).any():
            raise ValueError("Supply: spaces and capacities must not be negative")

    @property
    def total_spaces(self) -> int:
        return int(np.sum(self.spaces) + np.sum(self.park_capacity))


@dataclass(frozen=True)
class Demand:
    """Who comes: ``arrivals_per_hour`` (24 values, drivers per hour of the day), destinations as nodes with
    weights per hour (``dest_nodes``, ``dest_weights``: 24 × len(dest_nodes)), the stay (lognormal, mean
    ``stay_mean_h`` per hour of arrival, coefficient of variation ``stay_cv``), the most a driver pays
    per hour (lognormal, median ``pay_median_eur_h``, log-sd ``pay_sigma``) and the share of drivers
    with guidance. ``entry_nodes``: where drivers may come from (default: every node)."""

    arrivals_per_hour: np.ndarray
    dest_nodes: np.ndarray
    dest_weights: np.ndarray
    stay_mean_h: np.ndarray
    stay_cv: float = 0.8
    pay_median_eur_h: float = 2.0
    pay_sigma: float = 0.6
    guidance_share: float = 0.0
    entry_nodes: np.ndarray | None = None


def _shortest_links(tail, head, length_m, n: int) -> csr_matrix:
    """The graph as a sparse matrix for scipy's Dijkstra: the shorter of parallel edges (a sparse matrix
    would add them up), lengths at least 1 cm (a stored zero is no edge to csgraph)."""
    order = np.lexsort((length_m, head, tail))
    t, h, w = np.asarray(tail)[order], np.asarray(head)[order], np.maximum(np.asarray(length_m, float)[order], 0.01)
    first = np.ones(len(t), bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    return csr_matrix((w[first], (t[first], h[first])), shape=(n, n))


class Driver(mesa.Agent):
    """One driver: destination, stay, price it will pay; its search state and what the search cost it."""

    def __init__(self, model: "ParkingModel", dest: int, node: int, stay_s: float, pay_eur_h: float,
                 guided: bool):
        super().__init__(model)
        self.dest, self.node, self.stay_s, self.pay_eur_h, self.guided = dest, node, stay_s, pay_eur_h, guided
        self.state = SEARCHING
        self.arrived_s = model.time_s
        self.edge = -1  # the edge it is driving along (−1: at ``node``)
        self.left_on_edge = 0.0  # [m] still to drive on it
        self.cruised_m = 0.0  # [m] driven since the search began
        self.direct_m = float(model.drive_to(dest)[node])  # [m] the drive it would have had straight there
        self.recent: list[int] = []
        self.spot = None  # ("kerb", edge) or ("park", index) once parked
        self.walk_m = math.nan
        self.search_s = math.nan  # [s] once parked or gone: the time beyond a straight drive (see ``lost_s``)
        self.now_s = model.time_s  # [s] the driver's own clock within the step

    def tolerance_m(self) -> float:
        r = self.model.rules
        minutes = (self.now_s - self.arrived_s) / 60
        return min(r.walk_accept_m + r.walk_growth_m_per_min * minutes, r.walk_max_m)

    def lost_s(self) -> float:
        """[s] what the search cost in time so far: the time since it began beyond the straight drive to the
        destination (none when it parked on the way)."""
        straight = self.direct_m / self.model.rules.cruise_speed_m_s if math.isfinite(self.direct_m) else 0.0
        return max(0.0, self.now_s - self.arrived_s - straight)

    @property
    def excess_m(self) -> float:
        """[m] what the search added to the drive: driven beyond the straight route (none when it parked on
        the way)."""
        return max(0.0, self.cruised_m - self.direct_m) if math.isfinite(self.direct_m) else self.cruised_m

    def step(self) -> None:
        """Drive for one time step, taking the first acceptable free space seen."""
        m = self.model
        if m.time_s - self.arrived_s >= m.rules.give_up_min * 60:
            m.give_up(self)
            return
        speed = m.rules.cruise_speed_m_s
        full = budget = speed * m.rules.step_s
        while budget > 0 and self.state == SEARCHING:
            self.now_s = m.time_s + (full - budget) / speed
            if self.edge < 0:
                if m.try_car_park(self, self.node):
                    return
                self.edge = m.next_edge(self)
                if self.edge < 0:  # out of the mapped streets for good: it comes back in, still searching
                    self.node = m.reentry_node(self.dest)
                    m.reentries += 1
                    if not m._out[self.node]:  # nowhere to drive at all (a graph of dead ends)
                        m.give_up(self)
                        return
                    continue
                self.left_on_edge = m._length[self.edge]
                if m.try_kerb(self, self.edge):
                    return
            drive = min(budget, self.left_on_edge)
            budget -= drive
            self.left_on_edge -= drive
            self.cruised_m += drive
            m.cruised_on[self.edge] += drive
            if self.left_on_edge <= 1e-9:
                self.node = m._head[self.edge]
                self.recent = (self.recent + [self.edge])[-m.rules.memory_edges:]
                self.edge = -1
        self.now_s = m.time_s + (full - budget) / speed


class ParkingModel(mesa.Model):
    """A day (or any window) of drivers searching on ``supply`` under ``demand`` (see the module docstring).

    ``start_h``/``end_h``: the simulated hours; ``occupancy_start``: the share of each kerb and car park
    taken when the window opens (cars that came earlier), leaving at a time drawn uniformly within the
    first hour's mean stay (``start_leaving="uniform"``) or exponentially with that mean (``"exponential"``:
    the memoryless stays of an M/M/∞ queue, as :func:`twin.calibration.parking.fit_arrivals` assumes)."""

    def __init__(self, supply: Supply, demand: Demand, rules: SearchRules = SearchRules(), *, seed: int = 0,
                 start_h: float = 0.0, end_h: float = 24.0, occupancy_start: float = 0.0,
                 start_leaving: str = "uniform"):
        super().__init__(seed=seed)
        self.supply, self.demand, self.rules = supply, demand, rules
        # one stream per purpose, so that a variant meets the same drivers as its baseline (common random
        # numbers): who arrives, when, where to, for how long and at what price never depends on the supply;
        # the cars there at the start are drawn kerb by kerb; the street choices have their own stream
        self.arrivals_rng = np.random.default_rng([seed, 1])
        self.choice_rng = np.random.default_rng([seed, 3])
        self._start_seed = seed
        self.time_s = start_h * 3600.0
        self.end_s = end_h * 3600.0
        n_edges = len(supply.tail)
        self.occupied = np.zeros(n_edges, np.int64)
        self.park_occupied = np.zeros(len(supply.park_node), np.int64)
        self.cruised_on = np.zeros(n_edges)  # [m] driven while searching, per edge
        self.occupied_s = np.zeros(n_edges)  # [space·s] occupied, per edge (÷ window and spaces: occupancy)
        self.by_hour = np.zeros((24, 3))  # per hour of the day: [space·s kerb, space·s car parks, s simulated]
        self._leaving: list = []  # (time, sequence, driver)
        self._seq = 0
        self.arrived = self.n_left = self.n_gave_up = 0
        self.arrivals_log: list[tuple] = []  # (time s, destination, entry node, stay s, €/h, guided) per driver
        # per driver once gone: (arrival s, search s, driven while searching m, walk m, outcome, excess m)
        self.done: list[tuple] = []
        self.revenue_eur = 0.0
        self.searchers = mesa.agent.AgentSet([], random=self.random)
        self.hourly: list[tuple] = []  # (hour, kerb occupied, park occupied, searching)
        self._closed = np.zeros(n_edges, bool)
        # each kerb's closed window as two arrays (start, end hours; NaN for none): one vector test per step
        self._windows = None if supply.closed_hours is None else tuple(
            np.array([w[i] if w is not None else np.nan for w in supply.closed_hours]) for i in (0, 1))
        self._out = [[] for _ in range(supply.n_nodes)]
        for e, u in enumerate(supply.tail):
            self._out[int(u)].append(e)
        self._parks_at: dict[int, list[int]] = {}
        for i, node in enumerate(supply.park_node):
            self._parks_at.setdefault(int(node), []).append(i)
        # the arrays a driver's step reads one value at a time, as lists (a numpy scalar read is slow)
        self._head, self._tail = supply.head.tolist(), supply.tail.tolist()
        self._length = supply.length_m.tolist()
        self._noise = np.zeros(0)
        self._noise_at = 0
        self._drive = _shortest_links(supply.tail, supply.head, supply.length_m, supply.n_nodes)
        self._drive_rev = self._drive.T.tocsr()
        self._walk = _shortest_links(np.concatenate([supply.tail, supply.head]),
                                     np.concatenate([supply.head, supply.tail]),
                                     np.concatenate([supply.length_m, supply.length_m]), supply.n_nodes)
        # streets that lead out of the extract for good (a one-way street crossing its edge): a driver takes
        # them only when nothing else is there, and comes back in (the streets beyond are not mapped)
        from scipy.sparse.csgraph import connected_components  # noqa: PLC0415

        _, label = connected_components(self._drive, directed=True, connection="strong")
        main = np.bincount(label).argmax() if supply.n_nodes else 0
        self._inside = (label == main).tolist()
        self.reentries = 0
        self._to: dict[int, np.ndarray] = {}
        self._walk_from: dict[int, np.ndarray] = {}
        self._from: dict[int, np.ndarray] = {}
        if start_leaving not in ("uniform", "exponential"):
            raise ValueError(f"start_leaving: expected 'uniform' or 'exponential', got {start_leaving!r}")
        if occupancy_start > 0:
            self._fill_at_start(occupancy_start, start_leaving)

    # -- distances (cached per node) -------------------------------------------------------------------
    def drive_to(self, node: int) -> np.ndarray:
        """[m] driving distance from every node to ``node``."""
        if node not in self._to:
            self._to[node] = dijkstra(self._drive_rev, indices=node)
        return self._to[node]

    def drive_from(self, node: int) -> np.ndarray:
        """[m] driving distance from ``node`` to every node."""
        if node not in self._from:
            self._from[node] = dijkstra(self._drive, indices=node)
        return self._from[node]

    def walk(self, dest: int) -> np.ndarray:
        """[m] walking distance (the drive graph both ways) from every node to ``dest``."""
        if dest not in self._walk_from:
            self._walk_from[dest] = dijkstra(self._walk, directed=False, indices=dest)
        return self._walk_from[dest]

    def kerb_walk_m(self, edge: int, dest: int) -> float:
        """[m] walk from the middle of a kerb to the destination (through the nearer end)."""
        w = self.walk(dest)
        half = self.supply.length_m[edge] / 2
        return float(min(w[self.supply.tail[edge]], w[self.supply.head[edge]]) + half)

    # -- what a driver does ---------------------------------------------------------------------------
    def closed_now(self) -> np.ndarray:
        """Per kerb, whether its spaces are out of use at this time (``Supply.closed_hours``, windows across
        midnight included)."""
        if self._windows is None:
            return np.zeros(len(self.supply.tail), bool)
        a, b = self._windows  # NaN where a kerb has no window: every comparison False
        h = (self.time_s / 3600) % 24
        return np.where(a < b, (a <= h) & (h < b), (h >= a) | (h < b))

    def kerb_free(self, edge: int) -> int:
        if self._closed[edge]:
            return 0
        return int(self.supply.spaces[edge] - self.occupied[edge])

    def try_kerb(self, driver: Driver, edge: int) -> bool:
        s = self.supply
        if self.kerb_free(edge) <= 0 or s.price_eur_h[edge] > driver.pay_eur_h:
            return False
        walk = self.kerb_walk_m(edge, driver.dest)
        if walk > driver.tolerance_m():
            return False
        self.occupied[edge] += 1
        self._park(driver, ("kerb", edge), walk, float(s.price_eur_h[edge]))
        return True

    def try_car_park(self, driver: Driver, node: int) -> bool:
        s = self.supply
        for i in self._parks_at.get(node, ()):
            if self.park_occupied[i] >= s.park_capacity[i] or s.park_price_eur_h[i] > driver.pay_eur_h:
                continue
            walk = float(self.walk(driver.dest)[node])
            if walk > driver.tolerance_m():
                continue
            self.park_occupied[i] += 1
            self._park(driver, ("park", int(i)), walk, float(s.park_price_eur_h[i]))
            return True
        return False

    def _park(self, driver: Driver, spot, walk_m: float, price: float) -> None:
        driver.state, driver.spot, driver.walk_m = PARKED, spot, walk_m
        driver.search_s = driver.lost_s()
        self.searchers.remove(driver)
        self._seq += 1
        heapq.heappush(self._leaving, (driver.now_s + driver.stay_s, self._seq, driver))

    def give_up(self, driver: Driver) -> None:
        driver.state = GAVE_UP
        driver.search_s = driver.lost_s()
        self.n_gave_up += 1
        self.done.append((driver.arrived_s, driver.search_s, driver.cruised_m, math.nan, GAVE_UP, driver.excess_m))
        self.searchers.remove(driver)
        driver.remove()

    def next_edge(self, driver: Driver) -> int:
        """The street a driver takes at its junction (see the module docstring); −1 when there is none."""
        out = self._out[driver.node]
        if not out:
            return -1
        s, r = self.supply, self.rules
        if driver.guided:
            target = self._guided_target(driver)
            if target is not None:
                return target
        tol = driver.tolerance_m()
        to_dest = self.drive_to(driver.dest)
        walk = self.walk(driver.dest)
        last = driver.recent[-1] if driver.recent else -1
        best, best_score = -1, math.inf
        if self._noise_at + len(out) > len(self._noise):  # Gumbel draws in blocks (same seed, same draws)
            self._noise, self._noise_at = self.choice_rng.gumbel(0.0, r.choice_noise_m, 4096), 0
        noise = self._noise[self._noise_at:self._noise_at + len(out)]
        self._noise_at += len(out)
        heads, length = self._head, self._length
        back = self._tail[last] if last >= 0 else -1
        beyond = walk[driver.node] > tol
        inside = self._inside
        way_on = any(inside[heads[e]] for e in out)
        for j, e in enumerate(out):
            v = heads[e]
            if v == back and len(out) > 1:
                continue  # no U-turn while another street is there
            if way_on and not inside[v]:
                continue  # a street out of the map with no way back
            if beyond:  # still beyond its tolerance: towards the destination
                score = length[e] + to_dest[v]
            else:  # within it: circle, staying within the tolerance, new streets first
                score = max(0.0, walk[v] - tol) * 4 + (300.0 if e in driver.recent else 0.0)
            score = score + noise[j]
            if score < best_score:
                best, best_score = e, score
        return best if best >= 0 else out[0]

    def _guided_target(self, driver: Driver) -> int | None:
        """The first edge towards the nearest free sensed space the driver accepts, else None."""
        s = self.supply
        tol = driver.tolerance_m()
        free = s.sensed & ~self._closed & (s.spaces - self.occupied > 0) & (s.price_eur_h <= driver.pay_eur_h)
        candidates = np.flatnonzero(free)
        if len(candidates) == 0:
            return None
        walk = self.walk(driver.dest)
        w = np.minimum(walk[s.tail[candidates]], walk[s.head[candidates]]) + s.length_m[candidates] / 2
        ok = candidates[w <= tol]
        if len(ok) == 0:
            return None
        from_here = self.drive_from(driver.node)
        reach = from_here[s.tail[ok]] + s.length_m[ok]
        cost = reach + np.minimum(walk[s.tail[ok]], walk[s.head[ok]])
        target = int(ok[np.argmin(cost)])
        if not np.isfinite(reach.min()):
            return None
        if int(s.tail[target]) == driver.node:
            return target
        # the first edge of the shortest path to the target's tail
        to_target = self.drive_to(int(s.tail[target]))
        best = min(self._out[driver.node], key=lambda e: s.length_m[e] + to_target[int(s.head[e])])
        return best if np.isfinite(to_target[int(s.head[best])]) else None

    # -- arrivals, departures, the step ------------------------------------------------------------------
    def reentry_node(self, dest: int) -> int:
        """Where a driver who left the mapped streets comes back in: a node of the connected streets about
        ``search_from_m`` from its destination."""
        return self._entry_node(dest, float(self.choice_rng.random()), inside_only=True)

    def _entry_node(self, dest: int, u: float, inside_only: bool = False) -> int:
        """A node of the connected streets about ``search_from_m`` from the destination by road (the farthest
        reachable when none is)."""
        to_dest = self.drive_to(dest)
        nodes = self.demand.entry_nodes if self.demand.entry_nodes is not None else np.arange(self.supply.n_nodes)
        inside = nodes[np.asarray(self._inside)[nodes]]
        if inside_only or len(inside):
            nodes = inside
        d = to_dest[nodes]
        ok = nodes[np.isfinite(d) & (d >= self.rules.search_from_m) & (d <= self.rules.search_from_m + 250)]
        if len(ok) == 0:
            reachable = nodes[np.isfinite(d)]
            if len(reachable) == 0:
                return dest
            ok = reachable[[int(np.argmax(d[np.isfinite(d)]))]]
        return int(ok[min(int(u * len(ok)), len(ok) - 1)])

    def _new_driver(self, hour: int) -> Driver:
        dm = self.demand
        weights = dm.dest_weights[hour]
        rng = self.arrivals_rng  # the same draws, in the same order, whatever the supply
        u_dest, u_entry, u_guided = rng.random(3)
        z_stay, z_pay = rng.standard_normal(2)
        cum = np.cumsum(weights)
        dest = int(dm.dest_nodes[min(int(np.searchsorted(cum, u_dest * cum[-1], side="right")), len(cum) - 1)])
        mean = dm.stay_mean_h[hour] * 3600
        sigma = math.sqrt(math.log(1 + dm.stay_cv ** 2))
        stay = float(math.exp(math.log(mean) - sigma ** 2 / 2 + sigma * z_stay))
        pay = float(dm.pay_median_eur_h * math.exp(dm.pay_sigma * z_pay))
        guided = bool(u_guided < dm.guidance_share)
        driver = Driver(self, dest, self._entry_node(dest, float(u_entry)), stay, pay, guided)
        self.arrivals_log.append((self.time_s, dest, driver.node, stay, pay, guided))
        self.arrived += 1
        self.searchers.add(driver)
        return driver

    def _fill_at_start(self, share: float, leaving: str) -> None:
        """Cars already parked when the window opens: each kerb and car park ``share`` full, leaving uniformly
        within a stay drawn as the first hour's (they count as neither arrivals nor searches)."""
        mean = self.demand.stay_mean_h[int(self.time_s // 3600) % 24] * 3600
        for k, (kind, caps, occ) in enumerate((("kerb", self.supply.spaces, self.occupied),
                                               ("park", self.supply.park_capacity, self.park_occupied))):
            for i, cap in enumerate(caps):
                n = int(round(share * cap))
                occ[i] = n
                # each kerb and car park its own stream: removing one's spaces leaves the others' cars as they were
                rng = np.random.default_rng([self._start_seed, 2, k, i])
                leave = rng.uniform(0, mean, n) if leaving == "uniform" else rng.exponential(mean, n)
                for t in leave:
                    self._seq += 1
                    heapq.heappush(self._leaving, (self.time_s + float(t), self._seq, (kind, i)))

    def _departures(self) -> None:
        while self._leaving and self._leaving[0][0] <= self.time_s:
            _, _, who = heapq.heappop(self._leaving)
            spot = who.spot if isinstance(who, Driver) else who
            if spot[0] == "kerb":
                self.occupied[spot[1]] -= 1
            else:
                self.park_occupied[spot[1]] -= 1
            if isinstance(who, Driver):
                who.state = LEFT
                self.n_left += 1
                self.done.append((who.arrived_s, who.search_s, who.cruised_m, who.walk_m, LEFT, who.excess_m))
                who.remove()

    def step(self) -> None:
        """One time step: departures, arrivals (Poisson at the hour's rate), then every searcher drives."""
        dt = self.rules.step_s
        hour = int(self.time_s // 3600) % 24
        self._departures()
        self._closed = self.closed_now()
        for _ in range(int(self.arrivals_rng.poisson(self.demand.arrivals_per_hour[hour] * dt / 3600))):
            self._new_driver(hour)
        self.searchers.shuffle_do("step")
        s = self.supply
        # fees as the spaces are used, within the window (a stay beyond it is not paid here)
        self.revenue_eur += (float(self.occupied @ s.price_eur_h) + float(self.park_occupied @ s.park_price_eur_h)) \
            * dt / 3600
        self.occupied_s += self.occupied * dt
        self.by_hour[hour] += (self.occupied.sum() * dt, self.park_occupied.sum() * dt, dt)
        self.time_s += dt
        if int(self.time_s // 3600) != int((self.time_s - dt) // 3600):
            self.hourly.append((hour, int(self.occupied.sum()), int(self.park_occupied.sum()), len(self.searchers)))

    def run(self, check: bool = False) -> "ParkingModel":
        """Step to the end of the window; ``check``: assert the conservation rules at every step."""
        while self.time_s < self.end_s - 1e-9:
            self.step()
            if check:
                self.check()
        return self

    # -- the books ----------------------------------------------------------------------------------------
    def counts(self) -> dict:
        """Drivers by state now: every arrival is searching, parked, left (after parking) or gave up."""
        parked = sum(1 for _, _, w in self._leaving if isinstance(w, Driver))
        return {"arrived": self.arrived, SEARCHING: len(self.searchers), PARKED: parked, LEFT: self.n_left,
                GAVE_UP: self.n_gave_up}

    def check(self) -> None:
        """Raise AssertionError when a driver is lost or a space is held twice."""
        c = self.counts()
        if c["arrived"] != c[SEARCHING] + c[PARKED] + c[LEFT] + c[GAVE_UP]:
            raise AssertionError(f"drivers not conserved: {c}")
        kerb = np.zeros_like(self.occupied)
        park = np.zeros_like(self.park_occupied)
        for _, _, w in self._leaving:
            spot = w.spot if isinstance(w, Driver) else w
            (kerb if spot[0] == "kerb" else park)[spot[1]] += 1
        if not (np.array_equal(kerb, self.occupied) and np.array_equal(park, self.park_occupied)):
            raise AssertionError("a space count differs from the cars parked in it")
        if (self.occupied > self.supply.spaces).any() or (self.park_occupied > self.supply.park_capacity).any():
            raise AssertionError("more cars than spaces on a kerb or in a car park")

    def results(self) -> dict:
        """What the window's drivers lived. Search time: beyond a straight drive to the destination
        (:meth:`Driver.lost_s`), of the drivers who parked; cruising: what the searches added to the drives
        (:attr:`Driver.excess_m`), of every driver — those who gave up and those still searching at the
        end of the window (``searching_at_end``) included, so that leaving drivers unresolved never looks
        better."""
        parked = list(self._parked_drivers())
        search_min = np.array([p[1] / 60 for p in parked])
        walks = np.array([p[3] for p in parked])
        searching = list(self.searchers)
        cruised_km = (sum(p[5] for p in parked) + sum(d[5] for d in self.done if d[4] == GAVE_UP)
                      + sum(d.excess_m for d in searching)) / 1000
        return {"arrived": self.arrived, "parked": len(parked), "gave_up": self.n_gave_up,
                "searching_at_end": len(searching),
                "search_mean_min": float(search_min.mean()) if len(parked) else math.nan,
                "search_p90_min": float(np.quantile(search_min, 0.9)) if len(parked) else math.nan,
                "cruising_vkm": float(cruised_km), "walk_mean_m": float(walks.mean()) if len(parked) else math.nan,
                "revenue_eur": float(self.revenue_eur)}

    def _parked_drivers(self):
        """(arrival s, search s, driven m, walk m, outcome, excess m) of every driver who parked in the window."""
        for d in self.done:
            if d[4] == LEFT:
                yield d
        for _, _, w in self._leaving:
            if isinstance(w, Driver):
                yield (w.arrived_s, w.search_s, w.cruised_m, w.walk_m, PARKED, w.excess_m)
