"""What every family's result view shares: the variant shown, its name for people, the colours of change."""

from __future__ import annotations

INCREASE, DECREASE = "#c0392b", "#1a9850"  # red / green: the river is already blue
CLOSED = "#000000"  # a closed street, in every family's map (red says « more traffic » there)


def variant_shown(outcome) -> str:
    """The variant a map shows: the first that is not the baseline (the baseline when alone)."""
    names = [str(v) for v in outcome.data["variant"].values if str(v) != outcome.baseline]
    return names[0] if names else outcome.baseline


MODEL_VARIANT_KEYS = {"booking schedule": "res_variant_booking", "setpoint change": "res_variant_setpoint",
                      "retrofit": "res_variant_retrofit", "BMS + booking schedule": "res_variant_bms_booking"}
"""Variant names a model gives in English words (:mod:`twin.scenarios.heating`) -> their catalogue key:
names with spaces and signs, which ``res_variant_<name>`` would make into odd keys."""


def variant_label(name: str, lang: str = "fr") -> str:
    """A variant's name for people: the words of a scenario's default name (``led_retrofit`` → « tout
    LED … », ``schedule`` → « nouveaux horaires d'éclairage »: catalogue keys ``res_variant_<name>``,
    or :data:`MODEL_VARIANT_KEYS`), else the name as given (a user's own)."""
    from twin.app.i18n import STRINGS, t  # noqa: PLC0415 - the catalogue is complete once twin.app.views is

    key = MODEL_VARIANT_KEYS.get(name, f"res_variant_{name}")
    return t(key, lang) if key in STRINGS else name


def legend_below(fig, ncols: int = 2) -> None:
    """The chart's legend under the plot, in ``ncols`` columns: inside it (top left or right) it hid the
    first or last hours of the lines it names; in one row, long names laid the page out wider than a
    1024 px screen (Bokeh 3.9)."""
    legend = fig.legend[0]
    legend.ncols = ncols
    legend.location = "center"
    fig.add_layout(legend, "below")
