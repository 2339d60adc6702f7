"""EPANET ``.inp`` files: the water network a utility and its consultants exchange (issue 22).

Read with WNTR (Klise et al., *A software framework for assessing the resilience of drinking water
systems to disasters with an example earthquake case study*, Environ. Model. Softw. 95, 2017), which
parses the file as EPANET 2.2 does and keeps every quantity in SI units (m, m³/s, s) whatever the
file's own units (GPM, CMH, LPS…). This module only reads and summarises; scenarios run the network
(:mod:`twin.models.water_hydraulics`).
"""

from __future__ import annotations

from pathlib import Path

from twin.errors import bounded
from twin.sources.safe_files import InputFileError

MAX_INP_BYTES = 50_000_000
"""Largest .inp read (bytes); a city of 100,000 pipes is about 15 MB."""


class NetworkFileError(InputFileError):
    """An EPANET file that cannot be read: it names the file and what EPANET's parser said."""


def read_network(path: str | Path):
    """The ``wntr.network.WaterNetworkModel`` of the EPANET file ``path``.

    Raises :class:`NetworkFileError` naming the file (and the line, when the parser gives it) for a
    file that is missing, too large, not an EPANET input file or inconsistent (a pipe to an unknown
    node, a missing section). Nothing is kept from a file that fails.
    """
    import wntr  # noqa: PLC0415 - heavy (numpy, networkx, scipy sparse): loaded when a network is read

    checked = Path(path).expanduser()
    if not checked.is_file():
        raise NetworkFileError(f"{path}: no such file (an EPANET .inp file was expected)")
    if checked.stat().st_size > MAX_INP_BYTES:
        raise NetworkFileError(f"{checked.name}: {checked.stat().st_size:,} bytes, larger than the "
                               f"{MAX_INP_BYTES:,} an EPANET file of a city takes")
    try:
        wn = wntr.network.WaterNetworkModel(str(checked))
    except Exception as exc:  # noqa: BLE001 - WNTR raises many kinds (syntax, key, attribute) for one cause
        detail = " ".join(str(exc).split())  # its messages span lines
        raise NetworkFileError(f"{checked.name}: not a readable EPANET input file ({type(exc).__name__}: "
                               f"{bounded(detail, 300)})") from None
    if not wn.num_nodes or not wn.num_links:
        raise NetworkFileError(f"{checked.name}: no node or no link: expected [JUNCTIONS] and [PIPES] sections "
                               "of an EPANET input file")
    if not wn.num_reservoirs and not wn.num_tanks:
        raise NetworkFileError(f"{checked.name}: no reservoir and no tank: the network has no source of water")
    return wn


def network_summary(wn) -> dict:
    """Counts and extents of a network: what ``twin water info`` prints (lengths in km, times in h)."""
    pipes = [wn.get_link(n) for n in wn.pipe_name_list]
    valves = {str(wn.get_link(n).valve_type) for n in wn.valve_name_list}
    coords = [wn.get_node(n).coordinates for n in wn.node_name_list]
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    base = sum(wn.get_node(n).demand_timeseries_list.at(0) for n in wn.junction_name_list)
    return {
        "junctions": wn.num_junctions, "tanks": wn.num_tanks, "reservoirs": wn.num_reservoirs,
        "pipes": wn.num_pipes, "pumps": wn.num_pumps, "valves": wn.num_valves,
        "valve_types": sorted(valves), "patterns": wn.num_patterns, "controls": wn.num_controls,
        "pipe_length_km": round(sum(p.length for p in pipes) / 1000, 3),
        "diameter_mm": {"min": round(min(p.diameter for p in pipes) * 1000, 1) if pipes else None,
                        "max": round(max(p.diameter for p in pipes) * 1000, 1) if pipes else None},
        "demand_at_start_l_s": round(base * 1000, 3),
        "units_in_file": str(wn.options.hydraulic.inpfile_units),
        "headloss": str(wn.options.hydraulic.headloss),
        "demand_model": str(wn.options.hydraulic.demand_model),
        "duration_h": wn.options.time.duration / 3600,
        "hydraulic_step_min": wn.options.time.hydraulic_timestep / 60,
        "extent": {"xmin": min(xs), "ymin": min(ys), "xmax": max(xs), "ymax": max(ys)},
    }


def read_valves(path: str | Path, wn) -> list[tuple[str, str]]:
    """Isolation valves of ``wn`` from a CSV with columns ``link`` and ``node`` (one valve a line: on
    that link, next to that node — WNTR's valve layer). An error names the file, the line and the
    unknown link or node; nothing is dropped."""
    import csv  # noqa: PLC0415

    path = Path(path)
    if not path.is_file():
        raise NetworkFileError(f"{path}: no such file (a CSV of valves, columns link,node, was expected)")
    valves = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"link", "node"} - set(reader.fieldnames or [])
        if missing:
            raise NetworkFileError(f"{path.name}: missing column(s) {sorted(missing)}; expected a header "
                                   f"'link,node' (got {reader.fieldnames})")
        for line, row in enumerate(reader, start=2):
            link, node = (row["link"] or "").strip(), (row["node"] or "").strip()
            if link not in wn.link_name_list:
                raise NetworkFileError(f"{path.name}, line {line}: link {link!r} is not in the network")
            ends = (wn.get_link(link).start_node_name, wn.get_link(link).end_node_name)
            if node not in ends:
                raise NetworkFileError(f"{path.name}, line {line}: node {node!r} is not an end of link {link!r} "
                                       f"(its ends: {ends[0]!r}, {ends[1]!r})")
            valves.append((link, node))
    return valves
