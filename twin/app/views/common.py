"""What every family's result view shares: the variant shown and the colours of change."""

from __future__ import annotations

INCREASE, DECREASE = "#c0392b", "#1a9850"  # red / green: the river is already blue


def variant_shown(outcome) -> str:
    """The variant a map shows: the first that is not the baseline (the baseline when alone)."""
    names = [str(v) for v in outcome.data["variant"].values if str(v) != outcome.baseline]
    return names[0] if names else outcome.baseline
