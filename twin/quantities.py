"""Quantities the sensor store knows: canonical unit, accepted units, physical range.

Every observation is stored in its quantity's canonical unit (SI-ish, as the
models use them: mm of rain per step, m³/s, m, °C, kWh, veh/h, %). A unit that
does not belong to the quantity's dimension is an error ("kWh" for a river
level), never silently converted.

Physical ranges are the bounds no correct sensor can leave (a negative
discharge, a 120 °C outdoor air temperature); values outside are either flagged
(quality code ``OUT_OF_RANGE``, kept as a real platform would) or rejected,
at the caller's choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from twin.errors import TwinError

# unit -> (dimension, factor, offset): value in the dimension's base unit = value * factor + offset
# (base units: m, m3/s, degC, kWh, kW, veh/h, %, W/m2, m/s).
UNITS: dict[str, tuple[str, float, float]] = {
    # length: rain depth, water level
    "m": ("length", 1.0, 0.0), "cm": ("length", 0.01, 0.0), "mm": ("length", 0.001, 0.0),
    "in": ("length", 0.0254, 0.0),
    # discharge
    "m3/s": ("discharge", 1.0, 0.0), "m³/s": ("discharge", 1.0, 0.0), "l/s": ("discharge", 1e-3, 0.0),
    "L/s": ("discharge", 1e-3, 0.0),
    # temperature
    "degC": ("temperature", 1.0, 0.0), "°C": ("temperature", 1.0, 0.0), "C": ("temperature", 1.0, 0.0),
    "K": ("temperature", 1.0, -273.15), "degF": ("temperature", 5.0 / 9.0, -32.0 * 5.0 / 9.0),
    "°F": ("temperature", 5.0 / 9.0, -32.0 * 5.0 / 9.0), "F": ("temperature", 5.0 / 9.0, -32.0 * 5.0 / 9.0),
    # energy
    "kWh": ("energy", 1.0, 0.0), "Wh": ("energy", 1e-3, 0.0), "MWh": ("energy", 1e3, 0.0),
    "therm": ("energy", 29.3071, 0.0), "MJ": ("energy", 1.0 / 3.6, 0.0),
    # power
    "kW": ("power", 1.0, 0.0), "W": ("power", 1e-3, 0.0), "MW": ("power", 1e3, 0.0),
    # traffic
    "veh/h": ("vehicle_rate", 1.0, 0.0), "veh/15min": ("vehicle_rate", 4.0, 0.0),
    "veh/day": ("vehicle_rate", 1.0 / 24.0, 0.0), "veh/j": ("vehicle_rate", 1.0 / 24.0, 0.0),
    # ratios
    "%": ("fraction", 1.0, 0.0), "1": ("fraction", 100.0, 0.0), "fraction": ("fraction", 100.0, 0.0),
    # irradiance, speed
    "W/m2": ("irradiance", 1.0, 0.0), "W/m²": ("irradiance", 1.0, 0.0),
    "m/s": ("speed", 1.0, 0.0), "km/h": ("speed", 1.0 / 3.6, 0.0),
}


@dataclass(frozen=True)
class Quantity:
    """A measured quantity: name, canonical unit, physical range (canonical unit), CF metadata."""

    name: str
    unit: str
    dimension: str
    minimum: float
    maximum: float
    long_name: str
    standard_name: str | None = None
    cell_method: str = "time: mean"


QUANTITIES: dict[str, Quantity] = {q.name: q for q in [
    Quantity("precipitation", "mm", "length", 0.0, 400.0, "precipitation amount over the time step",
             "precipitation_amount", "time: sum"),
    Quantity("discharge", "m3/s", "discharge", 0.0, 50000.0, "river discharge",
             "water_volume_transport_in_river_channel"),
    Quantity("water_level", "m", "length", -20.0, 100.0, "water level above gauge datum",
             "water_surface_height_above_reference_datum"),
    Quantity("air_temperature", "degC", "temperature", -60.0, 60.0, "outdoor air temperature", "air_temperature"),
    Quantity("indoor_temperature", "degC", "temperature", -30.0, 60.0, "indoor air temperature"),
    Quantity("gas_energy", "kWh", "energy", 0.0, 1e8, "gas consumption over the time step", None, "time: sum"),
    Quantity("electric_energy", "kWh", "energy", 0.0, 1e8, "electricity consumption over the time step",
             None, "time: sum"),
    Quantity("electric_energy_index", "kWh", "energy", 0.0, 1e10,
             "meter register: electricity consumed since the meter was installed", None, "time: point"),
    Quantity("heating_power", "kW", "power", 0.0, 1e5, "heating power"),
    Quantity("traffic_flow", "veh/h", "vehicle_rate", 0.0, 10000.0, "vehicles counted per hour"),
    Quantity("traffic_daily", "veh/day", "vehicle_rate", 0.0, 300000.0,
             "annual average daily traffic (TMJA), both directions", None, "time: mean"),
    Quantity("road_occupancy", "%", "fraction", 0.0, 100.0, "share of the time a counting loop is occupied"),
    Quantity("fill_level", "%", "fraction", 0.0, 100.0, "bin fill level (share of the sensor's range)"),
    Quantity("parking_occupancy", "%", "fraction", 0.0, 100.0,
             "share of a car park's or a kerb's spaces taken (a count or bay sensors)"),
    Quantity("relative_humidity", "%", "fraction", 0.0, 100.0, "relative humidity", "relative_humidity"),
    Quantity("irradiance", "W/m2", "irradiance", 0.0, 1500.0, "global horizontal irradiance",
             "surface_downwelling_shortwave_flux_in_air"),
    Quantity("wind_speed", "m/s", "speed", 0.0, 100.0, "wind speed", "wind_speed"),
]}


class UnitError(TwinError, ValueError):
    """A unit that is unknown or does not fit the quantity."""


def to_canonical(values, unit: str, quantity: str):
    """Convert ``values`` (array-like) from ``unit`` to the canonical unit of ``quantity``.

    Raises UnitError when the unit is unknown or of another dimension.
    """
    q = quantity_info(quantity)
    if unit not in UNITS:
        raise UnitError(f"unknown unit {unit!r} for {quantity} (accepted: {', '.join(accepted_units(quantity))})")
    dim, factor, offset = UNITS[unit]
    if dim != q.dimension:
        raise UnitError(f"unit {unit!r} is a unit of {dim}, but {quantity} is measured in {q.unit} "
                        f"(accepted: {', '.join(accepted_units(quantity))})")
    _, canon_factor, canon_offset = UNITS[q.unit]
    return (values * factor + offset - canon_offset) / canon_factor


def quantity_info(name: str) -> Quantity:
    """The :class:`Quantity` called ``name``; a clear error listing the known ones otherwise."""
    try:
        return QUANTITIES[name]
    except KeyError:
        raise UnitError(f"unknown quantity {name!r} (known: {', '.join(sorted(QUANTITIES))})") from None


def accepted_units(quantity: str) -> list[str]:
    """Units accepted for ``quantity`` (same dimension as its canonical unit)."""
    dim = quantity_info(quantity).dimension
    return [u for u, (d, _, _) in UNITS.items() if d == dim]
