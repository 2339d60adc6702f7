"""What information is worth to a decision: the expected value of perfect information (EVPI), of perfect
information on the one quantity sensors would measure (EVPPI), and of the sample information a sensor
deployment would give (EVSI), from an ensemble of possible worlds (issue 24: are sensors worth buying
before the commune has any?).

The decision maker picks one of ``D`` options; ``costs[m, d]`` is what option ``d`` costs in world ``m``
(a member of the prior's ensemble, all equally likely), and ``theta[m]`` the quantity the sensors would
measure in that world. Raiffa & Schlaifer (*Applied Statistical Decision Theory*, 1961):

* **under the prior**, the option of least expected cost, d* = argmin_d mean_m costs[m, d];
* **perfect information** on everything: EVPI = mean_m costs[m, d*] − mean_m min_d costs[m, d] ≥ 0 — an
  outer bound, which a simulated world's own noise inflates;
* **perfect information on θ** (EVPPI) and **a reading of θ** with Gaussian error of sd ``noise_sd``
  (EVSI), by the nonparametric regression of Strong, Oakley & Brennan (*Estimating multiparameter partial
  expected value of perfect information from a probabilistic sensitivity analysis sample*, Medical
  Decision Making 34(3), 2014) and Strong, Oakley, Brennan & Breeze (*Estimating the expected value of
  sample information using the probabilistic sensitivity analysis sample*, MDM 35(5), 2015): each
  option's cost is regressed on θ (EVPPI), or on a simulated reading θ̂ = θ + ε (EVSI), by a cubic
  polynomial; the fitted values are the expected costs given what is known, and the value is
  mean(fitted[:, d*]) − mean(min_d fitted). The regression averages out the worlds' own noise, which
  the per-world minimum counts as information.

EVSI ≤ EVPPI ≤ EVPI: the reading is a blurred θ, and θ is part of everything. When one option is best
in every world, no information changes the choice: every value is 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Value:
    """Expected costs and what information is worth [the costs' unit, e.g. €/year]."""

    prior_choice: int
    expected_cost_prior: float
    evpi: float
    evppi: float
    evsi: float
    choice_changes_share: float  # share of worlds whose reading changes the choice


def _check(costs) -> np.ndarray:
    costs = np.asarray(costs, dtype=float)
    if costs.ndim != 2 or costs.shape[0] < 1 or costs.shape[1] < 1:
        raise ValueError(f"costs: expected (worlds, options), got shape {costs.shape}")
    if not np.isfinite(costs).all():
        raise ValueError("costs: every world's cost of every option must be a finite number")
    return costs


def evpi(costs) -> tuple[int, float]:
    """(the prior's choice, the expected value of perfect information) of ``costs[world, option]``."""
    costs = _check(costs)
    choice = int(np.argmin(costs.mean(axis=0)))
    return choice, float(costs[:, choice].mean() - costs.min(axis=1).mean())


def fitted_costs(costs: np.ndarray, x: np.ndarray, degree: int = 3) -> np.ndarray:
    """Each option's expected cost given ``x``: a polynomial of ``degree`` in the standardised ``x`` fitted by
    least squares (the regression of Strong et al. 2014). ``x`` one value per world, or one column per option
    (worlds × options): option *d*'s cost regressed on its own column — exact when each option's cost depends on
    what is read only through its own column (a meter on each building, the choice of which to retrofit)."""
    if x.ndim == 2:
        return np.column_stack([fitted_costs(costs[:, [d]], x[:, d], degree)[:, 0] for d in range(costs.shape[1])])
    z = (x - x.mean()) / (x.std() or 1.0)
    design = np.vander(z, min(degree, max(len(z) - 1, 0)) + 1)
    coef, *_ = np.linalg.lstsq(design, costs, rcond=None)
    return design @ coef


def _value(fitted: np.ndarray, choice: int) -> float:
    """mean(fitted[:, d*]) − mean(min_d fitted), never below 0 (a fit cannot make knowing cost money)."""
    return max(float(fitted[:, choice].mean() - fitted.min(axis=1).mean()), 0.0)


def _check_theta(costs: np.ndarray, theta) -> np.ndarray:
    theta = np.asarray(theta, dtype=float)
    if theta.shape not in ((costs.shape[0],), costs.shape):
        raise ValueError(f"theta: expected one value per world ({costs.shape[0]}), or one per world and option "
                         f"{costs.shape}, got shape {theta.shape}")
    return theta


def value_of_information(costs, theta, noise_sd: float, seed: int = 0, draws: int = 20) -> Value:
    """EVPI, EVPPI(θ) and EVSI (module docstring) of ``costs[world, option]``, the sensors reading each
    world's ``theta`` with error ``noise_sd`` (``draws`` seeded readings per world, the EVSI their mean)."""
    costs = _check(costs)
    theta = _check_theta(costs, theta)
    if not noise_sd > 0:
        raise ValueError(f"noise_sd: expected a positive error of the sensors' reading, got {noise_sd}")
    choice, perfect = evpi(costs)
    if np.ptp(theta) == 0:  # nothing for the sensors to tell apart
        return Value(choice, float(costs[:, choice].mean()), perfect, 0.0, 0.0, 0.0)
    # a regression on few worlds can overshoot the per-world bound: knowing θ is never worth more than
    # knowing everything (Raiffa & Schlaifer), so the estimate is held to it
    partial = min(_value(fitted_costs(costs, theta), choice), perfect)
    rng = np.random.default_rng(seed)
    samples, changed = [], []
    for _ in range(draws):
        fitted = fitted_costs(costs, theta + noise_sd * rng.standard_normal(theta.shape))
        samples.append(_value(fitted, choice))
        changed.append(float((fitted.argmin(axis=1) != choice).mean()))
    return Value(prior_choice=choice, expected_cost_prior=float(costs[:, choice].mean()), evpi=perfect,
                 evppi=partial, evsi=min(float(np.mean(samples)), partial), choice_changes_share=float(np.mean(changed)))


def value_band(costs, theta, noise_sd: float, seed: int = 0, resamples: int = 50, draws: int = 5,
               q: tuple[float, float] = (0.05, 0.95)) -> dict[str, tuple[float, float]]:
    """The Monte Carlo band of EVPPI and EVSI (quantiles ``q`` over ``resamples`` bootstrap resamples of the
    worlds): how much the figures owe to the ensemble's finite size."""
    costs = _check(costs)
    theta = _check_theta(costs, theta)
    rng = np.random.default_rng([seed, 1])
    evppis, evsis = [], []
    for r in range(resamples):
        pick = rng.integers(0, len(costs), len(costs))
        v = value_of_information(costs[pick], theta[pick], noise_sd, seed=r, draws=draws)
        evppis.append(v.evppi)
        evsis.append(v.evsi)
    return {"evppi": tuple(float(x) for x in np.quantile(evppis, q)),
            "evsi": tuple(float(x) for x in np.quantile(evsis, q))}


def verdict(evsi: float, band: tuple[float, float], cost_per_year: float, what: str = "sensors") -> str:
    """Whether ``what`` pays [€/year]: their value to the decision (EVSI) and its Monte Carlo ``band`` against
    their cost — "undecided" when the band straddles the cost."""
    low, high = band
    worth = f"{what} worth {evsi:,.0f} €/year to this decision (Monte Carlo band {low:,.0f}–{high:,.0f})"
    if low > cost_per_year:
        return f"{worth} against {cost_per_year:,.0f} €/year of cost: they pay"
    if high < cost_per_year:
        return f"{worth} against {cost_per_year:,.0f} €/year of cost: they do not pay on this decision alone"
    return (f"{worth} against {cost_per_year:,.0f} €/year of cost: undecided — the band straddles the cost; more "
            "members would tell")


__all__ = ["Value", "evpi", "fitted_costs", "value_band", "value_of_information", "verdict"]
