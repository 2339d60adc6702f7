"""The scenario contract: parameters declared once, ``run(territory) -> Outcome``.

Parameters are ``param`` declarations (type, bounds, default, help); their unit
goes in square brackets at the start of ``doc`` (``doc="[m] buffer around …"``).
The CLI, the app's widgets (Panel renders ``param.Parameterized``) and
validation all come from that one declaration.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import param

from twin.outcome import Outcome

_UNIT = re.compile(r"^\[([^\]]+)\]\s*")


class ScenarioError(ValueError):
    """Invalid scenario parameters or a scenario that cannot run on this territory."""


class Scenario(param.Parameterized):
    """Base of every scenario family. Subclasses declare parameters and implement :meth:`run`."""

    family: str = "scenario"

    def run(self, territory) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def from_dict(cls, values: dict, origin: str = "<dict>") -> "Scenario":
        """Build from a mapping, with a clear error on unknown names or invalid values."""
        known = {k for k in cls.param if k != "name"}
        unknown = set(values) - known - {"family"}
        if unknown:
            raise ScenarioError(f"{origin}: unknown parameter(s) {sorted(unknown)} for {cls.family} "
                                f"(known: {sorted(known)})")
        try:
            return cls(**{k: v for k, v in values.items() if k != "family"})
        except ValueError as exc:
            raise ScenarioError(f"{origin}: {exc}") from None

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


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file (JSON: ``{"family": "street-closure", ...parameters}``)."""
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    path = Path(path)
    try:
        spec = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ScenarioError(f"{path}: not a readable JSON scenario file ({exc})") from None
    family = spec.get("family")
    if family not in SCENARIOS:
        raise ScenarioError(f"{path}: unknown scenario family {family!r} (known: {sorted(SCENARIOS)})")
    return SCENARIOS[family].from_dict(spec, origin=str(path))
