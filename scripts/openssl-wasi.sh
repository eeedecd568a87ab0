#!/usr/bin/env bash
# openssl-wasi.sh — OpenSSL 3.5 (libssl + libcrypto, static) for wasm32-wasip1,
# from Debian trixie's source package, cached and keyed like cpython-wasi.sh.
#
# Usage:
#   openssl-wasi.sh [--jobs N] [--print-key]
#     stdout: the LAST (only) line is the install prefix:
#               PREFIX/include/openssl/*.h
#               PREFIX/lib/libssl.a PREFIX/lib/libcrypto.a
#               PREFIX/lib/pkgconfig/{openssl,libssl,libcrypto}.pc
#             (configure --with-openssl=PREFIX takes it as it is)
#     stderr: progress lines ("openssl-wasi: [0m41s] make: still running …");
#             full logs in KEYDIR/logs/<stage>.log, the last 40 lines printed
#             on failure.
#   --jobs N     make -jN (default: nproc)
#   --print-key  print the key directory and exit (no build)
#
# The build: the pristine source plus python/patches/openssl/*.patch in sorted
# order (patch -p1; today one: TLS 1.3 ChaCha20-Poly1305 first in the default
# ciphersuites, since wasm has no AES instructions), then
#   Configure linux-generic32 no-asm no-threads no-shared no-dso no-module
#     no-engine no-afalgeng no-ktls no-ui-console no-tests no-apps no-docs
#     no-sock no-secure-memory no-pic -D_WASI_EMULATED_GETPID
#     --openssldir=/etc/ssl --prefix=PREFIX --libdir=lib
#   make build_libs && make install_dev
# Why those options: wasm32 has no assembler kernels (no-asm) and no
# threads that work with CPython's pthread stubs (no-threads; a threaded
# OpenSSL spins in wasi-libc's pthread_key_delete); nothing is loaded at
# run time (no-shared no-dso no-module no-engine); WASI preview 1 has no
# netdb.h and hides socket() (no-sock: the socket BIOs are left out, the fd
# and memory BIOs stay); no-pic because position-independent code wants
# __memory_base, which a static wasm32 link does not define. getpid() is
# wasi-libc's emulation (link with -lwasi-emulated-getpid; CPython's configure
# does). Randomness: getentropy() -> WASI random_get. --openssldir=/etc/ssl
# is the GUEST path: the default CA file is /etc/ssl/cert.pem, the default CA
# directory /etc/ssl/certs (the wasisock-python launcher maps the host's
# bundle there, docs/TLS.md).
#
# Cache: $WASISOCK_CACHE/openssl/<version>-<key>/ (WASISOCK_CACHE defaults to
# $HOME/.cache/wasisock), <key> hashing the orig tarball, the patches, the
# wasm compiler and its version, the sysroot (wasi-libc version, libc.a) and
# this script.
# Stages (src, configure, make, install, smoke) leave stamps, so an
# interrupted build resumes; a complete one returns at once. The smoke stage
# links a small program against the result (SHA-256, RAND_bytes, an
# SSL_CTX) and, when node is found, runs it under node:wasi.
#
# Environment: WASISOCK_CACHE; WASI_SDK_PATH (its clang, llvm-ar and sysroot
# instead of clang-22 and Debian's wasi-libc); NODE (default node).
# Debian packages: clang-22 lld-22 llvm-22 libclang-rt-22-dev-wasm32 perl make
# patch, plus those of debian-fetch.sh and wasi-sysroot.sh.
#
# shellcheck disable=SC2016  # the bash -c snippets take their values as "$1"…
set -euo pipefail
# One { … } block: bash parses it whole, so editing this file during a build
# does not derail that build.
{
prog=openssl-wasi
T0=$SECONDS
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
patch_dir=$(cd "$here/.." && pwd)/python/patches/openssl

# Pinned Debian trixie version (preferred; debian-fetch.sh falls back to
# what the mirror serves, and the key follows the tarball actually used).
openssl_deb_version=3.5.7-1~deb13u2
configure_opts=(linux-generic32 no-asm no-threads no-shared no-dso no-module no-engine
  no-afalgeng no-ktls no-ui-console no-tests no-apps no-docs no-sock no-secure-memory
  no-pic -D_WASI_EMULATED_GETPID --openssldir=/etc/ssl)

elapsed() { local s=$((SECONDS - ${1:-$T0})); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
say() { printf '%s: [%s] %s\n' "$prog" "$(elapsed)" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;/shellcheck/d;s/^# \{0,1\}//;p}' "$self" >&2
  exit 2
}

jobs=$(nproc 2>/dev/null || echo 2)
print_key=0
while [ $# -gt 0 ]; do
  case $1 in
    --jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    -j*) jobs=${1#-j}; shift ;;
    --print-key) print_key=1; shift ;;
    -h | --help) usage ;;
    *) printf '%s: unknown argument: %s\n' "$prog" "$1" >&2; usage ;;
  esac
done

# --- tools ------------------------------------------------------------------
cache_root=${WASISOCK_CACHE:-${HOME:?HOME is not set}/.cache/wasisock}
need() { command -v "$1" >/dev/null || die "'$1' not found${2:+ (Debian package: $2)}"; }
need make make
need perl perl
need flock util-linux
need tar tar
need sha256sum coreutils
if [ -n "${WASI_SDK_PATH:-}" ]; then
  [ -x "$WASI_SDK_PATH/bin/clang" ] || die "WASI_SDK_PATH=$WASI_SDK_PATH has no bin/clang"
  wasi_clang=$WASI_SDK_PATH/bin/clang
  wasi_ar=$WASI_SDK_PATH/bin/llvm-ar
  wasi_ranlib=$WASI_SDK_PATH/bin/llvm-ranlib
  [ -x "$wasi_ranlib" ] || wasi_ranlib=$WASI_SDK_PATH/bin/ranlib
else
  need clang-22 clang-22
  need wasm-ld-22 lld-22
  need llvm-ar-22 llvm-22
  wasi_clang=clang-22 wasi_ar=llvm-ar-22 wasi_ranlib=llvm-ranlib-22
fi
sysroot=$("$here/wasi-sysroot.sh" | tail -n 1) || die "wasi-sysroot.sh failed"
[ -d "$sysroot" ] || die "wasi-sysroot.sh printed '$sysroot', not a directory"
wasi_cc="$wasi_clang --target=wasm32-wasip1 --sysroot=$sysroot"

# --- source (shared by all keys, skipped once fetched and intact) ------------
srcdir_pkg=$cache_root/sources/openssl
stamp=$srcdir_pkg/.fetched
dsc_ok() { # DSC: every file the .dsc names is present with its sha256
  [ -f "$1" ] && (cd "$srcdir_pkg" && awk '/^Checksums-Sha256:/{f=1;next} /^[^ ]/{f=0} f&&NF==3{print $1"  "$3}' "$1" |
    sha256sum --quiet -c - >/dev/null 2>&1)
}
if ! { [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "pin $openssl_deb_version" ] &&
  dsc_ok "$srcdir_pkg/$(sed -n 's/^dsc //p' "$stamp")"; }; then
  ver=$("$here/debian-fetch.sh" source openssl "$srcdir_pkg" "$openssl_deb_version") ||
    die "could not fetch the Debian source package openssl"
  dsc=$(cd "$srcdir_pkg" && ls -1 -- "openssl_${ver#*:}.dsc") || die "no .dsc for openssl $ver"
  printf 'pin %s\nversion %s\ndsc %s\n' "$openssl_deb_version" "$ver" "$dsc" >"$stamp"
  say "fetched Debian source openssl $ver"
fi
deb_version=$(sed -n 's/^version //p' "$stamp")
dsc=$srcdir_pkg/$(sed -n 's/^dsc //p' "$stamp")
tarball=$srcdir_pkg/$(awk '/^Checksums-Sha256:/{f=1;next} /^[^ ]/{f=0} f&&NF==3&&$3~/\.orig\.tar\.[a-z0-9]+$/{print $3}' "$dsc" | head -n 1)
[ -f "$tarball" ] || die "no openssl orig tarball in $srcdir_pkg"
version=${tarball##*_}; version=${version%.orig.tar.*}

# --- the key ------------------------------------------------------------------
patches=()
if [ -d "$patch_dir" ]; then
  while IFS= read -r p; do patches+=("$p"); done < <(find "$patch_dir" -maxdepth 1 -name '*.patch' | LC_ALL=C sort)
fi
[ ${#patches[@]} -eq 0 ] || need patch patch
key_manifest() {
  echo "openssl $version $deb_version $(sha256sum <"$tarball" | cut -d' ' -f1)"
  echo "wasi-cc $wasi_cc"
  echo "WASI_SDK_PATH ${WASI_SDK_PATH:-}"
  $wasi_clang --version 2>&1 | sed 's/^/wasi-cc-version /'
  echo "sysroot-id $(cat "$sysroot/.wasisock-sysroot" 2>/dev/null || true)"
  local libc
  libc=$(find "$sysroot/lib" -path '*wasm32-wasi*' -name libc.a 2>/dev/null | LC_ALL=C sort | head -n 1)
  echo "sysroot-libc $( [ -n "$libc" ] && sha256sum <"$libc" | cut -d' ' -f1)"
  echo "script $(sha256sum <"$self" | cut -d' ' -f1)"
  local p
  for p in "${patches[@]+"${patches[@]}"}"; do echo "patch $(basename "$p") $(sha256sum <"$p" | cut -d' ' -f1)"; done
}
manifest=$(key_manifest)
key=$(printf '%s\n' "$manifest" | sha256sum | cut -c1-16)
kd=$cache_root/openssl/$version-$key
prefix=$kd/prefix
if [ "$print_key" = 1 ]; then printf '%s\n' "$kd"; exit 0; fi
# Complete already: no lock, no work.
if [ -e "$kd/stamps/smoke" ]; then printf '%s\n' "$prefix"; exit 0; fi
mkdir -p "$kd/stamps" "$kd/logs"
printf '%s\n' "$manifest" >"$kd/key.txt"
exec 7>"$kd.lock"
flock -n 7 || { say "waiting for another build using $kd"; flock 7; }

export LC_ALL=C TZ=UTC
umask 022

stages=(src configure make install smoke)
done_stage() { [ -e "$kd/stamps/$1" ]; }
begin_stage() { # a stage that (re)runs invalidates the stages after it
  local s after=0
  for s in "${stages[@]}"; do
    if [ "$after" = 1 ]; then rm -f "$kd/stamps/$s"; fi
    if [ "$s" = "$1" ]; then after=1; fi
  done
  rm -f "$kd/stamps/$1"
  STAGE_T0=$SECONDS
}
end_stage() { touch "$kd/stamps/$1"; say "$1: done in $(elapsed "$STAGE_T0")"; }

bg_pid=''
trap 'if [ -n "$bg_pid" ]; then kill "$bg_pid" 2>/dev/null || true; fi' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# run_logged NAME LOG PATTERN TOTAL -- cmd…: cmd's output goes to LOG; every
# 20 s a line says how many LOG lines match PATTERN (compiler runs) so far.
run_logged() {
  local name=$1 logf=$2 pat=$3 total=$4 t0=$SECONDS rc=0 i n n0=0
  shift 5
  if [ -n "$pat" ] && [ -f "$logf" ]; then n0=$(grep -c -- "$pat" "$logf" || true); fi
  printf '\n=== %s: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$logf"
  "$@" >>"$logf" 2>&1 &
  bg_pid=$!
  while kill -0 "$bg_pid" 2>/dev/null; do
    for ((i = 0; i < 20; i++)); do
      kill -0 "$bg_pid" 2>/dev/null || break 2
      sleep 1
    done
    if [ -n "$pat" ]; then
      n=$(( $(grep -c -- "$pat" "$logf" || true) - n0 ))
      say "$name: still running ($(elapsed "$t0")), $n${total:+/~$total} compiler runs so far"
    else
      say "$name: still running ($(elapsed "$t0"))"
    fi
  done
  wait "$bg_pid" || rc=$?
  bg_pid=''
  if [ "$rc" != 0 ]; then
    printf '%s: ---- last lines of %s ----\n' "$prog" "$logf" >&2
    tail -n 40 "$logf" >&2
    die "$name failed (exit $rc); full log: $logf"
  fi
}

src=$kd/src/openssl-$version
build=$kd/build

# --- stage: pristine source -----------------------------------------------------
if ! done_stage src; then
  begin_stage src
  say "openssl $deb_version: unpacking $(basename "$tarball")"
  rm -rf "$kd/src" "$kd/src.tmp"
  mkdir -p "$kd/src.tmp"
  tar -C "$kd/src.tmp" -xzf "$tarball"
  [ -d "$kd/src.tmp/openssl-$version" ] || die "$tarball has no openssl-$version/"
  for p in "${patches[@]+"${patches[@]}"}"; do
    say "applying $(basename "$p")"
    patch -p1 -s -d "$kd/src.tmp/openssl-$version" <"$p" || die "patch $p does not apply"
  done
  mv "$kd/src.tmp" "$kd/src"
  end_stage src
fi
# Reproducible: the release's own date for anything stamped at build time
# (OpenSSL's buildinf.h takes its "built on" date from SOURCE_DATE_EPOCH).
SOURCE_DATE_EPOCH=$(stat -c %Y "$src/VERSION.dat")
export SOURCE_DATE_EPOCH

# --- stage: Configure (out of tree) ------------------------------------------------
if ! done_stage configure; then
  begin_stage configure
  say "configure: ${configure_opts[*]}"
  rm -rf "$build"; mkdir -p "$build"
  run_logged "configure" "$kd/logs/configure.log" '' '' -- \
    env CC="$wasi_cc" AR="$wasi_ar" RANLIB="$wasi_ranlib" \
      bash -c 'cd "$1" && shift && "$@"' _ "$build" \
      perl "$src/Configure" "${configure_opts[@]}" --prefix="$prefix" --libdir=lib
  [ -f "$build/Makefile" ] || die "Configure wrote no Makefile"
  end_stage configure
fi

# --- stage: make build_libs -------------------------------------------------------
if ! done_stage make; then
  begin_stage make
  total=$(make -C "$build" -n build_libs 2>/dev/null | grep -c -- ' -c ' || true)
  say "make -j$jobs build_libs (~$total compiler runs)"
  run_logged "make" "$kd/logs/make.log" ' -c ' "$total" -- make -C "$build" -j"$jobs" build_libs
  [ -f "$build/libssl.a" ] && [ -f "$build/libcrypto.a" ] || die "make produced no libssl.a/libcrypto.a"
  end_stage make
fi

# --- stage: install_dev into the prefix --------------------------------------------
if ! done_stage install; then
  begin_stage install
  rm -rf "$prefix" "$kd/destdir"
  run_logged "install_dev" "$kd/logs/install.log" '' '' -- \
    make -C "$build" install_dev DESTDIR="$kd/destdir"
  [ -f "$kd/destdir$prefix/lib/libssl.a" ] || die "install_dev put no libssl.a in $kd/destdir$prefix/lib"
  mv "$kd/destdir$prefix" "$prefix"
  rm -rf "$kd/destdir"
  end_stage install
fi

# --- stage: smoke test: link (and run) a program using the libraries ----------------
if ! done_stage smoke; then
  begin_stage smoke
  t=$kd/smoke; rm -rf "$t"; mkdir -p "$t"
  cat >"$t/smoke.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/opensslv.h>
int main(void) {
  unsigned char md[32], r[16];
  unsigned int n = 0;
  SSL_CTX *ctx;
  if (!EVP_Digest("abc", 3, md, &n, EVP_sha256(), NULL) || n != 32) return 1;
  if (RAND_bytes(r, sizeof r) != 1) return 2;
  ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL) return 3;
  SSL_CTX_free(ctx);
  printf("%s sha256(abc)=%02x%02x%02x%02x\n", OPENSSL_VERSION_TEXT, md[0], md[1], md[2], md[3]);
  return 0;
}
EOF
  # shellcheck disable=SC2086  # $wasi_cc carries flags
  $wasi_cc -O2 -I"$prefix/include" "$t/smoke.c" -o "$t/smoke.wasm" \
    -L"$prefix/lib" -lssl -lcrypto -lwasi-emulated-getpid >"$kd/logs/smoke.log" 2>&1 ||
    { cat "$kd/logs/smoke.log" >&2; die "smoke test: linking against libssl/libcrypto failed"; }
  node=${NODE:-node}
  if command -v "$node" >/dev/null; then
    cat >"$t/run.mjs" <<'EOF'
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
const wasi = new WASI({ version: 'preview1', args: ['smoke'], env: {} });
const inst = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(process.argv[2])), wasi.getImportObject());
process.exitCode = wasi.start(inst);
EOF
    got=$("$node" --no-warnings "$t/run.mjs" "$t/smoke.wasm" 2>>"$kd/logs/smoke.log") ||
      die "smoke test: smoke.wasm failed under node:wasi (log: $kd/logs/smoke.log)"
    case $got in *"sha256(abc)=ba7816bf") ;; *) die "smoke test: unexpected output '$got'" ;; esac
    say "smoke: $got"
  else
    say "smoke: node not found: linked, not run"
  fi
  rm -rf "$t"
  end_stage smoke
fi
say "OpenSSL $version ($deb_version) for wasm32-wasip1 in $prefix; total $(elapsed)"
printf '%s\n' "$prefix"
exit 0
}
