"""Scenario families: each a validated set of parameters plus ``run(territory) -> Outcome``."""

from twin.scenarios.base import Scenario, ScenarioError, load_scenario
from twin.scenarios.bins import BinCollection
from twin.scenarios.flood import FloodForecast
from twin.scenarios.flood_detours import FloodDetours
from twin.scenarios.heating import HeatingSchedules
from twin.scenarios.lighting import LightingSchedules
from twin.scenarios.parking import ParkingSearch
from twin.scenarios.roadworks import Roadworks
from twin.scenarios.street_closure import StreetClosure
from twin.scenarios.water_break import PipeBreak
from twin.scenarios.water_meters import DistrictMeters
from twin.scenarios.water_pressure import PressureManagement

SCENARIOS = {cls.family: cls for cls in (StreetClosure, LightingSchedules, FloodForecast, HeatingSchedules, Roadworks,
                                          BinCollection, FloodDetours, ParkingSearch, PipeBreak,
                                          PressureManagement, DistrictMeters)}

__all__ = [
    "SCENARIOS", "BinCollection", "DistrictMeters", "FloodDetours", "FloodForecast", "HeatingSchedules", "LightingSchedules", "ParkingSearch", "PipeBreak", "PressureManagement", "Roadworks", "Scenario", "ScenarioError",
    "StreetClosure", "load_scenario",
    # submodules, listed so the API reference documents them
    "base", "bins", "flood", "flood_detours", "heating", "heating_park", "lighting", "parking", "parking_supply", "roadworks",
    "street_closure", "water_break", "water_meters", "water_pressure",
]
