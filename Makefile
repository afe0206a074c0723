# fluxlite developer tasks.  `make demo` and `make test` are the README's quick start.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
VERSION := $(shell sed -n 's/^VERSION = "\(.*\)"/\1/p' setup.py)
WHEEL  := dist/fluxlite-$(VERSION)-py3-none-any.whl
SOURCES := $(shell find azext_fluxlite -name '*.py' -o -name '*.json') setup.py README.md HISTORY.rst

.PHONY: venv wheel test unit demo bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

wheel: $(WHEEL)

$(WHEEL): $(VENV)/.installed $(SOURCES)
	rm -rf build dist/*.whl
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation -w dist .
	rm -rf build *.egg-info

# Every test: unit, in-process command tests with mocked ARM, the real `az extension add` of the
# built wheel, and end-to-end runs of the real az against the embedded emulator.
test: $(WHEEL)
	FLUXLITE_WHEEL=$(abspath $(WHEEL)) $(PY) -m pytest -q tests

# Only the fast tests (no wheel install, no emulator).
unit: $(VENV)/.installed
	$(PY) -m pytest -q tests/unit tests/commands

demo: $(WHEEL)
	FLUXLITE_WHEEL=$(abspath $(WHEEL)) PYTHON=$(abspath $(PY)) bash scripts/demo.sh

bench: $(WHEEL)
	FLUXLITE_WHEEL=$(abspath $(WHEEL)) $(PY) scripts/bench.py
	FLUXLITE_WHEEL=$(abspath $(WHEEL)) $(PY) scripts/bench_fleet.py

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache
