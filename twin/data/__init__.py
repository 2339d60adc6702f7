"""Data shipped with the package: ``factors.csv``, the sourced economic and emission factors (:mod:`twin.economics`)."""
