#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [TARGET...] — builds the libFuzzer targets of
# tests/fuzz (clang-19, -fsanitize=fuzzer,address,undefined) and fuzzes each
# for SECONDS (default 60): imports, resolve, addr, policy (all by default).
#
#   scripts/fuzz.sh              # 60 s each, about 4 minutes in all
#   scripts/fuzz.sh 600 imports  # ten minutes on the import sequences
#
# Build directory: $WASISOCK_FUZZ_BUILD_DIR, default build-fuzz/.  Each target
# starts from tests/fuzz/corpus/<target>/ (seeds and past crashes, read only)
# and keeps what it finds in build-fuzz/corpus/<target>/.  A crash, leak,
# UB report or broken invariant stops the script with status 1 and leaves
# the input in build-fuzz/artifacts/<target>/: fix the bug, then commit the
# input as tests/fuzz/corpus/<target>/crash-<what> so that ctest
# (fuzz.replay.<target>) replays it from then on.
#
# The targets reach loopback sockets of their own process only and resolve
# no name outside it (tests/fuzz/fuzz.h).  Installs clang-19 and
# libclang-rt-19-dev from Debian's archive when they are missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(imports resolve addr policy)
build=${WASISOCK_FUZZ_BUILD_DIR:-$root/build-fuzz}

missing=()
for p in clang-19 libclang-rt-19-dev libuv1-dev pkg-config cmake; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fuzz.sh: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake -S "$root/tests/fuzz" -B "$build" -DCMAKE_C_COMPILER=clang-19 \
  -DWASISOCK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  [ -x "$build/fuzz-$t" ] || { echo "fuzz.sh: no target $t" >&2; exit 2; }
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
  case $t in
    imports) max_len=8192 ;;
    *) max_len=1024 ;;
  esac
  echo "== fuzz-$t: ${secs} s"
  if ! "$build/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -max_len="$max_len" -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$t/" \
      "$build/corpus/$t" "$root/tests/fuzz/corpus/$t" 2>"$build/fuzz-$t.log"; then
    tail -n 60 "$build/fuzz-$t.log" >&2
    echo "fuzz.sh: fuzz-$t failed; input(s): $(ls "$build/artifacts/$t")" >&2
    status=1
    continue
  fi
  grep -E "^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+.*DONE" "$build/fuzz-$t.log" |
    tr '\n' ' '
  echo
done
exit $status
