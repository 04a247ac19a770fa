# The project's verbs. `make run` and `make test` do all set-up on a fresh machine.
# RAW_DATA_DIR, AS_OF_DATE, RUN_DATE, WAREHOUSE_PATH and GDPR_HASH_SALT are passed through from
# the environment.

VENV        := .venv
BIN         := $(CURDIR)/$(VENV)/bin
# pyproject asks for Python 3.11 or 3.12: take one of those when the machine has it.
PYTHON      ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
export PATH := $(BIN):$(PATH)
export DBT_PROFILES_DIR := $(CURDIR)
export VIRTUAL_ENV := $(CURDIR)/$(VENV)
# The folders too: a file moved or removed changes its folder's time, not its own.
DBT_FILES   := dbt_project.yml profiles.yml $(shell find models macros seeds snapshots tests \( -path tests/python -o -path tests/spark \) -prune -o \( -type d -o -name '*.sql' -o -name '*.yml' -o -name '*.csv' -o -name '*.md' \) -print 2>/dev/null)
# The Python that ruff checks (make test, test-fast, lint)
PYTHON_CODE := orchestration rnvp expectations scripts tests/python tests/spark
# The Dagster UI keeps its runs and schedules here (make dev); make run needs none.
DAGSTER_UI_HOME ?= $(CURDIR)/.dagster_home

.PHONY: setup run test test-fast test-spark java unit lint docs dev refit-score bench bgnbd-cdnow clean browser

## setup: create .venv, install the pinned dependencies, fetch the postal reference, build the
## dbt manifest Dagster reads
POSTAL_REFERENCE := data/reference/postal_codes.csv
setup: target/manifest.json $(POSTAL_REFERENCE)

# The official postal code list (npm package codes-postaux, checked against its pinned hash).
$(POSTAL_REFERENCE): $(VENV)/.installed rnvp/postal_reference.py
	$(BIN)/python -m rnvp.postal_reference --force --out $@

# The manifest the dbt assets are built from (orchestration/project.py)
target/manifest.json: $(VENV)/.installed $(DBT_FILES)
	$(BIN)/dbt parse --quiet
	@touch $@

# uv installs the pinned packages in seconds where pip took about 90 s (downloads in
# parallel); pip only installs uv itself. --native-tls: the machine's certificates (a proxy
# that signs with its own), which pip reads from pip.conf and uv from nowhere else.
# --compile-bytecode: the .pyc files written now, as pip does (uv does not by default).
# Without them, where PYTHONDONTWRITEBYTECODE is set (as on this machine's shells) every
# process compiles Dagster, dbt and Great Expectations again: their import took 23 to 28 s
# of CPU instead of 12 to 13 s, and one planted main-job run 182 s instead of 141 s.
UV_VERSION  := 0.9.9
$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 13))' \
		|| { echo "Python 3.11 or 3.12 is needed ($(PYTHON) is not): set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --native-tls --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --quiet --native-tls --no-deps -e .
	@touch $@

## run: the main job (demo data unless RAW_DATA_DIR is set), then a summary per stage and level
run: setup
	$(BIN)/python -m orchestration run

## browser: headless Chromium (Debian's package), which the report's tests render it in
# Installed only when missing; apt-get needs root (sudo otherwise). `make run` does not need it.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

## test: every test: ruff, the dbt unit tests, pytest (dbt data tests run inside its end-to-end runs)
# Three pytest workers on two cores: the end-to-end runs spend part of their time starting
# processes and waiting on the Dagster UI, and a third worker keeps both cores busy.
test: setup unit browser
	$(BIN)/ruff check $(PYTHON_CODE)
	$(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder --durations=15

## test-fast: ruff and the tests not marked slow (none runs the main job, dbt, a Great
## Expectations checkpoint on every suite or the Dagster UI): under a minute, for feedback while
## editing. `make test` runs every test.
test-fast: setup
	$(BIN)/ruff check $(PYTHON_CODE)
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow"

## test-spark: the same staging, intermediate and status models built on Spark (dbt-spark,
## session mode, a local PySpark) and compared with DuckDB's, row for row (tests/spark).
# Its own venv: PySpark is about 450 MB that make run and make test do not need.
SPARK_VENV := .venv-spark
$(SPARK_VENV)/.installed: requirements.lock requirements-spark.lock pyproject.toml
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet uv==$(UV_VERSION)
	VIRTUAL_ENV=$(CURDIR)/$(SPARK_VENV) $(SPARK_VENV)/bin/uv pip install --quiet --native-tls \
		--compile-bytecode -r requirements.lock -r requirements-spark.lock
	VIRTUAL_ENV=$(CURDIR)/$(SPARK_VENV) $(SPARK_VENV)/bin/uv pip install --quiet --native-tls --no-deps -e .
	@touch $@

# Spark needs Java 17 (these machines have it; Debian's package otherwise, as make browser does)
java:
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

test-spark: $(SPARK_VENV)/.installed $(POSTAL_REFERENCE) java
	VIRTUAL_ENV=$(CURDIR)/$(SPARK_VENV) PATH=$(CURDIR)/$(SPARK_VENV)/bin:$$PATH \
		$(SPARK_VENV)/bin/python -m pytest tests/spark -p no:cacheprovider -rP

## unit: the dbt unit tests alone (one per business rule), on empty models in a scratch warehouse
unit: setup
	$(BIN)/dbt build --empty --exclude-resource-type test \
		--vars '{raw_data_dir: tests/fixtures/empty_landing, warehouse_path: target/unit.duckdb}'

## lint: ruff on Python, sqlfluff on SQL
# sqlfluff's dbt templater lints models and tests; macros (macros/, tests/generic/) are Jinja
# it cannot render on their own (.sqlfluffignore). run_quietly: no shutdown report of DuckDB's.
# The demo generator's SQL is plain DuckDB: a second run with the raw templater (one run has
# one templater; orchestration/demo_data/sql/.sqlfluff).
lint: setup
	$(BIN)/ruff check $(PYTHON_CODE)
	@mkdir -p warehouse  # the dbt templater opens the warehouse (DuckDB creates no folder)
	$(BIN)/python scripts/run_quietly.py sqlfluff lint models tests
	$(BIN)/sqlfluff lint --templater raw orchestration/demo_data/sql

## docs: build and serve the dbt docs site on http://localhost:8080
docs: setup
	$(BIN)/dbt docs generate
	$(BIN)/dbt docs serve --port 8080

## dev: the Dagster UI on http://localhost:3000 (lineage, runs, schedules)
dev: setup
	mkdir -p $(DAGSTER_UI_HOME) && DAGSTER_HOME=$(DAGSTER_UI_HOME) $(BIN)/dg dev

## refit-score: refit the inactivity score's model at the as-of date (the monthly Dagster job
## refit_inactivity_score); the next `make run` scores with it
refit-score: setup
	$(BIN)/python -m orchestration refit-score

## bench: the main job against the physical bound at SCALE individuals (default 100,000):
## lower bound, full run, peak memory, no-op run, daily run, each step (scripts/bench.py)
SCALE ?= 100000
SEED  ?= 42
bench: setup
	$(BIN)/python scripts/bench.py --scale $(SCALE) --seed $(SEED)

## bgnbd-cdnow: fit BG/NBD on the CDNOW benchmark in ../shared/data (the sample against the
## published estimates, then the full cohort with its fit time)
bgnbd-cdnow: $(VENV)/.installed
	$(BIN)/python -m orchestration.score.cdnow
	$(BIN)/python -m orchestration.score.cdnow --master

clean:
	rm -rf target logs data warehouse .dagster_home spark-warehouse
