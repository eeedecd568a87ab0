#!/usr/bin/env bash
# Builds everything (libwasisock, the Node adapter, the wasm32 guests and
# python.wasm — the last one cached outside the tree) and runs every test
# suite through ctest.  Usage: scripts/test.sh [extra ctest args]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

build=${WASISOCK_BUILD_DIR:-build}
cmake -S . -B "$build" -DWASISOCK_WERROR=ON
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure "$@"
