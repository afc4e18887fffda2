# cxloop: `make demo` sets everything up and runs the demo company on DuckDB;
# `make test` sets everything up and runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Debian packages the tests need (browser tests, PostgreSQL, Java 17 for Spark)
SYSTEM_PACKAGES ?= chromium fonts-wqy-microhei postgresql openjdk-17-jre-headless
DEMO_DIR ?= demo
DEMO_CUSTOMERS ?= 20000
# customers in the synthetic company of `make bench` (cxloop bench --scale)
BENCH_SCALE ?= 100000

.PHONY: install system-deps demo test test-fast bench lint format lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (cxloop needs Python 3.11+)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@$(MAKE) --no-print-directory system-deps
	@touch $(STAMP)

system-deps:
	@bash scripts/install-system-packages.sh $(SYSTEM_PACKAGES)

demo: install
	$(BIN)/cxloop --project $(DEMO_DIR) demo --customers $(DEMO_CUSTOMERS) --serve

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=25 -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser and not spark and not postgres" -x

bench: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r benchmarks/requirements.txt
	@mkdir -p .bench
	$(BIN)/cxloop bench --scale $(BENCH_SCALE) --out .bench/suite-$(BENCH_SCALE)
	$(BIN)/python -m benchmarks

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

# Re-pin every installed package after changing pyproject.toml's dependencies.
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^cxloop' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
