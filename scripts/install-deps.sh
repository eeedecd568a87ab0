#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test wasisock.
# Idempotent: asks apt only for packages that are missing.  Needs root (or
# sudo) for those.  Never touches the system's apt sources: trixie packages
# and sources (wasi-libc, CPython, zlib, OpenSSL) are fetched later by
# scripts/debian-fetch.sh with a private apt configuration.  Then wasmtime's
# C API for the wasmtime engine (scripts/wasmtime.sh: pinned registry
# downloads into ~/.cache/wasisock/wasmtime, a no-op once there).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates xz-utils
  libuv1-dev libcmocka-dev
  clang-22 lld-22 llvm-22 libclang-rt-22-dev-wasm32
  wabt python3 valgrind patch util-linux
  perl openssl  # OpenSSL's Configure; test certificates (tests/peer/tlspeer.py)
  binaryen  # wasm-opt on python.wasm (scripts/lib/optimise.sh)
  libssl-dev zlib1g-dev  # native CPython's ssl and zlib (scripts/cpython-native.sh)
  curl python3-pip  # scripts/wasmtime.sh: the crate from crates.io, the wheel from PyPI
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "install-deps: Node.js >= 18 is required, found $(node --version)" >&2
  exit 1
fi

# Go for the Go guests (docs/GO.md): the machine's if it is 1.21 or later,
# else Debian trixie's golang-1.24, fetched once into the cache (no root).
"$(dirname "$0")/go-toolchain.sh" >/dev/null

# wasmtime's C API for the wasmtime engine (runtimes/wasmtime/README.md).
"$(dirname "$0")/wasmtime.sh" >/dev/null
