"""Why a KPI card has no value: one plain sentence in place of the cards a run could not fill.

A KPI whose value is not a number (NaN) is not computed, not zero: the cards leave it out
(:func:`twin.app.cards.kpi_cards_html`) and say why here. The reasons are the scenarios' own
(their KPI descriptions): flood detours have no emergency-access times when the territory holds no
fire station or hospital (:mod:`twin.scenarios.flood_detours`); a flood lead time is NaN when no
member crosses the level within the horizon, a peak time when the water still rises at its end
(:mod:`twin.scenarios.flood`). Hidden KPIs no reason
covers are listed by name, never dropped silently.
"""

from __future__ import annotations

from twin.app.i18n import kpi_label, t

_ACCESS = ("buildings_late", "buildings_unreachable", "worst_min")
FIRE = frozenset(f"fire_{k}" for k in _ACCESS)
HOSPITAL = frozenset(f"hospital_{k}" for k in _ACCESS)

REASONS: tuple[tuple[frozenset[str], str], ...] = (
    (FIRE | HOSPITAL, "res_fd_no_emergency"),  # both services missing: one sentence, not two
    (FIRE, "res_fd_no_fire"),
    (HOSPITAL, "res_fd_no_hospital"),
    *((frozenset({f"lead_time_{level}_h"}), "res_flood_never") for level in ("yellow", "orange", "red")),
    (frozenset({"peak_after_h"}), "res_flood_peak_beyond"),
)
"""(the KPIs a reason explains when all of them have no value, its sentence's key), widest first."""


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def explain(hidden: list[str], lang: str = "fr") -> tuple[list[str], list[str]]:
    """(sentences, unexplained): the reasons of :data:`REASONS` covering the ``hidden`` KPIs (each
    reason used only when every KPI it explains is hidden), and the hidden KPIs none covers, in order."""
    left = list(hidden)
    sentences = []
    for kpis, key in REASONS:
        if kpis <= set(left):
            label = _first_upper(kpi_label(next(iter(kpis)), "", lang)) if len(kpis) == 1 else ""
            sentences.append(t(key, lang, label=label))
            left = [k for k in left if k not in kpis]
    return sentences, left
