"""Strings of the page's workshop part: {key: (French, English)}."""

STRINGS: dict[str, tuple[str, str]] = {
}
