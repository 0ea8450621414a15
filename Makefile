# The two everyday commands are "make run" and "make test"; "make quality" runs
# every check CI runs before the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := ogp_tracker.settings

.PHONY: run test quality install messages migrate load-plans format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

messages: install
	$(BIN)/pybabel compile --statistics -d locale -D django

migrate: install
	$(BIN)/python manage.py migrate --noinput

load-plans: migrate
	$(BIN)/python manage.py load_bundled_plans

# DEBUG=false make run shows the site as in production (translated error pages,
# hashed static files), which needs the static files collected first.
run: messages load-plans
	if [ "$${DEBUG:-true}" = "false" ]; then $(BIN)/python manage.py collectstatic --noinput -v0; fi
	DEBUG=$${DEBUG:-true} OGP_SITE_URL=$${OGP_SITE_URL:-http://127.0.0.1:$(PORT)} \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: messages
	$(BIN)/pytest $(PYTEST_ARGS)

quality: messages
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djlint templates --lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djlint templates --reformat

clean:
	rm -rf $(VENV) var
