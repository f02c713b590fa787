# The expert panel's commands. `make` installs into .venv and builds the sample plan end to end.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NHRAP := $(BIN)/nhrap
STAMP := $(VENV)/.installed
export SOURCE_DATE_EPOCH ?= 1767225600

.PHONY: all install draft consult final check redline matrix report status test bench clean

# `make check` fails on errors; the end-to-end build writes the findings to build/checks.txt and goes on.
all: install draft consult final redline matrix report status
	$(NHRAP) check all > build/checks.txt || true
	@tail -n 10 build/checks.txt

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/python -m compileall -q pipeline  # as an installed package has it: no recompiling at each start
	touch $(STAMP)

install: $(STAMP)

draft: install
	$(NHRAP) draft

consult: install
	$(NHRAP) render latest --mode consultation -o build/consultation.docx

final: install
	$(NHRAP) render latest --mode final -o build/final.docx

redline: install
	$(NHRAP) redline 1 latest -o build/redline.docx

check: install
	$(NHRAP) check all

matrix: install
	$(NHRAP) comments matrix -o build/comment-matrix.xlsx

report: install
	$(NHRAP) comments report -o build/round-report.docx

status: install
	$(NHRAP) status

test: install
	$(BIN)/pytest -q -x -p no:cacheprovider

bench: install
	$(BIN)/python -m compileall -q pipeline  # the code as installed: edits since install are not compiled at each start
	$(BIN)/python bench/run.py

clean:
	rm -rf build bench/work
