"""One result view per scenario family (map overlays and time series), read from the ``Outcome``."""
