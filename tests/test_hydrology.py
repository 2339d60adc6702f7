"""GR4J against the authors' Excel workbook (step-by-step oracle), and the rating curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import reference_file
from twin.models.hydrology import GR4Params, RatingCurve, gr4, oudin_pet_mm_per_day, unit_hydrographs


def test_gr4j_reproduces_the_excel_workbook():
    df = pd.read_csv(reference_file("hydrology/gr4j_excel_reference.csv"))
    # Parameters of the workbook, stored transformed there (exp / sinh / exp + 0.5).
    params = GR4Params(np.exp(5.76865628090826), np.sinh(1.61742503661094),
                       np.exp(4.24316129943456), np.exp(-0.117506799276908) + 0.5)
    q = gr4(df["prec"], df["etp"], params, s0=0.6, r0=0.7)
    np.testing.assert_allclose(q, df["qsim_excel"], rtol=1e-8, atol=1e-8)


def test_unit_hydrographs_sum_to_one():
    for x4 in (0.7, 1.39, 2.2, 96.0):
        uh1, uh2 = unit_hydrographs(x4)
        assert uh1.sum() == pytest.approx(1.0) and uh2.sum() == pytest.approx(1.0)


def test_rating_curve_round_trip_and_pet_is_seasonal():
    curve = RatingCurve(a=40.0, h0=0.3, b=1.6)
    q = np.array([0.0, 1.0, 50.0, 600.0])
    np.testing.assert_allclose(curve.discharge(curve.stage(q)), q, atol=1e-9)
    summer, winter = oudin_pet_mm_per_day([20.0, 5.0], [180, 15], 47.65)
    assert summer > 3.0 > winter > 0.0
