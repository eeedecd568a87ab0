#!/usr/bin/env bash
# scripts/check-sanitizers.sh [asan|valgrind|all] — memory errors, undefined
# behaviour and leaks, with no error and no leak allowed.
#
#   asan      builds the tree with ASan + UBSan (gcc, -fsanitize=address,
#             undefined -fno-omit-frame-pointer -fno-sanitize-recover=all;
#             build dir $WASISOCK_ASAN_BUILD_DIR, default build-asan/) and runs
#               1. the cmocka suites (unit, policy) and the fuzz corpus
#                  replay (fuzz) with LeakSanitizer on: any leak fails;
#               2. the end-to-end suites (e2e: C guests, python: python.wasm,
#                  go: the Go guests)
#                  in both engines: the instrumented commands, which under
#                  node exec node with libasan preloaded (LD_PRELOAD; node
#                  itself is not instrumented) and the instrumented addon,
#                  and under wasmtime run libwasisock, the front end and the
#                  adapter instrumented in their own process (wasmtime's
#                  library is not).  Memory errors and UB fail the run;
#                  leaks are not checked there (node does not free
#                  everything at exit), they are by 1. and by valgrind.
#   valgrind  builds the host library and its tests without sanitizers
#             (build dir $WASISOCK_VALGRIND_BUILD_DIR, default
#             build-valgrind/; -DWASISOCK_UNIT_VALGRIND=ON, no Node, wasm or
#             Python) and runs ctest -L valgrind: every cmocka test and every
#             fuzz corpus replay under valgrind --leak-check=full, failing
#             on any error or definite/indirect/possible leak.
#   all       both (the default).
#
# Needs what scripts/install-deps.sh installs (gcc's libasan/libubsan come
# with build-essential; valgrind is in its list); runs it first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-all}
jobs=$(nproc)

"$root/scripts/install-deps.sh"

run_asan() {
  local build=${WASISOCK_ASAN_BUILD_DIR:-$root/build-asan}
  local san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
  local t0=$SECONDS
  echo "== asan: build ($build)"
  # gcc, whatever CC says: node gets gcc's libasan preloaded below.
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc \
    "-DCMAKE_C_FLAGS=$san" \
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" \
    "-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=address,undefined" \
    "-DCMAKE_MODULE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null
  cmake --build "$build" -j"$jobs" >/dev/null
  echo "== asan: unit, policy, fuzz replay (LeakSanitizer on) [build $((SECONDS - t0)) s]"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$build" -L 'unit|policy|fuzz' -j"$jobs" --output-on-failure
  echo "== asan: e2e, python, go (node with libasan preloaded)"
  local libasan
  libasan=$(gcc -print-file-name=libasan.so)
  libasan=$(readlink -f "$libasan")
  [ -f "$libasan" ] || { echo "check-sanitizers: libasan.so not found" >&2; exit 1; }
  LD_PRELOAD=$libasan \
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$build" -L 'e2e|python|go' -j"$jobs" --output-on-failure
  echo "== asan: done in $((SECONDS - t0)) s"
}

run_valgrind() {
  local build=${WASISOCK_VALGRIND_BUILD_DIR:-$root/build-valgrind}
  local t0=$SECONDS
  echo "== valgrind: build ($build)"
  cmake -S "$root" -B "$build" -DWASISOCK_UNIT_VALGRIND=ON \
    -DWASISOCK_BUILD_NODE=OFF -DWASISOCK_BUILD_WASMTIME=OFF -DWASISOCK_BUILD_WASM=OFF \
    -DWASISOCK_BUILD_PYTHON=OFF -DWASISOCK_BUILD_BENCH=OFF >/dev/null
  cmake --build "$build" -j"$jobs" >/dev/null
  echo "== valgrind: ctest -L valgrind [build $((SECONDS - t0)) s]"
  ctest --test-dir "$build" -L valgrind -j"$jobs" --output-on-failure
  echo "== valgrind: done in $((SECONDS - t0)) s"
}

case $mode in
  asan) run_asan ;;
  valgrind) run_valgrind ;;
  all) run_asan; run_valgrind ;;
  *) echo "usage: $0 [asan|valgrind|all]" >&2; exit 2 ;;
esac
