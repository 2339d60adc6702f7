"""The comparison's decisions (twin.app.verdicts): % change, best value per row, paired significance on
common random numbers, one-line verdict per impact.

The rows with ``members`` / ``change_low`` / ``change_high`` here are CONSTRUCTED rows following the
ensemble families' contract (a KPI per member in member order, the variant's ``member_seeds``, the
5–95 % band of the paired change); a real bins run is checked in tests/test_app_compare.py.
"""

from __future__ import annotations

import pytest

from twin.app.verdicts import (best, between, between_verdicts, change_text, higher_is_better, pair_band, paired_band,
                               pct_change, row_status, seeds_of, significant, verdict, verdicts)
from twin.app.variants import outcome_rows
from twin.outcome import KPI, Outcome


def test_pct_change_is_against_the_references_size_and_none_when_meaningless():
    assert pct_change(80.0, 100.0) == pytest.approx(-20.0)
    assert pct_change(-50.0, -100.0) == pytest.approx(50.0)  # a smaller loss: +50 % of its size
    assert pct_change(5.0, 0.0) is None and pct_change(float("nan"), 3.0) is None
    assert pct_change(float("inf"), 3.0) is None and pct_change(None, 3.0) is None


def test_the_best_value_follows_the_kpis_direction_and_ties_within_the_noise():
    assert best([100.0, 80.0, 90.0], hib=False) == [1]
    assert best([100.0, 80.0, 90.0], hib=True) == [0]
    assert best([80.0, 80.0, 90.0], hib=False) == [0, 1]  # exact tie: both
    assert best([80.0, 80.0], hib=False) == []  # all the same: nothing stands out
    assert best([80.0, float("nan")], hib=False) == []  # one number only
    assert best([100.0, 80.0], hib=None) == []  # direction unknown: no best claimed
    # 82 is within the noise of 80 (their paired band contains 0): both best, 100 is not
    assert best([100.0, 80.0, 82.0], hib=False, ties=[False, False, True]) == [1, 2]


def test_paired_band_and_significance():
    a = [10.0, 12.0, 9.0, 11.0, 10.5]
    b = [x - 2.0 for x in a]  # always 2 less: a sure effect, however spread the members
    low, high = paired_band(a, b)
    assert low == pytest.approx(-2.0) and high == pytest.approx(-2.0)
    assert significant((low, high)) is True
    noisy = [10.5, 11.0, 9.5, 11.2, 10.0]  # up and down by member: within the noise
    band = paired_band(a, noisy)
    assert band[0] < 0 < band[1] and significant(band) is False
    assert paired_band(a, b[:3]) is None and significant(None) is None
    # four members all 2 less: one chance in eight from noise alone, no band claimed (twin.paired.MIN_MEMBERS)
    assert paired_band(a[:4], b[:4]) is None
    assert significant(paired_band(a[:4], noisy[:4])) is False  # both signs: within the noise, however few


def test_members_pair_only_on_the_same_seeds():
    ra, rb = {"members": [10.0, 12.0, 9.0, 11.0, 13.0]}, {"members": [8.0, 10.0, 7.0, 9.0, 11.0]}
    assert seeds_of({"member_seeds": "0,1,2"}) == ("0", "1", "2") == seeds_of({"member_seeds": [0, 1, 2]})
    assert seeds_of({"member_seeds": "[0, 1, 2]"}) == ("0", "1", "2") and seeds_of({}) is None
    five, others = ("0", "1", "2", "3", "4"), ("5", "6", "7", "8", "9")
    assert pair_band(ra, five, rb, five) == pytest.approx((-2.0, -2.0))
    assert pair_band(ra, five, rb, others) is None  # not the same draws: not paired
    assert pair_band({"value": 3.0}, ("0",), rb, ("0",)) is None  # no members


def _rows(kpis, base, variant, name="plan"):
    return [r for r in outcome_rows(Outcome.from_values("demo", kpis, {"baseline": base, name: variant}))
            if r["variant"] == name]


KPIS = [KPI("cost_eur", "€", "financial", "cost"), KPI("investment_eur", "€", "financial", "spent"),
        KPI("co2_kg", "kg", "environmental", "co2"), KPI("served", "people", "human", "served", True)]


def test_direction_is_read_from_the_row():
    rows = _rows(KPIS, {"cost_eur": 100.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0},
                 {"cost_eur": 60.0, "investment_eur": 50.0, "co2_kg": 10.0, "served": 7.0})
    by = {r["kpi"]: r for r in rows}
    assert higher_is_better(by["cost_eur"]) is False and higher_is_better(by["served"]) is True
    assert higher_is_better(by["co2_kg"]) is False  # unchanged, but the outcome's rows carry the KPI's direction
    assert higher_is_better({"higher_is_better": True}) is True
    # a row saved without the direction: read from its verdict and its change, when they tell
    assert higher_is_better({"better": True, "change": -3.0}) is False
    assert higher_is_better({"better": None, "change": 0.0}) is None


def test_one_line_verdict_per_impact_in_french():
    rows = _rows(KPIS, {"cost_eur": 100.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0},
                 {"cost_eur": 60.0, "investment_eur": 50.0, "co2_kg": 10.0, "served": 7.0})
    lines = verdicts([("Plan été", rows, None)], "fr")
    assert set(lines) == {"financial", "environmental", "human"}
    assert lines["financial"] == ("Financier : « Plan été » fait mieux que la situation actuelle sur 1 indicateur "
                                  "(coût -40\u00a0%) et "
                                  "moins bien sur 1 (investissement +50\u00a0€), sur 2 au total.")  # 0 invested: no %, €
    assert lines["environmental"] == "Environnemental : « Plan été » ne change rien."
    assert "fait mieux que la situation actuelle sur 1 indicateur sur 1" in lines["human"]
    assert "\n" not in "".join(lines.values())  # one line each


def test_a_change_within_its_paired_band_is_no_significant_difference():
    rows = _rows(KPIS[:1], {"cost_eur": 100.0}, {"cost_eur": 97.0})
    row = dict(rows[0], change_low=-8.0, change_high=2.5)  # constructed: the paired band straddles 0
    assert row_status(row) == "noise"
    line = verdict("financial", [("Tournée B", [row], None)], "fr")
    assert "« Tournée B » ne se distingue pas de la situation actuelle (écart plus petit que l'incertitude)" in line \
        and "mieux" not in line
    sure = dict(rows[0], change_low=-4.0, change_high=-2.0)
    assert row_status(sure) == "better"
    assert "fait mieux" in verdict("financial", [("Tournée B", [sure], None)], "fr")


def test_of_two_variants_the_verdict_names_the_best_balance_of_indicators():
    """A count of indicators (better minus worse), said as one: « la meilleure » contradicted the next line's
    amounts, « le plus d'indicateurs améliorés » the counts (5 better and 4 worse ranked above 2 better)."""
    a = _rows(KPIS, {"cost_eur": 100.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0},
              {"cost_eur": 90.0, "investment_eur": 50.0, "co2_kg": 9.0, "served": 5.0}, name="A")
    b = _rows(KPIS, {"cost_eur": 100.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0},
              {"cost_eur": 70.0, "investment_eur": 0.0, "co2_kg": 8.0, "served": 5.0}, name="B")
    lines = verdicts([("A", a, None), ("B", b, None)], "fr")
    assert lines["financial"].endswith("meilleur solde (indicateurs en mieux moins en moins bien) : « B ».")
    assert "« A » fait mieux que la situation actuelle sur 1" in lines["financial"] and "« B » fait mieux que la situation actuelle" in \
        lines["financial"]
    en = verdicts([("A", a, None), ("B", b, None)], "en")
    assert en["financial"].startswith("Financial: “A” does better than the baseline on 1")


# --- the variants against each other (issue 17: "a comparison that decides") ----------------------------

def _members_rows(name, value, members, base=100.0, base_members=(100.0, 104.0, 96.0)):
    """CONSTRUCTED rows of one cost KPI (€, lower is better) with its members in member order."""
    return [{"variant": name, "kpi": "cost_eur", "impact": "financial", "unit": "€", "value": value,
             "baseline": base, "change": value - base, "change_pct": value - base, "better": value < base,
             "baseline_name": "baseline", "members": list(members)}]


def test_two_variants_are_compared_with_each_other_in_french():
    a = _rows(KPIS, {"cost_eur": 100.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0},
              {"cost_eur": 90.0, "investment_eur": 50.0, "co2_kg": 9.0, "served": 5.0}, name="0h-5h")
    b = _rows(KPIS, {"cost_eur": 100.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0},
              {"cost_eur": 70.0, "investment_eur": 0.0, "co2_kg": 8.0, "served": 6.0}, name="23h-5h")
    lines = between_verdicts([("0h-5h", a, None, None), ("23h-5h", b, None, None)], "fr")
    # the better named first, by how much, both values, and no uncertainty known (no members): said
    assert lines["financial"] == ("Financier, entre les variantes (coût) : « 23h-5h » économise 20\u00a0€ de plus "
                                  "que « 0h-5h » (70\u00a0€ contre 90\u00a0€, incertitude non calculée).")
    assert lines["environmental"].startswith("Environnemental, entre les variantes (CO2) : « 23h-5h » fait mieux "
                                             "que « 0h-5h » de 1\u00a0kg (8\u00a0kg contre 9\u00a0kg, incertitude non calculée).")
    assert "« 23h-5h » fait mieux que « 0h-5h »" in lines["human"]
    assert between("financial", [("seul", a, None, None)], "fr") == ""  # one variant: nothing to compare
    en = between_verdicts([("0h-5h", a, None, None), ("23h-5h", b, None, None)], "en")
    assert en["financial"].startswith("Financial, between the variants (cost): “23h-5h” saves 20\u00a0€ more "
                                      "than “0h-5h”")


def test_variants_with_the_same_value_or_no_differing_kpi_are_said_so():
    a = _rows(KPIS[:1], {"cost_eur": 100.0}, {"cost_eur": 90.0}, name="A")
    b = _rows(KPIS[:1], {"cost_eur": 100.0}, {"cost_eur": 90.0}, name="B")
    assert between("financial", [("A", a, None, None), ("B", b, None, None)], "fr") == \
        "Financier, entre les variantes : aucun indicateur ne sépare « A » et « B »."
    # they differ only on a distance that leaves out the buildings one of them strands: not compared
    kpis = [KPI("buildings_without_route", "buildings", "human", "stranded"),
            KPI("mean_drive_distance_m", "m", "human", "distance")]
    base = {"buildings_without_route": 0.0, "mean_drive_distance_m": 500.0}
    c = _rows(kpis, base, {"buildings_without_route": 0.0, "mean_drive_distance_m": 520.0}, name="C")
    d = _rows(kpis, base, {"buildings_without_route": 0.0, "mean_drive_distance_m": 505.0}, name="D")
    assert "(distance moyenne en voiture) : « D » fait mieux que « C » de 15\u00a0m" in \
        between("human", [("C", c, None, None), ("D", d, None, None)], "fr")
    strands = {"buildings_without_route": d[0]}
    assert between("human", [("C", c, None, None), ("D", d, strands, None)], "fr") == (
        "Humain, entre les variantes : « C » et « D » ne se comparent pas sur ces indicateurs : « D » laisse des "
        "trajets ou des bâtiments sans itinéraire (voir l'avertissement sous le tableau).")
    # both strand: both named, the verb agrees
    assert "« C » et « D » laissent des trajets" in between(
        "human", [("C", c, strands, None), ("D", d, strands, None)], "fr")
    assert "“D” leaves trips or buildings with no route" in between(
        "human", [("C", c, None, None), ("D", d, strands, None)], "en")
    # of four, two strand: the other two are ranked among themselves, the two set aside by name (a planner got
    # « A, B, C et D ne se comparent pas » and no verdict on his real choice, one direction or half capacity)
    e = _rows(kpis, base, {"buildings_without_route": 0.0, "mean_drive_distance_m": 510.0}, name="E")
    f = _rows(kpis, base, {"buildings_without_route": 0.0, "mean_drive_distance_m": 502.0}, name="F")
    line = between("human", [("C", c, strands, None), ("E", e, None, None), ("F", f, None, None),
                             ("D", d, strands, None)], "fr")
    assert line.startswith("Humain, entre les variantes (distance moyenne en voiture) : « F » fait mieux que « E » "
                           "de 8\u00a0m"), line
    assert line.endswith(" ; « C » et « D » laissent des trajets ou des bâtiments sans itinéraire : pas classées."), line


def test_variants_stranding_no_trip_are_not_tied_on_the_trips_others_strand():
    """Five roadworks variants, two of them closures that strand trips: the human line ranked all five on the trips
    left without a route and said « « demi-capacité » et « un sens » font pareil (0 trajet) » where their hours at
    the wheel differed by 1 % against 12 % (a planner's walkthrough). The variants that strand none are ranked on
    their hours, those that do among themselves on what they strand (CONSTRUCTED rows)."""
    kpis = [KPI("vehicle_hours_window", "veh·h", "human", "hours", leaves_out="trips_without_route_window"),
            KPI("trips_without_route_window", "trips", "human", "stranded")]
    base = {"vehicle_hours_window": 1000.0, "trips_without_route_window": 0.0}
    half = _rows(kpis, base, {"vehicle_hours_window": 1004.0, "trips_without_route_window": 0.0}, name="demi")
    one_way = _rows(kpis, base, {"vehicle_hours_window": 1075.0, "trips_without_route_window": 0.0}, name="un sens")
    day = _rows(kpis, base, {"vehicle_hours_window": 1153.0, "trips_without_route_window": 636.0}, name="jour")
    night = _rows(kpis, base, {"vehicle_hours_window": 1012.0, "trips_without_route_window": 93.0}, name="nuit")
    flag = lambda rows: {"trips_without_route_window": rows[1]}  # noqa: E731
    named = [("jour", day, flag(day), None), ("demi", half, None, None), ("un sens", one_way, None, None),
             ("nuit", night, flag(night), None)]
    line = between("human", named, "fr")
    assert "font pareil" not in line, line
    assert line.startswith("Humain, entre les variantes (temps total au volant (sur la plage horaire)) : « demi » fait "
                           "mieux que « un sens » de 71"), line
    assert " ; entre celles qui laissent des trajets ou des bâtiments sans itinéraire (trajets sans itinéraire (sur " \
           "la plage horaire)) : « nuit » fait mieux que « jour » de 543" in line, line
    # the two that strand trips strand as many: set aside, not « ne se comparent pas » spliced in (review)
    tied = _rows(kpis, base, {"vehicle_hours_window": 1012.0, "trips_without_route_window": 636.0}, name="nuit")
    line = between("human", [*named[:3], ("nuit", tied, flag(tied), None)], "fr")
    assert line.endswith(" ; « jour » et « nuit » laissent des trajets ou des bâtiments sans itinéraire : pas "
                         "classées."), line
    assert line.count("laissent des trajets") == 1
    # one closure only: set aside by name, as before
    line = between("human", named[:3], "fr")
    assert line.endswith(" ; « jour » laisse des trajets ou des bâtiments sans itinéraire : pas classée."), line
    assert "between those that leave trips" in between("human", named, "en")


def test_a_closure_s_kilometres_say_why_they_have_no_verdict():
    """« A change sans verdict (indicateurs sans sens « meilleur ») » for the kilometres and CO2 of a closure that
    stranded trips: lower CO2 is better; the reason is the trips the figures leave out."""
    kpis = [KPI("trips_without_route_window", "trips", "human", "stranded"),
            KPI("vehicle_km_window", "veh·km", "environmental", "km", leaves_out="trips_without_route_window")]
    rows = _rows(kpis, {"trips_without_route_window": 0.0, "vehicle_km_window": 1000.0},
                 {"trips_without_route_window": 170.0, "vehicle_km_window": 934.0}, name="A")
    flagged = {"trips_without_route_window": rows[0]}
    line = verdict("environmental", [("A", [r for r in rows if r["impact"] == "environmental"], flagged)], "fr")
    assert "ses baisses peuvent ne venir que de la hausse des trajets sans itinéraire" in line, line
    assert "sans sens" not in line


def test_between_three_variants_ranks_them_and_pairs_on_common_seeds():
    seeds = ("0", "1", "2", "3", "4")
    a = _members_rows("A", 97.0, [99.0, 99.0, 93.0, 97.0, 97.0])
    b = _members_rows("B", 96.0, [98.0, 98.0, 92.0, 96.0, 96.0])  # 1 € below A on every member: beyond the noise
    d = _members_rows("D", 95.0, [93.0, 100.0, 92.0, 95.0, 95.0])  # below B on average, above it on one: noise
    line = between("financial", [("A", a, None, seeds), ("B", b, None, seeds), ("D", d, None, seeds)], "fr")
    first, second = line.split(" : ", 1)[1].split(" ; ")
    assert first.startswith("« D » et « B » : écart plus petit que l'incertitude (95\u00a0€ contre 96\u00a0€, "
                            "écart de -5\u00a0€ à 2\u00a0€ dans 9 tirages sur 10, aléas communs)")
    assert second == ("« B » économise 1\u00a0€ de plus que « A » (96\u00a0€ contre 97\u00a0€, écart de "
                      "-1\u00a0€ à -1\u00a0€ dans 9 tirages sur 10, aléas communs).")
    # other seeds: the members are not paired, no paired band is claimed; each inside the other's spread
    other = between("financial", [("A", a, None, seeds), ("B", b, None, ("5", "6", "7", "8", "9"))], "fr")
    assert "tirages différents, non appariés" in other and "aléas communs" not in other
    # three draws, B below A on each: one chance in four from noise alone, not judged, and said why
    # (rows as the bins write them: with the members' low/high, each value inside the other's range)
    a3 = [{**r, "low": 93.0, "high": 99.0} for r in _members_rows("A", 97.0, [99.0, 99.0, 93.0])]
    b3 = [{**r, "low": 92.0, "high": 98.0} for r in _members_rows("B", 96.0, [98.0, 98.0, 92.0])]
    few = between("financial", [("A", a3, None, seeds[:3]), ("B", b3, None, seeds[:3])], "fr")
    assert "incertitude non calculée : 3 tirages, il en faut au moins 5" in few and "significative" not in few
    assert "non appariés" not in few  # the same draws: paired, only too few


def test_two_forecasts_on_the_same_draws_are_never_called_no_significant_difference():
    """A flood's members are possible futures: two rains paired on the same seeds whose band holds 0 forecast
    more in some futures and less in others, not « pas de différence significative »."""
    seeds = ("0", "1", "2")
    a = [{**r, "members_are": "futures"} for r in _members_rows("A", 97.0, [99.0, 99.0, 93.0])]
    d = [{**r, "members_are": "futures"} for r in _members_rows("D", 95.0, [93.0, 100.0, 92.0])]
    line = between("financial", [("A", a, None, seeds), ("D", d, None, seeds)], "fr")
    assert "« D » et « A » : selon les tirages, l'une ou l'autre prévoit plus (95 € contre 97 €" in line
    assert "significative" not in line
    english = between("financial", [("A", a, None, seeds), ("D", d, None, seeds)], "en")
    assert "depending on the draws, either forecasts more" in english
    # a band touching 0 at one end: one forecasts at least as much in every draw, never « l'une ou l'autre »
    # (said of a band from -0,82 m to 0 m)
    seeds5 = ("0", "1", "2", "3", "4")
    low = [{**r, "members_are": "futures"} for r in _members_rows("Court", 95.0, [90.0, 95.0, 95.0, 95.0, 100.0])]
    high = [{**r, "members_are": "futures"} for r in _members_rows("Long", 96.0, [90.0, 95.0, 97.0, 98.0, 100.0])]
    line = between("financial", [("Court", low, None, seeds5), ("Long", high, None, seeds5)], "fr")
    assert "« Long » prévoit au moins autant que « Court » dans 95 % des tirages (96\xa0€ contre 95\xa0€" in line, line
    assert "écart de 0\xa0€ à 3\xa0€ dans 9 tirages sur 10" in line, line  # its band « more − less », never -3 – 0
    line = between("financial", [("Long", high, None, seeds5), ("Court", low, None, seeds5)], "fr")
    assert "« Long » prévoit au moins autant que « Court »" in line and "de 0\xa0€ à 3\xa0€" in line, line
    # 40 draws all equal but one: « pareil » in at least 90 % of them, both values said
    seeds40 = tuple(map(str, range(40)))
    flat = [{**r, "members_are": "futures"} for r in _members_rows("A", 95.0, [95.0] * 40)]
    one = [{**r, "members_are": "futures"} for r in _members_rows("B", 96.0, [95.0] * 39 + [135.0])]
    line = between("financial", [("A", flat, None, seeds40), ("B", one, None, seeds40)], "fr")
    assert "prévoient pareil dans au moins 90 % des tirages (95\xa0€ contre 96\xa0€" in line, line
    same = [{**r, "members_are": "futures"} for r in _members_rows("Même", 95.0, [90.0, 95.0, 95.0, 95.0, 100.0])]
    line = between("financial", [("Court", low, None, seeds5), ("Même", same, None, seeds5)], "fr")
    assert "aucun indicateur ne sépare « Court » et « Même »" in line, line  # the same draws: nothing to say


def test_two_ensembles_on_other_seeds_inside_each_others_band_are_not_ranked():
    """The same flood forecast on two seeds was « mieux » by 0,11 m: unpaired, each value inside the
    other's 5–95 % band, the draws cannot tell them apart; apart beyond the bands, they are ranked."""
    # rows as a flood's: members, no model band
    a = _members_rows("A", 97.0, [90.0 + i * 14.0 / 19 for i in range(20)])
    b = _members_rows("B", 95.0, [88.0 + i * 13.0 / 19 for i in range(20)])
    seeds_a, seeds_b = tuple(map(str, range(20))), tuple(map(str, range(100, 120)))
    line = between("financial", [("A", a, None, seeds_a), ("B", b, None, seeds_b)], "fr")
    assert "écart plus petit que la dispersion des tirages" in line and "non appariés" in line, line
    assert "économise" not in line and "significative" not in line
    far = _members_rows("B", 80.0, [75.0 + i * 10.0 / 19 for i in range(20)])
    line = between("financial", [("A", a, None, seeds_a), ("B", far, None, seeds_b)], "fr")
    assert "« B » économise 17" in line and "incertitude non calculée" in line


def test_a_percentage_changes_in_points_never_in_percent_of_itself():
    kpis = [KPI("lit_share_pct", "%", "human", "share lit", True)]
    rows = _rows(kpis, {"lit_share_pct": 100.0}, {"lit_share_pct": 95.92})
    assert change_text(rows[0]["change"], "%", "fr") == "-4,1\u00a0pts"
    assert change_text(-0.04, "%", "en") == "-0.04\u00a0pts" and change_text(-17135.2, "€/yr", "fr") == \
        "-17\u202f135\u00a0€/an"
    line = verdict("human", [("Plan", rows, None)], "fr")
    assert "(lit share pct -4,1\u00a0pts)" in line and "%" not in line.split("(")[1]


def test_a_forecast_s_spread_against_no_rain_is_never_called_noise():
    """A flood row whose baseline draws nothing (``significant`` None) keeps its band as the forecast's
    spread: the comparison page called +188 % « pas de différence significative » where the card did not."""
    from twin.app.verdicts import noise_band, pair_band, row_status

    row = {"variant": "ensemble", "baseline_name": "baseline", "kpi": "buildings_flooded", "unit": "buildings",
           "value": 70.0, "baseline": 49.0, "change": 21.0, "better": False, "change_low": -36.0,
           "change_high": 134.0, "significant": None}
    assert noise_band(row) is None and row_status(row) == "worse"
    assert row_status({**row, "significant": False}) == "noise"  # a paired draw whose band holds 0: noise
    # a quantile of the members has no paired band with another variant's either
    members = {"members": [1.0, 2.0, 3.0, 4.0, 5.0]}
    p95 = {"kpi": "peak_stage_p95_m", "statistic": True, **members}
    assert pair_band(p95, ("1", "2", "3", "4", "5"), {**p95, "members": [2.0, 3.0, 4.0, 5.0, 6.0]},
                     ("1", "2", "3", "4", "5")) is None
    plain = {"kpi": "peak_stage_m", **members}
    assert pair_band(plain, ("1", "2", "3", "4", "5"), {**plain, "members": [2.0, 3.0, 4.0, 5.0, 6.0]},
                     ("1", "2", "3", "4", "5")) == (1.0, 1.0)


def test_a_flood_variant_is_compared_with_the_forecast_without_rain_not_today():
    """A flood's baseline is its own forecast with no further rain: the verdict said « fait moins bien que la
    situation actuelle », and the comparison's baseline column « situation actuelle », as for a plan."""
    from twin.app.report import comparison_html
    from twin.app.variants import Variant, outcome_rows
    from twin.scenarios.flood import KPIS as FLOOD_KPIS

    values = {k.name: 1.0 for k in FLOOD_KPIS}
    out = Outcome.from_values("flood", FLOOD_KPIS, {"baseline": values,
                                                    "ensemble": {**values, "buildings_flooded": 9.0}})
    out.data.attrs["baseline_meaning"] = "no further rain"
    rows = outcome_rows(out)
    human = verdicts([("Pluie", [r for r in rows if r["variant"] == "ensemble"], None)], "fr")["human"]
    assert "est plus grave que la prévision sans pluie à venir sur 1 indicateur" in human
    assert "situation actuelle" not in human
    english = verdicts([("Rain", [r for r in rows if r["variant"] == "ensemble"], None)], "en")["human"]
    assert "is more severe than the forecast with no further rain on 1 of" in english
    # a plan keeps today's situation
    plan = verdicts([("Plan", [{**r, "baseline_meaning": None} for r in rows if r["variant"] == "ensemble"], None)],
                    "fr")["human"]
    assert "fait moins bien que la situation actuelle" in plan
    page = comparison_html([Variant(name="Pluie", family="flood", territory="redon", params={}, kpis=rows)], "fr")
    assert "<th rowspan='2'>sans pluie à venir</th>" in page and "situation actuelle" not in page


def test_a_flood_comparison_shows_the_members_band_and_ranks_never_first():
    """Comparing a forecast with a replay: the forecast's cell read « incertitude non calculée : ordre de grandeur » above its
    members' « écart 5–95 % »; a 0 h – 0 h change band was printed; the baseline's « — » (the level never
    reached: the most time of all) was not the best lead time; and « fait mieux que » ranked two rains."""
    import re

    from twin.app.report import comparison_html
    from twin.app.variants import Variant

    def rows(name, members_peak, members_lead, lead):
        base = {"variant": "baseline", "baseline_name": "baseline", "baseline_meaning": "no further rain",
                "impact": "human", "better": None, "change": float("nan")}
        peak = [{**base, "kpi": "peak_stage_m", "unit": "m", "value": 4.24, "baseline": 4.24,
                 "higher_is_better": False, "members": [4.24] * len(members_peak)},
                {**base, "variant": name, "kpi": "peak_stage_m", "unit": "m", "value": sorted(members_peak)[len(members_peak) // 2],
                 "baseline": 4.24, "change": 0.2, "better": False, "higher_is_better": False, "members": members_peak}]
        time = [{**base, "kpi": "lead_time_orange_h", "unit": "h", "value": float("nan"), "baseline": float("nan"),
                 "higher_is_better": True, "members": [float("nan")] * len(members_lead)},
                {**base, "variant": name, "kpi": "lead_time_orange_h", "unit": "h", "value": lead,
                 "baseline": float("nan"), "higher_is_better": True, "members": members_lead}]
        return peak + time

    ens = [4.0 + 0.02 * i for i in range(50)]
    a = Variant("Prévision", "flood", "redon", {}, rows("Prévision", ens, [40.0] * 50, 40.0), attrs={"member_seeds": "0-49"})
    b = Variant("Rejeu", "flood", "redon", {}, rows("Rejeu", [5.54], [35.0], 35.0))
    page = comparison_html([a, b], "fr")
    peak = re.search(r"<tr data-kpi='peak_stage_m'>(.*?)</tr>", page).group(1)
    cells = re.findall(r"<td class='unc[^']*'>(.*?)</td>", peak)
    assert cells[0].endswith("dans 9 tirages sur 10") and "non calculée" not in cells[0]
    assert cells[1] == "non calculée"  # one run: no band (what it means, once under the table)
    lead = re.search(r"<tr data-kpi='lead_time_orange_h'>(.*?)</tr>", page).group(1)
    first = re.findall(r"<td([^>]*)>", lead)[1]  # after the label: the shared baseline
    # forecasts are futures, not choices: no value marked best (the no-rain « — » was, then every « 0 % »)
    assert "best" not in first and "class='best'" not in page
    assert "« Prévision » prévoit 1,04\u00a0m de moins que « Rejeu »" in page and "fait mieux que « Rejeu »" not in page


def test_two_rains_get_no_winner():
    """« — le plus d'indicateurs améliorés : « Pluie A » » stood above a legend saying no value is the best."""
    a = [{**r, "baseline_meaning": "no further rain"} for r in _rows(
        KPIS, {"cost_eur": 100.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0},
        {"cost_eur": 60.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0}, name="Pluie A")]
    b = [{**r, "baseline_meaning": "no further rain"} for r in _rows(
        KPIS, {"cost_eur": 100.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0},
        {"cost_eur": 100.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0}, name="Pluie B")]
    line = verdicts([("Pluie A", a, None), ("Pluie B", b, None)], "fr")["financial"]
    assert "solde" not in line and "meilleur" not in line


def test_a_flood_variant_better_on_some_and_worse_on_others_is_less_and_more_severe():
    rows = _rows(KPIS, {"cost_eur": 100.0, "investment_eur": 0.0, "co2_kg": 10.0, "served": 5.0},
                 {"cost_eur": 60.0, "investment_eur": 50.0, "co2_kg": 10.0, "served": 7.0})
    flood = [{**r, "baseline_meaning": "no further rain"} for r in rows]
    line = verdicts([("Pluie", flood, None)], "fr")["financial"]
    assert "« Pluie » est moins grave que la prévision sans pluie à venir sur 1 indicateur" in line
    assert "et plus grave sur 1" in line and "fait mieux" not in line


def test_a_run_detail_not_known_is_a_dash():
    from twin.app.run_details import detail_rows

    rows, _ = detail_rows({"observed_stage_m": float("nan")}, "fr")
    assert rows == [("Hauteur observée à l'émission (m)", "—")]


def test_the_assumptions_leave_out_what_a_run_ignored():
    """« Multiplicateur de la pluie observée : 1,5 » was listed among the parameters two ensembles share."""
    from twin.app.report import comparison_html
    from twin.app.variants import Variant

    ensemble = {"rain": "ensemble", "scale": 1.5, "members": 20}
    a = Variant("A", "flood", "redon", ensemble, [])
    b = Variant("B", "flood", "redon", {**ensemble, "members": 40}, [])
    page = comparison_html([a, b], "fr")
    assert "Multiplicateur de la pluie observée" not in page and "Membres" in page
    scaled = Variant("C", "flood", "redon", {"rain": "scaled", "scale": 1.5}, [])
    assert "Multiplicateur de la pluie observée" in comparison_html([scaled, a], "fr")


def test_a_variant_saved_with_a_few_members_band_is_no_verdict_now():
    """Saved before the 5-member rule, a 3-member row kept « significant » and its band: read again, the band
    of members all of one sign is no verdict; one holding 0 still says « no significant difference »."""
    from twin.app.verdicts import change_band

    old = {"members": [92.0, 88.0, 90.0], "change_low": -11.0, "change_high": -9.0, "significant": True}
    assert change_band(old) is None
    assert change_band({**old, "change_low": -2.0, "change_high": 1.0}) == (-2.0, 1.0)
    assert change_band({**old, "members": [1.0] * 5}) == (-11.0, -9.0)


def test_variants_on_their_own_baselines_are_compared_on_their_changes():
    """Works at night and by day: each is judged at its own busiest hour, on its own traffic without works.
    The night works' peak vehicle-hours were lower by the night's lighter traffic, and the comparison said
    they « did better » by 1 700 veh·h; the day works added less to their own situation."""
    from twin.app.report import _row_best
    from twin.app.verdicts import own_baselines

    k = [KPI("vehicle_hours_peak", "veh·h", "human", "vehicle-hours at the works' peak hour")]
    night = _rows(k, {"vehicle_hours_peak": 300.0}, {"vehicle_hours_peak": 360.0}, "nuit")  # +60
    day = _rows(k, {"vehicle_hours_peak": 2000.0}, {"vehicle_hours_peak": 2040.0}, "jour")  # +40
    assert own_baselines([night[0], day[0]]) and not own_baselines([night[0], night[0]])
    line = between("human", [("Nuit", night, None, None), ("Jour", day, None, None)], "fr")
    assert "« Jour » fait mieux que « Nuit » de 20" in line, line
    assert "par rapport à sa propre situation" in line and "+40" in line and "+60" in line
    english = between("human", [("Night", night, None, None), ("Day", day, None, None)], "en")
    assert "“Day” does better than “Night” by 20" in english, english

    class Saved:  # what _row_best reads of a saved variant
        attrs: dict = {}

    marks, _ = _row_best("vehicle_hours_peak", None, [night[0], day[0]], [Saved(), Saved()], False, [{}, {}], "fr")
    assert marks == [False, True]  # the day works' change is the best, not the night's value
    # on one baseline, the values are compared as before
    same = _rows(k, {"vehicle_hours_peak": 300.0}, {"vehicle_hours_peak": 330.0}, "autre")
    assert "« Autre » fait mieux que « Nuit » de 30" in between("human", [("Nuit", night, None, None),
                                                                           ("Autre", same, None, None)], "fr")


def test_one_situation_simulated_twice_is_one_baseline():
    """Two heating schedules' baselines, the same metered year simulated twice, differed by 1 kWh in 6,3 GWh:
    the comparison said « situations différentes : 633 631 €/an et 633 631 €/an » and dropped the baseline
    column."""
    from twin.app.verdicts import own_baselines, same_baseline

    k = [KPI("gas_cost_eur", "€/yr", "financial", "gas cost")]
    a = _rows(k, {"gas_cost_eur": 633_631.4}, {"gas_cost_eur": 540_000.0}, "a")
    b = _rows(k, {"gas_cost_eur": 633_631.3}, {"gas_cost_eur": 560_000.0}, "b")
    assert same_baseline(633_631.4, 633_631.3) and not own_baselines([a[0], b[0]])
    line = between("financial", [("Réservations", a, None, None), ("Plage", b, None, None)], "fr")
    assert "propre situation" not in line and "situations différentes" not in line, line
    # situations that differ stay apart; two NaN are one (a KPI both lack), a NaN and a number are not
    assert not same_baseline(633_631.0, 640_000.0) and same_baseline(float("nan"), float("nan"))
    assert not same_baseline(float("nan"), 1.0) and same_baseline(0.0, 0.0) and same_baseline(0.0, 1e-13)  # noise
    assert not same_baseline(0.0, 1e-6)


def test_forecasts_and_rows_without_a_baseline_are_not_compared_on_changes():
    """Two forecasts issued at different times each stand on their own no-rain run: they are futures, not
    plans one of which « does better »; a row without a baseline leaves the comparison on values."""
    from twin.app.verdicts import own_baselines

    k = [KPI("peak_stage_m", "m", "human", "peak stage")]
    early = [dict(r, baseline_meaning="no further rain") for r in _rows(k, {"peak_stage_m": 2.1}, {"peak_stage_m": 3.0}, "a")]
    late = [dict(r, baseline_meaning="no further rain") for r in _rows(k, {"peak_stage_m": 2.4}, {"peak_stage_m": 3.2}, "b")]
    assert not own_baselines([early[0], late[0]])
    line = between("human", [("Prévision 6 h", early, None, None), ("Prévision 12 h", late, None, None)], "fr")
    assert "propre situation" not in line and "fait mieux" not in line, line
    money = [KPI("cost_eur", "€", "financial", "cost")]
    a = _rows(money, {"cost_eur": 100.0}, {"cost_eur": 60.0}, "a")
    b = _rows(money, {"cost_eur": 300.0}, {"cost_eur": 250.0}, "b")
    nan = [dict(b[0], baseline=float("nan"))]
    assert own_baselines([a[0], b[0]]) and not own_baselines([a[0], nan[0]])
    # money on two baselines: what each saves against its own situation
    assert "« B » économise 10 € de plus que « A » par rapport à sa propre situation" in \
        between("financial", [("A", a, None, None), ("B", b, None, None)], "fr")


def test_a_value_given_the_drivers_time_is_never_said_saved_or_spent():
    """The drivers' time in euros (a reference value of time) is not the town's money: « coûte 410 € de
    moins » read as a budget line."""
    k = [KPI("drive_time_cost_eur_window", "€", "financial", "drivers' time valued")]
    a = _rows(k, {"drive_time_cost_eur_window": 9000.0}, {"drive_time_cost_eur_window": 9500.0}, "a")
    b = _rows(k, {"drive_time_cost_eur_window": 9000.0}, {"drive_time_cost_eur_window": 9910.0}, "b")
    line = between("financial", [("Déviation", a, None, None), ("Sans", b, None, None)], "fr")
    assert "« Déviation » fait mieux que « Sans » de 410" in line, line
    assert "coûte" not in line and "économise" not in line


def test_works_are_compared_on_their_totals_over_their_hours_before_their_peak_hour():
    """Night and day works: « Nuit fait mieux de 63,6 véhicules/h » compared 21 h with 17 h, while the trips
    left without a route over the works' hours (79 against 758) went unsaid."""
    k = [KPI("trips_without_route_peak", "veh/h", "human", "at the works' peak hour"),
         KPI("trips_without_route_window", "trips", "human", "over the works' hours")]
    night = _rows(k, {"trips_without_route_peak": 0.0, "trips_without_route_window": 0.0},
                  {"trips_without_route_peak": 23.7, "trips_without_route_window": 78.8}, "nuit")
    day = _rows(k, {"trips_without_route_peak": 0.0, "trips_without_route_window": 0.0},
                {"trips_without_route_peak": 87.4, "trips_without_route_window": 758.0}, "jour")
    line = between("human", [("Nuit", night, None, None), ("Jour", day, None, None)], "fr")
    assert "(trajets sans itinéraire (sur la plage horaire))" in line and "« Nuit » fait mieux que « Jour »" in line


def test_the_same_change_from_two_situations_is_said_not_hidden():
    """Two lighting schedules whose lamps come on 10 min later today as in the plan: each saves 17 135 €/an
    against its own situation; the comparison said « aucun indicateur ne sépare » them."""
    k = [KPI("cost_eur", "€/year", "financial", "cost")]
    a = _rows(k, {"cost_eur": 33501.0}, {"cost_eur": 16366.0}, "a")
    b = _rows(k, {"cost_eur": 32549.0}, {"cost_eur": 15414.0}, "b")
    line = between("financial", [("A", a, None, None), ("B", b, None, None)], "fr")
    assert "« A » et « B » changent autant leur propre situation" in line and "situations différentes" in line, line


def test_an_unproven_fall_is_neither_ranked_nor_marked_best():
    """Two lane cuts, shorter but slower: « A fait mieux que B de 0,5 kg » of CO2 counted per km, and its cell
    marked the row's best, while the cards said the fall was not proven."""
    from twin.app.report import _row_best

    k = [KPI("co2_kg_window", "kg", "environmental", "co2")]
    a = [dict(r, unproven=True) for r in _rows(k, {"co2_kg_window": 100.0}, {"co2_kg_window": 99.0}, "a")]
    b = [dict(r, unproven=True) for r in _rows(k, {"co2_kg_window": 100.0}, {"co2_kg_window": 99.5}, "b")]
    line = between("environmental", [("A", a, None, None), ("B", b, None, None)], "fr")
    assert "fait mieux" not in line and "baisse n'est pas démontrée" in line, line

    class Saved:
        attrs: dict = {}

    marks, _ = _row_best("co2_kg_window", b[0] | {"variant": "baseline"}, [a[0], b[0]], [Saved(), Saved()], True,
                         [{}, {}], "fr")
    assert not any(marks)


def test_a_tie_between_situations_never_hides_a_kpi_that_separates():
    """On two baselines, a KPI both change alike was chosen over one that sets them apart (the investment)."""
    k = [KPI("energy_cost_eur_yr", "€/year", "financial", "cost"), KPI("investment_eur", "€", "financial", "spent")]
    a = _rows(k, {"energy_cost_eur_yr": 1000.0, "investment_eur": 0.0}, {"energy_cost_eur_yr": 900.0, "investment_eur": 0.0}, "a")
    b = _rows(k, {"energy_cost_eur_yr": 1200.0, "investment_eur": 0.0}, {"energy_cost_eur_yr": 1100.0, "investment_eur": 5000.0}, "b")
    line = between("financial", [("A", a, None, None), ("B", b, None, None)], "fr")
    assert "(investissement)" in line or "investment" in line, line


def test_totals_over_different_hours_say_their_hours_and_floods_are_not_plans():
    """A flood closing streets 07:00–10:00 « fait mieux » than a smaller one closing them all day: 12 606
    trips stranded over 3 h against 26 926 over 24 h, read as one measure, the bigger flood marked best."""
    from twin.app.report import _row_best

    k = [KPI("trips_without_route_window", "trips", "human", "trips with no route over the window")]
    e = [dict(r, window="07:00-10:00") for r in _rows(k, {"trips_without_route_window": 0.0},
                                                       {"trips_without_route_window": 12606.0}, "e")]
    d = [dict(r, window="00:00-24:00") for r in _rows(k, {"trips_without_route_window": 0.0},
                                                       {"trips_without_route_window": 26926.0}, "d")]
    line = between("human", [("E", e, None, None), ("D", d, None, None)], "fr")
    assert "sur 07:00–10:00" in line and "sur 00:00–24:00" in line and "fait mieux" in line, line
    floods = [[dict(r, hazard=True) for r in rows] for rows in (e, d)]
    line = between("human", [("E", floods[0], None, None), ("D", floods[1], None, None)], "fr")
    assert "« E » prévoit 14\u202f320\xa0trajets de moins que « D »" in line and "fait mieux" not in line, line

    class Saved:
        attrs: dict = {}

    marks, _ = _row_best("trips_without_route_window", None, [floods[0][0], floods[1][0]], [Saved(), Saved()], False,
                         [{}, {}], "fr")
    assert marks == [False, False]  # no best between two floods
    same = [dict(r, window="07:00-10:00") for r in d]
    assert "trajets sur " not in between("human", [("E", e, None, None), ("D", same, None, None)], "fr")


def test_flood_detours_saved_before_their_rows_said_hazard_are_read_as_hazards(tmp_path):
    """Variants saved before the rows carried ``hazard`` still got « fait mieux » for a bigger flood: read
    back, a flood-detours variant's rows are a hazard's; another family's are not."""
    import json

    from twin.app.variants import Variant, VariantStore

    store = VariantStore(tmp_path)
    k = [KPI("trips_without_route_window", "trips", "human", "trips with no route over the window")]
    ids = {}
    for family, name, value in (("flood-detours", "E", 12606.0), ("flood-detours", "D", 26926.0),
                                ("roadworks", "R", 100.0)):
        v = store.save(Variant(name=name, family=family, territory="redon", params={},
                               kpis=_rows(k, {"trips_without_route_window": 0.0},
                                          {"trips_without_route_window": value}, name)))
        path = store._path(v.id)  # as an older version wrote it: no « hazard » key
        data = json.loads(path.read_text())
        assert not any("hazard" in r for r in data["kpis"])
        ids[name] = v.id
    floods = [store.get(ids[n]).kpis for n in ("E", "D")]
    line = between("human", [("E", floods[0], None, None), ("D", floods[1], None, None)], "fr")
    assert "prévoit" in line and "fait mieux" not in line, line
    assert not any(r.get("hazard") for r in store.get(ids["R"]).kpis)


def test_a_difference_adds_up_with_the_figures_shown():
    """« de 13,4 pts (99,7 % contre 86,4 %) »: the reader computes 13,3; the difference is taken between the
    figures as written (99,74 − 86,36 = 13,38 would be written 13,4)."""
    k = [KPI("lit_share_pct", "%", "human", "share of sensitive places lit")]
    a = _rows(k, {"lit_share_pct": 100.0}, {"lit_share_pct": 99.74}, "a")
    b = _rows(k, {"lit_share_pct": 100.0}, {"lit_share_pct": 86.36}, "b")
    line = between("human", [("A", a, None, None), ("B", b, None, None)], "fr")
    assert "de 13,3\xa0pts (86,4\xa0% contre 99,7\xa0%" in line, line


def test_variants_saved_before_are_read_with_today_s_rules(tmp_path):
    """Saved before their rows said so: a flood's lead time over another share of the draws still green and
    ranked, a heating comfort counted below each variant's own setpoint still « fait mieux »."""
    import json

    from twin.app.variants import Variant, VariantStore

    store = VariantStore(tmp_path)
    lead = [KPI("p_red_pct", "%", "human", "share", statistic=True),
            KPI("lead_time_red_h", "h", "human", "lead", higher_is_better=True, ratio_scale=False)]
    flood = store.save(Variant(name="pluie", family="flood", territory="redon", params={},
                               kpis=_rows(lead, {"p_red_pct": 20.0, "lead_time_red_h": 6.0},
                                          {"p_red_pct": 60.0, "lead_time_red_h": 6.5}, "pluie")))
    comfort = [KPI("comfort_gap_h", "h/yr", "human", "cold hours")]
    heat = store.save(Variant(name="B", family="heating", territory="redon", params={},
                              kpis=_rows(comfort, {"comfort_gap_h": 1160.0}, {"comfort_gap_h": 1017.0}, "B")))
    for v in (flood, heat):  # as an older version wrote them
        data = json.loads(store._path(v.id).read_text())
        assert not any("over_share" in r or "comfort_reference" in r for r in data["kpis"])
    row = next(r for r in store.get(flood.id).kpis if r["kpi"] == "lead_time_red_h")
    assert row["over_share"] == [60.0, 20.0] and row["better"] is None
    cold = store.get(heat.id).kpis[0]
    assert cold["better"] is None and cold["unproven"]
    from twin.app.variants import outcome_rows

    new = [r for r in outcome_rows(Outcome.from_values("heating", comfort, {"baseline": {"comfort_gap_h": 0.0},
                                                                            "B": {"comfort_gap_h": 10.0}}))
           if r["variant"] == "B"]
    kept = store.get(store.save(Variant(name="B2", family="heating", territory="redon", params={}, kpis=new)).id)
    assert kept.kpis[0]["better"] is False and not kept.kpis[0].get("unproven")  # today's rows keep their verdict


def test_a_verdict_withheld_for_stranded_trips_says_so():
    """Works whose kilometres and CO2 fall only because trips lost their route read « change sans verdict
    (indicateurs sans sens « meilleur ») », while the same kilometres were « moins bien » for other works
    (the CLI said the reason): the verdict says the falls come from the stranded trips."""
    from twin.app.cards import stranded

    kpis = [KPI("trips_without_route_window", "trips", "human", "stranded trips"),
            KPI("vehicle_km_window", "km", "environmental", "km driven"),
            KPI("co2_kg_window", "kg", "environmental", "CO2")]
    base = {"trips_without_route_window": 0.0, "vehicle_km_window": 1000.0, "co2_kg_window": 200.0}
    rows = _rows(kpis, base, {"trips_without_route_window": 758.0, "vehicle_km_window": 990.0, "co2_kg_window": 198.0},
                 name="Travaux Grande Rue")
    flagged = stranded(rows, "Travaux Grande Rue")
    assert list(flagged) == ["trips_without_route_window"]
    env = verdict("environmental", [("Travaux Grande Rue", [r for r in rows if r["impact"] == "environmental"],
                                     flagged)], "fr")
    assert env == ("Environnemental : « Travaux Grande Rue » change sans verdict : ses baisses peuvent ne venir que de "
                   "la hausse des trajets sans itinéraire (sur la plage horaire), qu'elles ne comptent pas.")
    # a closure's buildings left with no drive: said of them, not of trips
    kb = [KPI("buildings_without_route", "buildings", "human", "stranded"),
          KPI("round_trip_vehicle_km", "km", "environmental", "km")]
    rows = _rows(kb, {"buildings_without_route": 0.0, "round_trip_vehicle_km": 100.0},
                 {"buildings_without_route": 12.0, "round_trip_vehicle_km": 90.0}, name="Fermeture")
    env = verdict("environmental", [("Fermeture", [r for r in rows if r["impact"] == "environmental"],
                                     stranded(rows, "Fermeture"))], "fr")
    assert "trajets" not in env and "la hausse des bâtiments" in env, env
    # without stranded trips the same falls are a gain
    rows = _rows(kpis, base, {"trips_without_route_window": 0.0, "vehicle_km_window": 990.0, "co2_kg_window": 198.0},
                 name="Travaux Grande Rue")
    assert "fait mieux" in verdict("environmental", [("Travaux Grande Rue", [r for r in rows
                                                                           if r["impact"] == "environmental"], {})], "fr")


def test_two_changes_from_their_own_baselines_are_the_differences_of_the_figures_shown():
    """182,6 → 301,4 people: the cell says +118 (301 − 183), the line between the variants said « +119 » (review)."""
    kpis = [KPI("people_to_alert", "people", "human", "people")]
    a = _rows(kpis, {"people_to_alert": 182.6}, {"people_to_alert": 301.4}, name="A")
    b = _rows(kpis, {"people_to_alert": 150.2}, {"people_to_alert": 200.0}, name="B")
    line = between("human", [("A", a, None, None), ("B", b, None, None)], "fr")
    assert "+118\u00a0personnes" in line and "+119" not in line, line
    assert "de 68\u00a0personnes" in line, line  # 118 − 50


def test_a_band_touching_zero_as_written_is_one_way():
    """« selon les tirages, l'une ou l'autre prévoit plus (écart de -0,82 m à 0 m) »: the band's upper end was
    0,0004 m, written « 0 m » (a GEMAPI technician's walkthrough). Read as the page writes it, one forecast is at
    least as high in 95 % of the draws."""
    from twin.app.verdicts import one_way

    assert one_way((-0.82, 0.0004), "m") == ("y", (0.0, 0.82))
    assert one_way((-0.82, 0.0004)) == (None, (-0.82, 0.0004))  # unrounded: spans 0
    assert one_way((-0.82, 0.05), "m")[0] is None  # 5 cm the other way: either


def test_a_band_touching_zero_from_above_is_written_as_shown():
    """The « x » side returned its band unrounded: « de -0 m à 0,82 m » (a review)."""
    from twin.app.verdicts import one_way

    assert one_way((-0.0004, 0.82), "m") == ("x", (0.0, 0.82))
