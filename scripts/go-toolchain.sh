#!/usr/bin/env bash
# go-toolchain.sh — find (or fetch) the Go toolchain that builds the Go guests.
#
# Usage: go-toolchain.sh [--debian]
#   The LAST (only) line on stdout is the absolute path of a `go` command
#   (Go >= 1.21: GOOS=wasip1 and //go:wasmimport); progress goes to stderr.
#   1. $WASISOCK_GO, if set (checked like the others);
#   2. the machine's `go` (PATH, then /usr/local/go/bin/go), if >= 1.21;
#   3. else Debian trixie's golang-1.24 (golang-1.24-go + golang-1.24-src,
#      pinned below), fetched once with debian-fetch.sh (the private apt
#      configuration) into "$WASISOCK_CACHE/go/<version>" and run from
#      there.  Once it is complete the script needs no network.
#   --debian skips 1 and 2 (to test the fallback).
#
# Environment: WASISOCK_GO, WASISOCK_CACHE (default $HOME/.cache/wasisock).
set -euo pipefail

prog=go-toolchain
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Pinned; debian-fetch.sh falls back to what trixie serves if it must.
debian_version=1.24.4-1
debian_series=1.24

debian=0
case ${1:-} in
  --debian) debian=1 ;;
  "") ;;
  *) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
esac

# usable GO: true when GO runs and is Go 1.21 or later.
usable() {
  local v major minor
  v=$("$1" env GOVERSION 2>/dev/null) || return 1
  [[ $v =~ ^go([0-9]+)\.([0-9]+) ]] || return 1
  major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
  ((major > 1 || (major == 1 && minor >= 21)))
}

if [ "$debian" = 0 ]; then
  if [ -n "${WASISOCK_GO:-}" ]; then
    usable "$WASISOCK_GO" || die "WASISOCK_GO=$WASISOCK_GO is not Go >= 1.21"
    command -v "$WASISOCK_GO"
    exit 0
  fi
  for go in "$(command -v go || true)" /usr/local/go/bin/go; do
    if [ -n "$go" ] && [ -x "$go" ] && usable "$go"; then
      printf '%s\n' "$go"
      exit 0
    fi
  done
  note "no Go >= 1.21 on this machine: using Debian's golang-$debian_series"
fi

cache_root=${WASISOCK_CACHE:-${HOME:?HOME is not set}/.cache/wasisock}
out=$cache_root/go/$debian_version
go=$out/usr/lib/go-$debian_series/bin/go
if [ -f "$out/.complete" ] && usable "$go"; then
  printf '%s\n' "$go"
  exit 0
fi

mkdir -p "$cache_root/go"
exec 8>"$out.lock"
flock 8
if [ ! -f "$out/.complete" ]; then
  tmp=$(mktemp -d "$out.tmp.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  for pkg in golang-$debian_series-src golang-$debian_series-go; do
    note "fetching $pkg (Debian trixie)"
    ver=$("$here/debian-fetch.sh" binary "$pkg" "$tmp" "$debian_version") ||
      die "could not fetch $pkg"
    [ "$ver" = "$debian_version" ] || note "$pkg: got $ver instead of $debian_version"
  done
  # The go package's GOROOT/src is a relative symlink into the src
  # package's /usr/share/go-1.24: both are extracted into one tree.
  tgo=$tmp/usr/lib/go-$debian_series/bin/go
  usable "$tgo" || die "the fetched $tgo does not run"
  : >"$tmp/.complete"
  rm -rf "$out"
  mv "$tmp" "$out"
  trap - EXIT
fi
usable "$go" || die "$go does not run"
printf '%s\n' "$go"
