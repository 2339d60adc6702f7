"""SYNTHETIC SCADA of a water network with leaks: what its sensors would have read (issue 22).

BattLeDIM's 2018 SCADA files are not mirrored here; a year like them is simulated from L-Town's
model and the published leak list, as the organisers' own generator did (Vrachimis et al. 2022),
with EPANET 2.2 through WNTR's ``EpanetSimulator``:

* **leaks** — each leaking pipe is split at its middle and the new junction gets an EPANET emitter
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
             step_s: int = 300, demand_sigma: float = 0.05,
             progress: Callable[[int, int], None] | None = None) -> dict[str, pd.DataFrame]:
    """SYNTHETIC SCADA over [start, end) at ``step_s``: kind → DataFrame (time × sensor), the kinds of
    :data:`twin.sources.scada.KINDS` plus ``leakages`` (each leak's true outflow, m³/h, not noised).
    ``progress(done, total)`` is called after each chunk."""
    import wntr  # noqa: PLC0415

    start, end = pd.Timestamp(start), pd.Timestamp(end)
    step = pd.Timedelta(seconds=step_s)
    rng = np.random.default_rng(seed)
    net = copy.deepcopy(wn)
    leak_nodes = {}
    for leak in leaks:
        if leak.link not in net.pipe_name_list:
            raise ValueError(f"leak on {leak.link!r}: not a pipe of the network")
        leak_nodes[leak.link] = f"{leak.link}__leak"
        net = wntr.morph.split_pipe(net, leak.link, f"{leak.link}__b", leak_nodes[leak.link])
    opt = net.options
    opt.hydraulic.demand_model = "DDA"
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
            for leak in leaks:
                area = leak.area_m2(middle)
                net.get_node(leak_nodes[leak.link]).emitter_coefficient = (
                    DISCHARGE_COEFF * area * math.sqrt(2 * 9.81) if area > 0 else None)
            opt.time.duration = int((b - a).total_seconds())
            opt.time.pattern_start = int((a - start).total_seconds())
            res = wntr.sim.EpanetSimulator(net).run_sim(file_prefix=str(Path(tmp) / "chunk"))
            times = a + pd.to_timedelta(res.node["pressure"].index, unit="s")
            last = res.node["pressure"].index[-1]
            _carry_state(net, res, last)
            keep = slice(0, len(times) - 1)  # the chunk's end is the next chunk's start
            _collect(parts, res, times, keep, sensors, leak_nodes, base, factors[day], junctions)
            if progress:
                progress(k + 1, len(edges) - 1)
    out = {kind: pd.concat(p) for kind, p in parts.items() if p and not p[0].empty}
    for kind, table in out.items():
        if kind != "leakages":
            out[kind] = _noisy(table, *NOISE[kind], rng)
        table = out[kind]
        table.index.name = "time"
        table.attrs["synthetic"] = (f"SYNTHETIC: EPANET 2.2 (WNTR) on the network with {len(leaks)} leak(s) as "
                                    f"emitters, daily demand factors lognormal σ={demand_sigma}, seed {seed}"
                                    + ("" if kind == "leakages" else f", noise {NOISE[kind]}"))
    return out


def _carry_state(net, res, last) -> None:
    """The next chunk starts where this one ends: tank levels, pumps' and valves' status."""
    for name in net.tank_name_list:
        tank = net.get_node(name)
        tank.init_level = float(np.clip(res.node["pressure"].at[last, name], tank.min_level, tank.max_level))
    status = res.link["status"]
    for name in list(net.pump_name_list):
        net.get_link(name).initial_status = "Open" if status.at[last, name] > 0 else "Closed"


def _collect(parts, res, times, keep, sensors: Sensors, leak_nodes, base, factor, junctions) -> None:
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
        leak = frame(node["demand"], leak_nodes.values(), 3600.0)
        leak.columns = list(leak_nodes)
        parts["leakages"].append(leak.clip(lower=0.0))


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
