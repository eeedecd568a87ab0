#!/usr/bin/env bash
# The demo: Python running inside WebAssembly fetches a page over HTTP from a
# server on this machine that it did not write (native CPython's http.server).
# On a fresh machine this installs what is missing and builds python.wasm
# first (minutes, with progress; cached in ~/.cache/wasisock afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

build=${WASISOCK_BUILD_DIR:-build}
engine=${WASISOCK_ENGINE:-node}
echo "== building (libwasisock, the runners and their engines, python.wasm)"
cmake -S . -B "$build" >/dev/null
cmake --build "$build" -j"$(nproc)"

site=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$site"' EXIT
cat > "$site/index.html" <<'HTML'
<!doctype html>
<title>Hello from the host</title>
<h1>Hello, WebAssembly!</h1>
<p>This page was served by native CPython's http.server on 127.0.0.1.</p>
HTML

# Port 0: the OS picks a free port; http.server prints it on its first line.
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$site" \
  >"$site/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$site/server.log" | head -n1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "demo: http.server did not start" >&2; exit 1; }

echo "== native http.server is listening on 127.0.0.1:$port"
echo "== running examples/python/http_demo.py inside python.wasm (engine: $engine)"
echo
"$build/bin/wasisock-python" --engine "$engine" examples/python/http_demo.py 127.0.0.1 "$port" /
echo
cat <<TEXT
== What just happened
python.wasm is CPython 3.13 compiled to WebAssembly (wasm32-wasip1).  WASI
preview 1 gives it files and a clock but no way to open a connection, so the
script's wasisocket calls became imports from the "wasisock" module
(sock_resolve, sock_open, sock_connect, sock_send, sock_recv, sock_close).
urllib took the same road unmodified: http.client -> socket -> python.wasm's
own _socket module, which sits on those imports instead of libc.
The runner's engine ($engine; WASISOCK_ENGINE=node|wasmtime chooses) handed
each one to libwasisock, which checked every pointer against the guest's
memory and performed it on a real socket with libuv.  The server above is plain native Python; it saw an ordinary HTTP
client (its log: $(tail -n1 "$site/server.log" | sed 's/^.*"\(GET[^"]*\)".*$/\1/')).
TEXT
