"""A fill-rate prior for litter bins a territory has no records of (issue 24: a commune with only a map),
fitted on another city's real records, and checked on the streets it was not fitted on.

**The prior** (:func:`fit_prior`): the fill model of :mod:`twin.calibration.bins` fitted on real
collection records — by default the City of Edinburgh Council's 334 litter bins, June–July 2016
(open data, Open Government Licence v3.0: "Contains public sector information licensed under the Open
Government Licence v3.0") — each bin pooled towards its **street** (its address without the number). A
bin never recorded gets the median bin's rate, the hour-of-week profile, the noise and the overflow
calibration of those records. Its uncertainty has two parts:

* ``between_bin_log_sd`` (τ): how bins of one street differ (the fit's own);
* ``between_street_log_sd``: how streets differ from one another (the spread of the streets' median
  log-rates, streets of three bins or more) — the part a new town shares across all its bins, drawn
  once per ensemble member (a common factor), since a village's bins as a whole may fill slower or
  faster than a city centre's.

The fitted numbers ship as ``twin/data/bins_fill_prior.json`` (derived statistics, with the
attribution): ``python -m twin.calibration.bins_prior RECORDS.csv.gz`` writes it again.

**The check** (:func:`leave_streets_out`): the streets are split into ``folds`` groups (seeded); each
group's intervals are predicted by the prior fitted on the other streets alone — every bin unseen —
and the predicted overflow rate (mean probability) is compared with the observed share of intervals
that overflowed, with the Brier score. This is a check against real data the prior was not fitted on,
within one city: a village elsewhere may differ more, which the between-street spread only estimates.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from twin.calibration.bins import FillModel, fit_fill_model, intervals_from_records
from twin.sources.bin_records import BinRecords, read_bin_records

PRIOR_FILE = Path(__file__).resolve().parents[1] / "data" / "bins_fill_prior.json"
SOURCE = ("City of Edinburgh Council, litter bin sensors, 2016-06-03 to 2016-07-19 (334 bins); "
          "Contains public sector information licensed under the Open Government Licence v3.0")
MIN_BINS_PER_STREET = 3


def street_of(address: str) -> str:
    """The street of an address: its leading house number (and letters such as « 10a ») dropped."""
    return re.sub(r"^\s*\d+\s*[a-z]?\s+", "", str(address).strip().lower())


def by_street(records: BinRecords) -> BinRecords:
    """The records with each bin's group its street (:func:`street_of` of the group read from the file)."""
    frame = records.frame.copy()
    frame["group"] = frame["group"].map(street_of)
    return BinRecords(frame, records.source, list(records.warnings))


def fit_prior(records: BinRecords, source: str = SOURCE) -> dict:
    """The prior's numbers (module docstring), JSON-ready."""
    model = fit_fill_model(by_street(records))
    rates = model.rates
    counts = rates.groupby("group").size()
    streets = np.log(rates.groupby("group")["rate_pct_per_h"].median()[counts >= MIN_BINS_PER_STREET])
    return {"about": "SYNTHESIS of real records: the fill-rate prior of twin.calibration.bins_prior",
            "source": source, "bins": int(len(rates)), "intervals": int(rates["intervals"].sum()),
            "streets": int(len(counts)), "streets_for_spread": int(len(streets)),
            "global_rate_pct_per_h": float(model.global_rate), "between_bin_log_sd": float(model.between_bin_log_sd),
            "between_street_log_sd": float(streets.std(ddof=1)) if len(streets) > 1 else 0.0,
            "sigma": float(model.sigma), "drift_log_sd": float(model.drift_log_sd),
            "median_interval_h": float(model.median_interval_h),
            "overflow_calibration": [float(x) for x in model.overflow_calibration],
            "profile": [round(float(x), 6) for x in model.profile]}


def prior_model(params: dict) -> FillModel:
    """A :class:`FillModel` that knows no bin: every bin gets the prior's rate and τ."""
    empty = pd.DataFrame({"group": pd.Series(dtype=str), "rate_pct_per_h": pd.Series(dtype=float),
                          "intervals": pd.Series(dtype=int), "censored": pd.Series(dtype=int),
                          "log_rate_sd": pd.Series(dtype=float)}, index=pd.Index([], name="site"))
    return FillModel(rates=empty, profile=np.asarray(params["profile"], dtype=float), sigma=float(params["sigma"]),
                     global_rate=float(params["global_rate_pct_per_h"]),
                     between_bin_log_sd=float(params["between_bin_log_sd"]),
                     drift_log_sd=float(params["drift_log_sd"]), median_interval_h=float(params["median_interval_h"]),
                     overflow_calibration=tuple(params["overflow_calibration"]))


def load_prior(path: Path = PRIOR_FILE) -> tuple[FillModel, dict]:
    """(the prior's model, its numbers) from the shipped file."""
    params = json.loads(Path(path).read_text(encoding="utf-8"))
    return prior_model(params), params


def leave_streets_out(records: BinRecords, folds: int = 5, seed: int = 0) -> pd.DataFrame:
    """Per fold of streets: its bins and intervals, the observed overflow share, the prior's predicted
    rate (fitted on the other folds), their difference and the Brier score (module docstring)."""
    records = by_street(records)
    streets = np.array(sorted(records.frame["group"].unique()))
    fold_of = dict(zip(streets, np.random.default_rng(seed).permutation(len(streets)) % folds, strict=True))
    intervals = intervals_from_records(records)
    rows = []
    for k in range(folds):
        held = {s for s, f in fold_of.items() if f == k}
        train = BinRecords(records.frame[~records.frame["group"].isin(held)], records.source)
        model = prior_model(fit_prior(train))
        test = intervals[intervals["group"].isin(held)]
        if test.empty:
            continue
        p = model.predict(test)["p_overflow"].to_numpy()
        observed = test["censored"].to_numpy(float)
        rows.append({"fold": k, "streets": len(held), "bins": int(test["site"].nunique()), "intervals": len(test),
                     "observed_overflow_share": float(observed.mean()), "predicted_overflow_rate": float(p.mean()),
                     "error": float(p.mean() - observed.mean()), "brier": float(np.mean((p - observed) ** 2)),
                     "brier_climatology": float(np.mean((observed.mean() - observed) ** 2))})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    import argparse  # noqa: PLC0415

    ap = argparse.ArgumentParser(description="write twin/data/bins_fill_prior.json from bin collection records")
    ap.add_argument("records", help="collection records (Edinburgh's layout: site, address, collected_at, …)")
    ap.add_argument("--out", default=str(PRIOR_FILE))
    ap.add_argument("--check", action="store_true", help="also print the leave-streets-out check")
    args = ap.parse_args(argv)
    records = read_bin_records(args.records)
    Path(args.out).write_text(json.dumps(fit_prior(records), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    if args.check:
        print(leave_streets_out(records).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
