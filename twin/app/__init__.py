"""The Panel app: the territory map, a scenario builder, side-by-side comparison, workshop mode.

Served by ``twin app`` (``apps/twin_app.py``). The pieces are importable and tested on their own:
:mod:`twin.app.i18n` (French first, English available, French number formats),
:mod:`twin.app.variants` (saved variants that survive a restart), :mod:`twin.app.mapview`
(the map, drawn from the territory's own geometry, no tile server), :mod:`twin.app.report`
(the one-page report), :mod:`twin.app.views` (one result view per scenario family, drawn from the
``Outcome``), :mod:`twin.app.cards` (the cards' escaped HTML), :mod:`twin.app.server` (worker
processes, result cache, garbage collection, server tuning) and :mod:`twin.app.main` (the page).
"""
