# The WebAssembly package and the browser playground (bindings/wasm),
# included by the top Makefile.
#   make wasm        - build the .wasm (release, speed-optimised) and bind it:
#                      bindings/wasm/pkg (Node, CommonJS) and
#                      bindings/wasm/playground/pkg (browser, ES module),
#                      and copy the example policies into the playground
#   make playground  - serve the playground on 127.0.0.1 and print its URL
#   make test-wasm   - node tests of the Node build (the whole corpus, the
#                      API, the TypeScript types) and the real-browser test
#                      of the playground in Debian's Chromium
# Installs what is missing (the rustup target, wasm-bindgen-cli at the crate's
# exact wasm-bindgen version, npm dev tools, chromium), each only once.

WASM_DIR := bindings/wasm
WASM_TARGET_DIR := target/wasm
WASM_MODULE := $(WASM_TARGET_DIR)/wasm32-unknown-unknown/release/changegate_wasm.wasm
WASM_STAMP := $(WASM_DIR)/node_modules/.changegate-installed
WASM_BOUND := $(WASM_DIR)/pkg/.bound
WASM_WASM_OPT := $(WASM_DIR)/node_modules/.bin/wasm-opt
WASM_PORT ?= 8737
# The workspace release profile is tuned for the host; the .wasm gets its own
# settings in its own target directory instead. Speed by default: rustc
# opt-level 2 (as fast here as 3, and smaller), then wasm-opt -Oz (as fast
# as -O3 after it, and smaller), which keeps evaluateJson within 3× of
# native. The smallest build, 2.5-3× slower, is
#   make wasm WASM_OPT_LEVEL=z WASM_OPT_PASSES=-Oz
# (the trade-off, measured: bindings/wasm/README.md).
WASM_OPT_LEVEL ?= 2
WASM_OPT_PASSES ?= -Oz
WASM_CARGO_ENV := CARGO_PROFILE_RELEASE_OPT_LEVEL=$(WASM_OPT_LEVEL) CARGO_PROFILE_RELEASE_LTO=true \
	CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort \
	CARGO_PROFILE_RELEASE_DEBUG=false
# The settings, so that changing only the wasm-opt passes rebinds the module.
WASM_SETTINGS := $(WASM_TARGET_DIR)/.changegate-settings

.PHONY: wasm playground wasm-tools FORCE

$(WASM_STAMP): $(WASM_DIR)/package.json $(WASM_DIR)/package-lock.json
	@echo "installing the wasm dev tools (typescript, playwright-core, binaryen) with npm"
	@cd $(WASM_DIR) && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

wasm-tools: $(WASM_STAMP)
	@rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || { \
	  echo "adding the rustup target wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }

# The module: cargo decides whether it is stale (it leaves the file alone
# when it is not), and everything after it is redone only when it changed.
$(WASM_MODULE): wasm-tools FORCE
	@$(WASM_CARGO_ENV) $(CARGO) build --quiet --release -p changegate-wasm \
	  --target wasm32-unknown-unknown --target-dir $(WASM_TARGET_DIR)

$(WASM_SETTINGS): FORCE
	@mkdir -p $(WASM_TARGET_DIR)
	@echo "opt-level=$(WASM_OPT_LEVEL) wasm-opt $(WASM_OPT_PASSES)" | cmp -s - $@ 2>/dev/null || \
	  echo "opt-level=$(WASM_OPT_LEVEL) wasm-opt $(WASM_OPT_PASSES)" > $@

$(WASM_BOUND): $(WASM_MODULE) $(WASM_SETTINGS) $(WASM_DIR)/scripts/postbuild.mjs
	@version=$$(awk '$$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print }' Cargo.lock); \
	  [ -n "$$version" ] || { echo "wasm-bindgen is not in Cargo.lock" >&2; exit 1; }; \
	  have=$$(wasm-bindgen --version 2>/dev/null | awk '{ print $$2 }'); \
	  if [ "$$have" != "$$version" ]; then \
	    echo "installing wasm-bindgen-cli $$version (found: $${have:-none}); this takes a few minutes, once"; \
	    $(CARGO) install --quiet --locked --force wasm-bindgen-cli --version "$$version"; \
	  fi
	@echo "binding changegate_wasm.wasm for Node (bindings/wasm/pkg) and the browser (bindings/wasm/playground/pkg)"
	@rm -rf $(WASM_DIR)/pkg $(WASM_DIR)/playground/pkg
	@wasm-bindgen --target nodejs --out-dir $(WASM_DIR)/pkg --out-name changegate $(WASM_MODULE)
	@wasm-bindgen --target web --out-dir $(WASM_DIR)/playground/pkg --out-name changegate $(WASM_MODULE)
	@[ -x $(WASM_WASM_OPT) ] || echo "wasm-opt (npm: binaryen) is not installed; the .wasm stays unoptimised"
	@# Both targets bind to the same .wasm (only the JS glue differs): optimise
	@# it once and copy it, unless wasm-bindgen ever makes them differ.
	@[ ! -x $(WASM_WASM_OPT) ] || { node_wasm=$(WASM_DIR)/pkg/changegate_bg.wasm; web_wasm=$(WASM_DIR)/playground/pkg/changegate_bg.wasm; \
	  same=$$(cmp -s $$node_wasm $$web_wasm && echo yes); files=$$node_wasm; [ -n "$$same" ] || files="$$files $$web_wasm"; \
	  for f in $$files; do \
	    $(WASM_WASM_OPT) $(WASM_OPT_PASSES) --enable-bulk-memory --enable-nontrapping-float-to-int \
	      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
	      --strip-debug --strip-producers "$$f" -o "$$f.opt" && mv "$$f.opt" "$$f" || exit 1; \
	  done; \
	  [ -z "$$same" ] || cp $$node_wasm $$web_wasm; }
	@node $(WASM_DIR)/scripts/postbuild.mjs package
	@raw=$$(stat -c %s $(WASM_DIR)/pkg/changegate_bg.wasm); gz=$$(gzip -9 -c $(WASM_DIR)/pkg/changegate_bg.wasm | wc -c); \
	  echo "changegate_bg.wasm (opt-level=$(WASM_OPT_LEVEL), wasm-opt $(WASM_OPT_PASSES)): $$raw bytes, $$gz gzipped"
	@touch $@

wasm: $(WASM_BOUND)
	@node $(WASM_DIR)/scripts/postbuild.mjs examples

FORCE:

playground: wasm
	@python3 $(WASM_DIR)/scripts/serve.py --port $(WASM_PORT) $(WASM_DIR)/playground

test-wasm:: wasm $(HOSTILE_INPUTS)
	@test -x /usr/bin/chromium || { echo "installing chromium (Debian)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	cd $(WASM_DIR) && node --test tests/
	cd $(WASM_DIR) && node --test --test-concurrency=1 tests/browser/
