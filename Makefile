# The two commands of the README: `make demo` and `make test`. Each does its own set-up.
PYTHON ?= python3
UV := $(PYTHON) -m uv
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(shell $(PYTHON) -c 'import sys; print(sys.executable)')
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test test-pg browser lint messages

setup:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --user uv \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages uv
	@$(UV) sync --frozen --quiet
	@mkdir -p var

# The demo runs without DEBUG, as an office would see it (Vietnamese error pages, no debug
# page); WhiteNoise serves the static files. `canbo demo --port` refuses a busy port before
# building anything, so the address it prints is the one the server below really listens on.
demo: setup
	$(UV) run canbo migrate --noinput -v0
	$(UV) run canbo demo --if-empty --host $(HOST) --port $(PORT)
	@# The background worker runs large imports; it stops when the web server does.
	$(UV) run canbo db_worker --no-reload & trap 'kill $$!' EXIT; \
		$(UV) run canbo runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests; never a downloaded browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

test: setup browser
	$(UV) run pytest $(PYTEST_ARGS)

lint: setup
	$(UV) run ruff check canbo tests bench
