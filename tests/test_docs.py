"""The API reference builds from the docstrings, and the user guide's commands exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_api_reference_builds(tmp_path):
    subprocess.run([sys.executable, "-m", "pdoc", "twin", "-o", str(tmp_path)], check=True, capture_output=True)
    for module in ("territory", "sensors", "models/hydrology", "models/lighting", "models/traffic", "scenarios/flood"):
        page = tmp_path / "twin" / f"{module}.html"
        assert page.exists(), module
    assert "Perrin" in (tmp_path / "twin" / "models" / "hydrology.html").read_text()


def test_every_command_of_the_user_guide_is_a_real_subcommand():
    from twin.cli import build_parser

    choices = build_parser()._subparsers._group_actions[0].choices
    guide = (ROOT / "docs" / "user-guide.md").read_text() + (ROOT / "README.md").read_text()
    used = set(re.findall(r"\.venv/bin/twin (\w+)", guide))
    assert used and used <= set(choices), used - set(choices)
