"""The in-process page the app's unit tests drive (tests/test_app_forms.py, tests/test_app_robust.py):
the real :class:`twin.app.main.TwinApp` on the embedded Redon, a fresh variant store in a temporary
directory, and the two ways a test reaches a field — by parameter name, after choosing a family.

Fixtures are imported by the test modules that use them (``from tests.app_helpers import app``):
pytest finds a fixture in the module's namespace.
"""

from __future__ import annotations

import pytest

from twin.app.variants import VariantStore


def make_app(directory, lang: str = "fr"):
    """A page in ``lang`` whose saved variants go to ``directory``/variants."""
    from twin.app.main import TwinApp

    return TwinApp("redon", lang, store=VariantStore(directory / "variants"))


@pytest.fixture()
def fresh(tmp_path):
    """A page of its own for one test (a test that changes it leaves nothing to the next)."""
    return make_app(tmp_path)


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory):
    """One page for a whole module (tests that only read a family's form)."""
    return make_app(tmp_path_factory.mktemp("page"))


@pytest.fixture()
def threads(monkeypatch):
    """Runs in threads of this process (no worker processes to spawn), with an empty result cache."""
    from twin.app.server import workers

    monkeypatch.setattr(workers, "WORKERS", 0)
    monkeypatch.setattr(workers, "_EXECUTORS", {})
    monkeypatch.setattr(workers, "_RESULTS", workers.OrderedDict())


def field(app, name):
    """The widget of parameter ``name`` in the family's form (folded or not: the form keeps them all)."""
    return app.params_box[0]._widgets[name]


def show_family(app, family):
    """Show ``family``'s form, adding it to the page's list when the page does not offer it."""
    if family not in app.family.options.values():
        app.family.options = {**app.family.options, family: family}
    app.family.value = family
