"""Shared economics: payback, discounting, and the table of factors every scenario's defaults come from.

:data:`FACTORS` is ``twin/data/factors.csv``: one row per factor a scenario uses as a default — emission
factors, tariffs, unit costs, a few technical ratios — with its value, unit, year, source and a note.
A scenario parameter's default reads :func:`factor`, so each number lives in that one file; change a
scenario's parameter to use another value. Where no precise source backs a value the table says
"project assumption" (and which reference it is an order of magnitude of); ``year`` is the year the
value refers to or, for a project assumption without one, the year it was set in the project.

Nothing here imports the rest of the package.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from importlib import resources

COLUMNS = ("name", "value", "unit", "year", "source", "note")


@dataclass(frozen=True)
class Factor:
    """One row of the factors table: ``value`` in ``unit``, for ``year``, from ``source``."""

    name: str
    value: float | int
    unit: str
    year: int
    source: str
    note: str


def _number(text: str, where: str) -> float | int:
    """An integer when written without a decimal point or exponent (``2`` stays ``2``), else a float."""
    try:
        return int(text) if text.strip().lstrip("+-").isdigit() else float(text)
    except ValueError:
        raise ValueError(f"{where}: {text!r} is not a number") from None


def load_factors(path=None) -> dict[str, Factor]:
    """Read a factors table (default: the one shipped in :mod:`twin.data`), checking every row.

    Raises ``ValueError`` naming the file and line of a missing column, a duplicate name, a value
    that is not a finite number, a year that is not one, or an empty unit or source.
    """
    src = resources.files("twin.data").joinpath("factors.csv") if path is None else path
    name = str(src)
    with src.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{name}: expected the columns {', '.join(COLUMNS)}, got {reader.fieldnames}")
        table: dict[str, Factor] = {}
        for row in reader:
            where = f"{name}, line {reader.line_num}"
            if None in row:  # an unquoted comma in a source would otherwise cut it short, unsaid
                raise ValueError(f"{where}: more fields than the header's {len(COLUMNS)} (quote a text holding a comma)")
            key = (row["name"] or "").strip()
            if not key or key in table:
                raise ValueError(f"{where}: {'empty' if not key else 'duplicate'} factor name {key!r}")
            value = _number(row["value"] or "", f"{where}, {key}")
            year = _number(row["year"] or "", f"{where}, {key}, year")
            if not math.isfinite(value) or not isinstance(year, int):
                raise ValueError(f"{where}, {key}: expected a finite value and a year (YYYY)")
            for col in ("unit", "source"):
                if not (row[col] or "").strip():
                    raise ValueError(f"{where}, {key}: empty {col}")
            table[key] = Factor(key, value, row["unit"].strip(), year, row["source"].strip(),
                                (row["note"] or "").strip())
    return table


FACTORS: dict[str, Factor] = load_factors()
"""The shipped factors table, by name (see the module docstring)."""


def factor(name: str) -> float | int:
    """The value of the factor ``name`` of :data:`FACTORS`, in its ``unit``.

    Raises ``KeyError`` naming the known factors when ``name`` is not one.
    """
    try:
        return FACTORS[name].value
    except KeyError:
        raise KeyError(f"no factor {name!r} in twin/data/factors.csv; known: {', '.join(sorted(FACTORS))}") from None


def cite(*names: str) -> str:
    """Value, unit, year and source of factors, for an outcome's attributes or a report
    (``"diesel_co2_kg_per_l = 3.16 kg CO2e/l (2026; project assumption …)"``)."""
    return "; ".join(f"{n} = {FACTORS[n].value} {FACTORS[n].unit} ({FACTORS[n].year}; {FACTORS[n].source})"
                     for n in names)


def payback_years(capital_eur: float, saving_eur_per_year: float) -> float:
    """Simple (undiscounted) payback time of an investment.

    Parameters
    ----------
    capital_eur : float
        Money spent up front [€].
    saving_eur_per_year : float
        Yearly saving it brings against the baseline [€/year].

    Returns
    -------
    float
        ``capital / saving`` [years]; ``0`` when nothing is invested (``capital == 0``, whatever the
        saving: nothing to repay); ``inf`` when money is spent and the saving is not positive (it
        never pays back).
    """
    if capital_eur == 0:
        return 0.0
    return capital_eur / saving_eur_per_year if saving_eur_per_year > 0 else float("inf")


def service_life_years(parts) -> float:
    """The years an investment made of several items is assumed to serve: their lives weighted by what
    each costs, Σ cost·life / Σ cost (a compacting bin's ten years weigh its 5 950 €, a sensor's five its
    250 €).

    Parameters
    ----------
    parts : iterable of ``(cost_eur, life_years)``
        Each item bought [€] and the years it is assumed to serve [years].

    Returns
    -------
    float
        [years]; NaN when nothing is bought (no life to speak of).

    A payback longer than this never comes within the equipment's service: its money is not repaid.
    """
    parts = [(float(c), float(life)) for c, life in parts if float(c) > 0]
    total = sum(c for c, _ in parts)
    return sum(c * life for c, life in parts) / total if total > 0 else float("nan")


def life_note(lives: dict) -> str:
    """``{variant: years}`` as an outcome's attribute, JSON (a variant's name may hold any character);
    variants that buy nothing left out. :func:`read_life_note` reads it back."""
    import json  # noqa: PLC0415

    return json.dumps({str(v): round(float(y), 4) for v, y in lives.items() if math.isfinite(y)}, ensure_ascii=False)


def read_life_note(text) -> dict[str, float]:
    """The ``{variant: years}`` of :func:`life_note` (``{}`` for an empty or missing note)."""
    import json  # noqa: PLC0415

    try:
        lives = json.loads(str(text)) if text else {}
    except ValueError:
        return {}
    return {str(v): float(y) for v, y in lives.items()} if isinstance(lives, dict) else {}


def beyond_life(payback_years_: float, life_years: float) -> bool:
    """Whether a payback [years] is longer than the assumed life [years] of what it buys: the money is not
    repaid before the equipment is worn out. False when either is not a finite number."""
    return math.isfinite(payback_years_) and math.isfinite(life_years) and payback_years_ > life_years


def _check_rate(rate: float, years: float) -> None:
    if not rate > -1 or not math.isfinite(rate):
        raise ValueError(f"discount rate {rate!r}: expected a finite yearly rate above -1 (0.045 for 4.5 %)")
    if not years >= 0 or not math.isfinite(years):
        raise ValueError(f"years {years!r}: expected a finite number of years >= 0")


def present_value(amount_eur_per_year: float, rate: float, years: float) -> float:
    """Present value of a constant yearly amount received at the end of each of ``years`` years.

    ``PV = A × (1 − (1 + r)^−n) / r`` (``A × n`` when ``r = 0``): the annuity factor of any
    corporate-finance or public-economics textbook. The rate is the caller's: for French public
    investment, the discount rate is set by France Stratégie's guide to the socio-economic
    evaluation of public investment (the Quinet report, 2013, and its later revisions); none is
    assumed here.

    Parameters
    ----------
    amount_eur_per_year : float
        Yearly amount [€/year].
    rate : float
        Real yearly discount rate [1/year] (0.045 for 4.5 %), above −1.
    years : float
        Number of years [years], ≥ 0.

    Returns
    -------
    float
        Present value [€].
    """
    _check_rate(rate, years)
    if rate == 0:
        return amount_eur_per_year * years
    return amount_eur_per_year * (1.0 - (1.0 + rate) ** -years) / rate


def annuity(capital_eur: float, rate: float, years: float) -> float:
    """Constant yearly amount, paid at the end of each of ``years`` years, whose present value at
    ``rate`` is ``capital_eur``: the equivalent annual cost of an investment (inverse of
    :func:`present_value`), ``C × r / (1 − (1 + r)^−n)`` (``C / n`` when ``r = 0``).

    Parameters
    ----------
    capital_eur : float
        Capital spent now [€].
    rate : float
        Real yearly discount rate [1/year], above −1.
    years : float
        Number of years [years], > 0.

    Returns
    -------
    float
        Yearly amount [€/year].
    """
    _check_rate(rate, years)
    if years == 0:
        raise ValueError("years 0: an annuity needs at least one period")
    if rate == 0:
        return capital_eur / years
    return capital_eur * rate / (1.0 - (1.0 + rate) ** -years)
