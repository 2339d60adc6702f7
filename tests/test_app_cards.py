"""The KPI cards' colours: better / worse per KPI (never the sign of the change), a payback judged by
itself, and a closure that strands trips or buildings flagged, its driven totals never shown better."""

from __future__ import annotations

import html

import re

import numpy as np
import pytest

from twin.app.cards import CARDS_CSS, RELATIVE_KPIS, STRANDED_KPIS, judge, kpi_cards_html, stranded
from twin.app.report import comparison_html
from twin.app.variants import Variant, outcome_rows
from twin.outcome import KPI, Outcome
from twin.scenarios import SCENARIOS


def _delta(cards: str, kpi: str) -> str:
    """"class|text" of one card's change line ("" when the card has none)."""
    card = next((c for c in cards.split("<div class='kpi-card' ")[1:] if c.startswith(f"data-kpi='{kpi}'")), None)
    assert card is not None, f"no card for {kpi}"
    m = re.search(r"<div class='kpi-delta ?([a-z]*)'>([^<]*)</div>", card)
    return f"{m.group(1)}|{m.group(2)}" if m else ""


def _rows(kpis, base, variant, name="plan", scenario="demo"):
    return outcome_rows(Outcome.from_values(scenario, kpis, {"baseline": base, name: variant}))


def test_colours_follow_the_kpis_direction_not_the_sign():
    kpis = [KPI("cost_eur", "€", "financial", "cost"),  # lower is better
            KPI("sensitive_lit_share_pct", "%", "human", "lit", higher_is_better=True),
            KPI("energy_kwh", "kWh", "environmental", "energy")]
    rows = _rows(kpis, {"cost_eur": 100.0, "sensitive_lit_share_pct": 100.0, "energy_kwh": 10.0},
                 {"cost_eur": 60.0, "sensitive_lit_share_pct": 80.0, "energy_kwh": 12.0})
    cards = kpi_cards_html(rows, "fr")
    assert _delta(cards, "cost_eur").startswith("better|-40")  # fell, lower is better: green
    assert _delta(cards, "sensitive_lit_share_pct").startswith("worse|-20")  # fell, higher is better: red
    assert _delta(cards, "energy_kwh").startswith("worse|+2")  # rose, lower is better: red
    assert "class='kpi-delta better'" in cards and ".kpi-delta.better{color:#1a7f37}" in CARDS_CSS
    report = comparison_html([Variant("plan", "lighting", "redon", {}, rows)], "fr")
    assert re.search(r"<span class='better'>-40", report) and re.search(r"<span class='worse'>-20", report)


def test_a_short_payback_is_green_and_one_that_never_comes_is_not():
    kpis = [KPI("payback_years", "years", "financial", "capital ÷ saving"),
            KPI("investment_eur", "€", "financial", "spent")]
    short = _rows(kpis, {"payback_years": 0.0, "investment_eur": 0.0}, {"payback_years": 0.132,
                                                                        "investment_eur": 2100.0})
    pay = next(r for r in short if r["kpi"] == "payback_years" and r["variant"] == "plan")
    assert pay["better"] is False  # the outcome's own verdict against the baseline's 0: what showed red
    assert "payback_years" in RELATIVE_KPIS and judge(pay) == "better"
    cards = kpi_cards_html(short, "fr")
    assert _delta(cards, "payback_years") == "better|se rembourse"
    assert _delta(cards, "investment_eur").startswith("worse|+2")  # money spent stays a cost
    assert "<span class='better'>se rembourse</span>" in comparison_html(
        [Variant("plan", "lighting", "redon", {}, short)], "fr")
    never = _rows(kpis, {"payback_years": 0.0, "investment_eur": 0.0}, {"payback_years": float("inf"),
                                                                        "investment_eur": 2100.0})
    cards = kpi_cards_html(never, "fr")
    assert "data-kpi-value='payback_years'>jamais<" in cards and _delta(cards, "payback_years") == ""
    assert judge(next(r for r in never if r["kpi"] == "payback_years" and r["variant"] == "plan")) == "worse"
    nothing = _rows(kpis, {"payback_years": 0.0, "investment_eur": 0.0}, {"payback_years": 0.0,
                                                                          "investment_eur": 0.0})
    assert all(judge(r) == "" for r in nothing)  # nothing invested: no verdict


def _strand_rows(stranded_peak: float):
    """Roadworks-like rows: the works cut vehicle-hours by 17 % while ``stranded_peak`` veh/h lose their route."""
    from twin.scenarios.roadworks import KPIS

    base = {k.name: 100.0 for k in KPIS} | {"trips_without_route_peak": 0.0, "trips_without_route_window": 0.0}
    works = {k.name: 83.0 for k in KPIS} | {"trips_without_route_peak": stranded_peak,
                                             "trips_without_route_window": 12 * stranded_peak}
    return _rows(KPIS, base, works, name="works", scenario="roadworks")


def test_a_closure_that_strands_trips_is_flagged_and_its_fall_is_not_green():
    rows = _strand_rows(1508.0)
    flagged = stranded(rows, "works")
    assert set(flagged) == {"trips_without_route_peak", "trips_without_route_window"}
    cards = kpi_cards_html(rows, "fr")
    flag = re.findall(r"<div class='alert alert-warning stranded-flag' data-flag='([a-z_]+)' role='note'>([^<]*)<",
                      cards)
    assert [f for f, _ in flag] == ["trips_without_route_peak", "trips_without_route_window"]
    assert flag[0][1].startswith("Attention — trajets sans itinéraire (heure de pointe) : 1\u202f508")
    assert "Temps total au volant (heure de pointe), temps jusqu&#x27;à la mairie" in flag[0][1]
    assert "Temps total au volant (sur la plage horaire), kilomètres parcourus (sur la plage horaire), CO2 émis (sur la plage horaire)" in flag[1][1]
    assert "n&#x27;est pas une amélioration" in flag[1][1]
    vh = _delta(cards, "vehicle_hours_window")
    assert vh.startswith("|-17") and "sans les trajets sans itinéraire (sur la plage horaire)" in vh  # no colour, said why
    assert _delta(cards, "trips_without_route_peak").startswith("worse|+1")
    # the same fall with no trip stranded is an improvement, shown green, and nothing is flagged
    calm = _strand_rows(0.0)
    cards = kpi_cards_html(calm, "fr")
    assert "stranded-flag" not in cards and _delta(cards, "vehicle_hours_window").startswith("better|-17")
    report = comparison_html([Variant("works", "roadworks", "redon", {}, rows)], "fr")
    assert "stranded-flag" in report and "<span class='better'>-17" not in report


def test_each_familys_stranded_kpis_are_its_own_kpis():
    for family, cls in SCENARIOS.items():
        declared = getattr(cls, "stranded_kpis", {})
        if not declared:
            continue
        mod = __import__(cls.__module__, fromlist=["KPIS"])
        names = {k.name for k in mod.KPIS}
        for kpi, omitted in declared.items():
            assert kpi in names and set(omitted) <= names, (family, kpi, omitted)
            assert STRANDED_KPIS[kpi] == tuple(omitted)
    assert {"trips_without_route_peak", "trips_without_route_window", "buildings_without_route"} <= set(STRANDED_KPIS)


@pytest.fixture(scope="module")
def redon():
    from twin.seeds import load_default

    return load_default()


def test_real_closures_of_the_quay_are_flagged(redon):
    from twin.scenarios import Roadworks, StreetClosure

    works = Roadworks(streets=["Quai Saint-Jacques"], residents_access=False).run(redon)  # shut to all
    cards = kpi_cards_html(outcome_rows(works), "fr")
    assert "data-flag='trips_without_route_window'" in cards
    assert "data-kpi-value='trips_without_route_window'" in cards
    # « route barrée sauf riverains » (the default): the homes behind the quay still drive out, nobody stranded,
    # and the works cost time (closed to all, their trips dropped read as « -189 € » in a workshop)
    residents = Roadworks(streets=["Quai Saint-Jacques"]).run(redon)
    assert residents.value("trips_without_route_window", "works") == 0
    assert "stranded-flag" not in kpi_cards_html(outcome_rows(residents), "fr")
    assert residents.value("vehicle_hours_window", "works") > residents.value("vehicle_hours_window")
    assert residents.data.attrs["buildings_behind_works"] > 0 and residents.data.attrs["buildings_cut_off"] == 0
    # « Comparer » says the homes the works shut in, not only the folded run details
    from twin.app.report import comparison_html
    from twin.app.variants import Variant

    def saved(name, out):
        return Variant(name, "roadworks", "redon", {}, outcome_rows(out), attrs=dict(out.data.attrs))

    page = comparison_html([saved("à tous", works), saved("sauf riverains", residents)], "fr")
    cut = int(works.data.attrs["buildings_cut_off"])
    assert cut > 0 and page.count("cut-off-note") == 1
    assert f"<b>à tous</b>\u00a0: {cut}\u00a0bâtiments ne sont desservis que par les rues fermées à tous" in page
    closed = StreetClosure(streets=["Quai Saint-Jacques"]).run(redon)
    rows = outcome_rows(closed)
    vkm = next(r for r in rows if r["kpi"] == "round_trip_vehicle_km" and r["variant"] == "closed")
    # fewer km only because 64 buildings lost their route: no verdict, from the outcome itself (CLI and app alike)
    assert vkm["change"] < 0 and vkm["better"] is None
    assert vkm["no_verdict"] == "leaves out buildings_without_route, which grew"
    cards = kpi_cards_html(rows, "fr")
    assert "data-flag='buildings_without_route'" in cards
    assert _delta(cards, "round_trip_vehicle_km").startswith("|")  # not green
    # a narrowed street strands nobody: no flag
    half = Roadworks(streets=["Avenue Jean Burel"], capacity_factor=0.5).run(redon)
    assert "stranded-flag" not in kpi_cards_html(outcome_rows(half), "fr")


def test_works_whose_detours_are_shorter_but_slower_say_so_beside_the_cards(seed_territory):
    """Grande Rue down to a tenth of its capacity: nobody stranded, 0,17 % fewer km but 0,85 % more time at
    the wheel (drivers leave a longer, faster route). « -0,17 % CO2 » in green read as the works cutting
    emissions: the cards say why the km fall and that the CO2, counted per km, is no proven gain."""
    from twin.app.cards import shorter_but_slower_html, workshop_card_html
    from twin.app.meeting_pack import _main_changes
    from twin.app.variants import Variant
    from twin.scenarios import Roadworks

    works = Roadworks(streets=["Grande Rue"], capacity_factor=0.1).run(seed_territory)
    rows = outcome_rows(works)
    km = next(r for r in rows if r["kpi"] == "vehicle_km_window" and r["variant"] != works.baseline)
    hours = next(r for r in rows if r["kpi"] == "vehicle_hours_window" and r["variant"] != works.baseline)
    assert km["change"] < 0 < hours["change"]  # the model's own numbers, not the note's condition
    variant = km["variant"]
    note = html.unescape(shorter_but_slower_html(rows, variant, "fr"))
    assert note.count("class='shorter-but-slower'") == 1
    assert f"Moins de kilomètres ({km['change_pct']:+.2f}\u00a0%".replace(".", ",") in note
    assert "sa baisse n'est pas une amélioration démontrée" in note
    # every place that shows the variant says it: the run's cards, the workshop wall, the meeting pack
    assert html.unescape(kpi_cards_html(rows, "fr")).count("class='shorter-but-slower'") == 1
    assert "sa baisse n'est pas une amélioration démontrée" in html.unescape(
        workshop_card_html("Grande Rue rétrécie", "roadworks", rows, "fr"))
    saved = Variant("Grande Rue rétrécie", "roadworks", "redon", {"streets": ["Grande Rue"]}, rows)
    assert "sa baisse n'est pas une amélioration démontrée" in html.unescape(_main_changes(saved, "fr"))
    # a narrowed street whose detours are longer: no such note
    for r in rows:
        if r["kpi"] == "vehicle_km_window":
            r["change"] = abs(r["change"])
    assert shorter_but_slower_html(rows, variant, "fr") == ""
    assert "shorter-but-slower" not in _main_changes(saved, "fr")


# --- issue 17: results that mislead or hide ---------------------------------------------------------

def test_a_change_of_a_percentage_is_in_points_without_a_percent_of_a_percent():
    """A probability of crossing the orange level going from 2 % to 43 % is « +41 pts », not « +41 % »
    (read as a relative rise) and not followed by « (+2 050 %) »."""
    kpis = [KPI("p_orange_pct", "%", "human", "probability"), KPI("peak_stage_m", "m", "human", "peak")]
    rows = _rows(kpis, {"p_orange_pct": 2.0, "peak_stage_m": 4.0}, {"p_orange_pct": 43.0, "peak_stage_m": 5.0},
                 scenario="flood")
    fr, en = kpi_cards_html(rows, "fr"), kpi_cards_html(rows, "en")
    assert _delta(fr, "p_orange_pct") == "worse|+41\u00a0pts vs situation actuelle"
    assert _delta(en, "p_orange_pct") == "worse|+41\u00a0pts vs baseline"
    assert _delta(fr, "peak_stage_m") == "worse|+1\u00a0m (+25\u00a0%) vs situation actuelle"  # not a percentage
    # points to one decimal, as the comparison writes them (the card said « -2,81 pts », the comparison « -2,8 »)
    from twin.app.verdicts import change_text

    tenths = _rows(kpis, {"p_orange_pct": 45.0, "peak_stage_m": 4.0}, {"p_orange_pct": 47.813, "peak_stage_m": 4.0},
                   scenario="flood")
    assert _delta(kpi_cards_html(tenths, "fr"), "p_orange_pct") == "worse|+2,8\u00a0pts vs situation actuelle"
    assert change_text(47.813 - 45.0, "%", "fr") == "+2,8\u00a0pts"
    from twin.app.i18n import fmt_points

    assert fmt_points(0.004, "fr") == "+0,004\u00a0pts" and fmt_points(0.05, "fr") == "+0,05\u00a0pts"  # never « +0 »
    # a forecast's baseline is the river without further rain: its cards say so
    for r in rows:
        r["baseline_meaning"] = "no further rain"
    fr, en = kpi_cards_html(rows, "fr"), kpi_cards_html(rows, "en")
    assert _delta(fr, "p_orange_pct") == "worse|+41\u00a0pts vs sans pluie à venir"
    assert _delta(en, "peak_stage_m") == "worse|+1\u00a0m (+25\u00a0%) vs no further rain"
    # an ensemble's no-rain members keep the model's error (« aucune pluie » alone is one run without it): said
    for r in rows:
        r["members_are"] = "futures"
    assert _delta(kpi_cards_html(rows, "fr"), "p_orange_pct") == \
        "worse|+41\u00a0pts vs sans pluie à venir (avec la même incertitude du modèle)"


def test_cards_without_a_value_are_left_out_and_one_plain_note_says_why():
    """The flood detours on a town whose map has neither fire station nor hospital: six access KPIs are
    NaN (not computed). No card « — »: one French note, without OpenStreetMap's tags."""
    from twin.scenarios.flood_detours import KPIS

    base = {k.name: 1.0 for k in KPIS} | {k.name: float("nan") for k in KPIS
                                           if k.name.startswith(("fire_", "hospital_"))}
    rows = _rows(KPIS, base, dict(base, segments_closed=12.0), name="flooded streets closed",
                 scenario="flood-detours")
    cards = kpi_cards_html(rows, "fr")
    values = re.findall(r"data-kpi-value='([a-z_]+)'>([^<]*)<", cards)
    assert values and not any(k.startswith(("fire_", "hospital_")) for k, _ in values)
    assert all(v != "—" for _, v in values)
    notes = re.findall(r"<div class='alert alert-info cards-note' role='note' data-hidden='([^']*)'>([^<]*)</div>",
                       cards)
    assert len(notes) == 1
    assert set(notes[0][0].split()) == {k.name for k in KPIS if k.name.startswith(("fire_", "hospital_"))}
    assert notes[0][1].startswith("Temps d&#x27;accès des pompiers et de l&#x27;hôpital non calculés : la carte")
    assert "amenity" not in cards and "OSM" not in cards and "NaN" not in cards
    assert "Fire-station and hospital access times not computed" in kpi_cards_html(rows, "en")
    # one service missing: its own sentence; a KPI no reason explains is named, never dropped silently
    only_fire = [dict(r, value=1.0) if r["kpi"].startswith("hospital_") else r for r in rows]
    only_fire = [dict(r, value=float("nan")) if r["kpi"] == "vehicle_km_window" else r for r in only_fire]
    note = re.search(r"cards-note[^>]*>([^<]*)<", kpi_cards_html(only_fire, "fr")).group(1)
    assert note.startswith("Temps d&#x27;accès des pompiers non calculés") and "hôpital" not in note
    assert note.endswith("Sans valeur dans ce calcul, donc non affichés : kilomètres parcourus (sur la plage horaire).")
    assert "cards-note" not in kpi_cards_html(_strand_rows(0.0), "fr")  # every card has a value: no note


def test_the_all_led_variant_is_shown_beside_the_schedule(redon):
    """The lighting form ticks « Ajouter une variante tout LED » by default: its run computes it, and the
    cards show it (a table under the schedule's cards), each variant named in French."""
    from twin.scenarios import SCENARIOS

    outcome = SCENARIOS["lighting"]().run(redon)
    assert [str(v) for v in outcome.data["variant"].values] == ["baseline", "schedule", "led_retrofit"]
    rows = outcome_rows(outcome)
    cards = kpi_cards_html(rows, "fr")
    assert "<h3 class='variant-heading'>Variante : nouveaux horaires d&#x27;éclairage</h3>" in cards
    table = re.search(r"<div class='other-variant' data-variant='led_retrofit'>(.*?)</table></div>", cards).group(1)
    assert "Variante calculée en plus : tout LED (chaque lampe non LED remplacée, horaires d&#x27;aujourd&#x27;hui)" \
        in table
    cells = dict(re.findall(r"<tr data-other-kpi='([a-z0-9_]+)'><td>[^<]*</td><td class='num'>([^<]*)</td>", table))
    assert set(cells) == {r["kpi"] for r in rows if r["variant"] == "led_retrofit"}
    from twin.app.i18n import fmt_quantity, unit_label
    for kpi in ("energy_kwh", "investment_eur", "payback_years"):
        r = next(x for x in rows if x["variant"] == "led_retrofit" and x["kpi"] == kpi)
        assert cells[kpi] == fmt_quantity(r["value"], unit_label(r["unit"], "fr"), "fr")
    assert re.search(r"data-other-kpi='energy_kwh'>.*?<td class='num kpi-delta better'>-", table)
    # the cards themselves are the schedule's, once each (a page's selectors find one value per KPI)
    schedule = {r["kpi"]: r for r in rows if r["variant"] == "schedule"}
    for kpi, r in schedule.items():
        assert cards.count(f"data-kpi-value='{kpi}'") == 1
    assert "Variant also computed: all LED" in kpi_cards_html(rows, "en")
    # a workshop card shows the one variant it names
    assert "other-variant" not in kpi_cards_html(rows, "fr", variant="schedule")
    # without the tick, one variant and no heading
    alone = kpi_cards_html(outcome_rows(SCENARIOS["lighting"](led_retrofit=False).run(redon)), "fr")
    assert "other-variant" not in alone and "variant-heading" not in alone


def test_the_real_app_shows_the_all_led_variant_after_a_lighting_run(tmp_path, monkeypatch):
    """In-process, the real page (TwinApp) runs its lighting defaults (a worker thread) and its cards area
    holds the « tout LED » table with the outcome's figures."""
    import asyncio

    from twin.app.main import TwinApp
    from twin.app.server import workers
    from twin.app.variants import VariantStore

    monkeypatch.setattr(workers, "WORKERS", 0)
    monkeypatch.setattr(workers, "_EXECUTORS", {})
    monkeypatch.setattr(workers, "_RESULTS", workers.OrderedDict())
    app = TwinApp("redon", "fr", store=VariantStore(tmp_path / "variants"))
    app.family.value = "lighting"
    assert app.scenario.led_retrofit is True  # ticked by default
    asyncio.run(app.run())
    text = app.kpis.text
    assert "data-variant='led_retrofit'" in text and "Variante calculée en plus : tout LED" in text
    led = next(r for r in app.outcome_rows if r["variant"] == "led_retrofit" and r["kpi"] == "investment_eur")
    from twin.app.i18n import fmt_quantity
    assert f"<tr data-other-kpi='investment_eur'><td>investissement</td><td class='num'>" \
           f"{fmt_quantity(led['value'], '€', 'fr')}</td>" in text


def test_an_ensemble_s_card_shows_its_members_band_but_not_for_a_probability():
    """A flood's buildings flooded showed as a single number despite 100 rain draws; the buildings and
    people to alert (a 90th percentile of the draws) have no members' band of their own: they showed the
    flooded buildings' band as theirs."""
    from twin.app.cards import member_band

    row = {"kpi": "buildings_flooded", "unit": "buildings", "value": 270.0, "members": [float(x) for x in range(100)]}
    assert member_band(row) == (4.0, 94.0)  # the members' own values: whole people
    # said in words with its unit on the card (« bande 5–95 % : 4 – 94 » read as jargon, a unit short)
    import html as html_module

    from twin.app.cards import _card

    card = html_module.unescape(_card({**row, "variant": "v", "baseline_name": "baseline", "impact": "human"}, {}, "fr"))
    assert "entre 4 et 94\u00a0bâtiments dans 9 tirages sur 10" in card, card
    assert member_band({**row, "members": [1.0, 2.0]}) == (None, None)  # too few draws to say
    assert member_band({**row, "unit": "%", "members": [0.0, 100.0] * 10}) == (None, None)
    assert member_band({**row, "low": 1.0, "high": 2.0}) == (1.0, 2.0)  # the model's own band first
    # members without a value (a peak beyond the horizon): the others' band would mislead
    assert member_band({**row, "members": [*row["members"][:50], *[float("nan")] * 50]}) == (None, None)
    assert member_band({**row, "kpi": "peak_stage_p95_m"}) == (None, None)  # a quantile of the members
    assert member_band({**row, "kpi": "people_to_alert"}) == (None, None)  # saved before rows said ``statistic``
    assert member_band({**row, "kpi": "some_count", "statistic": True}) == (None, None)


def test_a_payback_of_nothing_invested_is_said_in_words():
    """« temps de retour 0 an » beside « investissement 0 € » read as an instant payback: nothing was
    invested, so there is nothing to pay back."""
    from twin.app.cards import value_text

    row = {"kpi": "payback_years", "unit": "years", "value": 0.0}
    assert value_text(row, "fr") == "sans investissement" and value_text(row, "en") == "nothing invested"
    assert value_text({**row, "value": 2.5}, "fr") == "2,5\u00a0ans"
    assert value_text({**row, "value": float("inf")}, "fr") == "jamais"
    assert value_text({"kpi": "cost_eur", "unit": "€/yr", "value": 0.0}, "fr").startswith("0")


def test_a_flood_level_already_read_is_said_in_words():
    """« délai avant jaune 0 h » read as « in a moment »: the gauge already reads above yellow."""
    from twin.app.cards import value_text

    row = {"kpi": "lead_time_yellow_h", "unit": "h", "value": 0.0}
    assert value_text(row, "fr") == "déjà atteint" and value_text(row, "en") == "already reached"
    assert value_text({**row, "value": 3.0}, "fr") == "3\u00a0h"
    assert value_text({**row, "value": float("nan")}, "fr") == "—"


def test_a_time_before_a_level_few_draws_reach_says_how_few():
    """« délai avant rouge 52 h » beside « probabilité 3 % » read as red forecast in 52 h: the time is over
    the draws that reach the level, and the card says how many do."""
    from twin.app.cards import kpi_cards_html

    def row(kpi, value, unit):
        return {"variant": "pluie", "baseline_name": "baseline", "kpi": kpi, "value": value, "unit": unit,
                "impact": "human", "baseline": float("nan"), "change": float("nan"), "better": None}

    rows = [row("p_red_pct", 3.0, "%"), row("lead_time_red_h", 52.0, "h"), row("p_yellow_pct", 100.0, "%"),
            row("lead_time_yellow_h", 4.0, "h"), row("p_orange_pct", 40.0, "%"), row("lead_time_orange_h", 0.0, "h")]
    cards = kpi_cards_html(rows, "fr")
    red = cards.split("data-kpi='lead_time_red_h'")[1].split("data-kpi='")[0]
    assert "s&#x27;il est atteint : 3 % des tirages l&#x27;atteignent" in red
    yellow = cards.split("data-kpi='lead_time_yellow_h'")[1].split("data-kpi='")[0]
    assert "kpi-note" not in yellow  # every draw reaches it
    orange = cards.split("data-kpi='lead_time_orange_h'")[1].split("data-kpi='")[0]
    assert "déjà atteint" in orange and "kpi-note" not in orange  # already there: no condition
    assert "if reached: 3 % of the draws reach it" in kpi_cards_html(rows, "en")


def test_a_lead_time_over_other_draws_is_not_coloured_nor_ranked():
    """« +0,5 h » of time before red, over 60 % of the draws against 20 %, was read as a gain: the card,
    the report's cell and the comparison between variants say the medians are over other draws."""
    from twin.app.cards import kpi_cards_html
    from twin.app.report import _cell
    from twin.app.variants import outcome_rows
    from twin.app.verdicts import between
    from twin.outcome import KPI, Outcome

    kpis = [KPI("p_red_pct", "%", "human", "share", statistic=True),
            KPI("lead_time_red_h", "h", "human", "lead", higher_is_better=True, ratio_scale=False,
                over_share="p_red_pct")]
    out = Outcome.from_values("flood", kpis, {"baseline": {"p_red_pct": 20.0, "lead_time_red_h": 6.0},
                                              "pluie": {"p_red_pct": 60.0, "lead_time_red_h": 6.5},
                                              "averse": {"p_red_pct": 20.0, "lead_time_red_h": 5.0}})
    rows = outcome_rows(out)
    card = kpi_cards_html(rows, "fr", variant="pluie").split("data-kpi='lead_time_red_h'")[1]
    import html

    assert "médianes sur des tirages différents (60 % contre 20 % sans pluie à venir) : pas d'écart comparable" \
        in html.unescape(card)
    assert "+0,5" not in card.split("data-kpi='")[0]  # no change written beside « pas comparable »
    assert "better" not in card.split("data-kpi='")[0]
    lead = next(r for r in rows if r["variant"] == "pluie" and r["kpi"] == "lead_time_red_h")
    cell = _cell({**lead, "baseline_name": "baseline"}, "fr")
    assert "pas comparable" in cell and "class='better'" not in cell and "+0,5" not in cell
    # nor does the meeting pack's summary of the main changes (« délai avant rouge +0,5 h* » was written there)
    from twin.app.meeting_pack import _main_changes
    from twin.app.variants import Variant

    summary = _main_changes(Variant("pluie", "flood", "redon", {}, [r for r in rows if r["variant"] in
                                                                    ("baseline", "pluie")]), "fr")
    assert "délai" not in summary and "+0,5" not in summary, summary
    # between two variants, the lead times over 60 % and 20 % of the draws are not ranked: the probability is
    mine = {v: [r for r in rows if r["variant"] == v] for v in ("pluie", "averse")}
    line = between("human", [(v, mine[v], None, None) for v in mine], "fr")
    assert "délai" not in line and "probabilité" in line.lower()


def test_the_a_priori_note_promises_a_range_only_when_the_cards_show_one():
    """Lighting and roadworks on priors said « leur fourchette (5 à 95 %) dit l'incertitude » above cards that
    show none."""
    from twin.app.cards import shows_band
    from twin.app.i18n import prior_note

    attrs = {"scenario": "lighting", "priors": "lamps generated"}
    assert "leur fourchette (5 à 95 %)" in prior_note(attrs, "fr", banded=True)
    plain = prior_note(attrs, "fr", banded=False)
    assert "fourchette" not in plain and "ne chiffre pas leur incertitude" in plain
    assert "does not put a figure on their uncertainty" in prior_note(attrs, "en", banded=False)
    assert shows_band({"kpi": "x", "low": 1.0, "high": 2.0}) and not shows_band({"kpi": "x", "low": 1.0, "high": 1.0})
    assert not shows_band({"kpi": "x"})


def test_a_payback_under_a_year_is_in_months():
    """« 0,12 an » read as nothing (an elected official asked what it meant): « 1,44 mois »."""
    from twin.app.i18n import fmt_quantity

    assert fmt_quantity(0.12, "ans") == "1,44\u00a0mois"
    assert fmt_quantity(0.5, "years", "en") == "6\u00a0months" and fmt_quantity(1 / 12, "years", "en") == "1\u00a0month"
    assert fmt_quantity(-0.3, "ans", signed=True) == "-3,6\u00a0mois"
    assert fmt_quantity(1.5, "ans") == "1,5\u00a0an" and fmt_quantity(0.0, "ans") == "0\u00a0an"
    assert fmt_quantity(float("inf"), "ans") == "jamais"


def test_a_time_under_a_minute_is_in_seconds():
    """« +0,84 min » to the town hall was read as 84 seconds: « +50 s »; a minute and more stays in minutes."""
    from twin.app.i18n import fmt_quantity

    assert fmt_quantity(0.84, "min", signed=True) == "+50\u00a0s"
    assert fmt_quantity(-0.5, "min", "en", signed=True) == "-30\u00a0s"
    assert fmt_quantity(1.5, "min") == "1,5\u00a0min" and fmt_quantity(0.0, "min") == "0\u00a0min"
    assert fmt_quantity(0.0042, "min", signed=True) == "+0,25\u00a0s"  # not « 0 s » beside « +0,21 % »
    assert fmt_quantity(0.999, "min", signed=True) == "+1\u00a0min" and fmt_quantity(-0.999, "min") == "-1\u00a0min"
    assert fmt_quantity(1e-9, "min", signed=True) == "0\u00a0s" == fmt_quantity(-1e-7, "min", signed=True)
    # no more digits than a drive time holds: « 58 s » beside « +8,64 s », « +0,072 s » read as measured
    assert fmt_quantity(8.64 / 60, "min", signed=True) == "+8,6\u00a0s"
    assert fmt_quantity(0.072 / 60, "min", signed=True) == "+0,07\u00a0s"
    assert fmt_quantity(9.7 / 60, "min") == "10\u00a0s" and fmt_quantity(0.97 / 60, "min") == "1\u00a0s"


def test_the_streets_the_detours_load_most_are_named_beside_the_cards(seed_territory):
    """A planner looked for the streets that gain traffic: they were in the model's English notes only
    (« Pont des Douves: +385 veh/h; way 177353244: … »). Named here, largest gain first, the works' own
    streets left out, an unnamed one by its OSM way."""
    from types import SimpleNamespace

    from twin.app.builder_run import detour_streets_part
    from twin.scenarios import Roadworks

    works = Roadworks(streets=["Grande Rue"], capacity_factor=0.1).run(seed_territory)
    streets = works.table("streets")
    note = html.unescape(detour_streets_part(SimpleNamespace(lang="fr"), [], works, ""))
    assert note.startswith("<div class='detour-streets'") and "Rues qui gagnent le plus de trafic à la pointe : " in note
    listed = re.findall(r"(?:: |, )([^,(]+?) \(\+([\d\u202f,]+) véhicules/h\)", note)
    assert 1 <= len(listed) <= 5
    gains = [float(g.replace("\u202f", "").replace(",", ".")) for _, g in listed]
    assert gains == sorted(gains, reverse=True)
    outside = streets[~streets["under_works"]]
    assert abs(gains[0] - outside["change"].max()) < 0.5 + 0.01 * abs(gains[0])  # the largest gain, rounded
    assert "Grande Rue" not in [name for name, _ in listed]  # the works' street is not a detour
    assert "way " not in note
    assert detour_streets_part(SimpleNamespace(lang="fr"), [], None, "") == ""
    # an unnamed way by the named streets it meets (« rue sans nom (voie OSM 177353244) » named nothing a person knew)
    on_map = html.unescape(detour_streets_part(SimpleNamespace(lang="fr", territory=seed_territory), [], works, ""))
    assert "rue sans nom entre Pont des Douves, Quai de Brest et Rue des Douves (voie OSM 177353244)" in on_map
    # a signed detour says what it carries (nothing told whether signing it worked)
    signed = Roadworks(streets=["Grande Rue"], detour=["Rue Notre-Dame"]).run(seed_territory)
    gain = float(signed.data.attrs["detour_gain_veh_h"])
    from twin.app.i18n import fmt_number
    assert gain > 0 and f"Déviation fléchée (Rue Notre-Dame) : +{fmt_number(gain, 'fr')} véhicules/h" in \
        html.unescape(detour_streets_part(SimpleNamespace(lang="fr"), [], signed, ""))
    assert signed.data.attrs["works_segments"] >= 1 and signed.data.attrs["works_street_m"] > 0
    # the window's totals are a typical weekday's: said once (three weeks of works were multiplied untold)
    from twin.app.builder_run import one_day_part
    from twin.app.variants import outcome_rows

    day = html.unescape(one_day_part(SimpleNamespace(lang="fr"), outcome_rows(signed), signed, ""))
    assert "sont ceux d'un jour de semaine type, de 07:00 à 19:00 : pour des travaux de plusieurs jours" in day
    assert one_day_part(SimpleNamespace(lang="fr"), [], None, "") == ""


def test_roadworks_cards_say_how_much_street_the_works_hold(seed_territory):
    """A planner closed « Grande Rue » and read +0,87 % as the whole street's effect: the drivable part closed is
    37 m (the rest is pedestrian in OSM), which only the CLI and a folded detail said. The cards now say it,
    with the direction and the capacity, a way id by its OSM name."""
    import html
    from types import SimpleNamespace

    from twin.app.builder_run import works_extent_part
    from twin.app.i18n import fmt_number
    from twin.scenarios import Roadworks

    page = SimpleNamespace(lang="fr")
    closed = Roadworks(streets=["Grande Rue"], day_method="peak+off-peak").run(seed_territory)
    metres = round(float(closed.data.attrs["works_street_m"]))
    note = html.unescape(works_extent_part(page, [], closed, ""))
    assert f"Les travaux portent sur {fmt_number(metres, 'fr')}\u00a0m de rue en " in note
    assert "tronçons : Grande Rue ; fermée sauf riverains dans les deux sens" in note
    to_all = Roadworks(streets=["Grande Rue"], day_method="peak+off-peak", residents_access=False).run(seed_territory)
    assert "tronçons : Grande Rue ; fermée à toute circulation dans les deux sens." in \
        html.unescape(works_extent_part(page, [], to_all, ""))
    halved = Roadworks(streets=["177353244"], capacity_factor=0.5, one_direction=True,
                       day_method="peak+off-peak").run(seed_territory)
    note = html.unescape(works_extent_part(page, [], halved, ""))
    assert "voie OSM 177353244 ; capacité réduite à 50\u00a0% dans un seul sens (celui où OpenStreetMap" in note, note
    assert "in one direction only" in works_extent_part(SimpleNamespace(lang="en"), [], halved, "")
    assert works_extent_part(page, [], None, "") == ""
    # streets and a drawn zone: both said (review: the zone's segments counted, only the street named)
    both = Roadworks(streets=["Grande Rue"], day_method="peak+off-peak",
                     polygon="POLYGON((-2.0870 47.6500, -2.0850 47.6500, -2.0850 47.6515, -2.0870 47.6515, "
                             "-2.0870 47.6500))").run(seed_territory)
    assert "tronçons : Grande Rue, les rues de la zone dessinée ; fermée" in \
        html.unescape(works_extent_part(page, [], both, ""))


def test_a_dimming_says_how_many_lamps_cannot_dim(seed_territory):
    """« Abaisser à 30 % » gave -8,5 % of energy and an official took it for a wrong figure: most lamps of the
    park have no dimmable driver and stay at full power. The run counts them and the cards say it; a
    switch-off (no dimming) says nothing of the kind."""
    from types import SimpleNamespace

    from twin.app.builder_run import undimmable_part
    from twin.scenarios import LightingSchedules

    lamps = seed_territory.layers["lamps"]
    dim = LightingSchedules(rules=[{"zone": {"all": True}, "schedule": {"name": "abaissé",
                                                                        "dimming": [["22:00", "06:00", 0.3]]}}]
                            ).run(seed_territory)
    assert int(dim.data.attrs["dimming_lamps"]) == len(lamps)
    assert int(dim.data.attrs["undimmable_lamps"]) == int((~lamps["dimmable"].astype(bool)).sum()) > 0
    note = html.unescape(undimmable_part(SimpleNamespace(lang="fr"), [], dim, ""))
    assert f"{dim.data.attrs['undimmable_lamps']} des {len(lamps)} lampadaires visés ne sont pas gradables" in note
    assert "les remplacer par des LED les rendrait gradables" in note
    # a dimming of the baseline's rules is not the variant's: a switch-off over it counts none
    over = LightingSchedules(baseline_rules=[{"zone": {"all": True}, "schedule": {
        "name": "abaissé", "dimming": [["22:00", "06:00", 0.5]]}}],
        rules=[{"zone": {"all": True}, "schedule": {"name": "éteint", "off_windows": [["23:00", "05:00"]]}}])
    assert over.undimmable(seed_territory) == (0, 0)
    off = LightingSchedules(rules=[{"zone": {"all": True}, "schedule": {"name": "éteint",
                                                                        "off_windows": [["23:00", "05:00"]]}}]
                            ).run(seed_territory)
    assert int(off.data.attrs["undimmable_lamps"]) == 0 and undimmable_part(SimpleNamespace(lang="fr"), [], off, "") == ""


def test_a_rule_typed_the_wrong_way_round_is_said_above_its_results(seed_territory):
    """« Éteindre 08:00–18:00 » ran, and « 10,7 ans — se rembourse » stood in green; the form's hint (« vouliez-vous
    de 18:00 à 08:00 ? ») was small grey text under the rules. The run's cards now say it first."""
    from types import SimpleNamespace

    from twin.app.builder_run import CARD_PARTS, rule_slip_part
    from twin.scenarios import LightingSchedules

    slip = [{"zone": {"all": True}, "schedule": {"name": "éteint", "off_windows": [["08:00", "18:00"]]}}]
    out = LightingSchedules(rules=slip).run(seed_territory)
    page = SimpleNamespace(lang="fr", last_params={"family": "lighting", "rules": slip})
    note = html.unescape(rule_slip_part(page, [], out, ""))
    assert "Ces résultats suivent la règle telle qu'elle est écrite : Éteindre de 8 h à 18 h" in note
    assert "vouliez-vous de 18 h à 8 h ?" in note and CARD_PARTS[0] is rule_slip_part  # above the cards
    daylight = [{"zone": {"all": True}, "schedule": {"name": "éteint", "off_windows": [["10:00", "16:00"]]}}]
    page.last_params["rules"] = daylight
    assert "n'économise rien" in html.unescape(rule_slip_part(page, [], out, ""))
    page.last_params["rules"] = [{"zone": {"all": True}, "schedule": {"name": "éteint", "off_windows": [["23:00", "05:00"]]}}]
    assert rule_slip_part(page, [], out, "") == ""


def test_a_payback_beyond_the_equipment_life_is_not_shown_as_paying_back(seed_territory):
    """27 compacting bins paid back in 39,4 years, a retrofit in 38,5: « se rembourse » in green, while a
    compacting bin is assumed to serve 10 years and a retrofit 30 (twin/data/factors.csv)."""
    from twin.app.cards import judge, kpi_cards_html
    from twin.app.variants import outcome_rows
    from twin.scenarios.heating import HeatingSchedules

    out = HeatingSchedules().run(seed_territory)
    rows = outcome_rows(out)
    pay = {r["variant"]: r for r in rows if r["kpi"] == "payback_years"}
    assert pay["retrofit"]["life_years"] == 30 and pay["retrofit"]["value"] > 30
    assert judge(pay["retrofit"]) == "worse"
    # the BMS pays back on what it adds to the booking schedule it runs: on the seed it burns more, never
    bms = pay["BMS + booking schedule"]
    assert bms["life_years"] == 15 and bms["value"] == float("inf") and judge(bms) == "worse"
    assert "life_years" not in pay["booking schedule"]  # nothing bought: no life, « sans investissement »
    html = kpi_cards_html(rows, "fr")
    assert "ne se rembourse pas avant la fin de vie supposée de l&#x27;équipement (30 ans)" in html
    text = out.to_text()
    assert "(beyond the equipment's assumed 30-year life)" in next(x for x in text.splitlines()
                                                                   if "payback_years" in x and "retrofit" in x)
    # the comparer says it too, from a saved variant
    from twin.app.report import comparison_html
    from twin.app.variants import Variant

    retrofit = [r for r in rows if r["variant"] in ("baseline", "retrofit")]
    page = comparison_html([Variant("Rénovation", "heating", "redon", {}, retrofit)], "fr")
    assert "ne se rembourse pas avant la fin de vie supposée de l&#x27;équipement (30 ans)" in page
    # the BMS's « jamais » stood beside « -152 026 €/an » with no word of what it is measured against
    assert bms["payback_over"] == "booking schedule" and "payback_over" not in pay["retrofit"]
    said = "mesuré par rapport à « horaires selon les réservations » seul, pas à la situation actuelle"
    cards = kpi_cards_html(rows, "fr", variant="BMS + booking schedule")
    assert said.replace("'", "&#x27;") in cards or said in cards
    # and in the table of the variants computed beside the proposal, where an energy manager saw it alone
    from twin.app.cards import other_variant_html

    beside = other_variant_html(rows, "BMS + booking schedule", "fr")
    row = beside.split("data-other-kpi='payback_years'")[1].split("</tr>")[0]
    assert "jamais" in row and (said in row or said.replace("'", "&#x27;") in row), row
    gtb = [r for r in rows if r["variant"] in ("baseline", "BMS + booking schedule")]
    page = comparison_html([Variant("GTB", "heating", "redon", {}, gtb)], "fr")
    assert said in page
    from twin.app.meeting_pack import payback_note

    assert payback_note(bms, rows, "fr") == f"jamais ({said})"
    assert payback_note(pay["retrofit"], rows, "fr").startswith("ne se rembourse pas")
    # a name with « ; » or « = » keeps its life (the note is JSON)
    from twin.economics import life_note, read_life_note

    assert read_life_note(life_note({"a=b; c": 12.0})) == {"a=b; c": 12.0}


def test_a_flood_time_counted_from_the_forecast_also_says_its_local_clock_time():
    """« pic atteint après 54 h » left a flood officer to add 54 h to a UTC issue time and one or two hours
    for Paris: the card says the local clock time too (summer time included), not for a level never reached."""
    from twin.app.cards import clock_time

    winter = {"kpi": "peak_after_h", "value": 54.0, "forecast_time": "2023-01-25 00:00:00"}
    assert clock_time(winter, "fr") == "le 27/01 vers 7 h (heure de Paris)"  # 06:00 UTC, UTC+1
    summer = {"kpi": "lead_time_orange_h", "value": 9.6, "forecast_time": "2023-07-01 00:00:00"}
    assert clock_time(summer, "fr") == "le 01/07 vers 12 h (heure de Paris)"  # 10:00 UTC, UTC+2
    assert clock_time(summer, "en") == "on Jul 01 around 12:00 (Paris time)"
    for row in ({**winter, "value": float("nan")}, {**winter, "value": 0.0}, {**winter, "kpi": "p_red_pct"},
                {k: v for k, v in winter.items() if k != "forecast_time"}):
        assert clock_time(row, "fr") == ""


def test_a_design_event_has_no_clock_time_nor_issue_time():
    """An ungauged design storm's « 2020-01-01 » is a placeholder: its cards said « le 03/01 vers 12 h »."""
    from twin.app.run_details import detail_rows
    from twin.app.variants import _design_event

    attrs = {"forecast_time": "2020-01-01 00:00:00", "forecast_time_from": "none given: a design event"}
    assert _design_event(attrs) and not _design_event({"forecast_time": "2023-01-25"})
    assert "Émise le" not in dict(detail_rows(attrs, "fr")[0])


def test_a_flood_s_peak_card_says_it_is_the_median_of_the_draws_peaks():
    """« hauteur maximale (médiane) 4,45 m » above a median curve peaking near 4,4 m read as a contradiction."""
    from twin.app.cards import card_note

    draws = [4.1, 4.45, 5.2]  # an ensemble's members (one run has none: see the test after the next)
    assert card_note({"kpi": "peak_stage_m", "value": 4.45, "members": draws}, "fr").startswith(
        "médiane des pics des tirages")
    assert card_note({"kpi": "peak_stage_p95_m", "value": 5.15, "members": draws}, "fr") == \
        "95 % des tirages culminent plus bas"
    assert card_note({"kpi": "cost_eur", "value": 1.0}, "fr") == ""
    assert card_note({"kpi": "peak_stage_m", "value": float("nan")}, "fr") == ""


def test_a_heating_run_on_synthetic_meters_says_so_with_its_figures(redon):
    """The lighting's figures carried an « A PRIORI » note; the heating's, calibrated on the demonstration
    territory's 20 generated gas meters, none."""
    from types import SimpleNamespace

    from twin.app.builder_run import kpi_cards_part
    from twin.app.i18n import synthetic_meters_note
    from twin.app.variants import Variant, outcome_rows
    from twin.scenarios.heating import HeatingSchedules

    out = HeatingSchedules().run(redon)
    k, _, n = out.data.attrs["synthetic_meters"].partition(" of ")
    assert int(k) == int(n) == int(out.data.attrs["buildings"]) > 0  # every seed meter is generated
    note = synthetic_meters_note(out.data.attrs, "fr")
    assert note.startswith(f"Calé sur des compteurs SYNTHÉTIQUES : {k} des {n} compteurs de gaz sont générés")
    rows = outcome_rows(out)
    page = kpi_cards_part(SimpleNamespace(lang="fr", runs=0), rows, out, "")
    assert note in page.replace("&#x27;", "'")
    from twin.app.report import report_html

    report = report_html([Variant("Chauffage", "heating", "redon", {}, rows, attrs=dict(out.data.attrs))], redon, "fr")
    assert note in report.replace("&#x27;", "'")
    # its provenance closes it in French, no raw key (« source_sha256: … »)
    assert "Empreinte SHA-256 du fichier source :" in report and "source_sha256:" not in report
    assert synthetic_meters_note({"synthetic_meters": ""}, "fr") is None


def test_the_building_ranking_tells_every_building_apart(redon):
    """13 of the 20 ranked buildings read « osm:way/122536574 » alone: unnamed buildings are said by their
    use and size, and every row has its use and address columns."""
    from twin.app.building_ranking import building_ranking
    from twin.scenarios.heating import HeatingSchedules

    table = building_ranking(HeatingSchedules().run(redon), lang="fr")
    names = table["Bâtiment"]
    assert {"Usage", "Adresse", "Identifiant"} <= set(table.columns) and (names.str.strip() != "").all()
    unnamed = names[names.str.endswith("(sans nom dans OpenStreetMap)")]
    assert len(unnamed) > 0 and unnamed.str.contains("m² au sol").all()
    assert names.nunique() == len(names)  # no two rows read the same
    assert "Église Saint-Sauveur" in set(names)


def test_a_bins_payback_says_it_is_counted_beyond_the_same_collection():
    """27 compacting bins on fixed rounds: « -4 081 €/an » and « temps de retour jamais » with no word why
    (the payback counts what the bins save beyond the same collection without them)."""
    from twin.app.cards import kpi_cards_html
    from twin.app.variants import outcome_rows
    from twin.scenarios.bins import POLICY_ALONE
    from twin.outcome import Outcome
    from twin.scenarios.bins import KPIS

    zeros = {k.name: 0.0 for k in KPIS}
    values = {"baseline": {**zeros, "operating_cost_eur_per_year": 50_000.0},
              "27 compacteurs": {**zeros, "operating_cost_eur_per_year": 45_919.0, "capital_cost_eur": 160_650.0,
                                 "payback_years": float("inf")}}
    out = Outcome.from_values("bins", KPIS, values, payback_over=POLICY_ALONE)
    pay = next(r for r in outcome_rows(out) if r["kpi"] == "payback_years" and r["variant"] == "27 compacteurs")
    assert pay["payback_over"] == POLICY_ALONE
    cards = kpi_cards_html(outcome_rows(out), "fr", variant="27 compacteurs").replace("&#x27;", "'")
    assert "mesuré par rapport à la même collecte sans les corbeilles compactantes ni les corbeilles ajoutées" in cards
    alone = Outcome.from_values("bins", KPIS, values, payback_over="the baseline")
    assert not any(r.get("payback_over") for r in outcome_rows(alone))


def test_a_bins_investment_says_which_sensors_are_already_there():
    """« investissement 0 € » on the predictive policy while the sensor price field said 250 €: the territory's
    27 bins with a fill sensor buy none, and the card says so (it was in a folded detail of the comparer)."""
    from twin.app.cards import kpi_cards_html
    from twin.app.variants import outcome_rows
    from twin.outcome import Outcome
    from twin.scenarios.bins import KPIS

    zeros = {k.name: 0.0 for k in KPIS}
    out = Outcome.from_values("bins", KPIS, {"baseline": zeros, "prédictive": zeros}, sensors_already_fitted="27")
    cards = kpi_cards_html(outcome_rows(out), "fr", variant="prédictive").replace("&#x27;", "'")
    card = cards.split("data-kpi='capital_cost_eur'")[1].split("data-kpi='")[0]
    assert "27 corbeilles ont déjà un capteur de remplissage" in card
    none = Outcome.from_values("bins", KPIS, {"baseline": zeros, "prédictive": zeros}, sensors_already_fitted="0")
    assert "capteur de remplissage" not in kpi_cards_html(outcome_rows(none), "fr", variant="prédictive")


def test_one_run_s_level_is_reached_or_not_not_a_probability():
    """A replay on the rain that fell said « probabilité vigilance rouge 100 % »: one run crosses the level or
    not. An ensemble's share keeps its percentage."""
    from twin.app.cards import value_text

    one = {"kpi": "p_red_pct", "unit": "%", "value": 100.0}
    assert value_text(one, "fr") == "atteint" and value_text({**one, "value": 0.0}, "en") == "not reached"
    assert value_text({**one, "members": [100.0, 0.0, 100.0]}, "fr") == "100\u00a0%"
    assert value_text({**one, "value": 40.0, "members": [0.0, 100.0]}, "fr") == "40\u00a0%"


def test_a_count_of_people_changes_by_the_difference_of_its_figures_shown_as_the_cli_says():
    """A flood's people to alert: the page said « +119 personnes » where the CLI said « 183 → 301 people +118 » (the
    exact change, 118,8, against the two figures shown, 183 and 301). The cards and the comparison now give the
    difference of the figures shown, as the CLI (CONSTRUCTED values); under 10, the decimals stay."""
    kpis = [KPI("people_to_alert", "people", "human", "people"), KPI("buildings_to_alert", "buildings", "human", "b")]
    out = Outcome.from_values("flood", kpis, {"baseline": {"people_to_alert": 182.6, "buildings_to_alert": 4.2},
                                              "forecast": {"people_to_alert": 301.4, "buildings_to_alert": 6.0}})
    cli = out.to_text()
    assert "183 → 301" in cli and "+118 (" in cli
    rows = outcome_rows(out)
    cards = html.unescape(kpi_cards_html(rows, "fr"))
    assert "+118\u00a0personnes" in cards and "+119" not in cards, cards
    assert "+1,8\u00a0bâtiment" in cards  # 4,2 → 6: written with their decimal, the change too
    table = html.unescape(comparison_html([Variant("prévision", "flood", "redon", {}, rows)], "fr"))
    assert "+118\u00a0personnes" in table and "+119" not in table


def test_a_flood_run_without_draws_does_not_speak_of_draws():
    """A replay (the rain that fell), no further rain or a design storm is one run: its card said « 95 % des tirages
    culminent plus bas », false, nothing peaks lower (a GEMAPI technician's walkthrough). CONSTRUCTED rows."""
    from twin.app.cards import card_note

    one = {"kpi": "peak_stage_p95_m", "value": 5.57, "members": []}
    draws = dict(one, members=[4.1, 4.5, 5.2])
    assert card_note(one, "fr") == "un seul calcul, sans tirages : sa hauteur maximale"
    assert card_note(dict(one, kpi="peak_stage_m"), "fr") == card_note(one, "fr")
    assert card_note(draws, "fr") == "95 % des tirages culminent plus bas"
    assert card_note(dict(draws, kpi="peak_stage_m"), "en").startswith("median of the draws' peaks")


def test_a_whole_count_written_the_same_on_both_sides_is_unchanged_not_a_coloured_zero():
    """183,4 people against 183,2 are both written « 183 »: the card said « +0 personnes (+0,1 %) » in colour and
    the comparison's cell likewise (CONSTRUCTED values); both now say nothing changed that the figures show."""
    kpis = [KPI("people_to_alert", "people", "human", "people")]
    out = Outcome.from_values("flood", kpis, {"baseline": {"people_to_alert": 183.2},
                                              "forecast": {"people_to_alert": 183.4}})
    cards = html.unescape(kpi_cards_html(outcome_rows(out), "fr", variant="forecast"))
    assert "+0" not in cards and "inchangé par rapport à la situation actuelle" in cards, cards
    table = html.unescape(comparison_html([Variant("prévision", "flood", "redon", {}, outcome_rows(out))], "fr"))
    assert "+0" not in table and "183" in table
    moved = Outcome.from_values("flood", kpis, {"baseline": {"people_to_alert": 183.2},
                                                "forecast": {"people_to_alert": 184.6}})
    assert "+2\u00a0personnes" in html.unescape(kpi_cards_html(outcome_rows(moved), "fr", variant="forecast"))


def test_a_flood_variant_saved_before_its_rows_said_how_they_count_gets_its_notes_back(tmp_path):
    """A design storm saved before the cards said how a count is counted and where the stage is extrapolated showed
    « 15,8 m » in the comparison with no word of it: its rows get both again from its attributes when read
    (CONSTRUCTED values: a curve fitted up to 4,7 m; the storm's median peak 15,8 m, the baseline's 2,1 m)."""
    import json

    from twin.app.cards import card_note
    from twin.app.variants import VariantStore

    kpis = [KPI(k, u, "human", k) for k, u in (("peak_stage_m", "m"), ("peak_stage_p95_m", "m"),
                                                ("buildings_flooded", "buildings"),
                                                ("buildings_to_alert", "buildings"))]
    out = Outcome.from_values("flood", kpis, {
        "baseline": {"peak_stage_m": 2.1, "peak_stage_p95_m": 2.3, "buildings_flooded": 0.0, "buildings_to_alert": 0.0},
        "storm": {"peak_stage_m": 15.8, "peak_stage_p95_m": 16.4, "buildings_flooded": 300.0,
                  "buildings_to_alert": 350.0}},
        rating_curve_max_stage_m="4.7")
    rows = outcome_rows(out)
    store = VariantStore(tmp_path)
    saved = store.save(Variant("orage", "flood", "redon", {}, rows, attrs=dict(out.data.attrs)))
    path = tmp_path / f"{saved.id}.json"
    data = json.loads(path.read_text())
    for r in data["kpis"]:  # as written before these keys existed
        r.pop("counted_as", None), r.pop("rating_max_m", None)
    path.write_text(json.dumps(data))
    got = {(r["variant"], r["kpi"]): r for r in store.get(saved.id).kpis}
    for kpi in ("peak_stage_m", "buildings_flooded", "buildings_to_alert"):
        assert card_note(got[("storm", kpi)], "fr").startswith("hauteur extrapolée"), kpi
        assert "extrapolée" not in card_note(got[("baseline", kpi)], "fr")
    assert got[("baseline", "buildings_flooded")]["counted_as"] == "draws"


def test_a_gauged_flood_s_counts_say_at_which_peak_they_are_counted():
    """« bâtiments inondés 12 » beside « bâtiments à alerter 31 » did not say that the first is counted at the draws'
    median peak and the second at their 90th percentile (a GEMAPI technician's walkthrough); a single run says
    it has one peak (CONSTRUCTED values)."""
    from twin.app.cards import card_note, kpi_cards_html

    kpis = [KPI(k, "buildings", "human", k) for k in ("buildings_flooded", "buildings_to_alert")]
    out = Outcome.from_values("flood", kpis, {"baseline": {"buildings_flooded": 2.0, "buildings_to_alert": 5.0},
                                              "forecast": {"buildings_flooded": 12.0, "buildings_to_alert": 31.0}})
    out.add_members(np.array([[[2.0, 2.0, 2.0], [5.0, 5.0, 5.0]], [[9.0, 12.0, 20.0], [25.0, 31.0, 40.0]]]), [1, 2, 3])
    rows = {r["kpi"]: r for r in outcome_rows(out) if r["variant"] == "forecast"}
    assert card_note(rows["buildings_flooded"], "fr").startswith("sous l'eau au pic médian des tirages")
    assert "seuls 10 % des tirages dépassent" in card_note(rows["buildings_to_alert"], "fr")
    cards = html.unescape(kpi_cards_html(outcome_rows(out), "fr", variant="forecast"))
    assert "pic médian des tirages" in cards and "la marge de précaution" in cards
    one = Outcome.from_values("flood", kpis, {"baseline": {"buildings_flooded": 2.0, "buildings_to_alert": 5.0},
                                              "replay": {"buildings_flooded": 3.0, "buildings_to_alert": 3.0}})
    row = next(r for r in outcome_rows(one) if r["variant"] == "replay" and r["kpi"] == "buildings_to_alert")
    assert card_note(row, "fr") == "un seul calcul, sans tirages : au pic de ce calcul"
    other = Outcome.from_values("roadworks", kpis, {"baseline": {"buildings_flooded": 2.0, "buildings_to_alert": 5.0},
                                                    "v": {"buildings_flooded": 3.0, "buildings_to_alert": 3.0}})
    assert all(card_note(r, "fr") == "" for r in outcome_rows(other))  # another family: no flood note


def test_a_lead_time_over_a_few_draws_says_it_is_very_uncertain():
    """« Délai avant rouge 87 h » rested on 7 of 500 draws and became 58 h with another seed: the card now says how
    few reach the level and that the time is very uncertain (CONSTRUCTED rows: 3 of 200 draws reach red)."""
    from twin.app.cards import FEW_DRAWS, lead_condition

    from twin.app.cards import clock_time, few_draws_time, kpi_cards_html, value_text

    nan = float("nan")
    lead = {"variant": "v", "baseline_name": "b", "kpi": "lead_time_red_h", "value": 60.0, "unit": "h",
            "impact": "human", "change": 12.0, "baseline": 48.0, "better": None,
            "forecast_time": "2023-01-25 00:00:00", "members": [55.0, 60.0, 80.0] + [nan] * 197}
    rows = [lead, {"variant": "v", "baseline_name": "b", "kpi": "p_red_pct", "value": 1.5, "unit": "%",
                   "impact": "human", "change": 1.5, "baseline": 0.0, "better": None}]
    # the card's figure is no longer the hour of 3 draws (« délai avant rouge 53 h » in large on 2 %): the
    # hour and its clock time move to the note, and no change is written for it
    assert few_draws_time(lead) and value_text(lead, "fr") == "trop peu de tirages"
    assert lead_condition(lead, rows, "fr") == \
        "s'il est atteint : vers 60\u00a0h, le 27/01 vers 13 h (heure de Paris) ; 1,5 % des tirages l'atteignent, 3 " \
        "seulement : heure très incertaine"
    assert clock_time(lead, "fr") == ""  # said once, beside the hour
    card = html.unescape(kpi_cards_html(rows, "fr")).split("data-kpi='lead_time_red_h'")[1]
    assert "trop peu de tirages</div>" in card and "+12" not in card and "pas d'écart : trop peu" in card
    # a small ensemble whose draws all reach it: its median is still of few (review)
    all_reach = dict(lead, members=[55.0, 60.0, 80.0])
    assert lead_condition(all_reach, [all_reach, {"variant": "v", "kpi": "p_red_pct", "value": 100.0}], "fr") == \
        "médiane de 3 tirages seulement : heure très incertaine"
    assert not few_draws_time(all_reach) and value_text(all_reach, "fr") == "60\u00a0h"
    many = dict(lead, members=[50.0] * FEW_DRAWS + [nan] * 180)
    assert lead_condition(many, [many, {"variant": "v", "kpi": "p_red_pct", "value": 10.0}], "fr") == \
        "s'il est atteint : 10 % des tirages l'atteignent"
    assert not few_draws_time(many) and value_text(many, "fr") == "60\u00a0h"


def test_a_forecast_asked_inside_an_hour_says_it_runs_from_that_hour():
    """« 01:30 » ran as « 01 h » and only the CLI said so (a GEMAPI technician's walkthrough). CONSTRUCTED attrs: the
    time asked (UTC, as the form stores it) and the time the model ran from."""
    import html
    from types import SimpleNamespace

    from twin.app.builder_run import forecast_hour_part

    out = Outcome.from_values("flood", [KPI("x", "m", "human", "x")], {"baseline": {"x": 1.0}, "f": {"x": 2.0}},
                              forecast_time="2023-02-22 00:00:00")
    page = SimpleNamespace(lang="fr", last_params={"forecast_time": "2023-02-22T00:30"})
    assert html.unescape(forecast_hour_part(page, [], out, "")).endswith(
        "Prévision demandée le 22/02/2023 01:30 (heure de Paris) : le modèle avance par heures, elle part de l'heure "
        "qui la contient, le 22/02/2023 01:00.</div>")
    page.last_params["forecast_time"] = "2023-02-22T00:00"
    assert forecast_hour_part(page, [], out, "") == ""
    assert forecast_hour_part(SimpleNamespace(lang="fr", last_params={}), [], out, "") == ""


def test_flood_figures_cut_short_by_the_horizon_are_said_to_be_minimums():
    """Redon, 22/02/2023, 48 h: every draw still rose at the horizon's end, and the cards said « 125 bâtiments à
    alerter … au pic que seuls 10 % des tirages dépassent » as if at the flood's peak; the default 72 h left 20 %
    of the draws rising, so the 95th percentile and the alert counts were minimums. A figure read at the
    quantile q of the draws' peaks is a minimum once a share 1 − q is cut short. CONSTRUCTED rows."""
    from twin.app.cards import card_note
    from twin.app.variants import flood_flags
    from twin.scenarios.flood import minimum_figures

    nan = float("nan")

    def rows(times):
        return [{"variant": "v", "kpi": k, "value": 10.0, "unit": u, "members": list(m)} for k, u, m in (
            ("peak_after_h", "h", times), ("peak_stage_m", "m", [4.0] * len(times)),
            ("peak_stage_p95_m", "m", [4.0] * len(times)), ("buildings_flooded", "buildings", [3.0] * len(times)),
            ("buildings_to_alert", "buildings", [5.0] * len(times)), ("p_red_pct", "%", [0.0] * len(times)))]

    twenty = [nan] * 4 + [30.0] * 16  # 20 % of the draws still rising
    # a probability « within the horizon » (short of 100 %) too: the draws still rising may cross the level later
    assert set(minimum_figures(rows(twenty))) == {("v", "peak_stage_p95_m"), ("v", "buildings_to_alert"),
                                                  ("v", "p_red_pct")}
    assert set(minimum_figures(rows([nan] * 10 + [30.0] * 10))) == {
        ("v", k) for k in ("peak_stage_m", "peak_stage_p95_m", "buildings_flooded", "buildings_to_alert", "p_red_pct")}
    assert minimum_figures(rows([nan] + [30.0] * 99)) == {}  # 1 %: no figure a minimum
    assert minimum_figures(rows([30.0] * 20)) == {}
    # an ungauged river's counts: expected numbers over the prior's members, taken at q = 0.9
    assert ("v", "buildings_flooded") in minimum_figures(rows(twenty), prior=True)
    flagged = rows(twenty)
    flood_flags(flagged, {"horizon_h": np.int64(72)})
    notes = {r["kpi"]: card_note(r, "fr") for r in flagged}
    assert notes["buildings_to_alert"].startswith("l'eau monte encore à la fin de l'horizon (72\u00a0h) dans "
                                                  "20\u00a0% des tirages : un minimum"), notes
    assert "marge de précaution" in notes["buildings_to_alert"]  # how it is counted still said
    # the height the alert list is counted at: the draws' 90th percentile peak (here all at 4 m)
    assert "dépassent, 4\u00a0m à l'échelle" in notes["buildings_to_alert"]
    spread = rows([30.0] * 11)
    next(r for r in spread if r["kpi"] == "peak_stage_m")["members"] = [4.0 + i / 10 for i in range(11)]
    flood_flags(spread, {"horizon_h": 72})
    assert card_note(next(r for r in spread if r["kpi"] == "buildings_to_alert"), "fr") == \
        "sous l'eau au pic que seuls 10 % des tirages dépassent, 4,9\u00a0m à l'échelle : la marge de précaution"
    assert "minimum" not in notes["buildings_flooded"] and "minimum" not in notes["peak_stage_m"]
    assert notes["p_red_pct"].startswith("sur l'horizon (72\u00a0h) seulement : dans 20\u00a0% des tirages, l'eau "
                                         "monte encore à sa fin sans avoir atteint le seuil"), notes
    # the draws still rising have all crossed the level: nothing more to cross after the horizon
    crossed = rows(twenty)
    next(r for r in crossed if r["kpi"] == "p_red_pct").update(members=[100.0] * 4 + [0.0] * 16, value=20.0)
    assert ("v", "p_red_pct") not in minimum_figures(crossed)
    assert "culminent plus bas" not in notes["peak_stage_p95_m"]  # not beside « un minimum »
    one = rows([nan])  # one run (a replay, a design storm) still rising
    flood_flags(one, {"horizon_h": 24})
    assert card_note(next(r for r in one if r["kpi"] == "peak_stage_m"), "fr").startswith(
        "l'eau monte encore à la fin de l'horizon (24\u00a0h) : un minimum, le pic viendra après")


def test_a_flood_level_set_far_above_the_rating_curve_says_its_probability_and_time_are_extrapolated():
    """A red level at 7 m on a curve fitted up to 5,26 m: « probabilité de dépasser le seuil rouge 12 % » and its
    time were read as forecasts, when whether a draw crosses it hangs on the curve's extrapolation (the stage cards
    said so, these did not). CONSTRUCTED rows; the CLI says the same."""
    from twin.app.cards import card_note
    from twin.app.variants import flood_flags
    from twin.scenarios.flood import levels_beyond_record

    attrs = {"rating_curve_max_stage_m": 5.26, "alert_yellow_m": 3.5, "alert_orange_m": 5.6, "alert_red_m": 7.0}
    assert levels_beyond_record(attrs) == {"orange": (5.6, 5.26), "red": (7.0, 5.26)}
    assert levels_beyond_record({"alert_red_m": 7.0}) == {}  # no curve said: nothing claimed
    rows = [{"variant": "v", "kpi": k, "value": 12.0, "unit": u} for k, u in (
        ("p_red_pct", "%"), ("lead_time_red_h", "h"), ("p_orange_pct", "%"), ("lead_time_orange_h", "h"))]
    flood_flags(rows, attrs)
    notes = {r["kpi"]: card_note(r, "fr") for r in rows}
    for kpi in ("p_red_pct", "lead_time_red_h"):
        assert notes[kpi] == ("seuil rouge (7 m) loin au-delà de la courbe de tarage (calée jusqu'à "
                              "5,26\u00a0m) : le franchir, et quand, est extrapolé, un ordre de grandeur"), notes
    # orange 0,34 m above the curve's range: said, as a slight extrapolation, not an order of magnitude
    for kpi in ("p_orange_pct", "lead_time_orange_h"):
        assert notes[kpi] == ("seuil orange (5,6 m) au-dessus de la courbe de tarage (calée jusqu'à 5,26\u00a0m) : "
                              "le franchir, et quand, est un peu extrapolé"), notes
    below = {**attrs, "alert_orange_m": 5.2}
    rows = [{"variant": "v", "kpi": "p_orange_pct", "value": 12.0, "unit": "%"}]
    flood_flags(rows, below)
    assert "extrapolé" not in card_note(rows[0], "fr")  # within the curve's range: nothing to say
