"""Sensitivity analysis: the Ishigami function's known indices, and a scenario's drivers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from twin.cli import main
from twin.sensitivity import SensitivityError, analyse, sample, scenario_sensitivity


def test_sobol_indices_of_the_ishigami_function():
    inputs = {f"x{i}": [-np.pi, np.pi] for i in (1, 2, 3)}
    X = sample(inputs, "sobol", 2048)
    Y = np.sin(X[:, 0]) + 7 * np.sin(X[:, 1]) ** 2 + 0.1 * X[:, 2] ** 4 * np.sin(X[:, 0])
    r = analyse(inputs, "sobol", X, Y).set_index("input")
    # Analytic values (Ishigami & Homma 1990; a = 7, b = 0.1)
    assert r.loc["x1", "S1"] == pytest.approx(0.3139, abs=0.05)
    assert r.loc["x2", "S1"] == pytest.approx(0.4424, abs=0.05)
    assert abs(r.loc["x3", "S1"]) < 0.05
    assert r.loc["x1", "ST"] == pytest.approx(0.5576, abs=0.05)
    assert r.loc["x3", "ST"] == pytest.approx(0.2437, abs=0.05)


def test_what_drives_a_lighting_plan(seed_territory):
    spec = {"family": "lighting", "led_retrofit": False}
    idx = scenario_sensitivity(spec, seed_territory, {"price_eur_per_kwh": [0.15, 0.30], "offset_min": [0, 30],
                                                      "co2_kg_per_kwh": [0.03, 0.08]}, method="morris", n=4,
                               progress=False)
    energy = idx[(idx["variant"] == "schedule") & (idx["kpi"] == "energy_kwh")].set_index("input")["mu_star"]
    cost = idx[(idx["variant"] == "schedule") & (idx["kpi"] == "cost_eur")].set_index("input")["mu_star"]
    assert energy.idxmax() == "offset_min" and energy["price_eur_per_kwh"] == 0
    assert cost["price_eur_per_kwh"] > 0 and cost["co2_kg_per_kwh"] == 0


def test_bad_sensitivity_requests(seed_territory, tmp_path, capsys):
    with pytest.raises(SensitivityError, match="range must be"):
        sample({"a": [1, 0]}, "morris", 4)
    with pytest.raises(SensitivityError, match="unknown input"):
        scenario_sensitivity({"family": "lighting"}, seed_territory, {"colour": [0, 1]}, progress=False)
    f = tmp_path / "s.json"
    f.write_text(json.dumps({"family": "lighting"}))
    assert main(["sensitivity", str(f)]) == 1
    assert "uncertain" in capsys.readouterr().err


def test_cli_writes_indices_and_a_chart(tmp_path, capsys):
    f = tmp_path / "plan.json"
    f.write_text(json.dumps({"family": "lighting", "led_retrofit": False,
                             "uncertain": {"price_eur_per_kwh": [0.15, 0.30], "offset_min": [0, 30]}}))
    assert main(["sensitivity", str(f), "--method", "morris", "--samples", "3", "--out", str(tmp_path / "i.csv"),
                 "--chart", "cost_eur", "--png", str(tmp_path / "c.png")]) == 0
    assert (tmp_path / "i.csv").stat().st_size > 0 and (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
