"""A variant saved from the Scénario tab during a workshop carries its participant's name; a
participant who has not joined is asked to join first and nothing is saved (in-process, real app
and a real street-closure run)."""

import asyncio
import html

from tests.test_workshop import _join, _page, workshop_env  # noqa: F401 - the fixture is used by name
from twin.app.variants import VariantStore


def test_a_saved_variant_carries_its_author_once_joined(tmp_path, workshop_env):  # noqa: F811
    store = VariantStore(tmp_path / "variants")
    app = _page(store)
    asyncio.run(app.run())  # the builder's default: a street closure on the quay
    assert app.outcome_rows
    app.variant_name.value = "Quai fermé"
    app.save()
    assert store.list() == []  # not joined: nothing saved
    assert "Rejoignez d'abord l'atelier" in html.unescape(app.save_note.object)
    _join(app, "Anne Martin")
    app.save()
    (v,) = store.list()
    assert (v.name, v.author) == ("Quai fermé", "Anne Martin")
    assert store.outcome(v.id) is not None  # the full outcome is kept beside it
