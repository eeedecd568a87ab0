#!/usr/bin/env bash
# snapshot-wasi.sh — pre-initialised python.wasm: runs Wizer on DIR/python.wasm
# (built with python/snapshot.c) and writes DIR/python-snapshot.wasm, whose
# memory holds an interpreter initialised as a plain start leaves it, with the
# modules of python/snapshot.c's SNAPSHOT_IMPORTS imported.  DIR/python.wasm is
# left as it is: both run with the same preopens and environment
# (scripts/cpython-wasi.sh's layout); docs/PERFORMANCE.md, "Pre-initialised
# start-up", says what each run gets fresh.
#
# Usage: snapshot-wasi.sh DIR
#
# Wizer is npm's @bytecodealliance/wizer (pinned below), installed once into
# $WASISOCK_CACHE/wizer/<version> (WASISOCK_CACHE defaults to
# $HOME/.cache/wasisock).  Debian packages: nodejs npm.
set -euo pipefail
{
prog=snapshot-wasi
T0=$SECONDS
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/build-common.sh
. "$here/lib/build-common.sh"

wizer_version=10.0.0

[ $# -eq 1 ] || die "usage: snapshot-wasi.sh DIR (with DIR/python.wasm and DIR/lib)"
dir=$(cd "$1" && pwd)
[ -f "$dir/python.wasm" ] && [ -d "$dir/lib" ] || die "$dir has no python.wasm and lib/"

wizer_dir=$cache_root/wizer/$wizer_version
wizer=$wizer_dir/node_modules/.bin/wizer
if ! [ -x "$wizer" ] || [ "$("$wizer" --version 2>/dev/null)" != "wizer $wizer_version" ]; then
  need npm npm
  say "installing @bytecodealliance/wizer@$wizer_version into $wizer_dir"
  mkdir -p "$wizer_dir"
  npm install --prefix "$wizer_dir" --no-audit --no-fund --no-save \
    "@bytecodealliance/wizer@$wizer_version" >&2 || die "npm could not install wizer $wizer_version"
  [ -x "$wizer" ] || die "npm installed no $wizer"
fi

# Wizer instantiates python.wasm with WASI only: the wasisock imports come
# from a stub module whose functions trap (the initialisation opens no
# socket), made from python.wasm's own import section.
need wasm-objdump wabt
need wat2wasm wabt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{ wasm-objdump -x -j Type "$dir/python.wasm" && wasm-objdump -x -j Import "$dir/python.wasm"; } >"$work/sections.txt"
awk '
  /^ - type\[/ { i = $2; sub(/type\[/, "", i); sub(/\]/, "", i)
                 sig = $0; sub(/^ - type\[[0-9]+\] /, "", sig); types[i] = sig; next }
  / <- wasisock\./ { s = $3; sub(/sig=/, "", s); name = $NF; sub(/^wasisock\./, "", name)
                     split(types[s], pr, " -> "); params = pr[1]; gsub(/[(),]/, " ", params)
                     printf "  (func (export \"%s\")", name
                     if (params ~ /[a-z]/) printf " (param%s)", params
                     if (pr[2] != "nil") printf " (result %s)", pr[2]
                     print " unreachable)" }
  BEGIN { print "(module" } END { print ")" }' "$work/sections.txt" >"$work/wasisock-stub.wat"
wat2wasm "$work/wasisock-stub.wat" -o "$work/wasisock-stub.wasm" || die "could not build the wasisock stub"

# The initialisation imports the standard library from the guest's /lib, as
# every run does; it gets no environment (python/snapshot.c sets its own) and
# this script's stdout and stderr.  The snapshot's _start is
# wasisock_snapshot_start.  Bulk memory and reference types: clang's defaults
# for wasm32 (the latter only for its encoding of call_indirect).
out=$dir/python-snapshot.wasm
"$wizer" --allow-wasi --inherit-env false --mapdir "/lib::$dir/lib" \
  --wasm-bulk-memory true --wasm-reference-types true \
  --init-func wizer.initialize --rename-func _start=wasisock_snapshot_start \
  --preload "wasisock=$work/wasisock-stub.wasm" \
  -o "$out.tmp" "$dir/python.wasm" </dev/null ||
  die "wizer failed on $dir/python.wasm"
mv "$out.tmp" "$out"
say "$out: $(($(stat -c %s "$out") / 1024)) KiB (python.wasm $(($(stat -c %s "$dir/python.wasm") / 1024)) KiB) in $(elapsed)"
printf '%s\n' "$out"
exit 0
}
