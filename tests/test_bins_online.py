"""Bins that follow their collections (issue 20): the online filter of
:mod:`twin.calibration.bins_online` on Edinburgh's real records (June calibrates, July predicted
online), on a SYNTHETIC shift it must catch (recovery, not validity), and its use of the past only."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from tests.test_bins import edinburgh  # noqa: F401 (the Edinburgh records, read once per module)
from twin.calibration.bins import holdout, intervals_from_records
from twin.calibration.bins_online import censored_update, observed_update, online_predictions
from twin.cli import main
from twin.sources.bin_records import BinRecords

JULY = "2016-07-01"


@pytest.fixture(scope="module")
def july_online(edinburgh):
    return holdout(edinburgh, JULY, online=online_predictions)


def test_july_predicted_online_beats_naive_and_its_overflow_probability_is_calibrated(july_online):
    """The issue's check: calibrate on June, predict July online. Each reliability decile with at
    least 100 cases within 0.05 of the observed share; MAE at least 20 % better than the naive model."""
    h = july_online
    assert h["test_intervals"] > 2500 and h["split"].startswith(JULY)
    assert h["mae_gain_vs_naive"] >= 0.20, h["mae_gain_vs_naive"]
    rel = pd.DataFrame(h["reliability"])
    crowded = rel[rel["n"] >= 100]
    assert len(crowded) >= 4, rel
    assert (abs(crowded["predicted"] - crowded["observed"]) <= 0.05).all(), crowded
    assert h["online"]["drift_sd_per_day"] > 0  # the training period itself asks for some forgetting
    assert h["model"]["brier"] < h["naive"]["brier"]


def test_the_cli_reports_online_and_batch_with_the_same_keys(tmp_path, capsys, edinburgh):
    # two weeks of records keep the command quick; the keys are what matter here
    small = edinburgh.frame[edinburgh.frame["collected_at"] >= "2016-06-20"]
    path = tmp_path / "records.csv"
    small.drop(columns=["group"]).assign(site_name=small["group"]).to_csv(path, index=False)
    reports = {}
    for flag in ([], ["--online"]):
        assert main(["bins", "fit", "--records", str(path), "--holdout-from", "2016-07-10", "--json", *flag]) == 0
        reports[bool(flag)] = json.loads(capsys.readouterr().out)["holdout"]
    for h in reports.values():
        assert {"model", "naive", "mae_gain_vs_naive", "reliability"} <= set(h)
        assert h["test_intervals"] == reports[False]["test_intervals"]
    assert "online" in reports[True] and "online" not in reports[False]
    assert reports[True]["naive"] == reports[False]["naive"]  # the same naive yardstick on both paths
    assert main(["bins", "fit", "--records", str(path), "--holdout-from", "2016-07-10", "--online"]) == 0
    assert "online filter" in capsys.readouterr().out


def test_a_prediction_uses_only_collections_recorded_before_its_interval(edinburgh):
    """Cut the records on 10 July: every interval that ended before the cut gets the same online
    prediction with or without the later collections."""
    f = edinburgh.frame
    cut = pd.Timestamp("2016-07-10")
    full_test, full, _ = online_predictions(edinburgh, pd.Timestamp(JULY))
    early = BinRecords(f[f["collected_at"] < cut].copy(), "cut")
    early_test, part, _ = online_predictions(early, pd.Timestamp(JULY))
    key = ["site", "start", "end"]
    a = pd.concat([full_test[key], full], axis=1)
    b = pd.concat([early_test[key], part], axis=1)
    merged = b.merge(a, on=key, suffixes=("_cut", "_full"))
    assert len(merged) == len(b) > 500
    assert np.allclose(merged["p_overflow_cut"], merged["p_overflow_full"])
    assert np.allclose(merged["predicted_pct_cut"], merged["predicted_pct_full"])


def _synthetic_shift(days=50, shift_day=30, bins=24, seed=7) -> BinRecords:
    """SYNTHETIC collection records (seeded): bins emptied every other day at 07:00, flat deposits
    of 0.8 %/h with lognormal noise (σ 0.3), doubled from ``shift_day`` on (a summer, a festival)."""
    rng = np.random.default_rng(seed)
    rows = []
    t0 = pd.Timestamp("2023-05-01 07:00")
    for b in range(bins):
        rate = 0.8 * math.exp(rng.normal(0, 0.2))
        offset = b % 2  # half the bins on even days, half on odd
        for day in range(offset, days, 2):
            start, end = t0 + pd.Timedelta(days=day), t0 + pd.Timedelta(days=day + 2)
            r = rate * (2.0 if day >= shift_day else 1.0)
            fill = min(100.0, r * 48 * math.exp(rng.normal(0, 0.3)))
            rows.append({"site": f"B{b:02d}", "group": "rue", "collected_at": end, "fill_before_pct": round(fill, 1),
                         "fill_after_pct": 0.0, "quality": "ok"})
            del start
    frame = pd.DataFrame(rows).sort_values(["site", "collected_at"]).reset_index(drop=True)
    return BinRecords(frame, "SYNTHETIC shift")


def test_a_doubling_of_deposits_is_caught_within_days():
    """Recovery on SYNTHETIC records (a check of the filter, not of the world): trained before the
    shift, the online predictions of the fills after it come within 25 % of the new level within a
    week, where the training fit alone stays at the old one."""
    records = _synthetic_shift()
    split = pd.Timestamp("2023-05-21")  # trained on 20 days, before the shift (day 30)
    test, online, chosen = online_predictions(records, split)
    batch = holdout(records, split)["test"]
    shift = pd.Timestamp("2023-05-31 07:00")
    late = (test["start"] >= shift + pd.Timedelta(days=7)).to_numpy()
    before = (test["end"] <= shift).to_numpy()
    truth_after, truth_before = 0.8 * 2 * 48, 0.8 * 48  # median fills (the bins' own rates spread around 0.8)
    assert abs(np.median(online["predicted_pct"].to_numpy()[late]) / truth_after - 1) < 0.25
    assert abs(np.median(online["predicted_pct"].to_numpy()[before]) / truth_before - 1) < 0.25
    assert np.median(batch["predicted_pct"].to_numpy()[late]) < 0.7 * truth_after  # the batch fit lags
    assert chosen["bins_followed"] == 24


def test_the_updates_match_the_exact_posterior_moments():
    """The Kalman update is Bayes' rule for normals; the censored update keeps the exact first two
    moments of the truncated posterior (checked by quadrature)."""
    m, v, sigma = 0.3, 0.25, 0.5
    mean, var = observed_update(m, v, 1.0, sigma)
    assert math.isclose(mean, (m / v + 1.0 / sigma ** 2) / (1 / v + 1 / sigma ** 2))
    assert math.isclose(var, 1 / (1 / v + 1 / sigma ** 2))
    for bound in (-1.0, 0.5, 2.5):
        def post(x, k, bound=bound):
            return x ** k * stats.norm.pdf(x, m, math.sqrt(v)) * stats.norm.sf((bound - x) / sigma)

        z = integrate.quad(post, -10, 10, args=(0,))[0]
        mu = integrate.quad(post, -10, 10, args=(1,))[0] / z
        second = integrate.quad(post, -10, 10, args=(2,))[0] / z
        mean, var = censored_update(m, v, bound, sigma)
        assert math.isclose(mean, mu, rel_tol=1e-6, abs_tol=1e-9), (bound, mean, mu)
        assert math.isclose(var, second - mu ** 2, rel_tol=1e-5), (bound, var, second - mu ** 2)


def test_tomorrow_s_overflow_probability_grows_with_time_since_collection(edinburgh):
    from twin.calibration.bins_online import fit_online

    f = edinburgh.frame
    filt, _ = fit_online(f[f["collected_at"] < JULY])
    site = filt.model.rates.index[0]
    group = filt.model.rates.at[site, "group"]
    last = pd.Timestamp("2016-06-30 08:00")
    p = [filt.overflow_probability(site, group, last, 0.0, last + pd.Timedelta(hours=h)) for h in (6, 24, 72, 240)]
    assert all(0 <= x <= 1 for x in p) and p == sorted(p) and p[0] < p[-1]


def test_a_saved_filter_goes_on_as_a_pass_over_the_whole_history_would(edinburgh):
    """The watching twin keeps the filter in the store (JSON) and takes in only the collections that
    arrived since: June followed, saved, read back, then July taken in, gives the same beliefs,
    recalibration and July predictions as one pass over June and July with the same fitted model."""
    from twin.calibration.bins_online import (RecalibrationHistory, advance, fit_online, start_following,
                                              state_from_dict, state_to_dict)

    f = edinburgh.frame
    june = BinRecords(f[f["collected_at"] < JULY].copy(), "june")
    filt, hist, seen, _ = start_following(june)
    filt, hist, seen = state_from_dict(json.loads(json.dumps(state_to_dict(filt, hist, seen))))
    july = advance(filt, hist, intervals_from_records(edinburgh), seen)
    assert len(july) > 2500 and advance(filt, hist, intervals_from_records(edinburgh), seen).empty  # nothing twice

    once, _ = fit_online(june)  # the same model and settings, followed from the start in one pass
    once.beliefs.clear()
    once.shifts.clear()
    once.oe.clear()
    once.iso_x, once.iso_y = np.empty(0), np.empty(0)
    everything = advance(once, RecalibrationHistory(), intervals_from_records(edinburgh), {})
    both = july.merge(everything, on=["site", "start", "end"], suffixes=("_saved", "_once"))
    assert len(both) == len(july)
    assert np.allclose(both["p_overflow_saved"], both["p_overflow_once"])
    assert np.allclose(both["predicted_pct_saved"], both["predicted_pct_once"])
    assert filt.beliefs.keys() == once.beliefs.keys()
    assert all(np.isclose(filt.beliefs[s].mean, once.beliefs[s].mean) for s in filt.beliefs)
    assert np.allclose(filt.iso_y, once.iso_y) and filt.oe.keys() == once.oe.keys()
