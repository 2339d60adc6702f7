"""A SYNTHETIC parking grid: the homogeneous town of the agent-based parking experiments (Levy, Martens &
Benenson 2013 sweep demand over a uniform grid of streets with kerb spaces and destinations spread
evenly). Generated, never observed: for the occupancy–search-time curve and the benchmarks."""

from __future__ import annotations

import numpy as np

from twin.models.parking import Demand, Supply


def grid_town(n: int = 12, block_m: float = 100.0, spaces_per_kerb: int = 8, stay_h: float = 2.0,
              arrivals_per_hour: float = 300.0, guidance_share: float = 0.0,
              margin: int = 2) -> tuple[Supply, Demand]:
    """An ``n`` × ``n`` grid of two-way streets ``block_m`` long, each direction with ``spaces_per_kerb``
    spaces; drivers arrive all day at ``arrivals_per_hour`` with a mean stay of ``stay_h`` hours, their
    destinations uniform over the nodes at least ``margin`` blocks from the grid's edge (so that every
    destination has streets all around it)."""
    idx = np.arange(n * n).reshape(n, n)
    tails, heads = [], []
    for a, b in ((idx[:, :-1], idx[:, 1:]), (idx[:-1, :], idx[1:, :])):
        tails += [a.ravel(), b.ravel()]
        heads += [b.ravel(), a.ravel()]
    tail, head = np.concatenate(tails), np.concatenate(heads)
    m = len(tail)
    supply = Supply(n_nodes=n * n, tail=tail, head=head, length_m=np.full(m, block_m),
                    spaces=np.full(m, spaces_per_kerb, np.int64), price_eur_h=np.zeros(m), sensed=np.zeros(m, bool),
                    street=[f"grid {t}-{h}" for t, h in zip(tail, head)])
    inner = idx[margin:n - margin, margin:n - margin].ravel()
    demand = Demand(arrivals_per_hour=np.full(24, float(arrivals_per_hour)), dest_nodes=inner,
                    dest_weights=np.ones((24, len(inner))), stay_mean_h=np.full(24, float(stay_h)),
                    guidance_share=guidance_share)
    return supply, demand
