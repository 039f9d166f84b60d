# One entry point for people and CI. `make demo` and `make test` work on a fresh machine with
# only Python 3.11+: the first call creates .venv and installs the pinned dependencies.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: setup lint demo test dev dashboard run evaluate evaluate-real model bench bench-day clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[test,model,scale]"
	$(BIN)/newsevents prepare-dbt
	touch $(STAMP)

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $@

setup: $(STAMP) $(DAGSTER_HOME)/dagster.yaml  ## create .venv, install, prepare the dbt manifest

demo: setup  ## serve the fixture sites on 127.0.0.1 and run the daily job into warehouse/demo.duckdb
	$(BIN)/newsevents demo

lint: setup  ## ruff: lint and format check (configured in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint  ## lint, then the whole test suite (what CI runs)
	$(BIN)/pytest -q

dashboard: setup  ## the incident dashboard on http://127.0.0.1:8050 (reads the newest published BI copy)
	$(BIN)/newsevents dashboard

dev: setup  ## the Dagster UI on http://127.0.0.1:3000
	$(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

run: setup  ## the daily job for yesterday against sources.yml (needs internet)
	$(BIN)/newsevents run

evaluate: setup  ## extraction quality on the labelled dev set
	$(BIN)/newsevents evaluate

REAL_DEVSETS ?= $(CURDIR)/../shared/devsets/real
evaluate-real: setup  ## extraction quality on real coded records (ACLED notes, UCDP headlines), when present
	@if [ -f "$(REAL_DEVSETS)/score.py" ]; then \
		NEWSEVENTS_CACHE_DIR=$${NEWSEVENTS_CACHE_DIR:-$(CURDIR)/.cache} $(PYTHON) "$(REAL_DEVSETS)/score.py" --cmd "$(CURDIR)/$(BIN)/newsevents extract --jsonl"; \
	else \
		echo "evaluate-real: no real dev sets at $(REAL_DEVSETS) (set REAL_DEVSETS=...); nothing scored"; \
	fi

model: setup  ## rebuild the sub-type classifier (transforms/data/subtype_model.json.gz) from transforms/data/training
	$(BIN)/python -m transforms.extract.classifier

bench: setup  ## crawl + parse throughput and memory for 1,000 and 10,000 synthetic pages
	$(BIN)/python -m tests.benchmarks.crawl_parse --pages 1000 10000

bench-day: setup  ## a synthetic 5,000-article day through the daily job: seconds per step, peak RSS, rows
	$(BIN)/python -m tests.benchmarks.day --articles $(or $(ARTICLES),5000)

clean:
	rm -rf $(VENV) .dagster_home warehouse/*.duckdb warehouse/*.wal warehouse/published warehouse/demo_published warehouse/logs dbt_project/target build
