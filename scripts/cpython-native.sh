#!/usr/bin/env bash
# cpython-native.sh — native CPython of the same version, from the same Debian
# source package, as python.wasm: the baseline of the interpreter and start-up
# benchmarks (bench/interp_bench.py), and the build Python that
# cpython-wasi.sh needs (same version) to cross-compile.
#
# Usage: cpython-native.sh [--jobs N] [--print-key]
#   Prints the install prefix on its last line: PREFIX/bin/python3.13 with
#   its standard library byte-compiled, as `make install` leaves it.
#   --jobs N      make -jN (default: nproc)
#   --print-key   print the cache key directory and exit
#
# Configured like python.wasm where the options apply (--disable-shared
# --disable-test-modules, CPython's default -O3 and the link-time
# optimisation of scripts/lib/optimise.sh); the rest is CPython's native
# default: pymalloc, computed gotos, the system's OpenSSL, zlib and libffi
# (Debian packages libssl-dev zlib1g-dev libffi-dev, scripts/install-deps.sh).
# No PGO (--enable-optimizations): python.wasm has none (cross-target PGO
# was measured and did not pay, docs/PERFORMANCE.md), and like must be
# compared with like.
#
# Cache: $WASISOCK_CACHE/cpython-native/<version>-<key>/ keyed by the source
# tarball, the native compiler, this script, scripts/lib/*.sh; stages resume
# (stamps), logs in <key>/logs.  A per-key lock makes a second build wait.
# Environment: WASISOCK_CACHE, BUILD_CC (default cc), and those of
# scripts/lib/optimise.sh.
set -euo pipefail
{
prog=cpython-native
T0=$SECONDS
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
# shellcheck source=lib/build-common.sh
. "$here/lib/build-common.sh"
# shellcheck source=lib/optimise.sh
. "$here/lib/optimise.sh"

jobs=$(nproc 2>/dev/null || echo 2) print_key=0
while [ $# -gt 0 ]; do
  case $1 in
    --jobs) [ $# -ge 2 ] || die "--jobs needs a value"; jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    --print-key) print_key=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$self" >&2; exit 2 ;;
    *) die "unknown argument: $1 (--help)" ;;
  esac
done
need make make
need flock util-linux
build_cc=${BUILD_CC:-cc}
need "$build_cc" gcc

fetch_src "$python_pkg" "$python_deb_version"
py_tar=$fetched_dir/$(orig_of "$fetched_dir")
[ -f "$py_tar" ] || die "no CPython orig tarball in $fetched_dir"
py_version=${py_tar##*_}; py_version=${py_version%.orig.tar.*}

configure_args=(--disable-shared --disable-test-modules --without-ensurepip)
while IFS= read -r a; do configure_args+=("$a"); done < <(opt_configure_args)
cpython_opt="-DNDEBUG -g $opt_level -Wall" # CPython's OPT, with our level

key_manifest() {
  echo "cpython $py_version $(sha "$py_tar")"
  echo "build-cc $build_cc"
  $build_cc --version 2>&1 | head -n 1 | sed 's/^/build-cc-version /'
  echo "configure ${configure_args[*]} OPT=$cpython_opt"
  key_common "$self"
  opt_key
}
manifest=$(key_manifest)
key=$(printf '%s\n' "$manifest" | sha256sum | cut -c1-16)
kd=$cache_root/cpython-native/$py_version-$key
prefix=$kd/prefix
if [ "$print_key" = 1 ]; then printf '%s\n' "$kd"; exit 0; fi
stages=(src configure make install)
if done_stage install; then printf '%s\n' "$prefix"; exit 0; fi
enter_key_dir "$manifest"
src=$kd/src/Python-$py_version
build=$kd/build

if ! done_stage src; then
  begin_stage src
  unpack_src "$py_tar" "Python-$py_version"
  end_stage src
fi
SOURCE_DATE_EPOCH=$(stat -c %Y "$src/configure")
export SOURCE_DATE_EPOCH

if ! done_stage configure; then
  begin_stage configure
  say "configure ${configure_args[*]} ($build_cc, $opt_level)"
  rm -rf "$build"; mkdir -p "$build"
  run_logged "configure" "$kd/logs/configure.log" '' '' -- \
    in_dir "$build" env CC="$build_cc" OPT="$cpython_opt" \
      "$src/configure" --prefix="$prefix" "${configure_args[@]}"
  end_stage configure
fi

if ! done_stage make; then
  begin_stage make
  total=$(make_total "$build" all)
  say "make -j$jobs (~$total compiler runs)"
  run_logged "make" "$kd/logs/make.log" "$build" "$total" -- make -C "$build" -j"$jobs" all
  [ -x "$build/python" ] || die "make produced no python"
  end_stage make
fi

if ! done_stage install; then
  begin_stage install
  rm -rf "$prefix"
  run_logged "install" "$kd/logs/install.log" '' '' -- \
    make -C "$build" -j"$jobs" install COMPILEALL_OPTS=-j0
  "$prefix/bin/python${py_version%.*}" -c 'import ssl, zlib, json, asyncio' ||
    die "the native python lacks ssl, zlib, json or asyncio (see $kd/logs/configure.log)"
  end_stage install
fi
say "native CPython $py_version in $prefix; total $(elapsed)"
printf '%s\n' "$prefix"
exit 0
}
