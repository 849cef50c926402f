# The decision log (log/), included by the top Makefile.
#   make log-postgres  - install Debian's PostgreSQL server when its binaries
#                        are missing (only then), for the tests of the
#                        PostgreSQL store, which start a server of their own
#                        (docs/log.md, *Running the PostgreSQL tests*)
# `make test-rust` needs it: without PostgreSQL those tests fail under CI=true.

.PHONY: log-postgres

log-postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "installing postgresql (Debian), for the decision log's tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
	@command -v runuser >/dev/null || [ "$$(id -u)" != 0 ] || { echo "installing util-linux (runuser), to run initdb as nobody"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq util-linux >/dev/null; }

test-rust: log-postgres
