"""``twin bins fit|run``: litter-bin fill rates calibrated on collection records; collection policies."""

from __future__ import annotations

import json
import sys

from twin.cli import common
from twin.cli.printing import outcome_text, value_printed


def register(sub) -> None:
    p = sub.add_parser("bins", help="litter bins: fill-rate calibration, collection policies, compacting bins")
    p.add_argument("action", choices=["fit", "run", "value"],
                   help="fit: calibrate on records; run: a scenario; value: what fill sensors would be worth to the "
                        "choice of rounds on a territory without fill records (--territory FILE.osm)")
    p.add_argument("scenario", nargs="?", help="bins scenario JSON file (run)")
    p.add_argument("--records", help="collection records CSV (Edinburgh format: site, collected_at, fill_before_pct…)")
    p.add_argument("--holdout-from", default="auto",
                   help="hold out collections from this date (default: the last 14 days; 'none' to skip)")
    p.add_argument("--online", action="store_true",
                   help="predict each held-out collection with every collection recorded before it (a filter "
                        "that follows the bins' rates as collections arrive), instead of the training fit alone")
    p.add_argument("--territory", default="redon")
    p.add_argument("--members", type=int, default=120, help="value: worlds of the prior's ensemble (default 120)")
    p.add_argument("--litter-eur-per-l", type=float, default=0.4,
                   help="value: the cost of a litre of litter left beside full bins (default 0.4 €, an assumption)")
    p.add_argument("--weeks", type=int, default=6, help="value: weeks the fill sensors read before the choice")
    p.add_argument("--seed", type=int, default=0, help="value: seed of the ensemble and of the readings")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bins)


def cmd_bins(args) -> int:
    if args.action == "fit":
        return _fit(args)
    if args.action == "value":
        return _value(args)
    from twin.scenarios.bins import BinCollection  # noqa: PLC0415

    territory = common.load_territory(args.territory)
    scenario = common.scenario_or(args.scenario, BinCollection, BinCollection.family)
    print(outcome_text(scenario.run(territory), args.json))
    return 0


def _value(args) -> int:
    from twin.scenarios.bins_sensors import schedules_table, sensor_value  # noqa: PLC0415

    result = sensor_value(common.load_territory(args.territory), members=args.members,
                          litter_eur_per_l=args.litter_eur_per_l, sensing_weeks=args.weeks, seed=args.seed)
    if value_printed(result, args.json):
        return 0
    print(f"{result['territory']}: {result['bins']} litter bins; {result['prior']}")
    print(schedules_table(result).round(0).to_string(index=False))
    if result["value"]:
        v = result["value"]
        lo, hi = v["evppi_band_eur_per_year"]
        print(f"chosen on the prior: rounds on weekdays {result['prior_choice']}; knowing the town's fill rate "
              f"exactly worth {v['evppi_eur_per_year']:,.0f} €/year (band {lo:,.0f}–{hi:,.0f}; knowing everything "
              f"{v['evpi_eur_per_year']:,.0f}), {result['sensing_weeks']} weeks of fill sensors "
              f"{v['evsi_eur_per_year']:,.0f} €/year (the choice changes in {v['choice_changes_share']:.0%} of the "
              "worlds)")
    print(result["verdict"])
    return 0


def _fit(args) -> int:
    from twin.calibration.bins import fit_report  # noqa: PLC0415
    from twin.sources.bin_records import read_bin_records  # noqa: PLC0415

    if not args.records:
        print("twin bins fit: --records CSV is required", file=sys.stderr)
        return 2
    records = read_bin_records(args.records)
    for w in records.warnings:
        print(f"warning: {w}", file=sys.stderr)
    from twin.calibration.bins_online import online_predictions  # noqa: PLC0415

    report = fit_report(records, holdout_from=args.holdout_from, online=online_predictions if args.online else None)
    print(json.dumps(report, indent=1, default=str) if args.json else fit_text(report))
    return 0


def fit_text(r: dict) -> str:
    """The fit report of :func:`twin.calibration.bins.fit_report` as text: pooled and per-group rates,
    the held-out scores, the first ten bins (``--json`` gives all)."""
    lines = [f"records: {r['records']} collections of {r['bins']} bins, {r['intervals']} intervals "
             f"({r['censored_share']:.1%} reached 100 %)",
             f"pooled fill rate: median {r['pooled']['median_pct_per_h']:.2f} %/h "
             f"(IQR {r['pooled']['q25_pct_per_h']:.2f}–{r['pooled']['q75_pct_per_h']:.2f}), noise σ = {r['sigma']:.2f} (log)"]
    lines += [f"  group {g:<32} {v['bins']:>4} bins  median {v['median_pct_per_h']:.2f} %/h"
              for g, v in list(r["groups"].items())[:15]]
    if len(r["groups"]) > 15:
        lines.append(f"  … {len(r['groups']) - 15} more groups (--json for all)")
    h = r.get("holdout")
    if r.get("holdout_skipped"):
        lines.append(f"held-out check: none — {r['holdout_skipped']}")
    if h:
        lines.append(f"held out from {h['split']}: {h['test_intervals']} collections of {h['test_bins']} bins")
        if "online" in h:
            lines.append(f"  model: online filter (each collection predicted with all those before it; drift "
                         f"{h['online']['drift_sd_per_day']:g} ln/day chosen on the training period)")
        for name in ("model", "per_bin_flat", "naive"):
            lines.append(f"  {name:<13} MAE {h[name]['mae_pct_points']:5.1f} points   Brier {h[name]['brier']:.3f}")
        gain = h["mae_gain_vs_naive"]  # « MAE -116% better » read as a gain: a loss is said as one
        lines.append(f"  MAE {abs(gain):.0%} {'better' if gain >= 0 else 'worse'} than the naive same-rate model; overflow "
                     f"probability calibration error {h['calibration_error']:.3f}")
        for row in h["reliability"]:
            lines.append(f"    P(overflow) {row['bin']:<14} n={row['n']:>5.0f}  predicted {row['predicted']:.2f}  "
                         f"observed {row['observed']:.2f}")
    lines.append("per bin (first 10, --json for all):")
    for b in r["per_bin"][:10]:
        lines.append(f"  {b['site']:<12} {b['group'][:30]:<30} {b['rate_pct_per_h']:.2f} %/h  "
                     f"{b['intervals']} intervals")
    return "\n".join(lines)
