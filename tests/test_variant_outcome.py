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
