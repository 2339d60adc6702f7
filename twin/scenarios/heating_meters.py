"""What gas meters read hourly would be worth to a commune that has none (issue 24): which public building to
retrofit first, chosen on the heating prior, against the choice once a year of meter readings told how
much each building really burns — in euros a year, next to what the meters cost.

The decision: which one building of the park (:func:`twin.calibration.heating_prior.communal_buildings`)
gets the next ``budget_eur`` of retrofit. Its return in each world (a member of the heating prior's
ensemble, :meth:`twin.scenarios.heating.HeatingSchedules.prior_members`): the yearly gas bill the retrofit
saves on that building in that member (RC simulation of the retrofit against the current schedule), all of
it when the budget covers the building's retrofit (the scenario's ``retrofit_eur_per_m2`` × floor), else the
share of it the budget pays for — a small building cannot absorb a large budget. The cost of option *d* in
world *m* is minus that return [€/year].

What the meters would tell: each building's heating gas per m² (the prior's draw, in logs), read after a
year with a log-error ``reading_log_sd`` (0.10: an ASHRAE Guideline 14 baseline within 15 % monthly
CV(RMSE), weather-normalised over a year — a project assumption). Option *d*'s cost depends on what is
read only through its own building, so each option is regressed on its own column
(:func:`twin.models.value_of_information.fitted_costs`). The meters' cost: one logger per building, its
price over ``life_years`` plus its subscription (:data:`GAS_LOGGER_EUR`, :data:`GAS_LOGGER_EUR_PER_YEAR`: project
assumptions — GRDF's Gazpar daily readings may cost nothing but the analyst's time).

The figures hold only as far as the prior does: its spread (a project assumption, about ×/÷ 1.5) is what
the meters would remove, and its value grows with it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.models.value_of_information import value_band, value_of_information, verdict
from twin.scenarios.heating import HeatingSchedules, has_gas_meters, member_savings


GAS_LOGGER_EUR = 500.0
"""[€ a building] a pulse logger on the utility's gas meter, installed (project assumption)."""
GAS_LOGGER_EUR_PER_YEAR = 60.0
"""[€/year a building] its data subscription (project assumption)."""


def meter_value(territory, *, members: int = 100, budget_eur: float = 100_000.0, reading_log_sd: float = 0.10,
                life_years: float = 10.0, seed: int = 0, year: int = 2023) -> dict:
    """The decision, each building's expected return and what meters are worth (module docstring),
    JSON-ready; the verdict weighs the meters' cost against the Monte Carlo band of their value."""
    if has_gas_meters(territory):
        return {"territory": territory.name, "value": None,
                "verdict": "the territory already has gas meters: calibrate on them (twin buildings rank)"}
    scenario = HeatingSchedules(members=members, prior_seed=seed, year=year)
    ens = scenario.prior_members(territory)
    park = ens["park"]
    saving = member_savings(ens["rows"])
    retrofit = saving[saving["variant"] == "retrofit"].pivot(index="member", columns="building_id",
                                                            values="saving_kwh")[park["building_id"]]
    investment = scenario.retrofit_eur_per_m2 * park["floor_m2"].to_numpy()
    # [€/year] per world and building: its whole saving when the budget covers its retrofit, else the share the
    # budget pays for (a shed cannot absorb 100,000 €: it returns its own saving, not the budget's)
    returns = retrofit.to_numpy() * scenario.gas_eur_per_kwh * np.minimum(1.0, budget_eur / investment)
    costs = -returns
    theta = np.log(ens["draws"].pivot(index="member", columns="building_id",
                                      values="heating_kwh_per_m2")[park["building_id"]].to_numpy())
    value = value_of_information(costs, theta, reading_log_sd, seed=seed)
    band = value_band(costs, theta, reading_log_sd, seed=seed)
    meters_per_year = len(park) * (GAS_LOGGER_EUR / life_years + GAS_LOGGER_EUR_PER_YEAR)
    names = park["name"].astype(object).where(park["name"].notna(), None)  # JSON: null, not NaN
    rows = pd.DataFrame({"building_id": park["building_id"], "name": names, "use": park["use"],
                         "floor_m2": park["floor_m2"], "investment_eur": investment,
                         "expected_return_eur_per_year": returns.mean(axis=0),
                         "return_p05": np.quantile(returns, 0.05, axis=0), "return_p95": np.quantile(returns, 0.95, axis=0),
                         "best_in_share_of_worlds": np.bincount(returns.argmax(axis=1), minlength=len(park)) / len(returns)})
    chosen = park.iloc[value.prior_choice]
    chosen_name = names.iloc[value.prior_choice]
    out = {"territory": territory.name, "buildings": len(park), "members": members, "budget_eur": budget_eur,
           "priors": f"{len(park)} public buildings mapped by OSM; gas per m² from the heating prior; a SYNTHETIC "
                     f"climate year per member ({ens['station'].name}, zone {ens['station'].zone})",
           "reading_log_sd": reading_log_sd, "meters_eur_per_year": meters_per_year,
           "prior_choice": {"building_id": chosen["building_id"], "name": chosen_name, "use": chosen["use"]},
           "table": rows.sort_values("expected_return_eur_per_year", ascending=False).to_dict("records"),
           "value": {"evpi_eur_per_year": value.evpi, "evppi_eur_per_year": value.evppi,
                     "evsi_eur_per_year": value.evsi, "evppi_band_eur_per_year": band["evppi"],
                     "evsi_band_eur_per_year": band["evsi"],
                     "expected_return_prior_eur_per_year": -value.expected_cost_prior,
                     "choice_changes_share": value.choice_changes_share}}
    out["verdict"] = verdict(value.evsi, band["evsi"], meters_per_year, what="gas meters on every building")
    return out


def buildings_table(result: dict) -> pd.DataFrame:
    """Each building's expected return on the budget and how often it is the best (CLI, notebooks)."""
    return pd.DataFrame(result["table"])


__all__ = ["buildings_table", "meter_value"]
