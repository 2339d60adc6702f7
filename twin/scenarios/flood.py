"""Flood anticipation: stage forecast with its uncertainty, alert crossings, and who to alert.

From the state of the catchment at the forecast time (GR4H run on the observed rain
up to then) and a rainfall input over the horizon, the scenario forecasts discharge,
turns it into stage with the rating curve fitted on the gauge's own history, and
reports per alert level (yellow / orange / red) the probability of crossing and the
lead time; then which buildings and streets are under water at the forecast peak
(height-above-nearest-drainage on the territory's floodplain; on Redon a SYNTHETIC
floodplain, see :mod:`twin.models.inundation`).

**Forecast or hindcast.** Every rain input is one or the other, and the outcome says
which (``forecast_kind`` attribute, and the variant name of a hindcast ends with
"hindcast (perfect rain)"):

* forecasts use only what is known at the forecast time — ``none`` (no further rain),
  ``design`` (a design storm), ``forecast`` (a rain forecast you give, hourly mm from
  the forecast time: ``rain_forecast_mm`` or a CSV ``rain_forecast_file``), and
  ``ensemble``: by default (``ensemble_base="climatology"``) a **climatological analog
  ensemble** — each member is the rain that fell over ``horizon_h`` hours from an
  hourly start within ± ``analog_window_days`` of the same date in the gauge's
  history *before* the forecast time (earlier years, and earlier this season when
  the window ends before the forecast time), drawn with replacement, seeded; or a
  seeded lognormal perturbation (``rain_cv``) of a design storm or of your forecast;
* hindcasts use the rain that really fell afterwards — ``observed``, ``scaled``
  ("the same storm × 1.5") and ``observed-ensemble`` (the observed rain perturbed).
  They tell how good the chain is with perfect rain, not what could be known then.

Whatever the rain input, the catchment state, the GR4H calibration (the year before)
and the rating curve only see the sensors' data *before* the forecast time, and the
potential evapotranspiration over the horizon is the mean of the last day before it
(tomorrow's temperature is not known; PET is small next to storm rain).

**Updated on the gauge.** The discharge observed the hour before the forecast time corrects the forecast
(``update``, :mod:`twin.models.hydro_update`): by default ``output``, the model's error then and the river's
last change carried into each lead as fitted on forecasts issued over the calibration period with the rain
that fell then (:meth:`twin.forecast.issue.ForecastSetup.output_error`: a scenario asks what the river does
under a given rain, so its update corrects the model and takes the rain as given; ``twin hydro replay``, which
scores a forecasting system, fits it with the system's own kind of rain); or ``state``, the routing store set to
give the observed discharge (GRP's update); or ``none``. A gauge with no reading then leaves the model alone,
and the outcome says so (``update`` and ``update_why`` attributes, with the observed and simulated discharge).
``twin hydro replay`` scores such forecasts lead by lead on a past period.

Uncertainty combines the rainfall ensemble and the model error (a lognormal
multiplier of discharge per member, ``model_error_cv``; updated on the gauge, its spread grows from nothing at
the forecast time to the full ``model_error_cv`` at :data:`MODEL_ERROR_FULL_H` hours, :func:`model_error_growth`). Buildings are "to alert"
when the 90th percentile of the forecast peak floods them (precaution), and counted
as "flooded" at the median; people = households × ``people_per_building`` (INSEE: 2.2 persons per
household in France, 2019; the factors table's ``people_per_household``), a building's households being its
dwellings where the territory has them (IGN BD TOPO, ``twin build --buildings``), else one per residential or
unknown-use building (the ``people_from`` attribute says which).

The baseline of every outcome is the forecast with **no further rain** after the
forecast time (what the river does with the water already in the catchment).

**Where the river is now.** The level gauge's last reading at most ``STAGE_NOW_MAX_AGE_H`` hours before the
forecast time is the stage at issue (attributes ``observed_stage_m`` and ``observed_stage_time``): a level it
already reaches is crossed, with a lead time of 0 h and a probability of 100 % (its first forecast hour
said « 1 h » before a level already passed). The readings of the day before are the series
``observed_stage_m``, drawn before the forecast.

**The gauges, the catchment and the alert levels are the territory's own.** Nothing about one
river is written here: every parameter below left empty (its default) resolves when the scenario runs,
and the scenario keeps its empty value (the outcome's attributes say what was used):

* ``rain_gauge``, ``flow_gauge``, ``level_gauge``, ``temperature`` (:func:`gauges`): the territory's
  defaults (``territory.defaults["flood"]``; the seed's in ``seeds/redon/seed.json``), else the
  territory's only sensor of the quantity (precipitation, discharge, water level, air temperature);
* ``forecast_time``, ``area_km2`` (catchment area at the gauge), ``alert_levels_m`` and
  ``river_names`` (:func:`catchment`): the territory's defaults;
* ``latitude_deg`` (for Oudin PET; :func:`catchment`): the territory's default, else the latitude of
  the centre of the territory's street network in WGS84 (from its CRS; ``latitude_from`` says which).
  A catchment's own latitude is better than the town's at its outlet, hence the default first; the
  PET of Oudin et al. (2005) depends on latitude only through the extraterrestrial radiation, which
  changes by about 1.5 % per degree over a year at 47° N (up to 6.5 % in midwinter), so within a
  small catchment the town's is a fair stand-in;

else a :class:`ScenarioError` naming the parameter to set.

The outcome holds everything the maps, charts and lists show (the scenario keeps nothing):

* for an ensemble (``rain`` ``ensemble`` or ``observed-ensemble``), every member's KPIs (``members``, variant ×
  KPI × member; the no-rain baseline's members carry the same model error, without rain) and their seeds (``member_seeds``): member *m* draws
  its rain (analog window or factor) and its model error from its own seed (:meth:`FloodForecast.member_seeds`),
  so two runs of one ``seed`` are compared member by member (common random numbers, :mod:`twin.paired`);
* series ``stage_m`` (variant, time, quantile), ``member_stage_m`` and ``member_rain_mm``
  (variant, member, time; NaN-padded where a variant has fewer members), and
  ``observed_stage_m`` (observed_time: the gauge's readings over the day before the forecast time);
* lists ``buildings_to_alert`` (variant, building_id, name, address, use, depth_m_p90; deepest first)
  and ``streets_to_close`` (variant, edge ``u-v-key``, osm_way_id, street, length_m);
* attributes: the sensors used (``rain_gauge``, ``flow_gauge``, ``level_gauge``, ``temperature``), the alert
  levels (``alert_yellow_m``, ``alert_orange_m``, ``alert_red_m``), the catchment (``area_km2``,
  ``latitude_deg`` and ``latitude_from``: "given", "territory defaults" or "territory centre") and the mapped
  ``river_names`` (comma-separated), the GR4H parameters and the rating curve as numbers (read back by
  :func:`gr4_params` and :func:`rating_curve`), and the calibration's period and NSE when calibrated.
"""

from __future__ import annotations

from dataclasses import asdict, fields

import geopandas as gpd
import numpy as np
import pandas as pd
import param
import xarray as xr
from shapely.geometry import LineString

from twin.calibration.flood_prior import LEVELS_BELOW_BANK_M, MONTANA_EXAMPLE
from twin.calibration.flood_prior import SOURCES as FLOOD_PRIOR_SOURCES
from twin.calibration.hydro_inputs import series_from_store
from twin.calibration.hydrology import calibrate, fit_rating_curve
from twin.economics import factor
from twin.forecast.issue import ForecastSetup
from twin.forecast.rain import RainSource
from twin.models.hydro_update import UPDATES, update_routing_store
from twin.models.hydrology import GR4Params, RatingCurve, gr4_ensemble, gr4_states, mm_per_step_to_m3s
from twin.models.inundation import synthetic_hand
from twin.outcome import KPI, Outcome
from twin.scenarios.base import Scenario, ScenarioError
from twin.scenarios.flood_ungauged import design_hyetograph, member_table, ungauged_forecast
from twin.sources.hydro_csv import HydroDataError, HydroSeries
from twin.territory.nearest_street import building_streets
from twin.territory.segments import first_edges, segment_min, street_segments
from twin.timeutil import LOCAL_TZ, is_iso_date_text

QUANTILES = (0.05, 0.5, 0.95)
LEVELS = ("yellow", "orange", "red")
RESIDENTIAL = ("residential", "unknown")
MAX_MEMBER_HOURS = 5_000_000  # members × horizon_h of one forecast (see FloodForecast.validate)
SEED_STRIDE = 100_000
"""Member *m* of seed *s* draws from ``s × SEED_STRIDE + m`` (members ≤ 100,000: no two members of one seed
share a seed)."""
STREAMS = {"rain": 0x4A17, "model_error": 0xE440}
"""One random stream per member and per use, so that member *m* draws the same rain factor (or analog) and
the same model error whatever the other parameters: common random numbers between two runs of one seed."""
FORECAST_RAIN = ("none", "design", "forecast", "ensemble")  # only what is known at the forecast time
HINDCAST_RAIN = ("observed", "scaled", "observed-ensemble")  # the rain that really fell afterwards
HINDCAST = "hindcast (perfect rain)"
ENSEMBLES = ("ensemble", "observed-ensemble")
GAUGES = {"rain_gauge": "precipitation", "flow_gauge": "discharge", "level_gauge": "water_level",
          "temperature": "air_temperature"}
"""Each sensor parameter and the quantity of the sensor it names (:mod:`twin.quantities`)."""
OWN = ("forecast_time", "area_km2", "latitude_deg", "alert_levels_m", "river_names")
"""The other parameters that, left empty, are the territory's own (:func:`catchment`)."""

MAX_RAIN_MM_PER_HOUR = 300.0
"""[mm/h] the most rain a forecast hour may give: the world's record hour is about 305 mm (Holt, Missouri,
1947; WMO archive of weather and climate extremes); 1e308 mm overflowed the discharge to NaN and the run
said nobody was to alert."""

KPIS = [
    # a stage is read above the gauge's datum and these times from the forecast: no change in per cent
    KPI("peak_stage_m", "m", "human", "median forecast peak stage at the gauge", ratio_scale=False),
    KPI("peak_stage_p95_m", "m", "human", "95th percentile of the forecast peak stage", statistic=True,
        ratio_scale=False),
    KPI("peak_after_h", "h", "human", "time from the forecast to the median peak; NaN (not computed) when "
                                      "the median still rises at the horizon's end: its peak lies beyond",
        ratio_scale=False),
    *[KPI(f"p_{lvl}_pct", "%", "human", f"probability of crossing the {lvl} level within the horizon "
                                        "(100 % when the gauge already reads above it at the forecast time)",
          statistic=True) for lvl in LEVELS],
    *[KPI(f"lead_time_{lvl}_h", "h", "human",
          f"median time left before the {lvl} level is crossed, over the members that cross it (NaN if none; "
          "0 when the gauge already reads above it at the forecast time)",
          higher_is_better=True, ratio_scale=False, over_share=f"p_{lvl}_pct") for lvl in LEVELS],
    KPI("buildings_flooded", "buildings", "human", "buildings under water at the median peak"),
    KPI("buildings_to_alert", "buildings", "human", "buildings under water at the 90th percentile peak",
        statistic=True),
    KPI("people_to_alert", "people", "human", "people living in the buildings to alert (occupancy assumption)",
        statistic=True),
    KPI("streets_to_close", "street segments", "human", "drivable street segments under water at the median peak"),
]


class FloodForecast(Scenario):
    """Forecast the river stage at a gauge over a horizon, with alerts and flooded places."""

    family = "flood"
    # the rain inputs each rain reads: a multiplier for the observed rain × k, the design storm's size for a
    # design storm or an ensemble around one, a rain forecast for a forecast or an ensemble around one
    read_when = {"scale": ({"rain": ("scaled",)},),
                 # the storm's size only: its duration and shape are read by every storm of a river without a
                 # discharge gauge (the flood prior's ensemble), a territory this table cannot see
                 "design_mm": ({"rain": ("design",)}, {"rain": ("ensemble",), "ensemble_base": ("design",)}),
                 **{name: ({"rain": ("forecast",)}, {"rain": ("ensemble",), "ensemble_base": ("forecast",)})
                    for name in ("rain_forecast_mm", "rain_forecast_file")}}
    # the rows of the factors table (twin.economics.FACTORS) its defaults come from, cited in reports
    factors = ("people_per_household",)

    # empty: the territory's own (its defaults; see catchment())
    forecast_time = param.String(default="", doc="[UTC] time the forecast is issued (floored to the hour; "
                                                 "empty: the territory's own)")
    horizon_h = param.Integer(default=72, bounds=(6, 480), doc="[h] forecast horizon (at least 6 h: a shorter one shows no flood wave)")
    rain = param.Selector(default="ensemble", objects=[*FORECAST_RAIN, *HINDCAST_RAIN],
                          doc="[-] rain over the horizon. Forecasts: none, a design storm, a given rain forecast, "
                              "an ensemble (climatological analogs by default). Hindcasts (perfect rain): as "
                              "observed, observed × scale, an ensemble around the observed rain")
    scale = param.Number(default=1.5, bounds=(0, 10), doc="[-] multiplier of the observed rain ('scaled', hindcast)")
    design_mm = param.Number(default=120.0, bounds=(0, 1000), doc="[mm] design storm depth")
    design_duration_h = param.Integer(default=24, bounds=(1, 240), doc="[h] design storm duration")
    design_shape = param.Selector(default="triangular", objects=["uniform", "triangular"],
                                  doc="[-] hyetograph shape (triangular peaks at a third of the duration)")
    ensemble_base = param.Selector(default="climatology", objects=["climatology", "design", "forecast"],
                                   doc="[-] rain of the 'ensemble': analogs from the gauge's history before the "
                                       "forecast time, or the design storm / the given forecast × a lognormal factor")
    analog_window_days = param.Integer(default=30, bounds=(1, 182),
                                       doc="[days] climatological ensemble: analog starts within ± this many days "
                                           "of the forecast's date")
    rain_forecast_mm = param.List(default=[], bounds=(0, 8784),
                                  doc="[mm/h] 'forecast': hourly rain from the forecast time on (at most a year)")
    rain_forecast_file = param.String(default="", doc="[-] 'forecast': CSV with columns time (UTC, hourly) and "
                                                      "rain_mm, from the forecast time on")
    members = param.Integer(default=200, bounds=(1, 100000),
                            doc="[-] ensemble members (members × horizon_h ≤ 5,000,000: MAX_MEMBER_HOURS)")
    rain_cv = param.Number(default=0.4, bounds=(0, 5),
                           doc="[-] coefficient of variation of the storm depth (perturbed ensembles)")
    model_error_cv = param.Number(default=0.1, bounds=(0, 2), doc="[-] coefficient of variation of model discharge")
    seed = param.Integer(default=0, bounds=(0, 2**32 - 1), doc="[-] seed of the ensemble")
    update = param.Selector(default="output", objects=list(UPDATES),
                            doc="[-] update on the discharge observed at the gauge the hour before the forecast: "
                                "output (the model's error then and the river's last change carried into the "
                                "forecast, lead by lead, as fitted on the calibration period), state (the routing "
                                "store set to give the observed discharge), none (the model alone)")
    # empty: the territory's own (its defaults, else its only sensor of the quantity; see gauges())
    rain_gauge = param.String(default="", doc="[-] rain sensor (empty: the territory's own)")
    flow_gauge = param.String(default="", doc="[-] discharge sensor, m³/s (empty: the territory's own)")
    level_gauge = param.String(default="", doc="[-] water-level sensor, m (empty: the territory's own)")
    temperature = param.String(default="", doc="[-] air temperature sensor, for Oudin PET (empty: the territory's own)")
    area_km2 = param.Number(default=None, allow_None=True, bounds=(0.01, 1e6),
                            doc="[km²] catchment area at the gauge (empty: the territory's own)")
    latitude_deg = param.Number(default=None, allow_None=True, bounds=(-90, 90),
                                doc="[°] catchment latitude, for PET (empty: the territory's own, else the "
                                    "latitude of its centre)")
    params = param.List(default=[], bounds=(0, 4),
                        doc="[-] GR4H X1 (mm), X2 (mm/h), X3 (mm), X4 (h); empty: calibrated on the year before")
    alert_levels_m = param.Dict(default={}, doc="[m] stage of each alert level at the gauge, e.g. "
                                                "{\"yellow\": 3.5, \"orange\": 4.5, \"red\": 5.5} "
                                                "(empty: the territory's own)")
    people_per_building = param.Number(default=factor("people_per_household"), bounds=(0, 1000),
                                       doc="[people] per residential building (factors table: people_per_household)")
    river_names = param.List(default=[], item_type=str,
                             doc="[-] river whose floodplain is mapped (empty: the territory's own)")
    past_floods = param.Integer(default=0, bounds=(0, 5),
                                doc="[-] past floods whose forecasts are replayed as issued then (48, 36, 24 and 12 h "
                                    "before each of the highest peaks the gauge recorded before the forecast time, "
                                    "each over 54 h whatever horizon_h) "
                                    "and checked against the gauge: the forecast's record (0: none; a gauged river "
                                    "only; see twin.scenarios.flood_skill)")
    return_period_years = param.Integer(default=None, allow_None=True, bounds=(5, 100),
                                        doc="[years] a river without a gauge: the design storm's return period "
                                            "(5, 10, 20, 30, 50 or 100; empty: 10), its depth by the Montana law")

    def validate(self) -> None:
        """The forecast time parses, GR4H parameters are four numbers in their physical ranges, every alert
        level is a finite stage, and the ensemble fits its budget (members × horizon_h ≤ MAX_MEMBER_HOURS:
        each run holds a few members × horizon arrays of float64; 5e6 member-hours ≈ 40 MB each).
        Empty values (the territory's own) are checked when they resolve (:func:`catchment`)."""
        if self.forecast_time:
            _forecast_time(self.forecast_time, "forecast_time")
        if self.params:
            ok = len(self.params) == 4 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                               and np.isfinite(x) for x in self.params)
            if not ok or self.params[0] <= 0 or self.params[2] <= 0 or self.params[3] < 0.5:
                raise ScenarioError("params: expected four numbers X1 > 0 (mm), X2 (mm/h), X3 > 0 (mm), "
                                    "X4 ≥ 0.5 (h), or an empty list to calibrate them", key="err_gr4h_params",
                                    values={"parameter": "params"})
        if self.alert_levels_m:
            _alert_levels(self.alert_levels_m, "alert_levels_m")
        if self.return_period_years is not None and self.return_period_years not in MONTANA_EXAMPLE:
            raise ScenarioError(f"return_period_years: one of {sorted(MONTANA_EXAMPLE)} years, got "
                                f"{self.return_period_years}", key="err_return_period",
                                values={"parameter": "return_period_years"})
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in self.rain_forecast_mm):
            raise ScenarioError("rain_forecast_mm: expected a list of numbers (mm in each hour)",
                                key="err_rain_numbers", values={"parameter": "rain_forecast_mm"})
        if self.members * self.horizon_h > MAX_MEMBER_HOURS:
            raise ScenarioError(f"members × horizon_h = {self.members} × {self.horizon_h} is more than the "
                                f"{MAX_MEMBER_HOURS:,} member-hours a forecast may hold; fewer members or a shorter "
                                "horizon", key="err_flood_budget",
                                values={"members": self.members, "horizon": self.horizon_h,
                                        "work": self.members * self.horizon_h, "limit": MAX_MEMBER_HOURS})

    # ------------------------------------------------------------------ inputs
    @property
    def is_hindcast(self) -> bool:
        """True when the variant's rain is the rain observed after the forecast time (perfect rain)."""
        return self.rain in HINDCAST_RAIN

    def _past(self, territory, t0, gauge: dict, own: dict) -> HydroSeries:
        """Rain, PET and discharge strictly before ``t0``: all a forecast may know (the store's ``end`` is
        exclusive, so even the daily temperature means behind PET see no hour from ``t0`` on)."""
        try:
            past = series_from_store(territory.sensors, gauge["rain_gauge"], gauge["flow_gauge"], gauge["temperature"],
                                     area_km2=own["area_km2"], latitude_deg=own["latitude_deg"],
                                     end=t0.tz_localize("UTC"))
        except (HydroDataError, KeyError) as exc:
            # before the record's start (or too close after it) the store has too little to read: the same
            # « outside the data » as later, not a message about two sensors sharing no time step
            span = territory.sensors.query(gauge["rain_gauge"]) if gauge["rain_gauge"] in \
                set(territory.sensors.sensors["sensor_id"]) else pd.DataFrame()
            if len(span):
                times = pd.DatetimeIndex(span["time"]).tz_convert("UTC").tz_localize(None)
                self._outside(t0, times.min(), times.max())
            raise ScenarioError(f"flood: cannot read the gauges before the forecast time {t0} ({exc})",
                                key="err_flood_gauges", values={"time": _shown_time(t0)}) from None
        self._outside(t0, past.time[0], past.time[-1])
        return past

    def _outside(self, t0, first, last) -> None:
        """The error of a forecast time whose history from ``first`` to ``last`` is too short: the model's
        :data:`WARM_UP_DAYS` of warm-up, then (parameters not given) :data:`CALIBRATION_DAYS` to calibrate on,
        up to the hour before it (at 60 days exactly, the calibration had no hour left and said « only 0
        observed discharges in 2021-03-02 … 2021-03-01 »)."""
        days = WARM_UP_DAYS + (0 if self.params else CALIBRATION_DAYS)
        earliest = first + pd.Timedelta(days=days)
        earliest_local = pd.Timestamp(earliest).tz_localize("UTC").tz_convert(LOCAL_TZ)  # the form takes Paris time
        if earliest > t0 and last >= t0 - pd.Timedelta(hours=1):
            # too early: « hors des données (2021-01-01 … 2021-01-04 23:00) » read as data ending on 4 January (the
            # history read stops at the forecast time): the data's start and the first forecast time they allow
            raise ScenarioError(f"flood: forecast time {t0} is outside the data ({first} … : too early, at least "
                                f"{days} days of history are needed before it; the earliest forecast time is "
                                f"{earliest})", key="err_flood_too_early",
                                values={"time": _shown_time(t0), "first": _shown_time(first), "days": days,
                                        "earliest": _shown_time(earliest), "earliest_local": f"{earliest_local:%d/%m/%Y %H:%M}"})
        if earliest > t0 or last < t0 - pd.Timedelta(hours=1):
            raise ScenarioError(f"flood: forecast time {t0} is outside the data ({first} … {last}; at least "
                                f"{days} days of history are needed before it, up to the hour before it)",
                                key="err_flood_outside",
                                values={"time": _shown_time(t0), "first": _shown_time(first),
                                        "last": _shown_time(last), "days": days})

    def _observed_rain(self, territory, t0, rain_gauge: str) -> np.ndarray:
        """The rain that really fell over the horizon (hindcasts only)."""
        H = self.horizon_h
        end = t0 + pd.Timedelta(hours=H)
        rain = territory.sensors.series(rain_gauge, t0.tz_localize("UTC"), end.tz_localize("UTC"),
                                        freq="1h").to_series()
        rain = rain.reindex(pd.date_range(t0, periods=H, freq="1h"))
        if rain.isna().any():
            raise ScenarioError(f"flood: a hindcast needs the observed rain of {rain_gauge!r} over the whole "
                                f"horizon; {int(rain.isna().sum())} of {H} hours are missing (first "
                                f"{rain[rain.isna()].index[0]})", key="err_flood_hindcast_rain",
                                values={"sensor": rain_gauge, "missing": int(rain.isna().sum()), "hours": H,
                                        "time": _shown_time(rain[rain.isna()].index[0])})
        return rain.to_numpy()

    def _given_forecast(self, t0) -> tuple[np.ndarray, str]:
        """The user's rain forecast over the horizon (mm per hour; zero after its last hour)."""
        H = self.horizon_h
        if self.rain_forecast_file:
            import io  # noqa: PLC0415

            from twin.sources.safe_files import InputFileError, read_input_bytes  # noqa: PLC0415

            where = self.rain_forecast_file
            try:  # a regular file of at most 50 MB; errors give lines, never the file's text
                from twin.csv_dialect import separator  # noqa: PLC0415

                text = read_input_bytes(where, what="rain_forecast_file").decode("utf-8-sig")
                sep = separator(text)  # a French spreadsheet's export: « ; » between columns, decimal comma
                df = pd.read_csv(io.StringIO(text), sep=sep, decimal="," if sep == ";" else ".")
            except InputFileError as exc:  # its own key, when it has one
                raise ScenarioError(str(exc), key=exc.key, values=exc.values) from None
            except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
                why = str(exc).split(". ")[-1][:120] if isinstance(exc, pd.errors.ParserError) else type(exc).__name__
                raise ScenarioError(f"flood: cannot read the rain forecast {where} ({why})",
                                    key="err_rain_file_unreadable", values={"file": str(where)[:200]}) from None
            if "rain_mm" not in df and "mm" in df:  # the hydro forecasts' file (``member,time,mm``), one member
                members = df["member"].astype(str).unique() if "member" in df else []
                if len(members) > 1:
                    raise ScenarioError(f"{where}: {len(members)} members; the flood scenario reads one forecast "
                                        "(its ensemble is drawn around it: rain='ensemble', ensemble_base='forecast')", key="err_rain_file_members",
                                        values={"file": str(where)[:200], "members": len(members)})
                df = df.rename(columns={"mm": "rain_mm"})
            missing = {"time", "rain_mm"} - set(df.columns)
            if missing:
                raise ScenarioError(f"{where}: missing column(s) {sorted(missing)} (expected time, rain_mm)",
                                    key="err_rain_file_columns",
                                    values={"file": str(where)[:200], "columns": ", ".join(sorted(missing))})
            from twin.csv_dialect import FRENCH_DATE, french_or_iso_times  # noqa: PLC0415

            times = pd.to_datetime(df["time"], utc=True, errors="coerce").dt.tz_localize(None)
            french = df["time"].astype(str).str.match(FRENCH_DATE)
            if french.any():  # 01/02/2024 06:00: the 1st of February (pandas reads the 2nd of January)
                times = times.where(~french, french_or_iso_times(df["time"].astype(str).where(french)))
            values = pd.to_numeric(df["rain_mm"], errors="coerce").to_numpy(float)
            step = (times - t0) / pd.Timedelta(hours=1)
            bad = times.isna() | (step < 0) | (step != np.round(step)) | step.duplicated()
            if bad.any():
                lines = ", ".join(str(i + 2) for i in np.flatnonzero(bad.to_numpy())[:5])  # header is line 1
                raise ScenarioError(f"{where}: line(s) {lines}: expected "
                                    f"distinct whole hours from the forecast time {t0} (UTC)",
                                    key="err_rain_file_lines",
                                    values={"file": str(where)[:200], "lines": lines, "time": _shown_time(t0)})
            k = step.to_numpy().astype(int)
        elif self.rain_forecast_mm:
            where = "rain_forecast_mm"
            values = np.asarray(self.rain_forecast_mm, float)
            k = np.arange(len(values))
        else:
            raise ScenarioError("flood: rain='forecast' (or an ensemble on it) needs rain_forecast_mm or "
                                "rain_forecast_file (hourly rain in mm from the forecast time)",
                                key="err_rain_forecast_needed")
        wrong = ~np.isfinite(values) | (values < 0) | (values > MAX_RAIN_MM_PER_HOUR)
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            if self.rain_forecast_file:  # the file's line and what it holds (« beaucoup » read « nan »)
                text = str(df["rain_mm"].iloc[i])[:20]
                raise ScenarioError(f"{where}, line {i + 2}: rain_mm {text!r} is not a depth in mm (a number, 0 to "
                                    f"{MAX_RAIN_MM_PER_HOUR:g} mm in an hour; the world record is about 305 mm)",
                                    key="err_rain_file_value_line",
                                    values={"file": str(where)[:200], "line": i + 2, "value": text})
            raise ScenarioError(f"{where}: rain {values[i]:g} at hour {k[i]} is not a finite, non-negative "
                                f"depth (mm) of at most {MAX_RAIN_MM_PER_HOUR:g} mm in an hour (the world record is "
                                "about 305 mm)", key="err_rain_value",
                                values={"parameter": where, "value": str(values[i]), "hour": int(k[i])})
        out = np.zeros(H)
        inside = k < H  # hours after the horizon do not change the forecast over it
        if self.rain_forecast_file and len(k) and not inside.any():
            # a file for another day gave « rain forecast 0 mm »: a reassuring no-rain forecast, silently
            end = t0 + pd.Timedelta(hours=H)
            raise ScenarioError(f"{where}: none of its {len(k)} hour(s) falls within the forecast's {H} h from "
                                f"{t0} (UTC); its first is {times.min()}: a rain forecast for another day?",
                                key="err_rain_file_outside",
                                values={"file": str(where)[:200], "n": len(k), "start": _shown_time(t0),
                                        "end": _shown_time(end), "first": _shown_time(times.min())})
        out[k[inside]] = values[inside]
        return out, f"rain forecast {out.sum():.0f} mm"

    def member_seeds(self) -> list[int]:
        """The seed of each member of the ensemble (``seed × SEED_STRIDE + m``): member *m* of two runs with
        the same ``seed`` draws the same analog window or rain factor, and the same model error."""
        return [self.seed * SEED_STRIDE + m for m in range(self.members)]

    def _draws(self, use: str) -> list[np.random.Generator]:
        """One generator per member for ``use`` (:data:`STREAMS`), each from the member's own seed."""
        return [np.random.default_rng([s, STREAMS[use]]) for s in self.member_seeds()]

    def _lognormal_factor(self, cv: float, use: str, growth: np.ndarray | None = None) -> np.ndarray:
        """Per member, a lognormal factor of mean 1 and coefficient of variation ``cv`` (one standard
        normal of the member's ``use`` stream: the same member has the same draw whatever ``cv``); with
        ``growth`` (a share of the log-spread per hourly step, :func:`model_error_growth`), members × steps,
        each step's factor still of mean 1."""
        sigma = np.sqrt(np.log1p(cv ** 2))
        z = np.array([g.standard_normal() for g in self._draws(use)])
        if growth is None:
            return np.exp(sigma * z - sigma ** 2 / 2)
        s = sigma * np.asarray(growth, float)[None, :]
        return np.exp(z[:, None] * s - s ** 2 / 2)

    def _analogs(self, past: HydroSeries, t0) -> tuple[np.ndarray, str]:
        """Climatological ensemble: the rain of ``members`` windows of the gauge's past, each starting within
        ± ``analog_window_days`` of the forecast's date (any earlier year, or earlier this season) and ending
        before the forecast time; drawn with replacement."""
        H = self.horizon_h
        n = len(past.time) - H + 1
        if n < 1:
            raise ScenarioError(f"flood: the rain history before {t0} is shorter than the {H} h horizon",
                                key="err_flood_history_short", values={"time": _shown_time(t0), "horizon": H})
        starts = past.time[:n]
        year = 365.2425
        days = (starts - t0) / pd.Timedelta(days=1)
        phase = (days + year / 2) % year - year / 2  # days from the same date, any year
        whole = (past.time[H - 1:] - starts) == pd.Timedelta(hours=H - 1)  # no missing hour inside the window
        cand = np.flatnonzero((np.abs(phase) <= self.analog_window_days) & whole)
        if not len(cand):
            raise ScenarioError(f"flood: no {H} h window of rain within ± {self.analog_window_days} days of "
                                f"{t0:%d %b} before the forecast time", key="err_flood_no_analog",
                                values={"horizon": H, "days": self.analog_window_days, "date": f"{t0:%d/%m}"})
        pick = cand[[int(g.integers(len(cand))) for g in self._draws("rain")]]  # each member its own draw
        years = sorted({t.year for t in starts[cand]})
        return past.P[pick[:, None] + np.arange(H)], \
            f"ensemble of {self.members} (rain analogs ±{self.analog_window_days} d, {years[0]}–{years[-1]})"

    def _rain_members(self, mode: str, past: HydroSeries, observed_future, t0) -> tuple[np.ndarray, str]:
        H = self.horizon_h
        if mode == "none":  # beside an ensemble, one row a member: each carries its model error, without rain
            return np.zeros((self.members if self.rain in ENSEMBLES else 1, H)), "no rain"
        if mode == "observed":
            return observed_future[None, :], f"observed rain, {HINDCAST}"
        if mode == "scaled":
            return self.scale * observed_future[None, :], f"observed rain × {self.scale:g}, {HINDCAST}"
        if mode == "design":
            return self._design(H)[None, :], f"design storm {self.design_mm:g} mm / {self.design_duration_h} h"
        if mode == "forecast":
            rain, name = self._given_forecast(t0)
            return rain[None, :], name
        if mode == "ensemble" and self.ensemble_base == "climatology":
            return self._analogs(past, t0)
        if mode == "observed-ensemble":
            base, what = observed_future, f"observed rain, cv {self.rain_cv:g}), {HINDCAST}"
        elif self.ensemble_base == "design":
            base, what = self._design(H), f"design storm, cv {self.rain_cv:g})"
        else:
            base, what = self._given_forecast(t0)[0], f"rain forecast, cv {self.rain_cv:g})"
        mult = self._lognormal_factor(self.rain_cv, "rain")  # mean 1
        return mult[:, None] * base[None, :], f"ensemble of {self.members} ({what}"

    def _design(self, H: int) -> np.ndarray:
        return design_hyetograph(self.design_mm, self.design_duration_h, H, self.design_shape)

    # ------------------------------------------------------------------ run
    def forecast(self, territory) -> dict:
        """The forecast itself: stage members over the horizon and everything needed for the KPIs.

        Only the variant of a hindcast reads the sensors after the forecast time (its observed rain)."""
        self.validate()  # parameters may have been set after construction (twin flood run --at)
        gauge = gauges(territory, {name: getattr(self, name) for name in GAUGES})
        own = catchment(territory, {name: getattr(self, name) for name in OWN})
        t0 = own["forecast_time"]
        past = self._past(territory, t0, gauge, own)
        if self.params:
            params = GR4Params(*map(float, self.params))
            calib = None
        else:
            start = max(past.time[0] + pd.Timedelta(days=WARM_UP_DAYS), t0 - pd.Timedelta(days=365))
            calib = calibrate(past, "gr4h", past.time[0], start, past.time[-1], maxiter=25, seed=self.seed)
            params = GR4Params(**calib.params)
        level = territory.sensors.query(gauge["level_gauge"], end=t0.tz_localize("UTC")).set_index("time")["value"]
        flow = territory.sensors.query(gauge["flow_gauge"], end=t0.tz_localize("UTC")).set_index("time")["value"]
        observed = observed_stage(level, t0)
        # a replay only (its rain is the one that fell, read after t0 too): the level the gauge then read over
        # the horizon, to set the replay against — never an input of the forecast
        verified = None
        if self.is_hindcast:
            end = (t0 + pd.Timedelta(hours=self.horizon_h, minutes=1)).tz_localize("UTC")  # the last hour in
            after = territory.sensors.query(gauge["level_gauge"], start=t0.tz_localize("UTC"), end=end)
            verified = stage_after(after.set_index("time")["value"], t0, self.horizon_h)
        pairs = pd.concat([level, flow], axis=1, keys=["h", "q"], sort=True).dropna()
        curve, _ = fit_rating_curve(pairs["h"], pairs["q"])
        H = self.horizon_h
        simulated, kept = gr4_states(past.P, past.E, params, [len(past.P) - 1], timestep="hourly")
        update = self._update(past, params, simulated, calib, H)
        state = (update_routing_store(kept, past.Q[-1:], params) if update["mode"] == "state" else kept).at(0)
        pet = np.full(H, past.E[-24:].mean())  # persistence of the last day's PET
        obs_rain = self._observed_rain(territory, t0, gauge["rain_gauge"]) if self.is_hindcast else None
        out = {}
        for label, mode in (("baseline", "none"), ("variant", self.rain)):
            rain, name = self._rain_members(mode, past, obs_rain, t0)
            q_mm = gr4_ensemble(rain, pet, params, state, timestep="hourly")
            if update["mode"] == "output":
                q_mm = update["model"].correct(q_mm[None], [update["error_mm"]], [update["change_mm"]])[0]
            q = mm_per_step_to_m3s(q_mm, own["area_km2"], 1.0)
            if self.rain in ENSEMBLES:
                # updated on the gauge, the forecast starts where the river is: its error grows from there.
                # The no-rain baseline carries the same model error, member by member (the same draws): a
                # forecast without rain is no surer than one with it, and a member's change is then the
                # rain's alone (a certain baseline at 100 % beside members spread by the model's error read
                # as « rain lowers the chance of orange to 84 % »)
                growth = model_error_growth(H) if update["mode"] != "none" else np.ones(H)
                q = q * self._lognormal_factor(self.model_error_cv, "model_error", growth)
            out[label] = {"name": name, "rain": rain, "discharge": q, "stage": curve.stage(q)}
        times = pd.date_range(t0 + pd.Timedelta(hours=1), periods=H, freq="1h")  # end of each hourly step
        return {"t0": t0, "times": times, "params": params, "calibration": calib, "curve": curve, "runs": out,
                "rating_max_m": float(pairs["h"].max()) if len(pairs) else float("nan"),
                "observed_stage": observed, "stage_now": stage_now(observed, t0), "verified_stage": verified,
                "kind": HINDCAST if self.is_hindcast else "forecast", "gauges": gauge, "own": own,
                "update": {k: v for k, v in update.items() if k != "model"}}

    def _update(self, past: HydroSeries, params: GR4Params, simulated: np.ndarray, calib, horizon: int) -> dict:
        """How the forecast is updated on the discharge observed the hour before the forecast time
        (:mod:`twin.models.hydro_update`): the mode applied (``none`` when the gauge has no reading then, said in
        ``why``), the observed and simulated discharge then (mm/h) and, for ``output``, the error model fitted
        on forecasts issued over the calibration period (the year before) with the rain that fell then."""
        q_now, q_before = float(past.Q[-1]), float(past.Q[-2])
        out = {"mode": self.update, "observed_mm": q_now, "simulated_mm": float(simulated[-1]), "why": ""}
        if self.update != "none" and not np.isfinite(q_now):
            out.update(mode="none", why=f"no discharge observed at {past.time[-1]}: the model alone")
            return out
        if self.update == "output":
            start = pd.Timestamp(calib.period[0]) if calib is not None else \
                max(past.time[0] + pd.Timedelta(days=WARM_UP_DAYS), past.time[-1] - pd.Timedelta(days=365))
            setup = ForecastSetup(past, "gr4h", params, (start, past.time[-1]))
            # a scenario asks what the river does under a given rain (each member's): the update corrects the
            # model, not the rain, so it is fitted with the rain that fell; the baseline and every variant share it
            fit_rain = RainSource("observed")
            try:
                out["model"] = setup.output_error(fit_rain, horizon)
            except HydroDataError as exc:
                raise ScenarioError(f"flood: cannot fit the update on the gauge ({exc})", key="err_flood_gauges",
                                    values={"time": _shown_time(past.time[-1])}) from None
            out.update(error_mm=q_now - float(simulated[-1]),
                       change_mm=q_now - q_before if np.isfinite(q_before) else 0.0, fitted_with=fit_rain.name)
        return out

    def run(self, territory) -> Outcome:
        if not self.flow_gauge and not has_flow_gauge(territory):
            return self.run_ungauged(territory)
        fc = self.forecast(territory)
        own = fc["own"]
        fp = synthetic_hand(territory, tuple(own["river_names"]))
        buildings = territory.layers["buildings"]
        b_hand = fp.hand_m(buildings.geometry)
        residential = buildings["use"].isin(RESIDENTIAL).to_numpy()
        occupants = households(buildings, residential) * self.people_per_building
        G = territory.graphs["drive"]
        edges = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
        egeom = gpd.GeoSeries([d.get("geometry") or LineString([(G.nodes[u]["x"], G.nodes[u]["y"]),
                                                                (G.nodes[v]["x"], G.nodes[v]["y"])])
                               for u, v, k, d in edges], crs=territory.crs)
        segment = street_segments(edges)
        e_hand = segment_min(fp.hand_m(egeom), segment)  # a two-way street's directions: one height, closed together
        one_each = first_edges(segment)  # counted once: « 62 tronçons » were 32 streets' two directions
        h0 = fc["curve"].h0
        now_time, now_m = fc["stage_now"]
        values, stage_q, alerts, closures, by_member = {}, {}, [], [], {}
        cols = [c for c in ("name", "address", "use", "dwellings") if c in buildings]
        near_street = building_streets(buildings, territory.graphs["drive"]).to_numpy()  # where to knock
        for key, run in fc["runs"].items():
            label = "baseline" if key == "baseline" else run["name"]
            stage = run["stage"]
            peaks = stage.max(axis=1)
            p50, p90, p95 = np.quantile(peaks, [0.5, 0.9, 0.95])
            med = np.quantile(stage, 0.5, axis=0)
            v = {"peak_stage_m": float(p50), "peak_stage_p95_m": float(p95),
                 "peak_after_h": _peak_after_h(med)}
            for lvl in LEVELS:
                crossed, first = crossings(stage, own["alert_levels_m"][lvl], now_m)
                v[f"p_{lvl}_pct"] = 100.0 * crossed.mean()
                v[f"lead_time_{lvl}_h"] = float(np.median(first[crossed])) if crossed.any() else float("nan")
            flooded = b_hand < p50 - h0
            alert = b_hand < p90 - h0
            v["buildings_flooded"] = float(flooded.sum())
            v["buildings_to_alert"] = float(alert.sum())
            v["people_to_alert"] = float(occupants[alert].sum())
            closed = e_hand < p50 - h0 - 0.05
            v["streets_to_close"] = float(closed[one_each].sum())
            values[label] = v
            by_member[label] = _member_kpis(stage, own["alert_levels_m"], h0, b_hand, occupants, e_hand[one_each],
                                            now_m)
            stage_q[label] = np.quantile(stage, QUANTILES, axis=0).T
            share, first_h = building_water(stage, h0, b_hand[alert], now_m)
            alerts.append(buildings.loc[alert, ["id", *cols]].assign(street=near_street[alert],
                                                                     depth_m_p90=(p90 - h0 - b_hand)[alert],
                                                                     flooded_share_pct=share, first_water_h=first_h)
                          .sort_values("depth_m_p90", ascending=False)
                          .rename(columns={"id": "building_id"}).assign(variant=label))
            closures += [(label, f"{u}-{vv}-{k}", int(g), int(d["osm_way_id"]), str(d.get("name") or ""),
                          float(d.get("length", np.nan))) for (u, vv, k, d), c, g in zip(edges, closed, segment) if c]
        outcome = Outcome.from_values(self.family, KPIS, values, territory=territory.name,
                                      forecast_time=str(fc["t0"]), horizon_h=self.horizon_h,
                                      forecast_kind=fc["kind"], **fc["gauges"],
                                      synthetic_gauges=synthetic_gauges(territory, fc["gauges"]),
                                      params=str(asdict(fc["params"])), rating_curve=str(asdict(fc["curve"])),
                                      floodplain=fp.__class__.__name__ + " (SYNTHETIC)" if fp.synthetic else "DEM")
        self._describe_forecast(outcome, fc)
        # which rain: a replay on the rain that fell is not a what-if on that rain × 1.5 (the page says which)
        outcome.data.attrs["rain"] = self.rain
        outcome.data.attrs["baseline_meaning"] = "no further rain"  # the baseline's run: not today's situation
        outcome.data.attrs["observed_stage_m"] = now_m  # NaN: no reading of the level gauge recent enough
        outcome.data.attrs["observed_stage_time"] = "" if now_time is None else str(now_time)
        if self.rain == "scaled":
            outcome.data.attrs["rain_scale"] = float(self.scale)
        labels = list(values)
        if self.rain in ENSEMBLES:
            # every member's KPIs for the paired comparison: the no-rain baseline's members share the
            # variant's model-error draws (common random numbers)
            outcome.add_members(np.stack([by_member[lab] for lab in labels]), self.member_seeds(), futures=True)
        _add_stage_series(outcome, fc, stage_q, labels, "forecast stage at the gauge")
        obs = fc["observed_stage"]
        outcome.add_series("observed_stage_m", xr.DataArray(obs.to_numpy(float), dims=("observed_time",),
                                                            coords={"observed_time": obs.index.to_numpy()}),
                           unit="m", description="stage read at the level gauge over the day before the forecast time")
        if fc["verified_stage"] is not None and len(fc["verified_stage"]):
            after = fc["verified_stage"]
            outcome.add_series("verified_stage_m", xr.DataArray(after.to_numpy(float), dims=("verified_time",),
                                                                coords={"verified_time": after.index.to_numpy()}),
                               unit="m", description="a replay's check: the stage the level gauge read over the "
                                                     "horizon after the forecast time (known afterwards; the "
                                                     "forecast never reads it)")
        alert_table = pd.concat(alerts, ignore_index=True)
        outcome.add_table("buildings_to_alert", alert_table[["variant", "building_id", *cols, "street", "depth_m_p90",
                                                             "flooded_share_pct", "first_water_h"]],
                          kind="list", key="building_id",
                          description="buildings under water at the 90th percentile of the forecast peak, deepest "
                                      "first, per variant (precaution: the KPI buildings_to_alert counts them), each "
                                      "with its address's street, else the named street nearest it (within 100 m; '' "
                                      "when none), the share of "
                                      "the members whose peak reaches it and the hour water first reaches it after "
                                      "the forecast time (median over those members)",
                          units={"depth_m_p90": "m", "flooded_share_pct": "%", "first_water_h": "h"})
        streets = streets_table(closures)
        outcome.add_table("streets_to_close", streets, kind="list", key="edge",
                          description="drivable street edges (u-v-key of the drive graph) under water at the "
                                      "median forecast peak, per variant (the KPI streets_to_close counts them)",
                          units={"length_m": "m"})
        for lvl in LEVELS:
            outcome.data.attrs[f"alert_{lvl}_m"] = own["alert_levels_m"][lvl]
        outcome.data.attrs.update(area_km2=own["area_km2"], latitude_deg=own["latitude_deg"],
                                  latitude_from=own["latitude_from"], river_names=", ".join(own["river_names"]))
        known = int(buildings["dwellings"].notna().sum()) if "dwellings" in buildings else 0
        outcome.data.attrs["people_from"] = (
            f"dwellings of {known} buildings (BD TOPO), one household per other residential or unknown-use building"
            if known else "one household per residential or unknown-use building (no dwellings known)")
        if self.past_floods:
            self._add_past_forecasts(outcome, territory, fc)
        return outcome

    def _add_past_forecasts(self, outcome: Outcome, territory, fc: dict) -> None:
        """The forecast's record on the territory's past floods (:mod:`twin.scenarios.flood_skill`): the table
        ``past_forecasts`` and, in the attributes, how many floods were found and how they were replayed."""
        from twin.scenarios.flood_skill import (  # noqa: PLC0415
            PAST_CALIBRATION_D, record_summary, replay_past_floods,
        )

        days = WARM_UP_DAYS + (CALIBRATION_DAYS if self.params else PAST_CALIBRATION_D)
        table, summary = replay_past_floods(self, territory, fc, self.past_floods, days)
        attrs = outcome.data.attrs
        attrs.update(past_floods_asked=self.past_floods, past_floods_found=summary["floods"],
                     past_members=summary["members"], past_history_days=summary["history_days_needed"],
                     past_calibrated_before=summary.get("calibrated_before", ""),
                     past_calibrated_until=summary.get("calibrated_until", ""), past_params_given=bool(self.params),
                     past_leads_h=", ".join(str(x) for x in summary["leads_h"]))
        if table.empty:
            return
        attrs.update(record_summary(table))  # its figures kept with a saved variant (« Comparer »)
        table = table.assign(forecast=[f"{t:%Y-%m-%d %H:%M}" for t in table["issued"]])
        model = "GR4H parameters as given" if self.params else "the model calibrated before the earliest"
        outcome.add_table("past_forecasts", table, kind="list", key="forecast",
                          description=f"forecasts replayed as issued then (climatological analog rain, {model}, "
                                      "over 54 h) lead_h hours before each past flood's peak "
                                      "(flood_peak_time, UTC), each checked against the level gauge over its horizon: "
                                      "median forecast peak and highest reading, their times, and per alert level "
                                      "whether each reached it",
                          units={"lead_h": "h", "forecast_peak_m": "m", "observed_peak_m": "m", "peak_error_m": "m",
                                 "peak_timing_error_h": "h", "stage_at_issue_m": "m",
                                 **{f"{lvl}_p_pct": "%" for lvl in LEVELS}})

    def run_ungauged(self, territory) -> Outcome:
        """A river without a discharge gauge: the flood prior's ensemble (:mod:`twin.scenarios.flood_ungauged`).
        Every member draws its catchment, channel, floodplain and storm; a building is *to alert* when at
        least 10 % of the members flood it — the list carries each one's share, so it claims no more precision
        than the prior has — and ``buildings_flooded`` is the expected number (the shares summed). The horizon
        is lengthened, up to 480 h, until the slowest tenth of the members' flood waves has passed
        (:func:`twin.scenarios.flood_ungauged.needed_horizon_h`); the outcome says so."""
        if self.rain not in ("ensemble", "design"):
            raise ScenarioError(f"flood: territory {territory.name!r} has no discharge gauge: no rain history or "
                                f"observed rain for rain={self.rain!r}; use rain 'ensemble' (a design storm of "
                                "return_period_years, 10 by default) or 'design' (design_mm)",
                                key="err_ungauged_rain", values={"territory": territory.name, "rain": self.rain})
        own = flood_defaults(territory)
        t0 = self.forecast_time or own.get("forecast_time")
        area = self.area_km2 if self.area_km2 is not None else own.get("area_km2")
        names = tuple(self.river_names or own.get("river_names") or ())
        period = self.return_period_years or 10
        fc = ungauged_forecast(territory, members=self.members, seed=self.seed, horizon_h=self.horizon_h,
                               return_period_years=period, design_mm=self.design_mm if self.rain == "design" else None,
                               duration_h=self.design_duration_h, shape=self.design_shape,
                               area_km2=None if area is None else float(area), river_names=names,
                               forecast_time=_forecast_time(t0, "forecast_time") if t0 else None)
        buildings = territory.layers["buildings"]
        occupants = households(buildings, buildings["use"].isin(RESIDENTIAL).to_numpy()) * self.people_per_building
        storm = (f"design storm, {fc['depth_mm']:.0f} mm in {self.design_duration_h} h" if self.rain == "design" else
                 f"{period}-year storm, {fc['depth_mm']:.0f} mm in {self.design_duration_h} h")
        labels = {"baseline": "baseline", "variant": f"{storm} (prior)"}
        values, by_member, alerts, closures, stage_q = {}, {}, [], [], {}
        cols = [c for c in ("name", "address", "use", "dwellings") if c in buildings]
        near_street = building_streets(buildings, territory.graphs["drive"]).to_numpy()  # where to knock
        one_each = first_edges(fc["segment"])  # a two-way street counted once
        for key, run in fc["runs"].items():
            label = labels[key]
            stage = run["stage"]
            mine = member_table(stage, fc["levels"], fc["b_hand"], occupants, fc["e_hand"][:, one_each])
            peaks = stage.max(axis=1)
            v = {"peak_stage_m": float(np.median(peaks)), "peak_stage_p95_m": float(np.quantile(peaks, 0.95)),
                 "peak_after_h": _peak_after_h(np.quantile(stage, 0.5, axis=0))}
            for lvl in LEVELS:
                v[f"p_{lvl}_pct"] = float(mine[f"p_{lvl}_pct"].mean())
                lead = mine[f"lead_time_{lvl}_h"]
                v[f"lead_time_{lvl}_h"] = float(np.nanmedian(lead)) if np.isfinite(lead).any() else float("nan")
            share = (fc["b_hand"] < peaks[:, None]).mean(axis=0)
            alert = share >= 0.1
            # flooded: the expected count (each building's share summed), not the count flooded in half of the
            # members — 0 of those while the members flood 20 on average would say « nothing » of a real risk
            v["buildings_flooded"], v["buildings_to_alert"] = float(share.sum()), float(alert.sum())
            v["people_to_alert"] = float(occupants[alert].sum())
            closed = (fc["e_hand"] < peaks[:, None] - 0.05).mean(axis=0) >= 0.5
            v["streets_to_close"] = float(closed[one_each].sum())
            values[label] = v
            by_member[label] = np.stack([np.asarray(mine[k.name], float) for k in KPIS])
            stage_q[label] = np.quantile(stage, QUANTILES, axis=0).T
            depth_p90 = np.quantile(peaks[:, None] - fc["b_hand"], 0.9, axis=0)
            alerts.append(buildings.loc[alert, ["id", *cols]].assign(street=near_street[alert], p_flooded=share[alert],
                                                                     depth_m_p90=depth_p90[alert])
                          .sort_values(["p_flooded", "depth_m_p90"], ascending=False)
                          .rename(columns={"id": "building_id"}).assign(variant=label))
            closures += [(label, f"{u}-{vv}-{k}", int(g), int(d["osm_way_id"]), str(d.get("name") or ""),
                          float(d.get("length", np.nan)))
                         for (u, vv, k, d), c, g in zip(fc["edges"], closed, fc["segment"]) if c]
        river, draws = fc["river"], fc["draws"]
        low, high = np.quantile(draws["area_km2"], [0.05, 0.95])
        area_text = (f"{area:g} km² (given)" if area is not None else
                     f"unknown: {low:,.0f}–{high:,.0f} km² (5–95 %), " +
                     (f"the extract cuts {river.name} ({river.length_km:.1f} km mapped): larger than the map shows"
                      if river.clipped else f"by Hack's law from the {river.length_km:.1f} km of {river.name} mapped") +
                     " — set area_km2 (BD TOPAGE, Banque Hydro)")
        priors = (f"no discharge gauge on {river.name}: an ensemble of {self.members} catchments, channels and storms "
                  f"from the flood prior ({FLOOD_PRIOR_SOURCES}); catchment area {area_text}; river width "
                  + (f"{river.width_m:.0f} m (mapped)" if river.width_m else "not mapped (5–40 m)")
                  + "; SYNTHETIC floodplain; alert levels relative to each member's bank top (no official thresholds)")
        outcome = Outcome.from_values(self.family, KPIS, values, territory=territory.name,
                                      forecast_time=str(fc["t0"]),
                                      forecast_time_from="none given: a design event, its hours counted from this "
                                                         "time" if fc["epoch"] else "given",
                                      horizon_h=fc["horizon_h"], forecast_kind="forecast (prior: no gauge)",
                                      horizon_from="asked" if fc["horizon_h"] == self.horizon_h else
                                      f"lengthened from {self.horizon_h} h: the prior's flood waves take longer",
                                      buildings_flooded_is="the expected number: each building's share of members "
                                                           "flooding it, summed",
                                      priors=priors, river=river.name, members=self.members,
                                      floodplain="SyntheticFloodplain (SYNTHETIC, its bank and slope drawn per member)",
                                      params_from="prior (regionalised GR4J sets)",
                                      rating_curve="prior (Manning, compound section)",
                                      alert_levels="each member's own: " + ", ".join(
                                          f"{lvl} {off:+.1f} m from its bank top" for lvl, off in LEVELS_BELOW_BANK_M.items()),
                                      design_rain_mm=f"{fc['depth_mm']:.1f}", rain=self.rain,
                                      area_km2=f"{draws['area_km2'].median():.1f}",
                                      area_from="given" if area is not None else
                                      "the map cuts the river (prior)" if river.clipped else "Hack's law (prior)",
                                      river_names=river.name, baseline_meaning="no further rain",
                                      gr4h_x4_h_median=f"{draws['x4'].median():.1f}")
        labels_list = list(values)
        outcome.add_members(np.stack([by_member[lab] for lab in labels_list]), self.member_seeds())
        _add_stage_series(outcome, fc, stage_q, labels_list, "PRIOR: forecast water depth in the river (above its bed)")
        alert_table = pd.concat(alerts, ignore_index=True)
        outcome.add_table("buildings_to_alert", alert_table[["variant", "building_id", *cols, "street", "p_flooded",
                                                              "depth_m_p90"]],
                          kind="list", key="building_id",
                          description="PRIOR: buildings under water in at least 10 % of the members, the most likely "
                                      "first, with that share and the 90th percentile of their depth",
                          units={"depth_m_p90": "m", "p_flooded": "1"})
        streets = streets_table(closures)
        outcome.add_table("streets_to_close", streets, kind="list", key="edge",
                          description="PRIOR: drivable street edges under water in at least half of the members",
                          units={"length_m": "m"})
        if self.past_floods:  # asked, not done: said (no gauge recorded the past floods)
            outcome.data.attrs.update(past_floods_asked=self.past_floods, past_floods_found=0,
                                      past_floods_why="no discharge gauge: no forecast model to replay")
        return outcome

    @staticmethod
    def _describe_forecast(outcome: Outcome, fc: dict) -> None:
        """The GR4H parameters, the rating curve and the calibration behind the forecast, as numbers in the
        outcome's attributes (read back by :func:`gr4_params` and :func:`rating_curve`)."""
        attrs = outcome.data.attrs
        for name, value in asdict(fc["params"]).items():
            attrs[f"gr4h_{name}"] = float(value)
        for name, value in asdict(fc["curve"]).items():
            attrs[f"rating_curve_{name}"] = float(value)
        # a peak far above every stage the curve was fitted on is the curve's extrapolation (a design storm
        # read « 12,3 m » at a gauge whose record is 4,7 m, nothing said)
        top = fc.get("rating_max_m", float("nan"))
        attrs["rating_curve_max_stage_m"] = top
        peaks = [float(np.quantile(run["stage"], 0.5, axis=0).max()) for run in fc["runs"].values()]
        if np.isfinite(top) and max(peaks) > top + BEYOND_RECORD_M:
            attrs["beyond_rating_curve"] = (f"median peak {max(peaks):.2f} m, above the highest stage the rating "
                                            f"curve was fitted on ({top:.2f} m): the curve is extrapolated, the "
                                            "stage and the places flooded very uncertain")
        update = fc["update"]
        attrs["update"] = update["mode"]  # what was applied (none when the gauge had no reading)
        attrs["update_why"] = update["why"]
        area = fc["own"]["area_km2"]
        attrs["observed_discharge_m3s"] = float(mm_per_step_to_m3s(update["observed_mm"], area, 1.0))
        attrs["simulated_discharge_m3s"] = float(mm_per_step_to_m3s(update["simulated_mm"], area, 1.0))
        if "fitted_with" in update:
            attrs["update_fitted_with"] = update["fitted_with"]
        calib = fc["calibration"]
        attrs["params_from"] = "given" if calib is None else "calibrated"
        if calib is not None:
            attrs["calibration_start"], attrs["calibration_end"] = (str(t) for t in calib.period)
            attrs["calibration_criterion"] = calib.criterion
            attrs["calibration_nse"] = float(calib.calibration["nse"])


def catchment(territory, given: dict) -> dict:
    """The forecast time, catchment and alert levels a forecast on ``territory`` uses: for each parameter
    of :data:`OWN`, the one ``given`` (non-empty), else the territory's default
    (``territory.defaults["flood"][parameter]``); the latitude, lacking both, is the latitude of the centre
    of the territory's street network in WGS84 (:func:`centre_latitude`).

    Returns ``forecast_time`` (a naive UTC :class:`pandas.Timestamp` floored to the hour: the model runs on
    hourly steps), ``area_km2`` (km²), ``latitude_deg`` (°) with ``latitude_from`` ("given", "territory
    defaults" or "territory centre"), ``alert_levels_m`` ({level: m}) and ``river_names`` (list).

    Raises
    ------
    ScenarioError
        naming the parameter and what to set, when neither it nor the territory's default is set, or when
        the territory's default is not a valid value of it (the error names the default).
    """
    own = flood_defaults(territory)
    out = {}

    def pick(name: str):
        if given.get(name) not in (None, "", [], {}):
            return given[name], name, "given"
        if own.get(name) not in (None, "", [], {}):
            return own[name], f"territory {territory.name!r} defaults flood.{name}", "territory defaults"
        return None, name, None

    value, where, _ = pick("forecast_time")
    out["forecast_time"] = _forecast_time(value, where) if value is not None else _missing(territory, "forecast_time")
    value, where, _ = pick("area_km2")
    if value is None:
        _missing(territory, "area_km2")
    out["area_km2"] = _number(value, where, 0.01, 1e6, "km²")
    value, where, origin = pick("latitude_deg")
    if value is None:
        value, where, origin = centre_latitude(territory), "latitude_deg", "territory centre"
    out["latitude_deg"], out["latitude_from"] = _number(value, where, -90.0, 90.0, "°"), origin
    value, where, _ = pick("alert_levels_m")
    out["alert_levels_m"] = _alert_levels(value, where) if value is not None else _missing(territory, "alert_levels_m")
    value, where, _ = pick("river_names")
    if value is None:
        _missing(territory, "river_names")
    if not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
        raise ScenarioError(f"{where}: expected a list of river names, e.g. [\"Vilaine\"]; "
                            f"found {str(value)[:60]!r}", **_keyed(where, "err_river_names"))
    out["river_names"] = list(value)
    return out


def centre_latitude(territory) -> float:
    """Latitude (°, WGS84) of the centre of the bounding box of the territory's drive network, from the
    territory's CRS. Raises :class:`ScenarioError` naming ``latitude_deg`` when it has no street node."""
    import pyproj  # noqa: PLC0415

    G = territory.graphs.get("drive") if territory.graphs else None
    if G is None or G.number_of_nodes() == 0:
        raise ScenarioError(f"latitude_deg: territory {territory.name!r} has no default flood.latitude_deg and "
                            "no street network to take its latitude from; set latitude_deg")
    xs, ys = zip(*((d["x"], d["y"]) for _, d in G.nodes(data=True)))
    to_wgs84 = pyproj.Transformer.from_crs(territory.crs, "EPSG:4326", always_xy=True)
    _, lat = to_wgs84.transform((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return float(lat)


def flood_defaults(territory) -> dict:
    """The territory's ``defaults["flood"]``, refused when it names a key no flood parameter reads (a
    misspelt ``rain_guage`` would otherwise fall back, unsaid, to another sensor)."""
    own = (territory.defaults or {}).get("flood", {})
    unknown = sorted(set(own) - set(GAUGES) - set(OWN) - {"why"})
    if unknown:
        raise ScenarioError(f"territory {territory.name!r} defaults flood: unknown key(s) {unknown}; known: "
                            f"{[*GAUGES, *OWN, 'why']}")
    return own


def _missing(territory, name: str):
    example = {"forecast_time": "\"2023-02-22T00:00\"", "area_km2": "10000",
               "alert_levels_m": "{\"yellow\": 3.5, \"orange\": 4.5, \"red\": 5.5}",
               "river_names": "[\"Vilaine\"]"}[name]
    raise ScenarioError(f"{name}: territory {territory.name!r} has no default flood.{name}; set {name} "
                        f"(e.g. {example}), or \"defaults\": {{\"flood\": {{\"{name}\": …}}}} in the territory's "
                        "configuration", key="err_flood_missing",
                        values={"parameter": name, "territory": territory.name, "example": example})


def _keyed(where: str, key: str, **values) -> dict:
    """The message key and values of an error about ``where`` when it is a parameter the form sets
    (its bare name); a territory's default (``territory 'x' defaults flood.…``) keeps its English words:
    it is fixed in the territory's configuration, not in the page."""
    return {"key": key, "values": {"parameter": where, **values}} if where.isidentifier() else {}


def _shown_time(t) -> str:
    """A time of the model (naive UTC, or aware) as the page shows it: ``2023-02-22 00:00 UTC``."""
    t = pd.Timestamp(t)
    return f"{(t.tz_convert('UTC') if t.tzinfo else t):%Y-%m-%d %H:%M} UTC"


def _forecast_time(value, where: str) -> pd.Timestamp:
    """``value`` as a naive UTC time floored to the hour (the model runs on hourly steps)."""
    try:
        if not is_iso_date_text(value):
            raise ValueError  # 03/04/2023 is refused, not read as 4 March
        t = pd.Timestamp(value)
        if pd.isna(t):
            raise ValueError
    except (ValueError, TypeError, OverflowError):
        raise ScenarioError(f"{where}: {str(value)[:40]!r} is not a time; expected the year first (ISO 8601), "
                            "e.g. 2023-02-22 14:00 (UTC; add +01:00 for Paris time in winter, +02:00 in summer)",
                            **_keyed(where, "err_time", text=str(value)[:40])) from None
    return (t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")).tz_localize(None).floor("h")


def _number(value, where: str, low: float, high: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ScenarioError(f"{where}: expected a number from {low:g} to {high:g} {unit}, found {str(value)[:40]!r}",
                            **_keyed(where, "err_number_range", low=low, high=high, unit=unit, text=str(value)[:40]))
    return float(value)


def _alert_levels(levels, where: str) -> dict:
    if not (isinstance(levels, dict) and set(levels) == set(LEVELS)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v)
                    for v in levels.values())):
        raise ScenarioError(f"{where}: expected a stage in metres for each of {list(LEVELS)}, "
                            "e.g. {\"yellow\": 3.5, \"orange\": 4.5, \"red\": 5.5}",
                            **_keyed(where, "err_alert_levels"))
    out = {lvl: float(levels[lvl]) for lvl in LEVELS}
    if not out["yellow"] < out["orange"] < out["red"]:  # red at 1 m under a yellow at 5 m alerted red at once
        shown = {lvl: f"{v:g}" for lvl, v in out.items()}
        raise ScenarioError(f"{where}: the levels must rise from yellow to orange to red (given: yellow "
                            f"{shown['yellow']} m, orange {shown['orange']} m, red {shown['red']} m)",
                            **_keyed(where, "err_alert_levels_order", **shown))
    return out


BEYOND_RECORD_M = 0.5
"""[m] a forecast peak this far above the highest stage its rating curve was fitted on is said to be the
curve's extrapolation (a power law fitted on the recorded range, WMO-No. 1044 warns against far beyond)."""


def synthetic_gauges(territory, used: dict) -> str:
    """The gauges of ``used`` ({parameter: sensor id}) whose history is SYNTHETIC (the registry's flag), as
    « level_gauge, rain_gauge »; "" when every one is measured. On a demonstration territory the river is
    generated by the very model that forecasts it: its calibration and replay scores recover that model,
    they do not validate it."""
    from twin.sensors import synthetic_sensor_ids  # noqa: PLC0415

    generated = synthetic_sensor_ids(territory.sensors)
    return ", ".join(name for name, sensor in sorted(used.items()) if sensor and str(sensor) in generated)


def gauges(territory, given: dict) -> dict:
    """The sensor ids a forecast on ``territory`` reads: for each parameter of :data:`GAUGES`, the one
    ``given`` (non-empty), else the territory's default (``territory.defaults["flood"][parameter]``), else
    the territory's only registered sensor of the parameter's quantity.

    Raises
    ------
    ScenarioError
        naming the parameter and what to set, when the territory has no sensor store, no default and no
        single sensor of the quantity (none, or several to choose from), or a named sensor is not in
        the store's registry.
    """
    if territory.sensors is None:
        raise ScenarioError(f"territory {territory.name!r} has no sensor store", key="err_no_sensor_store",
                            values={"territory": territory.name})
    registry = territory.sensors.sensors
    known = set(registry["sensor_id"])
    own = flood_defaults(territory)
    out = {}
    for name, quantity in GAUGES.items():
        if given.get(name):
            sensor, where = given[name], f"{name}"
        elif own.get(name):
            sensor, where = own[name], f"territory {territory.name!r} defaults flood.{name}"
        else:
            ids = sorted(registry.loc[registry["quantity"] == quantity, "sensor_id"])
            if len(ids) != 1:
                found = f"{len(ids)} ({', '.join(ids[:5])}{'…' if len(ids) > 5 else ''})" if ids else "none"
                raise ScenarioError(f"{name}: territory {territory.name!r} has no default flood.{name} and its "
                                    f"{quantity} sensors are {found}; set {name} to a sensor id, or "
                                    f"\"defaults\": {{\"flood\": {{\"{name}\": …}}}} in the territory's "
                                    "configuration", key="err_flood_gauge_choice",
                                    values={"parameter": name, "territory": territory.name, "count": len(ids),
                                            "sensors": ", ".join(ids[:5]) + ("…" if len(ids) > 5 else "")})
            sensor, where = ids[0], f"the only {quantity} sensor of {territory.name!r}"
        if not isinstance(sensor, str) or sensor not in known:
            raise ScenarioError(f"{where}: {str(sensor)[:60]!r} is not a sensor of the store "
                                f"{territory.sensors.path}", **_keyed(where, "err_flood_sensor",
                                                                      sensor=str(sensor)[:60]))
        out[name] = sensor
    return out


def has_flow_gauge(territory) -> bool:
    """Whether the territory has a discharge gauge (its default ``flood.flow_gauge``, or a discharge sensor):
    without one, the forecast runs on the flood prior."""
    if territory.sensors is None:
        return False
    if flood_defaults(territory).get("flow_gauge"):
        return True
    return bool((territory.sensors.sensors["quantity"] == "discharge").any())


def households(buildings, residential: np.ndarray) -> np.ndarray:
    """Households living in each building: its dwellings where the territory knows them (BD TOPO,
    :mod:`twin.territory.building_data`), else one per residential or unknown-use building (the
    guess a territory without dwellings has to make)."""
    dwellings = buildings["dwellings"].to_numpy(float) if "dwellings" in buildings else np.full(len(buildings), np.nan)
    return np.where(np.isnan(dwellings), residential.astype(float), dwellings)


def _member_kpis(stage: np.ndarray, levels: dict, h0: float, b_hand: np.ndarray, occupants: np.ndarray,
                 e_hand: np.ndarray, now_m: float = float("nan")) -> np.ndarray:
    """Each KPI of :data:`KPIS` for each member alone (KPIs × members), from its stage (members × hours, m).

    A KPI that is a quantile or a share over the members is, for one member, that member's own value:
    its peak (both peak KPIs), 0 or 100 % for a crossing, the hour of its first crossing (NaN when it does
    not cross; 0 for a level the gauge already reads, ``now_m``: :func:`crossings`), the buildings and streets
    under water at its own peak. Heights in m above the gauge's zero ``h0``; a building or street without a
    height above drainage (NaN) is never under water."""
    peaks = stage.max(axis=1)
    depth = peaks - h0

    def under(hand: np.ndarray, margin: float = 0.0) -> np.ndarray:
        # how many of ``hand`` are strictly below each member's water (as `hand < p - h0` does)
        ordered = np.sort(hand[np.isfinite(hand)])
        return np.searchsorted(ordered, depth - margin, side="left").astype(float)

    last = stage.shape[1] - 1
    at = np.argmax(stage, axis=1)
    out = {"peak_stage_m": peaks, "peak_stage_p95_m": peaks,
           "peak_after_h": np.where(at < last, at + 1.0, np.nan)}  # as :func:`_peak_after_h`, member by member
    for lvl in LEVELS:
        crossed, first = crossings(stage, levels[lvl], now_m)
        out[f"p_{lvl}_pct"] = 100.0 * crossed
        out[f"lead_time_{lvl}_h"] = first
    out["buildings_flooded"] = out["buildings_to_alert"] = under(b_hand)
    finite = np.isfinite(b_hand)
    order = np.argsort(b_hand[finite], kind="stable")
    people = np.r_[0.0, np.cumsum(occupants[finite][order])]
    out["people_to_alert"] = people[np.searchsorted(b_hand[finite][order], depth, side="left")]
    out["streets_to_close"] = under(e_hand, 0.05)
    return np.stack([np.asarray(out[k.name], float) for k in KPIS])


WARM_UP_DAYS, CALIBRATION_DAYS = 60, 30
"""[days] history a forecast needs before its time: the GR4H stores' warm-up, then (its parameters not given) at
least this much to calibrate them on (the calibration starts after the warm-up, a year at most before it)."""
MODEL_ERROR_FULL_H = 24
"""[h] lead time at which an updated forecast's model error reaches its full spread (``model_error_cv``)."""


def model_error_growth(horizon_h: int, full_h: float = MODEL_ERROR_FULL_H) -> np.ndarray:
    """[-] Share of the model error's log-spread at each hourly step 1…``horizon_h`` of a forecast updated on
    the gauge: √(lead / ``full_h``), capped at 1. The update sets the forecast on the discharge observed at
    its issue, so its error starts near nothing and grows with the lead time (Berthet et al. 2009, HESS 13,
    819–831: the updated GRP forecasts' errors grow with lead time); the square root, a random walk's growth,
    is this project's assumption. A full spread from the first hour put the river 0.3 m away from a level
    read an hour before."""
    lead = np.arange(1, horizon_h + 1, dtype=float)
    return np.minimum(1.0, np.sqrt(lead / full_h))


STAGE_NOW_MAX_AGE_H = 3
"""A level reading older than this (hours before the forecast time) says nothing of the river now."""
OBSERVED_BEFORE_H = 24
"""Hours of readings before the forecast time kept to draw where the river comes from."""


def observed_stage(level: pd.Series, t0: pd.Timestamp) -> pd.Series:
    """The level gauge's readings (m) over the :data:`OBSERVED_BEFORE_H` hours before the forecast time
    ``t0`` (naive UTC), indexed by naive UTC time: ``level`` read up to ``t0``, nothing after."""
    level = level.dropna()
    level.index = pd.DatetimeIndex(level.index).tz_convert(None) if level.index.tz is not None \
        else pd.DatetimeIndex(level.index)
    return level[(level.index >= t0 - pd.Timedelta(hours=OBSERVED_BEFORE_H)) & (level.index <= t0)].astype(float)


def building_water(stage: np.ndarray, h0: float, hand: np.ndarray,
                   now_m: float = float("nan")) -> tuple[np.ndarray, np.ndarray]:
    """Per building of height above drainage ``hand`` [m]: the share [%] of the members (rows of ``stage``,
    members × hours, m at the gauge of zero ``h0``) whose peak puts it under water (as the KPIs: the stage
    strictly above ``h0 + hand``; NaN for a single run, whose « 100 % » is no probability), and the hour
    [h after the forecast time, hour 1 the first] water first reaches it, the median over those members
    (NaN when none does; 0 when the river, at ``now_m`` at the issue time, is already there). What the
    GEMAPI team calls round in which order: the alert list said how deep, not how likely nor how soon.
    Member by member on the running maximum of the stage (members × buildings, not × hours as well)."""
    level = h0 + hand
    rising = np.maximum.accumulate(stage, axis=1)  # the highest stage so far: first above a level = first here
    first = np.full((stage.shape[0], len(hand)), np.nan)
    for m, row in enumerate(rising):
        k = np.searchsorted(row, level, side="right")  # the first hour whose stage exceeds each level
        first[m] = np.where(k < row.shape[0], k + 1.0, np.nan)
    reached = np.isfinite(first)
    share = 100.0 * reached.mean(axis=0) if stage.shape[0] > 1 else np.full(len(hand), np.nan)
    with np.errstate(all="ignore"):
        first_h = np.array([np.nanmedian(f) if np.isfinite(f).any() else np.nan for f in first.T])
    if np.isfinite(now_m):
        first_h = np.where(now_m > level, 0.0, first_h)
    return share, first_h


def stage_after(level: pd.Series, t0: pd.Timestamp, horizon_h: int) -> pd.Series:
    """The level gauge's readings (m) after the forecast time ``t0`` (naive UTC) up to ``horizon_h`` hours
    later, indexed by naive UTC time: what a replay is checked against (known only afterwards)."""
    level = level.dropna()
    level.index = pd.DatetimeIndex(level.index).tz_convert(None) if level.index.tz is not None \
        else pd.DatetimeIndex(level.index)
    return level[(level.index > t0) & (level.index <= t0 + pd.Timedelta(hours=horizon_h))].astype(float)


def stage_now(observed: pd.Series, t0: pd.Timestamp) -> tuple[pd.Timestamp | None, float]:
    """(time, stage in m) of the last reading at most :data:`STAGE_NOW_MAX_AGE_H` hours before ``t0``;
    (None, NaN) without one."""
    recent = observed[observed.index >= t0 - pd.Timedelta(hours=STAGE_NOW_MAX_AGE_H)]
    return (recent.index[-1], float(recent.iloc[-1])) if len(recent) else (None, float("nan"))


def crossings(stage: np.ndarray, level: float, now_m: float = float("nan")) -> tuple[np.ndarray, np.ndarray]:
    """(crossed, first): whether each member (rows of ``stage``, members × hourly steps, m) reaches ``level``
    within the horizon, and the hour it first does (the end of its step, 1 for the first; NaN when it does
    not). A level the gauge already reads at the forecast time (``now_m`` ≥ ``level``) is crossed by every
    member at 0 h: the river is already there, whatever the forecast's first step says."""
    if now_m >= level:
        return np.ones(len(stage), bool), np.zeros(len(stage))
    above = stage >= level
    crossed = above.any(axis=1)
    return crossed, np.where(crossed, np.argmax(above, axis=1) + 1.0, np.nan)


def _add_stage_series(outcome: Outcome, fc: dict, stage_q: dict, labels: list[str], what: str) -> None:
    """The series of a forecast ``fc`` (its ``runs`` and ``times``): ``stage_m`` (the quantiles ``stage_q`` of
    each variant), ``member_stage_m`` and ``member_rain_mm``; ``what`` the stage is (its description)."""
    times = fc["times"].to_numpy()
    outcome.add_series("stage_m", xr.DataArray(np.stack([stage_q[lab] for lab in labels]),
                                               dims=("variant", "time", "quantile"),
                                               coords={"variant": labels, "time": times, "quantile": list(QUANTILES)}),
                       unit="m", description=f"{what}: quantiles over the members, at the end of each hourly step")
    runs = [fc["runs"][k] for k in fc["runs"]]
    outcome.add_series("member_stage_m", _by_member([r["stage"] for r in runs], labels, times), unit="m",
                       description=f"{what} of every member (NaN: a variant with fewer members), at the end of "
                                   "each hourly step")
    outcome.add_series("member_rain_mm", _by_member([r["rain"] for r in runs], labels, times), unit="mm",
                       description="rain of every member in each hourly step, the step ending at `time` "
                                   "(NaN: a variant with fewer members)")


def _by_member(arrays: list[np.ndarray], labels: list[str], times) -> xr.DataArray:
    """(members × hours) arrays of each variant as one array over (variant, member, time); a variant with
    fewer members (the no-rain baseline has one) is padded with NaN."""
    n = max(a.shape[0] for a in arrays)
    out = np.full((len(arrays), n, len(times)), np.nan)
    for i, a in enumerate(arrays):
        out[i, :a.shape[0]] = a
    return xr.DataArray(out, dims=("variant", "member", "time"),
                        coords={"variant": labels, "member": np.arange(n), "time": times})


def gr4_params(outcome: Outcome) -> GR4Params:
    """The GR4H parameters a flood outcome was forecast with (given or calibrated)."""
    return GR4Params(**{f.name: float(outcome.data.attrs[f"gr4h_{f.name}"]) for f in fields(GR4Params)})


def streets_table(closures: list[tuple]) -> pd.DataFrame:
    """The streets to close, one row per directed edge (a detour run closes each, :mod:`flood_detours`):
    variant, edge ``u-v-key``, segment (both directions of a two-way street share it: the list a person
    reads has one row per segment, :func:`twin.app.meeting_pack.alert_lists`), osm_way_id, street, length_m."""
    streets = pd.DataFrame(closures, columns=["variant", "edge", "segment", "osm_way_id", "street", "length_m"])
    return streets.astype({"variant": "str", "edge": "str", "segment": "int64", "osm_way_id": "int64",
                           "street": "str", "length_m": "float64"})


def _peak_after_h(stage: np.ndarray) -> float:
    """Hours from the forecast to the peak of an hourly ``stage`` series (the first hour is 1); NaN
    when its highest value is the last one: the water still rises when the horizon ends, the peak lies
    beyond it and the horizon's end is no peak (said so, never reported as one)."""
    at = int(np.argmax(stage))
    return float(at + 1) if at < len(stage) - 1 else float("nan")


PEAK_QUANTILE = {"peak_stage_m": 0.5, "buildings_flooded": 0.5, "streets_to_close": 0.5, "buildings_to_alert": 0.9,
                 "people_to_alert": 0.9, "peak_stage_p95_m": 0.95}
"""The quantile of the draws' peaks each figure of a gauged forecast is read at (:data:`KPIS`)."""
PRIOR_COUNTS = ("buildings_flooded", "buildings_to_alert", "people_to_alert", "streets_to_close")
"""An ungauged river's counts: expected numbers and « in at least 1 draw in 10 » over the prior's members."""


def levels_beyond_record(attrs: dict) -> dict[str, tuple[float, float]]:
    """{level: (its stage, the rating curve's highest fitted stage) [m]} for the alert levels set above every
    stage the outcome's rating curve was fitted on (its attributes ``alert_<level>_m`` and
    ``rating_curve_max_stage_m``): whether a draw crosses such a level, and when, hangs on the curve's
    extrapolation, a little just above its range, much beyond :data:`BEYOND_RECORD_M`
    (:func:`far_beyond_record`)."""
    try:
        top = float(attrs.get("rating_curve_max_stage_m", "nan"))
    except (TypeError, ValueError):
        return {}
    out = {}
    for lvl in LEVELS:
        try:
            level = float(attrs.get(f"alert_{lvl}_m", "nan"))
        except (TypeError, ValueError):
            continue
        if np.isfinite(top) and np.isfinite(level) and level > top:
            out[lvl] = (level, top)
    return out


def far_beyond_record(level_m: float, top_m: float) -> bool:
    """Whether an alert level ``level_m`` [m] lies more than :data:`BEYOND_RECORD_M` above ``top_m`` [m], the
    highest stage its rating curve was fitted on: its crossing is then an order of magnitude, not a forecast."""
    return level_m > top_m + BEYOND_RECORD_M


def still_rising_share(times) -> float:
    """The share (0–1) of a variant's draws whose water still rises at the horizon's end, from their hours
    to the peak (``peak_after_h``, :func:`_peak_after_h`: NaN when the highest stage is the last); NaN
    without any."""
    times = [float(x) for x in times if isinstance(x, (int, float, np.number))]
    return sum(1 for x in times if not np.isfinite(x)) / len(times) if times else float("nan")


def minimum_figures(rows: list[dict], prior: bool = False) -> dict[tuple[str, str], float]:
    """{(variant, kpi): share of its draws still rising at the horizon's end} for the figures that are
    then only a minimum. A draw cut short by the horizon has for « peak » the stage at its end, lower
    than its peak to come; a figure read at the quantile q of the draws' peaks (:data:`PEAK_QUANTILE`) is
    a minimum once a share 1 − q of the draws is cut short (below that share, at most the (q + share)
    quantile bounds it). An ungauged river's counts (``prior``) are taken as read at q = 0.9; a level's
    probability « within the horizon » (short of 100 %) as at q = 0.95: 5 % of the draws still rising may
    cross it after the horizon, and 0 % read as « no red » (a GEMAPI technician's walkthrough). ``rows``:
    an outcome's comparison rows (:meth:`twin.outcome.Outcome.compare_rows`; ``members`` where the run
    has draws, else the one value). Redon, 22/02/2023, 48 h: all 50 draws still rising, and « 125
    bâtiments à alerter » read as the flood's."""
    times = {r["variant"]: list(r.get("members") or [r.get("value")]) for r in rows if r["kpi"] == "peak_after_h"}
    shares = {v: still_rising_share(x) for v, x in times.items()}
    out = {}
    for r in rows:
        q = 0.9 if prior and r["kpi"] in PRIOR_COUNTS else PEAK_QUANTILE.get(r["kpi"])
        share = shares.get(r["variant"], float("nan"))
        if str(r["kpi"]).startswith("p_") and str(r["kpi"]).endswith("_pct") and r.get("value") != 100:
            # a level's probability « sur l'horizon »: the draws still rising that have not crossed it may after
            q, share = 0.95, _rising_below(times.get(r["variant"], []), list(r.get("members") or [r.get("value")]))
        if q is not None and share > 0 and share >= 1 - q - 1e-9:
            out[(r["variant"], r["kpi"])] = share
    return out


def _rising_below(times: list, crossed: list) -> float:
    """The share of the draws whose water still rises at the horizon's end (``times``: NaN) and that have not
    crossed the level (``crossed``: 0, member by member; 100 crossed); NaN when the two do not pair."""
    if len(times) != len(crossed) or not times:
        return float("nan")
    pairs = [(t, c) for t, c in zip(times, crossed, strict=True) if isinstance(t, (int, float, np.number))
             and isinstance(c, (int, float, np.number))]
    return sum(1 for t, c in pairs if not np.isfinite(t) and c == 0) / len(times)


def rating_curve(outcome: Outcome) -> RatingCurve:
    """The rating curve a flood outcome turned discharge into stage with (fitted before the forecast time)."""
    return RatingCurve(**{f.name: float(outcome.data.attrs[f"rating_curve_{f.name}"]) for f in fields(RatingCurve)})


def replay(territory, start, end, *, every_h: int = 6, horizon_h: int = 48, **params) -> tuple[pd.DataFrame, dict]:
    """Run the chain on a past period as if live: a forecast every ``every_h`` hours with the
    catchment state, calibration and rating curve known then, scored against the observed stage.
    The rain over each horizon is the observed one by default — a perfect-rain hindcast, which
    the summary's ``forecast_kind`` says — unless ``rain`` asks for a forecast input.

    Returns (one row per forecast, summary) — peak error (m), peak timing error (h), and per
    alert level hits, misses, false alarms and correct negatives over the forecasts issued with the gauge below
    the level; ``at_issue``, those issued with it already above, left out (announcing a level the river stands
    above is reading the gauge: :func:`twin.scenarios.flood_skill.alert_record`).
    """
    rain = params.get("rain", "observed")
    # a hindcast's one run on the rain that fell, no model error drawn; a forecast as the scenario issues it
    params = ({"members": 1, "model_error_cv": 0.0} if rain in HINDCAST_RAIN else {}) | {"rain": rain, **params}
    if start is None or end is None:
        raise ScenarioError("flood replay: give the first and the last forecast times of the period (--start, --end)")
    t, last = _forecast_time(start, "start"), _forecast_time(end, "end")
    if last < t:
        raise ScenarioError(f"flood replay: the period ends ({last}) before it starts ({t})")
    # the gauges resolved once, as each forecast resolves them (the territory's own unless given)
    params.update(gauges(territory, {name: params.get(name, "") for name in GAUGES}))
    level_obs = territory.sensors.query(params["level_gauge"]).set_index("time")["value"]
    level_obs.index = level_obs.index.tz_convert("UTC").tz_localize(None)
    from twin.scenarios.flood_skill import scored_forecast  # noqa: PLC0415 - the record's scoring, shared

    rows = []
    fixed = dict(params)
    while t <= last:
        s = FloodForecast(forecast_time=str(t), horizon_h=horizon_h, **fixed)
        fc = s.forecast(territory)
        if "params" not in fixed or not fixed["params"]:
            fixed["params"] = list(asdict(fc["params"]).values())  # calibrated once, on data before the first issue
        rows.append(scored_forecast(fc, level_obs, {lvl: fc["own"]["alert_levels_m"][lvl] for lvl in LEVELS}))
        t += pd.Timedelta(hours=every_h)
    df = pd.DataFrame(rows)
    df["peak_error_m"] = df["forecast_peak_m"] - df["observed_peak_m"]
    df["peak_timing_error_h"] = (df["forecast_peak_time"] - df["observed_peak_time"]) / pd.Timedelta(hours=1)
    summary = {"forecast_kind": HINDCAST if params["rain"] in HINDCAST_RAIN else "forecast", "rain": params["rain"],
               # the members each forecast ran: an ensemble's, else one run
               "members": params.get("members", FloodForecast.param.members.default) if params["rain"] in ENSEMBLES
               else 1, "forecasts": len(df), "mean_abs_peak_error_m": float(df["peak_error_m"].abs().mean()),
               "mean_abs_peak_timing_error_h": float(df["peak_timing_error_h"].abs().mean())}
    synthetic = synthetic_gauges(territory, {name: params[name] for name in GAUGES})
    if synthetic:  # a score the generating model earns against itself is no validation: said with it
        summary["synthetic_gauges"] = (f"{synthetic}: SYNTHETIC series generated by the forecasting model itself "
                                       "(GR4H): this score recovers that model, it does not validate it")
    from twin.scenarios.flood_skill import alert_record  # noqa: PLC0415

    for lvl in LEVELS:
        summary[lvl] = alert_record(df, lvl)
    return df, summary

