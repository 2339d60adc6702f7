"""Goodness-of-fit metrics on hand-computed cases."""

import numpy as np
import pytest

from twin.calibration import cv_rmse, geh, kge, nmbe, nse, rmse


def test_perfect_and_mean_models():
    o = np.array([1.0, 2.0, 3.0, 4.0])
    assert nse(o, o) == 1.0 and kge(o, o)[0] == pytest.approx(1.0)
    assert nse(o, np.full(4, o.mean())) == pytest.approx(0.0)
    assert rmse(o, o + 1) == pytest.approx(1.0)


def test_kge_components():
    o = np.array([1.0, 2.0, 3.0, 4.0])
    k, r, alpha, beta = kge(o, 2 * o)
    assert r == pytest.approx(1.0) and alpha == pytest.approx(2.0) and beta == pytest.approx(2.0)
    assert k == pytest.approx(1 - np.sqrt(2.0))


def test_ashrae_metrics_and_nan_pairs():
    o = np.array([10.0, 10.0, 10.0, np.nan])
    s = np.array([9.0, 11.0, 8.0, 5.0])
    assert nmbe(o, s) == pytest.approx((1 - 1 + 2) / (3 * 10))
    assert cv_rmse(o, s) == pytest.approx(np.sqrt((1 + 1 + 4) / 3) / 10)
    with pytest.raises(ValueError, match="differ in shape"):
        nse([1, 2], [1])


def test_geh():
    g = geh([100, 0, 400], [100, 0, 300])
    assert g[0] == 0 and g[1] == 0 and g[2] == pytest.approx(np.sqrt(2 * 100**2 / 700))
