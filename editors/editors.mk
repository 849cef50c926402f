# Editor support (editors/), included by the top Makefile.
#   make vsix          - package the VS Code extension (editors/vscode) into
#                        target/editors/changegate-VERSION.vsix
#   make test-editors  - the TextMate grammar on every policy of the
#                        repository, its keywords against the parser's, token
#                        snapshots (CHANGEGATE_BLESS=1 rewrites them), and the
#                        extension: its client against a stand-in of VS Code,
#                        and its package
# Installs the npm dev tools of each folder once (`npm ci`: exactly the lock
# file, which it never rewrites), like the other front ends.

EDITORS_TEXTMATE := editors/textmate
EDITORS_VSCODE := editors/vscode
EDITORS_TEXTMATE_STAMP := $(EDITORS_TEXTMATE)/node_modules/.changegate-installed
EDITORS_VSCODE_STAMP := $(EDITORS_VSCODE)/node_modules/.changegate-installed

$(EDITORS_TEXTMATE_STAMP): $(EDITORS_TEXTMATE)/package.json $(EDITORS_TEXTMATE)/package-lock.json
	@echo "installing the grammar's test tools (vscode-textmate, vscode-oniguruma) with npm"
	@cd $(EDITORS_TEXTMATE) && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

$(EDITORS_VSCODE_STAMP): $(EDITORS_VSCODE)/package.json $(EDITORS_VSCODE)/package-lock.json
	@echo "installing the extension's dependencies (vscode-languageclient, @vscode/vsce) with npm"
	@cd $(EDITORS_VSCODE) && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

.PHONY: vsix test-editors

vsix: $(EDITORS_VSCODE_STAMP)
	@mkdir -p target/editors
	@version=$$(node -p 'require("./$(EDITORS_VSCODE)/package.json").version'); \
	  cd $(EDITORS_VSCODE) && npm run --silent package -- --out $(ROOT)/target/editors/changegate-$$version.vsix

test-editors: $(EDITORS_TEXTMATE_STAMP) $(EDITORS_VSCODE_STAMP)
	cd $(EDITORS_TEXTMATE) && node --test test/*.test.mjs
	cd $(EDITORS_VSCODE) && node --test test/*.test.js
