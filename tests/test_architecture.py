"""The package's layers (pyproject.toml, ``[tool.importlinter]``) hold, and a back-edge breaks them.

``lint-imports`` runs in a subprocess exactly as a developer or CI runs it. The injected cases copy
the package and its contract into a temporary directory, add one forbidden import to the copy and
check that the contract names that very import: so the check can fail, and fails for the right reason.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())", "--no-cache"]


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the package and contract of ``project`` (its ``twin/`` comes first on the path)."""
    env = {"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(LINT + ["--config", str(project / "pyproject.toml")], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_package_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Contracts: 4 kept, 0 broken." in result.stdout, result.stdout[-3000:]


def _copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "twin", project / "twin", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


# (module of the copy, the line added to it, the contract that must name it, what the report must show)
BACK_EDGES = [
    ("twin/models/traffic_graph.py", "import twin.cli", "Layers",
     "twin.models.traffic_graph -> twin.cli"),
    ("twin/errors.py", "from twin.scenarios.base import ScenarioError", "Layers",
     "twin.errors -> twin.scenarios.base"),
    ("twin/sources/tntp.py", "from twin.models.traffic import assign", "Layers",
     "twin.sources.tntp -> twin.models.traffic"),
    ("twin/models/hydrology.py", "from twin.sensors import SensorStore", "Models compute on arrays",
     "twin.models.hydrology -> twin.sensors"),
    ("twin/models/traffic_graph.py", "from twin.models.traffic_paths import assign_paths", "No import cycle",
     "No cycles are allowed in twin.models"),
]


@pytest.mark.parametrize("module, line, contract, shown", BACK_EDGES, ids=[b[3] for b in BACK_EDGES])
def test_an_injected_back_edge_breaks_the_contract(tmp_path, module, line, contract, shown):
    project = _copy_project(tmp_path)
    assert lint_imports(project).returncode == 0, "the unmodified copy must keep the contract"
    path = project / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # injected back-edge\n", encoding="utf-8")
    result = lint_imports(project)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken and shown in broken, result.stdout[-4000:]


def test_errors_is_a_leaf_at_import_time():
    """Importing twin.errors loads no other twin module: any layer can derive its errors from TwinError."""
    code = "import sys, twin.errors; print(sorted(m for m in sys.modules if m.startswith('twin')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "['twin', 'twin.errors']"


def test_every_user_error_is_caught_and_still_a_value_error():
    """The CLI and the app catch USER_ERRORS: every user error is in it, and ``except ValueError`` still works."""
    from twin.calibration.buildings import MeterDataError
    from twin.ensemble import EnsembleError
    from twin.errors import USER_ERRORS, TwinError
    from twin.models.lighting import ScheduleError
    from twin.models.vehicle_routing import RoutingError
    from twin.models.waste import WasteModelError
    from twin.quantities import UnitError
    from twin.scenarios.base import ScenarioError
    from twin.sensitivity import SensitivityError
    from twin.sensors import SensorDataError, StoreBusyError
    from twin.sources.bin_records import BinRecordsError
    from twin.sources.hydro_csv import HydroDataError
    from twin.sources.ics import CalendarError
    from twin.sources.lamp_inventory import InventoryError
    from twin.sources.meters import MeterFileError
    from twin.sources.osm import OsmFileError
    from twin.sources.safe_files import InputFileError
    from twin.sources.tntp import TntpError
    from twin.territory import TerritoryBuildError

    user_errors = [OsmFileError, TerritoryBuildError, SensorDataError, StoreBusyError, UnitError, ScenarioError,
                   ScheduleError, CalendarError, InventoryError, HydroDataError, MeterDataError, MeterFileError,
                   TntpError, EnsembleError, SensitivityError, BinRecordsError, WasteModelError, RoutingError,
                   InputFileError]
    for cls in user_errors:
        assert issubclass(cls, USER_ERRORS) and issubclass(cls, ValueError), cls
        try:
            raise cls("bad input")
        except USER_ERRORS as exc:
            assert str(exc) == "bad input"
    assert issubclass(FileNotFoundError, USER_ERRORS)
    assert TwinError in USER_ERRORS and not issubclass(KeyError, USER_ERRORS)
    assert not issubclass(ValueError, USER_ERRORS)  # a programming error still shows its traceback


def test_every_user_error_message_is_bounded_where_it_is_made():
    """A value echoed from a file (a 20 MB CSV cell) must not make a 20 MB error in memory, in a
    terminal or in a page: TwinError cuts its message, so every user error of every layer does."""
    from twin.errors import MAX_MESSAGE_CHARS, TwinError
    from twin.sensors import SensorDataError

    cell = "x" * 20_000_000
    err = SensorDataError(f"data.csv: line 2: value {cell!r} is not a number")
    text = str(err)
    assert isinstance(err, TwinError) and isinstance(err, ValueError)
    assert len(text) < MAX_MESSAGE_CHARS + 100 and text.startswith("data.csv: line 2: value 'xxx")
    assert text.endswith("(19,998,042 characters more not shown)"), text[-60:]
    assert str(SensorDataError("short")) == "short"
