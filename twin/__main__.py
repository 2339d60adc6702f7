"""``python -m twin``: the same command line as ``twin`` (:func:`twin.cli.main`)."""

import sys

from twin.cli import main

sys.exit(main())
