# scripts/lib/optimise.sh — how python.wasm (CPython, OpenSSL, zlib) and the
# native CPython it is compared with (cpython-native.sh) are optimised.  Each
# setting was measured on its own; docs/PERFORMANCE.md ("python.wasm: what was
# optimised") has the numbers.  Sourced by the build scripts; the values
# a build uses are lines of its cache key (opt_key).
#
# WASISOCK_OPT_LEVEL, WASISOCK_LTO, WASISOCK_PYMALLOC and WASISOCK_WASM_OPT override the
# defaults below, for measuring another choice; the values used are in the
# keys, so each choice is cached apart.
# shellcheck shell=bash
# shellcheck disable=SC2034  # used by the sourcing scripts

# Compiler optimisation level for everything (CPython's own default is -O3).
opt_level=${WASISOCK_OPT_LEVEL:--O3}
# Link-time optimisation: none | thin | full.
opt_lto=${WASISOCK_LTO:-none}
# CPython's small-object allocator in python.wasm: yes | no (CPython's
# configure says no for WASI; natively it is always on).
opt_pymalloc=${WASISOCK_PYMALLOC:-yes}
# Binaryen's wasm-opt on the linked python.wasm: its arguments, or none.
opt_wasm_opt=${WASISOCK_WASM_OPT:-none}

case $opt_level in -O[0-3s]) ;; *) die "WASISOCK_OPT_LEVEL=$opt_level: want -O0..-O3 or -Os" ;; esac
case $opt_lto in none | thin | full) ;; *) die "WASISOCK_LTO=$opt_lto: want none, thin or full" ;; esac
case $opt_pymalloc in yes | no) ;; *) die "WASISOCK_PYMALLOC=$opt_pymalloc: want yes or no" ;; esac

# Flags for C compilers that are not CPython's configure (OpenSSL, zlib).
opt_cflags() {
  printf '%s' "$opt_level"
  [ "$opt_lto" = none ] || printf ' -flto=%s' "$opt_lto"
}
# CPython's configure arguments, one a line.  For wasm32 (wasi_cc set,
# clang): --with-lto=thin|full, and configure's LLVM_AR, which it looks for
# as plain llvm-ar.  Native (gcc, cpython-native.sh): --with-lto, gcc's full
# LTO, whatever opt_lto says (configure refuses thin LTO with gcc).
opt_configure_args() {
  [ "$opt_lto" != none ] || return 0
  if [ -n "${wasi_cc:-}" ]; then
    printf -- '--with-lto=%s\nLLVM_AR=%s\n' "$opt_lto" "$(command -v "$wasi_ar")"
  else
    printf -- '--with-lto\n'
  fi
}
# The key lines of the compiler's choices (wasm-opt's is keyed by the
# python.wasm build alone).
opt_key() {
  echo "opt-cflags $(opt_cflags)"
  echo "opt-configure $(opt_configure_args | tr '\n' ' ')"
}
