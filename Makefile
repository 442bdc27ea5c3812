# GovSite: two commands do all set-up on a fresh machine with python3 and make.
#   make run   virtualenv, install, migrate, demo region, web server, demo sites, worker + scheduler
#   make test  the whole test suite (SQLite by default; DATABASE_URL=postgres://… for PostgreSQL)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEV    := DJANGO_SETTINGS_MODULE=govsite.settings.dev
STAMP  := $(VENV)/.installed

.PHONY: run test install lint demo worker clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# A PORT given on the command line is used or refused; the default 8000 gives way to the next free port.
run: $(STAMP)
	@bash scripts/run-dev.sh $(HOST) $(PORT) $(if $(filter command line environment,$(origin PORT)),fixed,auto)

test: $(STAMP)
	@bash scripts/ensure-services.sh
	@bash scripts/ensure-browser.sh
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check govsite

clean:
	rm -rf $(VENV) var
