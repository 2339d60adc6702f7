"""Which reader a sensor file needs, told from its content (``twin sensors import --format auto``).

The providers' files say who wrote them in their first lines: Enedis' preamble (``Identifiant PRM``)
or table header (``Horodate;…``), Météo-France's ``NUM_POSTE``, GRDF's ``journeeGaziere`` /
``energieConsomme``, Hub'Eau's ``code_station`` / ``grandeur_hydro``, Vigicrues' ``"Serie"`` with
``ObssHydro``, SensorThings' ``@iot.id`` / ``Datastreams``, NGSI's ``urn:ngsi-ld:`` ids, ``@context``,
``observedAt`` or ``metadata``. Anything else is twin's own CSV layouts (``time, value`` or long / wide tables).
"""

from __future__ import annotations

import re

from twin.sources.provider_files import read_bytes

FORMATS = ("bay-status", "csv", "enedis", "grdf", "hubeau", "meteofrance", "ngsi", "sensorthings", "traffic-counts",
           "vigicrues")
_HEAD_BYTES = 64 * 1024


def detect_format(path) -> str:
    """The format of the file at ``path``: one of :data:`FORMATS` (``csv`` when no provider is recognised).

    Raises :class:`twin.sources.provider_files.ProviderFileError` for a file that cannot be read."""
    head = read_bytes(path, "sensor file")[:_HEAD_BYTES].decode("utf-8-sig", errors="replace")
    stripped = head.lstrip()
    if stripped[:1] in "{[":
        if re.search(r'"(journeeGaziere|energieConsomme|volumeBrutConsomme)"', head):
            return "grdf"
        if '"Serie"' in head and "ObssHydro" in head:
            return "vigicrues"
        if re.search(r'"(code_station|grandeur_hydro|resultat_obs)', head):
            return "hubeau"
        if re.search(r'"(@iot\.id|@iot\.nextLink|Datastreams|ObservedProperty|phenomenonTime)"', head):
            return "sensorthings"
        if '"id"' in head and '"type"' in head and re.search(r'urn:ngsi-ld:|"@context"|"observedAt"|"metadata"|'
                                                           r'"dateObserved"', head):
            return "ngsi"
        return "csv"
    lines = [line.strip().lower() for line in head.splitlines()[:20]]
    first = lines[0] if lines else ""
    if "num_poste" in first:
        return "meteofrance"
    if any(line.startswith(("identifiant prm", "horodate;")) for line in lines):
        return "enedis"
    if "code_station" in first or "grandeur_hydro" in first:
        return "hubeau"
    cells = {c.strip() for c in re.split(r"[;,]", first)}
    if cells & {"iu_ac", "t_1h", "tmja", "identifiant arc", "débit horaire"}:
        return "traffic-counts"
    from twin.sources.parking_bays import is_bay_status  # noqa: PLC0415

    header = {c.strip().strip('"') for c in re.split(r"[;,]", stripped.splitlines()[0])} if stripped else set()
    if is_bay_status(header):  # on-street bay sensors (twin.sources.parking_bays)
        return "bay-status"
    return "csv"


def read_provider(fmt: str, path, *, sensor: str | None = None):
    """The :class:`twin.sources.provider_files.ProviderBatch` of a provider's file in format ``fmt`` (one of
    :data:`FORMATS` but ``csv``; ``ngsi-ld`` too); ``sensor``: the name of the file's sensor
    (:meth:`~twin.sources.provider_files.ProviderBatch.named`; a GRDF file's PCE too when it lacks one)."""
    from twin.sources.enedis import read_enedis  # noqa: PLC0415
    from twin.sources.grdf import read_grdf  # noqa: PLC0415
    from twin.sources.hubeau import read_hubeau  # noqa: PLC0415
    from twin.sources.meteofrance import read_meteofrance  # noqa: PLC0415
    from twin.sources.ngsi import read_ngsi  # noqa: PLC0415
    from twin.sources.sensorthings import read_sensorthings  # noqa: PLC0415
    from twin.sources.parking_bays import read_bay_status  # noqa: PLC0415
    from twin.sources.traffic_counts import read_traffic_counts  # noqa: PLC0415
    from twin.sources.vigicrues import read_vigicrues  # noqa: PLC0415

    if fmt == "grdf":
        return read_grdf(path, pce=sensor).named(sensor)
    if fmt == "enedis":
        return read_enedis(path, prm=sensor).named(sensor)
    readers = {"enedis": read_enedis, "hubeau": read_hubeau, "vigicrues": read_vigicrues, "ngsi": read_ngsi,
               "ngsi-ld": read_ngsi, "sensorthings": read_sensorthings, "meteofrance": read_meteofrance,
               "traffic-counts": read_traffic_counts, "bay-status": read_bay_status}
    if fmt not in readers:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(sorted(readers))})")
    return readers[fmt](path).named(sensor)
