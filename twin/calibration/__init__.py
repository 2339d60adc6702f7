"""Calibration: goodness-of-fit metrics and, per model, calibrators that fit parameters to sensor history."""

from twin.calibration.metrics import cv_rmse, geh, kge, nmbe, nse, rmse

__all__ = ["cv_rmse", "geh", "kge", "nmbe", "nse", "rmse",
           "buildings", "hydro_inputs", "hydrology", "lighting", "metrics", "traffic"]  # submodules, for the API reference
