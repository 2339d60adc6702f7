"""2D local-inertial inundation: lake at rest, mass balance, and the Merewether urban flood case."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import reference_file
from twin.models.inundation2d import simulate


def test_mass_is_conserved_and_a_closed_basin_fills_level():
    x = np.linspace(-1, 1, 40)
    X, Y = np.meshgrid(x, x)
    z = 2.0 * (X ** 2 + Y ** 2) + 0.05 * np.sin(7 * X)  # a bumpy bowl
    inflow = np.zeros_like(z)
    inflow[20, 20] = 0.5
    r = simulate(z, 1.0, manning=np.full_like(z, 0.03), inflow_m3s=inflow, duration_s=300.0,
                 sink=np.zeros_like(z, bool))
    assert abs(r.mass_error) < 1e-3  # the criterion of the issue: 0.1 %
    assert r.volume_stored_m3 == pytest.approx(150.0, rel=1e-9)
    wet = r.depth > 0.01
    stage = (z + r.depth)[wet]
    assert stage.max() - stage.min() < 0.02  # the pond settles to one level


def test_buildings_stay_dry():
    z = np.zeros((20, 20))
    blocked = np.zeros_like(z, bool)
    blocked[5:10, 5:10] = True
    inflow = np.zeros_like(z)
    inflow[2, 2] = 1.0
    r = simulate(z, 1.0, manning=np.full_like(z, 0.03), inflow_m3s=inflow, duration_s=60.0, blocked=blocked,
                 sink=np.zeros_like(z, bool))
    assert r.max_depth[blocked].max() == 0.0
    assert r.max_depth[~blocked].min() > 0.0


def test_merewether_peak_stages():
    from twin.sources.arr_case import load_merewether

    case = load_merewether(reference_file("hydrology/merewether/topography1.asc").parent)
    r = simulate(case.grid.z, case.grid.dx, manning=case.manning, inflow_m3s=case.inflow_m3s, duration_s=900.0,
                 blocked=case.blocked, sink=case.sink)
    assert abs(r.mass_error) < 1e-3
    errors = []
    for _, o in case.observations.iterrows():
        if int(o["ID"]) == 2:  # 0.2 m below the DEM surface: left out, as the reference data says
            continue
        i, j = case.grid.cell_of(o["x"], o["y"])
        errors.append(r.max_stage[i, j] - o["stage (ARR Report Final)"])
    errors = np.abs(errors)
    assert len(errors) == 4
    assert errors.mean() <= 0.15 and errors.max() <= 0.30
