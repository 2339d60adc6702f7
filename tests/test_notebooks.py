"""Every notebook in notebooks/ runs top to bottom (executed here so it never rots)."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


# notebooks that check a model against reference data in ../shared, and the file each needs
NEEDS_REFERENCE = {"bin_densification": "bins/edinburgh_litter_bins_2016-06-03_2016-07-19.csv.gz",
                   "water_network": "water/battledim_2018/L-TOWN.inp",
                   "parking_search": "parking/birmingham_carparks_2016-10-04_2016-11-27.csv",
                   "bare_territory": "territories/pont_de_veyle.osm.gz"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    from tests.conftest import REFERENCE, reference_file

    if path.stem in NEEDS_REFERENCE:
        reference_file(NEEDS_REFERENCE[path.stem])  # skips, naming the file, when ../shared is absent
    # the kernel runs in a temporary folder: it finds the reference data through the environment
    monkeypatch.setenv("TWIN_REFERENCE_DATA", str(REFERENCE.resolve()))

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
