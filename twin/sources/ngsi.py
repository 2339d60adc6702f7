"""FIWARE NGSI-LD and NGSI v2 entities (Smart Data Models) in and out of the sensor store.

**Reading** (:func:`read_ngsi`): a JSON entity, a list of entities, or a temporal-API answer, in any of
the representations platforms send:

* NGSI-LD *normalized* — ``"fillingLevel": {"type": "Property", "value": 0.7, "observedAt": …,
  "unitCode": "C62"}``; *temporal* — the attribute a list of such instances; *keyValues* —
  ``"fillingLevel": 0.7`` with the entity's ``dateObserved``;
* NGSI v2 *normalized* — ``{"type": "Number", "value": 0.7, "metadata": {"timestamp": {"value": …}}}``
  and *keyValues*.

Each (entity, attribute) that :data:`ATTRIBUTES` knows becomes a sensor ``ngsi-<entity>-<attribute>``
(the entity id without its ``urn:ngsi-ld:<Type>:`` prefix) with the entity's ``location``: the Smart
Data Models ``WasteContainer.fillingLevel`` (a fraction 0–1 → fill level %), ``TrafficFlowObserved.
intensity`` (vehicles over ``dateObservedFrom``–``dateObservedTo`` → veh/h), ``WaterObserved.flow`` /
``height``, ``WeatherObserved.temperature`` / ``precipitation`` / ``relativeHumidity`` / ``windSpeed``,
``StreetlightControlCabinet.energyConsumed`` (a register, kWh). A ``unitCode`` (UN/CEFACT) given with
a value wins over the model's documented unit. Attributes the twin has no quantity for are listed in
the notes, never dropped silently. A value without a time (no ``observedAt``, ``timestamp`` or
``dateObserved``) is an error naming the entity and the attribute.

**Writing** (:func:`store_to_ngsi_ld`): each sensor as an NGSI-LD entity of type ``Device`` in the
temporal representation — ``twinQuantity``, ``name``, ``description``, ``twinSynthetic``, ``location``
and one temporal Property named after the quantity whose instances carry ``observedAt``, ``value``,
``unitCode`` and the store's ``quality`` — which :func:`read_ngsi` reads back into the same store.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.sources.provider_files import (GOOD, MISSING, QUALITY_BY_CODE, ProviderBatch, ProviderFileError,
                                         observations, read_bytes, read_json)
from twin.sources.safe_files import excerpt

CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
UNIT_CODES = {"C62": "1", "P1": "%", "MQS": "m3/s", "MTR": "m", "CMT": "cm", "MMT": "mm", "CEL": "degC",
              "KWH": "kWh", "WHR": "Wh", "KMH": "km/h", "MTS": "m/s", "D54": "W/m2", "KWT": "kW"}
"""UN/CEFACT Recommendation 20 codes (the ``unitCode`` of NGSI-LD) → the store's units."""
TO_UNIT_CODE = {"%": "P1", "m3/s": "MQS", "m": "MTR", "mm": "MMT", "degC": "CEL", "kWh": "KWH", "m/s": "MTS",
                "veh/h": "veh/h", "W/m2": "D54", "kW": "KWT"}
ATTRIBUTES = {  # (entity type, attribute): (quantity, unit the data model documents)
    ("WasteContainer", "fillingLevel"): ("fill_level", "1"),
    ("TrafficFlowObserved", "intensity"): ("traffic_flow", "vehicles"),
    ("WaterObserved", "flow"): ("discharge", "m3/s"),
    ("WaterObserved", "height"): ("water_level", "m"),
    ("WeatherObserved", "temperature"): ("air_temperature", "degC"),
    ("WeatherObserved", "precipitation"): ("precipitation", "mm"),
    ("WeatherObserved", "relativeHumidity"): ("relative_humidity", "1"),
    ("WeatherObserved", "windSpeed"): ("wind_speed", "m/s"),
    ("StreetlightControlCabinet", "energyConsumed"): ("electric_energy_index", "kWh"),
}
META = {"id", "type", "@context", "location", "dateObserved", "dateObservedFrom", "dateObservedTo", "dateCreated",
        "dateModified", "name", "description", "address", "refDevice", "source", "dataProvider", "twinQuantity",
        "twinSynthetic", "twinNativeUnit", "twinAssetLayer", "twinAssetId", "areaServed", "seeAlso", "owner"}


def _short_id(entity_id: str) -> str:
    """``urn:ngsi-ld:WasteContainer:wc-001`` → ``wc-001`` (the id a person reads)."""
    parts = str(entity_id).split(":", 3)
    return parts[3] if str(entity_id).startswith("urn:ngsi-ld:") and len(parts) == 4 else str(entity_id)


def _plain(value):
    """A keyValues value, or the ``value`` of a normalized attribute (NGSI-LD or v2)."""
    return value.get("value", value.get("object")) if isinstance(value, dict) and "type" in value else value


def _instances(value) -> list:
    """The instances of an attribute: one (normalized, keyValues) or several (the temporal representation,
    and its simplified form ``{"type": "Property", "values": [[value, observedAt], …]}``)."""
    if isinstance(value, dict) and isinstance(value.get("values"), list):
        pairs = value["values"]
        if not all(isinstance(p, list) and len(p) >= 2 for p in pairs):
            raise ValueError("values must be [value, observedAt] pairs")
        return [{"type": "Property", "value": p[0], "observedAt": p[1], **({"unitCode": value["unitCode"]}
                                                                          if "unitCode" in value else {})}
                for p in pairs]
    return value if isinstance(value, list) and value and all(isinstance(v, dict) for v in value) else [value]


def _time(instance, entity: dict):
    if isinstance(instance, dict):
        for key in ("observedAt", "timestamp"):
            if key in instance:
                return instance[key]
        meta = instance.get("metadata", {})
        if isinstance(meta, dict) and isinstance(meta.get("timestamp"), dict):
            return meta["timestamp"].get("value")
    return _plain(entity.get("dateObserved")) or _plain(entity.get("dateObservedTo"))


def _lonlat(entity: dict) -> tuple[float, float]:
    loc = _plain(entity.get("location"))
    if isinstance(loc, dict) and loc.get("type") == "Point":
        coords = loc.get("coordinates") or []
        if len(coords) >= 2 and all(isinstance(c, (int, float)) for c in coords[:2]):
            return float(coords[0]), float(coords[1])
    return np.nan, np.nan


def _entities(path, data) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("value"), list) and "id" not in data:
        data = data["value"]  # a paged answer
    items = data if isinstance(data, list) else [data]
    for i, e in enumerate(items, start=1):
        if not isinstance(e, dict) or "id" not in e or "type" not in e:
            raise ProviderFileError(f"{path}: entity {i}: not an NGSI entity (expected an object with id and type)")
    return items


def read_ngsi(path) -> ProviderBatch:
    """The sensors and observations of a file of NGSI-LD or NGSI v2 entities."""
    data = read_json(path, read_bytes(path, "NGSI entities file"))
    sensors, obs, notes = [], [], []
    skipped: dict[tuple[str, str], int] = {}
    for entity in _entities(path, data):
        if not isinstance(entity["id"], str) or not isinstance(entity["type"], str):
            raise ProviderFileError(f"{path}: an entity whose id or type is not a text")
        etype, eid = entity["type"].split("/")[-1].split("#")[-1], entity["id"]
        lon, lat = _lonlat(entity)
        own_quantity = _plain(entity.get("twinQuantity"))
        for attribute, value in entity.items():
            if attribute in META:
                continue
            where = f"entity {excerpt(eid, 60)}, attribute {excerpt(attribute, 40)}"
            if own_quantity and attribute == own_quantity:
                quantity, unit = str(own_quantity), None
            elif (etype, attribute) in ATTRIBUTES:
                quantity, unit = ATTRIBUTES[(etype, attribute)]
            else:
                skipped[(etype, attribute)] = skipped.get((etype, attribute), 0) + 1
                continue
            sid = f"ngsi-{_short_id(eid)}-{attribute}" if not own_quantity else _short_id(eid)
            rows = []
            try:
                instances = _instances(value)
            except ValueError as exc:
                raise ProviderFileError(f"{path}: {where}: {exc}") from None
            for k, instance in enumerate(instances, start=1):
                t = _time(instance, entity)
                if t in (None, ""):
                    raise ProviderFileError(f"{path}: {where}: a value without a time (expected observedAt, a "
                                            "timestamp metadata or the entity's dateObserved)")
                raw = _plain(instance)
                code = instance.get("unitCode") if isinstance(instance, dict) else None
                given = UNIT_CODES.get(code, code) if code else unit
                try:
                    number = np.nan if raw is None else float(raw)
                except (TypeError, ValueError):
                    raise ProviderFileError(f"{path}: {where}: value {excerpt(str(raw))} is not a number") from None
                quality = instance.get("quality", {}).get("value", GOOD) if isinstance(instance, dict) and \
                    isinstance(instance.get("quality"), dict) else GOOD
                if quality not in QUALITY_BY_CODE.values():
                    raise ProviderFileError(f"{path}: {where}, instance {k}: quality {excerpt(str(quality))} is not "
                                            f"one of {', '.join(QUALITY_BY_CODE.values())}")
                rows.append((t, number, given, quality, k))
            frame = pd.DataFrame(rows, columns=["time", "value", "unit", "quality", "k"])
            times = pd.to_datetime(frame["time"].astype(str), format="ISO8601", utc=True, errors="coerce")
            if times.isna().any():
                bad = frame["time"][times.isna()].iloc[0]
                raise ProviderFileError(f"{path}: {where}: time {excerpt(str(bad))} is not ISO 8601")
            if unit == "vehicles":  # a count over the observation's period → a rate
                start = pd.to_datetime(str(_plain(entity.get("dateObservedFrom")) or ""), utc=True, errors="coerce")
                end = pd.to_datetime(str(_plain(entity.get("dateObservedTo")) or ""), utc=True, errors="coerce")
                if pd.isna(start) or pd.isna(end) or end <= start:
                    raise ProviderFileError(f"{path}: {where}: intensity is a count over dateObservedFrom–"
                                            "dateObservedTo, which the entity lacks")
                period = end - start
                frame["value"] = frame["value"] / (period / pd.Timedelta(hours=1))
                # each instance counts over the period ending at its own time (the temporal form has several)
                own = [isinstance(i, dict) and ("observedAt" in i or "timestamp" in i) for i in instances]
                times = pd.Series(pd.DatetimeIndex([t - period if o else start for t, o in zip(times, own)]))
                frame["unit"] = "veh/h"
            native = frame["unit"].iloc[0] if unit != "vehicles" else "veh/h"
            if native is None:
                native = _default_unit(quantity)
            frame["unit"] = frame["unit"].fillna(native)
            native = _plain(entity.get("twinNativeUnit")) or native  # the unit the sensor's own files use
            sensors.append({"sensor_id": sid, "quantity": quantity, "native_unit": native, "lon": lon, "lat": lat,
                            "asset_layer": _plain(entity.get("twinAssetLayer")),
                            "asset_id": _plain(entity.get("twinAssetId")),
                            # the twin's own export says exactly what the registry held (empty included)
                            "name": _plain(entity.get("name")) or (None if own_quantity else
                                                                   f"{etype} {_short_id(eid)} {attribute}"),
                            "description": _plain(entity.get("description")) or (
                                None if own_quantity else f"NGSI {etype} {eid}, attribute {attribute}"),
                            "synthetic": bool(_plain(entity.get("twinSynthetic")) or False)})
            obs.append(observations(np.full(len(frame), sid), times, frame["value"], frame["unit"].to_numpy(),
                                    frame["quality"].to_numpy(), frame["k"].to_numpy()))
    for (etype, attribute), count in sorted(skipped.items()):
        notes.append(f"{etype}.{attribute} ({count} entit{'y' if count == 1 else 'ies'}): no twin quantity, not "
                     "imported")
    if not obs:
        raise ProviderFileError(f"{path}: no attribute the twin can store (known: "
                                f"{', '.join(f'{t}.{a}' for t, a in ATTRIBUTES)})")
    frame = pd.concat(obs, ignore_index=True)
    frame.loc[frame["value"].isna(), "quality"] = MISSING
    return ProviderBatch(pd.DataFrame(sensors).drop_duplicates("sensor_id"), frame, "NGSI", notes)


def _default_unit(quantity: str) -> str:
    from twin.quantities import quantity_info  # noqa: PLC0415

    return quantity_info(quantity).unit


def store_to_ngsi_ld(store, sensor_ids=None) -> list[dict]:
    """The store's sensors as NGSI-LD entities (type ``Device``, temporal representation), every
    observation an instance with its quality: what :func:`read_ngsi` reads back into the same store."""

    registry = store.sensors.set_index("sensor_id")
    out = []
    for sid in sensor_ids or list(registry.index):
        meta = registry.loc[sid]
        obs = store.query(sid, include_flagged=True)
        instances = [{"type": "Property", "value": None if np.isnan(v) else float(v), "observedAt": t.isoformat(),
                      "unitCode": TO_UNIT_CODE.get(meta["unit"], meta["unit"]),
                      "quality": {"type": "Property", "value": QUALITY_BY_CODE[int(q)]}}
                     for t, v, q in zip(pd.DatetimeIndex(obs["time"]).tz_convert("UTC"), obs["value"], obs["quality"])]
        entity = {"id": f"urn:ngsi-ld:Device:{sid}", "type": "Device",
                  "twinQuantity": {"type": "Property", "value": meta["quantity"]},
                  "twinSynthetic": {"type": "Property", "value": bool(meta["synthetic"])},
                  meta["quantity"]: instances, "@context": [CONTEXT]}
        for key, column in (("name", "name"), ("description", "description"), ("twinNativeUnit", "native_unit"),
                            ("twinAssetLayer", "asset_layer"), ("twinAssetId", "asset_id")):
            if meta[column] not in (None, "") and not (isinstance(meta[column], float) and np.isnan(meta[column])):
                entity[key] = {"type": "Property", "value": meta[column]}
        if pd.notna(meta["lon"]) and pd.notna(meta["lat"]):
            entity["location"] = {"type": "GeoProperty",
                                  "value": {"type": "Point", "coordinates": [float(meta["lon"]), float(meta["lat"])]}}
        out.append(entity)
    return out

