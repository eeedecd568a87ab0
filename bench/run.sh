#!/usr/bin/env bash
# bench/run.sh — the wasisock benchmarks: python.wasm under wasisock-python
# against native CPython on this machine, on loopback, side by side.
#
#   bench/run.sh                 build what is missing, run, print the table
#   bench/run.sh --reps 9        more repetitions (medians of 7 by default)
#   bench/run.sh --markdown      the table in Markdown (docs/PERFORMANCE.md)
#   bench/run.sh --quick         a smoke run (tiny sizes, one repetition)
#   bench/run.sh --no-build ...  use the build directory as it is
#   bench/run.sh --help          every option of bench/bench.py
#
# The build directory is $WASISOCK_BUILD_DIR, default build/ (the same as
# scripts/test.sh); the first build of python.wasm takes minutes (cached in
# ~/.cache/wasisock).  Method and results: docs/PERFORMANCE.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WASISOCK_BUILD_DIR:-$root/build}

args=()
do_build=1
for a in "$@"; do
  if [ "$a" = --no-build ]; then do_build=0; else args+=("$a"); fi
done

if [ "$do_build" = 1 ]; then
  [ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" >&2
  # python_wasm and the guests come with the default target.
  cmake --build "$build" -j"$(nproc)" >&2
fi

py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
exec "$py" "$root/bench/bench.py" --build "$build" "${args[@]}"
