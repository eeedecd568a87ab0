#!/usr/bin/env bash
# wasi-sysroot.sh — provide an isolated WASI (preview 1) sysroot for clang.
#
# Interface (also used by cmake/wasm32-wasi.cmake and scripts/cpython-wasi.sh):
#   wasi-sysroot.sh [--refresh] [OUTDIR]
#     stdout: diagnostics never; the LAST (only) line is the absolute sysroot
#             path to pass as  clang --target=wasm32-wasip1 --sysroot=PATH
#     stderr: progress/diagnostics; exit status non-zero on failure.
#   - If WASI_SDK_PATH is set: prints "$WASI_SDK_PATH/share/wasi-sysroot"
#     (after checking it exists); OUTDIR is not touched.
#   - Otherwise OUTDIR (default "$WASISOCK_CACHE/wasi-sysroot", WASISOCK_CACHE
#     defaulting to "$HOME/.cache/wasisock") receives Debian trixie's wasi-libc
#     (fetched with debian-fetch.sh, cached) laid out as clang expects:
#       OUTDIR/include/wasm32-wasip1/…   headers (symlink to wasm32-wasi, as Debian ships)
#       OUTDIR/lib/wasm32-wasip1/…       crt1*.o libc.a libwasi-emulated-*.a …
#       OUTDIR/share/wasm32-wasip1/…     wasi-libc's symbol/macro lists
#       OUTDIR/share/doc/wasi-libc/copyright
#       OUTDIR/.wasisock-sysroot         stamp: "wasi-libc <debian version>"
#     Passing --sysroot keeps Debian's clang from also searching the host's
#     /usr/include. A hello world is compiled, linked with wasm-ld and (if node
#     is found) run under node:wasi before the sysroot is published; OUTDIR is
#     replaced atomically. Once OUTDIR is complete the script does no network
#     access and returns at once; --refresh re-fetches and rebuilds it.
#
# Environment: WASI_SDK_PATH, WASISOCK_CACHE, WASI_CC (compiler used for the
# smoke test, default clang-22, or $WASI_SDK_PATH/bin/clang), NODE (default node).
# Debian packages: clang-22 lld-22 libclang-rt-22-dev-wasm32 (and nodejs for
# the run test), plus what debian-fetch.sh needs.
set -euo pipefail

prog=wasi-sysroot
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Pinned for reproducibility; debian-fetch.sh falls back to what trixie serves.
wasi_libc_version=0.0~git20241209.574b88d-2

refresh=0
if [ "${1:-}" = --refresh ]; then refresh=1; shift; fi
if [ "${1:-}" = -h ] || [ "${1:-}" = --help ] || [ $# -gt 1 ]; then
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
fi

if [ -n "${WASI_SDK_PATH:-}" ]; then
  sr=$WASI_SDK_PATH/share/wasi-sysroot
  [ -d "$sr/include" ] || die "WASI_SDK_PATH=$WASI_SDK_PATH has no share/wasi-sysroot/include"
  (cd "$sr" && pwd)
  exit 0
fi

cache_root=${WASISOCK_CACHE:-${HOME:?HOME is not set}/.cache/wasisock}
out=${1:-$cache_root/wasi-sysroot}
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

if [ "$refresh" = 0 ] && [ -f "$out/.wasisock-sysroot" ] && [ -f "$out/lib/wasm32-wasip1/libc.a" ]; then
  printf '%s\n' "$out"
  exit 0
fi

cc=${WASI_CC:-clang-22}
command -v "${cc%% *}" >/dev/null || die "$cc not found (Debian packages: clang-22 lld-22 libclang-rt-22-dev-wasm32)"

# Serialise concurrent builders of the same OUTDIR.
exec 8>"$out.lock"
flock 8
if [ "$refresh" = 0 ] && [ -f "$out/.wasisock-sysroot" ]; then
  printf '%s\n' "$out"
  exit 0
fi

tmp=$(mktemp -d "$out.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ver=$("$here/debian-fetch.sh" binary wasi-libc "$tmp/deb" "$wasi_libc_version") ||
  die "could not fetch wasi-libc"
[ -d "$tmp/deb/usr/include/wasm32-wasi" ] || die "wasi-libc $ver has no usr/include/wasm32-wasi"

sr=$tmp/sysroot
mkdir -p "$sr"
for d in include lib share; do cp -a "$tmp/deb/usr/$d" "$sr/"; done
# Of share/doc only wasi-libc's copyright stays: the installed guest SDK
# (src/guest/sdk.cmake) redistributes the sysroot with it.
find "$sr/share/doc" ! -type d ! -path "$sr/share/doc/wasi-libc/copyright" -delete 2>/dev/null || true
find "$sr/share/doc" -depth -type d -empty -delete 2>/dev/null || true
rm -rf "$sr/share/lintian"
# Debian ships wasm32-wasip1 as symlinks to wasm32-wasi; make sure they exist.
for d in include lib share; do
  if [ ! -e "$sr/$d/wasm32-wasip1" ]; then ln -s wasm32-wasi "$sr/$d/wasm32-wasip1"; fi
done

# Smoke test: compile, link and (if possible) run a hello world.
cat >"$tmp/hello.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
int main(void) {
  printf("hello from wasm32-wasip1 %g\n", strtod("1.5", NULL) * 2);
  return 0;
}
EOF
# shellcheck disable=SC2086  # $cc may carry flags
$cc --target=wasm32-wasip1 --sysroot="$sr" -fuse-ld=lld -O2 "$tmp/hello.c" -o "$tmp/hello.wasm" ||
  die "sysroot smoke test: compiling/linking hello.c with $cc failed"
node=${NODE:-node}
if command -v "$node" >/dev/null; then
  cat >"$tmp/run.mjs" <<'EOF'
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
const wasi = new WASI({ version: 'preview1', args: ['hello'], env: {} });
const inst = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(process.argv[2])), wasi.getImportObject());
process.exitCode = wasi.start(inst);
EOF
  got=$("$node" --no-warnings "$tmp/run.mjs" "$tmp/hello.wasm") ||
    die "sysroot smoke test: hello.wasm failed under node:wasi"
  [ "$got" = "hello from wasm32-wasip1 3" ] || die "sysroot smoke test: unexpected output '$got'"
else
  note "node not found: hello.wasm linked but not run"
fi

printf 'wasi-libc %s\n' "$ver" >"$sr/.wasisock-sysroot"
rm -rf "$out.old"
if [ -e "$out" ]; then mv "$out" "$out.old"; fi
mv "$sr" "$out"
rm -rf "$out.old"
note "wasi-libc $ver -> $out"
printf '%s\n' "$out"
