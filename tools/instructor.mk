# Instructor and student workflow around nbgrader. Included by the Makefile, which defines VENV
# and the `venv` target (set up .venv when needed). The work is done by tools/nbgrader_ops.py.
#
#   make release                       solutions/ -> labs/ for every lab (nbgrader generate_assignment, one by one)
#   make validate LAB=lab03            check a lab as the grader will; exits non-zero naming each failing test
#   make validate NB=path/to/lab.ipynb the same for a notebook anywhere
#   make autograde                     grade submitted/<student>/<lab>/<lab>.ipynb (all students, all labs)
#   make autograde LAB=lab03 STUDENT=ada FORCE=1   only some; FORCE=1 regrades what was graded before
#   make autograde JOBS=4 SHARD=2/3    4 submissions at once; only the 2nd of 3 disjoint shares of the students
#   make merge GRADEBOOKS="a/gradebook.db b/gradebook.db"   combine the gradebooks of shards graded elsewhere
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
# Grading runs every submission in a sandbox (tools/sandbox.py): JOBS at once (default: cores + 1),
# SHARD=i/n for a share of the students, SANDBOX=off only for notebooks you trust (it warns).
# Limits per submission (defaults in tools/sandbox.py's Limits): MEMORY_MB, PROCESSES,
# NOTEBOOK_SECONDS, OUTPUT_BYTES, DISK_MB; TIMEOUT is per cell.
JOBS ?=
SHARD ?=
SANDBOX ?=
ROSTER ?=
GRADEBOOKS ?=
export MEMORY_MB PROCESSES NOTEBOOK_SECONDS OUTPUT_BYTES DISK_MB

.PHONY: release validate autograde feedback grades merge check-leaks test-nbgrader

release: venv ## generate labs/ from solutions/ with nbgrader (LAB=lab03 for one lab)
	$(NBGRADER_OPS) release $(foreach l,$(LAB),--lab $(l))

# tools/validate.py prints each failing test's whole message (VERBOSE=1: nbgrader's full report
# too) and then one verdict line. A failing recipe would end in make's "make: *** [validate]
# Error 1", which reads as if make had crashed; so the check runs inside $(shell), its report going
# to the terminal on stderr and the verdict coming back on stdout, and a failure stops make with
# the verdict as its message (exit status 2). The student edition's Makefile does the same.
_validate_verdict = $(if $(filter PASSED,$(firstword $1)),$(info $1),$(error $(or $1,FAILED: the check did not finish (see above))))
validate: venv ## students: make validate LAB=lab03 (or NB=path.ipynb); VERBOSE=1 adds nbgrader's report
	$(if $(NB)$(LAB),,$(error usage: make validate LAB=lab03   (or NB=path/to/notebook.ipynb)))
	$(call _validate_verdict,$(shell $(VENV)/bin/python tools/validate.py --report-to-stderr \
	  $(or $(NB),$(LAB)) $(if $(TIMEOUT),--timeout $(TIMEOUT))))
	@:

autograde: venv ## grade submitted/<student>/<lab>/<lab>.ipynb in a sandbox each (LAB=, STUDENT=, FORCE=1, JOBS=, SHARD=i/n)
	$(NBGRADER_OPS) autograde $(foreach l,$(LAB),--lab $(l)) $(foreach s,$(STUDENT),--student $(s)) \
	  $(if $(FORCE),--force) $(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(JOBS),--jobs $(JOBS)) \
	  $(if $(SHARD),--shard $(SHARD)) $(if $(SANDBOX),--sandbox $(SANDBOX))

feedback: venv ## HTML feedback into feedback/: hidden tests as pass/fail and hint only, sanitised, leak-checked (LAB=, STUDENT=)
	$(NBGRADER_OPS) feedback $(foreach l,$(LAB),--lab $(l)) $(foreach s,$(STUDENT),--student $(s)) $(if $(JOBS),--jobs $(JOBS))

grades: venv ## grades.csv: every student (submitted/ and roster.csv) and lab, with status, reason and flag columns
	$(NBGRADER_OPS) grades --output $(GRADES) $(if $(ROSTER),--roster $(ROSTER))

merge: venv ## combine shards: make merge GRADEBOOKS="shard1/gradebook.db shard2/gradebook.db"
	@if [ -z "$(GRADEBOOKS)" ]; then echo 'usage: make merge GRADEBOOKS="shard1/gradebook.db shard2/gradebook.db"'; exit 2; fi
	$(NBGRADER_OPS) merge $(GRADEBOOKS)

check-leaks: venv ## scan labs/ and feedback/ for solution code and hidden-test code
	$(NBGRADER_OPS) check-leaks

test-nbgrader: venv ## only the nbgrader integrity tests (every lab; a few minutes)
	$(VENV)/bin/python -m pytest -n $(or $(WORKERS),2) --dist loadscope -m nbgrader tests/test_nbgrader_tools.py tests/test_nbgrader_labs.py
