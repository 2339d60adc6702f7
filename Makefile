# One command to set up and run the twin, one to set up and run the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench docs setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/twin run redon
	$(BIN)/twin app --territory redon

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_territory.py
	$(BIN)/python benchmarks/bench_sensor_scale.py
	$(BIN)/python benchmarks/bench_lighting.py
	$(BIN)/python benchmarks/bench_hydrology.py
	$(BIN)/python benchmarks/bench_forecast.py
	$(BIN)/python benchmarks/bench_buildings.py
	$(BIN)/python benchmarks/bench_traffic.py
	$(BIN)/python benchmarks/bench_bins.py
	$(BIN)/python benchmarks/bench_app.py

docs: $(STAMP)
	$(BIN)/python -m pip install --quiet pdoc
	$(BIN)/pdoc twin -o docs/api

clean:
	rm -rf $(VENV) .twin-cache .pytest_cache
