"""The detectors a watching twin runs on its store after new readings (issue 20), as
:class:`twin.live.alerts.Alert` lists:

* ``fault`` — :func:`twin.live.faults.series_faults` on each sensor that received readings (energy
  meters excepted: their faults come with their baseline, below); severity ``warning``;
* ``change`` — energy meters (``gas_energy``, ``electric_energy``) read daily or more often, followed by
  :func:`twin.live.buildings.track_building` against the store's air temperature: a change of
  behaviour (``warning`` when use rises — a drift to catch before the bill —, ``info`` when it falls)
  and the meter's faults (``fault``, ``warning``);
* ``river_forecast`` — the flood forecast re-issued at the last discharge reading (needs the
  territory): the probability of reaching each alert level within 24 h (a *state* alert);
* ``lighting`` — street-light cabinets whose metered month leaves the switching model fitted on
  their history (:mod:`twin.calibration.lighting`): lamps burning by day, or dark at night (needs
  the territory's cabinets);
* ``bins_full`` — a bin reading 95 % or more is full now; another, the model's probability of being
  full 24 h after its last reading, from its fill level then and the rate the online filter of
  :mod:`twin.calibration.bins_online` learnt from the bins' collections (the filter's own
  probability: its recalibration answers another question). A *state* alert: it lasts while the
  bin stays full or likely full.

Each alert's key says what, where and since when, so running the detectors again over the same data
raises nothing new (:class:`twin.live.alerts.AlertBook`).
"""

from __future__ import annotations

import pandas as pd

from twin.live.alerts import Alert
from twin.live.faults import series_faults

ENERGY = ("gas_energy", "electric_energy")
FAULT_FR = {"gap": "relevés manquants", "stuck": "valeur figée", "out_of_range": "valeur hors limites",
            "unit_jump": "changement d'unité", "zeros": "consommation nulle inattendue"}
FULL_THRESHOLD = 0.5
FULL_NOW_PCT = 95.0  # a bin reading this much is full now: no forecast needed
# quantities whose level can move by ×3 or ×10 in a week by nature (a flood, a festival, a season):
# the unit-jump rule would take that for a changed unit
NATURALLY_JUMPING = ("discharge", "water_level", "traffic_flow", "precipitation", "fill_level", "road_occupancy",
                     "traffic_daily")
CAN_BE_NEGATIVE = ("air_temperature", "water_level")


def _label(row) -> str:
    name = row.get("name")
    return str(name) if isinstance(name, str) and name.strip() else str(row["sensor_id"])


def fault_alerts(store, sensor_ids, tz: str = "Europe/Paris") -> list[Alert]:
    """Faults of the series of ``sensor_ids`` (energy meters read daily or more often excepted: their
    faults come with their baseline), in local time."""
    from twin.live.faults import cadence  # noqa: PLC0415

    reg = store.sensors.set_index("sensor_id")
    out = []
    for sid in sensor_ids:
        if sid not in reg.index:
            continue
        quantity = reg.at[sid, "quantity"]
        series = store.to_pandas(sid, tz=tz)
        step = cadence(series)
        if quantity in ENERGY and step is not None and step <= pd.Timedelta(days=1):
            continue
        row = {"sensor_id": sid, **reg.loc[sid].to_dict()}
        low = None if quantity in CAN_BE_NEGATIVE else 0.0
        for f in series_faults(series, low=low, weather_driven=quantity in NATURALLY_JUMPING):
            out.append(Alert(f"fault:{sid}:{f.kind}:{f.start.isoformat()}", "fault", "warning",
                             f"{_label(row)} : {FAULT_FR.get(f.kind, f.kind)} du {f.start:%d/%m/%Y %H:%M} au "
                             f"{f.end:%d/%m/%Y %H:%M}", f.detail, sid, str(row.get("asset_id") or "") or None,
                             _label(row), f.start.isoformat()))
    return out


def building_alerts(store, sensor_ids, tz: str = "Europe/Paris") -> tuple[list[Alert], list[str]]:
    """Changes and faults of the energy meters among ``sensor_ids``; (alerts, notes)."""
    from twin.live.buildings import daily_from_readings, track_building  # noqa: PLC0415
    from twin.models.buildings import DegreeDays  # noqa: PLC0415

    from twin.live.faults import cadence  # noqa: PLC0415

    reg = store.sensors.set_index("sensor_id")
    meters = [s for s in sensor_ids if s in reg.index and reg.at[s, "quantity"] in ENERGY]
    notes = []
    daily_or_finer, step_of = [], {}
    for sid in meters:  # a monthly meter (a lighting cabinet's bill) has no daily baseline to follow
        step = cadence(store.to_pandas(sid))
        step_of[sid] = step
        (daily_or_finer if step is not None and step <= pd.Timedelta(days=1) else notes).append(sid)
    if len(notes):
        notes = [f"{len(notes)} energy meter(s) read less often than daily not followed day by day (their gaps, "
                 f"frozen values and unit changes are checked): {', '.join(notes[:8])}{' …' if len(notes) > 8 else ''}"]
    meters = daily_or_finer
    if not meters:
        return [], notes
    temps = reg.index[reg["quantity"] == "air_temperature"]
    if len(temps) == 0:
        return [], notes + [f"{len(meters)} energy meter(s) not followed: the store has no air_temperature sensor"]
    dd = DegreeDays(store.to_pandas(temps[0], tz=tz))
    out = []
    for sid in meters:
        row = {"sensor_id": sid, **reg.loc[sid].to_dict()}
        readings = store.to_pandas(sid, tz=tz)
        # use per local day: a day's readings summed (hourly meters too), an incomplete day left out
        daily = daily_from_readings(readings, tz) if step_of[sid] < pd.Timedelta(days=1) else \
            readings.set_axis(readings.index.normalize()).groupby(level=0).sum(min_count=1).asfreq("D")
        for e in track_building(daily, dd).events:
            start = pd.Timestamp(e["start"])
            if e["kind"] == "change":
                size = f"{e['magnitude']:+.0%}" if e["magnitude"] is not None else ""
                title = (f"{_label(row)} : consommation {'en hausse' if e['direction'] == 'up' else 'en baisse'} "
                         f"{size} depuis le {start:%d/%m/%Y}")
                severity = "warning" if e["direction"] == "up" else "info"
            else:
                title = f"{_label(row)} : {FAULT_FR.get(e['what'], e['what'])} depuis le {start:%d/%m/%Y}"
                severity = "warning"
            out.append(Alert(f"{e['kind']}:{sid}:{e['what']}:{start.date()}", e["kind"], severity, title, e["detail"],
                             sid, str(row.get("asset_id") or "") or None, _label(row), start.isoformat()))
    return out, notes


BINS_STATE = "live/bins_filter.json"  # in the store: the fill-rate filter as it stands


def bins_alerts(store, threshold: float = FULL_THRESHOLD, tz: str = "Europe/Paris") -> tuple[list[Alert], set[str]]:
    """Bins likely full 24 h after their last reading; (alerts, the keys this detector looked at).

    The fill-rate filter is kept in the store (``live/bins_filter.json``): the first pass fits it on
    the collections so far (:func:`twin.calibration.bins_online.start_following`), the next ones
    take in only the collections that arrived since (:func:`~twin.calibration.bins_online.advance`)."""
    import json  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from twin.calibration.bins import intervals_from_records, records_from_store  # noqa: PLC0415
    from twin.calibration.bins_online import advance, start_following, state_from_dict, state_to_dict  # noqa: PLC0415
    from twin.storage import atomic_file  # noqa: PLC0415

    reg = store.sensors
    bins = reg[reg["quantity"] == "fill_level"]
    if bins.empty:
        return [], set()
    records = records_from_store(store, tz=tz)
    path = Path(store.path) / BINS_STATE
    if path.exists():
        filt, hist, seen = state_from_dict(json.loads(path.read_text(encoding="utf-8")))
        advance(filt, hist, intervals_from_records(records), seen)
    else:
        filt, hist, seen, _ = start_following(records)
    with atomic_file(path) as tmp:
        tmp.write_text(json.dumps(state_to_dict(filt, hist, seen)), encoding="utf-8")
    f = records.frame
    out, looked = [], set()
    by_asset = bins.set_index("asset_id")
    groups = f.groupby("site")["group"].first()
    for site, group in groups.items():
        sid = str(by_asset.loc[site, "sensor_id"]) if site in by_asset.index else str(site)
        key = f"bins_full:{sid}"
        looked.add(key)
        levels = store.to_pandas(sid, tz=tz).dropna()
        if levels.empty:
            continue
        now, level = levels.index[-1].tz_localize(None), float(levels.iloc[-1])
        if level >= FULL_NOW_PCT:
            out.append(Alert(key, "bins_full", "info", f"Corbeille {sid} : déjà pleine ({level:.0f} %)",
                             f"relevé du {now:%d/%m %H:%M}", sid, str(site), "corbeilles", now.isoformat()))
            continue
        p = filt.overflow_probability(site, str(group), now, min(level, 100.0), now + pd.Timedelta(hours=24),
                                      calibrated=False)
        if p >= threshold:
            out.append(Alert(key, "bins_full", "info", f"Corbeille {sid} : pleine d'ici 24 h à {p:.0%} de probabilité",
                             f"remplie à {level:.0f} % le {now:%d/%m %H:%M}", sid, str(site), "corbeilles",
                             now.isoformat()))
    return out, looked


def detect(store, sensor_ids, tz: str = "Europe/Paris", territory=None) -> tuple[list[Alert], dict[str, set[str]], list[str]]:
    """Every detector on the sensors that received readings: (alerts, {state detector: the keys it
    looked at}, notes). The river forecast needs the ``territory`` (its catchment and alert levels)."""
    sensor_ids = list(sensor_ids)
    alerts: list[Alert] = []
    looked: dict[str, set[str]] = {}
    notes: list[str] = []
    reg = store.sensors.set_index("sensor_id")

    def run(name, job):
        """One detector: what it raises is said in a note, and the others still run."""
        try:
            job()
        except Exception as exc:  # noqa: BLE001 - a detector's failure must not silence the others
            notes.append(f"detector {name} failed: {type(exc).__name__}: {str(exc)[:300]}")

    def faults():
        alerts.extend(fault_alerts(store, sensor_ids, tz))

    def buildings():
        found, more = building_alerts(store, sensor_ids, tz)
        alerts.extend(found)
        notes.extend(more)

    def bins():
        if any(s in reg.index and reg.at[s, "quantity"] == "fill_level" for s in sensor_ids):
            found, looked["bins_full"] = bins_alerts(store, tz=tz)
            alerts.extend(found)

    def river():
        found, keys, more = river_alerts(territory, store, sensor_ids)
        alerts.extend(found)
        notes.extend(more)
        if keys:
            looked["river_forecast"] = keys

    def lighting():
        found, more = lighting_alerts(territory, store, sensor_ids)
        alerts.extend(found)
        notes.extend(more)

    for name, job in (("fault", faults), ("change", buildings), ("bins_full", bins), ("river_forecast", river),
                      ("lighting", lighting)):
        run(name, job)
    return mark_historical(store, alerts, tz), looked, notes


RECENT_DAYS = 14  # an event that began longer before its sensor's last reading is history, not news


def mark_historical(store, alerts: list[Alert], tz: str = "Europe/Paris") -> list[Alert]:
    """Event alerts (faults, changes, lighting months) that began more than :data:`RECENT_DAYS`
    before their sensor's last reading are marked ``historical``: a store followed for the first time
    (years of readings) is not a flood of messages about its past; they stay listed."""
    from dataclasses import replace  # noqa: PLC0415

    last: dict[str, pd.Timestamp] = {}
    out = []
    for a in alerts:
        if a.detector in ("fault", "change", "lighting") and a.sensor_id and a.start:
            if a.sensor_id not in last:
                last[a.sensor_id] = store.to_pandas(a.sensor_id).dropna().index.max()
            start = pd.Timestamp(a.start)
            start = start.tz_localize(tz) if start.tzinfo is None else start
            if start < last[a.sensor_id] - pd.Timedelta(days=RECENT_DAYS):
                a = replace(a, historical=True)
        out.append(a)
    return out


LEVEL_SEVERITY = {"yellow": "info", "orange": "warning", "red": "critical"}
LEVEL_FR = {"yellow": "jaune", "orange": "orange", "red": "rouge"}
CROSSING_PROBABILITY = 0.5


def river_alerts(territory, store, sensor_ids, *, at=None, horizon_h: int = 24, members: int = 50,
                 threshold: float = CROSSING_PROBABILITY) -> tuple[list[Alert], set[str], list[str]]:
    """The flood forecast (:class:`twin.scenarios.flood.FloodForecast`, its ensemble) issued at the
    last reading of a discharge sensor among ``sensor_ids`` (or at ``at``), on the readings of
    ``store``: an alert per alert level the gauge's stage is forecast to reach within ``horizon_h``
    hours with probability ``threshold`` or more (a *state* alert: it lasts while forecasts say so).
    Returns (alerts, the keys looked at, notes)."""
    from twin.scenarios.flood import FloodForecast  # noqa: PLC0415

    reg = store.sensors.set_index("sensor_id")
    flows = [s for s in sensor_ids if s in reg.index and reg.at[s, "quantity"] == "discharge"]
    if not flows:
        return [], set(), []
    if territory is None:
        return [], set(), ["discharge readings arrived: give --territory to re-issue the flood forecast"]
    sid = flows[0]
    issued = pd.Timestamp(at) if at is not None else store.to_pandas(sid).dropna().index[-1]
    issued = issued.tz_convert("UTC").tz_localize(None) if issued.tzinfo else issued
    scenario = FloodForecast(forecast_time=issued.strftime("%Y-%m-%dT%H:%M"), horizon_h=horizon_h, members=members,
                             flow_gauge=sid)
    outcome = scenario.run(territory.replace(sensors=store))
    ensemble = outcome.variants[-1]
    out, looked = [], set()
    river = str(reg.at[sid, "name"]) if isinstance(reg.at[sid, "name"], str) else sid
    for level in ("yellow", "orange", "red"):
        name = f"p_{level}_pct"
        try:
            p = outcome.value(name, ensemble) / 100.0
        except KeyError:
            continue
        key = f"river_forecast:{sid}:{level}"
        looked.add(key)
        if p >= threshold:
            out.append(Alert(key, "river_forecast", LEVEL_SEVERITY[level],
                             f"{river} : niveau {LEVEL_FR[level]} atteint d'ici {horizon_h} h "
                             f"(probabilité {p:.0%})",
                             f"prévision émise le {issued:%d/%m/%Y à %H h} UTC, {members} membres", sid,
                             str(reg.at[sid, "asset_id"]) if isinstance(reg.at[sid, "asset_id"], str) else None,
                             river, issued.isoformat()))
    return out, looked, []


def lighting_alerts(territory, store, sensor_ids) -> tuple[list[Alert], list[str]]:
    """Street-light cabinets whose metered month leaves their fitted switching model
    (:func:`twin.calibration.lighting.fit_cabinets`): more than dusk-to-dawn allows (lamps burning by
    day, a clock running late) or less (lamps dark at night: failures). Needs the territory (its
    cabinets). (alerts, notes)."""
    from twin.calibration.lighting import fit_cabinets  # noqa: PLC0415

    reg = store.sensors.set_index("sensor_id")
    touched = [s for s in sensor_ids if s in reg.index and reg.at[s, "asset_layer"] == "cabinets"]
    if not touched:
        return [], []
    if territory is None or "cabinets" not in territory.layers:
        return [], ["cabinet meter readings arrived: give --territory (with its cabinets) to check them"]
    fits = fit_cabinets(store, territory)
    names = dict(zip(reg.index[reg["asset_layer"] == "cabinets"], reg["asset_id"][reg["asset_layer"] == "cabinets"],
                     strict=True))
    out = []
    for _, row in fits.iterrows():
        sid = row["sensor_id"]
        if sid not in touched:
            continue
        for a in row["anomalies"]:
            ratio = a.get("ratio")
            size = f" ({ratio:.0%} de l'attendu)" if isinstance(ratio, (int, float)) else ""
            title = f"Armoire {names.get(sid, sid)} : {_lighting_fr(a['kind'])} ({a['month']}){size}"
            out.append(Alert(f"lighting:{sid}:{a['month']}:{a['kind'][:40]}", "lighting", "warning", title,
                             f"mesuré contre le modèle de sa commande (verdict : {row['verdict']})", sid,
                             str(names.get(sid) or "") or None, "éclairage", str(a["month"])))
    return out, []


def _lighting_fr(kind: str) -> str:
    """The calibration's anomaly kinds in French."""
    from twin.calibration.lighting import DEFICIT, EXCESS  # noqa: PLC0415

    if kind == EXCESS:
        return "consommation en excès : lampes allumées de jour, ou horloge en retard"
    if kind == DEFICIT:
        return "consommation en défaut : lampes éteintes la nuit (pannes), ou horloge en avance"
    if kind.startswith("clock drift"):
        return "dérive de l'horloge ou pannes progressives"
    return "plage d'extinction qui dérive"
