"""The skill of replayed forecasts against lead time, as a picture (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

LINES = (("", "updated forecast", "#1f5fa8", "-"), ("_no_update", "without update", "#8c8c8c", "--"),
         ("_persistence", "persistence (last observed)", "#c0392b", ":"))


def skill_by_lead(replay: dict, path: str | Path) -> Path:
    """Write a PNG of NSE (left) and CRPS (right) against lead time (h) for the updated forecast, the forecast
    without update and persistence, from a replay's :meth:`twin.forecast.replay.Replay.as_dict`."""
    # a Figure of its own, not pyplot's: switching the backend to Agg here left a notebook without its
    # inline figures from then on
    from matplotlib.figure import Figure  # noqa: PLC0415

    leads = sorted(replay["leads"], key=float)
    hours = [float(k) for k in leads]
    fig = Figure(figsize=(10, 4), constrained_layout=True)
    ax_nse, ax_crps = fig.subplots(1, 2)
    for suffix, label, colour, style in LINES:
        ax_nse.plot(hours, [replay["leads"][k]["nse" + suffix] for k in leads], style, marker="o", color=colour,
                    label=label)
        ax_crps.plot(hours, [replay["leads"][k]["crps" + suffix] for k in leads], style, marker="o", color=colour,
                     label=label)
    rain = replay["rain"]
    ax_nse.set(xlabel="lead time (h)", ylabel="NSE (1 is perfect)", title="Nash–Sutcliffe efficiency")
    ax_crps.set(xlabel="lead time (h)", ylabel=f"CRPS ({replay['discharge_unit'].replace('m3/s', 'm³/s')}; lower is better)",
                title="CRPS, dressed members (persistence: absolute error)")
    ax_nse.grid(alpha=0.3)
    ax_crps.grid(alpha=0.3)
    ax_nse.legend(loc="lower left")
    fig.suptitle(f"{replay['issues']} forecasts {replay['period'][0]} … {replay['period'][1]} — rain: "
                 f"{rain['label']} ({rain['kind']}), update: {replay['update']}", fontsize=9)
    path = Path(path)
    fig.savefig(path, dpi=110)
    return path
