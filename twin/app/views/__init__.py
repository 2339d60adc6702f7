"""One result view per scenario family (map overlays and time series), read from the ``Outcome``.

The views' own strings (keys ``res_*``) live in :mod:`twin.app.catalogue.results`, merged into the
catalogue with every other part.
"""
