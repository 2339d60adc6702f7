"""An empty street name is refused before any run (issue 17, "Robust runs"): unnamed OSM streets
carry the empty name in the street index, so ``streets: ['']`` closed every unnamed street of the
territory instead of saying the box was left empty.

Same shape as tests/test_scenario_hardening.py: ``twin run`` returns 1 with one short paragraph
naming the file and the parameter, before the territory is loaded.
"""

from __future__ import annotations

import json

import pytest

from twin.cli import main
from twin.scenarios import SCENARIOS, ScenarioError

# (case, scenario, words the message must hold)
CASES = [
    ("closure ['']", {"family": "street-closure", "streets": [""]}, ["s.json", "streets", "empty street name"]),
    ("closure blank among names", {"family": "street-closure", "streets": ["Quai Saint-Jacques", "   "]},
     ["s.json", "streets", "item 2 of 2", "empty street name"]),
    ("roadworks ['']", {"family": "roadworks", "streets": [""]}, ["s.json", "streets", "empty street name"]),
    ("roadworks detour ['']", {"family": "roadworks", "streets": ["Quai Saint-Jacques"], "detour": ["\t"]},
     ["s.json", "detour", "empty street name"]),
]


def _never(*args, **kwargs):
    raise AssertionError("the territory was loaded before the input was refused")


@pytest.mark.parametrize("case,spec,words", CASES, ids=[c[0] for c in CASES])
def test_twin_run_refuses_an_empty_street_name(case, spec, words, tmp_path, monkeypatch, capsys):
    import twin.cli

    monkeypatch.setattr(twin.cli.common, "load_territory", _never)
    monkeypatch.chdir(tmp_path)
    f = tmp_path / "s.json"
    f.write_text(json.dumps(spec))
    assert main(["run", "--scenario", str(f)]) == 1
    err = capsys.readouterr().err
    for w in words:
        assert w in err, f"{case}: {w!r} missing from {err!r}"
    assert "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize("family,param_name", [("street-closure", "streets"), ("roadworks", "streets"),
                                               ("roadworks", "detour")])
def test_the_constructor_refuses_an_empty_name_and_keeps_real_ones(family, param_name):
    cls = SCENARIOS[family]
    base = {"streets": ["Quai Saint-Jacques"]}
    with pytest.raises(ScenarioError, match=rf"^{param_name}: item 1 of 1 is an empty street name"):
        cls(**{**base, param_name: [""]})
    # names and OSM way ids pass; a name with spaces around it is a name
    ok = cls(**{**base, param_name: [" Quai Saint-Jacques ", 12345, "12345"]})
    assert getattr(ok, param_name)[0] == " Quai Saint-Jacques "


def test_a_named_closure_still_runs_on_redon():
    from twin.seeds import load_default

    out = SCENARIOS["street-closure"](streets=["Quai Saint-Jacques"]).run(load_default())
    assert out.value("closed_street_length_m", out.data["variant"].values[1]) > 0
