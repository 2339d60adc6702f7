"""The water network a scenario runs on: the utility's EPANET file when given, else the SYNTHETIC one laid
under the territory's streets (:mod:`twin.territory.water_prior`) — one rule for every water family."""

from __future__ import annotations

from twin.scenarios.base import ScenarioError


def water_network(network_file: str, territory, litres_per_person_day: float):
    """(the network, the territory's prior when it is the one — else None, where it comes from)."""
    from twin.sources.epanet import read_network  # noqa: PLC0415

    if network_file:
        return read_network(network_file), None, network_file
    if territory is None:
        raise ScenarioError("network_file: this scenario needs the water network, an EPANET .inp file, "
                            "or a territory to lay a synthetic one under its streets")
    from twin.territory.water_prior import prior_network  # noqa: PLC0415

    try:
        prior = prior_network(territory, litres_per_person_day)
    except ValueError as exc:
        raise ScenarioError(str(exc)) from None
    return prior.wn, prior, prior.provenance


__all__ = ["water_network"]
