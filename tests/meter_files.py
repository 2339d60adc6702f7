"""Enedis and GRDF files written from their public descriptions, for the tests (not part of the product).

One known consumption (a 10-min power profile, seeded) is written as the files a data officer
downloads: an Enedis load curve (mean power over each step, dated at the step's end, with offsets),
its daily index (cumulative registers in Wh at local midnight, the tariff calendar appended), and
GRDF gas days. The tests read them back and compare with what was written: a check of recovery,
on the traps of each format (DST changes, step changes, gaps, empty values), not of validity on a
real meter's file.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

PARIS = "Europe/Paris"
PRM = "09876543210123"
PREAMBLE_LOAD = ("Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
                 "Etape metier;Unite;Pas en minutes\n{prm};Courbe de charge;{d0};{d1};Energie active;Consommation;"
                 "Comptage Brut;W;\n\n")
PREAMBLE_INDEX = ("Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
                  "Etape metier;Unite\n{prm};Index;{d0};{d1};Energie active;Consommation;Comptage Brut;Wh\n\n")
REGISTERS = ["EAS F1", "EAS F2", *[f"EAS F{i}" for i in range(3, 11)], "EAS D1", "EAS D2", "EAS D3", "EAS D4",
             "EAS T"]
CALENDAR = ("Periode;Identifiant calendrier fournisseur;Libelle calendrier fournisseur;Identifiant classe "
            "temporelle 1;Libelle classe temporelle 1;Cadran classe temporelle 1;Identifiant classe temporelle 2;"
            "Libelle classe temporelle 2;Cadran classe temporelle 2\n"
            "Du {d0} au {d1};FC012345;Heures Pleines / Heures Creuses;HC;Heures Creuses;EAS F1;HP;Heures Pleines;"
            "EAS F2\n")


def power_profile(start_local: str, days: int, seed: int = 7) -> pd.Series:
    """Mean power (W) over each 10 min from local midnight ``start_local`` for ``days`` legal days,
    indexed by the 10 min's start in UTC: a base load, an evening peak, noise (seeded)."""
    start = pd.Timestamp(start_local).tz_localize(PARIS)
    end = (pd.Timestamp(start_local) + pd.Timedelta(days=days)).tz_localize(PARIS)
    grid = pd.date_range(start.tz_convert("UTC"), end.tz_convert("UTC"), freq="10min", inclusive="left")
    hour = grid.tz_convert(PARIS).hour + grid.tz_convert(PARIS).minute / 60
    rng = np.random.default_rng(seed)
    watts = 350 + 900 * np.exp(-((hour - 19.5) ** 2) / 3) + 250 * np.exp(-((hour - 7.5) ** 2) / 1.5) \
        + rng.gamma(2.0, 60.0, len(grid))
    return pd.Series(watts, index=grid)


def load_curve_rows(power: pd.Series, step_of=lambda t: 30) -> list[tuple[pd.Timestamp, int, float]]:
    """(end of step in UTC, step in min, mean power in W) covering the profile; ``step_of(start)`` the step."""
    rows, t, end = [], power.index[0], power.index[-1] + pd.Timedelta(minutes=10)
    while t < end:
        step = step_of(t)
        stop = min(t + pd.Timedelta(minutes=step), end)
        rows.append((stop, step, float(power[(power.index >= t) & (power.index < stop)].mean())))
        t = stop
    return rows


def load_curve_text(rows, *, offsets: bool = True, drop=(), empty=(), prm: str = PRM, bom: bool = True) -> str:
    """The customer-area load curve: preamble, blank line, ``Horodate;Valeur`` with the mean power in
    whole W dated at the end of its step; rows at positions ``drop`` left out (gaps), ``empty`` blank."""
    first, last = rows[0][0].tz_convert(PARIS), rows[-1][0].tz_convert(PARIS)
    out = [PREAMBLE_LOAD.format(prm=prm, d0=f"{first:%d/%m/%Y}", d1=f"{last:%d/%m/%Y}"), "Horodate;Valeur\n"]
    for k, (end, _step, watts) in enumerate(rows):
        if k in drop:
            continue
        local = end.tz_convert(PARIS)
        stamp = local.isoformat() if offsets else f"{local:%Y-%m-%dT%H:%M:%S}"
        out.append(f"{stamp};{'' if k in empty else round(watts)}\n")
    return ("\ufeff" if bom else "") + "".join(out)


def index_text(power: pd.Series, *, start_wh: int = 12_345_678, prm: str = PRM, skip_days=(),
               calendar: bool = True) -> str:
    """The daily index: cumulative Wh at each local midnight, off-peak (22–06 h) in EAS F1 / D1, peak in
    EAS F2 / D2, total in EAS T; days in ``skip_days`` (positions) have no reading; the calendar appended."""
    local = power.index.tz_convert(PARIS)
    offpeak = (local.hour >= 22) | (local.hour < 6)
    wh = power.to_numpy() * 10 / 60
    midnights = pd.date_range(local[0].normalize(), local[-1].normalize() + pd.Timedelta(days=1), freq="D",
                              tz=PARIS)
    first, last = midnights[0], midnights[-1]
    out = [PREAMBLE_INDEX.format(prm=prm, d0=f"{first:%d/%m/%Y}", d1=f"{last:%d/%m/%Y}"),
           "Horodate;Type de releve;" + ";".join(REGISTERS) + "\n"]
    for k, midnight in enumerate(midnights):
        if k in skip_days:
            continue
        before = power.index < midnight.tz_convert("UTC")
        hc = start_wh // 3 + wh[before & offpeak].sum()
        hp = start_wh - start_wh // 3 + wh[before & ~offpeak].sum()
        cells = [round(hc), round(hp), *[""] * 8, round(hc), round(hp), "", "", round(hc) + round(hp)]
        out.append(f"{midnight.isoformat()};Arrêté quotidien;" + ";".join(map(str, cells)) + "\n")
    if calendar:
        out.append("\n" + CALENDAR.format(d0=first.isoformat(), d1=last.isoformat()))
    return "".join(out)


def r63_text(rows, *, prm: str = PRM, newest_first: bool = True, natures=None) -> str:
    """The SGE R63 layout: one self-contained row per value, the step written (PT30M), newest first."""
    header = ("Identifiant PRM;Date de début;Date de fin;Grandeur physique;Grandeur métier;Etape métier;Unité;"
              "Horodate;Valeur;Nature;Pas;Indice de vraisemblance;Etat complémentaire\n")
    body = []
    for k, (end, step, watts) in enumerate(rows):
        nature = (natures or {}).get(k, "R")
        body.append(f"{prm};2023-10-27 00:00:00;2023-11-01 00:00:00;PA;CONS;BRUT;W;"
                    f"{end.tz_convert(PARIS):%Y-%m-%d %H:%M:%S};{round(watts)};{nature};PT{step}M;0;0\n")
    return header + "".join(reversed(body) if newest_first else body)


def grdf_days(first_day: str, energies, *, pce: str = "GI123456", coeff: float = 11.25, qualification=None) -> str:
    """GRDF informative readings, one per gas day, in the customer area's layout ``{PCE: {"releves": […]}}``."""
    releves = []
    index = 100_000
    for k, kwh in enumerate(energies):
        day = pd.Timestamp(first_day) + pd.Timedelta(days=k)
        volume = None if kwh is None else round(kwh / coeff, 2)
        releves.append({"dateDebutReleve": f"{day:%Y-%m-%d}", "dateFinReleve": f"{day + pd.Timedelta(days=1):%Y-%m-%d}",
                        "journeeGaziere": f"{day:%Y-%m-%d}", "indexDebut": index,
                        "indexFin": index + (volume or 0), "volumeBrutConsomme": volume, "energieConsomme": kwh,
                        "pcs": None, "volumeConverti": None, "pta": None, "natureReleve": "Informative Journalier",
                        "qualificationReleve": (qualification or {}).get(k, "Mesuré"), "status": None,
                        "coeffConversion": coeff, "frequenceReleve": None, "temperature": None})
        index += volume or 0
    return json.dumps({pce: {"releves": releves, "idPce": pce}}, ensure_ascii=False)
