"""One result view per scenario family (map overlays and time series), read from the ``Outcome``.

Importing the package makes sure the result views' own strings (:mod:`twin.app.catalogue.results`,
keys ``res_*``) are in the catalogue: until ``"results"`` is one of :data:`twin.app.catalogue.PARTS`,
they are merged here, under the same rule (a key already defined, with other words, is refused).
"""

from __future__ import annotations


def _register_results_part() -> None:
    from twin.app import i18n  # noqa: PLC0415
    from twin.app.catalogue import PARTS, results  # noqa: PLC0415

    if "results" in PARTS:  # merged by twin.app.i18n with every other part
        return
    for key, pair in results.STRINGS.items():
        if i18n.STRINGS.setdefault(key, pair) != pair:
            raise KeyError(f"twin.app.catalogue.results: string {key!r} is already defined elsewhere")


_register_results_part()
