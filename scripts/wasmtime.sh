#!/usr/bin/env bash
# wasmtime.sh — wasmtime's C API (shared library and headers) for
# runtimes/wasmtime, pinned, checked and cached outside the tree.
#
# Usage:
#   wasmtime.sh [--print-dir]
#     stdout: the LAST line is the install prefix:
#               PREFIX/lib/libwasmtime.so
#               PREFIX/include/{wasm.h,wasi.h,wasmtime.h,wasmtime/*.h}
#     --print-dir  print the prefix and exit, installing nothing
#
# Where it comes from (no build: both are registry downloads, ~10 MB):
#   - the library: PyPI's `wasmtime` wheel of the same version carries the
#     C API as wasmtime/linux-<arch>/_libwasmtime.so, but no headers;
#     fetched with pip (`pip download --require-hashes`, the hash below);
#   - the headers: crates.io's `wasmtime-c-api-impl` crate of the same
#     version carries include/, all but wasmtime/conf.h, which CMake makes
#     from conf.h.in with the build's features.  The wheel's features are
#     read off the library: a feature is defined when the functions the
#     headers declare under its #ifdef are exported.  Then every function
#     the resulting headers declare is checked to be exported, so a header
#     never promises what the library lacks.
# Both files are checked against the SHA-256 sums below before use.
#
# Cache: $WASISOCK_CACHE/wasmtime/<version>-<arch>/ (WASISOCK_CACHE defaults
# to $HOME/.cache/wasisock); a stamp file marks a complete install, so a
# second run returns at once.  A lock serialises concurrent installs.
#
# Needs: python3 with pip, curl, sha256sum, tar, a C compiler (cc -E for
# the header check), nm (binutils).  Debian: python3-pip curl binutils.
set -euo pipefail
{
prog=wasmtime.sh
version=50.0.1
crate=wasmtime-c-api-impl
crate_sha256=3c24d3970786b4baecb5b6aff31759b4f361879e8d99dbd5dc36a9524a0db6e6
case "$(uname -m)" in
  x86_64)
    wheel_platform=manylinux1_x86_64
    wheel_arch=x86_64
    wheel_sha256=cc14c3a17654e0394e0225b11813532ef0cd7bd1e222a0c5494cdedaabeddac4 ;;
  aarch64)
    wheel_platform=manylinux2014_aarch64
    wheel_arch=aarch64
    wheel_sha256=675484e525c028dc02762b777f1db4477ea70caa3fec6775426daff4d64edfb1 ;;
  *)
    echo "$prog: no pinned wasmtime wheel for $(uname -m)" >&2
    exit 1 ;;
esac
wheel=wasmtime-$version-py3-none-$wheel_platform.whl

cache_root=${WASISOCK_CACHE:-$HOME/.cache/wasisock}
prefix=$cache_root/wasmtime/$version-$wheel_arch
if [ "${1:-}" = "--print-dir" ]; then
  printf '%s\n' "$prefix"
  exit 0
fi
stamp=$prefix/.installed
# The stamp names what was installed; anything else means install again.
want_stamp="wasmtime $version lib $wheel_sha256 headers $crate_sha256"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; then
  printf '%s\n' "$prefix"
  exit 0
fi

for tool in python3 curl sha256sum tar cc nm; do
  command -v "$tool" >/dev/null ||
    { echo "$prog: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
python3 -m pip --version >/dev/null 2>&1 ||
  { echo "$prog: pip is missing (Debian package python3-pip)" >&2; exit 1; }

mkdir -p "$cache_root/wasmtime"
exec 9>"$cache_root/wasmtime/.lock-$version-$wheel_arch"
flock 9
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; then
  printf '%s\n' "$prefix"   # another install finished while we waited
  exit 0
fi
t0=$SECONDS
work=$(mktemp -d "$cache_root/wasmtime/.work-XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "$prog: wasmtime $version: the C API library from PyPI ($wheel)" >&2
printf 'wasmtime==%s --hash=sha256:%s\n' "$version" "$wheel_sha256" >"$work/req.txt"
python3 -m pip download --quiet --disable-pip-version-check --no-deps \
  --only-binary=:all: --platform "$wheel_platform" \
  --require-hashes -r "$work/req.txt" -d "$work" >&2
echo "$wheel_sha256  $work/$wheel" | sha256sum --quiet -c -

echo "$prog: wasmtime $version: the C API headers from crates.io ($crate)" >&2
curl -fsSL --retry 3 -o "$work/$crate.crate" \
  "https://static.crates.io/crates/$crate/$crate-$version.crate"
echo "$crate_sha256  $work/$crate.crate" | sha256sum --quiet -c -

# Unpack into a fresh directory and move it into place at the end, so a
# failed run never leaves a half install behind a stamp.
stage=$work/prefix
mkdir -p "$stage/lib" "$stage/include"
python3 - "$work/$wheel" "wasmtime/linux-$wheel_arch/_libwasmtime.so" \
  "$stage/lib/libwasmtime.so" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
chmod 0755 "$stage/lib/libwasmtime.so"
tar -xzf "$work/$crate.crate" -C "$work"
cp -R "$work/$crate-$version/include/." "$stage/include/"
cp "$work/$crate-$version/LICENSE" "$stage/LICENSE" 2>/dev/null || true

# conf.h from conf.h.in with the library's features, then the check that
# every declared function is exported (see the top of this file).
nm -D --defined-only "$stage/lib/libwasmtime.so" | awk '{print $NF}' | sort -u \
  >"$work/exported.txt"
python3 - "$stage/include" "$work/exported.txt" <<'PY'
import os, re, subprocess, sys
inc, exported_file = sys.argv[1:]
exported = set(open(exported_file).read().split())
conf_in = open(os.path.join(inc, "wasmtime", "conf.h.in")).read()
features = re.findall(r"#cmakedefine (WASMTIME_FEATURE_\w+)", conf_in)

# Functions declared under "#ifdef FEATURE" blocks, per feature: the text
# between two directives is one block, gated by the #ifdefs around it
# (#else and #elif end a gate; #if EXPR and #ifndef gate nothing here).
# A feature no declaration depends on (parallel compilation, logging, ...)
# is left undefined: it changes nothing in the headers.
decl = re.compile(r"WAS[MI]_API_EXTERN[^;{]*?\b(\w+)\s*\(")
gated = {f: set() for f in features + ["WASMTIME_FEATURE_COMPILER"]}
for root, _, files in os.walk(inc):
    for name in files:
        if not name.endswith(".h"):
            continue
        stack, block = [], []
        def flush():
            for f in stack:
                if f in gated:
                    gated[f].update(decl.findall("".join(block)))
            block.clear()
        continued = False  # a line of a multi-line directive
        for line in open(os.path.join(root, name), encoding="utf-8"):
            directive = continued or line.lstrip().startswith("#")
            continued = directive and line.rstrip().endswith("\\")
            if not directive:
                block.append(line)
                continue
            m = re.match(r"\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b\s*(\w*)", line)
            if not m:
                continue  # #define, #include, ...: no declaration
            flush()
            if m.group(1) == "endif":
                stack.pop()
            elif m.group(1) in ("else", "elif"):
                stack[-1] = None
            else:
                stack.append(m.group(2) if m.group(1) == "ifdef" else None)
        flush()

defined = set()
for f, names in gated.items():
    if names and names <= exported:
        defined.add(f)
# The compiler is Cranelift here (Winch and Pulley change no declaration).
if "WASMTIME_FEATURE_COMPILER" in defined:
    defined.add("WASMTIME_FEATURE_CRANELIFT")
defined.discard("WASMTIME_FEATURE_COMPILER")
out = re.sub(r"#cmakedefine (WASMTIME_FEATURE_\w+)",
             lambda m: ("#define " if m.group(1) in defined else "/* #undef ") +
                       m.group(1) + ("" if m.group(1) in defined else " */"),
             conf_in)
out = out.replace(" * \\brief Build-time defines for how the C API was built.",
                  " * \\brief Build-time defines for how the C API was built.\n"
                  " *\n * Generated by wasisock's scripts/wasmtime.sh from the "
                  "features the PyPI\n * wheel's library exports.")
open(os.path.join(inc, "wasmtime", "conf.h"), "w").write(out)

# Every function the headers declare now is exported.
marker = "WASISOCK_DECLARED_FUNCTION"
pp = subprocess.run(["cc", "-E", "-P", "-I", inc,
                     f"-DWASM_API_EXTERN={marker}", f"-DWASI_API_EXTERN={marker}",
                     "-x", "c", os.path.join(inc, "wasmtime.h")],
                    check=True, capture_output=True, text=True).stdout
declared = set(re.findall(marker + r"[^;{]*?\b(\w+)\s*\(", pp))
missing = sorted(declared - exported)
if not declared or missing:
    sys.exit("wasmtime.sh: the headers declare functions the library does not "
             "export: " + " ".join(missing[:20]))
print(f"wasmtime.sh: conf.h: {len(defined)} features "
      f"({' '.join(sorted(f[17:].lower() for f in defined))}); "
      f"{len(declared)} declared functions, all exported", file=sys.stderr)
PY

rm -rf "$prefix"
mv "$stage" "$prefix"
printf '%s\n' "$want_stamp" >"$stamp"
echo "$prog: installed in $prefix ($((SECONDS - t0)) s)" >&2
printf '%s\n' "$prefix"
}
