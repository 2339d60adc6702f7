"""The ``twin`` command. Thin: every command is a call to a function usable from Python.

    twin run [redon] [--scenario FILE.json]     build/load the default territory, summarise it, run scenarios
    twin info [PATH|redon] [--json]             counts per layer, graph sizes, sensors, period, what was generated
    twin build OSM_FILE --out DIR               build a territory from a local OSM extract and save it
    twin sensors register FILE [--store DIR]    register sensors from a CSV
    twin sensors import FILE [--store DIR] ...  ingest observations (long, one-sensor or wide CSV)
    twin sensors list [--store DIR]             the registry
    twin seeds generate [--seed N]              regenerate the SYNTHETIC Redon history
    twin lighting run SCENARIO [--territory T] [--inventory CSV|GEOJSON] [--json]
    twin lighting night-hours --lat LAT --lon LON --year YEAR [--off 23:00-05:00] [--json]
    twin lighting calibrate [--territory T] [--json]
    twin lighting diagnosis [--territory T] --out FILE.geojson|FILE.csv
    twin hydro run --data CSV|STORE --model gr4j|gr4h --params X1,X2,X3,X4 --warmup D --start D --end D [--json]
    twin hydro calibrate --data CSV|STORE --model gr4j|gr4h --warmup D --start D --end D [--json]
    twin flood run [SCENARIO.json] [--territory T] [--at TIME] [--json] [--alert-list FILE.csv]
    twin flood replay --start TIME --end TIME [--every 6] [--horizon 48] [--territory T] [--json]
    twin buildings fit --meter CSV --temperature CSV [--freq daily|hourly|monthly] [--unit kWh] [--json]
    twin buildings savings --meter CSV --temperature CSV --baseline START:END --reporting START:END [--json]
    twin buildings run [SCENARIO.json] [--territory T] [--json]
    twin buildings rank [--territory T] [--out FILE.csv|FILE.geojson]
    twin traffic assign --tntp DIR [--gap 1e-4] [--max-iter N] [--distance-weight W] [--toll-weight W] [--json]
    twin traffic roadworks [SCENARIO.json] [--close STREET …] [--one-direction] [--capacity-factor F] [--hours H-H]
    twin traffic calibrate [--territory T] [--json]
    twin bins fit --records CSV [--holdout-from DATE] [--json]   fill rates per bin and pooled, held-out error
    twin bins run [SCENARIO.json] [--territory T] [--json]       collection policy / compacting / added bins
    twin app [--territory T] [--port 5006] [--address 127.0.0.1] [--show]   serve the Panel app
    twin ensemble SCENARIO_FILE --members N [--scheduler ADDRESS|sync] [--out PATH.zarr] [--seed S]
    twin sensitivity SCENARIO_FILE --method sobol|morris --samples N [--out indices.csv] [--chart KPI --png FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

DEFAULT_DEMOS = [
    {"family": "street-closure", "streets": ["Quai Saint-Jacques"], "destination": "townhall"},
    {"family": "roadworks", "streets": ["Quai Saint-Jacques"], "hours": "07:00-19:00"},
    {"family": "lighting", "rules": [{"zone": {"all": True}, "schedule": {"name": "off 23:00–05:00",
                                                                          "off_windows": [["23:00", "05:00"]]}},
                                     {"zone": {"near": {"category": ["station"], "radius_m": 150}},
                                      "schedule": {"name": "all night"}}],
     "variant_name": "off 23–05 but station"},
    {"family": "flood", "forecast_time": "2023-02-22T00:00", "horizon_h": 120, "rain": "ensemble",
     "ensemble_base": "climatology", "members": 500},  # a real forecast: rain analogs from before 22 Feb
    {"family": "heating"},
    {"family": "bins", "policy": "predictive", "members": 3},
]


def _load_territory(target: str, rebuild: bool = False):
    from twin.seeds import open_territory  # noqa: PLC0415

    return open_territory(target, rebuild=rebuild)


def _scenario_or(path, default):
    """The scenario of a JSON file when one is given, else ``default()``."""
    if path:
        from twin.scenarios import load_scenario  # noqa: PLC0415

        return load_scenario(path)
    return default()


def _print_summary(territory, as_json: bool = False) -> None:
    summary = territory.summary()
    if as_json:
        print(json.dumps(summary, indent=2, default=str))
        return
    print(f"territory: {summary['name']}  (CRS {summary['crs']})")
    print(f"  source: {summary['source']}")
    print(f"  data: {summary['attribution']}")
    for net, g in summary["graphs"].items():
        print(f"  {net:<6} street graph: {g['nodes']:>6} nodes {g['edges']:>6} edges {g['length_km']:>8.2f} km")
    for layer, info in summary["layers"].items():
        sources = ", ".join(f"{v} {k}" for k, v in info["by_source"].items()) or "none"
        print(f"  {layer:<12} {info['count']:>6}   ({sources})")
    for g in summary["generated"]:
        print(f"  generated: {g['count']} {g['layer']} (seed {g['seed']}) — {g['how']}")
    for d in summary["dropped"]:
        print(f"  dropped: {d['count']} from {d['layer']} — {d['reason']}")
    if "sensors" in summary:
        s = summary["sensors"]
        synth = f", {s['synthetic_sensors']} of them SYNTHETIC" if s["synthetic_sensors"] else ""
        print(f"  sensors: {s['sensors']}{synth}; {s['observations']} observations "
              f"({s['flagged']} flagged); period {s['period'][0] if s['period'] else '-'} → "
              f"{s['period'][1] if s['period'] else '-'}")
        print("    by quantity: " + ", ".join(f"{k} {v}" for k, v in s["by_quantity"].items()))


def _allow_inputs(args) -> None:
    """``--inputs DIR`` (repeatable): directories whose files scenarios may name (added to TWIN_INPUT_DIRS)."""
    if getattr(args, "inputs", None):
        from twin.sources.safe_files import add_input_dirs  # noqa: PLC0415

        add_input_dirs(args.inputs)


def cmd_run(args) -> int:
    from twin.scenarios import SCENARIOS, load_scenario  # noqa: PLC0415

    _allow_inputs(args)
    # every scenario file is read and checked before the territory loads: a bad one fails at once
    scenarios = [load_scenario(f) for f in args.scenario] if args.scenario else \
        [SCENARIOS[d["family"]].from_dict(d, origin="built-in demo") for d in DEFAULT_DEMOS]
    t0 = time.perf_counter()
    territory = _load_territory(args.territory, rebuild=args.rebuild)
    print(f"loaded in {time.perf_counter() - t0:.2f} s")
    _print_summary(territory)
    for scenario in scenarios:
        print()
        t1 = time.perf_counter()
        outcome = scenario.run(territory)
        print(outcome.to_text())
        print(f"  ({', '.join(f'{k}: {v}' for k, v in outcome.data.attrs.items() if k != 'scenario')}; "
              f"ran in {time.perf_counter() - t1:.2f} s)")
    return 0


def cmd_info(args) -> int:
    territory = _load_territory(args.territory)
    _print_summary(territory, as_json=args.json)
    if not args.json:
        print("build report:")
        for line in territory.report.lines():
            print(f"  {line}")
    return 0


def cmd_build(args) -> int:
    from twin.territory import Territory, TerritoryBuildError  # noqa: PLC0415

    out = Path(args.out)
    # save() replaces --out whole (and deletes what was there): only a saved territory or an empty
    # directory may be replaced, checked before the build
    try:
        replaceable = not out.exists() or (out.is_dir() and ((out / "territory.json").is_file()
                                                             or not any(out.iterdir())))
    except OSError as exc:
        raise TerritoryBuildError(f"--out {out}: cannot be inspected ({exc.strerror or exc})") from None
    if not replaceable:
        raise TerritoryBuildError(f"--out {out}: exists and is not a saved territory (no territory.json); "
                                  "twin build replaces --out whole, give a new or an empty directory")
    territory = Territory.from_osm(args.osm, name=args.name)
    try:
        territory.save(out)
    except OSError as exc:
        raise TerritoryBuildError(f"--out {out}: the territory cannot be written there "
                                  f"({exc.strerror or exc}: {exc.filename or out})") from None
    for line in territory.report.lines():
        print(line)
    print(f"saved to {args.out}")
    return 0


def _store(args):
    from twin.seeds import history_dir  # noqa: PLC0415
    from twin.sensors import SensorStore  # noqa: PLC0415

    return SensorStore(args.store or history_dir() / "sensors", lock_timeout=getattr(args, "wait", None))


def cmd_sensors(args) -> int:
    store = _store(args)
    if args.action == "register":
        reg = store.register_csv(args.file)
        print(f"{len(reg)} sensors registered in {store.path}")
    elif args.action == "import":
        report = store.ingest_csv(args.file, sensor_id=args.sensor, unit=args.unit, timezone=args.timezone,
                                  out_of_range="reject" if args.reject_out_of_range else "flag")
        print(report)
    elif args.action == "list":
        print(store.sensors.to_string(index=False))
    for p in store.cleaned:
        print(f"removed {p}, left by an interrupted writer", file=sys.stderr)
    return 0


def cmd_seeds(args) -> int:
    from twin import seeds  # noqa: PLC0415
    from twin.territory import Territory  # noqa: PLC0415

    territory = Territory.from_osm(seeds.default_osm_path(), name=seeds.DEFAULT_NAME)
    store = seeds.build_seed_history(territory, seeds.history_dir(), seed=args.seed)
    print(json.dumps(store.summary(), indent=2))
    return 0


def _lighting_territory(args):
    territory = _load_territory(args.territory)
    if getattr(args, "inventory", None):
        from twin.sources.lamp_inventory import read_lamp_inventory  # noqa: PLC0415

        territory = territory.with_lamps(read_lamp_inventory(args.inventory, territory))
    return territory


def cmd_lighting(args) -> int:
    from twin.models.lighting import Schedule, night_hours_summary  # noqa: PLC0415
    from twin.scenarios.lighting import PRESETS, LightingSchedules, diagnosis  # noqa: PLC0415

    if args.action == "night-hours":
        if args.lat is None or args.lon is None:
            print("twin lighting night-hours: --lat and --lon are required", file=sys.stderr)
            return 2
        schedule = Schedule()
        if args.off:
            a, _, b = args.off.partition("-")
            schedule = Schedule.from_dict({"name": f"off {args.off}", "off_windows": [[a, b]]})
        result = night_hours_summary(args.lat, args.lon, args.year, schedule, offset_min=args.offset_min,
                                     elevation_deg=args.elevation)
        print(json.dumps(result, indent=2) if args.json else
              "\n".join(f"{k:<28} {v}" for k, v in result.items()))
        return 0
    territory = _lighting_territory(args)
    if args.action == "run":
        if not args.scenario:
            print(f"twin lighting run: give a scenario file or a preset ({', '.join(PRESETS)})", file=sys.stderr)
            return 2
        if args.scenario in PRESETS:
            scenario = LightingSchedules.from_dict(PRESETS[args.scenario], origin=f"preset {args.scenario}")
        else:
            scenario = _scenario_or(args.scenario, None)
        outcome = scenario.run(territory)
        if args.json:
            print(outcome.compare().to_json(orient="records", indent=1))
        else:
            print(outcome.to_text())
    elif args.action == "calibrate":
        from twin.calibration.lighting import fit_cabinets  # noqa: PLC0415

        if territory.sensors is None:
            print(f"territory {territory.name!r} has no sensor store", file=sys.stderr)
            return 1
        fits = fit_cabinets(territory.sensors, territory)
        if args.json:
            print(fits.to_json(orient="records", indent=1))
        else:
            print(fits[["cabinet_id", "verdict", "residual_rms_pct", "power_kw", "power_kw_stderr", "schedule_change",
                        "power_change", "burning_fraction_after", "months"]].to_string(index=False))
            for _, f in fits.iterrows():
                for d in f["detected"]:
                    print(f"  {f['cabinet_id']}: {d}")
                for a in f["anomalies"]:
                    print(f"  {f['cabinet_id']} {a['month']}: {a['kind']}" + (f" (×{a['ratio']})" if a["ratio"] else ""))
                for d in f["dropped"]:
                    print(f"  {f['cabinet_id']} {d['month']}: not used — {d['why']}")
    elif args.action == "diagnosis":
        lamps, table = diagnosis(territory)
        if args.out:
            out = Path(args.out)
            if out.suffix.lower() == ".csv":
                lamps.assign(lon=lamps.geometry.x, lat=lamps.geometry.y).drop(columns="geometry").to_csv(out, index=False)
            else:
                lamps.to_file(out, driver="GeoJSON")
            print(f"{len(lamps)} lamps written to {out}")
        print(table.to_string(index=False))
    return 0


def _hydro_series(args):
    from twin.sources.hydro_csv import HydroDataError, from_sensor_store, read_airgr_csv  # noqa: PLC0415

    path = Path(args.data)
    if path.is_dir() or args.data in ("redon", "default"):
        from twin.sensors import SensorStore  # noqa: PLC0415

        store_dir = path if path.is_dir() else Path(__file__).resolve().parents[1] / "seeds/redon/history/sensors"
        if args.area_km2 is None or args.lat is None:
            raise HydroDataError("a sensor store gives discharge in m³/s: --area-km2 and --lat (for PET) are needed")
        return from_sensor_store(SensorStore(store_dir), args.rain, args.flow, args.temperature,
                                 area_km2=args.area_km2, latitude_deg=args.lat)
    return read_airgr_csv(path, area_km2=args.area_km2, fill_gaps="zero" if args.fill_gaps else None)


def cmd_hydro(args) -> int:
    from dataclasses import asdict  # noqa: PLC0415

    from twin.calibration.hydrology import calibrate, scores, simulate  # noqa: PLC0415
    from twin.models.hydrology import GR4Params  # noqa: PLC0415

    series = _hydro_series(args)
    warmup = args.warmup or args.start
    if args.action == "run":
        if not args.params:
            print("twin hydro run: --params X1,X2,X3,X4 is required", file=sys.stderr)
            return 2
        try:
            params = GR4Params(*[float(x) for x in args.params.split(",")])
        except (TypeError, ValueError):
            print(f"twin hydro run: --params must be four numbers X1,X2,X3,X4 (got {args.params!r})", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        q, mask, run = simulate(series, params, args.model, warmup, args.start, args.end)
        seconds = time.perf_counter() - t0
        result = {"model": args.model, "params": asdict(params), "period": [args.start, args.end],
                  **scores(run.Q[mask], q[mask]), "seconds": seconds}
    else:
        report = calibrate(series, args.model, warmup, args.start, args.end, criterion=args.criterion, seed=args.seed)
        result = {"model": report.model, "params": report.params, "period": report.period,
                  **report.calibration, "seconds": report.seconds, "evaluations": report.evaluations}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for k, v in result.items():
            print(f"{k:<12} {v}")
    return 0


def cmd_flood(args) -> int:
    from twin.scenarios.flood import FloodForecast, replay  # noqa: PLC0415

    territory = _load_territory(args.territory)
    if args.action == "replay":
        df, summary = replay(territory, args.start, args.end, every_h=args.every, horizon_h=args.horizon)
        if args.json:
            print(json.dumps(summary, indent=2))
        else:
            print(df[["issued", "forecast_peak_m", "observed_peak_m", "peak_error_m", "peak_timing_error_h"]]
                  .to_string(index=False))
            print(json.dumps(summary, indent=2))
        return 0
    scenario = _scenario_or(args.scenario, FloodForecast)
    if args.at:
        scenario.forecast_time = args.at
    outcome = scenario.run(territory)
    if args.json:
        print(outcome.compare().to_json(orient="records", indent=1))
    else:
        print(outcome.to_text())
        print(f"  ({outcome.data.attrs['forecast_kind']} {outcome.data.attrs['forecast_time']} UTC, "
              f"horizon {outcome.data.attrs['horizon_h']} h; "
              f"floodplain: {outcome.data.attrs['floodplain']})")
    if args.alert_list:
        variant = [v for v in scenario.alert_list if v != "baseline"][0]
        scenario.alert_list[variant].to_csv(args.alert_list, index=False)
        print(f"{len(scenario.alert_list[variant])} buildings to alert written to {args.alert_list}; "
              f"streets to close (OSM way ids): {scenario.closures[variant]}")
    return 0


def _period(text: str, what: str):
    start, sep, end = (text or "").partition(":")
    if not sep or not start or not end:
        raise ValueError(f"--{what} must be START:END (e.g. 2016-01-01:2017-01-01), got {text!r}")
    return start, end


def cmd_buildings(args) -> int:
    from twin.calibration.buildings import fit_baseline, measure_savings  # noqa: PLC0415
    from twin.sources.meters import read_meter_csv, read_temperature_csv  # noqa: PLC0415

    if args.action in ("fit", "savings"):
        if not args.meter or not args.temperature:
            print(f"twin buildings {args.action}: --meter and --temperature are required", file=sys.stderr)
            return 2
        usage = read_meter_csv(args.meter, unit=args.unit, tz=args.tz)
        temp = read_temperature_csv(args.temperature, tz=args.tz, unit=args.temperature_unit)
        freq = args.freq  # finer readings are summed into its periods by the library (resample_usage), as for any caller
        if args.action == "fit":
            start, end = _period(args.baseline, "baseline") if args.baseline else (None, None)
            fit = fit_baseline(usage, temp, start, end, freq=freq, label=args.meter)
            result = fit.summary()
        else:
            b0, b1 = _period(args.baseline, "baseline")
            r0, r1 = _period(args.reporting, "reporting")
            fit = fit_baseline(usage, temp, b0, b1, freq=freq, label=args.meter)
            result = {**measure_savings(fit, usage, temp, r0, r1, label=args.meter).as_dict(),
                      "baseline_fit": fit.summary()}
        dropped = fit.sufficiency.get("incomplete") or []
        n_dropped = int(fit.sufficiency.get("incomplete_count", len(dropped)))  # the list may be cut, never the count
        if n_dropped:  # periods with missing readings are left out of the fit: said, never silent
            print(f"note: baseline: {n_dropped} period(s) without all their readings left out: "
                  f"{', '.join(dropped[:12])}{' …' if n_dropped > 12 else ''}", file=sys.stderr)
        if args.action == "savings":
            n_rep = result["dropped_incomplete_count"] + result["dropped_no_temperature_count"]
            rep = result["dropped_periods"]
            print(f"note: reporting: {result['coverage']:.1%} of the period covered by {result['periods_used']} "
                  f"period(s); {result['dropped_incomplete_count']} left out for missing readings, "
                  f"{result['dropped_no_temperature_count']} for missing temperature"
                  + (f": {', '.join(rep[:12])}{' …' if n_rep > 12 else ''}" if n_rep else ""), file=sys.stderr)
        print(json.dumps(result, indent=2, default=str) if args.json else
              "\n".join(f"{k:<24} {v}" for k, v in result.items()))
        return 0
    territory = _load_territory(args.territory)
    if args.action == "rank":
        from twin.scenarios.heating_park import rank_buildings  # noqa: PLC0415

        ranking, flagged = rank_buildings(territory)
        if args.out:
            out = Path(args.out)
            if out.suffix.lower() == ".geojson":
                import geopandas as gpd  # noqa: PLC0415

                gpd.GeoDataFrame(ranking, geometry="geometry", crs=territory.crs).to_crs("EPSG:4326").to_file(
                    out, driver="GeoJSON")
            else:
                ranking.drop(columns="geometry").to_csv(out, index=False)
            print(f"{len(ranking)} actions written to {out}")
        cols = ["building_id", "name", "use", "action", "gas_saved_kwh", "uncertainty_kwh", "eur_saved",
                "investment_eur", "payback_years", "comfort_gap_change_h"]
        print(ranking[cols].head(args.top).to_string(index=False))
        if len(flagged):
            print("not ranked (their baseline fails the criteria):")
            print(flagged.to_string(index=False))
        return 0
    from twin.scenarios.heating import HeatingSchedules  # noqa: PLC0415

    scenario = _scenario_or(args.scenario, HeatingSchedules)
    outcome = scenario.run(territory)
    print(outcome.compare().to_json(orient="records", indent=1) if args.json else outcome.to_text())
    return 0


def cmd_app(args) -> int:
    import os  # noqa: PLC0415

    import panel as pn  # noqa: PLC0415

    os.environ["TWIN_TERRITORY"] = args.territory
    from twin.app.main import create_app, shared_territory, start_workers  # noqa: PLC0415
    from twin.app.security import WEBSOCKET_MAX_MESSAGE_BYTES, install_security_headers  # noqa: PLC0415

    shared_territory(args.territory)  # load (or build) before the first browser arrives
    start_workers(args.territory)
    install_security_headers()  # Content-Security-Policy on every page (twin/app/security.py)
    origin = f"{args.address}:{args.port}"
    print(f"twin app on http://{origin}/  (Ctrl-C to stop)", flush=True)
    # a browser message above this closes its connection: the page itself refuses files over 5 MB
    # before sending them (base64 makes 5 MB ~6.7 MB), so only a client bypassing the page hits it
    pn.serve({"/": create_app}, port=args.port, address=args.address, show=args.show, title="twin",
             websocket_origin=[origin, f"localhost:{args.port}"], threaded=False,
             websocket_max_message_size=WEBSOCKET_MAX_MESSAGE_BYTES)
    return 0


def cmd_bins(args) -> int:
    if args.action == "fit":
        from twin.calibration.bins import fit_report  # noqa: PLC0415
        from twin.sources.bin_records import read_bin_records  # noqa: PLC0415

        if not args.records:
            print("twin bins fit: --records CSV is required", file=sys.stderr)
            return 2
        records = read_bin_records(args.records)
        for w in records.warnings:
            print(f"warning: {w}", file=sys.stderr)
        report = fit_report(records, holdout_from=args.holdout_from)
        if args.json:
            print(json.dumps(report, indent=1, default=str))
        else:
            print(_bins_fit_text(report))
        return 0
    from twin.scenarios.bins import BinCollection  # noqa: PLC0415

    territory = _load_territory(args.territory)
    scenario = _scenario_or(args.scenario, BinCollection)
    outcome = scenario.run(territory)
    print(outcome.compare().to_json(orient="records", indent=1) if args.json else outcome.to_text())
    return 0


def _bins_fit_text(r: dict) -> str:
    lines = [f"records: {r['records']} collections of {r['bins']} bins, {r['intervals']} intervals "
             f"({r['censored_share']:.1%} reached 100 %)",
             f"pooled fill rate: median {r['pooled']['median_pct_per_h']:.2f} %/h "
             f"(IQR {r['pooled']['q25_pct_per_h']:.2f}–{r['pooled']['q75_pct_per_h']:.2f}), noise σ = {r['sigma']:.2f} (log)"]
    lines += [f"  group {g:<32} {v['bins']:>4} bins  median {v['median_pct_per_h']:.2f} %/h"
              for g, v in list(r["groups"].items())[:15]]
    if len(r["groups"]) > 15:
        lines.append(f"  … {len(r['groups']) - 15} more groups (--json for all)")
    h = r.get("holdout")
    if h:
        lines.append(f"held out from {h['split']}: {h['test_intervals']} collections of {h['test_bins']} bins")
        for name in ("model", "per_bin_flat", "naive"):
            lines.append(f"  {name:<13} MAE {h[name]['mae_pct_points']:5.1f} points   Brier {h[name]['brier']:.3f}")
        lines.append(f"  MAE {h['mae_gain_vs_naive']:.0%} better than the naive same-rate model; overflow "
                     f"probability calibration error {h['calibration_error']:.3f}")
        for row in h["reliability"]:
            lines.append(f"    P(overflow) {row['bin']:<14} n={row['n']:>5.0f}  predicted {row['predicted']:.2f}  "
                         f"observed {row['observed']:.2f}")
    lines.append("per bin (first 10, --json for all):")
    for b in r["per_bin"][:10]:
        lines.append(f"  {b['site']:<12} {b['group'][:30]:<30} {b['rate_pct_per_h']:.2f} %/h  "
                     f"{b['intervals']} intervals")
    return "\n".join(lines)


def cmd_traffic(args) -> int:
    from twin.models.traffic import assign  # noqa: PLC0415
    from twin.sources.tntp import TntpError, read_network, read_trips  # noqa: PLC0415

    if args.action == "calibrate":
        from twin.calibration.traffic import calibrate_demand, observed_peak_counts  # noqa: PLC0415

        territory = _load_territory(args.territory)
        fit = calibrate_demand(territory, observed_peak_counts(territory.sensors, territory))
        result = {"internal_scale": fit.internal_scale, "through_scale": fit.through_scale,
                  "share_geh_below_5_before": fit.share_geh_below_5_before,
                  "share_geh_below_5_after": fit.share_geh_below_5_after, "evaluations": fit.evaluations}
        if args.json:
            print(json.dumps({**result, "stations": fit.stations.to_dict(orient="records"), "dropped": fit.dropped},
                             indent=2, default=str))
        else:
            print(fit.stations[["sensor_id", "street", "observed", "days", "missing", "flagged", "before", "after",
                                "geh_before", "geh_after"]].to_string(index=False))
            print("\n".join(f"{k:<26} {v}" for k, v in result.items()))
            for d in fit.dropped:
                print(f"  not used: {d['sensor_id']} ({d['street']}): {d['why']}")
        return 0
    if args.action == "roadworks":
        from twin.scenarios.roadworks import Roadworks  # noqa: PLC0415

        territory = _load_territory(args.territory)
        scenario = _scenario_or(args.scenario, lambda: Roadworks(
            streets=args.close or [], one_direction=args.one_direction,
            capacity_factor=args.capacity_factor, hours=args.hours))
        outcome = scenario.run(territory)
        if args.json:
            print(outcome.compare().to_json(orient="records", indent=1))
        else:
            print(outcome.to_text())
            print(f"  streets gaining most traffic (peak hour): {outcome.data.attrs['top_gainers']}")
        return 0
    if not args.tntp:
        print("twin traffic assign: --tntp DIR is required", file=sys.stderr)
        return 2
    d = Path(args.tntp)
    nets = sorted(d.glob("*_net.tntp"))
    trips = sorted(d.glob("*_trips.tntp*"))
    if not nets or not trips:
        raise TntpError(f"{d}: expected a *_net.tntp and a *_trips.tntp file")
    net = read_network(nets[0], distance_weight=args.distance_weight, toll_weight=args.toll_weight)
    od = read_trips(trips[0], net.n_nodes)
    r = assign(net, od, gap=args.gap, max_iter=args.max_iter, algorithm=args.algorithm)
    result = {"network": d.name, "algorithm": args.algorithm, "relative_gap": r.relative_gap,
              "iterations": r.iterations, "objective": r.objective, "tstt": r.tstt,
              "generalised_cost": r.generalised_cost, "max_conservation_error": r.max_conservation_error,
              "unreachable_demand": r.unreachable_demand, "intrazonal_demand": od.attrs.get("intrazonal_demand", 0.0),
              "seconds": r.seconds}
    print(json.dumps(result, indent=2) if args.json else "\n".join(f"{k:<24} {v}" for k, v in result.items()))
    return 0


def cmd_ensemble(args) -> int:
    from twin.ensemble import run_ensemble  # noqa: PLC0415
    from twin.scenarios.base import read_scenario_spec  # noqa: PLC0415

    _allow_inputs(args)
    spec = read_scenario_spec(args.scenario)  # bounded, a JSON object; run_ensemble checks the rest first
    ds = run_ensemble(spec, members=args.members, territory=args.territory, seed=args.seed, out=args.out,
                      scheduler=args.scheduler, batch_size=args.batch_size,
                      base_dir=Path(args.scenario).resolve().parent)
    summary = ds["value"].quantile([0.05, 0.5, 0.95], dim="member").transpose("variant", "kpi", "quantile")
    for variant in summary["variant"].values:
        print(f"[{variant}]")
        for kpi in summary["kpi"].values:
            q = summary.sel(variant=variant, kpi=kpi).values
            unit = str(ds["unit"].sel(kpi=kpi).item())
            print(f"  {kpi:<24} median {q[1]:10.4g}  90 % band {q[0]:.4g} … {q[2]:.4g} {unit}")
    if args.out:
        print(f"{int(ds['done'].sum())} of {args.members} members in {args.out}")
    return 0


def cmd_sensitivity(args) -> int:
    from twin.sensitivity import SensitivityError, check_design, ranked_chart, scenario_sensitivity  # noqa: PLC0415

    from twin.scenarios.base import read_scenario_spec  # noqa: PLC0415

    _allow_inputs(args)
    spec = read_scenario_spec(args.scenario)
    inputs = spec.pop("uncertain", None)
    if not inputs:
        raise SensitivityError(f"{args.scenario}: add an \"uncertain\" entry with the inputs' ranges, "
                               "e.g. {\"price_eur_per_kwh\": [0.15, 0.30]}")
    base_dir = Path(args.scenario).resolve().parent
    check_design(spec, inputs, method=args.method, n=args.samples, base_dir=base_dir)  # before loading anything
    territory = _load_territory(args.territory)
    idx = scenario_sensitivity(spec, territory, inputs, method=args.method, n=args.samples, seed=args.seed,
                               base_dir=base_dir)
    if args.out:
        idx.to_csv(args.out, index=False)
        print(f"indices written to {args.out}")
    col = "ST" if args.method == "sobol" else "mu_star"
    top = idx.sort_values(col, ascending=False).groupby(["variant", "kpi"]).head(1)
    print(top[["variant", "kpi", "input", col]].to_string(index=False))
    if args.chart:
        variant = args.variant or [v for v in idx["variant"].unique() if v != "baseline"][0]
        print(f"chart: {ranked_chart(idx, variant, args.chart, args.png or 'sensitivity.png')}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twin", description="Digital twin and what-if scenarios for French territories")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="load the territory (default: Redon), summarise it, run scenarios")
    p.add_argument("territory", nargs="?", default="redon", help="'redon', an OSM file or a saved territory directory")
    p.add_argument("--scenario", action="append",
                   help="scenario JSON file (repeatable); default: street-closure, roadworks, lighting, flood and heating demos")
    p.add_argument("--rebuild", action="store_true", help="rebuild the default territory instead of using the cache")
    p.add_argument("--inputs", action="append", metavar="DIR",
                   help="directory whose files a scenario may name (repeatable; also TWIN_INPUT_DIRS). The scenario "
                        "file's own directory always is one; without --inputs or TWIN_INPUT_DIRS, so is the working "
                        "directory")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("info", help="describe a territory")
    p.add_argument("territory", nargs="?", default="redon")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("build", help="build a territory from a local OSM extract and save it")
    p.add_argument("osm")
    p.add_argument("--out", required=True)
    p.add_argument("--name")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("sensors", help="the sensor history store")
    p.add_argument("action", choices=["register", "import", "list"])
    p.add_argument("file", nargs="?")
    p.add_argument("--store", help="store directory (default: the Redon seed's)")
    p.add_argument("--sensor", help="sensor id of a one-sensor file (time, value)")
    p.add_argument("--unit", help="unit of the values when the file has no unit column")
    p.add_argument("--timezone", default="UTC", help="time zone of times without an offset (e.g. Europe/Paris)")
    p.add_argument("--reject-out-of-range", action="store_true", help="reject values outside the physical range "
                   "instead of flagging them")
    p.add_argument("--wait", type=float, metavar="SECONDS", help="how long to wait for another process writing "
                   "the store (default 60, or $TWIN_STORE_LOCK_TIMEOUT)")
    p.set_defaults(func=cmd_sensors)

    p = sub.add_parser("lighting", help="street-lighting schedules, night hours, cabinet calibration, diagnosis")
    p.add_argument("action", choices=["run", "night-hours", "calibrate", "diagnosis"])
    p.add_argument("scenario", nargs="?", help="scenario JSON file or preset name (run)")
    p.add_argument("--territory", default="redon")
    p.add_argument("--inventory", help="lamp inventory (CSV or GeoJSON) replacing the territory's lamps")
    p.add_argument("--lat", type=float)
    p.add_argument("--lon", type=float)
    p.add_argument("--year", type=int, default=2024)
    p.add_argument("--off", help="off window, local time, e.g. 23:00-05:00")
    p.add_argument("--offset-min", type=float, default=15.0, help="switch-on after sunset / off before sunrise")
    p.add_argument("--elevation", type=float, help="switch when the sun crosses this elevation (°), instead")
    p.add_argument("--out", help="diagnosis output (.geojson or .csv)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lighting)

    p = sub.add_parser("hydro", help="rainfall–runoff: run or calibrate GR4J / GR4H")
    p.add_argument("action", choices=["run", "calibrate"])
    p.add_argument("--data", required=True, help="airGR-style CSV (DatesR, P, E, Qmm), a sensor store, or 'redon'")
    p.add_argument("--model", choices=["gr4j", "gr4h"], default="gr4j")
    p.add_argument("--params", help="X1,X2,X3,X4 (run)")
    p.add_argument("--warmup", help="start of the warm-up (default: no warm-up)")
    p.add_argument("--start", required=True)
    p.add_argument("--end", required=True)
    p.add_argument("--criterion", choices=["nse", "kge"], default="nse")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--area-km2", type=float, help="catchment area, to convert l/s or m³/s to mm")
    p.add_argument("--lat", type=float, help="catchment latitude (°), for Oudin PET from a store")
    p.add_argument("--rain", default="rg-redon")
    p.add_argument("--flow", default="vilaine-redon-q")
    p.add_argument("--temperature", default="meteo-redon-t")
    p.add_argument("--fill-gaps", action="store_true", help="fill gaps in rain / PET with zeros (said, not silent)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_hydro)

    p = sub.add_parser("flood", help="flood anticipation: stage forecast, alerts, flooded places; replay")
    p.add_argument("action", choices=["run", "replay"])
    p.add_argument("scenario", nargs="?", help="flood scenario JSON file (default: the Redon ensemble forecast)")
    p.add_argument("--territory", default="redon")
    p.add_argument("--at", help="forecast time (UTC), overriding the scenario's")
    p.add_argument("--start", help="replay: first forecast time")
    p.add_argument("--end", help="replay: last forecast time")
    p.add_argument("--every", type=int, default=6, help="replay: hours between forecasts")
    p.add_argument("--horizon", type=int, default=48, help="replay: forecast horizon (h)")
    p.add_argument("--alert-list", help="write the buildings to alert (CSV)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_flood)

    p = sub.add_parser("buildings", help="building energy: baselines, savings, heating schedules, ranking")
    p.add_argument("action", choices=["fit", "savings", "run", "rank"])
    p.add_argument("scenario", nargs="?", help="heating scenario JSON file (run)")
    p.add_argument("--meter", help="meter CSV (start,value[,unit])")
    p.add_argument("--temperature", help="temperature CSV (dt,tempF, dt,tempC, or time,value with --temperature-unit)")
    p.add_argument("--temperature-unit", choices=["C", "F"], help="unit of a time,value temperature CSV")
    p.add_argument("--unit", help="unit of the meter readings when the file has no unit column (kWh, Wh, therm…)")
    p.add_argument("--tz", default=None, help="local time zone of the building (days are local days)")
    p.add_argument("--freq", choices=["daily", "hourly", "monthly"], default="daily",
                   help="model resolution; finer readings are summed into its periods (incomplete ones dropped, said)")
    p.add_argument("--baseline", help="START:END of the baseline period")
    p.add_argument("--reporting", help="START:END of the reporting period")
    p.add_argument("--territory", default="redon")
    p.add_argument("--out", help="ranking output (.csv or .geojson)")
    p.add_argument("--top", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_buildings)

    p = sub.add_parser("app", help="serve the Panel app (map, scenarios, comparison, workshop) on localhost")
    p.add_argument("--territory", default="redon")
    p.add_argument("--port", type=int, default=5006)
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--show", action="store_true", help="open a browser tab")
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("bins", help="litter bins: fill-rate calibration, collection policies, compacting bins")
    p.add_argument("action", choices=["fit", "run"])
    p.add_argument("scenario", nargs="?", help="bins scenario JSON file (run)")
    p.add_argument("--records", help="collection records CSV (Edinburgh format: site, collected_at, fill_before_pct…)")
    p.add_argument("--holdout-from", default="auto",
                   help="hold out collections from this date (default: the last 14 days; 'none' to skip)")
    p.add_argument("--territory", default="redon")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bins)

    p = sub.add_parser("traffic", help="static user-equilibrium traffic assignment")
    p.add_argument("action", choices=["assign", "roadworks", "calibrate"])
    p.add_argument("scenario", nargs="?", help="roadworks scenario JSON file")
    p.add_argument("--tntp", help="directory of a TNTP network (*_net.tntp, *_trips.tntp)")
    p.add_argument("--territory", default="redon")
    p.add_argument("--close", action="append", help="street to close (name or OSM way id; repeatable)")
    p.add_argument("--one-direction", action="store_true")
    p.add_argument("--capacity-factor", type=float, default=0.0)
    p.add_argument("--hours", default="07:00-19:00")
    p.add_argument("--gap", type=float, default=1e-4, help="target relative gap")
    p.add_argument("--max-iter", type=int, default=10000)
    p.add_argument("--algorithm", choices=["bfw", "cfw", "fw"], default="bfw")
    p.add_argument("--distance-weight", type=float, default=0.0, help="cost per length unit (e.g. Chicago: 0.04)")
    p.add_argument("--toll-weight", type=float, default=0.0, help="cost per toll unit")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_traffic)

    p = sub.add_parser("ensemble", help="many members of a scenario on dask, written to Zarr, resumable")
    p.add_argument("scenario", help="scenario JSON file of a family with a seed (e.g. flood)")
    p.add_argument("--members", type=int, required=True, help="1 to 100,000 (twin.ensemble.MAX_MEMBERS)")
    p.add_argument("--scheduler", help="'sync', or a dask scheduler address (default: a LocalCluster)")
    p.add_argument("--out", help="Zarr store (resumed if it holds this ensemble; any other existing file or store "
                                 "is refused before computing)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=25)
    p.add_argument("--territory", default="redon")
    p.add_argument("--inputs", action="append", metavar="DIR",
                   help="directory whose files the scenario may name (repeatable; also TWIN_INPUT_DIRS)")
    p.set_defaults(func=cmd_ensemble)

    p = sub.add_parser("sensitivity", help="Sobol' or Morris sensitivity of a scenario's KPIs to its inputs")
    p.add_argument("scenario", help="scenario JSON file with an \"uncertain\" entry: {input: [low, high]}")
    p.add_argument("--method", choices=["sobol", "morris"], default="morris")
    p.add_argument("--samples", type=int, default=10, help="Morris trajectories, or Sobol' base samples")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--territory", default="redon")
    p.add_argument("--out", help="CSV of every index")
    p.add_argument("--chart", help="KPI to chart (ranked bars)")
    p.add_argument("--variant", help="variant to chart (default: the first non-baseline)")
    p.add_argument("--png", help="chart file (default sensitivity.png)")
    p.add_argument("--inputs", action="append", metavar="DIR",
                   help="directory whose files the scenario may name (repeatable; also TWIN_INPUT_DIRS)")
    p.set_defaults(func=cmd_sensitivity)

    p = sub.add_parser("seeds", help="regenerate the SYNTHETIC sensor history of the Redon seed")
    p.add_argument("action", choices=["generate"])
    p.add_argument("--seed", type=int, default=None)
    p.set_defaults(func=cmd_seeds)
    return parser


MAX_MESSAGE_CHARS = 2000


def _bounded(text: str) -> str:
    """An error message of at most MAX_MESSAGE_CHARS: a value echoed by a library (a 1 GB CSV field, a
    long WKT) must not flood the terminal."""
    if len(text) > MAX_MESSAGE_CHARS:
        text = f"{text[:MAX_MESSAGE_CHARS]} … ({len(text) - MAX_MESSAGE_CHARS:,} characters more not shown)"
    return text


def main(argv: list[str] | None = None) -> int:
    from twin.errors import USER_ERRORS  # noqa: PLC0415

    args = build_parser().parse_args(argv)
    if getattr(args, "action", None) in ("register", "import") and not args.file:
        print(f"twin sensors {args.action}: a FILE is required", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except USER_ERRORS as exc:
        print(f"error: {_bounded(str(exc))}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
