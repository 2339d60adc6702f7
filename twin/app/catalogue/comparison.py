"""Strings of the page's comparison part: {key: (French, English)}."""

STRINGS: dict[str, tuple[str, str]] = {
}
