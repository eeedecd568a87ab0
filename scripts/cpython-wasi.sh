#!/usr/bin/env bash
# cpython-wasi.sh — reproducible build of CPython 3.13 for wasm32-wasip1
# (python.wasm), with extra built-in C modules and pure-Python packages, and
# with zlib, _ssl and _hashlib (OpenSSL 3.5 from scripts/openssl-wasi.sh).
#
# Usage:
#   cpython-wasi.sh [--module NAME=SRC.c[,SRC2.c…]]… [--include DIR]…
#                   [--disable NAME]… [--package DIR]… [--stdlib-overlay DIR]…
#                   [--out DIR] [--stdlib dir|zip] [--keep-debug] [--jobs N]
#                   [--print-key]
#
#   --module NAME=SRC.c  build SRC.c (absolute or relative path) into python.wasm
#                        as the built-in module NAME (PyInit_NAME), through
#                        Modules/Setup.local (*static*). Repeatable.
#   --include DIR        add -IDIR to every extra module; the *.h under DIR are
#                        dependencies of the extra modules. Repeatable.
#   --disable NAME       leave CPython's built-in module NAME out of python.wasm
#                        (a *disabled* line in Modules/Setup.local), e.g. to
#                        let a module of --stdlib-overlay take its place.
#                        Repeatable.
#   --package DIR        copy the Python package DIR (a directory with
#                        __init__.py) to OUT/lib/python3.13/site-packages/.
#                        A missing DIR is skipped with a warning. Repeatable.
#   --stdlib-overlay DIR copy the *.py files under DIR (keeping subdirectories)
#                        into OUT/lib/python3.13/, byte-compiled like the
#                        stdlib. They add modules (e.g. a pure-Python _socket
#                        for a --disable'd one); a file that would replace a
#                        standard library file is an error. Repeatable.
#   --out DIR            install DIR/python.wasm (debug info stripped, names
#                        kept) and the standard library (see the layout below).
#   --stdlib dir|zip     stdlib as a directory tree with __pycache__ (default) or
#                        as DIR/lib/python313.zip (plain .py + .pyc, stored).
#   --keep-debug         also install the unstripped DIR/python.debug.wasm.
#   --jobs N             make -jN (default: nproc).
#   --print-key          print the cache key directory and exit.
#
# Layout of --out DIR and how to run it (the contract for wasisock-python):
#   DIR/python.wasm
#   DIR/lib/python3.13/…                stdlib (.py + __pycache__/*.pyc,
#                                       unchecked-hash pycs compiled for
#                                       /lib/python3.13), _sysconfigdata__wasi_
#                                       wasm32-wasi.py, empty lib-dynload/,
#                                       site-packages/ (--package dirs),
#                                       --stdlib-overlay files
#   DIR/lib/python313.zip               only with --stdlib zip
#   Run with a WASI preview 1 host (node:wasi shown):
#     preopens { "/lib": "DIR/lib" }    guest /lib = host DIR/lib (read-only is
#                                       fine; the pycs are already there)
#     env      PYTHONHOME=/             so sys.prefix = "/", stdlib at
#                                       /lib/python3.13
#     args     ["python.wasm", …python arguments]
#     node --stack-size=7600            deep recursion needs a big native stack
#   Any other directory the program needs (cwd, /tmp, data) is one more preopen.
#   Example: node --stack-size=7600 scripts/run-python-wasi.mjs DIR -c 'import sys; print(sys.version)'
#
# Cache: $WASISOCK_CACHE/cpython/<key>/ (WASISOCK_CACHE defaults to
# $HOME/.cache/wasisock). The key hashes the CPython and zlib source tarballs,
# the OpenSSL build (the prefix openssl-wasi.sh caches under its own key,
# given to configure --with-openssl), the compilers (clang/WASI_SDK_PATH and
# the native cc), the sysroot, this script and python/patches/*.patch. The
# extra modules are not in the key: a
# change to one of their sources or headers recompiles that module and
# relinks python.wasm, nothing else (a change of the set of modules or their
# file names rewrites Setup.local, which recompiles all built-in modules:
# ~20-45 s).
# Stages are marked done by stamp files in <key>/stamps, so an interrupted
# build resumes; logs are in <key>/logs.
#
# Environment: WASISOCK_CACHE; WASI_SDK_PATH (use its clang, llvm-ar and
# sysroot instead of clang-22 and Debian's wasi-libc); BUILD_CC (native
# compiler, default cc).
# Debian packages: clang-22 lld-22 llvm-22 libclang-rt-22-dev-wasm32, gcc
# make libc6-dev pkgconf (or pkg-config), xz-utils, patch, nodejs (smoke
# test), perl (OpenSSL's Configure), plus those of debian-fetch.sh and
# wasi-sysroot.sh.
#
# shellcheck disable=SC2016  # the bash -c snippets take their values as "$1"…
set -euo pipefail
# The body is one { … } block: bash parses it whole before running it, so
# editing this file during a build does not derail that build.
{
prog=cpython-wasi
T0=$SECONDS
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
repo=$(cd "$here/.." && pwd)

# Pinned Debian trixie versions (preferred; debian-fetch.sh falls back to what
# the mirror serves, and the key follows the tarballs actually used).
python_pkg=python3.13
python_deb_version=3.13.5-2+deb13u5
zlib_deb_version=1:1.3.dfsg+really1.3.1-1

elapsed() { local s=$((SECONDS - ${1:-$T0})); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
say() { printf '%s: [%s] %s\n' "$prog" "$(elapsed)" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;/shellcheck/d;s/^# \{0,1\}//;p}' "$self" >&2
  exit 2
}

# --- arguments ----------------------------------------------------------------
modules=() includes=() packages=() disabled=() overlays=()
out='' stdlib_format=dir keep_debug=0 print_key=0
jobs=$(nproc 2>/dev/null || echo 2)
abspath() { # existing path -> absolute, symlinks resolved
  realpath -e -- "$1" 2>/dev/null || die "no such file or directory: $1"
}
no_space() { case $1 in *[[:space:]]*) die "paths with whitespace are not supported by makesetup: '$1'" ;; esac; }
while [ $# -gt 0 ]; do
  case $1 in
    --module) [ $# -ge 2 ] || usage; modules+=("$2"); shift 2 ;;
    --module=*) modules+=("${1#*=}"); shift ;;
    --include) [ $# -ge 2 ] || usage; includes+=("$2"); shift 2 ;;
    --include=*) includes+=("${1#*=}"); shift ;;
    --package) [ $# -ge 2 ] || usage; packages+=("$2"); shift 2 ;;
    --package=*) packages+=("${1#*=}"); shift ;;
    --disable) [ $# -ge 2 ] || usage; disabled+=("$2"); shift 2 ;;
    --disable=*) disabled+=("${1#*=}"); shift ;;
    --stdlib-overlay) [ $# -ge 2 ] || usage; overlays+=("$2"); shift 2 ;;
    --stdlib-overlay=*) overlays+=("${1#*=}"); shift ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    --stdlib) [ $# -ge 2 ] || usage; stdlib_format=$2; shift 2 ;;
    --stdlib=*) stdlib_format=${1#*=}; shift ;;
    --keep-debug) keep_debug=1; shift ;;
    --jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    -j*) jobs=${1#-j}; shift ;;
    --print-key) print_key=1; shift ;;
    -h | --help) usage ;;
    *) printf '%s: unknown argument: %s\n' "$prog" "$1" >&2; usage ;;
  esac
done
case $stdlib_format in dir | zip) ;; *) die "--stdlib must be dir or zip" ;; esac

# Module specs -> parallel arrays of names and resolved source lists.
mod_names=() mod_srcs=()
for spec in "${modules[@]+"${modules[@]}"}"; do
  name=${spec%%=*} srcs=${spec#*=}
  if [ "$name" = "$spec" ] || [ -z "$srcs" ]; then die "--module wants NAME=SRC.c, got '$spec'"; fi
  [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad module name '$name'"
  for n in "${mod_names[@]+"${mod_names[@]}"}"; do [ "$n" != "$name" ] || die "module $name given twice"; done
  resolved=''
  IFS=, read -r -a parts <<<"$srcs"
  for s in "${parts[@]}"; do
    s=$(abspath "$s")
    no_space "$s"
    case $s in *.c) ;; *) die "module source must be a .c file: $s" ;; esac
    resolved+="$s "
  done
  mod_names+=("$name")
  mod_srcs+=("${resolved% }")
done
for name in "${disabled[@]+"${disabled[@]}"}"; do
  [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad module name '$name' for --disable"
  for n in "${mod_names[@]+"${mod_names[@]}"}"; do [ "$n" != "$name" ] || die "module $name is both built (--module) and disabled"; done
done
overlay_dirs=()
for d in "${overlays[@]+"${overlays[@]}"}"; do
  d=$(abspath "$d")
  [ -d "$d" ] || die "--stdlib-overlay $d is not a directory"
  overlay_dirs+=("$d")
done
inc_dirs=()
for d in "${includes[@]+"${includes[@]}"}"; do
  d=$(abspath "$d"); no_space "$d"
  [ -d "$d" ] || die "--include $d is not a directory"
  inc_dirs+=("$d")
done

# --- tools --------------------------------------------------------------------
cache_root=${WASISOCK_CACHE:-${HOME:?HOME is not set}/.cache/wasisock}
need() { command -v "$1" >/dev/null || die "'$1' not found${2:+ (Debian package: $2)}"; }
need make make
need flock util-linux
need tar tar
need xz xz-utils
need sha256sum coreutils
if command -v pkg-config >/dev/null; then :; elif command -v pkgconf >/dev/null; then :; else
  die "pkg-config not found (Debian package: pkgconf)"
fi
build_cc=${BUILD_CC:-}
if [ -z "$build_cc" ]; then
  if command -v cc >/dev/null; then build_cc=cc
  elif command -v clang-22 >/dev/null; then build_cc=clang-22
  else die "no native C compiler (Debian package: gcc)"; fi
fi

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
strip_tool=()
for t in llvm-objcopy-22 "${WASI_SDK_PATH:+$WASI_SDK_PATH/bin/llvm-objcopy}" llvm-objcopy; do
  if [ -n "$t" ] && command -v "$t" >/dev/null; then strip_tool=("$t" --strip-debug); break; fi
done
if [ ${#strip_tool[@]} -eq 0 ] && command -v wasm-strip >/dev/null; then strip_tool=(wasm-strip); fi

# --- sysroot and sources (outside the key dir, shared, cached) ---------------
sysroot=$("$here/wasi-sysroot.sh" | tail -n 1) || die "wasi-sysroot.sh failed"
[ -d "$sysroot" ] || die "wasi-sysroot.sh printed '$sysroot', not a directory"
wasi_cc="$wasi_clang --target=wasm32-wasip1 --sysroot=$sysroot"

# fetch_src PKG PIN -> sets fetched_dir; skips the network when already fetched.
fetch_src() {
  local pkg=$1 pin=$2 dir=$cache_root/sources/$1 stamp dsc
  stamp=$dir/.fetched
  if [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "pin $pin" ]; then
    dsc=$dir/$(sed -n 's/^dsc //p' "$stamp")
    if [ -f "$dsc" ] && (cd "$dir" && awk '/^Checksums-Sha256:/{f=1;next} /^[^ ]/{f=0} f&&NF==3{print $1"  "$3}' "$dsc" |
      sha256sum --quiet -c - >/dev/null 2>&1); then
      fetched_dir=$dir
      return 0
    fi
  fi
  local ver
  ver=$("$here/debian-fetch.sh" source "$pkg" "$dir" "$pin") || die "could not fetch Debian source $pkg"
  dsc=$(cd "$dir" && ls -1 -- "${pkg}_${ver#*:}.dsc") || die "no .dsc for $pkg $ver in $dir"
  printf 'pin %s\nversion %s\ndsc %s\n' "$pin" "$ver" "$dsc" >"$stamp"
  say "fetched Debian source $pkg $ver"
  fetched_dir=$dir
}
fetch_src "$python_pkg" "$python_deb_version"; py_dir=$fetched_dir
fetch_src zlib "$zlib_deb_version"; zlib_dir=$fetched_dir
orig_of() { # DIR PKG -> the upstream tarball named by the .dsc
  local dsc
  dsc=$1/$(sed -n 's/^dsc //p' "$1/.fetched")
  awk '/^Checksums-Sha256:/{f=1;next} /^[^ ]/{f=0} f&&NF==3&&$3~/\.orig\.tar\.[a-z0-9]+$/{print $3}' "$dsc" | head -n 1
}
py_tar=$py_dir/$(orig_of "$py_dir" "$python_pkg")
zlib_tar=$zlib_dir/$(orig_of "$zlib_dir" zlib)
[ -f "$py_tar" ] || die "no CPython orig tarball in $py_dir"
[ -f "$zlib_tar" ] || die "no zlib orig tarball in $zlib_dir"
# OpenSSL for _ssl and _hashlib: its own cached, keyed build (openssl-wasi.sh).
openssl_prefix=$("$here/openssl-wasi.sh" --jobs "$jobs" | tail -n 1) || die "openssl-wasi.sh failed"
[ -f "$openssl_prefix/lib/libssl.a" ] || die "openssl-wasi.sh printed '$openssl_prefix', which has no lib/libssl.a"
py_version=${py_tar##*_}; py_version=${py_version%.orig.tar.*}
py_short=${py_version%.*}
case $py_short in 3.13) ;; *) warn "CPython $py_version: this script was written for 3.13" ;; esac

# --- the cache key --------------------------------------------------------------
patches=()
if [ -d "$repo/python/patches" ]; then
  while IFS= read -r p; do patches+=("$p"); done < <(find "$repo/python/patches" -maxdepth 1 -name '*.patch' | LC_ALL=C sort)
fi
key_manifest() {
  echo "cpython $py_version $(sha256sum <"$py_tar" | cut -d' ' -f1)"
  echo "zlib $(basename "$zlib_tar") $(sha256sum <"$zlib_tar" | cut -d' ' -f1)"
  echo "openssl $(basename "$(dirname "$openssl_prefix")")"
  echo "wasi-cc $wasi_cc"
  echo "WASI_SDK_PATH ${WASI_SDK_PATH:-}"
  $wasi_clang --version 2>&1 | sed 's/^/wasi-cc-version /'
  echo "build-cc $build_cc"
  $build_cc --version 2>&1 | head -n 1 | sed 's/^/build-cc-version /'
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
kd=$cache_root/cpython/$py_version-$key
if [ "$print_key" = 1 ]; then printf '%s\n' "$kd"; exit 0; fi
mkdir -p "$kd/stamps" "$kd/logs"
printf '%s\n' "$manifest" >"$kd/key.txt"
exec 7>"$kd.lock"
flock -n 7 || { say "waiting for another build using $kd"; flock 7; }

# Reproducibility: fixed build timestamps (clang honours SOURCE_DATE_EPOCH for
# __DATE__/__TIME__), stable locale and umask.
export LC_ALL=C TZ=UTC
umask 022
srcdir=$kd/src/Python-$py_version

# --- stage helpers ---------------------------------------------------------------
stages=(src zlib native-configure native-make wasi-configure wasi-make stdlib)
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
# run_logged NAME LOG PATTERN TOTAL -- cmd…: run cmd with output to LOG; every
# 20 s print how many LOG lines match PATTERN (e.g. compiler runs) so far.
run_logged() {
  local name=$1 logf=$2 pat=$3 total=$4 t0=$SECONDS rc=0 i n n0=0
  shift 5
  # Logs are appended to (a resumed stage keeps its history); keep them bounded.
  if [ -f "$logf" ] && [ "$(stat -c %s "$logf")" -gt 4000000 ]; then mv -f "$logf" "$logf.old"; fi
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
      say "$name: still running ($(elapsed "$t0")), $n${total:+/~$total} ${pat_label:-steps} so far"
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
make_total() { # estimate of compiler runs `make TARGET` will do
  make -n "$@" 2>/dev/null | grep -c -- ' -c ' || true
}

# --- stage: pristine source + patches ----------------------------------------
if ! done_stage src; then
  begin_stage src
  rm -rf "$kd/src" "$kd/src.tmp"
  mkdir -p "$kd/src.tmp"
  tar -C "$kd/src.tmp" -xf "$py_tar"
  [ -d "$kd/src.tmp/Python-$py_version" ] || die "$py_tar has no Python-$py_version/"
  for p in "${patches[@]+"${patches[@]}"}"; do
    need patch patch
    say "applying $(basename "$p")"
    patch -p1 -s -d "$kd/src.tmp/Python-$py_version" <"$p" || die "patch $p does not apply"
  done
  mv "$kd/src.tmp" "$kd/src"
  end_stage src
fi
# Timestamps for reproducible output: the release's own configure script date.
SOURCE_DATE_EPOCH=$(stat -c %Y "$srcdir/configure")
export SOURCE_DATE_EPOCH

# --- stage: zlib for wasm32 (static, with zlib.pc) ------------------------------
zprefix=$kd/zlib-prefix
if ! done_stage zlib; then
  begin_stage zlib
  say "zlib: building $(basename "$zlib_tar") for wasm32-wasip1"
  rm -rf "$kd/zlib" "$zprefix"
  mkdir -p "$kd/zlib/build"
  tar -C "$kd/zlib" -xf "$zlib_tar"
  zsrc=$(find "$kd/zlib" -mindepth 1 -maxdepth 1 -type d -name 'zlib*' | head -n 1)
  [ -n "$zsrc" ] || die "zlib tarball has no zlib*/ directory"
  pat_label=objects run_logged "zlib" "$kd/logs/zlib.log" ' -c ' '' -- \
    bash -c 'cd "$1" && CHOST=wasm32-wasip1 CC="$2" CFLAGS="-O2 -g" AR="$3" RANLIB="$4" \
      "$5/configure" --static --prefix="$6" && make -j"$7" libz.a && make install' _ \
    "$kd/zlib/build" "$wasi_cc" "$wasi_ar" "$wasi_ranlib" "$zsrc" "$zprefix" "$jobs"
  if [ ! -f "$zprefix/lib/libz.a" ] || [ ! -f "$zprefix/lib/pkgconfig/zlib.pc" ]; then die "zlib install incomplete"; fi
  end_stage zlib
fi

# --- stage: native build Python of the same version ------------------------------
native=$kd/native
if ! done_stage native-configure; then
  begin_stage native-configure
  say "native: configure (build Python $py_version, $build_cc)"
  rm -rf "$native"; mkdir -p "$native"
  pat_label=checks run_logged "native configure" "$kd/logs/native-configure.log" '^checking' '' -- \
    bash -c 'cd "$1" && CC="$2" "$3/configure" --prefix="$1/_prefix" --without-ensurepip' _ \
    "$native" "$build_cc" "$srcdir"
  end_stage native-configure
fi
if ! done_stage native-make; then
  begin_stage native-make
  total=$(cd "$native" && make_total all)
  say "native: make -j$jobs (~$total compiler runs)"
  pat_label='compiler runs' run_logged "native make" "$kd/logs/native-make.log" ' -c ' "$total" -- \
    make -C "$native" -j"$jobs" all
  [ -x "$native/python" ] || die "native build produced no python"
  end_stage native-make
fi
build_python=$native/python

# --- stage: configure the wasm32-wasip1 build -----------------------------------
wasi=$kd/wasi
if ! done_stage wasi-configure; then
  begin_stage wasi-configure
  say "wasi: configure --host=wasm32-wasip1 ($wasi_cc)"
  rm -rf "$wasi"; mkdir -p "$wasi"
  extra_cache=()
  # bookworm's old wasi-libc lacks pthread.h; configure needs these answers.
  if ! find "$sysroot/include" -path '*wasm32-wasi*' -name pthread.h 2>/dev/null | grep -q .; then
    extra_cache=(ac_cv_have_pthread_t=yes ac_cv_sizeof_pthread_t=4 ac_cv_sizeof_pthread_key_t=4)
    warn "sysroot without pthread.h: using ${extra_cache[*]}"
  fi
  pat_label=checks run_logged "wasi configure" "$kd/logs/wasi-configure.log" '^checking' '' -- \
    env CONFIG_SITE="$srcdir/Tools/wasm/config.site-wasm32-wasi" \
      CC="$wasi_cc" CPP="$wasi_cc -E" AR="$wasi_ar" RANLIB="$wasi_ranlib" \
      PKG_CONFIG_PATH='' PKG_CONFIG_LIBDIR="$zprefix/lib/pkgconfig:$sysroot/lib/pkgconfig:$sysroot/share/pkgconfig" \
      bash -c 'cd "$1" && shift && "$@"' _ "$wasi" \
      "../src/Python-$py_version/configure" --host=wasm32-wasip1 --build="$("$srcdir/config.guess")" \
        --with-build-python="$build_python" --disable-shared --disable-test-modules \
        --with-openssl="$openssl_prefix" \
        "${extra_cache[@]+"${extra_cache[@]}"}"
  for m in ZLIB _SSL _HASHLIB; do
    grep -q "^MODULE_${m}_STATE=yes" "$wasi/Makefile" || die "configure did not enable ${m#_} (see $kd/logs/wasi-configure.log)"
  done
  end_stage wasi-configure
fi

# --- extra built-in modules: Modules/Setup.local ---------------------------------
# Sources are symlinked under $srcdir/Modules/_wasisock_ext/NAME/ (makesetup
# wants paths relative to the source tree's Modules/; make follows the links,
# so an edited source is newer than its object). Objects land in
# $wasi/Modules/_wasisock_ext/NAME/.
# Setup.local names only the modules and their files; flags and header
# dependencies live in Modules/_wasisock_ext.mk, which Setup.local includes.
# Setup.local changes (makesetup reruns, config.c changes and every built-in
# module recompiles, ~20-45 s) only when a module or file name is added or
# removed; a new flag, header or source directory only rewrites that module's
# Modules/_wasisock_ext/NAME/flags file, a dependency of its objects.
ext=_wasisock_ext
write_if_changed() { # FILE CONTENT: keep FILE's mtime when unchanged
  if [ -f "$1" ] && [ "$(cat "$1")"$'\n' = "$2" ]; then return 1; fi
  printf '%s' "$2" >"$1"
}
rm -rf "${srcdir:?}/Modules/$ext"
mkdir -p "$srcdir/Modules/$ext" "$wasi/Modules/$ext"
setup=$'# Generated by scripts/cpython-wasi.sh on every run: do not edit.\n'
setup+="include Modules/$ext.mk"$'\n*static*\n'
mk=$'# Generated by scripts/cpython-wasi.sh on every run: do not edit.\n'
dep_headers=()
for d in "${inc_dirs[@]+"${inc_dirs[@]}"}"; do
  while IFS= read -r h; do no_space "$h"; dep_headers+=("$h"); done < <(find "$d" -name '*.h' | LC_ALL=C sort)
done
for i in "${!mod_names[@]}"; do
  name=${mod_names[i]}
  upper=$(printf '%s' "$name" | tr '[:lower:]' '[:upper:]')
  mkdir -p "$srcdir/Modules/$ext/$name" "$wasi/Modules/$ext/$name"
  files='' flags='' deps=("Modules/$ext/$name/flags" "${dep_headers[@]+"${dep_headers[@]}"}") seen_dirs=' '
  for s in ${mod_srcs[i]}; do
    b=$(basename "$s")
    ln -sfn "$s" "$srcdir/Modules/$ext/$name/$b"
    files+=" $ext/$name/$b"
    sd=$(dirname "$s")
    case $seen_dirs in *" $sd "*) ;; *)
      seen_dirs+="$sd "
      flags+=" -I$sd"
      while IFS= read -r h; do no_space "$h"; deps+=("$h"); done < <(find "$sd" -maxdepth 1 -name '*.h' | LC_ALL=C sort)
    esac
  done
  for d in "${inc_dirs[@]+"${inc_dirs[@]}"}"; do flags+=" -I$d"; done
  setup+="$name$files \$(WASISOCK_EXT_${upper}_CFLAGS)"$'\n'
  mk+="WASISOCK_EXT_${upper}_CFLAGS=${flags# }"$'\n'
  mk+="MODULE_${upper}_DEPS=${deps[*]}"$'\n'
  # Sources (resolved) and flags: a change here recompiles this module only.
  write_if_changed "$wasi/Modules/$ext/$name/flags" "sources: ${mod_srcs[i]}"$'\n'"flags: ${flags# }"$'\n' || true
done
# Disabled built-ins: Setup.local is read before Setup.stdlib and the first
# rule for a module wins, so a *disabled* line here removes it from config.c.
if [ ${#disabled[@]} -gt 0 ]; then
  setup+=$'*disabled*\n'
  for name in $(printf '%s\n' "${disabled[@]}" | LC_ALL=C sort -u); do setup+="$name"$'\n'; done
fi
write_if_changed "$wasi/Modules/$ext.mk" "$mk" || true
if write_if_changed "$wasi/Modules/Setup.local" "$setup"; then
  say "Modules/Setup.local changed: built-in modules will be recompiled"
fi

# --- stage: make (first full build, later incremental: relink) -------------------
if ! done_stage wasi-make; then
  begin_stage wasi-make
  total=$(cd "$wasi" && make_total all)
  say "wasi: make -j$jobs (~$total compiler runs)"
else
  STAGE_T0=$SECONDS total=''
fi
pat_label='compiler runs' run_logged "wasi make" "$kd/logs/wasi-make.log" ' -c ' "$total" -- \
  make -C "$wasi" -j"$jobs" all
[ -f "$wasi/python.wasm" ] || die "no python.wasm after make"
if ! done_stage wasi-make; then end_stage wasi-make; else say "wasi make (incremental): $(elapsed "$STAGE_T0")"; fi

# --- stage: standard library staged once per key ----------------------------------
# `make libinstall` copies Lib/ (no tests: --disable-test-modules) and the
# sysconfig data; the build Python byte-compiles it for the guest path
# /lib/python3.13 (opt level 0, unchecked-hash: no stat of the .py at import).
libdest=/lib/python$py_short
stdlib=$kd/stdlib
if ! done_stage stdlib; then
  begin_stage stdlib
  say "stdlib: staging and byte-compiling"
  rm -rf "$stdlib" "$stdlib.tmp"
  # -o all: do not remake `all`; PYTHON_FOR_BUILD=true skips its compileall.
  run_logged "libinstall" "$kd/logs/stdlib.log" '' '' -- \
    make -C "$wasi" -o all libinstall DESTDIR="$stdlib.tmp" SCRIPTDIR=/lib LIBDEST="$libdest" PYTHON_FOR_BUILD=true
  L=$stdlib.tmp$libdest
  if [ ! -f "$L/os.py" ] || ! ls "$L"/_sysconfigdata_*wasi*.py >/dev/null 2>&1; then
    die "libinstall produced no usable stdlib in $L"
  fi
  # Not usable under WASI (no Tk, no pip bootstrap, no IDLE): drop them.
  rm -rf "$L/idlelib" "$L/tkinter" "$L/turtledemo" "$L/ensurepip"
  mkdir -p "$L/lib-dynload" "$L/site-packages"
  # Tree form: __pycache__/*.cpython-313.pyc.
  run_logged "compileall" "$kd/logs/stdlib.log" '' '' -- \
    "$build_python" -E -s -m compileall -q -j0 -o 0 --invalidation-mode unchecked-hash \
      -d "$libdest" -x '(bad_coding|badsyntax|site-packages)' "$L"
  # Zip form: python313.zip with foo.py + legacy foo.pyc side by side (zipimport
  # does not read __pycache__), sysconfig data included; stored, not deflated.
  zipv=python${py_short//./}.zip
  rm -rf "$stdlib.ziptree"
  cp -a "$L" "$stdlib.ziptree"
  find "$stdlib.ziptree" -name __pycache__ -prune -exec rm -rf {} +
  rm -rf "$stdlib.ziptree/site-packages" "$stdlib.ziptree/lib-dynload"
  run_logged "compileall (zip)" "$kd/logs/stdlib.log" '' '' -- \
    "$build_python" -E -s -m compileall -q -j0 -o 0 -b --invalidation-mode unchecked-hash \
      -d "/lib/$zipv" -x '(bad_coding|badsyntax)' "$stdlib.ziptree"
  run_logged "zip" "$kd/logs/stdlib.log" '' '' -- \
    "$build_python" -E -s -c '
import os, sys, zipfile
root, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as z:
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            info = zipfile.ZipInfo.from_file(p, os.path.relpath(p, root))
            info.date_time = (1980, 1, 1, 0, 0, 0)
            info.compress_type = zipfile.ZIP_STORED
            with open(p, "rb") as fh:
                z.writestr(info, fh.read())
' "$stdlib.ziptree" "$stdlib.tmp/lib/$zipv"
  rm -rf "$stdlib.ziptree"
  # Reproducible mtimes.
  find "$stdlib.tmp" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  mv "$stdlib.tmp" "$stdlib"
  end_stage stdlib
fi

# --- output -----------------------------------------------------------------------
if [ -z "$out" ]; then
  say "built $wasi/python.wasm (no --out given); total $(elapsed)"
  printf '%s\n' "$wasi/python.wasm"
  exit 0
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
zipv=python${py_short//./}.zip
stdlib_id="$key $stdlib_format"
if [ "$(cat "$out/lib/.wasisock-stdlib" 2>/dev/null || true)" != "$stdlib_id" ]; then
  say "installing the $stdlib_format stdlib into $out/lib"
  rm -rf "$out/lib.tmp"
  mkdir -p "$out/lib.tmp/python$py_short"
  if [ "$stdlib_format" = dir ]; then
    cp -a "$stdlib/lib/python$py_short/." "$out/lib.tmp/python$py_short/"
  else
    cp -a "$stdlib/lib/$zipv" "$out/lib.tmp/"
    mkdir -p "$out/lib.tmp/python$py_short/lib-dynload" "$out/lib.tmp/python$py_short/site-packages"
  fi
  printf '%s\n' "$stdlib_id" >"$out/lib.tmp/.wasisock-stdlib"
  rm -rf "${out:?}/lib"
  mv "$out/lib.tmp" "$out/lib"
fi
site=$out/lib/python$py_short/site-packages
for p in "${packages[@]+"${packages[@]}"}"; do
  if [ ! -d "$p" ]; then warn "--package $p: no such directory, skipped"; continue; fi
  [ -f "$p/__init__.py" ] || warn "--package $p has no __init__.py"
  pn=$(basename "$(cd "$p" && pwd)")
  rm -rf "${site:?}/$pn"
  mkdir -p "$site"
  cp -R "$p" "$site/$pn"
  find "$site/$pn" -name __pycache__ -prune -exec rm -rf {} +
done
# Overlay modules: copied beside the stdlib, then byte-compiled for the guest
# path as the stdlib is. What an earlier run installed (listed in
# lib/.wasisock-overlay) is removed first, so a deleted overlay file goes away.
libpy=$out/lib/python$py_short
if [ -f "$out/lib/.wasisock-overlay" ]; then
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    rm -f "$libpy/$f" "$libpy/$(dirname "$f")/__pycache__/$(basename "$f" .py).cpython-${py_short//./}.pyc"
  done <"$out/lib/.wasisock-overlay"
  rm -f "$out/lib/.wasisock-overlay"
fi
overlay_files=()
for d in "${overlay_dirs[@]+"${overlay_dirs[@]}"}"; do
  while IFS= read -r f; do
    f=${f#./}
    if [ -e "$stdlib/lib/python$py_short/$f" ]; then die "--stdlib-overlay $d/$f would replace the standard library's $f"; fi
    mkdir -p "$libpy/$(dirname "$f")"
    cp "$d/$f" "$libpy/$f"
    overlay_files+=("$f")
  done < <(cd "$d" && find . -name __pycache__ -prune -o -name '*.py' -type f -print | LC_ALL=C sort)
done
if [ ${#overlay_files[@]} -gt 0 ]; then
  printf '%s\n' "${overlay_files[@]}" >"$out/lib/.wasisock-overlay"
  "$build_python" -E -s -m compileall -q -o 0 --invalidation-mode unchecked-hash \
    -s "$libpy" -p "$libdest" "${overlay_files[@]/#/$libpy/}" >/dev/null ||
    die "byte-compiling the --stdlib-overlay files failed"
fi
if [ ${#strip_tool[@]} -gt 0 ]; then
  "${strip_tool[@]}" "$wasi/python.wasm" "$out/python.wasm.tmp" 2>/dev/null ||
    { cp "$wasi/python.wasm" "$out/python.wasm.tmp" && "${strip_tool[@]}" "$out/python.wasm.tmp"; } ||
    die "stripping python.wasm failed"
else
  warn "no llvm-objcopy/wasm-strip: python.wasm keeps its debug info"
  cp "$wasi/python.wasm" "$out/python.wasm.tmp"
fi
mv "$out/python.wasm.tmp" "$out/python.wasm"
if [ "$keep_debug" = 1 ]; then cp "$wasi/python.wasm" "$out/python.debug.wasm"; fi
say "python.wasm ($(($(stat -c %s "$out/python.wasm") / 1024)) KiB) and stdlib in $out; total $(elapsed)"
printf '%s\n' "$out/python.wasm"
exit 0
}
