"""The water network a scenario runs on: the utility's EPANET file when given, else the SYNTHETIC one laid
under the territory's streets (:mod:`twin.territory.water_prior`) — one rule for every water family."""

from __future__ import annotations

import param

from twin.scenarios.base import ScenarioError


def population_parameter() -> param.Number:
    """The ``population`` parameter of every water family: read on the synthetic network only."""
    # a whole number in a number box (left empty: unknown), not a slider on 0 … 20 million
    return param.Integer(default=None, allow_None=True, bounds=(1, 20_000_000),
                         doc="[people] synthetic network: the population living in the territory's buildings "
                             "(INSEE), to scale the prior's people and their demand to (empty: the prior's own "
                             "count, from floor area; it counts barns and sheds of unknown use as homes)")


POPULATION_READ_WHEN = {"population": ({"network_file": ("",)},)}
"""``population`` is read only on the territory's synthetic network: an EPANET file carries its demands."""


def water_network(network_file: str, territory, litres_per_person_day: float, population: float | None = None):
    """(the network, the territory's prior when it is the one — else None, where it comes from)."""
    from twin.sources.epanet import read_network  # noqa: PLC0415

    if network_file:
        return read_network(network_file), None, network_file
    if territory is None:
        raise ScenarioError("network_file: this scenario needs the water network, an EPANET .inp file, "
                            "or a territory to lay a synthetic one under its streets")
    from twin.territory.water_prior import prior_network  # noqa: PLC0415

    try:
        prior = prior_network(territory, litres_per_person_day, population)
    except ValueError as exc:
        raise ScenarioError(str(exc)) from None
    return prior.wn, prior, prior.provenance


__all__ = ["POPULATION_READ_WHEN", "population_parameter", "water_network"]
