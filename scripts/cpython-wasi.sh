#!/usr/bin/env bash
# cpython-wasi.sh — reproducible build of CPython 3.13 for wasm32-wasip1
# (python.wasm), with extra built-in C modules and pure-Python packages, and
# with zlib, _ssl and _hashlib (OpenSSL 3.5 from scripts/openssl-wasi.sh).
#
# Usage:
#   cpython-wasi.sh [--module NAME=SRC.c[,SRC2.c…]]… [--include DIR]…
#                   [--disable NAME]… [--package DIR]… [--stdlib-overlay DIR]…
#                   [--cc-config FILE] [--out DIR] [--stdlib dir|zip]
#                   [--keep-debug] [--jobs N] [--print-key]
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
#   --cc-config FILE     compile and link CPython with clang --config=FILE:
#                        wasisock's POSIX socket layer (its
#                        wasisock-posix.cfg, docs/POSIX.md), so CPython's own
#                        _socket and select are built on it, with IPv6 and
#                        python/config.site-posix-layer's configure answers.
#                        The layer's headers and flags are in the cache key,
#                        its library is not: a new library relinks
#                        python.wasm.
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
# given to configure --with-openssl), the build Python (native CPython of the
# same version, cpython-native.sh's own cached build), the wasm32 compiler
# (clang/WASI_SDK_PATH), the sysroot, the optimisation choices of
# scripts/lib/optimise.sh, this script and python/patches/*.patch. The
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
# compiler, default cc); those of scripts/lib/optimise.sh.
# Debian packages: clang-22 lld-22 llvm-22 libclang-rt-22-dev-wasm32, gcc
# make libc6-dev pkgconf (or pkg-config), xz-utils, patch, nodejs (smoke
# test), perl (OpenSSL's Configure), binaryen (wasm-opt, when optimise.sh asks
# for it), plus those of debian-fetch.sh, wasi-sysroot.sh and
# cpython-native.sh.
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
# shellcheck source=lib/build-common.sh
. "$here/lib/build-common.sh"
# shellcheck source=lib/optimise.sh
. "$here/lib/optimise.sh"

# Pinned Debian trixie version of zlib (CPython's: lib/build-common.sh).
zlib_deb_version=1:1.3.dfsg+really1.3.1-1

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;/shellcheck/d;s/^# \{0,1\}//;p}' "$self" >&2
  exit 2
}

# --- arguments ----------------------------------------------------------------
modules=() includes=() packages=() disabled=() overlays=()
out='' stdlib_format=dir keep_debug=0 print_key=0 cc_config=''
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
    --cc-config) [ $# -ge 2 ] || usage; cc_config=$2; shift 2 ;;
    --cc-config=*) cc_config=${1#*=}; shift ;;
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
need make make
need flock util-linux
need tar tar
need xz xz-utils
need sha256sum coreutils
if command -v pkg-config >/dev/null; then :; elif command -v pkgconf >/dev/null; then :; else
  die "pkg-config not found (Debian package: pkgconf)"
fi
wasi_toolchain
wasm_opt_version=''
if [ "$opt_wasm_opt" != none ]; then
  need wasm-opt binaryen
  wasm_opt_version=$(wasm-opt --version)
fi
strip_tool=()
for t in llvm-objcopy-22 "${WASI_SDK_PATH:+$WASI_SDK_PATH/bin/llvm-objcopy}" llvm-objcopy; do
  if [ -n "$t" ] && command -v "$t" >/dev/null; then strip_tool=("$t" --strip-debug); break; fi
done
if [ ${#strip_tool[@]} -eq 0 ] && command -v wasm-strip >/dev/null; then strip_tool=(wasm-strip); fi

# --- the POSIX socket layer (--cc-config) ------------------------------------
# CPython (not zlib) is compiled and linked with the layer's clang config:
# its -isystem headers and --wrap flags.  layer_key: the config's lines
# without their directories and every header's hash (the cache key);
# layer_libs: the libraries it links (a change relinks python.wasm).
py_cc=$wasi_cc layer_key='' layer_libs=() layer_site=''
if [ -n "$cc_config" ]; then
  cc_config=$(abspath "$cc_config")
  no_space "$cc_config"
  layer_site=$repo/python/config.site-posix-layer
  [ -f "$layer_site" ] || die "no $layer_site"
  layer_key+="config-site $(sha256sum <"$layer_site" | cut -d' ' -f1)"$'\n'
  cfg_dir=$(dirname "$cc_config")
  layer_lib_dirs=()
  while read -r opt arg; do
    opt=${opt#\$} opt=${opt//<CFGDIR>/$cfg_dir} arg=${arg//<CFGDIR>/$cfg_dir}
    layer_key+="cc-config ${opt//\/*\//} ${arg//\/*\//}"$'\n'
    case $opt in
      -isystem | -I)
        [ -d "$arg" ] || die "--cc-config $cc_config: no directory $arg"
        while IFS= read -r h; do
          layer_key+="cc-config-header ${h#"$arg"/} $(sha256sum <"$h" | cut -d' ' -f1)"$'\n'
        done < <(find "$arg" -name '*.h' | LC_ALL=C sort) ;;
      -Wl,-L*) layer_lib_dirs+=("${opt#-Wl,-L}") ;;
      -l*) for d in "${layer_lib_dirs[@]+"${layer_lib_dirs[@]}"}"; do
             if [ -f "$d/lib${opt#-l}.a" ]; then layer_libs+=("$d/lib${opt#-l}.a"); fi
           done ;;
    esac
  done < <(grep -v '^[[:space:]]*\(#\|$\)' "$cc_config")
  [ ${#layer_libs[@]} -gt 0 ] || die "--cc-config $cc_config links no library this script can find"
fi

# --- sources (outside the key dir, shared, cached) ----------------------------
fetch_src "$python_pkg" "$python_deb_version"; py_dir=$fetched_dir
fetch_src zlib "$zlib_deb_version"; zlib_dir=$fetched_dir
py_tar=$py_dir/$(orig_of "$py_dir")
zlib_tar=$zlib_dir/$(orig_of "$zlib_dir")
[ -f "$py_tar" ] || die "no CPython orig tarball in $py_dir"
[ -f "$zlib_tar" ] || die "no zlib orig tarball in $zlib_dir"
# OpenSSL for _ssl and _hashlib: its own cached, keyed build (openssl-wasi.sh).
openssl_prefix=$("$here/openssl-wasi.sh" --jobs "$jobs" | tail -n 1) || die "openssl-wasi.sh failed"
[ -f "$openssl_prefix/lib/libssl.a" ] || die "openssl-wasi.sh printed '$openssl_prefix', which has no lib/libssl.a"
# The build Python: native CPython of the same version, its own cached build.
native_prefix=$("$here/cpython-native.sh" --jobs "$jobs" | tail -n 1) || die "cpython-native.sh failed"
py_version=${py_tar##*_}; py_version=${py_version%.orig.tar.*}
py_short=${py_version%.*}
case $py_short in 3.13) ;; *) warn "CPython $py_version: this script was written for 3.13" ;; esac
build_python=$native_prefix/bin/python$py_short
[ -x "$build_python" ] || die "cpython-native.sh printed '$native_prefix', which has no bin/python$py_short"

# --- the cache key --------------------------------------------------------------
patches=()
if [ -d "$repo/python/patches" ]; then
  while IFS= read -r p; do patches+=("$p"); done < <(find "$repo/python/patches" -maxdepth 1 -name '*.patch' | LC_ALL=C sort)
fi
key_manifest() {
  echo "cpython $py_version $(sha256sum <"$py_tar" | cut -d' ' -f1)"
  echo "zlib $(basename "$zlib_tar") $(sha256sum <"$zlib_tar" | cut -d' ' -f1)"
  echo "openssl $(basename "$(dirname "$openssl_prefix")")"
  echo "build-python $(basename "$(dirname "$native_prefix")")"
  key_common "$self"
  opt_key
  echo "opt-pymalloc $opt_pymalloc"
  echo "opt-wasm-opt $opt_wasm_opt${wasm_opt_version:+ ($wasm_opt_version)}"
  printf '%s' "$layer_key"
  local p
  for p in "${patches[@]+"${patches[@]}"}"; do echo "patch $(basename "$p") $(sha256sum <"$p" | cut -d' ' -f1)"; done
}
manifest=$(key_manifest)
key=$(printf '%s\n' "$manifest" | sha256sum | cut -c1-16)
kd=$cache_root/cpython/$py_version-$key
if [ "$print_key" = 1 ]; then printf '%s\n' "$kd"; exit 0; fi
# Reproducibility: enter_key_dir fixes locale and umask; below, fixed build
# timestamps (clang honours SOURCE_DATE_EPOCH for __DATE__/__TIME__).
enter_key_dir "$manifest"
# The layer's config of this run, copied into the key directory: configure
# writes the compiler command into the Makefile, and every build of this
# key, from whichever checkout (the headers are the same, by the key), then
# compiles and links with the current one.
# (<CFGDIR>, clang's name for the file's own directory, is resolved first.)
if [ -n "$cc_config" ]; then
  sed "s|<CFGDIR>|$cfg_dir|g" "$cc_config" >"$kd/posix-layer.cfg.new"
  if cmp -s "$kd/posix-layer.cfg.new" "$kd/posix-layer.cfg"; then rm -f "$kd/posix-layer.cfg.new"
  else mv -f "$kd/posix-layer.cfg.new" "$kd/posix-layer.cfg"; fi
  py_cc="$wasi_cc --config=$kd/posix-layer.cfg"
fi

srcdir=$kd/src/Python-$py_version
stages=(src zlib wasi-configure wasi-make stdlib)

# --- stage: pristine source + patches ----------------------------------------
if ! done_stage src; then
  begin_stage src
  unpack_src "$py_tar" "Python-$py_version" "${patches[@]+"${patches[@]}"}"
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
  run_logged "zlib" "$kd/logs/zlib.log" "$kd/zlib/build" '' -- \
    bash -c 'cd "$1" && CHOST=wasm32-wasip1 CC="$2" CFLAGS="$8 -g" AR="$3" RANLIB="$4" \
      "$5/configure" --static --prefix="$6" && make -j"$7" libz.a && make install' _ \
    "$kd/zlib/build" "$wasi_cc" "$wasi_ar" "$wasi_ranlib" "$zsrc" "$zprefix" "$jobs" "$(opt_cflags)"
  if [ ! -f "$zprefix/lib/libz.a" ] || [ ! -f "$zprefix/lib/pkgconfig/zlib.pc" ]; then die "zlib install incomplete"; fi
  end_stage zlib
fi

# --- stage: configure the wasm32-wasip1 build -----------------------------------
wasi=$kd/wasi
if ! done_stage wasi-configure; then
  begin_stage wasi-configure
  say "wasi: configure --host=wasm32-wasip1 ($py_cc)"
  rm -rf "$wasi"; mkdir -p "$wasi"
  extra_cache=()
  # bookworm's old wasi-libc lacks pthread.h; configure needs these answers.
  if ! find "$sysroot/include" -path '*wasm32-wasi*' -name pthread.h 2>/dev/null | grep -q .; then
    extra_cache=(ac_cv_have_pthread_t=yes ac_cv_sizeof_pthread_t=4 ac_cv_sizeof_pthread_key_t=4)
    warn "sysroot without pthread.h: using ${extra_cache[*]}"
  fi
  # --- optimisation (scripts/lib/optimise.sh): OPT, LTO, the allocator
  if [ "$opt_pymalloc" = yes ]; then opt_args=(--with-pymalloc); else opt_args=(--without-pymalloc); fi
  while IFS= read -r a; do opt_args+=("$a"); done < <(opt_configure_args)
  # On the POSIX layer, IPv6 too (configure says no for WASI unless asked).
  layer_args=()
  if [ -n "$cc_config" ]; then layer_args=(--enable-ipv6); fi
  pat_label=checks run_logged "wasi configure" "$kd/logs/wasi-configure.log" '^checking' '' -- \
    in_dir "$wasi" env CONFIG_SITE="$srcdir/Tools/wasm/config.site-wasm32-wasi${layer_site:+ $layer_site}" \
      CC="$py_cc" CPP="$py_cc -E" AR="$wasi_ar" RANLIB="$wasi_ranlib" \
      OPT="-DNDEBUG -g $opt_level -Wall" \
      PKG_CONFIG_PATH='' PKG_CONFIG_LIBDIR="$zprefix/lib/pkgconfig:$sysroot/lib/pkgconfig:$sysroot/share/pkgconfig" \
      "../src/Python-$py_version/configure" --host=wasm32-wasip1 --build="$("$srcdir/config.guess")" \
        --with-build-python="$build_python" --disable-shared --disable-test-modules \
        --with-openssl="$openssl_prefix" "${opt_args[@]}" \
        "${extra_cache[@]+"${extra_cache[@]}"}" "${layer_args[@]+"${layer_args[@]}"}"
  for m in ZLIB _SSL _HASHLIB ${cc_config:+_SOCKET SELECT}; do
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
  total=$(make_total "$wasi" all)
  say "wasi: make -j$jobs (~$total compiler runs)"
else
  STAGE_T0=$SECONDS total=''
fi
# The POSIX layer's library is no make dependency of python.wasm: relink
# when it changed since the last link.
layer_sum=''
if [ ${#layer_libs[@]} -gt 0 ]; then
  layer_sum=$(cat "${layer_libs[@]}" | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$wasi/.layer-libs" 2>/dev/null || true)" != "$layer_sum" ]; then rm -f "$wasi/python.wasm"; fi
fi
run_logged "wasi make" "$kd/logs/wasi-make.log" "$wasi" "$total" -- \
  make -C "$wasi" -j"$jobs" all
[ -f "$wasi/python.wasm" ] || die "no python.wasm after make"
if [ -n "$layer_sum" ]; then printf '%s\n' "$layer_sum" >"$wasi/.layer-libs"; fi
if ! done_stage wasi-make; then end_stage wasi-make; else say "wasi make (incremental): $(elapsed "$STAGE_T0")"; fi

# --- optimisation: wasm-opt on the linked module (scripts/lib/optimise.sh) ---------
# Redone only when make relinked python.wasm.
linked=$wasi/python.wasm
if [ "$opt_wasm_opt" != none ]; then
  linked=$wasi/python.opt.wasm
  if [ ! -f "$linked" ] || [ "$wasi/python.wasm" -nt "$linked" ]; then
    t0=$SECONDS
    # shellcheck disable=SC2086  # opt_wasm_opt is a list of wasm-opt arguments
    run_logged "wasm-opt" "$kd/logs/wasm-opt.log" '' '' -- \
      wasm-opt $opt_wasm_opt "$wasi/python.wasm" -o "$linked.tmp"
    mv "$linked.tmp" "$linked"
    say "wasm-opt $opt_wasm_opt: $(elapsed "$t0"), $(($(stat -c %s "$wasi/python.wasm") / 1024)) -> $(($(stat -c %s "$linked") / 1024)) KiB"
  fi
fi

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
  say "built $linked (no --out given); total $(elapsed)"
  printf '%s\n' "$linked"
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
  "${strip_tool[@]}" "$linked" "$out/python.wasm.tmp" 2>/dev/null ||
    { cp "$linked" "$out/python.wasm.tmp" && "${strip_tool[@]}" "$out/python.wasm.tmp"; } ||
    die "stripping python.wasm failed"
else
  warn "no llvm-objcopy/wasm-strip: python.wasm keeps its debug info"
  cp "$linked" "$out/python.wasm.tmp"
fi
mv "$out/python.wasm.tmp" "$out/python.wasm"
if [ "$keep_debug" = 1 ]; then cp "$linked" "$out/python.debug.wasm"; fi
say "python.wasm ($(($(stat -c %s "$out/python.wasm") / 1024)) KiB) and stdlib in $out; total $(elapsed)"
printf '%s\n' "$out/python.wasm"
exit 0
}
