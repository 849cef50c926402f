#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the policy library and the test corpus:
#   parse        every *.gate of policies/ and core/tests/corpus/
#   fmt          the same
#   graph_load   every graph.json and estate.json
#   change_load  every change.json
#   import_backup  every record file of core/tests/import/velero/ (after a
#                  0 byte, which picks the velero adapter) and aws-backup/
#                  (after a 1 byte)
#   import_servicenow  the files of each case of core/tests/import/servicenow-*/
#   import_backstage  every catalog file of core/tests/import/backstage/
# compile_evaluate takes bytes for its generator, not files: it starts empty
# (libFuzzer grows its own corpus). Files are named by content hash, so
# running this again adds nothing twice. fuzz/corpus is not committed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
copy() { # target, find arguments...
    local target="$1"; shift
    local dir="$here/corpus/$target"
    mkdir -p "$dir"
    local n=0
    while IFS= read -r -d '' f; do
        cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"
        n=$((n + 1))
    done < <(find "$root/policies" "$root/core/tests/corpus" "$@" -print0)
    echo "seed.sh: $n files into corpus/$target"
}
copy parse -type f -name '*.gate'
copy fmt -type f -name '*.gate'
copy graph_load -type f \( -name graph.json -o -name estate.json \)
copy change_load -type f -name change.json
# import_backstage reads its first byte as the mode (bit 0: JSON): each
# file of the Backstage import cases with its mode byte in front.
seed_backstage() {
    local dir="$here/corpus/import_backstage" n=0 mode tmp
    mkdir -p "$dir"
    tmp="$(mktemp)"
    while IFS= read -r -d '' f; do
        case "$f" in *.json) mode='\001' ;; *) mode='\000' ;; esac
        { printf "$mode"; cat "$f"; } > "$tmp"
        cp "$tmp" "$dir/seed-$(sha1sum "$tmp" | cut -c1-16)"
        n=$((n + 1))
    done < <(find "$root/core/tests/import/backstage" -type f \( -name '*.yaml' -o -name '*.yml' \
        -o \( -name '*.json' ! -name case.json ! -name expected.json ! -name error.json \) \) -print0)
    rm -f "$tmp"
    echo "seed.sh: $n files into corpus/import_backstage"
}
seed_backstage
mkdir -p "$here/corpus/compile_evaluate"
# The first byte picks the adapter: even velero, odd aws-backup.
seed_import() { # target, first byte (octal), fixtures folder
    local dir="$here/corpus/$1" n=0
    mkdir -p "$dir"
    while IFS= read -r -d '' f; do
        local seed
        seed="$(mktemp)"
        { printf "\\$2"; cat "$f"; } > "$seed"
        mv "$seed" "$dir/seed-$(sha1sum "$seed" | cut -c1-16)"
        n=$((n + 1))
    done < <(find "$root/core/tests/import/$3" -type f -name '*.json' \
        ! -name case.json ! -name expected.json ! -name error.json ! -name graph.json -print0)
    echo "seed.sh: $n files into corpus/$1"
}
seed_import import_backup 000 velero
seed_import import_backup 001 aws-backup
# import_servicenow reads its first byte as the adapter (bit 0: CMDB) and
# the files after it, split at NUL bytes, in role order: each ServiceNow
# import case as one seed.
seed_servicenow() {
    local dir="$here/corpus/import_servicenow" n=0 tmp case
    mkdir -p "$dir"
    tmp="$(mktemp)"
    for case in "$root"/core/tests/import/servicenow-change/*/; do
        { printf '\000'; { cat "$case"change_request.json 2>/dev/null || true; }; printf '\000'
          { cat "$case"sysapproval_approver.json 2>/dev/null || true; }; printf '\000'
          { cat "$case"task_ci.json 2>/dev/null || true; }; } > "$tmp"
        cp "$tmp" "$dir/seed-$(sha1sum "$tmp" | cut -c1-16)"
        n=$((n + 1))
    done
    for case in "$root"/core/tests/import/servicenow-cmdb/*/; do
        { printf '\001'; { cat "$case"cmdb_ci.json 2>/dev/null || true; }; printf '\000'
          { cat "$case"cmdb_rel_ci.json 2>/dev/null || true; }; } > "$tmp"
        cp "$tmp" "$dir/seed-$(sha1sum "$tmp" | cut -c1-16)"
        n=$((n + 1))
    done
    rm -f "$tmp"
    echo "seed.sh: $n files into corpus/import_servicenow"
}
seed_servicenow
