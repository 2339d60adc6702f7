"""The workshop's meeting pack, opened as the town hall would: the PDFs' pages, the GeoPackage's layers
and rows (with their geometry), the CSV files as a French spreadsheet reads them.

Runs real scenarios on the embedded Redon (street closure, lighting, a small flood ensemble) and
prints the PDFs with the local chromium (skipped, saying so, without it).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from twin.app.meeting_pack import Geometries, build_pack, csv_bytes, csv_number, kpi_table, slug
from twin.app.report import CHROMIUM_CANDIDATES
from twin.app.variants import Variant, VariantStore, outcome_rows
from twin.app.workshop_state import WorkshopState

HAS_CHROMIUM = any(Path(c).exists() for c in CHROMIUM_CANDIDATES)


def pdf_pages(data: bytes) -> int:
    """The page count of a PDF: its page objects, checked against the page tree's ``/Count``.

    Chromium writes uncompressed object dictionaries (no object streams): a PDF that had them
    would fail here loudly, not pass wrongly."""
    assert data.startswith(b"%PDF-"), data[:20]
    assert b"/ObjStm" not in data, "compressed object streams: count the pages with a PDF library"
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    counts = [int(c) for c in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data, flags=re.S)]
    counts += [int(c) for c in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data, flags=re.S)]
    assert counts and max(counts) == pages, (pages, counts)
    return pages


def open_pack(data: bytes, where: Path) -> dict:
    """Unzip the pack into ``where``; {name: path}."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        z.extractall(where)
        return {n: where / n for n in z.namelist()}


def read_french_csv(path: Path) -> pd.DataFrame:
    """As a French spreadsheet reads it: BOM, ';', decimal comma."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would misread the accents"
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")


@pytest.fixture(scope="module")
def territory():
    from twin.seeds import load_default

    return load_default()


@pytest.fixture(scope="module")
def workshop(tmp_path_factory, territory):
    """Three variants by two participants (one saved without its outcome, as older versions did),
    votes, and the snapshot the pack is made from."""
    from twin.scenarios import SCENARIOS

    store = VariantStore(tmp_path_factory.mktemp("variants"))
    runs = {
        "Quai fermé": ("street-closure", {"streets": ["Quai Saint-Jacques"]}, "Anne Martin"),
        "Éclairage LED": ("lighting", {}, "Brice Le Gall"),
        "Crue (20 membres)": ("flood", {"members": 20, "horizon_h": 48}, "Anne Martin"),
    }
    saved, outcomes = [], {}
    for name, (family, params, author) in runs.items():
        outcome = SCENARIOS[family](**params).run(territory)
        v = store.save(Variant(name=name, family=family, territory="redon", params=params, kpis=outcome_rows(outcome),
                               author=author), outcome=outcome)
        saved.append(v)
        outcomes[v.id] = outcome
    old = store.save(Variant(name="Ancienne", family="street-closure", territory="redon", params={},
                             kpis=outcome_rows(outcomes[saved[0].id]), author=""))
    state = WorkshopState(store.dir)
    for who in ("Anne Martin", "Brice Le Gall", "Chloé"):
        state.join(who)
    state.vote(saved[1].id, "Anne Martin")
    state.vote(saved[1].id, "Brice Le Gall")
    state.vote(saved[2].id, "Chloé")
    return {"store": store, "state": state, "variants": [*saved, old], "outcomes": outcomes}


@pytest.fixture(scope="module")
def pack(workshop, territory, tmp_path_factory):
    if not HAS_CHROMIUM:
        pytest.skip("the meeting pack's PDFs are printed by the local chromium (apt-get install chromium)")
    snap = workshop["state"].freeze(workshop["store"])
    from twin.app.workshop_state import snapshot_store

    frozen = snapshot_store(snap)
    variants = frozen.list()
    data = build_pack(variants, snap.votes(), {v.id: frozen.outcome(v.id) for v in variants}, territory,
                      participants=snap.meta()["participants"], when=snap.meta()["frozen_at"], frozen=True)
    return open_pack(data, tmp_path_factory.mktemp("pack")), workshop


def test_the_pack_holds_its_files(pack):
    files, _ = pack
    names = set(files)
    assert {"resume.pdf", "annexes.pdf", "couches.gpkg", "indicateurs.csv", "variantes.csv"} <= names
    alerts = sorted(n for n in names if n.startswith("alertes_"))
    # the flood variant's two lists; the street closure's list is no flood alert
    assert alerts == ["alertes_03_crue-20-membres_batiments_a_alerter.csv",
                      "alertes_03_crue-20-membres_rues_a_fermer.csv"], alerts
    # a list to hand over: no model label in English, the use in words, depths to the centimetre
    text = files["alertes_03_crue-20-membres_batiments_a_alerter.csv"].read_bytes().decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert "variante" not in header.split(";") and "ensemble of" not in text and ";unknown;" not in text
    depth = header.split(";").index(next(c for c in header.split(";") if c.startswith("hauteur_eau")))
    assert lines and all(len(line.split(";")[depth].partition(",")[2]) <= 2 for line in lines)


def test_the_summary_is_one_page_and_the_annexes_one_per_variant(pack):
    files, workshop = pack
    assert pdf_pages(files["resume.pdf"].read_bytes()) == 1
    # a page of spread, then at least one page per variant
    assert pdf_pages(files["annexes.pdf"].read_bytes()) >= 1 + len(workshop["variants"])


def test_the_geopackage_has_one_layer_per_variant_and_table_with_geometry(pack, territory):
    import geopandas as gpd
    import pyogrio

    files, workshop = pack
    layers = {name: geom for name, geom in pyogrio.list_layers(files["couches.gpkg"])}
    assert set(layers) == {"01_quai-ferme_rues_fermees", "02_eclairage-led_lampadaires",
                           "03_crue-20-membres_batiments_a_alerter", "03_crue-20-membres_rues_a_fermer"}, layers
    out = workshop["outcomes"]
    by_name = {v.name: v for v in workshop["variants"]}
    lamps = gpd.read_file(files["couches.gpkg"], layer="02_eclairage-led_lampadaires")
    expected = out[by_name["Éclairage LED"].id].table("lamps")
    shown = next(r["variant"] for r in by_name["Éclairage LED"].kpis if r["variant"] != r["baseline_name"])
    assert len(lamps) == (expected["variant"] == shown).sum() == len(territory.layers["lamps"])
    assert lamps.crs == territory.layers["lamps"].crs
    assert lamps.geometry.notna().all() and (lamps.geom_type == "Point").all()
    # each lamp sits where the territory has it
    at = territory.layers["lamps"].set_index("id").geometry
    assert all(g.equals(at[k]) for k, g in zip(lamps["lampadaire_id"], lamps.geometry, strict=True))
    # French field names for the town's GIS (« lamp_id », « power_w » were the model's)
    assert {"lampadaire_id", "armoire_id", "puissance_w", "heures_allumage"} <= set(lamps.columns)
    assert not {"lamp_id", "power_w", "burning_hours"} & set(lamps.columns)

    streets = gpd.read_file(files["couches.gpkg"], layer="03_crue-20-membres_rues_a_fermer")
    flood = out[by_name["Crue (20 membres)"].id].table("streets_to_close")
    fshown = next(r["variant"] for r in by_name["Crue (20 membres)"].kpis if r["variant"] != r["baseline_name"])
    assert len(streets) == (flood["variant"] == fshown).sum() > 0
    assert (streets.geom_type.isin(["LineString", "MultiLineString"])).all()
    closed = gpd.read_file(files["couches.gpkg"], layer="01_quai-ferme_rues_fermees")
    assert len(closed) == len(out[by_name["Quai fermé"].id].table("closed_streets")) > 0
    assert closed.geometry.notna().all()


def test_the_kpi_table_reads_back_in_a_french_spreadsheet(pack):
    files, workshop = pack
    df = read_french_csv(files["indicateurs.csv"])
    assert list(df.columns[:7]) == ["Variante", "Calcul", "Auteur", "Famille", "Votes", "Impact", "Indicateur"]
    led = next(v for v in workshop["variants"] if v.name == "Éclairage LED")
    shown = next(r["variant"] for r in led.kpis if r["variant"] != r["baseline_name"])
    mine = df[(df["Variante"] == "Éclairage LED") & (df["Calcul"] == "variante proposée")]
    rows = [r for r in led.kpis if r["variant"] == shown]
    assert len(mine) == len(rows) and set(mine["Auteur"]) == {"Brice Le Gall"} and set(mine["Votes"]) == {2}
    for r in rows:
        got = mine[mine["Code"] == r["kpi"]].iloc[0]
        if math.isfinite(r["value"]):  # six significant digits: 12.345678901 is 12,3457
            assert float(got["Valeur"]) == pytest.approx(r["value"], rel=5e-6)
    # the all-LED variant its run computed beside it: rows of their own, named, without votes (a sum of the
    # column counts each vote once)
    beside = df[(df["Variante"] == "Éclairage LED") & (df["Calcul"] == "Variante tout LED")]
    assert len(beside) == sum(r["variant"] == "led_retrofit" for r in led.kpis) > 0
    assert beside["Votes"].isna().all() and df["Votes"].sum() == 2 * len(rows) + 1 * len(
        [r for v in workshop["variants"] if v.family == "flood" for r in v.kpis if r["variant"] == shown_of(v)])
    assert not df["Valeur"].astype(str).str.contains(r"\d[.,]\d{7,}").any()  # no 12,345678901
    # the variant saved without outcome is there too, with its KPIs
    assert (df["Variante"] == "Ancienne").sum() > 0
    variants = read_french_csv(files["variantes.csv"])
    assert dict(zip(variants["Variante"], variants["Votes"], strict=True))["Éclairage LED"] == 2


def shown_of(v) -> str:
    return next(r["variant"] for r in v.kpis if r["variant"] != r["baseline_name"])


def test_the_variants_and_their_parameters_read_in_words(pack):
    """variantes.csv says what each variant changes in French (labels, units, rules as sentences);
    parametres.csv has every parameter in words and as value and unit columns."""
    files, workshop = pack
    variants = read_french_csv(files["variantes.csv"]).set_index("Variante")
    assert variants.loc["Quai fermé", "Paramètres modifiés"] == "Rues : Quai Saint-Jacques"
    assert variants.loc["Crue (20 membres)", "Paramètres modifiés"] == "Horizon : 48\u00a0h | Membres (tirages) : 20"
    assert variants.loc["Éclairage LED", "Paramètres modifiés"] == "valeurs par défaut"
    params = read_french_csv(files["parametres.csv"])
    assert list(params.columns[:7]) == ["Variante", "Famille", "Paramètre", "Valeur (texte)", "Valeur", "Unité",
                                        "Par défaut"]
    horizon = params[(params["Variante"] == "Crue (20 membres)") & (params["Code"] == "horizon_h")].iloc[0]
    assert (horizon["Paramètre"], horizon["Valeur (texte)"], horizon["Valeur"], horizon["Unité"], horizon["Par défaut"]) \
        == ("Horizon", "48\u00a0h", 48, "h", "non")
    streets = params[params["Code"] == "streets"].iloc[0]
    assert streets["Valeur (texte)"] == "Quai Saint-Jacques" and streets["Valeur (fichier de scénario)"] == '["Quai Saint-Jacques"]'
    assert not params["Paramètre"].str.contains("_").any()


def test_the_annexes_say_parameters_and_the_all_led_variant_in_words(workshop, territory):
    from twin.app.meeting_pack import annexes_html
    from twin.scenarios import SCENARIOS

    lighting = next(v for v in workshop["variants"] if v.family == "lighting")
    keep = [*SCENARIOS["lighting"]().rules, {"zone": {"near": {"category": ["station", "school"], "radius_m": 30}},
                                             "schedule": {"name": "all night"}}]
    from dataclasses import replace

    other = replace(lighting, id="0123456789", name="Gare éclairée", params={"rules": keep, "price_eur_per_kwh": 0.2345678901})
    page = annexes_html([lighting, other], {}, territory, "03/12/2026 02:00", {}, "fr")
    text = re.sub(r"<[^>]+>", " ", page)
    assert "Éteindre de 23 h à 5 h — tous les lampadaires ; Garder allumé à 30 m de : gare, écoles" in text
    assert "Prix de l&#x27;électricité (HT)" in page and "0,2346\u00a0€/kWh" in text
    # the all-LED variant: one table per variant that computed it, under its French name, apart from the proposals
    assert page.count("<h2 class='beside' data-variant='led_retrofit'>Variante tout LED</h2>") == 2
    assert "Variante tout LED (calculée à côté de chaque variante qui la coche" in page
    spread = page[:page.index("<div class='annex'>")]
    for code in ("price_eur_per_kwh", "led_retrofit", "off_windows", "zone", "radius_m"):
        assert code not in re.sub(r"data-[a-z]+='[^']*'", "", spread), code


def test_the_summary_shows_stranded_trips_beside_vehicle_km(territory):
    """A roadworks variant that strands trips: the summary names the trips without a route first, and
    marks the vehicle-km / vehicle-hours changes that leave them out (never vehicle-km alone)."""
    from twin.app.meeting_pack import summary_html
    from twin.scenarios import Roadworks

    outcome = Roadworks(streets=["Quai Saint-Jacques"], hours="07:00-19:00", residents_access=False).run(territory)
    v = Variant(name="Travaux du quai", family="roadworks", territory="redon",
                params={"streets": ["Quai Saint-Jacques"]}, kpis=outcome_rows(outcome))
    trips = outcome.value("trips_without_route_window", "works")
    assert trips > 0  # the quay is a zone's only drivable access
    page = summary_html([v], {}, [], territory, "03/12/2026 02:00", True, "fr")
    cell = re.search(r"<td class='l'>(<span class='stranded-flag'.*?)</td></tr>", page).group(1)
    assert cell.index("data-flag='trips_without_route_window'") < cell.index("data-flag='trips_without_route_peak'") \
        or cell.index("data-flag='trips_without_route_peak'") < cell.index("data-flag='trips_without_route_window'")
    from twin.app.i18n import fmt_quantity

    assert f"trajets sans itinéraire (sur la plage horaire) : {fmt_quantity(trips, 'trajets')}" in cell
    for kpi in ("kilomètres parcourus (sur la plage horaire)", "temps total au volant (sur la plage horaire)"):
        if kpi in cell:  # named among the main changes: marked as leaving the stranded trips out
            assert re.search(re.escape(kpi) + r" [^;]*\*", cell), cell
    assert "(* sans les trajets sans itinéraire" in cell or "véhicules" not in cell
    # the time lost is named beside the flags, before the CO2 (once the one change named, with a tiny fall)
    pct = {r["kpi"]: r["change_pct"] for r in v.kpis if r["variant"] == "works"}
    hours, co2 = pct["vehicle_hours_window"], pct["co2_kg_window"]
    if abs(hours) > abs(co2):
        assert "temps total au volant" in cell, cell
    if HAS_CHROMIUM:
        from twin.app.report import report_pdf

        assert pdf_pages(report_pdf(page)) == 1


def test_the_summary_names_each_impact_s_headline_money_first(workshop, territory):
    """The lighting variant's summary listed « heures d'allumage -2 035 h/an ; électricité … ; CO2 … »:
    the money an elected official looks for was left out. Each impact's headline now comes first."""
    from twin.app.meeting_pack import _main_changes

    lighting = next(v for v in workshop["variants"] if v.family == "lighting")
    text = _main_changes(lighting, "fr")
    assert text.startswith("coût ") and "€/an" in text.split(" ; ")[0], text
    assert "CO2 " in text, text


def test_the_summary_gives_a_share_s_change_in_points_as_the_screen_does():
    """resume.pdf read « lieux sensibles éclairés -13,6 % » where the cards say « -13,6 pts »."""
    from types import SimpleNamespace

    from twin.app.meeting_pack import _main_changes

    row = {"variant": "v", "baseline_name": "baseline", "kpi": "sensitive_lit_share_pct", "impact": "human",
           "unit": "%", "value": 86.4, "baseline": 100.0, "change": -13.6, "change_pct": -13.6}
    v = SimpleNamespace(kpis=[row], attrs={}, params={}, family="lighting", name="v")
    text = _main_changes(v, "fr")
    assert "-13,6\u00a0pts" in text and "%" not in text, text


def test_every_layer_is_described_in_french(workshop):
    from twin.app.i18n import STRINGS
    from twin.app.meeting_pack import table_text

    for v in workshop["variants"]:
        out = workshop["outcomes"].get(v.id)
        for name, info in (out.table_info.items() if out is not None else []):
            key = f"workshop_table_{v.family.replace('-', '_')}_{name}"
            assert key in STRINGS, key
            assert table_text(v.family, name, info.description, "fr") == STRINGS[key][0]
    assert table_text("lighting", "new_table", "an English description", "fr") == "table « new_table » du modèle"
    assert table_text("lighting", "new_table", "an English description", "en") == "an English description"


def test_the_alert_lists_read_back(pack):
    files, workshop = pack
    df = read_french_csv(files["alertes_03_crue-20-membres_batiments_a_alerter.csv"])
    flood = next(v for v in workshop["variants"] if v.family == "flood")
    table = workshop["outcomes"][flood.id].table("buildings_to_alert")
    shown = next(r["variant"] for r in flood.kpis if r["variant"] != r["baseline_name"])
    mine = table[table["variant"] == shown]
    assert len(df) == len(mine)
    assert "batiment_id" in df.columns and "hauteur_eau_p90_m" in df.columns
    # to the centimetre (« 1,14826 m » was written)
    assert df["hauteur_eau_p90_m"].astype(float).tolist() == pytest.approx(mine["depth_m_p90"].round(2).tolist())
    assert "rue" in df.columns  # where to knock: the nearest named street
    # the streets to close as the page's download: a two-way street's two directions in one row
    streets = read_french_csv(files["alertes_03_crue-20-membres_rues_a_fermer.csv"])
    closed = workshop["outcomes"][flood.id].table("streets_to_close")
    closed = closed[closed["variant"] == shown]
    assert len(streets) == closed["segment"].nunique() == flood.kpi("streets_to_close")["value"] > 0
    assert "segment" not in streets.columns


def test_numbers_for_french_spreadsheets():
    assert csv_number(1234.5) == "1234,5"
    assert csv_number(3.0) == "3" and csv_number(123456789.0) == "123456789"
    assert csv_number(12.345678901) == "12,3457" and csv_number(-0.000123456789) == "-0,000123457"
    assert csv_number(123456.789) == "123457" and csv_number(1e-12) == "0,000000000001"
    assert csv_number(float("inf")) == "infini" and csv_number(float("-inf")) == "-infini"
    assert csv_number(2.5, lang="en") == "2.5" and csv_number(float("inf"), lang="en") == "inf"
    assert csv_number(True, lang="en") == "yes"
    assert csv_number(float("nan")) == "" and csv_number(None) == ""
    assert csv_number(0.1 + 0.2) == "0,3"  # six significant digits: no 0,30000000000000004
    data = csv_bytes(["Nom", "Valeur"], [["Émile", 2.5], ["Zoé", float("inf")]])
    assert data.startswith(b"\xef\xbb\xbf") and b"\xc3\x89mile;2,5\r\n" in data and b"infini" in data


def test_a_bin_added_by_a_variant_gets_its_point_and_an_unknown_key_no_geometry(territory):
    bins = territory.layers["bins"]
    table = pd.DataFrame({"variant": ["v", "v"], "bin_id": [str(bins["id"].iloc[0]), "new-1"],
                          "x": [float(bins.geometry.x.iloc[0]), 300000.0], "y": [float(bins.geometry.y.iloc[0]), 5290000.0]})
    gdf, missing = Geometries(territory).frame(table, "bin_id")
    assert missing == 0 and gdf.geometry.iloc[1].x == 300000.0
    lamps = pd.DataFrame({"lamp_id": [str(territory.layers["lamps"]["id"].iloc[0]), "pas-un-lampadaire"]})
    gdf, missing = Geometries(territory).frame(lamps, "lamp_id")
    assert missing == 1 and gdf.geometry.iloc[1] is None and len(gdf) == 2  # kept, counted, not dropped


def test_kpi_table_in_english_has_english_headers_and_reads_in_an_english_spreadsheet(workshop):
    """The English pack's CSV files were French spreadsheets' (« ; », « 2,5 »): an English one read every
    decimal as text. In English: « , » and a decimal point, as pandas' defaults read them."""
    data = kpi_table(workshop["variants"][:1], {}, "en")
    assert data.decode("utf-8-sig").startswith("Variant,Run,Author,Family,Votes,Impact,KPI")
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    values = pd.to_numeric(df["Value"], errors="coerce")
    assert values.notna().all(), df[values.isna()]
    assert (values != values.round()).any()  # decimals read as numbers, not text


def test_slug():
    assert slug("Quai fermé, vers la mairie") == "quai-ferme-vers-la-mairie"
    assert slug("<img src=x>") == "img-src-x"
    assert slug("···") == "variante"


def test_the_summary_stays_one_page_with_many_long_named_variants(workshop, territory):
    if not HAS_CHROMIUM:
        pytest.skip("the summary is printed by the local chromium (apt-get install chromium)")
    from dataclasses import replace

    from twin.app.meeting_pack import SUMMARY_MAX_VARIANTS, summary_html
    from twin.app.report import report_pdf

    base = workshop["variants"][:2]
    many = [replace(base[i % 2], id=f"{i:010x}", name=f"Variante numéro {i} au nom assez long pour passer sur trois lignes",
                    author=f"Participante {i} Dupont-Durand") for i in range(SUMMARY_MAX_VARIANTS + 5)]
    page = summary_html(many, {}, [f"P{i}" for i in range(40)], territory, "02/12/2026 19:40", True, "fr",
                        ["resume.pdf", "annexes.pdf"])
    assert "… et 5 autre(s) variante(s) : voir les annexes." in page
    assert pdf_pages(report_pdf(page)) == 1


# --- paybacks: « sans investissement », « jamais », no « écart » ------------------------------------

def _money_rows(variant: str, spent: float, payback: float, *, capital: str = "investment_eur",
                life: float | None = None, band: bool = False) -> list[dict]:
    """A variant's investment and payback rows as :func:`twin.app.variants.outcome_rows` gives them (the
    baseline invests nothing: its payback is 0); ``band``: a bins-like ensemble's 5–95 % band."""
    rows = []
    for kpi, unit, value in ((capital, "€", spent), ("payback_years", "years", payback)):
        rows.append({"variant": variant, "baseline_name": "baseline", "kpi": kpi, "unit": unit, "impact": "financial",
                     "value": value, "baseline": 0.0, "change": value - 0.0, "change_pct": math.nan,
                     "better": None if value == 0 else False, "higher_is_better": False,
                     **({"low": value, "high": value} if band else {}),
                     **({"life_years": life} if life is not None and kpi == "payback_years" else {})})
    return rows


def _base_rows(capital: str = "investment_eur", band: bool = False) -> list[dict]:
    return [{**r, "change": 0.0, "better": None} for r in _money_rows("baseline", 0.0, 0.0, capital=capital, band=band)]


def _money_variant(name: str, family: str, spent: float, payback: float, *, capital: str = "investment_eur",
                   beside: list[tuple[str, float, float, float | None]] = (), life: float | None = None,
                   band: bool = False) -> Variant:
    """A saved variant with its proposal's money rows and those of variants its run computed beside it
    (``beside``: (name, spent, payback, life))."""
    rows = _base_rows(capital, band) + _money_rows("proposal", spent, payback, capital=capital, life=life, band=band)
    for other, o_spent, o_payback, o_life in beside:
        rows += _money_rows(other, o_spent, o_payback, capital=capital, life=o_life, band=band)
    return Variant(name=name, family=family, territory="redon", params={}, kpis=rows, author="Anne Martin")


def test_a_payback_with_nothing_invested_is_no_zero_in_the_kpi_table():
    """« temps de retour;payback_years;ans;0;0;0 » read « pays back at once »: a variant that invests
    nothing has its payback's value (and band, and the baseline's) left empty, said « sans
    investissement »; one that never pays back says « jamais »; no payback has an « écart »."""
    bins = _money_variant("Tournées prédictives", "bins", 0.0, 0.0, capital="capital_cost_eur", band=True)
    heating = _money_variant("Rénovation", "heating", 90_000.0, float("inf"),
                             beside=[("setpoint change", 0.0, 0.0, None), ("retrofit", 9_364_313.0, 38.5, 30.0)])
    df = pd.read_csv(io.BytesIO(kpi_table([bins, heating], {}, "fr")), sep=";", decimal=",", encoding="utf-8-sig",
                     dtype=str, keep_default_na=False)
    pay = df[df["Code"] == "payback_years"].set_index(["Variante", "Calcul"])
    nothing = pay.loc[("Tournées prédictives", "variante proposée")]
    assert (nothing["Valeur"], nothing["Écart"]) == ("", ""), nothing  # was 0 and 0: « paid back at once »
    # the columns as they were, the remark added last
    assert df.columns[-1] == "Remarque" and list(df.columns[:15]) == [
        "Variante", "Calcul", "Auteur", "Famille", "Votes", "Impact", "Indicateur", "Code", "Unité", "Référence",
        "Valeur", "Écart", "Écart (%)", "Bas (5 %)", "Haut (95 %)"]
    assert (nothing["Référence"], nothing["Valeur"], nothing["Écart"], nothing["Bas (5 %)"], nothing["Haut (95 %)"],
            nothing["Remarque"]) == ("", "", "", "", "", "sans investissement")
    assert pay.loc[("Rénovation", "Variante consignes modifiées"), "Valeur"] == ""
    assert pay.loc[("Rénovation", "Variante consignes modifiées"), "Remarque"] == "sans investissement"
    never = pay.loc[("Rénovation", "variante proposée")]
    assert (never["Valeur"], never["Écart"], never["Remarque"]) == ("infini", "", "jamais")
    beyond = pay.loc[("Rénovation", "Variante rénovation de l'enveloppe")]
    assert (beyond["Valeur"], beyond["Écart"]) == ("38,5", "")  # +38,5 against « nothing invested » is no change
    assert beyond["Remarque"].startswith("ne se rembourse pas avant la fin de vie")
    # the investment itself is a change like any other, and other rows carry no remark
    spent = df[(df["Code"] == "investment_eur") & (df["Calcul"] == "Variante rénovation de l'enveloppe")].iloc[0]
    assert (spent["Valeur"], spent["Écart"], spent["Remarque"]) == ("9364313", "9364313", "")
    english = kpi_table([bins], {}, "en").decode("utf-8-sig")
    assert "High (95 %),Note\r\n" in english and english.count(",nothing invested\r\n") == 1


def test_the_spread_of_a_payback_leaves_out_the_variants_that_invest_nothing():
    """« Corbeilles temps de retour 0 an | 22,5 ans | 45 ans »: the median of « nothing invested » and 45
    years means nothing. The variants that invest nothing are left out and counted; « sans
    investissement » when none invests."""
    from twin.app.meeting_pack import spread_html

    vs = [_money_variant("Sans achat", "bins", 0.0, 0.0, capital="capital_cost_eur"),
          _money_variant("Compacteurs", "bins", 120_000.0, 45.0, capital="capital_cost_eur"),
          _money_variant("Consignes", "heating", 0.0, 0.0)]
    page = spread_html(vs, "fr")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " | ", page)).replace("\u00a0", " ")
    assert "Corbeilles et collecte | | temps de retour | | 1 (1 sans investissement) | | 45 ans | | 45 ans | | 45 ans" \
        in text, text
    assert "22,5 ans" not in text and "0 an " not in text
    assert "Chauffage des bâtiments | | temps de retour | | 0 (1 sans investissement) | | sans investissement" in text
    # the investment's own spread keeps every variant: 0 € is a figure
    assert "Corbeilles et collecte | | investissement | | 2 | | 0 € | | 60 000 € | | 120 000 €" in text


def test_the_spread_says_a_payback_that_never_comes_as_the_cards_do():
    """« 1 (+1 ∞) » beside « jamais » on the cards and in the table: a duration never reached is counted
    « jamais » in the spread too."""
    from twin.app.meeting_pack import spread_html

    vs = [_money_variant("Compacteurs", "bins", 120_000.0, 45.0, capital="capital_cost_eur"),
          _money_variant("Compacteurs partout", "bins", 900_000.0, float("inf"), capital="capital_cost_eur")]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " | ", spread_html(vs, "fr"))).replace("\u00a0", " ")
    assert "temps de retour | | 1 (+1 jamais) | | 45 ans" in text, text
    assert "∞" not in text
    english = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " | ", spread_html(vs, "en"))).replace("\u00a0", " ")
    assert "1 (+1 never)" in english, english


def test_the_spread_of_totals_over_other_hours_is_not_mixed():
    """Roadworks at night (21:00–24:00) and all day: their trips over the works' hours (3 h and 24 h) were one
    min / median / max, read as one measure. A row per hours, each said."""
    from twin.app.meeting_pack import spread_html

    def works(name, hours, value):
        base = {"variant": "baseline", "baseline_name": "baseline", "kpi": "vehicle_hours_window", "unit": "veh·h",
                "impact": "human", "value": 0.0, "window": hours}
        return Variant(name=name, family="roadworks", territory="redon", params={},
                       kpis=[base, {**base, "variant": "works", "value": value}])

    page = spread_html([works("Nuit", "21:00-24:00", 30.0), works("Nuit bis", "21:00-24:00", 50.0),
                        works("Jour", "00:00-24:00", 900.0)], "fr")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " | ", page)).replace("\u00a0", " ")
    assert "sur 21:00–24:00 | | 2 | | 30 h | | 40 h | | 50 h" in text, text
    assert "sur 00:00–24:00 | | 1 | | 900 h" in text, text
    same = spread_html([works("Nuit", "21:00-24:00", 30.0), works("Nuit bis", "21:00-24:00", 50.0)], "fr")
    assert " sur 21:00" not in same  # the same hours for all: nothing to tell apart


def test_a_payback_computed_beside_the_proposal_has_no_change():
    """« temps de retour 9,25 ans | +9,25 ans »: a payback against a baseline that invests nothing is no
    change. Its « Écart » cell says, as the cards do, whether it pays back; a dash where the value says
    it all (« sans investissement », « jamais ») — never a number, never an empty cell."""
    from twin.app.meeting_pack import _beside_html

    led = _money_variant("Éclairage LED", "lighting", 2_100.0, 0.12, beside=[("led_retrofit", 177_000.0, 9.25, 20.0)])
    heating = _money_variant("Planning", "heating", 0.0, 0.0,
                             beside=[("setpoint change", 0.0, 0.0, None), ("retrofit", 9_364_313.0, 38.5, 30.0),
                                     ("BMS + booking schedule", 50_000.0, float("inf"), 15.0)])

    def payback_cells(v) -> list[tuple[str, str]]:
        page = _beside_html(v, "fr").replace("\u00a0", " ")
        return re.findall(r"<td class='l'>temps de retour</td><td>([^<]*)</td><td[^>]*>([^<]*)</td>", page)

    assert payback_cells(led) == [("9,25 ans", "se rembourse")]
    cells = payback_cells(heating)
    assert cells[0] == ("sans investissement", "—")
    assert cells[1][0] == "38,5 ans" and cells[1][1].startswith("ne se rembourse pas avant la fin de vie supposée")
    assert cells[2] == ("jamais", "—")
    page = re.sub("[\u00a0\u202f]", " ", _beside_html(led, "fr"))
    assert "+177 000 €" in page  # the investment keeps its change


def test_a_value_the_page_started_with_is_said_so_not_a_participants_choice():
    """A roadworks variant run as the page starts it (hour by hour) read « Par défaut : non » for the day
    method, as if a participant had chosen it; the page's starting values are now said as such."""
    from twin.app.builder import QUICK
    from twin.app.meeting_pack import default_word

    assert default_word("roadworks", "day_method", "hourly") == "workshop_param_yes"  # the page's and the CLI's
    assert default_word("roadworks", "day_method", "peak+off-peak") == "workshop_param_no"
    assert default_word("bins", "days", 56) == "workshop_param_no"  # the page's old season: a choice now
    assert default_word("roadworks", "streets", ["Quai Saint-Jacques"]) == "workshop_param_page"
    assert default_word("water-pressure", "night_pressure_m", 30) == "workshop_param_page"  # 30 and 30.0


def test_the_changes_said_are_the_participants_not_the_pages():
    """A bins proposal left untouched read « Durée : 56 jours » (the page's shorter season) and a lighting one
    « Nom de la variante : … » beside its own name: neither is a change the participant made."""
    from twin.app.builder import QUICK
    from twin.app.meeting_pack import changed_params

    from twin.scenarios.bins import BinCollection

    # the page starts a family with the scenario's own settings: untouched, nothing changed
    untouched = Variant(name="Collecte", family="bins", territory="redon", params={**QUICK.get("bins", {}), "days": 91},
                        kpis=[])
    assert changed_params(untouched) == [] and BinCollection.param["days"].default == 91
    longer = Variant(name="Collecte", family="bins", territory="redon", params={"days": 91 * 2}, kpis=[])
    assert changed_params(longer) == ["days"]
    named = Variant(name="Extinction", family="lighting", territory="redon",
                    params={"variant_name": "Extinction 23 h–5 h"}, kpis=[])
    assert changed_params(named) == []
    works = Variant(name="Travaux", family="roadworks", territory="redon", params=dict(QUICK["roadworks"]), kpis=[])
    assert changed_params(works) == ["streets"]  # what the variant closes is said, page's start or not


def test_every_family_s_layers_are_described_and_their_columns_named_in_french(seed_territory):
    """The workshop fixture had no roadworks variant: its new table « cut_off_buildings » read « table …
    du modèle » in the annex and its columns can_leave / can_be_reached stayed English in the GeoPackage.
    Each family's small run (tests/test_paths.py): every layer described, every boolean column named."""
    from tests.test_paths import FAMILY_CASES
    from twin.app.i18n import STRINGS
    from twin.app.meeting_pack import COLUMN_FR
    from twin.scenarios import SCENARIOS

    for case in ("roadworks", "street-closure", "bins"):
        spec = FAMILY_CASES[case]
        out = SCENARIOS[spec["family"]].from_dict(spec).run(seed_territory)
        for name, info in out.table_info.items():
            assert f"workshop_table_{spec['family'].replace('-', '_')}_{name}" in STRINGS, (case, name)
            table = out.table(name)
            flags = [c for c in table.columns if table[c].dtype == bool]
            assert all(c in COLUMN_FR for c in flags), (case, name, [c for c in flags if c not in COLUMN_FR])


def test_a_bms_payback_beside_the_proposal_says_what_it_is_counted_against():
    """The annexes said « par rapport à la même situation actuelle » above the BMS's « jamais » beside its
    -152 026 €/an: its payback is counted against the booking schedule alone, and the block says so."""
    from twin.app.meeting_pack import _beside_html

    v = _money_variant("Planning", "heating", 0.0, 0.0, beside=[("BMS + booking schedule", 100_000.0, float("inf"), 15.0)])
    for r in v.kpis:
        if r["variant"] == "BMS + booking schedule" and r["kpi"] == "payback_years":
            r["payback_over"] = "booking schedule"
    page = _beside_html(v, "fr").replace("\u00a0", " ")
    row = page.split("data-kpi='payback_years'")[-1].split("</tr>")[0]
    assert "jamais" in row and "par rapport à « horaires selon les réservations » seul" in row, row


def test_a_list_of_homes_gives_its_estimated_people_to_the_tenth():
    """The water break's buildings CSV said « 1,98444 » people: an estimate from floor area, to the tenth."""
    from twin.app.meeting_pack import for_people

    homes = pd.DataFrame({"building_id": ["b1", "b2"], "people": [1.98444, 12.0], "hours_without_water": [48.0, 2.5]})
    out = for_people(homes, "fr")
    assert out["people"].tolist() == [2.0, 12.0] and out["hours_without_water"].tolist() == [48.0, 2.5]


def test_a_figure_that_leaves_out_stranded_trips_says_so_in_the_table():
    """« Rue Notre-Dame : -4,8 h » in indicateurs.csv with an empty « Remarque »: the cards say the fall leaves
    out the 250 trips left without a route; the table said nothing."""
    base = {"variant": "baseline", "baseline_name": "baseline", "impact": "human", "better": None}
    rows = [{**base, "kpi": "trips_without_route_window", "unit": "trips", "value": 0.0},
            {**base, "kpi": "vehicle_hours_window", "unit": "veh·h", "value": 900.0},
            {**base, "variant": "works", "kpi": "trips_without_route_window", "unit": "trips", "value": 250.0,
             "change": 250.0, "better": False},
            {**base, "variant": "works", "kpi": "vehicle_hours_window", "unit": "veh·h", "value": 895.2,
             "change": -4.8, "better": True}]
    works = Variant(name="Rue Notre-Dame", family="roadworks", territory="redon", params={}, kpis=rows)
    df = pd.read_csv(io.BytesIO(kpi_table([works], {}, "fr")), sep=";", decimal=",", encoding="utf-8-sig", dtype=str,
                     keep_default_na=False).set_index("Code")
    assert df.at["vehicle_hours_window", "Remarque"].startswith("sans les trajets"), df["Remarque"]
    assert df.at["trips_without_route_window", "Remarque"] == ""
