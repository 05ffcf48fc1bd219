# Two commands: `make site` and `make test` (see README.md). Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AXE_VERSION := 4.10.3
AXE := $(VENV)/npm/.axe-core-$(AXE_VERSION)
# Debian packages the tests need: Chromium for browser tests, CJK fonts so pages render Chinese,
# Java for EPUBCheck, poppler-utils (pdftotext, pdffonts, pdftoppm) to read the print edition.
# Installed only when missing (root, or through sudo).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test test-fast lint check serve system-deps system-test-deps clean

site: $(STAMP) system-deps
	$(PY) -m generator build

check: $(STAMP)
	$(PY) -m generator check

serve: $(STAMP)
	$(PY) -m generator serve

# The suite runs in a worker per core (pytest-xdist), at most 4: each test file whole on one worker
# (--dist loadfile: a file's module fixtures, such as a built archive, are made once), the longest
# files first (tests/conftest.py; --no-loadscope-reorder keeps that order, which xdist would
# otherwise replace by the number of tests in each file). One worker: `make test TEST_WORKERS=0`.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

test: $(STAMP) $(VENV)/.test-installed system-test-deps $(AXE) lint
	$(PYTEST)

# The suite without the archive-scale tests (marked slow): for a quick run while developing.
test-fast: $(STAMP) $(VENV)/.test-installed system-test-deps $(AXE)
	$(PYTEST) -m "not slow"

lint: $(VENV)/.test-installed
	$(PY) -m ruff check generator tests
	$(PY) -m mypy

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# axe-core, the accessibility engine tests/website/test_accessibility.py injects into each page:
# the npm package at this version, installed into the git-ignored .venv/npm/ (npm from Debian).
$(AXE): | $(STAMP)
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm >/dev/null; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/npm axe-core@$(AXE_VERSION)
	touch $@

# What the build itself needs from Debian: the print edition's faces, Noto Serif CJK TC and Noto Sans
# CJK TC (fonts-noto-cjk), which Typst embeds in every PDF.
system-deps:
	@if [ ! -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ]; then \
	  echo "installing Debian packages: fonts-noto-cjk"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	fi

system-test-deps: system-deps
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

clean:
	rm -rf $(VENV) site .site-* build .cache
