#!/usr/bin/env bash
# lint.sh GO MODULE_DIR... — gofmt -l finds nothing and go vet is clean in
# each Go module, for GOOS=wasip1 (where the code runs) and for this
# machine (where the package is package net).  The caller sets the offline
# environment (WASISOCK_GO_ENV).
set -euo pipefail
go=$1
shift
gofmt=$(dirname "$go")/gofmt
status=0
for dir in "$@"; do
  unformatted=$("$gofmt" -l "$dir")
  if [ -n "$unformatted" ]; then
    echo "lint: not gofmt'ed (gofmt -w): $unformatted" >&2
    status=1
  fi
  (cd "$dir" && GOOS=wasip1 GOARCH=wasm "$go" vet ./... && "$go" vet ./...) || status=1
done
[ "$status" = 0 ] && echo "lint: gofmt and go vet clean in $*"
exit "$status"
