# scripts/lib/build-common.sh — what the cached builds share (sourced by
# cpython-wasi.sh, cpython-native.sh and openssl-wasi.sh; not run on its own):
# messages, the stage stamps, logged runs with progress, the wasm32 toolchain,
# Debian source fetching, and the lines every cache key shares.
#
# The sourcing script sets before it sources: prog (message prefix), T0
# (=$SECONDS at start), here (the scripts/ directory).  After sourcing: set
# kd (the key directory) and stages (stage names in order) before using the
# stage helpers.  This file is not in the cache keys: its helpers do not change
# what is built, and what they feed in (the source tarballs, the compiler, the
# sysroot) is keyed itself.
# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables set here are used by the sourcing script

cache_root=${WASISOCK_CACHE:-${HOME:?HOME is not set}/.cache/wasisock}

# The CPython source of python.wasm and of the native CPython beside it (Debian
# trixie's package; debian-fetch.sh falls back to what the mirror serves, and
# the keys follow the tarball actually used).
python_pkg=python3.13
python_deb_version=3.13.5-2+deb13u5

elapsed() { local s=$((SECONDS - ${1:-$T0})); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
say() { printf '%s: [%s] %s\n' "$prog" "$(elapsed)" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "'$1' not found${2:+ (Debian package: $2)}"; }

# --- the wasm32 toolchain: Debian's clang-22 or $WASI_SDK_PATH ------------------
# Sets wasi_clang wasi_ar wasi_ranlib sysroot wasi_cc.
wasi_toolchain() {
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
}

# --- Debian sources (outside the key dirs, shared, cached) ------------------------
# fetch_src PKG PIN -> sets fetched_dir; skips the network when the files the
# .dsc names are there with their SHA-256.
fetch_src() {
  local pkg=$1 pin=$2 dir=$cache_root/sources/$1 stamp dsc ver
  stamp=$dir/.fetched
  if [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "pin $pin" ]; then
    dsc=$dir/$(sed -n 's/^dsc //p' "$stamp")
    if [ -f "$dsc" ] && (cd "$dir" && awk '/^Checksums-Sha256:/{f=1;next} /^[^ ]/{f=0} f&&NF==3{print $1"  "$3}' "$dsc" |
      sha256sum --quiet -c - >/dev/null 2>&1); then
      fetched_dir=$dir
      return 0
    fi
  fi
  ver=$("$here/debian-fetch.sh" source "$pkg" "$dir" "$pin") || die "could not fetch Debian source $pkg"
  dsc=$(cd "$dir" && ls -1 -- "${pkg}_${ver#*:}.dsc") || die "no .dsc for $pkg $ver in $dir"
  printf 'pin %s\nversion %s\ndsc %s\n' "$pin" "$ver" "$dsc" >"$stamp"
  say "fetched Debian source $pkg $ver"
  fetched_dir=$dir
}
orig_of() { # DIR -> the upstream tarball named by the .dsc that fetch_src kept
  local dsc
  dsc=$1/$(sed -n 's/^dsc //p' "$1/.fetched")
  awk '/^Checksums-Sha256:/{f=1;next} /^[^ ]/{f=0} f&&NF==3&&$3~/\.orig\.tar\.[a-z0-9]+$/{print $3}' "$dsc" | head -n 1
}

# --- cache keys ---------------------------------------------------------------------
sha() { sha256sum <"$1" | cut -d' ' -f1; }
# key_common SCRIPT: the key lines every build shares — the script itself;
# with wasi_cc set, the wasm32 compiler and sysroot too.  (The choices of
# scripts/lib/optimise.sh enter each key as values, opt_key, so a build keys
# only the ones it uses.)
key_common() {
  echo "script $(sha "$1")"
  [ -n "${wasi_cc:-}" ] || return 0
  echo "wasi-cc $wasi_cc"
  echo "WASI_SDK_PATH ${WASI_SDK_PATH:-}"
  $wasi_clang --version 2>&1 | sed 's/^/wasi-cc-version /'
  echo "sysroot-id $(cat "$sysroot/.wasisock-sysroot" 2>/dev/null || true)"
  local libc
  libc=$(find "$sysroot/lib" -path '*wasm32-wasi*' -name libc.a 2>/dev/null | LC_ALL=C sort | head -n 1)
  echo "sysroot-libc $( [ -n "$libc" ] && sha "$libc")"
}

# --- the key directory ---------------------------------------------------------------
# enter_key_dir MANIFEST: creates $kd with its stamps/, logs/ and key.txt,
# takes the per-key lock (a second build of the same key waits for the first)
# and fixes locale, time zone and umask (reproducible output).
enter_key_dir() {
  mkdir -p "$kd/stamps" "$kd/logs"
  printf '%s\n' "$1" >"$kd/key.txt"
  exec 7>"$kd.lock"
  flock -n 7 || { say "waiting for another build using $kd"; flock 7; }
  export LC_ALL=C TZ=UTC
  umask 022
}
# unpack_src TARBALL TOP PATCH…: $kd/src/TOP is TARBALL's directory TOP with
# the patches applied (patch -p1, in order); made aside, then moved in place.
unpack_src() {
  local tarball=$1 top=$2 p
  shift 2
  rm -rf "$kd/src" "$kd/src.tmp"
  mkdir -p "$kd/src.tmp"
  tar -C "$kd/src.tmp" -xf "$tarball"
  [ -d "$kd/src.tmp/$top" ] || die "$tarball has no $top/"
  for p in "$@"; do
    need patch patch
    say "applying $(basename "$p")"
    patch -p1 -s -d "$kd/src.tmp/$top" <"$p" || die "patch $p does not apply"
  done
  mv "$kd/src.tmp" "$kd/src"
}

# --- stages: stamp files in $kd/stamps, so an interrupted build resumes -------------
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

# --- logged runs with honest progress -------------------------------------------------
bg_pid=''
trap 'if [ -n "$bg_pid" ]; then kill "$bg_pid" 2>/dev/null || true; fi' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# in_dir DIR cmd…: run cmd in DIR (a subshell: the caller's directory stays);
# for run_logged's commands, e.g. a configure that must run where it builds.
in_dir() { (cd "$1" && shift && "$@"); }

# run_logged NAME LOG COUNT TOTAL -- cmd…: run cmd with its output appended to
# LOG; every 20 s say how far it is: with COUNT a directory, the object files
# (*.o) cmd has written under it so far, of ~TOTAL ("compiler runs": CPython's
# and OpenSSL's makefiles do not echo every compiler run, so their logs cannot
# be counted); else the LOG lines matching the grep pattern COUNT, labelled
# $pat_label (e.g. configure's "checking" lines).  COUNT '' = elapsed time only.
run_logged() {
  local name=$1 logf=$2 count=$3 total=$4 t0=$SECONDS rc=0 i n n0=0 mark
  shift 5
  # Logs are appended to (a resumed stage keeps its history); keep them bounded.
  if [ -f "$logf" ] && [ "$(stat -c %s "$logf")" -gt 4000000 ]; then mv -f "$logf" "$logf.old"; fi
  mark=$logf.start
  : >"$mark"
  if [ -n "$count" ] && [ ! -d "$count" ] && [ -f "$logf" ]; then n0=$(grep -c -- "$count" "$logf" || true); fi
  printf '\n=== %s: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$logf"
  "$@" >>"$logf" 2>&1 &
  bg_pid=$!
  while kill -0 "$bg_pid" 2>/dev/null; do
    for ((i = 0; i < 20; i++)); do
      kill -0 "$bg_pid" 2>/dev/null || break 2
      sleep 1
    done
    if [ -d "$count" ]; then
      n=$(find "$count" -name '*.o' -newer "$mark" 2>/dev/null | wc -l)
      say "$name: still running ($(elapsed "$t0")), $n${total:+/~$total} compiler runs so far"
    elif [ -n "$count" ]; then
      n=$(( $(grep -c -- "$count" "$logf" || true) - n0 ))
      say "$name: still running ($(elapsed "$t0")), $n${total:+/~$total} ${pat_label:-steps} so far"
    else
      say "$name: still running ($(elapsed "$t0"))"
    fi
  done
  wait "$bg_pid" || rc=$?
  bg_pid=''
  rm -f "$mark"
  if [ "$rc" != 0 ]; then
    printf '%s: ---- last lines of %s ----\n' "$prog" "$logf" >&2
    tail -n 40 "$logf" >&2
    die "$name failed (exit $rc); full log: $logf"
  fi
}
# make_total DIR TARGET…: estimate of the objects `make -C DIR TARGET…` will
# compile (the *.o targets of its dry run; 0 when make cannot tell).
make_total() {
  local dir=$1
  shift
  make -C "$dir" -n "$@" 2>/dev/null | grep -oE -- '-o [^ ]+\.o\b' | sort -u | wc -l
}
