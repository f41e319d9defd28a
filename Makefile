# BBOX publication. On a fresh machine: `make html` (set up and build the book), `make test` (set up and test).
# Every target sets up what it needs (virtual environment, Debian packages) by itself and says where its output is.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
EDITION ?= book
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# PDF through Typst (PyPI): only OpenType fonts to embed (Typst ignores Type 1) and poppler for the checks. No TeX.
APT_PDF := fonts-texgyre fonts-dejavu-core poppler-utils
APT_CHECK := epubcheck default-jre-headless locales
APT_BROWSER := chromium chromium-driver fonts-dejavu-core
PREVIEW_PORT ?= 8000
BENCH_COLD ?= all
PYTEST_ARGS ?=
# Compiled modules are kept (in the ignored __pycache__/): a machine that turns them off makes every pytest worker
# rewrite the assertions of every test module again (4 s each) and every kernel compile the package again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: html pdf epub all a11y test test-fast mutate bench preview pin verify validate why lab clean lock setup fonts checkers browser

html: setup                          ## the HTML edition (EDITION=book|report|brochure|brochure-nl|…)
	$(PY) -m analysis.publication.editions build html $(EDITION)

pdf: setup fonts                      ## the PDF edition
	$(PY) -m analysis.publication.editions build pdf $(EDITION)

epub: setup                          ## the EPUB edition
	$(PY) -m analysis.publication.editions build epub $(EDITION)

all: setup fonts                      ## every edition in every format
	$(PY) -m analysis.publication.editions build all all

a11y: setup fonts checkers browser    ## accessibility report of every artifact (axe, Ace, epubcheck, pdfua), against a baseline
	$(PY) -m tests.a11y

# Every artifact is built once (make all) before the test workers start; the tests read it (BBOX_ARTIFACTS_BUILT,
# tests/conftest.py). Without it, pytest builds them itself, once per run.
test: all checkers browser            ## the whole test suite: every artifact built first, then the tests on two workers
	BBOX_ARTIFACTS_BUILT=1 $(PY) -m pytest -n 2 --dist loadscope --durations=20 $(PYTEST_ARGS)

test-fast: setup fonts               ## the tests that build nothing, drive no browser and recompute no result set (50–80 s on 2 cores by machine, results computed; PYTEST_ARGS=--durations=30)
	$(PY) -m pytest -n 2 --dist loadscope -m "not build and not browser and not recompute" $(PYTEST_ARGS)

mutate: setup                        ## mutation score of the fast tests per module, and the surviving mutants (MUTATE_JOBS=2)
	$(PY) -m tests.mutate

bench: setup fonts                   ## rebuild timings and what each edit executes, page weights (BENCH_COLD=book: cold build of the book's HTML only)
	$(PY) -m tests.benchmark --cold $(BENCH_COLD)

preview: setup                       ## rebuild and reload in the browser while you edit (EDITION=…)
	$(PY) -m analysis.publication.editions preview $(EDITION) --port $(PREVIEW_PORT)

pin: setup                           ## recompute every published result, rewrite results/, show what moved
	$(PY) -m analysis pin

verify: setup                        ## fail if any published result differs from its pin in results/
	$(PY) -m analysis verify

.PHONY: release
release: setup                       ## record release VERSION=x.y: releases/<version>/, CITATION.cff, .zenodo.json, a commit and tag v<version>
	@[ -n "$(VERSION)" ] || { echo "Usage: make release VERSION=x.y (see README, Releases)"; exit 2; }
	$(PY) -m analysis.publication.releases release $(VERSION)

validate: setup                      ## check data/ against its codebook
	$(PY) -m analysis validate

why: setup                           ## whether and why a page (PAGE=chapters/survey), or each page of EDITION, would execute again, without building
	$(PY) -m analysis why $(PAGE) --edition $(EDITION)

# JupyterLab for authors: a chapter opens as a notebook on a double-click (jupytext's viewer is the default for
# Markdown, set in the environment's overrides.json, not in anyone's own settings); no browser is started and the
# server listens on this machine only, so on a remote machine forward the port (ssh -L) and open the URL it prints;
# root (e.g. in a container) needs --allow-root. Run a chapter (Run All Cells) and jupyterlab-myst evaluates its
# prose's inline expressions ({eval}`n("key")`) in the kernel: its numbers appear as the book prints them.
LAB_PORT ?= 8888
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
LAB_VIEWERS := {"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}}}
lab: setup                           ## JupyterLab (chapters open as notebooks); prints the URL to open, starts no browser (LAB_PORT=8888)
	@mkdir -p $(dir $(LAB_SETTINGS)) && echo '$(LAB_VIEWERS)' > $(LAB_SETTINGS)
	@echo "JupyterLab: open the URL printed below with its token (on a remote machine, first: ssh -L $(LAB_PORT):127.0.0.1:$(LAB_PORT) <machine>)"
	BBOX_LAB=1 $(VENV)/bin/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) $(if $(filter 0,$(shell id -u)),--allow-root)

clean:                               ## remove every build output (keeps the virtual environment)
	rm -rf _build

lock:                                ## regenerate requirements.txt from the direct dependencies in pyproject.toml
	rm -rf _build/lock-venv && $(PYTHON) -m venv _build/lock-venv
	_build/lock-venv/bin/pip install --quiet ".[dev]"
	_build/lock-venv/bin/pip freeze --exclude-editable | grep -v '^bbox-analysis' > requirements.txt

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

define apt_install
	@dpkg -s $(1) >/dev/null 2>&1 || { echo "Installing Debian packages: $(1)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(1) >/dev/null; }
endef

fonts:
	$(call apt_install,$(APT_PDF))

checkers:
	$(call apt_install,$(APT_CHECK))

browser:                             ## headless Chromium, axe-core and Ace by DAISY (pinned in tests/package.json)
	$(call apt_install,$(APT_BROWSER))
	@command -v npm >/dev/null || { echo "Installing Debian packages: nodejs npm"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }
	@# --ignore-scripts: Ace's Puppeteer would download a Chrome; it runs Debian's (PUPPETEER_EXECUTABLE_PATH)
	@[ -f tests/node_modules/axe-core/axe.min.js ] && [ -x tests/node_modules/.bin/ace-cli ] || \
	  npm ci --ignore-scripts --no-audit --no-fund --prefix tests
