"""What fill sensors on the litter bins would be worth to a commune that has none (issue 24): the round
schedule it would choose on the prior, against the one it would choose once sensors told how fast its
bins fill — in euros a year, next to what the sensors cost.

The decision: how many fixed rounds a week (``schedules``). Its cost in each world (a member of the bins
ensemble on the prior, :func:`twin.scenarios.bins.fill_model_or_prior`): the rounds' operating cost plus
``litter_eur_per_l`` per litre of litter left beside full bins (cleaning it up: an assumption of the
project — a sweeper's hour, about 40 €, picks up about 100 litres — enter yours). Litres, not overflow
events: more rounds empty the bins more often, and so split the same spill into more, shorter events. What the
sensors would tell: the town's fill-rate factor (the spread between streets the prior cannot know), read
after ``sensing_weeks`` weeks with the error of a calibration on that many collections — τ/√bins from
the bins' own spread and σ/√(collections) from the noise (:mod:`twin.calibration.bins_prior`). The value
of that reading (EVSI), of knowing the town's factor exactly (EVPPI) and of knowing everything (EVPI), by
:mod:`twin.models.value_of_information`, with the Monte Carlo band of the first two; the sensors' cost a
year: their purchase over ``life_years`` (the factors table's ``fill_sensor_life_years`` by default) plus their
yearly subscription (the factors table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.economics import factor
from twin.models.value_of_information import value_band, value_of_information, verdict
from twin.scenarios.bins import COSTS, BinCollection, has_fill_records

SCHEDULES = ((0,), (0, 3), (0, 2, 4), (0, 1, 2, 3, 4))
"""Rounds a week the decision is among: Monday; Monday and Thursday; Monday, Wednesday, Friday; weekdays."""


def sensor_value(territory, *, schedules=SCHEDULES, members: int = 120, days: int = 28, litter_eur_per_l: float = 0.4,
                 sensing_weeks: int = 6, life_years: float | None = None, seed: int = 0) -> dict:
    """The decision, its costs and what information is worth (module docstring), JSON-ready. The verdict
    weighs the sensors' cost against the Monte Carlo band of their value: "undecided" when it straddles it."""
    if has_fill_records(territory):
        return {"territory": territory.name, "value": None,
                "verdict": "the territory already has fill records: nothing left for new sensors to tell here"}
    scenario = BinCollection(policy="fixed", members=members, days=days, seed=seed)
    setup = scenario.setup(territory)
    costs, rows = [], []
    for weekdays in schedules:
        kpis = scenario.fixed_schedule_members(setup, tuple(weekdays))
        cost = kpis["operating_cost_eur_per_year"] + 52.0 * kpis["litter_l_per_week"] * litter_eur_per_l
        costs.append(cost.to_numpy())
        rows.append({"rounds_per_week": len(weekdays), "weekdays": list(weekdays),
                     "operating_cost_eur_per_year": float(kpis["operating_cost_eur_per_year"].mean()),
                     "litter_l_per_year": float(52.0 * kpis["litter_l_per_week"].mean()),
                     "expected_cost_eur_per_year": float(cost.mean())})
    costs = np.column_stack(costs)
    model, n_bins = setup["model"], len(setup["baskets"])
    collections = max(n_bins * sensing_weeks * 7 * 24 / max(model.median_interval_h, 1.0), 1.0)
    noise_sd = float(np.hypot(model.between_bin_log_sd / np.sqrt(n_bins), model.sigma / np.sqrt(collections)))
    theta = scenario.town_factors(setup)
    value = value_of_information(costs, theta, noise_sd, seed=seed)
    band = value_band(costs, theta, noise_sd, seed=seed)
    # the sensors bought for their life (their price over it, and their subscription), though the reading
    # that is valued here needs only their first weeks: what else they bring is not counted
    life_years = factor("fill_sensor_life_years") if life_years is None else life_years  # the factors table's
    sensors_per_year = n_bins * (COSTS["sensor_eur"] / life_years + COSTS["sensor_eur_per_year"])
    out = {"territory": territory.name, "bins": n_bins, "members": members, "days": days,
           "prior": setup["prior"], "litter_eur_per_l": litter_eur_per_l, "schedules": rows,
           "sensing_weeks": sensing_weeks, "reading_log_sd": noise_sd, "sensors_eur_per_year": sensors_per_year,
           "prior_choice": rows[value.prior_choice]["weekdays"],
           "value": {"evpi_eur_per_year": value.evpi, "evppi_eur_per_year": value.evppi,
                     "evsi_eur_per_year": value.evsi, "evppi_band_eur_per_year": band["evppi"],
                     "evsi_band_eur_per_year": band["evsi"], "expected_cost_prior": value.expected_cost_prior,
                     "choice_changes_share": value.choice_changes_share}}
    out["verdict"] = verdict(value.evsi, band["evsi"], sensors_per_year)
    return out


def schedules_table(result: dict) -> pd.DataFrame:
    """The schedules' expected costs as a table (for the CLI and notebooks)."""
    return pd.DataFrame(result["schedules"])


__all__ = ["SCHEDULES", "schedules_table", "sensor_value"]
