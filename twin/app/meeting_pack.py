"""The workshop's meeting pack: one zip a town hall files after the meeting.

* ``resume.pdf`` — one A4 page: the variants proposed, by whom, their votes and main changes;
* ``annexes.pdf`` — the spread of parameters and KPIs, then one page per variant (its KPI table
  by impact, parameters, assumptions, the layers and alert lists it brings);
* ``couches.gpkg`` — one GeoPackage layer per variant and outcome table, each row given its
  geometry from the territory by the table's key (street edge ``u-v-key`` of the drive graph,
  building, bin or lamp id), in the territory's CRS; layers and files named in the pack's language
  (« 01_quai-ferme_rues_fermees », :data:`TABLE_FR`);
* ``indicateurs.csv`` — the KPI table (a variant a run computes beside the proposal, the lighting's
  « Variante tout LED », in rows of its own without votes), ``variantes.csv`` — the variants, their
  votes and what they change in words, ``parametres.csv`` — every parameter of every variant, in
  words and as value and unit columns;
* ``alertes_*.csv`` — the flood families' lists (``…_batiments_a_alerter.csv``, ``…_rues_a_fermer.csv``).

The CSV files are what a French spreadsheet opens as is: UTF-8 with a byte-order mark (so Excel
reads the accents), ``;`` between fields and a decimal comma, numbers rounded to
:data:`CSV_SIGNIFICANT` significant digits; an infinite value is written ``infini`` (a payback that
never comes), a missing one is left empty. A payback (:data:`twin.outcome.PAYBACK_KPIS`) is said as
the cards say it: a variant that invests nothing has no payback time (« sans investissement », never
« 0 an »: read « paid back at once »), one that never pays back « jamais », and no payback has an
« écart » (it is already a comparison with a baseline that invests nothing): ``indicateurs.csv``
leaves those figures empty and says them in its last column, « Remarque » (:func:`payback_note`).
Parameters are said as people read them (:mod:`twin.app.param_text`: French labels, units, lighting
rules as sentences), never as code.

:func:`build_pack` is pure apart from printing the PDFs with the local chromium
(:func:`twin.app.report.report_pdf`); it takes the variants, their votes and outcomes and returns
the zip's bytes. A row whose key the territory does not know (a bin the variant adds, when its
table has no ``x``/``y``) keeps its attributes with an empty geometry, and the annex counts them.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from twin.app.cards import (VALUED_NOT_SPENT, beyond_life, judge, payback_over_text, stranded, stranded_note,
                            value_text)
from twin.app.i18n import (DURATION_UNITS, NEVER, STRINGS, family_label, fmt_number, fmt_quantity, kpi_label, shown_change,
                           t, town_name, unit_label)
from twin.app.report import DATE_FORMAT, comparison_html, provenance_notes_html, report_pdf
from twin.app.param_text import param_label, param_unit, param_value_text, unit_text, variant_text
from twin.app.verdicts import change_text, decider_preference
from twin.outcome import IMPACTS, PAYBACK_KPIS
from twin.app.workshop_state import is_default, kpi_spread, param_spread
from twin.territory.geopackage import Geometries, cell_value
from twin.timeutil import local_clock_text

PACK_CSS = """@page{size:A4;margin:12mm}body{font-family:'DejaVu Sans',system-ui,sans-serif;font-size:9.5pt;color:#222;margin:0}
h1{font-size:15pt;margin:0 0 4px}h2{font-size:11.5pt;margin:12px 0 4px}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:2px 5px;text-align:right;vertical-align:top}
td:first-child,th:first-child{text-align:left}.l{text-align:left}.note{color:#555;font-size:8.5pt}
.better{color:#1a7f37}.worse{color:#b42318}.synthetic{background:#fff4ce;padding:4px}
.annex{page-break-before:always}h3{font-size:10.5pt;margin:8px 0 2px}
.spread-params td:first-child{width:35%}.beside-block{break-inside:avoid}h2,h3{break-after:avoid}.summary td,.summary th{font-size:8.5pt;padding:2px 4px}.stranded-flag{background:#fff3cd;color:#664d03;padding:0 2px}
.q{white-space:nowrap;overflow-wrap:normal}"""

SUMMARY_MAX_VARIANTS = 12  # rows of the summary's table that fit one A4 page with its text; the rest: annexes
SUMMARY_KPIS = 3  # changes named per variant on the summary (the largest in %)
NOT_A_FILE_CHAR = re.compile(r"[^a-z0-9]+")

# French headers of the outcome tables' usual columns (other columns keep their name)
COLUMN_FR = {"variant": "variante", "building_id": "batiment_id", "edge": "troncon", "street": "rue",
             "osm_way_id": "voie_osm", "osm_way_ids": "voies_osm", "crossing": "croisement", "length_m": "longueur_m", "name": "nom",
             "address": "adresse", "use": "usage", "footprint_m2": "emprise_sol_m2", "depth_m_p90": "hauteur_eau_p90_m",
             "flooded_share_pct": "part_des_tirages_inonde_pct", "first_water_h": "eau_apres_h",
             # roadworks and flood detours
             "baseline": "debit_actuel_veh_h", "works": "debit_variante_veh_h", "change": "ecart_veh_h",
             "closed": "fermee", "under_works": "en_travaux", "signed_detour": "deviation_flechee",
             "service": "service",
             "time_before_min": "temps_avant_min", "time_after_min": "temps_apres_min", "reachable": "accessible",
             "late": "hors_delai", "can_leave": "sortie_possible", "can_be_reached": "acces_possible",
             # water break
             "building": "batiment_id", "junction": "noeud", "people": "personnes",
             "hours_without_water": "heures_sans_eau", "link": "conduite", "node": "noeud", "site": "site",
             # lighting
             "lamp_id": "lampadaire_id", "cabinet_id": "armoire_id", "schedule": "regle", "power_w": "puissance_w",
             "kwh": "kwh_an", "equivalent_hours": "heures_equivalentes", "burning_hours": "heures_allumage",
             "night_hours": "heures_de_nuit", "clock_needed": "horloge_a_poser",
             # heating
             "gas_kwh": "gaz_kwh", "comfort_gap_h": "heures_inconfort", "heating_gas_kwh": "gaz_chauffage_kwh",
             "base_gas_kwh": "gaz_hors_chauffage_kwh", "gains_kw": "apports_kw", "gains_at_bound": "apports_en_butee",
             "metered_gas_kwh": "gaz_compteur_kwh", "saving_kwh": "economie_kwh", "saving_pct": "economie_pct",
             "baseline_over_meter": "simulation_sur_compteur",
             # bins
             "bin_id": "corbeille_id", "new": "ajoutee", "capacity_l": "volume_l", "compaction": "compaction",
             "forecast_rate_l_per_h": "remplissage_l_h", "overflow_hours": "heures_pleine",
             "overflow_hours_per_week": "heures_pleine_semaine", "litter_l": "dechets_au_sol_l",
             "collections": "collectes"}
"""The tables' column names in the pack's French files (CSV and GeoPackage): plain ASCII words a GIS
or spreadsheet takes as field names (a column without one keeps the model's name)."""


TABLE_FR = {"bins": "corbeilles", "buildings": "batiments", "buildings_to_alert": "batiments_a_alerter",
            "buildings_without_water": "batiments_sans_eau", "closed_streets": "rues_fermees",
            "cut_off_buildings": "batiments_coupes_du_reseau", "districts": "secteurs", "lamps": "lampadaires",
            "nodes_without_water": "noeuds_sans_eau", "past_forecasts": "crues_passees_rejouees",
            "sensitive_sites": "sites_sensibles", "streets": "rues", "streets_to_close": "rues_a_fermer",
            "valves_to_close": "vannes_a_fermer", "water_nodes": "noeuds_eau", "water_pipes": "conduites"}
"""The outcome tables' names in French file and layer names (« alertes_…_batiments_a_alerter.csv »: a flood
officer's download was named ``…_buildings_to_alert.csv``); a table without one keeps its name."""


def table_file_name(table: str, lang: str = "fr") -> str:
    """An outcome table's name as its files and layers are named in ``lang`` (:data:`TABLE_FR`)."""
    return TABLE_FR.get(table, table) if lang == "fr" else table


def slug(text: str, limit: int = 30) -> str:
    """``Quai fermé, vers la mairie`` → ``quai-ferme-vers-la-mairie`` (file and layer names)."""
    ascii_ = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return NOT_A_FILE_CHAR.sub("-", ascii_).strip("-")[:limit].strip("-") or "variante"


def _variant_of(v) -> str:
    """The variant of a saved run that its card shows (its first that is not the baseline)."""
    return next((r["variant"] for r in v.kpis if r["variant"] != r.get("baseline_name")), "")


# --- numbers for French spreadsheets ---------------------------------------------------------------

CSV_SIGNIFICANT = 6
"""Significant digits of a number in the pack's CSV files: 12.345678901 is written 12,3457 — more than
any model figure holds (their 5–95 % bands are wider), short enough to read in a cell."""


def csv_number(x, significant: int = CSV_SIGNIFICANT, lang: str = "fr") -> str:
    """A number as a French spreadsheet reads it: decimal comma, no thousands separator, rounded to
    ``significant`` digits (an integer's digits all kept); ``infini`` / ``-infini``; empty when missing.
    In English (``lang="en"``) as an English one does: decimal point, ``inf``, ``yes`` / ``no``."""
    en = lang == "en"
    if x is None or (isinstance(x, str) and not x):
        return ""
    if isinstance(x, bool):
        return ("yes" if x else "no") if en else ("oui" if x else "non")
    if isinstance(x, (int, float)):
        x = float(x)
        if math.isnan(x):
            return ""
        if math.isinf(x):
            return ("inf" if x > 0 else "-inf") if en else ("infini" if x > 0 else "-infini")
        if x.is_integer() and abs(x) < 1e15:
            return str(int(x))
        decimals = max(0, significant - 1 - math.floor(math.log10(abs(x))))
        text = f"{round(x, decimals):.{decimals}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        text = "0" if text in ("-0", "") else text
        return text if en else text.replace(".", ",")
    return str(x)


def csv_bytes(header: list[str], rows: list[list], lang: str = "fr") -> bytes:
    """UTF-8 with BOM, ``;``-separated, decimal comma (see :func:`csv_number`); in English
    (``lang="en"``) ``,``-separated with a decimal point: an English spreadsheet read « 2,5 » as text."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="," if lang == "en" else ";", lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([csv_number(x, lang=lang) if not isinstance(x, str) else x for x in r])
    return buf.getvalue().encode("utf-8-sig")


def _frame_csv(df: pd.DataFrame, lang: str = "fr") -> bytes:
    """A table's CSV: French column names (:data:`COLUMN_FR`) in French, the model's own in English."""
    cols = [COLUMN_FR.get(c, c) for c in df.columns] if lang == "fr" else list(df.columns)
    return csv_bytes(cols, [[_scalar(x) for x in row] for row in df.itertuples(index=False)], lang)


def _text(x) -> str:
    """A table cell as text (lists as JSON, missing as empty)."""
    s = _scalar(x)
    return s if isinstance(s, str) else str(s)


_scalar = cell_value  # a table cell as one value (lists as JSON text, missing as "")


# --- paybacks: « sans investissement », « jamais », never an « écart » ------------------------------

INVESTMENT_KPIS = ("investment_eur", "capital_cost_eur")
"""The KPIs that say what a variant spends up front (lighting, heating, water meters: ``investment_eur``;
bins: ``capital_cost_eur``): where it is 0, the variant's payback is no time — nothing is paid back."""


def _number(x) -> bool:
    """A number, infinite included (not None, text, a bool nor NaN)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and not math.isnan(x)


def nothing_invested(row: dict, rows: list[dict]) -> bool:
    """Whether ``row`` is the payback (:data:`twin.outcome.PAYBACK_KPIS`) of a variant that invests
    nothing: its investment KPI (:data:`INVESTMENT_KPIS`) among ``rows``, the same variant's, is 0; for a
    family without one (the water pressure's), its payback is 0 — :func:`twin.economics.payback_years`
    gives 0 only when nothing is spent. A baseline's row is judged the same way."""
    if row is None or row.get("kpi") not in PAYBACK_KPIS:
        return False
    spent = next((r.get("value") for r in rows if r["variant"] == row["variant"] and r["kpi"] in INVESTMENT_KPIS),
                 None)
    return spent == 0 if _number(spent) else row.get("value") == 0


def payback_note(row: dict, rows: list[dict], lang: str = "fr") -> str:
    """What a payback row's figure cannot say, in words (the cards' words): « sans investissement »
    (:func:`nothing_invested`), « jamais » (it never pays back), « ne se rembourse pas avant la fin de
    vie supposée de l'équipement (N ans) » (:func:`twin.app.cards.beyond_life`); "" otherwise and for
    any other KPI."""
    if row.get("kpi") not in PAYBACK_KPIS:
        return ""
    if nothing_invested(row, rows):
        return t("payback_nothing_invested", lang)
    value = row.get("value")
    over = payback_over_text(row, lang)  # a BMS's « jamais » is against the booking schedule, not today
    if _number(value) and math.isinf(value) and value > 0:
        return NEVER["en" if lang == "en" else "fr"] + (f" ({over})" if over else "")
    if beyond_life(row):
        return t("pays_back_beyond_life", lang, life=fmt_number(row["life_years"], lang)) + (f" ({over})" if over else "")
    return over


def csv_figures(row: dict, rows: list[dict]) -> dict:
    """A KPI row's figures as ``indicateurs.csv`` writes them: a payback's without its change (+9,25
    years against a baseline that invests nothing is no change, and « infini » of a payback that never
    comes no figure either), and left empty where nothing is invested — its value and band, and the
    baseline's when the baseline invests nothing (their 0 read « paid back at once »): the row's
    :func:`payback_note` says it in words. Any other row as it is."""
    if row.get("kpi") not in PAYBACK_KPIS:
        return row
    out = {**row, "change": None, "change_pct": None}
    if nothing_invested(row, rows):
        out.update(value=None, low=None, high=None)
    base = next((r for r in rows if r["kpi"] == row["kpi"] and r["variant"] == row.get("baseline_name")), None)
    if nothing_invested(base, rows) if base is not None else row.get("baseline") == 0:
        out["baseline"] = None
    return out


def _payback_change(row: dict, rows: list[dict], lang: str) -> tuple[str, str]:
    """(colour class, text) of a payback's « Écart » cell: not a change but, as the cards say, whether
    it pays back (« se rembourse », or not within the equipment's life); a dash where the value alone
    says it (« sans investissement », « jamais ») — a cell left empty read as a figure forgotten."""
    if nothing_invested(row, rows):
        return "", "—"
    if beyond_life(row):
        return "worse", t("pays_back_beyond_life", lang, life=fmt_number(row["life_years"], lang))
    return ("better", t("pays_back", lang)) if judge(row) == "better" else ("", "—")


# --- the KPI and variant tables --------------------------------------------------------------------

KPI_HEADER_FR = ["Variante", "Calcul", "Auteur", "Famille", "Votes", "Impact", "Indicateur", "Code", "Unité",
                 "Référence", "Valeur", "Écart", "Écart (%)", "Bas (5 %)", "Haut (95 %)", "Remarque"]
KPI_HEADER_EN = ["Variant", "Run", "Author", "Family", "Votes", "Impact", "KPI", "Code", "Unit", "Baseline",
                 "Value", "Change", "Change (%)", "Low (5 %)", "High (95 %)", "Note"]


def kpi_table(variants, votes: dict, lang: str = "fr") -> bytes:
    """``indicateurs.csv``: one row per variant and KPI, against its baseline — the proposal's rows
    (« Calcul » : « variante proposée »), then those of a variant its run computed beside it
    (« Variante tout LED »), whose « Votes » cell stays empty: a vote is for the proposal, and a sum
    of the column counts each vote once.

    A payback's row (:func:`csv_figures`) has no « Écart » and no « Écart (%) »; where nothing is
    invested its « Valeur », « Bas » and « Haut » are empty (as « Référence » when the baseline invests
    nothing), never 0. The last column, « Remarque », says in words what a figure cannot
    (:func:`payback_note`: « sans investissement », « jamais », beyond the equipment's life) and, on a
    figure that leaves out the trips or buildings a closure strands, that it does
    (:func:`twin.app.cards.stranded_note`); it is empty on every other row."""
    rows = []
    for v in variants:
        shown = _variant_of(v)
        others = list(dict.fromkeys(r["variant"] for r in v.kpis
                                    if r["variant"] not in (shown, r.get("baseline_name"))))
        for run in [shown, *others]:
            for row in v.kpis:
                if row["variant"] != run:
                    continue
                r = csv_figures(row, v.kpis)
                # a figure that falls only because trips or buildings lost their route says so, as the cards do
                # (« -4,8 h » with an empty remark read as a gain of the works)
                remark = " ; ".join(x for x in (payback_note(row, v.kpis, lang),
                                                stranded_note(row, stranded(v.kpis, run), lang)) if x)
                rows.append([v.name, t("workshop_variant_own", lang) if run == shown else variant_text(run, lang),
                             v.author, family_label(v.family, lang), len(votes.get(v.id, [])) if run == shown else None,
                             t(r.get("impact", ""), lang) if r.get("impact") else "", kpi_label(r["kpi"], "", lang),
                             r["kpi"], unit_label(r.get("unit", ""), lang), r.get("baseline"), r.get("value"),
                             r.get("change"), r.get("change_pct"), r.get("low"), r.get("high"), remark])
    return csv_bytes(KPI_HEADER_FR if lang == "fr" else KPI_HEADER_EN, rows, lang)


def changed_params(v) -> list[str]:
    """The names of a variant's parameters that differ from their declaration's default: what the
    proposal changes (its name aside, said on its own). The page starts a family with the scenario's own
    run settings (:data:`twin.app.builder.QUICK` holds none): a bins proposal left untouched no longer
    reads « Durée : 56 jours »; a street the page starts with stays said: it is what the variant closes."""
    return [k for k in _declared_order(v) if k != "variant_name" and not is_default(v.family, k, v.params[k])]


def _declared_order(v) -> list[str]:
    """A variant's parameter names in their declaration's order (the form's), unknown ones last."""
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    cls = SCENARIOS.get(v.family)
    order = list(cls.param) if cls is not None else []
    return sorted(v.params, key=lambda k: (order.index(k) if k in order else len(order)))


def _params_line(v, lang: str) -> str:
    sep = " : " if lang == "fr" else ": "
    keys = changed_params(v)
    return " | ".join(f"{param_label(v.family, k, lang)}{sep}{param_value_text(v.family, k, v.params[k], lang)}"
                      for k in keys) or t("workshop_pack_no_param_change", lang)


def variant_table(variants, votes: dict, lang: str = "fr") -> bytes:
    """``variantes.csv``: one row per variant — name, author, family, votes and voters, and what it
    changes from the defaults in words (« Prix de l'électricité (HT) : 0,25 €/kWh | Règles : Éteindre
    de 23 h à 5 h — tous les lampadaires »); every parameter, with its value and unit in columns of
    their own, is in ``parametres.csv`` (:func:`param_table`)."""
    head = (["Variante", "Auteur", "Famille", "Votes", "Votants", "Paramètres modifiés", "Identifiant"] if lang == "fr"
            else ["Variant", "Author", "Family", "Votes", "Voters", "Parameters changed", "Id"])
    return csv_bytes(head, [[v.name, v.author, family_label(v.family, lang), len(votes.get(v.id, [])),
                             ", ".join(votes.get(v.id, [])), _params_line(v, lang), v.id] for v in variants], lang)


PARAM_HEADER_FR = ["Variante", "Famille", "Paramètre", "Valeur (texte)", "Valeur", "Unité", "Par défaut", "Code",
                   "Valeur (fichier de scénario)", "Identifiant"]
PARAM_HEADER_EN = ["Variant", "Family", "Parameter", "Value (text)", "Value", "Unit", "Default", "Code",
                   "Value (scenario file)", "Id"]


def default_word(family: str, name: str, value) -> str:
    """« oui » (the declaration's default), « valeur de départ de la page » (the page's own starting value,
    :data:`twin.app.builder.QUICK`: a roadworks' hour-by-hour method read « non », as if a participant had
    chosen it) or « non »: the catalogue key."""
    if is_default(family, name, value):
        return "workshop_param_yes"
    from twin.app.builder import QUICK  # noqa: PLC0415 - the page's starting values

    page = QUICK.get(family, {})
    if name in page:
        start = page[name]
        numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (start, value))
        if (float(start) == float(value)) if numbers else json.dumps(start, sort_keys=True, default=str) == \
                json.dumps(value, sort_keys=True, default=str):  # 30 and 30.0 are one value
            return "workshop_param_page"
    return "workshop_param_no"


def param_table(variants, lang: str = "fr") -> bytes:
    """``parametres.csv``: one row per variant and parameter — its label and value in words, then for a
    spreadsheet the number alone (« Valeur ») and its unit (« Unité »), whether it is the default, its
    code and its value as a scenario file writes it (JSON for lists and rules: what ``twin run`` reads)."""

    rows = []
    for v in variants:
        for k in _declared_order(v):
            val = v.params[k]
            number = val if isinstance(val, (int, float)) and not isinstance(val, bool) else None
            unit = unit_text(param_unit(v.family, k), lang) if number is not None else ""
            rows.append([v.name, family_label(v.family, lang), param_label(v.family, k, lang),
                         param_value_text(v.family, k, val, lang), number, unit,
                         t(default_word(v.family, k, val), lang), k,
                         val if isinstance(val, str) else json.dumps(val, ensure_ascii=False), v.id])
    return csv_bytes(PARAM_HEADER_FR if lang == "fr" else PARAM_HEADER_EN, rows, lang)


# --- geometry joined by key: twin.territory.geopackage.Geometries ---------------------------------


def table_text(family: str, table: str, description: str, lang: str = "fr") -> str:
    """What an outcome table holds, for the annex: the catalogue's words (``workshop_table_<family>_<table>``);
    in English the model's own description when the catalogue has none; never English in French."""
    key = f"workshop_table_{family.replace('-', '_')}_{table}"
    if key in STRINGS:
        return t(key, lang)
    return description if lang == "en" and description else t("workshop_table_other", lang, name=table)


def _rows_of(table: pd.DataFrame, shown: str) -> pd.DataFrame:
    """The rows of the variant ``shown``; all rows when the table has no ``variant`` column or names
    other variants in it (a flood-detours' streets to close carry the flood's variant, not the
    detours' own: filtered on the latter, the list came out empty)."""
    if "variant" in table.columns and shown:
        mine = table["variant"].astype(str) == shown
        if mine.any():
            return table[mine].reset_index(drop=True)
    return table


def alert_lists(outcome, shown: str | None = None, lang: str = "fr") -> dict[str, bytes]:
    """{table name: its CSV} of a flood or main-break outcome's lists (buildings to alert, streets to close;
    buildings without water, valves to close) for the
    variant ``shown`` (the outcome's first by default), as the meeting pack writes them (French
    spreadsheets: ``;``, decimal comma; in English ``,`` and a decimal point); {} for an outcome of another
    family."""
    family = str(outcome.data.attrs.get("scenario", ""))
    if family == "roadworks" and "cut_off_buildings" in outcome.tables:  # who to tell the works shut in
        return {"cut_off_buildings": _frame_csv(for_people(outcome.tables["cut_off_buildings"], lang), lang)}
    if not family.startswith("flood") and family != "water-break":  # who to warn, what to shut
        return {}
    shown = shown or outcome.first_variant
    out = {}
    for name, info in outcome.table_info.items():
        if info.kind == "list":
            table = for_people(_one_row_a_segment(_rows_of(outcome.tables[name], shown)), lang)
            out[name] = _frame_csv(_record_columns(table, lang) if name == "past_forecasts" else table, lang)
    return out


_RECORD_COLUMNS = {
    "flood_peak_time": ("pic de la crue (heure de Paris)", "flood peak (Paris time)"),
    "lead_h": ("émise avant le pic (h)", "lead (h)"),
    "issued": ("émise (heure de Paris)", "issued (Paris time)"),
    "forecast_peak_m": ("pic prévu (m)", "forecast peak (m)"),
    "forecast_peak_time": ("heure du pic prévu (heure de Paris)", "forecast peak time (Paris time)"),
    "observed_peak_m": ("pic lu (m)", "peak read (m)"),
    "observed_peak_time": ("heure du pic lu (heure de Paris)", "peak read at (Paris time)"),
    "stage_at_issue_m": ("hauteur à l'émission (m)", "stage at issue (m)"),
    "peak_error_m": ("écart du pic (m)", "peak error (m)"),
    "peak_timing_error_h": ("écart de l'heure du pic (h)", "peak timing error (h)"),
}
_RECORD_LEVEL_COLUMNS = {"forecast": ("annoncé", "announced"), "observed": ("atteint", "reached"),
                         "p_pct": ("probabilité (%)", "probability (%)"),
                         "at_issue": ("déjà atteint à l'émission", "already reached at issue")}
_LEVEL_WORDS = {"yellow": ("jaune", "yellow"), "orange": ("orange", "orange"), "red": ("rouge", "red")}


def _record_columns(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A flood record's replayed forecasts (:mod:`twin.scenarios.flood_skill`) with its columns named in ``lang``,
    their times on Paris's clock, a probability to the percent's tenth (the key ``forecast`` left out: the issue
    time)."""
    i = 0 if lang == "fr" else 1
    names = {k: v[i] for k, v in _RECORD_COLUMNS.items()}
    for lvl, words in _LEVEL_WORDS.items():
        names |= {f"{lvl}_{k}": f"{words[i]} : {v[i]}" if lang == "fr" else f"{words[i]}: {v[i]}"
                  for k, v in _RECORD_LEVEL_COLUMNS.items()}
    from twin.app.views.flood import local_clock  # noqa: PLC0415 - the chart's clock: the page's

    out = table.drop(columns=[c for c in ("forecast",) if c in table.columns])
    out = out.round({c: 1 for c in out.columns if str(c).endswith("_p_pct")})
    for column in ("flood_peak_time", "issued", "forecast_peak_time", "observed_peak_time"):
        if column in out:  # on Paris's clock, as the box beside it (« 26/12/2022 0 h » against « 2022-12-25 23:00 »)
            out[column] = local_clock(pd.to_datetime(out[column]))
    return out.rename(columns=names)


def for_people(table: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A list to hand over (the buildings to alert, the streets to close) as a person reads it: without the
    model's variant label (« ensemble of 200 (rain analogs ±30 d, 2021–2023) »: the file is one variant's),
    the buildings' use in words (« unknown » was written), depths and lengths in centimetres (« 1,14826 m »),
    people (an estimate from floor area) to the tenth."""
    from twin.app.mapview import osm_text  # noqa: PLC0415

    out = table.drop(columns=[c for c in ("variant",) if c in table.columns]).copy()
    if "use" in out:
        out["use"] = [osm_text("use", u, lang) if isinstance(u, str) and u else "" for u in out["use"]]
    for column in out.columns:
        if re.search(r"_m(_|$)", str(column)) and pd.api.types.is_float_dtype(out[column]):  # depth_m_p90: metres
            out[column] = out[column].round(2)
        elif column == "people" and pd.api.types.is_float_dtype(out[column]):  # an estimate: « 1,98444 » was written
            out[column] = out[column].round(1)
    return out


def _one_row_a_segment(table: pd.DataFrame) -> pd.DataFrame:
    """A list of streets as a person reads it: a two-way street's two directions (one ``segment``) in one
    row; a table without segments as it is."""
    if "segment" not in table.columns:
        return table
    return table.drop_duplicates("segment").drop(columns="segment").reset_index(drop=True)


# --- the pages -------------------------------------------------------------------------------------

def _head(title: str, lang: str) -> str:
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{PACK_CSS}</style></head><body>")


def _main_changes(v, lang: str) -> str:
    """The ``SUMMARY_KPIS`` largest changes of a variant (in % of its baseline), as HTML.

    A variant that strands demand (a roadworks or flood-detours closure leaving trips or buildings
    without a route: :func:`twin.app.cards.stranded`) has that figure first, flagged, and each
    change that leaves it out (vehicle-km, vehicle-hours…) says so: a fall of vehicle-km is then the
    trips that vanished, not an improvement."""
    from twin.app.cards import (  # noqa: PLC0415 - the page's own rules
        RELATIVE_KPIS, change_note, no_change, shorter_but_slower, stranded,
    )

    shown = _variant_of(v)
    flagged = stranded(v.kpis, shown)
    parts = []
    for kpi, r in flagged.items():
        parts.append(f"<span class='stranded-flag' data-flag='{html.escape(kpi)}'>⚠ "
                     f"{html.escape(kpi_label(kpi, '', lang))}{' : ' if lang == 'fr' else ': '}"
                     f"{html.escape(fmt_quantity(r['value'], unit_label(r['unit'], lang), lang))}</span>")
    # a payback against « nothing invested » is no change (the cards say « se rembourse » or not); the drivers'
    # time in euros is the vehicle-hours' change again, in a unit read as the town's money: in the annexes only
    rows = [r for r in v.kpis if r["variant"] == shown and r["kpi"] not in flagged and r["kpi"] not in RELATIVE_KPIS
            and r["kpi"] not in VALUED_NOT_SPENT and not no_change(r, lang)  # no change to name (cards)
            and isinstance(r.get("change"), (int, float)) and math.isfinite(r["change"]) and r["change"] != 0]

    def pct(r):  # a change with no meaning in per cent (a river stage, twin.outcome.KPI.ratio_scale) ranks last
        p = r.get("change_pct")
        return abs(p) if isinstance(p, (int, float)) and math.isfinite(p) else -1.0

    rows.sort(key=lambda r: -pct(r))
    # each impact's headline first (the money of the financial one, the CO2 of the environmental one:
    # :func:`twin.app.verdicts.decider_preference`), then the largest changes: « heures d'allumage -49 % »
    # alone left out the euros an elected official looks for
    heads = []
    for impact in IMPACTS:
        mine = [r for r in rows if r.get("impact") == impact]
        if mine:
            heads.append(min(mine, key=lambda r: decider_preference(impact, r["kpi"], str(r.get("unit", "")))))
    # the money first, then the other headlines by the size of their change: a roadworks' CO2 (-0,2 %) came
    # before the time lost (+0,9 %) and, with its stranded trips flagged, was the one change named
    heads.sort(key=lambda r: (r.get("impact") != "financial", -pct(r)))
    rows = heads + [r for r in rows if all(r is not h for h in heads)]
    notes = []
    # the flags (one line, however many) count among the changes named: the summary stays one page
    for r in rows[:max(1, SUMMARY_KPIS - min(len(flagged), 1))]:
        note = change_note(r, flagged, lang)
        mark = "*" if note else ""
        notes += [note] if note and note not in notes else []
        # a share changes by points, as on the cards (« -13,6 % » there read as « -13,6 pts » on the screen)
        parts.append(html.escape(f"{kpi_label(r['kpi'], '', lang)} {change_text(shown_change(r), r['unit'], lang)}{mark}"))
    text = " ; ".join(parts) or html.escape(t("workshop_pack_no_change", lang))
    text += f" <span class='note'>(* {html.escape(', '.join(notes))})</span>" if notes else ""
    # the km fall but the time at the wheel rises: the CO2 counted per km is no gain (as the cards say)
    slower = shorter_but_slower(v.kpis, shown, lang)
    return text + (f"<div class='note shorter-but-slower'>{html.escape(slower)}</div>" if slower else "")


def _beside_html(v, lang: str) -> str:
    """The variants a run computed beside the proposal (the lighting's « Variante tout LED »): each
    KPI's value and change from the baseline, in a table of its own ("" when there is none)."""
    shown = _variant_of(v)
    others = list(dict.fromkeys(r["variant"] for r in v.kpis if r["variant"] not in (shown, r.get("baseline_name"))))
    parts = []
    for run in others:
        parts.append(f"<div class='beside-block'><h2 class='beside' data-variant='{html.escape(run)}'>"
                     f"{html.escape(variant_text(run, lang))}</h2>"
                     f"<p class='note'>{html.escape(t('workshop_pack_beside', lang))}</p><table><tr>"
                     + "".join(f"<th class='l'>{html.escape(t(k, lang))}</th>" for k in ("workshop_col_kpi",))
                     + "".join(f"<th>{html.escape(t(k, lang))}</th>" for k in ("workshop_col_value", "workshop_col_change"))
                     + "</tr>")
        for r in (r for r in v.kpis if r["variant"] == run):
            unit = unit_label(r.get("unit", ""), lang)
            # a payback against « nothing invested » is no change: whether it pays back, as the cards say
            cls, change = _payback_change(r, v.kpis, lang) if r["kpi"] in PAYBACK_KPIS else \
                ("", fmt_quantity(shown_change(r), unit, lang, signed=True))
            mark = f" class='{cls}'" if cls else ""
            # a BMS's « jamais » is against the booking schedule alone, not the situation the block names
            over = payback_over_text(r, lang) if r["kpi"] in PAYBACK_KPIS else ""
            over = f"<br><span class='note payback-over'>{html.escape(over)}</span>" if over else ""
            parts.append(f"<tr data-kpi='{html.escape(r['kpi'])}'>"
                         f"<td class='l'>{html.escape(kpi_label(r['kpi'], '', lang))}</td>"
                         f"<td>{html.escape(value_text(r, lang))}{over}</td><td{mark}>{html.escape(change)}</td></tr>")
        parts.append("</table></div>")
    return "".join(parts)


def summary_html(variants, votes: dict, participants: list[str], territory, when: str, frozen: bool,
                 lang: str = "fr", files: list[str] | None = None) -> str:
    """The one-page summary: the variants by votes, their authors and main changes."""
    title = t("workshop_pack_title", lang, name=town_name(territory.name))
    ranked = sorted(variants, key=lambda v: (-len(votes.get(v.id, [])), v.order, v.created))
    parts = [_head(title, lang), f"<h1>{html.escape(title)}</h1>",
             f"<p class='note'>{html.escape(t('workshop_pack_frozen' if frozen else 'workshop_pack_live', lang, when=when))}"
             f" — {html.escape(t('workshop_pack_participants', lang, n=len(participants)))}"
             + (f"{' :' if lang == 'fr' else ':'} {html.escape(', '.join(participants[:20]))}"
                f"{' …' if len(participants) > 20 else ''}" if participants else "")
             + "</p>"]
    parts.append(provenance_notes_html(variants, territory, lang))
    parts.append(f"<h2>{html.escape(t('workshop_pack_variants', lang, n=len(variants)))}</h2>")
    head = "".join(f"<th class='l'>{html.escape(t(k, lang))}</th>" for k in
                   ("workshop_col_variant", "workshop_col_author", "workshop_col_family"))
    # widths that leave the changes room: a row stays two or three lines, the page one page
    parts.append("<table class='summary'><colgroup><col style='width:3%'><col style='width:21%'><col style='width:14%'>"
                 "<col style='width:13%'><col style='width:6%'><col style='width:43%'></colgroup>")
    parts.append(f"<tr><th>#</th>{head}<th>{html.escape(t('workshop_col_votes', lang))}</th>"
                 f"<th class='l'>{html.escape(t('workshop_col_changes', lang))}</th></tr>")
    for i, v in enumerate(ranked[:SUMMARY_MAX_VARIANTS], start=1):
        parts.append(f"<tr><td>{i}</td><td class='l'><b>{html.escape(v.name)}</b></td>"
                     f"<td class='l'>{html.escape(v.author or '—')}</td>"
                     f"<td class='l'>{html.escape(family_label(v.family, lang))}</td>"
                     f"<td>{len(votes.get(v.id, []))}</td><td class='l'>{_main_changes(v, lang)}</td></tr>")
    parts.append("</table>")
    if len(ranked) > SUMMARY_MAX_VARIANTS:
        parts.append(f"<p class='note'>{html.escape(t('workshop_pack_more', lang, n=len(ranked) - SUMMARY_MAX_VARIANTS))}</p>")
    if files:
        parts.append(f"<h2>{html.escape(t('workshop_pack_contents', lang))}</h2><p class='note'>"
                     + html.escape(", ".join(files)) + "</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def spread_rows(variants) -> list[dict]:
    """The rows of :func:`twin.app.workshop_state.kpi_spread`, with the variants whose payback is no time
    (:func:`nothing_invested`) left out of that payback's min / median / max — a median of « nothing
    invested » and 45 years means nothing — and counted in the row's ``"nothing_invested"`` (0 on every
    other row)."""
    counts: dict[tuple[str, str, str], int] = {}
    kept = []
    for v in variants:
        own = _variant_of(v)
        rows = []
        for r in v.kpis:
            if r["variant"] != r.get("baseline_name") and nothing_invested(r, v.kpis):
                key = (v.family, "" if r["variant"] == own else str(r["variant"]), r["kpi"])
                counts[key] = counts.get(key, 0) + 1
                r = {**r, "value": math.nan}  # neither a value nor « never »: kpi_spread counts it nowhere
            rows.append(r)
        kept.append(SimpleNamespace(family=v.family, kpis=rows))  # all kpi_spread reads of a variant
    return [{**r, "nothing_invested": counts.get((r["family"], r["variant"], r["kpi"]), 0)} for r in kpi_spread(kept)]


def _spread_cells(r: dict, lang: str) -> tuple[str, str]:
    """(count cell, min / median / max cells) of a :func:`spread_rows` row: the variants counted, those
    that never reach a value apart (« +1 jamais » for a duration) and those left out for investing nothing (« 1 sans
    investissement »); « sans investissement » across the three figures when no variant invests."""
    # a duration never reached is « jamais », as on the cards and in the table ("∞" for another quantity)
    never = NEVER.get(lang, NEVER["en"]) if r["unit"] in DURATION_UNITS else "∞"
    extra = ([f"+{r['infinite']} {never}"] if r["infinite"] else []) + \
        ([t("workshop_spread_nothing_invested", lang, n=r["nothing_invested"])] if r["nothing_invested"] else [])
    n = f"{r['n']}" + (f" ({', '.join(extra)})" if extra else "")
    if r["nothing_invested"] and not r["n"] and not r["infinite"]:
        return n, f"<td colspan='3'>{html.escape(t('payback_nothing_invested', lang))}</td>"
    unit = unit_label(r["unit"], lang)
    return n, "".join(f"<td>{html.escape(fmt_quantity(r[k], unit, lang))}</td>" for k in ("min", "median", "max"))


def _hours(r: dict, rows: list[dict], lang: str) -> str:
    """« sur 07:00–10:00 » after a spread row's KPI when other rows give it over other hours ("" else)."""
    others = {x["window"] for x in rows if (x["family"], x["variant"], x["kpi"]) == (r["family"], r["variant"], r["kpi"])}
    return t("compare_over_window", lang, hours=r["window"].replace("-", "–")) if r.get("window") and len(others) > 1 \
        else ""


def spread_html(variants, lang: str = "fr") -> str:
    """Tables of the spread: per parameter the values proposed (French labels, values with their
    units, lighting rules as sentences: :mod:`twin.app.param_text`), what sets the variants apart
    first and the parameters every variant left at their default in one line; per KPI min / median /
    max of the proposals, then of each variant computed beside them (« Variante tout LED ») apart — a
    payback's without the variants that invest nothing (:func:`spread_rows`), counted aside."""
    parts = [f"<h2>{html.escape(t('workshop_spread_params', lang))}</h2>"]
    rows = param_spread(variants, lang)
    for family in dict.fromkeys(r["family"] for r in rows):
        mine = [r for r in rows if r["family"] == family]
        shown = [r for r in mine if not r["default"]]
        same = [r["label"] for r in mine if r["default"]]
        parts.append(f"<h3>{html.escape(family_label(family, lang))}</h3>")
        if shown:
            parts.append("<table class='spread-params'><tr>" + "".join(
                f"<th class='l'>{html.escape(t(k, lang))}</th>" for k in ("workshop_col_param", "workshop_col_values"))
                + "</tr>")
            for r in shown:
                values = "<br>".join(f"{html.escape(text)} <span class='note'>(×{n})</span>" for text, n in r["values"])
                cls = " class='varied'" if r["varied"] else ""
                parts.append(f"<tr{cls} data-param='{html.escape(r['param'])}'><td class='l'>{html.escape(r['label'])}"
                             f"</td><td class='l'>{values}</td></tr>")
            parts.append("</table>")
        if same:
            parts.append(f"<p class='note spread-same'>{html.escape(t('workshop_spread_same', lang, n=len(same), labels=', '.join(same)))}</p>")
    parts.append(f"<h2>{html.escape(t('workshop_spread_kpis', lang))}</h2><table class='spread-kpis'><tr>"
                 + "".join(f"<th class='l'>{html.escape(t(k, lang))}</th>" for k in ("workshop_col_family", "workshop_col_kpi"))
                 + "".join(f"<th>{html.escape(t(k, lang))}</th>" for k in
                           ("workshop_col_n", "workshop_col_min", "workshop_col_median", "workshop_col_max")) + "</tr>")
    kpis = spread_rows(variants)
    # the proposals first, then each variant computed beside them, under its own heading
    subs = list(dict.fromkeys(["", *sorted({r["variant"] for r in kpis})]))
    for sub in subs:
        if len(subs) > 1:  # which rows are the proposals, which a variant computed beside each of them
            head = t("workshop_spread_beside", lang, variant=variant_text(sub, lang)) if sub else \
                t("workshop_spread_proposals", lang)
            parts.append(f"<tr class='sub'><th class='l' colspan='6'>{html.escape(head)}</th></tr>")
        for r in (r for r in kpis if r["variant"] == sub):
            n, cells = _spread_cells(r, lang)
            fam = family_label(r["family"], lang)
            parts.append(f"<tr data-variant='{html.escape(sub)}'><td class='l'>{html.escape(fam)}</td>"
                         f"<td class='l'>{html.escape(kpi_label(r['kpi'], '', lang) + _hours(r, kpis, lang))}</td>"
                         f"<td>{html.escape(n)}</td>"
                         f"{cells}</tr>")
    parts.append("</table>")
    return "\n".join(parts)


def annexes_html(variants, votes: dict, territory, when: str, layers: dict, lang: str = "fr") -> str:
    """The annexes: the spread, then one page per variant (``layers``: {variant id: [(layer, rows,
    rows without geometry, what)]} written to the GeoPackage and CSV files)."""
    title = t("workshop_pack_annex_title", lang, name=town_name(territory.name))
    parts = [_head(title, lang), f"<h1>{html.escape(title)}</h1><p class='note'>{html.escape(when)}</p>",
             spread_html(variants, lang)]
    for v in variants:
        voters = votes.get(v.id, [])
        parts.append(f"<div class='annex'><h1>{html.escape(v.name)}</h1><p>"
                     f"{html.escape(t('workshop_col_author', lang))} : {html.escape(v.author or '—')} — "
                     f"{html.escape(t('workshop_pack_votes', lang, n=len(voters)))}"
                     + (f" ({html.escape(', '.join(voters))})" if voters else "") + "</p>")
        parts.append(comparison_html([v], lang))
        parts.append(_beside_html(v, lang))
        rows = layers.get(v.id)
        if rows is None:
            parts.append(f"<p class='note'>{html.escape(t('workshop_pack_no_outcome', lang))}</p>")
        elif rows:
            parts.append(f"<h2>{html.escape(t('workshop_pack_layers', lang))}</h2><ul>")
            for name, n, missing, what in rows:
                extra = f" — {t('workshop_pack_no_geometry', lang, n=missing)}" if missing else ""
                parts.append(f"<li><code>{html.escape(name)}</code> : {html.escape(t('workshop_pack_rows', lang, n=n))}"
                             f"{html.escape(extra)}<br><span class='note'>{html.escape(what)}</span></li>")
            parts.append("</ul>")
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts)


# --- the pack --------------------------------------------------------------------------------------

def build_pack(variants, votes: dict, outcomes: dict, territory, *, participants: list[str] = (),
               when: float | None = None, frozen: bool = False, lang: str = "fr", pdf=report_pdf) -> bytes:
    """The meeting pack as zip bytes.

    ``variants``: the workshop's :class:`twin.app.variants.Variant` (discarded ones left out by the
    caller); ``votes``: {variant id: voters}; ``outcomes``: {variant id: :class:`twin.outcome.Outcome`
    or None}; ``when``: the snapshot's (or now's) epoch seconds; ``frozen``: from a frozen snapshot;
    ``pdf``: HTML → PDF bytes (the local chromium by default; raises
    :class:`twin.app.report.ReportError` when it cannot print).
    """
    when_text = local_clock_text(DATE_FORMAT["fr" if lang == "fr" else "en"], when)
    variants = list(variants)
    geoms = Geometries(territory)
    layers: dict[str, list] = {}
    alert_files: dict[str, bytes] = {}
    used: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        gpkg = Path(tmp) / "couches.gpkg"
        for i, v in enumerate(variants, start=1):
            outcome = outcomes.get(v.id)
            if outcome is None:
                layers[v.id] = None
                continue
            layers[v.id] = []
            shown = _variant_of(v) or outcome.first_variant
            for tname, info in outcome.table_info.items():
                table = _rows_of(outcome.tables[tname], shown)
                base = f"{i:02d}_{slug(v.name, 24)}_{table_file_name(tname, lang)}"[:60]
                name, n = base, 1
                while name in used:
                    n += 1
                    name = f"{base}_{n}"
                used.add(name)
                gdf, missing = geoms.frame(table, info.key)
                if lang == "fr":  # the town's GIS reads French field names, as the CSV files have
                    gdf = gdf.rename(columns=COLUMN_FR)
                # GeoPackage: one layer per variant and table (an empty table still makes its layer)
                gdf.to_file(gpkg, layer=name, driver="GPKG", engine="pyogrio")
                layers[v.id].append((name, len(gdf), missing, table_text(v.family, tname, info.description, lang)))
                if info.kind == "list" and (v.family.startswith("flood") or v.family == "water-break"):
                    fname = f"alertes_{i:02d}_{slug(v.name, 24)}_{table_file_name(tname, lang)}.csv"
                    listed = for_people(_one_row_a_segment(table), lang)  # as the page's download
                    alert_files[fname] = _frame_csv(listed, lang)
                    layers[v.id].append((fname, len(listed), 0, table_text(v.family, tname, info.description, lang)))
        gpkg_bytes = gpkg.read_bytes() if gpkg.exists() else b""
    files = ["resume.pdf", "annexes.pdf"] + (["couches.gpkg"] if gpkg_bytes else []) + \
        ["indicateurs.csv", "variantes.csv", "parametres.csv", *sorted(alert_files)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("resume.pdf", pdf(summary_html(variants, votes, list(participants), territory, when_text, frozen,
                                                  lang, files)))
        z.writestr("annexes.pdf", pdf(annexes_html(variants, votes, territory, when_text, layers, lang)))
        if gpkg_bytes:
            z.writestr("couches.gpkg", gpkg_bytes)
        z.writestr("indicateurs.csv", kpi_table(variants, votes, lang))
        z.writestr("variantes.csv", variant_table(variants, votes, lang))
        z.writestr("parametres.csv", param_table(variants, lang))
        for fname, data in sorted(alert_files.items()):
            z.writestr(fname, data)
    return out.getvalue()


def pack_name(territory_name: str, when: float | None = None) -> str:
    """``dossier-seance-redon-2026-12-02-1930.zip``."""
    stamp = local_clock_text("%Y-%m-%d-%H%M", when)
    return f"dossier-seance-{slug(territory_name)}-{stamp}.zip"
