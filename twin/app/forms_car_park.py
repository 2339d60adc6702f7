"""A new car park without typing a dictionary: « Près de [Rue du Port ▾]  [50] places  [1,50] €/h »
(a parking variant's ``add_car_park``, which the page asked for as ``{"near": …, "capacity": …}``)."""

from __future__ import annotations

import panel as pn
import param

from twin.app.forms import StreetChoice
from twin.app.forms_base import INVALID_CSS, LabelledForm
from twin.app.forms_number import NumberBox
from twin.app.forms_prices import MAX_PRICE_EUR_H
from twin.app.i18n import fmt_number, t

MAX_SPACES = 10_000  # the model's bound (twin.scenarios.parking.ParkingSearch.validate)


class NewCarPark(LabelledForm):
    """A car park opened near a street: the street picked among ``names``, its spaces and its price
    [€/h] (empty: free); value ``{"near": street, "capacity": spaces, "price_eur_h": price}``, ``{}``
    when nothing is filled (no new car park). A street without spaces or spaces without a street, a
    number of spaces that is not a whole number from 1 to 10 000, or a price outside [0, 100] €/h is
    refused (``error``) and the value stays the last valid one. A name the value carries (a file's)
    is kept."""

    value = param.Dict(default={}, doc="the new car park, {} for none")
    names = param.List(default=[], doc="the streets it can open near (the territory's drivable streets)")
    error = param.String(default="", doc="why the car park is refused ('' when it is not)")

    def __init__(self, **params):
        super().__init__(**params)
        L = self.lang
        self.near = StreetChoice(name=t("forms_car_park_near", L), options=StreetChoice.options_for(self.names),
                                 value="", width=170, stylesheets=[INVALID_CSS])
        self.spaces = NumberBox(name=t("forms_car_park_spaces", L), value=None, width=75, placeholder="50",
                                stylesheets=[INVALID_CSS])
        self.price = NumberBox(name=t("forms_prices_price", L), value=None, width=75,
                               placeholder="1,5" if L == "fr" else "1.5", stylesheets=[INVALID_CSS])
        self._composite[:] = [self._head, pn.Row(self.near, self.spaces, self.price, margin=0)]
        self._syncing = False
        self._kept_name = ""
        self._show_value()
        self.param.watch(lambda e: self._show_value(), "value")
        for w in self._inputs():
            w.param.watch(self._typed, "value")

    def _inputs(self) -> list:
        return [self.near, self.spaces, self.price]

    def _show_value(self):
        if self._syncing:
            return
        self._syncing = True
        try:
            new = self.value or {}
            near = str(new.get("near") or "")
            self.near.options = StreetChoice.options_for(self.names, near)
            self.near.value = near
            self.spaces.value = _number(new.get("capacity"))
            self.price.value = _number(new.get("price_eur_h"))
            self._kept_name = str(new.get("name") or "")
            # a file's street the territory lacks: said now, not by the run's English error
            self.error = t("forms_car_park_unknown", self.lang, near=near) if near and self.names \
                and near not in self.names else ""
        finally:
            self._syncing = False

    def _typed(self, event):
        if self._syncing:
            return
        near, spaces, price = self.near.value, self.spaces.value, self.price.value
        if event.obj is self.near or not near:  # a file's name belongs to its car park, not to one put elsewhere
            self._kept_name = ""
        why = self._problem(near, spaces, price)
        self.error = why
        if why:
            return
        new: dict = {}
        if near:
            new = {"near": near, "capacity": int(spaces)}
            if price is not None:
                new["price_eur_h"] = float(price)
            if self._kept_name:
                new["name"] = self._kept_name
        self._syncing = True
        try:
            self.value = new
        finally:
            self._syncing = False

    def _problem(self, near: str, spaces: float | None, price: float | None) -> str:
        """Why these inputs give no valid car park ('' when they do, or when all are empty)."""
        L = self.lang
        if not near and spaces is None and price is None:
            return ""
        if not near or spaces is None:
            return t("forms_car_park_pair", L)
        if self.names and near not in self.names:
            return t("forms_car_park_unknown", L, near=near)
        if not float(spaces).is_integer() or not 1 <= spaces <= MAX_SPACES:
            return t("forms_car_park_spaces_range", L, most=fmt_number(MAX_SPACES, L))
        if price is not None and not 0 <= price <= MAX_PRICE_EUR_H:
            return t("forms_car_park_price_range", L, most=fmt_number(MAX_PRICE_EUR_H, L))
        return ""


def _number(x) -> float | None:
    """A value of the dictionary as the box shows it (None: empty)."""
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None
