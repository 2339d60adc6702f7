"""Strings of the page's forms part: {key: (French, English)}."""

STRINGS: dict[str, tuple[str, str]] = {
}
