"""The comparison's difference map: reference | variant | difference, side by side, drawn from the
saved variants' stored outcomes (:meth:`twin.app.variants.VariantStore.outcome`) in the territory's own
geometry (Bokeh, no tile server).

What is mapped is the outcome's per-asset layer, keyed by the territory's ids (see
tests/test_outcome_contract.py):

* roadworks, flood-detours — the peak-hour flow on every street (``peak_flow_veh_h``, veh/h);
* street closure — the closed streets (1: closed, 0: open);
* lighting — each lamp's yearly energy (``lamps.kwh``, kWh/yr);
* bins — each bin's hours full per week (``bins.overflow_hours_per_week``; the mean of the ensemble's members,
  as the builder's map; positions from the table, so a bin the variant adds is drawn);
* heating — each simulated building's gas (``buildings.gas_kwh``, kWh/yr);
* flood — the buildings to alert (1: to alert).

The two maps of values share one sequential scale (Viridis, the same colour is the same value on
both); the difference map (variant − reference) has a diverging scale centred on 0 (blue: less, white:
the same, red: more; ColorBrewer RdBu), symmetric so that the same shade is the same size of change
either way. Each map has its colour bar as legend; the three share their pan and zoom.

Beneath the assets, the territory's streets in light grey and its rivers, from the main map's own
columns (:func:`twin.app.mapview.street_columns`): lamps, bins or buildings drawn alone on a blank
ground are dots nobody can place; with the streets and the river, the town is recognised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from bokeh.layouts import row
from bokeh.models import BasicTickFormatter, ColorBar, ColumnDataSource, HoverTool, LabelSet, LinearColorMapper
from bokeh.palettes import RdBu, Viridis256
from bokeh.plotting import figure

from twin.app.i18n import t, unit_label
from twin.app.mapview import (_polygons, layer_columns, name_tools, place_columns, street_columns,
                              street_source)
from twin.app.verdicts import no_rain_baseline
from twin.app.views.common import variant_shown

SEQUENTIAL = Viridis256
DIVERGING = RdBu[11]  # Bokeh lists it from dark blue (low: less) through white (#f7f7f7) to dark red (more)
assert DIVERGING[0] == "#053061" and DIVERGING[-1] == "#67001f"  # the caption says blue: less, red: more
NAN_COLOR = "#dddddd"  # an asset the outcome does not cover (a building not simulated)
BACKDROP_WATER = "#8c9aa3"  # the rivers: grey dots, never a blue the diverging scale reads as « less »
BACKDROP_STREET = "#a8a8a8"  # the streets beneath lamps, bins and buildings: light grey, where they are
BACKDROP_STREET_WIDTH = 2.5  # px: seen between lamps 25 m apart on a map of the whole town


LANDMARKS = ("townhall", "station")  # places named on the three maps: two names orient, thirty would bury them


TITLE_CHARS = 52
"""Characters a map's one-line title holds at a third of a 1,024 px page (about 6 px each, measured on
the browser tests' screenshot)."""


def clipped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the cut said by « … » (whole when it fits).

    >>> clipped("Quai fermé, vers la gare", 12)
    'Quai fermé,…'
    """
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def backdrop_sources(territory, lang: str = "fr") -> dict[str, ColumnDataSource]:
    """What the main map shows to find one's way, to draw beneath the mapped assets: the streets, the
    rivers (when the territory has some) and the town hall and station with their names. One source
    each, shared by the three maps of a pair; the streets' and rivers' columns are the main map's own
    (:func:`twin.app.mapview.street_columns`, :func:`~twin.app.mapview.layer_columns`: made once per
    territory, encoded once per server), the places' those of :func:`~twin.app.mapview.place_columns`."""
    streets = street_columns(territory)
    out = {"streets": ColumnDataSource({c: streets[c] for c in ("xs", "ys", "name")})}
    water = layer_columns(territory).get("waterways")
    if water is not None:
        out["water"] = ColumnDataSource({c: water[c] for c in ("xs", "ys", "name")})
    places = place_columns(territory, lang)
    keep = [i for i, g in enumerate(places["group"]) if g in LANDMARKS]
    if keep:  # a few rows: plain lists of this page
        out["places"] = ColumnDataSource({c: [places[c][i] for i in keep] for c in
                                          ("x", "y", "name", "kind", "marker", "color", "label")})
        out["places"].data["label"] = [lab or kind for lab, kind in zip(out["places"].data["label"],
                                                                         out["places"].data["kind"], strict=True)]
    return out


@dataclass
class AssetLayer:
    """One variant's value per asset: ``kind`` (streets, buildings, lamps, bins), {id: value} in
    ``unit``, ``default`` for an id not listed (0 for a list — not in it —, NaN for a layer — not
    covered), the catalogue key of the ``quantity``, and the assets' positions when the table has them."""

    kind: str
    values: dict[str, float]
    default: float
    quantity: str
    unit: str
    points: dict[str, tuple[float, float]] = field(default_factory=dict)


def _rows(table, variant: str):
    return table[table["variant"].astype(str) == str(variant)] if "variant" in table else table


def asset_layer(outcome, variant: str) -> AssetLayer | None:
    """The per-asset values of ``variant`` (a variant of ``outcome``, its baseline included) that a
    difference map draws; None when the outcome has no per-asset layer."""
    baseline = variant == outcome.baseline
    if "peak_flow_veh_h" in outcome.series_names:
        flows = outcome.series("peak_flow_veh_h").sel(variant=variant)
        return AssetLayer("streets", dict(zip(map(str, flows["edge"].values), flows.values.astype(float), strict=True)),
                          float("nan"), "compare_q_peak_flow", "veh/h")
    tables = outcome.tables
    if "lamps" in tables:
        d = _rows(tables["lamps"], variant)
        return AssetLayer("lamps", dict(zip(d["lamp_id"].astype(str), d["kwh"].astype(float), strict=True)),
                          float("nan"), "compare_q_lamp_kwh", "kWh/yr")
    if "bins" in tables:
        d = _rows(tables["bins"], variant)
        ids = d["bin_id"].astype(str)
        return AssetLayer("bins", dict(zip(ids, d["overflow_hours_per_week"].astype(float), strict=True)),
                          float("nan"), "compare_q_bin_overflow", "h/week",
                          dict(zip(ids, zip(d["x"].astype(float), d["y"].astype(float), strict=True), strict=True)))
    if "buildings" in tables and "gas_kwh" in tables["buildings"]:
        d = _rows(tables["buildings"], variant)
        return AssetLayer("buildings", dict(zip(d["building_id"].astype(str), d["gas_kwh"].astype(float), strict=True)),
                          float("nan"), "compare_q_gas", "kWh/yr")
    if "buildings_to_alert" in tables:
        d = _rows(tables["buildings_to_alert"], variant)
        return AssetLayer("buildings", dict.fromkeys(d["building_id"].astype(str), 1.0), 0.0, "compare_q_alert", "0/1")
    if "streets" in tables and "searching_vkm" in tables["streets"]:  # parking: the search, street by street
        d = _rows(tables["streets"], variant)
        return AssetLayer("streets", dict(zip(d["edge"].astype(str), d["searching_vkm"].astype(float), strict=True)),
                          float("nan"), "compare_q_cruising", "veh·km")
    if "water_pipes" in tables:  # water: each pipe under its street (the SYNTHETIC network), both ways
        d = _rows(tables["water_pipes"], variant)
        column, quantity, unit = next(((c, q, u) for c, q, u in WATER_QUANTITIES if c in d), (None, None, None))
        if column is not None:
            return AssetLayer("streets", _street_keys(d, column), float("nan"), quantity, unit)
    if "closed_streets" in tables:  # the closure's own list: the baseline closes nothing
        edges = [] if baseline else tables["closed_streets"]["edge"].astype(str)
        return AssetLayer("streets", dict.fromkeys(edges, 1.0), 0.0, "compare_q_closed", "0/1")
    return None


WATER_QUANTITIES = (("night_pressure_m", "compare_q_night_pressure", "m"),
                    ("hours_without_water", "compare_q_hours_without_water", "h"))
"""The column of a water family's ``water_pipes`` a difference map draws, first found first."""


def _street_keys(pipes, column: str) -> dict[str, float]:
    """{street edge id ``u-v-key``: the value of the pipe under it}, both directions and the first keys of
    parallel edges: a pipe lies under the street segment, the map draws its directed edges."""
    out = {}
    for u, v, value in zip(pipes["osm_u"], pipes["osm_v"], pipes[column].astype(float), strict=True):
        if u == v:  # the tower's main lies under no street
            continue
        for a, b in ((u, v), (v, u)):
            for key in range(3):
                out[f"{a}-{b}-{key}"] = float(value)
    return out


def _geometry(territory, kind: str, layers: tuple[AssetLayer, AssetLayer]) -> dict:
    """Columns of the assets' shapes (``xs``/``ys`` of lines and polygons, ``x``/``y`` of points) and ``id``."""
    if kind == "streets":
        d = street_source(territory).data
        return {"xs": d["xs"], "ys": d["ys"], "id": list(d["edge"]), "name": list(d["name"])}
    if kind == "buildings":
        b = territory.layers["buildings"]
        xs, ys = _polygons(b.geometry)
        return {"xs": xs, "ys": ys, "id": b["id"].astype(str).tolist(), "name": b["name"].fillna("").astype(str).tolist()}
    if kind == "bins" and any(layer.points for layer in layers):
        points = {**layers[0].points, **layers[1].points}  # a bin added by either variant is drawn
        ids = sorted(points)
        return {"x": [points[i][0] for i in ids], "y": [points[i][1] for i in ids], "id": ids, "name": ids}
    g = territory.layers[kind]
    return {"x": g.geometry.x.tolist(), "y": g.geometry.y.tolist(), "id": g["id"].astype(str).tolist(),
            "name": g["id"].astype(str).tolist()}


def difference_columns(territory, reference: AssetLayer, variant: AssetLayer) -> dict:
    """The shared source's columns: geometry, ``reference``, ``variant`` and ``difference`` (variant −
    reference) per asset of the kind both layers map."""
    cols = _geometry(territory, variant.kind, (reference, variant))
    ref = np.array([reference.values.get(i, reference.default) for i in cols["id"]], float)
    var = np.array([variant.values.get(i, variant.default) for i in cols["id"]], float)
    cols.update(reference=ref, variant=var, difference=var - ref)
    return cols


def _draw(fig, kind: str, source, column: str, mapper, backdrop: dict):
    """Draw the backdrop (rivers, then the streets in light grey unless the streets are what is mapped),
    then the assets coloured by ``column``, then the town hall and station named; returns the assets'
    renderer (named ``diff-assets``)."""
    color = {"field": column, "transform": mapper}
    if "water" in backdrop:  # the river: the landmark a person of the town finds first
        # grey and dotted: drawn blue, the canal read as streets that lost traffic (blue: less)
        fig.multi_line("xs", "ys", source=backdrop["water"], line_color=BACKDROP_WATER, line_width=3,
                       line_dash="dotted", line_alpha=0.8, name="diff-backdrop-water")
    if kind != "streets":  # the streets beneath: where the lamps, bins and buildings are
        fig.multi_line("xs", "ys", source=backdrop["streets"], line_color=BACKDROP_STREET,
                       line_width=BACKDROP_STREET_WIDTH, name="diff-backdrop-streets")
    if kind == "streets":
        r = fig.multi_line("xs", "ys", source=source, line_color=color, line_width=3.5)
    elif kind == "buildings":
        r = fig.patches("xs", "ys", source=source, fill_color=color, line_color="#8a8a8a", line_width=0.3)
    else:  # lamps every ~25 m: small enough dots that the street they light shows between them
        r = fig.scatter("x", "y", source=source, fill_color=color, line_color="#333333", line_width=0.4,
                        size=11 if kind == "bins" else 5, marker="square" if kind == "bins" else "circle")
    r.name = "diff-assets"  # the assets' renderer, by name (the places are drawn over it)
    if "places" in backdrop:  # the town hall and the station, named: on top, never hidden by an asset
        fig.scatter("x", "y", source=backdrop["places"], marker="marker", size=13, fill_color="color",
                    line_color="white", line_width=1, name="diff-backdrop-places")
        fig.add_layout(LabelSet(x="x", y="y", text="label", source=backdrop["places"], x_offset=7, y_offset=3,
                                text_font_size="10pt", text_font_style="bold", text_color="#212121",
                                background_fill_color="white", background_fill_alpha=0.75,
                                name="diff-backdrop-labels"))
    return r


def difference_figure(territory, reference: AssetLayer, variant: AssetLayer, labels: tuple[str, str],
                      lang: str = "fr", height: int = 420):
    """(Bokeh row of the three maps, caption) — ``labels``: the reference's and the variant's names."""
    cols = difference_columns(territory, reference, variant)
    unit = unit_label(variant.unit, lang)
    quantity = t(variant.quantity, lang)
    src = ColumnDataSource(cols)
    values = np.concatenate([cols["reference"], cols["variant"]])
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if high <= low:
        high = low + 1.0
    diff = np.asarray(cols["difference"], float)
    span = float(np.nanmax(np.abs(diff))) if np.isfinite(diff).any() else 0.0
    span = span if span > 0 else 1.0
    seq = LinearColorMapper(palette=SEQUENTIAL, low=low, high=high, nan_color=NAN_COLOR)
    div = LinearColorMapper(palette=DIVERGING, low=-span, high=span, nan_color=NAN_COLOR)
    backdrop = backdrop_sources(territory, lang)
    a, b = labels
    # a Bokeh title is one line, cut at the map's width (a third of the page): long names are shortened
    # there, and written whole in the caption above the maps
    room = TITLE_CHARS - len(t("compare_diff_difference", lang, a="", b=""))  # for the two names
    short_a, short_b = (clipped(x, max(room // 2, room - len(y))) for x, y in ((a, b), (b, a)))
    titles = {"reference": clipped(a, TITLE_CHARS), "variant": clipped(b, TITLE_CHARS),
              "difference": t("compare_diff_difference", lang, a=short_a, b=short_b)}
    figs = []
    for column in ("reference", "variant", "difference"):
        kw = {"x_range": figs[0].x_range, "y_range": figs[0].y_range} if figs else {}
        fig = figure(height=height, sizing_mode="stretch_width", match_aspect=True, title=titles[column],
                     tools="pan,wheel_zoom,box_zoom,reset,save", active_scroll="wheel_zoom", name=f"diff-{column}", **kw)
        fig.axis.visible = False
        fig.grid.visible = False
        fig.background_fill_color = "#f7f5f0"
        mapper = div if column == "difference" else seq
        r = _draw(fig, variant.kind, src, column, mapper, backdrop)
        fig.add_tools(HoverTool(renderers=[r], tooltips=[("", "@name"), (quantity, f"@{column}{{0,0.[00]}}")]))
        name_tools(fig, lang)
        title = t("compare_diff_scale_diff" if column == "difference" else "compare_diff_scale", lang,
                  quantity=quantity, unit=unit)
        # plain figures, not Bokeh's « 2.000e+5 » past 10⁵ (no thousands mark: numbro's « , » reads as
        # a decimal comma in French, and a formatter of our own would be code the page's policy refuses)
        bar = ColorBar(color_mapper=mapper, title=title, name=f"diff-scale-{column}", location=(0, 0),
                       orientation="horizontal", height=10, title_text_font_size="10pt",
                       major_label_text_font_size="9pt", formatter=BasicTickFormatter(use_scientific=False))
        fig.add_layout(bar, "below")
        figs.append(fig)
    caption = t("compare_diff_caption", lang, quantity=quantity, unit=unit, a=a, b=b)
    if not np.nanmax(np.abs(np.nan_to_num(diff))) > 0:
        caption += " " + t("compare_diff_unchanged", lang)
    else:
        moved = np.abs(np.nan_to_num(diff))
        n, big = int(np.sum(moved != 0)), int(np.sum(moved >= 0.1 * span))
        caption += " " + (t("compare_diff_changed", lang, n=n, total=len(diff)) if big == n else
                          t("compare_diff_changed_most", lang, n=n, total=len(diff), big=big))
    return row(*figs, sizing_mode="stretch_width", name="diff-maps"), caption


def variant_pair_maps(store, territory, variant, reference=None, lang: str = "fr", height: int = 420,
                      outcomes: dict | None = None):
    """(Bokeh row or None, caption or French note) of saved ``variant`` against saved ``reference`` (its
    own baseline when None): a note says why there is no map (saved without its outcome, another family
    or territory, nothing per asset). ``outcomes``: a cache {variant id: outcome} kept by the page."""
    outcomes = {} if outcomes is None else outcomes

    def load(v):
        if v.id not in outcomes:
            outcomes[v.id] = store.outcome(v.id)
        return outcomes[v.id]

    if reference is not None and reference.family != variant.family:
        return None, t("compare_diff_other_family", lang, a=reference.name, b=variant.name)
    if reference is not None and reference.territory != variant.territory:
        return None, t("compare_diff_other_territory", lang, a=reference.name, b=variant.name)
    for v in (variant, reference):
        if v is not None and load(v) is None:
            return None, t("compare_diff_no_outcome", lang, name=v.name)
    out = load(variant)
    var_layer = asset_layer(out, variant_shown(out))
    if reference is None:
        ref_layer = asset_layer(out, out.baseline)
        key = "compare_diff_no_rain_of" if no_rain_baseline(variant.kpis) else "compare_diff_baseline_of"
        labels = (t(key, lang, name=variant.name), variant.name)
    else:
        ref_out = load(reference)
        ref_layer = asset_layer(ref_out, variant_shown(ref_out))
        labels = (reference.name, variant.name)
    if var_layer is None or ref_layer is None or ref_layer.kind != var_layer.kind:
        return None, t("compare_diff_no_layer", lang, name=variant.name)
    maps, caption = difference_figure(territory, ref_layer, var_layer, labels, lang, height)
    if reference is not None:
        caption += other_hours_note(ref_out, out, labels, lang)
    return maps, caption


def other_hours_note(ref_out, out, labels, lang: str = "fr") -> str:
    """" Attention : … » when two works are mapped at their own peak hours (night works at 21 h, day works
    at 17 h): the map's difference is then that of two hours, not the works' alone ("" otherwise)."""
    a, b = (str(o.data.attrs.get("works_peak_hour", "")) for o in (ref_out, out))
    if not a or not b or a == b:
        return ""
    flood = "flood-detours" in {str(o.data.attrs.get("scenario", "")) for o in (ref_out, out)}
    return " " + t("compare_diff_other_hours_flood" if flood else "compare_diff_other_hours", lang, a=labels[0],
                   b=labels[1], ha=a.replace("-", "–"), hb=b.replace("-", "–"))

