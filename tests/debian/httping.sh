#!/usr/bin/env bash
# httping.sh — build httping, a real C network program from Debian's source
# archive that nobody here wrote, for wasm32 (against the POSIX layer) and
# natively, from the same source.
#
#   httping.sh OUTDIR ROOT WASM_CFG
#
#   OUTDIR    where the builds go: OUTDIR/httping.wasm and OUTDIR/httping
#   ROOT      the wasisock source tree (cmake/wasm32-wasi.cmake, scripts/)
#   WASM_CFG  the POSIX layer's clang configuration file
#             (build/wasm/posix/wasisock-posix.cfg)
#
# The source is Debian trixie's httping 4.4.0-3 (pinned), fetched once by
# scripts/debian-fetch.sh through the project's private apt, checked against
# the signed index, and cached in $WASISOCK_CACHE/sources/httping (default
# ~/.cache/wasisock).  It is built with its own CMakeLists.txt and build
# flags only, plus httping-wasi.patch (three headers WASI lacks, nothing of
# the network code; see the patch's head).  The wasm32 flags, each for a
# reason of the program's, not of sockets:
#   -D_WASI_EMULATED_SIGNAL, -lwasi-emulated-signal   signal() (wasi-libc)
#   -Wl,-z,stack-size=1048576   interpret_url keeps 64 KiB arrays on the
#                               stack; wasm-ld's default stack is 64 KiB
#   -ftrivial-auto-var-init=zero  get_ts() adds gettimeofday's struct
#                               timezone, which glibc fills and wasi-libc
#                               leaves alone: zero, as glibc reports
# Exit status non-zero, with a message, on any failure.
set -euo pipefail

prog=httping.sh
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
[ $# -eq 3 ] || die "usage: $prog OUTDIR ROOT WASM_CFG"
out=$1 root=$2 cfg=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=4.4.0-3
cache=${WASISOCK_CACHE:-${HOME:?HOME is not set}/.cache/wasisock}/sources/httping

[ -f "$cfg" ] || die "$cfg does not exist (build the wasm32 half first)"
mkdir -p "$cache" "$out"
got=$("$root/scripts/debian-fetch.sh" source httping "$cache" "$version") ||
  die "could not fetch Debian's httping source"
[ "$got" = "$version" ] || die "Debian served httping $got, not the pinned $version"

src=$out/src
rm -rf "$src"
mkdir -p "$src"
tar -xzf "$cache/httping_${version%-*}.orig.tar.gz" -C "$src" --strip-components=1
patch -s -p1 -d "$src" <"$here/httping-wasi.patch" || die "httping-wasi.patch does not apply"

# Their CMakeLists.txt, two ways.  Quiet unless something fails.
build() {
  local dir=$1
  shift
  if ! { cmake -S "$src" -B "$dir" "$@" && cmake --build "$dir" -j2; } >"$dir.log" 2>&1; then
    tail -n 40 "$dir.log" >&2
    die "building httping in $dir failed (log: $dir.log)"
  fi
}
mkdir -p "$out/wasm32" "$out/native"
build "$out/wasm32" \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/wasm32-wasi.cmake" \
  -DCMAKE_C_FLAGS="--config=$cfg -D_WASI_EMULATED_SIGNAL -ftrivial-auto-var-init=zero" \
  -DCMAKE_EXE_LINKER_FLAGS="-lwasi-emulated-signal -Wl,-z,stack-size=1048576"
build "$out/native"
cp "$out/wasm32/httping.wasm" "$out/httping.wasm"
cp "$out/native/httping" "$out/httping"
printf '%s: httping %s -> %s/httping.wasm, %s/httping\n' "$prog" "$version" "$out" "$out" >&2
