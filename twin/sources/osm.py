"""Read a local OpenStreetMap extract (``.osm``, ``.osm.gz``, ``.osm.bz2``, ``.osm.pbf``).

The reader is deliberately tolerant of what users really hand us: Overpass
bounding-box extracts whose ways reference nodes that lie outside the box
("clipped" ways). osmnx refuses such files ("edges missing nodes"); here every
way keeps the references it has, and the builders downstream decide what to do
with the incomplete ones (a street is cut into its complete runs, a building
ring that cannot be closed is dropped) and count it in the build report.

Nothing here touches the network: the file is the only input.

OSM data is © OpenStreetMap contributors, available under the Open Database
Licence 1.0 (https://www.openstreetmap.org/copyright).
"""

from __future__ import annotations

import bz2
import gzip
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)"


class OsmFileError(ValueError):
    """An OSM file that cannot be read; the message names the file and what is wrong."""


@dataclass
class OsmWay:
    id: int
    refs: list[int]
    tags: dict[str, str]


@dataclass
class OsmRelation:
    id: int
    members: list[tuple[str, int, str]]  # (type, ref, role)
    tags: dict[str, str]


@dataclass
class OsmData:
    """The raw content of an OSM file: nodes (lon, lat in WGS84 degrees), ways, relations."""

    path: Path
    node_lonlat: dict[int, tuple[float, float]] = field(default_factory=dict)
    node_tags: dict[int, dict[str, str]] = field(default_factory=dict)
    ways: dict[int, OsmWay] = field(default_factory=dict)
    relations: dict[int, OsmRelation] = field(default_factory=dict)
    osm_base: str | None = None
    generator: str | None = None

    def missing_refs(self, way: OsmWay) -> int:
        """Number of node references of ``way`` that are absent from the file."""
        return sum(1 for r in way.refs if r not in self.node_lonlat)

    def clipped_ways(self) -> list[int]:
        """Ids of the ways that reference at least one node missing from the file."""
        return [w.id for w in self.ways.values() if self.missing_refs(w)]

    def bounds(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) of the nodes in the file, degrees."""
        lons = [p[0] for p in self.node_lonlat.values()]
        lats = [p[1] for p in self.node_lonlat.values()]
        return min(lons), min(lats), max(lons), max(lats)


def _open_bytes(path: Path) -> io.BufferedIOBase:
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rb")
    if name.endswith(".bz2"):
        return bz2.open(path, "rb")
    return open(path, "rb")


def read_osm(path: str | Path) -> OsmData:
    """Read an OSM XML (optionally gzip/bzip2-compressed) or PBF file.

    Parameters
    ----------
    path : path to ``*.osm``, ``*.osm.gz``, ``*.osm.bz2``, ``*.xml`` or ``*.osm.pbf``.

    Returns
    -------
    OsmData with every node, way and relation of the file; references to
    objects outside the file are kept as they are (see ``OsmData.clipped_ways``).

    Raises
    ------
    OsmFileError
        if the file is missing, empty, not OSM, or not well-formed (the message
        gives the line and column of the XML error).
    """
    path = Path(path)
    if not path.exists():
        raise OsmFileError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise OsmFileError(f"{path}: the file is empty (expected an OpenStreetMap extract)")
    if path.name.lower().endswith(".pbf"):
        return _read_pbf(path)
    data = OsmData(path=path)
    try:
        with _open_bytes(path) as fh:
            _parse_xml(fh, data)
    except ET.ParseError as exc:
        line, col = exc.position
        raise OsmFileError(
            f"{path}: not well-formed OSM XML at line {line}, column {col} ({exc.msg if hasattr(exc, 'msg') else exc})"
        ) from None
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise OsmFileError(f"{path}: cannot be decompressed or read ({exc})") from None
    if not data.node_lonlat and not data.ways:
        raise OsmFileError(f"{path}: contains no OSM nodes or ways (expected an OpenStreetMap extract)")
    return data


def _parse_xml(fh, data: OsmData) -> None:
    root_seen = False
    current_tags: dict[str, str] = {}
    current_refs: list[int] = []
    current_members: list[tuple[str, int, str]] = []
    for event, elem in ET.iterparse(fh, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if not root_seen:
                root_seen = True
                if tag != "osm":
                    raise OsmFileError(f"{data.path}: root element is <{tag}>, expected <osm>")
                data.generator = elem.get("generator")
            if tag in ("node", "way", "relation"):
                current_tags, current_refs, current_members = {}, [], []
            continue
        if tag == "tag":
            current_tags[elem.get("k")] = elem.get("v")
        elif tag == "nd":
            current_refs.append(int(elem.get("ref")))
        elif tag == "member":
            current_members.append((elem.get("type"), int(elem.get("ref")), elem.get("role") or ""))
        elif tag == "node":
            nid = int(elem.get("id"))
            lat, lon = elem.get("lat"), elem.get("lon")
            if lat is not None and lon is not None:
                data.node_lonlat[nid] = (float(lon), float(lat))
            if current_tags:
                data.node_tags[nid] = current_tags
            elem.clear()
        elif tag == "way":
            wid = int(elem.get("id"))
            data.ways[wid] = OsmWay(wid, current_refs, current_tags)
            elem.clear()
        elif tag == "relation":
            rid = int(elem.get("id"))
            data.relations[rid] = OsmRelation(rid, current_members, current_tags)
            elem.clear()
        elif tag == "meta":
            data.osm_base = elem.get("osm_base")


def _read_pbf(path: Path) -> OsmData:
    """Read a PBF file with pyosmium (libosmium's Python bindings)."""
    try:
        import osmium  # noqa: PLC0415
    except ImportError:
        raise OsmFileError(
            f"{path}: reading .pbf files needs the 'osmium' package (pip install osmium); "
            "or convert the file to .osm with osmium-tool"
        ) from None
    data = OsmData(path=path, generator="pbf")
    try:
        for obj in osmium.FileProcessor(str(path)):
            tags = {t.k: t.v for t in obj.tags}
            if obj.is_node():
                if obj.location.valid():
                    data.node_lonlat[obj.id] = (obj.location.lon, obj.location.lat)
                if tags:
                    data.node_tags[obj.id] = tags
            elif obj.is_way():
                data.ways[obj.id] = OsmWay(obj.id, [n.ref for n in obj.nodes], tags)
            elif obj.is_relation():
                members = [(m.type and {"n": "node", "w": "way", "r": "relation"}[m.type], m.ref, m.role) for m in obj.members]
                data.relations[obj.id] = OsmRelation(obj.id, members, tags)
    except RuntimeError as exc:
        raise OsmFileError(f"{path}: not a readable PBF file ({exc})") from None
    if not data.node_lonlat and not data.ways:
        raise OsmFileError(f"{path}: contains no OSM nodes or ways")
    return data


def complete_runs(refs: list[int], present) -> list[list[int]]:
    """Split a way's node references into maximal runs of nodes present in the file.

    A clipped way ``a b [x] c d e`` (``x`` outside the extract) becomes
    ``[[a, b], [c, d, e]]``; runs of fewer than two nodes are dropped since they
    carry no segment.
    """
    runs: list[list[int]] = []
    run: list[int] = []
    for r in refs:
        if r in present:
            run.append(r)
        else:
            if len(run) >= 2:
                runs.append(run)
            run = []
    if len(run) >= 2:
        runs.append(run)
    return runs
