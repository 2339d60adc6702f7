"""Pressure-driven hydraulics of a main break: WNTR's simulator, the break as a leak, the repair as
closed links.

The solver is WNTR's (Klise et al. 2017, :mod:`wntr.sim.WNTRSimulator`): EPANET's equations with
pressure-dependent demand (Wagner, Shamir & Marks, *Water distribution reliability: simulation
methods*, J. Water Resour. Plann. Manage. 114(3), 1988), so a node whose pressure falls below the
required pressure gets only part of its demand and a node cut off from every source gets none —
what a demand-driven run (EPANET's default) cannot say. It is the only WNTR simulator that models a
leak: the broken pipe is split at its middle and the new junction leaks through an orifice
(Crowl & Louvar, *Chemical Process Safety*, 2002: Q = Cd · A · √(2 g p)) from the break until the
segment is isolated; then the segment's links are closed until the repair ends.

Two engines give the same answer (tested on L-Town): ``"wntr"``, WNTR's Python solver with its leak
model, and ``"epanet"``, EPANET 2.2's pressure-driven analysis (Rossman et al. 2020), where the
break is an emitter (EPANET's orifice, Q = C · p^0.5 with C = Cd · A · √(2 g)) behind a short link
that a time control opens at the break and closes at the isolation. EPANET is about four times
faster on L-Town and some twenty-five times on Redon's synthetic network (``benchmarks/
bench_water_break.py``); WNTR's Newton solver can stall on very low flows (it did, 3,000 iterations
at 06:00, on a version of that network with undersized mains): a run that does not converge stops
with an error, never with a day cut short. A file whose junctions
carry emitters of their own (background leakage) runs on WNTR only: EPANET would count their
outflow as demand, WNTR's solver ignores them.

Everything here works on a copy of the network; the caller's model is never changed.
"""

from __future__ import annotations

import copy
import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DISCHARGE_COEFF = 0.75
"""Orifice discharge coefficient of a break (WNTR's default, Crowl & Louvar 2002)."""
G = 9.81  # [m/s²]


@dataclass(frozen=True)
class Timing:
    """When a break happens, is isolated and is repaired, and what is simulated (seconds from the
    network's start time)."""

    break_s: int
    isolated_s: int
    restored_s: int
    end_s: int
    step_s: int

    def __post_init__(self):
        if not 0 <= self.break_s <= self.isolated_s <= self.restored_s <= self.end_s:
            raise ValueError(f"break {self.break_s} s ≤ isolated {self.isolated_s} s ≤ restored "
                             f"{self.restored_s} s ≤ end {self.end_s} s does not hold")
        if self.step_s <= 0:
            raise ValueError("the hydraulic step must be positive")


@dataclass(frozen=True)
class Hydraulics:
    """One pressure-driven run: node pressure [m], delivered and expected demand [m³/s] over
    (time [s], node), and the leak's outflow [m³/s] over time (zeros without a break)."""

    pressure: pd.DataFrame
    demand: pd.DataFrame
    expected: pd.DataFrame
    leak: pd.Series

    @property
    def step_s(self) -> float:
        t = self.pressure.index.to_numpy()
        return float(t[1] - t[0]) if len(t) > 1 else 0.0


def prepared(wn, timing: Timing, required_pressure_m: float, minimum_pressure_m: float):
    """A copy of ``wn`` set for a pressure-driven run over ``timing`` (report at every hydraulic step)."""
    if not minimum_pressure_m < required_pressure_m:
        raise ValueError("the minimum pressure must be below the required pressure")
    net = copy.deepcopy(wn)
    opt = net.options
    opt.hydraulic.demand_model = "PDD"
    opt.hydraulic.required_pressure = required_pressure_m
    opt.hydraulic.minimum_pressure = minimum_pressure_m
    opt.time.duration = timing.end_s
    opt.time.hydraulic_timestep = timing.step_s
    opt.time.report_timestep = timing.step_s
    opt.time.quality_timestep = timing.step_s
    opt.time.report_start = 0  # a file may skip its warm-up in its reports: every step is needed here
    # the pattern step is left as the file has it: it is how long each multiplier lasts (shrunk to a
    # shorter hydraulic step, a day's pattern would run in half a day)
    return net


UNSUPPORTED_HEADLOSS = ("D-W", "C-M")
UNSUPPORTED_VALVES = ("PBV", "GPV")


def check_supported(wn, where: str) -> None:
    """WNTR's pressure-driven solver takes Hazen–Williams networks without PBV or GPV valves: say so,
    naming the file, rather than fail inside the solver."""
    headloss = str(wn.options.hydraulic.headloss)
    if headloss in UNSUPPORTED_HEADLOSS:
        raise ValueError(f"{where}: headloss {headloss}: the pressure-driven break runs on Hazen–Williams (H-W) "
                         "networks only (WNTR's solver); convert the roughness or use another file")
    odd = [v for v in wn.valve_name_list if str(wn.get_link(v).valve_type) in UNSUPPORTED_VALVES]
    if odd:
        raise ValueError(f"{where}: valve(s) {odd[:5]} of type PBV/GPV, which WNTR's pressure-driven solver "
                         "does not model")


def _time_control(net, at_s: int, link_name: str, status, tag: str):
    import wntr  # noqa: PLC0415

    link = net.get_link(link_name)
    action = wntr.network.controls.ControlAction(link, "status", status)
    condition = wntr.network.controls.SimTimeCondition(net, "=", at_s)
    net.add_control(f"twin_{tag}_{link_name}", wntr.network.controls.Control(condition, action))


def with_event(wn, timing: Timing, *, required_pressure_m: float, minimum_pressure_m: float = 0.0,
               broken_link: str | None = None, break_area_m2: float = 0.0, links_to_close: tuple[str, ...] = ()):
    """(a copy of ``wn`` ready to run the event, the leak's junction or None): with ``broken_link``, the
    break leaks through ``break_area_m2`` from ``timing.break_s`` to ``timing.isolated_s``, and
    ``links_to_close`` (the broken link among them) are closed from then until ``timing.restored_s``."""
    import wntr  # noqa: PLC0415 - heavy: loaded when a network runs

    net = prepared(wn, timing, required_pressure_m, minimum_pressure_m)
    leak_node = None
    closing = list(links_to_close)
    if broken_link is not None:
        half, leak_node = f"{broken_link}__twin_b", f"{broken_link}__twin_leak"
        net = wntr.morph.split_pipe(net, broken_link, half, leak_node)
        if broken_link in closing:
            closing.append(half)
        if break_area_m2 > 0 and timing.isolated_s > timing.break_s:
            net.get_node(leak_node).add_leak(net, area=break_area_m2, discharge_coeff=DISCHARGE_COEFF,
                                             start_time=timing.break_s, end_time=timing.isolated_s)
    if timing.restored_s > timing.isolated_s:
        controlled = _controlled_links(net)
        for name in closing:
            if str(net.get_link(name).initial_status) == "Closed" and name not in controlled:
                continue  # closed before the works and by nothing else (a boundary valve): stays as it was
            _time_control(net, timing.isolated_s, name, wntr.network.LinkStatus.Closed, "isolate")
            # reopened after the repair, unless the network's own controls decide its state (a pump, a bypass;
            # those controls may also reopen it during the repair: a limit of this model)
            if timing.restored_s < timing.end_s and name not in controlled:
                _time_control(net, timing.restored_s, name, wntr.network.LinkStatus.Open, "restore")
    return net, leak_node


ENGINES = ("wntr", "epanet")


def run(wn, timing: Timing, *, required_pressure_m: float, minimum_pressure_m: float = 0.0,
        broken_link: str | None = None, break_area_m2: float = 0.0,
        links_to_close: tuple[str, ...] = (), engine: str = "wntr") -> Hydraulics:
    """A pressure-driven run of ``wn`` with the event of :func:`with_event` (none without ``broken_link``
    and ``links_to_close``), by ``engine`` (module docstring)."""
    import wntr  # noqa: PLC0415 - heavy: loaded when a network runs

    if engine not in ENGINES:
        raise ValueError(f"engine: {engine!r} is not one of {ENGINES}")
    event = dict(required_pressure_m=required_pressure_m, minimum_pressure_m=minimum_pressure_m,
                 broken_link=broken_link, break_area_m2=break_area_m2, links_to_close=links_to_close)
    if engine == "epanet":
        net, leak_node = _with_emitter(wn, timing, **event)
        results = _run_epanet(net, timing.step_s)
        if leak_node is not None:
            results.node["leak_demand"] = results.node["demand"][[leak_node]]
    else:
        net, leak_node = with_event(wn, timing, **event)
        results = wntr.sim.WNTRSimulator(net).run_sim(convergence_error=True)  # never a day cut short silently
    junctions = [n for n in wn.junction_name_list]
    # the steps [0, end): the report at the end time closes the last step, it is not one more
    times = results.node["pressure"].index[results.node["pressure"].index < timing.end_s]
    expected = wntr.metrics.expected_demand(net, start_time=0, end_time=timing.end_s, timestep=timing.step_s)
    expected = expected.reindex(index=times, columns=junctions).fillna(0.0)
    leak = (results.node["leak_demand"][leak_node] if leak_node is not None and "leak_demand" in results.node
            else pd.Series(np.zeros(len(times)), index=times)).reindex(times)
    pressure = results.node["pressure"].loc[times, junctions]
    demand = results.node["demand"].loc[times, junctions]
    if engine == "epanet":
        # EPANET closes a link with a very high resistance, not a wall: a segment shut off still draws a
        # trickle through its closed valves, at a pressure under the minimum, where no water flows
        demand = demand.where(pressure > minimum_pressure_m, 0.0)
    return Hydraulics(pressure=pressure, demand=demand, expected=expected, leak=leak.astype(float))


_AT_TIME = re.compile(r"AT TIME[ \t]+([0-9.]+)[ \t]*$", re.MULTILINE)


def _exact_times(inp_text: str, step_s: int) -> str:
    """The ``AT TIME`` controls of an input file written as hh:mm:ss. WNTR writes decimal hours to six
    significant digits: from 100 h on, a repair's end came 1–2 s late, after the report step it falls
    on, and EPANET reported the segment shut one step too long. A time within 2 s of a hydraulic step
    is put on it (the events are on steps); any other is rounded to the second."""
    def exact(match):
        seconds = float(match.group(1)) * 3600
        on_step = round(seconds / step_s) * step_s
        s = int(on_step if abs(seconds - on_step) <= 2 else round(seconds))
        return f"AT TIME {s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return _AT_TIME.sub(exact, inp_text)


def _run_epanet(net, step_s: int):
    """EPANET 2.2 on ``net`` (WNTR's toolkit and output reader), its timed controls exact; an error when
    the hydraulics do not converge (never a day cut short silently)."""
    import wntr  # noqa: PLC0415
    from wntr.epanet.io import BinFile  # noqa: PLC0415
    from wntr.epanet.toolkit import ENepanet  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="twin-break-") as tmp:
        inp, rpt, out = (str(Path(tmp) / f"break.{ext}") for ext in ("inp", "rpt", "bin"))
        wntr.network.write_inpfile(net, inp, units=net.options.hydraulic.inpfile_units, version=2.2)
        Path(inp).write_text(_exact_times(Path(inp).read_text(), step_s))
        en = ENepanet(version=2.2)
        en.ENopen(inp, rpt, out)
        en.ENsolveH()
        en.ENsolveQ()
        en.ENreport()
        en.ENclose()
        return BinFile().read(out, True, net.options.hydraulic.headloss == "D-W")


def _with_emitter(wn, timing: Timing, *, required_pressure_m: float, minimum_pressure_m: float,
                  broken_link: str | None, break_area_m2: float, links_to_close: tuple[str, ...]):
    """:func:`with_event`'s network for EPANET: the break's orifice is an emitter at a node of its own,
    behind a 1 m link of the pipe's diameter that is open from the break to the isolation; (network,
    the emitter's node or None)."""
    import wntr  # noqa: PLC0415

    net, leak_node = with_event(wn, timing, required_pressure_m=required_pressure_m,
                                minimum_pressure_m=minimum_pressure_m, broken_link=broken_link,
                                break_area_m2=0.0, links_to_close=links_to_close)
    if leak_node is None or break_area_m2 <= 0 or timing.isolated_s <= timing.break_s:
        return net, None
    split = net.get_node(leak_node)
    orifice, opening = f"{broken_link}__twin_orifice", f"{broken_link}__twin_opening"
    net.add_junction(orifice, base_demand=0.0, elevation=split.elevation, coordinates=split.coordinates)
    net.add_pipe(opening, leak_node, orifice, length=1.0, diameter=net.get_link(broken_link).diameter,
                 roughness=150.0, minor_loss=0.0, initial_status="CLOSED")
    net.get_node(orifice).emitter_coefficient = DISCHARGE_COEFF * break_area_m2 * math.sqrt(2 * G)
    _time_control(net, timing.break_s, opening, wntr.network.LinkStatus.Open, "break")
    _time_control(net, timing.isolated_s, opening, wntr.network.LinkStatus.Closed, "stop")
    return net, orifice


def _controlled_links(net) -> set[str]:
    """Links whose status or setting a control or rule of the network sets (pumps on tank levels…)."""
    names = set()
    for _, control in net.controls():
        for action in control.actions():
            target = action.target()[0]
            if hasattr(target, "start_node_name"):
                names.add(target.name)
    return names


def people_served(mean_demand_m3_s, litres_per_person_day: float):
    """People a node's mean demand [m³/s] stands for at ``litres_per_person_day`` (≈ 148 L in France,
    SISPEA): an estimate, since an EPANET file carries demands, not customers, and some demand is not
    households'. Works on a number or a pandas Series of nodes."""
    return mean_demand_m3_s * 86_400 / (litres_per_person_day / 1000)
