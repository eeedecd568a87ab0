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
# wasm compiler and its version, the sysroot (wasi-libc version, libc.a), the
# optimisation level and link-time optimisation of scripts/lib/optimise.sh
# (given to Configure after the options above) and this script.
# Stages (src, configure, make, install, smoke) leave stamps, so an
# interrupted build resumes; a complete one returns at once. The smoke stage
# links a small program against the result (SHA-256, RAND_bytes, an
# SSL_CTX) and, when node is found, runs it under node:wasi.
#
# Environment: WASISOCK_CACHE; WASI_SDK_PATH (its clang, llvm-ar and sysroot
# instead of clang-22 and Debian's wasi-libc); NODE (default node); those of
# scripts/lib/optimise.sh.
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
# shellcheck source=lib/build-common.sh
. "$here/lib/build-common.sh"
# shellcheck source=lib/optimise.sh
. "$here/lib/optimise.sh"

# Pinned Debian trixie version (preferred; debian-fetch.sh falls back to
# what the mirror serves, and the key follows the tarball actually used).
openssl_deb_version=3.5.7-1~deb13u2
configure_opts=(linux-generic32 no-asm no-threads no-shared no-dso no-module no-engine
  no-afalgeng no-ktls no-ui-console no-tests no-apps no-docs no-sock no-secure-memory
  no-pic -D_WASI_EMULATED_GETPID --openssldir=/etc/ssl)

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
need make make
need perl perl
need flock util-linux
need tar tar
need sha256sum coreutils
wasi_toolchain
# Optimisation (scripts/lib/optimise.sh): after the options, so they win.
read -r -a opt_flags <<<"$(opt_cflags)"
configure_opts+=("${opt_flags[@]}")

# --- source (shared by all keys, skipped once fetched and intact) ------------
fetch_src openssl "$openssl_deb_version"
deb_version=$(sed -n 's/^version //p' "$fetched_dir/.fetched")
tarball=$fetched_dir/$(orig_of "$fetched_dir")
[ -f "$tarball" ] || die "no openssl orig tarball in $fetched_dir"
version=${tarball##*_}; version=${version%.orig.tar.*}

# --- the key ------------------------------------------------------------------
patches=()
if [ -d "$patch_dir" ]; then
  while IFS= read -r p; do patches+=("$p"); done < <(find "$patch_dir" -maxdepth 1 -name '*.patch' | LC_ALL=C sort)
fi
[ ${#patches[@]} -eq 0 ] || need patch patch
key_manifest() {
  echo "openssl $version $deb_version $(sha "$tarball")"
  key_common "$self"
  opt_key
  local p
  for p in "${patches[@]+"${patches[@]}"}"; do echo "patch $(basename "$p") $(sha "$p")"; done
}
manifest=$(key_manifest)
key=$(printf '%s\n' "$manifest" | sha256sum | cut -c1-16)
kd=$cache_root/openssl/$version-$key
prefix=$kd/prefix
if [ "$print_key" = 1 ]; then printf '%s\n' "$kd"; exit 0; fi
# Complete already: no lock, no work.
if [ -e "$kd/stamps/smoke" ]; then printf '%s\n' "$prefix"; exit 0; fi
enter_key_dir "$manifest"
stages=(src configure make install smoke)
src=$kd/src/openssl-$version
build=$kd/build

# --- stage: pristine source -----------------------------------------------------
if ! done_stage src; then
  begin_stage src
  say "openssl $deb_version: unpacking $(basename "$tarball")"
  unpack_src "$tarball" "openssl-$version" "${patches[@]+"${patches[@]}"}"
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
    in_dir "$build" env CC="$wasi_cc" AR="$wasi_ar" RANLIB="$wasi_ranlib" \
      perl "$src/Configure" "${configure_opts[@]}" --prefix="$prefix" --libdir=lib
  [ -f "$build/Makefile" ] || die "Configure wrote no Makefile"
  end_stage configure
fi

# --- stage: make build_libs -------------------------------------------------------
if ! done_stage make; then
  begin_stage make
  total=$(make_total "$build" build_libs)
  say "make -j$jobs build_libs (~$total compiler runs)"
  run_logged "make" "$kd/logs/make.log" "$build" "$total" -- make -C "$build" -j"$jobs" build_libs
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
