"""Litter bins: fill model on Edinburgh and on Redon's synthetic history, the SimPy collection
simulation (conservation), VRP rounds, the scenario and bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.conftest import ROOT, reference_file
from twin.calibration.bins import WeeklyEvent, fit_fill_model, holdout, records_from_store
from twin.cli import main
from twin.models.vehicle_routing import RoutingError, solve_rounds
from twin.models.waste import BinSpec, Fleet, Policy, Sensors, WasteModelError, WasteSim
from twin.sources.bin_records import BinRecordsError, read_bin_records

EDINBURGH = "bins/edinburgh_litter_bins_2016-06-03_2016-07-19.csv.gz"


@pytest.fixture(scope="module")
def edinburgh():
    return read_bin_records(reference_file(EDINBURGH))


@pytest.fixture(scope="module")
def edinburgh_holdout(edinburgh):
    # the last two weeks of July held out (the records end on 2016-07-19 23:38)
    return holdout(edinburgh, "2016-07-06")


def test_edinburgh_holdout_beats_naive_same_rate_model(edinburgh_holdout):
    h = edinburgh_holdout
    assert h["test_intervals"] > 1500
    model, naive = h["model"]["mae_pct_points"], h["naive"]["mae_pct_points"]
    assert model < 0.85 * naive, (model, naive)  # a clear margin: at least 15 % lower MAE
    assert h["model"]["brier"] < h["naive"]["brier"]
    assert h["per_bin_flat"]["mae_pct_points"] < naive  # per-bin rates alone already help


def test_edinburgh_overflow_probability_is_calibrated(edinburgh_holdout):
    rel = pd.DataFrame(edinburgh_holdout["reliability"])
    well_filled = rel[rel["n"] >= 100]
    assert len(well_filled) >= 3
    # each well-populated decile within 10 points, and the weighted error small
    assert (abs(well_filled["predicted"] - well_filled["observed"]) < 0.10).all(), well_filled
    assert edinburgh_holdout["calibration_error"] < 0.06


@pytest.fixture(scope="module")
def redon_history():
    """The embedded Redon territory with its SYNTHETIC sensor history."""
    from twin.seeds import load_default

    return load_default()


def _truth_mean_rates(truth: dict) -> pd.Series:
    from twin.synthetic.redon import _gauss_profile

    idx = pd.date_range(*truth["period"], freq="1h", inclusive="left", tz="UTC").tz_convert("Europe/Paris")
    h, d = idx.hour.to_numpy(), idx.day_of_week.to_numpy()
    prof = _gauss_profile(h + 0.5, truth["hour_profile_peaks"], 0.1)
    prof[(h >= truth["night_hours_zero"][0]) & (h < truth["night_hours_zero"][1])] = 0
    prof = prof / prof[prof > 0].mean()
    mult = prof * np.asarray(truth["day_factors"])[d]
    m = truth["market"]
    market = (d == m["weekday"]) & (h >= m["hours"][0]) & (h < m["hours"][1])
    return pd.Series({b["bin_id"]: b["rate_pct_per_h"] * (mult * np.where(market & b["near_market"], m["factor"], 1)).mean()
                      for b in truth["per_bin"]})


def test_redon_fit_recovers_generator_rates(redon_history):
    truth = json.loads((ROOT / "seeds/redon/history/truth.json").read_text())["bins"]
    group = {b["bin_id"]: "market" if b["near_market"] else "street" for b in truth["per_bin"]}
    records = records_from_store(redon_history.sensors, group_of=group.get)
    model = fit_fill_model(records, (WeeklyEvent("market", 0, 8, 13, ("market",)),))
    true = _truth_mean_rates(truth)
    rel = (model.rates["rate_pct_per_h"] / true.reindex(model.rates.index) - 1).abs()
    assert len(rel) == len(truth["per_bin"])
    assert rel.median() < 0.06, rel.describe()
    # bins full at most of their collections only tell a lower bound: judge the others
    often_full = model.rates["censored"] > 0.3 * model.rates["intervals"]
    assert (rel[~often_full] < 0.15).all(), rel[~often_full].sort_values().tail()
    assert model.events["market"] > 1.5  # the market morning is found (true factor 3, hours confounded)


def _line_matrices(n: int, spacing: float = 200.0):
    x = np.r_[0.0, np.arange(1, n + 1) * spacing]
    D = np.abs(x[:, None] - x[None, :])
    return D, D / (25 / 3.6)


@pytest.mark.parametrize("policy", ["fixed", "threshold", "predictive"])
def test_every_deposit_ends_in_a_bin_a_truck_or_the_litter(policy):
    rng = np.random.default_rng(7)
    n = 12
    bins = [BinSpec(f"b{i}", 80.0, float(rng.uniform(0.2, 2.0)), np.ones(168)) for i in range(n)]
    bins[0].compaction = 5.0
    bins[1].closed = [(30.0, 40.0), (200.0, 230.5)]
    D, T = _line_matrices(n)
    fleet = Fleet(D, T, trucks=1, capacity_l=300.0)  # small truck: it must go back to unload
    forecast = np.array([b.rate_l_per_h for b in bins]) * 1.3 if policy == "predictive" else None
    res = WasteSim(bins, fleet, Policy(policy, (0, 2, 4), 70.0), Sensors(failures_per_year=20), days=40,
                   seed=3, forecast_rates=forecast).run()
    L = res.ledger
    assert L["deposited"] > 0 and L["litter"] > 0 and L["collected"] > 0
    balance = L["deposited"] - L["in_bins"] - L["collected"] - L["in_trucks"] - L["litter"]
    assert abs(balance) < 1e-6 * L["deposited"]
    assert res.collections > 0 and res.truck_km > 0


def test_daily_rounds_overflow_less_than_weekly():
    n = 10
    bins = [BinSpec(f"b{i}", 80.0, 1.0, np.ones(168)) for i in range(n)]
    D, T = _line_matrices(n)
    fleet = Fleet(D, T)
    weekly = WasteSim(bins, fleet, Policy("fixed", (0,)), days=28, seed=1).run()
    daily = WasteSim(bins, fleet, Policy("fixed", tuple(range(7))), days=28, seed=1).run()
    assert daily.overflow_bin_hours < 0.1 * weekly.overflow_bin_hours
    assert daily.truck_km > 5 * weekly.truck_km


def test_redon_rounds_within_3_percent_of_best_solver(redon_history):
    from twin.scenarios.bins import BinCollection

    setup = BinCollection().setup(redon_history)
    D, T = setup["D"], setup["T"]
    demand = np.full(len(D) - 1, 40.0)
    kw = {"capacity": 600.0, "vehicles": 4, "time_limit_s": 1.0}
    ours = solve_rounds(D, T, demand, **kw)  # the default: PyVRP
    other = solve_rounds(D, T, demand, solver="ortools", **kw)
    best = min(ours.distance_m, other.distance_m)
    assert ours.feasible
    assert ours.distance_m <= 1.03 * best, (ours.distance_m, other.distance_m)
    assert sorted(s for r in ours.routes for s in r) == list(range(len(D) - 1))  # every bin once
    assert all(load <= 600.0 for load in ours.loads)


def test_scenario_variants_move_the_kpis_the_right_way(redon_history):
    from twin.scenarios.bins import BinCollection

    daily = BinCollection(policy="fixed", round_weekdays=[0, 1, 2, 3, 4, 5], members=2, days=42).run(redon_history)
    assert daily.value("overflow_bin_hours_per_week", daily.data["variant"].values[1]) < \
        0.5 * daily.value("overflow_bin_hours_per_week")
    v = daily.data["variant"].values[1]
    assert daily.value("truck_km_per_year", v) > 1.5 * daily.value("truck_km_per_year")
    # each member draws its own true rates and deposits: the band has a width where chance matters
    low, high = daily.data["low"].sel(variant=v), daily.data["high"].sel(variant=v)
    for kpi in ("overflow_bin_hours_per_week", "litter_l_per_week"):
        assert float(high.sel(kpi=kpi)) > float(low.sel(kpi=kpi)), kpi

    more = BinCollection(policy="fixed", round_weekdays=[0, 2, 4], add_best=4, compacting_bins=4, members=2,
                         days=42).run(redon_history)
    v = more.data["variant"].values[1]
    assert more.value("demand_covered_pct", v) > more.value("demand_covered_pct")
    assert more.value("overflow_bin_hours_per_week", v) < more.value("overflow_bin_hours_per_week")
    assert more.value("capital_cost_eur", v) == pytest.approx(4 * 5950 + 4 * 400)

    baskets = redon_history.layers["bins"].query("kind == 'waste_basket'")["id"].tolist()
    closed = BinCollection(policy="fixed", round_weekdays=[0, 2, 4], close_bins=baskets[:5], members=2,
                           days=42).run(redon_history)
    v = closed.data["variant"].values[1]
    assert closed.value("litter_l_per_week", v) > closed.value("litter_l_per_week")


def test_bad_records_are_flagged_or_refused(tmp_path):
    good = "site,collected_at,fill_before_pct,fill_after_pct\n"
    p = tmp_path / "r.csv"
    p.write_text(good + "a,2016-06-01 08:00,50,0\na,2016-06-02 08:00,120,0\na,2016-06-03 08:00,-5,0\n")
    rec = read_bin_records(p)
    assert len(rec.frame) == 3  # kept
    assert (rec.frame["quality"] == "out_of_range").sum() == 2
    assert "lines [3, 4]" in rec.warnings[0]

    p.write_text(good + "a,2016-06-01 08:00,50,0\na,2016-06-03 08:00,60,0\na,2016-06-02 08:00,70,0\n")
    with pytest.raises(BinRecordsError, match=r"line 4: .*out of order"):
        read_bin_records(p)
    p.write_text(good + "a,2016-06-01 08:00,50,0\na,2016-06-01 08:00,60,0\n")
    with pytest.raises(BinRecordsError, match="line 3: .*two records"):
        read_bin_records(p)
    p.write_text(good + "a,yesterday,50,0\n")
    with pytest.raises(BinRecordsError, match="line 2: unreadable time"):
        read_bin_records(p)
    p.write_text(good + "a,2016/06/01 08:00,50,0\na,20160602T0800,60,0\n")  # the year first: read as before
    assert read_bin_records(p).frame["collected_at"].dt.day.tolist() == [1, 2]
    p.write_text(good + "a,2016-13-45 08:00,50,0\n")
    with pytest.raises(BinRecordsError, match="line 2: unreadable time"):
        read_bin_records(p)
    p.write_text(good + "a,2016-06-01 08:00,full,0\n")
    with pytest.raises(BinRecordsError, match="line 2: fill level in column 'fill_before_pct' is not a finite number"):
        read_bin_records(p)
    p.write_text(good + "a,2016-06-01 08:00,50,0\nzz,2016-06-01 09:00,50,0\n")
    with pytest.raises(BinRecordsError, match="line 3: the bin id in column 'site' is not a bin of the territory"):
        read_bin_records(p, bins={"a"})


def test_a_syndicat_s_own_records_french_dates_spreadsheet_csv_and_two_weeks(tmp_path, capsys):
    """A waste manager's files: « 04/03/2024 » was read as 4 April with no warning (a fill rate of 0.01 %/h),
    a French spreadsheet's CSV (semicolons, « 70,5 ») was « malformed at line 4 », records of under two
    weeks gave a Python traceback, and perfectly regular fills printed « divide by zero » warnings."""
    head = "site,collected_at,fill_before_pct,fill_after_pct\n"
    p = tmp_path / "r.csv"
    p.write_text(head + "B1,04/03/2024 08:00,60,0\nB1,06/03/2024 08:00,65,0\n")
    with pytest.raises(BinRecordsError, match=r"line 2: the time in column 'collected_at' starts with a day or a "
                                              r"month; expected the year first.*2 line\(s\)"):
        read_bin_records(p)
    fr = tmp_path / "fr.csv"
    fr.write_text("site;collected_at;fill_before_pct;fill_after_pct\nB1;2024-03-04 08:00;60;0\n"
                  "B1;2024-03-06 08:00;70,5;0\n")
    assert read_bin_records(fr).frame["fill_before_pct"].tolist() == [60.0, 70.5]
    fr.write_text("site;collected_at;fill_before\nB1;2024-03-04 08:00;60\nB1;2024-03-06 08:00;70,5\n")  # an alias
    assert read_bin_records(fr).frame["fill_before_pct"].tolist() == [60.0, 70.5]
    days = pd.date_range("2024-03-04 08:00", periods=8, freq="2D")
    short = tmp_path / "short.csv"
    short.write_text(head + "".join(f"{b},{t:%Y-%m-%d %H:%M},{f},0\n" for b, f in (("B1", 48), ("B2", 24))
                                    for t in days))
    import warnings as _w

    with _w.catch_warnings():
        _w.simplefilter("error", RuntimeWarning)
        assert main(["bins", "fit", "--records", str(short)]) == 0
    out = capsys.readouterr().out
    assert "held-out check: none — the records leave too little before their last 14 days" in out
    assert "σ = 0.05" in out
    assert main(["bins", "fit", "--records", str(short), "--holdout-from", "2030-01-01"]) == 1
    err = capsys.readouterr().err
    assert "leaves no collection after it to test; the records run from 2024-03-04 08:00 to 2024-03-18 08:00" in err
    assert main(["bins", "fit", "--records", str(short), "--holdout-from", "2024-03-05"]) == 1
    assert "leaves no two collections of a bin before it to fit on" in capsys.readouterr().err
    for given in ("06/03/2024", "garbage"):  # read month first, and a traceback
        assert main(["bins", "fit", "--records", str(short), "--holdout-from", given]) == 1
        assert "expected a date with the year first" in capsys.readouterr().err
    assert "Traceback" not in err


def test_zero_truck_capacity_is_refused():
    D, T = _line_matrices(3)
    with pytest.raises(RoutingError, match="truck capacity must be positive"):
        solve_rounds(D, T, np.ones(3), capacity=0)
    bins = [BinSpec(f"b{i}", 80.0, 1.0, np.ones(168)) for i in range(3)]
    with pytest.raises(WasteModelError, match="truck capacity must be positive"):
        WasteSim(bins, Fleet(D, T, capacity_l=0), Policy())
    with pytest.raises(WasteModelError, match="unknown collection policy"):
        Policy("whenever")


def test_cli_bins_fit_and_bad_input(tmp_path, capsys):
    path = reference_file(EDINBURGH)
    assert main(["bins", "fit", "--records", str(path), "--holdout-from", "2016-07-06", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["bins"] == 334 and len(out["per_bin"]) > 300
    assert out["holdout"]["model"]["mae_pct_points"] < out["holdout"]["naive"]["mae_pct_points"]
    bad = tmp_path / "bad.csv"
    bad.write_text("site,collected_at,fill_before_pct\na,2016-06-02,50\na,2016-06-01,50\na,2016-06-03,50\n")
    assert main(["bins", "fit", "--records", str(bad)]) == 1
    assert "out of order" in capsys.readouterr().err
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"family": "bins", "truck_capacity_l": 0, "days": 7, "members": 1}))
    assert main(["bins", "run", str(scenario)]) == 1
    assert "truck capacity must be positive" in capsys.readouterr().err


def test_the_predictive_policy_plans_from_forecasts_not_from_the_true_rates():
    n = 8
    bins = [BinSpec(f"b{i}", 80.0, 1.0, np.ones(168)) for i in range(n)]
    D, T = _line_matrices(n)
    fleet = Fleet(D, T, trucks=1)
    policy = Policy("predictive", (0, 2, 4), 80.0)
    with pytest.raises(WasteModelError, match="needs forecast_rates"):
        WasteSim(bins, fleet, policy, days=14, seed=1)
    # a planner who believes the bins fill ten times slower collects less and lets more overflow
    right = WasteSim(bins, fleet, policy, days=28, seed=1, forecast_rates=np.full(n, 1.0)).run()
    wrong = WasteSim(bins, fleet, policy, days=28, seed=1, forecast_rates=np.full(n, 0.1)).run()
    assert wrong.collections < right.collections
    assert wrong.overflow_bin_hours > right.overflow_bin_hours


def test_a_round_beyond_the_trucks_limits_is_counted_and_a_bad_matrix_refused():
    n = 6
    bins = [BinSpec(f"b{i}", 80.0, 1.0, np.ones(168)) for i in range(n)]
    D, T = _line_matrices(n)
    ok = WasteSim(bins, Fleet(D, T, trucks=1), Policy("fixed", (0, 2, 4)), days=7, seed=1).run()
    assert ok.round_days == 3 and ok.rounds_beyond_limits == 0
    # one truck, a 6-minute shift: six stops of a minute's service each cannot fit, every round says so
    short = WasteSim(bins, Fleet(D, T, trucks=1, shift_h=0.1), Policy("fixed", (0, 2, 4)), days=7, seed=1).run()
    assert short.round_days == 3 and short.rounds_beyond_limits == 3
    assert short.truck_km == pytest.approx(ok.truck_km)  # driven all the same
    T_nan = T.copy()
    T_nan[0, 2] = np.nan
    with pytest.raises(WasteModelError, match=r"time_s\[0, 2\] is nan"):
        WasteSim(bins, Fleet(D, T_nan), Policy("fixed"), days=7)


def test_scenario_members_draw_true_rates_around_the_calibrated_ones(redon_history):
    from twin.scenarios.bins import BinCollection, true_rates

    setup = BinCollection().setup(redon_history)
    calibrated, sd = setup["rates_l"], setup["rate_log_sd"]
    assert (sd > 0).all() and (sd < 1).all()
    draws = np.array([true_rates(calibrated, sd, seed) for seed in range(400)])
    assert not np.allclose(draws[0], calibrated)  # a member's truth is not the planner's forecast
    np.testing.assert_allclose(true_rates(calibrated, sd, 5), draws[5])  # seeded
    # the spread of the draws is the calibration's own uncertainty
    np.testing.assert_allclose(np.log(draws / calibrated).std(axis=0), sd, rtol=0.15)


@pytest.fixture(scope="module")
def redon_spring_records(redon_history):
    """Four months of the seed's bin records, grouped as the scenario groups them."""
    from twin.scenarios.bins import _groups, market_of
    from twin.sources.bin_records import BinRecords

    bins = redon_history.layers["bins"].query("kind == 'waste_basket'").reset_index(drop=True)
    group = dict(zip(bins["id"], _groups(redon_history, bins, market_of(redon_history)), strict=True))
    rec = records_from_store(redon_history.sensors, group_of=lambda a: group.get(a, "street"))
    f = rec.frame[rec.frame["collected_at"] < rec.frame["collected_at"].min() + pd.Timedelta(days=120)]
    return BinRecords(f.reset_index(drop=True), "seed, first 120 days")


def test_an_assumed_market_is_checked_kept_moved_or_dropped(redon_spring_records):
    """Recovery checks on our own synthetic records (the seed's market is on Monday mornings)."""
    from twin.calibration.bins import fit_fill_model_checked
    from twin.sources.bin_records import BinRecords

    monday = (WeeklyEvent("market", 0, 8, 13, ("market",)),)
    kept = fit_fill_model_checked(redon_spring_records, monday)
    assert kept.event_checks[0]["verdict"] == "kept" and kept.events["market"] > 1.5
    # rounds on Monday and Wednesday mornings: a Tuesday market would fill the same intervals
    assert kept.event_checks[0]["indistinguishable_from"] == ["Tuesday"]

    # the same town two days later: the data put the market on Wednesday, whatever was assumed
    f = redon_spring_records.frame.copy()
    f["collected_at"] += pd.Timedelta(days=2)
    moved = fit_fill_model_checked(BinRecords(f, "shifted"), monday)
    # (collections on Wednesday and Friday mornings: Wednesday and Thursday fill the same intervals)
    check = moved.event_checks[0]
    assert check["verdict"] == "moved" and {check["found"], *check["indistinguishable_from"]} == {"Wednesday", "Thursday"}
    assert moved.event_specs[0].weekday in (2, 3) and moved.events["market"] > 1.5

    # "market" bins that are in fact ordinary street bins: no weekday shows an effect
    f = redon_spring_records.frame.copy()
    street = sorted(f.loc[f["group"] == "street", "site"].unique())[:6]
    f["group"] = np.where(f["site"].isin(street), "market", "street")
    dropped = fit_fill_model_checked(BinRecords(f, "regrouped"), monday)
    assert dropped.event_checks[0]["verdict"] == "dropped"
    assert dropped.events == {}


def test_month_to_month_drift_of_the_rates_is_measured(redon_spring_records):
    """Recovery check: the seed's rates are constant (drift ≈ 0); scaled by a lognormal factor of sd
    0.3 per bin and month, the records show that drift."""
    from twin.sources.bin_records import BinRecords

    steady = fit_fill_model(redon_spring_records)
    assert steady.drift_log_sd < 0.05
    f = redon_spring_records.frame.copy()
    rng = np.random.default_rng(11)
    cells = f[["site"]].assign(m=f["collected_at"].dt.to_period("M")).drop_duplicates()
    factor = dict(zip(zip(cells["site"], cells["m"]), np.exp(0.3 * rng.standard_normal(len(cells))), strict=True))
    key = zip(f["site"], f["collected_at"].dt.to_period("M"), strict=True)
    f["fill_before_pct"] = (f["fill_before_pct"] * np.array([factor[k] for k in key])).clip(upper=100.0)
    drifting = fit_fill_model(BinRecords(f, "drifting"))
    assert 0.18 < drifting.drift_log_sd < 0.42, drifting.drift_log_sd


def test_simulated_collection_intervals_vary_as_the_recorded_ones(redon_history):
    """The day-to-day factor gives 48-hour deposit totals the log-spread σ of the records."""
    from twin.scenarios.bins import BinCollection

    model = BinCollection().setup(redon_history)["model"]
    s = model.day_log_sd()
    assert 0 < s < model.sigma * 2
    n, days = 200, 60
    bins = [BinSpec(f"b{i}", 80.0, 1.0, model.profile) for i in range(n)]
    D, T = _line_matrices(n)
    sim = WasteSim(bins, Fleet(D, T), Policy("fixed"), days=days, seed=4, day_log_sd=s)
    totals = sim.deposits[:, : days * 24].reshape(n, -1, 48).sum(axis=2)
    spread = np.log(totals / totals.mean(axis=0)).std()
    assert spread == pytest.approx(model.sigma, rel=0.2), (spread, model.sigma)
    # the hourly draws alone give less spread than the records show
    plain = WasteSim(bins, Fleet(D, T), Policy("fixed"), days=days, seed=4).deposits[:, : days * 24]
    plain_totals = plain.reshape(n, -1, 48).sum(axis=2)
    plain_spread = np.log(plain_totals / plain_totals.mean(axis=0)).std()
    assert plain_spread < 0.97 * model.sigma and spread > plain_spread + 0.01, (plain_spread, spread)


def test_payback_band_comes_from_paired_members_and_never_is_infinite(redon_history):
    from twin.scenarios.bins import BinCollection

    out = BinCollection(policy="fixed", round_weekdays=[0, 2, 4], compacting_bins=3, members=4, days=28,
                        seed=2).run(redon_history)
    v = out.data["variant"].values[1]
    # compacting bins on the same fixed rounds save no round: the money never comes back
    assert out.value("payback_years", v) == np.inf
    assert out.value("payback_years") == 0.0  # the baseline spends nothing
    cheap = BinCollection(policy="fixed", round_weekdays=[0, 2], members=4, days=28, seed=2).run(redon_history)
    assert cheap.value("capital_cost_eur", cheap.data["variant"].values[1]) == 0.0
    assert cheap.value("payback_years", cheap.data["variant"].values[1]) == 0.0


def test_a_compacting_bin_price_set_in_the_form_is_the_one_paid(redon_history):
    """The advanced settings promised prices, the bins had none: Istres paid 5 400–6 500 € a compacting bin."""
    from twin.scenarios.bins import BinCollection

    spec = dict(policy="fixed", round_weekdays=[0, 3], compacting_bins=3, members=1, days=7)
    cheap = BinCollection(compacting_bin_eur=5400.0, **spec).run(redon_history)
    dear = BinCollection(compacting_bin_eur=6500.0, **spec).run(redon_history)
    v = cheap.first_variant
    assert cheap.value("capital_cost_eur", v) == pytest.approx(3 * 5400.0)
    assert dear.value("capital_cost_eur", v) == pytest.approx(3 * 6500.0)
    assert "'compacting_bin_eur': 5400.0" in cheap.data.attrs["costs"]


def test_compacting_bins_bought_with_a_new_policy_pay_back_on_what_they_add(redon_history):
    """A manager read 30,3 years for 10 compacting bins run with a new collection policy: the policy's own
    saving (free on Redon, whose bins carry their sensors) was counted as the bins'. Their payback is now on
    what they add to that policy run alone, which a separate run of the policy gives."""
    from twin.economics import payback_years
    from twin.scenarios.bins import BinCollection

    spec = dict(policy="threshold", members=3, days=28, seed=5)
    package = BinCollection(compacting_bins=6, **spec).run(redon_history)
    alone = BinCollection(**spec).run(redon_history)
    v, w = package.first_variant, alone.first_variant
    cost = "operating_cost_eur_per_year"
    assert alone.value("capital_cost_eur", w) == 0  # the policy alone buys nothing on Redon
    added = alone.value(cost, w) - package.value(cost, v)
    expected = payback_years(package.value("capital_cost_eur", v), added)
    assert package.value("payback_years", v) == pytest.approx(expected, rel=1e-9)
    whole = payback_years(package.value("capital_cost_eur", v), package.value(cost) - package.value(cost, v))
    assert package.value("payback_years", v) != pytest.approx(whole, rel=1e-3)  # the old basis
    assert package.data.attrs["payback_over"] == "the same policy without the compacting and added bins"
    assert alone.data.attrs["payback_over"] == "the baseline"


def test_fixed_rounds_from_a_file_without_days_keep_todays_days(redon_history, tmp_path):
    """A scenario file asking for fixed rounds and compacting bins, without round days, ran five rounds a
    week against today's three: the truck-km and the cost rose from the rounds, read as the bins' doing.
    Fixed rounds given without days are today's (the form did this already); days given are kept."""
    import json

    from twin.scenarios.base import load_scenario
    from twin.scenarios.bins import BinCollection

    path = tmp_path / "bins.json"
    path.write_text(json.dumps({"family": "bins", "policy": "fixed", "compacting_bins": 3, "members": 1, "days": 14}))
    scenario = load_scenario(path)
    assert scenario.round_weekdays == [0, 2, 4] == scenario.baseline_weekdays
    out = scenario.run(redon_history)
    v = out.first_variant
    # the same rounds: the truck drives the same streets on the same days, bins compacting or not
    assert out.value("truck_km_per_year", v) == pytest.approx(out.value("truck_km_per_year"), rel=1e-9)
    assert BinCollection(policy="fixed", baseline_weekdays=[1, 3]).round_weekdays == [1, 3]
    assert BinCollection(policy="fixed", round_weekdays=[0, 1, 2, 3, 4]).round_weekdays == [0, 1, 2, 3, 4]
    assert BinCollection(policy="threshold").round_weekdays == [0, 1, 2, 3, 4]  # a sensed policy: any weekday


def test_the_sensors_subscription_is_a_price_the_manager_sets(redon_history):
    """The 60 €/yr data plan of each sensor was in the running cost but nowhere to change: a predictive
    round's running cost moves by exactly its sensors × the subscription set."""
    from twin.scenarios.bins import BinCollection

    runs = {fee: BinCollection(policy="predictive", sensor_eur_per_year=fee, members=1, days=14).run(redon_history)
            for fee in (0.0, 100.0)}
    v = runs[0.0].data["variant"].values[1]
    sensors = len(BinCollection().setup(redon_history)["baskets"])
    assert sensors > 0
    difference = runs[100.0].value("operating_cost_eur_per_year", v) - runs[0.0].value("operating_cost_eur_per_year", v)
    assert difference == pytest.approx(100.0 * sensors)
    assert runs[100.0].value("operating_cost_eur_per_year") == runs[0.0].value("operating_cost_eur_per_year")


def test_a_syndicate_without_sensors_prices_them(redon_history):
    """The town's history comes from fill sensors, so a sensed policy bought none (« investissement 0 € »,
    « sans investissement ») and a syndicate asking whether sensors pay off could not price them: unticked,
    one is bought for every bin the policy watches, and the card no longer says they are fitted."""
    from twin.app.variants import outcome_rows
    from twin.scenarios.bins import BinCollection

    runs = {fitted: BinCollection(policy="predictive", sensors_fitted=fitted, sensor_eur=250.0, members=1,
                                  days=14).run(redon_history) for fitted in (True, False)}
    v = runs[True].first_variant
    bins = len(BinCollection().setup(redon_history)["baskets"])
    assert runs[True].value("capital_cost_eur", v) == 0.0
    assert runs[False].value("capital_cost_eur", v) == pytest.approx(250.0 * bins)
    assert 0 < runs[False].value("payback_years", v)
    assert runs[True].data.attrs["sensors_already_fitted"] == str(bins)
    assert runs[False].data.attrs["sensors_already_fitted"] == "0"
    assert not any(r.get("sensors_fitted") for r in outcome_rows(runs[False]))
    # the same rounds: only what is bought differs
    for kpi in ("truck_km_per_year", "operating_cost_eur_per_year", "overflow_events_per_week"):
        assert runs[False].value(kpi, v) == runs[True].value(kpi, v)
    # on fixed days no sensor is read: the box is not shown, and a file setting it there is refused
    assert BinCollection.read_when["sensors_fitted"] == ({"policy": ("threshold", "predictive")},)


def test_a_variant_buying_its_sensors_is_named_so():
    """Two variants differing only by « Les corbeilles ont déjà leurs capteurs » were named alike (0 € and
    N × 250 €), and the second could not be saved under its own name."""
    from twin.app.builder_fields import variant_name
    from twin.scenarios.bins import BinCollection

    owned = variant_name(BinCollection(policy="predictive"))
    bought = variant_name(BinCollection(policy="predictive", sensors_fitted=False))
    assert bought == owned + " + capteurs achetés"
    fixed = variant_name(BinCollection(policy="fixed"))
    assert variant_name(BinCollection(policy="fixed", sensors_fitted=False)) == fixed


def test_a_calendar_s_span_is_counted_within_the_year():
    """A booking from New Year's Eve into the year said « du 31/12/2022 »: the span is the simulated year's."""
    import pandas as pd

    from twin.sources.bookings import booking_span

    index = pd.date_range("2023-01-01", "2023-12-31 23:00", freq="h", tz="Europe/Paris")
    events = pd.DataFrame({"start": [pd.Timestamp("2022-12-31 20:00", tz="Europe/Paris"),
                                     pd.Timestamp("2023-03-01 18:00", tz="Europe/Paris")],
                           "end": [pd.Timestamp("2023-01-01 02:00", tz="Europe/Paris"),
                                   pd.Timestamp("2023-03-01 20:00", tz="Europe/Paris")]})
    span = booking_span(events, index)
    assert (span["count"], span["first"], span["last"]) == (2, "2023-01-01", "2023-03-01")
    assert span["share"] == pytest.approx((31 + 28 + 20 / 24) / 365, abs=1e-3)
