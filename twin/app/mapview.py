"""The territory map, drawn with Bokeh from the territory's own geometry (no tile server: offline).

Layers — streets, buildings, rivers and water, bins, lamps, sensors, places — are separate renderers
that the page switches on and off; each has a hover with its details and an entry in the map's legend.
The places people find their way by (town hall, station, schools, …) are marked and named on the
map. Streets can be picked with the tap tool (shift-click for several): the page reads the selection
for scenarios that need streets.
"""

from __future__ import annotations

import numpy as np
from bokeh.models import BoxEditTool, ColumnDataSource, HoverTool, LabelSet, Legend, LegendItem, TapTool
from bokeh.plotting import figure

from twin.app.i18n import t

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
LABEL_OFFSET_PX = (9, 4)  # a label starts right of and above its mark
LABEL_CHAR_PX, LABEL_LINE_PX = 9.0, 16.0  # an 11 pt bold character's mean width and a line's height, in px


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


def street_source(territory) -> ColumnDataSource:
    """One row per drivable edge: geometry, name, class, length, OSM way id."""
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
    return ColumnDataSource({"xs": xs, "ys": ys, "name": names, "highway": kinds, "length_m": lengths,
                             "way": ways, "edge": edges, "width": [2.5] * len(xs), "color": [COLORS["streets"]] * len(xs),
                             "value": [""] * len(xs)})


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


def declutter(xs, ys, labels, metres_per_px: float) -> list[str]:
    """``labels`` with those that would overlap an earlier one (in the list's order: first, most
    important) emptied, their boxes estimated at ``metres_per_px`` (the map's scale as it opens).
    Greedy placement by priority, as map labelling engines do: an overlapped name is unreadable,
    and the place keeps its mark and its name on hover."""
    kept, out = [], []
    for x, y, label in zip(xs, ys, labels, strict=True):
        if not label:
            out.append(label)
            continue
        lines = label.split("\n")
        w = (max(len(line) for line in lines) * LABEL_CHAR_PX + 2) * metres_per_px
        h = (len(lines) * LABEL_LINE_PX + 2) * metres_per_px
        x0, y0 = x + LABEL_OFFSET_PX[0] * metres_per_px, y + LABEL_OFFSET_PX[1] * metres_per_px
        box = (x0, y0, x0 + w, y0 + h)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in kept):
            out.append("")
        else:
            kept.append(box)
            out.append(label)
    return out


def place_source(territory, lang: str = "fr", height: int = 560) -> ColumnDataSource:
    """One row per place of the ``places`` layer in a group of ``PLACE_GROUPS``: a point inside it,
    name, category, group (and its name in ``lang``), marker, colour, size and label (empty for a
    category not in ``LABELLED``, or where it would overlap a more important one on a map ``height`` px
    high: see :func:`declutter`)."""
    places = territory.layers.get("places")
    group_of = {cat: g for g, (cats, *_) in PLACE_GROUPS.items() for cat in cats}
    cols = {k: [] for k in ("x", "y", "name", "category", "group", "kind", "marker", "color", "size", "label")}
    if places is None or places.empty or "category" not in places:
        return ColumnDataSource(cols)
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
    rank = sorted(range(len(cols["label"])), key=lambda i: LABELLED.index(cols["category"][i])
                  if cols["category"][i] in LABELLED else len(LABELLED))
    kept = declutter([cols["x"][i] for i in rank], [cols["y"][i] for i in rank], [cols["label"][i] for i in rank],
                     scale)
    for i, label in zip(rank, kept, strict=True):
        cols["label"][i] = label
    return ColumnDataSource(cols)


def _extent_y(territory) -> tuple[float, float]:
    """(south, north) of the territory's buildings and streets, in its CRS (metres)."""
    G = territory.graphs["drive"]
    ys = [d["y"] for _, d in G.nodes(data=True)]
    b = territory.layers["buildings"]
    if len(b):
        ys += [float(b.total_bounds[1]), float(b.total_bounds[3])]
    return (min(ys), max(ys)) if ys else (0.0, 1.0)


def territory_map(territory, lang: str = "fr", height: int = 560, sources: dict | None = None):
    """(figure, {layer: renderer}, street source) of the territory; ``sources`` (when given) is filled
    with the layers' ColumnDataSources, whose ``color``/``width``/``size``/``value`` columns can be
    changed to show a result."""
    sources = {} if sources is None else sources
    fig = figure(height=height, sizing_mode="stretch_width", match_aspect=True,
                 tools="pan,wheel_zoom,box_zoom,reset,save", active_scroll="wheel_zoom",
                 title=territory.provenance.get("attribution", ""), name="territory-map")
    fig.axis.visible = False
    fig.grid.visible = False
    fig.background_fill_color = "#f7f5f0"
    L = territory.layers
    renderers = {}

    b = L["buildings"]
    bx, by = _polygons(b.geometry)
    src = ColumnDataSource({"xs": bx, "ys": by, "use": b["use"].fillna("").astype(str).tolist(),
                            "name": b["name"].fillna("").astype(str).tolist(), "id": b["id"].astype(str).tolist(),
                            "levels": b["levels"].fillna(0).astype(float).tolist(),
                            "color": [COLORS["buildings"]] * len(b), "value": [""] * len(b)})
    sources["buildings"] = src
    renderers["buildings"] = fig.patches("xs", "ys", source=src, fill_color="color", line_color="#a89f91",
                                         line_width=0.5)
    fig.add_tools(HoverTool(renderers=[renderers["buildings"]],
                            tooltips=[(t("buildings", lang), "@name"), ("use", "@use"), ("levels", "@levels"),
                                      ("", "@value")]))

    water = []
    if len(L["water_areas"]):
        wx, wy = _polygons(L["water_areas"].geometry)
        water.append(fig.patches(wx, wy, fill_color=COLORS["water"], fill_alpha=0.4, line_color=COLORS["water"]))
    if len(L["waterways"]):
        lx, ly = _lines(L["waterways"].geometry)
        wsrc = ColumnDataSource({"xs": lx, "ys": ly, "name": L["waterways"]["name"].fillna("").astype(str).tolist()})
        water.append(fig.multi_line("xs", "ys", source=wsrc, line_color=COLORS["water"], line_width=3))
        fig.add_tools(HoverTool(renderers=[water[-1]], tooltips=[(t("water", lang), "@name")]))
    renderers["water"] = water

    streets = street_source(territory)
    sources["streets"] = streets
    renderers["streets"] = fig.multi_line("xs", "ys", source=streets, line_color="color", line_width="width",
                                          selection_line_color=COLORS["selected"], selection_line_width=6,
                                          nonselection_line_alpha=0.8, name="streets")
    fig.add_tools(HoverTool(renderers=[renderers["streets"]],
                            tooltips=[(t("streets", lang), "@name"), ("highway", "@highway"),
                                      ("m", "@length_m"), ("", "@value")]))
    fig.add_tools(TapTool(renderers=[renderers["streets"]]))

    lamps = L["lamps"]
    lsrc = ColumnDataSource({"x": lamps.geometry.x, "y": lamps.geometry.y, "id": lamps["id"].astype(str),
                             "power": lamps.get("power_w", np.nan), "street": lamps.get("street_name", ""),
                             "source": lamps["source"].astype(str), "color": [COLORS["lamps"]] * len(lamps),
                             "size": [3.0] * len(lamps), "value": [""] * len(lamps)})
    sources["lamps"] = lsrc
    renderers["lamps"] = fig.scatter("x", "y", source=lsrc, size="size", color="color", visible=False)
    fig.add_tools(HoverTool(renderers=[renderers["lamps"]],
                            tooltips=[(t("lamps", lang), "@street"), ("W", "@power"), ("source", "@source"),
                                      ("", "@value")]))

    bins = L["bins"]
    bsrc = ColumnDataSource({"x": bins.geometry.x, "y": bins.geometry.y, "id": bins["id"].astype(str),
                             "kind": bins["kind"].astype(str), "name": bins["name"].fillna("").astype(str),
                             "color": [COLORS["bins"]] * len(bins), "size": [8.0] * len(bins), "value": [""] * len(bins)})
    sources["bins"] = bsrc
    renderers["bins"] = fig.scatter("x", "y", source=bsrc, size="size", marker="square", color="color")
    fig.add_tools(HoverTool(renderers=[renderers["bins"]],
                            tooltips=[(t("bins", lang), "@id"), ("kind", "@kind"), ("", "@name"), ("", "@value")]))

    sx, sy, sid, sq, ssyn = sensor_points(territory)
    ssrc = ColumnDataSource({"x": sx, "y": sy, "id": sid, "quantity": sq, "synthetic": ssyn})
    renderers["sensors"] = fig.scatter("x", "y", source=ssrc, size=9, marker="triangle", color=COLORS["sensors"],
                                       visible=False)
    fig.add_tools(HoverTool(renderers=[renderers["sensors"]],
                            tooltips=[(t("sensors", lang), "@id"), ("", "@quantity"), ("synthetic", "@synthetic")]))
    psrc = place_source(territory, lang, height)
    sources["places"] = psrc
    places_r = fig.scatter("x", "y", source=psrc, marker="marker", size="size", fill_color="color",
                           line_color="color", line_width=1)  # no white rim: it ate the small legend marks
    labels = LabelSet(x="x", y="y", text="label", source=psrc, x_offset=9, y_offset=4,
                      text_font_size=LABEL_FONT, text_font_style="bold", text_color="#212121",
                      background_fill_color="white", background_fill_alpha=0.75)  # legible over streets
    fig.add_layout(labels)
    places_r.js_link("visible", labels, "visible")  # the names go with their marks (legend click, layer switch)
    renderers["places"] = [places_r, labels]
    fig.add_tools(HoverTool(renderers=[places_r], tooltips=[("", "@name"), ("", "@kind")]))

    zone = ColumnDataSource({"x": [], "y": [], "width": [], "height": []})
    sources["zone"] = zone
    zone_r = fig.rect("x", "y", "width", "height", source=zone, fill_alpha=0.15, fill_color="#8e44ad",
                      line_color="#8e44ad", line_width=2, line_dash="dashed")
    # shift-drag draws the zone a scenario applies to (roadworks, lighting); one zone at a time
    fig.add_tools(BoxEditTool(renderers=[zone_r], num_objects=1, description="zone (shift + glisser)"))
    fig.add_layout(layer_legend(renderers, psrc, lang), "right")
    # nothing is muted (the legend hides), and only the streets are ever selected: the browser derives these
    # glyphs itself ("auto") rather than receiving two more models per layer with every page
    for r in fig.renderers:
        r.muted_glyph = "auto"
        if r is not renderers["streets"]:
            r.nonselection_glyph = "auto"
    return fig, renderers, streets


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
    return Legend(items=items, click_policy="hide", label_text_font_size="12pt", glyph_width=34, glyph_height=34,
                  background_fill_alpha=0.9, name="map-legend")
