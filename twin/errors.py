"""The errors a user can cause with bad input; the CLI and the app print their message without a traceback.

A leaf module: it imports nothing from twin at import time, so a module of any layer can derive
its user errors from :class:`TwinError` (``class ScenarioError(TwinError, ValueError)``: callers
that catch ``ValueError`` still do).
"""

from __future__ import annotations


MAX_MESSAGE_CHARS = 2000
"""Longest error message kept: a value echoed from a file (a 1 GB CSV field, a long WKT) must not
become a message of that size, in memory, in a terminal or in a page."""


def bounded(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how many were left out."""
    if len(text) > limit:
        text = f"{text[:limit]} … ({len(text) - limit:,} characters more not shown)"
    return text


class TwinError(Exception):
    """A user-caused error (a file, a line, a parameter, a sensor id that cannot be used) whose
    message the CLI and the app show without a traceback; the message names what is wrong and where.

    Its message is bounded (:func:`bounded`) when the error is made, whatever a subclass echoes.

    ``key`` and ``values`` (optional, keyword-only) say the same thing for a page in another language:
    ``key`` names a message of the app's catalogue (``err_…``, :mod:`twin.app.catalogue.orientation`)
    and ``values`` fill its placeholders (plain values: names, numbers, the text the user gave). The
    CLI prints the English message (``str(exc)``); the app shows the catalogue's message in the page's
    language (:func:`twin.app.i18n_errors.user_message`), the English one when the key is unknown.
    Both survive pickling (a run's error comes back from a worker process): they live in the
    instance's ``__dict__``, which :meth:`BaseException.__reduce__` carries.
    """

    key: str | None = None
    values: dict = {}

    def __init__(self, *args, key: str | None = None, values: dict | None = None):
        if len(args) == 1 and isinstance(args[0], str):
            args = (bounded(args[0]),)
        super().__init__(*args)
        if key is not None:
            self.key = key
            self.values = dict(values or {})


USER_ERRORS = (TwinError, FileNotFoundError)
"""What the CLI and the app catch to show a message instead of a traceback."""
