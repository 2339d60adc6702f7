"""A saved variant keeps its full outcome beside it (layers, series): the comparison's difference map
and the meeting pack draw from it; deleting the variant deletes it."""

from twin.app.variants import Variant, VariantStore, outcome_rows
from twin.scenarios import SCENARIOS


def test_variant_keeps_its_outcome(tmp_path, redon):
    outcome = SCENARIOS["street-closure"](streets=["Quai Saint-Jacques"]).run(redon)
    store = VariantStore(tmp_path)
    v = store.save(Variant(name="quai", family="street-closure", territory="redon", params={},
                           kpis=outcome_rows(outcome)), outcome=outcome)
    assert store.outcome(v.id).equals(outcome)
    kpi_only = store.save(Variant(name="sans", family="street-closure", territory="redon", params={},
                                  kpis=outcome_rows(outcome)))
    assert store.outcome(kpi_only.id) is None
    store.delete(v.id)
    assert not store.outcome_path(v.id).exists()
    assert [x.id for x in store.list()] == [kpi_only.id]


def test_infinite_members_and_bands_read_back_as_floats(tmp_path):
    """An ensemble's payback per member may be infinite (a bin that never pays back) and a band NaN:
    stored as JSON text, read back as the floats they were (constructed rows)."""
    import math

    row = {"kpi": "payback_years", "variant": "v", "value": 3.0, "baseline": 0.0, "change": 3.0,
           "change_pct": math.nan, "members": [2.0, math.inf, math.nan], "change_low": math.nan,
           "change_high": math.inf, "significant": None, "baseline_name": "baseline"}
    store = VariantStore(tmp_path)
    v = store.save(Variant(name="n", family="bins", territory="redon", params={}, kpis=[row]))
    (back,) = store.get(v.id).kpis
    assert back["members"][0] == 2.0 and back["members"][1] == math.inf and math.isnan(back["members"][2])
    assert math.isnan(back["change_low"]) and back["change_high"] == math.inf and back["significant"] is None
