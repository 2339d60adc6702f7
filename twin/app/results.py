"""What changes, where and when: the result map and time series shown under the KPI cards.

* roadworks — peak-hour flow change on every street (red: more traffic, green: less; width grows
  with the change), closed streets dashed black;
* street closure — the closed streets;
* bins — each bin coloured and sized by the hours it spends full per week in the variant;
* lighting — every lamp by the share of the night it burns (dark: off, yellow: all night);
* heating — each simulated building by the gas its first variant saves (white → green);
* flood — the buildings to alert (90th percentile peak) in red, and the stage forecast at the gauge
  (median and 10–90 % band) against the alert levels;
* parking — the distance driven searching for a space on each street, its change in the variant;
* water break — the pipes shut for the repair in black, the streets and buildings without water in red;
* flood detours — the streets the flood closes in black, the detours' flow change, the buildings the
  fire station or hospital no longer reaches in time, or a note saying why that is not computed.

Time series under the map: the flood's stage forecast, the bins' mean fill level and share of full
bins hour by hour, the roadworks' vehicle-hours in each hour of the window — baseline against variant.

The overlay functions are pure (outcome in, columns out) so they are tested without a browser.
"""

from __future__ import annotations

from importlib import import_module

VIEWS = {"roadworks": "roadworks", "street-closure": "roadworks", "flood-detours": "flood_detours", "bins": "bins",
         "lighting": "lighting", "heating": "heating", "flood": "flood", "parking": "parking", "water-break": "water",
         "water-pressure": "water_pressure", "water-meters": "water_meters"}
"""Scenario family -> its view module in :mod:`twin.app.views`."""


def view_of(outcome):
    """The view module of the family that produced ``outcome`` (None for an unknown family)."""
    name = VIEWS.get(str(outcome.data.attrs.get("scenario")))
    return import_module(f"twin.app.views.{name}") if name else None


def overlays_for(outcome, sources: dict, lang: str = "fr") -> tuple[dict, list[str]]:
    """Every overlay of a run's result map ({layer: {column: values}}) and the captions saying what
    they show (a view's caption with no layer is a note: shown, nothing drawn), in ``lang`` (texts
    from :mod:`twin.app.i18n`). Kept on the outcome per language: twenty sessions of a workshop
    showing the same shared outcome compute it once (the sources' ids are the territory's, the same
    in every page)."""
    cache = outcome.__dict__.setdefault("_app_overlays", {})
    if lang in cache:
        return cache[lang]
    overlays, captions = {}, []
    view = view_of(outcome)
    for layer, overlay, caption in (view.overlays(outcome, sources, lang) if view else []):
        if layer is not None:  # a caption without a layer is a note (e.g. why a KPI is not computed)
            overlays[layer] = overlay
        captions.append(caption)
    cache[lang] = overlays, captions
    return overlays, captions


def series_figure(outcome, lang: str = "fr"):
    """The time series that goes with a run (hydrograph, bin fill levels, hourly traffic), or None."""
    from twin.app.mapview import name_tools  # noqa: PLC0415

    view = view_of(outcome)
    fig = view.figure_for(outcome, lang) if view else None
    if fig is not None and hasattr(fig, "toolbar"):
        name_tools(fig, lang)  # the toolbar's tooltips in the page's language, as the map's
    return fig

