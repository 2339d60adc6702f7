"""The errors a user can cause with bad input; the CLI and the app print their message without a traceback.

A leaf module: it imports nothing from twin at import time, so a module of any layer can derive
its user errors from :class:`TwinError` (``class ScenarioError(TwinError, ValueError)``: callers
that catch ``ValueError`` still do).
"""

from __future__ import annotations


class TwinError(Exception):
    """A user-caused error (a file, a line, a parameter, a sensor id that cannot be used) whose
    message the CLI and the app show without a traceback; the message names what is wrong and where."""


USER_ERRORS = (TwinError, FileNotFoundError)
"""What the CLI and the app catch to show a message instead of a traceback."""
