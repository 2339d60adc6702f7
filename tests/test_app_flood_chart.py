"""The flood chart shows what it is about: the whole quantile band and every alert level on its axis,
a legend naming them, dates written the page's way with their year, and whether it is a forecast
issued at a given time or a replay with the rain that fell (issue 17: the axis fitted the median only,
dates were in English and had no year, there was no legend, a replay looked like a forecast). Built
from the seed territory's real flood runs: the default analog ensemble (a forecast) and the observed
rain (a replay)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from bokeh.models import DatetimeTickFormatter, Legend

from tests.test_paths import FAMILY_CASES
from twin.app.i18n import LANGS, fmt_number, t
from twin.app.views.common import variant_shown
from twin.app.views.flood import DATE_FORMATS, chart_title, local_clock, stage_figure, stage_range


@pytest.fixture(scope="module")
def outcome():
    from twin.scenarios import SCENARIOS
    from twin.seeds import load_default

    return SCENARIOS["flood"].from_dict(FAMILY_CASES["flood"]).run(load_default())


@pytest.fixture(scope="module")
def replay():
    """The same issue time, run on the rain that really fell (one member: the observed rain)."""
    from twin.scenarios import SCENARIOS
    from twin.seeds import load_default

    return SCENARIOS["flood"].from_dict({**FAMILY_CASES["flood"], "rain": "observed", "members": 1}) \
        .run(load_default())


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
                t("flood_median", lang), t("flood_observed_synthetic", lang)]  # the seed's gauges are SYNTHETIC
    expected += [t(f"flood_alert_{level}", lang, h=fmt_number(h, lang)) for level, h in _alerts(outcome).items()]
    assert labels == expected
    if lang == "fr":
        assert labels[:4] == ["bande 5–95 %", "médiane", "niveau « observé » (SYNTHÉTIQUE)", "seuil jaune (3,5 m)"]
    # every entry draws something: the band and the lines are glyphs with data
    for item in legends[0].items:
        assert item.renderers and all(len(r.data_source.data[next(iter(r.data_source.data))]) for r in item.renderers)


def test_the_gauges_readings_are_drawn_before_the_forecast_and_on_the_axis(outcome):
    """Where the river is when the forecast is issued: the level gauge's readings of the day before, in
    black up to the forecast time, the alert lines under both (a forecast drawn alone hid that the river
    was already above yellow)."""
    fig = stage_figure(outcome, "fr")
    observed = outcome.series("observed_stage_m")
    item = next(i for i in fig.legend[0].items if i.label.value == "niveau « observé » (SYNTHÉTIQUE)")
    data = item.renderers[0].data_source.data
    np.testing.assert_array_equal(data["y"], observed.values)
    # on Paris's clock, as the forecast beside them (UTC + 1 h in February)
    first_forecast = local_clock(outcome.series("stage_m")["time"].values)[0]
    assert np.max(data["x"]) < first_forecast and len(data["x"]) == 24
    assert data["x"][0] == observed["observed_time"].values[0] + np.timedelta64(1, "h")
    assert fig.y_range.start < observed.values.min() and observed.values.max() < fig.y_range.end
    yellow = next(i for i in fig.legend[0].items if i.label.value.startswith("seuil jaune"))
    assert yellow.renderers[0].data_source.data["x"][0] == data["x"][0]


def test_a_replay_is_drawn_against_what_the_gauge_then_read_and_a_forecast_is_not(outcome, replay):
    """A GEMAPI engineer replaying a flood saw the forecast stop at the issue time, never beside what the river
    then did: a replay draws the gauge's readings over its horizon (dotted, « connu après coup »); a forecast
    draws nothing after its issue time."""
    fig = stage_figure(replay, "fr")
    after = replay.series("verified_stage_m")
    item = next(i for i in fig.legend[0].items
                if i.label.value == "niveau « relevé » ensuite (SYNTHÉTIQUE, connu après coup)")
    data = item.renderers[0].data_source.data
    np.testing.assert_array_equal(data["y"], after.values)
    assert np.min(data["x"]) >= local_clock(replay.series("stage_m")["time"].values)[0]
    assert fig.y_range.start < after.values.min() and after.values.max() < fig.y_range.end
    assert not any("connu après coup" in i.label.value for i in stage_figure(outcome, "fr").legend[0].items)


def test_the_dates_are_written_in_the_pages_language(outcome):
    fr = stage_figure(outcome, "fr").xaxis[0].formatter
    en = stage_figure(outcome, "en").xaxis[0].formatter
    assert isinstance(fr, DatetimeTickFormatter) and isinstance(en, DatetimeTickFormatter)
    assert fr.hours == "%d/%m/%Y %Hh" and fr.days == "%d/%m/%Y"
    # the year on every tick format: a replay of 2023 is not this winter's forecast
    for formatter in (fr, en):
        for name in ("minutes", "hourmin", "hours", "days", "months", "years"):
            assert "%Y" in getattr(formatter, name), (name, getattr(formatter, name))
    # no month or day name in French: Bokeh writes those in English
    for name in DATE_FORMATS["fr"]:
        assert not re.search(r"%[aAbBp]", getattr(fr, name)), (name, getattr(fr, name))
    assert "%b" in en.days and en.hours != fr.hours
    # the stage ticks with the French decimal comma (labels written here), the English ones as Bokeh writes them
    fig = stage_figure(outcome, "fr")
    ticks = fig.yaxis[0].ticker.ticks
    assert 3 <= len(ticks) <= 8 and all(fig.y_range.start <= x <= fig.y_range.end for x in ticks)
    labels = fig.yaxis[0].major_label_overrides
    assert set(labels) == set(ticks) and "3,5" in labels.values() and not any("." in v for v in labels.values())
    assert not stage_figure(outcome, "en").yaxis[0].major_label_overrides


def test_the_range_pads_and_ignores_missing_values():
    start, end = stage_range([1.0, np.nan], [2.0], [5.5])
    assert start < 1.0 and 5.5 < end
    assert end - 5.5 == pytest.approx(1.0 - start) == pytest.approx(0.08 * 4.5)
    start, end = stage_range([2.0], [2.0], [])  # a flat forecast still gets an axis
    assert start == pytest.approx(1.9) and end == pytest.approx(2.1)


def test_a_forecast_says_so_and_when_it_was_issued(outcome):
    """The default flood (an analog ensemble: only the rain known at the issue time) is a forecast,
    issued at the scenario's forecast time (UTC, the model's clock)."""
    assert outcome.data.attrs["forecast_kind"] == "forecast"
    assert outcome.data.attrs["forecast_time"] == "2023-02-22 00:00:00"
    fr = stage_figure(outcome, "fr")
    # on Paris's clock, as the form and the cards (00:00 UTC is 01:00 in February)
    assert fr.title.text == ("Prévision émise le 22/02/2023 à 01 h (heure de Paris) : hauteur d'eau prévue à la "
                             "station (m)")
    assert fr.xaxis[0].axis_label == "date et heure (heure de Paris)" and fr.yaxis[0].axis_label == "hauteur (m)"
    assert stage_figure(outcome, "en").title.text.startswith("Forecast issued on 2023-02-22 at 01:00 (Paris time)")
    median = next(r for r in fr.renderers if getattr(r.glyph, "y", None) == "mid")
    first = pd.Timestamp(median.data_source.data["t"][0])
    assert first == pd.Timestamp(outcome.series("stage_m")["time"].values[0]) + pd.Timedelta(hours=1)


def test_a_replay_with_the_observed_rain_is_not_called_a_forecast(replay):
    assert replay.data.attrs["forecast_kind"].startswith("hindcast")
    title = stage_figure(replay, "fr").title.text
    assert title.startswith("Rejeu avec la pluie observée, depuis le 22/02/2023 à 01 h (heure de Paris)")
    assert "Prévision" not in title and "prévue" not in title
    assert stage_figure(replay, "en").title.text.startswith("Replay with the observed rain")


def test_a_what_if_on_the_observed_rain_says_so_and_by_how_much():
    """The observed rain × 1,5 is neither a forecast nor what happened: its note and title say « et
    si » and the multiplier (it was called « Rejeu avec la pluie réellement tombée », as a replay)."""
    from twin.app.views.flood import replay_note
    from twin.scenarios import SCENARIOS
    from twin.seeds import load_default

    spec = {**FAMILY_CASES["flood"], "rain": "scaled", "scale": 1.5, "members": 1}
    what_if = SCENARIOS["flood"].from_dict(spec).run(load_default())
    note, title = replay_note(what_if, "fr"), stage_figure(what_if, "fr").title.text
    assert "et si" in note and "multipliée par 1,5" in note and "réellement tombée (" not in note
    assert title.startswith("Scénario : pluie observée × 1,5, depuis le 22/02/2023"), title
    assert "× 1.5" in stage_figure(what_if, "en").title.text


def test_a_replay_note_and_no_note_for_a_forecast(outcome, replay):
    from twin.app.views.flood import replay_note

    assert replay_note(outcome, "fr") == ""
    assert replay_note(replay, "fr") == t("hindcast_note", "fr")


def test_a_peak_still_rising_at_the_horizon_s_end_is_no_peak():
    """« pic atteint après 48 h » on a 48 h horizon was only its end: the water still rose."""
    from twin.scenarios.flood import _peak_after_h

    assert _peak_after_h(np.array([1.0, 2.0, 3.0, 2.5])) == 3.0
    assert np.isnan(_peak_after_h(np.array([1.0, 2.0, 3.0, 3.5])))


def test_the_replay_axis_holds_its_band_and_alert_lines_too(replay):
    """The replay's one member has no band: the axis must still reach every alert line drawn."""
    fig = stage_figure(replay, "fr")
    drawn = [r.data_source.data["y"][0] for r in fig.renderers if "y" in r.data_source.data
             and len(set(r.data_source.data["y"])) == 1]  # the alert lines (the observed stage varies)
    assert len(drawn) == len(_alerts(replay)) == 3
    for h in drawn:
        assert fig.y_range.start < h < fig.y_range.end
    # and its legend names no band (« bande 5–95 % » was listed for a band nowhere drawn)
    labels = [item.label.value for m in fig.references() if isinstance(m, Legend) for item in m.items]
    assert labels[0] == "médiane" and not any(label.startswith("bande") for label in labels)


def test_an_outcome_without_an_issue_time_keeps_the_plain_title(outcome):
    bare = outcome.__class__(outcome.data.copy())
    del bare.data.attrs["forecast_time"]
    assert chart_title(bare, "fr") == t("flood_title", "fr")


def test_stage_ticks_are_few_and_round():
    from twin.app.views.flood import stage_ticks

    assert stage_ticks(3.33, 5.67) == [3.5, 4.0, 4.5, 5.0, 5.5]
    assert stage_ticks(1.9, 2.1) == [1.9, 2.0, 2.1]  # a flat forecast: ticks every 0.1 m
    assert len(stage_ticks(0.0, 30.0)) <= 8
