"""The interface's catalogue of strings, one module per part of the page (French first, English second).

:mod:`twin.app.i18n` holds the page's core strings and merges these in: one catalogue for
:func:`twin.app.i18n.t`, kept in several files so each part of the page owns its words. A key
defined twice is refused at import (a silent override would show one part's words in another).
"""

from __future__ import annotations

from importlib import import_module

PARTS = ("forms", "comparison", "workshop", "orientation", "results", "alerts", "osm", "run_details")


def strings() -> dict[str, tuple[str, str]]:
    """Every part's strings, {key: (French, English)}; a key two parts define is an error."""
    out: dict[str, tuple[str, str]] = {}
    for part in PARTS:
        for key, pair in import_module(f"twin.app.catalogue.{part}").STRINGS.items():
            if key in out:
                raise KeyError(f"twin.app.catalogue.{part}: string {key!r} is already defined by another part")
            out[key] = pair
    return out
