"""Strings of the page's orientation part: {key: (French, English)}."""

STRINGS: dict[str, tuple[str, str]] = {
}
