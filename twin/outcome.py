"""Outcome: the KPIs of a scenario's baseline and variants, as a labelled xarray Dataset.

Dimensions: ``variant`` (the baseline first) and ``kpi``, optionally ``member``
(ensembles) and ``time``. Each KPI carries its unit and its impact — the three
columns every use case of the field is judged by:

* ``financial`` (euros, agent hours),
* ``environmental`` (kWh, kg CO2, vehicle-km, hours of darkness),
* ``human`` (people or homes affected, access, comfort, safety).

``compare()`` turns it into the tidy table the CLI prints and the app shows:
one row per (variant, KPI) with the baseline value, the change and the change in %.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

IMPACTS = ("financial", "environmental", "human")


@dataclass(frozen=True)
class KPI:
    """Declaration of one KPI: name, unit, impact, what it means, and which way is better."""

    name: str
    unit: str
    impact: str
    description: str
    higher_is_better: bool = False

    def __post_init__(self):
        if self.impact not in IMPACTS:
            raise ValueError(f"KPI {self.name!r}: impact {self.impact!r} is not one of {IMPACTS}")


class Outcome:
    """KPIs of a baseline and its variants. Build with :meth:`from_values`; the data is ``.data``."""

    def __init__(self, data: xr.Dataset):
        missing = {"value"} - set(data.data_vars) | {"variant", "kpi"} - set(data.dims)
        if missing:
            raise ValueError(f"an Outcome needs a 'value' variable over (variant, kpi); missing {missing}")
        for coord in ("unit", "impact", "description"):
            if coord not in data.coords:
                raise ValueError(f"an Outcome needs the KPI coordinate {coord!r}")
        self.data = data

    @classmethod
    def from_values(cls, scenario: str, kpis: list[KPI], values: dict[str, dict[str, float]],
                    baseline: str = "baseline", **attrs) -> "Outcome":
        """Build from ``{variant: {kpi name: value}}``; every variant must give every KPI."""
        variants = list(values)
        if baseline not in values:
            raise ValueError(f"outcome of {scenario!r} has no {baseline!r} variant (got {variants})")
        variants = [baseline] + [v for v in variants if v != baseline]
        names = [k.name for k in kpis]
        arr = np.full((len(variants), len(kpis)), np.nan)
        for i, v in enumerate(variants):
            missing = set(names) - set(values[v])
            if missing:
                raise ValueError(f"variant {v!r} of {scenario!r} lacks KPI(s) {sorted(missing)}")
            arr[i] = [values[v][n] for n in names]
        ds = xr.Dataset(
            {"value": (("variant", "kpi"), arr)},
            coords={"variant": variants, "kpi": names,
                    "unit": ("kpi", [k.unit for k in kpis]),
                    "impact": ("kpi", [k.impact for k in kpis]),
                    "description": ("kpi", [k.description for k in kpis]),
                    "higher_is_better": ("kpi", [k.higher_is_better for k in kpis])},
            attrs={"scenario": scenario, "baseline": baseline, **{k: str(v) for k, v in attrs.items()}},
        )
        return cls(ds)

    @property
    def baseline(self) -> str:
        return self.data.attrs.get("baseline", str(self.data["variant"].values[0]))

    def value(self, kpi: str, variant: str | None = None) -> float:
        """One KPI value (of the baseline unless ``variant`` is given)."""
        return float(self.data["value"].sel(kpi=kpi, variant=variant or self.baseline))

    def compare(self) -> pd.DataFrame:
        """Tidy table: variant, kpi, impact, unit, value, baseline, change, change_pct, better."""
        return pd.DataFrame(self.compare_rows())

    def compare_rows(self) -> list[dict]:
        """The rows of :meth:`compare` as plain dicts (no DataFrame: the app makes one per run shown)."""
        # plain arrays, not one label lookup per cell: the app builds this table for every run it shows
        d = self.data
        kpis = [str(k) for k in d["kpi"].values]
        variants = [str(v) for v in d["variant"].values]
        values = d["value"].transpose("variant", "kpi").values.astype(float)
        baseline = str(self.baseline)
        base = values[variants.index(baseline)]
        hib = d["higher_is_better"].values.astype(bool)
        impact = [str(x) for x in d["impact"].values]
        unit = [str(x) for x in d["unit"].values]
        rows = []
        for i, variant in enumerate(variants):
            for j, kpi in enumerate(kpis):
                val, b = float(values[i, j]), float(base[j])
                change = val - b
                rows.append({
                    "variant": variant, "kpi": kpi, "impact": impact[j], "unit": unit[j],
                    "value": val, "baseline": b, "change": change,
                    "change_pct": (100.0 * change / b) if b not in (0.0,) and np.isfinite(b) else np.nan,
                    "better": None if variant == baseline or change == 0 else (change > 0) == bool(hib[j]),
                })
        return rows

    @staticmethod
    def _fmt(x: float, signed: bool = False) -> str:
        """Readable number: thousands separated by spaces (the French way), sensible precision; a
        figure that is not a number in words: "∞ (never)" (a payback that never comes), "—" (none)."""
        if not np.isfinite(x):
            return "—" if np.isnan(x) else ("∞ (never)" if x > 0 else "-∞")
        sign = "+" if signed and x > 0 else ""
        if abs(x) >= 1000:
            return sign + f"{x:,.0f}".replace(",", " ")
        if abs(x) >= 10 or x == 0:
            return sign + f"{x:.1f}"
        return sign + f"{x:.3g}"

    def to_text(self) -> str:
        """The comparison as an aligned text table, grouped by impact."""
        df = self.compare()
        lines = [f"scenario: {self.data.attrs.get('scenario')}"]
        width = max(16, *(len(str(v)) for v in self.data["variant"].values))
        for impact in IMPACTS:
            part = df[df["impact"] == impact]
            if part.empty:
                continue
            lines.append(f"  [{impact}]")
            for _, r in part.iterrows():
                if r["variant"] == self.baseline:
                    continue
                pct = "" if not np.isfinite(r["change_pct"]) else f" ({r['change_pct']:+.1f} %)"
                # a change to or from a figure that is not a number is not one either: the value says it
                change = self._fmt(r["change"], True) if np.isfinite(r["value"]) and np.isfinite(r["baseline"]) else ""
                lines.append(f"    {r['kpi']:<26} {r['variant']:<{width}} {self._fmt(r['baseline']):>10} → "
                             f"{self._fmt(r['value']):<10} {r['unit']:<11} {change}{pct}")
        return "\n".join(lines)

    def to_netcdf(self, path) -> None:
        self.data.to_netcdf(path)

    @classmethod
    def from_netcdf(cls, path) -> "Outcome":
        return cls(xr.load_dataset(path))
