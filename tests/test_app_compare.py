"""The comparison tab without a browser (issue 17): the table that decides (verdict per impact, % change,
best value per row, uncertainty on every KPI), readable assumptions, paired comparisons on common
random numbers, and the difference map (reference | variant | difference) drawn from stored outcomes.

Real runs on the shipped Redon seed; where marked, rows with ``members``/``change_low``/``change_high``
are CONSTRUCTED (the ensemble families' contract), and a real bins ensemble checks the same path.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from twin.app.diffmap import TITLE_CHARS, asset_layer, difference_columns, variant_pair_maps
from twin.app.i18n import fmt_number, fmt_quantity, t
from twin.app.report import comparison_html
from twin.app.variants import Variant, VariantStore, outcome_rows
from twin.economics import FACTORS
from twin.scenarios import SCENARIOS

LATE = {"family": "lighting", "rules": [{"zone": {"all": True}, "schedule": {
    "name": "off 23:00–05:00", "off_windows": [["23:00", "05:00"]]}}]}
MIDNIGHT = {"family": "lighting", "rules": [{"zone": {"all": True}, "schedule": {
    "name": "off 00:00–05:00", "off_windows": [["00:00", "05:00"]]}}]}


@pytest.fixture(scope="module")
def redon():
    from twin.seeds import load_default

    return load_default()


@pytest.fixture(scope="module")
def lighting(redon):
    """Two real lighting schedules: out 23 h–5 h and out 0 h–5 h."""
    return {name: SCENARIOS["lighting"].from_dict(spec).run(redon) for name, spec in
            (("23h-5h", LATE), ("0h-5h", MIDNIGHT))}


def _variant(name, family, spec, out):
    return Variant(name, family, "redon", spec, outcome_rows(out),
                   attrs={k: str(v) for k, v in out.data.attrs.items() if k not in ("scenario", "baseline")})


def _cells(html_text: str, kpi: str) -> list[str]:
    row = re.search(rf"<tr data-kpi='{kpi}'>(.*?)</tr>", html_text).group(1)
    return re.findall(r"<td([^>]*)>(.*?)</td>", row)[1:]  # the label's cell left out


def test_two_schedules_side_by_side_decide(lighting):
    a = _variant("Extinction 23h-5h", "lighting", LATE, lighting["23h-5h"])
    b = _variant("Extinction 0h-5h", "lighting", MIDNIGHT, lighting["0h-5h"])
    text = comparison_html([a, b], "fr")
    # one verdict line per impact, in French, naming the variants
    verdicts = re.findall(r"<li class='verdict' data-impact='(\w+)'>(.*?)</li>", text)
    assert [i for i, _ in verdicts] == ["financial", "environmental", "human"]
    env = verdicts[1][1]
    assert env.startswith("Environnemental : « Extinction 23h-5h » fait mieux que la situation actuelle")
    assert "la meilleure" not in env or "« Extinction 23h-5h »" in env.split("la meilleure")[1]
    # cost: the longer night out is cheaper; its cell is the row's best, with its % against the baseline
    cost_a, cost_b = (lighting[k].value("cost_eur", lighting[k].first_variant) for k in ("23h-5h", "0h-5h"))
    base = lighting["23h-5h"].value("cost_eur", "baseline")
    assert cost_a < cost_b < base
    # baseline, A, B: one run each, no band anywhere: no uncertainty column (« non calculée » on every row)
    cells = _cells(text, "cost_eur")
    assert len(cells) == 3 and "best" not in cells[0][0] and "best" in cells[1][0] and "best" not in cells[2][0]
    pct = 100 * (cost_a - base) / base
    assert f"({pct:+.1f}".replace(".", ",") in cells[1][1]  # e.g. (-51,1 %)
    assert "non calculée" not in "".join(c for _, c in cells) and "class='unc" not in text
    assert text.count("Incertitude : non calculée pour ces variantes (un calcul chacune, sans tirages) ; lisez les "
                      "valeurs comme des ordres de grandeur.") == 1  # said once, under the table
    # investment: nothing is the best; the two equal plans are not
    inv = _cells(text, "investment_eur")
    assert "best" in inv[0][0] and "best" not in inv[1][0]


def test_assumptions_are_readable_not_json(lighting):
    a = _variant("Extinction 23h-5h", "lighting", LATE, lighting["23h-5h"])
    text = comparison_html([a], "fr")
    part = text[text.index("Hypothèses"):]
    assert "{&quot;" not in part and '{"' not in part and "&quot;rules&quot;" not in part
    # a lighting's rules as French sentences, not their syntax (twin.app.param_text)
    assert "<li>Règles : <ul class='rules'><li>Éteindre de 23 h à 5 h — tous les lampadaires</li></ul></li>" in part
    for syntax in ("zone", "schedule", "off_windows", "all :", "23:00"):
        assert syntax not in part.split("Détails")[0], syntax
    f = FACTORS["electricity_price_eur_per_kwh"]
    assert (f"Prix de l&#x27;électricité = {f.value:g} €/kWh ({f.year} ; source : hypothèse du projet"
            .replace(".", ",")) in part
    assert "Horloge astronomique = 350 € (" in part  # not 350,0
    b = _variant("Extinction 0h-5h", "lighting", MIDNIGHT, lighting["0h-5h"])
    both = comparison_html([a, b], "fr")
    assert re.findall(r"<li class='differs'><b>(.*?)</b></li>", both) == [  # what sets them apart, in bold
        "Règles : <ul class='rules'><li>Éteindre de 23 h à 5 h — tous les lampadaires</li></ul>",
        "Règles : <ul class='rules'><li>Éteindre de 0 h à 5 h — tous les lampadaires</li></ul>"]


def test_assumptions_name_every_parameter_in_french(redon):
    """The walkthrough saw `rules: [{'zone': …}]`, `closed_streets`, `gap`: every parameter of a saved
    variant is listed under its French label with its value in plain words, whatever the family."""
    from twin.app.param_text import param_label

    specs = {"roadworks": {"family": "roadworks", "streets": ["Grande Rue"], "hours": "07:00-19:00", "gap": 0.01,
                           "capacity_factor": 0.5},
             "street-closure": {"family": "street-closure", "streets": ["Quai Saint-Jacques"], "destination": "school",
                                "one_direction": False},
             "lighting": {**LATE, "baseline_rules": [], "offset_min": 15.0, "led_retrofit": True}}
    for family, spec in specs.items():
        text = comparison_html([Variant(f"V {family}", family, "redon", spec, [])], "fr")
        part = re.split("Détails|Facteurs et prix", text[text.index("Hypothèses"):])[0]
        items = re.findall(r"<li>([^<:]+) : ", part)
        assert len(items) == len(spec) - 1, (family, items)  # every parameter but the family, none dropped
        for name in spec:
            if name != "family":
                assert f"<li>{param_label(family, name, 'fr')} : " in part.replace("&#x27;", "'"), (family, name)
            assert f">{name} :" not in part and f"<li>{name}" not in part, (family, name)  # no code name
        assert "[" not in part and "{" not in part and "True" not in part, (family, part)
    roadworks = comparison_html([Variant("V", "roadworks", "redon", specs["roadworks"], [])], "fr")
    assert "Précision du calcul (écart à l&#x27;équilibre) : 0,01</li>" in roadworks and "7 h – 19 h" in roadworks
    # saved as « Extinction atelier », run as « Extinction 23 h–5 h »: one name shown, the saved one
    named = comparison_html([Variant("Extinction atelier", "lighting", "redon",
                                     {**specs["lighting"], "variant_name": "Extinction 23 h–5 h"}, [])], "fr")
    assert "Extinction atelier" in named and "Nom de la variante" not in named and "23 h–5 h" not in named


def _ensemble_rows(name, values, members, change_band):
    """CONSTRUCTED rows of one bins-like KPI (lower is better): the variant's value and members, the
    paired band of its change against the baseline (the contract the ensemble families write)."""
    base = {"variant": "baseline", "kpi": "cost_eur", "impact": "financial", "unit": "€", "value": 100.0,
            "baseline": 100.0, "change": 0.0, "change_pct": 0.0, "better": None, "baseline_name": "baseline",
            "members": [100.0, 104.0, 96.0, 100.0, 100.0]}
    row = dict(base, variant=name, value=values, change=values - 100.0, change_pct=values - 100.0,
               better=values < 100.0, low=min(members), high=max(members), members=members,
               change_low=change_band[0], change_high=change_band[1])
    return [base, row]


def test_paired_members_decide_noise_between_two_variants():
    # A: -3 on average, within its noise; B: -4 member by member, against A: -1, -1, -1 on the same seeds
    a = Variant("A", "bins", "redon", {}, _ensemble_rows("A", 97.0, [99.0, 99.0, 93.0, 97.0, 97.0], (-4.0, 3.0)),
                attrs={"member_seeds": "0,1,2,3,4"})
    b = Variant("B", "bins", "redon", {}, _ensemble_rows("B", 96.0, [98.0, 98.0, 92.0, 96.0, 96.0], (-4.0, -2.0)),
                attrs={"member_seeds": "0,1,2,3,4"})
    text = comparison_html([a, b], "fr")
    cells = _cells(text, "cost_eur")
    assert "de 93\xa0€ à" in cells[2][1] and "écart plus petit que l&#x27;incertitude" in cells[2][1]  # A vs baseline
    assert "plus petit que l&#x27;incertitude" not in cells[4][1]  # B's change is beyond its noise
    # B is 1 € below A on every member: said once, not as a band from -1 € to -1 €
    assert "« B » − « A » : -1\u00a0€ dans chaque tirage" in cells[4][1]
    assert "best" in cells[3][0] and "best" not in cells[1][0]  # B below A on every member: B alone is best
    line = re.search(r"data-impact='financial'>(.*?)</li>", text).group(1)
    assert "« A » ne se distingue pas de la situation actuelle (écart plus petit que l&#x27;incertitude)" in line
    assert "« B » fait mieux" in line
    # not the same seeds: no pairing claimed between A and B
    c = Variant("B", "bins", "redon", {}, b.kpis, attrs={"member_seeds": "5,6,7,8,9"})
    assert "aléas communs" not in comparison_html([a, c], "fr")
    # the pair's difference within the noise: both tie for the best
    d = Variant("D", "bins", "redon", {}, _ensemble_rows("D", 96.0, [95.0, 101.0, 92.0, 96.0, 96.0], (-4.0, -2.0)),
                attrs={"member_seeds": "0,1,2,3,4"})
    cells = _cells(comparison_html([a, d], "fr"), "cost_eur")
    assert "« A » et « D » : écart plus petit que l&#x27;incertitude" in cells[4][1]


@pytest.fixture(scope="module")
def bins_pair(redon):
    """Two REAL bins ensembles on the same seeds (5 members, 7 days: small, for the CPU)."""
    runs = {}
    for policy in ("predictive", "threshold"):
        spec = {"family": "bins", "policy": policy, "members": 5, "days": 7}
        runs[policy] = (spec, SCENARIOS["bins"].from_dict(spec).run(redon))
    return runs


def test_a_real_bins_ensemble_is_paired_and_shows_its_bands(bins_pair):
    variants = [_variant(f"Collecte {p}", "bins", spec, out) for p, (spec, out) in bins_pair.items()]
    seeds = [v.attrs.get("member_seeds") for v in variants]
    assert seeds[0] and seeds[0] == seeds[1]
    row = variants[0].kpi("operating_cost_eur_per_year")
    assert len(row["members"]) == 5 and "change_low" in row
    text = comparison_html(variants, "fr")
    cells = _cells(text, "operating_cost_eur_per_year")
    assert cells[2][1].startswith("de ") and "<br>écart de " in cells[2][1] and "dans 9 tirages sur 10" in cells[2][1]
    assert "aléas communs" in cells[4][1]  # the two policies paired member by member
    assert "non calculée" not in cells[2][1]


def test_difference_columns_follow_the_outcomes(lighting, redon):
    out = lighting["23h-5h"]
    base, var = asset_layer(out, out.baseline), asset_layer(out, out.first_variant)
    assert base.kind == var.kind == "lamps" and var.unit == "kWh/yr"
    cols = difference_columns(redon, base, var)
    lamps = out.table("lamps")
    i = 0
    lamp = cols["id"][i]
    kwh = lamps.set_index(["variant", "lamp_id"])["kwh"]
    assert cols["reference"][i] == pytest.approx(kwh[(out.baseline, lamp)])
    assert cols["difference"][i] == pytest.approx(kwh[(out.first_variant, lamp)] - kwh[(out.baseline, lamp)])
    assert (cols["difference"] < 0).all()  # every lamp burns less when switched off at night


def test_difference_map_of_two_saved_closures(tmp_path, redon):
    store = VariantStore(tmp_path)
    saved = []
    for name, streets in (("Quai fermé", ["Quai Saint-Jacques"]), ("Grande Rue fermée", ["Grande Rue"])):
        spec = {"family": "street-closure", "streets": streets}
        out = SCENARIOS["street-closure"].from_dict(spec).run(redon)
        saved.append(store.save(_variant(name, "street-closure", spec, out), outcome=out))
    maps, caption = variant_pair_maps(store, redon, saved[1], saved[0], "fr")
    figs = maps.children
    assert [f.name for f in figs] == ["diff-reference", "diff-variant", "diff-difference"]
    assert figs[0].title.text == "Quai fermé" and figs[2].title.text == "Différence (Grande Rue fermée − Quai fermé)"
    bars = [r for f in figs for r in f.below if r.name and r.name.startswith("diff-scale")]
    assert [b.title for b in bars][2] == "Différence (0/1)"
    scale = bars[2].color_mapper  # diverging, centred on 0: blue less, red more, as the caption says
    assert scale.low == -scale.high and scale.palette[0] == "#053061" and scale.palette[-1] == "#67001f"
    assert bars[0].color_mapper is bars[1].color_mapper  # the two maps of values share one scale
    # plain figures: Bokeh's default wrote « 2.000e+5 » under a heating map's 200 000 €
    assert all(b.formatter.use_scientific is False for b in bars)
    src = figs[2].select_one({"name": "diff-assets"}).data_source.data
    closed_a = set(store.outcome(saved[0].id).table("closed_streets")["edge"])
    closed_b = set(store.outcome(saved[1].id).table("closed_streets")["edge"])
    diff = dict(zip(src["id"], src["difference"], strict=True))
    assert {e for e, d in diff.items() if d == 1} == closed_b - closed_a
    assert {e for e, d in diff.items() if d == -1} == closed_a - closed_b
    assert caption.startswith("Rues fermées (1 : fermée) (0/1) — à gauche : Quai fermé ; au centre : Grande Rue fermée")
    # against its own baseline: nothing closed on the left
    maps, caption = variant_pair_maps(store, redon, saved[0], None, "fr")
    assert maps.children[0].title.text == "Situation actuelle (Quai fermé)"
    assert np.nansum(maps.children[0].select_one({"name": "diff-assets"}).data_source.data["reference"]) == 0
    # a variant saved without its outcome (an older version) says so, in French
    old = store.save(Variant("Ancienne", "street-closure", "redon", {}, saved[0].kpis))
    maps, note = variant_pair_maps(store, redon, old, None, "fr")
    assert maps is None and note.startswith("La variante « Ancienne » a été enregistrée sans son résultat complet")
    maps, note = variant_pair_maps(store, redon, saved[0], Variant("L", "lighting", "redon", {}, []), "fr")
    assert maps is None and "pas de la même famille" in note
    # long names: the one-line titles were cut at the map's edge; shortened there, whole in the caption
    long_a = store.save(_variant("Quai Saint-Jacques fermé toute la journée, vers la mairie", "street-closure",
                                 {"family": "street-closure", "streets": ["Quai Saint-Jacques"]},
                                 store.outcome(saved[0].id)), outcome=store.outcome(saved[0].id))
    long_b = store.save(_variant("Grande Rue fermée le matin, déviation par le quai", "street-closure",
                                 {"family": "street-closure", "streets": ["Grande Rue"]},
                                 store.outcome(saved[1].id)), outcome=store.outcome(saved[1].id))
    maps, caption = variant_pair_maps(store, redon, long_b, long_a, "fr")
    titles = [f.title.text for f in maps.children]
    assert all(len(x) <= TITLE_CHARS for x in titles), titles
    assert titles[2].startswith("Différence (Grande Rue") and titles[2].endswith("…)") and "− Quai" in titles[2]
    assert long_a.name in caption and long_b.name in caption


def test_a_flood_s_own_reference_on_the_difference_map_is_its_forecast_without_rain(tmp_path, redon):
    """The map titled a flood's baseline « Situation actuelle »: it is the forecast with no further rain."""
    from tests.test_paths import FAMILY_CASES

    store = VariantStore(tmp_path)
    spec = FAMILY_CASES["flood"]
    out = SCENARIOS["flood"].from_dict(spec).run(redon)
    saved = store.save(_variant("Pluie analogue", "flood", spec, out), outcome=out)
    maps, _ = variant_pair_maps(store, redon, saved, None, "fr")
    assert maps.children[0].title.text == "Sans pluie à venir (Pluie analogue)"
    from twin.app.main import TwinApp

    app = TwinApp("redon", "fr", store=store)
    app.tabs.active = 2
    assert app.diff_variant.value == saved.id
    assert list(app.diff_reference.options) == ["sa prévision sans pluie à venir"]


def test_two_forecasts_side_by_side_mark_no_best_value(redon):
    """The no-rain run's « 0 % » of orange was marked the best value in green: a forecast is a possible future,
    not a choice; the legend says so."""
    from tests.test_paths import FAMILY_CASES

    spec = FAMILY_CASES["flood"]
    out = SCENARIOS["flood"].from_dict(spec).run(redon)
    text = comparison_html([_variant("Pluie A", "flood", spec, out), _variant("Pluie B", "flood", spec, out)], "fr")
    assert "class='best'" not in text
    import html

    assert "Des prévisions, pas des choix : aucune valeur n'est marquée comme la meilleure" in html.unescape(text)


def test_the_comparison_tab_draws_the_chosen_pair(tmp_path, lighting):
    from twin.app.main import TwinApp

    store = VariantStore(tmp_path)
    a = store.save(_variant("Extinction 23h-5h", "lighting", LATE, lighting["23h-5h"]), outcome=lighting["23h-5h"])
    b = store.save(_variant("Extinction 0h-5h", "lighting", MIDNIGHT, lighting["0h-5h"]), outcome=lighting["0h-5h"])
    app = TwinApp("redon", "fr", store=store)
    assert app.diff_pane.object is None  # not drawn while the comparison is not shown
    app.tabs.active = 2
    assert app.diff_variant.value == b.id and app.diff_reference.value == a.id  # the last against the one before
    assert [f.name for f in app.diff_pane.object.children] == ["diff-reference", "diff-variant", "diff-difference"]
    assert "Consommation par lampadaire (kWh/an)" in app.diff_note.object
    assert "data-impact='financial'" in app.compare_html.object and "{&quot;" not in app.compare_html.object
    # what the figures rest on, above them as in the report (it was in the PDF only)
    from twin.app.report import provenance_notes_html

    notes = provenance_notes_html([a, b], app.territory, "fr")
    assert "SYNTHÉTIQUE" in notes and app.compare_html.object.index(notes) < app.compare_html.object.index("<table")
    app.diff_reference.value = ""  # against its own baseline
    assert app.diff_pane.object.children[0].title.text == "Situation actuelle (Extinction 0h-5h)"


def test_a_variant_set_aside_leaves_the_comparison(tmp_path, lighting):
    """Set aside in the workshop (« absentes du vote et du dossier »), two variants stayed picked in Comparer,
    compared and exported. They leave it when set aside, are marked in the list, and a variant picked
    again stays."""
    from twin.app.main import TwinApp

    store = VariantStore(tmp_path)
    a = store.save(_variant("Extinction 23h-5h", "lighting", LATE, lighting["23h-5h"]))
    b = store.save(_variant("Extinction 0h-5h", "lighting", MIDNIGHT, lighting["0h-5h"]))
    app = TwinApp("redon", "fr", store=store)
    app._refresh_variants()
    assert set(app.pick.value) == {a.id, b.id}
    store.update(b.id, discarded=True)
    app._refresh_variants()
    assert app.pick.value == [a.id] and "0h-5h" not in app.compare_html.object
    assert any(label.endswith(" — écartée") for label, vid in app.pick.options.items() if vid == b.id)
    app.pick.value = [a.id, b.id]  # picked again on purpose: kept at the next change
    store.update(a.id, pinned=True)
    app._refresh_variants()
    assert set(app.pick.value) == {a.id, b.id}


@pytest.mark.parametrize("family", ["roadworks", "heating", "flood", "flood-detours"])
def test_every_mapped_familys_layer_lands_on_the_territorys_assets(family, redon):
    """The per-asset values a difference map draws: every asset of the layer is on the map (none
    silently dropped for want of a shape), and the variant's column is the outcome's own value."""
    from tests.test_paths import FAMILY_CASES

    out = SCENARIOS[family].from_dict(FAMILY_CASES[family]).run(redon)
    base, var = asset_layer(out, out.baseline), asset_layer(out, out.first_variant)
    assert base is not None and var is not None and base.kind == var.kind
    cols = difference_columns(redon, base, var)
    assert set(var.values) <= set(cols["id"]) and set(base.values) <= set(cols["id"])
    some = next(iter(var.values))
    i = cols["id"].index(some)
    assert cols["variant"][i] == pytest.approx(var.values[some])
    assert cols["difference"][i] == pytest.approx(var.values[some] - base.values.get(some, base.default),
                                                  nan_ok=True)


def test_bins_difference_uses_the_tables_positions(bins_pair, redon):
    (_, a), (_, b) = bins_pair.values()
    la, lb = asset_layer(a, a.first_variant), asset_layer(b, b.first_variant)
    assert la.kind == "bins" and la.points
    cols = difference_columns(redon, la, lb)
    assert set(cols["id"]) == set(la.points) | set(lb.points)
    assert np.allclose(cols["difference"], [lb.values[i] - la.values[i] for i in cols["id"]])


def test_the_comparison_speaks_english_too(lighting):
    a = _variant("Late", "lighting", LATE, lighting["23h-5h"])
    text = comparison_html([a], "en")
    assert "Verdict by impact" in text and "Uncertainty: not computed for these variants (one run each" in text \
        and "value (change)" in text
    assert "Environmental: “Late” does better than the baseline on 4 of 4 indicators" in text
    for french in ("situation actuelle", "sans incertitude", "Paramètres de la variante", " ; source : "):
        assert french not in text, french


def test_the_verdict_compares_the_variants_with_each_other(lighting):
    """Of two real schedules, one line per impact says which does better than the OTHER and by how much
    (not only each against the baseline), with their names, in French."""
    a = _variant("23h-5h", "lighting", LATE, lighting["23h-5h"])
    b = _variant("0h-5h", "lighting", MIDNIGHT, lighting["0h-5h"])
    text = comparison_html([b, a], "fr")
    between = dict(re.findall(r"<li class='verdict-between' data-impact='(\w+)'>(.*?)</li>", text))
    assert set(between) == {"financial", "environmental", "human"}
    cost = {k: lighting[k].value("cost_eur", lighting[k].first_variant) for k in ("23h-5h", "0h-5h")}
    written = {k: float(fmt_number(v, "en").replace(",", "")) for k, v in cost.items()}
    saved = fmt_quantity(written["0h-5h"] - written["23h-5h"], "€/an")
    assert between["financial"] == (f"Financier, entre les variantes (coût) : « 23h-5h » économise {saved} de plus "
                                    f"que « 0h-5h » ({fmt_quantity(cost['23h-5h'], '€/an')} contre "
                                    f"{fmt_quantity(cost['0h-5h'], '€/an')}, incertitude non calculée).")
    assert between["environmental"].startswith("Environnemental, entre les variantes (CO2) : « 23h-5h » fait mieux "
                                               "que « 0h-5h »")
    # the lamps near sensitive places: the shorter night out keeps more of them lit; a share, in points
    share = {k: lighting[k].value("sensitive_lit_share_pct", lighting[k].first_variant) for k in ("23h-5h", "0h-5h")}
    assert share["0h-5h"] > share["23h-5h"]
    # the difference of the figures as written (99,7 % and 86,4 %: 13,3, which a reader computes)
    shown = {k: float(fmt_number(v, "en")) for k, v in share.items()}
    points = fmt_number(shown["0h-5h"] - shown["23h-5h"], "fr", digits=1)
    assert between["human"].startswith("Humain, entre les variantes (éclairage aux heures d&#x27;usage des lieux sensibles) : « 0h-5h » fait mieux "
                                       f"que « 23h-5h » de {points}\u00a0pts (")  # a share: in points
    # each line sits under its impact's own verdict (against the baseline), which stays
    assert text.index("data-impact='financial'>Financier : ") < text.index("entre les variantes (coût)") < \
        text.index("data-impact='environmental'>Environnemental : ")
    # one variant: nothing to compare it with
    assert "verdict-between" not in comparison_html([a], "fr")


def test_a_percentage_kpi_changes_in_points_without_a_second_figure(lighting):
    a = _variant("23h-5h", "lighting", LATE, lighting["23h-5h"])
    out = lighting["23h-5h"]
    change = out.value("sensitive_lit_share_pct", out.first_variant) - out.value("sensitive_lit_share_pct", "baseline")
    assert change < 0
    text = comparison_html([a], "fr")
    value_cell = _cells(text, "sensitive_lit_share_pct")[1][1]
    assert f"{fmt_number(change, 'fr', digits=1)}\u00a0pts</span>" in value_cell
    assert value_cell.count("%") == 1  # the value's own % only: no "-13,6 % (-13,6 %)"
    verdict_line = re.search(r"data-impact='human'>(.*?)</li>", text).group(1)
    assert f"(éclairage aux heures d&#x27;usage des lieux sensibles {fmt_number(change, 'fr', digits=1)}\u00a0pts)" in verdict_line
    # every KPI the families declare in % is changed in points (one rule: twin.app.verdicts.POINT_UNITS)
    import importlib

    from twin.app.verdicts import in_points
    for family in ("bins", "flood", "lighting"):
        kpis = importlib.import_module(SCENARIOS[family].__module__).KPIS
        shares = [k.name for k in kpis if k.unit == "%"]
        assert shares and all(in_points(k.unit) for k in kpis if k.name in shares), family
    # not a percentage, but a baseline of 100: the % would repeat the change's number, so it is left out
    rows = [dict(r) for r in a.kpis]
    for r in rows:
        if r["kpi"] == "cost_eur":
            r.update(baseline=100.0, value=95.92, change=-4.08, change_pct=-4.08)
    cell = _cells(comparison_html([Variant("x", "lighting", "redon", {}, rows)], "fr"), "cost_eur")[1][1]
    assert "-4,08\u00a0€/an</span>" in cell and "(-4,08" not in cell


def test_the_comparison_tab_of_the_app_shows_the_variants_against_each_other(tmp_path, lighting):
    from twin.app.main import TwinApp

    store = VariantStore(tmp_path)
    store.save(_variant("23h-5h", "lighting", LATE, lighting["23h-5h"]))
    store.save(_variant("0h-5h", "lighting", MIDNIGHT, lighting["0h-5h"]))
    app = TwinApp("redon", "fr", store=store)
    app.tabs.active = 2
    shown = app.compare_html.object
    assert "« 23h-5h » économise" in shown and "de plus que « 0h-5h »" in shown
    app.pick.value = app.pick.value[:1]  # one variant picked: no line between variants
    assert "entre les variantes" not in app.compare_html.object


def test_the_difference_maps_draw_the_streets_beneath_the_assets(lighting, redon):
    """Lamps alone on a blank ground are dots nobody can place: each of the three maps draws the
    territory's streets in light grey beneath them (the main map's own street columns, one source for
    the three maps), and the river."""
    from twin.app.diffmap import BACKDROP_STREET, BACKDROP_WATER, difference_figure
    from twin.app.mapview import layer_columns, street_columns

    out = lighting["23h-5h"]
    maps, _ = difference_figure(redon, asset_layer(out, out.baseline), asset_layer(out, out.first_variant), ("a", "b"))
    streets = street_columns(redon)
    backdrops = []
    for fig in maps.children:
        names = [r.name for r in fig.renderers]
        assert names.index("diff-backdrop-streets") < names.index("diff-assets")  # beneath: drawn before the lamps
        r = fig.select_one({"name": "diff-backdrop-streets"})
        assert r.glyph.line_color == BACKDROP_STREET and r.glyph.line_width >= 1.5
        assert len(r.data_source.data["xs"]) == len(streets["xs"]) > 100  # every street of the territory
        assert list(r.data_source.data["xs"][0]) == list(streets["xs"][0])
        backdrops.append(r.data_source)
        assert fig.select_one({"name": "diff-assets"}).data_source.data["id"][0].startswith("gen:lamp")
        assert ("diff-backdrop-water" in names) == ("waterways" in layer_columns(redon))
        if "diff-backdrop-water" in names:  # grey dots: a blue canal read as streets that lost traffic
            w = fig.select_one({"name": "diff-backdrop-water"}).glyph
            assert w.line_color == BACKDROP_WATER and w.line_dash == "dotted"
        labels = [m for m in fig.center if m.name == "diff-backdrop-labels"]
        assert len(labels) == 1 and sorted(labels[0].source.data["label"]) == ["Gare", "Mairie"]  # the landmarks
    assert backdrops[0] is backdrops[1] is backdrops[2]  # one source, sent once for the three maps
    # a closure maps the streets themselves: no grey copy of them beneath, the landmarks still named
    closed = SCENARIOS["street-closure"].from_dict({"streets": ["Grande Rue"]}).run(redon)
    maps, _ = difference_figure(redon, asset_layer(closed, closed.baseline), asset_layer(closed, closed.first_variant),
                                ("a", "b"))
    names = [r.name for r in maps.children[0].renderers]
    assert "diff-backdrop-streets" not in names and "diff-assets" in names and "diff-backdrop-places" in names


def test_shared_parameters_are_said_once_and_each_variant_shows_what_sets_it_apart():
    late = {**LATE, "offset_min": 15.0, "price_eur_per_kwh": 0.2, "led_retrofit": True}
    later = {**LATE, "offset_min": 25.0, "price_eur_per_kwh": 0.2, "led_retrofit": True}
    text = comparison_html([Variant("A", "lighting", "redon", late, []), Variant("B", "lighting", "redon", later, []),
                            Variant("C", "lighting", "redon", dict(later), [])], "fr")
    part = re.split("Facteurs et prix", text[text.index("Hypothèses"):])[0]
    common = part[part.index("<li class='common'><b>Paramètres communs à ces variantes</b>"):part.index("<li><b>A</b>")]
    assert "Règles : <ul class='rules'><li>Éteindre de 23 h à 5 h" in common
    assert "Comparer aussi avec un passage tout LED : oui" in common and "Décalage" not in common
    assert part.count("Éteindre de 23 h à 5 h") == 1 and part.count("passage tout LED") == 1  # said once
    assert re.findall(r"<li class='differs'><b>Décalage après le coucher / avant le lever du soleil : ([^<]*)</b>",
                      part) == ["15\u00a0min", "25\u00a0min", "25\u00a0min"]
    assert part.count("— ce qui la distingue") == 3


def test_the_variants_against_each_other_in_english(lighting):
    a = _variant("Late", "lighting", LATE, lighting["23h-5h"])
    b = _variant("Midnight", "lighting", MIDNIGHT, lighting["0h-5h"])
    text = comparison_html([a, b], "en")
    line = re.search(r"<li class='verdict-between' data-impact='financial'>(.*?)</li>", text).group(1)
    assert line.startswith("Financial, between the variants (cost): “Late” saves ")
    assert " more than “Midnight” (" in line and line.endswith(", uncertainty not computed).")
    assert "— what sets it apart" in text
    for french in ("entre les variantes", "économise", "incertitude non calculée", "ce qui la distingue", " pts,"):
        assert french not in text, french


def test_rules_only_named_differently_are_the_same_assumption():
    """A schedule's name is a label, not what it does: two variants whose rules say the same sentences
    share them (said once), and nothing is bolded as setting them apart."""
    renamed = {"family": "lighting", "rules": [{"zone": {"all": True}, "schedule": {
        "name": "éteint 23:00–05:00", "off_windows": [["23:00", "05:00"]]}}]}
    text = comparison_html([Variant("A", "lighting", "redon", LATE, []), Variant("B", "lighting", "redon", renamed, [])],
                           "fr")
    part = re.split("Facteurs et prix", text[text.index("Hypothèses"):])[0]
    assert "class='differs'" not in part and part.count("Éteindre de 23 h à 5 h — tous les lampadaires") == 1
    assert part.count("(aucun : les mêmes paramètres que les autres)") == 2


def test_every_factor_is_listed_in_french_without_its_code_name():
    """The comparison's factors list read « electricity_price_eur_per_kwh = 0,2 €/kWh (… project
    assumption (… excl. VAT)) » on a French page: each factor's source has its French words, its unit
    is French and the table's code name is not shown."""
    from tests.test_i18n_views import foreign_pieces
    from twin.app.i18n import unit_label
    from twin.app.report import factor_source
    from twin.economics import FACTORS
    from twin.scenarios import SCENARIOS

    for name, f in FACTORS.items():
        source = factor_source(name, f.source, "fr")
        assert source != f.source, f"{name}: its source has no French words ({f.source!r})"
        assert not foreign_pieces(source, "fr", set()), (name, source)
    from twin.app.report import _factors_note

    for family in SCENARIOS:
        note = _factors_note(family, "fr")
        for name in getattr(SCENARIOS[family], "factors", ()):
            assert name not in note, f"{family}: the code name {name} is shown"
            unit = FACTORS[name].unit
            assert unit == "1" or unit_label(unit, "fr") in __import__("html").unescape(note), (family, unit)


def test_a_printed_report_opens_its_folds():
    """« ▸ Détails techniques du calcul » printed closed in the PDF: a page nobody can click."""
    from twin.app.report import printable

    assert printable("<details><summary>x</summary><ul><li>y</li></ul></details>").startswith("<details open>")


def test_two_night_pressures_compared_street_by_street(redon):
    """The water families draw a difference map too: each street's night pressure, 30 m against 25 m at the
    tower's valve, falls by the 5 m the setpoints differ (the network below the valve follows it at night)."""
    from twin.scenarios.water_pressure import PressureManagement

    a = PressureManagement(night_pressure_m=30.0, days=2).run(redon)
    b = PressureManagement(night_pressure_m=25.0, days=2).run(redon)
    ref, var = asset_layer(a, a.first_variant), asset_layer(b, b.first_variant)
    assert ref.kind == var.kind == "streets" and var.unit == "m" and var.quantity == "compare_q_night_pressure"
    cols = difference_columns(redon, ref, var)
    drawn = ~np.isnan(np.asarray(cols["difference"], float))
    assert drawn.sum() > 100
    assert np.asarray(cols["difference"], float)[drawn] == pytest.approx(-5.0, abs=0.05)


def test_a_cell_with_a_change_band_does_not_say_it_has_no_uncertainty():
    """« incertitude non calculée : ordre de grandeur » then « écart 5–95 % : -4,38 … -4,25 » in one cell read as a contradiction
    (a value with no band of its own, its change with one): only the change's band is said."""
    from twin.app.report import _uncertainty_cell

    # five members, one without a value: no band of the members' values, the change's band of the others
    row = {"variant": "A", "kpi": "cost_eur", "unit": "€", "value": 97.0, "baseline": 100.0, "change": -3.0,
           "baseline_name": "baseline", "members": [96.0, 97.0, 96.5, 97.5, float("nan")], "change_low": -4.38,
           "change_high": -4.25}
    cell = _uncertainty_cell(row, "fr")
    assert "écart de " in cell and "non calculée" not in cell
    assert "non calculée" in _uncertainty_cell({**row, "change_low": None, "change_high": None}, "fr")
    # nor above its paired difference with the first variant (« écart 5–95 % … (mêmes tirages) » below it)
    flat = {**row, "change_low": -3.0, "change_high": -3.0}
    cell = _uncertainty_cell(flat, "fr", pair_note="« B » − « A » : 202 h/an dans chaque tirage (mêmes tirages)")
    assert "non calculée" not in cell and "dans chaque tirage" in cell


def test_nothing_bought_has_no_uncertainty_to_declare():
    """« 0 € » invested and « sans investissement » carried « incertitude non calculée : ordre de grandeur » in
    every column (five lines a cell in the PDF): a 0 that is exact by construction says nothing more."""
    from twin.app.report import _uncertainty_cell

    row = {"variant": "A", "kpi": "investment_eur", "unit": "€", "value": 0.0, "baseline": 0.0, "change": 0.0,
           "baseline_name": "baseline"}
    assert _uncertainty_cell(row, "fr") == "<td class='unc'>—</td>"
    assert _uncertainty_cell({**row, "kpi": "payback_years", "unit": "yr"}, "fr") == "<td class='unc'>—</td>"
    # a sum spent is an order of magnitude still
    assert "non calculée" in _uncertainty_cell({**row, "value": 5000.0, "change": 5000.0}, "fr")


def test_four_variants_fit_the_printed_page(lighting):
    """Four variants printed three: the fourth column was cut off at the PDF page's edge (nothing scrolls on
    paper). Printed, the table is no wider than the page."""
    from tests.test_app_browser import ARGS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip(f"needs chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    from twin.app.report import CSS, printable

    names = ["Extinction de 23 h à 5 h sauf la gare", "Extinction de minuit à 5 h partout",
             "Extinction de 23 h à 5 h, variante longue", "Extinction de minuit à 5 h, seconde variante"]
    group = [_variant(n, "lighting", spec, lighting[k]) for n, (k, spec) in
             zip(names, [("23h-5h", LATE), ("0h-5h", MIDNIGHT)] * 2, strict=True)]
    text = printable(f"<html><head><style>{CSS}</style></head><body>{comparison_html(group, 'fr')}</body></html>")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = b.new_page(viewport={"width": 718, "height": 1000})  # A4's printable width at 96 dpi
        page.emulate_media(media="print")
        page.set_content(text)
        widths = page.evaluate("() => [...document.querySelectorAll('table.compare')].map(t => "
                               "[t.scrollWidth, document.body.clientWidth])")
        # each figure and each unit on one line: « 633 631 €/a | n » and « kW | h/an » were printed
        lines = page.evaluate("() => [...document.querySelectorAll('table.compare span.q')].map(s => "
                              "[s.textContent, s.getClientRects().length])")
        b.close()
    assert widths and all(w <= page_w + 1 for w, page_w in widths), widths
    assert len(lines) > 20 and all(n == 1 for _, n in lines), [x for x in lines if x[1] != 1]
    assert any(text.endswith("/an") for text, _ in lines)


def test_a_figure_and_its_unit_break_only_between_them():
    from twin.app.report import unbroken_quantities

    cell = "<td>633\u202f631\u00a0€/an<br><span class='better'>-12\u202f345\u00a0kWh/an (-4,2\u00a0%)</span></td>"
    assert unbroken_quantities(cell) == (
        "<td><span class='q'>633\u202f631</span> <span class='q'>€/an</span><br><span class='better'>"
        "<span class='q'>-12\u202f345</span> <span class='q'>kWh/an</span> (<span class='q'>-4,2</span> "
        "<span class='q'>%</span>)</span></td>")
    assert unbroken_quantities("<td class='unc'>—</td>") == "<td class='unc'>—</td>"
    # markup and raw text untouched: an attribute, a title, a style
    page = "<title>5\u00a0km</title><style>x{}</style><td title='5\u00a0%'>5\u00a0%</td>"
    assert unbroken_quantities(page) == ("<title>5\u00a0km</title><style>x{}</style><td title='5\u00a0%'>"
                                         "<span class='q'>5</span> <span class='q'>%</span></td>")


def test_two_works_mapped_at_their_own_peak_hours_are_said_so():
    """Night works (21 h) against day works (17 h): the difference map was almost all blue (« moins ») with no
    word that it compares two hours."""
    from types import SimpleNamespace

    from twin.app.diffmap import other_hours_note

    night = SimpleNamespace(data=SimpleNamespace(attrs={"works_peak_hour": "21:00-22:00"}))
    day = SimpleNamespace(data=SimpleNamespace(attrs={"works_peak_hour": "17:00-18:00"}))
    note = other_hours_note(day, night, ("Jour", "Nuit"), "fr")
    assert "Jour : 17:00–18:00" in note and "Nuit : 21:00–22:00" in note and "heure de pointe" in note
    assert other_hours_note(day, day, ("a", "b"), "fr") == ""
    assert other_hours_note(SimpleNamespace(data=SimpleNamespace(attrs={})), night, ("a", "b"), "fr") == ""


def test_a_difference_the_same_in_every_draw_is_said_once():
    """« écart 5–95 % : 202 h/an – 202 h/an (mêmes tirages) »: a band of one value is that value in every draw."""
    from twin.app.report import _row_best

    def row(v, members):
        return {"variant": v, "kpi": "truck_hours", "unit": "h/yr", "value": float(np.mean(members)), "baseline": 0.0,
                "change": float(np.mean(members)), "baseline_name": "baseline", "higher_is_better": False,
                "members": members}

    class Saved:
        def __init__(self, name):
            self.name, self.attrs = name, {"member_seeds": "1,2,3,4,5"}

    a, b = row("A", [10.0, 11.0, 12.0, 13.0, 14.0]), row("B", [212.0, 213.0, 214.0, 215.0, 216.0])
    _, notes = _row_best("truck_hours", None, [a, b], [Saved("A"), Saved("B")], False, [{}, {}], "fr")
    assert notes and "dans chaque tirage" in notes[1] and "202" in notes[1] and "–" not in notes[1], notes


def test_a_fifth_variant_saved_says_which_one_left_the_comparison(tmp_path, lighting):
    """Four variants side by side at most: a fifth saved joined the table and the first left it without a
    word (an elected official looked for « Extinction 23 h–5 h »). The page names the one that left."""
    import html as html_module

    from twin.app.compare import COMPARED_AT_MOST
    from twin.app.main import TwinApp

    store = VariantStore(tmp_path)
    saved = [store.save(_variant(f"Extinction {k}", "lighting", LATE, lighting["23h-5h"]))
             for k in range(COMPARED_AT_MOST)]
    app = TwinApp("redon", "fr", store=store)
    app._refresh_variants()
    assert "compare-left" not in app.compare_html.object
    fifth = store.save(_variant("Extinction 0h-5h", "lighting", MIDNIGHT, lighting["0h-5h"]))
    app._refresh_variants(added=fifth.id)
    assert saved[0].id not in app.pick.value and fifth.id in app.pick.value
    said = html_module.unescape(app.compare_html.object)
    assert "« Extinction 0 » quitte la comparaison (4 variantes au plus côte à côte)" in said


def test_the_best_cell_is_picked_among_the_variants_that_strand_no_trip():
    """Two closures of four stranded trips: no time nor € row had a best cell (none was fair for all four). The
    best is now picked among the baseline and the two that strand nothing; the other two are never marked."""
    import html

    from twin.outcome import KPI, Outcome

    kpis = [KPI("trips_without_route_window", "trips", "human", "stranded"),
            KPI("drive_time_cost_eur_window", "€", "financial", "time", leaves_out="trips_without_route_window")]
    base = {"trips_without_route_window": 0.0, "drive_time_cost_eur_window": 9088.0}
    cases = {"A fermée": (170.0, 9167.0), "B un sens": (0.0, 9191.0), "C demi capacité": (0.0, 9095.0),
             "D déviation": (170.0, 9167.4)}
    variants = []
    for name, (stranded_trips, cost) in cases.items():
        out = Outcome.from_values("roadworks", kpis, {"baseline": base, "works": {
            "trips_without_route_window": stranded_trips, "drive_time_cost_eur_window": cost}})
        variants.append(Variant(name, "roadworks", "redon", {}, outcome_rows(out), attrs={}))
    text = comparison_html(variants, "fr")
    cells = _cells(text, "drive_time_cost_eur_window")
    marked = [i for i, (attrs, _) in enumerate(cells) if "class='best'" in attrs]
    assert marked == [0], cells  # the baseline (9 088 €): C (9 095 €) is not better; A and D never compared
    assert "« C demi capacité » fait mieux que « B un sens » de 96\u00a0€" in html.unescape(text)
    assert "« A fermée » et « D déviation » laissent des trajets ou des bâtiments sans itinéraire : pas classées" in \
        html.unescape(text)


def test_works_at_different_hours_say_their_window_in_the_table():
    """Day and night works side by side: the « sur la plage horaire » rows compared 12 h by day with 10 h by night
    and the table did not say so. Each column now says its window when they differ (CONSTRUCTED rows)."""
    import html

    from twin.outcome import KPI, Outcome

    kpis = [KPI("vehicle_hours_window", "veh·h", "human", "hours")]
    variants = []
    for name, hours, value in (("jour", "07:00-19:00", 1062.0), ("nuit", "20:00-06:00", 145.0)):
        out = Outcome.from_values("roadworks", kpis, {"baseline": {"vehicle_hours_window": 900.0},
                                                      "works": {"vehicle_hours_window": value}}, hours=hours)
        variants.append(Variant(name, "roadworks", "redon", {}, outcome_rows(out), attrs=dict(out.data.attrs)))
    text = html.unescape(comparison_html(variants, "fr"))
    assert "jour<br><span class='vwindow'>plage horaire 7 h – 19 h</span>" in text, text
    assert "nuit<br><span class='vwindow'>plage horaire 20 h – 6 h</span>" in text
    variants[1].attrs["hours"] = "07:00-19:00"  # the same hours: nothing to say
    assert "vwindow" not in comparison_html(variants, "fr")


def test_a_difference_map_caption_tells_the_changes_that_show_from_the_slight_ones(redon):
    """« 293 élément(s) sur 331 changent » where eight streets showed a colour: most moved by a vehicle an hour.
    The caption counts apart the changes beyond a tenth of the largest (CONSTRUCTED values)."""
    from twin.app.diffmap import AssetLayer, difference_figure
    from twin.app.mapview import street_columns

    ids = [str(i) for i in street_columns(redon)["edge"]][:40]
    before = AssetLayer("streets", {i: 100.0 for i in ids}, float("nan"), "compare_q_peak_flow", "veh/h")
    after = AssetLayer("streets", {i: 100.0 + (300.0 if k < 3 else 1.0 if k < 30 else 0.0) for k, i in enumerate(ids)},
                       float("nan"), "compare_q_peak_flow", "veh/h")
    _, caption = difference_figure(redon, before, after, ("a", "b"))
    assert "30 élément(s) sur" in caption and "dont 3 de plus d'un dixième du plus grand écart" in caption, caption
    _, caption = difference_figure(redon, before, AssetLayer("streets", {i: 400.0 for i in ids[:3]}, float("nan"),
                                                             "compare_q_peak_flow", "veh/h"), ("a", "b"))
    assert "dont" not in caption  # every change shows: said as before


def test_a_roadworks_variant_saved_before_residents_access_reopens_closed_to_all(tmp_path):
    """Variants saved before the works kept residents' access closed their streets to all: read back without the
    parameter, they would reopen « sauf riverains » and run other figures than their saved cards (a review)."""
    import json

    from twin.app.variants import Variant, VariantStore

    store = VariantStore(tmp_path)
    saved = store.save(Variant("quai", "roadworks", "redon", {"streets": ["Quai Saint-Jacques"]}, []))
    narrowed = store.save(Variant("voie", "roadworks", "redon", {"streets": ["Grande Rue"], "capacity_factor": 0.5},
                                  []))
    assert store.get(saved.id).params["residents_access"] is False
    assert "residents_access" not in store.get(narrowed.id).params  # a narrowed street stays open to all
    path = tmp_path / f"{saved.id}.json"
    data = json.loads(path.read_text())
    data["params"]["residents_access"] = True  # saved since: as it was saved
    path.write_text(json.dumps(data))
    assert store.get(saved.id).params["residents_access"] is True
