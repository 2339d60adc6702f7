"""A scenario's list typed as a person writes it, not as a Python literal.

An elected official asked to list buildings or rain amounts types « b12; b40 » or « 1,5 ; 2 ; 0 »,
not ``['b12', 'b40']`` or ``[1.5, 2.0, 0.0]``. :func:`read_list` reads such text by the kind of items
the parameter holds (:func:`item_kind`); :func:`write_list` shows a list back the same way, so what
the page shows is what it reads. Text that starts with « [ » is still read as a literal, as before.
"""

from __future__ import annotations

import re

import param

# the lists whose declaration gives no item type: what their items are
UNTYPED_ITEMS = {"add_points": "point", "rain_forecast_mm": "number", "params": "number", "close_bins": "text"}

_SEPARATORS = re.compile(r"[;\n]")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)")
# an English number with thousands commas: « 1,500 », « -12,500.5 »
_ENGLISH_GROUPED = re.compile(r"[-−]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


class ListTextError(ValueError):
    """Text that does not read as a list of the items expected; ``item`` counts from 1 (0: the whole)."""

    def __init__(self, item: int, text: str):
        super().__init__(f"item {item}: {text!r}")
        self.item, self.text = item, text


def item_kind(name: str, p: param.Parameter) -> str | None:
    """What a list parameter holds, as this module reads it: ``"text"``, ``"int"``, ``"name_or_id"``
    (a street name or an OSM way id), ``"number"`` or ``"point"`` ([lon, lat]); None for lists of
    structures (a literal is typed)."""
    if not isinstance(p, param.List):
        return None
    kinds = p.item_type if isinstance(p.item_type, tuple) else (p.item_type,)
    if set(kinds) == {str, int}:
        return "name_or_id"
    if kinds == (str,):
        return "text"
    if kinds == (int,):
        return "int"
    return UNTYPED_ITEMS.get(name) if kinds == (None,) else None


def _number(token: str, lang: str = "fr") -> float:
    """A number written with a minus or « − » and, in French, a decimal point or comma (« 1,5 »); in
    English a comma only groups thousands (« 1,500 » is 1500): there « 1,5 » is no number."""
    token = token.replace("−", "-")
    if lang == "en":
        if "," in token and not _ENGLISH_GROUPED.fullmatch(token):
            raise ValueError(token)
        return float(token.replace(",", ""))
    return float(token.replace(",", "."))


def _split_commas(token: str, lang: str) -> list[str]:
    """A token's items: in French a whole-number list's commas separate (« 0,2,4 »); in English a comma
    inside a token only groups thousands (« 1,500 »), else the token is refused as it is (« 12,5 » would
    be a French decimal or two numbers: not guessed; items are separated by « , » and a space, or « ; »)."""
    return [token] if lang == "en" else token.split(",")


def _pieces(text: str, kind: str, lang: str = "fr") -> list[str]:
    """The items of ``text``: separated by « ; » or new lines; for words, by commas when neither is
    typed; for numbers, by spaces too (in French a comma there is the decimal comma unless a space
    follows it; in English it groups thousands, and a comma and a space separate)."""
    if kind == "point":
        return [s for s in (p.strip() for p in _SEPARATORS.split(text)) if s]
    if kind in ("number", "int"):
        # « 1 000 » is a thousand, as the page's number boxes read it, not the list [1, 0]: a space between
        # a whole group of 1–3 digits and groups of exactly 3 is a thousands separator
        text = _THOUSANDS.sub(lambda m: re.sub(r"[ \u00a0\u202f]", "", m.group(0)), text)
        tokens = re.split(r"[;\n\s]+", text.strip())
        if kind == "int" or lang == "en":
            tokens = [p for tok in tokens for p in _split_commas(tok, lang)]
        return [tok.rstrip(",") for tok in tokens if tok.rstrip(",")]
    parts = _SEPARATORS.split(text) if _SEPARATORS.search(text) else text.split(",")
    return [s for s in (p.strip().strip("'\"«» ").strip() for p in parts) if s]


def read_list(text: str, kind: str, lang: str = "fr") -> list:
    """The list ``text`` holds, its items of ``kind`` (see :func:`item_kind`), its numbers written as
    ``lang`` writes them (:func:`_number`); raises :class:`ListTextError` naming the first item that
    is not one."""
    out: list = []
    for i, piece in enumerate(_pieces(text, kind, lang), start=1):
        try:
            if kind == "number":
                out.append(_number(piece, lang))
            elif kind == "int":
                if lang == "en" and "," in piece and not _ENGLISH_GROUPED.fullmatch(piece):
                    raise ValueError(piece)
                out.append(int(piece.replace(",", "") if lang == "en" else piece))
            elif kind == "point":
                coords = [c for c in re.split(r"\s+|,\s+", piece.replace("(", " ").replace(")", " ").strip()) if c]
                if len(coords) == 1 and coords[0].count(",") == 1 and "." in coords[0]:
                    coords = coords[0].split(",")  # « -2.08,47.65 »; « -2,09 » is one number, not a point
                if len(coords) != 2:
                    raise ValueError(piece)
                out.append([_number(c, lang) for c in coords])
            elif kind == "name_or_id":
                out.append(int(piece) if piece.isdigit() else piece)
            else:
                out.append(piece)
        except ValueError:
            raise ListTextError(i, piece) from None
    return out


def _shown_number(x: float, lang: str) -> str:
    text = f"{x:g}" if abs(x) < 1e15 else repr(x)
    if float(text) != x:  # %g keeps 6 digits: a longer number is written whole
        text = repr(float(x))
    return text.replace(".", ",") if lang == "fr" else text


def write_list(value: list, kind: str, lang: str = "fr") -> str:
    """``value`` as :func:`read_list` reads it back (numbers with the page's decimal mark)."""
    if kind == "number":
        return " ; ".join(_shown_number(float(x), lang) for x in value) if lang == "fr" else \
            "; ".join(_shown_number(float(x), lang) for x in value)
    if kind == "point":
        return "; ".join(" ".join(_shown_number(float(c), lang) for c in p) for p in value)
    if kind == "int":
        return ", ".join(str(int(x)) for x in value)
    text = "; ".join(str(x) for x in value)
    # one name holding a comma (« Rue de la Paix, Nord »): a « ; » keeps it whole when read back
    return text + ";" if len(value) == 1 and "," in text else text
