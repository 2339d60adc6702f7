"""The flood chart shows what it is about: the whole quantile band and every alert level on its axis,
a legend naming them, and dates written the page's way (issue 17: the axis fitted the median only,
dates were in English, there was no legend). Built from the seed territory's real flood run."""

from __future__ import annotations

import re

import numpy as np
import pytest
from bokeh.models import DatetimeTickFormatter, Legend

from tests.test_paths import FAMILY_CASES
from twin.app.i18n import LANGS, fmt_number, t
from twin.app.views.flood import DATE_FORMATS, stage_figure, stage_range
from twin.app.views.common import variant_shown


@pytest.fixture(scope="module")
def outcome():
    from twin.scenarios import SCENARIOS
    from twin.seeds import load_default

    return SCENARIOS["flood"].from_dict(FAMILY_CASES["flood"]).run(load_default())


def _alerts(outcome) -> dict[str, float]:
    return {level: float(outcome.data.attrs[f"alert_{level}_m"]) for level in ("yellow", "orange", "red")
            if f"alert_{level}_m" in outcome.data.attrs}


@pytest.mark.parametrize("lang", LANGS)
def test_the_axis_shows_the_band_and_every_alert_level(outcome, lang):
    fig = stage_figure(outcome, lang)
    da = outcome.series("stage_m").sel(variant=variant_shown(outcome))
    low, high = float(da.min()), float(da.max())  # the band's bottom and top
    alerts = _alerts(outcome)
    assert len(alerts) == 3, "the seed's gauge has three alert levels"
    # the seed's forecast stays under the red level: a range fitted to the data alone would cut it
    assert max(alerts.values()) > high
    start, end = fig.y_range.start, fig.y_range.end
    for what, value in {"band min": low, "band max": high, **alerts}.items():
        assert start < value < end, f"{what} {value} m outside the axis [{start}, {end}]"
    assert start < min(low, *alerts.values()) - 0.05 and end > max(high, *alerts.values()) + 0.05, "no margin"


@pytest.mark.parametrize("lang", LANGS)
def test_the_legend_names_the_median_the_band_and_each_alert_level(outcome, lang):
    fig = stage_figure(outcome, lang)
    legends = [m for m in fig.references() if isinstance(m, Legend)]
    assert len(legends) == 1
    labels = [item.label.value for item in legends[0].items]
    q = outcome.series("stage_m")["quantile"].values
    expected = [t("flood_band", lang, lo=fmt_number(100 * q.min(), lang), hi=fmt_number(100 * q.max(), lang)),
                t("flood_median", lang)]
    expected += [t(f"flood_alert_{level}", lang, h=fmt_number(h, lang)) for level, h in _alerts(outcome).items()]
    assert labels == expected
    if lang == "fr":
        assert labels[:3] == ["bande 5–95 %", "médiane", "vigilance jaune (3,5 m)"]
    # every entry draws something: the band and the lines are glyphs with data
    for item in legends[0].items:
        assert item.renderers and all(len(r.data_source.data[next(iter(r.data_source.data))]) for r in item.renderers)


def test_the_dates_are_written_in_the_pages_language(outcome):
    fr = stage_figure(outcome, "fr").xaxis[0].formatter
    en = stage_figure(outcome, "en").xaxis[0].formatter
    assert isinstance(fr, DatetimeTickFormatter) and isinstance(en, DatetimeTickFormatter)
    assert fr.hours == "%d/%m %Hh" and fr.days == "%d/%m"
    # no month or day name in French: Bokeh writes those in English
    for name in DATE_FORMATS["fr"]:
        assert not re.search(r"%[aAbBp]", getattr(fr, name)), (name, getattr(fr, name))
    assert "%b" in en.days and en.hours != fr.hours


def test_the_range_pads_and_ignores_missing_values():
    start, end = stage_range([1.0, np.nan], [2.0], [5.5])
    assert start < 1.0 and 5.5 < end
    assert end - 5.5 == pytest.approx(1.0 - start) == pytest.approx(0.08 * 4.5)
    start, end = stage_range([2.0], [2.0], [])  # a flat forecast still gets an axis
    assert start == pytest.approx(1.9) and end == pytest.approx(2.1)
