# Two entry points (see README): `make run` serves the platform, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench snapshot snapshot-referentiel clean

$(BIN)/pvd: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/pvd

run: $(BIN)/pvd
	$(BIN)/pvd serve

# PYTEST_ARGS narrows a run (CI runs the browser and fuzz suites on one database only).
test: $(BIN)/pvd
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: $(BIN)/pvd
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/lint-imports --no-cache

bench: $(BIN)/pvd
	$(BIN)/python bench/bench_referential.py

# Rebuild the embedded open-data snapshot (src/pvd/data/opendata) from the shared open-data
# folder (PVD_SHARED_DATA, default ../shared/data); `--check` compares a rebuild with it.
snapshot: $(BIN)/pvd
	$(BIN)/python scripts/build_opendata.py

# Rebuild the embedded territorial referential from the npm registry (needs npm and network).
snapshot-referentiel: $(BIN)/pvd
	$(BIN)/python scripts/build_snapshot.py

clean:
	rm -rf $(VENV) var
