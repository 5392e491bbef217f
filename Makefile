# Quick start: `make run` (set up, seed the demo, serve on 127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SYS_PACKAGES := libharfbuzz-subset0 fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-liberation2 poppler-utils gettext libreoffice-writer-nogui

.PHONY: run test venv sysdeps migrate seed worker lint format messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

# System packages for the PDF output (font subsetting and CJK fonts). Installed when we can.
sysdeps:
	@missing=$$(for p in $(SYS_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing system packages: $$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }; \
	else \
		echo "PDF output needs these Debian packages; please run:"; \
		echo "    sudo apt-get install -y $$missing"; \
	fi

migrate: venv
	DEBUG=1 $(PY) manage.py migrate --noinput -v0

seed: migrate
	DEBUG=1 $(PY) manage.py seed_demo

run: venv sysdeps seed
	@echo "Serving on http://$(HOST):$(PORT)/ (the background worker runs beside it; Ctrl-C stops both)"
	@DEBUG=1 $(PY) manage.py db_worker --interval 1 >var/worker.log 2>&1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

worker: venv
	DEBUG=1 $(PY) manage.py db_worker

test: venv sysdeps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: venv
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/healthreports.sqlite3 var/media var/staticfiles
