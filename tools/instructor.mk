# Instructor and student workflow around nbgrader. Included by the Makefile, which defines VENV
# and the `venv` target (set up .venv when needed). The work is done by tools/nbgrader_ops.py.
#
#   make release                       solutions/ -> labs/ for every lab (nbgrader generate_assignment, one by one)
#   make validate LAB=lab03            check a lab as the grader will; exits non-zero naming each failing test
#   make validate NB=path/to/lab.ipynb the same for a notebook anywhere
#   make autograde                     grade submitted/<student>/<lab>/<lab>.ipynb (all students, all labs)
#   make autograde LAB=lab03 STUDENT=ada FORCE=1   only some; FORCE=1 regrades what was graded before
#   make feedback                      feedback/<student>/<lab>/<lab>.html, hidden tests removed
#   make grades                        grades.csv: one row per student and lab
#   make check-leaks                   scan labs/ and feedback/ for solution code and hidden tests

VENV ?= .venv
NBGRADER_OPS := $(VENV)/bin/python tools/nbgrader_ops.py
# Optional filters: LAB=lab03 (or a full lab id; several: LAB="lab01 lab03"), STUDENT=<id> (or several),
# FORCE=1, TIMEOUT=<seconds per cell>.
LAB ?=
NB ?=
STUDENT ?=
FORCE ?=
TIMEOUT ?=
GRADES ?= grades.csv

.PHONY: release validate autograde feedback grades check-leaks test-nbgrader

release: venv ## generate labs/ from solutions/ with nbgrader (LAB=lab03 for one lab)
	$(NBGRADER_OPS) release $(foreach l,$(LAB),--lab $(l))

validate: venv ## students: make validate LAB=lab03 (or NB=path.ipynb); fails naming each failing test
	@if [ -z "$(NB)$(LAB)" ]; then \
	  echo "usage: make validate LAB=lab03   (or NB=path/to/notebook.ipynb)"; exit 2; fi
	@$(NBGRADER_OPS) validate $(or $(NB),$(LAB)) $(if $(TIMEOUT),--timeout $(TIMEOUT))

autograde: venv ## grade everything in submitted/<student>/<lab>/<lab>.ipynb (LAB=, STUDENT=, FORCE=1)
	$(NBGRADER_OPS) autograde $(foreach l,$(LAB),--lab $(l)) $(foreach s,$(STUDENT),--student $(s)) \
	  $(if $(FORCE),--force) $(if $(TIMEOUT),--timeout $(TIMEOUT))

feedback: venv ## HTML feedback into feedback/, hidden tests removed and checked (LAB=, STUDENT=)
	$(NBGRADER_OPS) feedback $(foreach l,$(LAB),--lab $(l)) $(foreach s,$(STUDENT),--student $(s))

grades: venv ## export the gradebook to grades.csv (one row per student and lab)
	$(NBGRADER_OPS) grades --output $(GRADES)

check-leaks: venv ## scan labs/ and feedback/ for solution code and hidden-test code
	$(NBGRADER_OPS) check-leaks

test-nbgrader: venv ## only the nbgrader integrity tests (every lab; a few minutes)
	$(VENV)/bin/python -m pytest -n $(or $(WORKERS),2) --dist loadscope -m nbgrader tests/test_nbgrader_tools.py tests/test_nbgrader_labs.py
