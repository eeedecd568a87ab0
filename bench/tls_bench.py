#!/usr/bin/env python3
"""bench/tls_bench.py - TLS inside python.wasm against native CPython's ssl.

On loopback, against native TLS servers started here (stock ``ssl``, one
thread per connection), with a CA and server certificate made for the run
(the ``openssl`` command; EC P-256 keys, TLS 1.3):

  tls-handshake  TCP connect + full TLS 1.3 handshake (certificate and host
                 name verified) + close, one after the other (ms each)
  tls-upload     MIB MiB written through TLS, then a 1-byte ack (MiB/s)
  tls-download   MIB MiB read through TLS (MiB/s)
  tls-aes        the download again with TLS_AES_256_GCM_SHA384 for both

The upload and download server follows the client's order of ciphersuites,
as nginx and Apache do by default: native CPython gets AES-256-GCM (its
OpenSSL's first choice, with AES instructions), python.wasm ChaCha20-Poly1305
(its OpenSSL lists it first: wasm has no AES instructions, and OpenSSL's C
AES-GCM is about three times slower there; python/patches/openssl/).  The
tls-aes server imposes its own order (CPython's default), so both use
AES-256-GCM.  The negotiated suites are printed under the table.

The clients run this file's client code with the standard library's ssl
(``SSLContext.wrap_socket``): native CPython (/usr/bin/python3) with its
own _ssl on the socket's fd, and python.wasm under wasisock-python, the
same: CPython's _ssl on the descriptor of wasisock's POSIX layer, in each
engine the build has (node; wasmtime: "wasm-py-wt").  Clients take turns
within each repetition; the table shows medians.

    bench/tls_bench.py [--build DIR] [--reps N] [--handshakes N] [--mib N]
                       [--quick] [--json FILE] [--markdown]

As a library (for bench/bench.py): measure(prog, reps, ...) returns
{bench: {"native-py": [...], "wasm-py": [...], "wasm-py-wt": [...]}} in the
units of UNITS.

    client mode (what the two clients run):
    tls_bench.py client handshake PORT N CAFILE
    tls_bench.py client upload|download PORT MIB CAFILE
"""

import argparse
import json
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
#: The clients of this run: programs() drops "wasm-py-wt" from a build
#: without the wasmtime engine.
CLIENTS = ["native-py", "wasm-py", "wasm-py-wt"]
TITLES = {"native-py": "native CPython", "wasm-py": "python.wasm node",
          "wasm-py-wt": "python.wasm wasmtime"}
UNITS = {
    "tls-handshake": ("TLS 1.3 connect + handshake", "ms", "{:.2f}", "lower"),
    "tls-upload": ("TLS upload", "MiB/s", "{:.0f}", "higher"),
    "tls-download": ("TLS download", "MiB/s", "{:.0f}", "higher"),
    "tls-aes": ("TLS download, AES-256-GCM for both", "MiB/s", "{:.0f}", "higher"),
}
CHUNK = 1 << 20
#: {bench: {client: ciphersuite negotiated}}, filled by measure().
CIPHERS = {}


# ---- client (runs natively and in python.wasm) --------------------------------


def client(mode, port, n, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    if mode == "handshake":
        t0 = time.perf_counter()
        for _ in range(n):
            s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)),
                                server_hostname="localhost")
            cipher = s.cipher()[0]
            s.close()
        return time.perf_counter() - t0, cipher
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
    t0 = time.perf_counter()
    if mode == "upload":
        s.sendall(f"UP {n}\n".encode())
        chunk = bytes(CHUNK)
        for _ in range(n):
            s.sendall(chunk)
        if s.recv(1) != b"k":
            raise ConnectionError("server did not acknowledge")
    else:
        s.sendall(f"DOWN {n}\n".encode())
        left = n * CHUNK
        buf = bytearray(CHUNK)
        while left:
            got = s.recv_into(buf, min(left, CHUNK))
            if not got:
                raise ConnectionError(f"EOF with {left} bytes to go")
            left -= got
    t = time.perf_counter() - t0
    cipher = s.cipher()[0]
    s.close()
    return t, cipher


# ---- native servers -------------------------------------------------------------


def make_pki(d):
    def run(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=wasisock bench CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
    with open(os.path.join(d, "ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
                "authorityKeyIdentifier=keyid\n")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext")
    return os.path.join(d, "ca.pem"), os.path.join(d, "server.pem"), os.path.join(d, "server.key")


class Servers:
    """A TLS handshake server (handshake, close) and a bulk server
    (UP n: read n MiB, ack; DOWN n: send n MiB), threads per connection."""

    def __init__(self, cert, key):
        client_order = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        client_order.load_cert_chain(cert, key)
        client_order.options &= ~ssl.OP_CIPHER_SERVER_PREFERENCE
        server_order = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)  # AES-256-GCM first
        server_order.load_cert_chain(cert, key)
        self.socks = {name: socket.create_server(("127.0.0.1", 0), backlog=128)
                      for name in ("handshake", "bulk", "aes")}
        self.ports = {name: s.getsockname()[1] for name, s in self.socks.items()}
        for name, s in self.socks.items():
            handler = self._handshake if name == "handshake" else self._bulk
            ctx = server_order if name == "aes" else client_order
            threading.Thread(target=self._accept, args=(s, handler, ctx), daemon=True).start()

    def _accept(self, ls, handler, ctx):
        while True:
            try:
                conn, _ = ls.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn, handler, ctx), daemon=True).start()

    @staticmethod
    def _serve(conn, handler, ctx):
        try:
            with ctx.wrap_socket(conn, server_side=True) as s:
                handler(s)
        except (OSError, ValueError):
            pass  # a client that closes at once: nothing to report

    @staticmethod
    def _handshake(s):
        s.recv(1)  # until the client closes (session tickets go out first)

    @staticmethod
    def _bulk(s):
        line = b""
        while not line.endswith(b"\n"):
            b = s.recv(1)
            if not b:
                return
            line += b
        cmd, n = line.split()
        left = int(n) * CHUNK
        if cmd == b"UP":
            buf = bytearray(CHUNK)
            while left:
                got = s.recv_into(buf, min(left, CHUNK))
                if not got:
                    return
                left -= got
            s.sendall(b"k")
        else:
            chunk = bytes(CHUNK)
            while left:
                s.sendall(chunk[:min(left, CHUNK)])
                left -= min(left, CHUNK)
        s.recv(1)  # wait for the client to close

    def close(self):
        for s in self.socks.values():
            s.close()


# ---- driver ---------------------------------------------------------------------


def programs(build, native_python=None):
    py = native_python or ("/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK)
                           else shutil.which("python3"))
    b = os.path.abspath(build)
    launcher = os.path.join(b, "bin", "wasisock-python")
    if not os.path.exists(launcher):
        raise SystemExit(f"tls_bench: {launcher} is missing: build first")
    prog = {"native-py": [py, os.path.abspath(__file__)],
            "wasm-py": [launcher, "--engine", "node", os.path.abspath(__file__)]}
    if has_wasmtime(launcher):
        prog["wasm-py-wt"] = [launcher, "--engine", "wasmtime", os.path.abspath(__file__)]
    elif "wasm-py-wt" in CLIENTS:
        CLIENTS.remove("wasm-py-wt")
    return prog


def has_wasmtime(launcher):
    """Whether a build's command has the wasmtime engine (its --version says)."""
    run = launcher.replace("wasisock-python", "wasisock-run")
    r = subprocess.run([run, "--version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return r.returncode == 0 and b"\nwasmtime " in r.stdout


def _seconds(cmd):
    """Runs a client; (seconds, negotiated ciphersuite)."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr.decode(errors='replace')}")
    out = json.loads(r.stdout.decode().strip().splitlines()[-1])
    return float(out["seconds"]), out["cipher"]


def measure(prog, reps=5, handshakes=200, mib=64, progress=None):
    """Runs the three TLS benchmarks; {bench: {client: [values]}}."""
    tmp = tempfile.mkdtemp(prefix="wasisock-tls-bench-")
    try:
        ca, cert, key = make_pki(tmp)
        srv = Servers(cert, key)
        res = {name: {c: [] for c in CLIENTS} for name in UNITS}
        plan = {
            "tls-handshake": (["client", "handshake", str(srv.ports["handshake"]), str(handshakes), ca],
                              lambda s: s / handshakes * 1e3),
            "tls-upload": (["client", "upload", str(srv.ports["bulk"]), str(mib), ca], lambda s: mib / s),
            "tls-download": (["client", "download", str(srv.ports["bulk"]), str(mib), ca],
                             lambda s: mib / s),
            "tls-aes": (["client", "download", str(srv.ports["aes"]), str(mib), ca],
                        lambda s: mib / s),
        }
        try:
            for name, (args, conv) in plan.items():
                for r in range(reps):
                    k = r % len(CLIENTS)
                    for c in CLIENTS[k:] + CLIENTS[:k]:
                        cmd = prog[c] + args
                        if c != "native-py":  # the guest reads ca.pem there
                            cmd = cmd[:1] + ["--dir", tmp] + cmd[1:]
                        seconds, cipher = _seconds(cmd)
                        res[name][c].append(conv(seconds))
                        CIPHERS.setdefault(name, {})[c] = cipher
                    if progress:
                        progress(name, r + 1, reps)
        finally:
            srv.close()
        return res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def table(res, markdown=False, handshakes=None, mib=None):
    head = (["benchmark", "unit"] + [TITLES[c] for c in CLIENTS] +
            ["python.wasm vs native (" + ", ".join(TITLES[c].split()[-1] for c in CLIENTS[1:]) + ")"])
    body = []
    for name, (label, unit, fmt, better) in UNITS.items():
        if name not in res:
            continue
        med = {c: statistics.median(v) for c, v in res[name].items() if v}
        nat = med.get("native-py")
        if name == "tls-handshake" and handshakes:
            label += f" (×{handshakes})"
        elif mib:
            label += f" {mib} MiB"
        ratios = []
        for c in CLIENTS[1:]:
            py = med.get(c)
            if nat and py:
                ratios.append(f"{py / nat:.1f}× time" if better == "lower" else f"{py / nat * 100:.0f} %")
        ratio = " / ".join(ratios) or "—"
        body.append([label, unit] + [fmt.format(med[c]) if c in med else "—" for c in CLIENTS] + [ratio])
    if markdown:
        return "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] +
                         ["| " + " | ".join(r) + " |" for r in body])
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    line = lambda r: "  ".join(x.ljust(w) for x, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in body])


def main(argv):
    if argv[:1] == ["client"]:
        mode, port, n, cafile = argv[1], int(argv[2]), int(argv[3]), argv[4]
        seconds, cipher = client(mode, port, n, cafile)
        print(json.dumps({"seconds": seconds, "cipher": cipher}))
        return 0
    p = argparse.ArgumentParser(prog="bench/tls_bench.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=os.environ.get("WASISOCK_BUILD_DIR", os.path.join(ROOT, "build")))
    p.add_argument("--native-python")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--handshakes", type=int, default=200)
    p.add_argument("--mib", type=int, default=64)
    p.add_argument("--quick", action="store_true", help="tiny sizes, one repetition")
    p.add_argument("--json")
    p.add_argument("--markdown", action="store_true")
    a = p.parse_args(argv)
    if a.quick:
        a.reps, a.handshakes, a.mib = 1, 5, 2
    if shutil.which("openssl") is None:
        sys.stderr.write("tls_bench: needs the openssl command (Debian package: openssl)\n")
        return 1

    def progress(name, r, reps):
        sys.stderr.write(f"\rtls_bench: {name} {r}/{reps}   " + ("\n" if r == reps else ""))

    load0 = os.getloadavg()[0]
    res = measure(programs(a.build, a.native_python), a.reps, a.handshakes, a.mib, progress)
    print(f"load average {load0:.2f} at start, {os.getloadavg()[0]:.2f} at end; medians of {a.reps} runs"
          + (" (--quick: a smoke run, not a measurement)" if a.quick else ""))
    print(table(res, a.markdown, a.handshakes, a.mib))
    for name in UNITS:
        if name in CIPHERS:
            print(f"{name}: " + ", ".join(f"{TITLES[c]} {CIPHERS[name].get(c, '?')}" for c in CLIENTS))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"args": vars(a), "samples": res, "ciphers": CIPHERS}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
