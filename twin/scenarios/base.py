"""The scenario contract: parameters declared once, ``run(territory) -> Outcome``.

Parameters are ``param`` declarations (type, bounds, default, help); their unit
goes in square brackets at the start of ``doc`` (``doc="[m] buffer around …"``).
The CLI, the app's widgets (Panel renders ``param.Parameterized``) and
validation all come from that one declaration.

Scenario data is checked before anything runs (:func:`read_scenario_spec`, :meth:`Scenario.from_dict`):

* a scenario file is at most :data:`MAX_SCENARIO_BYTES` (1 MB), a JSON object (not a list, a number…)
  nested at most :data:`MAX_JSON_DEPTH` (32) levels deep;
* every parameter is checked against its declaration (type, bounds, list lengths) and the family's
  :meth:`Scenario.validate` (e.g. a parsable ``forecast_time``, four GR4 parameters, the run's size
  budget); an error names the parameter and what was expected, as a :class:`ScenarioError`;
* a parameter naming a file (``booking_ics``, ``rain_forecast_file``, a schedule's ``events_ics``) is
  opened only when it lies under an input directory (:mod:`twin.sources.safe_files`: the scenario
  file's directory, ``TWIN_INPUT_DIRS`` / ``--inputs``, else the working directory), is a regular file
  and at most 50 MB; no error quotes a file's content.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import param

from twin.errors import TwinError
from twin.outcome import Outcome

_UNIT = re.compile(r"^\[([^\]]+)\]\s*")
_PARAM_NAMED = re.compile(r"parameter '(?:\w+\.)?(\w+)'")  # how param names the parameter it refuses
MAX_SCENARIO_BYTES = 1_000_000
"""Largest scenario file read (bytes); the largest real one, a lighting plan of a few dozen rules, is ~10 kB."""
MAX_JSON_DEPTH = 32
"""Deepest nesting of objects and lists in a scenario file (a lighting rule is 5 levels deep)."""


class ScenarioError(TwinError, ValueError):
    """Invalid scenario parameters or a scenario that cannot run on this territory."""


class Scenario(param.Parameterized):
    """Base of every scenario family. Subclasses declare parameters and implement :meth:`run`."""

    family: str = "scenario"
    read_when: dict = {}
    """{parameter: the cases it is read in}, each case {other parameter: its values}, all of them met; a
    parameter not listed is always read. The app shows such a field only then (:mod:`twin.app.builder_fields`),
    and a file that sets it outside them is refused (:meth:`unread_given`)."""

    def __init__(self, **params):
        try:  # param's own checks (bounds, types) as ScenarioError: a user error, said without a traceback
            super().__init__(**params)
        except (ValueError, TypeError) as exc:
            # the parameter and value refused, so that a page can say why in its own language
            m = _PARAM_NAMED.search(str(exc))
            name = m.group(1) if m and m.group(1) in params else None
            raise ScenarioError(plain_param_error(exc, name, params.get(name)), **({"key": "err_param", "values": {
                "family": self.family, "name": name, "value": params[name]}} if name else {})) from None
        for name, p in self.param.objects("existing").items():  # param takes true/false for a number
            if isinstance(p, param.Number) and isinstance(getattr(self, name), bool):
                raise ScenarioError(f"{name}: expected a number, got {str(getattr(self, name)).lower()}",
                                    key="err_param", values={"family": self.family, "name": name,
                                                             "value": getattr(self, name)})
        self.validate()

    def validate(self) -> None:
        """Checks a declaration cannot say (formats, list contents, the run's size budget); raises
        :class:`ScenarioError` naming the parameter. Run at construction; families override it."""

    def run(self, territory) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def unread(cls, values: dict) -> list[str]:
        """The parameters of :attr:`read_when` whose cases ``values`` (a parameter mapping; a name missing is
        its default) miss: the run ignores them, whatever they hold."""
        def value(name):
            return values[name] if name in values else cls.param[name].default

        return [name for name, cases in cls.read_when.items()
                if not any(all(value(on) in wanted for on, wanted in case.items()) for case in cases)]

    def unread_given(self) -> list[str]:
        """The parameters of :meth:`unread` set away from their default: the run would ignore them (a rain
        forecast beside rain 'ensemble' changed nothing, said nothing)."""
        values = self.param.values()
        return [name for name in self.unread(values) if values[name] != self.param[name].default]

    @classmethod
    def from_dict(cls, values: dict, origin: str = "<dict>", base_dir: str | Path | None = None,
                  strict: bool = True) -> "Scenario":
        """Build from a mapping, with a clear error on unknown names or invalid values.

        Parameters naming files are checked and replaced by their absolute paths
        (:func:`twin.sources.safe_files.resolve_file_parameters`; ``base_dir``: the scenario file's
        directory, where relative paths are read and which counts as an input directory).
        ``strict``: a parameter the other values make the run ignore (:meth:`unread_given`) is refused
        (a file, an upload, an ensemble's or a sweep's spec say what they want); a variant the app saved
        (``strict=False``) may hold a hidden field's value and reopens as it ran.
        """
        from twin.sources.safe_files import resolve_file_parameters  # noqa: PLC0415

        if not isinstance(values, dict):
            raise ScenarioError(f"{origin}: a scenario is a JSON object {{\"family\": …, parameters…}}, "
                                f"got {_json_kind(values)}", key="err_not_object",
                                values={"origin": origin, "kind": _json_code(values)})
        known = {k for k in cls.param if k != "name"}
        unknown = set(values) - known - {"family"}
        if unknown:
            names = sorted(_short(k, 40) for k in map(str, unknown))
            raise ScenarioError(f"{origin}: unknown parameter(s) {names[:10]}{' …' if len(names) > 10 else ''} "
                                f"for {cls.family} (known: {sorted(known)})", key="err_unknown_params",
                                values={"origin": origin, "family": cls.family,
                                        "names": ", ".join(map(repr, names[:10])) + (" …" if len(names) > 10 else ""),
                                        "known": ", ".join(sorted(known))})
        try:
            values = resolve_file_parameters(values, base_dir)
            scenario = cls(**{k: v for k, v in values.items() if k != "family"})
        except (ValueError, TypeError) as exc:  # param raises TypeError for a wrong item type
            key = getattr(exc, "key", None)  # a keyed error keeps its key, and says where it comes from
            raise ScenarioError(f"{origin}: {_short(exc)}", **({"key": key, "values": {**exc.values, "origin": origin}}
                                                              if key else {})) from None
        unread = scenario.unread_given() if strict else []
        if unread:
            def cases(name):
                return " or ".join(", ".join(f"{on} {'/'.join(str(v) if v != '' else 'empty' for v in vals)}"
                                             for on, vals in case.items())
                                   for case in cls.read_when[name])

            said = "; ".join(f"{name} is read only with {cases(name)}" for name in unread)
            raise ScenarioError(f"{origin}: {said}: remove it or set what reads it (as given, the run would "
                                "ignore it)", key="err_unread_params", values={"origin": origin, "names": ", ".join(unread)})
        return scenario

    @classmethod
    def parameters_table(cls) -> pd.DataFrame:
        """name, type, default, bounds, unit, help — for docs, CLI help and the app."""
        rows = []
        for name, p in cls.param.objects("existing").items():
            if name == "name":
                continue
            doc = p.doc or ""
            m = _UNIT.match(doc)
            rows.append({"name": name, "type": type(p).__name__, "default": p.default,
                         "bounds": getattr(p, "bounds", None) or getattr(p, "objects", None),
                         "unit": m.group(1) if m else "", "help": _UNIT.sub("", doc)})
        return pd.DataFrame(rows)


def _json_code(x) -> str:
    """The kind of a parsed JSON value, as a code (object, list, string, bool, null, number)."""
    return {dict: "object", list: "list", str: "string", bool: "bool", type(None): "null"}.get(type(x), "number")


def _json_kind(x) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(x), "a number")


_PARAM_REASONS = [  # param's wording (its class names, « Cls.name ») → what a user reads
    (re.compile(r"must be (at most|at least|less than|greater than) (\S+?), not"), r"must be \1 \2"),
    (re.compile(r"only takes numeric values"), "expected a number"),
    (re.compile(r"must be an integer"), "expected a whole number"),
    (re.compile(r"only takes a string value"), "expected text"),
    (re.compile(r"does not accept .*; valid options include: '\[(.*)\]'"), r"expected one of \1"),
    (re.compile(r"must be a list"), "expected a list"),
    (re.compile(r"items must be instances of (.+?), not"), None),  # the item types: _item_words
    (re.compile(r"value must be an instance of dict"), "expected a mapping {name: value}"),
    (re.compile(r"must be True or False"), "expected true or false"),
]


_ITEM_WORDS = {"str": "text", "int": "whole numbers", "float": "numbers", "dict": "tables {name: value} (dict)",
               "list": "lists", "bool": "true/false"}


def _item_words(types: str) -> str:
    """param's item types (« <class 'str'> » or « (<class 'str'>, <class 'int'>) ») in words."""
    names = re.findall(r"<class '(\w+)'>", types)
    return " or ".join(_ITEM_WORDS.get(n, n) for n in names) or types


def plain_param_error(exc: BaseException, name: str | None, value) -> str:
    """param's refusal of ``value`` for the parameter ``name`` as « name: what was expected, got value »
    (« Number parameter 'Roadworks.capacity_factor' must be less than 1, not 1.5 » named a Python class);
    a message it does not know, or no name, as it came."""
    if name is not None and isinstance(value, float) and not math.isfinite(value):  # JSON's NaN, Infinity
        return f"{name}: expected a number, got {value}"
    if name is not None:
        for pattern, reason in _PARAM_REASONS:
            m = pattern.search(str(exc))
            if m:
                got = "nothing" if value is None else repr(value) if isinstance(value, str) else _short(value, 80)
                said = m.expand(reason) if reason else "expected a list of " + _item_words(m.group(1))
                return f"{name}: {said}, got {got}"
    return _short(exc)


def _short(exc: BaseException, limit: int = 400) -> str:
    """An exception's message, cut at ``limit`` characters (a value echoed by a library can be huge)."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + " …"


def _depth(obj) -> int:
    """Nesting depth of parsed JSON (iterative: a deep document must not exhaust the stack)."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        x, d = stack.pop()
        if isinstance(x, (dict, list)):
            deepest = max(deepest, d)
            if d > MAX_JSON_DEPTH:
                break
            stack.extend((v, d + 1) for v in (x.values() if isinstance(x, dict) else x))
    return deepest


def parse_scenario_text(text: str | bytes, origin: str = "scenario") -> dict:
    """A scenario's JSON text as a dict, or :class:`ScenarioError` naming ``origin`` and the line."""
    if len(text) > MAX_SCENARIO_BYTES:
        raise ScenarioError(f"{origin}: {len(text) / 1e6:.1f} MB, more than the {MAX_SCENARIO_BYTES / 1e6:g} MB "
                            "a scenario file may be", key="err_file_too_big",
                            values={"origin": origin, "mb": len(text) / 1e6, "limit": MAX_SCENARIO_BYTES / 1e6})
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ScenarioError(f"{origin}: not UTF-8 text (byte {exc.start}): expected a JSON scenario file",
                                key="err_not_utf8", values={"origin": origin, "byte": exc.start}) from None
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as exc:  # its message gives line and column, never the text
        raise ScenarioError(f"{origin}: not a readable JSON scenario file: {exc.msg} at line {exc.lineno}, "
                            f"column {exc.colno}", key="err_not_json",
                            values={"origin": origin, "line": exc.lineno, "column": exc.colno}) from None
    except RecursionError:
        raise ScenarioError(f"{origin}: nested more than {MAX_JSON_DEPTH} levels deep (objects and lists)",
                            key="err_too_deep", values={"origin": origin, "depth": MAX_JSON_DEPTH}) from None
    if _depth(spec) > MAX_JSON_DEPTH:
        raise ScenarioError(f"{origin}: nested more than {MAX_JSON_DEPTH} levels deep (objects and lists)",
                            key="err_too_deep", values={"origin": origin, "depth": MAX_JSON_DEPTH})
    if not isinstance(spec, dict):
        raise ScenarioError(f"{origin}: a scenario file holds one JSON object {{\"family\": …, parameters…}}, "
                            f"not {_json_kind(spec)}", key="err_not_object",
                            values={"origin": origin, "kind": _json_code(spec)})
    return spec


def read_scenario_spec(path: str | Path) -> dict:
    """A scenario file's parameters (a dict), read with the bounds above; errors name the file."""
    from twin.sources.safe_files import InputFileError, read_input_bytes  # noqa: PLC0415

    try:
        raw = read_input_bytes(path, what="scenario file", max_bytes=MAX_SCENARIO_BYTES)
    except InputFileError as exc:
        raise ScenarioError(str(exc)) from None
    return parse_scenario_text(raw, str(path))


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file (JSON: ``{"family": "street-closure", ...parameters}``).

    Files it names are read from its own directory (or an input directory, :mod:`twin.sources.safe_files`).
    """
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    path = Path(path)
    spec = read_scenario_spec(path)
    family = spec.get("family")
    if "family" not in spec:
        raise ScenarioError(f"{path}: no \"family\" key: a scenario file names its family (one of {sorted(SCENARIOS)})",
                            key="err_missing_family", values={"origin": str(path), "known": ", ".join(sorted(SCENARIOS))})
    if not isinstance(family, str) or family not in SCENARIOS:
        raise ScenarioError(f"{path}: unknown scenario family {_short(repr(family), 60)} (known: {sorted(SCENARIOS)})",
                            key="err_unknown_family", values={"origin": str(path), "family": _short(repr(family), 60)})
    return SCENARIOS[family].from_dict(spec, origin=str(path), base_dir=path.resolve().parent)
