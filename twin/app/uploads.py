"""What a browser may send the app: scenarios that name no server file, and files as content.

The app reads no server file named by a browser. A scenario parameter that holds a path
(``booking_ics`` of the heating family, ``rain_forecast_file`` of the flood family,
``events_ics`` inside a lighting schedule, …) is refused when a scenario is uploaded and when it is run; calendars and lamp
inventories are uploaded as content and parsed in memory (:func:`twin.sources.ics.read_ics_text`,
:func:`twin.sources.lamp_inventory.read_lamp_inventory_text`). The refusal names the parameter,
never anything of the file.
"""

from __future__ import annotations

import json
import math
import re

# parameters (at any depth of a scenario's JSON) that name a file on the machine running the model.
# Listed from twin/scenarios/*.py: heating.booking_ics, flood.rain_forecast_file, lighting's schedule
# "events_ics"; the suffix rule catches the ones a family may add later (…_file, …_path, …_csv, …_ics)
PATH_KEYS = frozenset({"booking_ics", "events_ics", "rain_forecast_file", "inventory", "lamp_inventory"})
PATH_SUFFIX = re.compile(r"(_ics|_file|_path|_csv|_geojson|_dir|inventory)$")
CONTENT_KEYS = frozenset({"booking_ics_text"})  # the content twins of path parameters: allowed

# what to do instead, per path parameter (French, English)
INSTEAD = {
    "booking_ics": ("déposez le calendrier lui-même avec le bouton « Calendrier de réservations (.ics ou tableur .csv) »",
                    "upload the calendar itself with the “Booking calendar (.ics or spreadsheet .csv)” button"),
    "rain_forecast_file": ("donnez la pluie prévue heure par heure dans « rain_forecast_mm » (une liste de mm/h)",
                           "give the forecast rain hour by hour in “rain_forecast_mm” (a list of mm/h)"),
    "events_ics": ("le calendrier d'événements d'un horaire d'éclairage ne se dépose pas encore dans "
                   "l'application : utilisez la ligne de commande (twin run) sur votre poste",
                   "an event calendar in a lighting schedule cannot be uploaded in the app yet: use the "
                   "command line (twin run) on your own computer"),
}
DEFAULT_INSTEAD = ("déposez le fichier lui-même avec le bouton prévu (calendrier .ics, inventaire des "
                   "lampadaires .csv)", "upload the file itself with its button (calendar .ics, lamp "
                   "inventory .csv)")


def server_file_parameters(spec) -> list[str]:
    """Where ``spec`` (a scenario's parameters, nested dicts and lists) names a file: the paths to
    those entries, e.g. ``["booking_ics", "rules[0].schedule.events_ics"]``. Empty values name nothing.

    >>> server_file_parameters({"family": "heating", "booking_ics": "/etc/os-release"})
    ['booking_ics']
    >>> server_file_parameters({"booking_ics": "", "booking_ics_text": "BEGIN:VCALENDAR"})
    []
    """
    found: list[str] = []

    def walk(x, where: str):
        if isinstance(x, dict):
            for k, v in x.items():
                key = str(k)
                here = f"{where}.{key}" if where else key
                if key not in CONTENT_KEYS and (key in PATH_KEYS or PATH_SUFFIX.search(key)) and v not in ("", None, [], {}):
                    found.append(here)
                else:
                    walk(v, here)
        elif isinstance(x, (list, tuple)):
            for i, v in enumerate(x):
                walk(v, f"{where}[{i}]")

    walk(spec, "")
    return found


def refusal(found: list[str], lang: str = "fr") -> str:
    """The message of a scenario that names server files: which parameters, and what to do instead.
    It never says the value (a path) nor anything of the file."""
    last = {w.rsplit(".", 1)[-1].split("[", 1)[0] for w in found}
    instead = [INSTEAD[k][lang == "en"] for k in sorted(last) if k in INSTEAD] or [DEFAULT_INSTEAD[lang == "en"]]
    names = ", ".join(found)
    if lang == "en":
        return (f"This scenario names a file of the server ({names}): the app reads no server file named by a "
                f"browser. {_sentence(instead)}")
    return (f"Ce scénario nomme un fichier du serveur ({names}) : l'application ne lit aucun fichier du serveur "
            f"désigné par un navigateur. {_sentence(instead)}")


def _sentence(parts: list[str]) -> str:
    text = " ; ".join(parts)
    return text[0].upper() + text[1:] + "."



def json_depth(x) -> int:
    """How deep ``x`` (parsed JSON) nests: 0 for a number or a text, 1 for ``[]`` or ``{}``.
    Walked with a list, not by recursion: a bomb nested 900 levels deep must not exhaust Python's stack."""
    deepest, todo = 0, [(x, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            todo.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            todo.extend((v, depth + 1) for v in item)
    return deepest


def read_upload(raw: bytes, name: str, lang: str = "fr", limit: int | None = None) -> str:
    """The text of an uploaded file, or ValueError saying (in ``lang``) why it is refused: above
    ``limit`` bytes (default :data:`twin.app.security.MAX_UPLOAD_BYTES`), or not UTF-8."""
    from twin.app.i18n import fmt_number, t  # noqa: PLC0415
    from twin.app.security import MAX_UPLOAD_BYTES  # noqa: PLC0415

    limit = MAX_UPLOAD_BYTES if limit is None else limit
    if len(raw) > limit:
        # rounded up: a file one byte over 5 Mo must not read "5 Mo, plus que 5 Mo"
        raise ValueError(t("too_big", lang, file=name, size=fmt_number(math.ceil(len(raw) / 1e5) / 10, lang),
                           limit=fmt_number(limit / 1e6, lang)))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(t("not_utf8", lang, file=name)) from None


def read_scenario_upload(raw: bytes, name: str, lang: str = "fr") -> dict:
    """An uploaded scenario file as a dict, or ValueError saying (in ``lang``) why it is refused:
    too large, not UTF-8, not JSON (its error named), a number too long for Python (over 4 300
    digits), nested deeper than :data:`twin.app.security.MAX_JSON_DEPTH`, or not an object. A JSON
    bomb (``[[[[…]]]]`` thousands deep, or a huge file) is refused with a message, not a traceback."""
    from twin.app.i18n import t  # noqa: PLC0415
    from twin.app.security import MAX_JSON_DEPTH  # noqa: PLC0415

    text = read_upload(raw, name, lang)
    try:
        spec = json.loads(text)
    except RecursionError:  # deeper than the parser's stack: a bomb, not a scenario
        raise ValueError(t("too_deep", lang, file=name, depth=MAX_JSON_DEPTH)) from None
    except json.JSONDecodeError as exc:
        raise ValueError(t("not_json", lang, file=name, why=f"{exc.msg}, ligne {exc.lineno} colonne {exc.colno}"
                           if lang == "fr" else f"{exc.msg}, line {exc.lineno} column {exc.colno}")) from None
    except ValueError as exc:  # e.g. an integer of more than 4 300 digits
        raise ValueError(t("not_json", lang, file=name, why=str(exc)[:200])) from None
    if json_depth(spec) > MAX_JSON_DEPTH:
        raise ValueError(t("too_deep", lang, file=name, depth=MAX_JSON_DEPTH))
    if not isinstance(spec, dict):
        raise ValueError(t("not_object", lang, file=name))
    return spec
