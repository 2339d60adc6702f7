"""What information is worth to a decision: the expected value of perfect information (EVPI) and of the
sample information a sensor deployment would give (EVSI), from an ensemble of possible worlds (issue 24:
are sensors worth buying before the commune has any?).

The decision maker picks one of ``D`` options; ``costs[m, d]`` is what option ``d`` costs in world ``m``
(a member of the prior's ensemble, all equally likely). Raiffa & Schlaifer (*Applied Statistical
Decision Theory*, 1961), in the Monte Carlo form of Ades, Lu & Claxton (*Expected value of sample
information calculations in medical decision modeling*, Medical Decision Making 24(2), 2004):

* **under the prior**, the option of least expected cost, d* = argmin_d mean_m costs[m, d];
* **perfect information** reveals the world before the choice: EVPI = mean_m costs[m, d*] −
  mean_m min_d costs[m, d] ≥ 0;
* **sample information**: the sensors reveal ``theta`` (the quantity they measure) with Gaussian error of
  sd ``noise_sd``: in world m they read θ̂_m = θ_m + ε_m; the choice after the reading minimises the
  expected cost over the worlds, weighted by how likely each makes that reading (Bayes' rule on the
  ensemble); EVSI = mean_m costs[m, d*] − mean_m costs[m, d(θ̂_m)] ≤ EVPI, since no choice beats the
  best one in each world.

When one option is best in every world, no information changes the choice: EVPI = EVSI = 0 exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Value:
    """Expected costs and what information is worth [the costs' unit, e.g. €/year]."""

    prior_choice: int
    expected_cost_prior: float
    expected_cost_perfect: float
    expected_cost_sample: float
    evpi: float
    evsi: float
    choice_changes_share: float  # share of worlds whose sensor reading changes the choice


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


def value_of_information(costs, theta, noise_sd: float, seed: int = 0) -> Value:
    """EVPI and EVSI (module docstring) of ``costs[world, option]``, the sensors reading each world's
    ``theta`` with error ``noise_sd`` (one seeded error per world)."""
    costs = _check(costs)
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (costs.shape[0],):
        raise ValueError(f"theta: expected one value per world ({costs.shape[0]}), got shape {theta.shape}")
    if not noise_sd > 0:
        raise ValueError(f"noise_sd: expected a positive error of the sensors' reading, got {noise_sd}")
    choice, perfect = evpi(costs)
    reading = theta + noise_sd * np.random.default_rng(seed).standard_normal(len(theta))
    # each world's weight given a reading: the likelihood of that reading were it the true world
    weights = np.exp(-0.5 * ((reading[:, None] - theta[None, :]) / noise_sd) ** 2)
    weights /= weights.sum(axis=1, keepdims=True)
    after = np.argmin(weights @ costs, axis=1)  # the choice each reading leads to
    prior_cost = float(costs[:, choice].mean())
    sample_cost = float(costs[np.arange(len(costs)), after].mean())
    perfect_cost = float(costs.min(axis=1).mean())
    return Value(prior_choice=choice, expected_cost_prior=prior_cost, expected_cost_perfect=perfect_cost,
                 expected_cost_sample=sample_cost, evpi=perfect, evsi=prior_cost - sample_cost,
                 choice_changes_share=float((after != choice).mean()))


__all__ = ["Value", "evpi", "value_of_information"]
