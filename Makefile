# Neural networks from scratch: the course's commands. `make help` lists them.
#
#   make course   set up .venv, execute every lecture and solution, regenerate labs/, print a table
#   make test     set up .venv, run the unit tests, nbval on every notebook, the nbgrader checks
#
# Both set up the environment themselves (only when .venv is missing or requirements changed).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Written by tools/jupyter_setup.py: "student" or "instructor" (see venv-student, venv-instructor).
JUPYTER_ROLE := $(VENV)/etc/jupyter/nn-course-role
WORKERS ?= 2
# Every notebook CI executes: the lectures and the nbgrader source versions of the labs.
NOTEBOOKS = $(sort $(wildcard lectures/*.ipynb solutions/*/*.ipynb))

# The commands that run notebooks unattended draw figures into files, never onto a screen (the
# same in CI and on a laptop's terminal), and show no progress bars in executed notebooks, test
# logs or committed outputs. Set for these targets only: `make jupyter` is for a person watching,
# with figures inline and progress bars on.
UNATTENDED := course site refresh-outputs test test-unit bench release validate autograde feedback grades \
  check-leaks test-nbgrader student-dist
$(UNATTENDED): export MPLBACKEND := Agg
$(UNATTENDED): export NNSCRATCH_PROGRESS := 0
# One BLAS thread per process: the course's matrices are small, tests run two notebooks at once on
# two cores, and OpenBLAS threads that busy-wait for a core made a small fit 8x slower (16 s vs 2 s).
# Results are identical; set OMP_NUM_THREADS yourself to override.
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= $(OMP_NUM_THREADS)
# Keep pip quiet about its own version when the machine is offline.
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv venv-student venv-instructor course site test test-unit lint bench refresh-outputs jupyter student-dist \
  clean distclean

help: ## list the commands
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

venv: $(STAMP) $(JUPYTER_ROLE) ## create .venv and install requirements.txt and nnscratch (only when needed)

# The stamp is newer than requirements.txt and shared/pyproject.toml once they are installed,
# so a second run installs nothing; editing either file reinstalls.
$(STAMP): requirements.txt shared/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else \
	  "Python 3.10 or newer is needed, found " + sys.version.split()[0] + ": run make with PYTHON=python3.12 (or another 3.10+)")'
	@if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e shared
	@touch $@

# JupyterLab for a student (the default) or an instructor: which of nbgrader's extensions are on
# in .venv (tools/jupyter_setup.py says why). Redone after every install, keeping the last role.
$(JUPYTER_ROLE): $(STAMP) tools/jupyter_setup.py
	$(BIN)/python tools/jupyter_setup.py

venv-student: venv ## JupyterLab as students have it: of nbgrader's extensions only the Validate button
	$(BIN)/python tools/jupyter_setup.py student

venv-instructor: venv ## JupyterLab with nbgrader's Formgrader, Create Assignment, Course and Assignment List
	$(BIN)/python tools/jupyter_setup.py instructor

course: venv ## execute all lectures and solutions into _build/, regenerate labs/, build the website
	$(BIN)/python tools/course.py build --workers $(WORKERS)
	@$(MAKE) --no-print-directory release
	@$(MAKE) --no-print-directory site
	@if [ -n "$$(git status --porcelain -- labs 2>/dev/null)" ]; then \
	  echo "labs/ changed: the student versions were out of date; review and commit them (git status labs)."; \
	else echo "labs/ is in sync with solutions/."; fi

# The website is built from the lectures' committed outputs (nothing is executed) and from labs/.
site: venv ## build the course website in _build/site/ (open _build/site/index.html; works offline)
	$(BIN)/python tools/build_site.py build

refresh-outputs: venv ## re-execute lectures/ in place so their committed outputs are current
	$(BIN)/python tools/course.py refresh --workers $(WORKERS)

test: venv lint ## ruff, unit tests, nbval on lectures and solutions, nbgrader and attack checks, browser tests
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadscope \
	  --nbval-lax --nbval-current-env --nbval-cell-timeout=120 \
	  tests $(NOTEBOOKS)

# ruff's rules and line length are in pyproject.toml; labs/ is generated from solutions/ and skipped.
lint: venv ## ruff: lint and format check of the package, tools, tests, bench and notebooks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-unit: venv ## only the package's unit tests (fast: no notebooks, no nbgrader)
	$(BIN)/python -m pytest -n $(WORKERS) tests -m "not nbgrader and not slow"

# The training benchmark runs alone, so it gets every core (the issue's reference figures are
# multi-threaded); autograding keeps one BLAS thread per kernel, as `make autograde` does.
BENCH_THREADS ?= $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
bench: venv ## benchmarks: training speed and accuracy, autograding time
	OMP_NUM_THREADS=$(BENCH_THREADS) OPENBLAS_NUM_THREADS=$(BENCH_THREADS) $(BIN)/python bench/bench_training.py
	$(BIN)/python bench/bench_autograde.py

# Jupyter refuses to run as root. In a container where root is the only user, run
# `make jupyter JUPYTER_ALLOW_ROOT=1` (it passes --allow-root).
JUPYTER_ALLOW_ROOT ?=
jupyter: venv ## open JupyterLab on the course (figures inline, progress bars on; JUPYTER_ALLOW_ROOT=1 as root)
	$(if $(and $(filter 0,$(shell id -u)),$(if $(JUPYTER_ALLOW_ROOT),,root)),$(error \
	  You are root, and Jupyter refuses to run as root. Better run make jupyter as a normal user; \
	  if root is the only user (a container), run: make jupyter JUPYTER_ALLOW_ROOT=1))
	$(BIN)/jupyter lab $(if $(JUPYTER_ALLOW_ROOT),--allow-root)

# The course as students receive it: labs/, lectures/, nnscratch, a student README and Makefile;
# no solutions/, no tests/, no hidden test. See tools/student_dist.py and student/.
STUDENT_DIST ?= _build/student
student-dist: venv ## write the student edition to _build/student/ and _build/student.zip (checked for leaks)
	$(BIN)/python tools/student_dist.py --output $(STUDENT_DIST)

clean: ## remove build output and caches (keeps .venv)
	rm -rf _build .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean ## also remove .venv
	rm -rf $(VENV)

# Instructor and student workflow: release, autograde, feedback, grades, validate.
include tools/instructor.mk
