"""The twin app: ``python -m panel serve apps/twin_app.py`` (or ``twin app``).

The territory comes from ``TWIN_TERRITORY`` (default: the embedded Redon), saved variants from
``TWIN_APP_STATE`` (default ``.twin-app``); ``?lang=en`` for English.
"""

import panel as pn

from twin.app.main import create_app

pn.extension(notifications=False)
create_app().servable(title="twin")
