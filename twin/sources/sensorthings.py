"""OGC SensorThings API (v1.0 / v1.1) JSON in and out of the sensor store.

**Reading** (:func:`read_sensorthings`): an answer of a SensorThings service saved as a file —
``{"value": [Thing…], "@iot.nextLink": …}`` with ``$expand=Datastreams($expand=ObservedProperty,
Observations),Locations``, or ``{"value": [Datastream…]}`` with ``$expand=ObservedProperty,Observations,
Thing/Locations`` (a lone Thing or Datastream too). Each Datastream becomes a sensor ``sta-<@iot.id>``:

* its quantity from the ObservedProperty's name and definition (:data:`PROPERTY_WORDS`: « air
  temperature », « precipitation », « discharge », « water level », « fill level », « relative
  humidity », « wind speed », « traffic flow »), its unit from ``unitOfMeasurement.symbol`` (or the
  UCUM code of its ``definition``); a Datastream whose property the twin has no quantity for is named
  in the notes, not imported;
* its position from the Thing's first Location (a GeoJSON Point);
* each Observation's ``phenomenonTime`` (an instant, or the start of an interval ``start/end`` — an
  amount is stored at the start of what it covers), ``result`` (``null`` kept as missing) and
  ``resultQuality`` when it is one of the store's quality names.

The service pages its answers (``@iot.nextLink``, ``Observations@iot.nextLink``): the twin reads no
network, so a page that says it continues is imported and the notes name what was not read (fetch
the next pages and import them too).

**Writing** (:func:`store_to_sensorthings`): the store as Things (one per sensor, its registry in the
Thing's ``properties``) with their Location, Datastream (ObservedProperty ``twin:quantity:<name>``,
the canonical unit) and every Observation with its ``resultQuality``: what :func:`read_sensorthings`
reads back into the same store.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.sources.provider_files import (GOOD, MISSING, QUALITY_BY_CODE, ProviderBatch, ProviderFileError,
                                         observations, read_bytes, read_json)
from twin.sources.safe_files import excerpt

OWN = "twin:quantity:"
PROPERTY_WORDS = (  # (whole words all present in the property's name or definition, quantity), first match wins
    (("water", "level"), "water_level"), (("gauge", "height"), "water_level"), (("stage",), "water_level"),
    (("discharge",), "discharge"), (("river", "flow"), "discharge"), (("precipitation",), "precipitation"),
    (("rain",), "precipitation"), (("rainfall",), "precipitation"), (("relative", "humidity"), "relative_humidity"),
    (("wind", "speed"), "wind_speed"), (("fill",), "fill_level"), (("filling",), "fill_level"),
    (("traffic",), "traffic_flow"), (("vehicle",), "traffic_flow"),
    (("indoor", "temperature"), "indoor_temperature"), (("room", "temperature"), "indoor_temperature"),
    (("air", "temperature"), "air_temperature"), (("temperature",), "air_temperature"),
)
NOT_AIR = {"water", "dew", "soil", "sea", "surface", "road", "ground", "body", "wet", "bulb", "apparent", "feels"}
"""Words that make a « temperature » something else than the air's (water, dew point, soil…)."""
SYMBOLS = {"°C": "degC", "Cel": "degC", "degC": "degC", "m³/s": "m3/s", "m3/s": "m3/s", "m3.s-1": "m3/s",
           "mm": "mm", "m": "m", "cm": "cm", "%": "%", "m/s": "m/s", "km/h": "km/h", "veh/h": "veh/h",
           "kWh": "kWh", "Wh": "Wh", "W/m2": "W/m2", "W/m²": "W/m2", "l/s": "l/s", "1": "1"}
QUALITIES = ("good", "suspect", "out_of_range", "missing")


def _quantity(prop: dict) -> str | None:
    definition = str(prop.get("definition") or "")
    if definition.startswith(OWN):
        return definition[len(OWN):]
    import re  # noqa: PLC0415

    words = set(re.findall(r"[a-z]+", f"{prop.get('name', '')} {definition} {prop.get('description', '')}".lower()))
    found = next((q for need, q in PROPERTY_WORDS if set(need) <= words), None)
    if found == "air_temperature" and words & NOT_AIR:
        return None
    return found


def _unit(uom: dict) -> str | None:
    symbol = str(uom.get("symbol") or "").strip()
    if symbol in SYMBOLS:
        return SYMBOLS[symbol]
    code = str(uom.get("definition") or "").rsplit(":", 1)[-1].rsplit("#", 1)[-1]
    return SYMBOLS.get(code, symbol or None)


def _datastreams(path, data) -> tuple[list[tuple[dict, dict]], list[str]]:
    """(Datastream, its Thing) pairs, and the notes on pages not read."""
    notes = []
    if isinstance(data, dict) and "@iot.nextLink" in data:
        notes.append(f"the answer continues at {excerpt(str(data['@iot.nextLink']), 80)}: not read (no network); "
                     "import the next pages too")
    items = data.get("value") if isinstance(data, dict) and isinstance(data.get("value"), list) else [data]
    pairs = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ProviderFileError(f"{path}: value[{i - 1}]: not a SensorThings entity")
        if isinstance(item.get("Datastreams"), list):
            pairs += [(ds, item) for ds in item["Datastreams"]]
        elif "ObservedProperty" in item or "Observations" in item:
            pairs.append((item, item.get("Thing") or {}))
        elif "result" in item:
            raise ProviderFileError(f"{path}: value[{i - 1}]: Observations without their Datastream: ask the "
                                    "service with $expand=Datastream($expand=ObservedProperty,Thing/Locations)")
        else:
            raise ProviderFileError(f"{path}: value[{i - 1}]: neither a Thing with Datastreams nor a Datastream "
                                    "(expand them: $expand=Datastreams($expand=ObservedProperty,Observations))")
    return pairs, notes


def read_sensorthings(path) -> ProviderBatch:
    """The sensors and observations of a saved SensorThings answer."""
    data = read_json(path, read_bytes(path, "SensorThings file"))
    pairs, notes = _datastreams(path, data)
    sensors, obs = [], []
    for n, (ds, thing) in enumerate(pairs, start=1):
        if not isinstance(ds, dict) or not isinstance(thing, dict):
            raise ProviderFileError(f"{path}: Datastream {n}: not a JSON object (nor its Thing)")
        where = f"Datastream {excerpt(str(ds.get('@iot.id', ds.get('name', n))), 40)}"
        try:
            part = _datastream(path, ds, thing, where, notes)
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            raise ProviderFileError(f"{path}: {where}: not the SensorThings structure ({type(exc).__name__}: an "
                                    "entity, a property or a list where another kind of value was expected)") from None
        if part is not None:
            sensors.append(part[0])
            obs.append(part[1])
    if not obs:
        raise ProviderFileError(f"{path}: no Datastream the twin can store")
    frame = pd.concat(obs, ignore_index=True)
    frame.loc[frame["value"].isna(), "quality"] = MISSING
    return ProviderBatch(pd.DataFrame(sensors).drop_duplicates("sensor_id"), frame, "SensorThings", notes)


def _datastream(path, ds: dict, thing: dict, where: str, notes: list[str]):
    """(registry row, observations) of one Datastream, or None when the twin has no quantity for it."""
    prop = ds.get("ObservedProperty") or {}
    quantity = _quantity(prop)
    if quantity is None:
        notes.append(f"{where} ({excerpt(str(prop.get('name', 'no ObservedProperty')), 40)}): no twin quantity, "
                     "not imported")
        return None
    props = thing.get("properties") or {}
    own = str(prop.get("definition") or "").startswith(OWN)
    sid = str(ds.get("name")) if own else f"sta-{ds.get('@iot.id', ds.get('name'))}"
    unit = _unit(ds.get("unitOfMeasurement") or {})
    if unit is None:
        raise ProviderFileError(f"{path}: {where}: unitOfMeasurement has no symbol the twin reads")
    lon = lat = np.nan
    for loc in thing.get("Locations") or []:
        geo = loc.get("location") if isinstance(loc, dict) else None
        if isinstance(geo, dict) and geo.get("type") == "Point" and len(geo.get("coordinates") or []) >= 2:
            lon, lat = (float(c) for c in geo["coordinates"][:2])
            break
    if "Observations@iot.nextLink" in ds:
        notes.append(f"{where}: its Observations continue at {excerpt(str(ds['Observations@iot.nextLink']), 80)}: "
                     "not read (no network)")
    rows = []
    for k, o in enumerate(ds.get("Observations") or [], start=1):
        t = str(o.get("phenomenonTime") or "").split("/")[0]
        result = o.get("result")
        try:
            value = np.nan if result is None else float(result)
        except (TypeError, ValueError):
            raise ProviderFileError(f"{path}: {where}, Observation {k}: result {excerpt(str(result))} is not a "
                                    "number") from None
        quality = o.get("resultQuality") if o.get("resultQuality") in QUALITIES else GOOD
        rows.append((t, value, quality, k))
    frame = pd.DataFrame(rows, columns=["time", "value", "quality", "k"])
    times = pd.to_datetime(frame["time"], format="ISO8601", utc=True, errors="coerce")
    if times.isna().any():
        k = int(frame["k"][times.isna()].iloc[0])
        raise ProviderFileError(f"{path}: {where}, Observation {k}: phenomenonTime is not ISO 8601")
    sensor = ({"sensor_id": sid, "quantity": quantity, "native_unit": props.get("native_unit") or unit,
                    "lon": lon, "lat": lat,
                    # the twin's own export keeps the registry's name and description in properties
                    "name": props.get("name") if own else ds.get("name") or thing.get("name"),
                    "description": props.get("description") if own else
                    ds.get("description") or thing.get("description"),
                    "asset_layer": props.get("asset_layer"), "asset_id": props.get("asset_id"),
                    "synthetic": bool(props.get("synthetic", False))})
    return sensor, observations(np.full(len(frame), sid), times, frame["value"], unit, frame["quality"],
                                frame["k"])


def store_to_sensorthings(store, sensor_ids=None) -> dict:
    """The store as a SensorThings answer: Things with their Location, Datastream and Observations."""
    from twin.quantities import quantity_info  # noqa: PLC0415

    registry = store.sensors.set_index("sensor_id")
    things = []
    for n, sid in enumerate(sensor_ids or list(registry.index), start=1):
        meta = registry.loc[sid]
        q = quantity_info(meta["quantity"])
        obs = store.query(sid, include_flagged=True)
        properties = {k: meta[k] for k in ("name", "description", "native_unit", "asset_layer", "asset_id")
                      if meta[k] not in (None, "") and not (isinstance(meta[k], float) and np.isnan(meta[k]))}
        properties["synthetic"] = bool(meta["synthetic"])
        thing = {"@iot.id": n, "name": sid, "description": meta["description"] or sid, "properties": properties,
                 "Datastreams": [{
                     "@iot.id": n, "name": sid, "description": meta["description"] or sid,
                     "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                     "unitOfMeasurement": {"name": q.unit, "symbol": q.unit, "definition": ""},
                     "ObservedProperty": {"name": q.name, "definition": OWN + q.name, "description": q.long_name},
                     "Observations": [{"phenomenonTime": t.isoformat(), "result": None if np.isnan(v) else float(v),
                                       "resultQuality": QUALITY_BY_CODE[int(c)]}
                                      for t, v, c in zip(pd.DatetimeIndex(obs["time"]).tz_convert("UTC"),
                                                         obs["value"], obs["quality"])]}]}
        if pd.notna(meta["lon"]) and pd.notna(meta["lat"]):
            thing["Locations"] = [{"name": sid, "encodingType": "application/geo+json",
                                   "location": {"type": "Point", "coordinates": [float(meta["lon"]),
                                                                                 float(meta["lat"])]}}]
        things.append(thing)
    return {"value": things}
