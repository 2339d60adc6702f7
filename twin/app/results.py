"""What changes, where and when: the result map and time series shown under the KPI cards.

* roadworks — peak-hour flow change on every street (red: more traffic, blue: less; width grows
  with the change), closed streets dashed black;
* street closure — the closed streets;
* bins — each bin coloured and sized by the hours it spends full per week in the variant;
* lighting — every lamp by the share of the night it burns (dark: off, yellow: all night);
* heating — each simulated building by the gas its first variant saves (white → green);
* flood — the buildings to alert (90th percentile peak) in red, and the stage forecast at the gauge
  (median and 10–90 % band) against the alert levels.

Time series under the map: the flood's stage forecast, the bins' mean fill level and share of full
bins hour by hour, the roadworks' vehicle-hours in each hour of the window — baseline against variant.

The overlay functions are pure (outcome in, columns out) so they are tested without a browser.
"""

from __future__ import annotations

import numpy as np
from bokeh.models import Band, ColumnDataSource, Span
from bokeh.plotting import figure

from twin.app.i18n import fmt_number
from twin.app.mapview import COLORS

INCREASE, DECREASE = "#c0392b", "#1a9850"  # red / green: the river is already blue


def _variant(outcome) -> str:
    names = [str(v) for v in outcome.data["variant"].values if str(v) != outcome.baseline]
    return names[0] if names else outcome.baseline


def street_overlay(outcome, edges: list[str], closed_names: set[str] | None = None, names: list[str] | None = None,
                   lang: str = "fr") -> dict | None:
    """Colours, widths and hover values per street edge, or None when the outcome has nothing per street."""
    n = len(edges)
    if "peak_flow_veh_h" in outcome.data:
        flows = outcome.data["peak_flow_veh_h"]
        index = {e: i for i, e in enumerate(map(str, flows["edge"].values))}
        base = flows.sel(variant=outcome.baseline).values
        var = flows.sel(variant=_variant(outcome)).values
        change = np.array([var[index[e]] - base[index[e]] if e in index else 0.0 for e in edges])
        closed = np.array([e in index and var[index[e]] == 0 and base[index[e]] > 0 for e in edges])
        scale = max(float(np.abs(change).max()), 1e-9)
        colors = [("#000000" if c else INCREASE if d > 0.5 else DECREASE if d < -0.5 else COLORS["streets"])
                  for d, c in zip(change, closed, strict=True)]
        widths = list(1.5 + 7.0 * np.abs(change) / scale)
        values = [f"{fmt_number(d, lang, signed=True)} veh/h" for d in change]
        return {"color": colors, "width": widths, "value": values}
    if closed_names:
        wanted = {str(x).lower() for x in closed_names}
        hit = [(nm or "").lower() in wanted for nm in (names or [""] * n)]
        return {"color": [COLORS["selected"] if h else COLORS["streets"] for h in hit],
                "width": [6.0 if h else 2.5 for h in hit], "value": ["" for _ in hit]}
    return None


def bin_overlay(outcome, bin_ids: list[str], lang: str = "fr") -> dict | None:
    """Hours full per week of each bin in the variant (last member), as colours and sizes."""
    details = getattr(outcome, "details", None)
    if not details or "setup" not in details:
        return None
    name = _variant(outcome)
    res = details[name]["last"]
    ids = details["setup"]["bins"]
    per_week = res.per_bin["overflow_hours"] / (res.hours / 168.0)
    value = dict(zip(ids, per_week, strict=True))
    top = max(float(per_week.max()), 1.0)
    colors, sizes, texts = [], [], []
    for b in bin_ids:
        if b not in value:
            colors.append("#bbbbbb")
            sizes.append(6.0)
            texts.append("")
            continue
        v = value[b] / top
        colors.append(f"#{int(255):02x}{int(220 * (1 - v)):02x}{int(120 * (1 - v)):02x}")
        sizes.append(8.0 + 14.0 * v)
        texts.append(f"{fmt_number(value[b], lang)} h/sem." if lang == "fr" else f"{value[b]:.1f} h/week")
    return {"color": colors, "size": sizes, "value": texts}


def building_overlay(scenario, building_ids: list[str]) -> dict | None:
    """The flood's buildings to alert (variant, else baseline) in red."""
    alerts = getattr(scenario, "alert_list", None)
    if not alerts:
        return None
    label = next((k for k in alerts if k != "baseline"), "baseline")
    hit = set(alerts[label]["id"].astype(str)) if "id" in alerts[label] else set()
    return {"color": [COLORS["selected"] if b in hit else COLORS["buildings"] for b in building_ids],
            "value": ["" if b not in hit else "⚠" for b in building_ids]}


def savings_overlay(scenario, building_ids: list[str], lang: str = "fr") -> dict | None:
    """Heating: each simulated building by the gas its variant saves (% of its current use; white: none,
    deep green: the most), with the kWh/yr in the hover; buildings not simulated keep their colour."""
    per = getattr(scenario, "per_building", None)
    if per is None or per.empty:
        return None
    variant = next((v for v in per["variant"].unique() if v != "baseline"), None)
    if variant is None:
        return None
    mine = per[per["variant"] == variant].set_index("building_id")
    top = max(float(mine["saving_pct"].clip(lower=0).max()), 1.0)
    colors, values = [], []
    for b in building_ids:
        if b not in mine.index:
            colors.append(COLORS["buildings"])
            values.append("")
            continue
        pct, kwh = float(mine.at[b, "saving_pct"]), float(mine.at[b, "saving_kwh"])
        v = min(max(pct, 0.0) / top, 1.0)
        colors.append(f"#{int(255 - 229 * v):02x}{int(255 - 103 * v):02x}{int(255 - 200 * v):02x}")  # white → #1a9837
        values.append(f"gaz {fmt_number(-pct, lang, signed=True)} % ({fmt_number(-kwh, lang, signed=True)} kWh/an)"
                      if lang == "fr" else f"gas {-pct:+.1f} % ({-kwh:+,.0f} kWh/yr)")
    return {"color": colors, "value": values, "_variant": variant}


def lamp_overlay(scenario, lamp_ids: list[str], lang: str = "fr") -> dict | None:
    """Lighting: each lamp by the share of the night it burns in the variant (dark: switched off)."""
    detail = getattr(scenario, "last_detail", None)
    if not detail:
        return None
    name = next((k for k in detail if k != "baseline"), "baseline")
    d = detail[name]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip(np.asarray(d["equivalent_hours"], float) / np.asarray(d["night_hours"], float), 0, 1)
    share = np.nan_to_num(share, nan=1.0)
    dark, lit = np.array([31, 42, 68]), np.array([255, 215, 0])  # navy (off) → gold (all night)
    colors = ["#%02x%02x%02x" % tuple(int(c) for c in dark + (lit - dark) * v) for v in share]
    unit = "de la nuit" if lang == "fr" else "of the night"
    return {"color": colors, "size": [5.0] * len(share),
            "value": [f"{fmt_number(100 * v, lang)} % {unit}" for v in share]} if len(share) == len(lamp_ids) else None


def overlays_for(scenario, outcome, params: dict, sources: dict, lang: str = "fr") -> tuple[dict, list[str]]:
    """Every overlay of a run's result map ({layer: {column: values}}) and the captions saying what
    they show. Kept on the outcome per language: twenty sessions of a workshop showing the same
    shared outcome compute it once (the sources' ids are the territory's, the same in every page)."""
    cache = outcome.__dict__.setdefault("_app_overlays", {})
    if lang in cache:
        return cache[lang]
    fr = lang == "fr"
    overlays, captions = {}, []
    streets = street_overlay(outcome, sources["streets"].data["edge"], set(params.get("streets") or []),
                             sources["streets"].data["name"], lang)
    if streets:
        overlays["streets"] = streets
        if "peak_flow_veh_h" in outcome.data:
            captions.append("Rues : variation du débit à l'heure de pointe (rouge : plus, vert : moins ; noir : fermée)"
                            if fr else "Streets: peak-hour flow change (red: more, green: less; black: closed)")
        else:
            captions.append("Rues fermées en rouge" if fr else "Closed streets in red")
    bins = bin_overlay(outcome, sources["bins"].data["id"], lang)
    if bins:
        overlays["bins"] = bins
        captions.append("Corbeilles : heures pleines par semaine dans la variante (plus gros, plus rouge : plus)"
                        if fr else "Bins: hours full per week in the variant (bigger, redder: more)")
    lamps = lamp_overlay(scenario, sources["lamps"].data["id"], lang)
    if lamps:
        overlays["lamps"] = lamps
        captions.append("Lampadaires : part de la nuit allumée dans la variante (sombre : éteint)"
                        if fr else "Lamps: share of the night lit in the variant (dark: off)")
    buildings = building_overlay(scenario, sources["buildings"].data["id"])
    if buildings:
        overlays["buildings"] = buildings
        captions.append("Bâtiments à alerter en rouge" if fr else "Buildings to alert in red")
    savings = savings_overlay(scenario, sources["buildings"].data["id"], lang)
    if savings:
        variant = savings.pop("_variant")
        overlays["buildings"] = savings
        captions.append(f"Bâtiments : gaz économisé par « {variant} » (plus vert : plus ; survol : % et kWh/an)"
                        if fr else f"Buildings: gas saved by “{variant}” (greener: more; hover: % and kWh/yr)")
    cache[lang] = overlays, captions
    return overlays, captions


def series_figure(outcome, lang: str = "fr"):
    """The time series that goes with a run (hydrograph, bin fill levels, hourly traffic), or None."""
    for make in (stage_figure, fill_figure, hourly_traffic_figure):
        fig = make(outcome, lang)
        if fig is not None:
            return fig
    return None


def fill_figure(outcome, lang: str = "fr"):
    """Bins: mean fill level and share of full bins, hour by hour, baseline against the variant (the
    last ensemble member of each); None when the outcome has no bin simulation."""
    details = getattr(outcome, "details", None)
    if not details or "setup" not in details:
        return None
    fr = lang == "fr"
    fig = figure(height=280, sizing_mode="stretch_width", y_range=(0, 100),
                 title="Remplissage des corbeilles (%)" if fr else "Bin fill levels (%)",
                 x_axis_label="jour de la saison simulée" if fr else "day of the simulated season")
    for name, color in ((outcome.baseline, "#888888"), (_variant(outcome), "#1f4e79")):
        res = details[name]["last"]
        if res.fill_mean_pct is None:
            return None
        days = np.arange(len(res.fill_mean_pct)) / 24.0
        label = "référence" if fr and name == outcome.baseline else name
        fig.line(days, res.fill_mean_pct, color=color, line_width=2,
                 legend_label=f"{label} : remplissage moyen" if fr else f"{label}: mean fill")
        fig.line(days, res.full_share_pct, color=color, line_dash="dashed", line_width=1.5,
                 legend_label=f"{label} : corbeilles pleines" if fr else f"{label}: bins full")
    fig.legend.location = "top_left"
    fig.legend.label_text_font_size = "9pt"
    return fig


def hourly_traffic_figure(outcome, lang: str = "fr"):
    """Roadworks: vehicle-hours travelled in each hour of the works' window, baseline against the
    works; None when the outcome has no hourly traffic."""
    if "hourly_vehicle_hours" not in outcome.data:
        return None
    fr = lang == "fr"
    da = outcome.data["hourly_vehicle_hours"]
    hours = [int(h) for h in da["hour"].values]
    x = [f"{h:02d}h" for h in hours]
    method = da.attrs.get("method", "")
    if fr:
        method = {"every hour of the window assigned": "chaque heure affectée",
                  "peak hour and mean off-peak level, each assigned once per variant":
                      "heure de pointe, et niveau moyen hors pointe pour les autres heures"}.get(method, method)
    fig = figure(height=280, sizing_mode="stretch_width", x_range=x,
                 title=("Trafic heure par heure : véhicules·heures" if fr else "Traffic hour by hour: vehicle-hours")
                 + (f" ({method})" if method else ""))
    for name, color, dash in ((outcome.baseline, "#888888", "solid"), (_variant(outcome), "#c0392b", "solid")):
        y = da.sel(variant=name).values
        label = ("référence" if fr else "baseline") if name == outcome.baseline else ("travaux" if fr else name)
        fig.line(x, y, color=color, line_width=2, line_dash=dash, legend_label=label)
        fig.scatter(x, y, color=color, size=5)
    fig.legend.location = "top_left"
    return fig


def stage_figure(outcome, lang: str = "fr"):
    """The stage forecast (median, 10–90 %) of the variant, with the alert levels; None without one."""
    if "stage_m" not in outcome.data:
        return None
    da = outcome.data["stage_m"].sel(variant=_variant(outcome))
    q = [float(x) for x in da["quantile"].values]
    times = da["time"].values
    mid = da.sel(quantile=min(q, key=lambda x: abs(x - 0.5))).values
    lo = da.sel(quantile=min(q)).values
    hi = da.sel(quantile=max(q)).values
    fig = figure(height=280, sizing_mode="stretch_width", x_axis_type="datetime",
                 title="Hauteur prévue à la station (m)" if lang == "fr" else "Forecast stage at the gauge (m)")
    src = ColumnDataSource({"t": times, "mid": mid, "lo": lo, "hi": hi})
    fig.add_layout(Band(base="t", lower="lo", upper="hi", source=src, fill_alpha=0.25, fill_color="#4a90d9"))
    fig.line("t", "mid", source=src, line_width=2, color="#1f4e79")
    for level, color in (("yellow", "#e0b000"), ("orange", "#e67e22"), ("red", "#c0392b")):
        h = outcome.data.attrs.get(f"alert_{level}_m")
        if h is not None:
            fig.add_layout(Span(location=float(h), dimension="width", line_color=color, line_dash="dashed",
                                line_width=2))
    return fig
