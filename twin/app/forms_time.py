"""A date and time typed on the territory's clock, kept in UTC for the model (a flood's issue time).

A flood officer in Montpellier types the hour on the clock of the room (« 2023-02-22 14:00 »); the
model takes UTC, and the form used to say « Instant de prévision (UTC) » and read the hour as UTC,
an hour early in winter, two in summer. :class:`LocalTimeBox` shows and reads the local time
(:data:`twin.timeutil.LOCAL_TZ`) and gives the scenario its UTC text
(:func:`twin.timeutil.local_text_to_utc`); a text that reads as no time goes to the scenario as typed,
which refuses it by name at the run. The scenario's value, its saved variants and the command line
stay in UTC: the same inputs, the same run.
"""

from __future__ import annotations

import panel as pn

from twin.timeutil import local_text_to_utc, utc_text_to_local

LOCAL_TIME_PARAMS = ("forecast_time",)
"""The parameters (UTC in the model) a page shows and reads on the territory's clock."""


class LocalTimeBox(pn.widgets.TextInput):
    """A text box whose browser side is local time and whose ``value`` is the model's UTC text."""

    def _process_property_change(self, msg):
        msg = dict(msg)
        for key in ("value", "value_input"):
            if isinstance(msg.get(key), str):
                utc = local_text_to_utc(msg[key])
                msg[key] = msg[key].strip() if utc is None else utc
        return super()._process_property_change(msg)

    def _process_event(self, event) -> None:
        # Enter: panel's TextInput sets ``value`` from the browser's raw text, past _process_property_change —
        # 01:00 typed in Paris and Enter issued the forecast at 01:00 UTC (02:00 in Paris)
        if getattr(event, "event_name", None) == "enter-pressed" and isinstance(event.value_input, str):
            utc = local_text_to_utc(event.value_input)
            text = event.value_input.strip() if utc is None else utc
            self.value = text
            self.value_input = text
            self.enter_pressed = True
            return
        super()._process_event(event)

    def _process_param_change(self, params):
        props = super()._process_param_change(params)
        for key in ("value", "value_input"):
            if isinstance(props.get(key), str):
                props[key] = utc_text_to_local(props[key])
        return props
