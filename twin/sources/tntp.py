"""TNTP traffic-assignment files (TransportationNetworks): network, trips, best-known flows.

Handles the format's quirks: ``<KEY> value`` metadata (sometimes without a space), ``~``
comment lines anywhere, rows ending in ``;`` (sometimes glued to the last value), trips
files with several ``dest : flow;`` pairs per line and empty ``Origin`` blocks, flow files
with a ``From To Volume Cost`` header and no metadata, ``<FIRST THRU NODE>`` (zones below it
are not routed through), declared node counts above the nodes used, B = 0 with power 0.
Distance and toll weights that only a network's README states are passed as arguments.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from twin.datatypes import Network  # readers produce it; models take it from twin.datatypes
from twin.errors import TwinError

_META = re.compile(r"^<([^>]+)>\s*(.*)$")


class TntpError(TwinError, ValueError):
    """A TNTP file that cannot be used; the message names the file, the line and what is wrong."""


def _read_text(path: Path) -> str:
    """The text of a TNTP file (gzip allowed) of at most MAX_INPUT_BYTES, compressed and uncompressed;
    errors name the file and the line, never its text."""
    from twin.sources.safe_files import InputFileError, read_input_text  # noqa: PLC0415

    if not path.exists():
        raise TntpError(f"{path}: no such file")
    try:
        return read_input_text(path, what="TNTP file")
    except InputFileError as exc:
        raise TntpError(str(exc)) from None


def _read_file(path: Path) -> tuple[list[str], dict, int]:
    """The lines of a TNTP file, its metadata, and the index of the first data line."""
    lines = _read_text(path).splitlines()
    meta, start = _read_metadata(lines, path)
    return lines, meta, start


def _meta_number(meta: dict, key: str, default: float, path) -> float:
    """A numeric metadata entry (``<NUMBER OF NODES> 24``), finite and not negative, or an error naming it."""
    value = meta.get(key) or default
    try:
        x = float(value)
    except ValueError:
        x = float("nan")
    if not math.isfinite(x) or x < 0:
        raise TntpError(f"{path}: metadata <{key}> is not a non-negative number")
    return x


def _read_metadata(lines, path) -> tuple[dict, int]:
    meta = {}
    for i, line in enumerate(lines):
        s = line.strip()
        m = _META.match(s)
        if m:
            key = m.group(1).strip().upper()
            if key == "END OF METADATA":
                return meta, i + 1
            meta[key] = m.group(2).strip()
        elif s and not s.startswith("~"):
            return meta, i  # a file without metadata (e.g. flow files)
    return meta, len(lines)


def read_network(path: str | Path, *, distance_weight: float = 0.0, toll_weight: float = 0.0) -> Network:
    """Read a ``*_net.tntp`` file."""
    path = Path(path)
    lines, meta, start = _read_file(path)
    rows, linenos = [], []
    for i in range(start, len(lines)):
        s = lines[i].split("~")[0].replace(";", " ").strip()
        if not s:
            continue
        parts = s.split()
        if len(parts) < 7:
            raise TntpError(f"{path} line {i + 1}: {len(parts)} columns, expected at least init_node, term_node, "
                            "capacity, length, free_flow_time, b, power")
        row = []
        for k, x in enumerate(parts[:10]):
            try:
                row.append(float(x))
            except ValueError:
                row.append(float("nan"))
            if not math.isfinite(row[-1]):
                raise TntpError(f"{path} line {i + 1}, column {k + 1}: not a finite number") from None
        if any(v < 1 or v != int(v) or v > 2**31 for v in row[:2]):
            raise TntpError(f"{path} line {i + 1}: init_node and term_node must be node numbers 1, 2, …")
        rows.append(row + [0.0] * (10 - len(row)))
        linenos.append(i + 1)
    if not rows:
        raise TntpError(f"{path}: no links")
    a = np.array(rows)
    lineno = np.array(linenos)
    bad = a[:, 2] <= 0
    if bad.any():
        raise TntpError(f"{path} line {lineno[bad][0]}: capacity must be positive (got {a[bad, 2][0]:g}); "
                        f"{int(bad.sum())} link(s) affected")
    if (a[:, 4] < 0).any():
        raise TntpError(f"{path} line {lineno[a[:, 4] < 0][0]}: negative free-flow time")
    if (a[:, 5] < 0).any() or (a[:, 6] < 0).any():
        raise TntpError(f"{path} line {lineno[(a[:, 5] < 0) | (a[:, 6] < 0)][0]}: negative B or power")
    n_nodes = int(max(a[:, 0].max(), a[:, 1].max(), _meta_number(meta, "NUMBER OF NODES", 0, path)))
    declared = int(_meta_number(meta, "NUMBER OF LINKS", len(a), path))
    if declared != len(a):
        raise TntpError(f"{path}: metadata declares {declared} links, the file has {len(a)}")
    return Network(init=a[:, 0].astype(np.int64) - 1, term=a[:, 1].astype(np.int64) - 1, capacity=a[:, 2],
                   length=a[:, 3], fftt=a[:, 4], b=a[:, 5], power=a[:, 6], toll=a[:, 8], n_nodes=n_nodes,
                   n_zones=int(_meta_number(meta, "NUMBER OF ZONES", 0, path)),
                   first_thru_node=int(_meta_number(meta, "FIRST THRU NODE", 1, path)),
                   distance_weight=distance_weight, toll_weight=toll_weight, source=str(path))


def read_trips(path: str | Path, n_nodes: int | None = None) -> pd.DataFrame:
    """Read a ``*_trips.tntp`` file into a long table ``origin, destination, demand`` (0-based, demand > 0).

    Intrazonal demand (origin = destination) never loads the network; its total is kept in
    ``df.attrs["intrazonal_demand"]`` so it is reported, not lost.
    """
    path = Path(path)
    lines, meta, start = _read_file(path)
    rows = []
    intrazonal = 0.0
    origin = None
    for i in range(start, len(lines)):
        s = lines[i].split("~")[0].strip()
        if not s:
            continue
        if s.lower().startswith("origin"):
            try:
                origin = int(s.split()[1])
            except (IndexError, ValueError):
                raise TntpError(f"{path} line {i + 1}: 'Origin' without a zone number") from None
            continue
        if origin is None:
            raise TntpError(f"{path} line {i + 1}: destination flows before any 'Origin' line")
        for pair in s.split(";"):
            if not pair.strip():
                continue
            try:  # the pair is not quoted: the file may not be a TNTP file at all
                d, f = pair.split(":")
                dest, flow = int(d), float(f)
            except ValueError:
                raise TntpError(f"{path} line {i + 1}: expected 'destination : flow' pairs, a node number and a "
                                "number, separated by ';'") from None
            if not math.isfinite(flow):
                raise TntpError(f"{path} line {i + 1}: demand to {dest} is not a finite number")
            if flow < 0:
                raise TntpError(f"{path} line {i + 1}: negative demand {flow:g} from {origin} to {dest}")
            if flow > 0 and dest == origin:
                intrazonal += flow  # never on the network, but counted and reported
            elif flow > 0:
                rows.append((origin - 1, dest - 1, flow, i + 1))
    df = pd.DataFrame(rows, columns=["origin", "destination", "demand", "line"])
    if n_nodes is not None:
        bad = (df["origin"] >= n_nodes) | (df["destination"] >= n_nodes) | (df["origin"] < 0) | (df["destination"] < 0)
        if bad.any():
            r = df[bad].iloc[0]
            raise TntpError(f"{path} line {int(r['line'])}: OD pair {int(r['origin']) + 1} → {int(r['destination']) + 1} "
                            f"names a node that the network (nodes 1…{n_nodes}) does not have")
    total = _meta_number(meta, "TOTAL OD FLOW", 0, path)
    if total and abs(float(total) - df["demand"].sum() - intrazonal) > 1e-6 * max(1.0, float(total)):
        raise TntpError(f"{path}: demand adds up to {df['demand'].sum() + intrazonal:g}, metadata says {float(total):g}")
    df = df.drop(columns="line")
    df.attrs["intrazonal_demand"] = intrazonal
    return df


def read_flows(path: str | Path) -> pd.DataFrame:
    """Best-known link flows (``From To Volume Cost``), 0-based nodes."""
    path = Path(path)
    try:
        df = pd.read_csv(io.StringIO(_read_text(path)), sep=r"\s+", engine="python")
    except pd.errors.EmptyDataError:
        raise TntpError(f"{path}: empty file (expected a 'From To Volume Cost' header)") from None
    except (pd.errors.ParserError, ValueError) as exc:
        why = str(exc).split(". ")[-1] if isinstance(exc, pd.errors.ParserError) else type(exc).__name__
        raise TntpError(f"{path}: not a readable table ({why[:120]})") from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = {"from", "to", "volume"} - set(df.columns)
    if missing:
        raise TntpError(f"{path}: missing column(s) {sorted(missing)} in the header (line 1)")
    for col in ("from", "to", "volume"):
        v = pd.to_numeric(df[col], errors="coerce")
        bad = v.isna() | np.isinf(v.to_numpy(float)) | ((v < 1) | (v != v.round()) if col != "volume" else False)
        if bad.any():
            raise TntpError(f"{path} line {int(bad.to_numpy().argmax()) + 2}: column {col!r} is not a "
                            + ("node number" if col != "volume" else "finite number"))
        df[col] = v.astype(np.int64) if col != "volume" else v
    df["from"] -= 1
    df["to"] -= 1
    return df
