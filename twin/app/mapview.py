"""The territory map, drawn with Bokeh from the territory's own geometry (no tile server: offline).

Layers — streets, buildings, rivers and water, bins, lamps, sensors, places — are separate renderers
that the page switches on and off; each has a hover with its details and an entry in the map's legend.
The places people find their way by (town hall, station, schools, …) are marked and named on the
map. Streets can be picked with the tap tool (shift-click for several): the page reads the selection
for scenarios that need streets.

Every session's page draws the same territory: the columns no page changes (shapes, names, ids) are
made once per territory (places: per language and map height) and shared by every session's sources
as :class:`SharedColumn`, whose Bokeh encoding is made once too — a workshop's twenty pages opened in
the same second would otherwise each walk ~30 000 coordinates in Python (measured:
``benchmarks/bench_app_open.py``). Shapes are kept to the centimetre (rounded: the same drawing, half
the bytes to send).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
from bokeh.core.serialization import Serializable, Serializer
from bokeh.models import (AllIndices, BoxEditTool, CDSView, ColumnDataSource, HoverTool, LabelSet, Legend, LegendItem,
                          TapTool, UnionRenderers)
from bokeh.plotting import figure

from twin.app.i18n import NBSP, STRINGS, fmt_number, t

COLORS = {"streets": "#555555", "buildings": "#c9c3b8", "water": "#4a90d9", "bins": "#2e8b57",
          "lamps": "#e0a800", "sensors": "#c0392b", "selected": "#d62728"}

# How a place is marked, by group: (categories of twin.territory.assets.PLACE_CATEGORY, marker, colour,
# size in px). Parking and bus stops are left out: dozens of them, they would bury the names that orient.
PLACE_GROUPS = {
    "townhall": (("townhall",), "star", "#8e1b10", 20),
    "station": (("station",), "diamond", "#1f4e79", 18),
    "school": (("school",), "triangle", "#6a3d9a", 15),
    "other": (("library", "health", "public_service", "culture", "market", "sport", "social", "worship"),
              "circle", "#37474f", 11),
}
# Places whose name is written on the map, most important first (it keeps its name where two would
# overlap); the others (social offices, police, courts) keep their mark and their name on hover: at the
# town's scale thirty names overlap where the town is densest, its centre
LABELLED = ("townhall", "station", "school", "market", "worship", "library", "culture", "health", "sport")
LABEL_WIDTH = 24  # characters per line of a place's label, two lines at most: long names stay legible
LABEL_FONT = "11pt"  # read on a projector from the back of a meeting room
LABEL_OFFSET_PX = (9, 4)  # a label starts right of (or left of) and above its mark
LABEL_LEFT_FROM = 0.75  # share of the territory's width east of which a name is written left of its mark
LABEL_CHAR_PX, LABEL_LINE_PX = 9.0, 16.0  # an 11 pt bold character's mean width and a line's height, in px
# the columns a result map recolours: each page gets its own copy of these (the others are shared)
STYLE_COLUMNS = ("color", "width", "size", "value")
COORD_DECIMALS = 2  # shapes to the centimetre, in the territory's CRS (metres)
LEGEND_ROW_PX = 22  # a legend entry's height: a 12 pt label (16 px) and its mark


class SharedColumn(Sequence, Serializable):
    """A read-only column of the map (shapes, names, ids) shared by every session's source, with its
    Bokeh encoding made once (at the first page that sends it) instead of once per page.

    Bokeh encodes a list element by element in Python: ~1 µs each, ~30 000 values for a map, every
    page. A value of this column is never changed (it has no ``__setitem__``; Bokeh refuses to
    ``patch`` an immutable sequence, with a warning): a page changes only the :data:`STYLE_COLUMNS`,
    which are its own lists. ``list(column)`` is a plain copy.
    """

    __slots__ = ("_values", "_rep")

    def __init__(self, values):
        self._values = tuple(values)
        self._rep = None

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, i):
        return self._values[i]

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and not isinstance(other, str) and list(self._values) == list(other)

    __hash__ = None

    def __repr__(self) -> str:
        return f"SharedColumn({list(self._values)!r})"

    def to_serializable(self, serializer):
        # the values hold no Bokeh model (nothing refers to the document) and no binary buffer
        # (inline, so that the one encoding serves every page's serializer)
        if self._rep is None:
            self._rep = Serializer(deferred=False).encode(list(self._values))
        return self._rep


_CACHE_LOCK = threading.Lock()


def _cached(territory, key, make):
    """``make()`` once per territory and ``key``, kept on the territory (shared read-only by the
    sessions of a server: :func:`twin.app.server.workers.shared_territory`)."""
    cache = territory.__dict__.setdefault("_app_map_columns", {})
    if key not in cache:
        value = make()
        with _CACHE_LOCK:
            cache.setdefault(key, value)
    return cache[key]


def _rounded(parts):
    """Lists of coordinates to the centimetre (NaN, the gap between a line's parts, kept)."""
    return [np.round(np.asarray(p, float), COORD_DECIMALS).tolist() for p in parts]


def _source(columns: dict, shared_styles: bool = False, **kw) -> ColumnDataSource:
    """A page's source of a layer made of its shared ``columns``: the :data:`STYLE_COLUMNS` copied for
    the page (unless ``shared_styles``: a map nobody recolours), the others shared."""
    return ColumnDataSource({c: (list(v) if c in STYLE_COLUMNS and not shared_styles else v)
                             for c, v in columns.items()}, **kw)


def _share(columns: dict) -> dict:
    return {c: SharedColumn(v) for c, v in columns.items()}


def osm_text(group: str, value, lang: str = "fr") -> str:
    """An OpenStreetMap value as a hover says it in ``lang``: ``group`` is ``use``, ``highway``, ``bin``,
    ``source`` or ``q`` (a sensor's quantity); a value the catalogue (:mod:`twin.app.catalogue.osm`) has
    no word for is shown as OSM writes it (its tags are open-ended: honest rather than guessed)."""
    value = "" if value is None else str(value)
    if group == "highway" and value.endswith("_link"):
        value = "link"
    if group == "synthetic":
        return t("osm_yes" if value == "True" else "osm_no", lang) if value in ("True", "False") else value
    key = f"orient_q_{value}" if group == "q" else f"osm_{group}_{value}"
    return t(key, lang) if key in STRINGS else value


def _lang(lang: str) -> str:
    """The suffix of a page's hover columns (:func:`_texts`): English when asked, French otherwise."""
    return "en" if lang == "en" else "fr"


def _texts(group: str, values: Sequence, name: str) -> dict:
    """``{name_fr: [...], name_en: [...]}``: ``values`` as the hovers of each language say them (the
    shared columns serve every page; a page's hover reads its language's column)."""
    return {f"{name}_{lang}": [osm_text(group, v, lang) for v in values] for lang in ("fr", "en")}


def _lines(geoms):
    xs, ys = [], []
    for g in geoms:
        parts = getattr(g, "geoms", [g])
        x, y = [], []
        for p in parts:
            px, py = p.xy
            x += list(px) + [np.nan]
            y += list(py) + [np.nan]
        xs.append(x[:-1])
        ys.append(y[:-1])
    return xs, ys


def _polygons(geoms):
    xs, ys = [], []
    for g in geoms:
        poly = max(getattr(g, "geoms", [g]), key=lambda p: p.area)
        x, y = poly.exterior.xy
        xs.append(list(x))
        ys.append(list(y))
    return xs, ys


def street_columns(territory) -> dict:
    """One row per drivable edge: geometry, name, class, length, OSM way id (shared columns, made once)."""
    def make():
        G = territory.graphs["drive"]
        xs, ys, names, kinds, lengths, ways, edges = [], [], [], [], [], [], []
        for u, v, k, d in G.edges(keys=True, data=True):
            edges.append(f"{u}-{v}-{k}")
            g = d.get("geometry")
            if g is not None:
                x, y = g.xy
            else:
                x = [G.nodes[u]["x"], G.nodes[v]["x"]]
                y = [G.nodes[u]["y"], G.nodes[v]["y"]]
            xs.append(list(x))
            ys.append(list(y))
            names.append(d.get("name") or "")
            kinds.append(str(d.get("highway") or ""))
            lengths.append(round(float(d.get("length", 0.0)), 1))
            ways.append(str(d.get("osm_way_id", "")))
        return _share({"xs": _rounded(xs), "ys": _rounded(ys), "name": names, "highway": kinds, "length_m": lengths,
                       "way": ways, "edge": edges, "width": [2.5] * len(xs), "color": [COLORS["streets"]] * len(xs),
                       "value": [""] * len(xs), **_texts("highway", kinds, "highway_text"),
                       **{f"length_text_{lang}": [f"{fmt_number(x, lang)}{NBSP}m" for x in lengths]
                          for lang in ("fr", "en")}})

    return _cached(territory, "streets", make)


def street_source(territory) -> ColumnDataSource:
    """One row per drivable edge: geometry, name, class, length, OSM way id (plain lists, the page's own)."""
    return ColumnDataSource({c: list(v) for c, v in street_columns(territory).items()})


def sensor_points(territory):
    """(x, y, id, quantity, synthetic) of the sensors with a position, in the territory's CRS."""
    if territory.sensors is None:
        return [], [], [], [], []
    reg = territory.sensors.sensors
    reg = reg[reg["lon"].notna() & reg["lat"].notna()]
    if reg.empty:
        return [], [], [], [], []
    from pyproj import Transformer  # noqa: PLC0415

    tr = Transformer.from_crs("EPSG:4326", territory.crs, always_xy=True)
    x, y = tr.transform(reg["lon"].to_numpy(float), reg["lat"].to_numpy(float))
    return list(x), list(y), reg["sensor_id"].tolist(), reg["quantity"].tolist(), reg["synthetic"].astype(str).tolist()



def place_label(name: str, group: str, town: str, lang: str = "fr") -> str:
    """The text written next to a place: its name, on two lines of at most ``LABEL_WIDTH`` characters
    (cut with "…" beyond); a town hall or station with no name or named after the town (OSM names
    Redon's town hall "Redon") is written as what it is ("Mairie", "Gare")."""
    name = (name or "").strip()
    if group in ("townhall", "station") and (not name or name.casefold() == (town or "").casefold()):
        return t(f"place_{group}", lang)
    lines, words = [""], name.split()
    for word in words:
        candidate = f"{lines[-1]} {word}".strip()
        if len(candidate) <= LABEL_WIDTH or not lines[-1]:
            lines[-1] = candidate
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] = lines[-1] + "…"
            break
    return "\n".join(lines)


def declutter(xs, ys, labels, metres_per_px: float, sides=None) -> list[str]:
    """``labels`` with those that would overlap an earlier one (in the list's order: first, most
    important) emptied, their boxes estimated at ``metres_per_px`` (the map's scale as it opens),
    each written right of its mark, or left of it where ``sides`` (one per label) says -1.
    Greedy placement by priority, as map labelling engines do: an overlapped name is unreadable,
    and the place keeps its mark and its name on hover."""
    kept, out = [], []
    sides = [1] * len(labels) if sides is None else sides
    for x, y, label, side in zip(xs, ys, labels, sides, strict=True):
        if not label:
            out.append(label)
            continue
        lines = label.split("\n")
        w = (max(len(line) for line in lines) * LABEL_CHAR_PX + 2) * metres_per_px
        h = (len(lines) * LABEL_LINE_PX + 2) * metres_per_px
        x0, y0 = x + side * LABEL_OFFSET_PX[0] * metres_per_px, y + LABEL_OFFSET_PX[1] * metres_per_px
        box = (min(x0, x0 + side * w), y0, max(x0, x0 + side * w), y0 + h)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in kept):
            out.append("")
        else:
            kept.append(box)
            out.append(label)
    return out


def place_source(territory, lang: str = "fr", height: int = 560) -> ColumnDataSource:
    """The places' source (see :func:`place_columns`)."""
    return ColumnDataSource({c: list(v) for c, v in place_columns(territory, lang, height).items()})


def place_columns(territory, lang: str = "fr", height: int = 560) -> dict:
    """Shared columns, made once per territory, language and height: see :func:`_place_columns`."""
    return _cached(territory, ("places", lang, height), lambda: _share(_place_columns(territory, lang, height)))


def _place_columns(territory, lang: str = "fr", height: int = 560) -> dict:
    """One row per place of the ``places`` layer in a group of ``PLACE_GROUPS``: a point inside it,
    name, category, group (and its name in ``lang``), marker, colour, size and label (empty for a
    category not in ``LABELLED``, or where it would overlap a more important one on a map ``height`` px
    high: see :func:`declutter`)."""
    places = territory.layers.get("places")
    group_of = {cat: g for g, (cats, *_) in PLACE_GROUPS.items() for cat in cats}
    cols = {k: [] for k in ("x", "y", "name", "category", "group", "kind", "marker", "color", "size", "label",
                            "label_dx", "label_align")}
    if places is None or places.empty or "category" not in places:
        return cols
    places = places[places["category"].isin(group_of)]
    # biggest mark first: a town hall drawn last stays on top of a school next door
    order = sorted(range(len(places)), key=lambda i: list(PLACE_GROUPS).index(group_of[places["category"].iloc[i]]),
                   reverse=True)
    points = places.geometry.representative_point()
    for i in order:
        cat = places["category"].iloc[i]
        group = group_of[cat]
        _, marker, color, size = PLACE_GROUPS[group]
        name = places["name"].iloc[i]
        name = "" if name is None or (isinstance(name, float) and np.isnan(name)) else str(name)
        cols["x"].append(float(points.iloc[i].x))
        cols["y"].append(float(points.iloc[i].y))
        cols["name"].append(name)
        cols["category"].append(cat)
        cols["group"].append(group)
        cols["marker"].append(marker)
        cols["color"].append(color)
        cols["size"].append(float(size))
        cols["kind"].append(t(f"place_{group}", lang))
        cols["label"].append(place_label(name, group, getattr(territory, "name", ""), lang) if cat in LABELLED else "")
    # the map opens on the whole territory, its height filled (a town is wider than the map is high)
    ymin, ymax = _extent_y(territory)
    scale = (ymax - ymin) / max(height - 40, 100)  # 40 px: the title and the frame
    # a name in the east quarter of the territory is written left of its mark: right of it, the map's
    # edge (and its legend) cut it
    xmin, xmax = _extent_x(territory)
    sides = [-1 if x > xmin + LABEL_LEFT_FROM * (xmax - xmin) else 1 for x in cols["x"]]
    cols["label_dx"] = [side * LABEL_OFFSET_PX[0] for side in sides]
    cols["label_align"] = ["right" if side < 0 else "left" for side in sides]
    rank = sorted(range(len(cols["label"])), key=lambda i: LABELLED.index(cols["category"][i])
                  if cols["category"][i] in LABELLED else len(LABELLED))
    kept = declutter([cols["x"][i] for i in rank], [cols["y"][i] for i in rank], [cols["label"][i] for i in rank],
                     scale, [sides[i] for i in rank])
    for i, label in zip(rank, kept, strict=True):
        cols["label"][i] = label
    return cols


def _extent(territory, axis: str) -> tuple[float, float]:
    """(min, max) of the territory's streets and buildings along ``axis`` ("x": west–east, "y":
    south–north), in its CRS (metres)."""
    G = territory.graphs["drive"]
    values = [d[axis] for _, d in G.nodes(data=True)]
    b = territory.layers["buildings"]
    if len(b):
        lo, hi = (0, 2) if axis == "x" else (1, 3)
        values += [float(b.total_bounds[lo]), float(b.total_bounds[hi])]
    return (min(values), max(values)) if values else (0.0, 1.0)


def _extent_x(territory) -> tuple[float, float]:
    """(west, east) of the territory: see :func:`_extent`."""
    return _extent(territory, "x")


def _extent_y(territory) -> tuple[float, float]:
    """(south, north) of the territory: see :func:`_extent`."""
    return _extent(territory, "y")


def layer_columns(territory) -> dict:
    """{layer: shared columns} of the buildings, water areas, waterways, lamps, bins and sensors (the
    streets: :func:`street_columns`; the places: :func:`place_columns`), made once per territory."""
    def make():
        L = territory.layers
        out = {}
        b = L["buildings"]
        bx, by = _polygons(b.geometry)
        out["buildings"] = {"xs": _rounded(bx), "ys": _rounded(by), "use": b["use"].fillna("").astype(str).tolist(),
                            "name": b["name"].fillna("").astype(str).tolist(), "id": b["id"].astype(str).tolist(),
                            "levels": b["levels"].fillna(0).astype(float).tolist(),
                            "color": [COLORS["buildings"]] * len(b), "value": [""] * len(b)}
        out["buildings"].update(_texts("use", out["buildings"]["use"], "use_text"))
        # no level in OSM is unknown, not « 0 »
        out["buildings"].update({f"levels_text_{lang}": [fmt_number(x, lang) if x > 0 else "—"
                                                          for x in out["buildings"]["levels"]]
                                 for lang in ("fr", "en")})
        if len(L["water_areas"]):
            wx, wy = _polygons(L["water_areas"].geometry)
            out["water_areas"] = {"xs": _rounded(wx), "ys": _rounded(wy)}
        if len(L["waterways"]):
            lx, ly = _lines(L["waterways"].geometry)
            out["waterways"] = {"xs": _rounded(lx), "ys": _rounded(ly),
                                "name": L["waterways"]["name"].fillna("").astype(str).tolist()}
        lamps = L["lamps"]
        n = len(lamps)
        power = lamps["power_w"].astype(float).tolist() if "power_w" in lamps else [np.nan] * n
        street = lamps["street_name"].tolist() if "street_name" in lamps else [""] * n
        out["lamps"] = {"x": _rounded([lamps.geometry.x])[0], "y": _rounded([lamps.geometry.y])[0],
                        "id": lamps["id"].astype(str).tolist(), "power": power, "street": street,
                        "source": lamps["source"].astype(str).tolist(), "color": [COLORS["lamps"]] * n,
                        "size": [3.0] * n, "value": [""] * n}
        out["lamps"].update(_texts("source", out["lamps"]["source"], "source_text"))
        bins = L["bins"]
        n = len(bins)
        out["bins"] = {"x": _rounded([bins.geometry.x])[0], "y": _rounded([bins.geometry.y])[0],
                       "id": bins["id"].astype(str).tolist(), "kind": bins["kind"].astype(str).tolist(),
                       "name": bins["name"].fillna("").astype(str).tolist(), "color": [COLORS["bins"]] * n,
                       "size": [8.0] * n, "value": [""] * n}
        out["bins"].update(_texts("bin", out["bins"]["kind"], "kind_text"))
        sx, sy, sid, sq, ssyn = sensor_points(territory)
        out["sensors"] = {"x": _rounded([sx])[0], "y": _rounded([sy])[0], "id": sid, "quantity": sq, "synthetic": ssyn,
                          **_texts("q", sq, "quantity_text"), **_texts("synthetic", ssyn, "synthetic_text")}
        return {layer: _share(cols) for layer, cols in out.items()}

    return _cached(territory, "layers", make)


def territory_map(territory, lang: str = "fr", height: int = 560, sources: dict | None = None,
                  shared_styles: bool = False, zone_tool: bool = True):
    """(figure, {layer: renderer}, street source) of the territory; ``sources`` (when given) is filled
    with the layers' ColumnDataSources, whose ``color``/``width``/``size``/``value`` columns can be
    changed to show a result — unless ``shared_styles`` (a map that is never recoloured: those columns
    are then shared with the other pages too, see :class:`SharedColumn`). ``zone_tool``: the map draws
    the zone a scenario applies to (the « Carte » tab's; a results map does not: a zone drawn there was
    drawn in vain, « Utiliser la zone dessinée » reading the other map's)."""
    sources = {} if sources is None else sources
    # no axes nor grid (a map, in metres of the territory's CRS): none made, rather than made and hidden
    fig = figure(height=height, sizing_mode="stretch_width", match_aspect=True, x_axis_type=None, y_axis_type=None,
                 tools="pan,wheel_zoom,box_zoom,reset,save", active_scroll="wheel_zoom",
                 title=territory.provenance.get("attribution", ""), name="territory-map",
                 background_fill_color="#f7f5f0")
    columns = layer_columns(territory)
    renderers = {}
    # the layers' sources and views share their stateless parts (how a selection combines, which
    # rows are drawn: all): one model each per map instead of one per layer, each page (the
    # selection itself and the view stay one per layer)
    policy, everything = UnionRenderers(), AllIndices()

    def source(cols, styles=shared_styles):
        return _source(cols, styles, selection_policy=policy)

    def view():
        return CDSView(filter=everything)

    src = source(columns["buildings"])
    sources["buildings"] = src
    renderers["buildings"] = fig.patches("xs", "ys", view=view(), source=src, fill_color="color",
                                         line_color="#a89f91", line_width=0.5)
    fig.add_tools(HoverTool(renderers=[renderers["buildings"]],
                            tooltips=[(t("buildings", lang), "@name"),
                                      (t("orient_hover_use", lang), f"@use_text_{_lang(lang)}"),
                                      (t("orient_hover_levels", lang), f"@levels_text_{_lang(lang)}"),
                                      (t("orient_hover_id", lang), "@id"), ("", "@value")]))

    water = []
    if "water_areas" in columns:
        water.append(fig.patches("xs", "ys", view=view(), source=source(columns["water_areas"]),
                                 fill_color=COLORS["water"], fill_alpha=0.4, line_color=COLORS["water"]))
    if "waterways" in columns:
        water.append(fig.multi_line("xs", "ys", view=view(), source=source(columns["waterways"]),
                                    line_color=COLORS["water"], line_width=3))
        fig.add_tools(HoverTool(renderers=[water[-1]], tooltips=[(t("water", lang), "@name")]))
    renderers["water"] = water

    streets = source(street_columns(territory))
    sources["streets"] = streets
    renderers["streets"] = fig.multi_line("xs", "ys", view=view(), source=streets, line_color="color",
                                          line_width="width", selection_line_color=COLORS["selected"],
                                          selection_line_width=6,
                                          nonselection_line_alpha=0.8, name="streets")
    fig.add_tools(HoverTool(renderers=[renderers["streets"]],
                            tooltips=[(t("streets", lang), "@name"),
                                      (t("orient_hover_highway", lang), f"@highway_text_{_lang(lang)}"),
                                      (t("orient_hover_length", lang), f"@length_text_{_lang(lang)}"),
                                      ("", "@value")]))
    fig.add_tools(TapTool(renderers=[renderers["streets"]]))

    lsrc = source(columns["lamps"])
    sources["lamps"] = lsrc
    renderers["lamps"] = fig.scatter("x", "y", view=view(), source=lsrc, size="size", color="color", visible=False)
    fig.add_tools(HoverTool(renderers=[renderers["lamps"]],
                            tooltips=[(t("lamps", lang), "@street"), ("W", "@power"),
                                      (t("orient_hover_source", lang), f"@source_text_{_lang(lang)}"),
                                      ("", "@value")]))

    bsrc = source(columns["bins"])
    sources["bins"] = bsrc
    renderers["bins"] = fig.scatter("x", "y", view=view(), source=bsrc, size="size", marker="square", color="color")
    fig.add_tools(HoverTool(renderers=[renderers["bins"]],
                            tooltips=[(t("bins", lang), "@id"), (t("orient_hover_kind", lang), f"@kind_text_{_lang(lang)}"),
                                      ("", "@name"),
                                      ("", "@value")]))

    ssrc = source(columns["sensors"])
    renderers["sensors"] = fig.scatter("x", "y", view=view(), source=ssrc, size=9, marker="triangle",
                                       color=COLORS["sensors"], visible=False)
    fig.add_tools(HoverTool(renderers=[renderers["sensors"]],
                            tooltips=[(t("sensors", lang), "@id"), ("", f"@quantity_text_{_lang(lang)}"),
                                      (t("orient_hover_synthetic", lang), f"@synthetic_text_{_lang(lang)}")]))
    psrc = source(place_columns(territory, lang, height))
    sources["places"] = psrc
    places_r = fig.scatter("x", "y", view=view(), source=psrc, marker="marker", size="size", fill_color="color",
                           line_color="color", line_width=1)  # no white rim: it ate the small legend marks
    labels = LabelSet(x="x", y="y", text="label", source=psrc, x_offset="label_dx", y_offset=LABEL_OFFSET_PX[1],
                      text_align="label_align",
                      text_font_size=LABEL_FONT, text_font_style="bold", text_color="#212121",
                      background_fill_color="white", background_fill_alpha=0.75)  # legible over streets
    fig.add_layout(labels)
    places_r.js_link("visible", labels, "visible")  # the names go with their marks (legend click, layer switch)
    renderers["places"] = [places_r, labels]
    fig.add_tools(HoverTool(renderers=[places_r], tooltips=[("", "@name"), ("", "@kind")]))

    if zone_tool:
        zone = ColumnDataSource({"x": [], "y": [], "width": [], "height": []}, selection_policy=policy)
        sources["zone"] = zone
        zone_r = fig.rect("x", "y", "width", "height", view=view(), source=zone, fill_alpha=0.15,
                          fill_color="#8e44ad", line_color="#8e44ad", line_width=2, line_dash="dashed")
        # shift-drag draws the zone a scenario applies to (roadworks, lighting); one zone at a time
        fig.add_tools(BoxEditTool(renderers=[zone_r], num_objects=1))
    name_tools(fig, lang)
    fig.add_layout(layer_legend(renderers, psrc, lang), "right")
    # nothing is muted (the legend hides), and only the streets are ever selected: the browser derives these
    # glyphs itself ("auto") rather than receiving two more models per layer with every page
    for r in fig.renderers:
        r.muted_glyph = "auto"
        if r is not renderers["streets"]:
            r.nonselection_glyph = "auto"
    # the view opens on the town (its streets and buildings): an extract's rivers and long roads run on for
    # kilometres beyond it (OSM ways come whole), and would shrink the town to a corner of the map
    fig.x_range.renderers = fig.y_range.renderers = [renderers["buildings"], renderers["streets"]]
    return fig, renderers, streets


# a tool's catalogue key (``orient_tool_<key>``) by its Bokeh type: the toolbar's tooltips are the
# tools' descriptions, English ("Pan", "Wheel Zoom"…) unless set
TOOL_KEYS = {"PanTool": "pan", "WheelZoomTool": "wheel_zoom", "BoxZoomTool": "box_zoom", "ResetTool": "reset",
             "SaveTool": "save", "TapTool": "tap", "BoxSelectTool": "box_select", "HoverTool": "hover",
             "BoxEditTool": "box_edit"}


def name_tools(fig, lang: str = "fr") -> None:
    """Give every tool of ``fig``'s toolbar its tooltip in ``lang`` (« Déplacer », « Zoom molette »,
    « Réinitialiser »…); a tool this table does not know is named « Outil de la carte » rather than
    left to Bokeh's English."""
    for tool in fig.toolbar.tools:
        tool.description = t(f"orient_tool_{TOOL_KEYS.get(type(tool).__name__, 'other')}", lang)


def layer_legend(renderers: dict, places: ColumnDataSource, lang: str = "fr") -> Legend:
    """The map's key: one entry per layer, named in the page's language, and one per group of places
    drawn (town hall, station, schools, other public places) showing its mark. A click on an entry
    hides or shows its layer."""
    items = []
    for layer in ("streets", "buildings", "water", "bins", "lamps", "sensors"):
        rs = renderers.get(layer)
        rs = [r for r in (rs if isinstance(rs, list) else [rs]) if r is not None]
        if rs:
            items.append(LegendItem(label=t(layer, lang), renderers=rs))
    place_r = renderers["places"][0]
    groups = places.data["group"]
    for group in PLACE_GROUPS:
        if group in groups:
            # ``index``: the entry draws that row's mark (the renderer's marks differ by group)
            items.append(LegendItem(label=t(f"place_{group}", lang), renderers=[place_r], index=groups.index(group)))
    # 12 pt labels (read from the back of a room) on rows of LEGEND_ROW_PX: ten entries make a key of
    # ~270 px, whole on a 1024×768 projector below the page's header (34 px rows made it ~390 px: its
    # last entries fell below the screen's edge)
    return Legend(items=items, click_policy="hide", label_text_font_size="12pt", label_height=LEGEND_ROW_PX,
                  glyph_width=28, glyph_height=LEGEND_ROW_PX, spacing=2, padding=6, margin=6,
                  background_fill_alpha=0.9, name="map-legend")
