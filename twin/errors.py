"""The errors a user can cause with bad input; the CLI prints their message without a traceback."""

from twin.calibration.buildings import MeterDataError
from twin.ensemble import EnsembleError
from twin.models.lighting import ScheduleError
from twin.models.routing import RoutingError
from twin.models.waste import WasteModelError
from twin.quantities import UnitError
from twin.sensitivity import SensitivityError
from twin.scenarios.base import ScenarioError
from twin.sensors import SensorDataError
from twin.sources.bin_records import BinRecordsError
from twin.sources.hydro_csv import HydroDataError
from twin.sources.ics import CalendarError
from twin.sources.lamp_inventory import InventoryError
from twin.sources.meters import MeterFileError
from twin.sources.osm import OsmFileError
from twin.sources.safe_files import InputFileError
from twin.sources.tntp import TntpError
from twin.territory import TerritoryBuildError

USER_ERRORS = (OsmFileError, TerritoryBuildError, SensorDataError, UnitError, ScenarioError, ScheduleError,
               CalendarError, InventoryError, HydroDataError, MeterDataError, MeterFileError,
               TntpError, EnsembleError, SensitivityError, BinRecordsError, WasteModelError, RoutingError,
               InputFileError, FileNotFoundError)
