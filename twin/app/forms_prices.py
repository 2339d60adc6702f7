"""Prices by name without typing a dictionary: « [Rue du Port ▾] [1,50] €/h » rows, one more offered once
every row is filled (a parking variant's street and car-park prices)."""

from __future__ import annotations

import panel as pn
import param

from twin.app.forms import StreetChoice
from twin.app.forms_base import INVALID_CSS, LabelledForm
from twin.app.forms_number import NumberBox
from twin.app.i18n import fmt_number, t

MAX_PRICE_EUR_H = 100.0  # the model's bound (twin.scenarios.parking.ParkingSearch.validate)


class PriceList(LabelledForm):
    """Prices per street or car park: rows of a name picked among ``names`` and its price [€/h]; value
    ``{name: price}``, ``{}`` when no row is filled (today's prices). A row begun (a name without a
    price, a price without a name), a name given twice or a price out of [0, 100] €/h is refused
    (``error``), and the value stays the last valid one."""

    value = param.Dict(default={}, doc="price of each name [€/h]; {} for today's prices")
    names = param.List(default=[], doc="the names offered (the territory's streets or car parks)")
    kind = param.Selector(default="street", objects=["street", "car_park"], doc="what the names are (its words)")
    error = param.String(default="", doc="why the prices are refused ('' when they are not)")

    def __init__(self, **params):
        super().__init__(**params)
        self.rows: list[tuple[StreetChoice, NumberBox]] = []
        self._rows_box = pn.Column(margin=0)
        self._composite[:] = [self._head, self._rows_box]
        self._syncing = False
        self._show_value()
        self.param.watch(lambda e: self._show_value(), "value")

    def _inputs(self) -> list:
        return [w for row in self.rows for w in row]

    def _add_row(self, name: str = "", price: float | None = None) -> None:
        first = not self.rows
        pick = StreetChoice(name=t(f"forms_prices_{self.kind}", self.lang) if first else "",
                            options=StreetChoice.options_for(self.names, name), value=name, width=230,
                            stylesheets=[INVALID_CSS])
        box = NumberBox(name=t("forms_prices_price", self.lang) if first else "", value=price, width=90,
                        placeholder="1,5" if self.lang == "fr" else "1.5", stylesheets=[INVALID_CSS])
        for w in (pick, box):
            w.param.watch(self._typed, "value")
            if "twin-invalid" in self.css_classes:  # a row rebuilt while the field is refused stays outlined
                w.css_classes = [*w.css_classes, "twin-invalid"]
        self.rows.append((pick, box))
        self._rows_box.append(pn.Row(pick, box, margin=0))

    def _show_value(self):
        if self._syncing:
            return
        self._syncing = True
        try:
            items = list((self.value or {}).items())
            self.rows.clear()
            self._rows_box.clear()
            for name, price in items:
                ok = isinstance(price, (int, float)) and not isinstance(price, bool)
                self._add_row(str(name), float(price) if ok else None)
            self._add_row()  # room for one more
            self.error = ""
        finally:
            self._syncing = False

    def _typed(self, event):
        if self._syncing:
            return
        filled = [(pick.value, box.value) for pick, box in self.rows if pick.value or box.value is not None]
        why = self._problem(filled)
        self.error = why
        if why:
            return
        self._syncing = True
        try:
            self.value = {name: float(price) for name, price in filled}
            if all(pick.value for pick, _ in self.rows):
                self._add_row()  # every row filled: one more offered
        finally:
            self._syncing = False

    def _problem(self, filled: list[tuple[str, float | None]]) -> str:
        """Why the rows filled give no valid prices ('' when they do)."""
        for name, price in filled:
            if not name or price is None:
                return t(f"forms_prices_pair_{self.kind}", self.lang)
            if not 0 <= price <= MAX_PRICE_EUR_H:
                return t("forms_prices_range", self.lang, name=name, most=fmt_number(MAX_PRICE_EUR_H, self.lang))
        names = [name for name, _ in filled]
        twice = next((n for n in names if names.count(n) > 1), None)
        return t("forms_prices_twice", self.lang, name=twice) if twice else ""
