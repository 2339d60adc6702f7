"""Base Adresse Nationale (BAN) addresses, the CSV files of adresse.data.gouv.fr (``adresses-<dép>.csv[.gz]``).

``;``-separated, UTF-8, one row per address: ``numero``, ``rep`` (« bis », « ter », « b »…),
``nom_voie``, ``code_postal``, ``code_insee``, ``nom_commune``, ``x`` / ``y`` (Lambert-93, EPSG:2154,
in metropolitan France) and ``lon`` / ``lat`` (WGS84). The position is taken from ``lon`` / ``lat``
(valid everywhere, overseas included), else from ``x`` / ``y`` read as Lambert-93. A row whose
position or street is missing, or whose coordinates are out of range, is an error naming the line and
the field; nothing is read then. Returns a GeoDataFrame (WGS84) with ``address`` (« 3 bis Rue du
Port, 35600 Redon »), ``code_insee`` and the file's ``line``.

The BAN is published under « Licence Ouverte / Open Licence » Etalab 2.0: :data:`ATTRIBUTION`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from twin.sources.provider_files import ProviderFileError, numbers, read_bytes, read_table, require, rows_text

ATTRIBUTION = "Base Adresse Nationale, Licence Ouverte Etalab 2.0"


def read_ban(path) -> gpd.GeoDataFrame:
    """The addresses of a BAN CSV file, as points in WGS84 with their postal text."""
    df = read_table(path, read_bytes(path, "BAN address file"), sep=";")
    if df.empty:
        raise ProviderFileError(f"{path}: no address in the file")
    require(df, path, ["numero", "nom_voie"], "a BAN file: numero, rep, nom_voie, code_postal, nom_commune, "
                                              "lon, lat or x, y")
    if {"lon", "lat"} <= set(df.columns):
        lon, lat = numbers(df, "lon", path, allow_empty=False), numbers(df, "lat", path, allow_empty=False)
        bad = (np.abs(lon) > 180) | (np.abs(lat) > 90)
        if bad.any():
            raise ProviderFileError(f"{path}: {rows_text(df, bad)}: lon / lat out of range (WGS84 degrees; x / y are "
                                    "the Lambert-93 metres)")
        points = gpd.points_from_xy(lon, lat, crs="EPSG:4326")
    elif {"x", "y"} <= set(df.columns):
        x, y = numbers(df, "x", path, allow_empty=False), numbers(df, "y", path, allow_empty=False)
        bad = (x < 0) | (x > 1.3e6) | (y < 6.0e6) | (y > 7.2e6)
        if bad.any():
            raise ProviderFileError(f"{path}: {rows_text(df, bad)}: x / y outside metropolitan Lambert-93 (EPSG:2154)")
        points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs="EPSG:2154").to_crs("EPSG:4326").values
    else:
        raise ProviderFileError(f"{path}: line 1 lacks lon / lat or x / y (the address's position)")
    street = df["nom_voie"].str.strip()
    empty = street == ""
    if empty.any():
        raise ProviderFileError(f"{path}: {rows_text(df, empty)}: empty nom_voie (the street's name)")

    def col(name):
        return df[name].str.strip() if name in df else pd.Series("", index=df.index)

    number = (col("numero").str.replace(r"^0+(?=\d)", "", regex=True) + " " + col("rep")).str.strip()
    town = (col("code_postal") + " " + col("nom_commune")).str.strip()
    text = (number.where(number.isin(["", "99999"]) == False, "") + " " + street).str.strip()  # noqa: E712
    address = text.where(town == "", text + ", " + town)
    return gpd.GeoDataFrame({"address": address.to_numpy(), "code_insee": col("code_insee").to_numpy(),
                             "line": np.arange(len(df)) + 2}, geometry=points, crs="EPSG:4326")
