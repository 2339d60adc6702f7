"""Outcome: the KPIs of a scenario's baseline and variants, as a labelled xarray Dataset.

Dimensions: ``variant`` (the baseline first) and ``kpi``, optionally ``member``
(ensembles) and ``time``. Each KPI carries its unit and its impact — the three
columns every use case of the field is judged by:

* ``financial`` (euros, agent hours),
* ``environmental`` (kWh, kg CO2, vehicle-km, hours of darkness),
* ``human`` (people or homes affected, access, comfort, safety).

``compare()`` turns it into the tidy table the CLI prints and the app shows:
one row per (variant, KPI) with the baseline value, the change and the change in %.

Everything else a scenario produces travels with its KPIs, so that a map, a chart or a list is
drawn from the ``Outcome`` alone (scenarios keep no state between runs):

* **series** — any other variable of ``.data`` (a hydrograph over ``time``, fill levels, hourly
  vehicle-hours, a flow per ``edge``), with ``unit`` and ``description`` in its attrs
  (:meth:`Outcome.add_series`, :meth:`Outcome.series`);
* **tables** — per-asset *layers* keyed by the territory's ids (per building, per bin, per lamp,
  per street edge; a ``variant`` column when they differ by variant) and *lists* (buildings to alert,
  streets to sign), pandas DataFrames with units per column (:meth:`Outcome.add_table`,
  :meth:`Outcome.table`).

**members** — an ensemble's outcome keeps every member's KPIs, the variable ``members`` over
(variant, kpi, member), and the members' seeds in the attribute ``member_seeds`` ("0,1,2"):
:meth:`Outcome.add_members`. The variants of one run share those seeds (common random numbers), so
:meth:`compare_rows` adds to each row the change's 5–95 % band member by member and whether it is
significant (:func:`twin.paired.paired_difference`).

:meth:`Outcome.save` writes a directory — ``outcome.nc`` (KPIs and series, NetCDF), one Parquet
file per table and ``tables.json`` (their kind, key, units, description) — that
:meth:`Outcome.load` reads back equal (:meth:`Outcome.equals`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from twin.economics import beyond_life, read_life_note
from twin.paired import PairedError, paired_difference

IMPACTS = ("financial", "environmental", "human")
MEMBERS = "members"
"""The variable holding an ensemble's KPIs member by member (variant, kpi, member)."""
TABLE_KINDS = ("layer", "list")
"""A *layer* has one row per asset of the territory (per variant); a *list* names some of them."""


@dataclass(frozen=True)
class TableInfo:
    """What an outcome table is: its kind, the column holding the territory's ids, units per column."""

    kind: str
    key: str
    description: str
    units: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in TABLE_KINDS:
            raise ValueError(f"table kind {self.kind!r} is not one of {TABLE_KINDS}")


PAYBACK_KPIS = frozenset({"payback_years"})
"""KPIs that are a payback time: 0 means nothing invested (no payback to compare), inf that it never comes;
their change from the baseline's 0 is no figure (the CLI prints the payback alone)."""
WHOLE_UNITS = frozenset({"people", "buildings", "homes", "dwellings"})
"""Units counted in whole things: an ensemble's mean of 257.4 people is printed 257."""


@dataclass(frozen=True)
class KPI:
    """Declaration of one KPI: name, unit, impact, what it means, and which way is better."""

    name: str
    unit: str
    impact: str
    description: str
    higher_is_better: bool = False
    leaves_out: str = ""  # the KPI counting what this one leaves out (trips left with no route), or ""
    # a quantile or a share of an ensemble's members (a 95th percentile, a probability): each member
    # holds the underlying quantity, so the KPI has no band of its own, member by member
    statistic: bool = False
    # a change in per cent means something: a quantity with a true zero (a cost, a distance, a count).
    # Not a stage above a gauge's datum (+843 % on a river at 0,5 m), nor a time counted from the
    # forecast (a peak 1 h → 56 h after it, « +5 500 % »): their change is given in their unit only
    ratio_scale: bool = True
    # the KPI giving the share (%) of the members this one is taken over (a lead time: a median over the
    # draws that reach the level), or "": two such values over different shares of the draws compare
    # different futures, and a later median may only be more draws reaching the level late
    over_share: str = ""

    def __post_init__(self):
        if self.impact not in IMPACTS:
            raise ValueError(f"KPI {self.name!r}: impact {self.impact!r} is not one of {IMPACTS}")


def leaving_out(kpis: list[KPI], stranded: dict[str, tuple[str, ...]]) -> list[KPI]:
    """``kpis`` with ``leaves_out`` set from ``stranded`` (a KPI counting stranded demand -> the KPIs that
    leave that demand out): a closure that strands trips makes their vehicle-hours fall, and that fall
    is no improvement (:meth:`Outcome.compare_rows` gives it no verdict)."""
    counted = {k: counter for counter, omitting in stranded.items() for k in omitting}
    unknown = (set(counted) | set(stranded)) - {k.name for k in kpis}
    if unknown:
        raise ValueError(f"stranded KPIs {sorted(unknown)} are not among the KPIs declared")
    return [replace(k, leaves_out=counted.get(k.name, "")) for k in kpis]


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
        self.tables: dict[str, pd.DataFrame] = {}
        self.table_info: dict[str, TableInfo] = {}

    # -- series and tables: what maps, charts and lists are drawn from --------------------------------

    def add_series(self, name: str, values: xr.DataArray, unit: str, description: str) -> None:
        """Attach a labelled array (over ``variant`` and/or its own dims: ``time``, ``edge``, ``member``…)."""
        if name in ("value",) or name in self.data.coords:
            raise ValueError(f"series name {name!r} is taken by the outcome's KPI table")
        values = values.copy()
        values.attrs = {**values.attrs, "unit": unit, "description": description}
        self.data[name] = values

    def series(self, name: str) -> xr.DataArray:
        """One series (a KeyError names the ones there are)."""
        if name not in self.series_names:
            raise KeyError(f"outcome of {self.data.attrs.get('scenario')!r} has no series {name!r} "
                           f"(it has {self.series_names})")
        return self.data[name]

    @property
    def series_names(self) -> list[str]:
        return [str(v) for v in self.data.data_vars if v != "value"]

    def add_table(self, name: str, table: pd.DataFrame, kind: str, key: str, description: str,
                  units: dict | None = None) -> None:
        """Attach a layer (one row per asset ``key`` [per variant]) or a list; ``units``: column → unit."""
        if key not in table.columns:
            raise ValueError(f"table {name!r}: key column {key!r} not among {list(table.columns)}")
        unknown = set(units or {}) - set(table.columns)
        if unknown:
            raise ValueError(f"table {name!r}: units given for missing column(s) {sorted(unknown)}")
        self.tables[name] = table.reset_index(drop=True)
        self.table_info[name] = TableInfo(kind, key, description, dict(units or {}))

    def table(self, name: str) -> pd.DataFrame:
        """One table (a KeyError names the ones there are)."""
        if name not in self.tables:
            raise KeyError(f"outcome of {self.data.attrs.get('scenario')!r} has no table {name!r} "
                           f"(it has {sorted(self.tables)})")
        return self.tables[name]

    # -- ensemble members: per-member KPIs, for paired comparisons ------------------------------------

    def add_members(self, values, seeds, baseline_draws: bool = True, futures: bool = False) -> None:
        """Keep an ensemble's KPIs member by member: ``values`` (variants × KPIs × members, in the
        outcome's variant and KPI order; each KPI in its own unit) and the seed of each member.

        The variants of one run must share ``seeds``: member *m* of every variant drew the same random
        numbers (common random numbers), which is what makes the member-by-member change meaningful.
        A variant that has no randomness repeats its one value for every member; when that variant is
        the baseline (``baseline_draws`` False: attribute ``baseline_draws`` = "none"; flood forecasts
        saved before their no-rain baseline carried the members' model error), the change's band is
        the ensemble's spread around it and no change is "within the noise" (:meth:`compare_rows`). ``futures``: the members are possible futures (a forecast's), not
        noise around one answer (attribute ``members_are`` = "futures"): the band of a change says how
        wide it may be, and no change is "within the noise" either."""
        arr = np.asarray(values, dtype=float)
        shape = (len(self.variants), int(self.data.sizes["kpi"]))
        if arr.ndim != 3 or arr.shape[:2] != shape:
            raise ValueError(f"members: expected values of shape (variants, kpis, members) = {shape} + (n,), "
                             f"got {arr.shape}")
        seeds = [int(x) for x in seeds]
        if len(seeds) != arr.shape[2] or len(set(seeds)) != len(seeds):
            raise ValueError(f"members: expected {arr.shape[2]} distinct member seeds, got {len(seeds)} "
                             f"({len(set(seeds))} distinct)")
        member = np.arange(arr.shape[2])
        if "member" in self.data.coords and not np.array_equal(self.data["member"].values, member):
            raise ValueError("members: the outcome's member coordinate is not 0 … n-1 for these members")
        self.data[MEMBERS] = xr.DataArray(
            arr, dims=("variant", "kpi", "member"),
            coords={"variant": self.data["variant"].values, "kpi": self.data["kpi"].values, "member": member},
            attrs={"unit": "the KPI's (coordinate unit)",
                   "description": "each KPI of each variant, member by member (members in the order of "
                                  "the attribute member_seeds; the variants share those seeds)"})
        self.data.attrs["member_seeds"] = ",".join(map(str, seeds))
        if not baseline_draws:
            self.data.attrs["baseline_draws"] = "none"
        if futures:
            self.data.attrs["members_are"] = "futures"

    @property
    def is_ensemble(self) -> bool:
        """Whether the outcome keeps its members' KPIs (:meth:`add_members`)."""
        return MEMBERS in self.data.data_vars

    @property
    def member_seeds(self) -> list[int] | None:
        """The seed of each member, in member order (None: not an ensemble outcome)."""
        text = self.data.attrs.get("member_seeds")
        if not self.is_ensemble or text is None:
            return None
        return [int(x) for x in str(text).split(",") if x != ""]

    def member_values(self, kpi: str, variant: str | None = None) -> np.ndarray:
        """One KPI of one variant (the baseline unless given), member by member (a KeyError if the
        outcome keeps no members)."""
        if not self.is_ensemble:
            raise KeyError(f"outcome of {self.data.attrs.get('scenario')!r} keeps no member values")
        return self.data[MEMBERS].sel(kpi=kpi, variant=variant or self.baseline).values.astype(float)

    @property
    def variants(self) -> list[str]:
        return [str(v) for v in self.data["variant"].values]

    @property
    def first_variant(self) -> str:
        """The first variant that is not the baseline (the baseline when there is none)."""
        others = [v for v in self.variants if v != self.baseline]
        return others[0] if others else self.baseline

    # -- equality and storage -------------------------------------------------------------------------

    def equals(self, other: "Outcome") -> bool:
        """Same KPIs, series (values, labels and attrs) and tables (values, dtypes, descriptions)."""
        if not isinstance(other, Outcome) or not self.data.identical(other.data):
            return False
        if sorted(self.tables) != sorted(other.tables) or self.table_info != other.table_info:
            return False
        return all(self.tables[k].equals(other.tables[k]) for k in self.tables)

    def save(self, path) -> Path:
        """Write the outcome to the directory ``path`` (created; an existing outcome there is replaced)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.data.to_netcdf(path / "outcome.nc", engine="scipy")
        manifest = {}
        for name, table in self.tables.items():
            info = self.table_info[name]
            table.to_parquet(path / f"{name}.parquet", index=False)
            manifest[name] = {"kind": info.kind, "key": info.key, "description": info.description,
                              "units": info.units}
        (path / "tables.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path) -> "Outcome":
        """Read an outcome written by :meth:`save`."""
        path = Path(path)
        out = cls(xr.load_dataset(path / "outcome.nc", engine="scipy"))
        manifest = json.loads((path / "tables.json").read_text(encoding="utf-8"))
        for name, info in manifest.items():
            out.add_table(name, pd.read_parquet(path / f"{name}.parquet"), **info)
        return out

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
                    "higher_is_better": ("kpi", [k.higher_is_better for k in kpis]),
                    "leaves_out": ("kpi", [k.leaves_out for k in kpis]),
                    "statistic": ("kpi", [k.statistic for k in kpis]),
                    "ratio_scale": ("kpi", [k.ratio_scale for k in kpis]),
                    "over_share": ("kpi", [k.over_share for k in kpis])},
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
        # an outcome saved before KPIs said what they leave out leaves nothing out
        leaves_out = [str(x) for x in d["leaves_out"].values] if "leaves_out" in d.coords else [""] * len(kpis)
        statistic = d["statistic"].values.astype(bool) if "statistic" in d.coords else np.zeros(len(kpis), bool)
        # an outcome saved before KPIs said so: every change in per cent, as it was shown then
        ratio = d["ratio_scale"].values.astype(bool) if "ratio_scale" in d.coords else np.ones(len(kpis), bool)
        over_share = [str(x) for x in d["over_share"].values] if "over_share" in d.coords else [""] * len(kpis)
        lives = read_life_note(d.attrs.get("investment_life_years"))
        # a baseline that draws nothing (a forecast without rain): a variant's members are no draws to pair
        # with it, their spread is the forecast's own uncertainty, never "noise" around a change
        # a forecast's members are possible futures (the baseline under the same model error, the rain apart):
        # their spread is how wide the change may be, not noise either
        paired = d.attrs.get("baseline_draws") != "none" and d.attrs.get("members_are") != "futures"
        impact = [str(x) for x in d["impact"].values]
        unit = [str(x) for x in d["unit"].values]
        members = d[MEMBERS].transpose("variant", "kpi", "member").values.astype(float) \
            if MEMBERS in d.data_vars else None
        rows = []
        for i, variant in enumerate(variants):
            for j, kpi in enumerate(kpis):
                val, b = float(values[i, j]), float(base[j])
                change = val - b
                # no verdict on no change, nor on a change that is no number (NaN → NaN: a KPI not computed)
                better = None if variant == baseline or change == 0 or not np.isfinite(change) \
                    else (change > 0) == bool(hib[j])
                row = {
                    "variant": variant, "kpi": kpi, "impact": impact[j], "unit": unit[j],
                    "value": val, "baseline": b, "change": change,
                    "change_pct": (100.0 * change / b) if ratio[j] and b != 0.0 and np.isfinite(b) else np.nan,
                    "better": better, "higher_is_better": bool(hib[j]),
                }
                if not ratio[j]:  # said on the row: the page and the report give no % of it either
                    row["ratio_scale"] = False
                if kpi in PAYBACK_KPIS and variant in lives:  # what it buys is assumed to serve this long
                    row["life_years"] = lives[variant]
                counter = leaves_out[j]
                if better and counter and values[i, kpis.index(counter)] > base[kpis.index(counter)]:
                    # the KPI improves only because demand it leaves out lost its route: no verdict (a
                    # rise stays worse: it would be worse still with that demand)
                    row["better"] = None
                    row["no_verdict"] = f"leaves out {counter}, which grew"
                share = over_share[j]
                if share and share in kpis:
                    s_v, s_b = float(values[i, kpis.index(share)]), float(base[kpis.index(share)])
                    row["over_share"] = [s_v, s_b]  # the shares of the draws the value and the baseline's are over
                    if better is not None and s_v != s_b:
                        # a lead time 0,5 h later because more draws reach the level (late ones among them) is
                        # no gain: the two medians are over different draws
                        row["better"] = None
                        row["no_verdict"] = f"over {s_v:.0f} % of the members against {s_b:.0f} % ({share})"

                if members is not None:
                    row.update(self._paired(members[i, j], members[variants.index(baseline), j],
                                            variant == baseline))
                    if statistic[j]:  # its members are the underlying quantity's: their band is not its own
                        row.update(change_low=float("nan"), change_high=float("nan"), significant=None,
                                   statistic=True)
                    elif not paired and variant != baseline:
                        row["significant"] = None
                rows.append(row)
        return rows

    @staticmethod
    def _paired(mine: np.ndarray, base: np.ndarray, is_baseline: bool) -> dict:
        """The member keys of a row: this variant's members, and the band of its change from the
        baseline member by member (:func:`twin.paired.paired_difference`). The baseline's change is
        none (0/0, not significant); a change that cannot be estimated (one member, a member without a
        value such as a lead time when it never crosses) has a NaN band and ``significant`` None."""
        out = {"members": [float(x) for x in mine]}
        if is_baseline:
            return {**out, "change_low": 0.0, "change_high": 0.0, "significant": False}
        try:
            _, low, high, significant = paired_difference(mine, base)
        except PairedError:
            low, high, significant = float("nan"), float("nan"), None
        return {**out, "change_low": low, "change_high": high, "significant": significant}

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

    @classmethod
    def _payback(cls, years: float) -> str:
        """A payback as the CLI prints it: its years, « nothing invested » for 0, « never » for inf."""
        if years == 0:
            return "nothing invested"
        if np.isnan(years):
            return "—"
        return "never pays back" if years == np.inf else f"{cls._fmt(years)} years"

    def to_text(self) -> str:
        """The comparison as an aligned text table, grouped by impact."""
        df = self.compare()
        lines = [f"scenario: {self.data.attrs.get('scenario')}"]
        meaning = self.data.attrs.get("baseline_meaning")
        if meaning and len(self.variants) > 1:  # what the figure left of « → » is (a forecast's: no more rain)
            lines.append(f"  (left of →: {self.baseline}, {meaning})")
        width = max(16, *(len(str(v)) for v in self.data["variant"].values))
        for impact in IMPACTS:
            part = df[df["impact"] == impact]
            if part.empty:
                continue
            lines.append(f"  [{impact}]")
            alone = len(self.variants) == 1  # the baseline alone (nothing asked to change): its values
            for _, r in part.iterrows():
                if alone:
                    lines.append(f"    {r['kpi']:<26} {r['variant']:<{width}} {self._fmt(r['value']):>10} {r['unit']}")
                    continue
                if r["variant"] == self.baseline:
                    continue
                if r["kpi"] in PAYBACK_KPIS:  # « 0.0 → 0.0 years » read as paid back at once
                    life = r.get("life_years", np.nan)
                    life = np.nan if pd.isna(life) else float(life)
                    beyond = f"  (beyond the equipment's assumed {life:g}-year life)" \
                        if beyond_life(float(r["value"]), life) else ""
                    lines.append(f"    {r['kpi']:<26} {r['variant']:<{width}} {'':>10}   "
                                 f"{self._payback(r['value'])}{beyond}")
                    continue
                share = r["unit"] == "%"  # a share changes by points: « 14 → 35.5 % » is +21.5 pts, not +153.6 %
                pct = "" if share or not np.isfinite(r["change_pct"]) else f" ({r['change_pct']:+.1f} %)"
                # a change to or from a figure that is not a number is not one either: the value says it
                fmt = self._fmt_whole if r["unit"] in WHOLE_UNITS else self._fmt
                # whole things: the change between the two figures shown (257 → 259 is +2, not +1)
                shown_change = float(np.round(r["value"]) - np.round(r["baseline"])) if r["unit"] in WHOLE_UNITS \
                    else r["change"]
                change = fmt(shown_change, True) + (" pts" if share else "") \
                    if np.isfinite(r["value"]) and np.isfinite(r["baseline"]) else ""
                # a count written whole from 10 on, as the app's cards (« 2,4 → 2,2 » keep their decimal there)
                if change and (r["change"] == 0 or r["unit"] in WHOLE_UNITS and shown_change == 0
                               and min(abs(r["value"]), abs(r["baseline"])) >= 10):
                    # « 183 → 183 people 0 (+0.1 %) »: nothing the reader sees changed (the app's « inchangé »)
                    lines.append(f"    {r['kpi']:<26} {r['variant']:<{width}} {fmt(r['baseline']):>10} → "
                                 f"{fmt(r['value']):<10} {r['unit']:<11} unchanged")
                    continue
                # an ensemble's change within the noise of its members, compared pair by pair
                significant = r.get("significant")
                if change and r["change"] != 0 and isinstance(significant, (bool, np.bool_)) and not significant:
                    pct += " (n.s.)"  # not said of no change at all (0 → 0 is no noise)
                low, high = r.get("change_low", np.nan), r.get("change_high", np.nan)
                if change and np.isfinite(low) and np.isfinite(high) and low != high:  # how wide the ensemble says
                    pct += f" [{fmt(low, True)} … {fmt(high, True)}]"
                if isinstance(r.get("no_verdict"), str):  # a fall that is only demand left with no route
                    pct += f"  (no verdict: {r['no_verdict']})"
                lines.append(f"    {r['kpi']:<26} {r['variant']:<{width}} {fmt(r['baseline']):>10} → "
                             f"{fmt(r['value']):<10} {r['unit']:<11} {change}{pct}")
        return "\n".join(lines)

    def to_netcdf(self, path) -> None:
        self.data.to_netcdf(path)

    @classmethod
    def _fmt_whole(cls, x: float, signed: bool = False) -> str:
        """A count of whole things (people, buildings): rounded to one, as :meth:`_fmt` otherwise."""
        return cls._fmt(float(np.round(x)) + 0.0 if np.isfinite(x) else x, signed).removesuffix(".0")  # no « -0 »

    @classmethod
    def from_netcdf(cls, path) -> "Outcome":
        return cls(xr.load_dataset(path))
