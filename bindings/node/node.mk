# Node package (bindings/node): `make node` builds the napi-rs addon in release
# (changegate.node, and index.d.ts generated from src/lib.rs, which re-exports
# the shapes of bindings/types/changegate.d.ts, copied next to it), so that
# require("./bindings/node") works from the repository root; `make test-node`
# runs the node --test suite and type-checks the typed example.

NODE_PKG := bindings/node

# `npm ci`: installs exactly the lock file and never rewrites it, so a build
# leaves the work tree clean (see docs/decisions.md, *Node binding*).
$(NODE_PKG)/node_modules/.install-stamp: $(NODE_PKG)/package.json $(NODE_PKG)/package-lock.json
	@echo "npm ci in $(NODE_PKG)"
	@cd $(NODE_PKG) && npm ci --no-audit --no-fund --loglevel=error > /dev/null
	@touch $@

.PHONY: node
node: $(NODE_PKG)/node_modules/.install-stamp
	@echo "napi build --release in $(NODE_PKG)"
	@mkdir -p target
	@cp bindings/types/changegate.d.ts $(NODE_PKG)/changegate.d.ts
	@cd $(NODE_PKG) && node_modules/.bin/napi build --release --dts index.d.ts \
	  > $(ROOT)/target/node-build.log 2>&1 || { cat $(ROOT)/target/node-build.log; exit 1; }

test-node:: node $(HOSTILE_INPUTS)
	cd $(NODE_PKG) && node --test --test-reporter=spec test/*.test.js test/*.test.mjs
	cd $(NODE_PKG) && node_modules/.bin/tsc --noEmit -p tsconfig.json
