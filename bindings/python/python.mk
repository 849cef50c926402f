# The Python package (bindings/python), included by the top Makefile.
#   make python       - build the abi3 wheel with maturin into target/wheels
#                       and install it into .venv (created if missing)
#   make test-python  - the pytest suite (every corpus case against expected.json
#                       and the CLI), and mypy on the typed example
# Both only redo what changed: the venv, its tools and the installed wheel
# each have a stamp.

CGPY_DIR := bindings/python
CGPY := $(VENV)/bin/python
CGPY_TOOLS := $(VENV)/.changegate-python-tools
CGPY_INSTALLED := $(VENV)/.changegate-python-installed
CGPY_PIP := $(CGPY) -m pip install -q --disable-pip-version-check
CGPY_SOURCES := $(shell find core/src $(CGPY_DIR)/src $(CGPY_DIR)/python -type f \
	-not -name '*.so' -not -name '*.pyc' 2>/dev/null) \
	Cargo.toml Cargo.lock core/Cargo.toml $(CGPY_DIR)/Cargo.toml $(CGPY_DIR)/pyproject.toml $(CGPY_DIR)/README.md

.PHONY: python

python: $(CGPY_INSTALLED)

$(CGPY):
	@python3 -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 -m venv failed; installing python3-venv"; rm -rf $(VENV); \
	  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv $(VENV); }

$(CGPY_TOOLS): $(CGPY_DIR)/requirements-dev.txt | $(CGPY)
	@echo "installing maturin, pytest and mypy into .venv"
	@$(CGPY_PIP) -r $<
	@touch $@

$(CGPY_INSTALLED): $(CGPY_TOOLS) $(CGPY_SOURCES)
	@echo "building the changegate wheel (maturin, release; log in .venv/maturin.log)"
	@rm -f target/wheels/changegate-*.whl
	@$(CGPY) -m maturin build --release -m $(CGPY_DIR)/Cargo.toml --out target/wheels -i $(CGPY) \
	  >$(VENV)/maturin.log 2>&1 || { cat $(VENV)/maturin.log; exit 1; }
	@$(CGPY_PIP) --force-reinstall --no-deps target/wheels/changegate-*.whl
	@touch $@

# The corpus tests also compare with `changegate check --format json`, so the
# CLI is built first (a no-op under `make test`, which has just built it).
test-python:: python $(HOSTILE_INPUTS)
	@$(CARGO) build --release --quiet -p changegate-cli
	$(CGPY) -m pytest $(CGPY_DIR)/tests -q
	$(CGPY) -m mypy --config-file $(CGPY_DIR)/pyproject.toml --cache-dir $(VENV)/.mypy_cache $(CGPY_DIR)/examples
