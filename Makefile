# `make demo` runs on a fresh machine with no database server; `make test` is the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DEMO_STAMP := $(VENV)/.installed-demo
PIP := $(BIN)/python -m pip install -q --disable-pip-version-check
# the package's bytecode, written once: an editable install has none, and with bytecode writing
# off (PYTHONDONTWRITEBYTECODE) every run would compile it again
COMPILE := $(BIN)/python -m compileall -q alembic_sentinel

.PHONY: venv demo mysql lint types test compat bench release clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) -e '.[test]'
	$(COMPILE)
	touch $(STAMP) $(DEMO_STAMP)

venv: $(STAMP)

# the demo runs the package alone: no test tools
$(DEMO_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	$(COMPILE)
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash demo/demo.sh

mysql: venv
	$(BIN)/python scripts/ensure_mysql.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: venv
	$(BIN)/mypy

# pytest-xdist workers: the tests wait on subprocesses that start Python and import SQLAlchemy,
# so on 2 cores 2 workers are fastest (docs/benchmarks.md); TEST_WORKERS=auto uses every core
TEST_WORKERS ?= 2
export TEST_WORKERS

# the whole suite on the newest stack in .venv, then the stack-dependent tests on the oldest
# supported one; fails when any test fails
test: venv mysql lint types
	$(BIN)/pytest -n $(TEST_WORKERS)
	$(MAKE) compat

# Python 3.9 (or the oldest here), SQLAlchemy 1.4, Alembic 1.7, Flask-SQLAlchemy 2.5,
# Flask-Migrate 2.7 against the same MariaDB, on the tests that depend on the stack (noxfile.py)
compat: venv mysql
	$(BIN)/nox -s oldest

# heads needs no server; the drift check's benchmark runs on MariaDB/MySQL (`make mysql`)
bench: venv mysql
	$(BIN)/python bench/heads_bench.py
	$(BIN)/python bench/lint_bench.py
	$(BIN)/python bench/ci_bench.py
	$(BIN)/python bench/data_bench.py
	$(BIN)/python bench/drift_bench.py
	$(BIN)/python bench/hook_bench.py
	$(BIN)/python bench/plan_bench.py

# sdist and wheel into dist/, checked by twine (the `release` extra); then tag and publish:
#   git tag v$(VERSION) && git push origin v$(VERSION) && twine upload dist/*
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
release: venv
	$(PIP) -e '.[release]'
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*
	@echo "built alembic-sentinel $(VERSION) into dist/; tag it: git tag v$(VERSION)"

clean:
	rm -rf $(VENV) .nox .pytest_cache .mypy_cache .ruff_cache *.egg-info dist election-dev.db election-test.db
