"""Forecasts issued with only what is known at their time, updated on the gauge, replayed and scored.

* :mod:`twin.forecast.rain` — the rain over a horizon: none, an analog ensemble from the gauge's own
  history, a forecast file, or (labelled a hindcast) the rain that fell;
* :mod:`twin.forecast.issue` — the model's setup (parameters, the output-error model's period) and
  forecasts issued at many times, updated on the discharge observed then;
* :mod:`twin.forecast.replay` — forecasts replayed over a past period and scored per lead time beside
  persistence and the forecast without update; :mod:`twin.forecast.plots` draws the skill by lead.

The models (GR4 states, the updates) are in :mod:`twin.models.hydrology` and :mod:`twin.models.hydro_update`,
the scores in :mod:`twin.calibration.verification`.
"""
