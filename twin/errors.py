"""The errors a user can cause with bad input; the CLI and the app print their message without a traceback.

A leaf module: it imports nothing from twin at import time, so a module of any layer can derive
its user errors from :class:`TwinError` (``class ScenarioError(TwinError, ValueError)``: callers
that catch ``ValueError`` still do).
"""

from __future__ import annotations


class TwinError(Exception):
    """A user-caused error (a file, a line, a parameter, a sensor id that cannot be used) whose
    message the CLI and the app show without a traceback; the message names what is wrong and where."""


# Transitional. Five user errors are defined in modules other sessions are editing and do not derive from
# TwinError yet; until they do, USER_ERRORS names them, imported only when USER_ERRORS is first read (at
# import time this module stays a leaf: a module that imports TwinError must not import them back).
# When all five derive from TwinError, this whole block becomes: USER_ERRORS = (TwinError, FileNotFoundError)
def __getattr__(name: str):
    if name != "USER_ERRORS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from twin.ensemble import EnsembleError  # noqa: PLC0415
    from twin.sources.bin_records import BinRecordsError  # noqa: PLC0415
    from twin.sources.lamp_inventory import InventoryError  # noqa: PLC0415
    from twin.sources.osm import OsmFileError  # noqa: PLC0415
    from twin.territory import TerritoryBuildError  # noqa: PLC0415

    pending = tuple(c for c in (EnsembleError, BinRecordsError, InventoryError, OsmFileError, TerritoryBuildError)
                    if not issubclass(c, TwinError))
    globals()["USER_ERRORS"] = value = (TwinError, FileNotFoundError, *pending)
    return value
