"""Every notebook in notebooks/ runs top to bottom (executed here so it never rots), shows the figures it
draws, and leaves nothing behind in its working directory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


# notebooks that check a model against reference data in ../shared, and the file each needs
NEEDS_REFERENCE = {"bin_densification": "bins/edinburgh_litter_bins_2016-06-03_2016-07-19.csv.gz",
                   "water_network": "water/battledim_2018/L-TOWN.inp",
                   "parking_search": "parking/birmingham_carparks_2016-10-04_2016-11-27.csv",
                   "bare_territory": "territories/pont_de_veyle.osm.gz"}

# files a notebook is meant to write in its working directory (relative paths); none does: figures show inline
WRITES: dict[str, set[str]] = {}

# a code cell that draws with matplotlib (pyplot, an Axes, pandas' or geopandas' .plot)
DRAWS = re.compile(r"\bplt\.(show|subplots|figure|plot|scatter|bar|barh|hist|imshow)\(|\.plot\(|\.plot\.\w+\("
                   r"|\bax\w*(\[\d+\])?\.(plot|scatter|bar|barh|fill_between|hist|imshow)\(")
# a line that opens a new figure: each must come out as one image at least
NEW_FIGURE = re.compile(r"\bplt\.(subplots|figure)\(|figsize=")


def figures_opened(source: str) -> int:
    # comment lines do not draw ("#" inside a line may be a colour, so only whole comment lines are skipped)
    return sum(1 for line in source.splitlines() if not line.lstrip().startswith("#") and NEW_FIGURE.search(line))


def images(cell) -> int:
    """PNG images a cell displayed (what the inline backend sends for each figure, and IPython's Image)."""
    return sum(1 for o in cell.get("outputs", [])
               if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {}))


def test_figure_detection():
    # the checks below rely on these patterns: a figure-drawing cell is recognised, a table cell is not
    assert DRAWS.search("fig, ax = plt.subplots(figsize=(7, 3))") and figures_opened("fig, ax = plt.subplots(figsize=(7, 3))") == 1
    assert DRAWS.search('ax = p.plot(figsize=(7, 3), title="x")') and DRAWS.search("rates.plot.bar(ax=ax[0])")
    assert DRAWS.search('ax[1].plot(model.profile)') and DRAWS.search("plt.show()")
    assert not DRAWS.search('out.compare().query("variant != \'baseline\'")[["kpi", "value"]].round(2)')
    assert figures_opened("plt.figure(figsize=(4, 4)); plt.plot([0, 1])") == 1
    assert figures_opened('ax = layer.plot(color="#ddd", figsize=(7, 6))\n# fig, ax = plt.subplots()') == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    from tests.conftest import REFERENCE, reference_file

    if path.stem in NEEDS_REFERENCE:
        reference_file(NEEDS_REFERENCE[path.stem])  # skips, naming the file, when ../shared is absent
    # the kernel runs in a temporary folder: it finds the reference data through the environment
    monkeypatch.setenv("TWIN_REFERENCE_DATA", str(REFERENCE.resolve()))
    # the kernel's own inline backend, whatever this shell sets (MPLBACKEND=Agg would hide every figure)
    monkeypatch.delenv("MPLBACKEND", raising=False)

    before = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")}
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors

    # every cell that draws shows its figures inline, as many images as figures it opens (a figure drawn on a
    # non-interactive backend, or only saved to a file, shows nothing to the reader)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    blind = [f"cell {i}: draws, {images(c)} image(s) shown for {max(1, figures_opened(c.source))} figure(s)"
             for i, c in code if DRAWS.search(c.source) and images(c) < max(1, figures_opened(c.source))]
    assert not blind, blind

    # nothing left in the working directory but what the notebook is meant to write
    after = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")}
    left = sorted(after - before - WRITES.get(path.stem, set()))
    assert not left, f"{path.name} left files in its working directory: {left}"
