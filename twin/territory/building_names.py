"""A building given by its name, as a town hall says it (« Piscine sport-loisirs du Pays de Redon »), or
by its id (« osm:way/122532828 »), as the territory's buildings layer keys it.

An energy manager typed the pool's name where the form asked for ids and read « no gas meter for
building 'Piscine…' » — false: the pool has one. :func:`resolve_buildings` reads each item as an id
when the layer has it, else as a name (case, accents and spaces aside); a name that several buildings
share, or that none has, is refused with what would do (their ids, the names nearest).
"""

from __future__ import annotations

import difflib
import unicodedata

import pandas as pd

from twin.errors import TwinError


class BuildingNameError(TwinError, ValueError):
    """A building name that names no building of the territory, or several."""


def _folded(text: str) -> str:
    """``text`` compared as a person reads it: no accents, no case, single spaces, straight apostrophes
    (« Tribunal d’Instance » as a word processor types it is « Tribunal d'Instance »; « Œuvre » keeps its Œ)."""
    decomposed = unicodedata.normalize("NFKD", str(text).replace("’", "'").replace("‘", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def resolve_buildings(buildings: pd.DataFrame, given: list[str], prefer: set[str] | None = None) -> list[str]:
    """The ids of the buildings ``given`` (ids or names) in the layer ``buildings`` (columns ``id``,
    ``name``), in their order, each once.

    A name several buildings share resolves to the one of ``prefer`` (e.g. the buildings with a gas
    meter) when exactly one of them is; otherwise it is refused, naming their ids. Raises
    :class:`BuildingNameError` (key ``err_building_ambiguous`` or ``err_building_unknown``)."""
    ids = set(buildings["id"].astype(str)) | set(prefer or ())  # a metered building the layer lacks, by its id
    named = buildings.dropna(subset=["name"])
    by_name: dict[str, list[str]] = {}
    for bid, name in zip(named["id"].astype(str), named["name"].astype(str)):
        by_name.setdefault(_folded(name), []).append(bid)
    out: list[str] = []
    for item in given:
        text = str(item).strip()
        if text in ids:
            found = [text]
        else:
            found = by_name.get(_folded(text), [])
            if len(found) > 1 and prefer:
                found = [b for b in found if b in prefer] or found
        if len(found) > 1:
            raise BuildingNameError(f"building {text!r}: {len(found)} buildings have that name "
                                    f"({', '.join(found)}); give the id", key="err_building_ambiguous",
                                    values={"building": text, "count": len(found), "ids": ", ".join(found)})
        if not found:
            # the names that hold what was typed (« Tribunal »), then the nearest spellings
            holding = [n for n in by_name if _folded(text) and _folded(text) in n]
            near = list(dict.fromkeys(holding + difflib.get_close_matches(_folded(text), list(by_name), n=3,
                                                                         cutoff=0.6)))[:3]
            names = [named["name"].astype(str)[named["name"].map(_folded) == n].iloc[0] for n in near]
            raise BuildingNameError(f"building {text!r}: no building has that id or name"
                                    + (f" (nearest names: {', '.join(names)})" if names else ""),
                                    key="err_building_unknown" if names else "err_building_unknown_alone",
                                    values={"building": text, "near": ", ".join(f"« {n} »" for n in names)})
        if found[0] not in out:
            out.append(found[0])
    return out
