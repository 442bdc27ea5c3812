# GovSite: two commands do all set-up on a fresh machine with python3 and make.
#   make run   virtualenv, install, migrate, demo region, web server + background worker
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

run: $(STAMP)
	$(DEV) $(BIN)/govsite migrate --noinput
	$(DEV) $(BIN)/govsite demo
	@echo ""
	@echo "  门户网站:   http://$(HOST):$(PORT)/"
	@echo "  管理后台:   http://$(HOST):$(PORT)/admin/"
	@echo "  接口文档:   http://$(HOST):$(PORT)/api/v1/docs"
	@echo "  其他托管站点: http://<网站标识码>.localhost:$(PORT)/"
	@echo ""
	@bash scripts/run-dev.sh $(HOST) $(PORT)

test: $(STAMP)
	@bash scripts/ensure-services.sh
	@bash scripts/ensure-browser.sh
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check govsite

clean:
	rm -rf $(VENV) var
