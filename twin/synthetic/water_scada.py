"""SYNTHETIC SCADA of a water network with leaks: what its sensors would have read (issue 22).

BattLeDIM's 2018 SCADA files are not mirrored here; a year like them is simulated from L-Town's
model and the published leak list, as the organisers' own generator did (Vrachimis et al. 2022),
with EPANET 2.2 through WNTR's ``EpanetSimulator``:

* **leaks** — each leaking pipe is split at its middle (a leak at a junction stays there; one "at a
  tank" sits at its foot, a metre of wide pipe away) and the new junction gets an EPANET emitter
  Q = C·√p with C = Cd·A·√(2g) (Cd = 0.75, A the hole's area, :meth:`twin.sources.scada.Leak.area_m2`):
  the orifice law of a leak. EPANET cannot change an emitter during a run, so the period runs in
  *chunks*: each day, cut again at every leak's start and end; an incipient leak's area is the one
  at its chunk's middle (it grows by day, not by 5 minutes). Tank levels and pump states carry from
  one chunk to the next, patterns continue (EPANET's PATTERN START).
* **demand variability** — every junction's demand is multiplied each day by a factor drawn from a
  log-normal of σ = ``demand_sigma`` (households do not repeat their week).
* **sensor noise** — Gaussian, σ: pressure 0.05 m, flow 1 % of the value, level 0.01 m, AMR 2 % of the
  value; values rounded to 0.01 as BattLeDIM's files are.

Everything is seeded (``seed``); the tables' attrs say SYNTHETIC and how they were made.
"""

from __future__ import annotations

import copy
import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DISCHARGE_COEFF = 0.75
NOISE = {"pressures": ("abs", 0.05), "flows": ("rel", 0.01), "levels": ("abs", 0.01), "demands": ("rel", 0.02)}
"""Sensor noise per kind: ("abs", σ in the kind's unit) or ("rel", σ as a share of the value)."""


@dataclass(frozen=True)
class Sensors:
    """Which elements are read: pressure and AMR demand at nodes, flow on links, level of tanks."""

    pressures: tuple[str, ...] = ()
    flows: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    demands: tuple[str, ...] = ()


def chunk_edges(start: pd.Timestamp, end: pd.Timestamp, leaks, step: pd.Timedelta) -> list[pd.Timestamp]:
    """Chunk boundaries: every midnight and every leak's start and end inside [start, end], on the step."""
    edges = set(pd.date_range(start.normalize(), end, freq="D")) | {start, end}
    for leak in leaks:
        for t in (leak.start, leak.end):
            if start < t < end:
                edges.add(t.ceil(step))
    return sorted(e for e in edges if start <= e <= end)


def simulate(wn, leaks, start: str | pd.Timestamp, end: str | pd.Timestamp, sensors: Sensors, *, seed: int = 0,
             step_s: int = 300, demand_sigma: float = 0.05, noise: bool = True,
             progress: Callable[[int, int], None] | None = None) -> dict[str, pd.DataFrame]:
    """SYNTHETIC SCADA over [start, end) at ``step_s``: kind → DataFrame (time × sensor), the kinds of
    :data:`twin.sources.scada.KINDS` plus ``leakages`` (each leak's true outflow, m³/h, not noised);
    ``noise=False``: the sensors read the simulation exactly.
    ``progress(done, total)`` is called after each chunk."""
    import wntr  # noqa: PLC0415

    start, end = pd.Timestamp(start), pd.Timestamp(end)
    step = pd.Timedelta(seconds=step_s)
    rng = np.random.default_rng(seed)
    net = copy.deepcopy(wn)
    leak_nodes = {}  # leak (its pipe or junction) -> the junction whose emitter is the leak
    wheres = [leak.where for leak in leaks]
    twice = sorted({w for w in wheres if wheres.count(w) > 1})
    if twice:
        raise ValueError(f"two leaks on {twice}: one leak per pipe or junction (merge them into one)")
    for leak in leaks:
        if leak.link is None:
            if leak.node in net.tank_name_list:  # EPANET puts no emitter on a tank: a leak at its foot
                leak_nodes[leak.where] = _tank_foot(net, leak.node)
            elif leak.node in net.junction_name_list:
                leak_nodes[leak.where] = leak.node
            else:
                raise ValueError(f"leak at {leak.node!r}: not a junction or a tank of the network")
            continue
        if leak.link not in net.pipe_name_list:
            raise ValueError(f"leak on {leak.link!r}: not a pipe of the network")
        leak_nodes[leak.link] = f"{leak.link}__leak"
        net = wntr.morph.split_pipe(net, leak.link, f"{leak.link}__b", leak_nodes[leak.link])
    opt = net.options
    clock0, pattern0 = int(opt.time.start_clocktime or 0), int(opt.time.pattern_start or 0)
    timed = _take_time_controls(net)
    opt.hydraulic.demand_model = "DDA"
    opt.hydraulic.emitter_exponent = 0.5  # the orifice law Q = C·√p the leaks are written in
    opt.time.report_start = 0
    opt.time.hydraulic_timestep = opt.time.report_timestep = opt.time.quality_timestep = step_s
    opt.time.rule_timestep = min(opt.time.rule_timestep or step_s, step_s)
    junctions = list(wn.junction_name_list)
    base = {j: [d.base_value for d in net.get_node(j).demand_timeseries_list] for j in junctions}
    edges = chunk_edges(start, end, leaks, step)
    days = pd.date_range(start.normalize(), end, freq="D")
    factors = np.exp(rng.normal(0.0, demand_sigma, size=(len(days), len(junctions))))
    parts: dict[str, list[pd.DataFrame]] = {k: [] for k in ("pressures", "flows", "levels", "demands", "leakages")}
    with tempfile.TemporaryDirectory(prefix="twin-scada-") as tmp:
        for k, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
            day = days.get_indexer([a.normalize()])[0]
            for i, j in enumerate(junctions):
                for d, v in zip(net.get_node(j).demand_timeseries_list, base[j]):
                    d.base_value = v * factors[day, i]
            middle = a + (b - a) / 2
            coefficients = {}
            for leak in leaks:
                area = leak.area_m2(middle)
                coefficients[leak.where] = DISCHARGE_COEFF * area * math.sqrt(2 * 9.81) if area > 0 else 0.0
                net.get_node(leak_nodes[leak.where]).emitter_coefficient = coefficients[leak.where] or None
            offset = int((a - start).total_seconds())
            opt.time.duration = int((b - a).total_seconds())
            # the chunk goes on where the last one stopped: its patterns, its clock, its "at time" controls
            opt.time.pattern_start = pattern0 + offset
            opt.time.start_clocktime = (clock0 + offset) % 86_400
            _place_time_controls(net, timed, offset, opt.time.duration)
            res = wntr.sim.EpanetSimulator(net).run_sim(file_prefix=str(Path(tmp) / "chunk"))
            times = a + pd.to_timedelta(res.node["pressure"].index, unit="s")
            last = res.node["pressure"].index[-1]
            _carry_state(net, res, last)
            keep = slice(0, len(times) - 1)  # the chunk's end is the next chunk's start
            _collect(parts, res, times, keep, sensors, leak_nodes, coefficients)
            if progress:
                progress(k + 1, len(edges) - 1)
    out = {kind: pd.concat(p) for kind, p in parts.items() if p and not p[0].empty}
    for kind, table in out.items():
        if kind != "leakages" and noise:
            out[kind] = _noisy(table, *NOISE[kind], rng)
        table = out[kind]
        table.index.name = "time"
        table.attrs["synthetic"] = (f"SYNTHETIC: EPANET 2.2 (WNTR) on the network with {len(leaks)} leak(s) as "
                                    f"emitters, daily demand factors lognormal σ={demand_sigma}, seed {seed}"
                                    + ("" if kind == "leakages" or not noise else f", noise {NOISE[kind]}"))
    return out


def _tank_foot(net, tank: str) -> str:
    """A junction at the foot of ``tank``, joined to it by a metre of wide pipe: where a leak "at the tank"
    (LeakDB lists some) can be an EPANET emitter, at the tank's water level of pressure."""
    name = f"{tank}__leak"
    node = net.get_node(tank)
    net.add_junction(name, base_demand=0.0, elevation=node.elevation, coordinates=node.coordinates)
    net.add_pipe(f"{tank}__leak_pipe", tank, name, length=1.0, diameter=1.0, roughness=130.0)
    return name


def _take_time_controls(net) -> list:
    """Remove the network's "at time" controls (EPANET's ``LINK x STATUS AT TIME t``), returned as
    (time from the start [s], actions, priority): each chunk puts back those falling inside it."""
    taken = []
    for name, control in list(net.controls()):
        condition = getattr(control, "_condition", None)
        if type(condition).__name__ != "SimTimeCondition":
            continue
        if getattr(condition, "_relation", None) is None or str(condition._relation) not in ("-eq", "="):
            raise ValueError(f"control {name!r}: a rule on the elapsed time other than 'at time' cannot run in "
                             "chunks; write it as clock-time controls")
        taken.append((float(condition._threshold), list(control.actions()), getattr(control, "_priority", 3)))
        net.remove_control(name)
    return taken


def _place_time_controls(net, timed: list, offset: int, duration: int) -> None:
    """Put back, shifted to the chunk, the "at time" controls of [offset, offset + duration)."""
    import wntr  # noqa: PLC0415

    for name in [n for n, _ in net.controls() if n.startswith("twin_at_")]:
        net.remove_control(name)
    for i, (at, actions, priority) in enumerate(timed):
        if offset <= at < offset + duration:
            for j, action in enumerate(actions):
                condition = wntr.network.controls.SimTimeCondition(net, "=", at - offset)
                net.add_control(f"twin_at_{i}_{j}", wntr.network.controls.Control(condition, action, priority))


def _carry_state(net, res, last) -> None:
    """The next chunk starts where this one ends: tank levels, the status of pumps, valves and pipes."""
    for name in net.tank_name_list:
        tank = net.get_node(name)
        # inside its bounds by a hair: the level is written in the file's units, and EPANET refuses an
        # initial level that rounding put a whisker past the maximum (error 225)
        margin = 1e-4 * max(tank.max_level - tank.min_level, 1e-3)
        tank.init_level = float(np.clip(res.node["pressure"].at[last, name], tank.min_level + margin,
                                        tank.max_level - margin))
    status = res.link["status"]  # WNTR's: 0 closed (EPANET's closed or shut for now), 1 open, 2 active
    for name in net.link_name_list:
        link = net.get_link(name)
        code = status.at[last, name]
        if name in net.pump_name_list or name in net.valve_name_list or str(link.initial_status) != "Open" \
                or code == 0:
            link.initial_status = "Closed" if code == 0 else ("Active" if code == 2 and name in net.valve_name_list
                                                                else "Open")


def _collect(parts, res, times, keep, sensors: Sensors, leak_nodes, coefficients) -> None:
    index = pd.DatetimeIndex(times[keep])
    node, link = res.node, res.link

    def frame(table, names, scale):
        return pd.DataFrame(table[list(names)].to_numpy()[keep] * scale, index=index, columns=list(names))

    if sensors.pressures:
        parts["pressures"].append(frame(node["pressure"], sensors.pressures, 1.0))
    if sensors.flows:
        parts["flows"].append(frame(link["flowrate"], sensors.flows, 3600.0))
    if sensors.levels:
        parts["levels"].append(frame(node["pressure"], sensors.levels, 1.0))
    if sensors.demands:
        parts["demands"].append(frame(node["demand"], sensors.demands, 3_600_000.0))
    if leak_nodes:
        # the emitter's law at the simulated pressure (a junction's reported demand mixes it with its use)
        pressure = frame(node["pressure"], leak_nodes.values(), 1.0).clip(lower=0.0)
        flow = np.sqrt(pressure.to_numpy()) * np.array([coefficients[w] for w in leak_nodes]) * 3600.0
        parts["leakages"].append(pd.DataFrame(flow, index=pressure.index, columns=list(leak_nodes)))


def _noisy(table: pd.DataFrame, kind: str, sigma: float, rng) -> pd.DataFrame:
    noise = rng.normal(0.0, sigma, size=table.shape)
    values = table.to_numpy() + (noise if kind == "abs" else noise * np.abs(table.to_numpy()))
    return pd.DataFrame(np.round(values, 2), index=table.index, columns=table.columns)


def sensors_from_csv(path: str | Path) -> Sensors:
    """Sensor lists from BattLeDIM's ``battledim_sensors.csv`` (kind, element_id)."""
    table = pd.read_csv(path, dtype=str)
    names = {"pressure_sensors": "pressures", "flow_sensors": "flows", "level_sensors": "levels", "amrs": "demands"}
    grouped = {names[k]: tuple(g["element_id"]) for k, g in table.groupby("kind") if k in names}
    return Sensors(**grouped)
