"""The Territory: street graphs, asset layers, sensor store and provenance of one place.

``Territory`` is the one object every model and scenario receives. Build it from
a local OSM extract with :meth:`Territory.from_osm`, save it with
:meth:`Territory.save` and load it back in well under a second with
:meth:`Territory.load`. It is cheap to copy with changes
(:meth:`Territory.replace`, :meth:`Territory.without_edges`): a scenario closes
streets on a copy, never on the original.
"""

from __future__ import annotations

import copy as _copy
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import geopandas as gpd
import networkx as nx
import osmnx as ox
import pandas as pd

from twin.errors import TwinError
from twin.sources.osm import OSM_ATTRIBUTION, OsmData, OsmLimits, read_osm
from twin.territory.assets import extract_assets
from twin.territory.lamps import DEFAULT_LAMP_SEED, cabinets_from_lamps, generate_lamps
from twin.territory.streets import build_street_graph, street_segments

__all__ = ["Territory", "TerritoryBuildError", "BuildReport", "check_defaults"]

FORMAT_VERSION = 1
NETWORKS = ("drive", "walk")


class TerritoryBuildError(TwinError, ValueError):
    """A territory that cannot be built from the given source; the message says why."""


@dataclass
class BuildReport:
    """What was read, what was dropped and why, what was generated — shown by ``twin info``."""

    source: str
    osm_nodes: int = 0
    osm_ways: int = 0
    osm_relations: int = 0
    clipped_ways: int = 0
    networks: dict = field(default_factory=dict)
    layers_kept: dict = field(default_factory=dict)
    dropped: list = field(default_factory=list)  # [{"layer", "reason", "count"}]
    generated: list = field(default_factory=list)  # [{"layer", "count", "how", "seed"}]
    build_seconds: float = 0.0
    joined: list = field(default_factory=list)  # [{"source", "file", **figures}] reference data joined to layers

    def lines(self) -> list[str]:
        """Human-readable report, one line per fact."""
        out = [f"read {self.source}: {self.osm_nodes} nodes, {self.osm_ways} ways, "
               f"{self.osm_relations} relations; {self.clipped_ways} ways reference nodes outside the extract"]
        for net, s in self.networks.items():
            out.append(f"{net} network: {s['ways_used']} ways used ({s['ways_clipped']} clipped, cut into "
                       f"{s['clipped_pieces_kept']} complete pieces), {s['ways_dropped_incomplete']} dropped "
                       f"(no complete segment), {s['nodes_dropped_disconnected']} nodes outside the largest "
                       f"connected component dropped")
        for d in self.dropped:
            out.append(f"dropped {d['count']} from {d['layer']}: {d['reason']}")
        for g in self.generated:
            out.append(f"generated {g['count']} {g['layer']} (source='generated', seed {g['seed']}): {g['how']}")
        for j in self.joined:
            if j["source"] == "bdtopo":
                out.append(f"BD TOPO {j['file']}: {j['matched']} of {j['buildings']} buildings matched "
                           f"({j['reference_matched']} of {j['reference_in_territory']} BD TOPO buildings in the "
                           f"territory), {j['dwellings_joined']:g} dwellings ({j['dwellings_unmatched']:g} in BD TOPO "
                           f"buildings OSM does not map), storeys given to {j['levels_filled']}, use to "
                           f"{j['use_filled']}")
            elif j["source"] == "ban":
                out.append(f"BAN {j['file']}: {j['addresses_placed']} of {j['addresses']} addresses placed, "
                           f"{j['buildings_addressed_from_ban']} buildings addressed from the BAN "
                           f"({j['buildings_addressed']} addressed in all)")
            for note in j.get("notes", []):
                out.append(f"  {note}")
        out.append(f"built in {self.build_seconds:.2f} s")
        return out


@dataclass
class Territory:
    """A territory: projected street graphs, asset layers, sensors and provenance.

    Attributes
    ----------
    name : short name (``"redon"``)
    crs : projected CRS of every graph and layer (metres)
    graphs : ``{"drive": MultiDiGraph, "walk": MultiDiGraph}``, osmnx conventions,
        edge ``length`` in metres
    layers : ``{"buildings": GeoDataFrame, ...}`` each with ``id`` and ``source``
    sensors : the territory's :class:`twin.sensors.SensorStore`, or None
    provenance : source file, licence, attribution, generation seeds
    report : the :class:`BuildReport` of the build from OSM
    defaults : the territory's own scenario defaults, plain JSON per scenario family, e.g.
        ``{"flood": {"rain_gauge": "rg-redon"}, "bins": {"market": {...}}}``: what a scenario
        parameter left empty resolves to on this territory (the seed's come from its ``seed.json``,
        :func:`twin.seeds.seed_defaults`; each family documents the keys it reads)
    """

    name: str
    crs: str
    graphs: dict[str, nx.MultiDiGraph]
    layers: dict[str, gpd.GeoDataFrame]
    provenance: dict
    report: BuildReport
    sensors: object | None = None
    defaults: dict = field(default_factory=dict)

    def __post_init__(self):
        # however the territory is made (from OSM, loaded, a copy with changes): checked, and its own copy
        self.defaults = check_defaults(self.defaults, f"territory {self.name!r} defaults")

    # ------------------------------------------------------------------ build
    @classmethod
    def from_osm(cls, path: str | Path, name: str | None = None, *, lamps: str = "generate-if-missing",
                 lamp_seed: int = DEFAULT_LAMP_SEED, crs: str | None = None,
                 limits: OsmLimits | None = None, defaults: dict | None = None) -> "Territory":
        """Build a territory from a local OSM extract, offline.

        Parameters
        ----------
        path : ``.osm``, ``.osm.gz``, ``.osm.bz2`` or ``.osm.pbf`` file; clipped
            (bounding-box) extracts are accepted, incomplete parts are cut or
            dropped and counted in ``report``.
        name : territory name; default the file name without extensions.
        lamps : ``"generate-if-missing"`` (default: generate lamps when the extract
            maps none), ``"osm-only"``, or ``"generate"`` (always generate, dropping OSM lamps).
        lamp_seed : seed of the lamp generator.
        crs : projected CRS; default the local UTM zone.
        limits : what the OSM reader accepts at most (:class:`twin.sources.osm.OsmLimits`: decompressed
            bytes, XML elements, nodes, ways, relations, depth); default the reader's
            ``DEFAULT_LIMITS`` (sized ~400 times the Redon extract). Raise them for a genuinely
            large extract, e.g. ``limits=OsmLimits(max_nodes=20_000_000)``.
        defaults : the territory's own scenario defaults (see the class), ``{family: {key: JSON value}}``;
            default none: every scenario parameter whose default is "the territory's own" must then be
            given, or found in the sensor registry where the family says so.

        Raises
        ------
        OsmFileError : unreadable, empty or malformed file, or one beyond ``limits``.
        TerritoryBuildError : a file with no usable street network, or ``defaults`` not as above.
        """
        t0 = time.perf_counter()
        defaults = check_defaults({} if defaults is None else defaults, "defaults")
        path = Path(path)
        osm = read_osm(path, limits=limits)
        name = name or path.name.split(".")[0]
        report = BuildReport(source=str(path), osm_nodes=len(osm.node_lonlat), osm_ways=len(osm.ways),
                             osm_relations=len(osm.relations), clipped_ways=len(osm.clipped_ways()))
        if not any("highway" in w.tags for w in osm.ways.values()):
            raise TerritoryBuildError(
                f"{path}: contains no highway ways ({len(osm.ways)} ways, none tagged highway=*); "
                "a territory needs a street network — export the extract with its roads")
        graphs = {}
        for network in NETWORKS:
            G, stats = build_street_graph(osm, network, crs=crs)
            if G.number_of_edges() == 0:
                if network == "drive":
                    raise TerritoryBuildError(f"{path}: no drivable street in the extract "
                                              "(only footways, paths or incomplete ways)")
                continue
            crs = crs or G.graph["crs"]
            graphs[network] = G
            report.networks[network] = asdict(stats)
        crs_str = _crs_string(graphs["drive"].graph["crs"])
        # A territory just built must be the territory that save() + load() give back (same
        # attributes, same missing-value conventions): every model then sees one shape, whichever
        # path the territory came by. Both go through the same Parquet tables.
        graphs = {net: _graph_from_tables(*_round_trip(*_graph_tables(G)), crs_str, net) for net, G in graphs.items()}
        layers_wgs, astats = extract_assets(osm)
        layers = {k: v.to_crs(crs_str) for k, v in layers_wgs.items()}
        _add_building_metrics(layers["buildings"])
        for (layer, reason), count in sorted(astats.dropped.items()):
            report.dropped.append({"layer": layer, "reason": reason, "count": count})
        layers, generated = _lamp_layers(layers, graphs.get("walk", graphs["drive"]), lamps, lamp_seed)
        report.generated.extend(generated)
        report.layers_kept = {k: int(len(v)) for k, v in layers.items()}
        provenance = _osm_provenance(path, osm, lamp_seed if generated else None)
        layers = {k: _round_trip(v)[0] for k, v in layers.items()}
        report.build_seconds = time.perf_counter() - t0
        return cls(name=name, crs=crs_str, graphs=graphs, layers=layers, provenance=provenance, report=report,
                   defaults=defaults)

    # ------------------------------------------------------------------ copies
    def replace(self, **changes) -> "Territory":
        """A shallow copy with some attributes replaced; graphs and layers are shared until replaced."""
        new = _copy.copy(self)
        new.graphs = dict(self.graphs)
        new.layers = dict(self.layers)
        new.defaults = check_defaults(self.defaults, f"territory {self.name!r} defaults")  # never shared
        for key, value in changes.items():
            if not hasattr(new, key):
                raise AttributeError(f"Territory has no attribute {key!r}")
            setattr(new, key, check_defaults(value, f"territory {self.name!r} defaults") if key == "defaults"
                    else value)
        return new

    def with_building_data(self, bdtopo: str | Path | None = None, addresses: str | Path | None = None) -> "Territory":
        """A copy whose buildings carry an IGN BD TOPO file's dwellings, heights, storeys and use and a
        Base Adresse Nationale file's addresses (:mod:`twin.territory.building_data`); the report says
        what was joined and the provenance carries the sources' attributions."""
        from twin.sources import ban, bdtopo as bd  # noqa: PLC0415
        from twin.territory.building_data import join_addresses, join_bdtopo  # noqa: PLC0415

        new = self.replace(report=_copy.deepcopy(self.report), provenance=_copy.deepcopy(self.provenance))
        buildings = new.layers["buildings"]
        credits = [a for a in str(new.provenance.get("attribution") or "").split("; ") if a]
        if bdtopo is not None:
            reference, notes = bd.read_bdtopo_buildings(bdtopo)
            buildings, figures = join_bdtopo(buildings, reference)
            new.report.joined.append({"source": "bdtopo", "file": str(bdtopo), **figures, "notes": notes})
            credits.append(bd.ATTRIBUTION)
        if addresses is not None:
            buildings, figures = join_addresses(buildings, ban.read_ban(addresses))
            new.report.joined.append({"source": "ban", "file": str(addresses), **figures})
            credits.append(ban.ATTRIBUTION)
        new.layers["buildings"] = _round_trip(buildings)[0]
        new.provenance["attribution"] = "; ".join(dict.fromkeys(credits))
        return new

    def with_lamps(self, lamps: gpd.GeoDataFrame) -> "Territory":
        """A copy whose lamps (and cabinets) are replaced, e.g. by an imported inventory.

        Lamps without a street are attached to their nearest street edge of the walk network.
        """
        from twin.territory.lamps import attach_streets  # noqa: PLC0415

        lamps = lamps.to_crs(self.crs)
        if lamps["highway"].isna().any() if "highway" in lamps else True:
            lamps = attach_streets(lamps, self.graphs.get("walk", self.graphs["drive"]))
        layers = dict(self.layers)
        layers["lamps"] = lamps.reset_index(drop=True)
        layers["cabinets"] = cabinets_from_lamps(layers["lamps"])
        return self.replace(layers=layers)

    def without_edges(self, network: str, edges) -> "Territory":
        """A copy whose ``network`` graph lacks the given ``(u, v, key)`` edges; the original is untouched."""
        G = self.graphs[network].copy()
        G.remove_edges_from(list(edges))
        graphs = dict(self.graphs)
        graphs[network] = G
        return self.replace(graphs=graphs)

    # ------------------------------------------------------------------ persistence
    def save(self, directory: str | Path) -> Path:
        """Save to a directory of GeoParquet files and a JSON manifest; returns the directory.

        Written to a temporary sibling first and renamed, so an interrupted save
        never leaves a half-written territory behind; what a killed save left (hidden
        ``.NAME.tmp-*`` / ``.NAME.old-PID`` siblings) is removed by the next save or
        :meth:`load` of the same directory (:func:`twin.storage.clean_directory_leftovers`).
        """
        from twin.storage import atomic_directory  # noqa: PLC0415

        directory = Path(directory)
        with atomic_directory(directory) as tmp:
            for network, G in self.graphs.items():
                nodes, edges = _graph_tables(G)
                nodes.to_parquet(tmp / f"graph_{network}_nodes.parquet")
                edges.to_parquet(tmp / f"graph_{network}_edges.parquet")
            for layer, gdf in self.layers.items():
                gdf.to_parquet(tmp / f"layer_{layer}.parquet")
            manifest = {
                "format_version": FORMAT_VERSION, "name": self.name, "crs": self.crs,
                "networks": list(self.graphs), "layers": list(self.layers),
                "provenance": self.provenance, "report": asdict(self.report),
                "sensors": str(self.sensors.path) if self.sensors is not None else None,
                "defaults": self.defaults,
            }
            (tmp / "territory.json").write_text(json.dumps(manifest, indent=2, default=str))
        return directory

    @classmethod
    def load(cls, directory: str | Path, *, with_sensors: bool = True) -> "Territory":
        """Load a territory saved by :meth:`save`.

        Raises
        ------
        TerritoryBuildError
            naming the file and saying to rebuild, when the directory is not a saved
            territory, ``territory.json`` is not readable JSON or lacks a key or has one
            of the wrong kind, or a table file is missing, truncated or not the table
            :meth:`save` wrote.
        """
        from twin.storage import clean_directory_leftovers  # noqa: PLC0415

        directory = Path(directory)
        # a save killed mid-way left hidden siblings (or, between its two renames, no directory at all and
        # the previous version aside): remove them / put the previous version back before reading
        clean_directory_leftovers(directory)
        manifest_path = directory / "territory.json"
        rebuild = "rebuild the territory (twin build OSM_FILE --out DIR, or twin run --rebuild for the default one)"
        if not manifest_path.is_file():
            raise TerritoryBuildError(f"{directory}: not a saved territory (no territory.json)")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
            raise TerritoryBuildError(f"{manifest_path}: not readable JSON ({' '.join(str(exc).split())}); "
                                      f"{rebuild}") from None
        if not isinstance(manifest, dict):
            raise TerritoryBuildError(f"{manifest_path}: expected a JSON object, found {type(manifest).__name__}; "
                                      f"{rebuild}")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise TerritoryBuildError(f"{manifest_path}: format version {manifest.get('format_version')}, "
                                      f"this twin reads version {FORMAT_VERSION}; rebuild the territory")

        def bad(what: str) -> TerritoryBuildError:
            return TerritoryBuildError(f"{manifest_path}: {what}; the file is damaged — {rebuild}")

        kinds = {"name": str, "crs": str, "networks": list, "layers": list, "provenance": dict, "report": dict}
        for key, kind in kinds.items():
            if key not in manifest:
                raise bad(f"no {key!r} entry")
            if not isinstance(manifest[key], kind):
                raise bad(f"{key!r} has type {type(manifest[key]).__name__}, expected {kind.__name__}")
        networks, layer_names = manifest["networks"], manifest["layers"]
        if "drive" not in networks or not set(networks) <= set(NETWORKS):
            raise bad(f"networks {networks}: expected 'drive' and optionally 'walk'")
        # layer names become file names: only plain names, never a path
        if not all(isinstance(n, str) and n.isidentifier() for n in layer_names):
            raise bad(f"layers {layer_names}: expected plain layer names")
        from dataclasses import fields  # noqa: PLC0415

        report_keys = {f.name for f in fields(BuildReport)}
        unknown = sorted(set(manifest["report"]) - report_keys)
        if unknown or "source" not in manifest["report"]:
            raise bad(f"'report' has unknown entries {unknown}" if unknown else "'report' has no 'source'")
        report = BuildReport(**manifest["report"])
        try:
            report.lines()  # what twin info prints: entries of the wrong shape fail here, not there
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            raise bad(f"'report' is not a build report ({type(exc).__name__}: {' '.join(str(exc).split())[:100]})") \
                from None
        try:
            from pyproj import CRS  # noqa: PLC0415

            CRS.from_user_input(manifest["crs"])
        except Exception as exc:  # pyproj raises CRSError (and others on odd input)
            raise bad(f"crs {manifest['crs'][:60]!r} is not a coordinate reference system ({type(exc).__name__})") \
                from None
        sensors = manifest.get("sensors")
        if sensors is not None and not isinstance(sensors, str):
            raise bad(f"'sensors' has type {type(sensors).__name__}, expected a path or null")
        try:  # a territory saved before defaults existed has none
            defaults = check_defaults(manifest.get("defaults", {}), "'defaults'")
        except TerritoryBuildError as exc:
            raise bad(str(exc)) from None

        def read(file_name: str, needed: tuple[str, ...]) -> gpd.GeoDataFrame:
            path = directory / file_name
            if not path.is_file():
                raise TerritoryBuildError(f"{path}: missing or not a file (listed in {manifest_path.name}); {rebuild}")
            try:
                table = gpd.read_parquet(path)
            except Exception as exc:  # pyarrow (ArrowInvalid, OSError), geopandas (ValueError) on a damaged file
                why = " ".join(str(exc).replace(str(path), "the file").split())[:200]
                raise TerritoryBuildError(f"{path}: not a readable GeoParquet table ({type(exc).__name__}: {why}); "
                                          f"the file is damaged — {rebuild}") from None
            lacking = [c for c in needed if c not in table.columns and c not in (table.index.names or [])]
            if lacking:
                raise TerritoryBuildError(f"{path}: no column {', '.join(lacking)}; not the table twin saved — "
                                          f"{rebuild}")
            return table

        graphs = {}
        for network in networks:
            nodes = read(f"graph_{network}_nodes.parquet", ("x", "y"))
            edges = read(f"graph_{network}_edges.parquet", ("u", "v", "key", "length"))
            for table, column, name in ((nodes, "x", "nodes"), (nodes, "y", "nodes"), (edges, "length", "edges")):
                if not pd.api.types.is_numeric_dtype(table[column]):
                    raise TerritoryBuildError(f"{directory / f'graph_{network}_{name}.parquet'}: column {column} is "
                                              f"{table[column].dtype}, expected numbers; {rebuild}")
            try:
                graphs[network] = _graph_from_tables(nodes, edges, manifest["crs"], network)
            except Exception as exc:  # osmnx validation errors, KeyError… on tables that are not a graph
                raise TerritoryBuildError(f"{directory / f'graph_{network}_edges.parquet'}: not a street graph "
                                          f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]}); "
                                          f"{rebuild}") from None
        layers = {layer: read(f"layer_{layer}.parquet", ("id", "source")) for layer in layer_names}
        territory = cls(name=manifest["name"], crs=manifest["crs"], graphs=graphs, layers=layers,
                        provenance=manifest["provenance"], report=report, defaults=defaults)
        if with_sensors and sensors and Path(sensors).exists():
            from twin.sensors import SensorStore  # noqa: PLC0415
            territory.sensors = SensorStore(sensors)
        return territory

    # ------------------------------------------------------------------ description
    def summary(self) -> dict:
        """Counts per layer (by source), graph sizes, sensors and period, what was generated."""
        graphs = {}
        for network, G in self.graphs.items():
            length_km = sum(d["length"] for _, _, d in G.edges(data=True)) / 1000.0
            _, street_m = street_segments(G)
            graphs[network] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                               "length_km": round(length_km, 2), "street_km": round(street_m / 1000.0, 2)}
        layers = {}
        for name, gdf in self.layers.items():
            by_source = gdf["source"].value_counts().to_dict() if len(gdf) else {}
            layers[name] = {"count": int(len(gdf)), "by_source": {k: int(v) for k, v in by_source.items()}}
        out = {"name": self.name, "crs": self.crs, "source": self.provenance.get("source_file"),
               "attribution": self.provenance.get("attribution"), "graphs": graphs, "layers": layers,
               "generated": self.report.generated, "dropped": self.report.dropped}
        buildings = self.layers.get("buildings")
        if buildings is not None:
            address = buildings["address"] if "address" in buildings else pd.Series(dtype=object)
            dwellings = buildings["dwellings"] if "dwellings" in buildings else pd.Series(dtype=float)
            out["buildings"] = {"count": int(len(buildings)), "with_dwellings": int(dwellings.notna().sum()),
                                "dwellings": round(float(dwellings.sum()), 3),
                                "addressed": int((address.notna() & (address.astype(str).str.strip() != "")).sum()),
                                "joined": [{k: v for k, v in j.items() if k != "notes"} for j in self.report.joined]}
        if self.sensors is not None:
            out["sensors"] = self.sensors.summary()
        return out

    def place(self, category: str) -> gpd.GeoDataFrame:
        """The places of one category (``"townhall"``, ``"school"``, ``"sport"``, …)."""
        places = self.layers.get("places")
        if places is None or "category" not in places:  # an extract that maps no place at all
            return gpd.GeoDataFrame({"category": pd.Series(dtype=object)}, geometry=gpd.GeoSeries(crs=self.crs),
                                    crs=self.crs)
        return places[places["category"] == category]


def check_defaults(defaults, where: str) -> dict:
    """``defaults`` checked as a territory's scenario defaults: a JSON object of scenario family →
    JSON object (keys are the families' own, checked when a scenario reads them); returns a deep
    copy, so the territory never shares it with the caller. Errors name ``where``."""
    if not isinstance(defaults, dict):
        raise TerritoryBuildError(f"{where}: expected an object of scenario family -> defaults, "
                                  f"found {type(defaults).__name__}")
    for family, values in defaults.items():
        if not isinstance(family, str) or not isinstance(values, dict):
            raise TerritoryBuildError(f"{where}: {family!r} must name a scenario family and give an object of "
                                      f"its defaults, found {type(values).__name__}")
    try:  # saved in territory.json: plain JSON only (a round trip also makes the copy)
        return json.loads(json.dumps(defaults, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise TerritoryBuildError(f"{where}: not plain JSON ({exc})") from None


def _graph_tables(G: nx.MultiDiGraph) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The (nodes, edges) tables a street graph is stored as."""
    return ox.graph_to_gdfs(G)


def _graph_from_tables(nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame, crs: str, network: str) -> nx.MultiDiGraph:
    """The street graph of stored (nodes, edges) tables; graph attributes are only its CRS and network.

    Nodes and edges keep the tables' order (osmnx orders nodes by their first edge), so that a graph
    saved and loaded again iterates exactly as the one saved: tie-breaks in models stay the same.
    """
    G = ox.graph_from_gdfs(nodes, edges, graph_attrs={"crs": crs, "network": network})
    ordered = nx.MultiDiGraph(**G.graph)
    ordered.add_nodes_from((n, G.nodes[n]) for n in nodes.index)
    ordered.add_edges_from((u, v, k, G.edges[u, v, k]) for u, v, k in edges.index)
    # osmnx leaves a missing value out of the edge's attributes; every edge keeps every documented
    # attribute instead (NaN for numbers, None otherwise), so ``d["name"]`` never raises
    missing = {c: (float("nan") if pd.api.types.is_float_dtype(edges[c]) else None)
               for c in edges.columns if edges[c].isna().any()}
    if missing:
        for _, _, d in ordered.edges(data=True):
            for key, value in missing.items():
                d.setdefault(key, value)
    return ordered


def _round_trip(*tables: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, ...]:
    """The tables as Parquet gives them back (in memory): the dtypes and missing values of a saved territory."""
    import io  # noqa: PLC0415

    out = []
    for table in tables:
        buf = io.BytesIO()
        table.to_parquet(buf)
        buf.seek(0)
        out.append(gpd.read_parquet(buf))
    return tuple(out)


def _crs_string(crs) -> str:
    from pyproj import CRS  # noqa: PLC0415

    c = CRS.from_user_input(crs)
    epsg = c.to_epsg()
    return f"EPSG:{epsg}" if epsg else c.to_wkt()


def _add_building_metrics(buildings: gpd.GeoDataFrame) -> None:
    buildings["footprint_m2"] = buildings.geometry.area if len(buildings) else pd.Series(dtype=float)


def _lamp_layers(layers, G_walk, mode: str, seed: int):
    if mode not in ("generate-if-missing", "osm-only", "generate"):
        raise ValueError(f"lamps={mode!r}: expected 'generate-if-missing', 'osm-only' or 'generate'")
    generated = []
    osm_lamps = layers["lamps"]
    if mode == "generate" or (mode == "generate-if-missing" and osm_lamps.empty):
        lamps = generate_lamps(G_walk, seed=seed)
        generated.append({"layer": "lamps", "count": int(len(lamps)), "seed": seed,
                          "how": "along lit or urban streets, spacing per street class, "
                                 "technology/power/control mix and cabinets as documented in twin.territory.lamps"})
        layers = {**layers, "lamps": lamps}
    layers["cabinets"] = cabinets_from_lamps(layers["lamps"])
    return layers, generated


def builder_fingerprint() -> str:
    """Hash of the code that turns OSM into a territory: a cached build is stale when it changes."""
    import hashlib  # noqa: PLC0415

    here = Path(__file__).resolve().parent
    h = hashlib.sha256(str(FORMAT_VERSION).encode())
    for f in sorted(here.glob("*.py")) + [here.parent / "sources" / "osm.py"]:
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _osm_provenance(path: Path, osm: OsmData, lamp_seed) -> dict:
    import hashlib  # noqa: PLC0415

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {
        "source_file": str(path), "source_sha256": digest, "builder": builder_fingerprint(),
        "osm_base": osm.osm_base,
        "osm_generator": osm.generator, "licence": "ODbL-1.0", "attribution": OSM_ATTRIBUTION,
        "bounds_lonlat": list(osm.bounds()), "lamp_seed": lamp_seed,
    }
