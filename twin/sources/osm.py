"""Read a local OpenStreetMap extract (``.osm``, ``.osm.gz``, ``.osm.bz2``, ``.osm.pbf``).

The reader is deliberately tolerant of what users really hand us: Overpass
bounding-box extracts whose ways reference nodes that lie outside the box
("clipped" ways). osmnx refuses such files ("edges missing nodes"); here every
way keeps the references it has, and the builders downstream decide what to do
with the incomplete ones (a street is cut into its complete runs, a building
ring that cannot be closed is dropped) and count it in the build report.

It is strict about what is *broken*, and says where. A file is refused with an
:class:`OsmFileError` naming the file, the line and the object when:

* a ``node``, ``way`` or ``relation`` has no ``id`` or an id that is not an
  integer of at most 64 bits, an ``nd``/``member`` has a ``ref`` that is not one
  (``ref="three"``), a ``member`` type is not node/way/relation, a ``tag`` lacks
  ``k`` or ``v``, or an ``nd``/``member``/``tag`` stands outside its parent;
* a node has no ``lat``/``lon``, or coordinates that are not decimal numbers
  (``"abc"``, ``"nan"``, ``"inf"``) or out of range (``|lat| > 90``,
  ``|lon| > 180``, e.g. ``1e308`` or 95°). Such a node is **refused, never
  dropped**: the OSM API never writes one, so it means a damaged or hand-edited
  file, and dropping it would silently cut the streets through it;
* an id appears twice with different content (an identical repeat is harmless
  and accepted);
* the XML declares entities (``<!ENTITY``): no OSM writer does, and it is how
  "billion laughs" and external-entity (XXE) files work;
* the file is not well-formed XML, cannot be decompressed, or exceeds a limit.

Limits (:class:`OsmLimits`, overridable with ``read_osm(path, limits=...)`` or
``Territory.from_osm(path, limits=...)``, or for every call by replacing ``DEFAULT_LIMITS``)
bound the decompressed size, the number of XML elements, of nodes, ways and
relations, and the nesting depth. They are checked *while streaming*: the
decompressed text is read and parsed in 1 MiB chunks and no XML tree is kept,
so a small gzip that inflates to gigabytes of empty elements is stopped at the
limit, after reading no more than the limit plus one chunk, in bounded memory.
Measured (``twin build``, peak RSS): a 39 kB gzip of 10 million empty elements
took 856 MB and 28 s with the former ElementTree reader, which kept every
element; this reader reads it in 8 s within 5 MB of the process's baseline, and
refuses a 1.2 MB gzip of 300 million empty elements at ``max_elements`` (13 s)
and a 1.5 MB gzip of 1.5 GB of blanks at ``max_bytes`` (6 s), both within 5 MB.
What is not bounded below ``max_bytes``: expat holds one attribute value whole,
so a single value of hundreds of megabytes is held in memory until the limit.

Nothing here touches the network: the file is the only input.

OSM data is © OpenStreetMap contributors, available under the Open Database
Licence 1.0 (https://www.openstreetmap.org/copyright).
"""

from __future__ import annotations

import bz2
import gzip
import io
import math
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from twin.errors import TwinError

OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)"


class OsmFileError(TwinError, ValueError):
    """An OSM file that cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class OsmLimits:
    """What :func:`read_osm` accepts at most; a file beyond a limit is refused while it is read.

    The defaults are sized from the Redon centre extract, which they exceed ~400 times.
    Measured on it (2.8 MB of XML, 10 392 nodes, 1 752 ways, ~61 000 XML
    elements): about 270 bytes of XML per node, ~45 bytes per element, and the parsed
    data take ~8.7 MB of memory, i.e. ~3 bytes of memory per byte of XML. The
    default ``max_bytes`` (1 GiB of XML, so ~3 GB of memory) is therefore the bound
    that matters for memory; the counts are set consistently with it
    (1 GiB ≈ 4 million nodes ≈ 20 million elements at Redon's density), so that a
    file of tiny elements is stopped as early as a file of large ones.

    Attributes
    ----------
    max_bytes : decompressed bytes of XML (the compressed size is irrelevant).
    max_elements : XML elements of every kind (node, way, nd, tag, member, unknown ones…).
    max_nodes, max_ways, max_relations : OSM objects of each type.
    max_depth : element nesting depth; OSM XML nests 3 levels (osm > way > nd).
    """

    max_bytes: int = 1 << 30
    max_elements: int = 20_000_000
    max_nodes: int = 5_000_000
    max_ways: int = 1_000_000
    max_relations: int = 200_000
    max_depth: int = 16


DEFAULT_LIMITS = OsmLimits()
_CHUNK = 1 << 20  # bytes of decompressed XML fed to the parser at a time
_ID = re.compile(r"-?[0-9]+\Z")
# a decimal number as OSM writes it; Python's float() would also take "nan", "inf", "1_0" and spaces
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_INT64 = 2 ** 63
_MEMBER_TYPES = ("node", "way", "relation")


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


def read_osm(path: str | Path, *, limits: OsmLimits | None = None) -> OsmData:
    """Read an OSM XML (optionally gzip/bzip2-compressed) or PBF file.

    Parameters
    ----------
    path : path to ``*.osm``, ``*.osm.gz``, ``*.osm.bz2``, ``*.xml`` or ``*.osm.pbf``.
    limits : bounds on size and counts (:class:`OsmLimits`), enforced while the file is
        read; default the module's ``DEFAULT_LIMITS`` *at call time*, so that callers
        going through :meth:`twin.territory.Territory.from_osm` can raise them with
        ``twin.sources.osm.DEFAULT_LIMITS = OsmLimits(max_nodes=...)``.

    Returns
    -------
    OsmData with every node, way and relation of the file; references to
    objects outside the file are kept as they are (see ``OsmData.clipped_ways``).

    Raises
    ------
    OsmFileError
        if the file is missing, empty, not OSM, not well-formed, damaged (bad id,
        reference or coordinate: the message gives the line and the object) or
        beyond a limit (the message names the limit and how to raise it).
    """
    path = Path(path)
    limits = DEFAULT_LIMITS if limits is None else limits
    if not path.exists():
        raise OsmFileError(f"{path}: no such file")
    if path.is_dir():
        raise OsmFileError(f"{path}: is a directory, expected an OpenStreetMap extract file")
    if path.stat().st_size == 0:
        raise OsmFileError(f"{path}: the file is empty (expected an OpenStreetMap extract)")
    if path.name.lower().endswith(".pbf"):
        return _read_pbf(path, limits)
    data = OsmData(path=path)
    try:
        with _open_bytes(path) as fh:
            _XmlReader(data, limits).read(fh)
    except (OSError, EOFError, zlib.error) as exc:
        # gzip.BadGzipFile is an OSError; a damaged deflate stream raises zlib.error
        raise OsmFileError(f"{path}: cannot be decompressed or read ({_one_line(exc)})") from None
    if not data.node_lonlat and not data.ways:
        raise OsmFileError(f"{path}: contains no OSM nodes or ways (expected an OpenStreetMap extract)")
    return data


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _limit_error(path: Path, what: str, name: str, value: int) -> OsmFileError:
    return OsmFileError(f"{path}: more than {value:,} {what} (limit OsmLimits.{name}); the file is too large "
                        f"for a territory, or damaged — cut a smaller extract, or, if it is genuine, raise the "
                        f"limit (Territory.from_osm(..., limits=OsmLimits({name}=...)) or read_osm(..., limits=...))")


class _XmlReader:
    """Streaming OSM XML reader on expat: handlers fill ``OsmData``, no element tree is kept."""

    def __init__(self, data: OsmData, limits: OsmLimits):
        self.data, self.limits = data, limits
        self.path = data.path
        self.stack: list[str] = []
        self.elements = 0
        self.obj: tuple[str, int, int] | None = None  # (type, id, line) of the open node/way/relation
        self.tags: dict[str, str] = {}
        self.refs: list[int] = []
        self.members: list[tuple[str, int, str]] = []
        self.lonlat: tuple[float, float] | None = None
        p = expat.ParserCreate()
        p.buffer_text = True
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        # OSM writers never declare entities; refusing any declaration rules out entity
        # expansion bombs and external entities whatever the expat version
        p.EntityDeclHandler = self.entity_decl
        p.UnparsedEntityDeclHandler = self.entity_decl
        p.ExternalEntityRefHandler = self.external_ref
        self.parser = p

    # -- errors -----------------------------------------------------------------
    def where(self) -> str:
        line = self.parser.CurrentLineNumber
        if self.obj is not None:
            kind, oid, oline = self.obj
            return f"line {line}, in {kind} {oid}" + (f" (from line {oline})" if line != oline else "")
        return f"line {line}"

    def fail(self, what: str) -> OsmFileError:
        return OsmFileError(f"{self.path}: {self.where()}: {what}; the file is damaged or not an OSM export")

    def entity_decl(self, name, *args) -> None:
        raise OsmFileError(f"{self.path}: declares the XML entity {name!r} at line {self.parser.CurrentLineNumber}; "
                           "OSM files declare none, entities are refused (entity-expansion and external-entity attacks)")

    def external_ref(self, *args) -> int:
        raise OsmFileError(f"{self.path}: refers to an external entity at line {self.parser.CurrentLineNumber}; refused")

    # -- reading ----------------------------------------------------------------
    def read(self, fh) -> None:
        total = 0
        try:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > self.limits.max_bytes:
                    raise _limit_error(self.path, "bytes of decompressed XML", "max_bytes", self.limits.max_bytes)
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise OsmFileError(f"{self.path}: not well-formed OSM XML at line {exc.lineno}, column {exc.offset} "
                               f"({expat.ErrorString(exc.code)})") from None

    def int_attr(self, attrs: dict, name: str, element: str) -> int:
        value = attrs.get(name)
        if value is None:
            raise self.fail(f"<{element}> without {name}")
        if not _ID.match(value) or not -_INT64 <= int(value) < _INT64:
            raise self.fail(f"<{element}> {name}={value[:40]!r} is not a 64-bit integer")
        return int(value)

    def coordinate(self, attrs: dict, name: str, bound: float) -> float:
        value = attrs.get(name)
        if value is None:
            raise self.fail(f"node without {name} (a deleted or history node? export a current extract instead)")
        x = float(value) if _DECIMAL.match(value) else math.nan
        if not -bound <= x <= bound:  # also false for NaN
            raise self.fail(f"{name}={value[:40]!r} is not a decimal number of degrees in [-{bound:g}, {bound:g}]")
        return x

    def start(self, tag: str, attrs: dict) -> None:
        self.elements += 1
        lim = self.limits
        if self.elements > lim.max_elements:
            raise _limit_error(self.path, "XML elements", "max_elements", lim.max_elements)
        parent = self.stack[-1] if self.stack else None
        self.stack.append(tag)
        if len(self.stack) > lim.max_depth:
            raise self.fail(f"elements nested more than {lim.max_depth} deep")
        if parent is None:
            if tag != "osm":
                raise OsmFileError(f"{self.path}: root element is <{tag}>, expected <osm>")
            self.data.generator = attrs.get("generator")
            return
        if tag in _MEMBER_TYPES:
            if parent != "osm":
                raise self.fail(f"<{tag}> inside <{parent}>")
            oid = self.int_attr(attrs, "id", tag)
            self.obj = (tag, oid, self.parser.CurrentLineNumber)
            self.tags, self.refs, self.members = {}, [], []
            if tag == "node":
                # lat first, as OSM writes them; both are checked before the node is kept
                lat = self.coordinate(attrs, "lat", 90.0)
                lon = self.coordinate(attrs, "lon", 180.0)
                self.lonlat = (lon, lat)
            return
        if tag == "tag":
            if parent not in _MEMBER_TYPES:
                if parent in ("osm", "nd", "member", "tag"):
                    raise self.fail(f"<tag> inside <{parent}>")
                return  # tags of other elements (e.g. <changeset>) are not ours to read
            k, v = attrs.get("k"), attrs.get("v")
            if k is None or v is None:
                raise self.fail(f"<tag> without {'k' if k is None else 'v'}")
            self.tags[k] = v
        elif tag == "nd":
            if parent != "way":
                raise self.fail(f"<nd> inside <{parent}>, expected inside <way>")
            self.refs.append(self.int_attr(attrs, "ref", "nd"))
        elif tag == "member":
            if parent != "relation":
                raise self.fail(f"<member> inside <{parent}>, expected inside <relation>")
            mtype = attrs.get("type")
            if mtype not in _MEMBER_TYPES:
                raise self.fail(f"<member> type={str(mtype)[:40]!r}, expected node, way or relation")
            self.members.append((mtype, self.int_attr(attrs, "ref", "member"), attrs.get("role") or ""))
        elif tag == "meta" and parent == "osm":
            self.data.osm_base = attrs.get("osm_base")

    def end(self, tag: str) -> None:
        self.stack.pop()
        if tag not in _MEMBER_TYPES or self.stack != ["osm"]:
            return
        kind, oid, _ = self.obj
        data, lim = self.data, self.limits
        if kind == "node":
            previous = data.node_lonlat.get(oid)
            if previous is not None and (previous != self.lonlat or data.node_tags.get(oid, {}) != self.tags):
                raise self.fail("node id repeated with other coordinates or tags")
            data.node_lonlat[oid] = self.lonlat
            if len(data.node_lonlat) > lim.max_nodes:
                raise _limit_error(self.path, "nodes", "max_nodes", lim.max_nodes)
            if self.tags:
                data.node_tags[oid] = self.tags
        elif kind == "way":
            previous = data.ways.get(oid)
            if previous is not None and (previous.refs != self.refs or previous.tags != self.tags):
                raise self.fail("way id repeated with other nodes or tags")
            data.ways[oid] = OsmWay(oid, self.refs, self.tags)
            if len(data.ways) > lim.max_ways:
                raise _limit_error(self.path, "ways", "max_ways", lim.max_ways)
        else:
            previous = data.relations.get(oid)
            if previous is not None and (previous.members != self.members or previous.tags != self.tags):
                raise self.fail("relation id repeated with other members or tags")
            data.relations[oid] = OsmRelation(oid, self.members, self.tags)
            if len(data.relations) > lim.max_relations:
                raise _limit_error(self.path, "relations", "max_relations", lim.max_relations)
        self.obj = None
        self.tags, self.refs, self.members = {}, [], []


def _read_pbf(path: Path, limits: OsmLimits) -> OsmData:
    """Read a PBF file with pyosmium (libosmium's Python bindings), with the same checks as the XML reader.

    PBF stores ids as 64-bit integers and coordinates as fixed-point integers, so the
    only coordinate check left is the range (osmium's ``location.valid()``).
    ``limits.max_bytes`` does not apply (PBF blocks are bounded by the format); the
    counts do.
    """
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
                if not obj.location.valid():
                    raise OsmFileError(f"{path}: node {obj.id} has no valid location (lat in [-90, 90], "
                                       "lon in [-180, 180]); the file is damaged")
                data.node_lonlat[obj.id] = (obj.location.lon, obj.location.lat)
                if len(data.node_lonlat) > limits.max_nodes:
                    raise _limit_error(path, "nodes", "max_nodes", limits.max_nodes)
                if tags:
                    data.node_tags[obj.id] = tags
            elif obj.is_way():
                data.ways[obj.id] = OsmWay(obj.id, [n.ref for n in obj.nodes], tags)
                if len(data.ways) > limits.max_ways:
                    raise _limit_error(path, "ways", "max_ways", limits.max_ways)
            elif obj.is_relation():
                members = [({"n": "node", "w": "way", "r": "relation"}[m.type], m.ref, m.role) for m in obj.members]
                data.relations[obj.id] = OsmRelation(obj.id, members, tags)
                if len(data.relations) > limits.max_relations:
                    raise _limit_error(path, "relations", "max_relations", limits.max_relations)
    except (RuntimeError, OSError, ValueError, KeyError) as exc:
        if isinstance(exc, OsmFileError):
            raise
        raise OsmFileError(f"{path}: not a readable PBF file ({_one_line(exc)})") from None
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
