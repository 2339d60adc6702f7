"""Paired comparisons on common random numbers (issue 17): :func:`twin.paired.paired_difference`, the
members an ensemble outcome keeps (bins, flood), and the rows the app and the CLI show.

* the pure function: recovery of a known effect on generated data (an effect 10 × smaller than the
  members' spread is found by the pairing and missed by the independent comparison), edge cases;
* bins: member *m* of the baseline and of the variant draws the same true rates and deposits (observed
  inside a real run), the paired band is narrower than the independent one, an unchanged variant is
  "pas de différence significative", and the members survive save/load and the variant store;
* flood: two runs of one seed give member *m* the same rain, so their paired band is narrower.

Runs on the shipped seed only (no ../shared needed).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from twin.app.variants import Variant, VariantStore, outcome_rows
from twin.outcome import KPI, Outcome
from twin.paired import PairedError, paired_difference, unpaired_difference

MEMBER_KEYS = {"members", "change_low", "change_high", "significant"}


# --- the pure function -----------------------------------------------------------------------------

def test_pairing_recovers_a_small_effect_hidden_in_the_members_spread():
    """Generated data: member m's weather w_m (sd 10) is common to both variants; the variant adds a known
    effect of +1 and a small own noise (sd 0.1). The paired band holds the true effect and leaves out 0;
    the independent band (what two unrelated ensembles give) is ~100 × wider and holds 0."""
    rng = np.random.default_rng(17)
    weather = rng.normal(100.0, 10.0, 200)
    base = weather + rng.normal(0.0, 0.1, 200)
    plan = weather + 1.0 + rng.normal(0.0, 0.1, 200)
    mean, low, high, sig = paired_difference(plan, base)
    assert mean == pytest.approx(1.0, abs=0.03)
    assert low < 1.0 < high and 0.0 < low and sig is True
    assert high - low < 0.6  # ± 1.645 × 0.1 × √2 ≈ 0.47
    u_mean, u_low, u_high, u_sig = unpaired_difference(plan, base)
    assert u_mean == pytest.approx(mean)  # the same mean change, paired or not
    assert u_low < 0.0 < u_high and u_sig is False
    assert (u_high - u_low) > 50 * (high - low)


def test_no_effect_is_no_significant_difference():
    rng = np.random.default_rng(3)
    weather = rng.normal(50.0, 5.0, 100)
    a, b = weather + rng.normal(0, 0.2, 100), weather + rng.normal(0, 0.2, 100)
    _, low, high, sig = paired_difference(a, b)
    assert low < 0.0 < high and sig is False


def test_identical_members_give_a_zero_band_not_significant():
    a = [3.0, 7.5, 1.25]
    assert paired_difference(a, list(a)) == (0.0, 0.0, 0.0, False)
    # a band touching 0 holds 0: not significant
    assert paired_difference([1.0, 2.0, 3.0], [1.0, 1.0, 1.0])[1:] == (0.0, 2.0, False)


def test_few_members_of_one_sign_are_no_verdict_five_are():
    """Three members all lower: the range leaves out 0, but pure noise does that once in four; from five
    members, once in sixteen (within the 10 % of a 5–95 % band)."""
    mean, low, high, sig = paired_difference([9.0, 8.0, 7.5], [10.0, 10.0, 10.0])
    assert mean == pytest.approx(-11 / 6) and np.isnan(low) and np.isnan(high) and sig is None
    assert paired_difference([9.0, 8.0, 7.5, 9.5, 8.5], [10.0] * 5)[1:] == (-2.5, -0.5, True)
    # members of both signs: no significant difference, however few
    assert paired_difference([9.0, 11.0], [10.0, 10.0])[1:] == (-1.0, 1.0, False)


def test_noise_alone_is_called_significant_within_the_band_s_ten_percent():
    """Changes that are only noise, 4,000 times: never « significant » on 3 members (where one of four
    would be all of one sign), about 2^(1−5) = 6 % of the time on 5, within the 10 % a 5–95 % band allows."""
    rng = np.random.default_rng(11)
    for n, most in ((3, 0.0), (5, 0.10)):
        calls = [paired_difference(rng.normal(0, 1, n), np.zeros(n))[3] for _ in range(4000)]
        share = sum(c is True for c in calls) / len(calls)
        assert share <= most
        assert n < 5 or share > 0.03  # not a rule that never says yes


def test_one_member_gives_no_band():
    mean, low, high, sig = paired_difference([4.0], [1.0])
    assert mean == 3.0 and np.isnan(low) and np.isnan(high) and sig is None


def test_members_without_a_value_or_unmatched_are_refused_in_french():
    with pytest.raises(PairedError, match=r"variante : le membre 1 n'a pas de valeur \(NaN"):
        paired_difference([1.0, np.nan, 2.0], [1.0, 1.0, 1.0])
    with pytest.raises(PairedError, match="référence : le membre 0"):
        paired_difference([1.0, 2.0], [np.nan, 1.0])
    with pytest.raises(PairedError, match="3 membres pour la variante, 2 pour la référence"):
        paired_difference([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(PairedError, match="liste non vide"):
        paired_difference([], [])
    with pytest.raises(PairedError, match="des nombres"):
        paired_difference(["a", "b"], [1.0, 2.0])
    with pytest.raises(PairedError, match="membre 1 les deux valeurs sont infinies"):
        paired_difference([1.0, np.inf], [0.0, np.inf])
    with pytest.raises(PairedError, match="0 ≤ bas < haut ≤ 1"):
        paired_difference([1.0, 2.0], [1.0, 2.0], q=(0.95, 0.05))
    assert issubclass(PairedError, ValueError)


def test_an_infinite_member_stays_infinite_in_the_band():
    """A payback that never comes (inf) in some members: order statistics keep it, no NaN appears."""
    mean, low, high, sig = paired_difference([2.0, np.inf, 3.0, 4.0, 5.0], [0.0] * 5)
    assert mean == np.inf and low == 2.0 and high == np.inf and sig is True


# --- outcome rows ----------------------------------------------------------------------------------

def _small(members: bool) -> Outcome:
    kpis = [KPI("cost", "EUR/yr", "financial", "yearly cost"), KPI("payback", "years", "financial", "payback")]
    out = Outcome.from_values("demo", kpis, {"baseline": {"cost": 100.0, "payback": 0.0},
                                             "plan": {"cost": 90.0, "payback": np.inf}})
    if members:
        out.add_members([[[101.0, 99.0, 100.0, 98.0, 102.0], [0.0] * 5],
                         [[92.0, 88.0, 90.0, 91.0, 89.0], [5.0, np.inf, np.inf, 6.0, np.inf]]], seeds=range(5))
    return out


def test_rows_of_an_outcome_without_members_carry_no_member_keys():
    rows = outcome_rows(_small(members=False))
    assert rows and all(not (MEMBER_KEYS & set(r)) for r in rows)
    assert _small(members=False).member_seeds is None and not _small(members=False).is_ensemble


def test_rows_of_an_ensemble_outcome_carry_members_and_the_paired_band():
    out = _small(members=True)
    rows = {(r["variant"], r["kpi"]): r for r in outcome_rows(out)}
    assert out.member_seeds == [0, 1, 2, 3, 4] and out.data.attrs["member_seeds"] == "0,1,2,3,4"
    base = rows[("baseline", "cost")]
    assert base["members"] == [101.0, 99.0, 100.0, 98.0, 102.0] and (base["change_low"], base["change_high"]) == (0.0, 0.0)
    assert base["significant"] is False
    plan = rows[("plan", "cost")]
    assert plan["members"] == [92.0, 88.0, 90.0, 91.0, 89.0]
    assert (plan["change_low"], plan["change_high"], plan["significant"]) == (-13.0, -7.0, True)
    assert all(type(x) is float for x in plan["members"])
    pay = rows[("plan", "payback")]
    assert pay["members"][1] == np.inf and pay["change_high"] == np.inf and pay["significant"] is True


def test_members_are_checked_when_added():
    out = _small(members=False)
    with pytest.raises(ValueError, match=r"shape \(variants, kpis, members\) = \(2, 2\)"):
        out.add_members(np.zeros((2, 3, 4)), seeds=range(4))
    with pytest.raises(ValueError, match="expected 4 distinct member seeds, got 3"):
        out.add_members(np.zeros((2, 2, 4)), seeds=[0, 1, 2])
    with pytest.raises(ValueError, match="distinct"):
        out.add_members(np.zeros((2, 2, 2)), seeds=[5, 5])


def test_an_outcome_with_members_is_saved_and_loaded_equal(tmp_path):
    out = _small(members=True)
    again = Outcome.load(out.save(tmp_path / "o"))
    assert again.equals(out) and again.member_seeds == [0, 1, 2, 3, 4]
    np.testing.assert_array_equal(again.member_values("payback", "plan"), [5.0, np.inf, np.inf, 6.0, np.inf])
    assert json.dumps(again.compare_rows(), default=str) == json.dumps(out.compare_rows(), default=str)
    changed = Outcome.load(out.save(tmp_path / "o2"))
    changed.data["members"][1, 0, 0] = 93.0
    assert not changed.equals(out)


def test_the_cli_table_says_a_change_within_the_noise():
    out = Outcome.from_values("demo", [KPI("cost", "EUR/yr", "financial", "yearly cost")],
                              {"baseline": {"cost": 100.0}, "plan": {"cost": 99.0}})
    out.add_members([[[110.0, 90.0, 100.0]], [[108.0, 91.0, 98.0]]], seeds=[0, 1, 2])  # -2, +1, -2: holds 0
    line = [x for x in out.to_text().splitlines() if "cost" in x][0]
    # and how wide: the 5–95 % band of the member-by-member change
    assert line.rstrip().endswith("(-1.0 %) (n.s.) [-2 … +1]"), line
    plain = _small(members=False).to_text()
    assert "(n.s.)" not in plain


# --- bins: common random numbers in a real run -------------------------------------------------------

@pytest.fixture(scope="module")
def redon():
    from twin.seeds import load_default

    return load_default()


@pytest.fixture(scope="module")
def bins_crn(redon):
    """A bins run (5 members, two weeks; the variant adds a Saturday round) with every WasteSim it builds
    observed: the seed, the true rate of each bin and the deposits it drew."""
    import twin.scenarios.bins as bins_module
    from twin.models.waste import WasteSim
    from twin.scenarios.bins import BinCollection

    seen = []

    class Observed(WasteSim):
        def __init__(self, bins, *args, seed=0, **kw):
            super().__init__(bins, *args, seed=seed, **kw)
            seen.append((seed, np.array([b.rate_l_per_h for b in bins]), self.deposits.copy()))

    mp = pytest.MonkeyPatch()
    mp.setattr(bins_module, "WasteSim", Observed)
    try:
        out = BinCollection(policy="fixed", round_weekdays=[0, 2, 4, 5], members=5, days=14, seed=4,
                            variant_name="samedi en plus").run(redon)
    finally:
        mp.undo()
    return out, seen


def test_bins_members_share_their_seeds_and_draws_across_variants(bins_crn):
    out, seen = bins_crn
    assert out.member_seeds == [4000, 4001, 4002, 4003, 4004]
    assert out.data["members"].dims == ("variant", "kpi", "member") and out.data["members"].shape == (2, 12, 5)
    assert len(seen) == 10  # 5 members × (baseline, variant), baseline first
    for (s_b, rate_b, dep_b), (s_v, rate_v, dep_v) in zip(seen[:5], seen[5:], strict=True):
        assert s_b == s_v  # the same seed …
        np.testing.assert_array_equal(rate_b, rate_v)  # … the same true rates …
        np.testing.assert_array_equal(dep_b, dep_v)  # … the same deposits, hour by hour
    assert not np.array_equal(seen[0][2], seen[1][2])  # but two members differ
    # the KPI means are the members' means
    for kpi in ("litter_l_per_week", "overflow_events_per_week"):
        for v in out.variants:
            assert out.value(kpi, v) == pytest.approx(out.member_values(kpi, v).mean())


def test_bins_paired_band_is_narrower_than_the_independent_one(bins_crn):
    out, _ = bins_crn
    v = out.first_variant
    rows = {(r["variant"], r["kpi"]): r for r in outcome_rows(out)}
    a, b = out.member_values("litter_l_per_week", v), out.member_values("litter_l_per_week")
    assert not np.allclose(a, b)  # the variant changes the litter
    _, low, high, sig = paired_difference(a, b)
    _, u_low, u_high, _ = unpaired_difference(a, b)
    assert high - low < 0.8 * (u_high - u_low), (low, high, u_low, u_high)
    r = rows[(v, "litter_l_per_week")]
    assert (r["change_low"], r["change_high"], r["significant"]) == (low, high, sig)
    assert r["members"] == list(a)
    assert rows[("baseline", "litter_l_per_week")]["members"] == list(b)


def test_bins_variant_identical_to_the_baseline_is_no_significant_difference(redon, bins_crn):
    from twin.scenarios.bins import BinCollection

    same = BinCollection(policy="fixed", round_weekdays=[0, 2, 4], members=5, days=14, seed=4,
                         variant_name="comme aujourd'hui").run(redon)
    v = same.first_variant
    np.testing.assert_array_equal(same.data["members"].sel(variant=v), same.data["members"].sel(variant="baseline"))
    for r in outcome_rows(same):
        assert (r["change_low"], r["change_high"], r["significant"]) == (0.0, 0.0, False), r["kpi"]
    # the baseline of a run is the baseline of any run of its seed: the same members
    np.testing.assert_array_equal(same.data["members"].sel(variant="baseline"),
                                  bins_crn[0].data["members"].sel(variant="baseline"))


def test_bins_members_survive_save_load_and_the_variant_store(bins_crn, tmp_path):
    out, _ = bins_crn
    again = Outcome.load(out.save(tmp_path / "bins"))
    assert again.equals(out) and again.member_seeds == out.member_seeds
    rows = outcome_rows(again)
    assert json.dumps(rows) == json.dumps(outcome_rows(out))  # as JSON text: NaN equals itself there
    store = VariantStore(tmp_path / "variants")
    attrs = {k: str(x) for k, x in again.data.attrs.items() if k not in ("scenario", "baseline")}
    saved = store.save(Variant(name="samedi", family="bins", territory="redon", params={}, kpis=rows, attrs=attrs))
    back = store.get(saved.id)
    # compared as JSON text: NaN (a % change from 0) equals itself there
    assert json.dumps(back.kpis) == json.dumps(rows) and back.attrs["member_seeds"] == "4000,4001,4002,4003,4004"
    assert all(type(x) is float for r in back.kpis for x in r["members"])


# --- flood: one seed, the same rain for member m ---------------------------------------------------

EVENT = "2023-02-22T00:00"


@pytest.fixture(scope="module")
def true_params():
    from twin.seeds import history_dir

    p = json.loads((history_dir() / "truth.json").read_text())["river"]["gr4h"]
    return [p["x1"], p["x2"], p["x3"], p["x4"]]


def _flood(redon, true_params, **kw):
    from twin.scenarios.flood import FloodForecast

    args = dict(forecast_time=EVENT, horizon_h=48, members=12, params=true_params, seed=1, rain="ensemble",
                ensemble_base="design", design_mm=60.0)
    return FloodForecast(**{**args, **kw}).run(redon)


def test_flood_members_are_kept_with_their_seeds(redon, true_params):
    out = _flood(redon, true_params)
    v = out.first_variant
    assert out.member_seeds == [100_000 + m for m in range(12)]
    members = out.data["members"]
    assert members.shape == (2, len(out.data["kpi"]), 12)
    # the no-rain baseline carries each member's model error, without rain: member by member, the rain alone
    # makes the change, and rain never lowers the river (a certain baseline at 100 % beside members spread
    # by the model's error read as « rain lowers the chance of orange »)
    base_stage = out.series("member_stage_m").sel(variant="baseline").values
    assert np.isfinite(base_stage).all() and np.ptp(base_stage.max(axis=1)) > 0  # 12 members, each its own error
    assert (out.member_values("peak_stage_m", v) >= out.member_values("peak_stage_m", "baseline") - 1e-9).all()
    for lvl in ("yellow", "orange", "red"):
        assert out.value(f"p_{lvl}_pct", v) >= out.value(f"p_{lvl}_pct", "baseline")
    assert out.data.attrs["members_are"] == "futures" and "baseline_draws" not in out.data.attrs
    assert all(r["members_are"] == "futures" for r in outcome_rows(out))  # the comparison page reads it there
    rain = out.series("member_rain_mm").sel(variant="baseline").values
    assert rain.shape[0] == 12 and (rain == 0).all()  # every member's, none of them NaN: no rain
    # each member's peak is the peak of its own stage series; the KPI is their median
    stage = out.series("member_stage_m").sel(variant=v).values
    np.testing.assert_allclose(out.member_values("peak_stage_m", v), stage.max(axis=1))
    assert out.value("peak_stage_m", v) == pytest.approx(np.median(stage.max(axis=1)))
    # a member that never crosses a level has no lead time: that row's band is not estimated
    rows = {(r["variant"], r["kpi"]): r for r in outcome_rows(out)}
    not_estimated = 0
    for lvl in ("yellow", "orange", "red"):
        r = rows[(v, f"lead_time_{lvl}_h")]
        crossed = np.array(rows[(v, f"p_{lvl}_pct")]["members"]) == 100.0
        assert np.isfinite(r["members"]).tolist() == crossed.tolist()
        base_crossed = np.array(rows[("baseline", f"p_{lvl}_pct")]["members"]) == 100.0
        if not (crossed.all() and base_crossed.all()):
            assert r["significant"] is None and np.isnan(r["change_low"]) and np.isnan(r["change_high"])
            not_estimated += 1
        else:  # the band of the change is the forecast's spread: estimated, never called noise
            assert r["significant"] is None and np.isfinite(r["change_low"]) and np.isfinite(r["change_high"])
    assert not_estimated  # the no-rain baseline stays below some level: that case is exercised
    # the members are possible futures: the change is never "within the noise"; 60 mm of rain raises every
    # member's peak, so the whole band lies above 0
    peak = rows[(v, "peak_stage_m")]
    assert peak["significant"] is None and peak["change_low"] > 0
    # a quantile or a share of the members has no members' band of its own (it showed the median's)
    for kpi in ("peak_stage_p95_m", "p_orange_pct", "buildings_to_alert", "people_to_alert"):
        r = rows[(v, kpi)]
        assert r["statistic"] is True and r["significant"] is None and np.isnan(r["change_low"]), kpi


def test_flood_runs_of_one_seed_are_paired_member_by_member(redon, true_params):
    a = _flood(redon, true_params)
    b = _flood(redon, true_params, design_mm=66.0)  # 10 % more rain
    other = _flood(redon, true_params, design_mm=66.0, seed=2)
    va, vb = a.first_variant, b.first_variant
    rain_a = a.series("member_rain_mm").sel(variant=va).values
    rain_b = b.series("member_rain_mm").sel(variant=vb).values
    np.testing.assert_allclose(rain_b, rain_a * 1.1)  # member m: the same rain factor, the storm × 1.1
    assert a.member_seeds == b.member_seeds != other.member_seeds
    assert not np.allclose(other.series("member_rain_mm").sel(variant=vb).values, rain_b)
    # more rain raises every member's peak: paired, that is sure; independent, it is lost in the spread
    pa, pb = a.member_values("peak_stage_m", va), b.member_values("peak_stage_m", vb)
    _, low, high, sig = paired_difference(pb, pa)
    _, u_low, u_high, u_sig = unpaired_difference(pb, pa)
    assert 0.0 < low and sig is True
    assert u_low < 0.0 < u_high and u_sig is False
    assert high - low < 0.5 * (u_high - u_low)
    # member m of a larger ensemble of the same seed is member m of the smaller one
    more = _flood(redon, true_params, members=15)
    np.testing.assert_array_equal(more.series("member_rain_mm").sel(variant=more.first_variant).values[:12], rain_a)


def test_a_flood_without_an_ensemble_keeps_no_members(redon, true_params):
    out = _flood(redon, true_params, rain="design")
    assert not out.is_ensemble and out.member_seeds is None
    assert all(not (MEMBER_KEYS & set(r)) for r in outcome_rows(out))
