"""A user error said in the page's language (issue 17: English messages of the model reached the page).

The model's errors are written in English for the command line. One a user can cause from the form
carries a message key and its values (:class:`twin.errors.TwinError` ``key`` / ``values``, set where
it is raised in :mod:`twin.scenarios`); :func:`user_message` renders that key from the catalogue
(``err_*`` strings, :mod:`twin.app.catalogue.orientation`) with its values made readable in the
page's language — a parameter by its label (:func:`twin.app.i18n.field_label`: its unit the form's), a
place category by its French name, a number with French separators, a parameter value param refused by the reason the
form itself gives (:func:`twin.app.fields.refusal`). An error without a key (or with a key the
catalogue lacks) keeps its own message: nothing is hidden, only translated when it can be.
"""

from __future__ import annotations

import numbers

from twin.app.i18n import STRINGS, family_label, field_label, fmt_number, t

VERBATIM = frozenset({"year", "item", "count", "line", "column", "byte", "depth"})
"""Values written as they are: a year, a position (1 995 would not be a year, nor line 1 234 a line)."""


def _scenario_class(family):
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    return SCENARIOS.get(family)


def _label(name: str, family: str | None, lang: str) -> str:
    """A parameter's label in ``lang`` (with its unit when the family declares it)."""
    cls = _scenario_class(family) if family else None
    doc = cls.param[name].doc if cls is not None and name in cls.param else None
    if doc is None:  # a parameter named without its family: the first family that declares it
        from twin.scenarios import SCENARIOS  # noqa: PLC0415

        doc = next((c.param[name].doc for c in SCENARIOS.values() if name in c.param), None)
    return field_label(name, doc, lang)


def _category(cat: str, lang: str) -> str:
    key = f"err_cat_{cat}"
    return t(key, lang) if key in STRINGS else str(cat)


def _why_param(family: str, name: str, value, lang: str) -> str:
    """Why the declaration of ``family``'s parameter ``name`` refuses ``value``, in ``lang``."""
    import param  # noqa: PLC0415

    from twin.app.fields import refusal, shown  # noqa: PLC0415

    cls = _scenario_class(family)
    p = cls.param[name] if cls is not None and name in cls.param else None
    if p is None:
        return t("err_param_refused", lang, value=shown(value, lang))
    if isinstance(p, param.Selector) and not isinstance(p, param.ListSelector):
        return t("err_param_options", lang, value=shown(value, lang),
                 options=", ".join(str(o) for o in p.objects))
    if isinstance(p, param.String) and not isinstance(value, str):
        return t("err_param_text", lang, value=shown(value, lang))
    _, why = refusal(p, name, value, lang)
    return why or t("err_param_refused", lang, value=shown(value, lang))


def _values(key: str, values: dict, lang: str) -> dict:
    """The error's values made readable in ``lang``; placeholders of the catalogue's message."""
    out = {}
    family = values.get("family")
    for k, v in values.items():
        if k in ("parameter", "name", "low", "high") and isinstance(v, str):  # parameters, by their labels
            out[k] = _label(v, family if key == "err_param" else None, lang)
        elif k == "category":
            out[k] = _category(v, lang)
        elif k == "categories":
            out[k] = ", ".join(_category(c, lang) for c in v) if v else "—"
        elif k == "kind":
            out[k] = t(f"err_json_{v}", lang) if f"err_json_{v}" in STRINGS else str(v)
        elif k == "family":
            out[k] = family_label(str(v), lang)
        elif k == "weekend":  # a lighting schedule's Friday and Saturday windows, or its other nights
            out[k] = t("err_schedule_weekend", lang) if v else ""
        elif k == "parts":  # parts of streets (twin.territory.street_parts): by street and nodes, not as tokens
            out[k] = ", ".join(t("err_part_nodes", lang, street=street, u=u, v=w) for street, u, w in v)
        elif k in ("cause_key", "cause_values"):  # another error's key, said as {cause} below
            continue
        elif k in VERBATIM:
            out[k] = str(v)
        elif isinstance(v, numbers.Real) and not isinstance(v, bool):
            out[k] = fmt_number(v, lang)
        else:
            out[k] = v
    if key == "err_param":
        out["why"] = _why_param(family, values.get("name"), values.get("value"), lang)
    if values.get("cause_key"):
        # an error raised inside another (a lighting rule's schedule): its own message, in ``lang``;
        # the caller keeps the English one when the cause cannot be said
        cause = _render(values["cause_key"], dict(values.get("cause_values") or {}), lang)
        if cause is None:
            raise KeyError(values["cause_key"])
        out["cause"] = cause
    return out


def _render(key: str, values: dict, lang: str) -> str | None:
    """The catalogue's message ``key`` with ``values``, in ``lang``; None when the catalogue lacks the
    key or the values do not fit it."""
    if not key or key not in STRINGS:
        return None
    try:
        return t(key, lang, **_values(key, values, lang))
    except (KeyError, IndexError, ValueError):
        return None


def user_message(exc: BaseException, lang: str = "fr") -> str:
    """The message of a user error ``exc`` in ``lang``: its catalogue message when it carries a key
    the catalogue knows, else its own text (the English of the command line).

    A value ``origin`` (where the error was found: a scenario file, or a parameter holding another
    scenario's parameters, such as flood-detours' ``flood``) prefixes the message. Values ``cause_key``
    and ``cause_values`` (the key and values of the error that caused this one, e.g. a lighting rule's
    schedule fault, :class:`twin.models.lighting.ScheduleError`) fill its placeholder ``{cause}``."""
    key = getattr(exc, "key", None)
    values = dict(getattr(exc, "values", {}) or {})
    text = _render(key, values, lang)
    if text is None:  # no key, a key the catalogue lacks, or values that do not fit it: say it as it was
        return str(exc)
    origin = values.get("origin")
    if origin and origin != "<dict>":
        if any(origin in c.param for c in _all_classes()):  # a parameter: its label
            text = t("err_in_parameter", lang, parameter=_label(origin, None, lang), message=text)
        else:  # a file: its name as given
            text = t("err_in_file", lang, origin=origin, message=text)
    return text


def _all_classes():
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    return SCENARIOS.values()
