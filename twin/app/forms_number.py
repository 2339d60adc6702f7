"""A decimal slider that writes its value as the page's language does: « Prix de l'électricité
(€/kWh) : 0,20 », not Bokeh's "0.20" (issue 17).

Bokeh writes a slider's value in the browser with numbro, whose bundle holds the English culture
only (a ``NumeralTickFormatter(language="fr")`` still writes "0.20"), and a
``CustomJSTickFormatter`` is refused by the page's Content-Security-Policy (its code is loaded as a
``blob:`` script). So the value is written here, in Python, above a slider that shows none.

The step is a power of ten near 1/:data:`STEPS_PER_RANGE` of the range, fine enough to reach the
default (a 0,053 kg/kWh factor is not rounded to 0,05).
"""

from __future__ import annotations

import html
import math

import panel as pn
import param
from panel.widgets.base import CompositeWidget

MAX_DECIMALS = 4
STEPS_PER_RANGE = 200  # the power of ten nearest to range / 200: 0,01 € on a 0–5 € price, 1 min on ±60 min


def decimals(x: float) -> int:
    """Decimals needed to write ``x`` exactly (at most :data:`MAX_DECIMALS`): 0.2 → 1, 0.053 → 3."""
    for d in range(MAX_DECIMALS + 1):
        if abs(round(x, d) - x) < 1e-9:
            return d
    return MAX_DECIMALS


def slider_decimals(bounds: tuple[float, float], default: float | None) -> int:
    """Decimals of a slider's step over ``bounds`` whose default is ``default`` (step = 10^-decimals)."""
    low, high = bounds
    span = max(float(high) - float(low), 1e-12)
    d = max(0, round(-math.log10(span / STEPS_PER_RANGE)))
    if default is not None and math.isfinite(default):
        d = max(d, decimals(float(default)))
    return min(d, MAX_DECIMALS)


def written(x: float | None, d: int, lang: str = "fr") -> str:
    """``x`` with ``d`` decimals as ``lang`` writes it: « 1 234,50 » (French: a comma, a narrow
    no-break space between thousands), "1,234.50" (English); "—" for no value."""
    if x is None or not math.isfinite(x):
        return "—"
    text = f"{x:,.{d}f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


class NumberSlider(CompositeWidget):
    """A decimal slider: its label and value written in the page's language above a slider
    (Panel's, its own value display off); ``value`` is the number, as the model takes it."""

    value = param.Number(default=0.0, allow_None=True, doc="the number")
    start = param.Number(default=0.0, doc="lowest value")
    end = param.Number(default=1.0, doc="highest value")
    step = param.Number(default=None, allow_None=True, doc="step (None: from the range and the value)")
    description = param.String(default=None, allow_None=True, doc="help text, shown when the label is hovered")
    lang = param.Selector(default="fr", objects=["fr", "en"])
    percent = param.Boolean(default=False, doc="a share (0–1) written in per cent: « 50 % », not « 0,50 »")
    _composite_type = pn.Column

    def __init__(self, **params):
        super().__init__(**params)
        d = slider_decimals((self.start, self.end), self.value)
        if self.step is None:
            self.step = 10.0 ** -d
        self.decimals = max(d, decimals(self.step))
        # no side margins of their own: the slider lines up with the form's other fields (the column has them)
        self._head = pn.pane.HTML("", margin=(5, 0, 0, 0), sizing_mode="stretch_width",
                                  css_classes=["number-slider-value"])
        # no drag tooltip: Bokeh writes it « 0.50 » (numbro, English) where the head reads « 50 % » and updates live
        self.slider = pn.widgets.FloatSlider(start=self.start, end=self.end, step=self.step, show_value=False,
                                             tooltips=False,
                                             value=self.value if self.value is not None else self.start,
                                             sizing_mode="stretch_width", margin=(0, 0, 5, 0))
        self._composite[:] = [self._head, self.slider]
        self._write()
        self.slider.param.watch(self._moved, "value")
        self.param.watch(self._set, "value")
        self.param.watch(lambda e: self._write(), ["label", "description"])

    def _write(self):
        """The label and the value, as the page's language writes them."""
        title = f" title='{html.escape(self.description, quote=True)}'" if self.description else ""
        sep = "\u00a0: " if self.lang == "fr" else ": "  # French: a no-break space before the colon
        if self.percent:  # a share: « 35 % », its decimals two fewer (the slider's 0,01 is 1 %)
            shown = written(None if self.value is None else 100 * self.value, max(self.decimals - 2, 0), self.lang)
            shown += "" if shown == "—" else ("\u00a0%" if self.lang == "fr" else "%")
        else:
            shown = written(self.value, self.decimals, self.lang)
        self._head.object = (f"<div class='bk-input-group'><label{title}>{html.escape(self.label or '')}{sep}"
                             f"<b>{shown}</b></label></div>")

    def _moved(self, event):
        if event.new != self.value:
            self.value = event.new

    def _set(self, event):
        if event.new is not None and self.slider.value != event.new:
            self.slider.value = event.new
        self._write()


class NumberBox(pn.widgets.FloatInput):
    """Panel's decimal box whose emptied box stays empty: Panel sends an empty value to the browser as
    NaN, which Bokeh's box writes « NaN » (a box emptied by a person, then refused, read « NaN »). Bokeh
    takes no value (null) and shows an empty box; its value here is None, as Panel's."""

    def _process_param_change(self, params):
        empty = {k for k in ("value", "value_throttled") if k in params and params[k] is None}
        out = super()._process_param_change(params)
        for k in empty & set(out):  # Panel made them NaN; Bokeh's ``value`` is Nullable
            out[k] = None
        return out
