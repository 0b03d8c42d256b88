# examgrader: every target sets up what it needs first (idempotent).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install browser run test lint bench bench-memory eval clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# The page's tests drive Debian's Chromium through Playwright (no browser is downloaded).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

run: install
	$(BIN)/examgrader serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check app solvers question_bank tests bench
	$(BIN)/ruff format --check app solvers question_bank tests bench
	$(BIN)/mypy

test: install browser lint
	$(BIN)/pytest

bench: install
	$(BIN)/python -m bench.throughput

# 100,000 mixed requests; fails unless the server's memory stays flat after the warm-up.
bench-memory: install
	$(BIN)/python -m bench.memory

eval: install
	$(BIN)/python -m question_bank.evaluate_matching
	$(BIN)/python -m question_bank.evaluate_grading

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
